/*
 * syllabic.c: Devanagari, Thai and kana word runs to ASCII, the same bytes
 * ICU's "Any-Latin; Latin-ASCII" writes for them, without ICU's
 * transliterator.  Opening any ICU transliterator first registers every
 * transform ICU ships (about 137 M instructions, 12 ms, once a process),
 * and each word then costs tens of thousands of instructions; these three
 * scripts are the ones the bench exports and the name pools hold, so a run
 * of them no longer opens ICU (docs/benchmarks.md).
 *
 * Each function reads one run (letters and marks of its script, composed
 * and case-folded as unicode.c gives them) and writes what ICU would, with
 * every non-ASCII unit ICU would leave written as ' ' (unicode.c reads
 * ICU's output that way).  A run outside the sequences modelled here
 * (signs out of place, rare letters, characters of another script) gets
 * -1, and the caller asks ICU: the answer is then ICU's in every case.
 * tests/unit/test_syllabic.c compares the two on every run of up to three
 * characters of each script, on longer runs of common letters and on the
 * words of the name pools; tests/fuzz/fuzz_norm.c on whatever a fuzzer
 * makes of real names.
 *
 * What ICU does, from its rule files (CLDR transforms; facts, not code):
 *
 *   Devanagari (Devanagari-InterIndic, InterIndic-Latin, ISO 15919): a
 *   consonant carries an inherent "a" unless a virama or a vowel sign
 *   follows; the nukta forms are q, kh, g, z, r, rh, f, y; an anusvara is
 *   "n" before a consonant, "m" before a labial and elsewhere; a vowel
 *   letter after a vowel is set off by an apostrophe ("ka'i"), as is an
 *   "h" after a dead consonant whose letter would otherwise read as an
 *   aspirate ("k'ha").
 *
 *   Thai (Thai-Latin: a word break, the logical-order vowels moved after
 *   the consonant that follows them, ISO 11940 letter by letter): ICU
 *   reads the run decomposed, so its marks are first put in canonical
 *   order (txs__norm_thai_order), and the word breaks are then the
 *   caller's (ICU's break iterator on that order, unicode.c), as a bitmap
 *   brk with bit i set when a space goes before character i.
 *
 *   Kana (Katakana-Latin, Hepburn): the syllables, "n'" before a vowel, y
 *   or n, the small ya/yu/yo after an i-syllable, a small tsu doubling the
 *   next consonant, a long-vowel mark dropped.
 *
 * Latin-ASCII then drops the diacritics, so each table here holds the
 * ASCII letters; a combining mark ICU writes after a letter disappears
 * with it.
 */
#include <string.h>

#include "norm_int.h"

typedef struct outbuf {
    char *p;
    size_t n, cap;
    int full;
} outbuf;

static void put(outbuf *o, const char *s)
{
    size_t k = strlen(s);
    if (o->n + k > o->cap) {
        o->full = 1;
        return;
    }
    memcpy(o->p + o->n, s, k);
    o->n += k;
}

/* ---- Devanagari ---- */

/* U+0915..U+0939, the consonants (ISO 15919 without its diacritics) */
static const char *const deva_cons[37] = {
    "k", "kh", "g", "gh", "n", "c", "ch", "j", "jh", "n", "t", "th", "d", "dh", "n", "t", "th", "d",
    "dh", "n", "n", "p", "ph", "b", "bh", "m", "y", "r", "r", "l", "l", "l", "v", "s", "s", "s", "h"};

/* U+093E..U+094C, the vowel signs */
static const char *const deva_sign[15] = {"a", "i", "i", "u", "u", "r", "r", "e", "e", "e",
                                          "ai", "o", "o", "o", "au"};

/* U+0905..U+0914, the vowel letters */
static const char *const deva_vowel[16] = {"a", "a", "i", "i", "u", "u", "r", "l",
                                           "e", "e", "e", "ai", "o", "o", "o", "au"};

static int deva_is_cons(int32_t c) { return (c >= 0x915 && c <= 0x939) || (c >= 0x958 && c <= 0x95f); }

/* U+0958..U+095F, the consonants with a nukta written as one character
 * (composition exclusions, which utf8proc composes all the same) */
static const int32_t deva_nukta_base[8] = {0x915, 0x916, 0x917, 0x91c, 0x921, 0x922, 0x92b, 0x92f};

