/*
 * cmd_eval.c: `txscreen eval`: measure rule sets against labelled data.
 *
 * For each rule set (one, or two side by side) the screener runs in-process
 * over the inputs with an alerts sink that hands every alert line as it
 * arrives to the eval library (txs/eval.h, engine/src/eval/), which turns
 * it into episodes; or, with --alerts, existing alerts files are read
 * instead.  A separate pass over the inputs records which labelled txn ids
 * the input holds.  The report (text, CSV or JSON) is rendered by the
 * library and written atomically.  Metric definitions: docs/evaluation.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "txs/emit.h"
#include "txs/eval.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/screen.h"

#define MAX_LISTS 32

typedef struct eval_args {
    const char *labels, *profile, *out;
    const char *rules[TXS_EVAL_MAX_RUNS];
    int nrules;
    const char *alerts[TXS_EVAL_MAX_RUNS];
    int nalerts;
    const char *lists[MAX_LISTS];
    int nlists;
    int in_format;
    txs_eval_format out_format;
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
"                    others use the profile's format), or payments: ISO\n"
"                    20022 / SWIFT FIN messages, as `screen --format\n"
"                    payments` reads them (labels name each transaction's\n"
"                    id: its UETR, else TxId, EndToEndId, InstrId, MsgId)\n"
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
    a->out_format = TXS_EVAL_TEXT;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1;) {
        switch (c) {
        case O_LABELS: a->labels = optarg; break;
        case O_RULES:
            if (a->nrules == TXS_EVAL_MAX_RUNS) return usage_err("at most two --rules", NULL);
            if (strcmp(optarg, "none") == 0)
                return usage_err("--rules none has nothing to evaluate", NULL);
            a->rules[a->nrules++] = optarg;
            break;
        case O_ALERTS:
            if (a->nalerts == TXS_EVAL_MAX_RUNS) return usage_err("at most two --alerts", NULL);
            a->alerts[a->nalerts++] = optarg;
            break;
        case O_PROFILE: a->profile = optarg; break;
        case O_INFMT:
            if (strcmp(optarg, "csv") == 0) a->in_format = TXS_FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0) a->in_format = TXS_FMT_JSONL;
            else if (strcmp(optarg, "payments") == 0) a->in_format = TXS_SCREEN_PAYMENTS;
            else return usage_err("--input-format must be csv, jsonl or payments, not", optarg);
            break;
        case O_LISTS:
            if (a->nlists == MAX_LISTS) return usage_err("too many --lists", NULL);
            a->lists[a->nlists++] = optarg;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "text") == 0) a->out_format = TXS_EVAL_TEXT;
            else if (strcmp(optarg, "csv") == 0) a->out_format = TXS_EVAL_CSV;
            else if (strcmp(optarg, "json") == 0) a->out_format = TXS_EVAL_JSON;
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
    txs_eval *ev;
    txs_eval_run *run;
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
            int rc = txs_eval_run_add_alert(s->ev, s->run, p, len, s->why, sizeof s->why);
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
                      txs_ruleset *rs, txs_eval *ev, txs_eval_run *run, txs_diag *d)
{
    for (size_t i = 0; i < txs_ruleset_count(rs); i++) {
        const txs_rule_info *ri = txs_ruleset_rule(rs, i);
        if (txs_eval_run_map(ev, run, ri->id, ri->typology) < 0)
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

/* ----------------------------------------------------------------- main */

typedef struct eval_state {
    txs_eval ev;
    txs_profile *profile;
    lists_set lists;
    txs_ruleset *rules[TXS_EVAL_MAX_RUNS];
    txs_out *out;
    txs_buf buf;
} eval_state;

static void state_free(eval_state *s)
{
    txs_eval_free(&s->ev);
    txs_profile_free(s->profile);
    lists_free(&s->lists);
    for (int i = 0; i < TXS_EVAL_MAX_RUNS; i++) txs_ruleset_free(s->rules[i]);
    txs_out_abort(s->out);
    txs_buf_free(&s->buf);
}

/* Configuration first (labels, profile, rules, lists), then the runs. */
static int evaluate(const eval_args *a, eval_state *s, txs_diag *d)
{
    TXS_TRY(txs_eval_labels_load(&s->ev, a->labels, d));
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
    if (a->ninputs)
        TXS_TRY(txs_eval_scan_inputs(&s->ev, s->profile, a->in_format, a->inputs,
                                     (size_t)a->ninputs, &scanned, d));
    if (a->nalerts == 0) {
        for (int i = 0; i < a->nrules; i++) {
            txs_eval_run *run = txs_eval_add_run(&s->ev, a->rules[i]);
            TXS_TRY(run_engine(a, s->profile, &s->lists, s->rules[i], &s->ev, run, d));
        }
        return TXS_OK;
    }
    for (int i = 0; i < a->nalerts; i++) {
        txs_eval_run *run = txs_eval_add_run(&s->ev, a->alerts[i]);
        const txs_ruleset *rs = a->nrules == 0 ? NULL : s->rules[a->nrules == 1 ? 0 : i];
        for (size_t j = 0; rs && j < txs_ruleset_count(rs); j++) {
            const txs_rule_info *ri = txs_ruleset_rule(rs, j);
            if (txs_eval_run_map(&s->ev, run, ri->id, ri->typology) < 0)
                return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        }
        TXS_TRY(txs_eval_read_alerts(&s->ev, run, a->alerts[i], d));
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
    txs_eval_init(&s.ev);
    int rc = evaluate(&a, &s, &d);
    if (rc < 0) {
        state_free(&s);
        return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    }
    txs_eval_result res;
    if (txs_eval_compute(&s.ev, &res) < 0) {
        state_free(&s);
        txs_diag_set(&d, TXS_E_NOMEM, "", 0, "out of memory");
        return txs_cli_report("txscreen", &d, TXS_EXIT_INTERNAL);
    }
    txs_eval_report(&s.buf, a.out_format, a.labels, &s.ev, &res);
    txs_eval_result_free(&res);
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
