/*
 * test_lists_sls_ca.c: the OFAC Sanctions List Service XML reader and the
 * Canada SEMA XML reader, on the real files (tests/fixtures/lists/README.md):
 * record and entity counts by type, the source date, entities checked field
 * by field against the XML, strong and weak aliases, identifiers typed into
 * the model's kinds, no unparsed feature, and malformed files refused with
 * file:line.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists_test_util.h"
#include "txs/lists.h"

#define FIX TXS_SOURCE_DIR "/tests/fixtures/lists/"
#define SLS_FILE FIX "ofac-sls-consolidated-2025-03-28.xml"
#define CA_FILE FIX "canada-sema-2025-03-20.xml"

/* Unparsed-clause statistics of source src (what `lists info` lists). */
static uint32_t unparsed_stats(const txs_lists *l, uint32_t src)
{
    uint32_t n = 0;
    for (size_t i = 0; i < txs_lists_nstats(l); i++) {
        uint32_t s, count;
        int parsed;
        txs_slice kind;
        txs_lists_stat(l, i, &s, &parsed, &kind, &count);
        if (s == src && !parsed) n += count;
    }
    return n;
}

static uint32_t stat_count(const txs_lists *l, uint32_t src, const char *label)
{
    for (size_t i = 0; i < txs_lists_nstats(l); i++) {
        uint32_t s, count;
        int parsed;
        txs_slice kind;
        txs_lists_stat(l, i, &s, &parsed, &kind, &count);
        if (s == src && parsed && txs_slice_eq(kind, label)) return count;
    }
    return 0;
}

/* ------------------------------------------------------------ OFAC SLS */

Test(lists_sls, every_entry_read_with_the_publish_date)
{
    void *img;
    txs_lists *l = open_one(SLS_FILE, &img);
    txs_list_source s = source(l, 0);
    cr_expect_eq(s.records, 443, "Record_Count of the file");
    cr_expect_eq(s.entities, 443);
    cr_expect_eq(txs_lists_count(l), 443);
    cr_expect_eq(s.by_type[TXS_ENT_INDIVIDUAL], 80);
    cr_expect_eq(s.by_type[TXS_ENT_ENTITY], 363);
    cr_expect(txs_slice_eq(s.format, "ofac-sls-xml"));
    cr_expect(txs_slice_eq(s.list, "OFAC-CONS"), "a consolidated file keeps OFAC-CONS ids");
    cr_expect(txs_slice_eq(s.date, "2025-03-28"), "Publish_Date 03/28/2025 in ISO");
    /* 1,136 akas, 75 DOBs, 21 POBs, 2 nationalities, 1 citizenship, 2,457
     * ids are all typed: nothing is left unparsed */
    cr_expect_eq(s.unparsed, 0);
    cr_expect_eq(unparsed_stats(l, 0), 0);
    cr_expect_eq(stat_count(l, 0, "(other id)"), 0, "every idType is in OFAC's vocabulary");
    expect_info_matches_entities(l);
    txs_lists_free(l);
    free(img);
}

