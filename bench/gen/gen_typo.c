/*
 * gen_typo.c: the multi-record planters, one per AML typology and one per
 * near miss.  Each drafts a whole pattern into out[] with event-time
 * offsets (seconds after the pattern's start); the run loop (gen.c) queues
 * the drafts by time and releases them among background rows as the clock
 * reaches them, so a pattern spans hours to months.
 *
 * Rules of the house:
 *  - The accounts a pattern is about are fresh (gen_fresh: indexes past the
 *    background population), so background traffic never touches them and
 *    a pattern's degree, ratios and history are exactly what is drawn here.
 *    Incidental counterparties (merchants of card payments, payees of
 *    history rows) may be background accounts.
 *  - Parameters are drawn from ranges (bench/README.md lists them), never
 *    set to a rule set's defaults; positives satisfy the typology's
 *    definition with margin, near misses miss it on one axis.
 *  - Near misses keep every record below 25,000 USD-equivalent, so that a
 *    fresh account's first records never look like new_account_high_value.
 *  - A pattern stays in one currency (its key account's home currency, or
 *    USD when the AMLworld format lacks it; Bitcoin for crypto there).
 *  - Records of the account's own benign history carry typology -1: they
 *    are queued like the rest but are background in the labels.
 */
#include <string.h>

#include "gen_int.h"

#define HOUR 3600
#define DAY 86400
#define CUR_XBT 19
#define NM_CAP 2400000 /* near misses: below 24,000 USD a record */

typedef struct pat {
    gen_ctx *g;
    gen_txn *out;
    int n, cap;
} pat;

static uint32_t below(gen_ctx *g, uint32_t n) { return gen_below(&g->rng, n); }

/* Uniform in [lo, hi]. */
static int64_t range(gen_ctx *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gen_below(&g->rng, (uint32_t)(hi - lo + 1));
}

static int64_t logu(gen_ctx *g, int64_t lo_cents, int64_t hi_cents)
{
    return gen_log_uniform(g->w, &g->rng, lo_cents, hi_cents);
}

/* The pattern's currency for a channel, from its key account. */
static int pat_cur(const gen_ctx *g, const gen_party *key, int ch)
{
    if (g->format == TXS_GEN_AMLWORLD) {
        if (ch == GEN_CH_CRYPTO) return CUR_XBT;
        if (gen_currency_at(key->cur)->aml_name == NULL) return GEN_CUR_USD;
    }
    return key->cur;
}

/* A new draft at offset off (seconds), labelled or history. */
static gen_txn *rec(pat *P, int64_t off, int ch, const gen_party *o, const gen_party *b,
                    int cur, int64_t usd_cents, int labelled)
{
    if (P->n >= P->cap) return NULL;
    gen_txn *t = &P->out[P->n++];
    t->ts = off;
    t->typology = labelled ? 0 : -1;
    t->pattern = 0;
    t->channel = ch;
    if (o) t->orig = *o;
    t->bene = *b;
    t->cur = cur;
    t->minor = gen_usd_to_minor(usd_cents, cur);
    if (t->minor < 1) t->minor = 1;
    gen_purpose(&P->g->rng, t);
    return t;
}

/* k sorted offsets in [0, span]: the first at 0, the last at span. */
static void spread(gen_ctx *g, int64_t *off, int k, int64_t span)
{
    for (int i = 0; i < k; i++) off[i] = range(g, 0, span);
    off[0] = 0;
    if (k > 1) off[k - 1] = span;
    for (int i = 1; i < k; i++) /* insertion sort, k <= 32 */
        for (int j = i; j > 0 && off[j - 1] > off[j]; j--) {
            int64_t x = off[j];
            off[j] = off[j - 1];
            off[j - 1] = x;
        }
}

/* Splits total into k parts with random weights (each >= 1/3 of average). */
static void split(gen_ctx *g, int64_t total, int k, int64_t *part)
{
    int64_t w[32], sum = 0, given = 0;
    for (int i = 0; i < k; i++) sum += w[i] = range(g, 50, 150);
    for (int i = 0; i < k; i++) {
        part[i] = i == k - 1 ? total - given : total * w[i] / sum;
        given += part[i];
    }
}

