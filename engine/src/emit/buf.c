/*
 * buf.c: the growable byte buffer (emit.h) behind every text the engine
 * writes: alert and reject lines, the manifest, and hit evidence.  One
 * buffer, two homes for its bytes: the heap (zero-initialised, realloc'd,
 * txs_buf_free) for outputs that live across batches, or a batch arena
 * (txs_buf_init_arena) for evidence that lives as long as the batch and
 * must not call malloc on the hot path.  The JSON text on top of it is
 * json.c's.
 *
 * Invariants: after a failed growth oom is set and every later append is a
 * no-op, so a caller checks once at the end (oom, or txs_buf_done); an
 * arena buffer grows by taking a larger piece of the arena and copying
 * (the old piece is wasted until the arena is reset: evidence is small).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_int.h"
#include "txs/emit.h"

int txs__buf_grow(txs_buf *b, size_t need)
{
    if (b->oom) return -1;
    if (b->cap - b->n >= need) return 0;
    char *p;
    size_t cap;
    if (b->arena) {
        cap = b->cap * 2;
        while (cap - b->n < need) cap *= 2;
        p = txs_arena_alloc(b->arena, cap);
        if (p != NULL) memcpy(p, b->p, b->n);
    } else {
        cap = b->cap ? b->cap : 4096;
        while (cap - b->n < need) cap *= 2;
        p = realloc(b->p, cap);
    }
    if (p == NULL) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void txs_buf_init_arena(txs_buf *b, txs_arena *a, size_t cap)
{
    b->arena = a;
    b->n = 0;
    b->cap = cap ? cap : 64;
    b->oom = 0;
    b->p = txs_arena_alloc(a, b->cap);
    if (b->p == NULL) {
        b->cap = 0;
        b->oom = 1;
    }
}

int txs_buf_done(const txs_buf *b, txs_slice *out)
{
    if (b->oom) {
        *out = (txs_slice){NULL, 0};
        return TXS_E_NOMEM;
    }
    *out = (txs_slice){b->p, b->n};
    return TXS_OK;
}

void txs_buf_put(txs_buf *b, const void *p, size_t n)
{
    if (n == 0 || txs__buf_room(b, n) != 0) return;
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

void txs_buf_puts(txs_buf *b, const char *s)
{
    txs_buf_put(b, s, strlen(s));
}

void txs_buf_putc(txs_buf *b, char c)
{
    if (txs__buf_room(b, 1) != 0) return;
    b->p[b->n++] = c;
}

void txs_buf_udec(txs_buf *b, uint64_t v)
{
    char d[TXS_FMT_U64_MAX];
    txs_buf_put(b, d, txs_fmt_u64(d, v));
}

void txs_buf_dec(txs_buf *b, int64_t v)
{
    if (v < 0) txs_buf_putc(b, '-');
    txs_buf_udec(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void txs_buf_printf(txs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if ((size_t)k < sizeof tmp) {
        txs_buf_put(b, tmp, (size_t)k);
        return;
    }
    if (txs__buf_room(b, (size_t)k + 1) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

void txs_buf_free(txs_buf *b)
{
    if (b->arena == NULL) free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
    b->arena = NULL;
}
