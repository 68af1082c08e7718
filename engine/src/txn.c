/*
 * txn.c: names of the canonical payment channels (txn.h).  The parse stage
 * maps a profile's channel column onto these; emit and the rules write them
 * back.  The names are part of the native CSV / JSONL contract: cash, wire,
 * ach, card, cheque, crypto, internal, other.  The table is const and
 * indexed by txs_channel, so both directions are allocation-free and
 * thread-safe.
 */
#include <stddef.h>
#include <stdint.h>

#include "txs/txn.h"

static const char *const channel_names[TXS_CH_COUNT] = {
    [TXS_CH_OTHER] = "other",   [TXS_CH_CASH] = "cash",     [TXS_CH_WIRE] = "wire",
    [TXS_CH_ACH] = "ach",       [TXS_CH_CARD] = "card",     [TXS_CH_CHEQUE] = "cheque",
    [TXS_CH_CRYPTO] = "crypto", [TXS_CH_INTERNAL] = "internal",
};

const char *txs_channel_name(int ch)
{
    if (ch < 0 || ch >= TXS_CH_COUNT) return "other";
    return channel_names[ch];
}

/* The names packed little-endian into words, so the lookup compares one
 * word per channel.  test_channel checks this table against the names. */
#define W(a, b, c, d, e, f, g, h)                                              \
    ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24 | \
     (uint64_t)(e) << 32 | (uint64_t)(f) << 40 | (uint64_t)(g) << 48 | (uint64_t)(h) << 56)
static const uint64_t channel_words[TXS_CH_COUNT] = {
    [TXS_CH_OTHER] = W('o', 't', 'h', 'e', 'r', 0, 0, 0),
    [TXS_CH_CASH] = W('c', 'a', 's', 'h', 0, 0, 0, 0),
    [TXS_CH_WIRE] = W('w', 'i', 'r', 'e', 0, 0, 0, 0),
    [TXS_CH_ACH] = W('a', 'c', 'h', 0, 0, 0, 0, 0),
    [TXS_CH_CARD] = W('c', 'a', 'r', 'd', 0, 0, 0, 0),
    [TXS_CH_CHEQUE] = W('c', 'h', 'e', 'q', 'u', 'e', 0, 0),
    [TXS_CH_CRYPTO] = W('c', 'r', 'y', 'p', 't', 'o', 0, 0),
    [TXS_CH_INTERNAL] = W('i', 'n', 't', 'e', 'r', 'n', 'a', 'l'),
};
#define CHECK_WORD W('c', 'h', 'e', 'c', 'k', 0, 0, 0)

int txs_channel_lookup(const char *p, size_t n)
{
    /* Once per record: fold at most 8 bytes to lower case into a word and
     * compare words, instead of a loop of string compares. */
    if (p == NULL || n < 3 || n > 8) return -1;
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        w |= (uint64_t)c << (8 * i);
    }
    for (int ch = 0; ch < TXS_CH_COUNT; ch++)
        if (w == channel_words[ch]) return ch;
    /* US spelling of the same instrument. */
    return w == CHECK_WORD ? TXS_CH_CHEQUE : -1;
}
