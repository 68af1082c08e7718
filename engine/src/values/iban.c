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
 * the registry does not carry (the table's last rows).  Territories that use
 * their parent's code (Aland -> FI, Guadeloupe -> FR, Jersey -> GB ...)
 * need no entry: their IBANs start with the parent's code.
 */

#include <stdint.h>
#include <string.h>

#include "txs/values.h"
#include "values/values_int.h"

/* IBAN length by country code: LEN[first letter][second letter], 0 for
 * a code without an IBAN format.  One load per look-up: every record's two
 * accounts are asked about (most are not IBANs). */
#define L(a, b, n) [(a) - 'A'][(b) - 'A'] = n
static const unsigned char LEN[26][26] = {
    /* SWIFT IBAN Registry */
    L('A', 'D', 24), L('A', 'E', 23), L('A', 'L', 28), L('A', 'T', 20), L('A', 'Z', 28),
    L('B', 'A', 20), L('B', 'E', 16), L('B', 'G', 22), L('B', 'H', 22), L('B', 'I', 27),
    L('B', 'R', 29), L('B', 'Y', 28), L('C', 'H', 21), L('C', 'R', 22), L('C', 'Y', 28),
    L('C', 'Z', 24), L('D', 'E', 22), L('D', 'J', 27), L('D', 'K', 18), L('D', 'O', 28),
    L('E', 'E', 20), L('E', 'G', 29), L('E', 'S', 24), L('F', 'I', 18), L('F', 'K', 18),
    L('F', 'O', 18), L('F', 'R', 27), L('G', 'B', 22), L('G', 'E', 22), L('G', 'I', 23),
    L('G', 'L', 18), L('G', 'R', 27), L('G', 'T', 28), L('H', 'N', 28), L('H', 'R', 21),
    L('H', 'U', 28), L('I', 'E', 22), L('I', 'L', 23), L('I', 'Q', 23), L('I', 'S', 26),
    L('I', 'T', 27), L('J', 'O', 30), L('K', 'W', 30), L('K', 'Z', 20), L('L', 'B', 28),
    L('L', 'C', 32), L('L', 'I', 21), L('L', 'T', 20), L('L', 'U', 20), L('L', 'V', 21),
    L('L', 'Y', 25), L('M', 'C', 27), L('M', 'D', 24), L('M', 'E', 22), L('M', 'K', 19),
    L('M', 'N', 20), L('M', 'R', 27), L('M', 'T', 31), L('M', 'U', 30), L('N', 'I', 28),
    L('N', 'L', 18), L('N', 'O', 15), L('O', 'M', 23), L('P', 'K', 24), L('P', 'L', 28),
    L('P', 'S', 29), L('P', 'T', 25), L('Q', 'A', 29), L('R', 'O', 24), L('R', 'S', 22),
    L('R', 'U', 33), L('S', 'A', 24), L('S', 'C', 31), L('S', 'D', 18), L('S', 'E', 24),
    L('S', 'I', 19), L('S', 'K', 24), L('S', 'M', 27), L('S', 'O', 23), L('S', 'T', 25),
    L('S', 'V', 28), L('T', 'L', 23), L('T', 'N', 24), L('T', 'R', 26), L('U', 'A', 29),
    L('V', 'A', 22), L('V', 'G', 24), L('X', 'K', 20), L('Y', 'E', 30),
    /* National IBAN formats in use but not in the SWIFT registry.  Iran's
     * central bank assigns every account a 26-character IBAN ("Sheba": IR,
     * two check digits, 22 digits) with the standard MOD 97-10 check; Iran
     * matters for sanctions screening, so it is accepted.  Cuba, North
     * Korea and Syria have no IBAN scheme: a "CU"/"KP"/"SY" account is
     * never a valid IBAN here. */
    L('I', 'R', 26),
};
#undef L

int txs_iban_country_length(const char cc[2])
{
    unsigned a = (unsigned char)cc[0] - 'A', b = (unsigned char)cc[1] - 'A';
    return a < 26 && b < 26 ? LEN[a][b] : 0;
}

/* A byte as the IBAN's text holds it: a digit as itself, a letter in upper
 * case, a space as ' ' (dropped), anything else 0. */
#define D(c) [c] = (c)
#define A(c) [c] = (c), [(c) + 32] = (c)
static const char UP[256] = {
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    A('A'), A('B'), A('C'), A('D'), A('E'), A('F'), A('G'), A('H'), A('I'), A('J'),
    A('K'), A('L'), A('M'), A('N'), A('O'), A('P'), A('Q'), A('R'), A('S'), A('T'),
    A('U'), A('V'), A('W'), A('X'), A('Y'), A('Z'), [' '] = ' ',
};
#undef D
#undef A

/* Eight decimal digits at p as their number (0 to 99,999,999), or -1 when
 * one of the bytes is not a digit: one 8-byte load, a range check on every
 * byte at once, then pairs, fours and the eight combined by multiplies (the
 * lowest byte is the first, most significant digit). */
static int64_t digits8(const char *p)
{
    uint64_t d = txs__digits_at8(p, 0x3030303030303030ull, 0);
    if (d == ~(uint64_t)0) return -1;
    d = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFull;
    d = (d * 100 + (d >> 16)) & 0x0000FFFF0000FFFFull;
    return (int64_t)((d * 10000 + (d >> 32)) & 0xFFFFFFFFull);
}

/* 10^0 .. 10^7. */
static const uint32_t POW10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

/* r followed by the characters [p, e) of the IBAN's text (which starts at
 * lo), a letter standing for its two digits (A = 10 ... Z = 35), modulo 97:
 * runs of eight digits at a time (most BBANs are all digits), a last run
 * of fewer from the eight bytes that end it when they are all digits, else
 * one character.  The remainder is taken before each run and otherwise
 * only once r reaches 2^56, so that nothing overflows: the same value
 * modulo 97 as reducing at every character. */
static uint64_t mod97(uint64_t r, const char *lo, const char *p, const char *e)
{
    while (p < e) {
        size_t left = (size_t)(e - p);
        int64_t c = left >= 8 ? digits8(p) : e - lo >= 8 ? digits8(e - 8) : -1;
        if (c >= 0) {
            if (left >= 8) {
                r = r % 97 * 100000000u + (uint64_t)c;
                p += 8;
            } else {
                r = r % 97 * POW10[left] + (uint64_t)c % POW10[left];
                p = e;
            }
            continue;
        }
        unsigned x = *p <= '9' ? (unsigned)(*p - '0') : (unsigned)(*p - 'A' + 10);
        r = r * (x < 10 ? 10u : 100u) + x;
        if (r >> 56) r %= 97;
        p++;
    }
    return r % 97;
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
    /* Screening asks about every account and needs no reason: one that
     * starts with two letters of no IBAN country is none (with a reason
     * wanted, the checks below run in their order), ... */
    if (why == NULL && n >= 2 && p[0] != ' ' && p[1] != ' ') {
        char cc[2] = {(char)((unsigned char)p[0] & ~0x20u), (char)((unsigned char)p[1] & ~0x20u)};
        /* and one of fewer bytes than its country's length is none either:
         * most accounts, which are not IBANs, stop here */
        int len = txs_iban_country_length(cc);
        if (len == 0 || n < (size_t)len) return TXS_E_FORMAT;
    }
    size_t k = 0;
    char *t = out->text;
    /* a print form has at most one space per four characters; allow some
     * slack, but never scan an unbounded field */
    if (n > 2 * TXS_IBAN_MAX) return fail(why, "too long");
    size_t i = 0;
    for (; n - i >= 8 && k + 8 <= TXS_IBAN_MAX && txs_upper_alnum8(p + i); i += 8, k += 8)
        memcpy(t + k, p + i, 8);
    for (; i < n; i++) {
        char c = UP[(unsigned char)p[i]];
        if (c <= ' ') {
            if (c == ' ') continue;
            t[k] = '\0';
            return fail(why, "not letters and digits");
        }
        if (k == TXS_IBAN_MAX) return t[k] = '\0', fail(why, "too long");
        t[k++] = c;
    }
    t[k] = '\0';
    if (k < 5) return fail(why, "too short");
    if (t[0] <= '9' || t[1] <= '9') return fail(why, "no country code");
    if (t[2] > '9' || t[3] > '9') return fail(why, "no check digits");
    int len = txs_iban_country_length(t);
    if (len == 0) return fail(why, "country without an IBAN format");
    if ((int)k != len) return fail(why, "wrong length for the country");
    int cd = (t[2] - '0') * 10 + (t[3] - '0');
    if (cd < 2 || cd > 98) return fail(why, "check digits out of range");
    /* ISO 7064 MOD 97-10 of the number with its first four characters
     * moved to the end. */
    if (mod97(mod97(0, t, t + 4, t + k), t, t, t + 4) != 1) return fail(why, "check digits do not match");
    out->n = k;
    out->country[0] = t[0], out->country[1] = t[1];
    return 0;
}
