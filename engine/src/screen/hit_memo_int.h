/*
 * hit_memo_int.h: private to engine/src/screen.  One sanctions screener's
 * memory of the hits it has explained (hit_memo.c): for a party name under
 * its qualifiers and one list name it matched, the explanation text and
 * the evidence (txs_sanctions_explain_ctx, txs_sanctions_evidence), which
 * otherwise normalise and score the name again for every alert.  A party
 * that is listed alerts on each of its transactions: on the 200 MB bench
 * export against the 1 M-name list, 72,695 name hits came from 9,480
 * (name, list name, field) combinations.
 *
 * Both answers depend on the name's bytes, the qualifiers and the list
 * name only (snapshots are immutable), so a memo answer is the computed
 * one, and the output does not depend on what the memo holds.  Fixed
 * memory, allocated untouched at creation: MEMO_SLOTS slots of about 600
 * bytes (hit_memo.c), direct-mapped.
 */
#ifndef TXS_SCREEN_HIT_MEMO_INT_H
#define TXS_SCREEN_HIT_MEMO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "screen/name_cache_int.h"

typedef struct txs__hmemo txs__hmemo;

/* A new, empty memo; NULL when out of memory.  Free with txs__hmemo_free
 * (accepts NULL). */
txs__hmemo *txs__hmemo_new(void);
void txs__hmemo_free(txs__hmemo *m);

/* The hit of name p[0..n) (k: its txs__ncache_key under the qualifiers)
 * on list name nm of snapshot list. */
typedef struct txs__hkey {
    txs__nkey k;
    const char *p;
    size_t n;
    uint32_t list, nm;
} txs__hkey;

/* The evidence remembered for h, or -1. */
int txs__hmemo_evidence(const txs__hmemo *m, const txs__hkey *h);
void txs__hmemo_put_evidence(txs__hmemo *m, const txs__hkey *h, int ev);

/* Copy the explanation remembered for h into out[0..cap) and return 1
 * when one is, and it fits whole; else 0 (out untouched). */
int txs__hmemo_explain(const txs__hmemo *m, const txs__hkey *h, char *out, size_t cap);
/* Remember ex, the explanation of h as computed into a buffer of cap
 * bytes; one that may have been cut at cap, or longer than a slot
 * holds, is not remembered. */
void txs__hmemo_put_explain(txs__hmemo *m, const txs__hkey *h, const char *ex, size_t cap);

#endif /* TXS_SCREEN_HIT_MEMO_INT_H */
