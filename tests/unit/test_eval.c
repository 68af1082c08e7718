/*
 * test_eval.c: the eval library (txs/eval.h): the labels parser and the
 * metric arithmetic (eval/metrics.c) on small
 * hand-made labels and alerts whose every figure is worked out below, and
 * the rule -> typology mapping from a rule set's `typology:` keys.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "txs/eval.h"
#include "rules_fixture.h"

/* ----------------------------------------------------------- labels */

static int labels(txs_eval *ev, const char *text, txs_diag *d)
{
    txs_eval_init(ev);
    memset(d, 0, sizeof *d);
    return txs_eval_labels_parse(ev, "labels.csv", text, strlen(text), d);
}

Test(eval_labels, good_file)
{
    txs_eval ev;
    txs_diag d;
    cr_assert_eq(labels(&ev, "\xEF\xBB\xBFtxn_id,typology,pattern_id\r\nT1,a,P1\r\n\r\n\"T,2\",a,P1\n"
                             "T3,\"near_miss_a\",P2\n", &d), 0, "%s", d.msg);
    cr_assert_eq(ev.nlabels, 3);
    cr_assert_str_eq(ev.txns.s[ev.labels[1].txn], "T,2");
    cr_assert_eq(ev.labels[2].line, 5);
    txs_eval_free(&ev);
}

static void labels_bad(const char *text, unsigned long line, const char *why)
{
    txs_eval ev;
    txs_diag d;
    cr_assert_eq(labels(&ev, text, &d), TXS_E_CONFIG, "accepted %s", text);
    cr_assert_eq(d.line, line, "line %lu for %s (%s)", d.line, text, d.msg);
    cr_assert_str_eq(d.file, "labels.csv");
    cr_assert_not_null(strstr(d.msg, why), "message '%s', expected '%s'", d.msg, why);
    txs_eval_free(&ev);
}

Test(eval_labels, errors_with_lines)
{
    labels_bad("txn,typology,pattern_id\nT1,a,P1\n", 1, "bad header");
    labels_bad("txn_id,typology\nT1,a\n", 1, "bad header");
    labels_bad("txn_id,typology,pattern_id\nT1,a,P1\nT2,a\n", 3, "2 columns");
    labels_bad("txn_id,typology,pattern_id\nT1,a,P1,x\n", 2, "4 columns");
    labels_bad("txn_id,typology,pattern_id\n,a,P1\n", 2, "empty txn_id");
    labels_bad("txn_id,typology,pattern_id\nT1,,P1\n", 2, "empty typology");
    labels_bad("txn_id,typology,pattern_id\nT1,a,\n", 2, "empty pattern_id");
    labels_bad("txn_id,typology,pattern_id\nT1,a,P1\nT1,a,P2\n", 3, "labelled twice");
    labels_bad("txn_id,typology,pattern_id\nT1,a,P1\nT2,b,P1\n", 3, "pattern_id 'P1'");
    labels_bad("txn_id,typology,pattern_id\nT1,\"a,P1\n", 2, "bad quoting");
    labels_bad("txn_id,typology,pattern_id\n", 0, "no labelled rows");
    labels_bad("", 0, "empty labels file");
}

/* ---------------------------------------------------------- metrics */

static void alert(txs_eval *ev, txs_eval_run *r, const char *json)
{
    char why[256] = "";
    int rc = txs_eval_run_add_alert(ev, r, json, strlen(json), why, sizeof why);
    cr_assert_eq(rc, 0, "alert %s refused: %s", json, why);
}

static void alert_bad(txs_eval *ev, txs_eval_run *r, const char *json, const char *what)
{
    char why[256] = "";
    cr_assert_eq(txs_eval_run_add_alert(ev, r, json, strlen(json), why, sizeof why), TXS_E_FORMAT,
                 "accepted %s", json);
    cr_assert_not_null(strstr(why, what), "reason '%s', expected '%s'", why, what);
}

#define EPS 1e-9

/*
 * Labels: structuring P1 = {T1,T2,T3}; cash P2 = {T4}, P5 = {T8};
 * near_miss_cash P3 = {T5}, P4 = {T6}.
 * Run A (rules r_struct -> structuring, r_cash -> cash; r_other unmapped):
 *   T3: r_struct, evidence txn_ids [T1,T3,T9]  -> episode {T1,T3,T9}
 *   T1: r_struct, evidence txn_ids [T9,T3,T1]  -> the same episode (merged)
 *   T4: r_cash                                 -> {T4}
 *   T5: r_cash                                 -> {T5} (a near miss)
 *   T7: r_other                                -> {T7} (typology r_other)
 *   T8: r_struct                               -> {T8} (cash, by another rule)
 * Flagged A = {T1,T3,T9,T4,T5,T7,T8} (7); positives {T1,T2,T3,T4,T8} (5).
 * Run B: T4 (r_cash), T10 (r_cash): flagged {T4,T10}.
 */
