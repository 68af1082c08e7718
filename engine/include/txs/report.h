/*
 * report.h: the run report (docs/report.md): one self-contained HTML file
 * made from a run's outputs, for the people who look at a night rather
 * than parse it.
 *
 * The report reads only what a run publishes, so `screen --report` and
 * `txscreen report` (which makes it again from the files) give the same
 * page for the same outputs:
 *
 *   manifest ──┐
 *   cases ─────┼─► txs_report (counts, top cases, evidence) ─► HTML bytes
 *   alerts ────┤        (bounded memory: tables capped)
 *   rejects ───┤
 *   previous ──┘  (a previous run's manifest: the difference)
 *
 * Streams are fed as bytes in any chunking (a line may be split across
 * calls) and each is ended with txs_report_end.  Cases must be ended
 * before the first alert byte: the cases pick which rows the table shows
 * (the top TXS_REPORT_CASES by highest score), and the alerts then fill
 * only those rows' evidence, so memory does not grow with the alerts.
 *
 * The page holds no clock reading of its own: a list's age is counted from
 * the run's start in the manifest, so the same files give the same bytes.
 * Every string from the files is escaped for HTML (names in alerts are
 * hostile input).  Charts are inline SVG drawn here; the only script is
 * the page's own table sorting and paging (docs/dependencies.md).
 *
 * Not thread-safe; one report per thread.
 */
#ifndef TXS_REPORT_H
#define TXS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/emit.h"

/* Rows of the cases table (the rest counted, the cap shown). */
#define TXS_REPORT_CASES 1000
/* Transactions shown as a case's evidence. */
#define TXS_REPORT_EVIDENCE 8
/* Distinct reject reasons counted apart (the rest as "other reasons"). */
#define TXS_REPORT_REASONS 200
/* Default age in days past which a list is flagged as stale. */
#define TXS_REPORT_LIST_AGE_DAYS 7

typedef enum txs_report_stream {
    TXS_REPORT_MANIFEST = 0, /* the run's manifest (required) */
    TXS_REPORT_CASES_IN,     /* --cases JSON Lines */
    TXS_REPORT_ALERTS,       /* alerts JSON Lines */
    TXS_REPORT_REJECTS,      /* rejects JSON Lines */
    TXS_REPORT_PREVIOUS,     /* a previous run's manifest */
    TXS_REPORT_NSTREAMS
} txs_report_stream;

typedef struct txs_report_opts {
    unsigned max_list_age_days; /* 0: TXS_REPORT_LIST_AGE_DAYS */
    size_t max_cases;           /* 0: TXS_REPORT_CASES */
} txs_report_opts;

typedef struct txs_report txs_report;

/* A new report; o may be NULL (defaults).  TXS_OK or TXS_E_NOMEM. */
int txs_report_create(const txs_report_opts *o, txs_report **out);
void txs_report_free(txs_report *r);

/* Feed n bytes of stream s, named name in diagnostics (borrowed for the
 * report's life).  A line that is not what txscreen writes stops with
 * TXS_E_FORMAT and d naming the file and line.  TXS_E_ARG when alerts are
 * fed before the cases were ended. */
int txs_report_feed(txs_report *r, txs_report_stream s, const char *name, const char *p,
                    size_t n, txs_diag *d);
/* The stream is complete (a last line without a newline is taken). */
int txs_report_end(txs_report *r, txs_report_stream s, txs_diag *d);

/* Feed the whole file at path (plain, gzip or zstd) as stream s and end
 * it; the path names it in diagnostics and must outlive r.  TXS_E_NOTFOUND
 * or TXS_E_IO when it cannot be read. */
int txs_report_feed_file(txs_report *r, txs_report_stream s, const char *path, txs_diag *d);

/* Write the page into b.  TXS_E_ARG when no manifest was fed; TXS_E_NOMEM. */
int txs_report_write(txs_report *r, txs_buf *b, txs_diag *d);

/* The counts the page shows from the alerts file (not the manifest), for
 * tests and the summary: alerts, and per band (txs_band order). */
uint64_t txs_report_alerts_seen(const txs_report *r);

#endif /* TXS_REPORT_H */
