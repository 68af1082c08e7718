/*
 * test_corridor.c: the `corridor` rule kind (src/rules/kind_corridor.c):
 * party countries and BIC countries against named lists, the parties /
 * fields / channels / min_amount filters, several lists in one rule, one hit
 * per rule with every matching field in its evidence, and the hit's account.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "rules_fixture.h"

/* Inline text: Criterion re-executes the (PIE) binary per parameter.
 * Empty strings mean absent. */
typedef struct cc_case {
    char params[64];                     /* the rule's params flow map */
    char o_cc[3], o_bic[12], b_cc[3], b_bic[12];
    char channel[12];
    char matches[400];                   /* expected "matches":[...] or "" */
} cc_case;

ParameterizedTestParameters(corridor, matches_fields_by_params)
{
    static cc_case cases[] = {
        {"{list: black}", "US", "CHASUS33", "DE", "DEUTDEFF", "wire", ""},
        {"{list: black}", "US", "", "IR", "", "wire",
         "[{\"field\":\"bene_country\",\"country\":\"IR\"}]"},
        /* the country in letters 5-6 of a BIC */
        {"{list: black}", "GB", "", "AE", "ABCDIRTH", "wire",
         "[{\"field\":\"bene_bank_country\",\"country\":\"IR\"}]"},
        {"{list: black}", "KP", "", "SG", "ABCDMMMY", "wire",
         "[{\"field\":\"orig_country\",\"country\":\"KP\"},"
         "{\"field\":\"bene_bank_country\",\"country\":\"MM\"}]"},
        {"{list: black}", "IR", "ABCDIRTH", "IR", "WXYZIRTH", "wire",
         "[{\"field\":\"orig_country\",\"country\":\"IR\"},"
         "{\"field\":\"orig_bank_country\",\"country\":\"IR\"},"
         "{\"field\":\"bene_country\",\"country\":\"IR\"},"
         "{\"field\":\"bene_bank_country\",\"country\":\"IR\"}]"},
        /* parties filter */
        {"{list: black, parties: [bene]}", "IR", "ABCDIRTH", "US", "", "wire", ""},
        {"{list: black, parties: [orig]}", "IR", "", "KP", "", "wire",
         "[{\"field\":\"orig_country\",\"country\":\"IR\"}]"},
        /* fields filter */
        {"{list: black, fields: [bank_country]}", "IR", "", "IR", "", "wire", ""},
        {"{list: black, fields: [bank_country]}", "US", "", "DE", "ABCDIRTH", "wire",
         "[{\"field\":\"bene_bank_country\",\"country\":\"IR\"}]"},
        {"{list: black, fields: [country]}", "US", "", "DE", "ABCDIRTH", "wire", ""},
        /* channel filter */
        {"{list: black, channels: [wire, ach]}", "US", "", "IR", "", "cash", ""},
        {"{list: black, channels: [wire, ach]}", "US", "", "IR", "", "ach",
         "[{\"field\":\"bene_country\",\"country\":\"IR\"}]"},
        /* absent countries never match */
        {"{list: black}", "", "", "", "", "wire", ""},
        /* several lists: each match names its list */
        {"{lists: [black, grey]}", "SY", "", "IR", "", "wire",
         "[{\"field\":\"orig_country\",\"country\":\"SY\",\"list\":\"grey\"},"
         "{\"field\":\"bene_country\",\"country\":\"IR\",\"list\":\"black\"}]"},
    };
    return cr_make_param_array(cc_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(cc_case *c, corridor, matches_fields_by_params)
{
    rt_dir dir;
    rt_init(&dir);
    char rules[512];
    snprintf(rules, sizeof rules,
             "rules:\n  - id: c\n    kind: corridor\n    weight: 0.6\n    reason: r\n"
             "    params: %s\n", c->params);
    txs_ruleset *rs = rt_load(&dir, rules);
    txs_txn t = rt_txn("100.00", "USD", c->channel);
    rt_party(&t.orig, c->o_cc[0] ? c->o_cc : NULL, c->o_bic[0] ? c->o_bic : NULL);
    rt_party(&t.bene, c->b_cc[0] ? c->b_cc : NULL, c->b_bic[0] ? c->b_bic : NULL);
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    size_t n = rt_eval(rs, &t, &a, h, 4);
    cr_assert_eq(n, c->matches[0] ? 1u : 0u, "%s: %zu hits", c->params, n);
    if (n) {
        const char *ev = rt_ev(&h[0]);
        const char *m = strstr(ev, "\"matches\":");
        cr_assert_not_null(m, "%s", ev);
        char want[1024];
        snprintf(want, sizeof want, "\"matches\":%s}", c->matches);
        cr_assert_str_eq(m, want);
    }
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(corridor, evidence_names_the_list_and_its_date)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n  - {id: c, kind: corridor, weight: 0.6, reason: r, params: {list: grey}}\n");
    txs_txn t = rt_txn("100.00", "USD", "wire");
    rt_party(&t.bene, "VE", "ABCDVECA");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    cr_assert_eq(rt_eval(rs, &t, &a, h, 4), 1);
    cr_assert_str_eq(rt_ev(&h[0]),
                     "{\"list\":\"grey\",\"list_title\":\"Test grey list\",\"as_of\":\"2026-06-30\","
                     "\"matches\":[{\"field\":\"bene_country\",\"country\":\"VE\"},"
                     "{\"field\":\"bene_bank_country\",\"country\":\"VE\"}]}");
    cr_assert(txs_slice_eq(h[0].account, "ACC-B"));
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(corridor, account_is_the_matching_party_orig_first)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n  - {id: c, kind: corridor, weight: 0.6, reason: r, params: {list: black}}\n");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    txs_txn both = rt_txn("100.00", "USD", "wire");
    rt_party(&both.orig, "KP", NULL);
    rt_party(&both.bene, "IR", NULL);
    cr_assert_eq(rt_eval(rs, &both, &a, h, 4), 1);
    cr_assert(txs_slice_eq(h[0].account, "ACC-O"));
    /* A cash deposit from IR has no originator account: the bene's. */
    txs_txn cash = rt_txn("100.00", "USD", "cash");
    cash.orig.account = rt_s("");
    rt_party(&cash.orig, "IR", NULL);
    cr_assert_eq(rt_eval(rs, &cash, &a, h, 4), 1);
    cr_assert(txs_slice_eq(h[0].account, "ACC-B"));
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

/* min_amount {USD: 1000.00}: EUR at 1.0832 needs 923.20 (923.199.. up). */
Test(corridor, min_amount_converts_through_fx)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n  - id: c\n    kind: corridor\n    weight: 0.6\n    reason: r\n"
        "    params: {list: black, min_amount: {USD: \"1000.00\"}}\n");
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    struct { const char *amt, *cur; size_t hits; } cases[] = {
        {"999.99", "USD", 0}, {"1000.00", "USD", 1}, {"923.19", "EUR", 0},
        {"923.20", "EUR", 1}, {"100000.00", "CHF", 0} /* no rate */,
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(cases); i++) {
        txs_txn t = rt_txn(cases[i].amt, cases[i].cur, "wire");
        rt_party(&t.bene, "MM", NULL);
        cr_assert_eq(rt_eval(rs, &t, &a, h, 4), cases[i].hits, "%s %s", cases[i].amt,
                     cases[i].cur);
    }
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(corridor, default_set_iran_hits_black_and_eu_lists)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[8];
    txs_txn t = rt_txn("500.00", "EUR", "wire");
    rt_party(&t.orig, "DE", "DEUTDEFF");
    rt_party(&t.bene, "IR", NULL);
    size_t n = rt_eval(rs, &t, &a, h, 8);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(txs_ruleset_rule(rs, h[0].rule)->id, "corridor_fatf_black");
    cr_assert_str_eq(txs_ruleset_rule(rs, h[1].rule)->id, "corridor_eu_high_risk");
    cr_assert_not_null(strstr(rt_ev(&h[0]), "\"as_of\":\"2026-06\""));
    cr_assert_not_null(strstr(rt_ev(&h[1]), "\"as_of\":\"2026-01-29\""));
    int score, band;
    txs_score(rs, h, n, &score, &band);
    cr_assert_eq(score, 74);
    cr_assert_eq(band, TXS_BAND_REVIEW);
    txs_arena_free(&a);
    txs_ruleset_free(rs);
}
