/*
 * gen_plant.c: the producers of drafts: the background (benign traffic) and
 * the table of planters (one per labelled typology).
 *
 * Background invariants, relied on by the labels' ground truth:
 *  - parties and banks come only from the background countries, none of them
 *    high-risk (gen_world.c);
 *  - cash stays below 9,000 USD when in USD and below 5,000 USD-equivalent
 *    in any other currency, so no exchange-rate assumption of a rule set can
 *    lift it to the 10,000 reporting threshold, and the 9,000-9,999.99 USD
 *    band stays free for near misses and (later) structuring;
 *  - a cash deposit has an empty orig_account (the canonical contract).
 *
 * Planters draft whole patterns (up to GEN_PENDING_MAX records); the three
 * single-record ones are here, the multi-record typologies in gen_typo.c.
 * Amounts of planted cases are drawn independently of any rule set's
 * defaults (ranges in bench/README.md).
 */
#include <string.h>

#include "gen_int.h"

#define GEN_CUR_XBT 19

/* Cumulative channel mix of the background, in percent. */
static const uint8_t channel_cum[GEN_CH_COUNT] = {
    [GEN_CH_CARD] = 34, [GEN_CH_ACH] = 54, [GEN_CH_WIRE] = 64, [GEN_CH_CASH] = 73,
    [GEN_CH_CHEQUE] = 79, [GEN_CH_CRYPTO] = 83, [GEN_CH_INTERNAL] = 100};

static int pick_channel(gen_rng *r)
{
    uint32_t k = gen_below(r, 100);
    int ch = 0;
    while (k >= channel_cum[ch]) ch++;
    return ch;
}

/* Mostly the payer's home currency, else USD (or EUR for a USD home). */
static int pick_currency(gen_ctx *g, const gen_party *home, int channel)
{
    if (channel == GEN_CH_CRYPTO && g->format == TXS_GEN_AMLWORLD) return GEN_CUR_XBT;
    int cur = home->cur;
    if (gen_below(&g->rng, 100) >= 85) cur = cur == GEN_CUR_USD ? GEN_CUR_EUR : GEN_CUR_USD;
    if (g->format == TXS_GEN_AMLWORLD && gen_currency_at(cur)->aml_name == NULL)
        cur = GEN_CUR_USD;
    return cur;
}

/* Cash is counted in whole units of its currency. */
int64_t gen_whole_units(int64_t minor, int cur)
{
    int64_t unit = 1;
    for (int i = 0; i < gen_currency_at(cur)->exponent; i++) unit *= 10;
    minor -= minor % unit;
    return minor > 0 ? minor : unit;
}

/* A walk-in deposit into bene: often the holder deposits in person. */
void gen_cash_depositor(gen_ctx *g, gen_txn *t)
{
    gen_depositor(g->w, &g->rng, t->bene.cc, &t->orig);
    if (gen_below(&g->rng, 10) < 7) {
        memcpy(t->orig.name, t->bene.name, t->bene.name_n);
        t->orig.name_n = t->bene.name_n;
    }
}

void gen_fresh(gen_ctx *g, uint32_t like, int business, gen_party *p)
{
    if (like == UINT32_MAX) like = gen_pick_any(g->w, &g->rng);
    gen_fresh_account(g->w, g->next_fresh++, like, business, p);
}

void gen_background(gen_ctx *g, gen_txn *t)
{
    const gen_world *w = g->w;
    t->channel = pick_channel(&g->rng);
    t->typology = -1;
    t->pattern = 0;
    uint32_t o = gen_pick_any(w, &g->rng), b;
    /* Wires are sent by businesses and one person in ten; others pay by
     * ACH, so a person's transfers keep one scale (bench/README.md). */
    if (t->channel == GEN_CH_WIRE && o % 5 != 0 && gen_hash2(0x77697265u, o) % 10 != 0)
        t->channel = GEN_CH_ACH;
    if (t->channel == GEN_CH_CARD)
        b = gen_pick_business(w, &g->rng, o);
    else if (t->channel == GEN_CH_WIRE && gen_below(&g->rng, 5) == 0)
        b = gen_pick_any(w, &g->rng); /* cross-border */
    else
        b = gen_pick_domestic(w, &g->rng, o);
    gen_account(w, b, &t->bene);
    /* cash deposits come from walk-ins: the account's level is its own */
    uint32_t payer = t->channel == GEN_CH_CASH ? b : o;
    int64_t usd = gen_amount_usd_persona(w, &g->rng, t->channel, payer);
    if (t->channel == GEN_CH_CASH) {
        gen_cash_depositor(g, t);
        t->cur = pick_currency(g, &t->bene, t->channel);
        int64_t cap = t->cur == GEN_CUR_USD ? 900000 : 500000;
        for (int tries = 0; usd >= cap && tries < 4; tries++)
            usd = gen_amount_usd_persona(w, &g->rng, t->channel, payer);
        if (usd >= cap) usd = usd % cap;
        t->minor = gen_whole_units(gen_usd_to_minor(usd, t->cur), t->cur);
    } else {
        gen_account(w, o, &t->orig);
        if (t->channel == GEN_CH_INTERNAL) { /* same bank, by definition */
            memcpy(t->bene.bank, t->orig.bank, t->orig.bank_n);
            t->bene.bank_n = t->orig.bank_n;
            t->bene.aml_bank = t->orig.aml_bank;
        }
        t->cur = pick_currency(g, &t->orig, t->channel);
        t->minor = gen_usd_to_minor(usd, t->cur);
        if (t->channel == GEN_CH_WIRE && gen_below(&g->rng, 4) == 0)
            t->minor = gen_whole_units(t->minor, t->cur);
    }
    gen_purpose(&g->rng, t);
}

