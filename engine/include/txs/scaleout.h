/*
 * scaleout.h: the scale-out library (scaleout/ folder): `txscreen split`
 * cuts exports into N account shards, `txscreen screen --shard K/N` screens
 * each (pipeline), and `txscreen merge` recombines the shards' outputs into
 * what one screen over the original inputs gives (docs/operations.md
 * "Scale-out").  The CLI parses flags and calls these; tests call them too
 * (tests/unit/test_scaleout.c).
 *
 *   exports --txs_split--> DIR/shard-K.{csv,jsonl}, shard-K.idx, split.json,
 *                          split-rejects.jsonl
 *   shard outputs + DIR --txs_merge--> alerts, rejects, manifest
 *
 * Both write their outputs atomically (txs/emit.h); on an error nothing
 * new is published and d says what is wrong.  Not thread-safe across calls
 * that share outputs; otherwise reentrant.
 */
#ifndef TXS_SCALEOUT_H
#define TXS_SCALEOUT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

/* Most shards one split writes (two open files each). */
#define TXS_SPLIT_MAX_SHARDS 1024

/* ----------------------------------------------------------------- split */

typedef struct txs_split_opts {
    const char *profile;    /* profile spec ("native", a built-in, or a YAML path) */
    const char *out_dir;    /* created if missing */
    uint32_t shards;        /* N, 1..TXS_SPLIT_MAX_SHARDS */
    int format;             /* a txs_format to force, or -1: by name, as screen */
    char **inputs;          /* paths ("-" is stdin); none: stdin */
    size_t ninputs;
    const char *command;    /* split.json's "command" (NULL: "txscreen split") */
} txs_split_opts;

typedef struct txs_split_stats {
    uint32_t shards;
    uint64_t records;                   /* read from every input */
    uint64_t min_records, max_records;  /* records in the smallest and largest shard */
    uint64_t frame_rejects, parse_rejects;
} txs_split_stats;

/* Cut o->inputs into o->shards account shards in o->out_dir: shard-K.csv
 * (or .jsonl) with the header and every record whose originator's or
 * beneficiary's account falls in shard K (txs/shard.h), shard-K.idx mapping
 * each shard line back to its input, line and offset, split-rejects.jsonl
 * (records the reader cannot frame) and split.json (inputs and counts,
 * written last).  Returns TXS_OK with *st filled, or an error with d. */
int txs_split(const txs_split_opts *o, txs_split_stats *st, txs_diag *d);

/* ----------------------------------------------------------------- merge */

typedef struct txs_merge_opts {
    const char *split_dir;  /* the directory `split` wrote (required) */
    const char *rules;      /* rule set spec; NULL: the one the shard manifests name */
    const char *out;        /* merged alerts: a path, or "-" for stdout */
    const char *rejects;    /* merged rejects, or NULL */
    const char *manifest;   /* merged manifest, or NULL (needs every shard's) */
    char **inputs;          /* shard outputs: alerts, rejects, manifests, any order */
    size_t ninputs;
    const char *command;    /* the manifest's "command" (NULL: "txscreen merge") */
} txs_merge_opts;

typedef struct txs_merge_stats {
    uint32_t shards;
    uint64_t alerts, by_band[4];  /* by_band indexed by txs_band (rules.h) */
    uint64_t combined;            /* alerts recombined from two shards */
    uint64_t rejects;
} txs_merge_stats;

/* Merge the shard outputs o->inputs of the split in o->split_dir into
 * o->out (and o->rejects, o->manifest), published as one commit only once
 * the set is proven complete: every shard's manifest, each over this
 * split's shard file, every alerts (and rejects) file as long as its
 * manifest counts, the graph job's when the rule set needs it.  Returns
 * TXS_OK with *st filled, or an error status with d naming the file, line
 * and reason, nothing published: TXS_E_FORMAT for outputs that are not a
 * split's, incomplete, stale or do not add up, TXS_E_ARG for a file given
 * twice, TXS_E_CONFIG for a rule set other than the shards', TXS_E_IO and
 * TXS_E_OUTPUT for I/O. */
int txs_merge(const txs_merge_opts *o, txs_merge_stats *st, txs_diag *d);

#endif /* TXS_SCALEOUT_H */