static void build(txs_eval *ev)
{
    txs_diag d;
    cr_assert_eq(labels(ev, "txn_id,typology,pattern_id\n"
                            "T1,structuring,P1\nT2,structuring,P1\nT3,structuring,P1\n"
                            "T4,cash,P2\nT5,near_miss_cash,P3\nT6,near_miss_cash,P4\n"
                            "T8,cash,P5\n", &d), 0, "%s", d.msg);
    txs_eval_run *a = txs_eval_add_run(ev, "A");
    cr_assert_eq(txs_eval_run_map(ev, a, "r_struct", "structuring"), 0);
    cr_assert_eq(txs_eval_run_map(ev, a, "r_cash", "cash"), 0);
    alert(ev, a, "{\"txn_id\":\"T3\",\"score\":60,\"hits\":[{\"kind\":\"typology\",\"rule\":\"r_struct\","
                 "\"evidence\":{\"txn_ids\":[\"T1\",\"T3\",\"T9\"],\"total\":\"29000.00\"}}]}");
    alert(ev, a, "{\"txn_id\":\"T1\",\"hits\":[{\"rule\":\"r_struct\","
                 "\"evidence\":{\"txn_ids\":[\"T9\",\"T3\",\"T1\"]}}]}");
    alert(ev, a, "{\"txn_id\":\"T4\",\"hits\":[{\"kind\":\"typology\",\"rule\":\"r_cash\",\"evidence\":{}}]}");
    alert(ev, a, "{\"txn_id\":\"T5\",\"hits\":[{\"rule\":\"r_cash\"}]}");
    alert(ev, a, "{\"txn_id\":\"T7\",\"hits\":[{\"rule\":\"r_other\"}]}");
    alert(ev, a, "{\"txn_id\":\"T8\",\"hits\":[{\"rule\":\"r_struct\"}]}");
    a->screened = 1000;
    a->screened_known = 1;
    txs_eval_run *b = txs_eval_add_run(ev, "B");
    cr_assert_eq(txs_eval_run_map(ev, b, "r_cash", "cash"), 0);
    alert(ev, b, "{\"txn_id\":\"T4\",\"hits\":[{\"rule\":\"r_cash\"}]}");
    alert(ev, b, "{\"txn_id\":\"T10\",\"hits\":[{\"rule\":\"r_cash\"}]}");
    static const char *seen[] = {"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9", "T10", "T99"};
    for (size_t i = 0; i < sizeof seen / sizeof seen[0]; i++)
        txs_eval_mark_input(ev, seen[i], strlen(seen[i]));
}

static const txs_eval_stats *row(const txs_eval *ev, const txs_eval_result *res, int run, const char *typ)
{
    for (size_t i = 0; i < res->ntyp; i++)
        if (strcmp(ev->typs.s[res->typ[i]], typ) == 0) return &res->rows[run][i];
    cr_assert_fail("no row %s", typ);
    return NULL;
}

