/*
 * pay_txn.c: one payment transaction from the layers a reader collected
 * (payments_int.h): the references, the amount in exact minor units, the
 * value date, and every party with its role, merged so that a value of the
 * transaction wins over the payment information block's and that over the
 * group header's.  Both readers end here, so MX and MT map onto the
 * canonical transaction the same way, and txs_txn.orig / .bene (debtor and
 * creditor, their agents' BICs as banks) are filled by one rule.  The
 * finished transaction borrows the reader's arenas and layers (its parties
 * are pointers into them); txs_pay_txn_copy gives it a life of its own
 * (screen --threads hands it to other threads).
 *
 * Invariants: nothing is allocated but the joined addresses (in the
 * caller's arena) and a copy's bytes (in the arena it is given); parties
 * come out ordered by scope then role, so output does not depend on the
 * order elements appeared in; a value that does not
 * parse rejects the transaction with the element path or MT field it came
 * from, never a silent default.
 */
#include <stdio.h>
#include <string.h>

#include "payments_int.h"
#include "txs/values.h"

static const char *const role_names[TXS_ROLE_COUNT] = {
#define TXS_X_ROLE(id, name) name,
    TXS_PAY_ROLES(TXS_X_ROLE)
#undef TXS_X_ROLE
};

static const char *const field_names[TXS_PF_COUNT] = {
    "name", "iban", "account", "bic", "lei", "other_id", "scheme", "country",
    "street", "building", "postcode", "town", "subdivision", "address_lines",
};

static const char *const ref_names[TXS_PR_COUNT] = {
    "msg_id", "biz_msg_id", "instr_id", "end_to_end_id", "tx_id", "uetr", "pmt_inf_id",
    "return_id", "remittance", "regulatory", "instructions", "purpose", "charges",
    "instructed_amount",
};

const char *txs_pay_role_name(int role)
{
    return role >= 0 && role < TXS_ROLE_COUNT ? role_names[role] : "unknown";
}

const char *txs_pay_scope_name(int scope)
{
    return scope == TXS_SCOPE_UNDERLYING ? "underlying"
           : scope == TXS_SCOPE_ORIGINAL ? "original"
                                         : "transaction";
}

const char *txs_pay_field_name(int f)
{
    return f >= 0 && f < TXS_PF_COUNT ? field_names[f] : "unknown";
}

const char *txs_pay_ref_name(int r)
{
    return r >= 0 && r < TXS_PR_COUNT ? ref_names[r] : "unknown";
}

void txs__pay_layer_reset(txs_pay_layer *l)
{
    l->nparty = 0;
    l->overflow = 0;
    memset(l->ref, 0, sizeof l->ref);
    memset(l->ref_src, 0, sizeof l->ref_src);
    l->amount = l->ccy = l->amount_src = l->date_src = (txs_slice){NULL, 0};
    l->decimal = '.';
    l->has_ts = 0;
    l->ts = 0;
}

txs_pay_party *txs__pay_party(txs_pay_layer *l, int role, int scope)
{
    for (size_t i = 0; i < l->nparty; i++)
        if (l->party[i].role == role && l->party[i].scope == scope) return &l->party[i];
    if (l->nparty == TXS_PAY_LAYER_PARTIES) {
        l->overflow = 1;
        return NULL;
    }
    txs_pay_party *p = &l->party[l->nparty++];
    memset(p, 0, sizeof *p);
    p->role = (uint8_t)role;
    p->scope = (uint8_t)scope;
    return p;
}

int txs__pay_append(txs_arena *a, txs_slice *v, const char *p, size_t n)
{
    if (v->n == 0) {
        char *c = txs_arena_dup(a, p, n);
        if (c == NULL) return TXS_E_NOMEM;
        *v = (txs_slice){c, n};
        return 0;
    }
    char *c = txs_arena_alloc(a, v->n + 1 + n);
    if (c == NULL) return TXS_E_NOMEM;
    memcpy(c, v->p, v->n);
    c[v->n] = '\n';
    memcpy(c + v->n + 1, p, n);
    *v = (txs_slice){c, v->n + 1 + n};
    return 0;
}

/* Civil date to epoch seconds, with the range checks txs_ts_parse_iso8601
 * would do for an ISO date. */
static int civil(int y, int m, int d, int64_t *out, const char **why)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return *why = "month out of range", TXS_E_FORMAT;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return *why = "day out of range for the month", TXS_E_FORMAT;
    *out = txs_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
    return 0;
}

