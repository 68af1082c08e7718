/*
 * report.c: the reports of `txscreen eval` (txs/eval.h): one computed
 * evaluation rendered as a text table, CSV (one metric a row) or JSON, into
 * a buffer the caller writes out.  Layouts are documented in
 * docs/evaluation.md; a ratio whose denominator is 0 is "-" in text, an
 * empty field in CSV and null in JSON.  Output depends only on the
 * evaluation, so it is deterministic.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/eval.h"

/* Labelled ids not found in the input named in the text report. */
#define MISSING_SHOWN 10


static void fmt_ratio(char *o, size_t cap, double v, int decimals)
{
    if (isnan(v)) snprintf(o, cap, "-");
    else snprintf(o, cap, "%.*f", decimals, v);
}

static void fmt_u(char *o, size_t cap, uint64_t v)
{
    snprintf(o, cap, "%llu", (unsigned long long)v);
}

/* The text report is a list of rows: a label and one cell per run; a row
 * without cells is a heading.  Widths are computed over all rows. */
typedef struct trow {
    char label[160];
    char cell[TXS_EVAL_MAX_RUNS][48];
    int ncell;
} trow;

typedef struct ttab {
    trow *r;
    size_t n, cap;
    int oom;
} ttab;

static trow *trow_add(ttab *t, int ncell, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static trow *trow_add(ttab *t, int ncell, const char *fmt, ...)
{
    static trow sink;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        trow *nr = realloc(t->r, nc * sizeof *nr);
        if (nr == NULL) {
            t->oom = 1;
            return &sink;
        }
        t->r = nr;
        t->cap = nc;
    }
    trow *r = &t->r[t->n++];
    memset(r, 0, sizeof *r);
    r->ncell = ncell;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->label, sizeof r->label, fmt, ap);
    va_end(ap);
    return r;
}

/* A metric row: one value per run, from a field of txs_eval_stats. */
static void row_u(ttab *t, int nr, int indent, const char *label, const uint64_t *v)
{
    trow *r = trow_add(t, nr, "%s%s", indent ? "  " : "", label);
    for (int k = 0; k < nr; k++) fmt_u(r->cell[k], sizeof r->cell[k], v[k]);
}

static void row_r(ttab *t, int nr, const char *label, const double *v)
{
    trow *r = trow_add(t, nr, "  %s", label);
    for (int k = 0; k < nr; k++) fmt_ratio(r->cell[k], sizeof r->cell[k], v[k], 3);
}

static void stats_rows(ttab *t, int nr, const txs_eval_stats *const *s, int overall)
{
    uint64_t u[TXS_EVAL_MAX_RUNS] = {0};
    double d[TXS_EVAL_MAX_RUNS] = {0};
    char c[TXS_EVAL_MAX_RUNS][48];
#define U(field, label)                                        \
    do {                                                       \
        for (int k = 0; k < nr; k++) u[k] = s[k]->field;       \
        row_u(t, nr, 1, label, u);                             \
    } while (0)
#define R(field, label)                                        \
    do {                                                       \
        for (int k = 0; k < nr; k++) d[k] = s[k]->field;       \
        row_r(t, nr, label, d);                                \
    } while (0)
    U(flagged, overall ? "flagged txns" : "flagged txns (own rules)");
    trow *r = trow_add(t, nr, "  TP / FP / FN");
    for (int k = 0; k < nr; k++) {
        snprintf(c[k], sizeof c[k], "%llu / %llu / %llu", (unsigned long long)s[k]->tp,
                 (unsigned long long)s[k]->fp, (unsigned long long)s[k]->fn);
        memcpy(r->cell[k], c[k], sizeof r->cell[k]);
    }
    R(precision, "txn precision");
    R(recall, "txn recall");
    R(f1, "txn F1");
    if (!overall) R(recall_any, "txn recall, any rule");
    r = trow_add(t, nr, "  patterns detected");
    for (int k = 0; k < nr; k++)
        snprintf(r->cell[k], sizeof r->cell[k], "%llu / %llu",
                 (unsigned long long)s[k]->pat_own, (unsigned long long)s[k]->patterns);
    R(pat_recall, "pattern recall");
    if (!overall) R(pat_recall_any, "pattern recall, any rule");
    r = trow_add(t, nr, "  episodes touching labels");
    for (int k = 0; k < nr; k++)
        snprintf(r->cell[k], sizeof r->cell[k], "%llu / %llu",
                 (unsigned long long)s[k]->episodes_true, (unsigned long long)s[k]->episodes);
    R(ep_precision, "episode precision");
    R(pat_f1, "pattern F1");
#undef U
#undef R
}

