/*
 * txn.h: the canonical transaction every profile maps onto and every later
 * stage reads.  String fields are borrowed slices into the reader's buffer or
 * the batch arena (valid for one batch).  Parsed values are exact: amounts are
 * integer minor units of their ISO 4217 currency, timestamps are seconds since
 * the Unix epoch in UTC.
 *
 * Field order and names follow the `native` CSV header:
 *   txn_id, timestamp, amount, currency, channel,
 *   orig_account, orig_name, orig_country, orig_bank, orig_address,
 *   bene_account, bene_name, bene_country, bene_bank, bene_address, purpose
 */
#ifndef TXS_TXN_H
#define TXS_TXN_H

#include <stdint.h>

#include "txs/base.h"

typedef enum txs_channel {
    TXS_CH_OTHER = 0,
    TXS_CH_CASH,
    TXS_CH_WIRE,
    TXS_CH_ACH,
    TXS_CH_CARD,
    TXS_CH_CHEQUE,
    TXS_CH_CRYPTO,
    TXS_CH_INTERNAL,
    TXS_CH_COUNT
} txs_channel;

/* "cash", "wire", ... for a channel; "other" for out-of-range values. */
const char *txs_channel_name(int ch);
/* Channel for its canonical name (ASCII case-insensitive); -1 if unknown. */
int txs_channel_lookup(const char *p, size_t n);

/* One party side of a transaction. */
typedef struct txs_party {
    txs_slice account;     /* empty for a cash deposit's originator */
    txs_slice name;
    txs_slice bank;        /* BIC when the export has one, else a bank id */
    txs_slice address;
    char country[2];       /* ISO 3166 alpha-2, or {0,0} when absent */
    char bank_country[2];  /* letters 5-6 of bank when it is a valid BIC */
} txs_party;

struct txs_pay_ext;

typedef struct txs_txn {
    txs_slice txn_id;
    int64_t ts;          /* seconds since 1970-01-01T00:00:00Z */
    int64_t amount;      /* minor units, e.g. cents; may be negative */
    uint16_t currency;   /* index for txs_currency_get() */
    uint8_t channel;     /* txs_channel */
    txs_party orig;
    txs_party bene;
    txs_slice purpose;
    /* Provenance: which input, where. */
    uint32_t file_index;
    uint64_t line;
    uint64_t offset;
    /* Payment messages only (payments.h): every party with its role and
     * source, the references and texts; NULL for CSV and JSONL records. */
    const struct txs_pay_ext *ext;
} txs_txn;

#endif /* TXS_TXN_H */
