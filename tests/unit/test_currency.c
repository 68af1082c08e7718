/*
 * test_currency.c: the ISO 4217 table (codes, numerics, exponents), look-up
 * by code in any case and by name, the name table's own invariants, and every
 * currency spelling in the real AMLworld and SAML-D exports.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "txs/values.h"
#include "values/values_int.h"
#include "values_fixture.h"

static const txs_currency *find(const char *s)
{
    int i = txs_currency_lookup(s, strlen(s));
    return i >= 0 ? txs_currency_get(i) : NULL;
}

Test(currency, table_is_sorted_complete_and_coherent)
{
    int n = txs_currency_count();
    /* ISO list one (179 codes, 2025-05-12) + 5 kept withdrawn codes + XBT. */
    cr_expect_eq(n, 185);
    for (int i = 0; i < n; i++) {
        const txs_currency *c = txs_currency_get(i);
        cr_assert_not_null(c);
        cr_expect_eq(strlen(c->code), 3);
        if (i > 0) cr_expect_lt(strcmp(txs_currency_get(i - 1)->code, c->code), 0);
        cr_expect(c->exponent >= 0 && c->exponent <= 8, "%s exponent %d", c->code, c->exponent);
        cr_expect(c->numeric < 1000);
        cr_expect_not_null(c->name);
        /* Every code resolves to its own entry, in any case. */
        char lower[4] = {(char)(c->code[0] | 0x20), (char)(c->code[1] | 0x20),
                         (char)(c->code[2] | 0x20), 0};
        char mixed[4] = {c->code[0], lower[1], c->code[2], 0};
        cr_expect_eq(txs_currency_lookup(c->code, 3), i, "%s", c->code);
        cr_expect_eq(txs_currency_lookup(lower, 3), i, "%s", lower);
        cr_expect_eq(txs_currency_lookup(mixed, 3), i, "%s", mixed);
    }
    cr_expect_null(txs_currency_get(-1));
    cr_expect_null(txs_currency_get(n));
}

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct code_case {
    char code[4];
    int numeric;
    int exponent;
} code_case;

