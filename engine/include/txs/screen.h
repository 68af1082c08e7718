/*
 * screen.h: the pipeline driver.  A screener ties the stages together for
 * one run: for each source it frames records (input), maps them to
 * transactions (parse), evaluates the rule set (rules), scores, and writes
 * alerts and rejects (emit) in input order.  It keeps the run's counts for
 * the manifest: read = screened + rejected, per source and in total.
 *
 *   sources --> reader --> parse --> rules --> score --> alerts sink
 *                 \           \                     \--> counts
 *                  \-----------\--> rejects sink
 *
 * The sanctions screeners it routes fields to have their own header
 * (sanctions.h); this one is the pipeline's (engine/src/pipeline/).
 *
 * With sanctions lists (opts.lists) every screened record's orig_name and
 * bene_name go through a txs_sanctions screener and its orig_bank /
 * bene_bank through the snapshot's SWIFT/BIC table; those hits join the
 * rule hits in the noisy-or score (weight scoring.sanctions_weight).
 * The rule set's `sanctions:` section sets thresholds per list and hit
 * kind; a good-guy list (opts.good_guys) marks reviewed false positives
 * suppressed, so they stay visible but score nothing.
 *
 * Output goes to sinks (write callbacks) a batch at a time, so the CLI can
 * point them at atomic files and tests at memory.
 *
 * Threads (opts.threads > 1): a reader thread frames batches, `threads`
 * workers each take whole batches through parse, sanctions and the
 * stateless rules (each with its own sanctions screener, Hyperscan scratch
 * and buffers; a batch's data lives in its own arena); `threads` state
 * partitions each feed every batch, in input order, to the per-account
 * state of the accounts they own (state.h "Partitions"); and the thread
 * that called txs_screener_feed runs the ordered stage batch by batch in
 * input order: the graph kinds' link stage, score, counts and the sinks.
 * The output is byte-identical to threads = 1 for any thread count and
 * any read chunking; sinks are only ever called from the feeding thread.  A screener itself is not thread-safe: one feed at a time.
 */
#ifndef TXS_SCREEN_H
#define TXS_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/input.h"
#include "txs/lists.h"
#include "txs/norm.h"
#include "txs/parse.h"
#include "txs/rules.h"
#include "txs/sanctions.h"

/* A sink receives whole JSON lines; returns 0 or a negative status. */
typedef int (*txs_sink_fn)(void *ctx, const char *p, size_t n);

/* txs_screen_opts.format for payment messages (ISO 20022 or SWIFT FIN,
 * told apart by their first bytes): every party of a message is screened,
 * its hits naming the party's role and the value's source; with threads,
 * read on the reader thread and screened by the workers, the output that of
 * one thread. */
#define TXS_SCREEN_PAYMENTS 16

typedef struct txs_screen_opts {
    const txs_profile *profile;  /* required; borrowed for the run */
    int format;                  /* TXS_FMT_CSV / TXS_FMT_JSONL, or -1: by
                                    file name (.jsonl/.ndjson), else the
                                    profile's format; TXS_SCREEN_PAYMENTS:
                                    payment messages (payments.h) */
    const char *validate_xsd;    /* with TXS_SCREEN_PAYMENTS: validate ISO
                                    20022 messages against the schemas of
                                    this folder (txs_pay_reader_validate_xsd);
                                    a bad folder fails txs_screener_create */
    const txs_ruleset *rules;    /* NULL: no rules */
    txs_sink_fn alerts;          /* NULL: alerts are counted only */
    void *alerts_ctx;
    txs_sink_fn rejects;         /* NULL: rejects are counted only */
    void *rejects_ctx;
    const txs_lists *const *lists; /* sanctions snapshots (borrowed); */
    size_t nlists;                 /* 0: no sanctions screening */
    double sanctions_threshold;    /* name hits; <= 0: the rule set's
                                      `sanctions` threshold, else
                                      TXS_SANCTIONS_THRESHOLD */
    const txs_goodguys *good_guys; /* NULL: none (borrowed) */
    /* Cases (cases.h): every alert names its cases ("cases"); with a
     * table here the screener also adds each alert to them.  NULL: ids
     * only.  Borrowed. */
    struct txs_cases *cases;
    /* Stateful rules (state.h): lateness, and the shard this run is. */
    int64_t max_lateness;          /* seconds; < 0: the default */
    int shard_mode;                /* txs_state_mode: 0 all, 1 shard K/N,
                                      2 graph (the cross-account job) */
    uint32_t shard_k, shard_n;
    /* Keep the counterparties seen (state.h "Counterparties"), for a run
     * whose state is saved (--state): 1; retention in seconds, 0: the
     * default. */
    int counterparties;
    int64_t cp_retention;
    /* Workers for parse, sanctions and stateless rules: 0 or 1 runs the
     * whole pipeline on the caller's thread; N > 1 adds N workers and a
     * reader thread (at most TXS_MAX_THREADS). */
    unsigned threads;
    /* Where a failure to open the lists or place tables is explained
     * (a snapshot compiled for a CPU this host lacks, say), when a worker
     * starts: at create time or at the first threaded feed.  NULL: not
     * wanted.  Borrowed; must outlive the screener. */
    txs_diag *diag;
} txs_screen_opts;

