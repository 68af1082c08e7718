/*
 * csv_scan.c: stage 1 of CSV framing.  From a record start, find the LF that
 * ends the record (the first LF outside quotes), cut the bytes before it at
 * every delimiter outside quotes, and note whether the record holds any byte
 * that needs stage 2 (a quote, a NUL or a non-ASCII byte).
 *
 * Quote state is plain parity: every quote character toggles it.  That is
 * exact for RFC 4180 input (a doubled quote toggles twice) and well defined
 * for malformed input, which stage 2 then rejects ("quote inside unquoted
 * field", "text after closing quote").  Because it is only parity, it can be
 * computed 64 bytes at a time:
 *
 *   bytes     a , " b , c " , d \n
 *   quote     0 0 1 0 0 0 1 0 0 0
 *   inquote   0 0 1 1 1 1 0 0 0 0   prefix XOR of quote (carry-less
 *                                   multiply by all ones), carried across
 *                                   blocks as 0 or ~0
 *   sep       0 1 0 0 0 0 0 1 0 0   delim & ~inquote
 *   end       0 0 0 0 0 0 0 0 0 1   LF & ~inquote, first one wins
 *
 * The AVX2 path builds those masks with vector compares and walks the
 * separators with count-trailing-zeros; the scalar path walks bytes.  Both
 * implement the same definition and are tested (and fuzzed) against each
 * other.  The AVX2 path may load up to 63 bytes past `limit`; the reader
 * pads its buffer so those loads stay inside it, and their bits are masked.
 */
#include <string.h>

#include "input/input_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TXS_SCAN_AVX2 1
#include <immintrin.h>
#else
#define TXS_SCAN_AVX2 0
#endif


/* The reference implementation: one byte at a time. */
static void scan_scalar(const char *p, const char *limit, char delim,
                        char quote, txs_slice *fields, uint32_t maxf,
                        txs__csv_scan *out)
{
    const char *fs = p;
    uint32_t nsep = 0;
    unsigned flags = 0;
    int inq = 0;
    out->end = NULL;
    for (const char *c = p; c < limit; c++) {
        unsigned char ch = (unsigned char)*c;
        if (ch == (unsigned char)quote) {
            inq ^= 1;
            flags |= TXS__SCAN_QUOTE;
        } else if (ch == 0) {
            flags |= TXS__SCAN_NUL;
        } else if (ch >= 0x80) {
            flags |= TXS__SCAN_HIGH;
        } else if (ch == '\n') {
            if (!inq) {
                out->end = c;
                break;
            }
            flags |= TXS__SCAN_QLF;
        } else if (!inq && ch == (unsigned char)delim) {
            if (nsep < maxf) fields[nsep] = (txs_slice){fs, (size_t)(c - fs)};
            nsep++;
            fs = c + 1;
        }
    }
    out->last = fs;
    out->nsep = nsep;
    out->flags = flags;
    out->inquote = out->end == NULL && inq;
}

#if TXS_SCAN_AVX2
#define TXS_AVX2 __attribute__((target("avx2,pclmul,bmi")))

/* 64 compare results as one bit each, byte order = bit order. */
TXS_AVX2 static inline uint64_t mask64(__m256i lo, __m256i hi)
{
    uint32_t a = (uint32_t)_mm256_movemask_epi8(lo);
    uint32_t b = (uint32_t)_mm256_movemask_epi8(hi);
    return (uint64_t)a | ((uint64_t)b << 32);
}

TXS_AVX2 static inline uint64_t eq64(__m256i lo, __m256i hi, __m256i c)
{
    return mask64(_mm256_cmpeq_epi8(lo, c), _mm256_cmpeq_epi8(hi, c));
}

/* Bit i of the result is the XOR of bits 0..i of q. */
TXS_AVX2 static inline uint64_t prefix_xor(uint64_t q)
{
    __m128i v = _mm_set_epi64x(0, (long long)q);
    __m128i r = _mm_clmulepi64_si128(v, _mm_set1_epi8(-1), 0);
    return (uint64_t)_mm_cvtsi128_si64(r);
}

/* The slow bits of a block: which of quote, NUL, high occur in the bits of
 * keep.  Only called for blocks that have any.  (An LF inside quotes can
 * sit in a block with none of them, so the caller checks that itself.) */
TXS_AVX2 static unsigned block_flags(__m256i lo, __m256i hi, uint64_t q, uint64_t keep)
{
    unsigned f = 0;
    if (q & keep) f |= TXS__SCAN_QUOTE;
    if (eq64(lo, hi, _mm256_setzero_si256()) & keep) f |= TXS__SCAN_NUL;
    if (mask64(lo, hi) & keep) f |= TXS__SCAN_HIGH;
    return f;
}

