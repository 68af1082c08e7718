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
 */
#include <stdint.h>

#include "screen/sanctions_int.h"
#include "txs/lists.h"
#include "txs/sanctions.h"

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
    ident_into(s, TXS_ID_SWIFT_BIC, bic, out, cap, &k);
    /* An 11-character BIC is a branch of its 8-character institution. */
    if (bic.n == 11) ident_into(s, TXS_ID_SWIFT_BIC, (txs_slice){bic.p, 8}, out, cap, &k);
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
