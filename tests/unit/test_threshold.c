/*
 * test_threshold.c: the `threshold` rule kind (src/rules/kind_threshold.c):
 * exact boundaries per currency, FX-converted boundaries (rounded up to the
 * currency's minor unit), the channel filter, currencies without a rate,
 * evidence text and the hit's account.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "rules_fixture.h"

/* FX (RT_HEAD, base USD): EUR 1.0832, GBP 1.25, JPY 0.0067, XBT 90000. */
static const char *const ctr_rules =
    "rules:\n"
    "  - id: ctr\n"
    "    kind: threshold\n"
    "    weight: 0.3\n"
    "    reason: cash at or above USD 10,000, or EUR 9,000\n"
    "    params:\n"
    "      amounts: {USD: \"10000.00\", EUR: \"9000.00\"}\n"
    "      convert: true\n"
    "      channels: [cash]\n";

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct amount_case {
    char amount[24], cur[4], channel[12];
    int hit;
} amount_case;

ParameterizedTestParameters(threshold, hits_exactly_at_the_boundary)
{
    static amount_case cases[] = {
        {"9999.99", "USD", "cash", 0},
        {"10000.00", "USD", "cash", 1},
        {"10000.01", "USD", "cash", 1},
        {"10000.00", "USD", "wire", 0},      /* channel filter */
        {"50000.00", "USD", "card", 0},
        {"-20000.00", "USD", "cash", 0},     /* reversals never hit */
        {"8999.99", "EUR", "cash", 0},       /* EUR has its own threshold */
        {"9000.00", "EUR", "cash", 1},
        /* GBP converted: 10000.00 USD / 1.25 = 8000.00 GBP exactly */
        {"7999.99", "GBP", "cash", 0},
        {"8000.00", "GBP", "cash", 1},
        /* JPY: 10000 / 0.0067 = 1492537.31.. -> 1492538 yen */
        {"1492537", "JPY", "cash", 0},
        {"1492538", "JPY", "cash", 1},
        /* XBT (8 decimals): 10000 / 90000 = 0.111111111.. -> 0.11111112 */
        {"0.11111111", "XBT", "cash", 0},
        {"0.11111112", "XBT", "cash", 1},
        /* CHF has no rate in the table: never hits, however large */
        {"99999999.00", "CHF", "cash", 0},
    };
    return cr_make_param_array(amount_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(amount_case *c, threshold, hits_exactly_at_the_boundary)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, ctr_rules);
    txs_txn t = rt_txn(c->amount, c->cur, c->channel);
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    size_t n = rt_eval(rs, &t, &a, h, 4);
    cr_assert_eq(n, (size_t)c->hit, "%s %s %s: %zu hits", c->amount, c->cur, c->channel, n);
    if (n) {
        cr_assert_eq(h[0].kind, TXS_HIT_TYPOLOGY);
        cr_assert_eq(h[0].rule, 0);
        cr_assert_float_eq(h[0].score, 1.0, 1e-12);
    }
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(threshold, evidence_of_a_direct_hit)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, ctr_rules);
    txs_txn t = rt_txn("12000.00", "USD", "cash");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    cr_assert_eq(rt_eval(rs, &t, &a, h, 4), 1);
    cr_assert_str_eq(rt_ev(&h[0]),
                     "{\"amount\":\"12000.00\",\"currency\":\"USD\",\"threshold\":\"10000.00\","
                     "\"threshold_currency\":\"USD\",\"converted\":false,\"channel\":\"cash\"}");
    cr_assert(txs_slice_eq(h[0].account, "ACC-O"));
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(threshold, evidence_of_a_converted_hit)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, ctr_rules);
    txs_txn t = rt_txn("8000.00", "GBP", "cash");
    t.orig.account = rt_s("");  /* a cash deposit: the account is the bene's */
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    cr_assert_eq(rt_eval(rs, &t, &a, h, 4), 1);
    cr_assert_str_eq(rt_ev(&h[0]),
                     "{\"amount\":\"8000.00\",\"currency\":\"GBP\",\"threshold\":\"10000.00\","
                     "\"threshold_currency\":\"USD\",\"converted\":true,\"fx_rate\":\"1.25\","
                     "\"fx_base\":\"USD\",\"amount_in_threshold_currency\":\"10000.00\","
                     "\"channel\":\"cash\"}");
    cr_assert(txs_slice_eq(h[0].account, "ACC-B"));
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

