/*
 * base.h: the basics every stage shares: the status codes, the borrowed byte
 * slice, and the build-time diagnostic record.
 *
 * Status codes come from one X-macro list so that the enum, txs_strerror()
 * and the CLI's exit-code mapping can never drift apart.  Zero is success;
 * every error is negative.  Functions that can fail return int: a status.
 *
 * A txs_slice borrows bytes it does not own.  It is never NUL terminated by
 * contract; code that needs a C string copies.
 */
#ifndef TXS_BASE_H
#define TXS_BASE_H

#include <stddef.h>
#include <stdint.h>

/* X(name, value, message).  Values are stable: they appear in logs. */
#define TXS_STATUS_MAP(X)                                                   \
    X(OK, 0, "success")                                                    \
    X(E_NOMEM, -1, "out of memory")                                        \
    X(E_IO, -2, "input/output error")                                      \
    X(E_ARG, -3, "invalid argument")                                       \
    X(E_CONFIG, -4, "invalid configuration file")                          \
    X(E_FORMAT, -5, "malformed input")                                     \
    X(E_LIMIT, -6, "a configured limit was exceeded")                      \
    X(E_UNSUPPORTED, -7, "not supported")                                  \
    X(E_NOTFOUND, -8, "not found")                                         \
    X(E_DECOMPRESS, -9, "corrupt compressed input")                        \
    X(E_OUTPUT, -10, "output error")                                       \
    X(E_PUBLISH, -11, "outputs committed but not all published")

typedef enum txs_status {
#define TXS_X_ENUM(name, value, msg) TXS_##name = value,
    TXS_STATUS_MAP(TXS_X_ENUM)
#undef TXS_X_ENUM
} txs_status;

/* Message for a status code; never NULL, static storage. Thread-safe. */
const char *txs_strerror(int status);

/* A borrowed run of bytes: {pointer, length}.  Not NUL terminated. */
typedef struct txs_slice {
    const char *p;
    size_t n;
} txs_slice;

#define TXS_SLICE_LIT(s) ((txs_slice){(s), sizeof(s) - 1})

/* Compare a slice with a NUL-terminated string (exact, case-sensitive). */
int txs_slice_eq(txs_slice a, const char *s);
/* The same, ASCII case-insensitive. */
int txs_slice_eq_nocase(txs_slice a, const char *s);

/*
 * A build-time diagnostic: which file, which line, what is wrong.  Loaders of
 * profiles, rule sets and lists fill it before returning an error, so the CLI
 * can print "FILE:LINE: MESSAGE" and stop before any output.  line is 0 when
 * the error is not tied to a line.
 */
typedef struct txs_diag {
    char file[512];
    unsigned long line;
    char msg[512];
} txs_diag;

/* Fill d (may be NULL) printf-style; returns status so callers can
 * `return txs_diag_set(d, TXS_E_CONFIG, file, line, "...")`. */
int txs_diag_set(txs_diag *d, int status, const char *file, unsigned long line,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/*
 * Read a whole file into *out (malloc'ed, with a NUL after the n bytes, so
 * text can be used as a C string).  Returns 0, TXS_E_NOTFOUND when the file
 * does not exist, TXS_E_IO (cannot open or read), or TXS_E_NOMEM; d names
 * the path and the reason.  For configuration-sized files (rule sets,
 * labels, state, shard outputs), not for exports, which are streamed.
 */
int txs_file_read(const char *path, char **out, size_t *n, txs_diag *d);

/* The UTF-8 bytes of code point cp (at most 0x10FFFF) into o[0..4);
 * returns how many. */
size_t txs_utf8_put(char *o, uint32_t cp);

/* The value of the 4 hex digits at p[0..4) (the caller checked they are
 * there), or -1 when one is not a hex digit.  JSON's \uXXXX. */
long txs_hex4(const char *p);
/* Decode the body of a JSON string (between the quotes) that was already
 * checked against RFC 8259 (every escape valid, surrogates paired) into o,
 * which has room for n bytes: the decoded text is never longer.  Returns the
 * decoded length.  The one unescaper of the JSON readers (input/jsonl.c and
 * json/read.c). */
size_t txs_json_unescape(const char *p, size_t n, char *o);

/* The slot table of an open-addressing index over n records of `stride`
 * bytes at v, each keyed by the 64-bit hash at byte offset `hoff`: ns slots
 * (a power of two, more than n, so every probe ends at an empty slot), slot
 * j holding record index + 1 or 0 when empty, records placed by linear
 * probing from hash & (ns - 1) in index order.  NULL when out of memory.
 * The one rebuild of the case table (cases/cases.c) and of the state's
 * counterparty and case registers (rules/state_cpty.c, state_cases.c). */
uint32_t *txs_slots_build(const void *v, size_t n, size_t stride, size_t hoff, size_t ns);

/* Propagate an error status (debug builds could trace here). */
#define TXS_TRY(expr)                                                      \
    do {                                                                   \
        int txs_try_rc_ = (expr);                                          \
        if (txs_try_rc_ < 0) return txs_try_rc_;                           \
    } while (0)

#define TXS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Eight bytes at a time: the top bit of each byte of x equal to c, exact
 * for the first such byte (later ones may be set wrongly after it: the
 * borrow of x ^ c... - 1 runs on), zero when none is.  So "is there one"
 * and "where is the first" (ctz / 8, little-endian) are exact. */
static inline uint64_t txs_bytes_eq8(uint64_t x, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ull, top = 0x8080808080808080ull;
    uint64_t y = x ^ (ones * c);
    return (y - ones) & ~y & top;
}

#endif /* TXS_BASE_H */
