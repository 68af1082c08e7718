/*
 * gen_pay.c: formats drafted transactions as payment messages, for
 * `txscreen gen --format pacs.008|pain.001|mt103` (bench/README.md
 * "Payment messages"; the readers are engine/src/payments/, documented in
 * docs/formats.md "Payment messages").
 *
 *   pacs.008  one CBPR+ message per record: an Envelope holding a head.001
 *             AppHdr (Fr/To the debtor's and creditor's agents, as CBPR+
 *             asks) and a pacs.008.001.08 Document with one CdtTrfTxInf;
 *             messages follow one another in the file (the reader takes
 *             several documents in one file).
 *   pain.001  one pain.001.001.09 Document per group of up to
 *             GEN_PAIN_GROUP records of the same execution day, its PmtInf
 *             blocks one per debtor (a debtor's records in one block, in
 *             their order; blocks in the order their debtors first pay).
 *   mt103     one FIN message per record (blocks 1-4, the UETR in block 3
 *             field 121), an RJE file: '$' between messages.
 *
 * Every record carries the same references: InstrId/EndToEndId (MT :20:)
 * "T<seq>", the txn id of the CSV of the same seed, and a UETR
 * (gen_pay_uetr) that the readers take as the transaction id, so the labels
 * of a payment export name UETRs.  Parties: debtor = orig (its account as
 * Othr/Id, or :50F:/account; a walk-in depositor has no account and is
 * :50K:), creditor = bene; the debtor's and creditor's agents are their
 * banks' BICs (a depositor's agent is the beneficiary's bank, where the cash
 * was paid in); the purpose is the remittance text (RmtInf/Ustrd, :70:).
 * Messages carry dates, not times of day: the readers' transaction time is
 * the value (pacs.008, MT103) or execution (pain.001) date at 00:00 UTC; the
 * draft's time stays in CreDtTm / CreDt.
 *
 * Like gen_emit.c: no printf, no allocation, no locale; every function
 * writes into a caller buffer with room for GEN_REC_MAX bytes per record
 * (escaping at most sextuples a fixed-size draft field).
 */
#include <string.h>

#include "gen_int.h"

static size_t lit(char *b, const char *s)
{
    size_t n = strlen(s);
    memcpy(b, s, n);
    return n;
}

/* XML character data or attribute value: the five predefined entities. */
static size_t xml(char *b, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': n += lit(b + n, "&amp;"); break;
        case '<': n += lit(b + n, "&lt;"); break;
        case '>': n += lit(b + n, "&gt;"); break;
        case '"': n += lit(b + n, "&quot;"); break;
        case '\'': n += lit(b + n, "&apos;"); break;
        default: b[n++] = s[i];
        }
    }
    return n;
}

/* <tag>escaped value</tag> */
static size_t el(char *b, const char *tag, const char *s, size_t len)
{
    size_t n = 0;
    b[n++] = '<';
    n += lit(b + n, tag);
    b[n++] = '>';
    n += xml(b + n, s, len);
    b[n++] = '<';
    b[n++] = '/';
    n += lit(b + n, tag);
    b[n++] = '>';
    return n;
}

size_t gen_pay_uetr(uint64_t key, uint64_t seq, char *b)
{
    static const char hex[] = "0123456789abcdef";
    /* 8-4-4-4-12 hex, version 4, variant 10: the first 64 bits hashed from
     * (key, seq), the last 48 a bijection of seq, so ids never repeat
     * within 2^48 records. */
    uint64_t h = gen_hash2(key, seq), tail = (seq + gen_hash2(key, 0)) & 0xFFFFFFFFFFFFull;
    char d[32];
    for (int i = 0; i < 16; i++) d[i] = hex[(h >> (60 - 4 * i)) & 15];
    for (int i = 0; i < 4; i++) d[16 + i] = hex[(gen_hash2(h, 1) >> (4 * i)) & 15];
    for (int i = 0; i < 12; i++) d[20 + i] = hex[(tail >> (44 - 4 * i)) & 15];
    d[12] = '4';
    d[16] = hex[8 + ((h >> 2) & 3)];
    size_t n = 0;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20) b[n++] = '-';
        b[n++] = d[i];
    }
    return n;
}

