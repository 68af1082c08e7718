/*
 * state.c: per-account state (state.h, state_int.h): the account table,
 * event insertion with lateness and expiry, the history aggregates, the
 * driver that judges the stateful rules, and the --state file.
 *
 * Memory per account (docs/rules.md "Memory"): a txs_acct (136 bytes) and
 * its table slot (16 bytes at a load factor of at most 1/2, so 16-32),
 * plus 104 bytes per event kept within the longest horizon (+ lateness),
 * at most TXS_EV_MAX, plus 80 bytes per cycle reach entry and 104 per
 * scatter-gather branch, grown on use, for accounts in cross-account flows.
 *
 * State file (version 3), little-endian, written atomically:
 *   "TXSSTATE" u32 version u32 reserved u64 ruleset_hash i64 observed_since
 *   i64 max_ts u64 naccounts, u32 ninputs u32 reserved and the inputs
 *   absorbed (state_ledger.c; version 2 had neither), then per account in identity order (h[0],
 *   then h[1], so the bytes do not depend on partitions or the order
 *   accounts were first seen): the txs_acct fields (no
 *   pointers), u16 nevents, the events, u8 nreach, u8 nbranches, the reach
 *   entries, the branches; then
 *   u64 xxh3 of everything before it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "rules/state_int.h"
#include "txs/emit.h"
#include "txs/shard.h"
#include "txs/state.h"
#include "txs/values.h"

typedef struct slot {
    uint32_t tag;   /* low 32 bits of h[1], 0 with idx 0: empty */
    uint32_t idx;   /* index + 1 into accts */
} slot;

struct txs_state {
    const txs_ruleset *rs;
    txs_state_opts o;
    slot *slots;
    size_t mask;            /* nslots - 1 */
    txs_acct *accts;
    size_t n, cap;
    int64_t keep_cash;      /* cash events: horizon of the rules reading
                               cash, + lateness */
    int64_t keep_other;     /* other events: likewise */
    int64_t link_lo;        /* persons: smallest amount any linking rule
                               counts; INT64_MAX: no linking rule */
    uint64_t rules_hash;
    txs_state_stats st;
    /* A partition of a partitioned state: pn partitions, this is pk.  pn 0:
     * a table of its own (every account). */
    unsigned pn, pk;
    /* A partitioned state: its partitions and the link table (flow lists
     * of the graph kinds), and room for txs_state_eval's sequential feed. */
    unsigned nparts;
    txs_state **part;
    txs_state *link;
    txs_hit *tmp;           /* [nparts * TXS_MAX_HITS] */
    txs__ledger *ledger;    /* inputs absorbed; NULL in partitions */
};

/* The partition (of pn) an identity lives in: the top half of h[1], which
 * the table does not use for its slot index (h[0]) nor tag (low half). */
static unsigned part_of(const uint64_t h[2], unsigned pn)
{
    return (unsigned)(((h[1] >> 32) * (uint64_t)pn) >> 32);
}

static int owns(const txs_state *s, const uint64_t h[2])
{
    return s->pn == 0 || part_of(h, s->pn) == s->pk;
}

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
    s->st.bytes = s->n * (sizeof(txs_acct) + 2 * sizeof(slot)) + list_bytes(s);
    uint64_t ev = 0;
    for (size_t i = 0; i < s->n; i++) ev += s->accts[i].n;
    s->st.events = ev;
}

