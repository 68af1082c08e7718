/*
 * arena.c: the per-batch bump allocator (arena.h).  Blocks are chained
 * newest first; reset keeps only the newest (largest) block so a steady
 * stream of batches reaches a fixed footprint and stops calling malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "txs/arena.h"

struct txs_arena_block {
    txs_arena_block *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
};

void txs_arena_init(txs_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
}

static txs_arena_block *new_block(txs_arena *a, size_t need)
{
    size_t cap = a->block_size;
    while (cap < need) cap *= 2;
    txs_arena_block *b = malloc(sizeof *b + cap);
    if (b == NULL) return NULL;
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    /* Grow future blocks so a busy arena settles in one block after reset. */
    if (a->head->next) a->block_size = cap * 2;
    return b;
}

void *txs_arena_alloc(txs_arena *a, size_t n)
{
    n = (n + 7u) & ~(size_t)7u;
    txs_arena_block *b = a->head;
    if (b == NULL || b->cap - b->used < n) {
        b = new_block(a, n);
        if (b == NULL) return NULL;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

char *txs_arena_dup(txs_arena *a, const char *p, size_t n)
{
    char *q = txs_arena_alloc(a, n + 1);
    if (q == NULL) return NULL;
    if (n) memcpy(q, p, n);
    q[n] = '\0';
    return q;
}

void txs_arena_reset(txs_arena *a)
{
    txs_arena_block *b = a->head;
    if (b == NULL) return;
    txs_arena_block *rest = b->next;
    while (rest) {
        txs_arena_block *next = rest->next;
        free(rest);
        rest = next;
    }
    b->next = NULL;
    b->used = 0;
}

void txs_arena_free(txs_arena *a)
{
    txs_arena_block *b = a->head;
    while (b) {
        txs_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
