/*
 * cases.c: the case table (cases.h).  Cases live in one array in the order
 * they were opened; an open-addressing table of indices keyed by the
 * subject's XXH3-64 finds a case (the whole subject is compared, so a hash
 * collision opens a second case rather than merging two).  Subject strings,
 * transaction ids and rule ids are copied into the table's arena; each
 * case's transaction ids, amounts per currency and rules are small arrays
 * grown with realloc.  Previous runs' open case ids (from --previous-cases
 * or the --state, txs_cases_previous_state) are a sorted array of their
 * hashes, searched once when a case opens; after the run the cases raised
 * and closed go back into the state (txs_cases_record).
 *
 * Invariants: a case's alerts are counted once per alert (seq); the output
 * order is the opening order, hence deterministic for a deterministic
 * alert stream.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "txs/arena.h"
#include "txs/cases.h"
#include "txs/rules.h"
#include "txs/state.h"
#include "txs/values.h"

/* A case open before this run, continuing when raised again at or before
 * `until` (its last alert's time plus the state's retention). */
typedef struct prev_id {
    uint64_t h;
    int64_t until;
} prev_id;

typedef struct case_amt {
    uint16_t currency;
    int overflow;
    int64_t sum;
} case_amt;

typedef struct kase {
    uint64_t h;
    int kind, prev;
    txs_slice a, b, c;
    int64_t first, last;
    uint64_t last_seq, nalerts;
    int max_score, max_band;
    txs_slice *txn;
    size_t ntxn, ctxn;
    case_amt *amt;
    size_t namt;
    const char **rules;
    size_t nrules;
} kase;

struct txs_cases {
    txs_arena arena;
    kase *v;
    size_t n, cap;
    uint32_t *tab;     /* index + 1; 0: empty */
    size_t tcap;       /* power of two */
    prev_id *prev;     /* previous runs' open cases */
    size_t nprev, cprev;
    int prev_sorted;
    size_t nkind[2];
    /* Previous runs' sanctions cases with their subjects (from their
     * --cases lines), which a list change may close. */
    struct prev_case *psub;
    size_t npsub, cpsub, nclosed;
};

typedef struct prev_case {
    uint64_t h;
    txs_slice a, b, c;
    const char *reason;   /* NULL: open */
    int dup;              /* closed, and written as an earlier entry */
} prev_case;

/* Each field hashed with the previous field's hash as its seed, the kind
 * the first seed: field boundaries count without a separator byte. */
static uint64_t subject_hash(const txs_case_subject *s)
{
    uint64_t h = (uint64_t)s->kind + 1;
    const txs_slice *f[3] = {&s->a, &s->b, &s->c};
    for (int i = 0; i < 3; i++) h = XXH3_64bits_withSeed(f[i]->n ? f[i]->p : "", f[i]->n, h);
    return h;
}

static void id_of(int kind, uint64_t h, char out[TXS_CASE_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    out[0] = kind == TXS_CASE_SANCTIONS ? 'S' : 'T';
    out[1] = '-';
    for (int i = 0; i < 16; i++) out[2 + i] = hex[(h >> (60 - 4 * i)) & 15];
    out[TXS_CASE_ID_LEN] = '\0';
}

void txs_case_id(const txs_case_subject *s, char out[TXS_CASE_ID_LEN + 1])
{
    id_of(s->kind, subject_hash(s), out);
}

int txs_cases_create(txs_cases **out)
{
    txs_cases *c = calloc(1, sizeof *c);
    if (c == NULL) return TXS_E_NOMEM;
    txs_arena_init(&c->arena, 0);
    *out = c;
    return TXS_OK;
}

void txs_cases_free(txs_cases *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].txn);
        free(c->v[i].amt);
        free(c->v[i].rules);
    }
    free(c->v);
    free(c->tab);
    free(c->prev);
    free(c->psub);
    txs_arena_free(&c->arena);
    free(c);
}

