/*
 * test_rules.c: loading rule sets (rules.h, src/rules/ruleset.c): the
 * bundled default and strict sets, the hash, and every way a rule-set or
 * country-list file can be wrong, each reported as FILE:LINE: what.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <xxhash.h>

#include "rules_fixture.h"

Test(ruleset, default_loads_with_its_rules_in_file_order)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_assert_str_eq(txs_ruleset_name(rs), "default");
    cr_assert_str_eq(txs_ruleset_version(rs), "2026.06.1");
    cr_assert_eq(txs_ruleset_count(rs), 21);
    const char *ids[] = {"us_ctr_cash", "eu_cash_10k", "corridor_fatf_black",
                         "corridor_eu_high_risk", "corridor_fatf_grey", "structuring_cash_1d",
                         "structuring_cash_30d", "pass_through_72h", "pass_through_black_list",
                         "fan_in_24h", "fan_out_8h",
                         "fan_in_72h", "fan_out_72h", "gather_scatter_96h",
                         "scatter_gather_96h", "cycle_7d", "round_amounts_7d", "amount_spike",
                         "velocity_spike_1d", "dormant_reactivation", "new_account_high_value"};
    const char *kinds[] = {"threshold",     "threshold",      "corridor",       "corridor",
                           "corridor",      "structuring",    "structuring",    "pass_through",
                           "pass_through",  "fan_in",         "fan_out",        "fan_in",
                           "fan_out",       "gather_scatter",
                           "scatter_gather", "cycle",         "round_amounts",  "amount_spike",
                           "velocity_spike", "dormant",       "new_account"};
    for (size_t i = 0; i < 21; i++) {
        const txs_rule_info *ri = txs_ruleset_rule(rs, i);
        cr_assert_str_eq(ri->id, ids[i]);
        cr_assert_str_eq(ri->kind, kinds[i]);
        cr_assert(ri->weight > 0 && ri->weight <= 1);
        cr_assert(strlen(ri->reason) > 20);
    }
    cr_assert_null(txs_ruleset_rule(rs, 21));
    cr_assert_str_eq(txs_ruleset_rule(rs, 7)->typology, "pass_through");
    cr_assert_float_eq(txs_ruleset_rule(rs, 2)->weight, 0.60, 1e-12);
    txs_ruleset_free(rs);
}

Test(ruleset, strict_loads_and_hashes_differently)
{
    txs_ruleset *a = NULL, *b = NULL, *c = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("strict", &a, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_assert_eq(txs_ruleset_load("default", &b, &d), 0);
    cr_assert_eq(txs_ruleset_load("default", &c, &d), 0);
    cr_assert_str_eq(txs_ruleset_name(a), "strict");
    cr_assert_eq(txs_ruleset_count(a), 22);
    cr_assert_neq(txs_ruleset_hash(a), txs_ruleset_hash(b));
    cr_assert_eq(txs_ruleset_hash(b), txs_ruleset_hash(c), "hash must be stable");
    txs_ruleset_free(a);
    txs_ruleset_free(b);
    txs_ruleset_free(c);
}

Test(ruleset, free_accepts_null)
{
    txs_ruleset_free(NULL);
}

Test(ruleset, missing_file_is_a_configuration_error)
{
    txs_ruleset *rs = (txs_ruleset *)1;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("/nonexistent/rules.yaml", &rs, &d), TXS_E_CONFIG);
    cr_assert_null(rs);
    cr_assert_str_eq(d.file, "/nonexistent/rules.yaml");
    cr_assert(strstr(d.msg, "No such file"), "%s", d.msg);
}

Test(ruleset, unknown_builtin_lists_the_builtins)
{
    txs_ruleset *rs = (txs_ruleset *)1;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load("strickt", &rs, &d), TXS_E_CONFIG);
    cr_assert_null(rs);
    cr_assert_str_eq(d.file, "strickt");
    cr_assert(strstr(d.msg, "(built-in: default, patterns, strict)"), "%s", d.msg);
}

/* Without lists the hash is plain XXH3-64 of the file (xxhsum -H3); each
 * list chains in with the previous hash as the seed. */