/* "T<seq>" */
static size_t ref(char *b, uint64_t seq)
{
    b[0] = 'T';
    return 1 + gen_put_u64(b + 1, seq);
}

/* The agent BIC of a side: its bank, else (a walk-in depositor) the other
 * side's bank. */
static txs_slice agent(const gen_party *p, const gen_party *other)
{
    if (p->bank_n) return (txs_slice){p->bank, p->bank_n};
    return (txs_slice){other->bank, other->bank_n};
}

/* ------------------------------------------------------------- ISO 20022 */

static size_t fin_instn(char *b, const char *role, txs_slice bic)
{
    size_t n = 0;
    b[n++] = '<';
    n += lit(b + n, role);
    if (bic.n == 0) {
        n += lit(b + n, "><FinInstnId/></");
    } else {
        n += lit(b + n, "><FinInstnId>");
        n += el(b + n, "BICFI", bic.p, bic.n);
        n += lit(b + n, "</FinInstnId></");
    }
    n += lit(b + n, role);
    n += lit(b + n, ">\n");
    return n;
}

/* <Dbtr>/<Cdtr>: name and postal address (country, the address as one or
 * two AdrLine of at most 70 characters). */
static size_t mx_party(char *b, const char *role, const gen_party *p)
{
    size_t n = 0;
    b[n++] = '<';
    n += lit(b + n, role);
    b[n++] = '>';
    n += el(b + n, "Nm", p->name, p->name_n);
    if (p->cc[0] || p->addr_n) {
        n += lit(b + n, "<PstlAdr>");
        if (p->cc[0]) n += el(b + n, "Ctry", p->cc, 2);
        size_t a = p->addr_n, first = a;
        if (a > 70) { /* split at the last space within 70 bytes */
            first = 70;
            while (first > 1 && p->addr[first] != ' ') first--;
            if (first <= 1) first = 70;
            while (first < a && ((unsigned char)p->addr[first] & 0xC0) == 0x80) first--;
        }
        if (a) n += el(b + n, "AdrLine", p->addr, first);
        size_t rest = first;
        while (rest < a && p->addr[rest] == ' ') rest++;
        if (rest < a) n += el(b + n, "AdrLine", p->addr + rest, a - rest);
        n += lit(b + n, "</PstlAdr>");
    }
    n += lit(b + n, "</");
    n += lit(b + n, role);
    n += lit(b + n, ">\n");
    return n;
}

static size_t mx_account(char *b, const char *role, const gen_party *p)
{
    if (p->account_n == 0) return 0;
    size_t n = 0;
    b[n++] = '<';
    n += lit(b + n, role);
    n += lit(b + n, "><Id><Othr>");
    n += el(b + n, "Id", p->account, p->account_n);
    n += lit(b + n, "</Othr></Id></");
    n += lit(b + n, role);
    n += lit(b + n, ">\n");
    return n;
}

static size_t mx_amount(char *b, const char *tag, const gen_txn *t)
{
    const gen_currency *c = gen_currency_at(t->cur);
    size_t n = 0;
    b[n++] = '<';
    n += lit(b + n, tag);
    n += lit(b + n, " Ccy=\"");
    n += lit(b + n, c->code);
    n += lit(b + n, "\">");
    n += gen_put_amount(b + n, t->minor, c->exponent);
    n += lit(b + n, "</");
    n += lit(b + n, tag);
    n += lit(b + n, ">\n");
    return n;
}

static size_t mx_pmt_id(char *b, const gen_txn *t, uint64_t key)
{
    char id[24];
    size_t k = ref(id, t->seq);
    size_t n = lit(b, "<PmtId>");
    n += el(b + n, "InstrId", id, k);
    n += el(b + n, "EndToEndId", id, k);
    n += lit(b + n, "<UETR>");
    n += gen_pay_uetr(key, t->seq, b + n);
    n += lit(b + n, "</UETR></PmtId>\n");
    return n;
}

