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
 * Output goes to sinks (write callbacks) a batch at a time, so the CLI can
 * point them at atomic files and tests at memory.  Single-threaded for now;
 * a screener is not thread-safe.
 */
#ifndef TXS_SCREEN_H
#define TXS_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/rules.h"

/* A sink receives whole JSON lines; returns 0 or a negative status. */
typedef int (*txs_sink_fn)(void *ctx, const char *p, size_t n);

typedef struct txs_screen_opts {
    const txs_profile *profile;  /* required; borrowed for the run */
    int format;                  /* TXS_FMT_CSV / TXS_FMT_JSONL, or -1: by
                                    file name (.jsonl/.ndjson), else the
                                    profile's format */
    const txs_ruleset *rules;    /* NULL: no rules */
    txs_sink_fn alerts;          /* NULL: alerts are counted only */
    void *alerts_ctx;
    txs_sink_fn rejects;         /* NULL: rejects are counted only */
    void *rejects_ctx;
} txs_screen_opts;

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
/* Free; accepts NULL. */
void txs_screener_free(txs_screener *s);

/* What the manifest says beside the counts. */
typedef struct txs_manifest_info {
    const char *command;        /* the command line, for the record */
    const char *profile;        /* profile name */
    const txs_ruleset *rules;   /* NULL: rules off */
    const char *rules_spec;     /* as given: "default", a path, "none" */
    const char *alerts_path;    /* "-" for stdout */
    const char *rejects_path;   /* NULL: not written */
    const char *started_utc;    /* "YYYY-MM-DDThh:mm:ssZ" */
    double wall_seconds;
} txs_manifest_info;

struct txs_buf;
/*
 * Write the run manifest as pretty-printed JSON into b: inputs (name,
 * encoding, bytes, xxh3), profile, rule set (name, version, xxh3), counts
 * (read = screened + rejected), alerts by band and by rule, and timing.  The
 * run-dependent keys (started_utc, wall_seconds, records_per_second,
 * mb_per_second) sit on their own lines under "timing", so tools can
 * compare two manifests with those lines removed.
 */
void txs_manifest_write(struct txs_buf *b, const txs_manifest_info *mi,
                        const txs_screen_stats *st);

#endif /* TXS_SCREEN_H */
