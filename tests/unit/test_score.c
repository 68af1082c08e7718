/*
 * test_score.c: combining hits into a score and band (src/rules/score.c):
 * the noisy-or values, round half up at band boundaries, sanctions hits,
 * clamping of odd hit scores, order independence, and band names.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>

#include "rules_fixture.h"

/* Rules 0..6 have these weights; bands edd 25, review 50, block 80. */
static const char *const weights_rules =
    "rules:\n"
    "  - {id: w60, kind: corridor, weight: 0.6, reason: r, params: {list: black}}\n"
    "  - {id: w35, kind: corridor, weight: 0.35, reason: r, params: {list: black}}\n"
    "  - {id: w30, kind: corridor, weight: 0.30, reason: r, params: {list: black}}\n"
    "  - {id: w25, kind: corridor, weight: 0.25, reason: r, params: {list: black}}\n"
    "  - {id: w245, kind: corridor, weight: 0.245, reason: r, params: {list: black}}\n"
    "  - {id: w50, kind: corridor, weight: 0.5, reason: r, params: {list: black}}\n"
    "  - {id: w100, kind: corridor, weight: 1, reason: r, params: {list: black}}\n";

#define S 100 /* rule number meaning "a sanctions hit" in the table */

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct score_case {
    char name[40];
    int n;
    int rule[8];
    double s[8];
    int score, band;
} score_case;

ParameterizedTestParameters(score, noisy_or_rounded_half_up)
{
    static score_case cases[] = {
        {"no hits", 0, {0}, {0}, 0, TXS_BAND_NONE},
        {"black alone", 1, {0}, {1}, 60, TXS_BAND_REVIEW},
        {"grey alone", 1, {2}, {1}, 30, TXS_BAND_EDD},
        {"at the edd line", 1, {3}, {1}, 25, TXS_BAND_EDD},
        {"24.5 rounds up to edd", 1, {4}, {1}, 25, TXS_BAND_EDD},
        {"24.4999 rounds down", 1, {4}, {0.99999}, 24, TXS_BAND_NONE},
        {"49.5 rounds up to review", 1, {5}, {0.99}, 50, TXS_BAND_REVIEW},
        {"half a hit", 1, {0}, {0.5}, 30, TXS_BAND_EDD},
        {"black + eu", 2, {0, 1}, {1, 1}, 74, TXS_BAND_REVIEW},
        {"grey + eu", 2, {2, 1}, {1, 1}, 55, TXS_BAND_REVIEW},
        {"both cash rules", 2, {2, 3}, {1, 1}, 48, TXS_BAND_EDD},
        {"black + eu + 2 cash", 4, {0, 1, 2, 3}, {1, 1, 1, 1}, 86, TXS_BAND_BLOCK},
        {"seven grey", 7, {2, 2, 2, 2, 2, 2, 2}, {1, 1, 1, 1, 1, 1, 1}, 92, TXS_BAND_BLOCK},
        {"certain", 1, {6}, {1}, 100, TXS_BAND_BLOCK},
        {"sanctions 0.80", 1, {S}, {0.80}, 80, TXS_BAND_BLOCK},
        {"sanctions 0.795 rounds to block", 1, {S}, {0.795}, 80, TXS_BAND_BLOCK},
        {"sanctions 0.7949", 1, {S}, {0.7949}, 79, TXS_BAND_REVIEW},
        {"score above 1 clamps", 1, {0}, {7.5}, 60, TXS_BAND_REVIEW},
        {"negative score counts 0", 1, {0}, {-1}, 0, TXS_BAND_NONE},
        {"unknown rule index ignored", 2, {0, 99}, {1, 1}, 60, TXS_BAND_REVIEW},
    };
    return cr_make_param_array(score_case, cases, sizeof cases / sizeof cases[0]);
}

static void fill(const score_case *c, txs_hit *h, int reverse)
{
    for (int i = 0; i < c->n; i++) {
        int j = reverse ? c->n - 1 - i : i;
        memset(&h[i], 0, sizeof h[i]);
        h[i].kind = c->rule[j] == S ? TXS_HIT_SANCTIONS : TXS_HIT_TYPOLOGY;
        h[i].rule = (uint16_t)(c->rule[j] == S ? (int)TXS_SANC_MAY_BLOCK : c->rule[j]);
        h[i].score = c->s[j];
    }
}

ParameterizedTest(score_case *c, score, noisy_or_rounded_half_up)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, weights_rules);
    txs_hit h[8];
    for (int rev = 0; rev < 2; rev++) { /* order must not matter */
        fill(c, h, rev);
        int score = -1, band = -1;
        txs_score(rs, h, (size_t)c->n, &score, &band);
        cr_assert_eq(score, c->score, "%s: score %d", c->name, score);
        cr_assert_eq(band, c->band, "%s: band %s", c->name, txs_band_name(band));
    }
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

/* The band policy of sanctions-only alerts (docs/matching.md "Bands of
 * sanctions alerts"): a fuzzy name alone reviews, whatever its score;
 * evidence that may block, or any typology hit beside it, leaves the band
 * to the score; a suppressed hit (score 0) counts for nothing. */
