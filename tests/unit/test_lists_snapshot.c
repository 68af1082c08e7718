/*
 * test_lists_snapshot.c: the compiled snapshot: byte-identical output for
 * identical sources, atomic compile (a failing source leaves the previous
 * file untouched), corrupt snapshots refused, SHA-256 per source, and diff.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists/lists_int.h"
#include "txs/lists.h"

#define SAMPLES TXS_SOURCE_DIR "/samples/lists/"
#define FIX TXS_SOURCE_DIR "/tests/fixtures/lists/"

static void *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    void *p = malloc((size_t)len + 1);
    cr_assert_eq(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

static void tmpname(char *out, size_t cap, const char *tag)
{
    snprintf(out, cap, "/tmp/txs-lists-test-%ld-%s.snap", (long)getpid(), tag);
}

Test(lists_snapshot, same_sources_give_identical_bytes)
{
    const char *src[] = {SAMPLES "ofac-sdn-2021-07-07", SAMPLES "un-consolidated-2026-02-27.xml",
                         FIX "ftm-delta.json"};
    char a[256], b[256];
    tmpname(a, sizeof a, "a");
    tmpname(b, sizeof b, "b");
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_compile(src, 3, a, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_compile(src, 3, b, &d), 0, "%s", d.msg);
    size_t na, nb;
    void *pa = slurp(a, &na), *pb = slurp(b, &nb);
    cr_expect_eq(na, nb);
    cr_expect(memcmp(pa, pb, na) == 0);
    txs_lists *l;
    cr_assert_eq(txs_lists_load(a, &l, &d), 0, "%s", d.msg);
    cr_expect_eq(txs_lists_count(l), 8976 + 1003 + 2);
    /* The target was set without the Hyperscan database snapshots
     * held then; they hold none now. */
    size_t per = txs_lists_size(l) / txs_lists_count(l);
    cr_expect_leq(per, 2048, "bytes per entity: %zu", per);
    cr_expect_eq(txs_lists_names_version(l), TXS__NAMES_VERSION);
    txs_lists_free(l);
    free(pa);
    free(pb);
    unlink(a);
    unlink(b);
}

Test(lists_snapshot, failed_compile_leaves_previous_snapshot)
{
    const char *good[] = {FIX "ftm-delta.json"};
    const char *bad[] = {FIX "ftm-delta.json", FIX "bad-ofac-sdn.csv"};
    char a[256];
    tmpname(a, sizeof a, "atomic");
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_compile(good, 1, a, &d), 0);
    size_t n0, n1;
    void *before = slurp(a, &n0);
    cr_expect_lt(txs_lists_compile(bad, 2, a, &d), 0);
    cr_expect_eq(d.line, 2);
    void *after = slurp(a, &n1);
    cr_expect_eq(n0, n1);
    cr_expect(memcmp(before, after, n0) == 0);
    free(before);
    free(after);
    unlink(a);
}

Test(lists_snapshot, corrupt_snapshot_is_refused)
{
    const char *src[] = {FIX "ftm-delta.json"};
    char a[256];
    tmpname(a, sizeof a, "corrupt");
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_compile(src, 1, a, &d), 0);
    size_t n;
    uint64_t *p = slurp(a, &n); /* malloc'd: 8-aligned */
    txs_lists *l = NULL;
    cr_expect_eq(txs_lists_open_mem(p, n, &l, &d), 0);
    txs_lists_free(l);
    ((unsigned char *)p)[n / 2] ^= 0x55;
    cr_expect_eq(txs_lists_open_mem(p, n, &l, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, "checksum") != NULL, "%s", d.msg);
    cr_expect_eq(txs_lists_open_mem(p, n - 8, &l, &d), TXS_E_FORMAT);
    free(p);
    unlink(a);
}

Test(lists_snapshot, sha256_matches_fips_vectors)
{
    static const char *const want[] = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
    static const char *const in[] = {"", "abc",
                                     "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
    for (int i = 0; i < 3; i++) {
        txs__sha256 s;
        uint8_t out[32];
        char hex[65];
        txs__sha256_init(&s);
        txs__sha256_update(&s, in[i], strlen(in[i]));
        txs__sha256_final(&s, out);
        for (int k = 0; k < 32; k++) snprintf(hex + 2 * k, 3, "%02x", out[k]);
        cr_expect_str_eq(hex, want[i]);
    }
}

static int count_changed(void *ctx, txs_diff_op op, txs_slice id, txs_slice name,
                         const char *detail)
{
    if (op == TXS_DIFF_CHANGED) cr_expect(detail[0] != '\0');
    (*(int *)ctx)++;
    return 0;
}

Test(lists_snapshot, diff_ofac_2019_to_2021)
{
    txs_diag d = {{0}, 0, {0}};
    const char *s19[] = {FIX "ofac-sdn-2019-01"}, *s21[] = {SAMPLES "ofac-sdn-2021-07-07"};
    char a[256], b[256];
    tmpname(a, sizeof a, "d19");
    tmpname(b, sizeof b, "d21");
    cr_assert_eq(txs_lists_compile(s19, 1, a, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_compile(s21, 1, b, &d), 0, "%s", d.msg);
    txs_lists *o, *n;
    cr_assert_eq(txs_lists_load(a, &o, &d), 0);
    cr_assert_eq(txs_lists_load(b, &n, &d), 0);
    txs_diff_stats st;
    int events = 0;
    cr_assert_eq(txs_lists_diff(o, n, count_changed, &events, &st), 0);
    cr_expect_eq(st.added + st.unchanged + st.changed, 8976);
    cr_expect_eq(st.removed + st.unchanged + st.changed, txs_lists_count(o));
    cr_expect_gt(st.added, 1000);
    cr_expect_eq((uint64_t)events, st.added + st.removed + st.changed);
    cr_assert_eq(txs_lists_diff(n, n, NULL, NULL, &st), 0);
    cr_expect_eq(st.unchanged, 8976);
    txs_lists_free(o);
    txs_lists_free(n);
    unlink(a);
    unlink(b);
}
