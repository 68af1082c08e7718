/*
 * state_events.c: one account's events and history: the event a record
 * makes for each side (amount converted to the base currency once, texts
 * cut to fixed room), its insertion in time order with expiry by channel
 * class and the TXS_EV_MAX bound, the window a kind judges, and the history
 * aggregates (30-day buckets, Welford mean and variance) the history kinds
 * read, folded in after the rules have seen the event.
 *
 * Invariant: ev[] stays sorted by event time; an event is dropped only by
 * expiry (counted in expired) or the bound (counted in truncated).
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rules/state_int.h"
#include "txs/values.h"

void txs__state_copy_text(char *dst, uint8_t *dn, const char *p, size_t n, size_t cap)
{
    if (n <= cap) {
        memcpy(dst, p, n);
        *dn = (uint8_t)n;
        return;
    }
    /* the head, '~', 8 hex digits of the whole text's xxh3 */
    static const char hex[] = "0123456789abcdef";
    uint64_t h = XXH3_64bits(p, n);
    size_t head = cap - 9;
    memcpy(dst, p, head);
    dst[head] = '~';
    for (int i = 0; i < 8; i++) dst[head + 1 + i] = hex[(h >> (28 - 4 * i)) & 15];
    *dn = (uint8_t)cap;
}

int txs__state_ev_insert(txs_state *s, txs_acct *a, const txs_ev *e)
{
    if (e->ts > a->max_ts || a->n == 0) a->max_ts = e->ts > a->max_ts ? e->ts : a->max_ts;
    if (a->first_ts == 0 || e->ts < a->first_ts) a->first_ts = e->ts;
    int64_t cut_cash = a->max_ts - s->keep_cash, cut_other = a->max_ts - s->keep_other;
    if (a->n && a->ev[0].ts < (cut_cash > cut_other ? cut_cash : cut_other)) {
        int w = 0; /* keep order; drop each by its own class's horizon */
        for (int i = 0; i < a->n; i++) {
            const txs_ev *x = &a->ev[i];
            int cash = x->channel == TXS_CH_CASH;
            if (x->ts < (cash ? cut_cash : cut_other)) continue;
            if (w != i) a->ev[w] = *x;
            w++;
        }
        s->st.expired += (uint64_t)(a->n - w);
        a->n = (uint16_t)w;
    }
    if (a->n == a->cap) {
        if (a->cap < TXS_EV_MAX) {
            uint16_t nc = a->cap ? (uint16_t)(a->cap * 2) : 2;
            txs_ev *nv = realloc(a->ev, nc * sizeof *nv);
            if (nv == NULL) return -1;
            a->ev = nv;
            a->cap = nc;
        } else {
            memmove(a->ev, a->ev + 1, (size_t)(a->n - 1) * sizeof *a->ev);
            a->n--;
            s->st.truncated++;
        }
    }
    int i = a->n;
    while (i > 0 && a->ev[i - 1].ts > e->ts) {
        a->ev[i] = a->ev[i - 1];
        i--;
    }
    a->ev[i] = *e;
    a->n++;
    return i;
}

void txs__state_fold(txs_acct *a, const txs_ev *e)
{
    int64_t bi = e->ts / TXS_BUCKET_SECS;
    if (a->hist_n == 0 && a->bucket == 0) a->bucket = bi;
    if (bi > a->bucket) {
        int64_t sh = bi - a->bucket;
        for (int i = 2; i >= 0; i--) {
            a->bmax[i] = i - sh >= 0 ? a->bmax[i - sh] : 0;
            a->bcnt[i] = i - sh >= 0 ? a->bcnt[i - sh] : 0;
        }
        a->bucket = bi;
    }
    /* Amount history is kept over the account's own outgoing transfers:
     * card spending and cash have scales of their own, and what others pay
     * in is their behaviour, not this account's. */
    int transfer = e->dir == TXS_EV_OUT && e->channel != TXS_CH_CARD &&
                   e->channel != TXS_CH_CASH;
    int64_t k = a->bucket - bi;
    if (k >= 0 && k <= 2) {
        a->bcnt[k]++;
        if (transfer && e->base > a->bmax[k]) a->bmax[k] = e->base;
    }
    if (transfer && e->base > 0) {
        a->hist_n++;
        double x = (double)e->base, d = x - a->mean;
        a->mean += d / (double)a->hist_n;
        a->m2 += d * (x - a->mean);
    }
    if (e->ts > a->last_ts) a->last_ts = e->ts;
}

void txs__state_window(const txs_actx *c, int64_t window, int64_t *from, int64_t *to)
{
    int64_t now = c->a->ev[c->cur].ts, latest = c->a->ev[c->a->n - 1].ts;
    int64_t end = now >= latest - window ? latest : now;
    if (end < now) end = now;
    *from = end - window;
    *to = end;
}

static int64_t pow10i(int e)
{
    int64_t v = 1;
    while (e-- > 0) v *= 10;
    return v;
}

void txs__state_make_event(txs_ev *e, const txs_txn *t, int dir, const txs_party *cp,
                       int64_t base, uint64_t cp_h0)
{
    memset(e, 0, sizeof *e);
    e->ts = t->ts;
    e->base = base;
    e->dir = (uint8_t)dir;
    e->channel = t->channel;
    const txs_currency *cur = txs_currency_get(t->currency);
    int64_t unit = pow10i(cur ? cur->exponent : 2);
    if (t->amount > 0) {
        if (t->amount % (100 * unit) == 0) e->flags |= TXS_EVF_R100;
        if (t->amount % (1000 * unit) == 0) e->flags |= TXS_EVF_R1000;
        if (t->amount % (10000 * unit) == 0) e->flags |= TXS_EVF_R10000;
    }
    uint64_t h[2];
    if (cp->account.n) {
        e->cp = cp_h0;
        txs__state_copy_text(e->cpt, &e->cpt_n, cp->account.p, cp->account.n, TXS_EV_TEXT);
    } else if (cp->name.n) {
        txs__state_ident(cp->name.p, cp->name.n, 1, h);
        e->cp = h[0];
        txs__state_copy_text(e->cpt, &e->cpt_n, cp->name.p, cp->name.n, TXS_EV_TEXT);
    }
    memcpy(e->cp_cc, cp->country, 2);
    memcpy(e->cp_bank_cc, cp->bank_country, 2);
    txs__state_copy_text(e->id, &e->id_n, t->txn_id.p, t->txn_id.n, TXS_EV_ID);
}