static void text_report(const char *labels, txs_eval *ev, const txs_eval_result *res, txs_buf *b)
{
    ttab t = {0};
    int nr = ev->nruns;
    trow *r;
    txs_buf_printf(b, "labels: %s: %zu rows; %llu positive txns in %llu patterns, "
                      "%llu near-miss txns in %llu patterns\n",
                   labels, ev->nlabels, (unsigned long long)res->pos_txns,
                   (unsigned long long)res->pos_patterns, (unsigned long long)res->nm_txns,
                   (unsigned long long)res->nm_patterns);
    if (ev->input_checked) {
        txs_buf_printf(b, "labelled txns not found in the input: %llu",
                       (unsigned long long)res->missing);
        for (size_t i = 0; i < res->missing && i < MISSING_SHOWN; i++)
            txs_buf_printf(b, "%s%s", i ? ", " : " (", txs_eval_missing_id(ev, i));
        if (res->missing > MISSING_SHOWN)
            txs_buf_printf(b, ", ... %llu more", (unsigned long long)(res->missing - MISSING_SHOWN));
        txs_buf_puts(b, res->missing ? ")\n" : "\n");
    } else {
        txs_buf_puts(b, "labelled txns not found in the input: not checked (no input FILE)\n");
    }
    txs_buf_putc(b, '\n');

    r = trow_add(&t, nr, "%s", "");
    for (int k = 0; k < nr; k++) snprintf(r->cell[k], sizeof r->cell[k], "%s", ev->runs[k].name);
    uint64_t u[TXS_EVAL_MAX_RUNS];
    double d[TXS_EVAL_MAX_RUNS];
    r = trow_add(&t, nr, "screened txns");
    for (int k = 0; k < nr; k++) {
        if (ev->runs[k].screened_known) fmt_u(r->cell[k], sizeof r->cell[k], ev->runs[k].screened);
        else snprintf(r->cell[k], sizeof r->cell[k], "-");
    }
    for (int k = 0; k < nr; k++) u[k] = ev->runs[k].alerts;
    row_u(&t, nr, 0, "alerts", u);
    r = trow_add(&t, nr, "alerts per 10k txns");
    for (int k = 0; k < nr; k++) fmt_ratio(r->cell[k], sizeof r->cell[k], res->per10k[k], 1);
    for (int k = 0; k < nr; k++) u[k] = ev->runs[k].hits;
    row_u(&t, nr, 0, "hits", u);
    for (int k = 0; k < nr; k++) u[k] = res->episodes[k];
    row_u(&t, nr, 0, "episodes", u);
    for (int k = 0; k < nr; k++) u[k] = res->flagged[k];
    row_u(&t, nr, 0, "flagged txns", u);

    const txs_eval_stats *s[TXS_EVAL_MAX_RUNS];
    for (size_t i = 0; i < res->ntyp; i++) {
        uint32_t y = res->typ[i];
        trow_add(&t, 0, "%s", "");
        trow_add(&t, 0, "typology %s (%llu labelled txns, %llu patterns)", ev->typs.s[y],
                 (unsigned long long)res->rows[0][i].labelled,
                 (unsigned long long)res->rows[0][i].patterns);
        for (int k = 0; k < nr; k++) s[k] = &res->rows[k][i];
        stats_rows(&t, nr, s, 0);
    }
    trow_add(&t, 0, "%s", "");
    trow_add(&t, 0, "overall (%llu labelled txns, %llu patterns)",
             (unsigned long long)res->pos_txns, (unsigned long long)res->pos_patterns);
    for (int k = 0; k < nr; k++) s[k] = &res->overall[k];
    stats_rows(&t, nr, s, 1);

    if (res->nnm) {
        trow_add(&t, 0, "%s", "");
        trow_add(&t, 0, "near misses: patterns alerted by any rule (lower is better)");
        for (size_t i = 0; i < res->nnm; i++) {
            r = trow_add(&t, nr, "  %s", ev->typs.s[res->nm[i]]);
            for (int k = 0; k < nr; k++) {
                const txs_eval_nearmiss *m = &res->near[k][i];
                char pct[32];
                fmt_ratio(pct, sizeof pct, m->rate_pct, 1);
                snprintf(r->cell[k], sizeof r->cell[k], "%llu / %llu  %s%%",
                         (unsigned long long)m->patterns_alerted,
                         (unsigned long long)m->patterns, pct);
            }
        }
    }
    if (nr == 2) {
        trow_add(&t, 0, "%s", "");
        trow_add(&t, 0, "overlap of flagged txns");
        r = trow_add(&t, 1, "  in both");
        fmt_u(r->cell[0], sizeof r->cell[0], res->both);
        r = trow_add(&t, 1, "  %s only", ev->runs[0].name);
        fmt_u(r->cell[0], sizeof r->cell[0], res->a_only);
        r = trow_add(&t, 1, "  %s only", ev->runs[1].name);
        fmt_u(r->cell[0], sizeof r->cell[0], res->b_only);
        d[0] = res->jaccard;
        r = trow_add(&t, 1, "  Jaccard");
        fmt_ratio(r->cell[0], sizeof r->cell[0], d[0], 3);
    }
    if (t.oom) {
        b->oom = 1;
        free(t.r);
        return;
    }
    size_t lw = 0, cw = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.r[i].ncell == 0) continue;
        size_t l = strlen(t.r[i].label);
        if (l > lw) lw = l;
        for (int k = 0; k < t.r[i].ncell; k++)
            if (strlen(t.r[i].cell[k]) > cw) cw = strlen(t.r[i].cell[k]);
    }
    for (size_t i = 0; i < t.n; i++) {
        const trow *x = &t.r[i];
        if (x->ncell == 0) {
            txs_buf_printf(b, "%s\n", x->label);
            continue;
        }
        txs_buf_printf(b, "%-*s", (int)lw, x->label);
        for (int k = 0; k < x->ncell; k++) txs_buf_printf(b, "  %*s", (int)cw, x->cell[k]);
        txs_buf_putc(b, '\n');
    }
    free(t.r);
}

