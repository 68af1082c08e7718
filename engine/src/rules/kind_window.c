/*
 * kind_window.c: the account-scope stateful kinds (state_int.h), one
 * account's own events at a time.  docs/rules.md gives each a written
 * definition, its parameters with their defaults, and its source.
 *
 *   window kinds   structuring, pass_through, fan_in, fan_out,
 *                  gather_scatter, round_amounts
 *   history kinds  amount_spike, velocity_spike, dormant, new_account
 *
 * Every kind is judged when a new event arrives on the account, over the
 * window that event completes (txs__state_window), and only from events
 * not yet used by an episode of the same rule; so a pattern alerts once, on
 * the transaction that completes it, and its evidence lists the episode's
 * transactions.  All amounts are base-currency minor units (the rule set's
 * fx: base), converted once per event by state_events.c; money never touches
 * floating point except in the history kinds' statistics (mean and
 * standard deviation of past amounts), which are not money.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/emit.h"
#include "txs/values.h"

enum {
    K_STRUCTURING,
    K_PASS_THROUGH,
    K_FAN_IN,
    K_FAN_OUT,
    K_GATHER_SCATTER,
    K_ROUND,
    K_AMOUNT_SPIKE,
    K_VELOCITY,
    K_DORMANT,
    K_NEW_ACCOUNT
};

typedef struct sparams {
    int kind;
    int base;                /* base currency index */
    int64_t window;          /* seconds */
    uint32_t channels;       /* bit per txs_channel */
    int dirs;                /* TXS_EV_* */
    int64_t min_amount;      /* per event, base minor; 0: none */
    int64_t threshold;       /* structuring: reporting threshold */
    int64_t band_ppm;        /* structuring: band starts at threshold x this */
    int64_t band_lo;
    uint32_t min_count;      /* events or counterparties */
    uint32_t min_count2;     /* gather_scatter: distinct receivers; round:
                                unit */
    uint32_t sum_count;      /* structuring: the sum trigger needs this many
                                sub-threshold events; 0: off */
    int64_t rlo, rhi;        /* ratio band, ppm */
    int64_t min_total;       /* pass_through: inflow at least this */
    int64_t sigma_ppm;       /* history: z-score bar, ppm; 0: off */
    int64_t factor_ppm;      /* history: x 90-day max bar, ppm; 0: off */
    int64_t span;            /* dormant_for / new_for / min_history (s) */
    int64_t warmup;          /* new_account: data seen before it counts */
    uint32_t min_history;    /* amount_spike: past events needed */
    const txs_clist *out_list;  /* pass_through: outflow corridor */
    int link_names;          /* structuring: also per person (txs_rule) */
} sparams;

/* ---------------------------------------------------------------- compile */

#define ALL_BUT_CARD (~0u & ~(1u << TXS_CH_CARD))

static const char *const k_structuring[] = {"threshold", "band", "window", "min_count",
                                            "sum_count", "channels", "direction",
                                            "link_names", NULL};
static const char *const k_pass[] = {"window", "ratio_min", "ratio_max", "min_amount",
                                     "min_total", "max_inflows", "channels", "out_list", NULL};
static const char *const k_fan[] = {"window", "min_counterparties", "min_amount", "channels",
                                    NULL};
static const char *const k_gs[] = {"window", "min_senders", "min_receivers", "min_amount",
                                   "ratio_min", "channels", NULL};
static const char *const k_round[] = {"window", "min_count", "unit", "min_amount",
                                      "channels", "direction", NULL};
static const char *const k_aspike[] = {"min_amount", "max_factor", "sigma", "min_history",
                                       "channels", "direction", NULL};
static const char *const k_velocity[] = {"window", "min_count", "sigma", "min_history",
                                         "channels", "direction", NULL};
static const char *const k_dormant[] = {"dormant_for", "min_amount", "channels",
                                        "direction", NULL};
static const char *const k_new[] = {"new_for", "min_amount", "warmup", "channels",
                                    "direction", NULL};

/* Every key of the account kinds; param_keys above says which kind takes
 * which.  min_history is a span for velocity, a count of events otherwise. */
