/*
 * match.h: the name scorer, the stage after candidate generation.  It
 * compares two normalised names (norm.h) and says how alike they are, from 0
 * to 1, with an explanation an analyst can read:
 *
 *   query "Vladimir Putni"  vs  candidate "PUTIN, Vladimir"
 *   vladimir=vladimir 1.00 w1.00 | putni~putin 0.85 w1.60 family
 *   | name 0.91 = 4.79/5.24 | score 0.91
 *
 * Two algorithms:
 *   default  token alignment: each token pair scored by an edit distance with
 *            confusable-character costs and a length-dependent budget, after
 *            a transliteration-variant fold (kh/h, x/ks, w/v, ou/u ...);
 *            Arabic and Hebrew tokens by consonant skeleton; initials;
 *            adjacent tokens merged or split (FridrichBuchenberg, Xi Jin
 *            Ping); tokens weighted by rarity (generic words count little),
 *            legal forms weighted low, family names weighted up; unmatched
 *            tokens penalised, more when both sides have some (a different
 *            name) than when one side only has extra names.  Qualifiers
 *            (country, year of birth, entity type, weak alias) adjust the
 *            name score afterwards.
 *   ofac     a reproduction of OFAC Sanctions List Search: max of whole-string
 *            Jaro-Winkler gated on the first letter and the mean over query
 *            tokens of their best per-token Jaro-Winkler (pairs below 0.5
 *            count 0); query tokens of two letters or fewer dropped.
 *
 * Scoring allocates nothing and is thread-safe: parameters and rarity tables
 * are read-only.  Explanations go to a caller buffer (truncated, always NUL
 * terminated); pass NULL/0 to skip building one (the fast path).
 */
#ifndef TXS_MATCH_H
#define TXS_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "txs/norm.h"

/* A generic token and its weight (1.0 = an ordinary name token). */
typedef struct txs_match_weight {
    const char *token; /* normalised form, as norm.h produces it */
    float weight;
} txs_match_weight;

/* Rarity weights: entries sorted by token (strcmp order), read-only.  The
 * candidate generator derives one from list frequencies; the default table
 * holds common name particles, given names and company words. */
typedef struct txs_match_rarity {
    const txs_match_weight *w;
    size_t n;
} txs_match_rarity;

/* The shipped default table; static storage. */
const txs_match_rarity *txs_match_rarity_default(void);

typedef struct txs_match_params {
    double threshold;       /* score at or above which a pair is a match */
    double min_token_sim;   /* token pairs below this are not aligned */
    double family_weight;   /* weight multiplier of a person's family name */
    double legal_weight;    /* weight of a legal-form token */
    double extra_factor;    /* weight share of unmatched tokens when only one
                               side has them (extra middle names) */
    double extra_factor_org; /* the same for organisations and vessels, where
                               an extra word (a country, a branch) matters more */
    double conflict_factor; /* the same when both sides have unmatched tokens */
    double middle_factor;   /* the same for a listed person's unmatched middle
                               names (not the first, not the family name) when
                               the query has no unmatched tokens: payments
                               often drop middle names */
    double initial_sim;     /* an initial against a name with that letter */
    double abjad_factor;    /* skeleton matches (no vowels) count this much */
    double han_factor;      /* syllable-merge matches from Han/Hangul */
    double number_sim;      /* two different numbers */
    double edit_slope;      /* an inexact token similarity s counts as
                               1 - (1 - s) * edit_slope: above 1, near
                               misses (Castillo/Castro) fall faster than
                               typos (Merkel/Merkl) */
    double initials_only_cap; /* score ceiling when only initials matched */
    double legal_conflict_penalty; /* both sides name a different legal form */
    double weak_alias_penalty;  /* subtracted when the alias is weak */
    double country_penalty;     /* subtracted on a known country mismatch */
    double dob_penalty;         /* subtracted on a known birth-year mismatch */
    double kind_penalty;        /* subtracted on person vs organisation */
    const txs_match_rarity *rarity; /* NULL: no rarity weighting */
} txs_match_params;

/* Fill p with the documented defaults (docs/matching.md). */
void txs_match_params_default(txs_match_params *p);

/* Optional evidence beside the names; zero/empty fields are unknown. */
typedef struct txs_match_qual {
    char country_q[3], country_c[3]; /* ISO 3166 alpha-2 */
    int dob_year_q, dob_year_c;
    txs_name_kind kind_q, kind_c;
    int weak_alias;                  /* the candidate name is a weak alias */
} txs_match_qual;

typedef enum txs_match_algo { TXS_MATCH_DEFAULT = 0, TXS_MATCH_OFAC } txs_match_algo;

/*
 * Score query q against candidate c (both from txs_norm_name_of) with the
 * default algorithm.  qual may be NULL.  When explain is non-NULL, up to cap
 * bytes of explanation are written.  Returns the score in [0, 1].
 */
double txs_match_score(const txs_match_params *p, const txs_norm_name *q, const txs_norm_name *c,
                       const txs_match_qual *qual, char *explain, size_t cap);

/*
 * OFAC Sanctions List Search emulation.  q and c come from txs_norm_fold
 * (plain folded words: OFAC does not drop titles or legal forms).  Returns
 * the score in [0, 1]; OFAC shows it as a percentage.
 */