/* CSV: long form, one metric a row: ruleset,typology,metric,value. */
static void csv_field(txs_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        txs_buf_puts(b, s);
        return;
    }
    txs_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') txs_buf_putc(b, '"');
        txs_buf_putc(b, *s);
    }
    txs_buf_putc(b, '"');
}

static void csv_row(txs_buf *b, const char *rs, const char *typ, const char *metric,
                    const char *value)
{
    csv_field(b, rs);
    txs_buf_putc(b, ',');
    csv_field(b, typ);
    txs_buf_putc(b, ',');
    txs_buf_puts(b, metric);
    txs_buf_putc(b, ',');
    txs_buf_puts(b, value);
    txs_buf_putc(b, '\n');
}

static void csv_u(txs_buf *b, const char *rs, const char *typ, const char *metric, uint64_t v)
{
    char x[32];
    fmt_u(x, sizeof x, v);
    csv_row(b, rs, typ, metric, x);
}

static void csv_r(txs_buf *b, const char *rs, const char *typ, const char *metric, double v)
{
    char x[32] = "";
    if (!isnan(v)) snprintf(x, sizeof x, "%.4f", v);
    csv_row(b, rs, typ, metric, x);
}

/* Every metric of a stats row, as (name, integer) and (name, ratio). */
#define TXS_EVAL_STATS_FIELDS(U, R)                                                        \
    U("labelled_txns", labelled) U("patterns", patterns) U("flagged_txns", flagged)   \
    U("tp", tp) U("fp", fp) U("fn", fn) R("precision", precision) R("recall", recall) \
    R("f1", f1) U("tp_any_rule", tp_any) R("recall_any_rule", recall_any)             \
    U("patterns_detected", pat_own) U("patterns_detected_any_rule", pat_any)          \
    R("pattern_recall", pat_recall) R("pattern_recall_any_rule", pat_recall_any)      \
    U("episodes", episodes) U("episodes_touching_labels", episodes_true)              \
    R("episode_precision", ep_precision) R("pattern_f1", pat_f1)

