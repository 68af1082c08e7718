/*
 * gen.h: the synthetic export generator behind `txscreen gen` and the
 * benchmark harness.  It writes transaction exports (native CSV, native
 * JSONL or IBM AMLworld *_Trans.csv) with planted cases and a ground-truth
 * labels file, so rule sets can be measured for speed and for recall.
 *
 *   opts (seed, rows|bytes, format, accounts, plant rate, names file)
 *     |
 *   world: countries, banks (BICs), account population, names   (fixed size)
 *     |
 *   row loop: background txn | due queued plant | planter -> queue (streaming)
 *     |
 *   formatter (csv / jsonl / amlworld) -> 1 MiB buffer -> FILE *out
 *
 * Invariants:
 *  - Deterministic: the output bytes depend only on the options and the
 *    names file (own PRNG, integer arithmetic only, no locale, no clock).
 *  - Streaming: memory is fixed at start-up (names, tables, one buffer) and
 *    does not grow with the number of rows; accounts are derived from their
 *    index by hashing, so even the population takes no per-account memory.
 *  - Background rows contain no accidental plants: no high-risk country or
 *    BIC country, and cash stays below 9,000 USD-equivalent.
 *  - Planted patterns span minutes to months: their records wait in a
 *    bounded time-ordered queue and are released when the background clock
 *    reaches them, so output is in timestamp order; patterns still in
 *    flight when the row budget is spent are completed as a tail.
 *
 * Labels file (CSV, bench/README.md): `txn_id,typology,pattern_id`, one row
 * per planted transaction, in output order.  The payment formats (pacs.008,
 * pain.001, mt103; gen_pay.c) write the same records as messages; their
 * labels name each record's UETR, the id the payment readers give it.
 */
#ifndef TXS_GEN_H
#define TXS_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "txs/base.h"

typedef enum txs_gen_format {
    TXS_GEN_NATIVE_CSV = 0, /* the canonical 16-column CSV with header */
    TXS_GEN_NATIVE_JSONL,   /* one JSON object per line, same keys */
    TXS_GEN_AMLWORLD,       /* IBM AML-Data *_Trans.csv columns */
    TXS_GEN_PACS008,        /* CBPR+ pacs.008.001.08 messages (AppHdr) */
    TXS_GEN_PAIN001,        /* pain.001.001.09 messages, PmtInf per debtor */
    TXS_GEN_MT103           /* SWIFT MT103 FIN messages, an RJE file */
} txs_gen_format;

/* 1 for the payment-message formats (their labels name UETRs). */
int txs_gen_format_payments(txs_gen_format f);

typedef struct txs_gen_opts {
    uint64_t seed;          /* any value; the same seed gives the same bytes */
    uint64_t rows;          /* stop after this many records; 0 = no limit */
    uint64_t target_bytes;  /* stop once this many bytes are written (the
                               record in progress is completed); 0 = no
                               limit.  At least one of rows/target_bytes. */
    txs_gen_format format;
    uint32_t accounts;      /* size of the background population, >= 100 */
    double plant_rate;      /* fraction of records that are planted, 0..0.5 */
    const char *names_path; /* first/last names TSV; NULL = bench/data/names.tsv */
    const char *typologies; /* comma-separated planter names to plant; NULL or
                               "" = all (txs_gen_typology_name) */
    const char *embed_amlworld; /* an AMLworld patterns CSV: write an amlworld
                               export of benign background (rows records over
                               the patterns' days) with every pattern row
                               merged in by time; planters are not used */
    const char *label_prefix; /* AMLworld exports have no txn id: the labels
                               name a row "<label_prefix><line>" (the engine's
                               generate: line id is "<file basename>:<line>");
                               NULL = the bare line number */
} txs_gen_opts;

/* Counts of what a run wrote. */
typedef struct txs_gen_stats {
    uint64_t rows;          /* data records, header excluded */
    uint64_t bytes;         /* bytes written to out, header included */
    uint64_t planted;       /* label rows written */
    uint64_t per_typology[32]; /* label rows per txs_gen_typology_name(i) */
    uint64_t patterns;      /* planted (or embedded) patterns written */
    uint64_t tail;          /* planted records written after the background
                               ended (patterns still in flight at the end) */
} txs_gen_stats;

/* Fill o with the defaults: seed 1, 1,000 rows, native CSV, 100,000
 * accounts, plant rate 0.002, default names file. */
void txs_gen_opts_default(txs_gen_opts *o);

/* Parse "native", "csv", "jsonl", "amlworld", "pacs.008", "pain.001" or
 * "mt103"; returns 0 or TXS_E_ARG. */
int txs_gen_format_parse(const char *s, txs_gen_format *out);

/* The typologies that planters produce, by index (NULL past the end), as
 * they appear in the labels file: "threshold_cash", ...  Names starting
 * with "near_miss_" are negatives. */
const char *txs_gen_typology_name(int i);
/* 1 if the typology's records are AMLworld-expressible (planted in the
 * amlworld format), else 0; -1 past the end. */
int txs_gen_typology_amlworld(int i);

/*
 * Generate one export.  Writes the header and records to out and, when
 * labels is not NULL, the labels header and one row per planted record.
 * Both FILEs stay owned by the caller (they are written to, never closed).
 * stats (may be NULL) receives the counts.  Returns 0, TXS_E_ARG for bad
 * options, TXS_E_IO when the names file cannot be read, TXS_E_OUTPUT when a
 * write fails, TXS_E_NOMEM; d (may be NULL) gets the message.
 * Thread-safe for distinct outputs (no shared mutable state).
 */
int txs_gen_run(const txs_gen_opts *o, FILE *out, FILE *labels,
                txs_gen_stats *stats, txs_diag *d);

#endif /* TXS_GEN_H */