static size_t mx_remittance(char *b, const gen_txn *t)
{
    if (t->purpose_n == 0) return 0;
    size_t n = lit(b, "<RmtInf>");
    n += el(b + n, "Ustrd", t->purpose, t->purpose_n);
    n += lit(b + n, "</RmtInf>\n");
    return n;
}

size_t gen_pay_pacs008(const gen_txn *t, uint64_t key, char *b)
{
    txs_slice da = agent(&t->orig, &t->bene), ca = agent(&t->bene, &t->orig);
    char msg[24], ts[24], day[24];
    size_t mn = 0;
    msg[mn++] = 'M';
    mn += gen_put_u64(msg + mn, t->seq);
    size_t tn = gen_put_ts(ts, t->ts, 1);
    size_t dn = gen_put_ts(day, t->ts, 1) - 10; /* "YYYY-MM-DD" */
    size_t n = lit(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Envelope>\n"
                      "<AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\">\n");
    n += lit(b + n, "<Fr><FIId><FinInstnId>");
    n += el(b + n, "BICFI", da.p, da.n);
    n += lit(b + n, "</FinInstnId></FIId></Fr>\n<To><FIId><FinInstnId>");
    n += el(b + n, "BICFI", ca.p, ca.n);
    n += lit(b + n, "</FinInstnId></FIId></To>\n");
    n += el(b + n, "BizMsgIdr", msg, mn);
    n += lit(b + n, "\n<MsgDefIdr>pacs.008.001.08</MsgDefIdr>\n"
                    "<BizSvc>swift.cbprplus.02</BizSvc>\n");
    n += el(b + n, "CreDt", ts, tn);
    n += lit(b + n, "\n</AppHdr>\n"
                    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">\n"
                    "<FIToFICstmrCdtTrf>\n<GrpHdr>");
    n += el(b + n, "MsgId", msg, mn);
    n += el(b + n, "CreDtTm", ts, tn);
    n += lit(b + n, "<NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>"
                    "</GrpHdr>\n<CdtTrfTxInf>\n");
    n += mx_pmt_id(b + n, t, key);
    n += mx_amount(b + n, "IntrBkSttlmAmt", t);
    n += el(b + n, "IntrBkSttlmDt", day, dn);
    n += lit(b + n, "\n<ChrgBr>SHAR</ChrgBr>\n");
    n += fin_instn(b + n, "InstgAgt", da);
    n += fin_instn(b + n, "InstdAgt", ca);
    n += mx_party(b + n, "Dbtr", &t->orig);
    n += mx_account(b + n, "DbtrAcct", &t->orig);
    n += fin_instn(b + n, "DbtrAgt", da);
    n += fin_instn(b + n, "CdtrAgt", ca);
    n += mx_party(b + n, "Cdtr", &t->bene);
    n += mx_account(b + n, "CdtrAcct", &t->bene);
    n += mx_remittance(b + n, t);
    n += lit(b + n, "</CdtTrfTxInf>\n</FIToFICstmrCdtTrf>\n</Document>\n</Envelope>\n");
    return n;
}

/* Same debtor: account, name and agent. */
static int same_debtor(const gen_txn *a, const gen_txn *b)
{
    txs_slice x = agent(&a->orig, &a->bene), y = agent(&b->orig, &b->bene);
    return a->orig.account_n == b->orig.account_n && a->orig.name_n == b->orig.name_n &&
           x.n == y.n && memcmp(a->orig.account, b->orig.account, a->orig.account_n) == 0 &&
           memcmp(a->orig.name, b->orig.name, a->orig.name_n) == 0 && memcmp(x.p, y.p, x.n) == 0;
}