/* Most workers one screener runs. */
#define TXS_MAX_THREADS 256u

/* Per-source figures for the manifest. */
typedef struct txs_source_stats {
    char name[512];
    char encoding[8];
    uint64_t raw_bytes, plain_bytes, raw_xxh3;
    uint64_t read, rejected;
} txs_source_stats;

typedef struct txs_screen_stats {
    uint64_t read, screened, rejected;
    uint64_t alerts, alerts_by_band[4];  /* index: txs_band */
    uint64_t hits, hits_dropped;         /* hits beyond TXS_MAX_HITS a txn */
    uint64_t txns_hit_below_band;        /* had hits, scored under edd */
    uint64_t plain_bytes;
    uint64_t sanctions_hits;             /* sanctions hits (names and BICs) */
    uint64_t sanctions_txns;             /* screened txns with one or more */
    uint64_t sanctions_alerts;           /* alerts carrying one or more */
    uint64_t sanctions_suppressed;       /* hits a good-guy row suppressed
                                            (counted in sanctions_hits too) */
    uint64_t late_records;               /* late for an account's windows
                                            (screened all the same) */
    uint64_t shard_foreign;              /* shard runs: records whose home
                                            is another shard (state only;
                                            not in read) */
    const struct txs_state_stats *state; /* NULL: no stateful rules */
    uint64_t *alerts_by_rule;            /* [txs_ruleset_count()], owned */
    size_t nrules;
    txs_source_stats *sources;           /* [nsources], owned */
    size_t nsources;
} txs_screen_stats;

typedef struct txs_screener txs_screener;

/* Create a screener.  opts is copied; what it points to is borrowed. */
int txs_screener_create(const txs_screen_opts *opts, txs_screener **out);
/* Screen one source to its end.  name_hint (may be NULL) decides the format
 * when opts.format is -1.  Returns 0, or a negative status with d filled:
 * TXS_E_IO / TXS_E_DECOMPRESS (the input failed), TXS_E_CONFIG (the
 * profile does not fit the source's header), TXS_E_OUTPUT (a sink failed). */
int txs_screener_feed(txs_screener *s, txs_source *src, txs_diag *d);
/* The counts so far (valid until the screener is freed). */
const txs_screen_stats *txs_screener_stats(const txs_screener *s);
/* Records read so far, as of the last batch committed: the one call that
 * is safe from another thread while txs_screener_feed runs (a progress
 * display; txs_source_raw_bytes gives the bytes). */
uint64_t txs_screener_progress(const txs_screener *s);
/* Workers in use: 1 (single-threaded) or opts.threads. */
unsigned txs_screener_threads(const txs_screener *s);
/* The name threshold in force (CLI, else rule set, else the default). */
double txs_screener_name_threshold(const txs_screener *s);
/* Free; accepts NULL. */
void txs_screener_free(txs_screener *s);
/* The per-account state of the stateful rules, NULL when the rule set has
 * none: load it (txs_state_load) before the first feed, save it after the
 * last. */
struct txs_state *txs_screener_state(txs_screener *s);

/* What the manifest says beside the counts. */
typedef struct txs_manifest_info {
    const char *command;        /* the command line, for the record */
    const char *profile;        /* profile name */
    const txs_ruleset *rules;   /* NULL: rules off */
    const char *rules_spec;     /* as given: "default", a path, "none" */
    const txs_lists *const *lists; /* snapshots used (NULL/0: lists off) */
    const char *const *list_paths; /* each one's path, or "(compiled)" */
    size_t nlists;
    double sanctions_threshold;
    const char *good_guys_path; /* NULL: no good-guy list */
    const char *alerts_path;    /* "-" for stdout */
    const char *rejects_path;   /* NULL: not written */
    int has_digests;            /* the four below are set (emit.h txs_manifest) */
    uint64_t alerts_bytes, alerts_xxh3, rejects_bytes, rejects_xxh3;
    const char *started_utc;    /* "YYYY-MM-DDThh:mm:ssZ" */
    double wall_seconds;
    unsigned threads;           /* workers the run used (timing) */
} txs_manifest_info;

struct txs_buf;
/*
 * Write the run manifest as pretty-printed JSON into b: inputs (name,
 * encoding, bytes, xxh3), profile, rule set (name, version, xxh3), lists,
 * counts (read = screened + rejected), alerts by band and by rule, the
 * state, and timing.  Fills emit.h's txs_manifest from mi and st
 * (engine/src/pipeline/manifest.c) and prints it with txs_manifest_print.
 * Returns 0, or TXS_E_NOMEM with b->oom set.
 */
int txs_screen_manifest_write(struct txs_buf *b, const txs_manifest_info *mi,
                              const txs_screen_stats *st);

#endif /* TXS_SCREEN_H */
