/*
 * name_cache.c: the screened-name cache (name_cache_int.h draws it).
 *
 *   set[bucket]   8 x lo         one 64-byte line; way 0 most recent
 *   slot[index]   {lo, hi, len, nres, name[48], res[4]}
 *
 * The bucket is chosen by the fingerprint's high half; a way holds its low
 * half (0 is read as 1: 0 marks an empty way), so a name stands for its
 * 80 bits of bucket and way (two no-hit names' fingerprints agreeing on
 * them is a 2^-80 event per pair).  The slot is chosen by the low half and
 * keeps the whole fingerprint and the name.  A lookup in the no-hit set
 * moves the found way to the front; an insertion shifts the ways down and
 * drops the last (least recently used).
 * Why these sizes (bench/cache_sim.py): on the 200 MB bench export
 * (2,181,990 names, 138,190 distinct) the old 2^17 direct-mapped slots
 * hit 67.9%, 4-way sets of 16-byte keys in 2^16 buckets 92.2%, in 2^17
 * 93.5%, 8-way sets of 8-byte keys in 2^15 buckets (2 MiB) 93.5%, in 2^16
 * (4 MiB) 93.7%, unbounded 93.7%; on a long-tail export (1,854,204
 * distinct) no size helps much (9.6% for 4 x 2^17, 9.9% for 8 x 2^16, 15.0%
 * unbounded).  The 8-way set holds as many names as the 4-way one of
 * 2^17 buckets in half the memory: each look-up is a random line, and on
 * the bench export the 4 MiB set missed the last-level cache 993,959 times
 * against 1,284,903 for the 8 MiB one (cachegrind, 8 MiB LL), and the
 * run took 5% less time (one interleaved sitting; docs/benchmarks.md
 * "Memory, not instructions").
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

#define SET_BITS 16u
#define WAYS 8u
#define SLOT_BITS 13u
#define SLOT_NAME 48u
#define CACHE_LOCKS 4096u

typedef struct bucket {
    uint64_t way[WAYS]; /* fingerprints' low halves; 0: empty */
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
    /* On huge pages (bigmem.h): a lookup is one random line in 4 MiB,
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

/* What a way holds of k: its low half, never 0 (an empty way). */
static uint64_t way_of(txs__nkey k) { return k.lo ? k.lo : 1; }

/* Whether k is in the no-hit set; found ways move to the front. */
static int set_has(txs__ncache *c, txs__nkey k)
{
    size_t b = bucket_of(k);
    uint64_t v = way_of(k);
    atomic_flag *f = lock(c, b);
    bucket *x = &c->set[b];
    int found = 0;
    for (unsigned w = 0; w < WAYS && !found; w++)
        if (x->way[w] == v) {
            memmove(&x->way[1], &x->way[0], w * sizeof x->way[0]);
            x->way[0] = v;
            found = 1;
        }
    unlock(f);
    return found;
}

static void set_add(txs__ncache *c, txs__nkey k)
{
    size_t b = bucket_of(k);
    uint64_t v = way_of(k);
    atomic_flag *f = lock(c, b);
    bucket *x = &c->set[b];
    unsigned w = 0;
    while (w < WAYS - 1 && x->way[w] != v) w++; /* another thread's copy */
    memmove(&x->way[1], &x->way[0], w * sizeof x->way[0]);
    x->way[0] = v;
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
