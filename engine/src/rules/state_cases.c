/*
 * state_cases.c: the open cases a state carries from run to run (state.h
 * "Cases", state_int.h draws the register), and their section of the state
 * file (version 5, state_file.c frames it).
 *
 * The register is written to by the case table once a run is over
 * (cases.c txs_cases_record: every case raised put with its latest time,
 * every case closed dropped) and read by the next run before its first
 * alert (txs_cases_previous_state).  It is bounded by time: writing the
 * state drops every case whose latest alerted transaction is older than
 * the state's latest event minus the retention (the counterparties'
 * retention, default 396 days), so a case not raised again for that long
 * is new when it comes back.
 *
 * Section (little-endian): u64 ncases, then per case in (h, kind) order
 * u64 h, i64 last_ts, u32 kind, u32 length of each of party, list and
 * entry, and their bytes (a typology case has none).
 *
 * Invariants: one record per (h, kind); the section's order is a function
 * of its contents, so the bytes do not depend on threads or on the order
 * cases were raised.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/emit.h"
#include "txs/state.h"

#define CASE_REC 32u /* a case's fixed bytes in the file */

void txs__case_free(txs__casereg *r)
{
    free(r->v);
    free(r->slot);
    free(r->pool);
    memset(r, 0, sizeof *r);
}

static int rehash(txs__casereg *r, size_t ns)
{
    uint32_t *s = txs_slots_build(r->v, r->n, sizeof *r->v, offsetof(txs__case, h), ns);
    if (s == NULL) return TXS_E_NOMEM;
    free(r->slot);
    r->slot = s;
    r->mask = ns - 1;
    return TXS_OK;
}

/* The slot of (kind, h): its record, or the empty slot where it goes. */
static uint32_t *find_slot(const txs__casereg *r, int kind, uint64_t h)
{
    for (size_t j = (size_t)h & r->mask;; j = (j + 1) & r->mask) {
        uint32_t x = r->slot[j];
        if (x == 0 || (r->v[x - 1].h == h && r->v[x - 1].kind == kind)) return &r->slot[j];
    }
}

static int pool_put(txs__casereg *r, const txs_slice *f, uint64_t *off)
{
    size_t n = f[0].n + f[1].n + f[2].n;
    if (r->pcap - r->pn < n) {
        size_t cap = r->pcap ? r->pcap : 4096;
        while (cap - r->pn < n) cap *= 2;
        char *p = realloc(r->pool, cap);
        if (p == NULL) return TXS_E_NOMEM;
        r->pool = p;
        r->pcap = cap;
    }
    *off = r->pn;
    for (int i = 0; i < 3; i++) {
        if (f[i].n) memcpy(r->pool + r->pn, f[i].p, f[i].n);
        r->pn += f[i].n;
    }
    return TXS_OK;
}

/* Put c into r; dup: TXS_E_FORMAT when it is there already (a file's). */
static int put(txs__casereg *r, const txs_state_case *c, int dup)
{
    if (r->mask == 0 || (r->n + 1) * 2 > r->mask + 1)
        TXS_TRY(rehash(r, r->mask ? (r->mask + 1) * 2 : 256));
    uint32_t *slot = find_slot(r, c->kind, c->h);
    if (*slot) {
        txs__case *x = &r->v[*slot - 1];
        if (dup) return TXS_E_FORMAT;
        if (x->gone || c->last_ts > x->last_ts) x->last_ts = c->last_ts;
        x->gone = 0;
        return TXS_OK;
    }
    if (r->n == UINT32_MAX - 1) return TXS_E_NOMEM;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        txs__case *v = realloc(r->v, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        r->v = v;
        r->cap = cap;
    }
    txs__case *x = &r->v[r->n];
    memset(x, 0, sizeof *x);
    const txs_slice f[3] = {c->a, c->b, c->c};
    for (int i = 0; i < 3; i++)
        if (f[i].n > UINT32_MAX) return TXS_E_NOMEM;
    TXS_TRY(pool_put(r, f, &x->off));
    x->h = c->h;
    x->last_ts = c->last_ts;
    x->kind = (uint8_t)c->kind;
    for (int i = 0; i < 3; i++) x->n[i] = (uint32_t)f[i].n;
    *slot = (uint32_t)(++r->n);
    return TXS_OK;
}

int txs_state_case_put(txs_state *s, const txs_state_case *c)
{
    return put(&s->cases, c, 0);
}

void txs_state_case_drop(txs_state *s, int kind, uint64_t h)
{
    txs__casereg *r = &s->cases;
    if (r->mask == 0) return;
    uint32_t *slot = find_slot(r, kind, h);
    if (*slot) r->v[*slot - 1].gone = 1;
}

