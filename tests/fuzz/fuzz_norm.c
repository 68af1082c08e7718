/*
 * fuzz_norm.c: libFuzzer target for name normalisation (txs/norm.h): the
 * UTF-8 decoding and folding (utf8proc), the script tables, the Han table,
 * the Devanagari, Thai and kana rules (syllabic.c) and ICU for the rest,
 * the phrase tables and the name rules.  The input is one name, read as
 * every kind.  Checks beyond "no crash": the tokens lie inside the text
 * and hold only lowercase ASCII letters and digits, and every run of
 * Devanagari, Thai or kana code points the input holds reads the same
 * through syllabic.c as through ICU's "Any-Latin; Latin-ASCII" whenever
 * syllabic.c answers (tests/unit/test_syllabic.c tries every short run;
 * this tries what a mutator makes of real names); and the replay of
 * two-byte code points writes what the whole Unicode path writes
 * (tests/unit/test_norm_latin.c tries every code point and pair).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "norm/norm_int.h"
#include "txs/norm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static txs_norm *nz;
static void *icu;

static void once(void)
{
    if (nz) return;
    nz = txs_norm_new();
    icu = txs__norm_icu_open();
    if (nz == NULL || icu == NULL) abort();
}

static int in_script(int32_t c)
{
    return (c >= 0x900 && c <= 0x97f) || (c >= 0xe01 && c <= 0xe7f) || (c >= 0x3041 && c <= 0x30fc);
}

/* One run: syllabic.c's answer, if any, is ICU's. */
static void same_as_icu(const int32_t *cp, size_t n)
{
    char a[TXS__NATIVE_MAX];
    int k = txs__norm_native_run(nz, cp, n, a, sizeof a);
    if (k < 0) return;
    char b[TXS__NATIVE_MAX];
    int m = txs__norm_icu_text(icu, cp, n, b, sizeof b);
    if (m >= 0 && (m != k || memcmp(a, b, (size_t)k) != 0)) abort();
}

/* The input's runs as unicode.c forms them (a letter, then letters and
 * marks), cut to those of the three scripts. */
static void runs(const uint8_t *data, size_t size)
{
    utf8proc_int32_t cp[1024];
    if (size > 1024) return;
    utf8proc_ssize_t k = utf8proc_decompose(data, (utf8proc_ssize_t)size, cp, 1024,
                                            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (k <= 0 || k > 1024) return;
    k = utf8proc_normalize_utf32(cp, k, UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    for (utf8proc_ssize_t i = 0; i < k;) {
        utf8proc_ssize_t j = i;
        if (in_script(cp[i]) && txs__norm_is_letter(cp[i])) {
            j = i + 1;
            while (j < k && in_script(cp[j]) && (txs__norm_is_letter(cp[j]) || txs__norm_is_mark(cp[j])))
                j++;
            same_as_icu(cp + i, (size_t)(j - i));
        }
        i = j > i ? j : i + 1;
    }
}

/* txs__norm_unicode (which replays two-byte code points when it can) and
 * txs__norm_unicode_full (which never does) build the same words. */
static void replay_is_full(const uint8_t *data, size_t size)
{
    static txs__words a, b;
    txs__words_init(&a);
    txs__words_init(&b);
    txs__norm_unicode(nz, (const char *)data, size, &a);
    txs__norm_unicode_full(nz, (const char *)data, size, &b);
    if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0 || a.nw != b.nw ||
        a.flags != b.flags || a.comma_after != b.comma_after || a.open != b.open ||
        a.src != b.src || a.icu != b.icu || memcmp(a.w, b.w, a.nw * sizeof *a.w) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const txs_name_kind kinds[] = {TXS_NAME_ANY, TXS_NAME_PERSON, TXS_NAME_COMPANY,
                                          TXS_NAME_VESSEL};
    once();
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        txs_norm_name nm;
        if (txs_norm_name_of(nz, (const char *)data, size, kinds[k], &nm) < 0) continue;
        if (nm.len >= TXS_NORM_MAX_TEXT || nm.ntok > TXS_NORM_MAX_TOKENS) abort();
        for (uint32_t t = 0; t < nm.ntok; t++) {
            const txs_norm_tok *tk = &nm.tok[t];
            if ((size_t)tk->off + tk->len > nm.len || tk->len == 0) abort();
            for (uint32_t i = 0; i < tk->len; i++) {
                char c = nm.text[tk->off + i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) abort();
            }
        }
    }
    runs(data, size);
    replay_is_full(data, size);
    return 0;
}
