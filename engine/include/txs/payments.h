/*
 * payments.h: payment messages as input (issue 15).  ISO 20022 (pacs.008,
 * pacs.009 core/COV/ADV, pacs.004, pain.001) and SWIFT MT (103, 202,
 * 202 COV, 205, 101) are read into the same canonical transaction the CSV
 * and JSONL profiles produce (txn.h), plus an extension that carries every
 * party of the message with its role and where each value came from:
 *
 *   file / dir / gzip / zstd --txs_pay_read--> message --> txs_txn + ext
 *                                                      \-> reject (why, where)
 *
 *   txs_txn.ext -> txs_pay_ext { refs, texts, parties[] }
 *                  party: role, scope, name, IBAN / other account, BIC,
 *                         LEI, other id + scheme, country, address;
 *                         src[field]: "CdtTrfTxInf/Cdtr/Nm" or ":59F:1/"
 *
 * txs_txn.orig / .bene are filled from the debtor and creditor (the
 * creditor's and debtor's agents give their banks), so every later stage
 * works unchanged; the extension is NULL for CSV and JSONL records.
 *
 * Memory: everything a transaction borrows lives in the reader's arenas
 * until the callback returns.  The reader streams: memory is bounded by the
 * largest message (MT) or one transaction plus its group header and
 * payment information block (MX), never by the file.  Not thread-safe: one
 * reader per thread.
 */
#ifndef TXS_PAYMENTS_H
#define TXS_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "txs/base.h"
#include "txs/txn.h"

/* Party roles.  The X-macro keeps the enum and the JSON names together. */
#define TXS_PAY_ROLES(X)                                                      \
    X(DEBTOR, "debtor")                                                       \
    X(CREDITOR, "creditor")                                                   \
    X(ULT_DEBTOR, "ultimate_debtor")                                          \
    X(ULT_CREDITOR, "ultimate_creditor")                                      \
    X(INITIATING, "initiating_party")                                         \
    X(DEBTOR_AGENT, "debtor_agent")                                           \
    X(CREDITOR_AGENT, "creditor_agent")                                       \
    X(INTERMEDIARY1, "intermediary_agent_1")                                  \
    X(INTERMEDIARY2, "intermediary_agent_2")                                  \
    X(INTERMEDIARY3, "intermediary_agent_3")                                  \
    X(INSTRUCTING, "instructing_agent")                                       \
    X(INSTRUCTED, "instructed_agent")                                         \
    X(PREV_INSTRUCTING1, "previous_instructing_agent_1")                      \
    X(PREV_INSTRUCTING2, "previous_instructing_agent_2")                      \
    X(PREV_INSTRUCTING3, "previous_instructing_agent_3")                      \
    X(INSTG_REIMB, "instructing_reimbursement_agent")                         \
    X(INSTD_REIMB, "instructed_reimbursement_agent")                          \
    X(THIRD_REIMB, "third_reimbursement_agent")

typedef enum txs_pay_role {
#define TXS_X_ROLE(id, name) TXS_ROLE_##id,
    TXS_PAY_ROLES(TXS_X_ROLE)
#undef TXS_X_ROLE
    TXS_ROLE_COUNT
} txs_pay_role;

/* Where in the message a party sits.  A pacs.009 COV (and MT202 COV
 * sequence B) carries the underlying customer credit transfer; a pacs.004
 * names the parties of the original transaction it returns. */
typedef enum txs_pay_scope {
    TXS_SCOPE_TXN = 0,
    TXS_SCOPE_UNDERLYING = 1,
    TXS_SCOPE_ORIGINAL = 2
} txs_pay_scope;

