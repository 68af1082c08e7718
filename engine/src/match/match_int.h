/*
 * match_int.h: private to engine/src/match.  Token-level comparison
 * (token.c) shared by the alignment scorer (score.c).  The prepared token
 * and side (txs__mtok, txs__mside) are match.h's: the sanctions screener
 * prepares a query once for many candidates.
 */
#ifndef TXS_MATCH_INT_H
#define TXS_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/match.h"

/* Fill t from text p[0..n) with flags; weight is set by the caller. */
void txs__match_prep(txs__mtok *t, const char *p, size_t n, uint16_t flags);

/* The consonant skeleton of p[0..n) into out (TXS__MATCH_TOKMAX bytes, NUL
 * terminated); its length. */
uint16_t txs__match_skeleton(const char *p, size_t n, char *out);

/* The transliteration-variant fold of p[0..n) into out (TXS__MATCH_TOKMAX
 * bytes, NUL terminated); its length. */
uint16_t txs__match_fold(const char *p, size_t n, char *out);

/* The weighted edit cost a folded token of len bytes may take and still be
 * the same name (txs__match_str_sim gives 0 past it): past it the tokens
 * are different names, not misspellings.  Inline: the bound asks it for
 * most token pairs. */
static inline double txs__match_budget(size_t len)
{
    if (len <= 2) return 0.5;
    if (len <= 4) return 1.0;
    if (len <= 6) return 1.6;
    if (len <= 9) return 2.6;
    return 1.0 + (double)len * 0.25;
}

/* Whether a length difference of dl bytes between two folds, the longer
 * len bytes, is past txs__match_budget(len): the same test in integers,
 * for the bound's loops over token pairs. */
static inline int txs__match_over_budget(size_t dl, size_t len)
{
    if (len <= 2) return dl >= 1;
    if (len <= 6) return dl >= 2;
    if (len <= 9) return dl >= 3;
    return 4 * dl > 4 + len;
}

/* The bits set in x, inline: the engine is built for any x86-64, where
 * __builtin_popcountll is a call into libgcc. */
static inline unsigned txs__popcount64(uint64_t x)
{
    x = x - (x >> 1 & 0x5555555555555555u);
    x = (x & 0x3333333333333333u) + (x >> 2 & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (unsigned)((x * 0x0101010101010101u) >> 56);
}

/* The bit-parallel edit distance of the pattern whose match masks are peq
 * (32 byte classes, a byte's low five bits) and length na (1..64) against
 * b; with transpose, the restricted Damerau distance (token.c). */
unsigned txs__match_myers(const uint64_t *peq, size_t na, const char *b, size_t nb, int transpose);

/* The byte classes (low five bits) the scorer substitutes for c at a cost
 * under 1 (bound.c). */
uint32_t txs__match_soft_classes(char c);

/* The restricted Damerau distance (unit costs) of a (first 64 bytes) and
 * b with soft-equal bytes equal: a lower bound of txs__match_edit_cost. */
unsigned txs__match_soft_distance(const char *a, size_t na, const char *b, size_t nb);

/* How a token pair matched, for the explanation. */
enum { TXS__HOW_NONE = 0, TXS__HOW_EXACT, TXS__HOW_FOLD, TXS__HOW_EDIT, TXS__HOW_INITIAL,
       TXS__HOW_SKELETON, TXS__HOW_NUMBER };

/* A romanised Korean syllable (or syllables) p[0..n) folded to what the
 * romanisations agree on (token.c), into out (cap bytes); its length. */
size_t txs__match_korean_fold(const char *p, size_t n, char *out, size_t cap);

/* Similarity of two prepared tokens in [0, 1]; *how says why. */
double txs__match_tok_sim(const txs_match_params *p, const txs__mtok *a, const txs__mtok *b, int *how);

/* Similarity of a folded string against another (used for merged tokens). */
double txs__match_str_sim(const char *a, size_t na, const char *b, size_t nb);

/* Whether letters a and b are a confusable pair (exposed for tests). */
int txs__match_confusable(char a, char b);

/* Levenshtein distance (unit costs) of a (at most 64 bytes) and b, with
 * bytes equal mod 32 counted as equal: exact on letters, a lower bound on
 * any bytes. */
unsigned txs__match_levenshtein64(const char *a, size_t na, const char *b, size_t nb);

/* A lower bound of txs__match_edit_cost(a, b), from the Levenshtein
 * distance; 0 when a is longer than 64 bytes. */
double txs__match_edit_bound(const char *a, size_t na, const char *b, size_t nb);

/* Weighted edit distance with confusable costs (exposed for tests). */
double txs__match_edit_cost(const char *a, size_t na, const char *b, size_t nb);

#endif /* TXS_MATCH_INT_H */