static void csv_stats(txs_buf *b, const char *rs, const char *typ, const txs_eval_stats *s)
{
#define CU(name, f) csv_u(b, rs, typ, name, s->f);
#define CR(name, f) csv_r(b, rs, typ, name, s->f);
    TXS_EVAL_STATS_FIELDS(CU, CR)
#undef CU
#undef CR
}

static void csv_report(const char *labels, txs_eval *ev, const txs_eval_result *res, txs_buf *b)
{
    txs_buf_puts(b, "ruleset,typology,metric,value\n");
    csv_u(b, "", "", "label_rows", ev->nlabels);
    csv_u(b, "", "", "positive_txns", res->pos_txns);
    csv_u(b, "", "", "positive_patterns", res->pos_patterns);
    csv_u(b, "", "", "near_miss_txns", res->nm_txns);
    csv_u(b, "", "", "near_miss_patterns", res->nm_patterns);
    if (ev->input_checked) csv_u(b, "", "", "labelled_not_in_input", res->missing);
    else csv_row(b, "", "", "labelled_not_in_input", "");
    for (int k = 0; k < ev->nruns; k++) {
        const txs_eval_run *r = &ev->runs[k];
        if (r->screened_known) csv_u(b, r->name, "", "screened", r->screened);
        else csv_row(b, r->name, "", "screened", "");
        csv_u(b, r->name, "", "alerts", r->alerts);
        csv_r(b, r->name, "", "alerts_per_10k", res->per10k[k]);
        csv_u(b, r->name, "", "hits", r->hits);
        csv_u(b, r->name, "", "episodes", res->episodes[k]);
        csv_u(b, r->name, "", "flagged_txns", res->flagged[k]);
        for (size_t i = 0; i < res->ntyp; i++)
            csv_stats(b, r->name, ev->typs.s[res->typ[i]], &res->rows[k][i]);
        csv_stats(b, r->name, "overall", &res->overall[k]);
        for (size_t i = 0; i < res->nnm; i++) {
            const txs_eval_nearmiss *m = &res->near[k][i];
            const char *y = ev->typs.s[res->nm[i]];
            csv_u(b, r->name, y, "near_miss_txns", m->txns);
            csv_u(b, r->name, y, "near_miss_txns_alerted", m->txns_alerted);
            csv_u(b, r->name, y, "near_miss_patterns", m->patterns);
            csv_u(b, r->name, y, "near_miss_patterns_alerted", m->patterns_alerted);
            csv_r(b, r->name, y, "near_miss_alerted_pct", m->rate_pct);
        }
    }
    if (ev->nruns == 2) {
        char both[600];
        snprintf(both, sizeof both, "%s|%s", ev->runs[0].name, ev->runs[1].name);
        csv_u(b, both, "", "flagged_both", res->both);
        csv_u(b, both, "", "flagged_a_only", res->a_only);
        csv_u(b, both, "", "flagged_b_only", res->b_only);
        csv_r(b, both, "", "jaccard", res->jaccard);
    }
    (void)labels;
}

/* JSON: one document; ratios with 4 decimals, NaN as null. */
static void json_r(txs_buf *b, double v)
{
    if (isnan(v)) txs_buf_puts(b, "null");
    else txs_buf_printf(b, "%.4f", v);
}

static void json_s(txs_buf *b, const char *s)
{
    txs_buf_json_str(b, s, strlen(s));
}

static void json_stats(txs_buf *b, const txs_eval_stats *s)
{
    int first = 1;
#define JU(name, f)                                                                \
    txs_buf_printf(b, "%s\"%s\": %llu", first ? "" : ", ", name, (unsigned long long)s->f); \
    first = 0;
#define JR(name, f)                                                                \
    txs_buf_printf(b, "%s\"%s\": ", first ? "" : ", ", name);                       \
    json_r(b, s->f);                                                                \
    first = 0;
    TXS_EVAL_STATS_FIELDS(JU, JR)
#undef JU
#undef JR
}