/* The values of a party, one index per value; src[] is parallel. */
typedef enum txs_pay_field {
    TXS_PF_NAME = 0,
    TXS_PF_IBAN,        /* account: an IBAN */
    TXS_PF_ACCOUNT,     /* account: any other identification */
    TXS_PF_BIC,
    TXS_PF_LEI,
    TXS_PF_OTHER_ID,    /* organisation / person / clearing id */
    TXS_PF_SCHEME,      /* the other id's scheme (code or proprietary) */
    TXS_PF_COUNTRY,     /* as written: address country or residence */
    TXS_PF_STREET,
    TXS_PF_BUILDING,
    TXS_PF_POSTCODE,
    TXS_PF_TOWN,
    TXS_PF_SUBDIVISION,
    TXS_PF_LINES,       /* unstructured address lines, '\n' between */
    TXS_PF_COUNT
} txs_pay_field;

typedef struct txs_pay_party {
    uint8_t role;       /* txs_pay_role */
    uint8_t scope;      /* txs_pay_scope */
    char country[2];    /* ISO 3166 alpha-2 of TXS_PF_COUNTRY, {0,0} if none */
    uint8_t iban_ok;    /* its reader set v[TXS_PF_IBAN] only after checking it */
    txs_slice v[TXS_PF_COUNT];
    txs_slice src[TXS_PF_COUNT];
} txs_pay_party;

/* Transaction-level texts and references. */
typedef enum txs_pay_ref {
    TXS_PR_MSG_ID = 0,  /* GrpHdr/MsgId, MT :20: of a single-transaction MT */
    TXS_PR_BIZ_MSG_ID,  /* AppHdr/BizMsgIdr */
    TXS_PR_INSTR_ID,    /* PmtId/InstrId, MT :20: / :21: (MT101 seq B) */
    TXS_PR_END_TO_END,  /* PmtId/EndToEndId, MT202 :21: */
    TXS_PR_TX_ID,       /* PmtId/TxId */
    TXS_PR_UETR,        /* PmtId/UETR, MT block 3 {121:} */
    TXS_PR_PMT_INF_ID,  /* pain.001 PmtInf/PmtInfId */
    TXS_PR_RETURN_ID,   /* pacs.004 RtrId */
    TXS_PR_REMITTANCE,  /* RmtInf (Ustrd lines, Strd references), MT :70: */
    TXS_PR_REGULATORY,  /* RgltryRptg, MT :77B: */
    TXS_PR_INSTRUCTIONS,/* InstrForCdtrAgt / InstrForNxtAgt, MT :72: */
    TXS_PR_PURPOSE,     /* Purp/Cd or Prtry, MT :26T: */
    TXS_PR_CHARGES,     /* ChrgBr, MT :71A: */
    TXS_PR_INSTD_AMT,   /* instructed amount as written: "EUR 100.00" */
    TXS_PR_COUNT
} txs_pay_ref;

typedef struct txs_pay_ext {
    const char *kind;           /* "pacs.008.001.08", "MT103", "MT202COV" ... */
    const char *file;           /* the file it was read from */
    uint64_t message;           /* 1-based message number in its file */
    txs_slice ref[TXS_PR_COUNT];
    txs_slice ref_src[TXS_PR_COUNT];
    txs_slice amount_src, date_src;
    size_t nparties;
    const txs_pay_party *const *parties;   /* ordered by scope then role */
} txs_pay_ext;

/* "debtor", ... for a role; "unknown" when out of range. */
const char *txs_pay_role_name(int role);
/* "transaction", "underlying", "original". */
const char *txs_pay_scope_name(int scope);
/* JSON names of the party values and references ("name", "iban", ...). */
const char *txs_pay_field_name(int f);
const char *txs_pay_ref_name(int r);

/* One canonical transaction as a JSON line into b (docs/formats.md "The
 * canonical transaction as JSON"): references, amount, date and every party
 * with its role and the source of each value; file is the input's name.  A
 * CSV / JSONL transaction (ext NULL) prints its two sides as debtor and
 * creditor. */
struct txs_buf;
void txs_txn_json(struct txs_buf *b, const txs_txn *t, const char *file);

/* A deep copy of t (a payment transaction or a CSV / JSONL one) into a:
 * every slice, the references, the parties and their sources, so that it
 * outlives the reader's call (screen --threads hands transactions to
 * other threads).  Returns 0 or TXS_E_NOMEM. */
struct txs_arena;
int txs_pay_txn_copy(const txs_txn *t, struct txs_arena *a, txs_txn *out);

