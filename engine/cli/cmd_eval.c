/*
 * cmd_eval.c: `txscreen eval`: measure rule sets against labelled data.
 *
 * For each rule set (one, or two side by side) the screener runs in-process
 * over the inputs with an alerts sink that parses every alert line as it
 * arrives (eval_json.c) into episodes (eval_metrics.c); or, with --alerts,
 * existing alerts files are read instead.  A separate pass over the inputs
 * records which labelled txn ids the input holds.  The report (text, CSV
 * or JSON) is built in memory and written atomically.  Metric definitions:
 * docs/evaluation.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "eval_metrics.h"
#include "txs/emit.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/screen.h"

#define MAX_LISTS 32
#define MISSING_SHOWN 10

enum { OUT_TEXT, OUT_CSV, OUT_JSON };

typedef struct eval_args {
    const char *labels, *profile, *out;
    const char *rules[EV_MAX_RUNS];
    int nrules;
    const char *alerts[EV_MAX_RUNS];
    int nalerts;
    const char *lists[MAX_LISTS];
    int nlists;
    int in_format, out_format;
    char **inputs;
    int ninputs;
} eval_args;

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen eval --labels LABELS [OPTIONS] FILE...\n"
"       txscreen eval --labels LABELS --alerts ALERTS.jsonl [--alerts B.jsonl]\n"
"                     [--rules R [--rules R2]] [OPTIONS] [FILE...]\n"
"\n"
"Measure rule sets against labelled transactions: precision, recall and F1\n"
"per typology at transaction and pattern (episode) level, near-miss alert\n"
"rates, alerts per 10,000 transactions, and with two rule sets a side-by-side\n"
"comparison and the overlap of their flagged transactions\n"
"(docs/evaluation.md).\n"
"\n"
"options:\n"
"  --labels FILE     required: CSV with header txn_id,typology,pattern_id;\n"
"                    typologies starting near_miss_ are planted look-alikes\n"
"                    that should not alert\n"
"  --rules R         rule set: default (built in), strict, or a YAML file;\n"
"                    give twice to compare two (default: default).  With\n"
"                    --alerts it only maps rules to typologies\n"
"  --alerts FILE     evaluate an existing alerts file (JSON Lines) instead of\n"
"                    running the engine; give twice to compare two.  FILE...\n"
"                    is then optional (it gives the screened count and the\n"
"                    labelled ids present)\n"
"  --profile P       input profile: native (default), amlworld, saml-d, or a\n"
"                    YAML profile file (docs/formats.md)\n"
"  --input-format F  csv or jsonl (default: .jsonl/.ndjson files are JSONL,\n"
"                    others use the profile's format)\n"
"  --lists L         sanctions lists, as for `screen`: a snapshot or list\n"
"                    source files, repeatable.  Default here: none (rules\n"
"                    only), unlike `screen`\n"
"  --format F        report format: text (default, aligned table), csv or json\n"
"  --out FILE        report file (default: stdout; written atomically)\n"
"  -h, --help        this text\n"
"\n"
"Inputs must be files (not stdin): they are read once per rule set.\n"
TXS_CLI_EXIT_CODES);
}

static int usage_err(const char *msg, const char *arg)
{
    fprintf(stderr, "txscreen eval: %s%s%s%s (see --help)\n", msg, arg ? " '" : "",
            arg ? arg : "", arg ? "'" : "");
    return -1;
}

static int parse_args(int argc, char **argv, eval_args *a)
{
    enum { O_LABELS = 256, O_RULES, O_ALERTS, O_PROFILE, O_INFMT, O_LISTS, O_FORMAT,
           O_OUT, O_HELP };
    static const struct option opts[] = {
        {"labels", required_argument, NULL, O_LABELS},
        {"rules", required_argument, NULL, O_RULES},
        {"alerts", required_argument, NULL, O_ALERTS},
        {"profile", required_argument, NULL, O_PROFILE},
        {"input-format", required_argument, NULL, O_INFMT},
        {"lists", required_argument, NULL, O_LISTS},
        {"format", required_argument, NULL, O_FORMAT},
        {"out", required_argument, NULL, O_OUT},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->profile = "native";
    a->out = "-";
    a->in_format = -1;
    a->out_format = OUT_TEXT;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1;) {
        switch (c) {
        case O_LABELS: a->labels = optarg; break;
        case O_RULES:
            if (a->nrules == EV_MAX_RUNS) return usage_err("at most two --rules", NULL);
            if (strcmp(optarg, "none") == 0)
                return usage_err("--rules none has nothing to evaluate", NULL);
            a->rules[a->nrules++] = optarg;
            break;
        case O_ALERTS:
            if (a->nalerts == EV_MAX_RUNS) return usage_err("at most two --alerts", NULL);
            a->alerts[a->nalerts++] = optarg;
            break;
        case O_PROFILE: a->profile = optarg; break;
        case O_INFMT:
            if (strcmp(optarg, "csv") == 0) a->in_format = TXS_FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0) a->in_format = TXS_FMT_JSONL;
            else return usage_err("--input-format must be csv or jsonl, not", optarg);
            break;
        case O_LISTS:
            if (a->nlists == MAX_LISTS) return usage_err("too many --lists", NULL);
            a->lists[a->nlists++] = optarg;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "text") == 0) a->out_format = OUT_TEXT;
            else if (strcmp(optarg, "csv") == 0) a->out_format = OUT_CSV;
            else if (strcmp(optarg, "json") == 0) a->out_format = OUT_JSON;
            else return usage_err("--format must be text, csv or json, not", optarg);
            break;
        case O_OUT: a->out = optarg; break;
        case 'h':
        case O_HELP: help(stdout); return 1;
        default: txs_cli_bad_option("txscreen eval", c, argv, opts); return -1;
        }
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    if (a->labels == NULL) return usage_err("--labels LABELS is required", NULL);
    for (int i = 0; i < a->nlists; i++)
        if (strcmp(a->lists[i], "none") == 0 && a->nlists > 1)
            return usage_err("--lists none cannot be combined with lists", NULL);
    for (int i = 0; i < a->ninputs; i++)
        if (strcmp(a->inputs[i], "-") == 0)
            return usage_err("inputs must be files, not stdin (they are read more than once)",
                             NULL);
    if (a->nalerts) {
        if (a->nrules > 1 && a->nrules != a->nalerts)
            return usage_err("with --alerts, give one --rules, or one per --alerts", NULL);
        if (a->nlists) return usage_err("--lists has no effect with --alerts", NULL);
    } else if (a->ninputs == 0) {
        return usage_err("no input FILE (or --alerts) given", NULL);
    }
    if (a->nrules == 0 && a->nalerts == 0) a->rules[a->nrules++] = "default";
    return 0;
}

/* ---------------------------------------------------------------- lists */

