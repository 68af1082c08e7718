/*
 * fixed.c: numbers as printf writes them, without printf: a whole number
 * ("%llu", txs_fmt_u64) and a double with a few decimals ("%.Nf",
 * txs_fmt_fixed).  Scores and weights are written this way in every
 * alert's evidence and explanation; on a night with many alerts the
 * explanations' printf calls were about 5% of a run's instructions (one
 * call parses its format and converts the double through glibc's
 * arbitrary-precision path).
 *
 * Exactness: a finite double is m * 2^e with m an integer of at most 53
 * bits.  Then v * 10^N = (m * 10^N) * 2^e, and m * 10^N fits in 128 bits
 * for N <= 4, so the digits before the cut and the part cut off are exact
 * integers: the value is rounded to nearest, a tie to the even last digit,
 * which is what glibc's printf does in the default rounding mode (it
 * rounds the exact binary value; 0.125 gives "0.12", 0.375 "0.38").  A
 * negative value, zero included, keeps its sign ("-0.00"), as printf's
 * does.  NaN, infinities and values of 2^53 or more are left to snprintf.
 * tests/unit/test_emit.c compares the two on a few million values.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "txs/emit.h"

size_t txs_fmt_fixed(char *out, double v, int dec)
{
    static const unsigned p10[] = {1, 10, 100, 1000, 10000};
    if (dec < 0 || dec > 4 || !isfinite(v) || fabs(v) >= 9007199254740992.0) {
        int k = snprintf(out, TXS_FMT_FIXED_MAX, "%.*f", dec < 0 ? 0 : dec > 20 ? 20 : dec, v);
        return k > 0 ? (size_t)k : 0;
    }
    int neg = signbit(v) != 0, e;
    double f = frexp(fabs(v), &e); /* |v| = f * 2^e, f in [0.5, 1) or 0 */
    unsigned __int128 m = (unsigned __int128)(unsigned long long)ldexp(f, 53) * p10[dec];
    e -= 53; /* |v| * 10^dec = m * 2^e exactly; e < 0 here */
    unsigned __int128 q;
    if (e >= 0) {
        q = m << e;
    } else if (-e >= 127) {
        q = 0; /* m < 2^67 <= half of 2^-e: rounds to zero */
    } else {
        unsigned sh = (unsigned)-e;
        unsigned __int128 rem = m & (((unsigned __int128)1 << sh) - 1), half = (unsigned __int128)1 << (sh - 1);
        q = m >> sh;
        if (rem > half || (rem == half && (q & 1))) q++;
    }
    char tmp[TXS_FMT_FIXED_MAX];
    size_t n = 0;
    for (int i = 0; i < dec; i++) tmp[n++] = (char)('0' + (unsigned)(q % 10)), q /= 10;
    if (dec) tmp[n++] = '.';
    do tmp[n++] = (char)('0' + (unsigned)(q % 10)), q /= 10;
    while (q);
    if (neg) tmp[n++] = '-';
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

size_t txs_fmt_u64(char *out, uint64_t v)
{
    char tmp[TXS_FMT_U64_MAX], *o = tmp + sizeof tmp;
    do *--o = (char)('0' + v % 10); while ((v /= 10) != 0);
    size_t n = (size_t)(tmp + sizeof tmp - o);
    memcpy(out, o, n);
    return n;
}
