/*
 * cmd_rescreen.c: `txscreen rescreen --state FILE --lists NEW`: look-back
 * screening without a night's input (docs/lists.md "Look-back
 * screening").  The state's known counterparties are screened against the
 * entities the new snapshots added or changed since the ones the state
 * last screened with; the lookback alerts, the cases (with --cases) and
 * the state, which now records NEW, are published as one commit, so the
 * next `screen --state FILE --lists NEW` does not look back again.
 *
 * The state is loaded for look-back only (txs_state_load_lookback): the
 * accounts are neither parsed nor re-serialised, their bytes are copied.
 *
 * Order: rule set, snapshots, state and previous cases load first; the
 * outputs are opened after, and written only when all of it succeeded.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "txs/cases.h"
#include "txs/emit.h"
#include "txs/lists.h"
#include "txs/lookback.h"
#include "txs/rules.h"
#include "txs/state.h"

#define RS_MAX_LISTS 16

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen rescreen --state FILE --lists SNAPSHOT... [OPTIONS]\n"
"\n"
"Look-back screening: screen the counterparties a --state file has seen\n"
"against the entities the new snapshots added or changed since the ones\n"
"the state last screened with, and write \"lookback\" alerts as JSON Lines\n"
"(docs/lists.md \"Look-back screening\", docs/formats.md \"Look-back alerts\").\n"
"The state is saved recording the new snapshots.\n"
"\n"
"options:\n"
"  --state FILE      a state saved by `txscreen screen --state` (required)\n"
"  --lists SNAP      the new snapshot(s), in the order the runs give --lists\n"
"                    (required; repeat for several)\n"
"  --previous-lists SNAP\n"
"                    the snapshot the state last screened with, when it is no\n"
"                    longer at the path the state recorded; repeat per --lists\n"
"  --rules R         the rule set the runs use (default: default); it must\n"
"                    have stateful rules.  The accounts are copied as they\n"
"                    are, under the rule set they were saved with\n"
"  --sanctions-threshold T\n"
"                    name score (0-1) of a match (default 0.85)\n"
"  --out FILE        alerts file (default: stdout)\n"
"  --cases FILE      the look-back alerts' cases, and the open cases (the\n"
"                    state's, and --previous-cases') closed because their\n"
"                    entity left the list\n"
"  --previous-cases FILE\n"
"                    the last run's --cases, open besides the ones the state\n"
"                    carries\n"
"  --lookback-retention DAYS\n"
"                    keep a counterparty, or a case, this long after it was\n"
"                    last seen (default 396, 13 months)\n"
"  -q, --quiet       no summary line on stderr\n"
"  -h, --help        this text\n"
"\n"
TXS_CLI_EXIT_CODES);
}

typedef struct rs_args {
    const char *state, *rules, *out, *cases, *prev_cases;
    const char *lists[RS_MAX_LISTS];
    size_t nlists;
    double threshold;
    int quiet;
    txs_cli_lb_args lb;
} rs_args;

static int parse(int argc, char **argv, rs_args *a)
{
    enum { O_STATE = 256, O_LISTS, O_RULES, O_OUT, O_CASES, O_PREVCASES, O_THRESH, O_HELP,
           O_QUIET, O_PREVLISTS, O_RETENTION };
    static const struct option opts[] = {
        {"state", required_argument, NULL, O_STATE},
        {"lists", required_argument, NULL, O_LISTS},
        {"previous-lists", required_argument, NULL, O_PREVLISTS},
        {"rules", required_argument, NULL, O_RULES},
        {"sanctions-threshold", required_argument, NULL, O_THRESH},
        {"out", required_argument, NULL, O_OUT},
        {"cases", required_argument, NULL, O_CASES},
        {"previous-cases", required_argument, NULL, O_PREVCASES},
        {"lookback-retention", required_argument, NULL, O_RETENTION},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->rules = "default";
    a->out = "-";
    a->lb.enabled = 1;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1;) {
        switch (c) {
        case O_STATE: a->state = optarg; break;
        case O_LISTS:
            if (a->nlists == RS_MAX_LISTS) {
                fprintf(stderr, "txscreen rescreen: at most %d --lists\n", RS_MAX_LISTS);
                return -1;
            }
            a->lists[a->nlists++] = optarg;
            break;
        case O_RULES: a->rules = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_CASES: a->cases = optarg; break;
        case O_PREVCASES: a->prev_cases = optarg; break;
        case O_THRESH: {
            char *end;
            a->threshold = strtod(optarg, &end);
            if (*end || !(a->threshold > 0.0 && a->threshold <= 1.0)) {
                fprintf(stderr, "txscreen rescreen: --sanctions-threshold must be in (0, 1]\n");
                return -1;
            }
            break;
        }
        case O_PREVLISTS:
        case O_RETENTION:
            if (txs_cli_lookback_flag("txscreen rescreen", c == O_PREVLISTS ? 1 : 2, optarg,
                                      &a->lb) < 0)
                return -1;
            break;
        case 'q':
        case O_QUIET: a->quiet = 1; break;
        case 'h':
        case O_HELP: help(stdout); return 1;
        default: txs_cli_bad_option("txscreen rescreen", c, argv, opts); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "txscreen rescreen: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (a->state == NULL || a->nlists == 0) {
        fprintf(stderr, "txscreen rescreen: give --state FILE and --lists SNAPSHOT\n");
        return -1;
    }
    if (a->prev_cases && a->cases == NULL) {
        fprintf(stderr, "txscreen rescreen: --previous-cases marks the cases of --cases FILE; "
                        "give --cases\n");
        return -1;
    }
    const char *outs[] = {a->out, a->state, a->cases};
    char *ins[RS_MAX_LISTS];
    for (size_t i = 0; i < a->nlists; i++) ins[i] = (char *)a->lists[i];
    return txs_cli_output_is_input("txscreen rescreen", outs, 3, ins, a->nlists) ? -1 : 0;
}

typedef struct rs_run {
    txs_ruleset *rules;
    txs_lists *lists[RS_MAX_LISTS];
    size_t nlists;
    txs_state *state;
    txs_cases *cases;
    txs_out *alerts, *state_out, *cases_out;
} rs_run;

static void run_free(rs_run *r)
{
    txs_out_abort(r->alerts);
    txs_out_abort(r->state_out);
    txs_out_abort(r->cases_out);
    txs_cases_free(r->cases);
    txs_state_free(r->state);
    for (size_t i = 0; i < r->nlists; i++) txs_lists_free(r->lists[i]);
    txs_ruleset_free(r->rules);
}

/* Rule set, snapshots, state, previous cases: all before any output. */
static int prepare(const rs_args *a, rs_run *r, txs_diag *d)
{
    TXS_TRY(txs_ruleset_load(a->rules, &r->rules, d));
    if (!txs_ruleset_stateful(r->rules))
        return txs_diag_set(d, TXS_E_CONFIG, a->rules, 0,
                            "the rule set has no stateful rules, so `screen` keeps no state "
                            "for it; rescreen reads the state the runs keep");
    for (size_t i = 0; i < a->nlists; i++) {
        if (!txs_lists_is_snapshot(a->lists[i]))
            return txs_diag_set(d, TXS_E_CONFIG, a->lists[i], 0,
                                "not a snapshot: rescreen takes snapshots from `txscreen "
                                "lists compile` (their paths are recorded in the state)");
        TXS_TRY(txs_lists_load(a->lists[i], &r->lists[r->nlists], d));
        r->nlists++;
    }
    if (access(a->state, F_OK) != 0)
        return txs_diag_set(d, TXS_E_CONFIG, a->state, 0,
                            "no such state file: rescreen reads the state `screen --state` "
                            "saved");
    txs_state_opts so = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, a->lb.retention, 1};
    if (txs_state_create(r->rules, &so, &r->state) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    /* The accounts are not read: their bytes are written back as they are. */
    TXS_TRY(txs_state_load_lookback(r->state, a->state, d));
    /* The cases the state carries are the ones open before (state.h
     * "Cases"); --previous-cases adds its own. */
    if (txs_cases_create(&r->cases) < 0 || txs_cases_previous_state(r->cases, r->state) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    if (a->prev_cases) TXS_TRY(txs_cli_load_prev_cases(a->prev_cases, &r->cases, d));
    return TXS_OK;
}

static int sink(void *ctx, const char *p, size_t n)
{
    txs_diag dd;
    return txs_out_write(ctx, p, n, &dd);
}

/* Alerts, cases, the state before (FILE.prev) and the state: one commit. */
static int publish(const rs_args *a, rs_run *r, txs_diag *d)
{
    txs_buf b = {0};
    int rc = TXS_OK;
    if (r->cases_out) {
        rc = txs_cases_write(r->cases, &b);
        rc = rc < 0 ? txs_diag_set(d, rc, "", 0, "out of memory")
                    : txs_out_write(r->cases_out, b.p, b.n, d);
    }
    txs_buf_free(&b);
    if (rc == 0 && txs_cases_record(r->cases, r->state) < 0)
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    if (rc == 0) rc = txs_state_write(r->state, r->state_out, d);
    if (rc < 0) return rc;
    txs_commit *c;
    char prev_tmp[4096], prev[4096];
    TXS_TRY(txs_commit_create(a->state, &c, d));
    txs_out *o[] = {r->alerts, r->cases_out};
    for (size_t i = 0; i < 2; i++) {
        if (o[i] && rc == 0) rc = txs_commit_add(c, o[i], d);
        else txs_out_abort(o[i]);
    }
    r->alerts = r->cases_out = NULL;
    snprintf(prev, sizeof prev, "%s.prev", a->state);
    if (rc == 0 && (rc = txs_state_prev_prepare(a->state, prev_tmp, sizeof prev_tmp, d)) == 0 &&
        (rc = txs_commit_add_file(c, prev_tmp, prev, d)) < 0)
        unlink(prev_tmp);
    if (rc == 0) rc = txs_commit_add(c, r->state_out, d);
    else txs_out_abort(r->state_out);
    r->state_out = NULL;
    if (rc < 0) {
        txs_commit_abort(c);
        return rc;
    }
    return txs_commit_publish(c, d);
}

int txs_cmd_rescreen(int argc, char **argv)
{
    rs_args a;
    int prc = parse(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    rs_run r = {0};
    int rc = prepare(&a, &r, &d);
    if (rc < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_NOMEM ? TXS_EXIT_INTERNAL
                                                                : TXS_EXIT_CONFIG);
    }
    int recovered = 0;
    rc = txs_commit_recover(a.state, &recovered, &d);
    if (rc == 0) rc = txs_out_open(a.out, &r.alerts, &d);
    if (rc == 0) rc = txs_out_open(a.state, &r.state_out, &d);
    if (rc == 0 && a.cases) rc = txs_out_open(a.cases, &r.cases_out, &d);
    if (rc < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    }
    txs_cli_lookback lo = {
        .state = r.state, .state_path = a.state,
        .lists = (const txs_lists *const *)r.lists, .list_paths = a.lists, .nlists = r.nlists,
        .prev_paths = a.lb.prev, .nprev_paths = a.lb.nprev, .enabled = 1, .quiet = 1,
        .threshold = a.threshold, .cases = r.cases, .alerts = sink, .alerts_ctx = r.alerts,
    };
    txs_lookback_stats st;
    size_t nprev;
    txs_state_lists_prev(r.state, &nprev);
    const txs_state_stats *ss = txs_state_get_stats(r.state);
    uint64_t ncp = ss->counterparties, cpb = ss->cp_bytes;
    double t0 = txs_cli_now();
    rc = txs_cli_lookback_run(&lo, &st, &d);
    double t_lb = txs_cli_now() - t0;
    if (rc == 0) rc = publish(&a, &r, &d);
    if (rc < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_CONFIG ? TXS_EXIT_CONFIG
                                                                 : txs_cli_exit_for(rc));
    }
    if (!a.quiet && nprev == 0)
        fprintf(stderr, "txscreen: %s recorded no lists (saved before look-back screening, "
                        "or never screened): nothing to look back at; it now records "
                        "these\n", a.state);
    else if (!a.quiet)
        fprintf(stderr, "txscreen: rescreen: added %llu, changed %llu, removed %llu "
                        "entities; %llu counterparties screened, %llu lookback alerts, %llu "
                        "cases closed\n",
                (unsigned long long)st.added, (unsigned long long)st.changed,
                (unsigned long long)st.removed, (unsigned long long)st.counterparties,
                (unsigned long long)st.alerts, (unsigned long long)st.cases_closed);
    if (!a.quiet)
        fprintf(stderr, "txscreen: rescreen: %llu counterparties known, %llu bytes (%.1f each, "
                        "names and references included); look-back %.3f s\n",
                (unsigned long long)ncp, (unsigned long long)cpb,
                ncp ? (double)cpb / (double)ncp : 0.0, t_lb);
    run_free(&r);
    return TXS_EXIT_OK;
}
