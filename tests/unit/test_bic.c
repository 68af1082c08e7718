/*
 * test_bic.c: txs_bic_country (ISO 9362): 8- and 11-character BICs with an
 * assigned country, and the forms that are not BICs.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "txs/values.h"

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct bic_case {
    char text[16];
    char country[3]; /* "": not a BIC */
} bic_case;

ParameterizedTestParameters(bic, country)
{
    static bic_case cases[] = {
        {"DEUTDEFF", "DE"},    {"DEUTDEFF500", "DE"}, {"BARCGB22", "GB"},
        {"CHASUS33XXX", "US"}, {"AFABAFKA", "AF"},    /* from an OFAC SDN remark */
        {"RBKOXKPR", "XK"},    /* Kosovo: user-assigned XK, used by SWIFT */
        {"BNPAFRPP", "FR"},    {"UBSWCHZH80A", "CH"}, {"NEDSZAJJ", "ZA"},
        {"ABCDCW2X", "CW"},    {"ABCDAE0A", "AE"},    /* test BICs: location '0' */
        /* not BICs */
        {"", ""},            {"DEUTDEF", ""},     {"DEUTDEFF5", ""},
        {"DEUTDEFF50", ""},  {"DEUTDEFF5000", ""}, {"deutdeff", ""},
        {"DeutDEFF", ""},    {"DEUTdeFF", ""},    {"DEUTDEff", ""},
        {"DEUTZZFF", ""},    /* unassigned country */
        {"BARCUK22", ""},    /* UK is not an ISO 3166 code */
        {"DEU1DEFF", ""},    {"1234DEFF", ""},    {"12345678", ""},
        {"12345678901", ""}, {"DEUTDEF!", ""},    {"DEUT DEFF", ""},
        {"DEUTDEFF 50", ""}, {"DEUTDE-F", ""},    {"DEUTDEFF50\xff", ""},
    };
    return cr_make_param_array(bic_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bic_case *c, bic, country)
{
    char out[2] = {'?', '?'};
    int rc = txs_bic_country(c->text, strlen(c->text), out);
    if (c->country[0] == '\0') {
        cr_expect_eq(rc, TXS_E_FORMAT, "\"%s\" accepted as %.2s", c->text, out);
        cr_expect(out[0] == '?' && out[1] == '?', "output written on failure");
        return;
    }
    cr_assert_eq(rc, TXS_OK, "\"%s\" rejected", c->text);
    cr_expect(out[0] == c->country[0] && out[1] == c->country[1], "\"%s\" -> %.2s", c->text, out);
}

Test(bic, reads_only_the_given_bytes)
{
    char out[2];
    cr_expect_eq(txs_bic_country("DEUTDEFF500XYZ", 8, out), TXS_OK);
    cr_expect_eq(txs_bic_country("DEUTDEFF500XYZ", 11, out), TXS_OK);
    cr_expect_eq(txs_bic_country("DEUTDEFF500XYZ", 14, out), TXS_E_FORMAT);
    cr_expect_eq(txs_bic_country(NULL, 8, out), TXS_E_FORMAT);
}
