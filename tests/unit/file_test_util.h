/*
 * file_test_util.h: reading a whole fixture or output file in a Criterion
 * test.  txs_test_slurp returns the bytes NUL-terminated (so text can be
 * searched with strstr) and their count; a file that cannot be opened or
 * read whole fails the test that asked for it.  The caller frees.
 */
#ifndef TXS_FILE_TEST_UTIL_H
#define TXS_FILE_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static inline char *txs_test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_END), 0, "cannot seek %s", path);
    long len = ftell(f);
    cr_assert_geq(len, 0, "cannot size %s", path);
    cr_assert_eq(fseek(f, 0, SEEK_SET), 0, "cannot seek %s", path);
    char *p = malloc((size_t)len + 1);
    cr_assert_not_null(p);
    cr_assert_eq(fread(p, 1, (size_t)len, f), (size_t)len, "short read of %s", path);
    fclose(f);
    p[len] = '\0';
    if (n != NULL) *n = (size_t)len;
    return p;
}

#endif
