/*
 * sanctions_int.h: private to engine/src/screen.  What the sanctions
 * screener (sanctions.c) tells its neighbours (idents.c) and the tests.
 */
#ifndef TXS_SCREEN_SANCTIONS_INT_H
#define TXS_SCREEN_SANCTIONS_INT_H

#include "txs/sanctions.h"

/* on != 0: generate name candidates by walking every hit token's full
 * posting list (the exhaustive reference) instead of the prefix index, and
 * score every candidate in full, without the scorer's upper bound.  The two
 * must give the same matches; tests/unit/test_candidates.c compares them. */
void txs__sanctions_full_walk(txs_sanctions *s, int on);

/* on != 0: the prefix walk touches every posting it reads, without the
 * filter by the postings' token signatures (txs__snap_pre's sig), which
 * must change nothing: the same candidates, so the same matches
 * (test_candidates.c compares them on a list where the filter drops most
 * of what the walk reads). */
void txs__sanctions_unfiltered(txs_sanctions *s, int on);

/* on != 0: the columns kept per query (bound_name's qc) share one slot,
 * so every list token after the first of a name collides with an earlier
 * one's column, which the bound still reads; that must change nothing
 * (test_candidates.c compares the outcomes with the full walk's). */
void txs__sanctions_one_column_slot(txs_sanctions *s, int on);

/* How many snapshots s screens (txs_sanctions_lists(s, i) for each). */
size_t txs__sanctions_nlists(const txs_sanctions *s);

/* The identifier look-ups' memo (idents.c), one per screener. */
typedef struct txs__idmemo txs__idmemo;
txs__idmemo *txs__idmemo_new(void);
void txs__idmemo_free(txs__idmemo *m);
txs__idmemo *txs__sanctions_idmemo(txs_sanctions *s);

#endif /* TXS_SCREEN_SANCTIONS_INT_H */
