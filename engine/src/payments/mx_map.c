/*
 * mx_map.c: the ISO 20022 reader's mapping (mx_int.h): which element is a
 * level (group header, payment information, transaction), a scope
 * (underlying customer transfer, original transaction), a party or its
 * account, or a value, and what a finished transaction needs before it is
 * built (mandatory parties, the business application header agreeing with
 * the group header).  Every decision looks at the interned name id and at
 * most three ancestors, so the cost per element is a switch.  The
 * element-to-field table is in docs/formats.md "ISO 20022".
 */
#include <stdio.h>
#include <string.h>

#include "mx_int.h"

#define names txs__mx_names

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
    for (int d = base < 2 ? 2 : base; d <= x->depth && d <= MX_MAX_DEPTH; d++) {
        const char *n = (const char *)x->st[d].name;
        size_t len = strlen(n);
        if (k + len + 2 > cap) break;   /* cut at a whole element */
        if (k) o[k++] = '/';
        memcpy(o + k, n, len);
        k += len;
    }
    o[k] = 0;
    return k;
}

/* Mark the transaction (or, outside one, the message) bad: first reason
 * wins. */
void txs__mx_bad(txs_mx_reader *x, int base, const char *fmt_reason)
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

void txs__mx_capture(txs_mx_reader *x, int kind, txs_slice *v, txs_slice *s)
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

/* The path from depth base to the current element, as path() writes it,
 * in memory that lasts the value's layer: from the cache when the same
 * names were seen before in this message.  NULL when out of memory. */
static const char *kept_path(txs_mx_reader *x, int base, size_t *len)
{
    int from = base < 2 ? 2 : base, n = x->depth - from + 1;
    mx_path *slot = NULL;
    if (n >= 1 && n <= MX_PATH_NAMES && x->depth <= MX_MAX_DEPTH) {
        uintptr_t h = (uintptr_t)n;
        for (int d = from; d <= x->depth; d++) h = (h ^ (uintptr_t)x->st[d].name) * 0x9E3779B97F4A7C15u;
        mx_path *b = &x->paths[((h >> 32) % (MX_PATH_SLOTS / MX_PATH_WAYS)) * MX_PATH_WAYS];
        for (unsigned w = 0; w < MX_PATH_WAYS; w++) {
            mx_path *c = &b[w];
            if (c->gen != x->path_gen) {
                if (slot == NULL) slot = c;   /* free for this message */
                continue;
            }
            int hit = c->n == (uint32_t)n;
            for (int k = 0; hit && k < n; k++) hit = c->nm[k] == x->st[from + k].name;
            if (hit) return *len = c->len, c->s;
        }
        if (slot == NULL) slot = &b[(h >> 8) % MX_PATH_WAYS];   /* all taken: replace one */
    }
    char where[256];
    size_t wn = path(x, base, where, sizeof where);
    if (slot == NULL || x->path_bytes + wn > MX_PATH_BYTES) {
        char *w = txs_arena_dup(x->cap_a, where, wn);   /* as long as the value */
        *len = wn;
        return w;
    }
    char *w = txs_arena_dup(&x->a_path, where, wn);
    if (w == NULL) return NULL;
    x->path_bytes += wn;
    if (slot) {
        slot->gen = x->path_gen;
        slot->n = (uint32_t)n;
        slot->len = (uint32_t)wn;
        for (int k = 0; k < n; k++) slot->nm[k] = x->st[from + k].name;
        slot->s = w;
    }
    *len = wn;
    return w;
}

int txs__mx_commit(txs_mx_reader *x)
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
    size_t wn;
    const char *w = kept_path(x, x->cap_base, &wn);
    if (w == NULL) return TXS_E_NOMEM;
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
            txs__mx_bad(x, x->cap_base, r);
            return 0;
        }
        if (kind == CAP_DATE && l->has_ts && !(l == &x->grp && x->grp_fallback)) return 0;
        l->ts = ts;
        l->has_ts = 1;
        if (l == &x->grp) x->grp_fallback = kind == CAP_FALLBACK_DATE;
        l->date_src = (txs_slice){w, wn};
        return 0;
    }
    if (kind == CAP_SET && x->cap_v->n) return 0;   /* the first one counts */
    if (x->cap_v->n == 0 || kind == CAP_SET) {
        char *v = txs_arena_dup(x->cap_a, p, n);
        if (v == NULL) return TXS_E_NOMEM;
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
    txs__mx_capture(x, kind, &x->party->v[f], &x->party->src[f]);
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
void txs__mx_document(txs_mx_reader *x, const xmlChar *uri)
{
    x->doc_depth = x->depth;
    x->has_doc = 1;
    const char *u = uri ? (const char *)uri : "";
    size_t pn = sizeof NS_PREFIX - 1;
    char r[200];
    if (strncmp(u, NS_PREFIX, pn) != 0) {
        snprintf(r, sizeof r, "the Document namespace '%.80s' is not an ISO 20022 message", u);
        return txs__mx_bad(x, x->depth, r);
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
            txs__mx_bad(x, -1, r);
            snprintf(x->where, sizeof x->where, "AppHdr/MsgDefIdr");
            return;
        }
        return;
    }
    snprintf(r, sizeof r, "unsupported message type or version '%.60s'", k);
    txs__mx_bad(x, x->depth, r);
}

