/*
 * names_prefix_int.h: private to the engine.  The candidate bar of sanctions
 * screening and the prefix index that lets candidate generation skip most
 * of common tokens' postings: built with the snapshot's NAMES section
 * (names_prefix.c, called by names_build.c), walked by
 * screen/sanctions.c (docs/matching.md "Candidate generation").
 *
 * A list name is a candidate when the weight of its tokens the query hit
 * (each times 1 or the typo factor, both <= 1) reaches its bar.  Sort the
 * name's tokens from the most common (longest posting list) to the rarest;
 * the longest run of common tokens whose weights sum below the bar cannot
 * make a candidate without help, so the name is posted only under the
 * other, rarer tokens, its "prefix".  A query then walks the prefix
 * postings of the tokens it hit, and sums each touched name's mass from
 * the name's own token list, in the order the full walk would: the same
 * candidates, the same masses to the bit, in the same order.
 *
 *   fwd_off[nm] .. fwd_off[nm+1]   fwd[]: name nm's tokens (dictionary ids,
 *                                  one entry per posting, ascending)
 *   pre_off[t] .. pre_off[t+1]     pre[]: the names posted under token t,
 *                                  with their bars and token signatures
 *                                  (txs/lists_names.h), by bar then name
 *
 * Why by bar: walk the hit tokens from the rarest (shortest full posting
 * list) to the commonest.  A name's prefix tokens are all rarer than its
 * other tokens, so when the walk reaches the first of its prefix tokens
 * the query hit, every hit token it carries is this one or a later one:
 * its mass is at most the weight R of the hit tokens not walked yet.  So a
 * token's list is read only up to the first bar above R, and a common
 * token late in the walk reads only the few names it could complete alone
 * ("HOLDINGS LTD"), not the thousands whose rarer tokens the query missed.
 * Of the names a walk does read, most carry no other hit token: the
 * signature drops them without reading their token lists.
 */
#ifndef TXS_LISTS_NAMES_PREFIX_INT_H
#define TXS_LISTS_NAMES_PREFIX_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lists_int.h"
#include "txs/lists_names.h"

/* The candidate bar, txs__cand_reachable and txs__prefix_check:
 * txs/lists_names.h (the screeners use them). */

/* The index as built (malloc'd arrays, written into the snapshot). */
typedef struct txs__prefix {
    uint32_t *fwd_off, *fwd; /* [nnames + 1], [npost] */
    uint32_t *pre_off;       /* [ntoks + 1] */
    txs__snap_pre *pre;      /* [npre], npre <= npost */
    uint32_t npre;
} txs__prefix;

/* Build the index of nnames names (their weights, kinds and, through
 * tokid, their end tokens), ntoks tokens and their npost postings.
 * Returns 0 or TXS_E_NOMEM; free with txs__prefix_free (also after a
 * failure).  Deterministic. */
int txs__prefix_build(txs__prefix *p, uint32_t nnames, uint32_t ntoks, uint32_t npost,
                      const txs__snap_name *names, const txs__snap_tok *toks, const uint32_t *post,
                      const uint32_t *tokid);
void txs__prefix_free(txs__prefix *p);

#endif /* TXS_LISTS_NAMES_PREFIX_INT_H */
