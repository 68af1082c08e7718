/*
 * frame_bench.c: micro-benchmark of the input stage alone (txs_source +
 * txs_reader): reads a file through the reader, touching every record and
 * field count, and prints MB/s and records/s.  Protocol: one warm-up pass,
 * then N timed passes (default 5), median reported.  Compare with `wc -l`
 * on the same file in the same session (absolute numbers drift here).
 *
 *   frame_bench FILE [--jsonl] [--scalar] [--header] [--repeat N]
 *
 * --scalar forces the byte-at-a-time scanner (the portable fallback).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime; the target sets no feature macros */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "txs/input.h"

static const char *const native_keys[] = {
    "txn_id", "timestamp", "amount", "currency", "channel", "orig_account",
    "orig_name", "orig_country", "orig_bank", "orig_address", "bene_account",
    "bene_name", "bene_country", "bene_bank", "bene_address", "purpose"};

typedef struct run {
    double secs;
    unsigned long long bytes, records, fields, rejects;
} run;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int one_pass(const char *path, const txs_reader_opts *o, int scalar, run *out)
{
    txs_diag d;
    txs_source *s;
    txs_reader *r;
    if (txs_source_open_path(path, &s, &d) < 0) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    if (txs_reader_create(o, &r) < 0) return -1;
    txs_reader_force_scalar(r, scalar);
    txs_batch b;
    txs_batch_init(&b);
    memset(out, 0, sizeof *out);
    double t0 = now();
    int n = txs_reader_attach(r, s);
    while (n >= 0 && (n = txs_reader_next(r, &b)) > 0) {
        for (size_t i = 0; i < b.n; i++) {
            out->fields += b.rec[i].nfields;
            out->rejects += b.rec[i].error != TXS_FRAME_OK;
        }
        out->records += b.n;
    }
    out->secs = now() - t0;
    out->bytes = txs_source_raw_bytes(s);
    if (n < 0) fprintf(stderr, "%s: %s\n", path, txs_reader_error(r));
    txs_batch_free(&b);
    txs_reader_free(r);
    txs_source_free(s);
    return n < 0 ? -1 : 0;
}

static int by_secs(const void *a, const void *b)
{
    double x = ((const run *)a)->secs, y = ((const run *)b)->secs;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int scalar = 0, repeat = 5;
    txs_reader_opts o = {TXS_FMT_CSV, ',', '"', 0, NULL, 0, 0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--jsonl") == 0) {
            o.format = TXS_FMT_JSONL;
            o.keys = native_keys;
            o.nkeys = TXS_ARRAY_LEN(native_keys);
        } else if (strcmp(argv[i], "--scalar") == 0) {
            scalar = 1;
        } else if (strcmp(argv[i], "--header") == 0) {
            o.header = 1;
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = atoi(argv[++i]);
        } else {
            path = argv[i];
        }
    }
    if (path == NULL || repeat < 1 || repeat > 100) {
        fprintf(stderr, "usage: frame_bench FILE [--jsonl] [--scalar] [--header] [--repeat N]\n");
        return 2;
    }
    run runs[100], warm;
    if (one_pass(path, &o, scalar, &warm) < 0) return 1;
    for (int i = 0; i < repeat; i++)
        if (one_pass(path, &o, scalar, &runs[i]) < 0) return 1;
    qsort(runs, (size_t)repeat, sizeof runs[0], by_secs);
    run m = runs[repeat / 2];
    printf("%s: %llu bytes, %llu records (%llu rejected), %llu fields, %s scanner\n", path,
           m.bytes, m.records, m.rejects, m.fields, scalar ? "scalar" : "best");
    printf("median of %d: %.3f s  %.1f MB/s  %.2f M records/s\n", repeat, m.secs,
           (double)m.bytes / m.secs / 1e6, (double)m.records / m.secs / 1e6);
    return 0;
}
