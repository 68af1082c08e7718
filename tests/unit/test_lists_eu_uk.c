/*
 * test_lists_eu_uk.c: the EU Financial Sanctions File CSV reader and the
 * UK sanctions list CSV reader (OFSI ConList.csv and the FCDO UK Sanctions
 * List), on fixtures hand-built from the published column specifications
 * (tests/fixtures/lists/README.md): grouping of the rows of one entity,
 * names and alias strength, dates of birth, identifiers, the malformed-file
 * diagnostics (file:line), and that a compiled snapshot's per-source
 * counts (what `lists info` prints) agree with its entities.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists_test_util.h"
#include "txs/lists.h"

#define FIX TXS_SOURCE_DIR "/tests/fixtures/lists/"
#define EU_FILE FIX "eu/csvFullSanctionsList_1_1.fixture.csv"
#define OFSI_FILE FIX "uk/ConList.fixture.csv"
#define FCDO_FILE FIX "uk/UK-Sanctions-List.fixture.csv"

/* ------------------------------------------------------------------ EU */

Test(lists_eu, rows_group_into_entities_by_logical_id)
{
    void *img;
    txs_lists *l = open_one(EU_FILE, &img);
    txs_list_source s = source(l, 0);
    cr_expect_eq(txs_lists_count(l), 5);
    cr_expect_eq(s.records, 30, "every row is a record");
    cr_expect_eq(s.entities, 5);
    cr_expect_eq(s.by_type[TXS_ENT_INDIVIDUAL], 3);
    cr_expect_eq(s.by_type[TXS_ENT_ENTITY], 2);
    cr_expect(txs_slice_eq(s.format, "eu-csv"));
    cr_expect(txs_slice_eq(s.list, "EU"));
    cr_expect(txs_slice_eq(s.date, "2025-10-28"), "fileGenerationDate 28/10/2025 in ISO");

    txs_entity e = entity(l, "EU:900101");
    cr_expect(txs_slice_eq(e.name, "Ivan Petrovich SIDOROV"));
    cr_expect_eq(e.type, TXS_ENT_INDIVIDUAL);
    /* entity columns repeat on all 9 rows, yet each fact is kept once */
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, NULL), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, "RUS"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_LISTED_ON, -1, "2022-02-23"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_GENDER, -1, "Male"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG, "Ivan SIDOROFF"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ORIG_SCRIPT, -1, "Иван Петрович СИДОРОВ"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, -1, "Иван Петрович СИДОРОВ"), 0,
                 "a Cyrillic name is an original-script name, not an alias");
    cr_expect_eq(count_fields(l, &e, TXS_F_CITIZENSHIP, -1, "RUSSIAN FEDERATION"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_POB, -1, "Moscow, RUSSIAN FEDERATION"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_TITLE, -1, "Deputy Minister of Example Affairs"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ADDRESS, -1, NULL), 1);

    txs_entity p2 = entity(l, "EU:900102");
    cr_expect(txs_slice_eq(p2.name, "Northwind Trading LLC"));
    cr_expect_eq(count_fields(l, &p2, TXS_F_ALIAS, -1, "OOO Nordvind"), 1);
    cr_expect_eq(count_fields(l, &p2, TXS_F_ADDRESS, -1, NULL), 2);
    cr_expect_eq(count_fields(l, &p2, TXS_F_ADDRESS, -1,
                              "Harbour Street 1; office 12, Saint Petersburg, 190000, "
                              "RUSSIAN FEDERATION"), 1, "a quoted ';' stays in its field");
    cr_expect_eq(count_fields(l, &p2, TXS_F_OTHER, -1, "Tel. +357 25 000000"), 1);

    txs_entity p3 = entity(l, "EU:900103");
    cr_expect_eq(count_fields(l, &p3, TXS_F_ALIAS, -1, "Abu Ex"), 1, "a repeated row adds nothing");
    cr_expect_eq(count_fields(l, &p3, TXS_F_LINK, -1, "UN:QDi.990"), 1);
    cr_expect_eq(count_fields(l, &p3, TXS_F_TITLE, -1, "Sheikh"), 1);

    txs_entity p5 = entity(l, "EU:900105");
    cr_expect(txs_slice_eq(p5.name, "Rami Examplani"), "built from first and last name");
    cr_expect_eq(count_fields(l, &p5, TXS_F_CITIZENSHIP, -1, NULL), 2);
    txs_lists_free(l);
    free(img);
}