#define PARAM(key, type, field, kinds) {key, TXS__P_##type, offsetof(sparams, field), kinds}
static const txs__param PARAMS[] = {
    PARAM("window", DURATION, window, 0),
    PARAM("dormant_for", DURATION, span, 0),
    PARAM("new_for", DURATION, span, 0),
    PARAM("warmup", DURATION, warmup, 0),
    PARAM("min_history", DURATION, span, 1u << K_VELOCITY),
    PARAM("min_history", COUNT, min_history, ~(1u << K_VELOCITY)),
    PARAM("threshold", MONEY, threshold, 0),
    PARAM("min_amount", MONEY, min_amount, 0),
    PARAM("min_total", MONEY, min_total, 0),
    PARAM("unit", COUNT, min_count2, 0),
    PARAM("band", BAND, band_ppm, 0),
    PARAM("ratio_min", RATIO, rlo, 0),
    PARAM("ratio_max", RATIO, rhi, 0),
    PARAM("max_factor", RATIO, factor_ppm, 0),
    PARAM("sigma", RATIO, sigma_ppm, 0),
    PARAM("max_inflows", COUNT, min_count, 0),
    PARAM("min_count", COUNT, min_count, 0),
    PARAM("min_counterparties", COUNT, min_count, 0),
    PARAM("min_senders", COUNT, min_count, 0),
    PARAM("sum_count", COUNT0, sum_count, 0),
    PARAM("min_receivers", COUNT, min_count2, 0),
    PARAM("channels", CHANNELS, channels, 0),
    PARAM("direction", DIRECTION, dirs, 0),
    PARAM("link_names", BOOL, link_names, 0),
    PARAM("out_list", CLIST, out_list, 0),
};
#undef PARAM

static void defaults(sparams *p, int kind)
{
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->channels = ALL_BUT_CARD;
    p->dirs = TXS_EV_IN | TXS_EV_OUT;
    switch (kind) {
    case K_STRUCTURING:
        p->window = 86400;
        p->band_ppm = 800000;
        p->min_count = 3;
        p->sum_count = 2;
        p->channels = 1u << TXS_CH_CASH;
        break;
    case K_PASS_THROUGH:
        p->window = 72 * 3600;
        p->rlo = 850000;
        p->rhi = 1150000;
        p->dirs = TXS_EV_OUT;
        p->min_count = 2; /* max_inflows */
        break;
    case K_FAN_IN:
        p->window = 86400;
        p->min_count = 5;
        p->dirs = TXS_EV_IN;
        break;
    case K_FAN_OUT:
        p->window = 8 * 3600;
        p->min_count = 5;
        p->dirs = TXS_EV_OUT;
        break;
    case K_GATHER_SCATTER:
        p->window = 72 * 3600;
        p->min_count = 3;
        p->min_count2 = 3;
        p->rlo = 0;
        p->dirs = TXS_EV_OUT;
        break;
    case K_ROUND:
        p->window = 7 * 86400;
        p->min_count = 3;
        p->dirs = TXS_EV_OUT;
        break;
    case K_AMOUNT_SPIKE:
        p->channels = ALL_BUT_CARD & ~(1u << TXS_CH_CASH); /* transfers: the history */
        p->dirs = TXS_EV_OUT;
        p->factor_ppm = 1500000;
        p->sigma_ppm = 3000000;
        p->min_history = 5;
        p->window = 90 * 86400;
        break;
    case K_VELOCITY:
        p->channels = ~0u; /* a card spree is a change in velocity too */
        p->window = 86400;
        p->min_count = 10;
        p->sigma_ppm = 3000000;
        p->span = 30 * 86400;
        break;
    case K_DORMANT:
        p->span = 180 * 86400;
        p->window = p->span;
        break;
    case K_NEW_ACCOUNT:
        p->span = 30 * 86400;
        p->warmup = 30 * 86400;
        p->window = p->span;
        break;
    }
}

