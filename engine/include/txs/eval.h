/*
 * eval.h: the data, arithmetic and reports of `txscreen eval` (eval/
 * folder): a library the CLI calls after parsing its flags, so unit tests
 * drive it without CLI sources (tests/unit/test_eval.c).
 *
 *   labels CSV (txn_id,typology,pattern_id) --txs_eval_labels_parse--> txs_eval
 *   alert JSON lines --txs_eval_run_add_alert--> episodes of one run (rule set)
 *   input txn ids --txs_eval_mark_input--> which labelled ids the input holds
 *   txs_eval_compute --> per typology and overall metrics, near misses, overlap
 *
 * Definitions are in docs/evaluation.md.  Every string is interned once;
 * transactions, typologies and patterns are dense indices.
 */
#ifndef TXS_EVAL_H
#define TXS_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/json_read.h"
#include "txs/parse.h"

#define TXS_EVAL_MAX_RUNS 2
#define TXS_EVAL_NONE UINT32_MAX
#define TXS_EVAL_NEAR_MISS_PREFIX "near_miss_"

/* An interning table: string <-> dense index. */
typedef struct txs_eval_strtab {
    char **s;
    size_t *len;
    size_t n, cap;
    uint32_t *slots; /* open addressing, index + 1; 0 empty */
    size_t nslots;
} txs_eval_strtab;

typedef struct txs_eval_label {
    uint32_t txn, typ, pat;
    unsigned long line;
} txs_eval_label;

/* One episode: the transactions one hit stands for (its evidence's
 * txn_ids, else the alert's own transaction), credited to a typology. */
typedef struct txs_eval_episode {
    uint32_t typ, rule;
    uint32_t *txns;
    uint32_t n;
} txs_eval_episode;

/* One evaluated run: a rule set run in-process, or an alerts file. */
typedef struct txs_eval_run {
    char name[256];           /* column name: the --rules spec or file */
    int screened_known;
    uint64_t screened;
    uint64_t alerts, hits;
    txs_eval_strtab rules;          /* rule ids mapped or seen */
    uint32_t *rule_typ;       /* [rules.n]: typology index */
    uint32_t *alert_txns;
    size_t nalert_txns, alert_cap;
    txs_eval_episode *eps;
    size_t neps, eps_cap;
    uint64_t episodes_dup;    /* identical episodes merged (same rule, txns) */
    int finished;
} txs_eval_run;

typedef struct txs_eval {
    txs_eval_strtab txns, typs, pats;
    txs_eval_label *labels;
    size_t nlabels, labels_cap;
    uint32_t *pat_typ;        /* [pats.n] */
    uint32_t *txn_label;      /* [txns.n] label index or TXS_EVAL_NONE (txs_eval_compute) */
    uint8_t *label_found;     /* [nlabels]: seen in the input */
    int input_checked;
    txs_eval_run runs[TXS_EVAL_MAX_RUNS];
    int nruns;
    txs_json_doc doc;         /* the alert line being read */
} txs_eval;

/* Metrics of one typology (or overall) under one run.  Ratios whose
 * denominator is 0 are NaN ("-" in text, empty in CSV, null in JSON). */
typedef struct txs_eval_stats {
    uint64_t labelled, patterns;   /* positive txns and patterns */
    uint64_t flagged, tp, fp, fn;  /* transaction level, own rules */
    uint64_t tp_any;               /* labelled txns flagged by any rule */
    uint64_t pat_own, pat_any;     /* patterns detected */
    uint64_t episodes, episodes_true;
    double precision, recall, f1, recall_any;
    double pat_recall, pat_recall_any, ep_precision, pat_f1;
} txs_eval_stats;

typedef struct txs_eval_nearmiss {
    uint64_t txns, patterns, txns_alerted, patterns_alerted;
    double rate_pct;               /* patterns alerted / patterns x 100 */
} txs_eval_nearmiss;