typedef struct lists_set {
    txs_lists *lists[MAX_LISTS];
    size_t n;
    void *image;
} lists_set;

static void lists_free(lists_set *l)
{
    for (size_t i = 0; i < l->n; i++) txs_lists_free(l->lists[i]);
    free(l->image);
    memset(l, 0, sizeof *l);
}

/* --lists as `screen` takes them (snapshots loaded, sources compiled into
 * one snapshot for the run), except that the default is none. */
static int load_lists(const eval_args *a, lists_set *l, txs_diag *d)
{
    if (a->nlists == 0 || (a->nlists == 1 && strcmp(a->lists[0], "none") == 0)) return TXS_OK;
    const char *srcs[MAX_LISTS];
    size_t ns = 0;
    for (int i = 0; i < a->nlists; i++) {
        if (!txs_lists_is_snapshot(a->lists[i])) {
            srcs[ns++] = a->lists[i];
            continue;
        }
        TXS_TRY(txs_lists_load(a->lists[i], &l->lists[l->n], d));
        l->n++;
    }
    if (ns == 0) return TXS_OK;
    TXS_TRY(txs_lists_compile_mem(srcs, ns, &l->image, &l->lists[l->n], d));
    l->n++;
    return TXS_OK;
}

/* ------------------------------------------------------- engine and scan */