const txs_state_stats *txs_state_get_stats(txs_state *s)
{
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

/* ----------------------------------------------------------------- table */

void txs__state_ident(const char *p, size_t n, int tag, uint64_t h[2])
{
    XXH128_hash_t x = XXH3_128bits_withSeed(p, n, (XXH64_hash_t)tag);
    h[0] = x.low64 ? x.low64 : 1; /* 0 means "no counterparty" */
    h[1] = x.high64;
}

static int grow_slots(txs_state *s)
{
    size_t nm = (s->mask + 1) * 2 - 1;
    slot *ns = calloc(nm + 1, sizeof *ns);
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

/* Room for k more accounts.  txs_state_eval reserves before it looks up
 * any account, because growing moves accts and would leave the pointers it
 * holds to the other party's account dangling. */
static int reserve(txs_state *s, size_t k)
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

/* The account with identity h, or NULL. */
static txs_acct *acct_find(const txs_state *s, const uint64_t h[2])
{
    for (size_t j = (size_t)h[0] & s->mask; s->slots[j].idx; j = (j + 1) & s->mask) {
        if (s->slots[j].tag != (uint32_t)h[1]) continue;
        txs_acct *a = &s->accts[s->slots[j].idx - 1];
        if (a->h[0] == h[0] && a->h[1] == h[1]) return a;
    }
    return NULL;
}

/* The account with identity h, created zeroed when absent; NULL: no memory. */
static txs_acct *acct_get(txs_state *s, const uint64_t h[2])
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
    if (s->n == s->cap && reserve(s, 1) < 0) return NULL;
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

/* ---------------------------------------------------------------- events */

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

/* Insert e into a (sorted by ts); expire events older than the horizon;
 * returns the new event's index, or -1 when out of memory. */
static int ev_insert(txs_state *s, txs_acct *a, const txs_ev *e)
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

/* Fold the new event into the history aggregates (after the rules). */
static void fold(txs_acct *a, const txs_ev *e)
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

/* ---------------------------------------------------------------- evidence */

void txs__state_fmt_duration(int64_t secs, char out[24])
{
    if (secs % 86400 == 0) snprintf(out, 24, "P%lldD", (long long)(secs / 86400));
    else if (secs % 3600 == 0) snprintf(out, 24, "PT%lldH", (long long)(secs / 3600));
    else if (secs % 60 == 0) snprintf(out, 24, "PT%lldM", (long long)(secs / 60));
    else snprintf(out, 24, "PT%lldS", (long long)secs);
}

void txs__state_put_money(txs_buf *b, int64_t v, int base)
{
    char num[40];
    int len = txs_amount_format(v, txs_currency_get(base)->exponent, num, sizeof num);
    txs_buf_json_str(b, num, len > 0 ? (size_t)len : 0);
}

void txs__state_put_events(txs_buf *b, const txs_acct *a, const int *idx, int k,
                           int64_t from, int64_t to, int64_t window, int base, int with_total)
{
    char ts[21], dur[24], num[24];
    txs__state_fmt_duration(window, dur);
    txs_buf_json_key(b, "window", 1);
    txs_buf_json_cstr(b, dur);
    txs_ts_format(from, ts);
    txs_buf_json_key(b, "from", 0);
    txs_buf_json_cstr(b, ts);
    txs_ts_format(to, ts);
    txs_buf_json_key(b, "to", 0);
    txs_buf_json_cstr(b, ts);
    int n = snprintf(num, sizeof num, "%d", k);
    txs_buf_json_key(b, "count", 0);
    txs_buf_put(b, num, (size_t)n);
    if (with_total) {
        int64_t total = 0;
        for (int j = 0; j < k; j++)
            if (a->ev[idx[j]].base > 0) total += a->ev[idx[j]].base;
        txs_buf_json_key(b, "total", 0);
        txs__state_put_money(b, total, base);
    }
    txs_buf_json_key(b, "currency", 0);
    txs_buf_json_cstr(b, txs_currency_get(base)->code);
    txs_buf_json_key(b, "txn_ids", 0);
    txs_buf_puts(b, "[");
    for (int j = 0; j < k; j++) {
        if (j) txs_buf_puts(b, ",");
        txs_buf_json_str(b, a->ev[idx[j]].id, a->ev[idx[j]].id_n);
    }
    txs_buf_puts(b, "]");
    txs_buf_json_key(b, "counterparties", 0);
    txs_buf_puts(b, "[");
    int w = 0;
    for (int j = 0; j < k; j++) {
        const txs_ev *e = &a->ev[idx[j]];
        if (e->cpt_n == 0) continue;
        int seen = 0;
        for (int m = 0; m < j && !seen; m++) {
            const txs_ev *x = &a->ev[idx[m]];
            seen = x->cpt_n == e->cpt_n && memcmp(x->cpt, e->cpt, e->cpt_n) == 0;
        }
        if (seen) continue;
        if (w++) txs_buf_puts(b, ",");
        txs_buf_json_str(b, e->cpt, e->cpt_n);
    }
    txs_buf_puts(b, "]");
}

/* ---------------------------------------------------------------- driver */

static int64_t pow10i(int e)
{
    int64_t v = 1;
    while (e-- > 0) v *= 10;
    return v;
}

/* The event of one side of t; base amount converted once per txn.
 * cp_h0 is the counterparty account's identity (h[0]), already computed
 * for its own side, or 0 when it has no account. */
static void make_event(txs_ev *e, const txs_txn *t, int dir, const txs_party *cp,
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
    sd->a = acct_get(s, h);
    if (sd->a == NULL) return TXS_E_NOMEM;
    txs_acct *a = sd->a;
    if (a->n && e->ts < a->max_ts - s->o.max_lateness) {
        s->st.late_events++;
        *late = 1;
        sd->a = NULL;
        return 0;
    }
    sd->prev_last = a->last_ts;
    sd->cur = ev_insert(s, a, e);
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
    if (reserve(s, 4) < 0) return TXS_E_NOMEM;
    txs_rule_ctx rc = {arena, out, cap, *n < cap ? *n : cap, 0};
    int mode = s->o.mode;
    side sd[2] = {{0}, {0}};
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int k = 0; k < 2; k++) {
        const txs_party *p = pt[k];
        if (p->account.n == 0 || !owns(s, key->acct[k])) continue;
        if (mode == TXS_STATE_SHARD && txs_shard_of(p->account, s->o.shard_n) != s->o.shard_k)
            continue;
        txs_ev e;
        make_event(&e, t, k == 0 ? TXS_EV_OUT : TXS_EV_IN, pt[1 - k], base, key->acct[1 - k][0]);
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
        make_event(&e, t, k == 0 ? TXS_EV_OUT : TXS_EV_IN, pt[1 - k], base, key->acct[1 - k][0]);
        side ns = {0};
        TXS_TRY(put_side(s, &ns, &e, key->name[k], &is_late));
        if (ns.a == NULL) continue;
        ns.text = pt[k]->name;
        ns.by_name = 1;
        TXS_TRY(run_acct_rules(s, &ns, t, &rc, RUN_LINKED));
        fold(ns.a, &ns.a->ev[ns.cur]);
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
        if (sd[k].a) fold(sd[k].a, &sd[k].a->ev[sd[k].cur]);
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
    if (reserve(g, 2) < 0) return TXS_E_NOMEM;
    /* Accounts without flow lists yet are read as empty ones and entered
     * only when a kind gave them a list, so the table holds the accounts
     * in flows, not every account. */
    txs_acct tmp[2], *ac[2] = {NULL, NULL};
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int k = 0; k < 2; k++) {
        if (pt[k]->account.n == 0 || !lk->side[k]) continue;
        ac[k] = acct_find(g, key->acct[k]);
        if (ac[k] == NULL) {
            memset(&tmp[k], 0, sizeof tmp[k]);
            tmp[k].h[0] = key->acct[k][0];
            tmp[k].h[1] = key->acct[k][1];
            ac[k] = &tmp[k];
        }
    }
    txs_rule_ctx rc = {arena, out, cap, *n < cap ? *n : cap, 0};
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
        txs_acct *d = rc_ == 0 ? acct_get(g, tmp[k].h) : NULL;
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
    return eval_core(s, t, &key, arena, out, cap, n, dropped, late, NULL, NULL);
}

/* ------------------------------------------------------------ state file */

#define STATE_MAGIC "TXSSTATE"
#define STATE_VERSION 3u
#define STATE_HDR 48u  /* through naccounts; version 3 adds 8 more */

int txs_state_has_input(const txs_state *s, uint64_t xxh3, uint64_t bytes)
{
    return txs__ledger_has(s->ledger, xxh3, bytes);
}

int txs_state_add_input(txs_state *s, const txs_state_input *in)
{
    return txs__ledger_add(s->ledger, in);
}

typedef struct wbuf {
    txs_buf b;
    uint64_t h;
    XXH3_state_t *xs;
} wbuf;

static void wput(wbuf *w, const void *p, size_t n)
{
    txs_buf_put(&w->b, p, n);
}

static int flush(wbuf *w, txs_out *o, txs_diag *d)
{
    if (w->b.oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    XXH3_64bits_update(w->xs, w->b.p, w->b.n);
    int rc = txs_out_write(o, w->b.p, w->b.n, d);
    w->b.n = 0;
    return rc;
}

/* One account to save: where it lives, ordered by identity so the file
 * does not depend on the order accounts were seen in, nor on partitions. */
typedef struct saved {
    const txs_acct *a;
    const txs_graph *g;
} saved;

static int saved_cmp(const void *x, const void *y)
{
    const txs_acct *a = ((const saved *)x)->a, *b = ((const saved *)y)->a;
    if (a->h[0] != b->h[0]) return a->h[0] < b->h[0] ? -1 : 1;
    return a->h[1] < b->h[1] ? -1 : a->h[1] > b->h[1];
}

/* Make the file that becomes path.prev when a run's outputs are published:
 * a hard link to the current state under a temporary name beside
 * path.prev (txs_out_mktemp's pattern), or an empty file before a first run, which loads as the empty state).  The
 * commit renames it over the old .prev, so a crash leaves either the old
 * .prev or the new one, never none. */
int txs_state_prev_prepare(const char *path, char *tmp, size_t cap, txs_diag *d)
{
    char prev[4096];
    if (snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "path too long");
    struct stat sb;
    int first = stat(path, &sb) < 0;
    if (first && errno != ENOENT)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot stat: %s", strerror(errno));
    /* The temporary is named as every output's is (txs_out_mktemp), so a
     * killed run's leftover is swept like the others.  The first run keeps
     * an empty file: there was no previous state. */
    int fd = txs_out_mktemp(prev, tmp, cap);
    if (fd < 0)
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(errno));
    close(fd);
    if (!first && (unlink(tmp) < 0 || link(path, tmp) < 0)) {
        int e = errno;
        unlink(tmp);
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(e));
    }
    return TXS_OK;
}

