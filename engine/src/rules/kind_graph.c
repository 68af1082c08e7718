/*
 * kind_graph.c: the graph-scope kinds (state_int.h), which follow funds
 * from one account to the next, so they need every account's events in one
 * process: cycle (round-tripping) and scatter_gather.  docs/rules.md gives
 * each a written definition, its parameters and sources.
 *
 * cycle: each account keeps up to TXS_REACH_MAX "reach" entries: funds that
 * left an origin at some time and arrived here after h transfers.  A
 * transfer A -> B of value x carries A's entries on to B when it follows
 * them in time, stays within the window from the origin's first transfer,
 * and x is within [ratio_min, ratio_max] of the previous hop (so unrelated
 * payments do not chain); when an entry's origin is B, the funds came back:
 * a cycle of h + 1 transfers.  Entries are bounded (oldest replaced), so
 * memory stays fixed per account.
 *
 * scatter_gather: when B pays T an amount within the ratio band of money B
 * received within the window from S, T records the branch S -> B -> T.
 * When branches from one source S through min_branches distinct accounts
 * B reach T within the window, the funds were scattered and gathered.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/emit.h"
#include "txs/values.h"

typedef struct gparams {
    int cycle;               /* 1: cycle, 0: scatter_gather */
    int base;
    int64_t window;
    uint32_t channels;
    int64_t min_amount;
    int64_t rlo, rhi;        /* ppm of the previous hop's amount */
    uint32_t max_hops, min_hops, min_branches;
} gparams;

static const char *const k_cycle[] = {"window", "max_hops", "min_hops", "min_amount",
                                      "ratio_min", "ratio_max", "channels", NULL};
static const char *const k_sg[] = {"window", "min_branches", "min_amount", "ratio_min",
                                   "ratio_max", "channels", NULL};

#define PARAM(key, type, field) {key, TXS__P_##type, offsetof(gparams, field), 0}
static const txs__param PARAMS[] = {
    PARAM("window", DURATION, window),       PARAM("max_hops", COUNT, max_hops),
    PARAM("min_hops", COUNT, min_hops),      PARAM("min_branches", COUNT, min_branches),
    PARAM("min_amount", MONEY, min_amount),  PARAM("ratio_min", RATIO, rlo),
    PARAM("ratio_max", RATIO, rhi),          PARAM("channels", CHANNELS, channels),
};
#undef PARAM

static int gcompile(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                    const txs_ruleset *rs, txs_diag *d, int cycle)
{
    gparams *p = calloc(1, sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    r->impl = p;
    p->cycle = cycle;
    p->base = rs->fx.base;
    p->window = cycle ? 7 * 86400 : 72 * 3600;
    p->channels = ~0u & ~(1u << TXS_CH_CARD) & ~(1u << TXS_CH_CASH);
    p->rlo = 500000;
    p->rhi = 1100000;
    p->max_hops = 6;
    p->min_hops = 3;
    p->min_branches = 3;
    TXS_TRY(txs__rules_need_base(r, rs, doc, params, d));
    TXS_TRY(txs__rules_read_params(r, params, doc, rs, PARAMS, TXS_ARRAY_LEN(PARAMS), cycle, p,
                                   d));
    if (p->rlo > p->rhi)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "rule '%s': ratio_min is above ratio_max", r->info.id);
    /* scatter_gather reads the intermediary's inflows of any channel */
    r->ev_channels = cycle ? p->channels : ~0u & ~(1u << TXS_CH_CASH);
    if (cycle && (p->min_hops < 2 || p->min_hops > p->max_hops || p->max_hops > 32))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "rule '%s': need 2 <= min_hops <= max_hops <= 32", r->info.id);
    if (!cycle && p->min_branches < 2)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "rule '%s': min_branches must be at least 2", r->info.id);
    return 0;
}

static int c_cycle(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                   const txs_ruleset *rs, txs_diag *d)
{
    return gcompile(r, params, doc, rs, d, 1);
}

static int c_sg(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                const txs_ruleset *rs, txs_diag *d)
{
    return gcompile(r, params, doc, rs, d, 0);
}

