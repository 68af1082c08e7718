/*
 * hit_memo.c: the explained-hits memo (hit_memo_int.h draws it).
 *
 *   slot[index]   {key, list, nm, len, ev, exlen, name[NAME], ex[EX]}
 *
 * The index mixes the name key with the list name, so the several entries
 * one name matches take several slots.  A slot is keyed on the name's
 * exact bytes as well as its fingerprint; it holds the evidence and the
 * explanation separately (ev -1, exlen NO_EX: not yet known): an
 * explanation cut by its buffer is not kept, and a caller may ask for the
 * evidence alone.  A put for another hit takes the slot over.
 * Sizes: 2^14 slots of 616 bytes (9.6 MiB, allocated untouched and touched
 * as used, so a run with few hits costs little); the explanations of the
 * bench exports' hits are 120-300 bytes, a name rarely over 60.  On the
 * 1 M-name list's 200 MB bench export (72,695 hits) 2^10 slots missed
 * 52,503 times, 2^14 12,342 times: each miss scores the hit again with its
 * explanation (about 20,000 instructions).
 */
#include <stdlib.h>
#include <string.h>

#include "screen/hit_memo_int.h"

#define MEMO_BITS 14u
#define NAME 88u
#define EX 496u
#define NO_EX 0xffffu

typedef struct slot {
    txs__nkey key;
    uint32_t list, nm;
    uint16_t len, exlen; /* len 0: empty */
    int16_t ev;
    char name[NAME];
    char ex[EX];
} slot;

struct txs__hmemo {
    slot *slots; /* [1 << MEMO_BITS] */
};

txs__hmemo *txs__hmemo_new(void)
{
    txs__hmemo *m = calloc(1, sizeof *m);
    if (m == NULL) return NULL;
    m->slots = calloc((size_t)1 << MEMO_BITS, sizeof *m->slots);
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

void txs__hmemo_free(txs__hmemo *m)
{
    if (m == NULL) return;
    free(m->slots);
    free(m);
}

static size_t index_of(const txs__hkey *h)
{
    uint64_t x = h->k.lo ^ ((uint64_t)h->list << 32 | h->nm) * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> (64 - MEMO_BITS));
}

/* The slot holding h, or NULL. */
static slot *find(const txs__hmemo *m, const txs__hkey *h)
{
    slot *s = &m->slots[index_of(h)];
    if (s->len == 0 || s->len != h->n || s->list != h->list || s->nm != h->nm ||
        s->key.lo != h->k.lo || s->key.hi != h->k.hi || memcmp(s->name, h->p, h->n) != 0)
        return NULL;
    return s;
}

/* The slot for h, taken over when it held another hit; NULL when the
 * name is too long to keep. */
static slot *claim(txs__hmemo *m, const txs__hkey *h)
{
    if (h->n == 0 || h->n > NAME) return NULL;
    slot *s = find(m, h);
    if (s) return s;
    s = &m->slots[index_of(h)];
    s->key = h->k;
    s->list = h->list, s->nm = h->nm;
    s->len = (uint16_t)h->n;
    memcpy(s->name, h->p, h->n);
    s->ev = -1;
    s->exlen = NO_EX;
    return s;
}

int txs__hmemo_evidence(const txs__hmemo *m, const txs__hkey *h)
{
    const slot *s = find(m, h);
    return s ? s->ev : -1;
}

void txs__hmemo_put_evidence(txs__hmemo *m, const txs__hkey *h, int ev)
{
    slot *s = claim(m, h);
    if (s) s->ev = (int16_t)ev;
}

int txs__hmemo_explain(const txs__hmemo *m, const txs__hkey *h, char *out, size_t cap)
{
    const slot *s = find(m, h);
    if (s == NULL || s->exlen == NO_EX || (size_t)s->exlen + 1 > cap) return 0;
    memcpy(out, s->ex, s->exlen);
    out[s->exlen] = '\0';
    return 1;
}

void txs__hmemo_put_explain(txs__hmemo *m, const txs__hkey *h, const char *ex, size_t cap)
{
    size_t n = strlen(ex);
    /* a text that filled its buffer may have been cut: another buffer
     * size could give another text */
    if (n + 2 > cap || n >= EX) return;
    slot *s = claim(m, h);
    if (s == NULL) return;
    memcpy(s->ex, ex, n);
    s->exlen = (uint16_t)n;
}