static int compile_kind(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                        const txs_ruleset *rs, txs_diag *d, int kind)
{
    sparams *p = malloc(sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    r->impl = p;
    defaults(p, kind);
    p->base = rs->fx.base;
    TXS_TRY(txs__rules_need_base(r, rs, doc, params, d));
    TXS_TRY(txs__rules_read_params(r, params, doc, rs, PARAMS, TXS_ARRAY_LEN(PARAMS), kind, p,
                                   d));
    /* dormant_for / new_for are also how far back the kind reads. */
    if (kind == K_DORMANT || kind == K_NEW_ACCOUNT) p->window = p->span;
    r->link_names = p->link_names;
    r->ev_channels = p->channels;
    if (kind == K_STRUCTURING) {
        if (p->threshold <= 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                                "rule '%s': structuring needs params.threshold (the "
                                "reporting threshold, e.g. \"10000.00\")",
                                r->info.id);
        p->band_lo = (int64_t)(((__int128)p->threshold * p->band_ppm + TXS_RULES_PPM - 1) /
                               TXS_RULES_PPM);
        r->link_lo = p->band_lo;
    }
    if ((kind == K_PASS_THROUGH) && p->rlo > p->rhi)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "rule '%s': ratio_min is above ratio_max", r->info.id);
    if (kind == K_ROUND) {
        if (p->min_count2 == 0) p->min_count2 = 1000;
        if (p->min_count2 != 100 && p->min_count2 != 1000 && p->min_count2 != 10000)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                                "rule '%s': unit must be 100, 1000 or 10000 (whole units "
                                "of the transaction's currency)",
                                r->info.id);
    }
    return 0;
}

static void sfree(txs_rule *r)
{
    free(r->impl);
    r->impl = NULL;
}

/* How far back a kind reads the event list; the history kinds read the
 * aggregates (first and last activity, 30-day buckets) instead, so they
 * keep no events for their long spans. */
static int64_t shorizon(const txs_rule *r)
{
    const sparams *p = r->impl;
    switch (p->kind) {
    case K_AMOUNT_SPIKE:
    case K_DORMANT:
    case K_NEW_ACCOUNT: return 0;
    default: return p->window;
    }
}

/* ---------------------------------------------------------------- helpers */

static int passes(const sparams *p, const txs_ev *e)
{
    if (!(e->dir & p->dirs)) return 0;
    if (e->channel >= 32 || !((p->channels >> e->channel) & 1u)) return 0;
    if (p->min_amount > 0 && e->base < p->min_amount) return 0;
    return 1;
}

/* Unused events of a in [from, to] passing p (and dir mask dirs), into idx. */
static int select_ev(const txs_actx *c, const sparams *p, int dirs, int64_t from, int64_t to,
                     int *idx)
{
    const txs_acct *a = c->a;
    int k = 0, lo = 0, hi = a->n;
    while (lo < hi) { /* first event at or after from: the list is sorted */
        int mid = (lo + hi) / 2;
        if (a->ev[mid].ts < from) lo = mid + 1;
        else hi = mid;
    }
    for (int i = lo; i < a->n && a->ev[i].ts <= to; i++) {
        const txs_ev *e = &a->ev[i];
        if ((e->used >> c->slot) & 1u) continue;
        if (!(e->dir & dirs) || !passes(p, e)) continue;
        idx[k++] = i;
    }
    return k;
}

static int contains(const int *idx, int k, int i)
{
    for (int j = 0; j < k; j++)
        if (idx[j] == i) return 1;
    return 0;
}

/* Distinct counterparties among idx (cp 0 = unknown counts as one each). */
static int distinct_cps(const txs_acct *a, const int *idx, int k)
{
    int n = 0;
    for (int j = 0; j < k; j++) {
        uint64_t cp = a->ev[idx[j]].cp;
        int seen = 0;
        for (int m = 0; m < j && cp; m++)
            if (a->ev[idx[m]].cp == cp) {
                seen = 1;
                break;
            }
        n += !seen;
    }
    return n;
}

static int64_t total_of(const txs_acct *a, const int *idx, int k)
{
    int64_t s = 0;
    for (int j = 0; j < k; j++)
        if (a->ev[idx[j]].base > 0) s += a->ev[idx[j]].base;
    return s;
}

static void put_ratio(txs_buf *b, const char *key, int64_t num, int64_t den)
{
    char tmp[32];
    double v = den > 0 ? (double)num / (double)den : 0.0;
    int n = snprintf(tmp, sizeof tmp, "%.4f", v);
    txs_buf_json_key(b, key, 0);
    txs_buf_put(b, tmp, (size_t)n);
}

static void put_int(txs_buf *b, const char *key, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    txs_buf_json_key(b, key, 0);
    txs_buf_put(b, tmp, (size_t)n);
}

/* Open the evidence object: the events and, for a person, the link. */
static void ev_open(txs_buf *b, const txs_actx *c, const sparams *p, const int *idx, int k,
                    int64_t from, int64_t to, int with_total)
{
    txs_buf_init_arena(b, c->rc->arena, 512);
    txs_buf_puts(b, "{");
    if (c->by_name) txs_buf_puts(b, "\"linked_by\":\"name\",");
    txs__state_put_events(b, c->a, idx, k, from, to, p->window, p->base, with_total);
}