/* ------------------------------------------------------------ planters */

/* CTR-size cash: a deposit of 10,000.01-60,000.00 USD, or EUR when the
 * account's home currency is the euro (>= 10,000 EUR is above 10,000 USD at
 * any recent rate). */
static int plant_threshold_cash(gen_ctx *g, gen_txn *out, int cap)
{
    gen_txn *t = &out[0];
    t->channel = GEN_CH_CASH;
    gen_account(g->w, gen_pick_any(g->w, &g->rng), &t->bene);
    gen_cash_depositor(g, t);
    t->cur = t->bene.cur == GEN_CUR_EUR ? GEN_CUR_EUR : GEN_CUR_USD;
    /* 10,000.01 .. 60,000.00: strictly above 10,000, since the US CTR rule
     * is "more than $10,000"; 40% are round hundreds (rounded up). */
    t->minor = 1000001 + (int64_t)gen_below(&g->rng, 5000000);
    if (gen_below(&g->rng, 10) < 4 && t->minor % 10000)
        t->minor += 10000 - t->minor % 10000;
    gen_purpose(&g->rng, t);
    return 1;
}

/* Just below the threshold, in USD: must not alert as threshold cash.  The
 * structuring typology will build on this same band. */
static int plant_near_miss(gen_ctx *g, gen_txn *out, int cap)
{
    gen_txn *t = &out[0];
    t->channel = GEN_CH_CASH;
    gen_account(g->w, gen_pick_any(g->w, &g->rng), &t->bene);
    gen_cash_depositor(g, t);
    t->cur = GEN_CUR_USD;
    t->minor = 900000 + (int64_t)gen_below(&g->rng, 100000);
    gen_purpose(&g->rng, t);
    return 1;
}

/* A wire through a high-risk jurisdiction: the beneficiary there (country
 * and bank), the originator there, or only the beneficiary's bank there. */
static int plant_corridor(gen_ctx *g, gen_txn *out, int cap)
{
    gen_txn *t = &out[0];
    const gen_world *w = g->w;
    t->channel = GEN_CH_WIRE;
    uint32_t mode = gen_below(&g->rng, 3);
    if (mode == 1) {
        gen_highrisk_party(w, &g->rng, 0, &t->orig);
        gen_account(w, gen_pick_any(w, &g->rng), &t->bene);
    } else {
        gen_account(w, gen_pick_any(w, &g->rng), &t->orig);
        gen_highrisk_party(w, &g->rng, mode == 2, &t->bene);
    }
    t->cur = gen_below(&g->rng, 10) < 7 ? GEN_CUR_USD : GEN_CUR_EUR;
    t->minor = gen_usd_to_minor(gen_amount_usd(w, &g->rng, GEN_CH_WIRE), t->cur);
    gen_purpose(&g->rng, t);
    return 1;
}

/* Adding a typology: write its planter above and add a row here; the label
 * name is the first column.  Order is part of the output (seeded draws). */
const gen_planter gen_planters[] = {
    {"threshold_cash", 40, 1, 1, plant_threshold_cash},
    {"corridor_high_risk", 40, 1, 0, plant_corridor},
    {"near_miss_threshold", 20, 0, 1, plant_near_miss},
    {"structuring", 30, 1, 1, gen_plant_structuring},
    {"pass_through", 30, 1, 1, gen_plant_pass_through},
    {"fan_in", 25, 1, 1, gen_plant_fan_in},
    {"fan_out", 25, 1, 1, gen_plant_fan_out},
    {"gather_scatter", 15, 1, 1, gen_plant_gather_scatter},
    {"scatter_gather", 15, 1, 1, gen_plant_scatter_gather},
    {"cycle", 20, 1, 1, gen_plant_cycle},
    {"velocity_spike", 15, 1, 1, gen_plant_velocity_spike},
    {"amount_spike", 20, 1, 1, gen_plant_amount_spike},
    {"dormant_reactivation", 15, 1, 1, gen_plant_dormant},
    {"round_amounts", 20, 1, 1, gen_plant_round_amounts},
    {"new_account_high_value", 20, 1, 1, gen_plant_new_account},
    {"near_miss_structuring", 15, 0, 1, gen_plant_nm_structuring},
    {"near_miss_pass_through", 15, 0, 1, gen_plant_nm_pass_through},
    {"near_miss_fan_in", 10, 0, 1, gen_plant_nm_fan_in},
    {"near_miss_fan_out", 10, 0, 1, gen_plant_nm_fan_out},
    {"near_miss_cycle", 10, 0, 1, gen_plant_nm_cycle},
    {"near_miss_round_amounts", 10, 0, 1, gen_plant_nm_round_amounts},
};
const int gen_nplanters = (int)TXS_ARRAY_LEN(gen_planters);
_Static_assert(TXS_ARRAY_LEN(gen_planters) <= 32,
               "txs_gen_stats.per_typology holds 32 typologies");