static int deva_is_sign(int32_t c) { return (c >= 0x93e && c <= 0x94c) || c == 0x962 || c == 0x963; }

static const char *deva_sign_of(int32_t c) { return c <= 0x94c ? deva_sign[c - 0x93e] : "l"; }

/* A consonant with a nukta: its letter, or NULL when not modelled. */
static const char *deva_nukta(int32_t c)
{
    switch (c) {
    case 0x915: return "q";
    case 0x916: return "kh";
    case 0x917: return "g";
    case 0x91c: return "z";
    case 0x921: return "r";
    case 0x922: return "rh";
    case 0x92b: return "f";
    case 0x92f: return "y";
    default: return NULL;
    }
}

/* Whether ICU sets off consonant c after the dead consonant d with an
 * apostrophe (InterIndic-Latin keeps its Latin readable back: "k'ha" is
 * not kha, "t'tha" not tth-a); d 0 when there is none or it had a nukta. */
static int deva_apos(int32_t d, int32_t c)
{
    switch (d) {
    case 0x915: case 0x917: case 0x91a: case 0x91c: case 0x91f: case 0x92a: case 0x92c:
    case 0x930: case 0x932: case 0x933: return c == 0x939;
    case 0x924: return c == 0x939 || c == 0x91f || c == 0x920 || c == 0x925;
    case 0x926: return c == 0x939 || c == 0x921 || c == 0x922 || c == 0x927;
    case 0x928: return c == 0x917 || c == 0x92f;
    case 0x92e: return c == 0x92e;
    case 0x938: return c == 0x939 || c == 0x936 || c == 0x937 || c == 0x938;
    default: return 0;
    }
}

/* Labials, before which an anusvara reads "m". */
static int deva_labial(int32_t c)
{
    if (c >= 0x958 && c <= 0x95f) c = deva_nukta_base[c - 0x958];
    return c >= 0x92a && c <= 0x92e;
}

int txs__norm_deva(const int32_t *cp, size_t n, char *out, size_t cap)
{
    outbuf o = {out, 0, cap, 0};
    int vowel_end = 0; /* the output so far ends in a vowel */
    int32_t dead = 0;  /* the last consonant, when a virama killed it */
    for (size_t i = 0; i < n;) {
        int32_t c = cp[i];
        if (deva_is_cons(c)) {
            int nukta = c >= 0x958;
            if (nukta) c = deva_nukta_base[c - 0x958];
            const char *l = nukta ? deva_nukta(c) : deva_cons[c - 0x915];
            int32_t self = nukta ? 0 : c;
            i++;
            if (!nukta && i < n && cp[i] == 0x93c) { /* nukta */
                if ((l = deva_nukta(c)) == NULL) return -1;
                self = 0;
                i++;
            }
            if (deva_apos(dead, c)) put(&o, "'");
            dead = 0;
            put(&o, l);
            if (i < n && cp[i] == 0x94d) { /* virama: no vowel */
                i++;
                dead = self;
                vowel_end = 0;
                continue;
            }
            int sign = i < n && deva_is_sign(cp[i]);
            /* ICU's rules misfire on dda, a vowel sign, then ha ("d'" and
             * a stray mark): left to ICU */
            if (sign && self == 0x921 && i + 1 < n && cp[i + 1] == 0x939) return -1;
            if (sign) {
                put(&o, deva_sign_of(cp[i]));
                i++;
            } else {
                put(&o, "a");
            }
            vowel_end = 1;
        } else if (c >= 0x905 && c <= 0x914) {
            /* set off after a vowel, and after a dead ra ("r'a" is not ra) */
            if (vowel_end || dead == 0x930) put(&o, "'");
            dead = 0;
            put(&o, deva_vowel[c - 0x905]);
            vowel_end = 1;
            i++;
        } else if (deva_is_sign(c) && i > 0 && !((cp[i - 1] >= 0x904 && cp[i - 1] <= 0x914) ||
                                                  cp[i - 1] == 0x960 || cp[i - 1] == 0x961)) {
            /* a vowel sign with no consonant of its own (a typing slip):
             * its vowel alone (after a vowel letter ICU's own way) */
            dead = 0;
            put(&o, deva_sign_of(c));
            vowel_end = 1;
            i++;
        } else if (c == 0x960 || c == 0x961) {
            if (vowel_end || dead == 0x930) put(&o, "'");
            dead = 0;
            put(&o, c == 0x960 ? "r" : "l");
            vowel_end = 1;
            i++;
        } else {
            return -1; /* a sign out of place, or a letter not modelled */
        }
        /* the sign a syllable may end with (two: not modelled) */
        if (i < n && (cp[i] == 0x901 || cp[i] == 0x902 || cp[i] == 0x903)) {
            if (cp[i] == 0x903) put(&o, "h");
            else if (cp[i] == 0x902 && i + 1 < n && deva_is_cons(cp[i + 1]) &&
                     !deva_labial(cp[i + 1]))
                put(&o, "n");
            else
                put(&o, "m");
            vowel_end = 0;
            i++;
            if (i < n && (cp[i] == 0x901 || cp[i] == 0x902 || cp[i] == 0x903)) return -1;
        }
    }
    return o.full ? -1 : (int)o.n;
}