static int digits(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

int txs__pay_date(const char *p, size_t n, int64_t *out, const char **why)
{
    if (n == 6) {   /* YYMMDD: SWIFT's century window, 80-99 is 19xx */
        int yy = digits(p, 2), mm = digits(p + 2, 2), dd = digits(p + 4, 2);
        if (yy < 0 || mm < 0 || dd < 0) return *why = "expected YYMMDD", TXS_E_FORMAT;
        return civil(yy >= 80 ? 1900 + yy : 2000 + yy, mm, dd, out, why);
    }
    if (n == 10 && p[4] == '-' && p[7] == '-') {
        int y = digits(p, 4), m = digits(p + 5, 2), d = digits(p + 8, 2);
        if (y < 0 || m < 0 || d < 0) return *why = "expected YYYY-MM-DD", TXS_E_FORMAT;
        return civil(y, m, d, out, why);
    }
    /* An ISODateTime (CreDtTm, ReqdExctnDt/DtTm) keeps its time. */
    return txs_ts_parse_iso8601(p, n, 0, out, why);
}

/* Precious metals carry an ISO 4217 code but are not money a payment
 * settles in (CBPR+ forbids them in every amount). */
static int commodity(txs_slice c)
{
    static const char *const metals[] = {"XAU", "XAG", "XPT", "XPD"};
    for (size_t i = 0; i < TXS_ARRAY_LEN(metals); i++)
        if (c.n == 3 && memcmp(c.p, metals[i], 3) == 0) return 1;
    return 0;
}

/* Reject with "<what> '<value>'<tail>" at src. */
static int fail(const char **where, txs_slice src, char *why, size_t cap, const char *what,
                txs_slice v, const char *tail)
{
    *where = src.p ? src.p : "";
    snprintf(why, cap, "%s '%.*s'%s", what, (int)(v.n > 64 ? 64 : v.n), v.p ? v.p : "", tail);
    return TXS_E_FORMAT;
}

static int amount(const txs_pay_layer *l, txs_txn *t, const char **where, char *why,
                  size_t cap)
{
    if (l->ccy.n != 3 || l->ccy.p[0] < 'A' || l->ccy.p[0] > 'Z')
        return fail(where, l->amount_src, why, cap, "bad currency", l->ccy,
                    " (expected 3 capital letters)");
    if (commodity(l->ccy))
        return fail(where, l->amount_src, why, cap, "currency", l->ccy,
                    " is a precious metal, not a payment currency");
    int cur = txs_currency_lookup(l->ccy.p, l->ccy.n);
    if (cur < 0) return fail(where, l->amount_src, why, cap, "unknown currency", l->ccy, "");
    const char *r = NULL;
    int exp = txs_currency_get(cur)->exponent;
    if (l->amount.n == 0 || l->amount.p[0] == '-' || l->amount.p[0] == '+' ||
        txs_amount_parse(l->amount.p, l->amount.n, exp, l->decimal, 0, &t->amount, &r) < 0) {
        char tail[128];
        snprintf(tail, sizeof tail, " (%s)", r ? r : "not a positive decimal");
        return fail(where, l->amount_src, why, cap, "bad amount", l->amount, tail);
    }
    t->currency = (uint16_t)cur;
    return 0;
}

/* "street building, postcode town, subdivision" then the lines. */
static txs_slice address(txs_arena *a, const txs_pay_party *p)
{
    static const int order[] = {TXS_PF_STREET, TXS_PF_BUILDING, TXS_PF_POSTCODE, TXS_PF_TOWN,
                                TXS_PF_SUBDIVISION, TXS_PF_LINES};
    size_t n = 0;
    for (size_t i = 0; i < TXS_ARRAY_LEN(order); i++) n += p->v[order[i]].n + 2;
    if (n == 0) return (txs_slice){NULL, 0};
    char *o = txs_arena_alloc(a, n);
    if (o == NULL) return (txs_slice){NULL, 0};
    size_t k = 0;
    for (size_t i = 0; i < TXS_ARRAY_LEN(order); i++) {
        txs_slice v = p->v[order[i]];
        if (v.n == 0) continue;
        if (k) {
            int glue_space = order[i] == TXS_PF_BUILDING || order[i] == TXS_PF_TOWN;
            if (!glue_space) o[k++] = ',';
            o[k++] = ' ';
        }
        memcpy(o + k, v.p, v.n);   /* line breaks read as spaces */
        for (char *x = o + k, *xe = o + k + v.n; (x = memchr(x, '\n', (size_t)(xe - x))) != NULL;
             x++)
            *x = ' ';
        k += v.n;
    }
    return (txs_slice){o, k};
}

static const txs_pay_party *find(const txs_pay_out *o, int role)
{
    for (size_t i = 0; i < o->ext.nparties; i++)
        if (o->parties[i]->role == role && o->parties[i]->scope == TXS_SCOPE_TXN)
            return o->parties[i];
    return NULL;
}

static void side(txs_pay_out *o, int role, int agent, txs_party *out)
{
    const txs_pay_party *p = find(o, role), *b = find(o, agent);
    if (p) {
        out->name = p->v[TXS_PF_NAME];
        out->account = p->v[TXS_PF_IBAN].n ? p->v[TXS_PF_IBAN] : p->v[TXS_PF_ACCOUNT];
        out->address = address(o->arena, p);
        memcpy(out->country, p->country, 2);
    }
    if (b) out->bank = b->v[TXS_PF_BIC].n ? b->v[TXS_PF_BIC] : b->v[TXS_PF_OTHER_ID];
    if (out->bank.n && txs_bic_country(out->bank.p, out->bank.n, out->bank_country) < 0)
        out->bank_country[0] = out->bank_country[1] = 0;
}

/* A party's iban must be one (ISO 13616: the registry length of its
 * country, MOD 97-10 check digits).  Only ISO 20022's <IBAN> can fail here:
 * the MT reader calls an account an IBAN only when it parses as one, and
 * says so (iban_ok), so it is not parsed twice.  A bad
 * IBAN rejects the transaction (path and reason in the rejects stream)
 * rather than passing with an account that can never match a listed IBAN:
 * the same policy as an unknown country or currency code. */
static int iban(const txs_pay_party *p, const char **where, char *why, size_t cap)
{
    txs_slice v = p->v[TXS_PF_IBAN];
    if (v.n == 0 || p->iban_ok) return 0;
    txs_iban ib;
    const char *r = NULL;
    if (txs_iban_parse(v.p, v.n, &ib, &r) == 0) return 0;
    char tail[96];
    snprintf(tail, sizeof tail, " (%s, ISO 13616)", r);
    return fail(where, p->src[TXS_PF_IBAN], why, cap, "bad IBAN", v, tail);
}

/* Every layer's parties, the lowest layer's copy of a (scope, role) kept,
 * into o->parties ordered by scope then role: the lowest layer's first,
 * each inserted in key order unless its key is there already (a message
 * has a dozen parties at most; the parties stay in their layers: copying
 * the 470-byte parties cost a tenth of an MT103's mapping).  The country
 * code is checked and set in the layer's party (the same value each time a
 * group layer's party serves another transaction). */
static int merge_parties(txs_pay_layer *const *layers, size_t n, txs_pay_out *o,
                         const char **where, char *why, size_t cap)
{
    txs_pay_party *pv[TXS_PAY_MAX_PARTIES];
    size_t np = 0;
    for (size_t li = n; li-- > 0;) {
        txs_pay_layer *l = layers[li];
        if (l->overflow) {
            *where = "";
            snprintf(why, cap, "more than %u parties in one part of the message",
                     TXS_PAY_LAYER_PARTIES);
            return TXS_E_FORMAT;
        }
        for (size_t i = 0; i < l->nparty; i++) {
            txs_pay_party *p = &l->party[i];
            if (p->scope > TXS_SCOPE_ORIGINAL || p->role >= TXS_ROLE_COUNT) continue;
            unsigned key = p->scope * 256u + p->role;
            size_t at = np;
            while (at > 0 && pv[at - 1]->scope * 256u + pv[at - 1]->role > key) at--;
            if (at > 0 && pv[at - 1]->scope * 256u + pv[at - 1]->role == key) continue;
            for (size_t k = np++; k > at; k--) pv[k] = pv[k - 1];
            pv[at] = p;
        }
    }
    for (size_t i = 0; i < np; i++) {
        txs_pay_party *p = pv[i];
        o->parties[i] = p;
        TXS_TRY(iban(p, where, why, cap));
        txs_slice c = p->v[TXS_PF_COUNTRY];
        if (c.n == 0) continue;
        if (c.n != 2 || txs_country_lookup(c.p, c.n, p->country) < 0)
            return fail(where, p->src[TXS_PF_COUNTRY], why, cap, "unknown country code", c, "");
    }
    o->ext.nparties = np;
    o->ext.parties = o->parties;
    return 0;
}

int txs__pay_finish(txs_pay_layer *const *layers, size_t n, txs_pay_out *o,
                    txs_txn *t, const char **where, char *why, size_t cap)
{
    memset(t, 0, sizeof *t);
    memset(&o->ext, 0, sizeof o->ext);
    o->ext.kind = o->kind;
    o->ext.file = o->file;
    o->ext.message = o->message;
    const txs_pay_layer *am = NULL, *dt = NULL;
    for (size_t li = 0; li < n; li++) {
        const txs_pay_layer *l = layers[li];
        for (int r = 0; r < TXS_PR_COUNT; r++)
            if (l->ref[r].n) o->ext.ref[r] = l->ref[r], o->ext.ref_src[r] = l->ref_src[r];
        if (l->amount.n || l->ccy.n) am = l;
        if (l->has_ts) dt = l;
    }
    *where = "";
    if (am == NULL) return snprintf(why, cap, "no settlement or instructed amount"), TXS_E_FORMAT;
    if (dt == NULL) return snprintf(why, cap, "no value or execution date"), TXS_E_FORMAT;
    TXS_TRY(amount(am, t, where, why, cap));
    t->ts = dt->ts;
    o->ext.amount_src = am->amount_src;
    o->ext.date_src = dt->date_src;
    TXS_TRY(merge_parties(layers, n, o, where, why, cap));
    static const int id_order[] = {TXS_PR_UETR, TXS_PR_TX_ID, TXS_PR_END_TO_END,
                                   TXS_PR_INSTR_ID, TXS_PR_MSG_ID};
    for (size_t i = 0; i < TXS_ARRAY_LEN(id_order) && t->txn_id.n == 0; i++)
        t->txn_id = o->ext.ref[id_order[i]];
    t->channel = TXS_CH_WIRE;
    t->purpose = o->ext.ref[TXS_PR_REMITTANCE].n ? o->ext.ref[TXS_PR_REMITTANCE]
                                                 : o->ext.ref[TXS_PR_PURPOSE];
    side(o, TXS_ROLE_DEBTOR, TXS_ROLE_DEBTOR_AGENT, &t->orig);
    side(o, TXS_ROLE_CREDITOR, TXS_ROLE_CREDITOR_AGENT, &t->bene);
    t->file_index = o->file_index;
    t->line = o->line;
    t->offset = o->offset;
    t->ext = &o->ext;
    return 0;
}

int txs__pay_reject(const txs_pay_ctx *c, uint64_t message, uint64_t line, const char *where,
                    const char *why)
{
    txs_pay_reject r = {c->file, message, line, where ? where : "", why};
    return c->sink->reject ? c->sink->reject(c->sink->ctx, &r) : 0;
}

/* ------------------------------------------------------------- copying */

/* A value slice: its bytes and a NUL. */
static int dup_v(txs_arena *a, txs_slice *v)
{
    if (v->p == NULL) return 0;
    char *q = txs_arena_dup(a, v->p, v->n);
    if (q == NULL) return TXS_E_NOMEM;
    v->p = q;
    return 0;
}

/* A source slice: route.c reads .p as a C string, so the whole string. */
static int dup_src(txs_arena *a, txs_slice *v)
{
    if (v->p == NULL) return 0;
    size_t len = strlen(v->p);
    char *q = txs_arena_dup(a, v->p, len > v->n ? len : v->n);
    if (q == NULL) return TXS_E_NOMEM;
    v->p = q;
    return 0;
}

static int dup_str(txs_arena *a, const char **s)
{
    if (*s == NULL) return 0;
    char *q = txs_arena_dup(a, *s, strlen(*s));
    if (q == NULL) return TXS_E_NOMEM;
    *s = q;
    return 0;
}

static int dup_party(txs_arena *a, txs_party *p)
{
    TXS_TRY(dup_v(a, &p->account));
    TXS_TRY(dup_v(a, &p->name));
    TXS_TRY(dup_v(a, &p->bank));
    return dup_v(a, &p->address);
}

int txs_pay_txn_copy(const txs_txn *t, txs_arena *a, txs_txn *out)
{
    *out = *t;
    TXS_TRY(dup_v(a, &out->txn_id));
    TXS_TRY(dup_v(a, &out->purpose));
    TXS_TRY(dup_party(a, &out->orig));
    TXS_TRY(dup_party(a, &out->bene));
    if (t->ext == NULL) return 0;
    txs_pay_ext *x = txs_arena_alloc(a, sizeof *x);
    size_t np = t->ext->nparties;
    txs_pay_party *pp = np ? txs_arena_alloc(a, np * sizeof *pp) : NULL;
    const txs_pay_party **pv = np ? txs_arena_alloc(a, np * sizeof *pv) : NULL;
    if (x == NULL || (np && (pp == NULL || pv == NULL))) return TXS_E_NOMEM;
    *x = *t->ext;
    TXS_TRY(dup_str(a, &x->kind));
    TXS_TRY(dup_str(a, &x->file));
    for (int r = 0; r < TXS_PR_COUNT; r++) {
        TXS_TRY(dup_v(a, &x->ref[r]));
        TXS_TRY(dup_src(a, &x->ref_src[r]));
    }
    TXS_TRY(dup_src(a, &x->amount_src));
    TXS_TRY(dup_src(a, &x->date_src));
    for (size_t i = 0; i < np; i++) {
        pp[i] = *t->ext->parties[i];
        pv[i] = &pp[i];
        for (int f = 0; f < TXS_PF_COUNT; f++) {
            TXS_TRY(dup_v(a, &pp[i].v[f]));
            TXS_TRY(dup_src(a, &pp[i].src[f]));
        }
    }
    x->parties = pv;
    out->ext = x;
    return 0;
}