/* Close the evidence, mark the episode's events used and emit the hit. */
static int ev_close(txs_buf *b, txs_actx *c, const txs_rule *r, const int *idx, int k)
{
    txs_buf_puts(b, "}");
    txs_slice ev;
    TXS_TRY(txs_buf_done(b, &ev));
    for (int j = 0; j < k; j++) c->a->ev[idx[j]].used |= (uint16_t)(1u << c->slot);
    txs__rules_emit(c->rc, r, 1.0, c->account, ev);
    return 0;
}

/* ------------------------------------------------------------ window kinds */

TXS_RULES_COLD static int structuring_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    if (!passes(p, e) || e->base < 0 || e->base >= p->threshold) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    /* band: each in [band_lo, threshold); under: each below threshold */
    int band[TXS_EV_MAX], under[TXS_EV_MAX], all[TXS_EV_MAX], kb = 0, ku = 0;
    int n = select_ev(c, p, p->dirs, from, to, all);
    for (int j = 0; j < n; j++) {
        const txs_ev *x = &c->a->ev[all[j]];
        if (x->base < 0 || x->base >= p->threshold) continue;
        under[ku++] = all[j];
        if (x->base >= p->band_lo) band[kb++] = all[j];
    }
    int by_count = (uint32_t)kb >= p->min_count && contains(band, kb, c->cur);
    int64_t total = total_of(c->a, under, ku);
    /* a person (by name) is followed for deposits in the band only, so
     * the sum trigger does not apply to them (docs/rules.md) */
    int by_sum = !c->by_name && p->sum_count && (uint32_t)ku >= p->sum_count &&
                 total >= p->threshold && contains(under, ku, c->cur);
    if (!by_count && !by_sum) return 0;
    const int *idx = by_sum ? under : band;
    int k = by_sum ? ku : kb;
    if (c->by_name && distinct_cps(c->a, idx, k) < 2) return 0; /* one account: its own rule */
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    ev_open(&b, c, p, idx, k, from, to, 1);
    txs_buf_json_key(&b, "threshold", 0);
    txs__state_put_money(&b, p->threshold, p->base);
    txs_buf_json_key(&b, "band_from", 0);
    txs__state_put_money(&b, p->band_lo, p->base);
    put_int(&b, "in_band", kb);
    txs_buf_json_key(&b, "trigger", 0);
    txs_buf_puts(&b, by_count ? (by_sum ? "\"count_and_sum\"" : "\"count\"") : "\"sum\"");
    return ev_close(&b, c, r, idx, k);
}

TXS_RULES_COLD static int pass_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    if (e->dir != TXS_EV_OUT || !passes(p, e) || e->base <= 0) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    int ins[TXS_EV_MAX], outs[TXS_EV_MAX], idx[TXS_EV_MAX];
    sparams q = *p;
    q.dirs = TXS_EV_IN | TXS_EV_OUT;
    int ni = select_ev(c, &q, TXS_EV_IN, from, to, ins);
    int no = select_ev(c, &q, TXS_EV_OUT, from, to, outs);
    /* The last one to max_inflows inflows (min_count) before the new
     * outflow, newest first as a set grows: every outflow since the first
     * of them must balance them within the ratio band. */
    int first = ni - (int)p->min_count;
    for (int s = ni - 1; s >= 0 && s >= first; s--) {
        int64_t t0 = c->a->ev[ins[s]].ts;
        int64_t in = total_of(c->a, ins + s, ni - s);
        if (in <= 0 || in < p->min_total) continue;
        int ko = 0;
        for (int j = 0; j < no; j++)
            if (c->a->ev[outs[j]].ts >= t0) idx[ko++] = outs[j];
        if (!contains(idx, ko, c->cur)) continue;
        int64_t out = total_of(c->a, idx, ko);
        __int128 lo = (__int128)in * p->rlo, hi = (__int128)in * p->rhi;
        __int128 o6 = (__int128)out * TXS_RULES_PPM;
        if (o6 < lo || o6 > hi) continue;
        int corridor = 0;
        if (p->out_list) {
            for (int j = 0; j < ko && !corridor; j++) {
                const txs_ev *x = &c->a->ev[idx[j]];
                corridor = txs__rules_bit_get(p->out_list->bits, txs__rules_cc_bit(x->cp_cc)) ||
                           txs__rules_bit_get(p->out_list->bits,
                                              txs__rules_cc_bit(x->cp_bank_cc));
            }
            if (!corridor) return 0;
        }
        if (!txs__rules_room(c->rc)) return 0;
        int all[TXS_EV_MAX * 2], k = 0;
        for (int j = s; j < ni; j++) all[k++] = ins[j];
        for (int j = 0; j < ko; j++) all[k++] = idx[j];
        txs_buf b;
        ev_open(&b, c, p, all, k, from, to, 0);
        txs_buf_json_key(&b, "in_total", 0);
        txs__state_put_money(&b, in, p->base);
        txs_buf_json_key(&b, "out_total", 0);
        txs__state_put_money(&b, out, p->base);
        put_ratio(&b, "out_in_ratio", out, in);
        put_int(&b, "inflows", ni - s);
        put_int(&b, "outflows", ko);
        if (p->out_list) {
            txs_buf_json_key(&b, "out_list", 0);
            txs_buf_json_cstr(&b, p->out_list->name);
        }
        return ev_close(&b, c, r, all, k);
    }
    return 0;
}