/* ---- Thai ---- */

/* U+0E01..U+0E2E, the consonants (ISO 11940 without its diacritics; the
 * modifier prime of kho khon, tho phuthao and so rusi is an apostrophe in
 * Latin-ASCII) */
static const char *const thai_cons[46] = {
    "k",  "kh", "kh", "kh", "k'h", "kh", "ng", "c", "ch", "ch", "s",  "ch", "y",  "d",  "t", "th",
    "th", "t'h", "n", "d",  "t",  "th", "th", "th", "n", "b",  "p",  "ph", "f",  "ph", "f", "ph",
    "m",  "y",  "r", "v",  "l",  "l",  "w",  "s",  "s'", "s",  "h",  "l",  "x",  "h"};

/* U+0E30..U+0E39 after the consonants: sara a .. sara uu (phinthu below) */
static const char *const thai_vowel[10] = {"a", "a", "a", "a", "i", "i", "u", "u", "u", "u"};

/* U+0E40..U+0E45: the vowels written before their consonant, and
 * lakkhangyao */
static const char *const thai_pre[6] = {"e", "ae", "o", "i", "i", "i"};

static int thai_ccc(int32_t c)
{
    if (c == 0xe3a) return 9;
    if (c == 0xe38 || c == 0xe39) return 103;
    if (c >= 0xe48 && c <= 0xe4b) return 107;
    return 0;
}

void txs__norm_thai_order(int32_t *v, size_t n)
{
    /* a stable sort of each run of marks by canonical class: phinthu 9,
     * sara u and uu 103, the tone marks 107 */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && thai_ccc(v[j - 1]) > thai_ccc(v[j]) && thai_ccc(v[j]); j--) {
            int32_t t = v[j];
            v[j] = v[j - 1], v[j - 1] = t;
        }
}

int txs__norm_thai(const int32_t *cp, size_t n, const uint64_t *brk, char *out, size_t cap)
{
    outbuf o = {out, 0, cap, 0};
    int32_t v[64];
    if (n > 64) return -1;
    /* logical order: a vowel written first goes after the character that
     * follows it (Thai-ThaiLogical), pairs taken left to right */
    memcpy(v, cp, n * sizeof *v);
    uint64_t b = brk ? brk[0] : 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (v[i] >= 0xe40 && v[i] <= 0xe44 && !(v[i + 1] >= 0xe40 && v[i + 1] <= 0xe44) &&
            !(b >> (i + 1) & 1)) {
            int32_t t = v[i];
            v[i] = v[i + 1], v[i + 1] = t;
            i++;
        }
    int letter = 0; /* the output ends in a letter, which a mark sits on */
    for (size_t i = 0; i < n; i++) {
        int32_t c = v[i];
        if (b >> i & 1 && i > 0) {
            put(&o, " ");
            letter = 0;
        }
        if (c >= 0xe01 && c <= 0xe2e) {
            const char *l = thai_cons[c - 0xe01];
            put(&o, l);
            letter = l[strlen(l) - 1] != '\''; /* so rusi: a mark stays on the prime */
        } else if (c >= 0xe30 && c <= 0xe39) {
            put(&o, thai_vowel[c - 0xe30]);
            letter = 1;
        } else if (c >= 0xe40 && c <= 0xe45) {
            put(&o, thai_pre[c - 0xe40]);
            letter = 1;
        } else if (c >= 0xe47 && c <= 0xe4d) {
            /* tone marks and the like: combining marks on the letter
             * before, gone with its diacritics */
            if (!letter) put(&o, " "); /* left standing: not ASCII */
        } else if (c == 0xe4e) {
            put(&o, "~");
            letter = 0;
        } else {
            return -1;
        }
    }
    return o.full ? -1 : (int)o.n;
}