Test(lists_eu, dates_of_birth_in_every_published_form)
{
    void *img;
    txs_lists *l = open_one(EU_FILE, &img);
    txs_entity e = entity(l, "EU:900101");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, TXS_DATE_EXACT, "1961-03-12"), 1, "BirthDate_BirthDate");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, TXS_DATE_CIRCA, "1962"), 1, "year, circa");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, NULL), 2);
    txs_entity p3 = entity(l, "EU:900103");
    cr_expect_eq(count_fields(l, &p3, TXS_F_DOB, -1, "1970..1972"), 1, "year range");
    txs_entity p5 = entity(l, "EU:900105");
    cr_expect_eq(count_fields(l, &p5, TXS_F_DOB, -1, "1958-05"), 1, "month and year only");
    txs_lists_free(l);
    free(img);
}

Test(lists_eu, identifiers_are_typed_and_indexed)
{
    void *img;
    txs_lists *l = open_one(EU_FILE, &img);
    cr_expect_eq(ident_hits(l, TXS_ID_PASSPORT, "7512345678"), 1);
    cr_expect_eq(ident_hits(l, TXS_ID_NATIONAL_ID, "4509123456"), 1, "compared without spaces");
    cr_expect_eq(ident_hits(l, TXS_ID_REGISTRATION, "1027700000001"), 1);
    cr_expect_eq(ident_hits(l, TXS_ID_TAX_ID, "7700000001"), 1);
    cr_expect_eq(ident_hits(l, TXS_ID_IMO, "5123456"), 1);
    txs_entity e = entity(l, "EU:900101");
    char buf[64];
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ID, "7512345678", buf, sizeof buf), "RUSSIAN FEDERATION");
    txs_lists_free(l);
    free(img);
}

Test(lists_eu, optional_strong_column_marks_weak_aliases)
{
    void *img;
    txs_lists *l = open_one(FIX "eu/strong-flag.csv", &img);
    txs_entity e = entity(l, "EU:900103");
    cr_expect(txs_slice_eq(e.name, "Abu Example al-Fictiri"));
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_WEAK, NULL), 2);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG, NULL), 0);
    txs_lists_free(l);
    free(img);
}

/* ------------------------------------------------------------------ UK */

