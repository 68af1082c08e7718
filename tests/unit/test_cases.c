/*
 * test_cases.c: the case table (cases.h, src/cases/cases.c): stable ids
 * that depend on every part of the subject, grouping of alerts by
 * subject, an alert counted once per case, first/last seen, totals per
 * currency, highest score, continuing cases, and the output order.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "txs/cases.h"
#include "txs/values.h"



static txs_case_subject sanc(const char *party, const char *list, const char *entry)
{
    return (txs_case_subject){TXS_CASE_SANCTIONS, {party, strlen(party)}, {list, strlen(list)},
                              {entry, strlen(entry)}};
}

static txs_case_subject typo(const char *acc, const char *family)
{
    return (txs_case_subject){TXS_CASE_TYPOLOGY, {acc, strlen(acc)},
                              {family, strlen(family)}, {"", 0}};
}

static txs_case_alert alert(uint64_t seq, const char *txn, int64_t ts, int64_t amount,
                            const char *cur, int score, int band, const char *rule)
{
    return (txs_case_alert){seq, {txn, strlen(txn)}, ts, amount,
                            (uint16_t)txs_currency_lookup(cur, 3), score, band, rule};
}

Test(cases, id_is_stable_and_subject_bound)
{
    char a[TXS_CASE_ID_LEN + 1], b[TXS_CASE_ID_LEN + 1], c[TXS_CASE_ID_LEN + 1];
    txs_case_subject x = sanc("ACC-1", "OFAC-SDN", "OFAC-SDN:36");
    txs_case_id(&x, a);
    txs_case_id(&x, b);
    cr_assert_str_eq(a, b);
    cr_assert_eq(strlen(a), TXS_CASE_ID_LEN);
    cr_assert_eq(a[0], 'S');
    txs_case_subject y = sanc("ACC-1", "OFAC-SDN", "OFAC-SDN:37");
    txs_case_id(&y, c);
    cr_assert_str_neq(a, c);
    /* the field boundary counts: "AB"+"C" is not "A"+"BC" */
    txs_case_subject p = typo("AB", "C"), q = typo("A", "BC");
    txs_case_id(&p, a);
    txs_case_id(&q, b);
    cr_assert_str_neq(a, b);
    cr_assert_eq(a[0], 'T');
}

Test(cases, groups_by_subject_and_counts_an_alert_once)
{
    txs_cases *c;
    cr_assert_eq(txs_cases_create(&c), TXS_OK);
    txs_case_subject fan = typo("ACC-9", "fan_out"), s1 = sanc("ACC-1", "OFAC-SDN", "E1");
    txs_case_alert a1 = alert(1, "T1", 2000, 1000, "USD", 60, 2, "fan_out_8h");
    txs_case_alert a1b = alert(1, "T1", 2000, 1000, "USD", 60, 2, "fan_out_72h");
    txs_case_alert a2 = alert(2, "T2", 1000, 250, "EUR", 90, 3, "fan_out_72h");
    txs_case_alert a3 = alert(3, "T3", 3000, 5, "USD", 40, 1, "sanctions");
    cr_assert_eq(txs_cases_add(c, &fan, &a1), TXS_OK);
    cr_assert_eq(txs_cases_add(c, &fan, &a1b), TXS_OK); /* same alert, second rule */
    cr_assert_eq(txs_cases_add(c, &fan, &a2), TXS_OK);
    cr_assert_eq(txs_cases_add(c, &s1, &a3), TXS_OK);
    cr_assert_eq(txs_cases_count(c), 2);
    cr_assert_eq(txs_cases_count_kind(c, TXS_CASE_SANCTIONS), 1);
    txs_buf b = {0};
    cr_assert_eq(txs_cases_write(c, &b), TXS_OK);
    char id[TXS_CASE_ID_LEN + 1];
    txs_case_id(&fan, id);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"case_id\":\"%s\",\"kind\":\"typology\",\"status\":\"new\",\"subject\":"
             "{\"account\":\"ACC-9\",\"family\":\"fan_out\"},\"first_seen\":"
             "\"1970-01-01T00:16:40Z\",\"last_seen\":\"1970-01-01T00:33:20Z\",\"alerts\":2,"
             "\"highest_score\":90,\"highest_band\":\"block\",\"total_amount\":[{\"currency\":"
             "\"USD\",\"amount\":\"10.00\"},{\"currency\":\"EUR\",\"amount\":\"2.50\"}],"
             "\"rules\":[\"fan_out_8h\",\"fan_out_72h\"],\"txn_ids\":[\"T1\",\"T2\"]}\n",
             id);
    cr_assert(b.n > strlen(want));
    cr_assert_eq(memcmp(b.p, want, strlen(want)), 0, "got %.*s", (int)b.n, b.p);
    cr_assert(strstr(b.p + strlen(want), "\"kind\":\"sanctions\"") != NULL);
    cr_assert(strstr(b.p + strlen(want), "\"subject\":{\"party\":\"ACC-1\",\"list\":"
                                         "\"OFAC-SDN\",\"entry\":\"E1\"}") != NULL);
    txs_buf_free(&b);
    txs_cases_free(c);
}

Test(cases, previous_ids_make_continuing)
{
    txs_cases *c;
    cr_assert_eq(txs_cases_create(&c), TXS_OK);
    txs_case_subject x = typo("ACC-2", "structuring"), y = typo("ACC-3", "structuring");
    char id[TXS_CASE_ID_LEN + 1];
    txs_case_id(&x, id);
    cr_assert_eq(txs_cases_previous(c, id), TXS_OK);
    cr_assert_eq(txs_cases_previous(c, "X-0000000000000000"), TXS_E_ARG);
    cr_assert_eq(txs_cases_previous(c, "T-00000000000000zz"), TXS_E_ARG);
    txs_case_alert a = alert(1, "T1", 0, 1, "USD", 30, 1, "structuring_cash_1d");
    cr_assert_eq(txs_cases_add(c, &y, &a), TXS_OK);
    cr_assert_eq(txs_cases_add(c, &x, &a), TXS_OK);
    txs_buf b = {0};
    cr_assert_eq(txs_cases_write(c, &b), TXS_OK);
    char *nl = memchr(b.p, '\n', b.n);
    cr_assert_not_null(nl);
    cr_assert(strstr(b.p, "\"status\":\"new\"") < nl); /* first opened: y */
    cr_assert(strstr(nl, "\"status\":\"continuing\"") != NULL);
    txs_buf_free(&b);
    txs_cases_free(c);
}

Test(cases, many_cases_and_overflow)
{
    txs_cases *c;
    cr_assert_eq(txs_cases_create(&c), TXS_OK);
    char acc[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(acc, sizeof acc, "A%d", i);
        txs_case_subject x = typo(acc, "fan_in");
        txs_case_alert a = alert((uint64_t)i + 1, "T", 0, INT64_MAX, "USD", 30, 1, "r");
        cr_assert_eq(txs_cases_add(c, &x, &a), TXS_OK);
        a.seq++;
        if (i == 0) cr_assert_eq(txs_cases_add(c, &x, &a), TXS_OK);
    }
    cr_assert_eq(txs_cases_count(c), 5000);
    txs_buf b = {0};
    cr_assert_eq(txs_cases_write(c, &b), TXS_OK);
    char *nl = memchr(b.p, '\n', b.n);
    cr_assert(strstr(b.p, "\"amount\":null,\"amount_overflow\":true") < nl);
    txs_buf_free(&b);
    txs_cases_free(c);
}
