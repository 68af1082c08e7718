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

/* Byte classes: a table look-up per byte instead of range compares, since
 * every record's two bank fields come through here. */
enum { UP = 1, DIG = 2 };
#define U4(x) [x] = UP, [x + 1] = UP, [x + 2] = UP, [x + 3] = UP
static const unsigned char cls[256] = {
    U4('A'), U4('E'), U4('I'), U4('M'), U4('Q'), U4('U'), ['Y'] = UP, ['Z'] = UP,
    ['0'] = DIG, ['1'] = DIG, ['2'] = DIG, ['3'] = DIG, ['4'] = DIG,
    ['5'] = DIG, ['6'] = DIG, ['7'] = DIG, ['8'] = DIG, ['9'] = DIG,
};
#undef U4

int txs_bic_country(const char *p, size_t n, char out[2])
{
    if (p == NULL || (n != 8 && n != 11)) return TXS_E_FORMAT;
    const unsigned char *u = (const unsigned char *)p;
    unsigned letters = cls[u[0]] & cls[u[1]] & cls[u[2]] & cls[u[3]] & cls[u[4]] & cls[u[5]];
    unsigned alnum = (cls[u[6]] != 0) & (cls[u[7]] != 0);
    if (n == 11) alnum &= (cls[u[8]] != 0) & (cls[u[9]] != 0) & (cls[u[10]] != 0);
    if (!(letters & UP) || !alnum || !txs_country_valid(p + 4)) return TXS_E_FORMAT;
    out[0] = p[4];
    out[1] = p[5];
    return TXS_OK;
}
