/*
 * test_lists_update.c: source dates (a date given for an undated list, the
 * file's own date winning, bad dates and unknown lists refused, the age in
 * days, OpenSanctions' latest last_seen) and the sources file of `lists
 * update` (defaults, bands, stored names, and each refusal at its line).
 * The transfers themselves are tested against a local HTTP server in
 * tests/lists_update/run.sh.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "txs/lists.h"
#include "txs/lists_update.h"

#define SAMPLES TXS_SOURCE_DIR "/samples/lists/"
#define FIX TXS_SOURCE_DIR "/tests/fixtures/lists/"

/* The sources' dates of a snapshot compiled from src with one date given. */
static txs_lists *dated(const char *const *src, size_t n, const char *list, const char *date,
                        void **img, int *rc, txs_diag *d)
{
    txs_lists_builder *b;
    size_t len;
    txs_lists *l = NULL;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    for (size_t i = 0; i < n; i++) cr_assert_eq(txs_lists_builder_add(b, src[i], d), 0, "%s", d->msg);
    *rc = list ? txs_lists_builder_date(b, list, date, d) : 0;
    *img = NULL;
    if (*rc == 0) {
        cr_assert_eq(txs_lists_builder_image(b, img, &len, d), 0, "%s", d->msg);
        cr_assert_eq(txs_lists_open_mem(*img, len, &l, d), 0, "%s", d->msg);
    }
    txs_lists_builder_free(b);
    return l;
}

static txs_list_source source(const txs_lists *l, size_t i)
{
    txs_list_source s;
    txs_lists_source(l, i, &s);
    return s;
}

Test(lists_dates, a_given_date_fills_every_file_of_an_undated_list)
{
    const char *src[] = {SAMPLES "ofac-sdn-2021-07-07", FIX "ofac-sls-consolidated-2025-03-28.xml"};
    txs_diag d = {{0}, 0, {0}};
    void *img;
    int rc;
    txs_lists *l = dated(src, 2, "OFAC-SDN", "2021-07-07", &img, &rc, &d);
    cr_assert_eq(rc, 0, "%s", d.msg);
    size_t n = txs_lists_nsources(l);
    cr_assert_eq(n, 5); /* sdn, comments, alt, add; the SLS file */
    for (size_t i = 0; i + 1 < n; i++)
        cr_expect(txs_slice_eq(source(l, i).date, "2021-07-07"), "source %zu", i);
    cr_expect(txs_slice_eq(source(l, n - 1).date, "2025-03-28"));
    txs_lists_free(l);
    free(img);
}

Test(lists_dates, the_files_own_date_wins)
{
    const char *src[] = {FIX "ofac-sls-consolidated-2025-03-28.xml"};
    txs_diag d = {{0}, 0, {0}};
    void *img;
    int rc;
    txs_lists *l = dated(src, 1, "OFAC-CONS", "2020-01-01", &img, &rc, &d);
    cr_assert_eq(rc, 0, "%s", d.msg);
    cr_expect(txs_slice_eq(source(l, 0).date, "2025-03-28"));
    txs_lists_free(l);
    free(img);
}

Test(lists_dates, bad_dates_and_unknown_lists_are_refused)
{
    const char *src[] = {FIX "ofac-sls-consolidated-2025-03-28.xml"};
    static const char *const bad[] = {"2021-13-01", "2021-7-7", "07/07/2021", "2021-07-32", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        txs_diag d = {{0}, 0, {0}};
        void *img;
        int rc;
        dated(src, 1, "OFAC-CONS", bad[i], &img, &rc, &d);
        cr_expect_eq(rc, TXS_E_ARG, "%s", bad[i]);
        cr_expect(strstr(d.msg, "is not YYYY-MM-DD") != NULL, "%s", d.msg);
    }
    txs_diag d = {{0}, 0, {0}};
    void *img;
    int rc;
    dated(src, 1, "OFAC-SDN", "2021-07-07", &img, &rc, &d);
    cr_expect_eq(rc, TXS_E_ARG);
    cr_expect_str_eq(d.msg, "no source is of list 'OFAC-SDN' (lists: OFAC-CONS)");
}

Test(lists_dates, age_in_days)
{
    txs_list_source s;
    memset(&s, 0, sizeof s);
    long long day = 86400, d2026_03_01 = 20513; /* days from 1970-01-01 */
    s.date = (txs_slice){"2026-02-27T00:00:09.554Z", 24};
    cr_expect_eq(txs_list_source_age_days(&s, d2026_03_01 * day + 3600), 2);
    s.date = (txs_slice){"2026-03-01", 10};
    cr_expect_eq(txs_list_source_age_days(&s, d2026_03_01 * day), 0);
    s.date = (txs_slice){"2024-03-01", 10}; /* 2024 is a leap year */
    cr_expect_eq(txs_list_source_age_days(&s, d2026_03_01 * day), 730);
    s.date = (txs_slice){"", 0};
    cr_expect_eq(txs_list_source_age_days(&s, d2026_03_01 * day), -1);
}

Test(lists_dates, opensanctions_is_dated_by_its_latest_last_seen)
{
    const char *src[] = {FIX "opensanctions/targets.simple.ua-war-2026-03-13.csv"};
    txs_diag d = {{0}, 0, {0}};
    void *img;
    int rc;
    txs_lists *l = dated(src, 1, NULL, NULL, &img, &rc, &d);
    cr_expect(txs_slice_eq(source(l, 0).date, "2026-03-13"), "%.*s", (int)source(l, 0).date.n,
              source(l, 0).date.p);
    txs_lists_free(l);
    free(img);
}

