/*
 * state_table.c: the account table of the per-account state (state_int.h
 * draws it): creating and freeing a state and its partitions, the figures
 * it reports, identities, and the open-addressing table from identity to
 * account, with the graph kinds' flow lists grown on use.
 *
 * Memory per account (docs/rules.md "Memory"): a txs_acct (136 bytes) and
 * its table slot (16 bytes at a load factor of at most 1/2, so 16-32),
 * plus 104 bytes per event kept within the longest horizon (+ lateness),
 * at most TXS_EV_MAX, plus 80 bytes per cycle reach entry and 104 per
 * scatter-gather branch, grown on use, for accounts in cross-account flows.
 *
 * Invariant: accts[] moves only when it grows, which txs__state_reserve
 * does up front, so the driver's pointers to both parties' accounts stay
 * valid while it judges a record.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rules/state_int.h"
#include "txs/state.h"

int txs_ruleset_stateful(const txs_ruleset *rs)
{
    return rs && (rs->nacct || rs->ngraph);
}

static int create_one(const txs_ruleset *rs, const txs_state_opts *o, txs_state **out);

int txs_state_create(const txs_ruleset *rs, const txs_state_opts *o, txs_state **out)
{
    unsigned np = o ? o->parts : 0;
    if (np < 2 || o->mode != TXS_STATE_ALL) {
        TXS_TRY(create_one(rs, o, out));
        (*out)->ledger = txs__ledger_new();
        if ((*out)->ledger) return TXS_OK;
        txs_state_free(*out);
        *out = NULL;
        return TXS_E_NOMEM;
    }
    if (np > TXS_STATE_PARTS_MAX) np = TXS_STATE_PARTS_MAX;
    txs_state_opts one = *o;
    one.parts = 0;
    txs_state *s;
    TXS_TRY(create_one(rs, &one, &s));
    s->ledger = txs__ledger_new();
    s->part = calloc(np, sizeof *s->part);
    s->tmp = malloc(np * TXS_MAX_HITS * sizeof *s->tmp);
    int rc = s->part && s->tmp && s->ledger ? create_one(rs, &one, &s->link) : TXS_E_NOMEM;
    for (unsigned k = 0; rc == 0 && k < np; k++) {
        rc = create_one(rs, &one, &s->part[k]);
        if (rc == 0) {
            s->part[k]->pn = np;
            s->part[k]->pk = k;
        }
        s->nparts = k + 1;
    }
    if (rc < 0) {
        txs_state_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int create_one(const txs_ruleset *rs, const txs_state_opts *o, txs_state **out)
{
    txs_state *s = calloc(1, sizeof *s);
    if (s == NULL) return TXS_E_NOMEM;
    s->rs = rs;
    if (o) s->o = *o;
    if (s->o.max_lateness < 0) s->o.max_lateness = 0;
    if (s->o.mode == TXS_STATE_SHARD && s->o.shard_n == 0) s->o.mode = TXS_STATE_ALL;
    /* Events live as long as a rule reading their channel looks back: cash
     * for the 30-day structuring window, the rest for a week. */
    s->link_lo = INT64_MAX;
    for (int g = 0; g < 2; g++) {
        const txs_rule *const *v = g ? rs->graph : rs->acct;
        size_t nv = g ? rs->ngraph : rs->nacct;
        for (size_t i = 0; i < nv; i++) {
            const txs_rule *r = v[i];
            int64_t h = r->ops->horizon ? r->ops->horizon(r) : rs->horizon;
            if ((r->ev_channels & (1u << TXS_CH_CASH)) && h > s->keep_cash) s->keep_cash = h;
            if ((r->ev_channels & ~(1u << TXS_CH_CASH)) && h > s->keep_other) s->keep_other = h;
            if (r->link_names && r->link_lo < s->link_lo) s->link_lo = r->link_lo;
        }
    }
    s->keep_cash += s->o.max_lateness;
    s->keep_other += s->o.max_lateness;
    s->rules_hash = txs_ruleset_hash(rs);
    s->mask = 1023;
    s->slots = calloc(s->mask + 1, sizeof *s->slots);
    if (s->slots == NULL) {
        free(s);
        return TXS_E_NOMEM;
    }
    *out = s;
    return 0;
}