/* A non-card transfer channel for a network pattern. */
static int net_channel(gen_ctx *g, int internal_ok)
{
    uint32_t k = below(g, 100);
    if (k < 40) return GEN_CH_WIRE;
    if (k < 80) return GEN_CH_ACH;
    if (k < 90 && internal_ok) return GEN_CH_INTERNAL;
    return GEN_CH_CRYPTO;
}

/* An internal transfer stays in one bank: the counterparty banks there. */
static void same_bank(gen_party *dst, const gen_party *src)
{
    memcpy(dst->bank, src->bank, src->bank_n);
    dst->bank_n = src->bank_n;
    dst->aml_bank = src->aml_bank;
}

/* A counterparty of a key account: domestic 70% of the time. */
static void counterparty(gen_ctx *g, uint32_t like, int business, gen_party *p)
{
    gen_fresh(g, below(g, 10) < 7 ? like : UINT32_MAX, business, p);
}

/* ---------------------------------------------------------- structuring */

static void deposit(pat *P, int64_t off, const gen_party *acct, int64_t usd_cents)
{
    gen_txn *t = &P->out[P->n];
    if (!rec(P, off, GEN_CH_CASH, NULL, acct, GEN_CUR_USD, usd_cents, 1)) return;
    gen_cash_depositor(P->g, t);
    t->minor = usd_cents; /* whole dollars already */
}

/* 7,000-9,900 whole USD: 70-99% of the 10,000 reporting threshold. */
static int64_t band(gen_ctx *g) { return 700000 + 100 * range(g, 0, 2900); }

/* 3-8 cash deposits in the band into one fresh account over 2 h - 4 days
 * (so they always sum above 10,000, none above it). */
int gen_plant_structuring(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    gen_party acct;
    gen_fresh(g, UINT32_MAX, below(g, 5) == 0, &acct);
    int k = (int)range(g, 3, 8);
    int64_t off[8];
    spread(g, off, k, range(g, 2 * HOUR, 4 * DAY));
    for (int i = 0; i < k; i++) deposit(&P, off[i], &acct, band(g));
    return P.n;
}

/* Half: only 2 deposits in the band, 25 h - 3 days apart (no day holds
 * both, so neither three in a day nor a day's sum reaching the threshold);
 * half: 3-4 in the band, each 46-75 days after the previous (no 45-day
 * window holds two). */
int gen_plant_nm_structuring(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    gen_party acct;
    gen_fresh(g, UINT32_MAX, below(g, 5) == 0, &acct);
    if (below(g, 2)) {
        deposit(&P, 0, &acct, band(g));
        deposit(&P, range(g, 25 * HOUR, 3 * DAY), &acct, band(g));
    } else {
        int k = (int)range(g, 3, 4);
        int64_t t = 0;
        for (int i = 0; i < k; i++) {
            deposit(&P, t, &acct, band(g));
            t += range(g, 46 * DAY, 75 * DAY);
        }
    }
    return P.n;
}

/* --------------------------------------------------------- pass-through */

/* mode 0: positive; 1: near miss by ratio (0.05-0.50); 2: near miss by time
 * (the money leaves only 10-30 days later). */
static int pass_through(gen_ctx *g, gen_txn *out, int cap, int mode)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp;
    gen_fresh(g, like, below(g, 2), &acct);
    int ch = below(g, 10) < 6 ? GEN_CH_WIRE : GEN_CH_ACH;
    int cur = pat_cur(g, &acct, ch);
    int64_t total = mode ? logu(g, 500000, 2000000) : logu(g, 500000, 25000000);
    int m_in = (int)range(g, 1, 3);
    int64_t off[3], part[3];
    spread(g, off, m_in, range(g, 0, 12 * HOUR));
    split(g, total, m_in, part);
    for (int i = 0; i < m_in; i++) {
        counterparty(g, like, below(g, 2), &cp);
        rec(&P, off[i], ch, &cp, &acct, cur, part[i], 1);
    }
    int64_t permille;
    if (mode == 1) permille = range(g, 50, 500);
    else if (mode == 0 && below(g, 10) < 3) permille = range(g, 900, 990); /* commission */
    else permille = range(g, 850, 1150);
    int64_t start = off[m_in - 1] + (mode == 2 ? range(g, 10 * DAY, 30 * DAY)
                                               : range(g, HOUR, 66 * HOUR));
    int m_out = (int)range(g, 1, 2);
    int onward_hr = mode == 0 && g->format != TXS_GEN_AMLWORLD && below(g, 10) < 3;
    spread(g, off, m_out, m_out > 1 ? range(g, 0, 6 * HOUR) : 0);
    split(g, total * permille / 1000, m_out, part);
    for (int i = 0; i < m_out; i++) {
        int och = ch;
        if (onward_hr && i == m_out - 1) {
            gen_highrisk_party(g->w, &g->rng, 0, &cp);
            och = GEN_CH_WIRE;
        } else {
            counterparty(g, like, below(g, 2), &cp);
        }
        rec(&P, start + off[i], och, &acct, &cp, cur, part[i], 1);
    }
    return P.n;
}

