/*
 * fuzz_pay_util.h: the body of the payments fuzz targets (fuzz_mx.c,
 * fuzz_mt.c), which differ only in the format they force.  Every reject
 * must name its reason and every transaction must be complete (a kind, a
 * file, its parties' roles in range); the counts must account for every
 * message.  One reader serves every input, as it serves every file of a run.
 */
#ifndef TXS_FUZZ_PAY_UTIL_H
#define TXS_FUZZ_PAY_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "txs/payments.h"

static int on_txn(void *ctx, const txs_txn *t)
{
    (void)ctx;
    if (t->ext == NULL || t->ext->kind == NULL || t->ext->file == NULL) abort();
    for (size_t i = 0; i < t->ext->nparties; i++)
        if (t->ext->parties[i]->role >= TXS_ROLE_COUNT) abort();
    return 0;
}

static int on_reject(void *ctx, const txs_pay_reject *r)
{
    (void)ctx;
    if (r->reason == NULL || r->reason[0] == 0 || r->where == NULL) abort();
    return 0;
}

/* xsd: a folder of schemas to validate MX messages against, or NULL. */
static inline int fuzz_pay(txs_pay_format fmt, const char *xsd, const uint8_t *data, size_t size)
{
    static txs_pay_reader *r;
    if (r == NULL) {
        if (txs_pay_reader_create(fmt, &r) < 0) return 0;
        txs_diag e = {{0}, 0, {0}};
        if (xsd && txs_pay_reader_validate_xsd(r, xsd, &e) < 0) abort();   /* the fixture loads */
    }
    txs_pay_sink sink = {on_txn, on_reject, NULL};
    txs_diag d = {{0}, 0, {0}};
    txs_pay_counts b, c;
    txs_pay_reader_counts(r, &b);
    int rc = txs_pay_read_mem(r, "fuzz", (const char *)data, size, &sink, &d);
    txs_pay_reader_counts(r, &c);
    if (rc < 0 && rc != TXS_E_NOMEM && d.msg[0] == 0) abort();
    if (rc == 0 && c.messages - b.messages != (c.mapped - b.mapped) + (c.rejected - b.rejected))
        abort();
    return 0;
}

#endif /* TXS_FUZZ_PAY_UTIL_H */
