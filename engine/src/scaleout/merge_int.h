/*
 * merge_int.h: private to scaleout/: the state of one `txscreen merge`
 * (txs_merge) shared by its files:
 *
 *   merge_input.c     split.json, the shard indexes, classifying the given
 *                     files and reading each stream's head record
 *   merge.c           the k-way merge of alerts and rejects, recombining a
 *                     record's alerts from two shards, the run
 *   merge_manifest.c  the rule set check, the completeness checks against
 *                     the shard manifests, and the merged manifest
 *
 * A stream is one shard output file (alerts or rejects) read one line at a
 * time; its head record is parsed into the stream's own JSON document and
 * placed at its original (input, line) through the shard's .idx.
 */
#ifndef TXS_SCALEOUT_MERGE_INT_H
#define TXS_SCALEOUT_MERGE_INT_H

#include <stdio.h>

#include "txs/emit.h"
#include "txs/json_read.h"
#include "txs/rules.h"
#include "txs/scaleout.h"

/* split.json: the split's inputs and counts. */

typedef struct split_input {
    char *name, *base;         /* as screen names it; its basename */
    char encoding[8];
    uint64_t bytes, xxh3, plain_bytes, records, rejected;
    uint64_t merged_rejects;   /* rejects merged for this input */
} split_input;

typedef struct split_info {
    uint32_t n;
    char ext[8];
    split_input *in;
    size_t nin;
    uint64_t records, rejected, frame_rejects;
    uint64_t *shard_bytes, *shard_xxh3; /* [n]: each shard file as split wrote it */
} split_info;

/* A file read line by line. */

typedef struct lfile {
    FILE *f;
    char path[4096];
    char *line;
    size_t cap;
    size_t len;
    uint64_t lineno;
    /* every byte read so far, hashed as read: at the end, the file's size
     * and XXH3-64, checked against its run's manifest */
    struct XXH3_state_s *xs;
    uint64_t bytes;
} lfile;
/* The bytes and XXH3-64 of what lf has read (all of it, once at its end). */
uint64_t txs__merge_lf_digest(const lfile *lf);

/* A cursor over DIR/shard-K.idx. */

typedef struct idx_cur {
    lfile lf;
    int open, done;
    uint64_t shard_line, input, line, offset;
} idx_cur;

/* A whole index in memory, for ids generated from shard lines that
 * evidence quotes (records earlier in the shard than the cursor). */
typedef struct idx_mem {
    int loaded;
    uint64_t *v; /* triples: shard line, input, line */
    size_t n;
} idx_mem;

enum { K_ALERTS, K_REJECTS, K_SPLIT_REJECTS };

/* The shard number of the graph job's outputs (`screen --shard graph` over
 * the original inputs): their sources are already original. */
#define GRAPH_JOB UINT32_MAX

typedef struct stream {
    int kind;
    uint32_t shard;             /* GRAPH_JOB: the graph job's */
    int ident;                  /* sources are the original inputs already */
    lfile lf;
    idx_cur idx;
    txs_json_doc doc;
    int have;                   /* a head record is loaded */
    uint64_t in, line, offset;  /* its original position */
    uint64_t shard_line;
    char *shard_base;           /* basename of the shard file ("shard-3.csv") */
    uint64_t nrec;              /* records read so far (the file's at the end) */
} stream;

typedef struct merge_run {
    split_info si;
    txs_ruleset *rules;
    stream *st;
    size_t nst;
    /* shard manifests: text and parsed document, by shard */
    char **man_text;
    char **man_path;            /* the manifests' paths, for messages */
    txs_json_doc *man;
    size_t nman;
    char *graph_text;           /* the graph job's manifest, if given */
    char *graph_path;
    struct idx_mem *idxm;       /* [n]: whole indexes, loaded on demand */
    txs_json_doc graph;
    txs_out *out, *rej, *mout;
    /* the merged outputs' bytes and XXH3-64, for the manifest */
    int digested;
    uint64_t out_bytes, out_xxh3, rej_bytes, rej_xxh3;
    /* counts */
    uint64_t alerts, by_band[4], hits, below, sanc_hits, sanc_txns, sanc_alerts, sanc_supp;
    uint64_t *by_rule;
    uint64_t nrejects, combined;
    txs_buf buf, hbuf;
} merge_run;

/* merge_input.c */
int txs__merge_lf_next(lfile *lf);
void txs__merge_lf_close(lfile *lf);
int txs__merge_load_split(const char *dir, split_info *si, txs_diag *d);
int txs__merge_idx_load(idx_mem *x, const char *dir, uint32_t k, const split_info *si,
                        txs_diag *d);
int txs__merge_add_input(merge_run *m, const txs_merge_opts *a, const char *path, txs_diag *d);
int txs__merge_advance(merge_run *m, stream *s, const txs_merge_opts *a, txs_diag *d);
int txs__merge_bad_line(stream *s, const char *why, txs_diag *d);
void txs__merge_stream_free(stream *s);

/* merge_manifest.c */
int txs__merge_load_rules(merge_run *m, const txs_merge_opts *a, txs_diag *d);
int txs__merge_check_manifests(merge_run *m, txs_diag *d);
int txs__merge_check_complete(merge_run *m, const txs_merge_opts *a, txs_diag *d);
void txs__merge_write_manifest(txs_buf *b, merge_run *m, const txs_merge_opts *a, const char *cmd,
                               const char *started, double wall);

#endif /* TXS_SCALEOUT_MERGE_INT_H */