double txs_match_ofac(const txs_norm_name *q, const txs_norm_name *c, char *explain, size_t cap);

/* Jaro-Winkler similarity of two byte strings (prefix bonus scale 0.1, at
 * most 4 characters, applied without the 0.7 gate when boost_always).
 * Exposed for tests and the candidate generator. */
double txs_match_jaro_winkler(const char *a, size_t na, const char *b, size_t nb, int boost_always);

/* ---------------------------------------------------- a query prepared once
 *
 * Engine-internal (double-underscore names): the sanctions screener scores
 * one query against many candidates, so it prepares the query's tokens
 * once (txs__match_side) and scores each candidate against them
 * (txs__match_score_side), which gives exactly txs_match_score. */

/* Longest token compared in full; longer tokens compare on this prefix. */
#define TXS__MATCH_TOKMAX 48

/* A token ready for comparison: raw text and its transliteration-variant
 * fold.  Its consonant skeleton (for Arabic and Hebrew) is made when a pair
 * needs it (txs__match_skeleton): few do, and most prepared tokens are a
 * query's, which the bound rejects before any pair is scored. */
typedef struct txs__mtok {
    const char *raw;
    uint16_t rawlen, flen, flags;
    char fold[TXS__MATCH_TOKMAX];
    float weight;
} txs__mtok;

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

/* The scorer's weight of a token (rarity, legal form, initial, family),
 * and the same from its rarity (its weight without flags) and its flags. */
float txs__match_weight(const txs_match_params *p, const char *raw, size_t n, uint16_t flags);
float txs__match_weight_of(const txs_match_params *p, float rarity, uint16_t flags);

/* What the upper bound (bound.c) needs of a candidate token: its text,
 * fold and weight, without the skeleton and the side's bookkeeping. */
typedef struct txs__mbtok {
    const char *raw;
    float weight;   /* txs__match_weight */
    uint16_t flags, rawlen;
    uint8_t flen, foldeq; /* the fold's length; whether it is raw itself */
    char fold[TXS__MATCH_TOKMAX];
} txs__mbtok;

/* A query token for the bound: the same, its fold's match masks, and for
 * a Hangul syllable its Korean fold (txs__match_korean_fold: the bound
 * asks it of the token against every candidate token). */
typedef struct txs__mbq {
    txs__mbtok t;
    uint64_t peq[32];
    uint8_t kflen;
    char kfold[TXS__MATCH_TOKMAX];
} txs__mbq;

/* The bound's view of token raw[0..n) with flags (weight included). */
void txs__match_bound_tok(const txs_match_params *p, const char *raw, size_t n, uint16_t flags,
                          txs__mbtok *out);

/* The bound's view of a query side already prepared: out[0..s->n). */
void txs__match_bound_query(const txs__mside *s, txs__mbq *out);

/* Whether txs__match_bound holds for these parameters (every similarity
 * at most 1, every factor, weight and penalty at least 0, as by default). */
int txs__match_bound_usable(const txs_match_params *p);

/* An upper bound of txs__match_score_side's score for query tokens q[0..nq)
 * of kind qk against candidate tokens c[0..nc) of kind ck (each side's
 * first TXS__SIDE tokens), whatever the qualifiers: a candidate under the
 * threshold by this bound need not be scored. */
double txs__match_bound(const txs_match_params *p, const txs__mbq *q, uint32_t nq, txs_name_kind qk,
                        const txs__mbtok *c, uint32_t nc, txs_name_kind ck);

/* The part of the bound that one candidate token decides with the query
 * alone: its best similarity with each query token (pair[i]) and with
 * each adjacent pair of query tokens written together (merge[i], for
 * tokens i and i + 1).  A caller that meets the same list token in
 * candidate after candidate of one query can keep it. */
typedef struct txs__mbcol {
    double pair[TXS__SIDE], merge[TXS__SIDE];
    int merged; /* some merge[i] > 0: most columns have none */
} txs__mbcol;

void txs__match_bound_col(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                          const txs__mbtok *c, txs__mbcol *out);

/* txs__match_bound with *col[j] = txs__match_bound_col(c[j]) given (by
 * pointer: a caller's kept columns are read where they are). */
double txs__match_bound_cols(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                             txs_name_kind qk, const txs__mbtok *c, const txs__mbcol *const *col,
                             uint32_t nc, txs_name_kind ck);

/* Whether txs__match_bound_cols(...) >= bar, decided without sorting the
 * tokens by gain; rounding errs on yes (the bound's use: a candidate it
 * says no to is not scored). */
int txs__match_bound_cols_reach(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                                txs_name_kind qk, const txs__mbtok *c,
                                const txs__mbcol *const *col, uint32_t nc, txs_name_kind ck,
                                double bar);

/* txs_match_score with the query already prepared (qs from qn). */
double txs__match_score_side(const txs_match_params *p, const txs__mside *qs, const txs_norm_name *qn,
                             const txs_norm_name *cn, const txs_match_qual *ql, char *explain,
                             size_t cap);

#endif /* TXS_MATCH_H */