/* Receives 5,000-250,000 USD-eq by wire or ACH in 1-3 credits within 12 h,
 * sends 85-115% of it (30%: keeps a 1-10% commission, 90-99%) in 1-2 debits
 * 1-66 h after the last credit; 30% of the time (not in AMLworld) the last
 * debit goes to a party in a high-risk country. */
int gen_plant_pass_through(gen_ctx *g, gen_txn *out, int cap)
{
    return pass_through(g, out, cap, 0);
}

int gen_plant_nm_pass_through(gen_ctx *g, gen_txn *out, int cap)
{
    return pass_through(g, out, cap, below(g, 2) ? 1 : 2);
}

/* ------------------------------------------------------------ fan in/out */

/* k counterparties each send to (dir_in) or receive from one fresh hub, one
 * channel per pattern (wire, ACH, internal, crypto), 500-15,000 USD-eq each.
 * nm 0: k 5-20 within 1-24 h; nm 1: 2-3 within 1-24 h, or 6-9 with 49-72 h
 * between consecutive records (over 10 days, never two in a day). */
static int fan(gen_ctx *g, gen_txn *out, int cap, int dir_in, int nm)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party hub, cp;
    gen_fresh(g, like, below(g, 5) < 2, &hub);
    int ch = net_channel(g, 1);
    int cur = pat_cur(g, &hub, ch);
    int64_t off[20];
    int k;
    if (!nm) {
        k = (int)range(g, 5, 20);
        spread(g, off, k, range(g, HOUR, DAY));
    } else if (below(g, 2)) {
        k = (int)range(g, 2, 3);
        spread(g, off, k, range(g, HOUR, DAY));
    } else {
        k = (int)range(g, 6, 9);
        off[0] = 0;
        for (int i = 1; i < k; i++) off[i] = off[i - 1] + range(g, 2 * DAY + HOUR, 3 * DAY);
    }
    for (int i = 0; i < k; i++) {
        if (ch == GEN_CH_INTERNAL) { /* same bank, so same country */
            gen_fresh(g, like, below(g, 5) == 0, &cp);
            same_bank(&cp, &hub);
        } else {
            counterparty(g, like, below(g, 5) == 0, &cp);
        }
        int64_t usd = logu(g, 50000, 1500000);
        if (dir_in) rec(&P, off[i], ch, &cp, &hub, cur, usd, 1);
        else rec(&P, off[i], ch, &hub, &cp, cur, usd, 1);
    }
    return P.n;
}

int gen_plant_fan_in(gen_ctx *g, gen_txn *out, int cap) { return fan(g, out, cap, 1, 0); }
int gen_plant_fan_out(gen_ctx *g, gen_txn *out, int cap) { return fan(g, out, cap, 0, 0); }
int gen_plant_nm_fan_in(gen_ctx *g, gen_txn *out, int cap) { return fan(g, out, cap, 1, 1); }
int gen_plant_nm_fan_out(gen_ctx *g, gen_txn *out, int cap) { return fan(g, out, cap, 0, 1); }

/* 5-12 senders pay a fresh hub 1,000-15,000 USD-eq each within 1-12 h; 1-12 h
 * after the last credit the hub pays 85-98% of the total out to 5-12
 * receivers within 1-12 h. */