static int slice_same(txs_slice x, txs_slice y)
{
    return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

static int dup_slice(txs_cases *c, txs_slice s, txs_slice *out)
{
    if (s.n == 0) {
        *out = (txs_slice){"", 0};
        return TXS_OK;
    }
    char *p = txs_arena_dup(&c->arena, s.p, s.n);
    if (p == NULL) return TXS_E_NOMEM;
    *out = (txs_slice){p, s.n};
    return TXS_OK;
}

static int grow_table(txs_cases *c)
{
    size_t cap = c->tcap ? c->tcap * 2 : 1024;
    uint32_t *t = txs_slots_build(c->v, c->n, sizeof *c->v, offsetof(kase, h), cap);
    if (t == NULL) return TXS_E_NOMEM;
    free(c->tab);
    c->tab = t;
    c->tcap = cap;
    return TXS_OK;
}

static int cmp_prev(const void *x, const void *y)
{
    const prev_id *a = x, *b = y;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    return (a->until > b->until) - (a->until < b->until);
}

/* 1 when the case with hash h, raised at ts, was open before this run. */
static int was_open(txs_cases *c, uint64_t h, int64_t ts)
{
    if (c->nprev == 0) return 0;
    if (!c->prev_sorted) { /* by hash; one entry per hash, the latest until */
        qsort(c->prev, c->nprev, sizeof *c->prev, cmp_prev);
        size_t k = 0;
        for (size_t i = 0; i < c->nprev; i++) {
            if (k && c->prev[k - 1].h == c->prev[i].h) k--;
            c->prev[k++] = c->prev[i];
        }
        c->nprev = k;
        c->prev_sorted = 1;
    }
    size_t lo = 0, hi = c->nprev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->prev[mid].h < h) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->nprev && c->prev[lo].h == h && ts <= c->prev[lo].until;
}

