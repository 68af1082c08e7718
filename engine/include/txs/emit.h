/*
 * emit.h: the last stage.  Outputs are written atomically: a named file is
 * written to a temporary beside it and renamed into place only when the run
 * succeeds, so a failed or interrupted run never leaves a half-written file
 * (an existing file of that name stays as it was).  "-" means stdout, which
 * is streamed as it is produced.
 *
 * Alerts and rejects are JSON Lines built into a growable buffer per batch
 * (txs_buf) and handed to a sink in one write; the JSON text is produced by
 * the helpers below so every output escapes strings the same way.
 */
#ifndef TXS_EMIT_H
#define TXS_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

/* --------------------------------------------------------------- buffers */

/* A growable byte buffer.  Zero-initialise ({0}) before use. */
typedef struct txs_buf {
    char *p;
    size_t n, cap;
    int oom;    /* set when a growth failed; later appends are ignored */
} txs_buf;

void txs_buf_put(txs_buf *b, const void *p, size_t n);
void txs_buf_puts(txs_buf *b, const char *s);
void txs_buf_putc(txs_buf *b, char c);
void txs_buf_printf(txs_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A JSON string literal, quotes included.  Control characters are escaped;
 * bytes that are not valid UTF-8 are written as the six characters \\xNN
 * (a visible backslash, so the output stays valid JSON and the byte value
 * stays readable). */
void txs_buf_json_str(txs_buf *b, const char *p, size_t n);
/* A number with up to 4 decimals, trailing zeros trimmed ("1", "0.35"). */
void txs_buf_json_num(txs_buf *b, double v);
void txs_buf_free(txs_buf *b);
/* One reject line (docs/outputs.md "Rejects"): {"file","line","offset",
 * "reason","excerpt"} and a newline; the excerpt is raw's first
 * TXS_EXCERPT_BYTES bytes, cut back to a character start. */
void txs_buf_reject(txs_buf *b, const char *file, uint64_t line, uint64_t offset,
                    const char *why, txs_slice raw);

/* --------------------------------------------------------------- outputs */

typedef struct txs_out txs_out;

/* Open an output: "-" is stdout; any other path is written to a temporary
 * file in the same directory until txs_out_commit().  d names the path on
 * failure. */
int txs_out_open(const char *path, txs_out **out, txs_diag *d);
/* Append bytes (buffered).  TXS_E_OUTPUT on failure, with d filled. */
int txs_out_write(txs_out *o, const void *p, size_t n, txs_diag *d);
/* Flush, fsync and rename into place; frees o.  On failure the temporary is
 * removed and d says why. */
int txs_out_commit(txs_out *o, txs_diag *d);
/* Remove the temporary and free; accepts NULL. */
void txs_out_abort(txs_out *o);
/* The path as given. */
const char *txs_out_path(const txs_out *o);

#endif /* TXS_EMIT_H */
