/*
 * shard.h: which account shard a transaction belongs to, the one function
 * `txscreen split` and `txscreen screen --shard K/N` must agree on.
 *
 * An account's shard is XXH3-64 of its bytes (as the export spells it)
 * modulo N.  A transaction is written to the shard of its originator's
 * account and to the shard of its beneficiary's (once if they agree), so
 * every account's whole history lands in one shard.  Its home shard, the
 * one that screens it for sanctions, evaluates stateless rules and counts
 * it, is its originator's, or its beneficiary's when the originator has no
 * account (a cash deposit), or shard 0 when neither has one.
 */
#ifndef TXS_SHARD_H
#define TXS_SHARD_H

#include <stdint.h>

#include "txs/base.h"
#include "txs/txn.h"

/* Shard of an account, 0 <= result < n (n >= 1); an empty account is 0. */
uint32_t txs_shard_of(txs_slice account, uint32_t n);

/* Home shard of t (see above). */
uint32_t txs_shard_home(const txs_txn *t, uint32_t n);

#endif /* TXS_SHARD_H */
