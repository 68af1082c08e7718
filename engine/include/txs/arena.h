/*
 * arena.h: bump allocation for per-batch data (unescaped fields, evidence
 * strings).  Allocation is a pointer increment; txs_arena_reset() frees all
 * of a batch at once and keeps the largest block for reuse, so a steady run
 * stops calling malloc after its first batches.
 *
 *   arena -> [block: used | free ........] -> [older block] -> NULL
 *
 * Not thread-safe: one arena per worker.
 */
#ifndef TXS_ARENA_H
#define TXS_ARENA_H

#include <stddef.h>

typedef struct txs_arena_block txs_arena_block;

typedef struct txs_arena {
    txs_arena_block *head;  /* current block, newest first */
    size_t block_size;      /* default size of a new block */
} txs_arena;

/* Initialise an empty arena; no allocation happens until first use. */
void txs_arena_init(txs_arena *a, size_t block_size);
/* Allocate n bytes aligned to 8; NULL when out of memory.  The memory lives
 * until the next txs_arena_reset() or txs_arena_free(). */
void *txs_arena_alloc(txs_arena *a, size_t n);
/* Copy n bytes into the arena; NULL when out of memory. */
char *txs_arena_dup(txs_arena *a, const char *p, size_t n);
/* Forget every allocation, keeping one block for reuse. */
void txs_arena_reset(txs_arena *a);
/* Release every block.  Accepts an arena that was only initialised. */
void txs_arena_free(txs_arena *a);

#endif /* TXS_ARENA_H */
