/*
 * emit_int.h: private to engine/src/emit.  The one growth step of txs_buf
 * (buf.c), shared with the JSON writer (json.c) so both reserve room the
 * same way; the fast check is inline because every append makes it.
 */
#ifndef TXS_EMIT_INT_H
#define TXS_EMIT_INT_H

#include <stddef.h>

#include "txs/emit.h"

/* Make room for need more bytes: 0, or -1 with b->oom set. */
int txs__buf_grow(txs_buf *b, size_t need);

static inline int txs__buf_room(txs_buf *b, size_t need)
{
    if (!b->oom && b->cap - b->n >= need) return 0;
    return txs__buf_grow(b, need);
}

#endif /* TXS_EMIT_INT_H */
