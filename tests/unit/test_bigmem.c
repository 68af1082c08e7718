/*
 * test_bigmem.c: txs_big_calloc and txs_big_free (bigmem.h) at the sizes
 * on either side of each way a table is made (heap block, 4 KiB pages,
 * 2 MiB pages): every byte zero and writable, the table 64-byte aligned,
 * a huge-page table's mapping 2 MiB-aligned, an overflowing size refused;
 * and aligned mappings of anonymous memory and of a file.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "txs/bigmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static const size_t sizes[] = {
    1, 63, 64, 4096, (64u << 10) - 65, (64u << 10) - 64, 64u << 10, (1u << 20) - 65,
    (1u << 20) - 64, 1u << 20, (2u << 20) - 64, 2u << 20, (3u << 20) + 17,
};

Test(bigmem, zero_aligned_writable)
{
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        unsigned char *t = txs_big_calloc(n, 1);
        cr_assert_not_null(t, "size %zu", n);
        cr_expect_eq((uintptr_t)t % 64, 0, "size %zu: not 64-byte aligned", n);
        size_t nonzero = 0;
        for (size_t k = 0; k < n; k++) nonzero += t[k] != 0;
        cr_expect_eq(nonzero, 0, "size %zu: %zu bytes not zero", n, nonzero);
        memset(t, 0xa5, n);   /* every byte is the table's */
        cr_expect_eq(t[0], 0xa5);
        cr_expect_eq(t[n - 1], 0xa5);
        txs_big_free(t);
    }
}

/* A huge-page table starts 64 bytes (its header's room) into a 2 MiB-
 * aligned mapping, the range madvise covers.  (Not under ASan, where every
 * table is a heap block.) */
Test(bigmem, huge_tables_map_whole_units)
{
#ifndef UNDER_ASAN
    unsigned char *t = txs_big_calloc(3, 1u << 20);
    cr_assert_not_null(t);
    cr_expect_eq(((uintptr_t)t - 64) % (2u << 20), 0, "mapping not 2 MiB-aligned");
    txs_big_free(t);
#endif
}

Test(bigmem, elements_and_overflow)
{
    uint64_t *v = txs_big_calloc(300000, sizeof *v);
    cr_assert_not_null(v);
    for (size_t k = 0; k < 300000; k++) cr_assert_eq(v[k], 0);
    v[299999] = 7;
    txs_big_free(v);
    cr_expect_null(txs_big_calloc(SIZE_MAX / 4, 8));
    cr_expect_null(txs_big_calloc(SIZE_MAX, 1));
    txs_big_free(NULL);
}

/* txs_map_aligned: anonymous memory zeroed and writable, a file's bytes
 * readable, each at the asked alignment (the list snapshot's mapping). */
Test(bigmem, aligned_mappings)
{
    const size_t a = 2u << 20, n = (3u << 20) + 5;
    unsigned char *m = txs_map_aligned(-1, n, a);
    cr_assert_neq(m, MAP_FAILED);
    cr_expect_eq((uintptr_t)m % a, 0);
    cr_expect_eq(m[0] | m[n - 1], 0);
    m[n - 1] = 1;
    munmap(m, n);

    char path[] = "/tmp/txs-bigmem-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unsigned char buf[5000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + 1);
    cr_assert_eq(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
    unsigned char *f = txs_map_aligned(fd, sizeof buf, a);
    close(fd);
    unlink(path);
    cr_assert_neq(f, MAP_FAILED);
    cr_expect_eq((uintptr_t)f % a, 0);
    cr_expect(memcmp(f, buf, sizeof buf) == 0, "the file's bytes");
    munmap(f, sizeof buf);
}