/* The alerts sink: whole lines in, parsed straight into the run. */
typedef struct alert_sink {
    ev_eval *ev;
    ev_run *run;
    uint64_t line;
    char why[512];
} alert_sink;

static int sink_alerts(void *ctx, const char *p, size_t n)
{
    alert_sink *s = ctx;
    for (const char *end = p + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        s->line++;
        if (len) {
            int rc = ev_run_add_alert(s->ev, s->run, p, len, s->why, sizeof s->why);
            if (rc < 0) {
                if (rc == TXS_E_NOMEM) snprintf(s->why, sizeof s->why, "out of memory");
                return rc;
            }
        }
        p += len + (nl ? 1 : 0);
    }
    return 0;
}

static int discard(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 0;
}

static int open_inputs(const eval_args *a, txs_source **src, txs_diag *d)
{
    for (int i = 0; i < a->ninputs; i++) {
        int rc = txs_source_open_path(a->inputs[i], &src[i], d);
        if (rc < 0) return rc;
    }
    return TXS_OK;
}

static void close_inputs(txs_source **src, int n)
{
    for (int i = 0; i < n; i++) {
        txs_source_free(src[i]);
        src[i] = NULL;
    }
}

/* Run one rule set over the inputs, capturing its alerts. */
static int run_engine(const eval_args *a, const txs_profile *prof, const lists_set *ls,
                      txs_ruleset *rs, ev_eval *ev, ev_run *run, txs_diag *d)
{
    for (size_t i = 0; i < txs_ruleset_count(rs); i++) {
        const txs_rule_info *ri = txs_ruleset_rule(rs, i);
        if (ev_run_map(ev, run, ri->id, ri->typology) < 0)
            return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    }
    txs_source **src = calloc((size_t)a->ninputs, sizeof *src);
    if (src == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    int rc = open_inputs(a, src, d);
    alert_sink sink = {ev, run, 0, {0}};
    txs_screener *scr = NULL;
    if (rc == TXS_OK) {
        txs_screen_opts so = {
            .profile = prof, .format = a->in_format, .rules = rs,
            .alerts = sink_alerts, .alerts_ctx = &sink,
            .rejects = discard, .rejects_ctx = NULL,
            .lists = (const txs_lists *const *)ls->lists, .nlists = ls->n,
        };
        rc = txs_screener_create(&so, &scr);
        if (rc < 0) txs_diag_set(d, TXS_E_CONFIG, "", 0, "cannot start screening: %s",
                                 txs_strerror(rc));
    }
    for (int i = 0; rc == TXS_OK && i < a->ninputs; i++) {
        rc = txs_screener_feed(scr, src[i], d);
        if (rc < 0 && sink.why[0]) {
            /* Our own sink failed: an alert we could not read is a bug. */
            rc = txs_diag_set(d, TXS_E_NOMEM, "", 0,
                              "rule set '%s': alert %llu could not be evaluated: %s", run->name,
                              (unsigned long long)sink.line, sink.why);
        }
    }
    if (rc == TXS_OK) {
        run->screened = txs_screener_stats(scr)->screened;
        run->screened_known = 1;
    }
    txs_screener_free(scr);
    close_inputs(src, a->ninputs);
    free(src);
    return rc;
}

/* The input format, decided as `screen` decides it. */
static txs_format format_for(const eval_args *a, const txs_profile *p, const char *name)
{
    return txs_profile_format_for(p, a->in_format, name);
}

/* One pass over the inputs: which labelled ids they hold, and how many
 * records parse (the screened count when no engine runs). */
static int scan_ids(const eval_args *a, const txs_profile *prof, ev_eval *ev,
                    uint64_t *screened, txs_diag *d)
{
    txs_batch batch;
    txs_batch_init(&batch);
    txs_reader *rd[2] = {NULL, NULL};
    int rc = TXS_OK;
    *screened = 0;
    for (int i = 0; rc == TXS_OK && i < a->ninputs; i++) {
        txs_source *src = NULL;
        rc = txs_source_open_path(a->inputs[i], &src, d);
        if (rc < 0) break;
        txs_format fmt = format_for(a, prof, a->inputs[i]);
        if (rd[fmt] == NULL) {
            txs_reader_opts ro;
            rc = txs_profile_reader_opts(prof, fmt, &ro);
            if (rc == TXS_OK) rc = txs_reader_create(&ro, &rd[fmt]);
            if (rc < 0) txs_diag_set(d, rc, a->inputs[i], 0, "cannot create reader");
        }
        if (rc == TXS_OK && (rc = txs_reader_attach(rd[fmt], src)) < 0)
            txs_diag_set(d, rc, a->inputs[i], 0, "%s", txs_reader_error(rd[fmt]));
        txs_binding *bind = NULL;
        if (rc == TXS_OK) {
            size_t nh;
            const txs_slice *hdr = txs_reader_header(rd[fmt], &nh);
            rc = txs_profile_bind(prof, fmt, hdr, nh, a->inputs[i], (uint32_t)i, &bind, d);
        }
        while (rc == TXS_OK) {
            int k = txs_reader_next(rd[fmt], &batch);
            if (k <= 0) {
                if (k < 0) rc = txs_diag_set(d, k, a->inputs[i], 0, "%s",
                                             txs_reader_error(rd[fmt]));
                break;
            }
            for (size_t j = 0; j < batch.n; j++) {
                const txs_record *rec = &batch.rec[j];
                if (rec->error != TXS_FRAME_OK) continue;
                txs_txn t;
                char why[256];
                if (txs_parse_record(bind, rec, &batch.arena, &t, why, sizeof why) < 0) continue;
                (*screened)++;
                ev_mark_input(ev, t.txn_id.p, t.txn_id.n);
            }
        }
        txs_binding_free(bind);
        txs_source_free(src);
    }
    ev->input_checked = 1;
    txs_reader_free(rd[0]);
    txs_reader_free(rd[1]);
    txs_batch_free(&batch);
    return rc;
}

/* Read an alerts file (JSON Lines) into a run; a bad line stops the run
 * with FILE:LINE. */
static int read_alerts(const char *path, ev_eval *ev, ev_run *run, txs_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    char *line = NULL, why[512];
    size_t cap = 0;
    unsigned long no = 0;
    int rc = TXS_OK;
    for (ssize_t n; rc == TXS_OK && (n = getline(&line, &cap, f)) >= 0;) {
        no++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        rc = ev_run_add_alert(ev, run, line, len, why, sizeof why);
        if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, no, "out of memory");
        else if (rc < 0) rc = txs_diag_set(d, TXS_E_FORMAT, path, no, "bad alert: %s", why);
    }
    if (rc == TXS_OK && ferror(f)) rc = txs_diag_set(d, TXS_E_IO, path, 0, "read error");
    free(line);
    fclose(f);
    return rc;
}

