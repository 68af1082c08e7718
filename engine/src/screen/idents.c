/*
 * idents.c: identifier look-ups for sanctions screening (sanctions.h):
 * SWIFT/BIC (an 11-character branch BIC also as its 8-character
 * institution), digital currency addresses, IMO and MMSI numbers, and
 * IBANs (as the typed identifier and as an untyped other_id, which lists
 * such as OpenSanctions' identifiers column give).  Each is an exact match
 * in every snapshot's identifier table after the snapshot's folding
 * (letters and digits, any case), written as a match of score 1.0 with
 * name = UINT32_MAX; an entity is reported once however many of its
 * identifiers match.  Hot path: no allocation.
 *
 * A payment file names the same few banks again and again, so the answers
 * for BICs are memoised per screener (idmemo: direct-mapped, keyed by the
 * field as written; the snapshots do not change during a run, so a
 * remembered answer is the answer).  Only answers that were not cut by the
 * caller's cap and hold at most MEMO_HITS matches are kept.  Accounts are
 * not memoised: they recur too far apart for a memo of this size (on the
 * 200 MB export 95% of account fields repeat one seen before, but 1,024
 * direct-mapped slots would hit 5.7% of them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "screen/sanctions_int.h"
#include "txs/lists.h"
#include "txs/sanctions.h"

#define MEMO_SLOTS 1024u
#define MEMO_KEY 11 /* a BIC: 8 or 11 characters */
#define MEMO_HITS 4

/* A look-up's key: its kind, then the field, zero-padded, and its length
 * in the last byte; 16 bytes, hashed and compared as two words. */
typedef struct memo_key {
    uint64_t w[2];
} memo_key;

typedef struct memo_slot {
    memo_key key; /* all zero: empty (a key's first byte is its kind) */
    uint8_t k;
    txs_sanctions_match m[MEMO_HITS];
} memo_slot;

struct txs__idmemo {
    memo_slot slot[MEMO_SLOTS];
};

txs__idmemo *txs__idmemo_new(void) { return calloc(1, sizeof(txs__idmemo)); }
void txs__idmemo_free(txs__idmemo *m) { free(m); }

/* The slot of (kind, v), with its key in *key; NULL when v is too long. */
static memo_slot *memo_at(txs_sanctions *s, char kind, txs_slice v, memo_key *key)
{
    if (v.n > MEMO_KEY) return NULL;
    if (v.n >= 8) {
        /* The same two words from two 8-byte loads of the field (its first
         * 7 bytes after the kind, then the rest and the length, as the
         * bytes below lay them out on the little-endian machines the
         * engine runs on): bytes stored one by one and read back as words
         * stall the loads, and that was most of a BIC look-up. */
        uint64_t a, z;
        memcpy(&a, v.p, 8);
        memcpy(&z, v.p + v.n - 8, 8);
        key->w[0] = (unsigned char)kind | a << 8;
        key->w[1] = z >> (8 * (15 - v.n)) | (uint64_t)v.n << 56;
    } else {
        unsigned char b[sizeof *key] = {0};
        b[0] = (unsigned char)kind;
        memcpy(b + 1, v.p, v.n);
        b[sizeof b - 1] = (unsigned char)v.n; /* a field with NUL bytes is no shorter one */
        memcpy(key, b, sizeof *key);
    }
    uint64_t h = (key->w[0] * 0x9E3779B97F4A7C15u) ^ (key->w[1] * 0xC2B2AE3D27D4EB4Fu);
    return &txs__sanctions_idmemo(s)->slot[(h >> 32 ^ h) & (MEMO_SLOTS - 1)];
}

/* The remembered answer for key into out; -1 when there is none usable at
 * this cap. */
static int memo_get(const memo_slot *m, const memo_key *key, txs_sanctions_match *out, size_t cap)
{
    if (m == NULL || m->key.w[0] != key->w[0] || m->key.w[1] != key->w[1] || m->k >= cap) return -1;
    if (m->k) memcpy(out, m->m, m->k * sizeof *out); /* nearly all: none, and no call */
    return m->k;
}

static void memo_put(memo_slot *m, const memo_key *key, const txs_sanctions_match *out, size_t k,
                     size_t cap)
{
    if (m == NULL || k >= cap || k > MEMO_HITS) return;
    m->key = *key;
    m->k = (uint8_t)k;
    memcpy(m->m, out, k * sizeof *out);
}

/* Append the entities carrying (kind, v) to out[*k .. cap), once each. */
static void ident_into(txs_sanctions *s, int kind, txs_slice v, txs_sanctions_match *out,
                       size_t cap, size_t *k)
{
    uint32_t ents[16];
    size_t n = txs__sanctions_nlists(s);
    for (size_t i = 0; i < n; i++) {
        size_t m = txs_lists_find_ident(txs_sanctions_lists(s, i), kind, v, ents, 16);
        for (size_t j = 0; j < m && j < 16; j++) {
            int dup = 0;
            for (size_t r = 0; r < *k; r++) dup |= out[r].list == i && out[r].entity == ents[j];
            if (!dup && *k < cap)
                out[(*k)++] = (txs_sanctions_match){(uint32_t)i, ents[j], UINT32_MAX, 1.0};
        }
    }
}

size_t txs_sanctions_ident(txs_sanctions *s, int id_kind, txs_slice value,
                           txs_sanctions_match *out, size_t cap)
{
    size_t k = 0;
    if (value.n) ident_into(s, id_kind, value, out, cap, &k);
    return k;
}

size_t txs_sanctions_bic(txs_sanctions *s, txs_slice bic, txs_sanctions_match *out, size_t cap)
{
    size_t k = 0;
    if (bic.n != 8 && bic.n != 11) return 0;
    memo_key key;
    memo_slot *m = memo_at(s, 'B', bic, &key);
    int known = memo_get(m, &key, out, cap);
    if (known >= 0) return (size_t)known;
    ident_into(s, TXS_ID_SWIFT_BIC, bic, out, cap, &k);
    /* An 11-character BIC is a branch of its 8-character institution. */
    if (bic.n == 11) ident_into(s, TXS_ID_SWIFT_BIC, (txs_slice){bic.p, 8}, out, cap, &k);
    memo_put(m, &key, out, k, cap);
    return k;
}

size_t txs_sanctions_iban(txs_sanctions *s, txs_slice account, txs_iban *iban,
                          txs_sanctions_match *out, size_t cap)
{
    txs_iban local;
    txs_iban *ib = iban ? iban : &local;
    if (txs_iban_parse(account.p, account.n, ib, NULL) < 0) return 0;
    txs_slice v = {ib->text, ib->n};
    size_t k = txs_sanctions_ident(s, TXS_ID_IBAN, v, out, cap);
    txs_sanctions_match more[16];
    size_t m = txs_sanctions_ident(s, TXS_ID_OTHER, v, more, 16);
    for (size_t i = 0; i < m && k < cap; i++) {
        int dup = 0;
        for (size_t j = 0; j < k; j++)
            dup |= out[j].list == more[i].list && out[j].entity == more[i].entity;
        if (!dup) out[k++] = more[i];
    }
    return k;
}