size_t txs_state_case_count(const txs_state *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->cases.n; i++) k += !s->cases.v[i].gone;
    return k;
}

/* A case's sort key and where its record is. */
typedef struct case_key {
    uint64_t h;
    uint32_t kind, i;
} case_key;

static int key_cmp(const void *x, const void *y)
{
    const case_key *a = x, *b = y;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

int txs_state_cases(txs_state *s, int (*fn)(void *ctx, const txs_state_case *c), void *ctx)
{
    const txs__casereg *r = &s->cases;
    case_key *ix = malloc((r->n ? r->n : 1) * sizeof *ix);
    if (ix == NULL) return TXS_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].gone) ix[k++] = (case_key){r->v[i].h, r->v[i].kind, (uint32_t)i};
    qsort(ix, k, sizeof *ix, key_cmp);
    int rc = TXS_OK;
    for (size_t i = 0; i < k && rc >= 0; i++) {
        const txs__case *x = &r->v[ix[i].i];
        /* A typology case stores no subject text: the pool may be NULL. */
        const char *p = r->pool ? r->pool + x->off : "";
        txs_state_case c = {x->h, x->kind, x->last_ts, {p, x->n[0]},
                            {p + x->n[0], x->n[1]}, {p + x->n[0] + x->n[1], x->n[2]}};
        rc = fn(ctx, &c);
    }
    free(ix);
    return rc;
}

static int put_rec(void *ctx, const txs_state_case *c)
{
    txs_buf *b = ctx;
    uint32_t kind = (uint32_t)c->kind, n[3] = {(uint32_t)c->a.n, (uint32_t)c->b.n,
                                               (uint32_t)c->c.n};
    txs_buf_put(b, &c->h, 8);
    txs_buf_put(b, &c->last_ts, 8);
    txs_buf_put(b, &kind, 4);
    txs_buf_put(b, n, 12);
    txs_buf_put(b, c->a.p, c->a.n);
    txs_buf_put(b, c->b.p, c->b.n);
    txs_buf_put(b, c->c.p, c->c.n);
    return b->oom ? TXS_E_NOMEM : TXS_OK;
}

int64_t txs_state_retention(const txs_state *s)
{
    return s->o.cp_retention > 0 ? s->o.cp_retention : TXS_STATE_CP_RETENTION;
}

int txs__case_section(txs_state *s, txs_buf *b)
{
    txs_state_get_stats(s); /* the latest event time, over the partitions */
    int64_t ret = txs_state_retention(s);
    int64_t cut = s->st.max_ts > INT64_MIN + ret ? s->st.max_ts - ret : INT64_MIN;
    for (size_t i = 0; i < s->cases.n; i++)
        if (s->cases.v[i].last_ts < cut) s->cases.v[i].gone = 1;
    uint64_t n = txs_state_case_count(s);
    txs_buf_put(b, &n, 8);
    if (b->oom) return TXS_E_NOMEM;
    return txs_state_cases(s, put_rec, b);
}

int txs__case_load(txs_state *s, const unsigned char *p, size_t n, size_t *at)
{
    uint64_t nc;
    size_t k = 0;
    *at = 0;
    if (n < 8) return TXS_E_FORMAT;
    memcpy(&nc, p, 8);
    k = 8;
    if (nc > (n - k) / CASE_REC) return TXS_E_FORMAT;
    for (uint64_t i = 0; i < nc; i++) {
        *at = k;
        txs_state_case c;
        uint32_t kind, f[3];
        if (n - k < CASE_REC) return TXS_E_FORMAT;
        memcpy(&c.h, p + k, 8);
        memcpy(&c.last_ts, p + k + 8, 8);
        memcpy(&kind, p + k + 16, 4);
        memcpy(f, p + k + 20, 12);
        k += CASE_REC;
        uint64_t len = (uint64_t)f[0] + f[1] + f[2];
        if (kind > 1 || len > n - k || (kind == 1 && len)) return TXS_E_FORMAT;
        c.kind = (int)kind;
        c.a = (txs_slice){(const char *)p + k, f[0]};
        c.b = (txs_slice){(const char *)p + k + f[0], f[1]};
        c.c = (txs_slice){(const char *)p + k + f[0] + f[1], f[2]};
        k += (size_t)len;
        int rc = put(&s->cases, &c, 1);
        if (rc < 0) return rc;
    }
    *at = k;
    return k == n ? TXS_OK : TXS_E_FORMAT;
}
