/*
 * amount.c: exact decimal amounts <-> integer minor units.  Part of the
 * parse stage: every record's amount column goes through txs_amount_parse()
 * with the exponent of the record's currency (2 for USD, 0 for JPY, 3 for
 * KWD, 8 for XBT), and emit formats amounts back with txs_amount_format().
 *
 * Invariants: integer arithmetic only (no float, no strtod, no locale); the
 * result is exact or the call fails; every overflow of int64 is detected.
 * The input is an unterminated byte range, read exactly once, left to right.
 *
 * Accepted form, with `decimal` and `group` chosen by the profile:
 *
 *     [+|-] digits-with-groups [ decimal [digits] ]   |   [+|-] decimal digits
 *
 * "1,234.50", "-0.5", ".5", "5." and "+12" are numbers; "", "-", ".", "1e5",
 * " 12", "1,,000" and ",100" are not.  A group separator must sit between two
 * digits of the integer part; group sizes are not checked, so Indian
 * grouping ("12,34,567") passes.  Decimals beyond the exponent are accepted
 * only when they are zeros, so "10.500" is 1050 cents but "10.505" is an
 * error: the engine never rounds money silently.
 */
#include <stdint.h>
#include <string.h>

#include "txs/values.h"

/* 10^18 is the largest power of ten below 2^63, so 18 decimals is the most
 * an int64 amount can carry while still holding a unit. */
#define MAX_EXPONENT 18

static const uint64_t pow10_u64[MAX_EXPONENT + 1] = {
    UINT64_C(1),
    UINT64_C(10),
    UINT64_C(100),
    UINT64_C(1000),
    UINT64_C(10000),
    UINT64_C(100000),
    UINT64_C(1000000),
    UINT64_C(10000000),
    UINT64_C(100000000),
    UINT64_C(1000000000),
    UINT64_C(10000000000),
    UINT64_C(100000000000),
    UINT64_C(1000000000000),
    UINT64_C(10000000000000),
    UINT64_C(100000000000000),
    UINT64_C(1000000000000000),
    UINT64_C(10000000000000000),
    UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000),
};

/* Largest magnitude that still fits after scaling by 10^k: (2^63 - 1) / 10^k
 * for positive amounts, 2^63 / 10^k for negative ones.  A table, because a
 * 64-bit division would cost more than the rest of the parse. */
static const uint64_t max_pos[MAX_EXPONENT + 1] = {
    UINT64_C(9223372036854775807), UINT64_C(922337203685477580), UINT64_C(92233720368547758),
    UINT64_C(9223372036854775),    UINT64_C(922337203685477),    UINT64_C(92233720368547),
    UINT64_C(9223372036854),       UINT64_C(922337203685),       UINT64_C(92233720368),
    UINT64_C(9223372036),          UINT64_C(922337203),          UINT64_C(92233720),
    UINT64_C(9223372),             UINT64_C(922337),             UINT64_C(92233),
    UINT64_C(9223),                UINT64_C(922),                UINT64_C(92),
    UINT64_C(9),
};
static const uint64_t max_neg[MAX_EXPONENT + 1] = {
    UINT64_C(9223372036854775808), UINT64_C(922337203685477580), UINT64_C(92233720368547758),
    UINT64_C(9223372036854775),    UINT64_C(922337203685477),    UINT64_C(92233720368547),
    UINT64_C(9223372036854),       UINT64_C(922337203685),       UINT64_C(92233720368),
    UINT64_C(9223372036),          UINT64_C(922337203),          UINT64_C(92233720),
    UINT64_C(9223372),             UINT64_C(922337),             UINT64_C(92233),
    UINT64_C(9223),                UINT64_C(922),                UINT64_C(92),
    UINT64_C(9),
};

/* Past this, v * 10 exceeds 2^63, what even a negative int64 can hold, so
 * the amount is out of range whatever follows; at or below it v * 10 + 9
 * cannot wrap a uint64, and the final limit check decides. */
