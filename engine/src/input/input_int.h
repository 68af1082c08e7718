/*
 * input_int.h: private to the engine.  The pieces of the input stage that
 * more than one file of engine/src/input needs: the CSV scanners (stage 1
 * of framing: per record, AVX2 and scalar; and by windows of many records,
 * AVX2), the record checks (stage 2: quotes, NUL, UTF-8) and the JSON
 * object parser.  (Forcing the scalar scanner, for tests, fuzzers and
 * benchmarks, is public: txs_reader_force_scalar in txs/input.h.)
 *
 * Invariant shared by all of them: a record is scanned from a position that
 * is outside quotes (a record start), and the scanner may read up to 63
 * bytes past its limit (the reader pads its buffer), never using them.
 */
#ifndef TXS_INPUT_INT_H
#define TXS_INPUT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/input.h"

/* Bytes the reader keeps readable (but unused) past the end of its data so
 * the scanner can load whole 64-byte blocks. */
#define TXS__INPUT_PAD 64u

/* The result of scanning one CSV record from its start.
 *
 *   start            seps (delimiters outside quotes)          end (LF)
 *   |a,"b,c",d\r\n   -> fields[0]={a} fields[1]={"b,c"} ... nsep=2
 */
typedef struct txs__csv_scan {
    const char *end;   /* the LF that ends the record, NULL if none before limit */
    const char *last;  /* start of the field after the last separator */
    uint32_t nsep;     /* separators seen (fields = nsep + 1) */
    unsigned flags;    /* TXS__SCAN_* seen before end (or limit) */
    int inquote;       /* end == NULL: the limit fell inside quotes */
} txs__csv_scan;

/* What stage 2 must look at.  Records with no flag set (the common case)
 * are done after the scan. */
#define TXS__SCAN_QUOTE 1u  /* a quote character */
#define TXS__SCAN_NUL 2u    /* a NUL byte */
#define TXS__SCAN_HIGH 4u   /* a byte >= 0x80 */
#define TXS__SCAN_QLF 8u    /* an LF inside quotes (counts as a line) */

/* Stage 1 by windows (csv_index.c): flags that send an indexed record back
 * to the per-record path (scan + csv_check), the reference. */
#define TXS__IDX_SLOW 16u   /* quoting not plainly "...", a NUL, an LF in quotes */
#define TXS__IDX_WIDE 32u   /* more than TXS_MAX_FIELDS fields */

/* One complete record of a window; offsets are from the window start.
 * Its fields are slots f0 .. f0+nsep: the separator-ended ones final
 * (quotes of "..." stripped), the last one running to the LF as is. */
typedef struct txs__csv_rec {
    uint32_t end;    /* its LF (outside quotes) */
    uint32_t last;   /* start of its last field */
    uint32_t f0;     /* slot of its first field */
    uint32_t nsep;   /* separators: the last field's slot is f0 + nsep */
    unsigned flags;  /* TXS__SCAN_HIGH, TXS__IDX_* */
} txs__csv_rec;

/* Index the window [p, p+n), p a record start outside quotes.  The 63 bytes
 * past p+n must be readable and be either input or zero padding: a record
 * may end there.  Writes up to rcap complete records to recs, their fields
 * to fields[0..fcap).  Returns the record count: 0 when the window starts
 * with no complete record of at most TXS_MAX_FIELDS fields, or AVX2 is not
 * compiled in (then use the per-record path).  Needs txs__input_have_simd(). */
size_t txs__input_csv_index(const char *p, size_t n, char delim, char quote,
                            txs_slice *fields, size_t fcap, txs__csv_rec *recs,
                            size_t rcap);

/* Scan [p, limit) for the end of the record that starts at p (p outside
 * quotes).  For every separator i < maxf, fields[i] is set to the bytes
 * before it (quotes still in).  simd selects the AVX2 path, which must be
 * available (txs__input_have_simd).  Both paths give identical results. */
void txs__input_csv_scan(const char *p, const char *limit, char delim,
                         char quote, txs_slice *fields, uint32_t maxf,
                         int simd, txs__csv_scan *out);
/* Whether this CPU runs the AVX2+PCLMUL scanner.  Asks the CPU each time:
 * cheap, and no global state. */
int txs__input_have_simd(void);


/* Offset of the first byte of an invalid UTF-8 sequence in [p, p+n), or n
 * when all of it is valid (no overlongs, surrogates or > U+10FFFF). */
size_t txs__input_utf8_check(const char *p, size_t n);

/* Whether [p, p+n) is valid UTF-8, exactly as txs__input_utf8_check says,
 * 32 bytes a step with AVX2 (needs txs__input_have_simd()). */
int txs__input_utf8_valid_simd(const char *p, size_t n);

/* A reject reason, formatted into the batch arena (never NULL: falls back
 * to a static text when the arena is out of memory). */
const char *txs__input_reason(txs_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Stage 2 for a CSV record whose scan set any of flags:
 * find NUL and invalid UTF-8, check each field's quoting, strip quotes and
 * unescape doubled quotes (into the arena when needed).  fields[0..nf) are
 * updated in place.  Returns TXS_FRAME_OK or an error with *detail set;
 * TXS_E_NOMEM (negative) if the arena fails. */
int txs__input_csv_check(txs_slice raw, txs_slice *fields, uint32_t nf,
                         unsigned flags, char quote, txs_arena *a,
                         const char **detail);

/* Parse one JSON Lines record (raw, line end removed) and set fields[i] to
 * the value of keys[i] (klen[i] its length), {NULL,0} when absent.  Returns
 * TXS_FRAME_OK, TXS_FRAME_NUL/UTF8/JSON with *detail set, or TXS_E_NOMEM. */
int txs__input_json_record(txs_slice raw, const char *const *keys,
                           const size_t *klen, size_t nkeys,
                           txs_slice *fields, txs_arena *a,
                           const char **detail);

#endif /* TXS_INPUT_INT_H */
