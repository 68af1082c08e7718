/*
 * state_eval.c: the driver that judges the stateful rules for one record:
 * the record's key (its accounts' identities, a person's name for rules
 * that link by name, the amount in the base currency), each side's event
 * inserted into the account the side owns, the account-scope kinds in rule
 * order, then the graph kinds; with partitions, each partition's share and
 * the link stage, merged in the order a single table gives (state.h).
 *
 * Invariant: the output (hits and their order, the state after) is the same
 * for a single table and for any number of partitions.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/shard.h"
#include "txs/state.h"

static int owns(const txs_state *s, const uint64_t h[2])
{
    return s->pn == 0 || txs__state_part_of(h, s->pn) == s->pk;
}

typedef struct side {
    txs_acct *a;
    int cur;
    int64_t prev_last;
    txs_slice text;
    int by_name;
} side;

/* Insert one side's event; a->NULL when the side is skipped (late, or not
 * this shard's).  Returns 0 or TXS_E_NOMEM. */
static int put_side(txs_state *s, side *sd, const txs_ev *e, const uint64_t h[2], int *late)
{
    sd->a = txs__state_get(s, h);
    if (sd->a == NULL) return TXS_E_NOMEM;
    txs_acct *a = sd->a;
    if (a->n && e->ts < a->max_ts - s->o.max_lateness) {
        s->st.late_events++;
        *late = 1;
        sd->a = NULL;
        return 0;
    }
    sd->prev_last = a->last_ts;
    sd->cur = txs__state_ev_insert(s, a, e);
    if (sd->cur < 0) return TXS_E_NOMEM;
    return 0;
}

/* Which account rules a side runs: on a person's name only those that
 * link by name; in a shard run those that need no run-wide clock; in the
 * graph job only those that do (state.h). */
enum { RUN_ALL, RUN_LINKED, RUN_LOCAL, RUN_GLOBAL };

static int run_acct_rules(txs_state *s, side *sd, const txs_txn *t, txs_rule_ctx *rc,
                          int which)
{
    txs_actx c = {0};
    c.rc = rc;
    c.rs = s->rs;
    c.t = t;
    c.a = sd->a;
    c.cur = sd->cur;
    c.account = sd->text;
    c.by_name = sd->by_name;
    c.observed_since = s->st.observed_since;
    c.prev_last = sd->prev_last;
    for (size_t i = 0; i < s->rs->nacct; i++) {
        const txs_rule *r = s->rs->acct[i];
        if (which == RUN_LINKED && !r->link_names) continue;
        if (which == RUN_LOCAL && r->ops->global) continue;
        if (which == RUN_GLOBAL && !r->ops->global) continue;
        c.slot = r->slot;
        TXS_TRY(r->ops->eval_acct(r, &c));
    }
    return 0;
}

/* A person's name as a linking key: ASCII letters upper-cased, digits kept,
 * runs of anything else one space; other bytes (UTF-8) kept as they are. */
static size_t name_key(txs_slice name, char *out, size_t cap)
{
    size_t n = 0;
    int sp = 0;
    for (size_t i = 0; i < name.n && n + 1 < cap; i++) {
        unsigned char ch = (unsigned char)name.p[i];
        if (ch >= 'a' && ch <= 'z') ch = (unsigned char)(ch - 32);
        int keep = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80;
        if (!keep) {
            sp = n > 0;
            continue;
        }
        if (sp) out[n++] = ' ';
        sp = 0;
        out[n++] = (char)ch;
    }
    return n;
}

void txs_state_key_of(const txs_state *s, const txs_txn *t, txs_state_key *k)
{
    const txs_ruleset *rs = s->rs;
    memset(k, 0, sizeof *k);
    k->base = -1;
    if (s->o.counterparties && s->o.mode == TXS_STATE_ALL) txs__cp_key(t, k);
    if (rs->nacct == 0 && rs->ngraph == 0) {
        k->skip = 1;
        return;
    }
    /* A transfer between an account and itself moves no funds between
     * parties: the stateful rules do not see it. */
    if (t->orig.account.n && t->orig.account.n == t->bene.account.n &&
        memcmp(t->orig.account.p, t->bene.account.p, t->orig.account.n) == 0) {
        k->skip = 2;
        return;
    }
    if (t->amount >= 0 &&
        txs__rules_fx_convert(&rs->fx, t->amount, t->currency, rs->fx.base, &k->base) != 0)
        k->base = -1;
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int i = 0; i < 2; i++)
        if (pt[i]->account.n) txs__state_ident(pt[i]->account.p, pt[i]->account.n, 0, k->acct[i]);
    /* A person who deposits (withdraws) cash without an account: rules that
     * link accounts by name follow the person across accounts. */
    if (!rs->any_link_names || k->base < s->link_lo) return; /* under every linking band */
    for (int i = 0; i < 2; i++) {
        const txs_party *p = pt[i], *other = pt[1 - i];
        if (p->account.n || p->name.n == 0 || other->account.n == 0) continue;
        char key[256];
        size_t kn = name_key(p->name, key, sizeof key);
        if (kn == 0) continue;
        txs__state_ident(key, kn, 1, k->name[i]);
        k->named[i] = 1;
    }
}

