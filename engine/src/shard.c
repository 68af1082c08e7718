/*
 * shard.c: account shards (shard.h).
 */
#include <xxhash.h>

#include "txs/shard.h"

uint32_t txs_shard_of(txs_slice account, uint32_t n)
{
    if (n <= 1 || account.n == 0) return 0;
    return (uint32_t)(XXH3_64bits(account.p, account.n) % n);
}

uint32_t txs_shard_home(const txs_txn *t, uint32_t n)
{
    if (t->orig.account.n) return txs_shard_of(t->orig.account, n);
    return txs_shard_of(t->bene.account, n);
}
