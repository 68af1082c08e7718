/*
 * mx_read.c: ISO 20022 payment messages (pacs.008, pacs.009 core/COV/ADV,
 * pacs.004, pain.001) into payment transactions, streamed with libxml2's
 * SAX2 push parser: no tree is built, and the work per element is one
 * pointer look-up (element names are interned in the parser's dictionary
 * once per file, so a name is its pointer) and a switch on the path state.
 *
 *   <txs-wrap>  file bytes, XML declarations blanked  </txs-wrap>
 *      message       each element at depth 1: a bare Document, or a
 *                    wrapper (Envelope, RequestPayload ...) holding
 *                    AppHdr (head.001) and Document at any depth
 *        Document    the namespace names the message and its version
 *          GrpHdr    -> group layer (MsgId, settlement date, reimbursement
 *                       agents, pain.001 initiating party)
 *          PmtInf    -> block layer (pain.001 debtor, its account, agent)
 *          CdtTrfTxInf / TxInf -> txn layer, one transaction at its end
 *            UndrlygCstmrCdtTrf (COV) / OrgnlTxRef (pacs.004): parties
 *            in the underlying / original scope
 *
 * The synthetic wrapper lets one file hold several documents (each with
 * its declaration, which is blanked with spaces so lines and columns do
 * not move).  A role element (Dbtr, CdtrAgt, IntrmyAgt2 ...) opens a party
 * until it closes; its account (DbtrAcct ...) fills the same party.  Each
 * captured value's source is the element path from its level element.
 * Memory is one transaction, its payment information block and its
 * group header: three arenas reset with their elements.
 *
 * A file that is not well-formed stops at the error, which rejects the
 * message it is in (the messages after it in that file are not read, and
 * the reject says so).  DTDs and entities are not loaded (no network, no
 * external entity), and a DOCTYPE inside the wrapper is a well-formedness
 * error, so no entity expansion happens at all.
 */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payments_int.h"
#include "txs/limits.h"

#define MX_MAX_DEPTH 64
#define MX_MAX_TEXT (64u * 1024u)
#define NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:"

/* ------------------------------------------------------------- names */

/* X(name, role of the element, role whose account it is) */
#define MX_NAMES(X)                                                                  \
    X(Document, -1, -1) X(AppHdr, -1, -1) X(Fr, -1, -1) X(To, -1, -1)                \
    X(FIId, -1, -1) X(FinInstnId, -1, -1) X(BICFI, -1, -1) X(BIC, -1, -1)             \
    X(AnyBIC, -1, -1) X(BICOrBEI, -1, -1) X(BizMsgIdr, -1, -1) X(MsgDefIdr, -1, -1)   \
    X(Rltd, -1, -1) X(GrpHdr, -1, -1) X(PmtInf, -1, -1) X(CdtTrfTxInf, -1, -1)        \
    X(TxInf, -1, -1) X(UndrlygCstmrCdtTrf, -1, -1) X(OrgnlTxRef, -1, -1)              \
    X(MsgId, -1, -1) X(CreDtTm, -1, -1) X(IntrBkSttlmDt, -1, -1) X(PmtInfId, -1, -1)  \
    X(ReqdExctnDt, -1, -1) X(Dt, -1, -1) X(DtTm, -1, -1) X(PmtId, -1, -1)             \
    X(InstrId, -1, -1) X(EndToEndId, -1, -1) X(TxId, -1, -1) X(UETR, -1, -1)          \
    X(OrgnlInstrId, -1, -1) X(OrgnlEndToEndId, -1, -1) X(OrgnlTxId, -1, -1)           \
    X(OrgnlUETR, -1, -1) X(RtrId, -1, -1) X(RmtInf, -1, -1) X(Ustrd, -1, -1)          \
    X(Ref, -1, -1) X(AddtlRmtInf, -1, -1) X(RgltryRptg, -1, -1) X(Inf, -1, -1)        \
    X(InstrForCdtrAgt, -1, -1) X(InstrForNxtAgt, -1, -1) X(InstrInf, -1, -1)          \
    X(Purp, -1, -1) X(Cd, -1, -1) X(Prtry, -1, -1) X(ChrgBr, -1, -1)                  \
    X(IntrBkSttlmAmt, -1, -1) X(RtrdIntrBkSttlmAmt, -1, -1) X(InstdAmt, -1, -1)       \
    X(RtrdInstdAmt, -1, -1) X(Amt, -1, -1) X(Pty, -1, -1) X(Agt, -1, -1)              \
    X(Nm, -1, -1) X(LEI, -1, -1) X(Othr, -1, -1) X(Id, -1, -1) X(SchmeNm, -1, -1)     \
    X(IBAN, -1, -1) X(PstlAdr, -1, -1) X(StrtNm, -1, -1) X(BldgNb, -1, -1)            \
    X(PstCd, -1, -1) X(TwnNm, -1, -1) X(CtrySubDvsn, -1, -1) X(Ctry, -1, -1)          \
    X(AdrLine, -1, -1) X(CtryOfRes, -1, -1) X(ClrSysMmbId, -1, -1) X(ClrSysId, -1, -1) \
    X(MmbId, -1, -1) X(BrnchId, -1, -1) X(CtctDtls, -1, -1) X(AdrTp, -1, -1)          \
    X(FIToFICstmrCdtTrf, -1, -1) X(FICdtTrf, -1, -1) X(PmtRtr, -1, -1)                \
    X(CstmrCdtTrfInitn, -1, -1) X(EqvtAmt, -1, -1) X(ChrgsInf, -1, -1) X(Tp, -1, -1) X(Prxy, -1, -1)     \
    X(Dbtr, TXS_ROLE_DEBTOR, -1) X(Cdtr, TXS_ROLE_CREDITOR, -1)                       \
    X(UltmtDbtr, TXS_ROLE_ULT_DEBTOR, -1) X(UltmtCdtr, TXS_ROLE_ULT_CREDITOR, -1)     \
    X(InitgPty, TXS_ROLE_INITIATING, -1) X(DbtrAgt, TXS_ROLE_DEBTOR_AGENT, -1)        \
    X(CdtrAgt, TXS_ROLE_CREDITOR_AGENT, -1) X(IntrmyAgt1, TXS_ROLE_INTERMEDIARY1, -1) \
    X(IntrmyAgt2, TXS_ROLE_INTERMEDIARY2, -1) X(IntrmyAgt3, TXS_ROLE_INTERMEDIARY3, -1) \
    X(InstgAgt, TXS_ROLE_INSTRUCTING, -1) X(InstdAgt, TXS_ROLE_INSTRUCTED, -1)        \
    X(PrvsInstgAgt1, TXS_ROLE_PREV_INSTRUCTING1, -1)                                  \
    X(PrvsInstgAgt2, TXS_ROLE_PREV_INSTRUCTING2, -1)                                  \
    X(PrvsInstgAgt3, TXS_ROLE_PREV_INSTRUCTING3, -1)                                  \
    X(InstgRmbrsmntAgt, TXS_ROLE_INSTG_REIMB, -1)                                     \
    X(InstdRmbrsmntAgt, TXS_ROLE_INSTD_REIMB, -1)                                     \
    X(ThrdRmbrsmntAgt, TXS_ROLE_THIRD_REIMB, -1)                                      \
    X(DbtrAcct, -1, TXS_ROLE_DEBTOR) X(CdtrAcct, -1, TXS_ROLE_CREDITOR)               \
    X(DbtrAgtAcct, -1, TXS_ROLE_DEBTOR_AGENT) X(CdtrAgtAcct, -1, TXS_ROLE_CREDITOR_AGENT) \
    X(IntrmyAgt1Acct, -1, TXS_ROLE_INTERMEDIARY1)                                     \
    X(IntrmyAgt2Acct, -1, TXS_ROLE_INTERMEDIARY2)                                     \
    X(IntrmyAgt3Acct, -1, TXS_ROLE_INTERMEDIARY3)                                     \
    X(PrvsInstgAgt1Acct, -1, TXS_ROLE_PREV_INSTRUCTING1)                              \
    X(PrvsInstgAgt2Acct, -1, TXS_ROLE_PREV_INSTRUCTING2)                              \
    X(PrvsInstgAgt3Acct, -1, TXS_ROLE_PREV_INSTRUCTING3)                              \
    X(InstgRmbrsmntAgtAcct, -1, TXS_ROLE_INSTG_REIMB)                                 \
    X(InstdRmbrsmntAgtAcct, -1, TXS_ROLE_INSTD_REIMB)                                 \
    X(ThrdRmbrsmntAgtAcct, -1, TXS_ROLE_THIRD_REIMB)

