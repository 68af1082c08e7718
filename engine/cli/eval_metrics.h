/*
 * eval_metrics.h: the data and arithmetic of `txscreen eval`, apart from
 * the CLI so unit tests can drive it (tests/unit/test_eval.c).
 *
 *   labels CSV (txn_id,typology,pattern_id) --ev_labels_parse--> ev_eval
 *   alert JSON lines --ev_run_add_alert--> episodes of one run (rule set)
 *   input txn ids --ev_mark_input--> which labelled ids the input holds
 *   ev_compute --> per typology and overall metrics, near misses, overlap
 *
 * Definitions are in docs/evaluation.md.  Every string is interned once;
 * transactions, typologies and patterns are dense indices.
 */
#ifndef TXS_EVAL_METRICS_H
#define TXS_EVAL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

#define EV_MAX_RUNS 2
#define EV_NONE UINT32_MAX
#define EV_NEAR_MISS_PREFIX "near_miss_"

/* An interning table: string <-> dense index. */
typedef struct ev_strtab {
    char **s;
    size_t *len;
    size_t n, cap;
    uint32_t *slots; /* open addressing, index + 1; 0 empty */
    size_t nslots;
} ev_strtab;

typedef struct ev_label {
    uint32_t txn, typ, pat;
    unsigned long line;
} ev_label;

/* One episode: the transactions one hit stands for (its evidence's
 * txn_ids, else the alert's own transaction), credited to a typology. */
typedef struct ev_episode {
    uint32_t typ, rule;
    uint32_t *txns;
    uint32_t n;
} ev_episode;

/* One evaluated run: a rule set run in-process, or an alerts file. */
typedef struct ev_run {
    char name[256];           /* column name: the --rules spec or file */
    int screened_known;
    uint64_t screened;
    uint64_t alerts, hits;
    ev_strtab rules;          /* rule ids mapped or seen */
    uint32_t *rule_typ;       /* [rules.n]: typology index */
    uint32_t *alert_txns;
    size_t nalert_txns, alert_cap;
    ev_episode *eps;
    size_t neps, eps_cap;
    uint64_t episodes_dup;    /* identical episodes merged (same rule, txns) */
    int finished;
} ev_run;

typedef struct ev_eval {
    ev_strtab txns, typs, pats;
    ev_label *labels;
    size_t nlabels, labels_cap;
    uint32_t *pat_typ;        /* [pats.n] */
    uint32_t *txn_label;      /* [txns.n] label index or EV_NONE (ev_compute) */
    uint8_t *label_found;     /* [nlabels]: seen in the input */
    int input_checked;
    ev_run runs[EV_MAX_RUNS];
    int nruns;
} ev_eval;

/* Metrics of one typology (or overall) under one run.  Ratios whose
 * denominator is 0 are NaN ("-" in text, empty in CSV, null in JSON). */
typedef struct ev_stats {
    uint64_t labelled, patterns;   /* positive txns and patterns */
    uint64_t flagged, tp, fp, fn;  /* transaction level, own rules */
    uint64_t tp_any;               /* labelled txns flagged by any rule */
    uint64_t pat_own, pat_any;     /* patterns detected */
    uint64_t episodes, episodes_true;
    double precision, recall, f1, recall_any;
    double pat_recall, pat_recall_any, ep_precision, pat_f1;
} ev_stats;

typedef struct ev_nearmiss {
    uint64_t txns, patterns, txns_alerted, patterns_alerted;
    double rate_pct;               /* patterns alerted / patterns x 100 */
} ev_nearmiss;

typedef struct ev_result {
    size_t ntyp, nnm;
    uint32_t *typ;                 /* [ntyp] positive typologies, sorted */
    uint32_t *nm;                  /* [nnm] near_miss_ typologies, sorted */
    ev_stats *rows[EV_MAX_RUNS];   /* [ntyp] */
    ev_stats overall[EV_MAX_RUNS];
    ev_nearmiss *near[EV_MAX_RUNS];/* [nnm] */
    uint64_t flagged[EV_MAX_RUNS], episodes[EV_MAX_RUNS];
    double per10k[EV_MAX_RUNS];    /* alerts per 10,000 screened; NaN unknown */
    /* Labels. */
    uint64_t pos_txns, pos_patterns, nm_txns, nm_patterns;
    uint64_t missing;              /* labelled ids not in the input */
    /* Two runs: flagged transaction sets compared. */
    uint64_t both, a_only, b_only;
    double jaccard;
} ev_result;

void ev_init(ev_eval *ev);
void ev_free(ev_eval *ev);

/* Intern s[0..n); returns its index, or EV_NONE when out of memory. */
uint32_t ev_intern(ev_strtab *t, const char *s, size_t n);
/* Its index, or EV_NONE. */
uint32_t ev_lookup(const ev_strtab *t, const char *s, size_t n);

/* Parse a labels CSV held in memory (name is used in diagnostics).
 * Header `txn_id,typology,pattern_id`; a UTF-8 BOM, CRLF and blank lines
 * are accepted; fields may be double-quoted.  Errors (TXS_E_CONFIG, d with
 * name:line): bad header, wrong column count, an empty field, a txn_id
 * labelled twice, a pattern_id under two typologies, no rows. */
int ev_labels_parse(ev_eval *ev, const char *name, const char *p, size_t n, txs_diag *d);
/* Read and parse a labels file (unreadable: TXS_E_CONFIG). */
int ev_labels_load(ev_eval *ev, const char *path, txs_diag *d);

/* Add a run (column); returns it, or NULL past EV_MAX_RUNS. */
ev_run *ev_add_run(ev_eval *ev, const char *name);
/* Map a rule id to a typology name (NULL or "": the rule id itself). */
int ev_run_map(ev_eval *ev, ev_run *r, const char *rule, const char *typology);
/* Add one alert: a JSON object text (no newline).  Returns 0, or
 * TXS_E_FORMAT with why[cap] saying what is wrong (not JSON, no txn_id,
 * no hits, a hit without rule, txn_ids not an array of strings), or
 * TXS_E_NOMEM. */
int ev_run_add_alert(ev_eval *ev, ev_run *r, const char *p, size_t n, char *why, size_t cap);
/* Record that txn id s[0..n) was screened (marks a label as found). */
void ev_mark_input(ev_eval *ev, const char *s, size_t n);

/* Compute every metric (ev stays usable; res is freed by ev_result_free). */
int ev_compute(ev_eval *ev, ev_result *res);
void ev_result_free(ev_result *res);

/* The i-th labelled id missing from the input (i < res->missing), in
 * label-file order; NULL past the end. */
const char *ev_missing_id(const ev_eval *ev, size_t i);

#endif /* TXS_EVAL_METRICS_H */
