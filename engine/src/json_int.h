/*
 * json_int.h: private to the engine.  A tiny JSON text writer into the batch
 * arena, for hit evidence now and for the emit stage later.  It writes
 * compact JSON (no spaces); strings are escaped per RFC 8259, and a byte
 * that is not valid UTF-8 becomes the visible text \\xNN (a backslash, x
 * and two hex digits), so the output is always valid UTF-8 JSON and the
 * byte value stays readable.  txs__json_escape() is the one escaper: the
 * emit stage's output buffers use it too.
 *
 *   txs_jbuf b; txs__json_init(&b, arena, 256);
 *   txs__json_lit(&b, "{\"k\":"); txs__json_str(&b, p, n); txs__json_lit(&b, "}");
 *   if (txs__json_done(&b, &slice) < 0) -> out of memory
 *
 * The buffer grows by taking a larger piece of the arena and copying (the
 * old piece is wasted until the arena is reset: evidence is small).  After
 * an allocation failure every call is a no-op and done() reports it.  Not
 * thread-safe (neither is the arena); no malloc.
 */
#ifndef TXS_JSON_INT_H
#define TXS_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"

typedef struct txs_jbuf {
    txs_arena *arena;
    char *p;
    size_t n, cap;
    int err;        /* TXS_E_NOMEM once an allocation failed */
} txs_jbuf;

/* Most bytes txs__json_escape() writes for n input bytes (every byte a
 * six-byte escape, plus the quotes). */
#define TXS__JSON_ESCAPED_MAX(n) ((n) * 6 + 2)

/* Write p[0..n) as a quoted, escaped JSON string at dst, which must have
 * TXS__JSON_ESCAPED_MAX(n) bytes; returns the bytes written. */
size_t txs__json_escape(char *dst, const char *p, size_t n);

/* Start an empty buffer with room for cap bytes (grows as needed). */
void txs__json_init(txs_jbuf *b, txs_arena *a, size_t cap);
/* Append raw bytes (already JSON: punctuation, numbers, literals). */
void txs__json_raw(txs_jbuf *b, const char *p, size_t n);
/* Append a NUL-terminated raw string. */
void txs__json_lit(txs_jbuf *b, const char *s);
/* Append p[0..n) as a quoted, escaped JSON string. */
void txs__json_str(txs_jbuf *b, const char *p, size_t n);
/* Append a NUL-terminated string quoted and escaped; NULL writes null. */
void txs__json_cstr(txs_jbuf *b, const char *s);
/* Append ,"key": (comma unless first) -- keys are trusted literals. */
void txs__json_key(txs_jbuf *b, const char *key, int first);
/* The text written so far as a slice into the arena; 0 or TXS_E_NOMEM. */
int txs__json_done(txs_jbuf *b, txs_slice *out);

#endif /* TXS_JSON_INT_H */
