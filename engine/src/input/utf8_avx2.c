/*
 * utf8_avx2.c: a yes/no UTF-8 check, 32 bytes per step, for the fast CSV
 * path.  It accepts exactly what txs__input_utf8_check (csv_check.c, the
 * reference) accepts; when it says no, the caller runs the reference to
 * find the offset for the reason text, so only the yes answer needs speed.
 *
 * The method is the lookup-table validator of Keiser and Lemire ("Validating
 * UTF-8 in less than one instruction per byte", 2021), written here from the
 * paper: each byte and the one before it are classified by three 16-entry
 * tables (high nibble of the previous byte, its low nibble, high nibble of
 * this byte); the AND of the three lookups is non-zero exactly for the
 * invalid two-byte patterns (too short, too long, overlong, surrogate,
 * above U+10FFFF, continuation after continuation).  The one pattern that
 * needs more context, a continuation that must be the 3rd or 4th byte of a
 * sequence, is settled by looking 2 and 3 bytes back.  The bytes before the
 * first non-ASCII byte are ASCII, so checking starts there with a zero
 * history, and the input is followed by zeros (ASCII), which makes a
 * sequence cut short at the end an error.
 */
#include <string.h>

#include "input/input_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define TXS_AVX2 __attribute__((target("avx2")))

/* Error classes (bits of the table entries). */
#define TOO_SHORT (1 << 0)  /* lead byte then a non-continuation */
#define TOO_LONG (1 << 1)   /* ASCII then a continuation */
#define OVERLONG_3 (1 << 2) /* E0 80..9F */
#define TOO_LARGE (1 << 3)  /* F4 90..BF, F5.. */
#define SURROGATE (1 << 4)  /* ED A0..BF */
#define OVERLONG_2 (1 << 5) /* C0 / C1 lead */
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4 (1 << 6) /* F0 80..8F */
#define TWO_CONTS (1 << 7)  /* continuation then continuation */
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

/* A 16-entry table in both 128-bit lanes (vpshufb looks up per lane). */
TXS_AVX2 static inline __m256i table(const unsigned char *t16)
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t16));
}

#define LARGE (CARRY | TOO_LARGE | TOO_LARGE_1000)
#define CONT2 (TOO_LONG | OVERLONG_2 | TWO_CONTS)

/* Indexed by the previous byte's high nibble. */
static const unsigned char byte1_high[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
    TOO_SHORT | OVERLONG_3 | SURROGATE, TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4};
/* Indexed by the previous byte's low nibble. */
static const unsigned char byte1_low[16] = {
    CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
    CARRY | TOO_LARGE, LARGE, LARGE, LARGE, LARGE, LARGE, LARGE, LARGE, LARGE,
    LARGE | SURROGATE, LARGE, LARGE};
/* Indexed by this byte's high nibble. */
static const unsigned char byte2_high[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    CONT2 | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4, CONT2 | OVERLONG_3 | TOO_LARGE,
    CONT2 | SURROGATE | TOO_LARGE, CONT2 | SURROGATE | TOO_LARGE,
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT};

/* The input shifted right by k bytes across the 32-byte step, the missing
 * bytes taken from the end of prev. */
#define PREV(in, prev, k) _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (k))

typedef struct utf8_tabs {
    __m256i b1h, b1l, b2h, nib;
} utf8_tabs;

TXS_AVX2 static inline __m256i step(__m256i in, __m256i prev, const utf8_tabs *t)
{
    __m256i p1 = PREV(in, prev, 1);
    __m256i hi1 = _mm256_and_si256(_mm256_srli_epi16(p1, 4), t->nib);
    __m256i lo1 = _mm256_and_si256(p1, t->nib);
    __m256i hi2 = _mm256_and_si256(_mm256_srli_epi16(in, 4), t->nib);
    __m256i sc = _mm256_and_si256(_mm256_and_si256(_mm256_shuffle_epi8(t->b1h, hi1),
                                                   _mm256_shuffle_epi8(t->b1l, lo1)),
                                  _mm256_shuffle_epi8(t->b2h, hi2));
    /* Only bytes >= 0xE0 two back or >= 0xF0 three back reach 0x80 here. */
    __m256i third = _mm256_subs_epu8(PREV(in, prev, 2), _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(PREV(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23, sc);
}

TXS_AVX2 static int valid_avx2(const unsigned char *s, size_t n)
{
    const utf8_tabs t = {table(byte1_high), table(byte1_low), table(byte2_high),
                         _mm256_set1_epi8(0x0F)};
    size_t i = 0;
    /* Skip the ASCII prefix 32 bytes at a time; history stays zero. */
    for (; i + 32 <= n; i += 32) {
        uint32_t m = (uint32_t)_mm256_movemask_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(s + i)));
        if (m) {
            i += (size_t)__builtin_ctz(m);
            break;
        }
    }
    /* Non-zero where the last 3 bytes of a step start a sequence that needs
     * bytes of the next step: then an all-ASCII next step is an error. */
    static const unsigned char open_max_b[32] = {
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0xF0 - 1, 0xE0 - 1,
        0xC0 - 1};
    const __m256i open_max = _mm256_loadu_si256((const __m256i *)(const void *)open_max_b);
    __m256i prev = _mm256_setzero_si256(), err = _mm256_setzero_si256(), open = prev;
    for (; i + 32 <= n; i += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        if (_mm256_movemask_epi8(in) == 0) {
            err = _mm256_or_si256(err, open); /* ASCII: only a cut-off sequence can fail */
        } else {
            err = _mm256_or_si256(err, step(in, prev, &t));
            open = _mm256_subs_epu8(in, open_max);
        }
        prev = in;
    }
    /* The tail, then one step of zeros: a cut-off sequence meets ASCII. */
    unsigned char tail[32] = {0};
    memcpy(tail, s + i, n - i);
    __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)tail);
    err = _mm256_or_si256(err, step(in, prev, &t));
    err = _mm256_or_si256(err, step(_mm256_setzero_si256(), in, &t));
    return _mm256_testz_si256(err, err);
}

int txs__input_utf8_valid_simd(const char *p, size_t n)
{
    return valid_avx2((const unsigned char *)p, n);
}

#else

int txs__input_utf8_valid_simd(const char *p, size_t n)
{
    return txs__input_utf8_check(p, n) == n;
}

#endif