static int keep_prev(const char *path, txs_diag *d)
{
    char prev[4096], tmp[4096];
    if (snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "path too long");
    TXS_TRY(txs_state_prev_prepare(path, tmp, sizeof tmp, d));
    if (rename(tmp, prev) < 0) {
        int e = errno;
        unlink(tmp);
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(e));
    }
    return TXS_OK;
}

int txs_state_save(txs_state *s, const char *path, txs_diag *d)
{
    return txs_state_save_as(s, path, 1, d);
}

int txs_state_save_as(txs_state *s, const char *path, int keep, txs_diag *d)
{
    txs_out *o;
    TXS_TRY(txs_out_open(path, &o, d));
    int rc = txs_state_write(s, o, d);
    if (rc == 0 && keep) rc = keep_prev(path, d);
    if (rc < 0) {
        txs_out_abort(o);
        return rc;
    }
    return txs_out_commit(o, d);
}

int txs_state_write(txs_state *s, txs_out *o, txs_diag *d)
{
    const char *path = txs_out_path(o);
    size_t na = 0, k = 0;
    unsigned nt = s->nparts ? s->nparts : 1;
    for (unsigned p = 0; p < nt; p++) na += (s->nparts ? s->part[p] : s)->n;
    saved *v = malloc((na ? na : 1) * sizeof *v);
    if (v == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    static const txs_graph none;
    for (unsigned p = 0; p < nt; p++) {
        const txs_state *q = s->nparts ? s->part[p] : s;
        for (size_t i = 0; i < q->n; i++) {
            const txs_acct *a = &q->accts[i], *l = s->nparts ? acct_find(s->link, a->h) : a;
            v[k++] = (saved){a, l ? &l->g : &none};
        }
    }
    qsort(v, na, sizeof *v, saved_cmp);
    int rc = TXS_OK;
    wbuf w = {{0}, 0, XXH3_createState()};
    if (w.xs == NULL) {
        free(v);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    XXH3_64bits_reset(w.xs);
    const txs_state_stats *st = txs_state_get_stats(s);
    uint32_t ver = STATE_VERSION, zero = 0;
    uint64_t n64 = na;
    wput(&w, STATE_MAGIC, 8);
    wput(&w, &ver, 4);
    wput(&w, &zero, 4);
    wput(&w, &s->rules_hash, 8);
    wput(&w, &st->observed_since, 8);
    wput(&w, &st->max_ts, 8);
    wput(&w, &n64, 8);
    size_t nl;
    const void *lp = txs__ledger_bytes(s->ledger, &nl);
    uint32_t ni = (uint32_t)txs__ledger_count(s->ledger);
    wput(&w, &ni, 4);
    wput(&w, &zero, 4);
    if (nl) wput(&w, lp, nl);
    for (size_t i = 0; i < na && rc == 0; i++) {
        txs_acct a = *v[i].a;
        uint16_t ne = a.n;
        const txs_ev *ev = a.ev;
        txs_graph g = *v[i].g;
        a.ev = NULL;
        a.cap = 0;
        memset(&a.g, 0, sizeof a.g);
        wput(&w, &a, sizeof a);
        wput(&w, &ne, 2);
        if (ne) wput(&w, ev, ne * sizeof *ev);
        wput(&w, &g.nreach, 1);
        wput(&w, &g.nbr, 1);
        if (g.nreach) wput(&w, g.reach, g.nreach * sizeof *g.reach);
        if (g.nbr) wput(&w, g.br, g.nbr * sizeof *g.br);
        if (w.b.n > (1u << 20)) rc = flush(&w, o, d);
    }
    free(v);
    if (rc == 0) rc = flush(&w, o, d);
    if (rc == 0) {
        uint64_t h = XXH3_64bits_digest(w.xs);
        rc = txs_out_write(o, &h, 8, d);
    }
    XXH3_freeState(w.xs);
    txs_buf_free(&w.b);
    return rc;
}

int txs_state_absorb(txs_state *s, const txs_state_input *in, size_t n, const char *const *names,
                     const char *state_path, txs_diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (txs__ledger_has(s->ledger, in[i].xxh3, in[i].bytes))
            return txs_diag_set(d, TXS_E_ARG, names[i], 0,
                                "already absorbed into the state %s (xxh3 %016llx, %llu bytes): "
                                "screening it again would count its transactions twice; to "
                                "redo the last run, add --reprocess",
                                state_path, (unsigned long long)in[i].xxh3,
                                (unsigned long long)in[i].bytes);
    for (size_t i = 0; i < n; i++) TXS_TRY(txs__ledger_add(s->ledger, &in[i]));
    return TXS_OK;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
} rbuf;

static int rget(rbuf *r, void *dst, size_t n)
{
    if (r->n - r->at < n) return -1;
    memcpy(dst, r->p + r->at, n);
    r->at += n;
    return 0;
}

static int corrupt(txs_diag *d, const char *path, const char *what, size_t at);

/* Read k items of size bytes into a new heap block *dst (k > 0). */
static int rget_block(rbuf *r, void **dst, size_t k, size_t size, const char *what,
                      txs_diag *d, const char *path)
{
    *dst = malloc(k * size);
    if (*dst == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    return rget(r, *dst, k * size) ? corrupt(d, path, what, r->at) : 0;
}

static int corrupt(txs_diag *d, const char *path, const char *what, size_t at)
{
    return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                        "not a usable txscreen state file: %s (at byte %zu); remove it to "
                        "start from empty state",
                        what, at);
}

/* Map a state file read-only.  It must be a regular file (not a device or
 * FIFO, which could feed bytes without end, nor a folder); a missing one
 * gives TXS_E_NOTFOUND (a first run) and an empty one *n = 0 (the state
 * before a first run, as keep_prev leaves it).  Mapping costs nothing per
 * byte, so a wrong path is refused in microseconds, not after gigabytes. */
static int state_map(const char *path, unsigned char **buf, size_t *n, txs_diag *d)
{
    *buf = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        return txs_diag_set(d, e == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, path, 0,
                            "cannot open: %s", strerror(e));
    }
    struct stat sb;
    int rc = fstat(fd, &sb) < 0 ? txs_diag_set(d, TXS_E_IO, path, 0, "cannot stat: %s",
                                               strerror(errno))
             : !S_ISREG(sb.st_mode)
                 ? txs_diag_set(d, TXS_E_FORMAT, path, 0,
                                "not a regular file (a device, FIFO or directory); --state "
                                "takes a file txscreen wrote, or a path that does not exist yet")
                 : TXS_OK;
    if (rc == 0 && sb.st_size > 0) {
        void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) rc = txs_diag_set(d, TXS_E_IO, path, 0, "mmap: %s", strerror(errno));
        else *buf = m, *n = (size_t)sb.st_size;
    }
    close(fd);
    return rc;
}