static void gfree(txs_rule *r)
{
    free(r->impl);
    r->impl = NULL;
}

static int64_t ghorizon(const txs_rule *r)
{
    return ((const gparams *)r->impl)->window;
}

/* x within [rlo, rhi] ppm of prev. */
static int in_band(const gparams *p, int64_t x, int64_t prev)
{
    if (prev <= 0 || x <= 0) return 0;
    __int128 x6 = (__int128)x * TXS_RULES_PPM;
    return x6 >= (__int128)prev * p->rlo && x6 <= (__int128)prev * p->rhi;
}

static void copy_text(char *dst, uint8_t *dn, txs_slice s, size_t cap)
{
    txs__state_copy_text(dst, dn, s.p, s.n, cap);
}

/* ------------------------------------------------------------------ cycle */

/* Put e into g's reach: replace an entry of the same origin (the newer or
 * shorter path wins), else a free or expired slot, else the oldest. */
static int reach_put(txs_graph *g, const txs_reach *e, int64_t now, int64_t window)
{
    int victim = -1;
    for (int i = 0; i < g->nreach; i++)
        if (g->reach[i].origin == e->origin) {
            if (g->reach[i].hops < e->hops && g->reach[i].start >= e->start) return 0;
            g->reach[i] = *e;
            return 0;
        }
    if (g->nreach == g->capreach) { /* before growing, drop spent and stale entries */
        int w = 0;
        for (int i = 0; i < g->nreach; i++)
            if (g->reach[i].hops != 0 && now - g->reach[i].start <= window)
                g->reach[w++] = g->reach[i];
        g->nreach = (uint8_t)w;
    }
    int rc = txs__graph_more_reach(g);
    if (rc < 0) return rc;
    if (rc == 0) {
        g->reach[g->nreach++] = *e;
        return 0;
    }
    for (int i = 0; i < g->nreach; i++) {
        if (now - g->reach[i].start > window) {
            victim = i;
            break;
        }
        if (victim < 0 || g->reach[i].start < g->reach[victim].start) victim = i;
    }
    g->reach[victim] = *e;
    return 0;
}

TXS_RULES_COLD static int cycle_hit(const txs_rule *r, txs_gctx *c, const txs_reach *e)
{
    const gparams *p = r->impl;
    const txs_txn *t = c->t;
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    char ts[21];
    txs_buf_init_arena(&b, c->rc->arena, 384);
    txs_buf_puts(&b, "{\"window\":");
    char dur[24];
    txs__state_fmt_duration(p->window, dur);
    txs_buf_json_cstr(&b, dur);
    txs_ts_format(e->start, ts);
    txs_buf_json_key(&b, "from", 0);
    txs_buf_json_cstr(&b, ts);
    txs_ts_format(t->ts, ts);
    txs_buf_json_key(&b, "to", 0);
    txs_buf_json_cstr(&b, ts);
    txs_buf_json_key(&b, "hops", 0);
    char num[16];
    int n = snprintf(num, sizeof num, "%u", (unsigned)e->hops + 1u);
    txs_buf_put(&b, num, (size_t)n);
    txs_buf_json_key(&b, "txn_ids", 0);
    txs_buf_puts(&b, "[");
    txs_buf_json_str(&b, e->first_id, e->id_n);
    txs_buf_puts(&b, ",");
    txs_buf_json_str(&b, t->txn_id.p, t->txn_id.n); /* the alert's own txn, whole */
    txs_buf_puts(&b, "]");
    txs_buf_json_key(&b, "returned", 0);
    txs__state_put_money(&b, c->base, p->base);
    txs_buf_json_key(&b, "currency", 0);
    txs_buf_json_cstr(&b, txs_currency_get(p->base)->code);
    txs_buf_json_key(&b, "counterparties", 0);
    txs_buf_puts(&b, "[");
    txs_buf_json_str(&b, t->orig.account.p, t->orig.account.n);
    txs_buf_puts(&b, "]}");
    txs_slice ev;
    TXS_TRY(txs_buf_done(&b, &ev));
    txs__rules_emit(c->rc, r, 1.0, t->bene.account, ev);
    return 0;
}