enum {
    N_OTHER = 0,
#define X_ENUM(n, r, a) N_##n,
    MX_NAMES(X_ENUM)
#undef X_ENUM
    N_COUNT
};

static const struct {
    const char *s;
    int8_t role, acct;
} names[N_COUNT] = {
    [N_OTHER] = {"", -1, -1},
#define X_TAB(n, r, a) [N_##n] = {#n, r, a},
    MX_NAMES(X_TAB)
#undef X_TAB
};

/* Pointer -> id: the dictionary pointers of the names above. */
#define HASH_SLOTS 512u
typedef struct name_slot {
    const xmlChar *p;
    int id;
} name_slot;

typedef struct frame {
    int id;
    const xmlChar *name;
} frame;

enum { CAP_SET = 1, CAP_APPEND, CAP_APPEND_SP, CAP_DATE, CAP_FALLBACK_DATE, CAP_DEF, CAP_FR, CAP_TO };

struct txs_mx_reader {
    const txs_pay_ctx *c;
    xmlParserCtxtPtr ctxt;
    name_slot slot[HASH_SLOTS];
    frame st[MX_MAX_DEPTH + 1];
    int depth;
    /* declaration filter */
    int in_decl, began;
    char carry[8];
    size_t ncarry;
    char *fbuf;
    size_t fcap;
    /* the message */
    uint64_t msgno, msg_line, txn_line;
    int doc_depth, app_depth, grp_depth, blk_depth, txn_depth, scope, scope_depth;
    int skip_depth, has_doc, msg_bad, txn_bad, ntx, ntx_ok, family, grp_fallback;
    char kind[48], hdr_def[48], fr[16], to[16], why[256], where[256];
    txs_arena a_grp, a_blk, a_txn;
    txs_pay_layer grp, blk, txn;
    /* the party being read */
    txs_pay_party *party;
    int party_depth, acct;
    /* the value being read */
    int cap, cap_depth, cap_base;
    txs_slice *cap_v, *cap_s;
    txs_pay_layer *cap_l;
    txs_arena *cap_a;
    char *txt;
    size_t ntxt;
    txs_pay_out out;
    int fatal;          /* out of memory or a sink's status: the read stops */
};

static unsigned slot_of(const xmlChar *p)
{
    uintptr_t v = (uintptr_t)p;
    return (unsigned)(((v >> 3) * UINT64_C(0x9E3779B97F4A7C15)) >> 55) & (HASH_SLOTS - 1);
}