/* Before parsing a mapped state file: our magic and a version we read,
 * and a size its account count allows (each account record lies between
 * its smallest and largest form), so a foreign or damaged file is refused
 * from its header.  *ni gets the number of inputs listed (0 in version 2). */
static int state_check(const unsigned char *h, size_t n, const char *path, uint32_t *ni,
                       txs_diag *d)
{
    *ni = 0;
    if (n < STATE_HDR || memcmp(h, STATE_MAGIC, 8) != 0)
        return corrupt(d, path, "no TXSSTATE header", 0);
    uint32_t ver;
    uint64_t na;
    memcpy(&ver, h + 8, 4);
    memcpy(&na, h + 40, 8);
    if (ver != STATE_VERSION && ver != 2)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "state file version %u; this txscreen reads versions 2 and %u", ver,
                            STATE_VERSION);
    if (ver >= 3 && n >= STATE_HDR + 4) memcpy(ni, h + STATE_HDR, 4);
    if (*ni > TXS_STATE_INPUTS_MAX) return corrupt(d, path, "bad input list", STATE_HDR);
    uint64_t head = ver >= 3 ? STATE_HDR + 8 + (uint64_t)*ni * sizeof(txs_state_input) : STATE_HDR;
    if ((uint64_t)n < head + 8)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "not a usable txscreen state file: %zu bytes cannot hold its "
                            "header; remove it to start from empty state", n);
    txs_acct a;
    uint64_t lo = sizeof a + 4,
             hi = lo + TXS_EV_MAX * sizeof *a.ev + TXS_REACH_MAX * sizeof *a.g.reach +
                  TXS_BRANCH_MAX * sizeof *a.g.br;
    uint64_t body = (uint64_t)n - head - 8;
    if (na > body / lo || body > na * hi)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "not a usable txscreen state file: %zu bytes cannot hold the "
                            "%llu accounts its header names; remove it to start from empty "
                            "state", n, (unsigned long long)na);
    return TXS_OK;
}

