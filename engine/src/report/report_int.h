/*
 * report_int.h: private to the report folder.  What the streams leave
 * behind (collect.c) for the page writer (html.c) and its charts (svg.c):
 *
 *   txs_report
 *     manifest, previous     parsed JSON trees (their text kept)
 *     alerts                 counts by band, rule, score; every alert's time
 *     cases                  counts by kind, status, rule, party, account;
 *                            a bounded heap of the top cases' lines
 *     shown[]                the top cases, parsed at cases' end, each with
 *                            up to TXS_REPORT_EVIDENCE evidence rows that the
 *                            alerts fill (found by the case id's hash)
 *     reasons                reject reasons by class, a few examples each
 */
#ifndef TXS_REPORT_INT_H
#define TXS_REPORT_INT_H

#include <stdint.h>

#include "txs/arena.h"
#include "txs/json_read.h"
#include "txs/report.h"

/* A string -> count table (open addressing on XXH3-64), keys copied into
 * the table's arena, entries in insertion order. */
typedef struct rpt_count {
    const char *key;
    uint64_t n, n2; /* n2: a second count (continuing cases of a rule) */
} rpt_count;

typedef struct rpt_map {
    txs_arena *arena;
    rpt_count *v;
    size_t n, cap;
    uint32_t *tab; /* index + 1 */
    size_t tcap;
} rpt_map;

/* The entry of key, or NULL. */
rpt_count *txs__rpt_map_find(const rpt_map *m, const char *key, size_t n);
/* Find or add key; NULL when out of memory. */
rpt_count *txs__rpt_map_get(rpt_map *m, const char *key, size_t n);
void txs__rpt_map_free(rpt_map *m);
/* The entries sorted by count, largest first (ties by key); malloc'ed. */
rpt_count *txs__rpt_map_sorted(const rpt_map *m);

/* One alert as evidence of a shown case. */
typedef struct rpt_ev {
    uint64_t seq;             /* the alert's number in the alerts file */
    char *txn, *amount, *rules, *window, *linked;
    int64_t ts, from, to;     /* from/to: the episode's window (0: none) */
    int score, band;
} rpt_ev;

typedef struct rpt_case {
    char *line;               /* the case's JSON line (malloc'ed) */
    uint64_t order;           /* its place in the cases file */
    int score;
    uint64_t alerts;
    uint64_t hash;            /* from the case id */
    rpt_ev ev[TXS_REPORT_EVIDENCE];
    size_t nev;
    uint64_t ev_more;         /* alerts of the case not shown */
} rpt_case;

/* Rows of a paged table per page (the script's PAGE). */
#define RPT_PAGE 50

/* A reject reason class and its first examples. */
#define RPT_EXAMPLES 3
typedef struct rpt_reason {
    uint64_t n;
    char *ex[RPT_EXAMPLES];   /* "file:line", reason, excerpt, joined by \t */
    size_t nex;
} rpt_reason;

typedef struct rpt_stream {
    const char *name;
    char *carry;              /* a line split across feeds */
    size_t ncarry, ccarry;
    uint64_t line;
    int ended;
} rpt_stream;

struct txs_report {
    txs_report_opts o;
    txs_arena arena;
    txs_json_doc doc;         /* one line at a time */
    rpt_stream st[TXS_REPORT_NSTREAMS];
    char *mtext[2];           /* manifest, previous: the whole text */
    size_t mn[2], mcap[2];
    txs_json_doc mdoc[2];
    int have[2];
    /* alerts */
    uint64_t alerts, bands[4], scores[21];
    int64_t *ts;
    size_t nts, cts;
    rpt_map rules;            /* rule -> alerts */
    struct alert_skel *skel;  /* collect.c's scan of one alert line */
    /* cases */
    int has_cases;
    uint64_t cases, cases_kind[2], cases_cont;
    rpt_map case_rules;       /* rule -> new cases (n), continuing (n2) */
    rpt_map parties, accounts;/* subject -> cases */
    rpt_case **heap;          /* min-heap of the top cases while reading */
    size_t nheap;
    rpt_case **shown;         /* after the cases end: best first */
    size_t nshown;
    uint32_t *stab;           /* shown by hash: index + 1 */
    size_t stcap;
    /* rejects */
    uint64_t rejects;
    rpt_map reason_ix;        /* class -> index into reasons (n) */
    rpt_reason *reasons;
    size_t nreasons;
};

/* An alert line's skeleton (scan.c): slices into the line. */
#define SKEL_HITS 256 /* 4 x TXS_MAX_HITS: a merged alert joins two shards' hits */
struct alert_skel {
    txs_slice ts, score, band; /* top level: string contents, the score's digits */
    size_t nh;
    txs_slice rule[SKEL_HITS], kase[SKEL_HITS]; /* each hit's (kase: empty when none) */
};
/* 0 with k filled, or -1: the line needs the full parse. */
int txs__rpt_skel_scan(const char *p, size_t n, struct alert_skel *k);
int txs__rpt_slice_is(txs_slice s, const char *z);

/* Page pieces (html.c, svg.c). */
void txs__rpt_esc(txs_buf *b, const char *s, size_t n);   /* HTML text and attributes */
void txs__rpt_escz(txs_buf *b, const char *s);
/* A horizontal bar chart: labels[i] and values[i], n bars. */
void txs__rpt_svg_bars(txs_buf *b, const char *title, const char *const *labels,
                       const uint64_t *values, size_t n);
/* Vertical bars over bins with axis labels at the ends (and the middle). */
void txs__rpt_svg_columns(txs_buf *b, const char *title, const uint64_t *values, size_t n,
                          const char *left, const char *mid, const char *right);
/* A typology case's timeline: its alerts as dots, their windows as bars. */
void txs__rpt_svg_timeline(txs_buf *b, const rpt_case *c);
/* The page's CSS and script (assets.c). */
extern const char txs__rpt_css[], txs__rpt_js[];

#endif /* TXS_REPORT_INT_H */
