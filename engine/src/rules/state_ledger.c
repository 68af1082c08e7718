/*
 * state_ledger.c: the inputs a --state file has absorbed (state.h
 * "Inputs"), so that feeding the same export twice is caught instead of
 * counting its transactions twice (issue 14: the same day's file twice
 * moved the alerts from 57 to 59).
 *
 * An input is known by the xxh3-64 of its raw bytes and their count, the
 * same figures the manifest prints; a ledger keeps the last
 * TXS_STATE_INPUTS_MAX of them in the order they were absorbed (a nightly
 * job with one export a night keeps over ten years).  Its bytes are the
 * entries as they are, little-endian, 24 bytes each, written into the
 * state file by state_file.c behind the header; the section is bounded by
 * that count, so a damaged count cannot make the loader allocate freely.
 *
 *   ledger: [ {xxh3, bytes, records} ... ]   oldest first
 */
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"

struct txs__ledger {
    txs_state_input *in;
    size_t n, cap;
};

txs__ledger *txs__ledger_new(void) { return calloc(1, sizeof(txs__ledger)); }

void txs__ledger_free(txs__ledger *l)
{
    if (l == NULL) return;
    free(l->in);
    free(l);
}

int txs__ledger_has(const txs__ledger *l, uint64_t xxh3, uint64_t bytes)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->in[i].xxh3 == xxh3 && l->in[i].bytes == bytes) return 1;
    return 0;
}

int txs__ledger_add(txs__ledger *l, const txs_state_input *in)
{
    if (txs__ledger_has(l, in->xxh3, in->bytes)) return TXS_OK;
    if (l->n == TXS_STATE_INPUTS_MAX) { /* forget the oldest */
        memmove(l->in, l->in + 1, (l->n - 1) * sizeof *l->in);
        l->n--;
    }
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        txs_state_input *p = realloc(l->in, nc * sizeof *p);
        if (p == NULL) return TXS_E_NOMEM;
        l->in = p;
        l->cap = nc;
    }
    l->in[l->n++] = *in;
    return TXS_OK;
}

size_t txs__ledger_count(const txs__ledger *l) { return l->n; }

const txs_state_input *txs__ledger_at(const txs__ledger *l, size_t i) { return &l->in[i]; }

const void *txs__ledger_bytes(const txs__ledger *l, size_t *n)
{
    *n = l->n * sizeof *l->in;
    return l->in;
}

int txs__ledger_load(txs__ledger *l, const void *p, size_t count)
{
    l->n = 0;
    if (count > TXS_STATE_INPUTS_MAX) return TXS_E_FORMAT;
    for (size_t i = 0; i < count; i++) {
        txs_state_input in;
        memcpy(&in, (const char *)p + i * sizeof in, sizeof in);
        TXS_TRY(txs__ledger_add(l, &in));
    }
    return TXS_OK;
}