Test(eval_metrics, worked_example)
{
    txs_eval ev;
    txs_eval_result res;
    build(&ev);
    cr_assert_eq(txs_eval_compute(&ev, &res), 0);

    /* Typologies: sorted, near misses apart. */
    cr_assert_eq(res.ntyp, 3);
    cr_assert_str_eq(ev.typs.s[res.typ[0]], "cash");
    cr_assert_str_eq(ev.typs.s[res.typ[1]], "r_other");
    cr_assert_str_eq(ev.typs.s[res.typ[2]], "structuring");
    cr_assert_eq(res.nnm, 1);
    cr_assert_eq(res.pos_txns, 5);
    cr_assert_eq(res.pos_patterns, 3);
    cr_assert_eq(res.nm_txns, 2);
    cr_assert_eq(res.nm_patterns, 2);
    cr_assert_eq(res.missing, 1);
    cr_assert_str_eq(txs_eval_missing_id(&ev, 0), "T8");
    cr_assert_null(txs_eval_missing_id(&ev, 1));

    /* Run A, overall. */
    cr_assert_eq(ev.runs[0].alerts, 6);
    cr_assert_eq(ev.runs[0].episodes_dup, 1);
    cr_assert_eq(res.episodes[0], 5);
    cr_assert_eq(res.flagged[0], 7);
    cr_assert_float_eq(res.per10k[0], 60.0, EPS);
    const txs_eval_stats *o = &res.overall[0];
    cr_assert_eq(o->labelled, 5);
    cr_assert_eq(o->flagged, 7);
    cr_assert_eq(o->tp, 4);
    cr_assert_eq(o->fp, 3);
    cr_assert_eq(o->fn, 1);
    cr_assert_float_eq(o->precision, 4.0 / 7, EPS);
    cr_assert_float_eq(o->recall, 0.8, EPS);
    cr_assert_float_eq(o->f1, 8.0 / 12, EPS);
    cr_assert_eq(o->patterns, 3);
    cr_assert_eq(o->pat_own, 3);
    cr_assert_eq(o->episodes, 5);
    cr_assert_eq(o->episodes_true, 3);
    cr_assert_float_eq(o->ep_precision, 0.6, EPS);
    cr_assert_float_eq(o->pat_f1, 2 * 0.6 * 1.0 / 1.6, EPS);

    /* structuring: {T1,T3,T9} and {T8} are its episodes. */
    const txs_eval_stats *s = row(&ev, &res, 0, "structuring");
    cr_assert_eq(s->labelled, 3);
    cr_assert_eq(s->flagged, 4);
    cr_assert_eq(s->tp, 2);
    cr_assert_eq(s->fp, 2);
    cr_assert_eq(s->fn, 1);
    cr_assert_float_eq(s->precision, 0.5, EPS);
    cr_assert_float_eq(s->recall, 2.0 / 3, EPS);
    cr_assert_float_eq(s->f1, 4.0 / 7, EPS);
    cr_assert_eq(s->patterns, 1);
    cr_assert_eq(s->pat_own, 1);
    cr_assert_eq(s->episodes, 2);
    cr_assert_eq(s->episodes_true, 1);
    cr_assert_float_eq(s->ep_precision, 0.5, EPS);
    cr_assert_float_eq(s->pat_f1, 2.0 / 3, EPS);

    /* cash: T8 is found only by a structuring rule. */
    const txs_eval_stats *c = row(&ev, &res, 0, "cash");
    cr_assert_eq(c->labelled, 2);
    cr_assert_eq(c->flagged, 2);
    cr_assert_eq(c->tp, 1);
    cr_assert_eq(c->fp, 1);
    cr_assert_eq(c->fn, 1);
    cr_assert_eq(c->tp_any, 2);
    cr_assert_float_eq(c->recall, 0.5, EPS);
    cr_assert_float_eq(c->recall_any, 1.0, EPS);
    cr_assert_eq(c->patterns, 2);
    cr_assert_eq(c->pat_own, 1);
    cr_assert_eq(c->pat_any, 2);
    cr_assert_float_eq(c->pat_recall, 0.5, EPS);
    cr_assert_float_eq(c->pat_recall_any, 1.0, EPS);
    cr_assert_eq(c->episodes, 2);
    cr_assert_eq(c->episodes_true, 1);
    cr_assert_float_eq(c->pat_f1, 0.5, EPS);

    /* r_other: a rule without a typology counts under its id. */
    const txs_eval_stats *x = row(&ev, &res, 0, "r_other");
    cr_assert_eq(x->labelled, 0);
    cr_assert_eq(x->fp, 1);
    cr_assert_float_eq(x->precision, 0.0, EPS);
    cr_assert(isnan(x->recall));
    cr_assert(isnan(x->pat_recall));

    /* Near misses: P3 alerted, P4 not. */
    cr_assert_eq(res.near[0][0].patterns, 2);
    cr_assert_eq(res.near[0][0].patterns_alerted, 1);
    cr_assert_eq(res.near[0][0].txns_alerted, 1);
    cr_assert_float_eq(res.near[0][0].rate_pct, 50.0, EPS);

    /* Run B: no screened count, rules it never fired are still rows. */
    cr_assert(isnan(res.per10k[1]));
    cr_assert_eq(res.flagged[1], 2);
    const txs_eval_stats *bs = row(&ev, &res, 1, "structuring");
    cr_assert_eq(bs->flagged, 0);
    cr_assert(isnan(bs->precision));
    cr_assert_float_eq(bs->recall, 0.0, EPS);
    cr_assert_eq(res.near[1][0].patterns_alerted, 0);

    /* Overlap: A {T1,T3,T9,T4,T5,T7,T8}, B {T4,T10}. */
    cr_assert_eq(res.both, 1);
    cr_assert_eq(res.a_only, 6);
    cr_assert_eq(res.b_only, 1);
    cr_assert_float_eq(res.jaccard, 1.0 / 8, EPS);
    txs_eval_result_free(&res);
    txs_eval_free(&ev);
}

