/*
 * unicode.c: the non-ASCII path of normalisation, and the only file that
 * includes utf8proc or ICU.  A name of ASCII and two-byte code points
 * without marks replays what these steps wrote for each code point alone
 * ("Two-byte code points replayed" below).  Steps per name otherwise:
 *
 *   UTF-8 --utf8proc NFKC + casefold--> code points (caller stack buffer)
 *     ASCII            -> the shared ASCII handling (words.c)
 *     table letter     -> translit.c (Cyrillic, Greek, Armenian, Georgian,
 *                         Hebrew, Arabic; Hangul one syllable per word)
 *     Latin + marks    -> NFKD of that one code point, marks stripped
 *     other letters    -> collected into a run; Devanagari, Thai and kana
 *                         runs by syllabic.c (Thai's word breaks from ICU's
 *                         break iterator), others transliterated by ICU
 *                         "Any-Latin; Latin-ASCII" (Han one syllable per word)
 *     anything else    -> a word break
 *
 * Composition is done before transliteration so that letters whose identity
 * lives in a mark (Russian й, ё; Ukrainian ї) reach the tables whole.
 * Invalid UTF-8 bytes become word breaks.  Memory: fixed stack buffers; ICU
 * allocates inside its own calls (this path is the rare one), and what it
 * wrote for recent runs is memoised beside the transliterator (icu_ctx).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "norm_int.h"

#define CP_MAX 1024

/* Han ideographs: one syllable each.  Kana is phonetic and written in word
 * runs, so it is transliterated a run at a time like other scripts. */
static int is_han(int32_t cp)
{
    return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
}

static uint16_t script_flags(int script)
{
    switch (script) {
    case TXS__SCRIPT_ABJAD: return TXS_TOK_ABJAD | TXS_TOK_NONLATIN;
    case TXS__SCRIPT_SYLLABLE: return TXS_TOK_HAN | TXS_TOK_NONLATIN;
    case TXS__SCRIPT_ALPHABET: return TXS_TOK_NONLATIN;
    default: return 0;
    }
}

static void put_str(txs__words *w, const char *s, uint16_t fl)
{
    for (; *s; s++) txs__norm_ascii_byte_flags(w, (unsigned char)*s, fl);
}

/* Letters with marks, and other compatibility forms: decompose alone, strip
 * marks, keep what is ASCII or in the tables.  Returns 0 if nothing usable. */
static int put_decomposed(txs__words *w, int32_t cp)
{
    utf8proc_int32_t d[8];
    int last = 0, any = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT, &last);
    for (utf8proc_ssize_t i = 0; i >= 0 && i < k && i < 8; i++) {
        char buf[16];
        int script;
        const char *t;
        if (d[i] < 0x80) {
            txs__norm_ascii_byte(w, (unsigned char)d[i]);
            any = 1;
        } else if ((t = txs__norm_translit((uint32_t)d[i], buf, &script)) != NULL) {
            put_str(w, t, script_flags(script));
            any = 1;
        }
    }
    return any;
}