Test(ruleset, hash_chains_xxh3_over_every_file_in_order)
{
    rt_dir dir;
    rt_init(&dir);
    const char *solo = "ruleset: solo\nversion: \"1\"\n"
                       "scoring: {bands: {edd: 10, review: 20, block: 30}}\nrules: []\n";
    const char *path = rt_write(&dir, "solo.yaml", solo);
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load(path, &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_assert_eq(txs_ruleset_hash(rs), XXH3_64bits(solo, strlen(solo)));
    txs_ruleset_free(rs);

    rs = rt_load(&dir, "rules: []\n");
    char head[2048];
    snprintf(head, sizeof head, "%s%s", RT_HEAD, "rules: []\n");
    uint64_t h = XXH3_64bits(head, strlen(head));
    h = XXH3_64bits_withSeed(RT_BLACK_LIST, strlen(RT_BLACK_LIST), h);
    h = XXH3_64bits_withSeed(RT_GREY_LIST, strlen(RT_GREY_LIST), h);
    cr_assert_eq(txs_ruleset_hash(rs), h);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

Test(ruleset, disabled_rules_are_listed_but_not_evaluated)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n"
        "  - {id: off, kind: corridor, weight: 0.5, reason: r, enabled: false,"
        " params: {list: black}}\n"
        "  - {id: on, kind: corridor, weight: 0.5, reason: r, params: {list: black}}\n");
    cr_assert_eq(txs_ruleset_count(rs), 2);
    txs_txn t = rt_txn("100.00", "USD", "wire");
    rt_party(&t.bene, "IR", NULL);
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_hit h[4];
    cr_assert_eq(rt_eval(rs, &t, &a, h, 4), 1);
    cr_assert_eq(h[0].rule, 1);
    txs_arena_free(&a);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}

/* ------------------------------------------------------------ errors */

/* Criterion re-executes the binary for each test (PIE: new addresses), so
 * parameters hold their text inline rather than pointers to literals. */
typedef struct bad_case {
    char name[48];
    char text[1024];    /* rules.yaml */
    char file[16];      /* which file the diagnostic names (basename) */
    unsigned long line;
    char msg[80];       /* a substring of the message */
} bad_case;

#define RULE(extra) \
    "rules:\n  - id: r1\n    kind: threshold\n    weight: 0.5\n    reason: test\n" extra