int txs_state_load(txs_state *s, const char *path, txs_diag *d)
{
    unsigned char *buf;
    size_t n;
    uint32_t nlisted;
    int rc = state_map(path, &buf, &n, d);
    if (rc == TXS_E_NOTFOUND || (rc == 0 && n == 0)) return 0; /* before a first run */
    if (rc < 0) return rc;
    if ((rc = state_check(buf, n, path, &nlisted, d)) < 0) goto out;
    /* The records are read first and the checksum verified after them,
     * once their end is known to be the file's end, so a file longer than
     * its header's accounts is refused without hashing the rest of it.
     * Every read below is bounds-checked; a failure stops the run. */
    rbuf r = {buf, n - 8, 0};
    char magic[8];
    uint32_t ver, zero;
    uint64_t rhash, na, sum;
    if (rget(&r, magic, 8) || rget(&r, &ver, 4) || rget(&r, &zero, 4) || rget(&r, &rhash, 8) ||
        rget(&r, &s->st.observed_since, 8) || rget(&r, &s->st.max_ts, 8) || rget(&r, &na, 8)) {
        rc = corrupt(d, path, "short header", r.at);
        goto out;
    }
    uint32_t ni = 0, pad;
    if (ver >= 3 && (rget(&r, &ni, 4) || rget(&r, &pad, 4) ||
                     r.n - r.at < (uint64_t)ni * sizeof(txs_state_input) ||
                     (rc = txs__ledger_load(s->ledger, r.p + r.at, ni)) < 0)) {
        rc = rc == TXS_E_NOMEM ? txs_diag_set(d, rc, path, 0, "out of memory")
                               : corrupt(d, path, "bad input list", r.at);
        goto out;
    }
    r.at += (size_t)ni * sizeof(txs_state_input);
    s->st.rules_changed = rhash != s->rules_hash;
    for (unsigned k = 0; k < s->nparts; k++) { /* each partition keeps the clock */
        s->part[k]->st.observed_since = s->st.observed_since;
        s->part[k]->st.max_ts = s->st.max_ts;
    }
    for (uint64_t i = 0; i < na; i++) {
        txs_acct a;
        uint16_t ne;
        if (rget(&r, &a, sizeof a) || rget(&r, &ne, 2) || ne > TXS_EV_MAX) {
            rc = corrupt(d, path, "bad account record", r.at);
            goto out;
        }
        txs_acct *dst = acct_get(s->nparts ? s->part[part_of(a.h, s->nparts)] : s, a.h);
        if (dst == NULL) {
            rc = txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
            goto out;
        }
        if (dst->n || dst->first_ts) {
            rc = corrupt(d, path, "an account appears twice", r.at);
            goto out;
        }
        a.ev = NULL;
        memset(&a.g, 0, sizeof a.g);
        a.cap = 0;
        a.n = 0;
        if (s->st.rules_changed) a.alerted = 0;
        *dst = a;
        if (ne) {
            void *v;
            rc = rget_block(&r, &v, ne, sizeof *dst->ev, "short event list", d, path);
            dst->ev = v;
            if (rc < 0) goto out;
            dst->n = dst->cap = ne;
            if (s->st.rules_changed)
                for (int j = 0; j < ne; j++) dst->ev[j].used = 0;
        }
        uint8_t nr, nb;
        if (rget(&r, &nr, 1) || rget(&r, &nb, 1) || nr > TXS_REACH_MAX || nb > TXS_BRANCH_MAX) {
            rc = corrupt(d, path, "bad graph counts", r.at);
            goto out;
        }
        if (s->nparts && (nr || nb)) { /* flow lists live in the link table */
            dst = acct_get(s->link, a.h);
            if (dst == NULL) {
                rc = txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
                goto out;
            }
        }
        void *v;
        if (nr) {
            rc = rget_block(&r, &v, nr, sizeof *dst->g.reach, "short graph record", d, path);
            dst->g.reach = v;
            if (rc < 0) goto out;
            dst->g.nreach = dst->g.capreach = nr;
        }
        if (nb) {
            rc = rget_block(&r, &v, nb, sizeof *dst->g.br, "short graph record", d, path);
            dst->g.br = v;
            if (rc < 0) goto out;
            dst->g.nbr = dst->g.capbr = nb;
        }
    }
    if (r.at != r.n) {
        rc = corrupt(d, path, "more bytes than the header's accounts hold", r.at);
        goto out;
    }
    memcpy(&sum, buf + n - 8, 8);
    if (XXH3_64bits(buf, n - 8) != sum) {
        rc = corrupt(d, path, "checksum mismatch (truncated or damaged)", n - 8);
        goto out;
    }
    s->st.loaded = 1;
    s->st.loaded_accounts = na;
out:
    munmap(buf, n);
    return rc;
}

int txs_state_file_inputs(const char *path, txs_state_input *out, size_t cap, size_t *n,
                          txs_diag *d)
{
    unsigned char *buf;
    size_t len;
    uint32_t ni = 0;
    *n = 0;
    TXS_TRY(state_map(path, &buf, &len, d));
    if (len == 0) return TXS_OK; /* the empty state */
    int rc = state_check(buf, len, path, &ni, d);
    for (uint32_t i = 0; rc == 0 && i < ni && i < cap; i++)
        memcpy(&out[i], buf + STATE_HDR + 8 + (size_t)i * sizeof *out, sizeof *out);
    if (rc == 0) *n = ni;
    munmap(buf, len);
    return rc;
}