size_t gen_pay_pain001(const gen_txn *const *t, int nt, uint64_t msgno, uint64_t key, char *b)
{
    char msg[24], ts[24], day[24];
    size_t mn = 0;
    msg[mn++] = 'M';
    mn += gen_put_u64(msg + mn, msgno);
    size_t tn = gen_put_ts(ts, t[0]->ts, 1);
    size_t dn = gen_put_ts(day, t[0]->ts, 1) - 10;
    size_t n = lit(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n"
                      "<CstmrCdtTrfInitn>\n<GrpHdr>");
    n += el(b + n, "MsgId", msg, mn);
    n += el(b + n, "CreDtTm", ts, tn);
    n += lit(b + n, "<NbOfTxs>");
    n += gen_put_u64(b + n, (uint64_t)nt);
    n += lit(b + n, "</NbOfTxs><InitgPty/></GrpHdr>\n");
    /* Blocks in the order their debtors first appear. */
    unsigned char done[GEN_PAIN_GROUP] = {0};
    int block = 0;
    for (int i = 0; i < nt; i++) {
        if (done[i]) continue;
        int cnt = 0;
        for (int j = i; j < nt; j++) cnt += !done[j] && same_debtor(t[i], t[j]);
        txs_slice da = agent(&t[i]->orig, &t[i]->bene);
        n += lit(b + n, "<PmtInf>");
        char pid[48];
        size_t pn = 0;
        memcpy(pid, msg, mn);
        pn = mn;
        pid[pn++] = '-';
        pn += gen_put_u64(pid + pn, (uint64_t)++block);
        n += el(b + n, "PmtInfId", pid, pn);
        n += lit(b + n, "<PmtMtd>TRF</PmtMtd><NbOfTxs>");
        n += gen_put_u64(b + n, (uint64_t)cnt);
        n += lit(b + n, "</NbOfTxs><ReqdExctnDt>");
        n += el(b + n, "Dt", day, dn);
        n += lit(b + n, "</ReqdExctnDt>\n");
        n += mx_party(b + n, "Dbtr", &t[i]->orig);
        n += mx_account(b + n, "DbtrAcct", &t[i]->orig);
        n += fin_instn(b + n, "DbtrAgt", da);
        for (int j = i; j < nt; j++) {
            if (done[j] || !same_debtor(t[i], t[j])) continue;
            done[j] = 1;
            const gen_txn *x = t[j];
            n += lit(b + n, "<CdtTrfTxInf>\n");
            n += mx_pmt_id(b + n, x, key);
            n += lit(b + n, "<Amt>");
            n += mx_amount(b + n, "InstdAmt", x);
            n += lit(b + n, "</Amt>\n");
            n += fin_instn(b + n, "CdtrAgt", agent(&x->bene, &x->orig));
            n += mx_party(b + n, "Cdtr", &x->bene);
            n += mx_account(b + n, "CdtrAcct", &x->bene);
            n += mx_remittance(b + n, x);
            n += lit(b + n, "</CdtTrfTxInf>\n");
        }
        n += lit(b + n, "</PmtInf>\n");
    }
    n += lit(b + n, "</CstmrCdtTrfInitn>\n</Document>\n");
    return n;
}

/* ------------------------------------------------------------- SWIFT FIN */

#define CRLF "\r\n"

/* A logical terminal: BIC8, terminal code 'A', branch (XXX if none). */
static size_t lt(char *b, txs_slice bic)
{
    if (bic.n < 8) { /* no agent at all: a placeholder terminal */
        memcpy(b, "UNKNXXXXAXXX", 12);
        return 12;
    }
    memcpy(b, bic.p, 8);
    b[8] = 'A';
    memcpy(b + 9, bic.n == 11 ? bic.p + 8 : "XXX", 3);
    return 12;
}

/* Text in lines of at most w characters after prefix (e.g. "1/"), broken
 * only at spaces (the reader joins 1/ lines with a space and other lines
 * with a line break, so the text reads back as written): a word longer
 * than a line makes a longer line.  At most max lines, the rest dropped. */