ParameterizedTestParameters(currency, codes)
{
    static code_case cases[] = {
        {"USD", 840, 2}, {"EUR", 978, 2}, {"GBP", 826, 2}, {"JPY", 392, 0}, {"CHF", 756, 2},
        {"CNY", 156, 2}, {"INR", 356, 2}, {"RUB", 643, 2}, {"SAR", 682, 2}, {"ILS", 376, 2},
        {"BRL", 986, 2}, {"MXN", 484, 2}, {"AUD", 36, 2},  {"CAD", 124, 2}, {"TRY", 949, 2},
        {"NGN", 566, 2}, {"MAD", 504, 2}, {"AED", 784, 2}, {"ALL", 8, 2},   {"PKR", 586, 2},
        /* exponent 0 */
        {"BIF", 108, 0}, {"CLP", 152, 0}, {"DJF", 262, 0}, {"GNF", 324, 0}, {"ISK", 352, 0},
        {"KMF", 174, 0}, {"KRW", 410, 0}, {"PYG", 600, 0}, {"RWF", 646, 0}, {"UGX", 800, 0},
        {"UYI", 940, 0}, {"VND", 704, 0}, {"VUV", 548, 0}, {"XAF", 950, 0}, {"XOF", 952, 0},
        {"XPF", 953, 0},
        /* exponent 3 */
        {"BHD", 48, 3}, {"IQD", 368, 3}, {"JOD", 400, 3}, {"KWD", 414, 3}, {"LYD", 434, 3},
        {"OMR", 512, 3}, {"TND", 788, 3},
        /* exponent 4 */
        {"CLF", 990, 4}, {"UYW", 927, 4},
        /* recent amendments */
        {"XCG", 532, 2}, {"ZWG", 924, 2}, {"XAD", 396, 2}, {"SLE", 925, 2}, {"VED", 926, 2},
        {"VES", 928, 2}, {"MRU", 929, 2}, {"STN", 930, 2}, {"BYN", 933, 2}, {"BGN", 975, 2},
        /* kept withdrawn codes */
        {"HRK", 191, 2}, {"ANG", 532, 2}, {"CUC", 931, 2}, {"SLL", 694, 2}, {"ZWL", 932, 2},
        /* N.A. in ISO: engine convention */
        {"XAU", 959, 4}, {"XAG", 961, 4}, {"XPT", 962, 4}, {"XPD", 964, 4}, {"XDR", 960, 2},
        {"XXX", 999, 2}, {"XTS", 963, 2},
        /* not ISO */
        {"XBT", 0, 8}, {"btc", 0, 8},
    };
    return cr_make_param_array(code_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(code_case *c, currency, codes)
{
    const txs_currency *cur = find(c->code);
    cr_assert_not_null(cur, "%s", c->code);
    cr_expect_eq(cur->numeric, c->numeric, "%s numeric %d", c->code, cur->numeric);
    cr_expect_eq(cur->exponent, c->exponent, "%s exponent %d", c->code, cur->exponent);
}

Test(currency, withdrawn_long_ago_and_unknown_codes_are_not_found)
{
    static const char *const bad[] = {
        "ABC", "DEM", "FRF", "ITL", "VEF", "MRO", "STD", "BYR", "LTL", "US", "USDX", "U$D",
        "", "   ", "12 3", "US D", "Dollar", "Pound", "Peso", "Franc", "Riyal", "Lira", "Kroner",
        "Zimbabwe", "\xff\xfe", "Eur\xe2\x82\xac",
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(bad); i++)
        cr_expect_eq(txs_currency_lookup(bad[i], strlen(bad[i])), -1, "\"%s\"", bad[i]);
    cr_expect_eq(txs_currency_lookup(NULL, 0), -1);
}

typedef struct name_case {
    char name[48];
    char code[4]; /* "": not found */
} name_case;

ParameterizedTestParameters(currency, names)
{
    static name_case cases[] = {
        /* AMLworld, verbatim */
        {"US Dollar", "USD"}, {"Euro", "EUR"}, {"Yuan", "CNY"}, {"Yen", "JPY"},
        {"UK Pound", "GBP"}, {"Rupee", "INR"}, {"Ruble", "RUB"}, {"Saudi Riyal", "SAR"},
        {"Swiss Franc", "CHF"}, {"Australian Dollar", "AUD"}, {"Canadian Dollar", "CAD"},
        {"Mexican Peso", "MXN"}, {"Brazil Real", "BRL"}, {"Shekel", "ILS"}, {"Bitcoin", "XBT"},
        /* SAML-D, verbatim */
        {"UK pounds", "GBP"}, {"US dollar", "USD"}, {"Swiss franc", "CHF"},
        {"Indian rupee", "INR"}, {"Turkish lira", "TRY"}, {"Naira", "NGN"},
        {"Moroccan dirham", "MAD"}, {"Dirham", "AED"}, {"Albanian lek", "ALL"},
        {"Pakistani rupee", "PKR"},
        /* official ISO names */
        {"Pound Sterling", "GBP"}, {"Yuan Renminbi", "CNY"}, {"New Israeli Sheqel", "ILS"},
        {"UAE Dirham", "AED"}, {"Rial Omani", "OMR"}, {"Peso Uruguayo", "UYU"},
        {"Unidad de Fomento", "CLF"}, {"Unidad Previsional", "UYW"}, {"Zimbabwe Gold", "ZWG"},
        {"Caribbean Guilder", "XCG"}, {"Arab Accounting Dinar", "XAD"}, {"Pa'anga", "TOP"},
        {"Mexican Unidad de Inversion (UDI)", "MXV"}, {"US Dollar (Next day)", "USN"},
        {"CFA Franc BCEAO", "XOF"}, {"SDR (Special Drawing Right)", "XDR"},
        {"Bolívar Soberano", "VES"}, {"Cordoba Oro", "NIO"}, {"Lek", "ALL"},
        /* plurals and common forms */
        {"dollars", ""}, {"US dollars", "USD"}, {"euros", "EUR"}, {"pounds sterling", "GBP"},
        {"Sterling", "GBP"}, {"British Pounds", "GBP"}, {"Swiss francs", "CHF"},
        {"Japanese yen", "JPY"}, {"renminbi", "CNY"}, {"RMB", "CNY"}, {"roubles", "RUB"},
        {"Brazilian reais", "BRL"}, {"South African rand", "ZAR"}, {"Swedish kronor", "SEK"},
        {"Norwegian kroner", "NOK"}, {"Danish krone", "DKK"}, {"Polish zloty", "PLN"},
        {"Hong Kong dollars", "HKD"}, {"Singapore Dollar", "SGD"}, {"Korean won", "KRW"},
        {"bitcoins", "XBT"}, {"BTC", "XBT"}, {"Croatian kuna", "HRK"},
        /* case, spacing, punctuation */
        {"  us   DOLLAR ", "USD"}, {"UK\tPounds", "GBP"}, {"U.S. Dollar", "USD"},
        {"US-Dollar", "USD"}, {"TURKISH LIRA", "TRY"}, {" usd ", "USD"}, {"eur\n", "EUR"},
        {"T\xc3\xbcrkish lira", "TRY"}, /* a stray umlaut folds */
        /* ambiguous or unknown words are not guessed */
        {"Dollar", ""}, {"Pounds", ""}, {"Peso", ""}, {"Riyal", ""}, {"Dinar", ""},
        {"Monopoly money", ""}, {"US Dollar Dollar", ""},
    };
    return cr_make_param_array(name_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(name_case *c, currency, names)
{
    const txs_currency *cur = find(c->name);
    if (c->code[0] == '\0') {
        cr_expect_null(cur, "\"%s\" resolved to %s", c->name, cur ? cur->code : "");
        return;
    }
    cr_assert_not_null(cur, "\"%s\" not found", c->name);
    cr_expect_str_eq(cur->code, c->code, "\"%s\" -> %s", c->name, cur->code);
}

Test(currency, dirham_means_the_uae_dirham)
{
    /* Documented ambiguity: bare "Dirham" is AED (SAML-D's usage), the
     * Moroccan dirham needs its adjective. */
    cr_expect_str_eq(find("Dirham")->code, "AED");
    cr_expect_str_eq(find("dirhams")->code, "AED");
    cr_expect_str_eq(find("Moroccan dirham")->code, "MAD");
}

Test(currency, every_official_name_resolves)
{
    for (int i = 0; i < txs_currency_count(); i++) {
        const txs_currency *c = txs_currency_get(i);
        const txs_currency *r = find(c->name);
        cr_assert_not_null(r, "%s \"%s\"", c->code, c->name);
        /* VED and VES share the ISO name "Bolivar Soberano"; it means VES. */
        if (strcmp(c->code, "VED") == 0) cr_expect_str_eq(r->code, "VES");
        else cr_expect_str_eq(r->code, c->code, "\"%s\" -> %s", c->name, r->code);
    }
}

Test(currency, name_table_is_sorted_folded_and_resolves)
{
    size_t n;
    const txs__name_entry *t = txs__currency_names(&n);
    cr_assert_gt(n, 400);
    for (size_t i = 0; i < n; i++) {
        char key[TXS__FOLD_CAP];
        int k = txs__values_fold(t[i].key, strlen(t[i].key), key, sizeof key);
        cr_expect_str_eq(key, t[i].key, "key not in folded form");
        cr_expect_eq(k, (int)strlen(t[i].key));
        if (i > 0) cr_expect_lt(strcmp(t[i - 1].key, t[i].key), 0, "order at \"%s\"", t[i].key);
        cr_expect_eq(txs_currency_lookup(t[i].key, strlen(t[i].key)), (int)t[i].index, "%s",
                     t[i].key);
    }
}

/* Every value of the currency columns of the real exports resolves. */
typedef struct cur_cols {
    const char *names[2];
    int cols[2];
    size_t values;
} cur_cols;

static void cur_header(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    cur_cols *cc = ctx;
    for (int j = 0; j < 2; j++) {
        cc->cols[j] = vf_column(f, n, cc->names[j]);
        cr_assert_geq(cc->cols[j], 0, "no column %s", cc->names[j]);
    }
}

static void cur_row(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    cur_cols *cc = ctx;
    for (int j = 0; j < 2; j++) {
        txs_slice v = f[cc->cols[j]];
        cr_expect_geq(txs_currency_lookup(v.p, v.n), 0, "line %zu: \"%.*s\"", line, (int)v.n, v.p);
        cc->values++;
    }
}

Test(currency, real_exports_resolve)
{
    cur_cols aml = {{"Receiving Currency", "Payment Currency"}, {0, 0}, 0};
    cr_expect_eq(vf_each_row("aml/amlworld-hi-small-patterns.csv", cur_header, cur_row, &aml),
                 3209);
    cur_cols benign = {{"receiving_currency", "payment_currency"}, {0, 0}, 0};
    cr_expect_eq(vf_each_row("aml/amlworld-hi-small-benign-1k.reshaped.csv", cur_header,
                             cur_row, &benign),
                 1000);
    cur_cols saml = {{"Payment_currency", "Received_currency"}, {0, 0}, 0};
    cr_expect_eq(vf_each_row("aml/saml-d-sample-1k.csv", cur_header, cur_row, &saml), 1000);
}