/* ---- kana ---- */

/* A katakana code point for c (hiragana moved up by 0x60), or 0. */
static int32_t kata(int32_t c)
{
    if (c >= 0x3041 && c <= 0x3096) return c + 0x60;
    if (c >= 0x30a1 && c <= 0x30fc) return c;
    return 0;
}

/* U+30A1..U+30F4, the syllables; NULL: small kana or not modelled */
static const char *const kana_syl[84] = {
    NULL, "a",  NULL, "i",  NULL, "u",  NULL,  "e",  NULL, "o",   "ka", "ga", "ki", "gi", "ku",
    "gu", "ke", "ge", "ko", "go", "sa", "za",  "shi", "ji", "su", "zu", "se", "ze", "so", "zo",
    "ta", "da", "chi", "dji", NULL, "tsu", "dzu", "te", "de", "to", "do", "na", "ni", "nu", "ne",
    "no", "ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo",
    "po", "ma", "mi", "mu", "me", "mo", NULL, "ya", NULL, "yu", NULL, "yo", "ra", "ri", "ru",
    "re", "ro", NULL, "wa", "wi", "we", "wo", "n",  "vu"};

static const char *kana_of(int32_t k)
{
    return k >= 0x30a1 && k <= 0x30f4 ? kana_syl[k - 0x30a1] : NULL;
}

int txs__norm_kana(const int32_t *cp, size_t n, char *out, size_t cap)
{
    outbuf o = {out, 0, cap, 0};
    int vowel_end = 0, hira = 0, kata_ = 0;
    /* ICU reads hiragana and katakana as two scripts: one of them a run */
    for (size_t i = 0; i < n; i++) {
        hira |= cp[i] >= 0x3041 && cp[i] <= 0x3096;
        kata_ |= cp[i] >= 0x30a1 && cp[i] <= 0x30fa;
    }
    if (hira && kata_) return -1;
    for (size_t i = 0; i < n; i++) {
        int32_t k = kata(cp[i]);
        const char *s = kana_of(k);
        if (k == 0x30fc) { /* long vowel mark: gone after a vowel */
            if (!vowel_end) return -1;
            continue;
        }
        if (k == 0x30c3) { /* small tsu: the next consonant doubled */
            const char *nx = i + 1 < n ? kana_of(kata(cp[i + 1])) : NULL;
            /* doubled before these; ICU writes "~tsu" before the rest */
            if (nx == NULL || !strchr("kstcphfbmnryw", nx[0])) return -1;
            char d[2] = {nx[0] == 'c' ? 't' : nx[0], '\0'};
            put(&o, d);
            vowel_end = 0;
            continue;
        }
        if (s == NULL) return -1;
        if (k == 0x30f3) { /* n: set off before a vowel, y, n or v */
            const char *nx = i + 1 < n ? kana_of(kata(cp[i + 1])) : NULL;
            put(&o, nx && strchr("aiueoynv", nx[0]) ? "n'" : "n");
            vowel_end = 0;
            continue;
        }
        int32_t sm = i + 1 < n ? kata(cp[i + 1]) : 0;
        if (sm == 0x30e3 || sm == 0x30e5 || sm == 0x30e7) { /* small ya, yu, yo */
            size_t l = strlen(s);
            if (l < 2 || s[l - 1] != 'i' || s[0] == 'w') return -1;
            char y[8];
            const char *tail = sm == 0x30e3 ? "a" : sm == 0x30e5 ? "u" : "o";
            memcpy(y, s, l - 1);
            if (strcmp(s, "shi") && strcmp(s, "chi") && strcmp(s, "ji") && strcmp(s, "dji"))
                y[l - 1] = 'y', y[l] = '\0';
            else
                y[l - 1] = '\0';
            strcat(y, tail);
            put(&o, y);
            i++;
        } else {
            put(&o, s);
        }
        vowel_end = 1;
    }
    return o.full ? -1 : (int)o.n;
}