static size_t lines(char *b, const char *prefix, const char *s, size_t len, size_t w,
                    int max)
{
    size_t n = 0, i = 0;
    for (int k = 0; i < len && k < max; k++) {
        size_t e = i;
        for (size_t chars = 0; e < len && chars < w; chars++) /* w characters */
            for (e++; e < len && ((unsigned char)s[e] & 0xC0) == 0x80; e++) {}
        if (e < len && s[e] != ' ') {
            size_t sp = e;
            while (sp > i && s[sp] != ' ') sp--;
            if (sp > i) e = sp;
            else /* one word longer than a line: kept whole, never cut */
                while (e < len && s[e] != ' ') e++;
        }
        n += lit(b + n, prefix);
        memcpy(b + n, s + i, e - i);
        n += e - i;
        n += lit(b + n, CRLF);
        i = e;
        while (i < len && s[i] == ' ') i++;
    }
    return n;
}

/* :50F:/:59F: (account, 1/ name, 2/ address, 3/ country) or, without an
 * account, :50K: (name, address lines). */
static size_t mt_party(char *b, int tag, const gen_party *p)
{
    size_t n = 0;
    b[n++] = ':';
    n += gen_put_u64(b + n, (uint64_t)tag);
    if (p->account_n == 0 && tag == 50) {
        n += lit(b + n, "K:");
        n += lines(b + n, "", p->name, p->name_n, GEN_NAME_MAX, 1); /* whole */
        n += lines(b + n, "", p->addr, p->addr_n, 35, 3);
        return n;
    }
    n += lit(b + n, "F:/");
    memcpy(b + n, p->account, p->account_n);
    n += p->account_n;
    n += lit(b + n, CRLF);
    n += lines(b + n, "1/", p->name, p->name_n, 33, 4);
    n += lines(b + n, "2/", p->addr, p->addr_n, 33, 4);
    if (p->cc[0]) {
        n += lit(b + n, "3/");
        b[n++] = p->cc[0];
        b[n++] = p->cc[1];
        n += lit(b + n, CRLF);
    }
    return n;
}

size_t gen_pay_mt103(const gen_txn *t, uint64_t key, char *b)
{
    txs_slice da = agent(&t->orig, &t->bene), ca = agent(&t->bene, &t->orig);
    const gen_currency *c = gen_currency_at(t->cur);
    char ts[24];
    gen_put_ts(ts, t->ts, 1);
    size_t n = 0;
    if (t->seq > 1) b[n++] = '$'; /* RJE: '$' between messages */
    n += lit(b + n, "{1:F01");
    n += lt(b + n, da);
    n += lit(b + n, "0000000000}{2:I103");
    n += lt(b + n, ca);
    n += lit(b + n, "N}{3:{121:");
    n += gen_pay_uetr(key, t->seq, b + n);
    n += lit(b + n, "}}{4:" CRLF ":20:");
    n += ref(b + n, t->seq);
    n += lit(b + n, CRLF ":23B:CRED" CRLF ":32A:");
    memcpy(b + n, ts + 2, 2); /* YYMMDD */
    memcpy(b + n + 2, ts + 5, 2);
    memcpy(b + n + 4, ts + 8, 2);
    n += 6;
    n += lit(b + n, c->code);
    size_t a = gen_put_amount(b + n, t->minor, c->exponent);
    char *dot = memchr(b + n, '.', a);
    if (dot) *dot = ',';
    else b[n + a++] = ',';
    n += a;
    n += lit(b + n, CRLF);
    n += mt_party(b + n, 50, &t->orig);
    if (da.n) {
        n += lit(b + n, ":52A:");
        memcpy(b + n, da.p, da.n);
        n += da.n;
        n += lit(b + n, CRLF);
    }
    if (ca.n) {
        n += lit(b + n, ":57A:");
        memcpy(b + n, ca.p, ca.n);
        n += ca.n;
        n += lit(b + n, CRLF);
    }
    n += mt_party(b + n, 59, &t->bene);
    if (t->purpose_n) {
        n += lit(b + n, ":70:");
        n += lines(b + n, "", t->purpose, t->purpose_n, 35, 4);
    }
    n += lit(b + n, ":71A:SHA" CRLF "-}");
    return n;
}