/* --------------------------------------------------------------- output */

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
    char cell[EV_MAX_RUNS][48];
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

/* A metric row: one value per run, from a field of ev_stats. */
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

static void stats_rows(ttab *t, int nr, const ev_stats *const *s, int overall)
{
    uint64_t u[EV_MAX_RUNS] = {0};
    double d[EV_MAX_RUNS] = {0};
    char c[EV_MAX_RUNS][48];
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

static void text_report(const eval_args *a, ev_eval *ev, const ev_result *res, txs_buf *b)
{
    ttab t = {0};
    int nr = ev->nruns;
    trow *r;
    txs_buf_printf(b, "labels: %s: %zu rows; %llu positive txns in %llu patterns, "
                      "%llu near-miss txns in %llu patterns\n",
                   a->labels, ev->nlabels, (unsigned long long)res->pos_txns,
                   (unsigned long long)res->pos_patterns, (unsigned long long)res->nm_txns,
                   (unsigned long long)res->nm_patterns);
    if (ev->input_checked) {
        txs_buf_printf(b, "labelled txns not found in the input: %llu",
                       (unsigned long long)res->missing);
        for (size_t i = 0; i < res->missing && i < MISSING_SHOWN; i++)
            txs_buf_printf(b, "%s%s", i ? ", " : " (", ev_missing_id(ev, i));
        if (res->missing > MISSING_SHOWN)
            txs_buf_printf(b, ", ... %llu more", (unsigned long long)(res->missing - MISSING_SHOWN));
        txs_buf_puts(b, res->missing ? ")\n" : "\n");
    } else {
        txs_buf_puts(b, "labelled txns not found in the input: not checked (no input FILE)\n");
    }
    txs_buf_putc(b, '\n');

    r = trow_add(&t, nr, "%s", "");
    for (int k = 0; k < nr; k++) snprintf(r->cell[k], sizeof r->cell[k], "%s", ev->runs[k].name);
    uint64_t u[EV_MAX_RUNS];
    double d[EV_MAX_RUNS];
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

    const ev_stats *s[EV_MAX_RUNS];
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
                const ev_nearmiss *m = &res->near[k][i];
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
#define EV_STATS_FIELDS(U, R)                                                        \
    U("labelled_txns", labelled) U("patterns", patterns) U("flagged_txns", flagged)   \
    U("tp", tp) U("fp", fp) U("fn", fn) R("precision", precision) R("recall", recall) \
    R("f1", f1) U("tp_any_rule", tp_any) R("recall_any_rule", recall_any)             \
    U("patterns_detected", pat_own) U("patterns_detected_any_rule", pat_any)          \
    R("pattern_recall", pat_recall) R("pattern_recall_any_rule", pat_recall_any)      \
    U("episodes", episodes) U("episodes_touching_labels", episodes_true)              \
    R("episode_precision", ep_precision) R("pattern_f1", pat_f1)

static void csv_stats(txs_buf *b, const char *rs, const char *typ, const ev_stats *s)
{
#define CU(name, f) csv_u(b, rs, typ, name, s->f);
#define CR(name, f) csv_r(b, rs, typ, name, s->f);
    EV_STATS_FIELDS(CU, CR)
#undef CU
#undef CR
}

static void csv_report(const eval_args *a, ev_eval *ev, const ev_result *res, txs_buf *b)
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
        const ev_run *r = &ev->runs[k];
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
            const ev_nearmiss *m = &res->near[k][i];
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
    (void)a;
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

static void json_stats(txs_buf *b, const ev_stats *s)
{
    int first = 1;
#define JU(name, f)                                                                \
    txs_buf_printf(b, "%s\"%s\": %llu", first ? "" : ", ", name, (unsigned long long)s->f); \
    first = 0;
#define JR(name, f)                                                                \
    txs_buf_printf(b, "%s\"%s\": ", first ? "" : ", ", name);                       \
    json_r(b, s->f);                                                                \
    first = 0;
    EV_STATS_FIELDS(JU, JR)
#undef JU
#undef JR
}

static void json_report(const eval_args *a, ev_eval *ev, const ev_result *res, txs_buf *b)
{
    txs_buf_puts(b, "{\n  \"labels\": {\"file\": ");
    json_s(b, a->labels);
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
            json_s(b, ev_missing_id(ev, i));
        }
        txs_buf_puts(b, "]},\n");
    } else {
        txs_buf_puts(b, "null, \"not_in_input_ids\": null},\n");
    }
    txs_buf_puts(b, "  \"rulesets\": [\n");
    for (int k = 0; k < ev->nruns; k++) {
        const ev_run *r = &ev->runs[k];
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
            const ev_nearmiss *m = &res->near[k][i];
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

/* ----------------------------------------------------------------- main */

typedef struct eval_state {
    ev_eval ev;
    txs_profile *profile;
    lists_set lists;
    txs_ruleset *rules[EV_MAX_RUNS];
    txs_out *out;
    txs_buf buf;
} eval_state;

static void state_free(eval_state *s)
{
    ev_free(&s->ev);
    txs_profile_free(s->profile);
    lists_free(&s->lists);
    for (int i = 0; i < EV_MAX_RUNS; i++) txs_ruleset_free(s->rules[i]);
    txs_out_abort(s->out);
    txs_buf_free(&s->buf);
}

/* Configuration first (labels, profile, rules, lists), then the runs. */
static int evaluate(const eval_args *a, eval_state *s, txs_diag *d)
{
    TXS_TRY(ev_labels_load(&s->ev, a->labels, d));
    if (a->ninputs) TXS_TRY(txs_profile_load(a->profile, &s->profile, d));
    for (int i = 0; i < a->nrules; i++) TXS_TRY(txs_ruleset_load(a->rules[i], &s->rules[i], d));
    if (a->nalerts == 0) {
        int rc = load_lists(a, &s->lists, d);
        if (rc < 0) return rc == TXS_E_NOMEM ? rc : TXS_E_CONFIG;
    }
    /* Check every input opens before the long part. */
    for (int i = 0; i < a->ninputs; i++) {
        txs_source *src;
        TXS_TRY(txs_source_open_path(a->inputs[i], &src, d));
        txs_source_free(src);
    }
    uint64_t scanned = 0;
    if (a->ninputs) TXS_TRY(scan_ids(a, s->profile, &s->ev, &scanned, d));
    if (a->nalerts == 0) {
        for (int i = 0; i < a->nrules; i++) {
            ev_run *run = ev_add_run(&s->ev, a->rules[i]);
            TXS_TRY(run_engine(a, s->profile, &s->lists, s->rules[i], &s->ev, run, d));
        }
        return TXS_OK;
    }
    for (int i = 0; i < a->nalerts; i++) {
        ev_run *run = ev_add_run(&s->ev, a->alerts[i]);
        const txs_ruleset *rs = a->nrules == 0 ? NULL : s->rules[a->nrules == 1 ? 0 : i];
        for (size_t j = 0; rs && j < txs_ruleset_count(rs); j++) {
            const txs_rule_info *ri = txs_ruleset_rule(rs, j);
            if (ev_run_map(&s->ev, run, ri->id, ri->typology) < 0)
                return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        }
        TXS_TRY(read_alerts(a->alerts[i], &s->ev, run, d));
        if (a->ninputs) {
            run->screened = scanned;
            run->screened_known = 1;
        }
    }
    return TXS_OK;
}

int txs_cmd_eval(int argc, char **argv)
{
    eval_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    eval_state s;
    memset(&s, 0, sizeof s);
    ev_init(&s.ev);
    int rc = evaluate(&a, &s, &d);
    if (rc < 0) {
        state_free(&s);
        return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    }
    ev_result res;
    if (ev_compute(&s.ev, &res) < 0) {
        state_free(&s);
        txs_diag_set(&d, TXS_E_NOMEM, "", 0, "out of memory");
        return txs_cli_report("txscreen", &d, TXS_EXIT_INTERNAL);
    }
    if (a.out_format == OUT_CSV) csv_report(&a, &s.ev, &res, &s.buf);
    else if (a.out_format == OUT_JSON) json_report(&a, &s.ev, &res, &s.buf);
    else text_report(&a, &s.ev, &res, &s.buf);
    ev_result_free(&res);
    if (s.buf.oom) {
        state_free(&s);
        txs_diag_set(&d, TXS_E_NOMEM, "", 0, "out of memory");
        return txs_cli_report("txscreen", &d, TXS_EXIT_INTERNAL);
    }
    rc = txs_out_open(a.out, &s.out, &d);
    if (rc == TXS_OK) rc = txs_out_write(s.out, s.buf.p, s.buf.n, &d);
    if (rc == TXS_OK) {
        rc = txs_out_commit(s.out, &d);
        s.out = NULL;
    }
    state_free(&s);
    return rc < 0 ? txs_cli_report("txscreen", &d, txs_cli_exit_for(rc)) : TXS_EXIT_OK;
}