void txs_state_free(txs_state *s)
{
    if (s == NULL) return;
    for (unsigned k = 0; k < s->nparts; k++) txs_state_free(s->part[k]);
    free(s->part);
    free(s->tmp);
    txs__ledger_free(s->ledger);
    txs_state_free(s->link);
    for (size_t i = 0; i < s->n; i++) {
        free(s->accts[i].ev);
        free(s->accts[i].g.reach);
        free(s->accts[i].g.br);
    }
    free(s->accts);
    free(s->slots);
    txs__cp_free(&s->cp);
    txs__case_free(&s->cases);
    txs__state_raw_free(s);
    free(s->lists_prev);
    free(s->lists_now);
    free(s);
}

/* Heap bytes of s's events and flow lists. */
static uint64_t list_bytes(const txs_state *s)
{
    uint64_t b = 0;
    for (size_t i = 0; i < s->n; i++) {
        const txs_acct *a = &s->accts[i];
        b += a->cap * sizeof(txs_ev) + a->g.capreach * sizeof(txs_reach) +
             a->g.capbr * sizeof(txs_branch);
    }
    return b;
}

static void count_table(txs_state *s)
{
    s->st.accounts = s->n;
    s->st.bytes = s->n * (sizeof(txs_acct) + 2 * sizeof(txs__slot)) + list_bytes(s);
    uint64_t ev = 0;
    for (size_t i = 0; i < s->n; i++) ev += s->accts[i].n;
    s->st.events = ev;
}

const txs_state_stats *txs_state_get_stats(txs_state *s)
{
    s->st.counterparties = txs__cp_count(s, &s->st.cp_bytes);
    if (s->nparts == 0) {
        count_table(s);
        return &s->st;
    }
    /* Per-record figures are counted by partition 0 alone; per-account ones
     * are summed, each account living in one partition. */
    txs_state_stats *t = &s->st;
    const txs_state_stats *p0 = &s->part[0]->st;
    t->accounts = t->events = t->late_events = t->expired = t->truncated = 0;
    t->bytes = list_bytes(s->link);
    t->unconverted = p0->unconverted;
    t->self_transfers = p0->self_transfers;
    t->observed_since = p0->observed_since;
    t->max_ts = p0->max_ts;
    for (unsigned k = 0; k < s->nparts; k++) {
        txs_state *q = s->part[k];
        count_table(q);
        t->accounts += q->st.accounts;
        t->events += q->st.events;
        t->bytes += q->st.bytes;
        t->late_events += q->st.late_events;
        t->expired += q->st.expired;
        t->truncated += q->st.truncated;
    }
    return t;
}

unsigned txs_state_parts(const txs_state *s)
{
    return s->nparts;
}

int txs_state_needs_link(const txs_state *s)
{
    return s->rs->ngraph > 0;
}

void txs__state_ident(const char *p, size_t n, int tag, uint64_t h[2])
{
    XXH128_hash_t x = XXH3_128bits_withSeed(p, n, (XXH64_hash_t)tag);
    h[0] = x.low64 ? x.low64 : 1; /* 0 means "no counterparty" */
    h[1] = x.high64;
}

static int grow_slots(txs_state *s)
{
    size_t nm = (s->mask + 1) * 2 - 1;
    txs__slot *ns = calloc(nm + 1, sizeof *ns);
    if (ns == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        const txs_acct *a = &s->accts[i];
        size_t j = (size_t)a->h[0] & nm;
        while (ns[j].idx) j = (j + 1) & nm;
        ns[j].tag = (uint32_t)a->h[1];
        ns[j].idx = (uint32_t)i + 1;
    }
    free(s->slots);
    s->slots = ns;
    s->mask = nm;
    return 0;
}

int txs__state_reserve(txs_state *s, size_t k)
{
    if (s->n + k <= s->cap) return 0;
    size_t nc = s->cap ? s->cap + s->cap / 2 : 1024;
    if (nc < s->n + k) nc = s->n + k;
    txs_acct *na = realloc(s->accts, nc * sizeof *na);
    if (na == NULL) return TXS_E_NOMEM;
    s->accts = na;
    s->cap = nc;
    return 0;
}

txs_acct *txs__state_find(const txs_state *s, const uint64_t h[2])
{
    for (size_t j = (size_t)h[0] & s->mask; s->slots[j].idx; j = (j + 1) & s->mask) {
        if (s->slots[j].tag != (uint32_t)h[1]) continue;
        txs_acct *a = &s->accts[s->slots[j].idx - 1];
        if (a->h[0] == h[0] && a->h[1] == h[1]) return a;
    }
    return NULL;
}