static int fan_eval(const txs_rule *r, txs_actx *c, int dir)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    if (e->dir != dir || !passes(p, e)) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    int idx[TXS_EV_MAX];
    int k = select_ev(c, p, dir, from, to, idx);
    if ((uint32_t)k < p->min_count || !contains(idx, k, c->cur)) return 0;
    int cps = distinct_cps(c->a, idx, k);
    if ((uint32_t)cps < p->min_count) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    ev_open(&b, c, p, idx, k, from, to, 1);
    put_int(&b, "distinct_counterparties", cps);
    return ev_close(&b, c, r, idx, k);
}

TXS_RULES_COLD static int fan_in_eval(const txs_rule *r, txs_actx *c)
{
    return fan_eval(r, c, TXS_EV_IN);
}

TXS_RULES_COLD static int fan_out_eval(const txs_rule *r, txs_actx *c)
{
    return fan_eval(r, c, TXS_EV_OUT);
}

TXS_RULES_COLD static int gs_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    if (e->dir != TXS_EV_OUT || !passes(p, e)) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    int ins[TXS_EV_MAX], outs[TXS_EV_MAX];
    sparams q = *p;
    q.dirs = TXS_EV_IN | TXS_EV_OUT;
    int ni = select_ev(c, &q, TXS_EV_IN, from, to, ins);
    if ((uint32_t)ni < p->min_count) return 0;
    int senders = distinct_cps(c->a, ins, ni);
    if ((uint32_t)senders < p->min_count) return 0;
    int64_t t0 = c->a->ev[ins[0]].ts;
    int no = 0, all[TXS_EV_MAX * 2];
    int nall = select_ev(c, &q, TXS_EV_OUT, t0, to, outs);
    no = nall;
    if (!contains(outs, no, c->cur)) return 0;
    int receivers = distinct_cps(c->a, outs, no);
    if ((uint32_t)receivers < p->min_count2) return 0;
    int64_t in = total_of(c->a, ins, ni), out = total_of(c->a, outs, no);
    if (p->rlo > 0 && (__int128)out * TXS_RULES_PPM < (__int128)in * p->rlo) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    int k = 0;
    for (int j = 0; j < ni; j++) all[k++] = ins[j];
    for (int j = 0; j < no; j++) all[k++] = outs[j];
    txs_buf b;
    ev_open(&b, c, p, all, k, from, to, 0);
    put_int(&b, "senders", senders);
    put_int(&b, "receivers", receivers);
    txs_buf_json_key(&b, "in_total", 0);
    txs__state_put_money(&b, in, p->base);
    txs_buf_json_key(&b, "out_total", 0);
    txs__state_put_money(&b, out, p->base);
    return ev_close(&b, c, r, all, k);
}

static unsigned round_flag(const sparams *p)
{
    return p->min_count2 == 100 ? TXS_EVF_R100 : p->min_count2 == 1000 ? TXS_EVF_R1000
                                                                       : TXS_EVF_R10000;
}