Test(lists_dates, followthemoney_is_dated_by_its_latest_last_seen)
{
    const char *src[] = {FIX "opensanctions/entities.ftm.sample.json"};
    txs_diag d = {{0}, 0, {0}};
    void *img;
    int rc;
    txs_lists *l = dated(src, 1, NULL, NULL, &img, &rc, &d);
    txs_list_source s = source(l, 0);
    cr_expect(txs_slice_eq(s.date, "2024-06-01"), "%.*s", (int)s.date.n, s.date.p);
    txs_lists_free(l);
    free(img);
}

/* ------------------------------------------------------------ sources file */

static int parse(const char *text, txs_lists_sources *c, txs_diag *d)
{
    return txs_lists_sources_parse("/etc/txs/sources.yaml", text, strlen(text), c, d);
}

Test(lists_sources, defaults_bands_and_stored_names)
{
    static txs_lists_sources c;
    txs_diag d = {{0}, 0, {0}};
    const char *y = "dir: lists\n"
                    "max_shrink: 0.3\n"
                    "sources:\n"
                    "  - name: ofac\n"
                    "    format: ofac-csv\n"
                    "    url: https://example.org/downloads/sdn.csv?x=1\n"
                    "    parts: [https://example.org/downloads/alt.csv]\n"
                    "  - name: un\n"
                    "    format: un-xml\n"
                    "    url: https://example.org/consolidated\n"
                    "    entities: [500, 5000]\n"
                    "    max_shrink: 0.1\n";
    cr_assert_eq(parse(y, &c, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_expect_str_eq(c.dir, "/etc/txs/lists");
    cr_expect_eq(c.keep, 5);
    cr_expect_eq(c.retries, 3);
    cr_expect_eq(c.n, 2);
    cr_expect_str_eq(c.src[0].file, "sdn.csv");
    cr_expect_eq(c.src[0].nparts, 1);
    cr_expect_eq(c.src[0].max_shrink, 0.3);
    cr_expect_eq(c.src[0].max_growth, 1.0);
    cr_expect_str_eq(c.src[1].file, "un.xml");
    cr_expect_eq(c.src[1].max_shrink, 0.1);
    cr_expect_eq(c.src[1].min_entities, 500);
    cr_expect_eq(c.src[1].line, 8);
    cr_expect(strstr(c.src[1].content_types, "application/xml") != NULL);
}

/* hs_target chose the CPU of the Hyperscan database snapshots held until
 * December 2026: a sources file written then still parses, the key
 * ignored, whatever its value. */
Test(lists_sources, the_retired_hs_target_is_accepted_and_ignored)
{
    static txs_lists_sources c;
    txs_diag d = {{0}, 0, {0}};
    const char *y = "dir: lists\n"
                    "hs_target: avx512vbmi\n"
                    "sources:\n"
                    "  - {name: un, format: un-xml, url: 'https://example.org/consolidated'}\n";
    cr_assert_eq(parse(y, &c, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_expect_eq(c.n, 1);
    cr_expect_str_eq(c.src[0].file, "un.xml");
}

Test(lists_sources, each_mistake_is_refused_at_its_line)
{
    static const struct {
        const char *yaml, *msg;
        unsigned long line;
    } cases[] = {
        {"dir: x\nsources:\n  - {name: a, format: un-xml, url: 'ftp://h/a'}\n",
         "url 'ftp://h/a' is not http:// or https://", 3},
        {"dir: x\nsources:\n  - {name: a, format: xml, url: 'http://h/a'}\n",
         "unknown format 'xml'", 3},
        {"dir: x\nsources:\n  - {name: A, format: un-xml, url: 'http://h/a'}\n",
         "name 'A' must be lower-case", 3},
        {"dir: x\nsources:\n  - {name: a, format: un-xml, url: 'http://h/a', entities: [9, 1]}\n",
         "'entities': MIN is above MAX", 3},
        {"dir: x\nsources:\n  - {name: a, format: un-xml, url: 'http://h/a', max_shrink: 2}\n",
         "'max_shrink' must be a number from 0 to 1", 3},
        {"dir: x\nsources:\n  - {name: a, format: un-xml, url: 'http://h/a', parts: ['http://h/alt.csv']}\n",
         "'parts' is for ofac-csv sources only", 3},
        {"dir: x\nsources:\n  - {name: a, format: ofac-csv, url: 'http://h/list.csv'}\n",
         "an ofac-csv source's file is sdn.csv or cons_prim.csv", 3},
        {"dir: x\nsources:\n  - {name: a, format: un-xml, url: 'http://h/a'}\n"
         "  - {name: a, format: un-xml, url: 'http://h/b'}\n",
         "source name 'a' is used twice", 4},
        {"dir: x\nkeep: 0\nsources: []\n", "'keep' must be at least 1", 2},
        {"dir: x\nretries: -1\nsources: []\n", "'retries' must be a number from 0 to 10", 2},
        {"sources: []\n", "the sources file names no 'dir'", 1},
        {"dir: x\nsources: []\n", "'sources' must be a list of 1 to 32 sources", 2},
        {"dir: x\ncolour: blue\nsources: []\n", "unknown key 'colour' in sources file", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static txs_lists_sources c;
        txs_diag d = {{0}, 0, {0}};
        cr_expect_eq(parse(cases[i].yaml, &c, &d), TXS_E_CONFIG, "case %zu", i);
        cr_expect(strstr(d.msg, cases[i].msg) != NULL, "case %zu: %s", i, d.msg);
        cr_expect_eq(d.line, cases[i].line, "case %zu: line %lu", i, d.line);
        cr_expect_str_eq(d.file, "/etc/txs/sources.yaml");
    }
}
