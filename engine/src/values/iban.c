/*
 * iban.c: ISO 13616 IBANs (values.h "IBAN"): is this text an IBAN, and of
 * which country.  Part of the values layer so that every reader can type an
 * account (the payment readers reject an ISO 20022 <IBAN> whose check digits
 * fail and call an MT account an IBAN only when it is one) and screening can
 * key identifiers by it (screen/idents.c, screen/iban.c).
 *
 * Validation, in order: letters and digits only once spaces are dropped
 * (the print form groups by four: "GB29 NWBK 6016 1331 9268 19"), any case;
 * a country with a known IBAN length; that length; two check digits 02-98;
 * the number rearranged (first four characters moved to the end, letters
 * as 10..35) is 1 modulo 97 (ISO 7064 MOD 97-10).  The BBAN's per-country
 * structure (which positions are digits) is not checked: the check digits
 * already catch every single-character error and most others.
 *
 * Lengths: the SWIFT IBAN Registry (the ISO 13616 registration authority's
 * list, https://www.swift.com/standards/data-standards/iban-international-bank-account-number,
 * release 100 era, 89 countries), plus national IBAN formats in use that
 * the registry does not carry (NATIONAL below).  Territories that use
 * their parent's code (Aland -> FI, Guadeloupe -> FR, Jersey -> GB ...)
 * need no entry: their IBANs start with the parent's code.
 */
#include <string.h>

#include "txs/values.h"

typedef struct ilen {
    char cc[3];
    unsigned char len;
} ilen;

/* SWIFT IBAN Registry: country code and IBAN length, sorted by code. */
static const ilen REGISTRY[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
    {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
    {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
    {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
    {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
    {"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
    {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
    {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

/* National IBAN formats in use but not in the SWIFT registry.  Iran's
 * central bank assigns every account a 26-character IBAN ("Sheba": IR,
 * two check digits, 22 digits) with the standard MOD 97-10 check; Iran
 * matters for sanctions screening, so it is accepted.  Cuba, North Korea
 * and Syria have no IBAN scheme: a "CU"/"KP"/"SY" account is never a valid
 * IBAN here. */
static const ilen NATIONAL[] = {{"IR", 26}};

static int find_len(const ilen *t, size_t n, const char cc[2])
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(t[mid].cc, cc, 2);
        if (c == 0) return t[mid].len;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

int txs_iban_country_length(const char cc[2])
{
    int n = find_len(REGISTRY, sizeof REGISTRY / sizeof *REGISTRY, cc);
    return n ? n : find_len(NATIONAL, sizeof NATIONAL / sizeof *NATIONAL, cc);
}

static int fail(const char **why, const char *w)
{
    if (why) *why = w;
    return TXS_E_FORMAT;
}

int txs_iban_parse(const char *p, size_t n, txs_iban *out, const char **why)
{
    out->n = 0;
    out->text[0] = '\0';
    if (p == NULL) return fail(why, "empty");
    size_t k = 0;
    /* a print form has at most one space per four characters; allow some
     * slack, but never scan an unbounded field */
    if (n > 2 * TXS_IBAN_MAX) return fail(why, "too long");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 32);
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return fail(why, "not letters and digits");
        if (k == TXS_IBAN_MAX) return fail(why, "too long");
        out->text[k++] = (char)c;
    }
    out->text[k] = '\0';
    if (k < 5) return fail(why, "too short");
    const char *t = out->text;
    if (t[0] < 'A' || t[0] > 'Z' || t[1] < 'A' || t[1] > 'Z')
        return fail(why, "no country code");
    if (t[2] < '0' || t[2] > '9' || t[3] < '0' || t[3] > '9')
        return fail(why, "no check digits");
    int len = txs_iban_country_length(t);
    if (len == 0) return fail(why, "country without an IBAN format");
    if ((int)k != len) return fail(why, "wrong length for the country");
    int cd = (t[2] - '0') * 10 + (t[3] - '0');
    if (cd < 2 || cd > 98) return fail(why, "check digits out of range");
    unsigned r = 0;
    for (size_t i = 0; i < k; i++) {
        char c = t[(i + 4) % k];
        if (c >= 'A') r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else r = (r * 10 + (unsigned)(c - '0')) % 97;
    }
    if (r != 1) return fail(why, "check digits do not match");
    out->n = k;
    out->country[0] = t[0], out->country[1] = t[1];
    return 0;
}
