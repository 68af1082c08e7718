/*
 * txn.c: names of the canonical payment channels (txn.h).  The parse stage
 * maps a profile's channel column onto these; emit and the rules write them
 * back.  The names are part of the native CSV / JSONL contract: cash, wire,
 * ach, card, cheque, crypto, internal, other.  The table is const and
 * indexed by txs_channel, so both directions are allocation-free and
 * thread-safe.
 */
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

/* ASCII case-insensitive equality of p[0..n) with a lower-case name. */
static int eq_lower(const char *p, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n && name[i] != '\0'; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if (c != (unsigned char)name[i]) return 0;
    }
    return i == n && name[i] == '\0';
}

int txs_channel_lookup(const char *p, size_t n)
{
    if (p == NULL) return -1;
    for (int ch = 0; ch < TXS_CH_COUNT; ch++)
        if (eq_lower(p, n, channel_names[ch])) return ch;
    /* US spelling of the same instrument. */
    if (eq_lower(p, n, "check")) return TXS_CH_CHEQUE;
    return -1;
}