/* ------------------------------------------------------------ reading */

/* Input families: detected from the first bytes unless forced. */
typedef enum txs_pay_format {
    TXS_PAY_AUTO = 0,
    TXS_PAY_MX,         /* ISO 20022 XML */
    TXS_PAY_MT          /* SWIFT FIN, one message or RJE ('$' between) */
} txs_pay_format;

/* One rejected message or transaction: file, message number (1-based),
 * the line where it starts, the element path or MT field, the reason. */
typedef struct txs_pay_reject {
    const char *file;
    uint64_t message;
    uint64_t line;
    const char *where;  /* "CdtTrfTxInf/IntrBkSttlmAmt", ":32A:", "" */
    const char *reason;
} txs_pay_reject;

/* One reject as a JSON line into b: {"file","message","line","where",
 * "reason"} (docs/outputs.md "Rejects"); parse and screen both write it. */
struct txs_buf;
void txs_pay_reject_json(struct txs_buf *b, const txs_pay_reject *r);

typedef struct txs_pay_sink {
    /* A transaction; t and everything it borrows are valid during the call.
     * A negative return stops the read with that status. */
    int (*txn)(void *ctx, const txs_txn *t);
    int (*reject)(void *ctx, const txs_pay_reject *r);
    void *ctx;
} txs_pay_sink;

/* What a read saw: every message is counted once as mapped, rejected or
 * (MT delivery acknowledgements, F21) service. */
typedef struct txs_pay_counts {
    uint64_t files, messages, mapped, rejected, service, txns, txn_rejects;
} txs_pay_counts;

typedef struct txs_pay_reader txs_pay_reader;

int txs_pay_reader_create(txs_pay_format fmt, txs_pay_reader **out);
void txs_pay_reader_free(txs_pay_reader *r);
/* Validate every ISO 20022 message read from now on against the XML
 * Schemas of dir (every *.xsd, keyed by target namespace; imports read from
 * files only).  A message whose Document (or AppHdr, when its schema is
 * there) is invalid, or whose namespace has no schema, is rejected with the
 * schema's reason.  TXS_E_CONFIG with d naming the file when a schema is
 * bad or dir has none. */
int txs_pay_reader_validate_xsd(txs_pay_reader *r, const char *dir, txs_diag *d);
/* Read path: a file (plain, gzip or zstd; "-" is stdin) or a directory
 * (its regular files in name order, recursively).  file_index is stored in
 * each transaction.  Messages that cannot be mapped go to sink->reject and
 * the read goes on.  Returns 0, a sink's negative status, or TXS_E_IO /
 * TXS_E_DECOMPRESS / TXS_E_NOTFOUND with d naming the file. */
int txs_pay_read_path(txs_pay_reader *r, const char *path, uint32_t file_index,
                      const txs_pay_sink *sink, txs_diag *d);
/* Read an open source (input.h; borrowed, not closed) named name, as
 * txs_pay_read_path reads a file.  Same returns. */
struct txs_source;
int txs_pay_read_source(txs_pay_reader *r, struct txs_source *src, const char *name,
                        uint32_t file_index, const txs_pay_sink *sink, txs_diag *d);
/* Read one in-memory buffer as if it were a file named name (fuzzing,
 * tests).  Same returns. */
int txs_pay_read_mem(txs_pay_reader *r, const char *name, const char *p, size_t n,
                     const txs_pay_sink *sink, txs_diag *d);
/* Read bytes from fn (input.h's read function: up to cap bytes, 0 at the
 * end, -1 with errno on error) as a plain file named name: any chunking of
 * the same bytes gives the same transactions and rejects.  Same returns. */
int txs_pay_read_fn(txs_pay_reader *r, const char *name, ssize_t (*fn)(void *, void *, size_t),
                    void *ctx, const txs_pay_sink *sink, txs_diag *d);
/* Counts since the reader was created. */
void txs_pay_reader_counts(const txs_pay_reader *r, txs_pay_counts *out);

#endif /* TXS_PAYMENTS_H */
