/*
 * test_norm_latin.c: the replay of two-byte code points (unicode.c
 * latin_replay) writes what the whole Unicode path writes.  Each code point
 * U+0080..U+07FF alone and in ASCII company (letters, a space, a hyphen, a
 * comma, an apostrophe, a dot), and every pair of recorded code points
 * between letters, go through txs__norm_unicode (which replays when it can)
 * and txs__norm_unicode_full (which never does); the word builders must be
 * equal field by field.  The table must also record the letters of the
 * names that come with diacritics (Latin-1, Latin Extended-A, Greek,
 * Cyrillic), or the path it exists for is lost.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "norm/norm_int.h"
#include "txs/norm.h"

static txs_norm *nz;
static txs__words *wa, *wb;

static void setup(void)
{
    nz = txs_norm_new();
    cr_assert_not_null(nz);
    wa = malloc(sizeof *wa);
    wb = malloc(sizeof *wb);
    cr_assert(wa && wb);
}

static void teardown(void)
{
    txs_norm_free(nz);
    free(wa);
    free(wb);
}

/* Both ways on s[0..n): 1 if equal. */
static int same(const char *s, size_t n)
{
    txs__words_init(wa);
    txs__words_init(wb);
    txs__norm_unicode(nz, s, n, wa);
    txs__norm_unicode_full(nz, s, n, wb);
    return wa->len == wb->len && memcmp(wa->text, wb->text, wa->len) == 0 && wa->nw == wb->nw &&
           wa->flags == wb->flags && wa->comma_after == wb->comma_after && wa->open == wb->open &&
           wa->src == wb->src && wa->icu == wb->icu &&
           memcmp(wa->w, wb->w, wa->nw * sizeof *wa->w) == 0;
}

static size_t put(char *p, int32_t cp)
{
    return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)p);
}

Test(norm_latin, every_code_point_in_ascii_company, .init = setup, .fini = teardown)
{
    static const char *const around[][2] = {{"", ""},   {"a", "b"}, {" ", " "}, {"x-", "-y"},
                                            {"o'", "'s"}, {"A.", ".B"}, {"z,", ",k"}, {"AB ", " CD"},
                                            {"1", "2"}, {"\t", "&"}};
    const txs__rec *t = txs__norm_latin_get(nz);
    cr_assert_not_null(t);
    long wrong = 0;
    for (int32_t cp = 0x80; cp < 0x800; cp++)
        for (size_t k = 0; k < sizeof around / sizeof *around; k++) {
            char s[32];
            size_t n = 0;
            memcpy(s + n, around[k][0], strlen(around[k][0])), n += strlen(around[k][0]);
            n += put(s + n, cp);
            memcpy(s + n, around[k][1], strlen(around[k][1])), n += strlen(around[k][1]);
            if (!same(s, n) && wrong++ < 10) cr_log_error("U+%04X in '%s' '%s'", cp, around[k][0], around[k][1]);
        }
    cr_assert_eq(wrong, 0);
}

Test(norm_latin, every_pair_of_recorded_code_points, .init = setup, .fini = teardown, .timeout = 600)
{
    const txs__rec *t = txs__norm_latin_get(nz);
    cr_assert_not_null(t);
    int32_t rec[0x800];
    size_t nr = 0;
    for (int32_t cp = 0x80; cp < 0x800; cp++)
        if (!t[cp - 0x80].bad) rec[nr++] = cp;
    long wrong = 0, pairs = 0;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nr; j++) {
            char s[16];
            size_t n = 0;
            s[n++] = 'k';
            n += put(s + n, rec[i]);
            n += put(s + n, rec[j]);
            s[n++] = 'e';
            pairs++;
            if (!same(s, n) && wrong++ < 10) cr_log_error("U+%04X U+%04X", rec[i], rec[j]);
        }
    cr_assert_eq(wrong, 0, "%ld of %ld pairs differ", wrong, pairs);
}

/* Unmarked: the letters of European names, and those of the scripts the
 * built-in tables read, are recorded; marks never are. */
Test(norm_latin, records_the_letters_names_are_written_with, .init = setup, .fini = teardown)
{
    const txs__rec *t = txs__norm_latin_get(nz);
    cr_assert_not_null(t);
    const int32_t want[] = {0xc9 /* É */, 0xe9, 0xf1, 0xfc, 0xdf /* ß */, 0x107 /* ć */,
                            0x10d, 0x142 /* ł */, 0x15f, 0x17e, 0x1b0 /* ư */, 0x3b1 /* α */,
                            0x436 /* ж */, 0x451 /* ё */, 0x5d0 /* א */, 0x627 /* ا */};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_expect(!t[want[i] - 0x80].bad, "U+%04X not recorded", want[i]);
    for (int32_t cp = 0x300; cp < 0x370; cp++) cr_expect(t[cp - 0x80].bad, "mark U+%04X", cp);
    size_t n = 0;
    for (int32_t cp = 0x80; cp < 0x800; cp++) n += !t[cp - 0x80].bad;
    cr_expect_gt(n, 900, "%zu recorded", n);
}
