/*
 * name_cache.c: the screened-name cache (name_cache_int.h draws it).
 *
 *   set[bucket]   4 x {lo, hi}   one 64-byte line; way 0 most recent
 *   slot[index]   {lo, hi, len, nres, name[48], res[4]}
 *
 * The bucket is chosen by the fingerprint's high half, the slot by its low
 * half.  A lookup in the no-hit set moves the found way to the front; an
 * insertion shifts the ways down and drops the last (least recently used).
 * Why these sizes: on the 200 MB bench export (2,181,990 names, 138,190
 * distinct) the old 2^17 direct-mapped slots hit 67.9%, a 4-way set of
 * 2^16 buckets 92.2%, of 2^17 buckets 93.5%, unbounded 93.7%; on a
 * long-tail export (1,817,296 distinct of 2,179,340) no size helps much
 * (10.1% at 2^17 buckets, 16.5% unbounded), so the set stops at 8 MiB.
 * Matches are rare (a few per thousand names), so their slots are few.
 *
 * Threads: with txs__ncache_share, each bucket or slot is guarded by one
 * of CACHE_LOCKS spin locks (by index), held for a compare and a copy.
 * Which names the cache holds then depends on timing, but never what a
 * lookup answers, so the output does not.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "screen/name_cache_int.h"
#include "txs/base.h"
#include "txs/bigmem.h"

#define SET_BITS 17u
#define WAYS 4u
#define SLOT_BITS 13u
#define SLOT_NAME 48u
#define CACHE_LOCKS 4096u

typedef struct bucket {
    txs__nkey way[WAYS];
} bucket;

typedef struct slot {
    txs__nkey key; /* {0, 0}: empty */
    uint8_t len, nres;
    char name[SLOT_NAME];
    txs_sanctions_match res[TXS__NCACHE_RES];
} slot;

struct txs__ncache {
    bucket *set;         /* [1 << SET_BITS], 64-byte aligned */
    slot *slots;         /* [1 << SLOT_BITS] */
    atomic_flag *locks;  /* [CACHE_LOCKS] once shared, else NULL */
};

txs__ncache *txs__ncache_new(void)
{
    txs__ncache *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    /* On huge pages (bigmem.h): a lookup is one random line in 8 MiB,
     * which with 4 KiB pages is a TLB miss as well as a cache miss. */
    c->set = txs_big_calloc((size_t)1 << SET_BITS, sizeof *c->set);
    c->slots = txs_big_calloc((size_t)1 << SLOT_BITS, sizeof *c->slots);
    if (c->set == NULL || c->slots == NULL) {
        txs__ncache_free(c);
        return NULL;
    }
    return c;
}

void txs__ncache_free(txs__ncache *c)
{
    if (c == NULL) return;
    txs_big_free(c->set), txs_big_free(c->slots), free(c->locks);
    free(c);
}

int txs__ncache_share(txs__ncache *c)
{
    if (c->locks) return TXS_OK;
    c->locks = malloc(CACHE_LOCKS * sizeof *c->locks);
    if (c->locks == NULL) return TXS_E_NOMEM;
    for (unsigned i = 0; i < CACHE_LOCKS; i++) atomic_flag_clear(&c->locks[i]);
    return TXS_OK;
}

txs__nkey txs__ncache_key(const char *p, size_t n, uint64_t ck)
{
    XXH128_hash_t h = XXH3_128bits_withSeed(p, n, ck);
    txs__nkey k = {h.low64, h.high64};
    if (k.lo == 0 && k.hi == 0) k.lo = 1; /* {0, 0} marks an empty way */
    return k;
}

static atomic_flag *lock(const txs__ncache *c, size_t i)
{
    if (c->locks == NULL) return NULL;
    atomic_flag *f = &c->locks[i & (CACHE_LOCKS - 1)];
    for (unsigned spins = 0; atomic_flag_test_and_set_explicit(f, memory_order_acquire);)
        if (++spins % 64 == 0) sched_yield(); /* the holder may be off its core */
    return f;
}

static void unlock(atomic_flag *f)
{
    if (f) atomic_flag_clear_explicit(f, memory_order_release);
}

static int key_eq(txs__nkey a, txs__nkey b) { return a.lo == b.lo && a.hi == b.hi; }

static size_t bucket_of(txs__nkey k) { return (size_t)(k.hi >> (64 - SET_BITS)); }
static size_t slot_of(txs__nkey k) { return (size_t)(k.lo & ((1u << SLOT_BITS) - 1)); }

/* Whether k is in the no-hit set; found ways move to the front. */
static int set_has(txs__ncache *c, txs__nkey k)
{
    size_t b = bucket_of(k);
    atomic_flag *f = lock(c, b);
    bucket *x = &c->set[b];
    int found = 0;
    for (unsigned w = 0; w < WAYS && !found; w++)
        if (key_eq(x->way[w], k)) {
            memmove(&x->way[1], &x->way[0], w * sizeof x->way[0]);
            x->way[0] = k;
            found = 1;
        }
    unlock(f);
    return found;
}

static void set_add(txs__ncache *c, txs__nkey k)
{
    size_t b = bucket_of(k);
    atomic_flag *f = lock(c, b);
    bucket *x = &c->set[b];
    unsigned w = 0;
    while (w < WAYS - 1 && !key_eq(x->way[w], k)) w++; /* another thread's copy */
    memmove(&x->way[1], &x->way[0], w * sizeof x->way[0]);
    x->way[0] = k;
    unlock(f);
}

void txs__ncache_prefetch(const txs__ncache *c, txs__nkey k)
{
    __builtin_prefetch(&c->set[bucket_of(k)]);
}

int txs__ncache_get(txs__ncache *c, txs__nkey k, const char *p, size_t n,
                    txs_sanctions_match *out, size_t cap)
{
    if (set_has(c, k)) return 0;
    if (n > SLOT_NAME || cap > TXS__NCACHE_RES) return -1;
    size_t i = slot_of(k);
    atomic_flag *f = lock(c, i + ((size_t)1 << SET_BITS));
    const slot *s = &c->slots[i];
    int found = key_eq(s->key, k) && s->len == n && memcmp(s->name, p, n) == 0;
    size_t m = found ? (s->nres < cap ? s->nres : cap) : 0;
    if (found) memcpy(out, s->res, m * sizeof *out);
    unlock(f);
    return found ? (int)m : -1;
}

void txs__ncache_put(txs__ncache *c, txs__nkey k, const char *p, size_t n,
                     const txs_sanctions_match *res, size_t nres)
{
    if (nres == 0) {
        set_add(c, k);
        return;
    }
    if (n > SLOT_NAME || nres > TXS__NCACHE_RES) return;
    size_t i = slot_of(k);
    atomic_flag *f = lock(c, i + ((size_t)1 << SET_BITS));
    slot *s = &c->slots[i];
    s->key = k;
    s->len = (uint8_t)n;
    s->nres = (uint8_t)nres;
    memcpy(s->name, p, n);
    memcpy(s->res, res, nres * sizeof *res);
    unlock(f);
}
