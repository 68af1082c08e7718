/*
 * test_country.c: ISO 3166-1 validity, look-up by alpha-2, alpha-3 and name
 * (variants, ISO inversions, accents), the name table's invariants, and
 * every bank location in the real SAML-D export.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "txs/values.h"
#include "values/values_int.h"
#include "values_fixture.h"

Test(country, exactly_the_assigned_codes_are_valid)
{
    int count = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            char cc[2] = {a, b};
            if (!txs_country_valid(cc)) {
                cr_expect_null(txs_country_name(cc), "%c%c", a, b);
                continue;
            }
            count++;
            cr_expect_not_null(txs_country_name(cc), "%c%c", a, b);
            char out[2] = {0, 0};
            cr_expect_eq(txs_country_lookup(cc, 2, out), TXS_OK);
            cr_expect(out[0] == a && out[1] == b);
        }
    cr_expect_eq(count, 250, "249 ISO codes + XK, got %d", count);
}

Test(country, validity_is_case_sensitive_and_strict)
{
    static const char *const yes[] = {"GB", "US", "XK", "SS", "AX", "BQ", "CW", "SX", "PS", "TW"};
    static const char *const no[] = {"UK", "EL", "EU", "ZZ", "XX", "AA", "gb", "Gb", "G1",
                                     "1G", "  ", "AN", "YU", "CS", "QO"};
    for (size_t i = 0; i < TXS_ARRAY_LEN(yes); i++) cr_expect(txs_country_valid(yes[i]), "%s", yes[i]);
    for (size_t i = 0; i < TXS_ARRAY_LEN(no); i++) cr_expect(!txs_country_valid(no[i]), "%s", no[i]);
}

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct ctry_case {
    char text[72];
    char code[3]; /* "": not found */
} ctry_case;