Test(lists_sls, an_individual_field_by_field)
{
    void *img;
    txs_lists *l = open_one(SLS_FILE, &img);
    char buf[256];
    /* <uid>9639</uid> HANIYA, Ismail Abdul Salah: NS-PLC, 2 strong akas,
     * DOB 1962, POB Shati */
    txs_entity e = entity(l, "OFAC-CONS:9639");
    cr_expect(txs_slice_eq(e.name, "HANIYA, Ismail Abdul Salah"), "as the legacy sdn.csv writes it");
    cr_expect_eq(e.type, TXS_ENT_INDIVIDUAL);
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, "NS-PLC"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG, "HANIYA, Ismail"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG, "HANIYYA, Ismaeel"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ALIAS, "HANIYA, Ismail", buf, sizeof buf), "a.k.a.");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1962"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_POB, -1, "Shati"), 1);
    cr_expect_eq(e.nfields, 5);

    /* 26182 KAYAKIRAN, Evren: passport with its country, gender from the
     * idList, citizenship, DOB in "08 Feb 1980" form, address country */
    e = entity(l, "OFAC-CONS:26182");
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_PASSPORT, "U00242309"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ID, "U00242309", buf, sizeof buf), "Turkey");
    cr_expect_eq(count_fields(l, &e, TXS_F_GENDER, -1, "Male"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_CITIZENSHIP, -1, "Turkey"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1980-02-08"), 1);
    cr_expect_str_eq(note_of(l, &e, TXS_F_DOB, "1980-02-08", buf, sizeof buf), "08 Feb 1980");
    cr_expect_eq(count_fields(l, &e, TXS_F_ADDRESS, -1, "Turkey"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_COUNTRY, -1, "Turkey"), 1);
    txs_lists_free(l);
    free(img);
}

Test(lists_sls, an_entity_ids_typed_and_weak_aliases)
{
    void *img;
    txs_lists *l = open_one(SLS_FILE, &img);
    char buf[256];
    txs_entity e = entity(l, "OFAC-CONS:17013");
    cr_expect(txs_slice_eq(e.name, "VTB BANK PUBLIC JOINT STOCK COMPANY"));
    cr_expect_eq(e.type, TXS_ENT_ENTITY);
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, NULL), 2);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_SWIFT_BIC, "VTBRRUMM"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_LEI, "253400V1H6ART1UQ0N98"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_TAX_ID, "7702070139"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ID, "7702070139", buf, sizeof buf), "Russia");
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_REGISTRATION, "1027739609391"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_OTHER, "044030707"), 1, "BIK (RU)");
    cr_expect_eq(count_fields(l, &e, TXS_F_OTHER, -1, "www.vtb.com"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_OTHER, "www.vtb.com", buf, sizeof buf), "Website");
    cr_expect_eq(count_fields(l, &e, TXS_F_OTHER, -1, "Financial Institution"), 1);
    cr_expect_eq(ident_hits(l, TXS_ID_SWIFT_BIC, "VTBRRUMM"), 1, "the identifier table finds it");
    /* 70 of the file's 1,136 akas are weak, the rest strong */
    size_t weak = 0, strong = 0;
    for (size_t i = 0; i < txs_lists_count(l); i++) {
        txs_entity x;
        txs_lists_entity(l, i, &x);
        weak += count_fields(l, &x, TXS_F_ALIAS, TXS_ALIAS_WEAK, NULL);
        strong += count_fields(l, &x, TXS_F_ALIAS, TXS_ALIAS_STRONG, NULL);
    }
    cr_expect_eq(weak, 70);
    cr_expect_eq(strong, 1066);
    txs_lists_free(l);
    free(img);
}

Test(lists_sls, remarks_linked_to_becomes_a_link)
{
    void *img;
    txs_lists *l = open_one(SLS_FILE, &img);
    /* remarks "(Linked To: HAMAS)" on one entry; the rest stays a remark */
    size_t links = 0;
    for (size_t i = 0; i < txs_lists_count(l); i++) {
        txs_entity x;
        txs_lists_entity(l, i, &x);
        links += count_fields(l, &x, TXS_F_LINK, -1, "HAMAS");
    }
    cr_expect_eq(links, 1);
    cr_expect_gt(stat_count(l, 0, "Linked To:"), 200);
    txs_lists_free(l);
    free(img);
}

/* -------------------------------------------------------------- Canada */

Test(lists_ca, every_record_read_date_is_the_latest_listing)
{
    void *img;
    txs_lists *l = open_one(CA_FILE, &img);
    txs_list_source s = source(l, 0);
    cr_expect_eq(s.records, 4759);
    cr_expect_eq(s.entities, 4759, "Country|Schedule|Item is unique in the file");
    cr_expect_eq(s.by_type[TXS_ENT_INDIVIDUAL], 3334);
    cr_expect_eq(s.by_type[TXS_ENT_ENTITY], 1316);
    cr_expect_eq(s.by_type[TXS_ENT_VESSEL], 109, "the records with a ShipIMONumber");
    cr_expect(txs_slice_eq(s.format, "ca-sema-xml"));
    cr_expect(txs_slice_eq(s.list, "CA-SEMA"));
    cr_expect(txs_slice_eq(s.date, "2025-03-20"), "no publication date: the latest DateOfListing");
    cr_expect_eq(s.unparsed, 0, "every DateOfBirth reads, alternatives and ranges included");
    cr_expect_eq(unparsed_stats(l, 0), 0);
    expect_info_matches_entities(l);
    txs_lists_free(l);
    free(img);
}