static int name_id(const txs_mx_reader *x, const xmlChar *p)
{
    for (unsigned i = slot_of(p);; i = (i + 1) & (HASH_SLOTS - 1)) {
        if (x->slot[i].p == p) return x->slot[i].id;
        if (x->slot[i].p == NULL) return N_OTHER;
    }
}

static int intern(txs_mx_reader *x)
{
    memset(x->slot, 0, sizeof x->slot);
    for (int id = 1; id < N_COUNT; id++) {
        const xmlChar *p = xmlDictLookup(x->ctxt->dict, (const xmlChar *)names[id].s, -1);
        if (p == NULL) return TXS_E_NOMEM;
        unsigned i = slot_of(p);
        while (x->slot[i].p) i = (i + 1) & (HASH_SLOTS - 1);
        x->slot[i] = (name_slot){p, id};
    }
    return 0;
}

/* ---------------------------------------------------------- rejecting */

static int parent(const txs_mx_reader *x, int up)
{
    return x->depth - up >= 1 && x->depth - up <= MX_MAX_DEPTH ? x->st[x->depth - up].id : -1;
}

/* The element path from depth `base` to the current element. */
static size_t path(const txs_mx_reader *x, int base, char *o, size_t cap)
{
    size_t k = 0;
    if (cap == 0) return 0;
    o[0] = 0;
    for (int d = base < 2 ? 2 : base; d <= x->depth && d <= MX_MAX_DEPTH; d++) {
        int w = snprintf(o + k, cap - k, "%s%s", k ? "/" : "", (const char *)x->st[d].name);
        if (w < 0 || (size_t)w >= cap - k) return k;
        k += (size_t)w;
    }
    return k;
}

/* Mark the transaction (or, outside one, the message) bad: first reason
 * wins. */
static void bad(txs_mx_reader *x, int base, const char *fmt_reason)
{
    int *flag = x->txn_depth ? &x->txn_bad : &x->msg_bad;
    if (*flag) return;
    *flag = 1;
    snprintf(x->why, sizeof x->why, "%s", fmt_reason);
    if (base >= 0) path(x, base, x->where, sizeof x->where);
    else x->where[0] = 0;
}

static int level_base(const txs_mx_reader *x)
{
    return x->txn_depth ? x->txn_depth
           : x->blk_depth ? x->blk_depth
           : x->grp_depth ? x->grp_depth
           : x->app_depth ? x->app_depth
                          : x->doc_depth;
}

static txs_pay_layer *layer(txs_mx_reader *x, txs_arena **a)
{
    if (x->txn_depth) return *a = &x->a_txn, &x->txn;
    if (x->blk_depth) return *a = &x->a_blk, &x->blk;
    return *a = &x->a_grp, &x->grp;
}

/* ------------------------------------------------------------ capture */

static void capture(txs_mx_reader *x, int kind, txs_slice *v, txs_slice *s)
{
    if (x->cap) return;   /* nested captures do not happen in the schemas */
    x->cap = kind;
    x->cap_depth = x->depth;
    x->cap_base = level_base(x);
    x->cap_v = v;
    x->cap_s = s;
    x->cap_l = layer(x, &x->cap_a);
    x->ntxt = 0;
}

static void on_chars(void *ctx, const xmlChar *p, int n)
{
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (!x->cap || n <= 0) return;
    size_t k = (size_t)n;
    if (x->ntxt + k > MX_MAX_TEXT) k = MX_MAX_TEXT - x->ntxt;
    memcpy(x->txt + x->ntxt, p, k);
    x->ntxt += k;
}

static int commit(txs_mx_reader *x)
{
    int kind = x->cap;
    x->cap = 0;
    const char *p = x->txt, *e = x->txt + x->ntxt;
    while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t')) e--;
    size_t n = (size_t)(e - p);
    if (n == 0) return 0;
    if (kind == CAP_DEF || kind == CAP_FR || kind == CAP_TO) {
        char *o = kind == CAP_DEF ? x->hdr_def : kind == CAP_FR ? x->fr : x->to;
        snprintf(o, kind == CAP_DEF ? sizeof x->hdr_def : sizeof x->fr, "%.*s", (int)n, p);
        return 0;
    }
    char where[256];
    size_t wn = path(x, x->cap_base, where, sizeof where);
    txs_pay_layer *l = x->cap_l;
    if (kind == CAP_DATE || kind == CAP_FALLBACK_DATE) {
        if (kind == CAP_FALLBACK_DATE && (l->has_ts && !x->grp_fallback)) return 0;
        const char *why = NULL;
        int64_t ts;
        if (txs__pay_date(p, n, &ts, &why) < 0) {
            /* The creation time is only the last resort for the value
             * date: a bad one (the CURRENT_TIME placeholders of converter
             * test outputs) leaves the date to the message's own. */
            if (kind == CAP_FALLBACK_DATE) return 0;
            char r[200];
            snprintf(r, sizeof r, "bad date '%.*s' (%s)", (int)(n > 40 ? 40 : n), p, why);
            bad(x, x->cap_base, r);
            return 0;
        }
        if (kind == CAP_DATE && l->has_ts && !(l == &x->grp && x->grp_fallback)) return 0;
        l->ts = ts;
        l->has_ts = 1;
        if (l == &x->grp) x->grp_fallback = kind == CAP_FALLBACK_DATE;
        char *w = txs_arena_dup(x->cap_a, where, wn);
        if (w == NULL) return TXS_E_NOMEM;
        l->date_src = (txs_slice){w, wn};
        return 0;
    }
    if (kind == CAP_SET && x->cap_v->n) return 0;   /* the first one counts */
    if (x->cap_v->n == 0 || kind == CAP_SET) {
        char *v = txs_arena_dup(x->cap_a, p, n), *w = txs_arena_dup(x->cap_a, where, wn);
        if (v == NULL || w == NULL) return TXS_E_NOMEM;
        *x->cap_v = (txs_slice){v, n};
        *x->cap_s = (txs_slice){w, wn};
        return 0;
    }
    size_t at = x->cap_v->n;
    TXS_TRY(txs__pay_append(x->cap_a, x->cap_v, p, n));
    if (kind == CAP_APPEND_SP) ((char *)x->cap_v->p)[at] = ' ';
    return 0;
}