int txs__norm_is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int txs__norm_is_mark(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Apostrophe-like marks are dropped inside a word, like ASCII '. */
static int is_apostrophe(int32_t cp)
{
    return cp == 0x2018 || cp == 0x2019 || cp == 0x02bc || cp == 0x02bb || cp == 0x00b4 ||
           cp == 0x02b9 || cp == 0x2032 || cp == 0x30fb || cp == 0x00b7;
}

/* A word break, or its record (txs__words.rec). */
static void brk(txs__words *w)
{
    if (w->rec) txs__words_record(w, 0, 0);
    else txs__words_break(w, 1);
}

static void one_cp(txs_norm *nz, const int32_t *cps, size_t n, size_t *i, txs__words *w)
{
    int32_t cp = cps[*i];
    char buf[16];
    int script;
    const char *t;
    size_t tn;
    if (cp < 0x80) {
        txs__norm_ascii_byte(w, (unsigned char)cp);
    } else if ((t = txs__norm_translit((uint32_t)cp, buf, &script)) != NULL) {
        if (script == TXS__SCRIPT_SYLLABLE) brk(w);
        put_str(w, t, script_flags(script));
        if (script == TXS__SCRIPT_SYLLABLE) brk(w);
    } else if (is_apostrophe(cp) || txs__norm_is_mark(cp)) {
        /* dropped: marks left after composition carry no letter */
    } else if (txs__norm_is_letter(cp) && (t = txs__norm_han((uint32_t)cp, &tn)) != NULL &&
               (*i + 1 == n || !txs__norm_is_mark(cps[*i + 1]))) {
        /* What txs__norm_icu_run writes for this one character, without
         * building ICU's Han rules (a mark after it goes the ICU way). */
        if (w->rec) { /* looks at its neighbour: no replay */
            w->rec->bad = 1;
            return;
        }
        w->icu = 1;
        txs__norm_icu_used(nz);
        txs__words_break(w, 1);
        for (size_t k = 0; k < tn; k++)
            txs__norm_ascii_byte_flags(w, (unsigned char)t[k],
                                       TXS_TOK_NONLATIN | TXS_TOK_HAN | TXS_TOK_HANZI);
        txs__words_break(w, 1);
    } else if (txs__norm_is_letter(cp) && !put_decomposed(w, cp)) {
        /* The run stops before a Han character of the table: ICU would
         * read it alone anyway (txs__norm_icu_run), the table reads it. */
        if (w->rec) { /* a run: no replay */
            w->rec->bad = 1;
            return;
        }
        size_t j = *i;
        while (j < n && (txs__norm_is_mark(cps[j]) ||
                         (txs__norm_is_letter(cps[j]) && cps[j] >= 0x80 &&
                          !txs__norm_translit((uint32_t)cps[j], buf, &script) &&
                          (j == *i || !txs__norm_han((uint32_t)cps[j], &tn)))))
            j++;
        w->icu = 1;
        char nat[TXS__NATIVE_MAX];
        int k = txs__norm_native_run(nz, cps + *i, j - *i, nat, sizeof nat);
        if (k >= 0) {
            /* ICU's bytes without ICU (syllabic.c) */
            txs__norm_icu_used(nz);
            for (int q = 0; q < k; q++)
                txs__norm_ascii_byte_flags(w, (unsigned char)nat[q], TXS_TOK_NONLATIN);
        } else {
            void *icu = txs__norm_icu_get(nz);
            if (icu) txs__norm_icu_run(icu, cps + *i, j - *i, w);
        }
        *i = j - 1;
    } else if (!txs__norm_is_letter(cp)) {
        int32_t d[4];
        int last = 0;
        /* Full-width digits and the like decompose to ASCII. */
        if (utf8proc_decompose_char(cp, d, 4, UTF8PROC_COMPAT, &last) == 1 && d[0] < 0x80)
            txs__norm_ascii_byte(w, (unsigned char)d[0]);
        else
            brk(w);
    }
}

/* ---- Two-byte code points replayed ----
 *
 * Most non-ASCII names are Latin with diacritics (and some Greek and
 * Cyrillic): ASCII plus code points of two UTF-8 bytes, U+0080..U+07FF.
 * The path below turns each of those into the same calls whatever its
 * neighbours, provided no combining mark is near: NFKC with case folding
 * composes a letter with the marks after it, and a letter's decomposition
 * starts with a letter, so nothing composes across two of them.  So each
 * code point's calls are recorded once (txs__norm_latin_build: the path
 * itself, on that code point alone, into a recording txs__words) and a
 * name made only of ASCII and recorded code points is replayed, without
 * utf8proc.  Code points that need more are not recorded (bad): marks,
 * those a name's run of letters goes to ICU or the native rules with, and
 * the Han branch's neighbour test; a name with one of them takes the path
 * above.  tests/unit/test_norm_latin.c compares both ways on every code
 * point and pair of them in ASCII company; the fuzz target on its inputs. */

#define LATIN_LO 0x80
#define LATIN_HI 0x800

txs__rec *txs__norm_latin_build(void)
{
    txs__rec *t = calloc(LATIN_HI - LATIN_LO, sizeof *t);
    if (t == NULL) return NULL;
    txs__words *w = malloc(sizeof *w);
    if (w == NULL) {
        free(t);
        return NULL;
    }
    for (int32_t cp = LATIN_LO; cp < LATIN_HI; cp++) {
        txs__rec *r = &t[cp - LATIN_LO];
        utf8proc_uint8_t u[4];
        utf8proc_int32_t cps[16];
        r->bad = 1;
        if (txs__norm_is_mark(cp)) continue;
        utf8proc_ssize_t nu = utf8proc_encode_char(cp, u);
        utf8proc_ssize_t k = utf8proc_decompose(u, nu, cps, 16,
                                                UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
        if (k < 0 || k > 16) continue;
        /* the decomposition must start with a starter (nothing composes
         * with the code point before) */
        if (k > 0 && utf8proc_get_property(cps[0])->combining_class != 0) continue;
        if (k > 0) k = utf8proc_normalize_utf32(cps, k, UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
        if (k < 0) continue;
        txs__words_init(w);
        w->rec = r;
        r->bad = 0, r->n = 0;
        for (size_t i = 0; i < (size_t)k && !r->bad; i++) one_cp(NULL, cps, (size_t)k, &i, w);
        if (w->icu) r->bad = 1;
    }
    free(w);
    return t;
}

/* The record of the two-byte code point whose lead byte is s[0]. */
static const txs__rec *rec_at(const txs__rec *t, const char *s)
{
    return &t[(((unsigned char)s[0] & 0x1fu) << 6 | ((unsigned char)s[1] & 0x3fu)) - LATIN_LO];
}

/* Whether s (with a non-ASCII byte) is ASCII and recorded two-byte code
 * points only; if so, replays it into w as txs__norm_unicode would: its
 * ASCII runs through the ASCII path's loop, each code point's record. */
static int latin_replay(txs_norm *nz, const char *s, size_t n, txs__words *w)
{
    /* the path above reads a longer name in slices, which may cut a
     * character when no space is near: not replayed */
    if (n > CP_MAX / 4) return 0;
    const txs__rec *t = txs__norm_latin_get(nz);
    if (t == NULL) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) continue;
        if (c < 0xc2 || c > 0xdf || i + 1 == n || ((unsigned char)s[i + 1] & 0xc0) != 0x80) return 0;
        if (rec_at(t, s + i)->bad) return 0;
        i++;
    }
    for (size_t i = 0; i < n;) {
        size_t a = i;
        while (i < n && (unsigned char)s[i] < 0x80) i++;
        txs__norm_ascii(w, s + a, i - a);
        if (i == n) break;
        const txs__rec *r = rec_at(t, s + i);
        for (uint8_t k = 0; k < r->n; k++)
            if (r->op[k].c) txs__norm_ascii_byte_flags(w, r->op[k].c, r->op[k].fl);
            else txs__words_break(w, 1);
        i += 2;
    }
    txs__words_break(w, 1);
    return 1;
}

void txs__norm_unicode(txs_norm *nz, const char *s, size_t n, txs__words *w)
{
    if (latin_replay(nz, s, n, w)) return;
    txs__norm_unicode_full(nz, s, n, w);
}

void txs__norm_unicode_full(txs_norm *nz, const char *s, size_t n, txs__words *w)
{
    utf8proc_int32_t cps[CP_MAX];
    size_t pos = 0;
    /* Work in slices of input so any length fits the fixed buffer; a slice
     * ends at an ASCII space so no character or word is split. */
    while (pos < n) {
        size_t end = pos + (CP_MAX / 4 < n - pos ? CP_MAX / 4 : n - pos);
        while (end < n && end > pos + 1 && s[end - 1] != ' ') end--;
        if (end <= pos + 1) end = pos + (CP_MAX / 4 < n - pos ? CP_MAX / 4 : n - pos);
        utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s + pos,
                                                (utf8proc_ssize_t)(end - pos), cps, CP_MAX,
                                                UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
        if (k > 0 && k <= CP_MAX)
            k = utf8proc_normalize_utf32(cps, k, UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
        if (k < 0 || k > CP_MAX) {
            /* Invalid UTF-8: fall back to bytes, non-ASCII ones as breaks. */
            for (size_t i = pos; i < end; i++) txs__norm_ascii_byte(w, (unsigned char)s[i]);
        } else {
            for (size_t i = 0; i < (size_t)k; i++) one_cp(nz, cps, (size_t)k, &i, w);
        }
        pos = end;
    }
    txs__words_break(w, 1);
}

/* ---- Runs ICU would transliterate, without ICU (syllabic.c) ---- */

void *txs__norm_brk_open(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *b = ubrk_open(UBRK_WORD, "en", NULL, 0, &err);
    return U_FAILURE(err) ? NULL : b;
}

void txs__norm_brk_close(void *b)
{
    if (b) ubrk_close(b);
}

static int letter_or_mark(int32_t cp) { return txs__norm_is_letter(cp) || txs__norm_is_mark(cp); }

/* Where ICU's Any-BreakInternal puts a space in a Thai run: the word
 * boundaries of its break iterator (English rules, Thai dictionary) with a
 * letter or mark on both sides; bit i: a space before cp[i]. */
static int thai_breaks(txs_norm *nz, const int32_t *cp, size_t n, uint64_t *brk)
{
    UChar u[64];
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *b = txs__norm_brk_get(nz);
    if (b == NULL || n > 64) return -1;
    for (size_t i = 0; i < n; i++) u[i] = (UChar)cp[i];
    ubrk_setText(b, u, (int32_t)n, &err);
    if (U_FAILURE(err)) return -1;
    *brk = 0;
    for (int32_t at = ubrk_first(b); at != UBRK_DONE; at = ubrk_next(b))
        if (at > 0 && (size_t)at < n && letter_or_mark(cp[at - 1]) && letter_or_mark(cp[at]))
            *brk |= 1ull << at;
    ubrk_setText(b, u, 0, &err); /* forget the stack buffer */
    return 0;
}

static int all_in(const int32_t *cp, size_t n, int32_t lo, int32_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (cp[i] < lo || cp[i] > hi) return 0;
    return 1;
}

int txs__norm_native_run(txs_norm *nz, const int32_t *cp, size_t n, char *out, size_t cap)
{
    if (n == 0 || n > TXS__RUN_MAX) return -1; /* ICU reads only the first TXS__RUN_MAX */
    if (n == 1 && cp[0] == 0x3005) { /* the iteration mark alone: as txs__norm_icu_run */
        if (cap < 1) return -1;
        out[0] = ' ';
        return 1;
    }
    if (all_in(cp, n, 0x900, 0x97f)) return txs__norm_deva(cp, n, out, cap);
    if (all_in(cp, n, 0x3041, 0x30fc)) return txs__norm_kana(cp, n, out, cap);
    if (all_in(cp, n, 0xe01, 0xe7f)) {
        int32_t v[64];
        uint64_t brk;
        if (n > 64) return -1;
        memcpy(v, cp, n * sizeof *v);
        txs__norm_thai_order(v, n);
        if (thai_breaks(nz, v, n, &brk) < 0) return -1;
        return txs__norm_thai(v, n, &brk, out, cap);
    }
    return -1;
}

/* ---- ICU: Han, Ethiopic, Bengali ... and what syllabic.c declines ---- */

/* The transliterator and a memo of what it wrote for recent runs.  A run
 * is a word of one script (or one Han character), and names repeat their
 * given names and surnames, so most runs were transliterated before; ICU
 * reads a run alone (the buffer is the whole input of utrans_transUChars),
 * so its output depends on the run only and the memo gives the same bytes.
 * Direct-mapped, a run's slot chosen by a hash of its UTF-16 units: a miss
 * asks ICU and replaces the slot.  Runs longer than MEMO_KEY units, or
 * whose output is longer than MEMO_OUT bytes, are not kept.  About 220 KB,
 * allocated with the transliterator (only names that need ICU open it). */
#define MEMO_SLOTS 2048u
#define MEMO_KEY 24
#define MEMO_OUT 48
typedef struct memo_slot {
    uint8_t klen, olen; /* klen 0: empty */
    UChar key[MEMO_KEY];
    char out[MEMO_OUT];
} memo_slot;
typedef struct icu_ctx {
    UTransliterator *t;
    memo_slot memo[MEMO_SLOTS];
} icu_ctx;

void *txs__norm_icu_open(void)
{
    static const char id[] = "Any-Latin; Latin-ASCII";
    UChar uid[sizeof id];
    UErrorCode err = U_ZERO_ERROR;
    for (size_t i = 0; i < sizeof id; i++) uid[i] = (UChar)id[i];
    icu_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        free(c);
        return NULL;
    }
    return c;
}

void txs__norm_icu_close(void *t)
{
    icu_ctx *c = t;
    if (c == NULL) return;
    utrans_close(c->t);
    free(c);
}

static memo_slot *memo_at(icu_ctx *c, const UChar *k, int32_t n)
{
    uint32_t h = 2166136261u;
    for (int32_t i = 0; i < n; i++) h = (h ^ k[i]) * 16777619u;
    return &c->memo[(h ^ h >> 15) & (MEMO_SLOTS - 1)];
}

/* ICU's output for buf[0..len): into buf, *len updated; 0 on failure.  The
 * memo answers a run seen before (see icu_ctx). */
static int translit(icu_ctx *c, UChar *buf, int32_t *len, int32_t cap)
{
    memo_slot *m = *len <= MEMO_KEY ? memo_at(c, buf, *len) : NULL;
    if (m && m->klen == *len && memcmp(m->key, buf, (size_t)*len * sizeof *buf) == 0) {
        for (int32_t k = 0; k < m->olen; k++) buf[k] = (UChar)(unsigned char)m->out[k];
        *len = m->olen;
        return 1;
    }
    UChar key[MEMO_KEY];
    int32_t klen = *len;
    if (m) memcpy(key, buf, (size_t)klen * sizeof *buf);
    int32_t limit = *len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(c->t, buf, len, cap, 0, &limit, &err);
    if (U_FAILURE(err)) return 0;
    if (m && klen > 0 && *len <= MEMO_OUT) {
        m->klen = (uint8_t)klen;
        m->olen = (uint8_t)*len;
        memcpy(m->key, key, (size_t)klen * sizeof *key);
        for (int32_t k = 0; k < *len; k++) m->out[k] = buf[k] < 0x80 ? (char)buf[k] : ' ';
    }
    return 1;
}

/* cp[0..n) as UTF-16 into buf, at most a quarter of cap code points
 * (ICU's output may be longer than its input; a longer run is cut, as it
 * always was, at TXS__RUN_MAX); the units written. */
static int32_t to_utf16(const int32_t *cp, size_t n, UChar *buf, int32_t cap)
{
    int32_t len = 0;
    for (size_t k = 0; k < n && len < cap / 4; k++) {
        uint32_t c = (uint32_t)cp[k];
        if (c >= 0x10000) {
            buf[len++] = (UChar)(0xd800 + ((c - 0x10000) >> 10));
            buf[len++] = (UChar)(0xdc00 + ((c - 0x10000) & 0x3ff));
        } else {
            buf[len++] = (UChar)c;
        }
    }
    return len;
}

int txs__norm_icu_text(void *t, const int32_t *cp, size_t n, char *out, size_t cap)
{
    UChar buf[4 * TXS__RUN_MAX];
    int32_t ucap = (int32_t)(sizeof buf / sizeof buf[0]);
    int32_t len = to_utf16(cp, n, buf, ucap);
    if (!translit(t, buf, &len, ucap) || (size_t)len > cap) return -1;
    for (int32_t k = 0; k < len; k++) out[k] = buf[k] < 0x80 ? (char)buf[k] : ' ';
    return (int)len;
}

/* Transliterate one run; each Han character separately, so that its
 * syllable becomes a word of its own (Chinese given names are written as one
 * word in Latin, sometimes two: the scorer merges adjacent syllables). */
void txs__norm_icu_run(void *t, const int32_t *cp, size_t n, txs__words *w)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        int han = is_han(cp[i]);
        if (!han)
            while (j < n && !is_han(cp[j])) j++;
        if (j == i + 1 && cp[i] == 0x3005) {
            /* The iteration mark alone (佐々木): ICU leaves it as it is,
             * a non-ASCII unit, so a break; asking ICU would build its
             * Han-Latin rules (the mark is of the Han script). */
            txs__norm_ascii_byte_flags(w, ' ', TXS_TOK_NONLATIN);
            i = j;
            continue;
        }
        char out[4 * TXS__RUN_MAX];
        int len = txs__norm_icu_text(t, cp + i, j - i, out, sizeof out);
        uint16_t fl = (uint16_t)(TXS_TOK_NONLATIN | (han ? TXS_TOK_HAN | TXS_TOK_HANZI : 0));
        if (han) txs__words_break(w, 1);
        for (int k = 0; k < len; k++) txs__norm_ascii_byte_flags(w, (unsigned char)out[k], fl);
        if (han) txs__words_break(w, 1);
        i = j;
    }
}