Test(lists_ca, an_individual_field_by_field)
{
    void *img;
    txs_lists *l = open_one(CA_FILE, &img);
    /* Belarus / Bélarus, Lukashenko Aleksandr Grigoryevich, 1954-08-30,
     * Schedule 1, Part 1, Item 8, listed 2020-09-28 */
    txs_entity e = entity(l, "CA-SEMA:Belarus|1, Part 1|8");
    cr_expect(txs_slice_eq(e.name, "Aleksandr Grigoryevich Lukashenko"));
    cr_expect_eq(e.type, TXS_ENT_INDIVIDUAL);
    cr_expect_eq(count_fields(l, &e, TXS_F_PROGRAM, -1, "Belarus"), 1, "the English half");
    cr_expect_eq(count_fields(l, &e, TXS_F_COUNTRY, -1, "Belarus"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, "1954-08-30"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_LISTED_ON, -1, "2020-09-28"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_OTHER, -1, "1, Part 1"), 1);
    cr_expect_eq(e.nfields, 5);
    txs_lists_free(l);
    free(img);
}

Test(lists_ca, aliases_split_with_language_labels)
{
    void *img;
    txs_lists *l = open_one(CA_FILE, &img);
    char buf[128];
    /* "Mikalay Alyaksandravich Lukashenka, Kolya Lukashenko, Belarusian:
     * Мікалай Аляксандравіч Лукашэнка; Russian: Николай Александрович
     * Лукашенко, Коля Лукашенко" */
    size_t found = 0;
    for (size_t i = 0; i < txs_lists_count(l); i++) {
        txs_entity e;
        txs_lists_entity(l, i, &e);
        if (count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG, "Kolya Lukashenko") == 0) continue;
        found++;
        cr_expect_eq(count_fields(l, &e, TXS_F_ALIAS, TXS_ALIAS_STRONG,
                                  "Mikalay Alyaksandravich Lukashenka"), 1);
        cr_expect_eq(count_fields(l, &e, TXS_F_ORIG_SCRIPT, -1, "Мікалай Аляксандравіч Лукашэнка"), 1);
        cr_expect_str_eq(extra_of(l, &e, TXS_F_ORIG_SCRIPT, "Мікалай Аляксандравіч Лукашэнка", buf,
                                  sizeof buf), "Belarusian");
        cr_expect_str_eq(extra_of(l, &e, TXS_F_ORIG_SCRIPT, "Коля Лукашенко", buf, sizeof buf),
                         "Russian", "a label holds until the next one");
    }
    cr_expect_eq(found, 1);
    txs_lists_free(l);
    free(img);
}

Test(lists_ca, ships_carry_imo_and_dates_alternatives)
{
    void *img;
    txs_lists *l = open_one(CA_FILE, &img);
    char buf[128];
    uint32_t hit[4];
    size_t n = txs_lists_find_ident(l, TXS_ID_IMO, (txs_slice){"9144782", 7}, hit, 4);
    cr_assert_eq(n, 1, "Bodhi, IMO 9144782");
    txs_entity e;
    txs_lists_entity(l, hit[0], &e);
    cr_expect(txs_slice_eq(e.name, "Bodhi"));
    cr_expect_eq(e.type, TXS_ENT_VESSEL);
    cr_expect_eq(count_fields(l, &e, TXS_F_OTHER, -1, "Oil Tanker"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_OTHER, "1997", buf, sizeof buf), "build date");
    cr_expect_eq(count_fields(l, &e, TXS_F_DOB, -1, NULL), 0, "a build year is no birth date");
    /* "1972-08-10 or 1972-08-11" and "1963 or 1964" are two DOBs each;
     * "1963-1964" a range */
    size_t alt = 0, range = 0, decade = 0;
    for (size_t i = 0; i < txs_lists_count(l); i++) {
        txs_lists_entity(l, i, &e);
        alt += count_fields(l, &e, TXS_F_DOB, -1, "1972-08-10") &&
               count_fields(l, &e, TXS_F_DOB, -1, "1972-08-11");
        alt += count_fields(l, &e, TXS_F_DOB, -1, "1963") && count_fields(l, &e, TXS_F_DOB, -1, "1964");
        range += count_fields(l, &e, TXS_F_DOB, -1, "1963..1964");
        decade += count_fields(l, &e, TXS_F_DOB, TXS_DATE_CIRCA, "1970..1973");
    }
    cr_expect_eq(alt, 2);
    cr_expect_eq(range, 1);
    cr_expect_eq(decade, 1, "born in the early 1970s");
    txs_lists_free(l);
    free(img);
}

