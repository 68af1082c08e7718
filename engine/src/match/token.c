/*
 * token.c: comparing two name tokens.  Three views of a token:
 *
 *   raw       as normalised ("mohammed")
 *   fold      transliteration variants collapsed: kh>h, ph>f, x>ks, q>k,
 *             ck>k, c>k (not in ch), w>v, y>i, ou/oo>u, ee>i, eo>o, eu>u,
 *             dzh/dj/zh>j, sch>sh, tch/tsch>ch, doubled letters once
 *             ("mohammed" -> "mohamed", "khaled" -> "haled")
 *   skeleton  consonants only, for Arabic and Hebrew which write no short
 *             vowels ("mhmwd" and "mahmoud" -> "mhmd"); made when a pair
 *             of an Arabic or Hebrew token and another needs it
 *
 * Folded tokens are compared with a Damerau-Levenshtein distance whose
 * substitution costs are lower for confusable pairs (the rigour compare
 * table: 0/o, 1/i, e/i, o/u, c/k ...; vowels among themselves), and a
 * length-dependent budget: past it the tokens are different names, not
 * misspellings (Frank vs Frederik), whatever their shared letters.
 */
#include <string.h>

#include "match_int.h"

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* The fold's rules, grouped by first letter; within a letter, in the
 * order they are tried (the first that applies wins).  first_rule[c] is
 * one more than the index of letter c's first rule, 0 when c starts none:
 * most letters are copied after one load. */
static const struct { char from[5], to[3]; uint8_t n; } rules[] = {
    {"tsch", "ch", 4}, {"tch", "ch", 3}, {"dzh", "j", 3}, {"dj", "j", 2}, {"sch", "sh", 3},
    {"kh", "h", 2},    {"ph", "f", 2},   {"ck", "k", 2},  {"zh", "j", 2}, {"ou", "u", 2},
    {"oo", "u", 2},    {"ee", "i", 2},   {"eo", "o", 2},  {"eu", "u", 2}, {"x", "ks", 1},
    {"q", "k", 1},     {"w", "v", 1},    {"y", "i", 1},
};
static const uint8_t first_rule[128] = {
    ['t'] = 1, ['d'] = 3, ['s'] = 5, ['k'] = 6, ['p'] = 7, ['c'] = 8, ['z'] = 9, ['o'] = 10,
    ['e'] = 12, ['x'] = 15, ['q'] = 16, ['w'] = 17, ['y'] = 18,
};

/* The rule applying at p[i], or -1. */
static int rule_at(const char *p, size_t n, size_t i)
{
    unsigned char c = (unsigned char)p[i];
    if (c >= 128 || first_rule[c] == 0) return -1;
    for (int r = first_rule[c] - 1; r < (int)(sizeof rules / sizeof rules[0]) && rules[r].from[0] == p[i]; r++) {
        /* at most four bytes, the first equal: compared in place (a call
         * to memcmp cost more than the compare) */
        uint8_t k = 1;
        if (i + rules[r].n > n) continue;
        while (k < rules[r].n && p[i + k] == rules[r].from[k]) k++;
        if (k == rules[r].n) return r;
    }
    return -1;
}

/* The transliteration-variant fold; out holds TXS__MATCH_TOKMAX bytes. */
uint16_t txs__match_fold(const char *p, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < TXS__MATCH_TOKMAX;) {
        int r = rule_at(p, n, i);
        const char *to;
        size_t adv;
        if (r >= 0) {
            to = rules[r].to;
            adv = rules[r].n;
        } else if (p[i] == 'c' && !(i + 1 < n && p[i + 1] == 'h')) {
            to = "k";
            adv = 1;
        } else {
            out[k] = p[i];
            to = NULL;
            adv = 1;
        }
        if (to) {
            for (; *to && k + 1 < TXS__MATCH_TOKMAX; to++)
                if (k == 0 || out[k - 1] != *to) out[k++] = *to;
        } else if (k == 0 || out[k - 1] != p[i]) {
            k++;
        }
        i += adv;
    }
    out[k] = '\0';
    return (uint16_t)k;
}

