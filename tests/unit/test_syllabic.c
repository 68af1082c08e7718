/*
 * test_syllabic.c: syllabic.c writes ICU's bytes.  Every run it answers
 * for (Devanagari, Thai, kana) is compared with what ICU's "Any-Latin;
 * Latin-ASCII" writes for the same code points, read as unicode.c reads
 * it (non-ASCII units as ' '): every run of one to three characters of
 * each script's letters and signs, and every word of those scripts in the
 * generator's name pools and the name fixtures.  A run it declines goes to
 * ICU in the engine, so declining is never wrong; but the words of the
 * pools must nearly all be answered, or the speed it exists for is lost.
 * Runs of four are tried over each script's common letters and signs, and
 * of five over Thai letters and marks (the word breaks);
 * TXS_SYLLABIC_FULL=1 adds every run of four of each whole block (run by
 * hand after changing the tables).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "norm/norm_int.h"
#include "txs/norm.h"

static void *icu;
static txs_norm *nz;

static void setup(void)
{
    icu = txs__norm_icu_open();
    cr_assert_not_null(icu, "ICU's transliterator");
    nz = txs_norm_new();
    cr_assert_not_null(nz);
}

static void teardown(void)
{
    txs__norm_icu_close(icu);
    txs_norm_free(nz);
}

/* The code points unicode.c makes of s (NFKC, case folded), or -1. */
static int cps_of(const char *s, int32_t *cp, size_t cap)
{
    utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s),
                                            cp, (utf8proc_ssize_t)cap,
                                            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (k < 0 || (size_t)k > cap) return -1;
    k = utf8proc_normalize_utf32(cp, k, UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    return (int)k;
}

typedef struct tally {
    long runs, answered, wrong;
} tally;

/* Compare one run (as unicode.c would form it: a letter, then letters and
 * marks); runs unicode.c would not form are skipped. */
static void check(const int32_t *cp, size_t n, tally *t)
{
    char a[TXS__NATIVE_MAX], b[TXS__NATIVE_MAX];
    if (n == 0 || !txs__norm_is_letter(cp[0])) return;
    for (size_t i = 1; i < n; i++)
        if (!txs__norm_is_letter(cp[i]) && !txs__norm_is_mark(cp[i])) return;
    t->runs++;
    int k = txs__norm_native_run(nz, cp, n, a, sizeof a);
    if (k < 0) return;
    t->answered++;
    int m = txs__norm_icu_text(icu, cp, n, b, sizeof b);
    if (m == k && memcmp(a, b, (size_t)k) == 0) return;
    if (t->wrong++ < 20) {
        char u[64] = "";
        for (size_t i = 0; i < n && i < 8; i++) snprintf(u + strlen(u), 8, "%04X ", (unsigned)cp[i]);
        cr_log_error("%s: ours '%.*s', ICU '%.*s'", u, k, a, m < 0 ? 0 : m, b);
    }
}

/* Every sequence of up to len code points over alpha[0..na). */
static void every(const int32_t *alpha, size_t na, size_t len, tally *t)
{
    int32_t cp[8];
    size_t idx[8] = {0};
    for (size_t l = 1; l <= len; l++) {
        memset(idx, 0, sizeof idx);
        for (;;) {
            for (size_t i = 0; i < l; i++) cp[i] = alpha[idx[i]];
            /* composed as unicode.c would see it */
            utf8proc_int32_t c[8];
            memcpy(c, cp, l * sizeof *cp);
            utf8proc_ssize_t k = utf8proc_normalize_utf32(c, (utf8proc_ssize_t)l,
                                                          UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
            if (k > 0) check(c, (size_t)k, t);
            size_t i = 0;
            while (i < l && ++idx[i] == na) idx[i++] = 0;
            if (i == l) break;
        }
    }
}

static size_t range(int32_t *a, size_t n, int32_t lo, int32_t hi)
{
    for (int32_t c = lo; c <= hi; c++)
        if (txs__norm_is_letter(c) || txs__norm_is_mark(c)) a[n++] = c;
    return n;
}

TestSuite(syllabic, .init = setup, .fini = teardown);

/* Every run of one to three characters of block [lo, hi]: none differs
 * from ICU, and at least 1/share of them is answered. */
static void block_runs(const char *name, int32_t lo, int32_t hi, long share)
{
    int32_t a[256];
    size_t n = range(a, 0, lo, hi);
    tally t = {0};
    every(a, n, 3, &t);
    cr_log_info("%s: %ld runs, %ld answered", name, t.runs, t.answered);
    cr_expect_eq(t.wrong, 0, "%ld of %ld answers differ from ICU", t.wrong, t.answered);
    cr_expect_gt(t.answered, t.runs / share);
}

Test(syllabic, devanagari_runs_read_as_icu_reads_them) { block_runs("Devanagari", 0x900, 0x97f, 5); }

Test(syllabic, thai_runs_read_as_icu_reads_them) { block_runs("Thai", 0xe01, 0xe7f, 4); }

Test(syllabic, kana_runs_read_as_icu_reads_them) { block_runs("kana", 0x3041, 0x30ff, 10); }

/* The words of the three scripts in a file, one by one. */
static void words_of(const char *path, tally *t)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        int32_t cp[1024];
        int n = cps_of(line, cp, 1024);
        for (int i = 0; i < n;) {
            int j = i;
            while (j < n && ((cp[j] >= 0x900 && cp[j] <= 0x97f) || (cp[j] >= 0xe01 && cp[j] <= 0xe7f) ||
                             (cp[j] >= 0x3041 && cp[j] <= 0x30ff)) &&
                   (txs__norm_is_letter(cp[j]) || txs__norm_is_mark(cp[j])))
                j++;
            if (j > i) check(cp + i, (size_t)(j - i), t);
            i = j > i ? j : i + 1;
        }
    }
    fclose(f);
}