int gen_plant_gather_scatter(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party hub, cp;
    gen_fresh(g, like, below(g, 2), &hub);
    int ch = net_channel(g, 0);
    int cur = pat_cur(g, &hub, ch);
    int k1 = (int)range(g, 5, 12), k2 = (int)range(g, 5, 12);
    int64_t off[12], part[12], total = 0;
    spread(g, off, k1, range(g, HOUR, 12 * HOUR));
    for (int i = 0; i < k1; i++) {
        counterparty(g, like, below(g, 5) == 0, &cp);
        int64_t usd = logu(g, 100000, 1500000);
        total += usd;
        rec(&P, off[i], ch, &cp, &hub, cur, usd, 1);
    }
    int64_t start = off[k1 - 1] + range(g, HOUR, 12 * HOUR);
    spread(g, off, k2, range(g, HOUR, 12 * HOUR));
    split(g, total * range(g, 850, 980) / 1000, k2, part);
    for (int i = 0; i < k2; i++) {
        counterparty(g, like, below(g, 5) == 0, &cp);
        rec(&P, start + off[i], ch, &hub, &cp, cur, part[i], 1);
    }
    return P.n;
}

/* A fresh source pays 5-12 fresh intermediaries 1,000-15,000 USD-eq each
 * within 1-12 h; each forwards 90-99% of what it got to one common fresh
 * sink 1-48 h after its receipt. */
int gen_plant_scatter_gather(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party src, sink, mid;
    gen_fresh(g, like, below(g, 2), &src);
    gen_fresh(g, like, below(g, 2), &sink);
    int ch = net_channel(g, 0);
    int cur = pat_cur(g, &src, ch);
    int k = (int)range(g, 5, 12);
    int64_t off[12];
    spread(g, off, k, range(g, HOUR, 12 * HOUR));
    for (int i = 0; i < k; i++) {
        counterparty(g, like, 0, &mid);
        int64_t usd = logu(g, 100000, 1500000);
        rec(&P, off[i], ch, &src, &mid, cur, usd, 1);
        rec(&P, off[i] + range(g, HOUR, 48 * HOUR), ch, &mid, &sink, cur,
            usd * range(g, 900, 990) / 1000, 1);
    }
    return P.n;
}

/* ---------------------------------------------------------------- cycles */

/* n fresh accounts pass an amount along n hops within 1-6 days, each hop
 * keeping 0.5-5%; closed: A->B->...->A (n 3-8, 5,000-100,000 USD-eq);
 * open (near miss): n hops along n+1 distinct accounts (under 24,000). */
static int chain(gen_ctx *g, gen_txn *out, int cap, int closed)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    int n = (int)range(g, 3, 8);
    gen_party node[9];
    for (int i = 0; i < n + !closed; i++) counterparty(g, like, below(g, 4) == 0, &node[i]);
    int ch = below(g, 2) ? GEN_CH_WIRE : GEN_CH_ACH;
    int cur = pat_cur(g, &node[0], ch);
    int64_t off[8];
    spread(g, off, n, range(g, DAY, 6 * DAY));
    if (!closed) /* a slow open chain: each holder keeps the money 80-120 h,
                    so it is neither a cycle nor a pass-through */
        for (int i = 1; i < n; i++) off[i] = off[i - 1] + range(g, 80 * HOUR, 120 * HOUR);
    int64_t usd = closed ? logu(g, 500000, 10000000) : logu(g, 500000, NM_CAP);
    for (int i = 0; i < n; i++) {
        rec(&P, off[i], ch, &node[i], &node[closed ? (i + 1) % n : i + 1], cur, usd, 1);
        usd = usd * range(g, 950, 995) / 1000;
    }
    return P.n;
}

int gen_plant_cycle(gen_ctx *g, gen_txn *out, int cap) { return chain(g, out, cap, 1); }
int gen_plant_nm_cycle(gen_ctx *g, gen_txn *out, int cap) { return chain(g, out, cap, 0); }

/* ------------------------------------------------------- account history */

/* h benign history records of acct (unlabelled) from offset 0, gaps within
 * [gap_lo, gap_hi]: card payments to background merchants (10-200 USD) and
 * ACH payments to background payees (300-2,000 USD), or, when base > 0,
 * amounts within [base/2, base].  Returns the offset of the last one and the
 * largest amount in *max_usd. */