TXS_RULES_COLD static int cycle_eval(const txs_rule *r, txs_gctx *c)
{
    const gparams *p = r->impl;
    const txs_txn *t = c->t;
    txs_acct *A = c->orig, *B = c->bene;
    if (A == NULL || B == NULL || A == B) return 0;
    if (t->channel >= 32 || !((p->channels >> t->channel) & 1u)) return 0;
    if (c->base <= 0 || c->base < p->min_amount) return 0;
    txs_graph *gb = &B->g, *ga = &A->g;
    int hit = 0;
    for (int i = 0; i < ga->nreach; i++) {
        txs_reach *e = &ga->reach[i];
        if (e->hops == 0 || t->ts - e->start > p->window || t->ts < e->last) continue;
        if (!in_band(p, c->base, e->amount)) continue;
        if (e->origin == B->h[0]) {
            if ((uint32_t)e->hops + 1 >= p->min_hops && !hit) {
                TXS_TRY(cycle_hit(r, c, e));
                hit = 1;
                e->hops = 0; /* spent: one alert per returning flow */
            }
            continue;
        }
        if ((uint32_t)e->hops + 1 >= p->max_hops) continue;
        txs_reach n = *e;
        n.hops++;
        n.last = t->ts;
        n.amount = c->base;
        TXS_TRY(reach_put(gb, &n, t->ts, p->window));
    }
    txs_reach n;
    memset(&n, 0, sizeof n);
    n.origin = A->h[0];
    n.start = n.last = t->ts;
    n.amount = c->base;
    n.hops = 1;
    copy_text(n.first_id, &n.id_n, t->txn_id, TXS_EV_ID);
    return reach_put(gb, &n, t->ts, p->window);
}

/* --------------------------------------------------------- scatter-gather */

TXS_RULES_COLD static int sg_hit(const txs_rule *r, txs_gctx *c, txs_graph *g,
                                 uint64_t source, int64_t from)
{
    const gparams *p = r->impl;
    const txs_txn *t = c->t;
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    char ts[21], dur[24];
    txs_buf_init_arena(&b, c->rc->arena, 512);
    txs__state_fmt_duration(p->window, dur);
    txs_buf_puts(&b, "{\"window\":");
    txs_buf_json_cstr(&b, dur);
    txs_ts_format(from, ts);
    txs_buf_json_key(&b, "from", 0);
    txs_buf_json_cstr(&b, ts);
    txs_ts_format(t->ts, ts);
    txs_buf_json_key(&b, "to", 0);
    txs_buf_json_cstr(&b, ts);
    int64_t total = 0;
    int k = 0;
    txs_buf_json_key(&b, "txn_ids", 0);
    txs_buf_puts(&b, "[");
    for (int i = 0; i < g->nbr; i++) {
        txs_branch *x = &g->br[i];
        if (x->source != source || x->ts < from) continue;
        if (k++) txs_buf_puts(&b, ",");
        txs_buf_json_str(&b, x->id, x->id_n);
        total += x->amount;
    }
    txs_buf_puts(&b, "]");
    txs_buf_json_key(&b, "total", 0);
    txs__state_put_money(&b, total, p->base);
    txs_buf_json_key(&b, "currency", 0);
    txs_buf_json_cstr(&b, txs_currency_get(p->base)->code);
    txs_buf_json_key(&b, "counterparties", 0);
    txs_buf_puts(&b, "[");
    k = 0;
    for (int i = 0; i < g->nbr; i++) {
        txs_branch *x = &g->br[i];
        if (x->source != source || x->ts < from) continue;
        if (k++) txs_buf_puts(&b, ",");
        txs_buf_json_str(&b, x->via_t, x->via_n);
        x->source = 0; /* spent */
    }
    txs_buf_puts(&b, "]}");
    txs_slice ev;
    TXS_TRY(txs_buf_done(&b, &ev));
    txs__rules_emit(c->rc, r, 1.0, t->bene.account, ev);
    return 0;
}

