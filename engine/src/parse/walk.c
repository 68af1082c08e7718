/*
 * walk.c: the one read-parse loop over a source (txs/walk.h): reader
 * attached, profile bound to the header, every batch framed and each framed
 * record parsed into the batch arena, then handed to the caller.
 *
 * Invariant: every record the reader yields reaches ops->record exactly
 * once, in order, whether it framed, parsed or neither; an error from the
 * reader names the source with the reader's (else the source's) reason.
 */
#include <stdio.h>

#include "txs/walk.h"

static int source_error(txs_reader *rd, txs_source *src, int rc, txs_diag *d)
{
    const char *e = txs_reader_error(rd);
    if (e == NULL || *e == '\0') e = txs_source_error(src);
    if (e == NULL || *e == '\0') e = txs_strerror(rc);
    return txs_diag_set(d, rc, txs_source_name(src), 0, "%s", e);
}

int txs_walk_source(txs_reader *rd, txs_batch *b, const txs_profile *p, txs_format fmt,
                    txs_source *src, uint32_t index, const txs_walk_ops *ops, void *ctx,
                    txs_diag *d)
{
    int rc = txs_reader_attach(rd, src);
    if (rc < 0) return source_error(rd, src, rc, d);
    size_t nh;
    const txs_slice *hdr = txs_reader_header(rd, &nh);
    txs_binding *bind = NULL;
    TXS_TRY(txs_profile_bind(p, fmt, hdr, nh, txs_source_name(src), index, &bind, d));
    if (ops->header) rc = ops->header(ctx, hdr, nh, d);
    char why[256];
    while (rc >= 0) {
        int k = txs_reader_next(rd, b);
        if (k <= 0) {
            if (k < 0) rc = source_error(rd, src, k, d);
            break;
        }
        for (size_t j = 0; j < b->n && rc >= 0; j++) {
            const txs_record *rec = &b->rec[j];
            if (rec->error != TXS_FRAME_OK) {
                rc = ops->record(ctx, rec, NULL, NULL, d);
                continue;
            }
            txs_txn t;
            int prc = txs_parse_record(bind, rec, &b->arena, &t, why, sizeof why);
            if (prc == TXS_E_NOMEM) {
                rc = txs_diag_set(d, prc, txs_source_name(src), rec->line, "out of memory");
                break;
            }
            rc = ops->record(ctx, rec, prc == 0 ? &t : NULL, prc == 0 ? NULL : why, d);
        }
    }
    txs_binding_free(bind);
    return rc < 0 ? rc : TXS_OK;
}