uint16_t txs__match_skeleton(const char *p, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < TXS__MATCH_TOKMAX; i++) {
        char c = p[i] == 'q' ? 'k' : p[i];
        if (is_vowel(c) || c == 'w') continue;
        if (k && out[k - 1] == c) continue;
        out[k++] = c;
    }
    if (k > 1 && out[k - 1] == 'h') k--; /* final h: a vowel carrier (Moshe, Allah ~ Alla) */
    out[k] = '\0';
    return (uint16_t)k;
}

void txs__match_prep(txs__mtok *t, const char *p, size_t n, uint16_t flags)
{
    t->raw = p;
    t->rawlen = (uint16_t)(n < 0xffff ? n : 0xffff);
    t->flags = flags;
    t->flen = txs__match_fold(p, n, t->fold);
    t->weight = 1.0f;
}

/* Confusable letter pairs (the rigour compare table: 0/o, 1/i, 1/l, g/9,
 * q/9, b/6, 5/s, e/i, o/u, i/j, i/y, c/k, n/h, g/k, b/p, d/t, s/z, v/f,
 * j/g), both ways round: one load in the edit distance's inner loop
 * instead of a scan of the pairs (tests/unit/test_match.c checks every
 * byte pair against that scan). */
static const unsigned char conf[128][128] = {
    ['0']['o'] = 1, ['o']['0'] = 1, ['1']['i'] = 1, ['i']['1'] = 1, ['1']['l'] = 1, ['l']['1'] = 1,
    ['g']['9'] = 1, ['9']['g'] = 1, ['q']['9'] = 1, ['9']['q'] = 1, ['b']['6'] = 1, ['6']['b'] = 1,
    ['5']['s'] = 1, ['s']['5'] = 1, ['e']['i'] = 1, ['i']['e'] = 1, ['o']['u'] = 1, ['u']['o'] = 1,
    ['i']['j'] = 1, ['j']['i'] = 1, ['i']['y'] = 1, ['y']['i'] = 1, ['c']['k'] = 1, ['k']['c'] = 1,
    ['n']['h'] = 1, ['h']['n'] = 1, ['g']['k'] = 1, ['k']['g'] = 1, ['b']['p'] = 1, ['p']['b'] = 1,
    ['d']['t'] = 1, ['t']['d'] = 1, ['s']['z'] = 1, ['z']['s'] = 1, ['v']['f'] = 1, ['f']['v'] = 1,
    ['j']['g'] = 1, ['g']['j'] = 1,
};

int txs__match_confusable(char a, char b)
{
    unsigned char x = (unsigned char)a, y = (unsigned char)b;
    return x < 128 && y < 128 && conf[x][y];
}

static double sub_cost(char a, char b)
{
    if (a == b) return 0.0;
    if (txs__match_confusable(a, b)) return 0.5;
    if (is_vowel(a) && is_vowel(b)) return 0.6;
    return 1.0;
}

static double min3(double a, double b, double c)
{
    double m = a < b ? a : b;
    return m < c ? m : c;
}

/* Hot loop: three rows of a Damerau-Levenshtein table on the stack; stops
 * as soon as a whole row exceeds limit (the answer can only grow). */