Test(score, fuzzy_sanctions_alone_is_at_most_review)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, weights_rules);
    txs_hit fuzzy = {.kind = TXS_HIT_SANCTIONS, .rule = 0, .score = 0.95};
    txs_hit strong = {.kind = TXS_HIT_SANCTIONS, .rule = TXS_SANC_MAY_BLOCK, .score = 0.9};
    txs_hit gone = {.kind = TXS_HIT_SANCTIONS, .rule = TXS_SANC_MAY_BLOCK, .score = 0.0};
    txs_hit typo = {.kind = TXS_HIT_TYPOLOGY, .rule = 2, .score = 1.0};
    int score, band;
    txs_hit a[3] = {fuzzy, fuzzy, gone};
    txs_score(rs, a, 3, &score, &band);
    cr_expect_geq(score, 95);
    cr_expect_eq(band, TXS_BAND_REVIEW, "%s", txs_band_name(band));
    txs_hit b[2] = {fuzzy, strong};
    txs_score(rs, b, 2, &score, &band);
    cr_expect_eq(band, TXS_BAND_BLOCK, "%s", txs_band_name(band));
    txs_hit c[2] = {typo, fuzzy};
    txs_score(rs, c, 2, &score, &band);
    cr_expect_eq(band, TXS_BAND_BLOCK, "%s", txs_band_name(band));
    /* below block nothing changes */
    txs_hit d = {.kind = TXS_HIT_SANCTIONS, .rule = 0, .score = 0.3};
    txs_score(rs, &d, 1, &score, &band);
    cr_expect_eq(band, TXS_BAND_EDD, "%s", txs_band_name(band));
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(score, nan_hit_score_counts_zero)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, weights_rules);
    txs_hit h = {.kind = TXS_HIT_TYPOLOGY, .rule = 0, .score = NAN};
    int score, band;
    txs_score(rs, &h, 1, &score, &band);
    cr_assert_eq(score, 0);
    cr_assert_eq(band, TXS_BAND_NONE);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(score, sanctions_weight_comes_from_the_rule_set)
{
    rt_dir dir;
    rt_init(&dir);
    rt_write(&dir, "black.yaml", RT_BLACK_LIST);
    const char *p = rt_write(&dir, "sw.yaml",
        "ruleset: sw\nversion: \"1\"\n"
        "scoring: {sanctions_weight: 0.5, bands: {edd: 10, review: 40, block: 90}}\n"
        "rules: []\n");
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load(p, &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_hit h = {.kind = TXS_HIT_SANCTIONS, .score = 0.9};
    int score, band;
    txs_score(rs, &h, 1, &score, &band);
    cr_assert_eq(score, 45);
    cr_assert_eq(band, TXS_BAND_REVIEW);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(score, band_names)
{
    cr_assert_str_eq(txs_band_name(TXS_BAND_NONE), "none");
    cr_assert_str_eq(txs_band_name(TXS_BAND_EDD), "edd");
    cr_assert_str_eq(txs_band_name(TXS_BAND_REVIEW), "review");
    cr_assert_str_eq(txs_band_name(TXS_BAND_BLOCK), "block");
    cr_assert_str_eq(txs_band_name(-1), "none");
    cr_assert_str_eq(txs_band_name(42), "none");
}

/* The bundled default's design promises (rules/default.yaml, docs/rules.md). */
Test(score, default_bands_follow_the_documented_design)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    struct { const char *ids[4]; int n, band; } cases[] = {
        {{"corridor_fatf_black"}, 1, TXS_BAND_REVIEW},
        {{"us_ctr_cash"}, 1, TXS_BAND_EDD},
        {{"eu_cash_10k"}, 1, TXS_BAND_EDD},
        {{"corridor_fatf_grey"}, 1, TXS_BAND_EDD},
        {{"corridor_eu_high_risk"}, 1, TXS_BAND_EDD},
        {{"us_ctr_cash", "eu_cash_10k"}, 2, TXS_BAND_EDD},
        {{"corridor_fatf_grey", "corridor_eu_high_risk"}, 2, TXS_BAND_REVIEW},
        {{"corridor_fatf_grey", "us_ctr_cash"}, 2, TXS_BAND_REVIEW},
        {{"corridor_fatf_black", "corridor_eu_high_risk", "us_ctr_cash"}, 3, TXS_BAND_BLOCK},
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(cases); i++) {
        txs_hit h[4] = {{0}};
        for (int k = 0; k < cases[i].n; k++) {
            h[k].kind = TXS_HIT_TYPOLOGY;
            h[k].score = 1.0;
            for (size_t r = 0; r < txs_ruleset_count(rs); r++)
                if (strcmp(txs_ruleset_rule(rs, r)->id, cases[i].ids[k]) == 0)
                    h[k].rule = (uint16_t)r;
        }
        int score, band;
        txs_score(rs, h, (size_t)cases[i].n, &score, &band);
        cr_assert_eq(band, cases[i].band, "case %zu (%s...): score %d band %s", i,
                     cases[i].ids[0], score, txs_band_name(band));
    }
    txs_ruleset_free(rs);
}
