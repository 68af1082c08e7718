/*
 * test_lists_readers.c: every list reader against the real files (copies in
 * samples/lists and tests/fixtures/lists), asserting the counts the sources
 * state, plus the readers' failure diagnostics (file and line).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists/lists_int.h"
#include "lists_test_util.h"
#include "txs/lists.h"

#define SAMPLES TXS_SOURCE_DIR "/samples/lists/"
#define FIX TXS_SOURCE_DIR "/tests/fixtures/lists/"

typedef struct counts {
    size_t entities, by_type[TXS_ENT_TYPES], kinds[TXS_F_COUNT], ids[TXS_ID_COUNT];
    size_t strong, weak;
} counts;

static counts count(const txs_lists *l)
{
    counts c;
    memset(&c, 0, sizeof c);
    c.entities = txs_lists_count(l);
    for (size_t i = 0; i < c.entities; i++) {
        txs_entity e;
        txs_lists_entity(l, i, &e);
        c.by_type[e.type]++;
        for (size_t j = 0; j < e.nfields; j++) {
            txs_field f;
            txs_lists_field(l, &e, j, &f);
            c.kinds[f.kind]++;
            if (f.kind == TXS_F_ID) c.ids[f.sub]++;
            if (f.kind == TXS_F_ALIAS) *(f.sub == TXS_ALIAS_WEAK ? &c.weak : &c.strong) += 1;
        }
    }
    return c;
}

static uint32_t records_of(const txs_lists *l, const char *file)
{
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        if (txs_slice_eq(s.file, file)) return s.records;
    }
    return UINT32_MAX;
}

Test(lists_ofac, sdn_2021_counts_match_the_source)
{
    const char *src[] = {SAMPLES "ofac-sdn-2021-07-07"};
    void *img;
    txs_lists *l = open_lists(src, 1, &img);
    counts c = count(l);
    cr_expect_eq(c.entities, 8976);
    cr_expect_eq(records_of(l, "alt.csv"), 11910);
    cr_expect_eq(records_of(l, "add.csv"), 13837);
    cr_expect_eq(records_of(l, "sdn_comments.csv"), 5);
    /* every alt.csv row is a strong alias; remarks' a.k.a. are weak */
    cr_expect_eq(c.strong, 11910);
    cr_expect_gt(c.weak, 2000);
    /* 2,397 add.csv rows are all "-0-": an address row with nothing in it */
    cr_expect_eq(c.kinds[TXS_F_ADDRESS], 13837 - 2397);
    cr_expect_eq(c.by_type[TXS_ENT_INDIVIDUAL] + c.by_type[TXS_ENT_ENTITY] +
                     c.by_type[TXS_ENT_VESSEL] + c.by_type[TXS_ENT_AIRCRAFT], 8976);
    txs_list_source s;
    txs_lists_source(l, 0, &s);
    cr_expect_gt(s.clauses, 30000);
    cr_expect_leq(s.unparsed * 100, s.clauses * 2, "unparsed %u of %u", s.unparsed, s.clauses);
    txs_lists_free(l);
    free(img);
}

/* The README's `lists compile sdn.csv alt.csv add.csv sdn_comments.csv`:
 * every file of the set names the whole set, read once, in any order. */
Test(lists_ofac, each_file_of_a_set_names_the_set_once)
{
    const char *dir[] = {SAMPLES "ofac-sdn-2021-07-07"};
    const char *files[] = {SAMPLES "ofac-sdn-2021-07-07/alt.csv", SAMPLES "ofac-sdn-2021-07-07/sdn.csv",
                           SAMPLES "ofac-sdn-2021-07-07/add.csv",
                           SAMPLES "ofac-sdn-2021-07-07/sdn_comments.csv", SAMPLES "ofac-sdn-2021-07-07"};
    void *img1, *img2;
    txs_lists *a = open_lists(dir, 1, &img1), *b = open_lists(files, TXS_ARRAY_LEN(files), &img2);
    cr_expect_eq(txs_lists_count(b), txs_lists_count(a));
    cr_expect_eq(txs_lists_nsources(b), txs_lists_nsources(a));
    cr_expect_eq(txs_lists_nsources(b), 4);
    cr_expect_eq(txs_lists_hash(b), txs_lists_hash(a));
    txs_list_source s;
    txs_lists_source(b, 0, &s);
    cr_expect_eq(s.entities, 8976, "the set's entities belong to its one sdn.csv source");
    txs_lists_free(a);
    txs_lists_free(b);
    free(img1);
    free(img2);
}

Test(lists_ofac, a_secondary_file_without_its_sdn_csv_is_an_error)
{
    char dir[] = "/tmp/txs-ofac-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/alt.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("36,12,\"aka\",\"AEROCARIBE\",-0- \n", f);
    fclose(f);
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_expect_eq(txs_lists_builder_add(b, path, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, "read with the sdn.csv beside it") != NULL, "message: %s", d.msg);
    cr_expect_str_eq(d.file, path);
    txs_lists_builder_free(b);
    remove(path);
    rmdir(dir);
}

Test(lists_ofac, remarks_become_typed_fields)
{
    const char *src[] = {SAMPLES "ofac-sdn-2021-07-07"};
    void *img;
    txs_lists *l = open_lists(src, 1, &img);
    size_t i;
    cr_assert_eq(txs_lists_find(l, TXS_SLICE_LIT("OFAC-SDN:306"), &i), 0);
    txs_entity e;
    txs_lists_entity(l, i, &e);
    cr_expect(txs_slice_eq(e.name, "BANCO NACIONAL DE CUBA"));
    int weak_bnc = 0;
    for (size_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        if (f.kind == TXS_F_ALIAS && f.sub == TXS_ALIAS_WEAK && txs_slice_eq(f.value, "BNC"))
            weak_bnc = 1;
    }
    cr_expect(weak_bnc);
    uint32_t hit[4];
    cr_expect_geq(txs_lists_find_ident(l, TXS_ID_IMO, TXS_SLICE_LIT("9187629"), hit, 4), 1);
    cr_expect_eq(txs_lists_find_ident(l, TXS_ID_IMO, TXS_SLICE_LIT("0000000"), hit, 4), 0);
    txs_lists_free(l);
    free(img);
}