void txs__mx_message_start(txs_mx_reader *x)
{
    x->msgno++;
    x->msg_line = txs__mx_line(x);
    x->doc_depth = x->app_depth = x->grp_depth = x->blk_depth = x->txn_depth = 0;
    x->scope = x->scope_depth = x->skip_depth = 0;
    x->has_doc = x->msg_bad = x->txn_bad = x->ntx = x->ntx_ok = x->family = 0;
    x->grp_fallback = 0;
    x->kind[0] = x->hdr_def[0] = x->where[0] = x->fr[0] = x->to[0] = 0;
    x->party = NULL;
    x->cap = 0;
    txs_arena_reset(&x->a_grp);
    txs__pay_layer_reset(&x->grp);
    txs_arena_reset(&x->a_path);
    x->path_gen++;
    x->path_bytes = 0;
}

static int reject(txs_mx_reader *x, uint64_t line)
{
    return txs__pay_reject(x->c, x->msgno, line, x->where, x->why);
}

int txs__mx_message_end(txs_mx_reader *x)
{
    txs_pay_counts *n = x->c->counts;
    n->messages++;
    if (!x->msg_bad && !x->has_doc)
        txs__mx_bad(x, -1, "no ISO 20022 Document element in the message");
    if (!x->msg_bad && x->ntx == 0)
        txs__mx_bad(x, -1, "no transaction (CdtTrfTxInf or TxInf) in the message");
    if (x->msg_bad) {
        n->rejected++;
        return reject(x, x->msg_line);
    }
    if (x->ntx_ok) n->mapped++;
    else n->rejected++;   /* each transaction's reject says why */
    return 0;
}

static int has_party(txs_pay_layer *const *l, size_t n, int role)
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

static const txs_pay_party *agent(txs_pay_layer *const *l, size_t n, int role)
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
static void header_agrees(txs_mx_reader *x, txs_pay_layer *const *l, size_t n)
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
        txs__mx_bad(x, -1, r);
        snprintf(x->where, sizeof x->where, "%s", sides[i].el);
        return;
    }
    txs_slice bz = x->grp.ref[TXS_PR_BIZ_MSG_ID], id = x->grp.ref[TXS_PR_MSG_ID];
    if (bz.n == 0 || id.n == 0) return;
    int carries = 0;
    for (size_t k = 0; !carries && k + id.n <= bz.n; k++) carries = memcmp(bz.p + k, id.p, id.n) == 0;
    if (!carries) {
        char r[200];
        snprintf(r, sizeof r, "AppHdr/BizMsgIdr '%.*s' does not carry GrpHdr/MsgId '%.*s'",
                 (int)(bz.n > 60 ? 60 : bz.n), bz.p, (int)(id.n > 60 ? 60 : id.n), id.p);
        txs__mx_bad(x, -1, r);
        snprintf(x->where, sizeof x->where, "AppHdr/BizMsgIdr");
    }
}

int txs__mx_txn_end(txs_mx_reader *x)
{
    txs_pay_layer *layers[3] = {&x->grp, &x->blk, &x->txn};
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
        txs__mx_bad(x, x->txn_depth, r);
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
    x->txn_line = txs__mx_line(x);
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
#define REF(r, k) txs__mx_capture(x, k, &l->ref[r], &l->ref_src[r])
    switch (id) {
    case N_MsgId: if (up == N_GrpHdr) REF(TXS_PR_MSG_ID, CAP_SET); return;
    case N_CreDtTm: if (up == N_GrpHdr) txs__mx_capture(x, CAP_FALLBACK_DATE, NULL, NULL); return;
    case N_IntrBkSttlmDt: if (!und) txs__mx_capture(x, CAP_DATE, NULL, NULL); return;
    case N_ReqdExctnDt: if (up == N_PmtInf) txs__mx_capture(x, CAP_DATE, NULL, NULL); return;
    case N_Dt: case N_DtTm: if (up == N_ReqdExctnDt) txs__mx_capture(x, CAP_DATE, NULL, NULL); return;
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
        txs__mx_capture(x, CAP_SET, &l->amount, &l->amount_src);
        return;
    }
    /* the instructed amount: kept as written, "EUR 100.00" */
    if (l->ref[TXS_PR_INSTD_AMT].n) return;
    char *c = txs_arena_dup(a, ccy.p ? ccy.p : "", ccy.n);
    if (c == NULL) return;
    l->ref[TXS_PR_INSTD_AMT] = (txs_slice){c, ccy.n};
    txs__mx_capture(x, CAP_APPEND_SP, &l->ref[TXS_PR_INSTD_AMT], &l->ref_src[TXS_PR_INSTD_AMT]);
}


/* Any amount in a precious metal (Ccy="XAU"): CBPR+ allows none. */
void txs__mx_commodity_attr(txs_mx_reader *x, const xmlChar **attrs, int nattr)
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
                txs__mx_bad(x, level_base(x), r);
            }
    }
}

void txs__mx_in_document(txs_mx_reader *x, int id, const xmlChar **attrs, int nattr)
{
    int rel = x->depth - x->doc_depth;
    if (rel == 1) {
        for (size_t i = 0; i < TXS_ARRAY_LEN(families); i++)
            if (families[i].code == x->family && families[i].root != id) {
                char r[160];
                snprintf(r, sizeof r, "the Document holds %s, not the message its namespace "
                                      "names (%s)", (const char *)x->st[x->depth].name, x->kind);
                txs__mx_bad(x, x->depth, r);
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

