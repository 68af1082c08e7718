/*
 * payments_int.h: private to the payments module.  The MX and MT readers
 * both collect a message into layers and hand them to one builder
 * (pay_txn.c), so there is one way a message becomes a canonical
 * transaction:
 *
 *   group layer   AppHdr + GrpHdr (MX), blocks 1-3 + MT101 sequence A (MT)
 *   block layer   pain.001 PmtInf (the payment information's debtor)
 *   txn layer     CdtTrfTxInf / TxInf, one MT, one MT101 sequence B
 *
 * A value set in a lower layer wins over the same value above it; parties
 * are merged by (role, scope), the lowest layer's copy kept.  Each layer's
 * strings live in the arena the reader resets with that layer.
 */
#ifndef TXS_PAYMENTS_INT_H
#define TXS_PAYMENTS_INT_H

#include "txs/arena.h"
#include "txs/payments.h"

/* Parties one layer holds; a transaction holds at most three layers'. */
#define TXS_PAY_LAYER_PARTIES 48u
#define TXS_PAY_MAX_PARTIES (3u * TXS_PAY_LAYER_PARTIES)

typedef struct txs_pay_layer {
    txs_pay_party party[TXS_PAY_LAYER_PARTIES];
    size_t nparty;
    int overflow;               /* a party beyond TXS_PAY_LAYER_PARTIES */
    txs_slice ref[TXS_PR_COUNT], ref_src[TXS_PR_COUNT];
    txs_slice amount, ccy, amount_src;   /* as written */
    char decimal;                        /* '.' (MX) or ',' (MT) */
    int has_ts;
    int64_t ts;
    txs_slice date_src;
} txs_pay_layer;

void txs__pay_layer_reset(txs_pay_layer *l);
/* The party of (role, scope) in l, made when absent; NULL when the layer is
 * full (l->overflow is set, and the transaction is rejected). */
txs_pay_party *txs__pay_party(txs_pay_layer *l, int role, int scope);
/* Append text to a '\n'-separated value (address lines, remittance). */
int txs__pay_append(txs_arena *a, txs_slice *v, const char *p, size_t n);

/* What a finished transaction needs beside its layers. */
typedef struct txs_pay_out {
    const char *kind, *file;
    uint64_t message;
    uint32_t file_index;
    uint64_t line, offset;
    txs_arena *arena;           /* for the joined addresses */
    txs_pay_ext ext;            /* filled; t->ext points here */
    const txs_pay_party *parties[TXS_PAY_MAX_PARTIES];   /* into the layers */
} txs_pay_out;

/* Merge layers[0..n) (highest first) into t and o->ext.  Returns 0, or
 * TXS_E_FORMAT with *where (element path or MT field) and why[cap] filled:
 * no amount, an amount or currency that does not parse, no value date, too
 * many parties. */
int txs__pay_finish(txs_pay_layer *const *layers, size_t n, txs_pay_out *o,
                    txs_txn *t, const char **where, char *why, size_t cap);

/* A YYMMDD (MT) or YYYY-MM-DD (MX) date at 00:00 UTC; 0 or TXS_E_FORMAT
 * with a static reason. */
int txs__pay_date(const char *p, size_t n, int64_t *out, const char **why);

/* The readers, called by pay_reader.c with whole or streamed bytes.  The
 * context (counts, sink, file) is the reader's. */
typedef struct txs_pay_ctx {
    const char *file;
    uint32_t file_index;
    const txs_pay_sink *sink;
    txs_pay_counts *counts;
} txs_pay_ctx;

/* Send one reject (counted by the caller's kind); returns the sink's status. */
int txs__pay_reject(const txs_pay_ctx *c, uint64_t message, uint64_t line, const char *where,
                    const char *why);

/* MT: messages are framed from a stream of chunks; state between chunks is
 * only the unconsumed tail, which the caller keeps (pay_reader.c). */
typedef struct txs_mt_reader txs_mt_reader;
int txs__mt_create(txs_mt_reader **out);
void txs__mt_free(txs_mt_reader *m);
/* Start a new file. */
void txs__mt_begin(txs_mt_reader *m, const txs_pay_ctx *c);
/* Consume the complete messages at the start of p[0..n) (all of it when
 * last); returns the bytes consumed, or a negative sink status. */
long txs__mt_feed(txs_mt_reader *m, const char *p, size_t n, int last);

/* MX: a libxml2 SAX2 push parser fed chunk by chunk. */
typedef struct txs_mx_reader txs_mx_reader;
int txs__mx_create(txs_mx_reader **out);
void txs__mx_free(txs_mx_reader *x);
int txs__mx_begin(txs_mx_reader *x, const txs_pay_ctx *c);
/* Feed bytes (last = 1 at the end of the file).  Returns 0 or a negative
 * sink status; a file that is not well-formed is a reject, not an error. */
int txs__mx_feed(txs_mx_reader *x, const char *p, size_t n, int last);

/* The schemas of `--validate-xsd DIR` (mx_xsd.c): every *.xsd of dir by
 * its target namespace; TXS_E_CONFIG naming the file when one is bad. */
typedef struct txs_mx_xsd txs_mx_xsd;
int txs__mx_xsd_load(const char *dir, txs_mx_xsd **out, txs_diag *d);
void txs__mx_xsd_free(txs_mx_xsd *x);
/* Validate every message the reader reads from now on (NULL: stop). */
void txs__mx_set_xsd(txs_mx_reader *x, txs_mx_xsd *s);

#endif /* TXS_PAYMENTS_INT_H */
