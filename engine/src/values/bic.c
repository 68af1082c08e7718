/*
 * bic.c: the country of a BIC (ISO 9362, the SWIFT business identifier).
 * Part of the parse stage: a party's bank field fills bank_country when it
 * holds a BIC, and screening uses that country for corridor and sanctioned-
 * jurisdiction checks.
 *
 * Form accepted, upper case only, 8 or 11 bytes, nothing around it:
 *
 *     AAAA CC LL [BBB]
 *     |    |  |   branch code: 3 letters or digits (optional)
 *     |    |  location code: 2 letters or digits
 *     |    country: an assigned ISO 3166-1 alpha-2 code (XK included)
 *     party prefix: 4 letters
 *
 * ISO 9362:2014 allows digits in the party prefix, but every BIC issued so
 * far uses letters; insisting on letters keeps 8- and 11-digit account
 * numbers and sort codes from passing for BICs.  Lower-case BICs are not
 * normalised here: the profile decides whether to upper-case a column.
 */
#include "txs/values.h"

static int upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int alnum(char c)
{
    return upper(c) || (c >= '0' && c <= '9');
}

int txs_bic_country(const char *p, size_t n, char out[2])
{
    if (p == NULL || (n != 8 && n != 11)) return TXS_E_FORMAT;
    for (size_t i = 0; i < 6; i++)
        if (!upper(p[i])) return TXS_E_FORMAT;
    for (size_t i = 6; i < n; i++)
        if (!alnum(p[i])) return TXS_E_FORMAT;
    if (!txs_country_valid(p + 4)) return TXS_E_FORMAT;
    out[0] = p[4];
    out[1] = p[5];
    return TXS_OK;
}
