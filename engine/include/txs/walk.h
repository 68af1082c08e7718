/*
 * walk.h: the one read-parse loop over a source (parse/walk.c): attach the
 * source to a reader, bind the profile to its header, frame batches and
 * parse each framed record, calling back once for the header and once per
 * record.  `txscreen split` and `txscreen eval` (its pass over the inputs)
 * use it; the screening pipeline runs its own threaded loop.
 *
 *   source --reader--> records --binding--> txs_txn | reason --> ops->record
 *
 * A record the reader could not frame comes with t == NULL and why == NULL
 * (rec->error and rec->detail say what is wrong); one that framed but did
 * not parse comes with t == NULL and why (the parse reason).  Record bytes,
 * t and why live until the callback returns (the batch is reused).
 */
#ifndef TXS_WALK_H
#define TXS_WALK_H

#include <stdint.h>

#include "txs/base.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/txn.h"

typedef struct txs_walk_ops {
    /* After binding, before the first record (may be NULL): the header row
     * (n == 0 for JSONL or a header-less CSV). */
    int (*header)(void *ctx, const txs_slice *hdr, size_t n, txs_diag *d);
    /* Every record in order.  A negative return stops the walk with it. */
    int (*record)(void *ctx, const txs_record *rec, const txs_txn *t, const char *why,
                  txs_diag *d);
} txs_walk_ops;

/* Walk src (borrowed; read to its end) with reader rd (created for fmt from
 * profile p) and batch b, as input number index of the run.  Returns TXS_OK,
 * the first negative status a callback returned, or the reader's, binding's
 * or parser's error (TXS_E_NOMEM) with d naming the source. */
int txs_walk_source(txs_reader *rd, txs_batch *b, const txs_profile *p, txs_format fmt,
                    txs_source *src, uint32_t index, const txs_walk_ops *ops, void *ctx,
                    txs_diag *d);

#endif /* TXS_WALK_H */
