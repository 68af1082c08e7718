/*
 * test_report.c: the run report (txs/report.h): figures counted from the
 * alerts, chunk invariance, the fast scan agreeing with the full parse,
 * escaping of hostile strings, the cases cap and its evidence, rejects by
 * class, and the argument and format errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "txs/report.h"

static const char manifest[] =
    "{\"txscreen_version\":\"0.1.0\",\"inputs\":[],\"rules\":null,\"lists\":[],"
    "\"counts\":{\"read\":4,\"screened\":3,\"rejected\":1,\"alerts\":3},"
    "\"alerts_by_band\":{\"block\":1,\"review\":1,\"edd\":1},"
    "\"alerts_by_rule\":{\"r1\":2,\"r2\":1},"
    "\"timing\":{\"started_utc\":\"2026-03-02T00:00:00Z\"}}";

/* Three alerts; the second names rule r1 twice (one alert for r1), the
 * third has an escaped rule id (the full parse path). */
static const char alerts[] =
    "{\"txn_id\":\"T1\",\"timestamp\":\"2026-03-01T00:00:00Z\",\"score\":90,\"band\":\"block\","
    "\"amount\":\"5.00\",\"currency\":\"USD\",\"hits\":[{\"kind\":\"typology\",\"rule\":\"r1\","
    "\"evidence\":{\"window\":\"PT8H\",\"from\":\"2026-02-28T16:00:00Z\",\"to\":"
    "\"2026-03-01T00:00:00Z\",\"txn_ids\":[\"T0\",\"T1\"]},\"case\":\"T-00000000000000aa\"}]}\n"
    "{\"txn_id\":\"T2\",\"timestamp\":\"2026-03-01T01:00:00Z\",\"score\":60,\"band\":\"review\","
    "\"hits\":[{\"rule\":\"r1\",\"case\":\"T-00000000000000bb\"},{\"rule\":\"r1\","
    "\"reason\":\"x \\\"quoted\\\" y\",\"case\":\"T-00000000000000bb\"}]}\n"
    "{\"txn_id\":\"T3\",\"timestamp\":\"2026-03-01T02:00:00Z\",\"score\":30,\"band\":\"edd\","
    "\"hits\":[{\"rule\":\"r\\u0032\",\"case\":\"T-00000000000000cc\"}]}\n";

static const char cases[] =
    "{\"case_id\":\"T-00000000000000aa\",\"kind\":\"typology\",\"status\":\"new\","
    "\"subject\":{\"account\":\"A1\",\"family\":\"fan_out\"},\"alerts\":1,\"highest_score\":90,"
    "\"rules\":[\"r1\"]}\n"
    "{\"case_id\":\"T-00000000000000bb\",\"kind\":\"typology\",\"status\":\"continuing\","
    "\"subject\":{\"account\":\"</script><img src=x onerror=alert(1)>\",\"family\":\"f\"},"
    "\"alerts\":1,\"highest_score\":60,\"rules\":[\"r1\"]}\n"
    "{\"case_id\":\"T-00000000000000cc\",\"kind\":\"typology\",\"status\":\"new\","
    "\"subject\":{\"account\":\"A3\",\"family\":\"f\"},\"alerts\":1,\"highest_score\":30,"
    "\"rules\":[\"r2\"]}\n";

static const char rejects[] =
    "{\"file\":\"in.csv\",\"line\":3,\"offset\":9,\"reason\":\"bad amount in column 'amount': "
    "'1x' (not a number)\",\"excerpt\":\"a,b\"}\n"
    "{\"file\":\"in.csv\",\"line\":7,\"offset\":90,\"reason\":\"bad amount in column 'amount': "
    "'2y' (not a number)\",\"excerpt\":\"c,d\"}\n";

/* The page from the fixtures, each stream fed in pieces of `chunk` bytes
 * (0: whole); malloc'ed, NUL terminated. */
static char *page(size_t chunk, size_t max_cases)
{
    txs_report_opts o = {.max_cases = max_cases};
    txs_report *r;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_report_create(&o, &r), TXS_OK);
    const struct { txs_report_stream s; const char *t; } in[] = {
        {TXS_REPORT_MANIFEST, manifest}, {TXS_REPORT_CASES_IN, cases},
        {TXS_REPORT_ALERTS, alerts}, {TXS_REPORT_REJECTS, rejects}};
    for (size_t i = 0; i < 4; i++) {
        size_t n = strlen(in[i].t), step = chunk ? chunk : n;
        for (size_t at = 0; at < n; at += step)
            cr_assert_eq(txs_report_feed(r, in[i].s, "x", in[i].t + at,
                                         n - at < step ? n - at : step, &d), TXS_OK, "%s", d.msg);
        cr_assert_eq(txs_report_end(r, in[i].s, &d), TXS_OK, "%s", d.msg);
    }
    cr_assert_eq(txs_report_alerts_seen(r), 3);
    txs_buf b = {0};
    cr_assert_eq(txs_report_write(r, &b, &d), TXS_OK, "%s", d.msg);
    txs_buf_putc(&b, '\0');
    txs_report_free(r);
    return b.p;
}