ParameterizedTestParameters(country, lookups)
{
    static ctry_case cases[] = {
        /* codes, any case */
        {"GB", "GB"}, {"gb", "GB"}, {"Gb", "GB"}, {"GBR", "GB"}, {"gbr", "GB"}, {"USA", "US"},
        {"usa", "US"}, {"DEU", "DE"}, {"XK", "XK"}, {"XKX", "XK"}, {"CHE", "CH"}, {"ch", "CH"},
        {"U.S.", "US"}, {" de ", "DE"},
        /* SAML-D locations, verbatim */
        {"UK", "GB"}, {"UAE", "AE"}, {"USA", "US"}, {"Italy", "IT"}, {"Austria", "AT"},
        {"France", "FR"}, {"Germany", "DE"}, {"India", "IN"}, {"Japan", "JP"},
        {"Mexico", "MX"}, {"Morocco", "MA"}, {"Netherlands", "NL"}, {"Nigeria", "NG"},
        {"Spain", "ES"}, {"Switzerland", "CH"}, {"Turkey", "TR"}, {"Albania", "AL"},
        {"Pakistan", "PK"},
        /* the variants the brief lists */
        {"Great Britain", "GB"}, {"United Kingdom", "GB"}, {"United States of America", "US"},
        {"United States", "US"}, {"Türkiye", "TR"}, {"Turkiye", "TR"}, {"Russia", "RU"},
        {"Russian Federation", "RU"}, {"South Korea", "KR"}, {"North Korea", "KP"},
        {"Iran", "IR"}, {"Syria", "SY"}, {"Vietnam", "VN"}, {"Viet Nam", "VN"}, {"Laos", "LA"},
        {"Bolivia", "BO"}, {"Venezuela", "VE"}, {"Tanzania", "TZ"}, {"Moldova", "MD"},
        {"Czech Republic", "CZ"}, {"Czechia", "CZ"}, {"Ivory Coast", "CI"},
        {"Côte d'Ivoire", "CI"}, {"Cote d'Ivoire", "CI"}, {"C\xc3\xb4te d\xe2\x80\x99Ivoire", "CI"},
        {"DR Congo", "CD"}, {"DRC", "CD"}, {"Democratic Republic of the Congo", "CD"},
        {"Republic of the Congo", "CG"}, {"Congo", "CG"}, {"Burma", "MM"}, {"Holland", "NL"},
        {"Macedonia", "MK"}, {"North Macedonia", "MK"}, {"Swaziland", "SZ"},
        {"Cape Verde", "CV"}, {"East Timor", "TL"}, {"Vatican", "VA"}, {"Palestine", "PS"},
        {"Taiwan", "TW"}, {"Hong Kong", "HK"}, {"Macau", "MO"}, {"Macao", "MO"},
        {"Brunei", "BN"}, {"Micronesia", "FM"}, {"British Virgin Islands", "VG"},
        {"US Virgin Islands", "VI"}, {"U.S. Virgin Islands", "VI"},
        /* ISO and World Bank inversions */
        {"Korea, Republic of", "KR"}, {"Korea (the Republic of)", "KR"},
        {"Korea, Democratic People's Republic of", "KP"},
        {"Korea (the Democratic People's Republic of)", "KP"}, {"Korea, Rep.", "KR"},
        {"Korea, Dem. People's Rep.", "KP"}, {"Iran, Islamic Republic of", "IR"},
        {"Iran (Islamic Republic of)", "IR"}, {"Bolivia (Plurinational State of)", "BO"},
        {"Venezuela (Bolivarian Republic of)", "VE"}, {"Venezuela, RB", "VE"},
        {"Congo, The Democratic Republic of the", "CD"}, {"Congo, Dem. Rep.", "CD"},
        {"Congo (the Democratic Republic of the)", "CD"}, {"Congo, Rep.", "CG"},
        {"Tanzania, United Republic of", "TZ"}, {"Tanzania, the United Republic of", "TZ"},
        {"Moldova (the Republic of)", "MD"}, {"Micronesia (Federated States of)", "FM"},
        {"Micronesia, Fed. Sts.", "FM"}, {"Taiwan, Province of China", "TW"},
        {"Taiwan (Province of China)", "TW"}, {"Virgin Islands, British", "VG"},
        {"Virgin Islands (U.S.)", "VI"}, {"Netherlands (Kingdom of the)", "NL"},
        {"Bahamas, The", "BS"}, {"The Bahamas", "BS"}, {"Gambia (the)", "GM"},
        {"United Kingdom of Great Britain and Northern Ireland (the)", "GB"},
        {"United States of America (the)", "US"}, {"Egypt, Arab Rep.", "EG"},
        {"Lao PDR", "LA"}, {"Hong Kong SAR, China", "HK"}, {"Myanmar (Burma)", "MM"},
        {"Falkland Islands (Malvinas)", "FK"}, {"Palestine, State of", "PS"},
        {"Holy See (Vatican City State)", "VA"}, {"Saint Martin (French part)", "MF"},
        {"Sint Maarten (Dutch part)", "SX"}, {"Cocos (Keeling) Islands", "CC"},
        /* accents, case, spacing, punctuation */
        {"Åland Islands", "AX"}, {"Curaçao", "CW"}, {"Réunion", "RE"},
        {"Saint Barthélemy", "BL"}, {"São Tomé and Príncipe", "ST"}, {"  united   KINGDOM ", "GB"},
        {"UNITED ARAB EMIRATES", "AE"}, {"U.A.E.", "AE"}, {"Guinea-Bissau", "GW"},
        {"Guinea Bissau", "GW"}, {"Timor-Leste", "TL"}, {"Bosnia & Herzegovina", "BA"},
        {"St. Kitts & Nevis", "KN"}, {"St Lucia", "LC"}, {"Trinidad & Tobago", "TT"},
        {"Kosovo", "XK"}, {"Eswatini", "SZ"}, {"England", "GB"}, {"Scotland", "GB"},
        {"Korea", "KR"}, {"Niger", "NE"}, {"Dominica", "DM"}, {"Dominican Republic", "DO"},
        {"Guinea", "GN"}, {"Equatorial Guinea", "GQ"}, {"Samoa", "WS"},
        {"American Samoa", "AS"}, {"Sudan", "SD"}, {"South Sudan", "SS"},
        /* not countries */
        {"", ""}, {"U", ""}, {"XX", ""}, {"ZZZ", ""}, {"Atlantis", ""},
        {"Narnia", ""}, {"Korea, Something", ""}, {"United", ""}, {"EU", ""},
        {"Europe", ""}, {",", ""}, {"()", ""}, {"(Korea)", "KR"}, {"\xff", ""},
        {"Republic of", ""}, {"the", ""},
    };
    return cr_make_param_array(ctry_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ctry_case *c, country, lookups)
{
    char out[2] = {'?', '?'};
    int rc = txs_country_lookup(c->text, strlen(c->text), out);
    if (c->code[0] == '\0') {
        cr_expect_eq(rc, TXS_E_NOTFOUND, "\"%s\" -> %.2s", c->text, out);
        return;
    }
    cr_assert_eq(rc, TXS_OK, "\"%s\" not found", c->text);
    cr_expect(out[0] == c->code[0] && out[1] == c->code[1], "\"%s\" -> %.2s, want %s", c->text,
              out, c->code);
}

Test(country, names_of_codes)
{
    cr_expect_str_eq(txs_country_name("GB"), "United Kingdom of Great Britain and Northern Ireland");
    cr_expect_str_eq(txs_country_name("KR"), "Korea, Republic of");
    cr_expect_str_eq(txs_country_name("TR"), "Türkiye");
    cr_expect_str_eq(txs_country_name("XK"), "Kosovo");
    cr_expect_null(txs_country_name("UK"));
    cr_expect_null(txs_country_name("1A"));
}

Test(country, every_official_name_resolves_to_its_code)
{
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            char cc[2] = {a, b}, out[2] = {0, 0};
            const char *name = txs_country_name(cc);
            if (name == NULL) continue;
            cr_expect_eq(txs_country_lookup(name, strlen(name), out), TXS_OK, "%s", name);
            cr_expect(out[0] == a && out[1] == b, "\"%s\" -> %.2s", name, out);
        }
}

