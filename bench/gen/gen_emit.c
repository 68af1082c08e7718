/*
 * gen_emit.c: formats drafted transactions as bytes: native CSV (RFC 4180
 * quoting only where a field needs it), native JSONL (same keys, every value
 * a JSON string so amounts stay exact decimals) and AMLworld *_Trans.csv.
 *
 * This is the generator's hot loop: no printf, no allocation, no locale.
 * Every function writes into a caller buffer that has at least GEN_REC_MAX
 * bytes free and returns the byte count; the bounds hold because each draft
 * field is a fixed-size buffer (escaping at most doubles it).
 */
#include <string.h>

#include "gen_int.h"

size_t gen_put_u64(char *buf, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

static size_t put2(char *b, unsigned v)
{
    b[0] = (char)('0' + v / 10);
    b[1] = (char)('0' + v % 10);
    return 2;
}

/* Civil date from days since 1970-01-01 (Gregorian; era arithmetic). */
static void civil(int64_t days, int *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DDThh:mm:ssZ" (iso = 1) or AMLworld's "YYYY/MM/DD hh:mm". */
size_t gen_put_ts(char *b, int64_t ts, int iso)
{
    int64_t days = ts / 86400, sod = ts % 86400;
    int y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    char sep = iso ? '-' : '/';
    size_t n = put2(b, (unsigned)y / 100);
    n += put2(b + n, (unsigned)y % 100);
    b[n++] = sep;
    n += put2(b + n, m);
    b[n++] = sep;
    n += put2(b + n, d);
    b[n++] = iso ? 'T' : ' ';
    n += put2(b + n, (unsigned)(sod / 3600));
    b[n++] = ':';
    n += put2(b + n, (unsigned)(sod / 60 % 60));
    if (iso) {
        b[n++] = ':';
        n += put2(b + n, (unsigned)(sod % 60));
        b[n++] = 'Z';
    }
    return n;
}

/* Minor units as a decimal with `exp` decimals (amounts are never < 0). */
size_t gen_put_amount(char *b, int64_t minor, int exp)
{
    uint64_t div = 1;
    for (int i = 0; i < exp; i++) div *= 10;
    uint64_t v = (uint64_t)minor;
    size_t n = gen_put_u64(b, v / div);
    if (exp > 0) {
        b[n++] = '.';
        uint64_t f = v % div;
        for (int i = exp - 1; i >= 0; i--, f /= 10) b[n + (size_t)i] = (char)('0' + f % 10);
        n += (size_t)exp;
    }
    return n;
}

/* Bytes that force a CSV field into quotes. */
static const uint8_t csv_special[256] = {[','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1};

/* A CSV field: verbatim unless it holds , " CR or LF; then quoted, with
 * inner quotes doubled (RFC 4180). */
static size_t put_csv(char *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && !csv_special[(unsigned char)s[i]]) i++;
    if (i == len) {
        memcpy(b, s, len);
        return len;
    }
    b[0] = '"';
    if (!memchr(s + i, '"', len - i)) { /* the usual case: a comma */
        memcpy(b + 1, s, len);
        b[len + 1] = '"';
        return len + 2;
    }
    size_t n = 1;
    for (i = 0; i < len; i++) {
        if (s[i] == '"') b[n++] = '"';
        b[n++] = s[i];
    }
    b[n++] = '"';
    return n;
}

/* A field known to hold no special byte (ids, codes, BICs, numbers). */
static size_t put_raw(char *b, const char *s, size_t len)
{
    memcpy(b, s, len);
    return len;
}

static size_t put_lit(char *b, const char *s)
{
    size_t n = strlen(s);
    memcpy(b, s, n);
    return n;
}

/* A JSON string value with its quotes; UTF-8 passes through. */
static size_t put_json(char *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    b[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            b[n++] = '\\';
            b[n++] = (char)c;
        } else if (c < 0x20) {
            memcpy(b + n, "\\u00", 4);
            b[n + 4] = hex[c >> 4];
            b[n + 5] = hex[c & 15];
            n += 6;
        } else {
            b[n++] = (char)c;
        }
    }
    b[n++] = '"';
    return n;
}

static const char native_keys[16][16] = {
    "txn_id", "timestamp", "amount", "currency", "channel",
    "orig_account", "orig_name", "orig_country", "orig_bank", "orig_address",
    "bene_account", "bene_name", "bene_country", "bene_bank", "bene_address",
    "purpose"};

size_t gen_format_header(txs_gen_format f, char *buf)
{
    if (f == TXS_GEN_NATIVE_JSONL || txs_gen_format_payments(f)) return 0;
    if (f == TXS_GEN_AMLWORLD)
        return put_lit(buf, "Timestamp,From Bank,Account,To Bank,Account,Amount Received,"
                            "Receiving Currency,Amount Paid,Payment Currency,"
                            "Payment Format,Is Laundering\n");
    size_t n = 0;
    for (int i = 0; i < 16; i++) {
        if (i) buf[n++] = ',';
        n += put_lit(buf + n, native_keys[i]);
    }
    buf[n++] = '\n';
    return n;
}

/* The 16 native values of t as {pointer, length} pairs. */
static void native_fields(const gen_txn *t, char *scratch, txs_slice v[16])
{
    char *p = scratch;
    v[0].p = p;
    p[0] = 'T';
    v[0].n = 1 + gen_put_u64(p + 1, t->seq);
    p += 32;
    v[1].p = p;
    v[1].n = gen_put_ts(p, t->ts, 1);
    p += 32;
    const gen_currency *c = gen_currency_at(t->cur);
    v[2].p = p;
    v[2].n = gen_put_amount(p, t->minor, c->exponent);
    v[3] = (txs_slice){c->code, 3};
    const char *ch = gen_channel_name(t->channel);
    v[4] = (txs_slice){ch, strlen(ch)};
    const gen_party *side[2] = {&t->orig, &t->bene};
    for (int s = 0; s < 2; s++) {
        const gen_party *q = side[s];
        txs_slice *o = v + 5 + 5 * s;
        o[0] = (txs_slice){q->account, q->account_n};
        o[1] = (txs_slice){q->name, q->name_n};
        o[2] = (txs_slice){q->cc, q->cc[0] ? 2u : 0u};
        o[3] = (txs_slice){q->bank, q->bank_n};
        o[4] = (txs_slice){q->addr, q->addr_n};
    }
    v[15] = (txs_slice){t->purpose, t->purpose_n};
}

/* One side's five fields, each followed by a comma. */
static size_t csv_party(char *b, const gen_party *q)
{
    size_t n = put_raw(b, q->account, q->account_n);
    b[n++] = ',';
    n += put_csv(b + n, q->name, q->name_n);
    b[n++] = ',';
    n += put_raw(b + n, q->cc, q->cc[0] ? 2u : 0u);
    b[n++] = ',';
    n += put_raw(b + n, q->bank, q->bank_n);
    b[n++] = ',';
    n += put_csv(b + n, q->addr, q->addr_n);
    b[n++] = ',';
    return n;
}

/* Written field by field rather than through native_fields(): only names,
 * addresses and the purpose can need quotes, so the rest skip the scan. */
static size_t format_csv(const gen_txn *t, char *b)
{
    const gen_currency *c = gen_currency_at(t->cur);
    size_t n = 0;
    b[n++] = 'T';
    n += gen_put_u64(b + n, t->seq);
    b[n++] = ',';
    n += gen_put_ts(b + n, t->ts, 1);
    b[n++] = ',';
    n += gen_put_amount(b + n, t->minor, c->exponent);
    b[n++] = ',';
    n += put_raw(b + n, c->code, 3);
    b[n++] = ',';
    n += put_lit(b + n, gen_channel_name(t->channel));
    b[n++] = ',';
    n += csv_party(b + n, &t->orig);
    n += csv_party(b + n, &t->bene);
    n += put_csv(b + n, t->purpose, t->purpose_n);
    b[n++] = '\n';
    return n;
}

static size_t format_jsonl(const gen_txn *t, char *b)
{
    char scratch[96];
    txs_slice v[16];
    native_fields(t, scratch, v);
    size_t n = 0;
    b[n++] = '{';
    for (int i = 0; i < 16; i++) {
        if (i) b[n++] = ',';
        b[n++] = '"';
        n += put_lit(b + n, native_keys[i]);
        b[n++] = '"';
        b[n++] = ':';
        n += put_json(b + n, v[i].p, v[i].n);
    }
    b[n++] = '}';
    b[n++] = '\n';
    return n;
}

static size_t put_aml_acct(char *b, uint32_t a)
{
    static const char hex[] = "0123456789ABCDEF";
    b[0] = '8';
    for (int i = 0; i < 8; i++) b[1 + i] = hex[(a >> (28 - 4 * i)) & 15];
    return 9;
}

static size_t format_amlworld(const gen_txn *t, int laundering, char *b)
{
    /* AMLworld has no walk-in cash: a deposit is a self-transfer. */
    const gen_party *from = t->orig.account_n ? &t->orig : &t->bene;
    const gen_currency *c = gen_currency_at(t->cur);
    int exp = c->exponent < 2 ? 2 : c->exponent;
    int64_t minor = t->minor;
    for (int i = c->exponent; i < exp; i++) minor *= 10;
    size_t n = gen_put_ts(b, t->ts, 0);
    b[n++] = ',';
    n += gen_put_u64(b + n, from->aml_bank);
    b[n++] = ',';
    n += put_aml_acct(b + n, from->aml_acct);
    b[n++] = ',';
    n += gen_put_u64(b + n, t->bene.aml_bank);
    b[n++] = ',';
    n += put_aml_acct(b + n, t->bene.aml_acct);
    for (int k = 0; k < 2; k++) {
        b[n++] = ',';
        n += gen_put_amount(b + n, minor, exp);
        b[n++] = ',';
        n += put_lit(b + n, c->aml_name);
    }
    b[n++] = ',';
    n += put_lit(b + n, gen_channel_aml(t->channel));
    b[n++] = ',';
    b[n++] = laundering ? '1' : '0';
    b[n++] = '\n';
    return n;
}

size_t gen_format_record(txs_gen_format f, const gen_txn *t, int laundering,
                         char *buf)
{
    switch (f) {
    case TXS_GEN_NATIVE_JSONL: return format_jsonl(t, buf);
    case TXS_GEN_AMLWORLD: return format_amlworld(t, laundering, buf);
    case TXS_GEN_NATIVE_CSV: break;
    case TXS_GEN_PACS008: case TXS_GEN_PAIN001: case TXS_GEN_MT103:
        return 0; /* messages: gen.c formats them through gen_pay.c */
    }
    return format_csv(t, buf);
}