/* --------------------------------------------------------------- parties */

static void party_value(txs_mx_reader *x, int f, int kind)
{
    capture(x, kind, &x->party->v[f], &x->party->src[f]);
}

/* An element inside a party (or its account).  Branches, contacts and
 * address types say nothing about who the party is: skipped whole. */
static void party_leaf(txs_mx_reader *x, int id)
{
    int up = parent(x, 1);
    if (id == N_BrnchId || id == N_CtctDtls || id == N_AdrTp || id == N_Prxy || id == N_Tp) {
        x->skip_depth = x->depth;
        return;
    }
    if (x->acct) {
        if (id == N_IBAN) party_value(x, TXS_PF_IBAN, CAP_SET);
        else if (id == N_Id && up == N_Othr) party_value(x, TXS_PF_ACCOUNT, CAP_SET);
        return;
    }
    switch (id) {
    case N_Nm:
        if (up == N_FinInstnId || up == N_Pty || up == N_Agt || x->depth == x->party_depth + 1)
            party_value(x, TXS_PF_NAME, CAP_SET);
        return;
    case N_BICFI: case N_BIC: case N_AnyBIC: case N_BICOrBEI:
        party_value(x, TXS_PF_BIC, CAP_SET);
        return;
    case N_LEI: party_value(x, TXS_PF_LEI, CAP_SET); return;
    case N_Id:
        if (up == N_Othr) party_value(x, TXS_PF_OTHER_ID, CAP_SET);
        return;
    case N_MmbId: party_value(x, TXS_PF_OTHER_ID, CAP_SET); return;
    case N_Cd: case N_Prtry:
        if (up == N_SchmeNm || up == N_ClrSysId) party_value(x, TXS_PF_SCHEME, CAP_SET);
        return;
    case N_StrtNm: party_value(x, TXS_PF_STREET, CAP_SET); return;
    case N_BldgNb: party_value(x, TXS_PF_BUILDING, CAP_SET); return;
    case N_PstCd: party_value(x, TXS_PF_POSTCODE, CAP_SET); return;
    case N_TwnNm: party_value(x, TXS_PF_TOWN, CAP_SET); return;
    case N_CtrySubDvsn: party_value(x, TXS_PF_SUBDIVISION, CAP_SET); return;
    case N_AdrLine: party_value(x, TXS_PF_LINES, CAP_APPEND); return;
    case N_Ctry:
        if (up == N_PstlAdr) party_value(x, TXS_PF_COUNTRY, CAP_SET);
        return;
    case N_CtryOfRes: party_value(x, TXS_PF_COUNTRY, CAP_SET); return;
    default: return;
    }
}

static void open_party(txs_mx_reader *x, int id)
{
    int role = names[id].role >= 0 ? names[id].role : names[id].acct;
    txs_arena *a;
    txs_pay_layer *l = layer(x, &a);
    x->party = txs__pay_party(l, role, x->scope);
    if (x->party == NULL) {
        x->skip_depth = x->depth;   /* counted: the transaction is rejected */
        return;
    }
    x->party_depth = x->depth;
    x->acct = names[id].acct >= 0;
}

/* ------------------------------------------------------------ messages */

static const struct {
    const char *family;
    int code, root;
} families[] = {
    {"pacs.008", 8, N_FIToFICstmrCdtTrf},
    {"pacs.009", 9, N_FICdtTrf},
    {"pacs.004", 4, N_PmtRtr},
    {"pain.001", 1, N_CstmrCdtTrfInitn},
};

/* The message and version from the Document's namespace. */
static void document(txs_mx_reader *x, const xmlChar *uri)
{
    x->doc_depth = x->depth;
    x->has_doc = 1;
    const char *u = uri ? (const char *)uri : "";
    size_t pn = sizeof NS_PREFIX - 1;
    char r[200];
    if (strncmp(u, NS_PREFIX, pn) != 0) {
        snprintf(r, sizeof r, "the Document namespace '%.80s' is not an ISO 20022 message", u);
        return bad(x, x->depth, r);
    }
    const char *k = u + pn;
    for (size_t i = 0; i < TXS_ARRAY_LEN(families); i++) {
        size_t fl = strlen(families[i].family);
        if (strncmp(k, families[i].family, fl) != 0) continue;
        const char *v = k + fl;
        /* .001.NN: every version whose elements this reader knows (02-13) */
        int ok = strlen(v) == 7 && strncmp(v, ".001.", 5) == 0 && v[5] >= '0' && v[5] <= '1' &&
                 v[6] >= '0' && v[6] <= '9';
        int ver = ok ? (v[5] - '0') * 10 + (v[6] - '0') : 0;
        if (ver < 2 || ver > 13) break;
        x->family = families[i].code;
        snprintf(x->kind, sizeof x->kind, "%s", k);
        if (x->hdr_def[0] && strcmp(x->hdr_def, x->kind) != 0) {
            snprintf(r, sizeof r, "AppHdr/MsgDefIdr '%s' does not name the Document's message '%s'",
                     x->hdr_def, x->kind);
            bad(x, -1, r);
            snprintf(x->where, sizeof x->where, "AppHdr/MsgDefIdr");
            return;
        }
        return;
    }
    snprintf(r, sizeof r, "unsupported message type or version '%.60s'", k);
    bad(x, x->depth, r);
}

