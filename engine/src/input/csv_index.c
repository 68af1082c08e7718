/*
 * csv_index.c: the fast stage 1 of CSV framing.  Where csv_scan.c scans one
 * record per call, this indexes a whole window of the read buffer in one
 * pass of 64-byte AVX2 blocks, starting at a record start, and hands the
 * reader a list of complete records:
 *
 *   window  |a,"b,c",d\n1,2,3\n4,"5|          (no LF yet: left to the reader)
 *   recs    {end=9 last=8 f0=0 nsep=2} {end=15 last=14 f0=3 nsep=2}
 *   fields  [a][b,c][d] [1][2][3]              (quotes stripped; a last
 *                                               field runs up to the LF)
 *
 * The quote state is the same parity as csv_scan.c, carried from block to
 * block.  It equals the per-record parity because every record the window
 * holds starts right after an LF outside quotes, where the parity is even.
 * Anything else (a record without an LF in the window: too long,
 * unterminated, at end of input) is not indexed; the reader frames it with
 * the per-record path, which defines the semantics, and re-indexes after it.
 *
 * Per record, stage 1 also notes whether it holds a non-ASCII byte
 * (TXS__SCAN_HIGH: stage 2 checks UTF-8), and TXS__IDX_SLOW when it holds
 * a NUL, an LF inside quotes, or quoting that is not plainly RFC 4180: a
 * quote that opens anywhere but at a field start, a closing quote followed
 * by anything but a delimiter, an LF or CR LF, or a doubled quote (which
 * needs unescaping).  In the other records a field ending in a closing
 * quote is exactly "...", so its slice is stripped right here.  SLOW records
 * and those of more than TXS_MAX_FIELDS fields (WIDE) are framed again by
 * the per-record path, so their reasons are the reference path's.
 * The quote checks are all "look at the byte before", so they stream across
 * blocks with one carried bit each:
 *
 *   open   = quote & inquote                   (parity becomes odd)
 *   close  = quote & ~inquote                  (parity becomes even)
 *   ok before an open:  sep | LF | close | window start
 *   ok after a close:   open | sep | LF | CR, and after "close CR" only LF
 */
#include "input/input_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define TXS_AVX2 __attribute__((target("avx2,pclmul,bmi,popcnt")))

/* Field slots one block may write past the current one: 64 separators or
 * record ends (each end reserves the slot of its record's last field) plus
 * the unconditional stores of emit(). */
#define BLOCK_SLOTS 72u

TXS_AVX2 static inline uint64_t mask64(__m256i lo, __m256i hi)
{
    uint32_t a = (uint32_t)_mm256_movemask_epi8(lo);
    uint32_t b = (uint32_t)_mm256_movemask_epi8(hi);
    return (uint64_t)a | ((uint64_t)b << 32);
}