Test(report, figures_are_counted_from_the_alerts)
{
    char *p = page(0, 0);
    cr_assert(strstr(p, "data-k=\"counts.alerts\" data-v=\"3\""));
    cr_assert(strstr(p, "data-k=\"alerts_by_band.block\" data-v=\"1\""));
    cr_assert(strstr(p, "data-k=\"alerts_by_rule.r1\" data-v=\"2\""), "two alerts name r1");
    cr_assert(strstr(p, "data-k=\"alerts_by_rule.r2\" data-v=\"1\""), "an escaped id decoded");
    cr_assert(strstr(p, "data-k=\"cases\" data-v=\"3\""));
    cr_assert_null(strstr(p, "not one run"), "the counts agree with the manifest");
    free(p);
}

Test(report, any_chunking_gives_the_same_page)
{
    char *whole = page(0, 0);
    size_t sizes[] = {1, 2, 7, 100};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *p = page(sizes[i], 0);
        cr_assert_str_eq(p, whole, "chunks of %zu", sizes[i]);
        free(p);
    }
    free(whole);
}

Test(report, hostile_strings_are_text)
{
    char *p = page(0, 0);
    cr_assert_null(strstr(p, "<img"));
    cr_assert(strstr(p, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    /* the only </script> is the page's own */
    char *s = strstr(p, "</script>");
    cr_assert_not_null(s);
    cr_assert_null(strstr(s + 1, "</script>"));
    free(p);
}

Test(report, the_cap_keeps_the_best_cases_with_their_evidence)
{
    char *p = page(0, 2);
    cr_assert(strstr(p, "Showing the top 2 of 3 cases"));
    cr_assert(strstr(p, "T-00000000000000aa"));
    cr_assert(strstr(p, "T-00000000000000bb"));
    cr_assert_null(strstr(p, "T-00000000000000cc"), "the lowest score is cut");
    cr_assert(strstr(p, "1 transaction</summary>"));
    cr_assert(strstr(p, "2 linked: T0, T1"), "the episode's evidence");
    cr_assert(strstr(p, "class=\"timeline\""));
    free(p);
}

Test(report, rejects_count_by_class)
{
    char *p = page(0, 0);
    cr_assert(strstr(p, "bad amount in column &#39;amount&#39;: &#39;…&#39; (not a number)"));
    cr_assert(strstr(p, "data-s=\"2\">2</td>"), "both rejects in one class");
    cr_assert(strstr(p, "in.csv:7"));
    free(p);
}

Test(report, alerts_before_the_cases_end_are_refused)
{
    txs_report *r;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_report_create(NULL, &r), TXS_OK);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_CASES_IN, "c", cases, 10, &d), TXS_OK);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_ALERTS, "a", alerts, 10, &d), TXS_E_ARG);
    txs_buf b = {0};
    cr_assert_eq(txs_report_write(r, &b, &d), TXS_E_ARG, "no manifest");
    txs_buf_free(&b);
    txs_report_free(r);
    /* and cases after the alerts began */
    cr_assert_eq(txs_report_create(NULL, &r), TXS_OK);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_ALERTS, "a", alerts, 10, &d), TXS_OK);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_CASES_IN, "c", cases, 10, &d), TXS_E_ARG);
    txs_report_free(r);
}

Test(report, a_malformed_line_names_its_file_and_line)
{
    txs_report *r;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_report_create(NULL, &r), TXS_OK);
    const char bad[] = "{\"txn_id\":\"T1\",\"timestamp\":\"2026-03-01T00:00:00Z\",\"score\":1,"
                       "\"hits\":[]}\n{\"txn_id\":\"T2\",\"timestamp\":\"x\"\n";
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_ALERTS, "alerts.jsonl", bad, sizeof bad - 1, &d),
                 TXS_E_FORMAT);
    cr_assert_str_eq(d.file, "alerts.jsonl");
    cr_assert_eq(d.line, 2);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_MANIFEST, "m", "{\"x\":1}", 7, &d), TXS_OK);
    cr_assert_eq(txs_report_end(r, TXS_REPORT_MANIFEST, &d), TXS_E_FORMAT, "no counts");
    txs_report_free(r);
}

/* Without cases no alert is a shown case's, so the structural scan counts
 * T1 and T2 (T3's escaped rule id still takes the full parse): the
 * figures must be those of the full parse. */
Test(report, the_fast_scan_counts_as_the_full_parse)
{
    txs_report *r;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_report_create(NULL, &r), TXS_OK);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_MANIFEST, "m", manifest, strlen(manifest), &d), 0);
    cr_assert_eq(txs_report_end(r, TXS_REPORT_MANIFEST, &d), 0);
    cr_assert_eq(txs_report_feed(r, TXS_REPORT_ALERTS, "a", alerts, strlen(alerts), &d), 0);
    cr_assert_eq(txs_report_end(r, TXS_REPORT_ALERTS, &d), 0);
    txs_buf b = {0};
    cr_assert_eq(txs_report_write(r, &b, &d), TXS_OK);
    txs_buf_putc(&b, '\0');
    const char *want[] = {"data-k=\"counts.alerts\" data-v=\"3\"",
                          "data-k=\"alerts_by_band.block\" data-v=\"1\"",
                          "data-k=\"alerts_by_band.review\" data-v=\"1\"",
                          "data-k=\"alerts_by_band.edd\" data-v=\"1\"",
                          "data-k=\"alerts_by_rule.r1\" data-v=\"2\"",
                          "data-k=\"alerts_by_rule.r2\" data-v=\"1\""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        cr_assert(strstr(b.p, want[i]), "%s", want[i]);
    cr_assert(strstr(b.p, "No cases file"));
    txs_buf_free(&b);
    txs_report_free(r);
}
