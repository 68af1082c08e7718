/*
 * fuzz_pay_util.h: the body of the payments fuzz targets (fuzz_mx.c,
 * fuzz_mt.c), which differ only in the format they force.  Every reject
 * must name its reason and every transaction must be complete (a kind, a
 * file, its parties' roles in range); the counts must account for every
 * message.  And the reader's promise (payments.h) that any chunking of the
 * same bytes gives the same transactions and rejects: each input is read
 * whole and again in pieces whose sizes come from the input's own bytes,
 * and the two outputs (canonical JSON lines and rejects) must be equal.
 * One reader per way of reading serves every input, as one serves every
 * file of a run.
 */
#ifndef TXS_FUZZ_PAY_UTIL_H
#define TXS_FUZZ_PAY_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/payments.h"

static int on_txn(void *ctx, const txs_txn *t)
{
    if (t->ext == NULL || t->ext->kind == NULL || t->ext->file == NULL) abort();
    for (size_t i = 0; i < t->ext->nparties; i++)
        if (t->ext->parties[i]->role >= TXS_ROLE_COUNT) abort();
    txs_txn_json(ctx, t, "fuzz");
    return 0;
}

static int on_reject(void *ctx, const txs_pay_reject *r)
{
    if (r->reason == NULL || r->reason[0] == 0 || r->where == NULL) abort();
    txs_buf_printf(ctx, "reject %llu %llu %s %s\n", (unsigned long long)r->message,
                   (unsigned long long)r->line, r->where, r->reason);
    return 0;
}

/* The input in pieces of 1 to 64 bytes, the sizes drawn from a generator
 * seeded by the input's length and first bytes. */
typedef struct pay_pieces {
    const uint8_t *p;
    size_t n, pos;
    uint32_t seed;
} pay_pieces;

static ssize_t pay_pieces_read(void *ctx, void *buf, size_t cap)
{
    pay_pieces *c = ctx;
    c->seed = c->seed * 1103515245u + 12345u;
    size_t k = 1 + (c->seed >> 16) % 64, left = c->n - c->pos;
    if (k > left) k = left;
    if (k > cap) k = cap;
    memcpy(buf, c->p + c->pos, k);
    c->pos += k;
    return (ssize_t)k;
}

/* Read data whole (rc, counts checked) or in pieces into out. */
static int fuzz_pay_read(txs_pay_reader *r, int pieces, const uint8_t *data, size_t size,
                         txs_buf *out)
{
    txs_pay_sink sink = {on_txn, on_reject, out};
    txs_diag d = {{0}, 0, {0}};
    txs_pay_counts b, c;
    txs_pay_reader_counts(r, &b);
    int rc;
    if (pieces) {
        pay_pieces pc = {data, size, 0, (uint32_t)size * 2654435761u};
        for (size_t i = 0; i < size && i < 4; i++) pc.seed = pc.seed * 31u + data[i];
        rc = txs_pay_read_fn(r, "fuzz", pay_pieces_read, &pc, &sink, &d);
    } else {
        rc = txs_pay_read_mem(r, "fuzz", (const char *)data, size, &sink, &d);
    }
    txs_pay_reader_counts(r, &c);
    if (rc < 0 && rc != TXS_E_NOMEM && d.msg[0] == 0) abort();
    if (rc == 0 && c.messages - b.messages != (c.mapped - b.mapped) + (c.rejected - b.rejected))
        abort();
    return rc;
}

/* xsd: a folder of schemas to validate MX messages against, or NULL. */
static inline int fuzz_pay(txs_pay_format fmt, const char *xsd, const uint8_t *data, size_t size)
{
    static txs_pay_reader *r[2];
    for (int k = 0; k < 2; k++)
        if (r[k] == NULL) {
            if (txs_pay_reader_create(fmt, &r[k]) < 0) return 0;
            txs_diag e = {{0}, 0, {0}};
            if (xsd && txs_pay_reader_validate_xsd(r[k], xsd, &e) < 0) abort();   /* the fixture loads */
        }
    txs_buf whole = {0}, pieces = {0};
    int a = fuzz_pay_read(r[0], 0, data, size, &whole);
    int b = fuzz_pay_read(r[1], 1, data, size, &pieces);
    if (a == 0 && b == 0 && !whole.oom && !pieces.oom &&
        (whole.n != pieces.n || (whole.n && memcmp(whole.p, pieces.p, whole.n) != 0)))
        abort();   /* the same bytes read in pieces gave other transactions or rejects */
    txs_buf_free(&whole);
    txs_buf_free(&pieces);
    return 0;
}

#endif /* TXS_FUZZ_PAY_UTIL_H */