Test(lists_uk, ofsi_rows_group_by_group_id)
{
    void *img;
    txs_lists *l = open_one(OFSI_FILE, &img);
    txs_list_source s = source(l, 0);
    cr_expect_eq(s.records, 15);
    cr_expect_eq(s.entities, 5);
    cr_expect_eq(s.by_type[TXS_ENT_INDIVIDUAL], 2);
    cr_expect_eq(s.by_type[TXS_ENT_ENTITY], 2);
    cr_expect_eq(s.by_type[TXS_ENT_VESSEL], 1, "Group Type Ship");
    cr_expect(txs_slice_eq(s.format, "uk-csv"));
    cr_expect(txs_slice_eq(s.list, "UK-OFSI"));
    cr_expect(txs_slice_eq(s.date, "2026-06-03"), "Last Updated,03/06/2026");

    txs_entity e = entity(l, "UK-OFSI:90001");
    cr_expect(txs_slice_eq(e.name, "Ivan Petrovich SIDOROV"), "the Primary name row");
    char buf[64];
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ALIAS, "Ivan SIDOROFF", buf, sizeof buf),
                     "Primary name variation");
    cr_expect_eq(count_fields(l, &e, TXS_F_NATIONALITY, -1, "Russia"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_NATIONALITY, -1, "Ukraine"), 1, "(1) .. (2) ..");
    cr_expect_eq(count_fields(l, &e, TXS_F_ORIG_SCRIPT, -1, "Иван Петрович СИДОРОВ"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, "Russia"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_LISTED_ON, -1, "15/03/2022"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ADDRESS, -1,
                              "Example Embankment 7, Moscow, 103132, Russia"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_POB, -1, "Moscow, Russia"), 1);

    /* rows of 90004 come before its Primary name row */
    txs_entity a = entity(l, "UK-OFSI:90004");
    cr_expect(txs_slice_eq(a.name, "Abu Example Muhammad AL-FICTIRI"));
    cr_expect_eq(count_fields(l, &a, TXS_F_ALIAS, TXS_ALIAS_STRONG, "Abu Example AL-FICTIRI"), 1);

    /* 90005 has no Primary name row: its first alias is the name */
    txs_entity c = entity(l, "UK-OFSI:90005");
    cr_expect(txs_slice_eq(c.name, "ESLC"));
    cr_expect_eq(count_fields(l, &c, TXS_F_ALIAS, -1, "ESLC"), 0);
    cr_expect_eq(count_fields(l, &c, TXS_F_ALIAS, -1, "EXAMPLE SHIPPING LINES"), 1);

    txs_entity v = entity(l, "UK-OFSI:90003");
    cr_expect_eq(v.type, TXS_ENT_VESSEL);
    cr_expect_str_eq(extra_of(l, &v, TXS_F_ALIAS, "SEA EXAMPLE", buf, sizeof buf), "FKA");
    cr_expect_eq(ident_hits(l, TXS_ID_IMO, "9123456"), 1, "IMO from Other Information");
    txs_lists_free(l);
    free(img);
}

Test(lists_uk, alias_quality_low_is_weak)
{
    void *img;
    txs_lists *l = open_one(OFSI_FILE, &img);
    txs_entity e = entity(l, "UK-OFSI:90001");
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_WEAK, "VANYA"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_WEAK, NULL), 1);
    txs_entity a = entity(l, "UK-OFSI:90004");
    cr_expect_eq(count_fields(l, &a, TXS_F_ALIAS, TXS_ALIAS_WEAK, "Abu EX"), 1);
    txs_entity n = entity(l, "UK-OFSI:90002");
    cr_expect_eq(count_fields(l, &n, TXS_F_ALIAS, TXS_ALIAS_STRONG, "OOO NORDVIND"), 1, "Good");
    txs_lists_free(l);
    free(img);
}

Test(lists_uk, ofsi_dates_of_birth_and_documents)
{
    void *img;
    txs_lists *l = open_one(OFSI_FILE, &img);
    txs_entity e = entity(l, "UK-OFSI:90001");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1961-03-12"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1962"), 1, "00/00/1962 is a year");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, NULL), 2, "one DOB per row, kept once");
    txs_entity a = entity(l, "UK-OFSI:90004");
    cr_expect_eq(count_fields(l, &a, TXS_F_DOB, -1, "1970-05"), 1, "00/05/1970");
    cr_expect_eq(count_fields(l, &a, TXS_F_DOB, -1, NULL), 3);
    cr_expect_eq(ident_hits(l, TXS_ID_PASSPORT, "7512345678"), 1);
    cr_expect_eq(ident_hits(l, TXS_ID_PASSPORT, "7598765432"), 1, "second of (1) .. (2) ..");
    cr_expect_eq(ident_hits(l, TXS_ID_NATIONAL_ID, "4509 123456"), 1);
    /* "(1) .. (2) .." details pair with the numbers, one by one */
    for (size_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        if (f.kind == TXS_F_ID && txs_slice_eq(f.value, "7598765432"))
            cr_expect(txs_slice_eq(f.note, "Russian diplomatic"));
    }
    txs_lists_free(l);
    free(img);
}