Test(syllabic, pool_words_answered_and_as_icu)
{
    static const char *const files[] = {
        TXS_SOURCE_DIR "/bench/data/names.tsv", TXS_SOURCE_DIR "/bench/data/name-tail.tsv",
        TXS_SOURCE_DIR "/tests/fixtures/names/cross-script-pairs.csv"};
    tally t = {0};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) words_of(files[i], &t);
    cr_log_info("pool words: %ld runs, %ld answered", t.runs, t.answered);
    cr_expect_eq(t.wrong, 0, "%ld of %ld answers differ from ICU", t.wrong, t.answered);
    cr_expect_geq(t.answered * 100, t.runs * 99, "only %ld of %ld words answered", t.answered, t.runs);
    cr_expect_gt(t.runs, 500);
}

Test(syllabic, longer_runs_over_common_letters)
{
    static const int32_t deva[] = {0x915, 0x916, 0x91c, 0x921, 0x928, 0x92a, 0x92e, 0x930, 0x939, 0x905,
                                   0x907, 0x909, 0x93e, 0x93f, 0x941, 0x947, 0x94d, 0x93c, 0x901, 0x902,
                                   0x903};
    static const int32_t thai[] = {0xe01, 0xe02, 0xe04, 0xe07, 0xe19, 0xe21, 0xe23, 0xe2d, 0xe2b, 0xe30,
                                   0xe31, 0xe32, 0xe34, 0xe35, 0xe38, 0xe40, 0xe41, 0xe44, 0xe47, 0xe48,
                                   0xe4c};
    static const int32_t kana[] = {0x3042, 0x3044, 0x304b, 0x304d, 0x3057, 0x3061, 0x306b, 0x3093, 0x3063,
                                   0x3083, 0x3085, 0x3087, 0x30fc, 0x30a2, 0x30ad, 0x30f3, 0x30c3, 0x30e3};
    tally t = {0};
    every(deva, sizeof deva / sizeof *deva, 4, &t);
    every(thai, sizeof thai / sizeof *thai, 4, &t);
    every(kana, sizeof kana / sizeof *kana, 4, &t);
    /* Thai word breaks depend on the marks' order: runs of five (a tone
     * mark before sara u once made ICU's break iterator and ours differ) */
    static const int32_t thai5[] = {0xe01, 0xe1b, 0xe19, 0xe23, 0xe35, 0xe34, 0xe38,
                                    0xe48, 0xe49, 0xe32, 0xe40, 0xe30};
    every(thai5, sizeof thai5 / sizeof *thai5, 5, &t);
    cr_log_info("runs of four and five: %ld runs, %ld answered", t.runs, t.answered);
    cr_expect_eq(t.wrong, 0, "%ld of %ld answers differ from ICU", t.wrong, t.answered);
}

/* Every run of four over the Devanagari and Thai blocks and over
 * hiragana with the long-vowel mark (katakana is read by the same table):
 * about 8 minutes here. */
Test(syllabic, every_run_of_four_when_asked, .timeout = 3600)
{
    if (!getenv("TXS_SYLLABIC_FULL")) return;
    static const int32_t blocks[][2] = {{0x900, 0x97f}, {0xe01, 0xe7f}, {0x3041, 0x3096}};
    for (size_t b = 0; b < 3; b++) {
        int32_t a[256];
        size_t n = range(a, 0, blocks[b][0], blocks[b][1]);
        if (b == 2) a[n++] = 0x30fc;
        tally t = {0};
        every(a, n, 4, &t);
        cr_log_info("block %04X: %ld runs, %ld answered", (unsigned)blocks[b][0], t.runs, t.answered);
        cr_expect_eq(t.wrong, 0, "%ld of %ld answers differ from ICU", t.wrong, t.answered);
    }
}