Test(eval_metrics, bad_alerts)
{
    txs_eval ev;
    txs_diag d;
    cr_assert_eq(labels(&ev, "txn_id,typology,pattern_id\nT1,a,P1\n", &d), 0);
    txs_eval_run *r = txs_eval_add_run(&ev, "A");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[}", "not valid JSON");
    alert_bad(&ev, r, "[1]", "not a JSON object");
    alert_bad(&ev, r, "{\"hits\":[{\"rule\":\"x\"}]}", "txn_id");
    alert_bad(&ev, r, "{\"txn_id\":7,\"hits\":[{\"rule\":\"x\"}]}", "txn_id");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\"}", "hits");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[]}", "empty");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[{\"kind\":\"typology\"}]}", "hits[0] has no \"rule\"");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[{\"rule\":\"x\",\"evidence\":{\"txn_ids\":\"T2\"}}]}",
              "not an array");
    alert_bad(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[{\"rule\":\"x\",\"evidence\":{\"txn_ids\":[\"T2\",3]}}]}",
              "txn_ids[1]");
    cr_assert_eq(r->alerts, 0);
    txs_eval_free(&ev);
}

Test(eval_metrics, no_input_check_means_nothing_missing)
{
    txs_eval ev;
    txs_eval_result res;
    txs_diag d;
    cr_assert_eq(labels(&ev, "txn_id,typology,pattern_id\nT1,a,P1\n", &d), 0);
    txs_eval_add_run(&ev, "A");
    cr_assert_eq(txs_eval_compute(&ev, &res), 0);
    cr_assert_eq(res.missing, 0);
    cr_assert_null(txs_eval_missing_id(&ev, 0));
    cr_assert_eq(res.overall[0].fn, 1);
    cr_assert(isnan(res.overall[0].precision));
    cr_assert_float_eq(res.overall[0].f1, 0.0, EPS);
    txs_eval_result_free(&res);
    txs_eval_free(&ev);
}

/* The typology: keys of a rule set map its rules (as cmd_eval does). */
Test(eval_metrics, ruleset_typology_mapping)
{
    rt_dir dir;
    rt_init(&dir);
    txs_ruleset *rs = rt_load(&dir,
        "rules:\n"
        "  - id: big_cash\n"
        "    kind: threshold\n"
        "    weight: 0.3\n"
        "    reason: big cash\n"
        "    typology: threshold_cash\n"
        "    params: {amounts: {USD: \"10000.00\"}, channels: [cash]}\n"
        "  - id: black\n"
        "    kind: corridor\n"
        "    weight: 0.6\n"
        "    reason: black list\n"
        "    params: {list: black}\n");
    txs_eval ev;
    txs_diag d;
    cr_assert_eq(labels(&ev, "txn_id,typology,pattern_id\nT1,threshold_cash,P1\nT2,black,P2\n", &d), 0);
    txs_eval_run *r = txs_eval_add_run(&ev, "test");
    for (size_t i = 0; i < txs_ruleset_count(rs); i++) {
        const txs_rule_info *ri = txs_ruleset_rule(rs, i);
        cr_assert_eq(txs_eval_run_map(&ev, r, ri->id, ri->typology), 0);
    }
    alert(&ev, r, "{\"txn_id\":\"T1\",\"hits\":[{\"rule\":\"big_cash\"}]}");
    alert(&ev, r, "{\"txn_id\":\"T2\",\"hits\":[{\"rule\":\"black\"}]}");
    txs_eval_result res;
    cr_assert_eq(txs_eval_compute(&ev, &res), 0);
    cr_assert_eq(res.ntyp, 2);
    cr_assert_float_eq(row(&ev, &res, 0, "threshold_cash")->recall, 1.0, EPS);
    cr_assert_float_eq(row(&ev, &res, 0, "black")->recall, 1.0, EPS);
    cr_assert_float_eq(res.overall[0].f1, 1.0, EPS);
    txs_eval_result_free(&res);
    txs_eval_free(&ev);
    txs_ruleset_free(rs);
    rt_cleanup(&dir);
}