#define ACC_CAP ((UINT64_C(1) << 63) / 10)

static int fail(const char **why, const char *reason, int status)
{
    if (why) *why = reason;
    return status;
}

/* Digit value, or >= 10 for any other byte (one compare tests both bounds). */
static unsigned digit(char c)
{
    return (unsigned)(unsigned char)c - (unsigned)'0';
}

/*
 * The hot loop of the parse stage (once per record): one pass, one compare
 * per digit plus one overflow compare that is almost never taken.
 */
int txs_amount_parse(const char *p, size_t n, int exponent, char decimal,
                     char group, int64_t *out, const char **why)
{
    if ((unsigned)exponent > MAX_EXPONENT || out == NULL || decimal == group ||
        (p == NULL && n > 0))
        return fail(why, "bad amount arguments", TXS_E_ARG);
    if (n == 0) return fail(why, "empty", TXS_E_FORMAT);

    const char *s = p, *end = p + n;
    int neg = *s == '-';
    s += (*s == '-' || *s == '+');

    uint64_t v = 0;
    size_t ndig = 0;
    for (; s < end; s++) {
        unsigned d = digit(*s);
        if (d < 10) {
            if (v > ACC_CAP) return fail(why, "amount out of range", TXS_E_LIMIT);
            v = v * 10 + d;
            ndig++;
            continue;
        }
        if (group == 0 || *s != group) break;
        /* A group separator sits between two digits. */
        if (ndig == 0 || s + 1 == end || digit(s[1]) >= 10)
            return fail(why, "misplaced group separator", TXS_E_FORMAT);
    }

    int frac = 0; /* decimals taken into v, at most `exponent` */
    if (s < end && *s == decimal) {
        for (s++; s < end; s++) {
            unsigned d = digit(*s);
            if (d >= 10) break;
            ndig++;
            if (frac < exponent) {
                if (v > ACC_CAP) return fail(why, "amount out of range", TXS_E_LIMIT);
                v = v * 10 + d;
                frac++;
            } else if (d != 0) {
                return fail(why, "too many decimal places for the currency",
                            TXS_E_FORMAT);
            }
        }
    }
    if (s != end || ndig == 0) return fail(why, "not a number", TXS_E_FORMAT);

    /* Scale to minor units and check the sign-dependent limit in one step:
     * v <= floor(limit / 10^k)  <=>  v * 10^k <= limit. */
    int k = exponent - frac;
    if (v > (neg ? max_neg[k] : max_pos[k])) return fail(why, "amount out of range", TXS_E_LIMIT);
    v *= pow10_u64[k];
    /* -(v - 1) - 1 reaches INT64_MIN without converting 2^63 to int64. */
    *out = (neg && v) ? -(int64_t)(v - 1) - 1 : (int64_t)v;
    return TXS_OK;
}

int txs_amount_format(int64_t minor, int exponent, char *buf, size_t cap)
{
    /* 20 digits + sign + point + a leading "0" is the most any exponent
     * up to 18 needs. */
    char tmp[24];
    char *end = tmp + sizeof tmp, *q = end;
    if ((unsigned)exponent > MAX_EXPONENT || buf == NULL) return -1;

    uint64_t m = minor < 0 ? UINT64_C(0) - (uint64_t)minor : (uint64_t)minor;
    int i = 0;
    /* Least significant digit first; the point goes in after `exponent`
     * digits, and at least one digit stands before it ("0.05"). */
    do {
        *--q = (char)('0' + m % 10);
        m /= 10;
        if (++i == exponent) *--q = '.';
    } while (m != 0 || i <= exponent);
    if (minor < 0) *--q = '-';

    size_t len = (size_t)(end - q);
    if (len + 1 > cap) return -1;
    memcpy(buf, q, len);
    buf[len] = '\0';
    return (int)len;
}