/* One identity's step of txs_state_prefetch: 0 its slot; 1 (the slot
 * arrived) its account, every line of it; 2 (the account arrived) its
 * oldest and newest events and its graph entries. */
static void prefetch_one(const txs_state *s, const uint64_t h[2], int step)
{
    if ((h[0] == 0 && h[1] == 0) || s->slots == NULL) return;
    if (step == 0) {
        __builtin_prefetch(&s->slots[(size_t)h[0] & s->mask]);
        return;
    }
    if (step == 1) { /* the slots only (fetched at step 0): each account whose tag fits */
        for (size_t j = (size_t)h[0] & s->mask; s->slots[j].idx; j = (j + 1) & s->mask)
            if (s->slots[j].tag == (uint32_t)h[1]) {
                const txs_acct *a = &s->accts[s->slots[j].idx - 1];
                for (size_t at = 0; at < sizeof *a; at += 64) __builtin_prefetch((const char *)a + at);
                __builtin_prefetch((const char *)a + sizeof *a - 1);
            }
        return;
    }
    const txs_acct *a = txs__state_find(s, h);
    if (a == NULL) return;
    if (a->n) {
        __builtin_prefetch(&a->ev[0]);
        __builtin_prefetch(&a->ev[a->n - 1]);
    }
    if (a->g.nreach) __builtin_prefetch(a->g.reach); /* the graph kinds' entries */
    if (a->g.nbr) __builtin_prefetch(a->g.br);
}

void txs_state_prefetch(const txs_state *s, unsigned part, const txs_state_key *k, int step)
{
    if (k->skip || (s->nparts && part >= s->nparts)) return;
    const txs_state *t = s->nparts ? s->part[part] : s;
    for (int i = 0; i < 2; i++) {
        if (!s->nparts || txs__state_part_of(k->acct[i], s->nparts) == part)
            prefetch_one(t, k->acct[i], step);
        if (k->named[i] && (!s->nparts || txs__state_part_of(k->name[i], s->nparts) == part))
            prefetch_one(t, k->name[i], step);
    }
}

txs_acct *txs__state_get(txs_state *s, const uint64_t h[2])
{
    size_t j = (size_t)h[0] & s->mask;
    for (; s->slots[j].idx; j = (j + 1) & s->mask) {
        if (s->slots[j].tag != (uint32_t)h[1]) continue;
        txs_acct *a = &s->accts[s->slots[j].idx - 1];
        if (a->h[0] == h[0] && a->h[1] == h[1]) return a;
    }
    if ((s->n + 1) * 2 > s->mask + 1) {
        if (grow_slots(s) < 0) return NULL;
        j = (size_t)h[0] & s->mask;
        while (s->slots[j].idx) j = (j + 1) & s->mask;
    }
    if (s->n == s->cap && txs__state_reserve(s, 1) < 0) return NULL;
    if (s->n >= UINT32_MAX - 1) return NULL;
    txs_acct *a = &s->accts[s->n];
    memset(a, 0, sizeof *a);
    a->h[0] = h[0];
    a->h[1] = h[1];
    s->slots[j].tag = (uint32_t)h[1];
    s->slots[j].idx = (uint32_t)++s->n;
    return a;
}

int txs__graph_more_reach(txs_graph *g)
{
    if (g->nreach < g->capreach) return 0;
    if (g->capreach >= TXS_REACH_MAX) return 1;
    uint8_t nc = g->capreach ? (uint8_t)(g->capreach * 2) : 2;
    if (nc > TXS_REACH_MAX) nc = TXS_REACH_MAX; /* a loaded list has any size */
    txs_reach *p = realloc(g->reach, nc * sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    g->reach = p;
    g->capreach = nc;
    return 0;
}

int txs__graph_more_branches(txs_graph *g)
{
    if (g->nbr < g->capbr) return 0;
    if (g->capbr >= TXS_BRANCH_MAX) return 1;
    uint8_t nc = g->capbr ? (uint8_t)(g->capbr * 2) : 2;
    if (nc > TXS_BRANCH_MAX) nc = TXS_BRANCH_MAX;
    txs_branch *p = realloc(g->br, nc * sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    g->br = p;
    g->capbr = nc;
    return 0;
}