static int64_t history(pat *P, uint32_t like, const gen_party *acct, int h, int64_t gap_lo,
                       int64_t gap_hi, int64_t base, int64_t *max_usd)
{
    gen_ctx *g = P->g;
    gen_party cp;
    int64_t t = 0, mx = 0;
    for (int i = 0; i < h; i++) {
        if (i) t += range(g, gap_lo, gap_hi);
        int card = below(g, 10) < 5;
        int ch = card ? GEN_CH_CARD : GEN_CH_ACH;
        gen_account(g->w, card ? gen_pick_business(g->w, &g->rng, like)
                               : gen_pick_domestic(g->w, &g->rng, like), &cp);
        int64_t usd = base ? range(g, base / 2, base)
                           : card ? logu(g, 1000, 20000) : logu(g, 30000, 200000);
        if (usd > mx) mx = usd;
        rec(P, t, ch, acct, &cp, pat_cur(g, acct, ch), usd, 0);
    }
    if (max_usd) *max_usd = mx;
    return t;
}

/* 6-12 quiet history records (12 h - 3 days apart), then 1-4 days later
 * 12-30 payments within 2-16 h: card payments to distinct merchants (20-900
 * USD), or transfers (ACH, internal or crypto) to 1-3 payees (100-3,000).
 * Only the burst is labelled. */
int gen_plant_velocity_spike(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp[3];
    gen_fresh(g, like, 0, &acct);
    int64_t last = history(&P, like, &acct, (int)range(g, 6, 12), DAY / 2, 3 * DAY, 0, NULL);
    int64_t start = last + range(g, DAY, 4 * DAY);
    int m = (int)range(g, 12, 30);
    int64_t off[30];
    spread(g, off, m, range(g, 2 * HOUR, 16 * HOUR));
    int card = below(g, 10) < 6;
    int ch = card ? GEN_CH_CARD : (int[]){GEN_CH_ACH, GEN_CH_INTERNAL, GEN_CH_CRYPTO}[below(g, 3)];
    int npay = (int)range(g, 1, 3);
    for (int i = 0; i < npay; i++) {
        gen_account(g->w, gen_pick_domestic(g->w, &g->rng, like), &cp[i]);
        if (ch == GEN_CH_INTERNAL) same_bank(&cp[i], &acct);
    }
    int cur = pat_cur(g, &acct, ch);
    for (int i = 0; i < m; i++) {
        if (card) {
            gen_party merchant;
            gen_account(g->w, gen_pick_business(g->w, &g->rng, like), &merchant);
            rec(&P, start + off[i], ch, &acct, &merchant, cur, logu(g, 2000, 90000), 1);
        } else {
            rec(&P, start + off[i], ch, &acct, &cp[i % npay], cur, logu(g, 10000, 300000), 1);
        }
    }
    return P.n;
}

/* 6-12 history records (12 h - 3 days apart) of amounts within [b/2, b],
 * b 100-3,000 USD-eq; 1-10 days later one wire or ACH of 5.5-40 times the
 * history's largest amount to a fresh payee.  Only the spike is labelled. */
int gen_plant_amount_spike(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp;
    gen_fresh(g, like, below(g, 5) == 0, &acct);
    int64_t mx;
    int64_t last = history(&P, like, &acct, (int)range(g, 6, 12), DAY / 2, 3 * DAY,
                           logu(g, 10000, 300000), &mx);
    counterparty(g, like, 0, &cp);
    int ch = below(g, 10) < 6 ? GEN_CH_WIRE : GEN_CH_ACH;
    rec(&P, last + range(g, DAY, 10 * DAY), ch, &acct, &cp, pat_cur(g, &acct, ch),
        mx * range(g, 5500, 40000) / 1000, 1);
    return P.n;
}

/* 2-6 small history records (1-10 days apart), silence for 181-400 days,
 * then a wire or ACH of 10,000-200,000 USD-eq to a fresh payee and 0-2 more
 * (1,000-50,000) within 24 h.  Only the reactivation is labelled. */
