/*
 * values_fixture.h: test helper for the value-parser tests: read a reference
 * CSV from the in-repo fixture copies (tests/fixtures, provenance in its README) and call back once per
 * data row with the fields split.  The reference files have no quoted fields
 * (checked by the tests that use them: a quote fails the test), so splitting
 * at commas is exact.  Test code only: it loads the whole file.
 */
#ifndef TXS_VALUES_FIXTURE_H
#define TXS_VALUES_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/base.h"

#define VF_MAX_FIELDS 32

typedef void (*vf_row_fn)(const txs_slice *fields, size_t nfields, size_t line, void *ctx);

/* Column index of `name` in the header, or -1. */
static inline int vf_column(const txs_slice *hdr, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (txs_slice_eq(hdr[i], name)) return (int)i;
    return -1;
}

/* Split p[0..n) at commas into f; returns the field count. */
static inline size_t vf_split(const char *p, size_t n, txs_slice *f)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n && k < VF_MAX_FIELDS; i++) {
        if (i == n || p[i] == ',') {
            f[k].p = p + start;
            f[k].n = i - start;
            k++;
            start = i + 1;
        }
    }
    return k;
}

/*
 * Read tests/fixtures/ rel; the header row goes to hdr_fn, each data row
 * to row_fn.  Returns the number of data rows.
 */
static inline size_t vf_each_row(const char *rel, vf_row_fn hdr_fn, vf_row_fn row_fn, void *ctx)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", TXS_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    cr_assert_gt(size, 0, "%s is empty", path);
    char *buf = malloc((size_t)size);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    cr_assert_null(memchr(buf, '"', (size_t)size), "%s has quoted fields", path);

    size_t rows = 0, line = 0, pos = 0;
    txs_slice fields[VF_MAX_FIELDS];
    while (pos < (size_t)size) {
        const char *nl = memchr(buf + pos, '\n', (size_t)size - pos);
        size_t end = nl ? (size_t)(nl - buf) : (size_t)size;
        size_t len = end - pos;
        if (len > 0 && buf[pos + len - 1] == '\r') len--;
        line++;
        if (len > 0) {
            size_t nf = vf_split(buf + pos, len, fields);
            if (line == 1) hdr_fn(fields, nf, line, ctx);
            else {
                row_fn(fields, nf, line, ctx);
                rows++;
            }
        }
        pos = end + 1;
    }
    free(buf);
    return rows;
}

#endif /* TXS_VALUES_FIXTURE_H */
