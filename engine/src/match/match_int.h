/*
 * match_int.h: private to the engine.  Token-level comparison (token.c)
 * shared by the alignment scorer (score.c).
 */
#ifndef TXS_MATCH_INT_H
#define TXS_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/match.h"

/* Longest token compared in full; longer tokens compare on this prefix. */
#define TXS__MATCH_TOKMAX 48

/* A token ready for comparison: raw text, its transliteration-variant fold
 * and its consonant skeleton (for Arabic and Hebrew). */
typedef struct txs__mtok {
    const char *raw;
    uint16_t rawlen, flen, slen, flags;
    char fold[TXS__MATCH_TOKMAX];
    char skel[TXS__MATCH_TOKMAX];
    float weight;
} txs__mtok;

/* Fill t from text p[0..n) with flags; weight is set by the caller. */
void txs__match_prep(txs__mtok *t, const char *p, size_t n, uint16_t flags);

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

/* Tokens a side compares at most (longer names are cut). */
#define TXS__SIDE 16

/* One name's tokens prepared and weighed for the scorer; a query screened
 * against many candidates is prepared once.  raw pointers borrow the
 * txs_norm_name's text, which must outlive the side. */
typedef struct txs__mside {
    txs__mtok t[TXS__SIDE];
    uint32_t n;
    int used[TXS__SIDE]; /* scratch of the alignment */
    int cut;
    txs_name_kind kind;  /* the name's kind: initials only for persons */
} txs__mside;

void txs__match_side(const txs_match_params *p, const txs_norm_name *nm, txs__mside *s);

/* txs_match_score with the query already prepared (qs from qn). */
double txs__match_score_side(const txs_match_params *p, const txs__mside *qs, const txs_norm_name *qn,
                             const txs_norm_name *cn, const txs_match_qual *ql, char *explain,
                             size_t cap);

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