/* A threshold in a currency other than the FX base converts through the
 * base: USD -> EUR at 1 / 1.0832, so 10832.00 USD is exactly 10000.00 EUR. */
Test(threshold, conversion_through_the_base_currency)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n"
        "  - id: eu\n    kind: threshold\n    weight: 0.25\n    reason: r\n"
        "    params: {amounts: {EUR: \"10000.00\"}, convert: true, channels: [cash]}\n");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    txs_txn below = rt_txn("10831.99", "USD", "cash");
    cr_assert_eq(rt_eval(rs, &below, &a, h, 4), 0);
    txs_txn at = rt_txn("10832.00", "USD", "cash");
    cr_assert_eq(rt_eval(rs, &at, &a, h, 4), 1);
    cr_assert_str_eq(rt_ev(&h[0]),
                     "{\"amount\":\"10832.00\",\"currency\":\"USD\",\"threshold\":\"10000.00\","
                     "\"threshold_currency\":\"EUR\",\"converted\":true,\"fx_rate\":\"1\","
                     "\"fx_base\":\"USD\",\"threshold_fx_rate\":\"1.0832\","
                     "\"amount_in_threshold_currency\":\"10000.00\",\"channel\":\"cash\"}");
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(threshold, without_convert_other_currencies_never_hit)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n"
        "  - id: eur_only\n    kind: threshold\n    weight: 0.5\n    reason: r\n"
        "    params: {amounts: {EUR: \"5000.00\"}}\n");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    txs_txn usd = rt_txn("1000000.00", "USD", "wire");
    cr_assert_eq(rt_eval(rs, &usd, &a, h, 4), 0);
    txs_txn eur = rt_txn("5000.00", "EUR", "wire");  /* no channel filter */
    cr_assert_eq(rt_eval(rs, &eur, &a, h, 4), 1);
    cr_assert_str_eq(rt_ev(&h[0]),
                     "{\"amount\":\"5000.00\",\"currency\":\"EUR\",\"threshold\":\"5000.00\","
                     "\"threshold_currency\":\"EUR\",\"converted\":false,\"channel\":\"wire\"}");
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(threshold, hits_beyond_capacity_are_counted_as_dropped)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir, ctr_rules);
    txs_txn t = rt_txn("20000.00", "USD", "cash");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[1];
    size_t n = 1, dropped = 3;  /* already full; dropped accumulates */
    cr_assert_eq(txs_rules_eval(rs, &t, &a, h, 1, &n, &dropped), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(dropped, 4);
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(threshold, default_set_ctr_is_more_than_ten_thousand_dollars)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[8];
    txs_txn at = rt_txn("10000.00", "USD", "cash");
    cr_assert_eq(rt_eval(rs, &at, &a, h, 8), 0, "31 CFR 1010.311: more than $10,000");
    txs_txn above = rt_txn("10000.01", "USD", "cash");
    cr_assert_eq(rt_eval(rs, &above, &a, h, 8), 1);
    cr_assert_str_eq(txs_ruleset_rule(rs, h[0].rule)->id, "us_ctr_cash");
    txs_txn eur = rt_txn("10000.00", "EUR", "cash");  /* both cash rules */
    cr_assert_eq(rt_eval(rs, &eur, &a, h, 8), 2);
    txs_arena_free(&a);
    txs_ruleset_free(rs);
}