static void message_start(txs_mx_reader *x)
{
    x->msgno++;
    x->msg_line = (uint64_t)xmlSAX2GetLineNumber(x->ctxt);
    x->doc_depth = x->app_depth = x->grp_depth = x->blk_depth = x->txn_depth = 0;
    x->scope = x->scope_depth = x->skip_depth = 0;
    x->has_doc = x->msg_bad = x->txn_bad = x->ntx = x->ntx_ok = x->family = 0;
    x->grp_fallback = 0;
    x->kind[0] = x->hdr_def[0] = x->where[0] = x->fr[0] = x->to[0] = 0;
    x->party = NULL;
    x->cap = 0;
    txs_arena_reset(&x->a_grp);
    txs__pay_layer_reset(&x->grp);
}

static int reject(txs_mx_reader *x, uint64_t line)
{
    return txs__pay_reject(x->c, x->msgno, line, x->where, x->why);
}

static int message_end(txs_mx_reader *x)
{
    txs_pay_counts *n = x->c->counts;
    n->messages++;
    if (!x->msg_bad && !x->has_doc)
        bad(x, -1, "no ISO 20022 Document element in the message");
    if (!x->msg_bad && x->ntx == 0)
        bad(x, -1, "no transaction (CdtTrfTxInf or TxInf) in the message");
    if (x->msg_bad) {
        n->rejected++;
        return reject(x, x->msg_line);
    }
    if (x->ntx_ok) n->mapped++;
    else n->rejected++;   /* each transaction's reject says why */
    return 0;
}

static int has_party(const txs_pay_layer *const *l, size_t n, int role)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < l[i]->nparty; j++)
            if (l[i]->party[j].role == role && l[i]->party[j].scope == TXS_SCOPE_TXN) return 1;
    return 0;
}

/* A BIC with its "XXX" branch dropped: BANKDEFFXXX is BANKDEFF. */
static size_t bic8(const char *p, size_t n)
{
    return n == 11 && memcmp(p + 8, "XXX", 3) == 0 ? 8 : n;
}

static const txs_pay_party *agent(const txs_pay_layer *const *l, size_t n, int role)
{
    for (size_t i = n; i-- > 0;)
        for (size_t j = 0; j < l[i]->nparty; j++)
            if (l[i]->party[j].role == role && l[i]->party[j].scope == TXS_SCOPE_TXN)
                return &l[i]->party[j];
    return NULL;
}

/* The business application header's sender and receiver are the
 * instructing and instructed agents, and its BizMsgIdr carries the group
 * header's MsgId (CBPR+ usage rules; a message that breaks them is
 * inconsistent about who sent it). */
static void header_agrees(txs_mx_reader *x, const txs_pay_layer *const *l, size_t n)
{
    static const struct { int cap_fr; int role; const char *el, *agt; } sides[] = {
        {1, TXS_ROLE_INSTRUCTING, "AppHdr/Fr", "InstgAgt"},
        {0, TXS_ROLE_INSTRUCTED, "AppHdr/To", "InstdAgt"},
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(sides); i++) {
        const char *h = sides[i].cap_fr ? x->fr : x->to;
        const txs_pay_party *a = agent(l, n, sides[i].role);
        if (!h[0] || a == NULL || a->v[TXS_PF_BIC].n == 0) continue;
        txs_slice b = a->v[TXS_PF_BIC];
        size_t hn = bic8(h, strlen(h)), bn = bic8(b.p, b.n);
        if (hn == bn && memcmp(h, b.p, hn) == 0) continue;
        char r[200];
        snprintf(r, sizeof r, "%s BIC '%s' is not the %s BIC '%.*s'", sides[i].el, h,
                 sides[i].agt, (int)b.n, b.p);
        bad(x, -1, r);
        snprintf(x->where, sizeof x->where, "%s", sides[i].el);
        return;
    }
    txs_slice bz = x->grp.ref[TXS_PR_BIZ_MSG_ID], id = x->grp.ref[TXS_PR_MSG_ID];
    int carries = 0;
    for (size_t k = 0; !carries && k + id.n <= bz.n; k++) carries = memcmp(bz.p + k, id.p, id.n) == 0;
    if (bz.n && id.n && !carries) {
        char r[200];
        snprintf(r, sizeof r, "AppHdr/BizMsgIdr '%.60s' does not carry GrpHdr/MsgId '%.60s'",
                 bz.p, id.p);
        bad(x, -1, r);
        snprintf(x->where, sizeof x->where, "AppHdr/BizMsgIdr");
    }
}