/* The case of s: found, or opened (at *k) by an alert at ts. */
static int find_or_open(txs_cases *c, const txs_case_subject *s, int64_t ts, kase **k)
{
    uint64_t h = subject_hash(s);
    if (c->n * 2 >= c->tcap) TXS_TRY(grow_table(c));
    size_t j = (size_t)h & (c->tcap - 1);
    for (; c->tab[j]; j = (j + 1) & (c->tcap - 1)) {
        kase *x = &c->v[c->tab[j] - 1];
        if (x->h == h && x->kind == s->kind && slice_same(x->a, s->a) &&
            slice_same(x->b, s->b) && slice_same(x->c, s->c)) {
            *k = x;
            return TXS_OK;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        kase *v = realloc(c->v, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    kase *x = &c->v[c->n];
    memset(x, 0, sizeof *x);
    x->h = h;
    x->kind = s->kind;
    x->max_score = -1;
    TXS_TRY(dup_slice(c, s->a, &x->a));
    TXS_TRY(dup_slice(c, s->b, &x->b));
    TXS_TRY(dup_slice(c, s->c, &x->c));
    x->prev = was_open(c, h, ts);
    c->tab[j] = (uint32_t)(++c->n);
    c->nkind[s->kind == TXS_CASE_SANCTIONS ? 0 : 1]++;
    *k = x;
    return TXS_OK;
}

static int add_rule(txs_cases *c, kase *k, const char *rule)
{
    for (size_t i = 0; i < k->nrules; i++)
        if (strcmp(k->rules[i], rule) == 0) return TXS_OK;
    const char **v = realloc(k->rules, (k->nrules + 1) * sizeof *v);
    if (v == NULL) return TXS_E_NOMEM;
    k->rules = v;
    char *r = txs_arena_dup(&c->arena, rule, strlen(rule));
    if (r == NULL) return TXS_E_NOMEM;
    k->rules[k->nrules++] = r;
    return TXS_OK;
}

static int add_amount(kase *k, uint16_t cur, int64_t amount)
{
    for (size_t i = 0; i < k->namt; i++) {
        if (k->amt[i].currency != cur) continue;
        if (__builtin_add_overflow(k->amt[i].sum, amount, &k->amt[i].sum)) k->amt[i].overflow = 1;
        return TXS_OK;
    }
    case_amt *v = realloc(k->amt, (k->namt + 1) * sizeof *v);
    if (v == NULL) return TXS_E_NOMEM;
    k->amt = v;
    k->amt[k->namt++] = (case_amt){cur, 0, amount};
    return TXS_OK;
}

int txs_cases_add(txs_cases *c, const txs_case_subject *s, const txs_case_alert *a)
{
    kase *k;
    TXS_TRY(find_or_open(c, s, a->ts, &k));
    TXS_TRY(add_rule(c, k, a->rule ? a->rule : ""));
    if (k->nalerts && k->last_seq == a->seq) return TXS_OK; /* this alert is in */
    if (k->ntxn == k->ctxn) {
        size_t cap = k->ctxn ? k->ctxn * 2 : 4;
        txs_slice *v = realloc(k->txn, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        k->txn = v;
        k->ctxn = cap;
    }
    TXS_TRY(dup_slice(c, a->txn_id, &k->txn[k->ntxn]));
    k->ntxn++;
    if (a->currency != TXS_CASE_NO_AMOUNT) TXS_TRY(add_amount(k, a->currency, a->amount));
    if (k->nalerts == 0 || a->ts < k->first) k->first = a->ts;
    if (k->nalerts == 0 || a->ts > k->last) k->last = a->ts;
    if (a->score > k->max_score) k->max_score = a->score;
    if (a->band > k->max_band) k->max_band = a->band;
    k->nalerts++;
    k->last_seq = a->seq;
    return TXS_OK;
}

static int prev_add(txs_cases *c, uint64_t h, int64_t until)
{
    if (c->nprev == c->cprev) {
        size_t cap = c->cprev ? c->cprev * 2 : 256;
        prev_id *v = realloc(c->prev, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        c->prev = v;
        c->cprev = cap;
    }
    c->prev[c->nprev++] = (prev_id){h, until};
    c->prev_sorted = 0;
    return TXS_OK;
}

/* A previous sanctions case with hash h and subject s, which a list change
 * may close. */
static int psub_add(txs_cases *c, uint64_t h, const txs_case_subject *s)
{
    if (c->npsub == c->cpsub) {
        size_t cap = c->cpsub ? c->cpsub * 2 : 64;
        prev_case *v = realloc(c->psub, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        c->psub = v;
        c->cpsub = cap;
    }
    prev_case *p = &c->psub[c->npsub];
    memset(p, 0, sizeof *p);
    p->h = h;
    TXS_TRY(dup_slice(c, s->a, &p->a));
    TXS_TRY(dup_slice(c, s->b, &p->b));
    TXS_TRY(dup_slice(c, s->c, &p->c));
    c->npsub++;
    return TXS_OK;
}

int txs_cases_previous(txs_cases *c, const char *id)
{
    if (strlen(id) != TXS_CASE_ID_LEN || (id[0] != 'S' && id[0] != 'T') || id[1] != '-')
        return TXS_E_ARG;
    uint64_t h = 0;
    for (int i = 2; i < TXS_CASE_ID_LEN; i++) {
        char ch = id[i];
        unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                                              : 16u;
        if (d == 16) return TXS_E_ARG;
        h = h << 4 | d;
    }
    return prev_add(c, h, INT64_MAX);
}

int txs_cases_previous_subject(txs_cases *c, const char *id, const txs_case_subject *s)
{
    TXS_TRY(txs_cases_previous(c, id));
    if (s->kind != TXS_CASE_SANCTIONS) return TXS_OK;
    return psub_add(c, c->prev[c->nprev - 1].h, s);
}

typedef struct prev_ctx {
    txs_cases *c;
    int64_t retention;
} prev_ctx;

static int prev_state_case(void *ctx, const txs_state_case *sc)
{
    const prev_ctx *x = ctx;
    txs_cases *c = x->c;
    int64_t until = sc->last_ts > INT64_MAX - x->retention ? INT64_MAX
                                                           : sc->last_ts + x->retention;
    TXS_TRY(prev_add(c, sc->h, until));
    if (sc->kind != TXS_CASE_SANCTIONS) return TXS_OK;
    txs_case_subject s = {TXS_CASE_SANCTIONS, sc->a, sc->b, sc->c};
    return psub_add(c, sc->h, &s);
}

int txs_cases_previous_state(txs_cases *c, txs_state *s)
{
    prev_ctx x = {c, txs_state_retention(s)};
    return txs_state_cases(s, prev_state_case, &x);
}

int txs_cases_record(const txs_cases *c, txs_state *s)
{
    for (size_t i = 0; i < c->npsub; i++)
        if (c->psub[i].reason) txs_state_case_drop(s, TXS_CASE_SANCTIONS, c->psub[i].h);
    for (size_t i = 0; i < c->n; i++) {
        const kase *k = &c->v[i];
        txs_state_case sc = {k->h, k->kind, k->last, k->a, k->b, k->c};
        if (k->kind != TXS_CASE_SANCTIONS) sc.a = sc.b = sc.c = (txs_slice){"", 0};
        TXS_TRY(txs_state_case_put(s, &sc));
    }
    return TXS_OK;
}

size_t txs_cases_close_entry(txs_cases *c, txs_slice entry, const char *reason)
{
    size_t k = 0;
    for (size_t i = 0; i < c->npsub; i++) {
        prev_case *p = &c->psub[i];
        if (p->reason || !slice_same(p->c, entry)) continue;
        p->reason = reason;
        /* Named by both --previous-cases and the state: one case, closed
         * and written once. */
        size_t j = 0;
        while (j < i && !(c->psub[j].h == p->h && c->psub[j].reason)) j++;
        if (j < i) p->dup = 1;
        else k++;
    }
    c->nclosed += k;
    return k;
}

size_t txs_cases_closed(const txs_cases *c) { return c->nclosed; }

size_t txs_cases_count(const txs_cases *c) { return c->n; }

size_t txs_cases_count_kind(const txs_cases *c, int kind)
{
    return c->nkind[kind == TXS_CASE_SANCTIONS ? 0 : 1];
}

/* "key":"escaped" (the value is already escaped JSON string contents). */
static void put_raw_str(txs_buf *b, const char *key, txs_slice v)
{
    txs_buf_printf(b, ",\"%s\":\"", key);
    txs_buf_put(b, v.p, v.n);
    txs_buf_putc(b, '"');
}

static void write_case(const kase *k, txs_buf *b)
{
    char id[TXS_CASE_ID_LEN + 1], ts[21], amt[48];
    id_of(k->kind, k->h, id);
    txs_buf_printf(b, "{\"case_id\":\"%s\",\"kind\":\"%s\",\"status\":\"%s\",\"subject\":{", id,
                   k->kind == TXS_CASE_SANCTIONS ? "sanctions" : "typology",
                   k->prev ? "continuing" : "new");
    if (k->kind == TXS_CASE_SANCTIONS) {
        txs_buf_puts(b, "\"party\":\"");
        txs_buf_put(b, k->a.p, k->a.n);
        txs_buf_putc(b, '"');
        put_raw_str(b, "list", k->b);
        put_raw_str(b, "entry", k->c);
    } else {
        txs_buf_puts(b, "\"account\":\"");
        txs_buf_put(b, k->a.p, k->a.n);
        txs_buf_putc(b, '"');
        put_raw_str(b, "family", k->b);
    }
    txs_ts_format(k->first, ts);
    txs_buf_printf(b, "},\"first_seen\":\"%s\"", ts);
    txs_ts_format(k->last, ts);
    txs_buf_printf(b, ",\"last_seen\":\"%s\",\"alerts\":%llu,\"highest_score\":%d,"
                      "\"highest_band\":\"%s\",\"total_amount\":[",
                   ts, (unsigned long long)k->nalerts, k->max_score, txs_band_name(k->max_band));
    for (size_t i = 0; i < k->namt; i++) {
        const txs_currency *cur = txs_currency_get(k->amt[i].currency);
        txs_buf_printf(b, "%s{\"currency\":\"%s\",\"amount\":", i ? "," : "",
                       cur ? cur->code : "");
        if (k->amt[i].overflow) {
            txs_buf_puts(b, "null,\"amount_overflow\":true}");
            continue;
        }
        int n = txs_amount_format(k->amt[i].sum, cur ? cur->exponent : 0, amt, sizeof amt);
        txs_buf_json_str(b, amt, n > 0 ? (size_t)n : 0);
        txs_buf_putc(b, '}');
    }
    txs_buf_puts(b, "],\"rules\":[");
    for (size_t i = 0; i < k->nrules; i++) {
        if (i) txs_buf_putc(b, ',');
        txs_buf_json_cstr(b, k->rules[i]);
    }
    txs_buf_puts(b, "],\"txn_ids\":[");
    for (size_t i = 0; i < k->ntxn; i++) {
        if (i) txs_buf_putc(b, ',');
        txs_buf_json_str(b, k->txn[i].p, k->txn[i].n);
    }
    txs_buf_puts(b, "]}\n");
}

/* 1 when this run raised the case with hash h (it is then written above
 * as raised, not as closed). */
static int raised(const txs_cases *c, uint64_t h)
{
    for (size_t j = c->tcap ? (size_t)h & (c->tcap - 1) : 0; c->tcap && c->tab[j];
         j = (j + 1) & (c->tcap - 1))
        if (c->v[c->tab[j] - 1].h == h) return 1;
    return 0;
}

static void write_closed(const prev_case *p, txs_buf *b)
{
    char id[TXS_CASE_ID_LEN + 1];
    id_of(TXS_CASE_SANCTIONS, p->h, id);
    txs_buf_printf(b, "{\"case_id\":\"%s\",\"kind\":\"sanctions\",\"status\":\"closed\","
                      "\"subject\":{\"party\":\"", id);
    txs_buf_put(b, p->a.p, p->a.n);
    txs_buf_putc(b, '"');
    put_raw_str(b, "list", p->b);
    put_raw_str(b, "entry", p->c);
    txs_buf_puts(b, "},\"reason\":");
    txs_buf_json_cstr(b, p->reason);
    txs_buf_puts(b, "}\n");
}

int txs_cases_write(const txs_cases *c, txs_buf *b)
{
    for (size_t i = 0; i < c->n && !b->oom; i++) write_case(&c->v[i], b);
    for (size_t i = 0; i < c->npsub && !b->oom; i++)
        if (c->psub[i].reason && !c->psub[i].dup && !raised(c, c->psub[i].h))
            write_closed(&c->psub[i], b);
    return b->oom ? TXS_E_NOMEM : TXS_OK;
}