typedef struct txs_eval_result {
    size_t ntyp, nnm;
    uint32_t *typ;                 /* [ntyp] positive typologies, sorted */
    uint32_t *nm;                  /* [nnm] near_miss_ typologies, sorted */
    txs_eval_stats *rows[TXS_EVAL_MAX_RUNS];   /* [ntyp] */
    txs_eval_stats overall[TXS_EVAL_MAX_RUNS];
    txs_eval_nearmiss *near[TXS_EVAL_MAX_RUNS];/* [nnm] */
    uint64_t flagged[TXS_EVAL_MAX_RUNS], episodes[TXS_EVAL_MAX_RUNS];
    double per10k[TXS_EVAL_MAX_RUNS];    /* alerts per 10,000 screened; NaN unknown */
    /* Labels. */
    uint64_t pos_txns, pos_patterns, nm_txns, nm_patterns;
    uint64_t missing;              /* labelled ids not in the input */
    /* Two runs: flagged transaction sets compared. */
    uint64_t both, a_only, b_only;
    double jaccard;
} txs_eval_result;

void txs_eval_init(txs_eval *ev);
void txs_eval_free(txs_eval *ev);

/* Intern s[0..n); returns its index, or TXS_EVAL_NONE when out of memory. */
uint32_t txs_eval_intern(txs_eval_strtab *t, const char *s, size_t n);
/* Its index, or TXS_EVAL_NONE. */
uint32_t txs_eval_lookup(const txs_eval_strtab *t, const char *s, size_t n);

/* Parse a labels CSV held in memory (name is used in diagnostics).
 * Header `txn_id,typology,pattern_id`; a UTF-8 BOM, CRLF and blank lines
 * are accepted; fields may be double-quoted.  Errors (TXS_E_CONFIG, d with
 * name:line): bad header, wrong column count, an empty field, a txn_id
 * labelled twice, a pattern_id under two typologies, no rows. */
int txs_eval_labels_parse(txs_eval *ev, const char *name, const char *p, size_t n, txs_diag *d);
/* Read and parse a labels file (unreadable: TXS_E_CONFIG). */
int txs_eval_labels_load(txs_eval *ev, const char *path, txs_diag *d);

/* Add a run (column); returns it, or NULL past TXS_EVAL_MAX_RUNS. */
txs_eval_run *txs_eval_add_run(txs_eval *ev, const char *name);
/* Map a rule id to a typology name (NULL or "": the rule id itself). */
int txs_eval_run_map(txs_eval *ev, txs_eval_run *r, const char *rule, const char *typology);
/* Add one alert: a JSON object text (no newline).  Returns 0, or
 * TXS_E_FORMAT with why[cap] saying what is wrong (not JSON, no txn_id,
 * no hits, a hit without rule, txn_ids not an array of strings), or
 * TXS_E_NOMEM. */
int txs_eval_run_add_alert(txs_eval *ev, txs_eval_run *r, const char *p, size_t n, char *why, size_t cap);
/* Record that txn id s[0..n) was screened (marks a label as found). */
void txs_eval_mark_input(txs_eval *ev, const char *s, size_t n);

/* One pass over the inputs (paths; profile p, format forced or -1 as
 * screen picks it, or TXS_SCREEN_PAYMENTS: payment messages read by
 * txs/payments.h) through the one read-parse loop (txs/walk.h): marks the
 * labelled ids they hold (txs_eval_mark_input) and counts the records that
 * parse into *screened.  Errors name the input. */
int txs_eval_scan_inputs(txs_eval *ev, const txs_profile *p, int forced,
                         char *const *inputs, size_t n, uint64_t *screened, txs_diag *d);
/* Read an alerts file (JSON Lines, blank lines skipped) into run r; a bad
 * line stops with TXS_E_FORMAT and d naming FILE:LINE. */
int txs_eval_read_alerts(txs_eval *ev, txs_eval_run *r, const char *path, txs_diag *d);

/* Compute every metric (ev stays usable; res is freed by txs_eval_result_free). */
int txs_eval_compute(txs_eval *ev, txs_eval_result *res);
void txs_eval_result_free(txs_eval_result *res);

/* The i-th labelled id missing from the input (i < res->missing), in
 * label-file order; NULL past the end. */
const char *txs_eval_missing_id(const txs_eval *ev, size_t i);

/* ------------------------------------------------------------- reports */

typedef enum txs_eval_format { TXS_EVAL_TEXT, TXS_EVAL_CSV, TXS_EVAL_JSON } txs_eval_format;

typedef struct txs_buf txs_buf;

/* Render res (computed from ev) as a report in format into b (appended;
 * on out of memory b->oom is set).  labels names the labels file in the
 * report.  Layouts: docs/evaluation.md. */
void txs_eval_report(txs_buf *b, txs_eval_format format, const char *labels, txs_eval *ev,
                     const txs_eval_result *res);

#endif /* TXS_EVAL_H */