static int txn_end(txs_mx_reader *x)
{
    const txs_pay_layer *layers[3] = {&x->grp, &x->blk, &x->txn};
    size_t nl = 3;
    if (!x->blk_depth) layers[1] = &x->txn, nl = 2;
    static const struct { int family, role; const char *el; } need[] = {
        {8, TXS_ROLE_DEBTOR, "Dbtr"}, {8, TXS_ROLE_CREDITOR, "Cdtr"},
        {8, TXS_ROLE_DEBTOR_AGENT, "DbtrAgt"}, {8, TXS_ROLE_CREDITOR_AGENT, "CdtrAgt"},
        {9, TXS_ROLE_DEBTOR, "Dbtr"}, {9, TXS_ROLE_CREDITOR, "Cdtr"},
        {1, TXS_ROLE_DEBTOR, "PmtInf/Dbtr"}, {1, TXS_ROLE_CREDITOR, "Cdtr"},
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(need) && !x->txn_bad; i++) {
        if (need[i].family != x->family || has_party(layers, nl, need[i].role)) continue;
        char r[120];
        snprintf(r, sizeof r, "mandatory element %s is missing", need[i].el);
        bad(x, x->txn_depth, r);
    }
    if (!x->txn_bad) header_agrees(x, layers, nl);
    txs_pay_counts *n = x->c->counts;
    txs_txn t;
    int rc = 0;
    if (!x->txn_bad) {
        txs_pay_out *o = &x->out;
        o->kind = x->kind;
        o->file = x->c->file;
        o->message = x->msgno;
        o->file_index = x->c->file_index;
        o->line = x->txn_line;
        o->offset = 0;
        o->arena = &x->a_txn;
        const char *where = "";
        rc = txs__pay_finish(layers, nl, o, &t, &where, x->why, sizeof x->why);
        if (rc == TXS_E_FORMAT) {
            snprintf(x->where, sizeof x->where, "%s", where);
            x->txn_bad = 1;
        } else if (rc < 0) {
            return rc;
        }
    }
    x->ntx++;
    if (x->txn_bad) {
        n->txn_rejects++;
        return txs__pay_reject(x->c, x->msgno, x->txn_line, x->where, x->why);
    }
    x->ntx_ok++;
    n->txns++;
    return x->c->sink->txn ? x->c->sink->txn(x->c->sink->ctx, &t) : 0;
}

static void txn_start(txs_mx_reader *x)
{
    x->txn_depth = x->depth;
    x->txn_bad = 0;
    x->txn_line = (uint64_t)xmlSAX2GetLineNumber(x->ctxt);
    txs_arena_reset(&x->a_txn);
    txs__pay_layer_reset(&x->txn);
}

/* A transaction-level (or group / block) element outside any party. */
static void plain(txs_mx_reader *x, int id, const xmlChar **attrs, int nattr)
{
    int up = parent(x, 1);
    txs_arena *a;
    txs_pay_layer *l = layer(x, &a);
    int und = x->scope != TXS_SCOPE_TXN;
#define REF(r, k) capture(x, k, &l->ref[r], &l->ref_src[r])
    switch (id) {
    case N_MsgId: if (up == N_GrpHdr) REF(TXS_PR_MSG_ID, CAP_SET); return;
    case N_CreDtTm: if (up == N_GrpHdr) capture(x, CAP_FALLBACK_DATE, NULL, NULL); return;
    case N_IntrBkSttlmDt: if (!und) capture(x, CAP_DATE, NULL, NULL); return;
    case N_ReqdExctnDt: if (up == N_PmtInf) capture(x, CAP_DATE, NULL, NULL); return;
    case N_Dt: case N_DtTm: if (up == N_ReqdExctnDt) capture(x, CAP_DATE, NULL, NULL); return;
    case N_PmtInfId: REF(TXS_PR_PMT_INF_ID, CAP_SET); return;
    case N_InstrId: case N_OrgnlInstrId: if (!und) REF(TXS_PR_INSTR_ID, CAP_SET); return;
    case N_EndToEndId: case N_OrgnlEndToEndId: if (!und) REF(TXS_PR_END_TO_END, CAP_SET); return;
    case N_TxId: case N_OrgnlTxId: if (!und) REF(TXS_PR_TX_ID, CAP_SET); return;
    case N_UETR: case N_OrgnlUETR: if (!und) REF(TXS_PR_UETR, CAP_SET); return;
    case N_RtrId: REF(TXS_PR_RETURN_ID, CAP_SET); return;
    case N_Ustrd: case N_Ref: case N_AddtlRmtInf: REF(TXS_PR_REMITTANCE, CAP_APPEND); return;
    case N_Inf: if (parent(x, 2) == N_RgltryRptg || parent(x, 3) == N_RgltryRptg) REF(TXS_PR_REGULATORY, CAP_APPEND); return;
    case N_RgltryRptg: return;
    case N_InstrInf: REF(TXS_PR_INSTRUCTIONS, CAP_APPEND); return;
    case N_Cd: case N_Prtry: if (up == N_Purp) REF(TXS_PR_PURPOSE, CAP_SET); return;
    case N_ChrgBr: REF(TXS_PR_CHARGES, CAP_SET); return;
    case N_ChrgsInf: x->skip_depth = x->depth; return;
    default: break;
    }
#undef REF
    int settle = id == N_IntrBkSttlmAmt || id == N_RtrdIntrBkSttlmAmt ||
                 (id == N_InstdAmt && up == N_Amt) || (id == N_Amt && up == N_EqvtAmt);
    if (!settle && id != N_InstdAmt && id != N_RtrdInstdAmt) return;
    if (!x->txn_depth) return;   /* TtlIntrBkSttlmAmt and the like: not one payment */
    txs_slice ccy = {NULL, 0};
    for (int i = 0; i < nattr; i++) {
        const xmlChar **at = attrs + 5 * i;
        if (strcmp((const char *)at[0], "Ccy") == 0)
            ccy = (txs_slice){(const char *)at[3], (size_t)(at[4] - at[3])};
    }
    if (settle && !und) {
        if (l->amount.n) return;
        l->ccy = (txs_slice){txs_arena_dup(a, ccy.p ? ccy.p : "", ccy.n), ccy.n};
        capture(x, CAP_SET, &l->amount, &l->amount_src);
        return;
    }
    /* the instructed amount: kept as written, "EUR 100.00" */
    if (l->ref[TXS_PR_INSTD_AMT].n) return;
    char *c = txs_arena_dup(a, ccy.p ? ccy.p : "", ccy.n);
    if (c == NULL) return;
    l->ref[TXS_PR_INSTD_AMT] = (txs_slice){c, ccy.n};
    capture(x, CAP_APPEND_SP, &l->ref[TXS_PR_INSTD_AMT], &l->ref_src[TXS_PR_INSTD_AMT]);
}

