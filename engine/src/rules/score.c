/*
 * score.c: combining a transaction's hits into one 0-100 score and a band
 * (rules.h), the stage after screen and rules.  Noisy-or: each hit i is an
 * independent piece of evidence with probability p_i = weight_i x score_i,
 * and the score is 100 x (1 - prod(1 - p_i)), rounded half up.
 *
 * Deterministic by construction: weights are exact parts per million from
 * the rule set, a hit's score is rounded once to parts per million, and the
 * product runs in 128-bit integers.  It is exact for up to three hits (the
 * product's scale reaches 10^36); beyond that it is rescaled to 10^-12 with
 * round-half-up, an error far below the final rounding to an integer, and
 * identical on every platform.  No floating-point sums, so hit order does
 * not change the result.
 */
#include "rules/rules_int.h"

#if !defined(__SIZEOF_INT128__)
#error "txscreen needs unsigned __int128 (gcc or clang on a 64-bit target)"
#endif

__extension__ typedef unsigned __int128 u128;

#define E12 ((u128)1000000000000ull)

const char *txs_band_name(int band)
{
    switch (band) {
    case TXS_BAND_EDD: return "edd";
    case TXS_BAND_REVIEW: return "review";
    case TXS_BAND_BLOCK: return "block";
    default: return "none";
    }
}

/* A hit score in ppm: clamped to 0..1, NaN counts as 0. */
static int64_t score_ppm(double s)
{
    if (!(s > 0.0)) return 0;
    if (s >= 1.0) return TXS_RULES_PPM;
    return (int64_t)(s * TXS_RULES_PPM + 0.5);
}

static int is_boost(const txs_ruleset *rs, const txs_hit *h)
{
    return rs && h->kind == TXS_HIT_TYPOLOGY && h->rule < rs->nrules && rs->rules[h->rule].boost;
}

/* A booster's hit (text_pattern `alone: false`) counts only when a hit
 * that is not a booster scores too: alone it adds nothing, so it never
 * makes an alert by itself. */
static int64_t weight_ppm(const txs_ruleset *rs, const txs_hit *h, int others)
{
    if (rs == NULL) return TXS_RULES_PPM; /* the scoring defaults: weight 1.0 */
    if (h->kind == TXS_HIT_SANCTIONS) return rs->sanctions_weight_ppm;
    if (h->kind == TXS_HIT_TYPOLOGY && h->rule < rs->nrules)
        return rs->rules[h->rule].boost && !others ? 0 : rs->rules[h->rule].weight_ppm;
    return 0; /* an unknown hit kind adds nothing rather than guessing */
}

void txs_score(const txs_ruleset *rs, const txs_hit *hits, size_t n, int *score,
               int *band)
{
    /* prod = P / 10^(12 k): 1 - p_i is a whole number of 10^-12 units. */
    u128 P = 1, S = 1;
    int k = 0, others = 0;
    for (size_t i = 0; i < n && !others; i++)
        others = !is_boost(rs, &hits[i]) && weight_ppm(rs, &hits[i], 1) * score_ppm(hits[i].score) > 0;
    for (size_t i = 0; i < n; i++) {
        int64_t wp = weight_ppm(rs, &hits[i], others) * score_ppm(hits[i].score);
        if (k == 3) { /* 10^36 * 10^12 would overflow: back to 10^12 */
            P = (P + E12 * E12 / 2) / (E12 * E12);
            S = E12;
            k = 1;
        }
        P *= E12 - (u128)wp;
        S *= E12;
        k++;
    }
    /* round(100 (S - P) / S) half up = floor((200 (S - P) + S) / 2S). */
    int s = (int)((200 * (S - P) + S) / (2 * S));
    *score = s;
    if (band == NULL) return;
    int bb = rs ? rs->band_block : TXS_SCORE_DEFAULT_BLOCK;
    int br = rs ? rs->band_review : TXS_SCORE_DEFAULT_REVIEW;
    int be = rs ? rs->band_edd : TXS_SCORE_DEFAULT_EDD;
    *band = txs_band_policy(hits, n,
                            s >= bb   ? TXS_BAND_BLOCK
                            : s >= br ? TXS_BAND_REVIEW
                            : s >= be ? TXS_BAND_EDD
                                      : TXS_BAND_NONE);
}

/* A fuzzy name is a lead for an analyst, not a reason to stop a payment:
 * a sanctions-only alert blocks only on evidence that may block.  Hits that
 * score nothing (suppressed by the good-guy list) do not count. */
int txs_band_policy(const txs_hit *hits, size_t n, int band)
{
    if (band != TXS_BAND_BLOCK) return band;
    for (size_t i = 0; i < n; i++) {
        if (!(hits[i].score > 0.0)) continue;
        if (hits[i].kind != TXS_HIT_SANCTIONS) return band;
        if (hits[i].rule & TXS_SANC_MAY_BLOCK) return band;
    }
    return TXS_BAND_REVIEW;
}
