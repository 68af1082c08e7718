/*
 * lists_subset.h: a snapshot of some entities of another (lists.h), for
 * screening against only what changed: look-back screening builds one from
 * the entities a list update added or changed (docs/lists.md "Look-back
 * screening") and screens every known counterparty against it, which costs
 * a small Hyperscan database and name index instead of the whole list's.
 *
 * The entities keep their ids, sources, types and fields, so a match
 * against the subset names the same entity as one against the whole
 * snapshot.  Token rarity is the subset's own (names_build.c weighs a token
 * by the entities carrying it), so a candidate's bar and the scorer's
 * weights can differ from the whole list's; the score of an exact or
 * near-exact name is the same.  Build time: allocates, may take a few
 * milliseconds per entity.
 */
#ifndef TXS_LISTS_SUBSET_H
#define TXS_LISTS_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/lists.h"

/*
 * A snapshot holding entities ents[0..n) of l (indices, < txs_lists_count)
 * and every source of l, opened in memory: *image holds its bytes (the
 * caller frees it after txs_lists_free(*out)).  n may be 0.  TXS_E_NOMEM,
 * or another error with d filled.
 */
int txs_lists_subset(const txs_lists *l, const uint32_t *ents, size_t n, void **image,
                     txs_lists **out, txs_diag *d);

#endif /* TXS_LISTS_SUBSET_H */