/* Feed t (its key computed) to s: a table of its own (pn 0), or partition
 * pk of pn, which takes the sides it owns and, with lk, hands the link
 * stage what it owns (state.h).  *rank (may be NULL): the first side fed
 * here. */
static int eval_core(txs_state *s, const txs_txn *t, const txs_state_key *key, txs_arena *arena,
                     txs_hit *out, size_t cap, size_t *n, size_t *dropped, int *late, int *rank,
                     txs_state_link *lk)
{
    const txs_ruleset *rs = s->rs;
    int is_late = 0, lead = s->pk == 0; /* counts the record-wide figures */
    if (late) *late = 0;
    if (rank) *rank = 4;
    TXS_TRY(txs__cp_feed(s, t, key));
    if (key->skip) {
        if (key->skip == 2 && lead) s->st.self_transfers++;
        return 0;
    }
    if (s->st.observed_since == 0) /* the first record's day, UTC midnight */
        s->st.observed_since = t->ts - ((t->ts % 86400) + 86400) % 86400;
    if (t->ts > s->st.max_ts) s->st.max_ts = t->ts;
    const int64_t base = key->base;
    if (base < 0 && lead) s->st.unconverted++;
    /* two parties and up to two linked persons: no growth below (reserve) */
    if (txs__state_reserve(s, 4) < 0) return TXS_E_NOMEM;
    txs_rule_ctx rc = {arena, out, cap, *n < cap ? *n : cap, 0, NULL};
    int mode = s->o.mode;
    side sd[2] = {{0}, {0}};
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int k = 0; k < 2; k++) {
        const txs_party *p = pt[k];
        if (p->account.n == 0 || !owns(s, key->acct[k])) continue;
        if (mode == TXS_STATE_SHARD && txs_shard_of(p->account, s->o.shard_n) != s->o.shard_k)
            continue;
        txs_ev e;
        txs__state_make_event(&e, t, k == 0 ? TXS_EV_OUT : TXS_EV_IN, pt[1 - k], base, key->acct[1 - k][0]);
        TXS_TRY(put_side(s, &sd[k], &e, key->acct[k], &is_late));
        sd[k].text = p->account;
        if (lk) lk->side[k] = sd[k].a != NULL;
        if (rank && *rank == 4) *rank = k;
    }
    /* Account-scope rules, orig side first, in rule order within a side;
     * the caller orders all typology hits by rule (stable). */
    int which = mode == TXS_STATE_SHARD ? RUN_LOCAL : mode == TXS_STATE_GRAPH ? RUN_GLOBAL
                                                                             : RUN_ALL;
    for (int k = 0; k < 2; k++)
        if (sd[k].a) TXS_TRY(run_acct_rules(s, &sd[k], t, &rc, which));
    /* Persons followed by name (txs_state_key_of). */
    for (int k = 0; k < 2 && mode != TXS_STATE_SHARD; k++) {
        if (!key->named[k] || !owns(s, key->name[k])) continue;
        if (rank && *rank == 4) *rank = 2 + k;
        txs_ev e;
        txs__state_make_event(&e, t, k == 0 ? TXS_EV_OUT : TXS_EV_IN, pt[1 - k], base, key->acct[1 - k][0]);
        side ns = {0};
        TXS_TRY(put_side(s, &ns, &e, key->name[k], &is_late));
        if (ns.a == NULL) continue;
        ns.text = pt[k]->name;
        ns.by_name = 1;
        TXS_TRY(run_acct_rules(s, &ns, t, &rc, RUN_LINKED));
        txs__state_fold(ns.a, &ns.a->ev[ns.cur]);
    }
    if (rs->ngraph && mode != TXS_STATE_SHARD && s->pn == 0) {
        txs_gctx g = {&rc, rs, t, sd[0].a, sd[1].a, base, 0, NULL, 0};
        for (size_t i = 0; i < rs->ngraph; i++) {
            const txs_rule *r = rs->graph[i];
            g.slot = r->slot;
            TXS_TRY(r->ops->eval_graph(r, &g));
        }
    } else if (rs->ngraph && lk && sd[0].a) {
        /* the payer's part of the graph kinds: what they read of its events */
        for (size_t i = 0; i < rs->ngraph && i < TXS_STATE_LINK_RULES; i++) {
            const txs_rule *r = rs->graph[i];
            lk->nsrc[i] = (uint8_t)(r->ops->graph_src ? r->ops->graph_src(r, sd[0].a, t, base,
                                                                          key->acct[1][0],
                                                                          lk->src[i])
                                                      : 0);
        }
    }
    for (int k = 0; k < 2; k++)
        if (sd[k].a) txs__state_fold(sd[k].a, &sd[k].a->ev[sd[k].cur]);
    if (is_late) s->st.late_records++;
    if (late) *late = is_late;
    *n = rc.n;
    if (dropped) *dropped += rc.dropped;
    return 0;
}