Test(lists_ofac, sdn_2024_unparsed_under_two_percent)
{
    const char *src[] = {FIX "ofac-sdn-2024-05-03/sdn.csv"};
    void *img;
    txs_lists *l = open_lists(src, 1, &img);
    cr_expect_eq(txs_lists_count(l), 14965);
    txs_list_source s;
    txs_lists_source(l, 0, &s);
    cr_expect_leq(s.unparsed * 100, s.clauses * 2, "unparsed %u of %u", s.unparsed, s.clauses);
    txs_lists_free(l);
    free(img);
}

Test(lists_un, consolidated_xml_counts)
{
    const char *src[] = {SAMPLES "un-consolidated-2026-02-27.xml"};
    void *img;
    txs_lists *l = open_lists(src, 1, &img);
    counts c = count(l);
    cr_expect_eq(c.by_type[TXS_ENT_INDIVIDUAL], 730);
    cr_expect_eq(c.by_type[TXS_ENT_ENTITY], 273);
    cr_expect_eq(c.weak, 615); /* QUALITY "Low" */
    txs_list_source s;
    txs_lists_source(l, 0, &s);
    cr_expect(txs_slice_eq(s.date, "2026-02-27T00:00:09.554Z"));
    size_t i;
    cr_expect_eq(txs_lists_find(l, TXS_SLICE_LIT("UN:QDi.001"), &i), 0);
    txs_lists_free(l);
    free(img);
}

Test(lists_os, simple_csv_and_ftm)
{
    const char *src[] = {FIX "opensanctions/targets.simple.ua-war-2026-03-13.csv",
                         FIX "opensanctions/entities.ftm.sample.json"};
    void *img;
    txs_lists *l = open_lists(src, 2, &img);
    cr_expect_eq(records_of(l, "targets.simple.ua-war-2026-03-13.csv"), 5600);
    counts c = count(l);
    cr_expect_eq(c.entities, 5600 + 6); /* the FtM sample's Address is not an entity */
    cr_expect_eq(c.by_type[TXS_ENT_VESSEL], 1340);
    cr_expect_gt(c.ids[TXS_ID_IMO], 1340);
    txs_lists_free(l);
    free(img);
}

Test(lists_os, ftm_delta_add_modify_delete)
{
    const char *src[] = {FIX "ftm-delta.json"};
    void *img;
    txs_lists *l = open_lists(src, 1, &img);
    cr_expect_eq(txs_lists_count(l), 2);
    size_t i;
    cr_expect_eq(txs_lists_find(l, TXS_SLICE_LIT("OS:t-3"), &i), TXS_E_NOTFOUND);
    cr_assert_eq(txs_lists_find(l, TXS_SLICE_LIT("OS:t-1"), &i), 0);
    txs_entity e;
    txs_lists_entity(l, i, &e);
    int dob1970 = 0, passport = 0;
    for (size_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        dob1970 |= f.kind == TXS_F_DOB && txs_slice_eq(f.value, "1970");
        passport |= f.kind == TXS_F_ID;
    }
    cr_expect(dob1970, "MOD replaces the record");
    cr_expect(!passport, "MOD drops what the new record lacks");
    uint32_t hit[2];
    cr_expect_eq(txs_lists_find_ident(l, TXS_ID_IMO, TXS_SLICE_LIT("9999991"), hit, 2), 1);
    txs_lists_free(l);
    free(img);
}

/* Refused (any error, a missing file included) with file:line. */
static void expect_refused(const char *path, unsigned long line, const char *what)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_expect_lt(txs_lists_builder_add(b, path, &d), 0);
    cr_expect_eq(d.line, line, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_expect(strstr(d.msg, what) != NULL, "message: %s", d.msg);
    cr_expect(strstr(d.file, "bad-") != NULL || strstr(d.file, "missing") != NULL);
    txs_lists_builder_free(b);
}

Test(lists_errors, malformed_files_name_file_and_line)
{
    expect_refused(FIX "bad-ofac-sdn.csv", 2, "unterminated");
    expect_refused(FIX "bad-ftm.json", 2, "JSON");
    expect_refused(FIX "bad-un.xml", 4, "XML");
    expect_refused(FIX "missing-list.xml", 0, "cannot open");
}

Test(lists_dates, normal_forms)
{
    static const struct { const char *in, *out; int circa; } T[] = {
        {"12 Mar 1961", "1961-03-12", 0}, {"1961-03-12", "1961-03-12", 0},
        {"12/03/1961", "1961-03-12", 0}, {"Mar 1961", "1961-03", 0}, {"1961", "1961", 0},
        {"circa 1951", "1951", 1}, {"1960 to 1962", "1960..1962", 0},
        {"01 Jan 1960 to 31 Dec 1962", "1960-01-01..1962-12-31", 0}, {"unknown", "", 0}};
    for (size_t i = 0; i < TXS_ARRAY_LEN(T); i++) {
        char out[40];
        int circa = -1;
        size_t n = txs__lists_date(T[i].in, strlen(T[i].in), out, &circa);
        cr_expect_eq(n, strlen(T[i].out), "%s", T[i].in);
        if (n) cr_expect_str_eq(out, T[i].out);
        cr_expect_eq(circa, T[i].circa, "%s", T[i].in);
    }
}
