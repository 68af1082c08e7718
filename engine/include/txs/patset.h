/*
 * patset.h: a set of regular expressions scanned in one pass (pattern
 * rules, issue 18), Hyperscan finding where to look and PCRE2 confirming
 * and capturing (hs/patset.c).
 *
 *   build   patterns --PCRE2 compile (syntax, offsets)--> classify each:
 *             exact      Hyperscan compiles it as written
 *             prefilter  only as HS_FLAG_PREFILTER (backreferences,
 *                        lookaround): every candidate confirmed by PCRE2
 *           --> one Hyperscan database for all of them
 *   scan    text --hs_scan--> ids (each at most once) --sorted--> for each:
 *             prefilter: PCRE2 match (no match: dropped)
 *             exact:     PCRE2 match for the spans and groups (no
 *                        match: dropped; Hyperscan can be wrong)
 *           --> callback(id, spans) in id order
 *
 * The database can be saved and given back to a later build (the cache of
 * rules/textpat.c), which then skips Hyperscan's compile.  A set is
 * immutable once built and shared by threads, each with its own scratch.
 */
#ifndef TXS_PATSET_H
#define TXS_PATSET_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

/* One pattern: len bytes (no NUL inside), flags TXS_RE_* (regex.h). */
typedef struct txs_pat {
    const char *expr;
    size_t len;
    unsigned flags;
} txs_pat;

/* Why a build failed: the pattern's index, the engine that refused it
 * ("PCRE2" or "Hyperscan"), the byte offset where PCRE2 stopped (-1 when
 * the engine gives none) and its message. */
typedef struct txs_patset_err {
    long index;
    long offset;
    const char *engine;
    char msg[256];
} txs_patset_err;

typedef struct txs_patset txs_patset;
typedef struct txs_patscratch txs_patscratch;

enum {
    TXS_PATSET_AUTO = 0,      /* exact where Hyperscan can, else prefilter */
    TXS_PATSET_PREFILTER = 1  /* every pattern as a prefilter (tests) */
};

/*
 * Build a set of n patterns (copied; p may go after the call).  db/dbn:
 * bytes an earlier txs_patset_save wrote for the same patterns, or NULL;
 * when they are not a database this host can load for these patterns the
 * build returns TXS_E_FORMAT (the caller rebuilds without them).
 * target: the Hyperscan target (hs_engine.h) to compile for.  On a bad
 * pattern returns TXS_E_CONFIG with e filled; else TXS_E_NOMEM or 0.
 */
int txs_patset_build(const txs_pat *p, size_t n, unsigned mode, int target,
                     const void *db, size_t dbn, txs_patset **out, txs_patset_err *e);
void txs_patset_free(txs_patset *ps);
size_t txs_patset_count(const txs_patset *ps);
/* 1 when pattern i is compiled as a prefilter and confirmed by PCRE2. */
int txs_patset_is_prefilter(const txs_patset *ps, size_t i);
/* The bytes a later build can start from (*out malloc'd; caller frees). */
int txs_patset_save(const txs_patset *ps, void **out, size_t *outn);

/* Scratch for one thread: Hyperscan's, PCRE2's match data, the ids. */
int txs_patset_scratch(const txs_patset *ps, txs_patscratch **out);
void txs_patset_scratch_free(txs_patscratch *s);

/* Most capturing groups a match reports (more are matched, not reported). */
#define TXS_PAT_GROUPS 8

typedef struct txs_patmatch {
    unsigned id;
    int spans;       /* 1: from/to hold the match (group 0) and its groups
                        (always: a Hyperscan candidate PCRE2 does not match
                        is dropped, exact or prefiltered) */
    unsigned groups; /* groups reported, <= TXS_PAT_GROUPS */
    size_t from[TXS_PAT_GROUPS + 1], to[TXS_PAT_GROUPS + 1]; /* SIZE_MAX: unset */
} txs_patmatch;

/* Called once per matching pattern, in id order; nonzero stops the scan. */
typedef int (*txs_patset_fn)(void *ctx, const txs_patmatch *m);

/*
 * Scan n bytes.  Returns 0 or TXS_E_UNSUPPORTED (Hyperscan refused the
 * scan).  Thread-safe for a shared ps with one scratch per thread.  A
 * pattern's PCRE2 code (built from saved bytes) and JIT code are made on
 * its first candidate, once per pattern per set: the only allocation; if
 * it fails for lack of memory the pattern confirms nothing.
 */
int txs_patset_scan(const txs_patset *ps, txs_patscratch *s, const char *text, size_t n,
                    txs_patset_fn fn, void *ctx);

/*
 * The parts of a scan, for a caller that needs only whether patterns
 * match, not where (the text_pattern rules' detection, rules/textpat.c).
 * The set's patterns are in two Hyperscan databases, its tiers: tier 0
 * the exact patterns (cheap to scan, a candidate almost always a match),
 * tier 1 the prefilters (a superset of their matches each, often far
 * larger, so costly to scan and to confirm), so that a caller whose answer
 * is settled by tier 0 never scans tier 1.  candidates runs Hyperscan over
 * one tier and calls fn with each id it reports, once per id, in the order
 * found (by where its first match ends); fn returning nonzero stops the
 * scan there (the caller's answer is settled).  confirm says whether PCRE2
 * matches pattern id in the text (1) or not (0), the answer txs_patset_scan
 * gives for it; it may be called from fn.  The candidates of both tiers
 * that confirm are the patterns txs_patset_scan reports.
 */
#define TXS_PATSET_TIERS 2
typedef int (*txs_patset_cand_fn)(void *ctx, unsigned id);
int txs_patset_candidates(const txs_patset *ps, txs_patscratch *s, int tier, const char *text,
                          size_t n, txs_patset_cand_fn fn, void *ctx);
int txs_patset_confirm(const txs_patset *ps, txs_patscratch *s, unsigned id, const char *text,
                       size_t n);
#endif /* TXS_PATSET_H */