TXS_RULES_COLD static int round_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    unsigned rf = round_flag(p);
    if (!(e->flags & rf) || !passes(p, e)) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    int all[TXS_EV_MAX], idx[TXS_EV_MAX], k = 0;
    int n = select_ev(c, p, p->dirs, from, to, all);
    for (int j = 0; j < n; j++)
        if (c->a->ev[all[j]].flags & rf) idx[k++] = all[j];
    if ((uint32_t)k < p->min_count || !contains(idx, k, c->cur)) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    ev_open(&b, c, p, idx, k, from, to, 1);
    put_int(&b, "round_unit", p->min_count2);
    return ev_close(&b, c, r, idx, k);
}

/* ----------------------------------------------------------- history kinds */

/* Largest base amount over the last three 30-day buckets (about 90 days)
 * before the new event, and the events in them. */
static int64_t hist_max(const txs_acct *a, int64_t ts, uint32_t *count)
{
    int64_t bi = ts / TXS_BUCKET_SECS, shift = bi - a->bucket, m = 0;
    uint32_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (shift + i > 2 || shift < 0) { /* bucket aged out (or clock went back) */
            if (shift < 0 && i == 0) { /* late event: use what we have */
                for (int j = 0; j < 3; j++) {
                    if (a->bmax[j] > m) m = a->bmax[j];
                    n += a->bcnt[j];
                }
                break;
            }
            continue;
        }
        if (a->bmax[i] > m) m = a->bmax[i];
        n += a->bcnt[i];
    }
    if (count) *count = n;
    return m;
}

TXS_RULES_COLD static int aspike_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    const txs_acct *a = c->a;
    if (!passes(p, e) || e->base <= 0 || a->hist_n < p->min_history) return 0;
    int64_t mx = hist_max(a, e->ts, NULL);
    if (mx <= 0) return 0;
    if (p->factor_ppm && (__int128)e->base * TXS_RULES_PPM < (__int128)mx * p->factor_ppm)
        return 0;
    double sd = a->hist_n > 1 ? sqrt(a->m2 / (double)(a->hist_n - 1)) : 0.0;
    double z = sd > 0 ? ((double)e->base - a->mean) / sd : INFINITY;
    if (p->sigma_ppm && z * TXS_RULES_PPM < (double)p->sigma_ppm) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    int idx[1] = {c->cur};
    txs_buf b;
    ev_open(&b, c, p, idx, 1, e->ts, e->ts, 1);
    txs_buf_json_key(&b, "max_90d", 0);
    txs__state_put_money(&b, mx, p->base);
    txs_buf_json_key(&b, "mean", 0);
    txs__state_put_money(&b, (int64_t)llround(a->mean), p->base);
    txs_buf_json_key(&b, "stddev", 0);
    txs__state_put_money(&b, (int64_t)llround(sd), p->base);
    char tmp[32];
    int n = isfinite(z) ? snprintf(tmp, sizeof tmp, "%.2f", z) : snprintf(tmp, sizeof tmp, "null");
    txs_buf_json_key(&b, "z", 0);
    txs_buf_put(&b, tmp, (size_t)n);
    put_int(&b, "history_events", a->hist_n);
    return ev_close(&b, c, r, idx, 1);
}

TXS_RULES_COLD static int velocity_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    const txs_acct *a = c->a;
    if (!passes(p, e)) return 0;
    if (a->first_ts == 0 || e->ts - a->first_ts < p->span) return 0;
    int64_t from, to;
    txs__state_window(c, p->window, &from, &to);
    int idx[TXS_EV_MAX];
    int k = select_ev(c, p, p->dirs, from, to, idx);
    if ((uint32_t)k < p->min_count || !contains(idx, k, c->cur)) return 0;
    /* Baseline: events per window over the history before this window (the
     * 30-day buckets, at most 90 days), a Poisson rate mu with sd sqrt(mu). */
    uint32_t hn;
    hist_max(a, e->ts, &hn);
    int64_t days = (from - a->first_ts);
    if (days > 90 * 86400) days = 90 * 86400;
    if (days < p->window) return 0;
    uint32_t before = hn > (uint32_t)k ? hn - (uint32_t)k : 0;
    double mu = (double)before * (double)p->window / (double)days;
    double bar = mu + (double)p->sigma_ppm / TXS_RULES_PPM * sqrt(mu);
    if ((double)k < bar) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    txs_buf b;
    ev_open(&b, c, p, idx, k, from, to, 1);
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%.2f", mu);
    txs_buf_json_key(&b, "baseline_per_window", 0);
    txs_buf_put(&b, tmp, (size_t)n);
    n = snprintf(tmp, sizeof tmp, "%.2f", bar);
    txs_buf_json_key(&b, "bar", 0);
    txs_buf_put(&b, tmp, (size_t)n);
    return ev_close(&b, c, r, idx, k);
}