int txs_state_eval_part(txs_state *s, unsigned k, const txs_txn *t, const txs_state_key *key,
                        txs_arena *a, txs_hit *out, size_t cap, size_t *n, size_t *dropped,
                        int *late, int *rank, txs_state_link *lk)
{
    if (k >= s->nparts) return TXS_E_ARG;
    return eval_core(s->part[k], t, key, a, out, cap, n, dropped, late, rank, lk);
}

int txs_state_eval_link(txs_state *s, const txs_txn *t, const txs_state_key *key,
                        const txs_state_link *lk, int late, txs_arena *arena, txs_hit *out,
                        size_t cap, size_t *n, size_t *dropped)
{
    const txs_ruleset *rs = s->rs;
    if (s->nparts == 0) return TXS_E_ARG;
    s->st.late_records += late != 0;
    if (rs->ngraph == 0 || lk == NULL || key->skip) return 0;
    txs_state *g = s->link;
    if (txs__state_reserve(g, 2) < 0) return TXS_E_NOMEM;
    /* Accounts without flow lists yet are read as empty ones and entered
     * only when a kind gave them a list, so the table holds the accounts
     * in flows, not every account. */
    txs_acct tmp[2], *ac[2] = {NULL, NULL};
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int k = 0; k < 2; k++) {
        if (pt[k]->account.n == 0 || !lk->side[k]) continue;
        ac[k] = txs__state_find(g, key->acct[k]);
        if (ac[k] == NULL) {
            memset(&tmp[k], 0, sizeof tmp[k]);
            tmp[k].h[0] = key->acct[k][0];
            tmp[k].h[1] = key->acct[k][1];
            ac[k] = &tmp[k];
        }
    }
    txs_rule_ctx rc = {arena, out, cap, *n < cap ? *n : cap, 0, NULL};
    txs_gctx gc = {&rc, rs, t, ac[0], ac[1], key->base, 0, NULL, 0};
    int rc_ = 0;
    for (size_t i = 0; i < rs->ngraph && rc_ == 0; i++) {
        const txs_rule *r = rs->graph[i];
        gc.slot = r->slot;
        gc.src = i < TXS_STATE_LINK_RULES && ac[0] ? lk->src[i] : NULL;
        gc.nsrc = gc.src ? lk->nsrc[i] : 0;
        rc_ = r->ops->eval_graph(r, &gc);
    }
    for (int k = 0; k < 2; k++) {
        if (ac[k] != &tmp[k]) continue;
        if (tmp[k].g.capreach == 0 && tmp[k].g.capbr == 0) continue;
        txs_acct *d = rc_ == 0 ? txs__state_get(g, tmp[k].h) : NULL;
        if (d == NULL) {
            free(tmp[k].g.reach);
            free(tmp[k].g.br);
            rc_ = TXS_E_NOMEM;
            continue;
        }
        d->g = tmp[k].g;
    }
    if (rc_ < 0) return rc_;
    *n = rc.n;
    if (dropped) *dropped += rc.dropped;
    return 0;
}

/* The partitions' hits in rank order, then the link stage's: the order a
 * single table gives (state.h). */
static int eval_parts(txs_state *s, const txs_txn *t, txs_arena *arena, txs_hit *out,
                      size_t cap, size_t *n, size_t *dropped, int *late)
{
    txs_state_link lk;
    memset(&lk, 0, sizeof lk);
    txs_state_key key;
    txs_state_key_of(s, t, &key);
    int rank[TXS_STATE_PARTS_MAX];
    size_t np[TXS_STATE_PARTS_MAX];
    int any_late = 0;
    for (unsigned k = 0; k < s->nparts; k++) {
        int lt = 0;
        np[k] = 0;
        TXS_TRY(txs_state_eval_part(s, k, t, &key, arena, s->tmp + k * TXS_MAX_HITS,
                                    TXS_MAX_HITS, &np[k], dropped, &lt, &rank[k], &lk));
        any_late |= lt;
    }
    for (int r = 0; r < 4; r++)
        for (unsigned k = 0; k < s->nparts; k++) {
            if (rank[k] != r) continue;
            for (size_t i = 0; i < np[k]; i++) {
                if (*n < cap) out[(*n)++] = s->tmp[k * TXS_MAX_HITS + i];
                else if (dropped) (*dropped)++;
            }
        }
    if (late) *late = any_late;
    return txs_state_eval_link(s, t, &key, &lk, any_late, arena, out, cap, n, dropped);
}

int txs_state_eval(txs_state *s, const txs_txn *t, txs_arena *arena, txs_hit *out, size_t cap,
                   size_t *n, size_t *dropped, int *late)
{
    if (s->nparts) return eval_parts(s, t, arena, out, cap, n, dropped, late);
    txs_state_key key;
    txs_state_key_of(s, t, &key);
    return txs_state_eval_key(s, t, &key, arena, out, cap, n, dropped, late);
}

int txs_state_eval_key(txs_state *s, const txs_txn *t, const txs_state_key *key,
                       txs_arena *arena, txs_hit *out, size_t cap, size_t *n, size_t *dropped,
                       int *late)
{
    if (s->nparts) return eval_parts(s, t, arena, out, cap, n, dropped, late);
    return eval_core(s, t, key, arena, out, cap, n, dropped, late, NULL, NULL);
}
