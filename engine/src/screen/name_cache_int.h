/*
 * name_cache_int.h: private to engine/src/screen.  The sanctions
 * screener's memory of names it has screened (name_cache.c), shared by the screeners of one
 * run's threads.  Two parts, sized from measurements on the bench export
 * and a long-tail export (docs/benchmarks.md "The name cache"):
 *
 *   no-hit set   most party names match nothing: their XXH3-128
 *                fingerprints (name bytes, seeded by the qualifiers key),
 *                the high half choosing one of 2^16 buckets of one 64-byte
 *                line, the low half kept in one of its 8 ways, least
 *                recently used way replaced (524,288 names, 4 MiB);
 *   result slots names with matches, direct-mapped on the fingerprint,
 *                keyed on their exact bytes (2^13 slots, about 1.3 MiB).
 *
 * A hit returns what screening the name again would: snapshots are
 * immutable, and a fingerprint stands for the name's bytes (two different
 * names sharing the 80 bits the no-hit set compares is a 2^-80 event per
 * pair; the result slots compare the name itself).  Memory is
 * fixed at creation, whatever the input.
 */
#ifndef TXS_SCREEN_NAME_CACHE_INT_H
#define TXS_SCREEN_NAME_CACHE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/sanctions.h"

typedef struct txs__ncache txs__ncache;

/* The name key: the fingerprint of the name under a qualifiers key. */
typedef struct txs__nkey {
    uint64_t lo, hi;
} txs__nkey;

/* A new, empty cache (about 5.3 MiB, touched only as used); NULL when out
 * of memory.  Free with txs__ncache_free (accepts NULL). */
txs__ncache *txs__ncache_new(void);
void txs__ncache_free(txs__ncache *c);

/* Make the cache safe for several threads (striped spin locks); call
 * before a second thread uses it.  Returns 0 or TXS_E_NOMEM. */
int txs__ncache_share(txs__ncache *c);

/* The key of name p[0..n) under qualifiers key ck (0: none). */
txs__nkey txs__ncache_key(const char *p, size_t n, uint64_t ck);

/* What screening the name would return: -1 when not known, else the
 * number of matches written to out (at most cap; 0: the name matches
 * nothing).  A name with matches is known only when cap <= the slot's
 * capacity (TXS__NCACHE_RES). */
int txs__ncache_get(txs__ncache *c, txs__nkey k, const char *p, size_t n,
                    txs_sanctions_match *out, size_t cap);

/* Start loading the line a txs__ncache_get(c, k, ...) reads first. */
void txs__ncache_prefetch(const txs__ncache *c, txs__nkey k);

#define TXS__NCACHE_RES 4

/* Remember the outcome of screening name p[0..n): its nres matches
 * res[] (all of them).  Outcomes with more than TXS__NCACHE_RES matches,
 * or names longer than the slots hold, are not remembered. */
void txs__ncache_put(txs__ncache *c, txs__nkey k, const char *p, size_t n,
                     const txs_sanctions_match *res, size_t nres);

#endif /* TXS_SCREEN_NAME_CACHE_INT_H */