/* Sources: the payer B's inflows within the window whose value this
 * payment carries on (within the ratio band), newest first, at most 3. */
static int sg_sources(const txs_rule *r, const txs_acct *B, const txs_txn *t, int64_t base,
                      uint64_t T0, uint64_t *src)
{
    const gparams *p = r->impl;
    if (t->channel >= 32 || !((p->channels >> t->channel) & 1u)) return 0;
    if (base <= 0 || base < p->min_amount) return 0;
    int ns = 0;
    for (int i = B->n - 1; i >= 0 && ns < 3; i--) {
        const txs_ev *e = &B->ev[i];
        if (e->dir != TXS_EV_IN || e->ts > t->ts || t->ts - e->ts > p->window) continue;
        if (e->cp == 0 || e->cp == T0 || !in_band(p, base, e->base)) continue;
        int dup = 0;
        for (int j = 0; j < ns; j++) dup |= src[j] == e->cp;
        if (!dup) src[ns++] = e->cp;
    }
    return ns;
}

TXS_RULES_COLD static int sg_eval(const txs_rule *r, txs_gctx *c)
{
    const gparams *p = r->impl;
    const txs_txn *t = c->t;
    txs_acct *B = c->orig, *T = c->bene;
    if (B == NULL || T == NULL || B == T) return 0;
    uint64_t src[3];
    int ns = c->src ? c->nsrc : sg_sources(r, B, t, c->base, T->h[0], src);
    if (c->src) memcpy(src, c->src, (size_t)ns * sizeof *src);
    if (ns == 0) return 0;
    txs_graph *g = &T->g;
    int64_t from = t->ts - p->window;
    for (int s = 0; s < ns; s++) {
        /* drop spent and expired branches, then add this one */
        int w = 0;
        for (int i = 0; i < g->nbr; i++)
            if (g->br[i].source != 0 && g->br[i].ts >= from) g->br[w++] = g->br[i];
        g->nbr = (uint8_t)w;
        txs_branch nb;
        memset(&nb, 0, sizeof nb);
        nb.source = src[s];
        nb.via = B->h[0];
        nb.ts = t->ts;
        nb.amount = c->base;
        copy_text(nb.id, &nb.id_n, t->txn_id, TXS_EV_ID);
        copy_text(nb.via_t, &nb.via_n, t->orig.account, TXS_EV_TEXT);
        int dup = 0;
        for (int i = 0; i < g->nbr; i++)
            dup |= g->br[i].source == nb.source && g->br[i].via == nb.via;
        if (!dup) {
            int rc = txs__graph_more_branches(g);
            if (rc < 0) return rc;
            if (rc == 1) { /* full: the oldest branch goes */
                memmove(&g->br[0], &g->br[1], (size_t)(g->nbr - 1) * sizeof g->br[0]);
                g->nbr--;
            }
            g->br[g->nbr++] = nb;
        }
        uint32_t vias = 0;
        for (int i = 0; i < g->nbr; i++) {
            if (g->br[i].source != nb.source) continue;
            int seen = 0;
            for (int j = 0; j < i; j++)
                seen |= g->br[j].source == nb.source && g->br[j].via == g->br[i].via;
            vias += !seen;
        }
        if (vias >= p->min_branches) return sg_hit(r, c, g, nb.source, from);
    }
    return 0;
}

const txs_rule_ops txs__kind_cycle = {.kind = "cycle",
                                      .param_keys = k_cycle,
                                      .compile = c_cycle,
                                      .free = gfree,
                                      .scope = TXS_SCOPE_GRAPH,
                                      .eval_graph = cycle_eval,
                                      .horizon = ghorizon};

const txs_rule_ops txs__kind_scatter_gather = {.kind = "scatter_gather",
                                               .param_keys = k_sg,
                                               .compile = c_sg,
                                               .free = gfree,
                                               .scope = TXS_SCOPE_GRAPH,
                                               .eval_graph = sg_eval,
                                               .graph_src = sg_sources,
                                               .horizon = ghorizon};