TXS_RULES_COLD static int dormant_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    if (!passes(p, e) || c->prev_last == 0 || e->ts - c->prev_last < p->span) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    int idx[1] = {c->cur};
    txs_buf b;
    ev_open(&b, c, p, idx, 1, e->ts, e->ts, 1);
    char ts[21];
    txs_ts_format(c->prev_last, ts);
    txs_buf_json_key(&b, "previous_activity", 0);
    txs_buf_json_cstr(&b, ts);
    put_int(&b, "dormant_days", (e->ts - c->prev_last) / 86400);
    return ev_close(&b, c, r, idx, 1);
}

TXS_RULES_COLD static int new_eval(const txs_rule *r, txs_actx *c)
{
    const sparams *p = r->impl;
    const txs_ev *e = &c->a->ev[c->cur];
    txs_acct *a = c->a;
    if (!passes(p, e) || ((a->alerted >> c->slot) & 1u)) return 0;
    if (a->first_ts < c->observed_since + p->warmup) return 0; /* seen since data began */
    if (e->ts - a->first_ts > p->span) return 0;
    if (!txs__rules_room(c->rc)) return 0;
    int idx[1] = {c->cur};
    txs_buf b;
    ev_open(&b, c, p, idx, 1, e->ts, e->ts, 1);
    char ts[21];
    txs_ts_format(a->first_ts, ts);
    txs_buf_json_key(&b, "first_seen", 0);
    txs_buf_json_cstr(&b, ts);
    a->alerted |= (uint16_t)(1u << c->slot);
    return ev_close(&b, c, r, idx, 1);
}

/* ---------------------------------------------------------------- the ops */

#define COMPILER(name, K)                                                             \
    static int name(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,        \
                    const txs_ruleset *rs, txs_diag *d)                               \
    {                                                                                 \
        return compile_kind(r, params, doc, rs, d, K);                                \
    }
COMPILER(c_structuring, K_STRUCTURING)
COMPILER(c_pass, K_PASS_THROUGH)
COMPILER(c_fan_in, K_FAN_IN)
COMPILER(c_fan_out, K_FAN_OUT)
COMPILER(c_gs, K_GATHER_SCATTER)
COMPILER(c_round, K_ROUND)
COMPILER(c_aspike, K_AMOUNT_SPIKE)
COMPILER(c_velocity, K_VELOCITY)
COMPILER(c_dormant, K_DORMANT)
COMPILER(c_new, K_NEW_ACCOUNT)

#define ACCT_OPS_G(var, name, keys, comp, fn, g)                                      \
    const txs_rule_ops var = {.kind = name,                                           \
                              .param_keys = keys,                                     \
                              .compile = comp,                                        \
                              .free = sfree,                                          \
                              .scope = TXS_SCOPE_ACCOUNT,                             \
                              .eval_acct = fn,                                        \
                              .horizon = shorizon,                                    \
                              .global = g};
#define ACCT_OPS(var, name, keys, comp, fn) ACCT_OPS_G(var, name, keys, comp, fn, 0)
ACCT_OPS(txs__kind_structuring, "structuring", k_structuring, c_structuring, structuring_eval)
ACCT_OPS(txs__kind_pass_through, "pass_through", k_pass, c_pass, pass_eval)
ACCT_OPS(txs__kind_fan_in, "fan_in", k_fan, c_fan_in, fan_in_eval)
ACCT_OPS(txs__kind_fan_out, "fan_out", k_fan, c_fan_out, fan_out_eval)
ACCT_OPS(txs__kind_gather_scatter, "gather_scatter", k_gs, c_gs, gs_eval)
ACCT_OPS(txs__kind_round_amounts, "round_amounts", k_round, c_round, round_eval)
ACCT_OPS(txs__kind_amount_spike, "amount_spike", k_aspike, c_aspike, aspike_eval)
ACCT_OPS(txs__kind_velocity_spike, "velocity_spike", k_velocity, c_velocity, velocity_eval)
ACCT_OPS(txs__kind_dormant, "dormant", k_dormant, c_dormant, dormant_eval)
ACCT_OPS_G(txs__kind_new_account, "new_account", k_new, c_new, new_eval, 1)