static void json_report(const char *labels, txs_eval *ev, const txs_eval_result *res, txs_buf *b)
{
    txs_buf_puts(b, "{\n  \"labels\": {\"file\": ");
    json_s(b, labels);
    txs_buf_printf(b, ", \"rows\": %zu, \"positive_txns\": %llu, \"positive_patterns\": %llu, "
                      "\"near_miss_txns\": %llu, \"near_miss_patterns\": %llu, "
                      "\"not_in_input\": ",
                   ev->nlabels, (unsigned long long)res->pos_txns,
                   (unsigned long long)res->pos_patterns, (unsigned long long)res->nm_txns,
                   (unsigned long long)res->nm_patterns);
    if (ev->input_checked) {
        txs_buf_printf(b, "%llu, \"not_in_input_ids\": [", (unsigned long long)res->missing);
        for (size_t i = 0; i < res->missing; i++) {
            if (i) txs_buf_putc(b, ',');
            json_s(b, txs_eval_missing_id(ev, i));
        }
        txs_buf_puts(b, "]},\n");
    } else {
        txs_buf_puts(b, "null, \"not_in_input_ids\": null},\n");
    }
    txs_buf_puts(b, "  \"rulesets\": [\n");
    for (int k = 0; k < ev->nruns; k++) {
        const txs_eval_run *r = &ev->runs[k];
        txs_buf_puts(b, "    {\"name\": ");
        json_s(b, r->name);
        txs_buf_puts(b, ", \"screened\": ");
        if (r->screened_known) txs_buf_printf(b, "%llu", (unsigned long long)r->screened);
        else txs_buf_puts(b, "null");
        txs_buf_printf(b, ", \"alerts\": %llu, \"alerts_per_10k\": ", (unsigned long long)r->alerts);
        json_r(b, res->per10k[k]);
        txs_buf_printf(b, ", \"hits\": %llu, \"episodes\": %llu, \"flagged_txns\": %llu,\n",
                       (unsigned long long)r->hits, (unsigned long long)res->episodes[k],
                       (unsigned long long)res->flagged[k]);
        txs_buf_puts(b, "     \"typologies\": [\n");
        for (size_t i = 0; i < res->ntyp; i++) {
            txs_buf_puts(b, "       {\"typology\": ");
            json_s(b, ev->typs.s[res->typ[i]]);
            txs_buf_puts(b, ", ");
            json_stats(b, &res->rows[k][i]);
            txs_buf_puts(b, i + 1 < res->ntyp ? "},\n" : "}\n");
        }
        txs_buf_puts(b, "     ],\n     \"overall\": {");
        json_stats(b, &res->overall[k]);
        txs_buf_puts(b, "},\n     \"near_misses\": [");
        for (size_t i = 0; i < res->nnm; i++) {
            const txs_eval_nearmiss *m = &res->near[k][i];
            txs_buf_puts(b, i ? ",\n       {\"typology\": " : "\n       {\"typology\": ");
            json_s(b, ev->typs.s[res->nm[i]]);
            txs_buf_printf(b, ", \"txns\": %llu, \"txns_alerted\": %llu, \"patterns\": %llu, "
                              "\"patterns_alerted\": %llu, \"alerted_pct\": ",
                           (unsigned long long)m->txns, (unsigned long long)m->txns_alerted,
                           (unsigned long long)m->patterns,
                           (unsigned long long)m->patterns_alerted);
            json_r(b, m->rate_pct);
            txs_buf_putc(b, '}');
        }
        txs_buf_puts(b, res->nnm ? "\n     ]}" : "]}");
        txs_buf_puts(b, k + 1 < ev->nruns ? ",\n" : "\n");
    }
    txs_buf_puts(b, "  ]");
    if (ev->nruns == 2) {
        txs_buf_puts(b, ",\n  \"overlap\": {\"a\": ");
        json_s(b, ev->runs[0].name);
        txs_buf_puts(b, ", \"b\": ");
        json_s(b, ev->runs[1].name);
        txs_buf_printf(b, ", \"flagged_both\": %llu, \"flagged_a_only\": %llu, "
                          "\"flagged_b_only\": %llu, \"jaccard\": ",
                       (unsigned long long)res->both, (unsigned long long)res->a_only,
                       (unsigned long long)res->b_only);
        json_r(b, res->jaccard);
        txs_buf_putc(b, '}');
    }
    txs_buf_puts(b, "\n}\n");
}

void txs_eval_report(txs_buf *b, txs_eval_format format, const char *labels, txs_eval *ev,
                     const txs_eval_result *res)
{
    if (format == TXS_EVAL_CSV) csv_report(labels, ev, res, b);
    else if (format == TXS_EVAL_JSON) json_report(labels, ev, res, b);
    else text_report(labels, ev, res, b);
}