/* Store the separators of one block as field ends (fields[i].p = the
 * separator; scan_avx2 turns them into slices afterwards).  With room for a
 * whole block, 8 ends are written unconditionally (tzcnt of 0 is 64, a
 * harmless slot past the count) so typical blocks take no data-dependent
 * branch per separator. */
TXS_AVX2 static inline uint32_t put_ends(const char *b, uint64_t sep, txs_slice *fields,
                                         uint32_t nsep, uint32_t maxf)
{
    uint32_t cnt = (uint32_t)__builtin_popcountll(sep);
    if (nsep + 64 <= maxf) {
        txs_slice *f = fields + nsep;
        for (int k = 0; k < 8; k++) {
            f[k].p = b + _tzcnt_u64(sep);
            sep = _blsr_u64(sep);
        }
        for (int k = 8; sep; k++) {
            f[k].p = b + _tzcnt_u64(sep);
            sep = _blsr_u64(sep);
        }
        return nsep + cnt;
    }
    for (; sep; sep &= sep - 1, nsep++)
        if (nsep < maxf) fields[nsep].p = b + _tzcnt_u64(sep);
    return nsep;
}

/* Hot loop: one iteration per 64-byte block.  Blocks without quotes, NULs
 * or high bytes (the common case) skip the carry-less multiply and the flag
 * work: their quote state is the carry. */
TXS_AVX2 static void scan_avx2(const char *p, const char *limit, char delim,
                               char quote, txs_slice *fields, uint32_t maxf,
                               txs__csv_scan *out)
{
    const __m256i vd = _mm256_set1_epi8(delim), vq = _mm256_set1_epi8(quote);
    const __m256i vl = _mm256_set1_epi8('\n'), vz = _mm256_setzero_si256();
    const char *last = p; /* start of the field after the last separator */
    uint32_t nsep = 0;
    uint64_t carry = 0;
    unsigned flags = 0;
    out->end = NULL;
    for (const char *b = p; b < limit; b += 64) {
        size_t left = (size_t)(limit - b);
        uint64_t valid = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
        __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
        __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
        __m256i qlo = _mm256_cmpeq_epi8(lo, vq), qhi = _mm256_cmpeq_epi8(hi, vq);
        /* A byte's top bit is set for non-ASCII; OR in quote and NUL hits. */
        __m256i slo = _mm256_or_si256(_mm256_or_si256(qlo, lo), _mm256_cmpeq_epi8(lo, vz));
        __m256i shi = _mm256_or_si256(_mm256_or_si256(qhi, hi), _mm256_cmpeq_epi8(hi, vz));
        uint64_t sp = mask64(slo, shi) & valid;
        uint64_t lfall = eq64(lo, hi, vl) & valid;
        uint64_t inq = carry, q = 0;
        if (sp) {
            q = mask64(qlo, qhi) & valid;
            inq = prefix_xor(q) ^ carry;
            carry = (uint64_t)0 - (inq >> 63);
        }
        uint64_t lf = lfall & ~inq;
        uint64_t sep = eq64(lo, hi, vd) & ~inq & valid;
        uint64_t keep = lf ? _blsmsk_u64(lf) >> 1 : valid; /* bits before the end */
        if (sp) flags |= block_flags(lo, hi, q, keep);
        if (lfall & inq & keep) flags |= TXS__SCAN_QLF;
        sep &= keep;
        if (sep) {
            last = b + 64 - __builtin_clzll(sep);
            nsep = put_ends(b, sep, fields, nsep, maxf);
        }
        if (lf) {
            out->end = b + _tzcnt_u64(lf);
            break;
        }
    }
    /* Ends -> slices: field i runs from the previous end + 1 to its end. */
    const char *fs = p;
    uint32_t kept = nsep < maxf ? nsep : maxf;
    for (uint32_t i = 0; i < kept; i++) {
        const char *e = fields[i].p;
        fields[i].p = fs;
        fields[i].n = (size_t)(e - fs);
        fs = e + 1;
    }
    out->last = last;
    out->nsep = nsep;
    out->flags = flags;
    out->inquote = out->end == NULL && carry != 0;
}
#endif

void txs__input_csv_scan(const char *p, const char *limit, char delim,
                         char quote, txs_slice *fields, uint32_t maxf,
                         int simd, txs__csv_scan *out)
{
#if TXS_SCAN_AVX2
    if (simd) {
        scan_avx2(p, limit, delim, quote, fields, maxf, out);
        return;
    }
#else
    (void)simd;
#endif
    scan_scalar(p, limit, delim, quote, fields, maxf, out);
}

int txs__input_have_simd(void)
{
#if TXS_SCAN_AVX2
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
#else
    return 0;
#endif
}