/* ------------------------------------------------------------ SAX events */

/* Any amount in a precious metal (Ccy="XAU"): CBPR+ allows none. */
static void commodity_attr(txs_mx_reader *x, const xmlChar **attrs, int nattr)
{
    static const char *const metals[] = {"XAU", "XAG", "XPT", "XPD"};
    for (int i = 0; i < nattr; i++) {
        const xmlChar **at = attrs + 5 * i;
        if (strcmp((const char *)at[0], "Ccy") != 0 || at[4] - at[3] != 3) continue;
        for (size_t k = 0; k < TXS_ARRAY_LEN(metals); k++)
            if (memcmp(at[3], metals[k], 3) == 0) {
                char r[120];
                snprintf(r, sizeof r, "currency '%s' is a precious metal, not a payment currency",
                         metals[k]);
                bad(x, level_base(x), r);
            }
    }
}

static void stop(txs_mx_reader *x, int rc)
{
    if (x->fatal == 0) x->fatal = rc;
    xmlStopParser(x->ctxt);
}

/* Where an element of the Document goes: levels, scopes, parties, values.
 * The hot path: one switch per element, most elements fall through. */
static void in_document(txs_mx_reader *x, int id, const xmlChar **attrs, int nattr)
{
    int rel = x->depth - x->doc_depth;
    if (rel == 1) {
        for (size_t i = 0; i < TXS_ARRAY_LEN(families); i++)
            if (families[i].code == x->family && families[i].root != id) {
                char r[160];
                snprintf(r, sizeof r, "the Document holds %s, not the message its namespace "
                                      "names (%s)", (const char *)x->st[x->depth].name, x->kind);
                bad(x, x->depth, r);
            }
        return;
    }
    if (x->party) return party_leaf(x, id);
    if (rel == 2 && id == N_GrpHdr) {
        x->grp_depth = x->depth;
        return;
    }
    if (rel == 2 && id == N_PmtInf) {
        x->blk_depth = x->depth;
        txs_arena_reset(&x->a_blk);
        txs__pay_layer_reset(&x->blk);
        return;
    }
    if ((id == N_CdtTrfTxInf || id == N_TxInf) && !x->txn_depth &&
        (rel == 2 || (x->blk_depth && x->depth == x->blk_depth + 1)))
        return txn_start(x);
    if (!x->grp_depth && !x->blk_depth && !x->txn_depth) return;
    if (id == N_UndrlygCstmrCdtTrf && x->txn_depth) {
        x->scope = TXS_SCOPE_UNDERLYING, x->scope_depth = x->depth;
        return;
    }
    if (id == N_OrgnlTxRef && x->txn_depth) {
        x->scope = TXS_SCOPE_ORIGINAL, x->scope_depth = x->depth;
        return;
    }
    if (names[id].role >= 0 || names[id].acct >= 0) return open_party(x, id);
    plain(x, id, attrs, nattr);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    int d = ++x->depth;
    if (d > MX_MAX_DEPTH) {
        if (!x->msg_bad) bad(x, -1, "elements nested deeper than 64");
        return;
    }
    int id = name_id(x, local);
    x->st[d] = (frame){id, local};
    if (d == 2) message_start(x);
    if (d < 2 || x->msg_bad || x->skip_depth || x->cap) return;
    if (x->doc_depth) {
        if (nattr) commodity_attr(x, attrs, nattr);
        return in_document(x, id, attrs, nattr);
    }
    if (id == N_Document) return document(x, uri);
    if (id == N_AppHdr && !x->app_depth) {
        x->app_depth = d;
        return;
    }
    if (x->app_depth && d == x->app_depth + 1) {
        if (id == N_BizMsgIdr)
            capture(x, CAP_SET, &x->grp.ref[TXS_PR_BIZ_MSG_ID], &x->grp.ref_src[TXS_PR_BIZ_MSG_ID]);
        else if (id == N_MsgDefIdr) capture(x, CAP_DEF, NULL, NULL);
    } else if (x->app_depth && id == N_BICFI && d == x->app_depth + 4) {
        int side = x->st[x->app_depth + 1].id;
        if (side == N_Fr || side == N_To) capture(x, side == N_Fr ? CAP_FR : CAP_TO, NULL, NULL);
    }
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    int d = x->depth;
    int rc = 0;
    if (x->cap && x->cap_depth == d) rc = commit(x);
    if (x->skip_depth == d) x->skip_depth = 0;
    if (x->party && x->party_depth == d) x->party = NULL;
    if (x->scope_depth == d) x->scope = TXS_SCOPE_TXN, x->scope_depth = 0;
    if (rc >= 0 && x->txn_depth == d) {
        if (!x->msg_bad) rc = txn_end(x);
        x->txn_depth = 0;
    }
    if (x->blk_depth == d) x->blk_depth = 0;
    if (x->grp_depth == d) x->grp_depth = 0;
    if (x->app_depth == d) x->app_depth = 0;
    if (x->doc_depth == d) x->doc_depth = 0;
    if (rc >= 0 && d == 2) rc = message_end(x);
    x->depth--;
    if (rc < 0) stop(x, rc);
}