/* -------------------------------------------------------------- errors */

Test(lists_sls_ca_errors, malformed_files_name_file_line_and_what)
{
    expect_failure(FIX "bad-ofac-sls-no-uid.xml", 7, "sdnEntry without uid");
    expect_failure(FIX "bad-ofac-sls-count.xml", 3, "Record_Count says 2 entries, the file has 1");
    expect_failure(FIX "bad-ofac-sls-truncated.xml", 747, "XML");
    expect_failure(FIX "bad-ca-sema-no-item.xml", 3, "record without Item");
    expect_failure(FIX "bad-ca-sema-duplicate.xml", 11, "a second record CA-SEMA:Russia|1, Part 1|1");
    expect_failure(FIX "bad-ca-sema-truncated.xml", 920, "XML");
    expect_failure(FIX "bad-ca-sema-wrong-root.xml", 2, "root element is <dataset>");
}

/* A hand-written SDN-style file (the real consolidated file has neither
 * vessels nor issue dates): vesselInfo, issue/expiry dates, a digital
 * currency address and an idType OFAC's vocabulary does not name. */
Test(lists_sls, sdn_file_vessel_and_id_details)
{
    void *img;
    txs_lists *l = open_one(FIX "ofac-sls-sdn-vessel.xml", &img);
    char buf[256];
    txs_list_source s = source(l, 0);
    cr_expect(txs_slice_eq(s.list, "OFAC-SDN"), "no 'cons' in the name: the SDN list");
    cr_expect(txs_slice_eq(s.date, "2025-12-01"));
    txs_entity e = entity(l, "OFAC-SDN:900001");
    cr_expect_eq(count_fields(l, &e, TXS_F_TITLE, -1, "Director"), 1);
    cr_expect_str_eq(note_of(l, &e, TXS_F_ID, "P1234567", buf, sizeof buf),
                     "Passport P1234567 (Russia) issued 01 Jan 2015 expires 01 Jan 2025");
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_CRYPTO, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_ID, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", buf, sizeof buf),
                     "XBT");
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_OTHER, "AB-77"), 1);
    cr_expect_str_eq(note_of(l, &e, TXS_F_ID, "AB-77", buf, sizeof buf), "Some Future Number");
    e = entity(l, "OFAC-SDN:900002");
    cr_expect_eq(e.type, TXS_ENT_VESSEL);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_IMO, "9187629"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_MMSI, "572469210"), 1);
    cr_expect_eq(count_fields(l, &e, TXS_F_ID, TXS_ID_CALL_SIGN, "9HA1234"), 1);
    cr_expect_str_eq(extra_of(l, &e, TXS_F_OTHER, "Crude Oil Tanker", buf, sizeof buf), "Vessel Type");
    cr_expect_str_eq(extra_of(l, &e, TXS_F_OTHER, "Panama", buf, sizeof buf), "Vessel Flag");
    cr_expect_str_eq(extra_of(l, &e, TXS_F_OTHER, "81479", buf, sizeof buf), "GRT");
    cr_expect_eq(s.unparsed, 0);
    txs_lists_free(l);
    free(img);
}
