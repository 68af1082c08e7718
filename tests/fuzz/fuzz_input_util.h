/*
 * fuzz_input_util.h: shared by fuzz_csv.c and fuzz_jsonl.c.  Runs the
 * fuzzer's bytes through a custom txs_source (txs_source_open_fn) and a
 * reader twice: once with whole reads and the best scanner, once with
 * small reads of a size chosen by the input and the scalar scanner.  The
 * two runs must produce identical records (raw, line, offset, error,
 * detail, fields): any difference, and any sanitizer report, is a finding.
 *
 * Input layout: byte 0 selects options (see fuzz_run), the rest is data.
 */
#ifndef TXS_FUZZ_INPUT_UTIL_H
#define TXS_FUZZ_INPUT_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../engine/src/input/input_int.h"
#include "txs/input.h"

typedef struct fz_src {
    const uint8_t *p;
    size_t n, pos, chunk;
} fz_src;

static ssize_t fz_read(void *ctx, void *buf, size_t cap)
{
    fz_src *s = ctx;
    size_t n = s->n - s->pos;
    if (s->chunk && n > s->chunk) n = s->chunk;
    if (n > cap) n = cap;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (ssize_t)n;
}

typedef struct fz_out {
    unsigned char *p;
    size_t n, cap;
} fz_out;

static void fz_put(fz_out *o, const void *p, size_t n)
{
    if (o->n + n > o->cap) {
        size_t cap = (o->n + n) * 2;
        unsigned char *q = realloc(o->p, cap);
        if (q == NULL) abort();
        o->p = q;
        o->cap = cap;
    }
    if (n) memcpy(o->p + o->n, p, n);
    o->n += n;
}

static void fz_slice(fz_out *o, txs_slice s)
{
    uint64_t n = s.p ? (uint64_t)s.n : UINT64_MAX;
    fz_put(o, &n, sizeof n);
    if (s.p) fz_put(o, s.p, s.n);
}

/* Every record of data as bytes; also checks cheap invariants. */
static fz_out fz_collect(const uint8_t *data, size_t n, const txs_reader_opts *o,
                         size_t chunk, int scalar)
{
    fz_out out = {0};
    fz_src src = {data, n, 0, chunk};
    txs_source *s = NULL;
    txs_reader *r = NULL;
    if (txs_source_open_fn(fz_read, &src, "fuzz", &s) < 0 || txs_reader_create(o, &r) < 0) abort();
    txs_reader_force_scalar(r, scalar);
    int rc = txs_reader_attach(r, s);
    fz_put(&out, &rc, sizeof rc);
    size_t nh;
    const txs_slice *h = txs_reader_header(r, &nh);
    for (size_t i = 0; i < nh; i++) fz_slice(&out, h[i]);
    txs_batch b;
    txs_batch_init(&b);
    while (rc >= 0 && (rc = txs_reader_next(r, &b)) > 0) {
        if (b.n > TXS_BATCH_RECORDS) abort();
        for (size_t i = 0; i < b.n; i++) {
            const txs_record *x = &b.rec[i];
            if (x->raw.n == 0 || x->raw.n > TXS_MAX_RECORD) abort();
            if ((x->error == TXS_FRAME_OK) != (x->detail == NULL)) abort();
            fz_put(&out, &x->line, sizeof x->line);
            fz_put(&out, &x->offset, sizeof x->offset);
            fz_put(&out, &x->error, sizeof x->error);
            fz_slice(&out, x->raw);
            if (x->detail) fz_put(&out, x->detail, strlen(x->detail) + 1);
            fz_put(&out, &x->nfields, sizeof x->nfields);
            for (uint32_t k = 0; k < x->nfields; k++) fz_slice(&out, x->fields[k]);
        }
    }
    fz_put(&out, &rc, sizeof rc);
    if (txs_source_raw_bytes(s) != (rc < 0 ? txs_source_raw_bytes(s) : n)) abort();
    txs_batch_free(&b);
    txs_reader_free(r);
    txs_source_free(s);
    return out;
}

/* Byte 0: bits 0-1 delimiter (, ; | TAB), bit 2 header, bits 3-7 read
 * size of the second run (1 + 7k bytes). */
static int fuzz_run(const uint8_t *data, size_t size, txs_reader_opts o)
{
    static const char delims[] = {',', ';', '|', '\t'};
    if (size < 1) return 0;
    o.delimiter = delims[data[0] & 3];
    o.header = (data[0] >> 2) & 1;
    size_t chunk = 1 + 7u * (data[0] >> 3);
    fz_out a = fz_collect(data + 1, size - 1, &o, 0, 0);
    fz_out b = fz_collect(data + 1, size - 1, &o, chunk, 1);
    if (a.n != b.n || memcmp(a.p, b.p, a.n) != 0) {
        fprintf(stderr, "fuzz: whole/best and chunked/scalar runs differ\n");
        abort();
    }
    free(a.p);
    free(b.p);
    return 0;
}

#endif /* TXS_FUZZ_INPUT_UTIL_H */