Test(country, name_table_is_sorted_folded_and_resolves)
{
    size_t n;
    const txs__name_entry *t = txs__country_names(&n);
    cr_assert_gt(n, 300);
    for (size_t i = 0; i < n; i++) {
        char key[TXS__FOLD_CAP], want[2], out[2];
        txs__values_fold(t[i].key, strlen(t[i].key), key, sizeof key);
        cr_expect_str_eq(key, t[i].key, "key not in folded form");
        if (i > 0) cr_expect_lt(strcmp(t[i - 1].key, t[i].key), 0, "order at \"%s\"", t[i].key);
        txs__country_code_at(t[i].index, want);
        cr_expect_eq(txs_country_lookup(t[i].key, strlen(t[i].key), out), TXS_OK, "%s", t[i].key);
        cr_expect(out[0] == want[0] && out[1] == want[1], "%s", t[i].key);
    }
}

Test(country, fold_handles_long_and_odd_input)
{
    char big[300];
    memset(big, 'a', sizeof big);
    char out[2];
    cr_expect_eq(txs_country_lookup(big, sizeof big, out), TXS_E_NOTFOUND);
    cr_expect_eq(txs_country_lookup(NULL, 0, out), TXS_E_NOTFOUND);
    char key[8];
    cr_expect_eq(txs__values_fold("abcdefgh", 8, key, sizeof key), -1); /* no room for NUL */
    cr_expect_eq(txs__values_fold("abcdefg", 7, key, sizeof key), 7);
    cr_expect_eq(txs__values_fold(" -- ", 4, key, sizeof key), 0);
    cr_expect_eq(txs__values_fold("a\xc3", 2, key, sizeof key), -1); /* truncated UTF-8 */
}

/* Every bank location of the SAML-D sample resolves. */
typedef struct loc_cols {
    int cols[2];
} loc_cols;

static void loc_header(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    loc_cols *lc = ctx;
    lc->cols[0] = vf_column(f, n, "Sender_bank_location");
    lc->cols[1] = vf_column(f, n, "Receiver_bank_location");
    cr_assert(lc->cols[0] >= 0 && lc->cols[1] >= 0);
}

static void loc_row(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    loc_cols *lc = ctx;
    for (int j = 0; j < 2; j++) {
        txs_slice v = f[lc->cols[j]];
        char out[2];
        cr_expect_eq(txs_country_lookup(v.p, v.n, out), TXS_OK, "line %zu: \"%.*s\"", line,
                     (int)v.n, v.p);
    }
}

Test(country, saml_d_locations_resolve)
{
    loc_cols lc = {{-1, -1}};
    cr_expect_eq(vf_each_row("aml/saml-d-sample-1k.csv", loc_header, loc_row, &lc), 1000);
}
