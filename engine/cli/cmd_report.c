/*
 * cmd_report.c: `txscreen report`: make a run's HTML report again from its
 * outputs (docs/report.md), the same page `screen --report` writes.  Parses
 * the flags, feeds the files to the report (txs/report.h) in the order it
 * needs (manifest, cases, alerts, rejects, previous manifest) and writes the
 * page as one atomic output.
 *
 * The alerts and rejects default to the files the manifest names under
 * "outputs", looked for as written there and then beside the manifest (a
 * run's outputs copied elsewhere together).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "txs/emit.h"
#include "txs/json_read.h"
#include "txs/report.h"

typedef struct report_args {
    const char *manifest, *alerts, *cases, *rejects, *previous, *out;
    unsigned max_age;
    int quiet;
} report_args;

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen report [OPTIONS] MANIFEST\n"
"\n"
"Write a run's report: one self-contained HTML file (no network, no other\n"
"files; it opens from a mail attachment) with the run's figures, inputs,\n"
"rule set and lists (with their age), charts, the cases table with each\n"
"case's evidence, rejects by reason and, with --previous, the difference\n"
"from the previous run (docs/report.md).  `screen --report FILE` writes the\n"
"same page with the run's outputs; this makes it again from the files.\n"
"\n"
"MANIFEST: the run's manifest (screen --manifest).\n"
"\n"
"options:\n"
"  -o, --out FILE        the page (default: stdout); atomic\n"
"  --alerts FILE         the run's alerts (default: the manifest's outputs.alerts,\n"
"                        as written there or beside the manifest)\n"
"  --cases FILE          the run's cases (screen --cases); without it the cases\n"
"                        table is empty\n"
"  --rejects FILE        the run's rejects (default: the manifest's\n"
"                        outputs.rejects when there is one)\n"
"  --previous MANIFEST   a previous run's manifest: counts and alerts by rule\n"
"                        before and now, new and continuing cases per rule\n"
"  --max-list-age DAYS   flag a list published more than DAYS before the run\n"
"                        started (default %d)\n"
"  -q, --quiet           no summary line on stderr\n"
"  -h, --help            this text\n"
"\n"
TXS_CLI_EXIT_CODES, TXS_REPORT_LIST_AGE_DAYS);
}

static int parse_args(int argc, char **argv, report_args *a)
{
    enum { O_OUT = 256, O_ALERTS, O_CASES, O_REJECTS, O_PREV, O_AGE, O_QUIET, O_HELP };
    static const struct option opts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"alerts", required_argument, NULL, O_ALERTS},
        {"cases", required_argument, NULL, O_CASES},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"previous", required_argument, NULL, O_PREV},
        {"max-list-age", required_argument, NULL, O_AGE},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->out = "-";
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":ho:q", opts, NULL)) != -1;) {
        char *end;
        switch (c) {
        case 'o':
        case O_OUT: a->out = optarg; break;
        case O_ALERTS: a->alerts = optarg; break;
        case O_CASES: a->cases = optarg; break;
        case O_REJECTS: a->rejects = optarg; break;
        case O_PREV: a->previous = optarg; break;
        case O_AGE: {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end || v == 0 || v > 36500) {
                fprintf(stderr, "txscreen report: --max-list-age wants whole days from 1 to "
                                "36500, not '%s'\n", optarg);
                return -1;
            }
            a->max_age = (unsigned)v;
            break;
        }
        case 'q':
        case O_QUIET: a->quiet = 1; break;
        case 'h':
        case O_HELP: help(stdout); return 1;
        default: txs_cli_bad_option("txscreen report", c, argv, opts); return -1;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "txscreen report: give one MANIFEST (see --help)\n");
        return -1;
    }
    a->manifest = argv[optind];
    const char *outs[] = {a->out};
    char *ins[] = {(char *)a->manifest, (char *)(a->alerts ? a->alerts : a->manifest),
                   (char *)(a->cases ? a->cases : a->manifest),
                   (char *)(a->rejects ? a->rejects : a->manifest),
                   (char *)(a->previous ? a->previous : a->manifest)};
    return txs_cli_output_is_input("txscreen report", outs, 1, ins, 5) ? -1 : 0;
}

/* The output the manifest names under "outputs": as written, else beside
 * the manifest; NULL when it names none or neither is there. */
static char *named_output(const char *manifest, const char *key)
{
    char *text = NULL, *found = NULL;
    size_t n;
    txs_json_doc doc;
    txs_json_init(&doc);
    if (txs_file_read(manifest, &text, &n, NULL) == 0 && txs_json_parse(&doc, text, n) == 0) {
        char name[4096];
        long k = txs_json_str(txs_json_get(txs_json_get(doc.root, "outputs"), key), name,
                              sizeof name);
        if (k > 0 && (size_t)k < sizeof name && strcmp(name, "-") != 0) {
            const char *slash = strrchr(manifest, '/'), *base = strrchr(name, '/');
            char beside[8192];
            snprintf(beside, sizeof beside, "%.*s%s", slash ? (int)(slash - manifest + 1) : 0,
                     manifest, base ? base + 1 : name);
            found = strdup(access(name, R_OK) == 0 ? name : beside);
            if (found && access(found, R_OK) != 0) {
                free(found);
                found = NULL;
            }
        }
    }
    txs_json_free(&doc);
    free(text);
    return found;
}

static int make(const report_args *a, txs_report *r, const char *alerts, const char *rejects,
                txs_diag *d)
{
    TXS_TRY(txs_report_feed_file(r, TXS_REPORT_MANIFEST, a->manifest, d));
    if (a->cases) TXS_TRY(txs_report_feed_file(r, TXS_REPORT_CASES_IN, a->cases, d));
    if (alerts) TXS_TRY(txs_report_feed_file(r, TXS_REPORT_ALERTS, alerts, d));
    if (rejects) TXS_TRY(txs_report_feed_file(r, TXS_REPORT_REJECTS, rejects, d));
    if (a->previous) TXS_TRY(txs_report_feed_file(r, TXS_REPORT_PREVIOUS, a->previous, d));
    txs_buf b = {0};
    txs_out *o = NULL;
    int rc = txs_report_write(r, &b, d);
    if (rc == 0) rc = txs_out_open(a->out, &o, d);
    if (rc == 0) rc = txs_out_write(o, b.p, b.n, d);
    if (rc == 0) {
        rc = txs_out_commit(o, d);
        o = NULL;
    }
    txs_out_abort(o);
    if (rc == 0 && !a->quiet)
        fprintf(stderr, "txscreen report: %zu bytes, %llu alerts read\n", b.n,
                (unsigned long long)txs_report_alerts_seen(r));
    txs_buf_free(&b);
    return rc;
}

int txs_cmd_report(int argc, char **argv)
{
    report_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    char *alerts = a.alerts ? strdup(a.alerts) : named_output(a.manifest, "alerts");
    char *rejects = a.rejects ? strdup(a.rejects) : named_output(a.manifest, "rejects");
    txs_diag d = {{0}, 0, {0}};
    txs_report_opts o = {.max_list_age_days = a.max_age};
    txs_report *r = NULL;
    int rc = txs_report_create(&o, &r);
    if (rc < 0) txs_diag_set(&d, rc, "", 0, "out of memory");
    if (rc == 0) rc = make(&a, r, alerts, rejects, &d);
    txs_report_free(r);
    free(alerts);
    free(rejects);
    if (rc < 0)
        return txs_cli_report("txscreen report", &d,
                              rc == TXS_E_FORMAT ? TXS_EXIT_INPUT : txs_cli_exit_for(rc));
    return TXS_EXIT_OK;
}