static double edit_cost(const char *a, size_t na, const char *b, size_t nb, double limit)
{
    double r0[TXS__MATCH_TOKMAX * 2 + 1], r1[TXS__MATCH_TOKMAX * 2 + 1], r2[TXS__MATCH_TOKMAX * 2 + 1];
    double *pp = r0, *prev = r1, *cur = r2;
    if (na > TXS__MATCH_TOKMAX * 2) na = TXS__MATCH_TOKMAX * 2;
    if (nb > TXS__MATCH_TOKMAX * 2) nb = TXS__MATCH_TOKMAX * 2;
    for (size_t j = 0; j <= nb; j++) prev[j] = (double)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (double)i;
        double rowmin = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            double v = min3(prev[j] + 1.0, cur[j - 1] + 1.0, prev[j - 1] + sub_cost(a[i - 1], b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1.0 < v)
                v = pp[j - 2] + 1.0;
            cur[j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (rowmin > limit) return rowmin;
        double *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

double txs__match_edit_cost(const char *a, size_t na, const char *b, size_t nb)
{
    return edit_cost(a, na, b, nb, 1e9);
}

/* The bit-parallel edit distance (Myers 1999, in Hyyro's formulation) of
 * a pattern given by its match masks peq (bit i of peq[k]: byte class k
 * matches pattern byte i; classes are a byte's low five bits) and length
 * na (1..64), against b: one column of the table per byte of b, as two bit
 * vectors of +1 / -1 vertical steps.  With transpose, an adjacent swap of
 * matching bytes costs one edit (the restricted Damerau distance; Hyyro
 * 2001).  What "matches" means is the masks' business: exact bytes for
 * txs__match_levenshtein64, soft-equal ones for the bound (bound.c). */
unsigned txs__match_myers(const uint64_t *peq, size_t na, const char *b, size_t nb, int transpose)
{
    uint64_t pv = na == 64 ? ~0ull : (1ull << na) - 1, mv = 0, last = 1ull << (na - 1);
    uint64_t d0prev = 0, pmprev = 0, tmask = transpose ? ~0ull : 0;
    unsigned d = (unsigned)na;
    for (size_t j = 0; j < nb; j++) {
        uint64_t pm = peq[(unsigned char)b[j] & 31u];
        uint64_t tr = ((~d0prev & pm) << 1) & pmprev & tmask;
        uint64_t d0 = (((pm & pv) + pv) ^ pv) | pm | mv | tr;
        uint64_t hp = mv | ~(d0 | pv), hn = pv & d0;
        if (hp & last) d++;
        else if (hn & last) d--;
        hp = hp << 1 | 1;
        hn <<= 1;
        pv = hn | ~(d0 | hp);
        mv = hp & d0;
        d0prev = d0;
        pmprev = pm;
    }
    return d;
}

/* The unit-cost Levenshtein distance of a (at most 64 bytes) and b.  Bytes
 * are told apart by their low five bits only, so the match masks are 32
 * words to clear, not 256: exact for letters (a..z are 1..26), and where
 * two bytes share the bits (a digit and a letter) they count as equal,
 * which can only lower the result.  So: at most the Levenshtein distance,
 * equal to it when no two different bytes of a and b agree mod 32. */
unsigned txs__match_levenshtein64(const char *a, size_t na, const char *b, size_t nb)
{
    uint64_t peq[32];
    if (na == 0) return (unsigned)nb;
    memset(peq, 0, sizeof peq);
    for (size_t i = 0; i < na; i++) peq[(unsigned char)a[i] & 31] |= 1ull << i;
    return txs__match_myers(peq, na, b, nb, 0);
}

/* A lower bound of edit_cost: each unit edit of a Levenshtein alignment
 * (of which txs__match_levenshtein64 gives at most the count)
 * costs edit_cost at least 0.5 (a confusable substitution; a transposition,
 * 1, stands for two), and the length difference is paid in insertions at 1
 * each, half of which the first term counted. */
double txs__match_edit_bound(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > 64) return 0.0;
    size_t dl = na > nb ? na - nb : nb - na;
    return 0.5 * (double)(txs__match_levenshtein64(a, na, b, nb) + dl);
}

double txs__match_str_sim(const char *a, size_t na, const char *b, size_t nb)
{
    size_t l = na > nb ? na : nb;
    if (l == 0) return 0.0;
    if (na == nb && memcmp(a, b, na) == 0) return 1.0;
    /* the length difference alone costs that many insertions */
    double budget = txs__match_budget(l);
    if ((double)(l - (na < nb ? na : nb)) > budget) return 0.0;
    if (txs__match_edit_bound(a, na, b, nb) > budget) return 0.0;
    double d = edit_cost(a, na, b, nb, budget);
    if (d > budget) return 0.0;
    return 1.0 - d / (double)l;
}

/* A Korean syllable's romanisation reduced to what Revised Romanization,
 * McCune-Reischauer and the common spellings of names agree on: the vowels
 * eo, eu, u, oo, ou as o, ae as e, oi as oe; g/k, d/t, b/p, j/ch, sh/s as
 * one; r as l, and dropped before a consonant (Park); doubled letters once;
 * the surname I/Ri/Li/Lee/Yi/Rhee as one.  "gim" and "kim", "jeong",
 * "chong" and "jung", "seong" and "sung" fold together; "yeong" and "jong",
 * "sang" and "song" do not: those are other syllables. */
size_t txs__match_korean_fold(const char *p, size_t n, char *out, size_t cap)
{
    static const char *const I[] = {"i", "ri", "li", "lee", "yi", "rhee", "rhie"};
    for (size_t k = 0; k < sizeof I / sizeof *I; k++)
        if (strlen(I[k]) == n && memcmp(I[k], p, n) == 0) {
            out[0] = 'i';
            return 1;
        }
    size_t m = 0;
    for (size_t i = 0; i < n && m + 2 <= cap; i++) {
        char c = p[i], nx = i + 1 < n ? p[i + 1] : '\0';
        if ((c == 'c' || c == 's') && nx == 'h') i++;                  /* ch, sh */
        else if ((c == 'e' && (nx == 'o' || nx == 'u')) || (c == 'o' && (nx == 'o' || nx == 'u'))) {
            c = 'o';
            i++;
        } else if (c == 'a' && nx == 'e') {
            c = 'e';
            i++;
        } else if (c == 'o' && nx == 'i') {
            out[m++] = 'o';
            c = 'e';
            i++;
        } else if (c == 'r' && nx && !strchr("aeiouwy", nx)) {
            continue;
        }
        c = c == 'u' ? 'o' : c == 'g' ? 'k' : c == 'd' ? 't' : c == 'b' ? 'p' : c == 'j' ? 'c'
            : c == 'r' ? 'l' : c;
        if (m && out[m - 1] == c) continue;
        out[m++] = c;
    }
    return m;
}

/* A Hangul syllable against another token: the same syllable in another
 * romanisation (0.95, a variant), else nothing; one letter off is another
 * syllable, not a typo ("yeong" / "jong"). */
static double hangul_sim(const txs__mtok *a, const txs__mtok *b, int *how)
{
    char x[TXS__MATCH_TOKMAX], y[TXS__MATCH_TOKMAX];
    size_t nx = txs__match_korean_fold(a->raw, a->rawlen, x, sizeof x);
    size_t ny = txs__match_korean_fold(b->raw, b->rawlen, y, sizeof y);
    *how = nx == ny && memcmp(x, y, nx) == 0 ? TXS__HOW_FOLD : TXS__HOW_NONE;
    return *how == TXS__HOW_FOLD ? 0.95 : 0.0;
}

static int is_initial_of(const txs__mtok *i, const txs__mtok *full)
{
    return (i->flags & TXS_TOK_INITIAL) && !(full->flags & TXS_TOK_NUMBER) && full->rawlen > 1 &&
           full->raw[0] == i->raw[0];
}

double txs__match_tok_sim(const txs_match_params *p, const txs__mtok *a, const txs__mtok *b, int *how)
{
    *how = TXS__HOW_EXACT;
    if (a->rawlen == b->rawlen && memcmp(a->raw, b->raw, a->rawlen) == 0) return 1.0;
    if (((a->flags | b->flags) & (TXS_TOK_HAN | TXS_TOK_HANZI | TXS_TOK_NUMBER)) == TXS_TOK_HAN)
        return hangul_sim(a, b, how);
    if ((a->flags | b->flags) & TXS_TOK_NUMBER) {
        *how = TXS__HOW_NUMBER;
        return (a->flags & b->flags & TXS_TOK_NUMBER) ? p->number_sim : 0.0;
    }
    if (is_initial_of(a, b) || is_initial_of(b, a)) {
        *how = TXS__HOW_INITIAL;
        return p->initial_sim;
    }
    if ((a->flags | b->flags) & TXS_TOK_INITIAL) {
        *how = TXS__HOW_NONE;
        return 0.0;
    }
    double s;
    char ka[TXS__MATCH_TOKMAX], kb[TXS__MATCH_TOKMAX];
    uint16_t la, lb;
    if (((a->flags ^ b->flags) & TXS_TOK_ABJAD) && (la = txs__match_skeleton(a->raw, a->rawlen, ka)) &&
        (lb = txs__match_skeleton(b->raw, b->rawlen, kb))) {
        *how = TXS__HOW_SKELETON;
        s = txs__match_str_sim(ka, la, kb, lb) * p->abjad_factor;
        /* Arabic and Hebrew letters carry consonants, not a spelling: the
         * skeleton is the comparison, and a token that fails it is not
         * then compared letter by letter ("arad" / "asad") */
        if (s > 0.0 || (((a->flags & TXS_TOK_ABJAD) ? a : b)->flags & TXS_TOK_NONLATIN)) {
            *how = s > 0.0 ? TXS__HOW_SKELETON : TXS__HOW_NONE;
            return s;
        }
    }
    if (a->flen == b->flen && memcmp(a->fold, b->fold, a->flen) == 0) {
        *how = TXS__HOW_FOLD;
        return 0.95;
    }
    /* A syllable read from a Han character is that character's reading:
     * one letter off ("wang" / "yang") is another character, not a typo,
     * and short syllables sit one edit from many others.  (Hangul is not
     * included: its romanisations differ by a letter, "gim" / "kim".) */
    if ((a->flags | b->flags) & TXS_TOK_HANZI) {
        *how = TXS__HOW_NONE;
        return 0.0;
    }
    *how = TXS__HOW_EDIT;
    s = txs__match_str_sim(a->fold, a->flen, b->fold, b->flen);
    /* The fold can widen a typo: a doubled letter written once more or
     * less ("jall" folds to "jal", three letters from "jalil"), or a
     * dropped h that the fold then rewrites ("coe" -> "koe" against
     * "choe").  When the folds are past the budget, the tokens as written
     * get their own chance, for one edit at most (a wider budget would
     * come with the longer spelling: "hamidullah" is not "waliullah"),
     * and only when they start with the same letter: the lengths within
     * one and the first letter are checked before any distance, since most
     * pairs that reach here fail them (same alerts on the recall, negative
     * and bench sets; docs/matching.md "Recall: ..."). */
    if (s == 0.0 && a->rawlen >= 3 && b->rawlen >= 3 && a->rawlen <= b->rawlen + 1u &&
        b->rawlen <= a->rawlen + 1u && a->raw[0] == b->raw[0] &&
        (a->flen != a->rawlen || b->flen != b->rawlen || memcmp(a->fold, a->raw, a->flen) != 0 ||
         memcmp(b->fold, b->raw, b->flen) != 0) &&
        txs__match_edit_bound(a->raw, a->rawlen, b->raw, b->rawlen) <= 1.0) {
        double d = edit_cost(a->raw, a->rawlen, b->raw, b->rawlen, 1.0);
        size_t l = a->rawlen > b->rawlen ? a->rawlen : b->rawlen;
        if (d <= 1.0) s = 1.0 - d / (double)l;
    }
    if (s == 0.0) *how = TXS__HOW_NONE;
    return s;
}