Test(lists_uk, fcdo_sanctions_list_format)
{
    void *img;
    txs_lists *l = open_one(FCDO_FILE, &img);
    txs_list_source s = source(l, 0);
    cr_expect_eq(s.records, 8);
    cr_expect_eq(s.entities, 4);
    cr_expect_eq(s.by_type[TXS_ENT_INDIVIDUAL], 2);
    cr_expect_eq(s.by_type[TXS_ENT_ENTITY], 1);
    cr_expect_eq(s.by_type[TXS_ENT_VESSEL], 1);
    cr_expect(txs_slice_eq(s.list, "UK-SL"));
    cr_expect(txs_slice_eq(s.date, "2026-02-13"), "Report Date: 13-Feb-2026");

    txs_entity e = entity(l, "UK-SL:RUS9001");
    cr_expect(txs_slice_eq(e.name, "Ivan Petrovich SIDOROV"));
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1961-03-12"), 1, "A|B cells");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1962"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_NATIONALITY, -1, NULL), 2);
    cr_expect_eq(count_fields(l, &e, TXS_F_GENDER, -1, "Male"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_LINK, -1, "UK-OFSI:90001"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_OTHER, -1, "Travel Ban"), 1);

    txs_entity a = entity(l, "UK-SL:AQD9004");
    cr_expect_eq(count_fields(l, &a, TXS_F_LINK, -1, "UN:QDi.990"), 1);
    cr_expect_eq(count_fields(l, &a, TXS_F_ALIAS, TXS_ALIAS_WEAK, "Abu EX"), 1, "Low quality");
    cr_expect_eq(count_fields(l, &a, TXS_F_ORIG_SCRIPT, -1, "أبو المثال"), 1);

    cr_expect_eq(entity(l, "UK-SL:RUS9003").type, TXS_ENT_VESSEL);
    cr_expect_eq(ident_hits(l, TXS_ID_IMO, "9123456"), 1, "IMO number column");
    cr_expect_eq(ident_hits(l, TXS_ID_REGISTRATION, "1027700000001"), 1);
    txs_lists_free(l);
    free(img);
}

/* -------------------------------------------------------------- errors */

Test(lists_eu_uk_errors, malformed_files_name_file_line_and_what)
{
    expect_failure(FIX "eu/bad-eu-missing-column.csv", 1, "header lacks column NameAlias_WholeName");
    expect_failure(FIX "eu/bad-eu-columns.csv", 3, "expected 118 fields (as in the header), found 115");
    expect_failure(FIX "eu/bad-eu-date.csv", 4, "bad date '1961-13-45' in column BirthDate_BirthDate");
    expect_failure(FIX "eu/bad-eu-header-only.csv", 2, "no records after the header");
    expect_failure(FIX "uk/bad-uk-missing-column.csv", 2, "header lacks column Group ID");
    expect_failure(FIX "uk/bad-uk-columns.csv", 4, "expected 36 fields (as in the header), found 34");
    expect_failure(FIX "uk/bad-uk-date.csv", 4, "bad date '12/13/1961' in column DOB");
}

/* ------------------------------------------------------------ snapshot */

Test(lists_eu_uk_snapshot, compiled_snapshot_counts_match_info)
{
    const char *src[] = {EU_FILE, OFSI_FILE, FCDO_FILE};
    char out[] = "/tmp/txs-euuk-XXXXXX";
    int fd = mkstemp(out);
    cr_assert_geq(fd, 0);
    close(fd);
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_compile(src, 3, out, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_lists *l = NULL;
    cr_assert_eq(txs_lists_load(out, &l, &d), 0, "%s", d.msg);
    cr_expect_eq(txs_lists_nsources(l), 3);
    cr_expect_eq(txs_lists_count(l), 5 + 5 + 4);
    static const uint32_t ENTS[] = {5, 5, 4};
    for (size_t i = 0; i < 3; i++) cr_expect_eq(source(l, i).entities, ENTS[i]);
    expect_info_matches_entities(l);
    uint64_t h = txs_lists_hash(l);
    txs_lists_free(l);

    /* the same sources give the same bytes */
    cr_assert_eq(txs_lists_compile(src, 3, out, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_load(out, &l, &d), 0, "%s", d.msg);
    cr_expect_eq(txs_lists_hash(l), h);
    txs_lists_free(l);
    unlink(out);
}