ParameterizedTestParameters(ruleset_errors, report_file_line_and_what)
{
    static bad_case cases[] = {
        {"unknown top key", RT_HEAD "colour: red\nrules: []\n", "rules.yaml", 12,
         "unknown key 'colour'"},
        {"unknown kind",
         RT_HEAD "rules:\n  - id: a\n    kind: magic\n    weight: 0.5\n    reason: r\n",
         "rules.yaml", 14, "unknown rule kind 'magic' (known kinds: threshold, corridor, structuring,"},
        {"duplicate id",
         RT_HEAD "rules:\n  - {id: a, kind: corridor, weight: 0.5, reason: r, params: {list: black}}\n"
                 "  - {id: a, kind: corridor, weight: 0.5, reason: r, params: {list: black}}\n",
         "rules.yaml", 14, "duplicate rule id 'a'"},
        {"bad id", RT_HEAD "rules:\n  - {id: Big, kind: corridor, weight: 0.5, reason: r}\n",
         "rules.yaml", 13, "rule id 'Big'"},
        {"weight above 1",
         RT_HEAD "rules:\n  - {id: a, kind: corridor, weight: 1.5, reason: r, params: {list: black}}\n",
         "rules.yaml", 13, "weight must be a number from 0 to 1"},
        {"weight not a number",
         RT_HEAD "rules:\n  - id: a\n    kind: corridor\n    weight: high\n    reason: r\n",
         "rules.yaml", 15, "weight must be"},
        {"missing reason", RT_HEAD "rules:\n  - {id: a, kind: corridor, weight: 0.5, params: {list: black}}\n",
         "rules.yaml", 13, "missing required key 'reason'"},
        {"unknown rule key",
         RT_HEAD "rules:\n  - id: a\n    kind: corridor\n    weight: 0.5\n    reason: r\n    colour: red\n",
         "rules.yaml", 17, "unknown key 'colour'"},
        {"unknown param key", RT_HEAD RULE("    params:\n      amount: {USD: \"1.00\"}\n"),
         "rules.yaml", 18, "unknown key 'amount'"},
        {"threshold without amounts", RT_HEAD RULE("    params: {convert: true}\n"),
         "rules.yaml", 17, "needs params: amounts"},
        {"amount with too many decimals",
         RT_HEAD RULE("    params:\n      amounts: {USD: \"10000.001\"}\n"),
         "rules.yaml", 18, "amount for USD"},
        {"amount not positive", RT_HEAD RULE("    params:\n      amounts: {USD: \"0.00\"}\n"),
         "rules.yaml", 18, "not a positive amount"},
        {"amount currency unknown",
         RT_HEAD RULE("    params:\n      amounts: {QQQ: \"1.00\"}\n"), "rules.yaml", 18,
         "'QQQ' is not an ISO 4217"},
        {"bad channel", RT_HEAD RULE("    params:\n      amounts: {USD: \"1.00\"}\n"
                                     "      channels: [cash, pigeon]\n"),
         "rules.yaml", 19, "unknown channel 'pigeon'"},
        {"convert without fx",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         RULE("    params:\n      amounts: {USD: \"1.00\"}\n      convert: true\n"),
         "rules.yaml", 10, "conversion needs an fx: section"},
        {"corridor unknown list",
         RT_HEAD "rules:\n  - {id: a, kind: corridor, weight: 0.5, reason: r, params: {list: pink}}\n",
         "rules.yaml", 13, "no country list named 'pink'"},
        {"corridor bad party",
         RT_HEAD "rules:\n  - id: a\n    kind: corridor\n    weight: 0.5\n    reason: r\n"
                 "    params:\n      list: black\n      parties: [orig, thief]\n",
         "rules.yaml", 19, "unknown party 'thief'"},
        {"bad fx rate",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "fx:\n  base: USD\n  as_of: \"2026-06-01\"\n  source: s\n  rates:\n    EUR: \"1,08\"\nrules: []\n",
         "rules.yaml", 9, "fx rate for EUR: '1,08'"},
        {"negative fx rate",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "fx:\n  base: USD\n  as_of: \"2026-06-01\"\n  source: s\n  rates:\n    EUR: \"-1.08\"\nrules: []\n",
         "rules.yaml", 9, "not a positive decimal"},
        {"fx base rate not 1",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "fx:\n  base: USD\n  as_of: \"2026-06-01\"\n  source: s\n  rates:\n    USD: \"1.5\"\nrules: []\n",
         "rules.yaml", 9, "must be 1"},
        {"bands not increasing",
         "ruleset: t\nversion: \"1\"\nscoring:\n  bands: {edd: 50, review: 40, block: 80}\nrules: []\n",
         "rules.yaml", 4, "bands must increase"},
        {"band out of range",
         "ruleset: t\nversion: \"1\"\nscoring:\n  bands: {edd: 5, review: 40, block: 101}\nrules: []\n",
         "rules.yaml", 4, "band 'block' must be an integer"},
        {"unknown scoring method",
         "ruleset: t\nversion: \"1\"\nscoring:\n  method: max\n  bands: {edd: 5, review: 40, block: 90}\nrules: []\n",
         "rules.yaml", 4, "unknown scoring method"},
        {"missing scoring", "ruleset: t\nversion: \"1\"\nrules: []\n", "rules.yaml", 1,
         "missing required section 'scoring'"},
        {"missing list file",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "country_lists:\n  black: black.yaml\n  gone: nope.yaml\nrules: []\n",
         "rules.yaml", 6, "cannot open"},
        {"bad country code in a list",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "country_lists:\n  bad: bad.yaml\nrules: []\n",
         "bad.yaml", 7, "'ZZ' is not an ISO 3166-1 alpha-2"},
        {"list name mismatch",
         "ruleset: t\nversion: \"1\"\nscoring: {bands: {edd: 1, review: 2, block: 3}}\n"
         "country_lists:\n  white: black.yaml\nrules: []\n",
         "black.yaml", 1, "named 'black' but the rule set calls it 'white'"},
        {"not yaml", "ruleset: [unclosed\n", "rules.yaml", 0, ""},
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_case *c, ruleset_errors, report_file_line_and_what)
{
    rt_dir dir;
    rt_init(&dir);
    rt_write(&dir, "black.yaml", RT_BLACK_LIST);
    rt_write(&dir, "grey.yaml", RT_GREY_LIST);
    rt_write(&dir, "bad.yaml",
             "name: bad\ntitle: Bad\nas_of: \"2026-06\"\n"
             "source: {publisher: p, document: d, url: u}\ncountries:\n  - IR\n  - ZZ\n");
    txs_diag d = {0};
    int rc = rt_try(&dir, c->text, &d);
    cr_assert_lt(rc, 0, "%s: expected an error", c->name);
    const char *base = strrchr(d.file, '/');
    cr_assert_str_eq(base ? base + 1 : d.file, c->file, "%s: file %s", c->name, d.file);
    if (c->line) cr_assert_eq(d.line, c->line, "%s: line %lu: %s", c->name, d.line, d.msg);
    cr_assert_not_null(strstr(d.msg, c->msg), "%s: message '%s'", c->name, d.msg);
    rt_cleanup(&dir);
}
