/*
 * translit.c: built-in transliteration of the alphabets and abjads that
 * sanctions lists and payment names use most, to lowercase ASCII.  Input is
 * one case-folded, composed code point; output a static string.
 *
 * Sources (facts, not code): Cyrillic after BGN/PCGN 1947 for Russian with
 * the Ukrainian, Belarusian, Serbian, Macedonian and Kazakh additions of the
 * same system; Greek after ELOT 743 (simplified); Armenian and Georgian after
 * the BGN/PCGN tables; Hebrew and Arabic letter by letter in the style OFAC
 * and the UN use (no vowel points: the scorer compares consonant skeletons
 * for these, see match/token.c); Hangul by the Revised Romanization of Korean
 * (2000), computed from the syllable's jamo.  Han goes to han_table.c,
 * Devanagari, Thai and kana to syllabic.c, everything else to ICU
 * (unicode.c).
 */
#include <string.h>

#include "norm_int.h"

/* U+0430..U+044F, Russian а..я */
static const char *const cyr_basic[32] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"};

/* U+0450..U+045F: ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */
static const char *const cyr_ext[16] = {
    "e", "e", "dj", "gj", "ye", "dz", "i", "yi", "j", "lj", "nj", "c", "kj", "i", "u", "dz"};

/* Cyrillic letters beyond U+045F used in names (Ukrainian, Kazakh, Tajik,
 * Mongolian, Azerbaijani, Uzbek). */
static const struct { uint32_t cp; const char *s; } cyr_more[] = {
    {0x0491, "g"}, {0x0493, "g"}, {0x0497, "zh"}, {0x049b, "k"}, {0x049d, "k"},
    {0x04a3, "n"}, {0x04af, "u"}, {0x04b1, "u"}, {0x04b3, "kh"}, {0x04b7, "ch"},
    {0x04bb, "h"}, {0x04d9, "a"}, {0x04e9, "o"}, {0x04e3, "i"}, {0x04ef, "u"},
    {0x04cf, "i"}, {0x0456, "i"},
};

/* U+03B1..U+03C9, Greek α..ω (ς folded to σ by case folding, kept anyway) */
static const char *const greek[25] = {
    "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p",
    "r", "s", "s", "t", "y", "f", "ch", "ps", "o"};

/* U+0561..U+0587, Armenian ա..և */
static const char *const armenian[39] = {
    "a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h",
    "dz", "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r",
    "ts", "u", "p", "k", "o", "f", "ev"};

/* U+10D0..U+10F0, Georgian Mkhedruli ა..ჰ */
static const char *const georgian[33] = {
    "a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh",
    "r", "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j",
    "h"};

/* U+05D0..U+05EA, Hebrew א..ת (final forms included) */
static const char *const hebrew[27] = {
    "", "b", "g", "d", "h", "v", "z", "kh", "t", "y", "k", "k", "l", "m", "m", "n",
    "n", "s", "", "f", "p", "ts", "ts", "k", "r", "sh", "t"};

/* U+0621..U+064A, Arabic ء..ي */
static const char *const arabic[42] = {
    "", "a", "a", "", "i", "", "a", "b", "h", "t", "th", "j", "h", "kh", "d", "dh",
    "r", "z", "s", "sh", "s", "d", "t", "z", "", "gh", "", "", "", "", "", "",
    "f", "q", "k", "l", "m", "n", "h", "w", "a", "y"};

/* Persian and Urdu letters outside the Arabic block above. */
static const struct { uint32_t cp; const char *s; } arabic_more[] = {
    {0x067e, "p"}, {0x0686, "ch"}, {0x0698, "zh"}, {0x06af, "g"}, {0x06a9, "k"},
    {0x06cc, "y"}, {0x06c1, "h"}, {0x06d2, "y"}, {0x0679, "t"}, {0x0688, "d"},
    {0x0691, "r"}, {0x06ba, "n"}, {0x06be, "h"}, {0x0671, "a"}, {0x0629, "h"},
};

/* Revised Romanization: initial, medial and final jamo. */
static const char *const hangul_l[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                         "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const hangul_v[21] = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa",
                                         "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui",
                                         "i"};
static const char *const hangul_t[28] = {"", "k", "k", "k", "n", "n", "n", "t", "l", "k",
                                         "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
                                         "t", "ng", "t", "t", "k", "t", "p", "t"};

static const char *hangul(uint32_t cp, char *buf)
{
    uint32_t i = cp - 0xac00;
    const char *l = hangul_l[i / (21 * 28)], *v = hangul_v[(i / 28) % 21], *t = hangul_t[i % 28];
    size_t a = strlen(l), b = strlen(v), c = strlen(t);
    memcpy(buf, l, a);
    memcpy(buf + a, v, b);
    memcpy(buf + a + b, t, c);
    buf[a + b + c] = '\0';
    return buf;
}

static const char *lookup_pairs(uint32_t cp, const void *tab, size_t n)
{
    const struct { uint32_t cp; const char *s; } *t = tab;
    for (size_t i = 0; i < n; i++)
        if (t[i].cp == cp) return t[i].s;
    return NULL;
}

/* Latin letters that do not decompose to an ASCII base under NFKD. */
static const struct { uint32_t cp; const char *s; } latin_extra[] = {
    {0x00df, "ss"}, {0x00e6, "ae"}, {0x00f8, "o"}, {0x0111, "d"}, {0x0142, "l"},
    {0x00fe, "th"}, {0x00f0, "d"}, {0x0153, "oe"}, {0x0131, "i"}, {0x0127, "h"},
    {0x0259, "a"}, {0x014b, "ng"}, {0x0180, "b"}, {0x0192, "f"}, {0x01e5, "g"},
    {0x0268, "i"}, {0x02bb, ""}, {0x02bc, ""}, {0x02be, ""}, {0x02bf, ""},
};

const char *txs__norm_translit(uint32_t cp, char *buf, int *script)
{
    *script = TXS__SCRIPT_ALPHABET;
    if (cp >= 0x0430 && cp <= 0x044f) return cyr_basic[cp - 0x0430];
    if (cp >= 0x0450 && cp <= 0x045f) return cyr_ext[cp - 0x0450];
    if (cp >= 0x0460 && cp <= 0x04ff) return lookup_pairs(cp, cyr_more, TXS_ARRAY_LEN_(cyr_more));
    if (cp >= 0x03b1 && cp <= 0x03c9) return greek[cp - 0x03b1];
    if (cp >= 0x0561 && cp <= 0x0587) return armenian[cp - 0x0561];
    if (cp >= 0x10d0 && cp <= 0x10f0) return georgian[cp - 0x10d0];
    if (cp >= 0xac00 && cp <= 0xd7a3) {
        *script = TXS__SCRIPT_SYLLABLE;
        return hangul(cp, buf);
    }
    *script = TXS__SCRIPT_ABJAD;
    if (cp >= 0x05d0 && cp <= 0x05ea) return hebrew[cp - 0x05d0];
    if (cp >= 0x0621 && cp <= 0x064a) return arabic[cp - 0x0621];
    if (cp >= 0x0671 && cp <= 0x06ff) return lookup_pairs(cp, arabic_more, TXS_ARRAY_LEN_(arabic_more));
    *script = TXS__SCRIPT_LATIN;
    return lookup_pairs(cp, latin_extra, TXS_ARRAY_LEN_(latin_extra));
}