int gen_plant_dormant(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp;
    gen_fresh(g, like, below(g, 5) == 0, &acct);
    int64_t t = history(&P, like, &acct, (int)range(g, 2, 6), DAY, 10 * DAY, 0, NULL);
    t += range(g, 181 * DAY, 400 * DAY);
    int m = (int)range(g, 1, 3);
    int ch = below(g, 10) < 6 ? GEN_CH_WIRE : GEN_CH_ACH;
    int cur = pat_cur(g, &acct, ch);
    for (int i = 0; i < m; i++) {
        counterparty(g, like, below(g, 2), &cp);
        int64_t usd = i == 0 ? logu(g, 1000000, 20000000) : logu(g, 100000, 5000000);
        rec(&P, t + (i ? range(g, 60, DAY) : 0), ch, &acct, &cp, cur, usd, 1);
    }
    return P.n;
}

/* ---------------------------------------------------------- round amounts */

/* A currency in which round thousands are round money. */
static int round_cur(const gen_party *p)
{
    const char *c = gen_currency_at(p->cur)->code;
    static const char *const ok[] = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (memcmp(ok[i], c, 3) == 0) return p->cur;
    return GEN_CUR_USD;
}

static int64_t round_minor(gen_ctx *g, int max_thousands)
{
    int64_t units = below(g, 2) ? 5000 * range(g, 1, max_thousands / 5)
                                : 1000 * range(g, 1, max_thousands);
    return units * 100;
}

/* nm 0: 3-8 wires or ACH transfers of round amounts (k x 5,000 up to 50,000
 * or k x 1,000 up to 50,000) to 1-3 fresh payees within 1 h - 5 days.
 * nm 1: one round amount (up to 20,000) among 1-3 transfers with cents. */
static int rounds(gen_ctx *g, gen_txn *out, int cap, int nm)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp[3];
    gen_fresh(g, like, below(g, 2), &acct);
    int ch = below(g, 10) < 6 ? GEN_CH_WIRE : GEN_CH_ACH;
    int cur = round_cur(&acct);
    int npay = (int)range(g, 1, 3);
    for (int i = 0; i < npay; i++) counterparty(g, like, below(g, 2), &cp[i]);
    int k = nm ? (int)range(g, 2, 4) : (int)range(g, 3, 8);
    int64_t off[8];
    spread(g, off, k, range(g, HOUR, 5 * DAY));
    int round_at = nm ? (int)below(g, (uint32_t)k) : -1;
    for (int i = 0; i < k; i++) {
        gen_txn *t = rec(&P, off[i], ch, &acct, &cp[i % npay], cur, 100, 1);
        if (!t) break;
        if (!nm || i == round_at) {
            t->minor = round_minor(g, nm ? 20 : 50);
        } else {
            t->minor = gen_usd_to_minor(logu(g, 100000, NM_CAP), cur);
            if (t->minor % 100 == 0) t->minor += range(g, 1, 99);
        }
    }
    return P.n;
}

int gen_plant_round_amounts(gen_ctx *g, gen_txn *out, int cap) { return rounds(g, out, cap, 0); }
int gen_plant_nm_round_amounts(gen_ctx *g, gen_txn *out, int cap)
{
    return rounds(g, out, cap, 1);
}

/* ------------------------------------------------------------ new account */

/* A fresh account's first record is a wire (70%) or ACH of 30,000-500,000
 * USD-eq, received (50%) or sent, with a fresh counterparty; half the time a
 * second one the same way 1-5 days later. */
int gen_plant_new_account(gen_ctx *g, gen_txn *out, int cap)
{
    pat P = {g, out, 0, cap};
    uint32_t like = gen_pick_any(g->w, &g->rng);
    gen_party acct, cp;
    gen_fresh(g, like, below(g, 10) < 3, &acct);
    int ch = below(g, 10) < 7 ? GEN_CH_WIRE : GEN_CH_ACH;
    int cur = pat_cur(g, &acct, ch);
    int in = below(g, 2);
    int m = (int)range(g, 1, 2);
    int64_t t = 0;
    for (int i = 0; i < m; i++) {
        counterparty(g, like, below(g, 2), &cp);
        int64_t usd = logu(g, 3000000, 50000000);
        if (in) rec(&P, t, ch, &cp, &acct, cur, usd, 1);
        else rec(&P, t, ch, &acct, &cp, cur, usd, 1);
        t += range(g, DAY, 5 * DAY);
    }
    return P.n;
}
