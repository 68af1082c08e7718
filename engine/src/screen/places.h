/*
 * places.h: private to the engine.  Sanctioned-place screening of free
 * text (purpose, addresses): the rule set's places file (rules.h,
 * txs_sanctions_place) becomes one Hyperscan literal database of the
 * places' normalised variants when a screener starts.
 *
 *   variants --txs_norm_name_of--> " tok tok " literals --> hs db (start-up)
 *   text --txs_norm_name_of--> " padded text " --hs_scan--> place indexes
 *
 * A txs__places belongs to one screener (it owns a scratch and a
 * normaliser); scanning allocates nothing.
 */
#ifndef TXS_SCREEN_PLACES_H
#define TXS_SCREEN_PLACES_H

#include <stddef.h>
#include <stdint.h>

#include "txs/rules.h"

typedef struct txs__places txs__places;

/* Build the database for n places (borrowed: they must outlive it).  A
 * variant that normalises to nothing is refused with its place named. */
int txs__places_create(const txs_sanctions_place *p, size_t n, txs__places **out, txs_diag *d);
void txs__places_free(txs__places *pl);

/* The places named in text p[0..n): their indexes, each once, in first
 * index order, at most cap; returns how many. */
size_t txs__places_scan(txs__places *pl, const char *p, size_t n, uint32_t *out, size_t cap);

#endif /* TXS_SCREEN_PLACES_H */