TXS_AVX2 static inline uint64_t eq64(__m256i lo, __m256i hi, char c)
{
    __m256i v = _mm256_set1_epi8(c);
    return mask64(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
}

/* Bit i of the result is the XOR of bits 0..i of q. */
TXS_AVX2 static inline uint64_t prefix_xor(uint64_t q)
{
    __m128i v = _mm_set_epi64x(0, (long long)q);
    __m128i r = _mm_clmulepi64_si128(v, _mm_set1_epi8(-1), 0);
    return (uint64_t)_mm_cvtsi128_si64(r);
}

/* Write one slice per structural in s (block at offset off): each field
 * runs from *fs to its separator or LF.  The first 8 stores are
 * unconditional (tzcnt of 0 is 64: a harmless slot past the count, inside
 * BLOCK_SLOTS) so typical blocks take no data-dependent branch per field. */
TXS_AVX2 static inline uint32_t emit(const char *p, uint32_t off, uint64_t s, txs_slice *f,
                                      uint32_t w, uint32_t *fs)
{
    if (s == 0) return w;
    uint32_t cnt = (uint32_t)_mm_popcnt_u64(s);
    uint32_t last = off + 63u - (uint32_t)__builtin_clzll(s);
    txs_slice *o = f + w;
    const char *prev = p + *fs, *b = p + off;
    for (int k = 0; k < 8; k++) {
        const char *e = b + _tzcnt_u64(s);
        o[k] = (txs_slice){prev, (size_t)(e - prev)};
        prev = e + 1;
        s = _blsr_u64(s);
    }
    for (int k = 8; s; k++) {
        const char *e = b + _tzcnt_u64(s);
        o[k] = (txs_slice){prev, (size_t)(e - prev)};
        prev = e + 1;
        s = _blsr_u64(s);
    }
    *fs = last + 1;
    return w + cnt;
}

/* Strip the quotes of the fields whose separator (in qs) follows a closing
 * quote: in a record without TXS__IDX_SLOW such a field is exactly "...".
 * st holds all structurals of the block, w0 the slot of its first. */
TXS_AVX2 static inline void strip(txs_slice *f, uint32_t w0, uint64_t st, uint64_t qs)
{
    for (; qs; qs &= qs - 1) {
        txs_slice *x = &f[w0 + (uint32_t)__builtin_popcountll(st & ((qs & (0 - qs)) - 1))];
        x->p++;
        x->n -= 2;
    }
}

/* Hot loop, one iteration per 64-byte block; long because splitting it
 * would pass a dozen carried values around.  Blocks with no quote, NUL or
 * high byte, outside quotes and with no quote check pending (the common
 * case for plain text) take only the compares, the field stores and the LF
 * walk.  No block is masked at n: the bytes up to p+n+63 are either input
 * (records ending there are complete and short enough) or the reader's
 * zero padding (which holds no LF). */
TXS_AVX2 static size_t index_avx2(const char *p, size_t n, char delim, char quote,
                                  txs_slice *f, size_t fcap, txs__csv_rec *recs,
                                  size_t rcap)
{
    const __m256i vq = _mm256_set1_epi8(quote), vz = _mm256_setzero_si256();
    uint64_t carry = 0;               /* inside quotes at the block start: ~0 */
    uint64_t c_pred = 1, c_close = 0, c_acr = 0; /* see the file comment */
    uint32_t w = 0, f0 = 0, fs = 0;   /* next slot, record's first slot, field start */
    unsigned flags = 0;
    size_t nrec = 0;
    for (uint32_t off = 0; off < n && w + BLOCK_SLOTS <= fcap; off += 64) {
        const char *b = p + off;
        __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
        __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
        __m256i qlo = _mm256_cmpeq_epi8(lo, vq), qhi = _mm256_cmpeq_epi8(hi, vq);
        /* A byte's top bit is set for non-ASCII; OR in quote and NUL hits. */
        __m256i slo = _mm256_or_si256(_mm256_or_si256(qlo, lo), _mm256_cmpeq_epi8(lo, vz));
        __m256i shi = _mm256_or_si256(_mm256_or_si256(qhi, hi), _mm256_cmpeq_epi8(hi, vz));
        uint64_t sp = mask64(slo, shi);
        uint64_t lfall = eq64(lo, hi, '\n');
        uint64_t dl = eq64(lo, hi, delim);
        uint64_t inq = carry, close = 0, high = 0, slow = 0, qs = 0;
        int events = (sp | carry | c_close | c_acr) != 0;
        if (events) {
            uint64_t q = mask64(qlo, qhi);
            inq = prefix_xor(q) ^ carry;
            carry = (uint64_t)0 - (inq >> 63);
            high = mask64(lo, hi);
            uint64_t lf = lfall & ~inq, sep = dl & ~inq;
            uint64_t open = q & inq;
            close = q & ~inq;
            uint64_t ac = (close << 1) | c_close;
            /* Rare: a closing quote followed by neither a quote, a separator
             * nor an LF.  Only then is a CR (of CR LF) worth looking for. */
            uint64_t odd = ac & ~(open | sep | lf);
            uint64_t acr = odd ? odd & eq64(lo, hi, '\r') : 0;
            slow = odd & ~acr;                                 /* text after closing quote */
            slow |= ((acr << 1) | c_acr) & ~lf;                /* "x"\r not before LF */
            slow |= open & ~(((sep | lf | close) << 1) | c_pred); /* quote mid-field */
            slow |= open & ac;                                 /* doubled quote */
            slow |= (sp & ~(q | high)) | (lfall & inq);        /* NUL, LF in quotes */
            qs = sep & ac;
            c_close = close >> 63;
            c_acr = acr >> 63;
        }
        uint64_t lf = lfall & ~inq, st = (dl & ~inq) | lf;
        c_pred = (st | close) >> 63;
        uint32_t w0 = w;
        w = emit(p, off, st, f, w, &fs);
        if (qs) strip(f, w0, st, qs);
        uint64_t rest = ~(uint64_t)0; /* bits of the block not yet given to a record */
        for (; lf; lf &= lf - 1) {
            uint64_t end = lf & (0 - lf), seg = (end - 1) & rest;
            uint32_t slot = w0 + (uint32_t)_mm_popcnt_u64(st & (end - 1));
            if (events) flags |= ((high & seg) ? TXS__SCAN_HIGH : 0u) |
                                 ((slow & seg) ? TXS__IDX_SLOW : 0u);
            if (slot - f0 >= TXS_MAX_FIELDS) flags |= TXS__IDX_WIDE;
            recs[nrec++] = (txs__csv_rec){off + (uint32_t)_tzcnt_u64(end),
                                          (uint32_t)(f[slot].p - p), f0, slot - f0, flags};
            if (nrec == rcap) return nrec;
            f0 = slot + 1;
            flags = 0;
            rest = ~((end << 1) - 1);
        }
        if (events) flags |= ((high & rest) ? TXS__SCAN_HIGH : 0u) |
                             ((slow & rest) ? TXS__IDX_SLOW : 0u);
        /* A record this wide is left to the per-record path: stop here. */
        if (w - f0 > TXS_MAX_FIELDS) break;
    }
    return nrec;
}

size_t txs__input_csv_index(const char *p, size_t n, char delim, char quote,
                            txs_slice *fields, size_t fcap, txs__csv_rec *recs,
                            size_t rcap)
{
    if (rcap == 0 || n > UINT32_MAX - 64) return 0;
    return index_avx2(p, n, delim, quote, fields, fcap, recs, rcap);
}

#else

/* No AVX2 here: index nothing, so the reader frames record by record. */
size_t txs__input_csv_index(const char *p, size_t n, char delim, char quote,
                            txs_slice *fields, size_t fcap, txs__csv_rec *recs,
                            size_t rcap)
{
    (void)p, (void)n, (void)delim, (void)quote, (void)fields, (void)fcap;
    (void)recs, (void)rcap;
    return 0;
}

#endif