/* ------------------------------------------------------------- feeding */

int txs__mx_create(txs_mx_reader **out)
{
    txs_mx_reader *x = calloc(1, sizeof *x);
    if (x == NULL) return TXS_E_NOMEM;
    x->txt = malloc(MX_MAX_TEXT);
    x->fcap = TXS_READ_CHUNK + 16;
    x->fbuf = malloc(x->fcap);
    if (x->txt == NULL || x->fbuf == NULL) {
        txs__mx_free(x);
        return TXS_E_NOMEM;
    }
    txs_arena_init(&x->a_grp, 8192);
    txs_arena_init(&x->a_blk, 8192);
    txs_arena_init(&x->a_txn, 16384);
    *out = x;
    return 0;
}

void txs__mx_free(txs_mx_reader *x)
{
    if (x == NULL) return;
    if (x->ctxt) xmlFreeParserCtxt(x->ctxt);
    txs_arena_free(&x->a_grp);
    txs_arena_free(&x->a_blk);
    txs_arena_free(&x->a_txn);
    free(x->txt);
    free(x->fbuf);
    free(x);
}

int txs__mx_begin(txs_mx_reader *x, const txs_pay_ctx *c)
{
    static const char wrap[] = "<txs-wrap>";
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = on_chars;
    h.cdataBlock = on_chars;
    if (x->ctxt) xmlFreeParserCtxt(x->ctxt);
    x->ctxt = xmlCreatePushParserCtxt(&h, NULL, wrap, (int)sizeof wrap - 1, c->file);
    if (x->ctxt == NULL) return TXS_E_NOMEM;
    x->ctxt->_private = x;
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    x->c = c;
    x->depth = 0;
    x->msgno = 0;
    x->fatal = 0;
    x->in_decl = 0;
    x->ncarry = 0;
    x->began = 0;
    return intern(x);
}

/* Blank XML declarations (and a leading BOM) with spaces, so documents
 * can follow each other inside the wrapper.  A "<?xml" cut by the chunk
 * end is held back (at most 4 bytes) for the next call. */
static size_t blank_decls(txs_mx_reader *x, char *b, size_t m, int last)
{
    size_t i = 0;
    if (!x->began) {
        x->began = 1;
        if (m >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB &&
            (unsigned char)b[2] == 0xBF)
            memset(b, ' ', 3), i = 3;
    }
    for (;;) {
        if (x->in_decl) {
            for (; i < m; i++) {
                int end = b[i] == '>' && x->in_decl == 2;
                x->in_decl = b[i] == '?' ? 2 : 1;
                if (b[i] != '\n') b[i] = ' ';
                if (end) {
                    x->in_decl = 0;
                    i++;
                    break;
                }
            }
            if (x->in_decl) return m;
        }
        char *q = i < m ? memchr(b + i, '<', m - i) : NULL;
        if (q == NULL) return m;
        size_t j = (size_t)(q - b), left = m - j;
        if (left < 5) {
            if (!last && memcmp(q, "<?xml", left) == 0) return j;   /* hold back */
            return m;
        }
        if (memcmp(q, "<?xml", 5) == 0) {
            x->in_decl = 1;
            i = j;
        } else {
            i = j + 1;
        }
    }
}

static int not_well_formed(txs_mx_reader *x)
{
    const xmlError *e = xmlCtxtGetLastError(x->ctxt);
    char r[256];
    char msg[160] = "not well-formed";
    if (e && e->message) {
        snprintf(msg, sizeof msg, "%s", e->message);
        size_t k = strlen(msg);
        while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = 0;
    }
    unsigned long line = e ? (unsigned long)e->line : 0;
    snprintf(r, sizeof r, "not well-formed XML at line %lu: %s (the rest of the file is not read)",
             line, msg);
    int inside = x->depth >= 2;
    uint64_t msgno = inside ? x->msgno : x->msgno + 1;
    x->c->counts->messages++;
    x->c->counts->rejected++;
    x->fatal = 1;   /* ignore the rest of this file */
    return txs__pay_reject(x->c, msgno, line, "", r);
}

int txs__mx_feed(txs_mx_reader *x, const char *p, size_t n, int last)
{
    if (x->fatal > 0) return 0;
    if (x->ncarry + n > x->fcap) return TXS_E_LIMIT;
    memcpy(x->fbuf, x->carry, x->ncarry);
    memcpy(x->fbuf + x->ncarry, p, n);
    size_t m = x->ncarry + n;
    size_t use = blank_decls(x, x->fbuf, m, last);
    x->ncarry = m - use;
    memcpy(x->carry, x->fbuf + use, x->ncarry);
    int err = xmlParseChunk(x->ctxt, x->fbuf, (int)use, 0);
    if (err == 0 && last) {
        static const char end[] = "</txs-wrap>";
        err = xmlParseChunk(x->ctxt, end, (int)sizeof end - 1, 1);
    }
    if (x->fatal < 0) return x->fatal;
    if (err != 0 || !x->ctxt->wellFormed) return not_well_formed(x);
    return 0;
}
