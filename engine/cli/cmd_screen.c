/*
 * cmd_screen.c: `txscreen screen`: its flags (cmd_screen_args.c) ->
 * configuration -> library calls -> outputs published as one commit.
 *
 * Order matters for the "nothing half-done" contract: the profile and rule
 * set and the sanctions lists (snapshots mapped, list sources compiled)
 * load first and every input is opened before any output is created,
 * so a bad configuration or a missing file stops the run with no output.
 * Named outputs are atomic (emit.h): they appear only if the run succeeds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "txs/cases.h"
#include "txs/emit.h"
#include "txs/lookback.h"
#include "txs/report.h"
#include "txs/screen.h"
#include "txs/state.h"
#include "txs/values.h"

#include "cmd_screen.h"
#include "progress.h"

/* The state this run loads: --state FILE, or with --reprocess the state
 * before the last run (FILE.prev). */
static int state_load_path(const screen_args *a, char *buf, size_t cap, txs_diag *d)
{
    if (!a->reprocess) return snprintf(buf, cap, "%s", a->state), TXS_OK;
    snprintf(buf, cap, "%s.prev", a->state);
    if (access(buf, F_OK) == 0) return TXS_OK;
    return txs_diag_set(d, TXS_E_CONFIG, buf, 0,
                        "--reprocess needs the state before the last run, which every save "
                        "keeps beside %s; it is not there", a->state);
}

/* Before the state keeps this run: every input must be new to it.  With
 * --reprocess, the last run must have absorbed exactly these inputs beyond
 * what FILE.prev holds, or redoing it would drop another input's share. */
static int absorb_inputs(const screen_args *a, txs_state *state, const txs_screen_stats *st,
                         txs_diag *d)
{
    size_t n = st->nsources;
    txs_state_input *in = calloc(n + 1, sizeof *in);
    const char **names = calloc(n + 1, sizeof *names);
    int rc = in && names ? TXS_OK : txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        in[i] = (txs_state_input){st->sources[i].raw_xxh3, st->sources[i].raw_bytes,
                                  st->sources[i].read};
        names[i] = st->sources[i].name;
    }
    if (rc == 0) rc = txs_state_absorb(state, in, n, names, a->state, d);
    if (rc == TXS_E_ARG && a->reprocess)
        txs_diag_set(d, TXS_E_ARG, d->file, 0,
                     "absorbed before the last run that saved %s, so it is in %s.prev too; "
                     "--reprocess redoes only the last run", a->state, a->state);
    txs_state_input *last = NULL;
    if (rc == 0 && a->reprocess) {
        size_t nl = 0;
        last = calloc(TXS_STATE_INPUTS_MAX, sizeof *last);
        rc = last ? txs_state_file_inputs(a->state, last, TXS_STATE_INPUTS_MAX, &nl, d)
                  : txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        if (rc == TXS_E_NOTFOUND) rc = TXS_OK;
        for (size_t i = 0; rc == 0 && i < nl && i < TXS_STATE_INPUTS_MAX; i++)
            if (!txs_state_has_input(state, last[i].xxh3, last[i].bytes))
                rc = txs_diag_set(d, TXS_E_ARG, a->state, 0,
                                  "the last run also absorbed an input of %llu bytes (xxh3 "
                                  "%016llx) that this run does not read; --reprocess redoes "
                                  "the last run with all of its inputs",
                                  (unsigned long long)last[i].bytes,
                                  (unsigned long long)last[i].xxh3);
    }
    free(last);
    free(in);
    free(names);
    return rc;
}

/* Sinks: an atomic output, or stderr for the first few rejects.  With
 * --report the rejects are fed to the report as they come, and alerts
 * written to a stream are copied to a temporary the report reads back
 * once the cases are known (report.h: cases before alerts). */
typedef struct out_sink {
    txs_out *out;
    txs_diag *d;
    uint64_t lines;
    txs_report *report;     /* rejects: fed to the report */
    txs_out *copy;          /* alerts on a stream: the copy for the report */
    txs_progress *progress; /* erased around a reject on stderr */
} out_sink;

static int sink_out(void *ctx, const char *p, size_t n)
{
    out_sink *s = ctx;
    TXS_TRY(txs_out_write(s->out, p, n, s->d));
    if (s->copy) TXS_TRY(txs_out_write(s->copy, p, n, s->d));
    return s->report ? txs_report_feed(s->report, TXS_REPORT_REJECTS, "rejects", p, n, s->d) : 0;
}

static int sink_stderr(void *ctx, const char *p, size_t n)
{
    out_sink *s = ctx;
    if (s->report) TXS_TRY(txs_report_feed(s->report, TXS_REPORT_REJECTS, "rejects", p, n, s->d));
    for (const char *end = p + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (s->lines++ < STDERR_REJECTS) {
            txs_cli_progress_pause(s->progress);
            fprintf(stderr, "reject: %.*s", (int)len, p);
            txs_cli_progress_resume(s->progress);
        }
        p += len;
    }
    return 0;
}

typedef struct run {
    txs_profile *profile;
    txs_ruleset *rules;
    txs_goodguys *good_guys;
    txs_lists *lists[MAX_LISTS];
    const char *list_paths[MAX_LISTS];
    void *list_image;           /* a snapshot compiled for this run */
    char default_path[4096];
    size_t nlists;
    txs_source **src;
    int nsrc;
    txs_out *alerts, *rejects, *manifest, *state, *cases_out;
    txs_out *report_out, *alerts_copy; /* --report: the page; alerts copied off a stream */
    txs_report *report;
    txs_cases *cases;           /* --cases or --report: the run's case table */
    txs_screener *screener;
} run;

static void run_free(run *r)
{
    for (int i = 0; i < r->nsrc; i++) txs_source_free(r->src[i]);
    free(r->src);
    txs_out_abort(r->alerts);
    txs_out_abort(r->rejects);
    txs_out_abort(r->manifest);
    txs_out_abort(r->state);
    txs_out_abort(r->cases_out);
    txs_out_abort(r->report_out);
    txs_out_abort(r->alerts_copy);
    txs_report_free(r->report);
    txs_screener_free(r->screener);
    txs_cases_free(r->cases);
    txs_ruleset_free(r->rules);
    txs_goodguys_free(r->good_guys);
    txs_profile_free(r->profile);
    for (size_t i = 0; i < r->nlists; i++) txs_lists_free(r->lists[i]);
    free(r->list_image);
}

/* Compile the list sources named on the command line into one in-memory
 * snapshot (a source that fails stops the run with its file and line). */
static int compile_sources(const screen_args *a, run *r, txs_diag *d)
{
    const char *srcs[MAX_LISTS];
    size_t n = 0;
    for (int i = 0; i < a->nlists; i++)
        if (!txs_lists_is_snapshot(a->lists[i])) srcs[n++] = a->lists[i];
    if (n == 0) return TXS_OK;
    TXS_TRY(txs_lists_compile_mem(srcs, n, &r->list_image, &r->lists[r->nlists], d));
    r->list_paths[r->nlists++] = "(compiled for this run)";
    return TXS_OK;
}

/* --lists: snapshots loaded, sources compiled; default, or none. */
static int load_lists(const screen_args *a, run *r, txs_diag *d)
{
    if (a->nlists == 1 && strcmp(a->lists[0], "none") == 0) return TXS_OK;
    if (a->nlists == 0) {
        if (txs_cli_default_lists(r->default_path, sizeof r->default_path) < 0)
            return txs_diag_set(d, TXS_E_CONFIG, "", 0,
                                "no default sanctions snapshot found (looked for %s); pass "
                                "--lists SNAPSHOT or list source files, or --lists none",
                                r->default_path[0] ? r->default_path
                                                   : "default-lists.snap beside the executable");
        int rc = txs_lists_load(r->default_path, &r->lists[0], d);
        if (rc < 0) return rc;
        /* The manifest names it by role, not by build directory, so two
         * installs of the same snapshot give the same manifest. */
        r->list_paths[r->nlists++] = "default-lists.snap (bundled default)";
        return TXS_OK;
    }
    for (int i = 0; i < a->nlists; i++) {
        if (!txs_lists_is_snapshot(a->lists[i])) continue;
        int rc = txs_lists_load(a->lists[i], &r->lists[r->nlists], d);
        if (rc < 0) return rc;
        r->list_paths[r->nlists++] = a->lists[i];
    }
    return compile_sources(a, r, d);
}

/* Load configuration and open every input: all before any output. */
static int prepare(const screen_args *a, run *r, txs_diag *d)
{
    int rc = txs_profile_load(a->profile, &r->profile, d);
    if (rc < 0) return rc;
    if (strcmp(a->rules, "none") != 0) {
        txs_ruleset_opts ro = {a->pattern_cache, 0};
        rc = txs_ruleset_load_opts(a->rules, &ro, &r->rules, d);
        if (rc < 0) return rc;
    }
    rc = load_lists(a, r, d);
    if (rc < 0) return rc == TXS_E_NOMEM ? rc : TXS_E_CONFIG;
    if (a->good_guys) {
        rc = txs_goodguys_load(a->good_guys, &r->good_guys, d);
        if (rc < 0) return rc;
    }
    if (a->prev_cases && (rc = txs_cli_load_prev_cases(a->prev_cases, &r->cases, d)) < 0)
        return rc;
    static char *stdin_only[] = {"-"};
    char **inputs = a->ninputs ? a->inputs : stdin_only;
    int n = a->ninputs ? a->ninputs : 1;
    r->src = calloc((size_t)n, sizeof *r->src);
    if (r->src == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (int i = 0; i < n; i++) {
        rc = txs_source_open_path(inputs[i], &r->src[i], d);
        if (rc < 0) return rc;
        r->nsrc++;
    }
    return TXS_OK;
}

/* The output whose commit record the run keeps beside it: the manifest,
 * else the first other file output.  NULL when every output is a stream. */
static const char *record_target(const screen_args *a)
{
    const char *c[] = {a->manifest, a->out, a->state, a->rejects, a->cases, a->report};
    for (size_t i = 0; i < 6; i++)
        if (c[i] && strcmp(c[i], "-") != 0) return c[i];
    return NULL;
}

/* Finish what an interrupted run left (its commit record, its
 * temporaries), then open every output: all before reading any input, so
 * an output that cannot be written stops the run before it starts. */
static int open_outputs(const screen_args *a, run *r, txs_diag *d)
{
    const char *rt = record_target(a);
    int recovered = 0;
    if (rt) TXS_TRY(txs_commit_recover(rt, &recovered, d));
    if (recovered && !a->quiet)
        fprintf(stderr, "txscreen: finished publishing the outputs of an interrupted run "
                        "beside %s\n", rt);
    const char *outs[] = {a->out, a->rejects, a->manifest, a->state, a->cases, a->report};
    for (size_t i = 0; i < 6; i++)
        if (outs[i] && strcmp(outs[i], "-") != 0) txs_commit_sweep(outs[i]);
    if (a->state) {
        char prev[4096];
        if (snprintf(prev, sizeof prev, "%s.prev", a->state) < (int)sizeof prev)
            txs_commit_sweep(prev);
    }
    TXS_TRY(txs_out_open(a->out, &r->alerts, d));
    if (a->rejects) TXS_TRY(txs_out_open(a->rejects, &r->rejects, d));
    if (a->manifest) TXS_TRY(txs_out_open(a->manifest, &r->manifest, d));
    if (a->state) TXS_TRY(txs_out_open(a->state, &r->state, d));
    if (a->cases) TXS_TRY(txs_out_open(a->cases, &r->cases_out, d));
    if (a->report) {
        TXS_TRY(txs_out_open(a->report, &r->report_out, d));
        /* a temporary beside the report, never published */
        if (txs_out_tmp_path(r->alerts) == NULL)
            TXS_TRY(txs_out_open(a->report, &r->alerts_copy, d));
        if (txs_report_create(NULL, &r->report) < 0)
            return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    }
    /* With --state the cases are kept even when not written: the state
     * carries them to the next run (state.h "Cases"). */
    if ((a->cases || a->report || (a->state && a->shard_mode == TXS_STATE_ALL)) &&
        r->cases == NULL && txs_cases_create(&r->cases) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    return TXS_OK;
}

/* --report: a whole output built in memory (the manifest, the cases) fed
 * to the report as one stream. */
static int to_report(run *r, txs_report_stream s, const txs_buf *b, txs_diag *d)
{
    if (r->report == NULL) return TXS_OK;
    TXS_TRY(txs_report_feed(r->report, s, s == TXS_REPORT_MANIFEST ? "manifest" : "cases", b->p,
                            b->n, d));
    return txs_report_end(r->report, s, d);
}

static void utc_now(char out[21])
{
    txs_ts_format((int64_t)time(NULL), out);
}

static int write_manifest(const screen_args *a, run *r, int argc, char **argv,
                          double wall, const char *started, txs_diag *d)
{
    if (r->manifest == NULL && r->report == NULL) return TXS_OK;
    char *cmd = txs_cli_command_line(argc, argv);
    if (cmd == NULL) return txs_diag_set(d, TXS_E_NOMEM, a->manifest, 0, "out of memory");
    txs_manifest_info mi = {
        .command = cmd,
        .profile = txs_profile_name(r->profile),
        .rules = r->rules,
        .rules_spec = a->rules,
        .lists = (const txs_lists *const *)r->lists,
        .list_paths = r->list_paths,
        .nlists = r->nlists,
        .sanctions_threshold = txs_screener_name_threshold(r->screener),
        .good_guys_path = r->good_guys ? a->good_guys : NULL,
        .alerts_path = a->out,
        .rejects_path = a->rejects,
        .started_utc = started,
        .wall_seconds = wall,
        .threads = txs_screener_threads(r->screener),
    };
    int rc = txs_out_digest(r->alerts, &mi.alerts_bytes, &mi.alerts_xxh3, d);
    if (rc == 0 && r->rejects)
        rc = txs_out_digest(r->rejects, &mi.rejects_bytes, &mi.rejects_xxh3, d);
    if (rc < 0) {
        free(cmd);
        return rc;
    }
    mi.has_digests = 1;
    txs_buf b = {0};
    rc = txs_screen_manifest_write(&b, &mi, txs_screener_stats(r->screener));
    free(cmd);
    rc = rc < 0 ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory")
         : r->manifest ? txs_out_write(r->manifest, b.p, b.n, d)
                       : TXS_OK;
    if (rc == 0) rc = to_report(r, TXS_REPORT_MANIFEST, &b, d);
    txs_buf_free(&b);
    return rc;
}

/* --report: the page from this run's outputs (the manifest, cases and
 * rejects are in already), the alerts read back from their temporary. */
static int write_report(run *r, txs_diag *d)
{
    if (r->report == NULL) return TXS_OK;
    txs_out *src = r->alerts_copy ? r->alerts_copy : r->alerts;
    uint64_t bytes, h;
    TXS_TRY(txs_out_digest(src, &bytes, &h, d)); /* flushed: the file is whole */
    TXS_TRY(txs_report_feed_file(r->report, TXS_REPORT_ALERTS, txs_out_tmp_path(src), d));
    TXS_TRY(txs_report_end(r->report, TXS_REPORT_REJECTS, d));
    txs_buf b = {0};
    int rc = txs_report_write(r->report, &b, d);
    if (rc == 0) rc = txs_out_write(r->report_out, b.p, b.n, d);
    txs_buf_free(&b);
    return rc;
}

/* Publish every output as one commit (emit.h "Commit"): alerts, rejects,
 * the previous state as FILE.prev, the state, and the manifest last. */
static int commit_outputs(const screen_args *a, run *r, txs_state *state, txs_diag *d)
{
    const char *rt = record_target(a);
    char prev_tmp[4096], prev[4096];
    txs_commit *c = NULL;
    int rc = rt ? txs_commit_create(rt, &c, d) : TXS_OK;
    if (rc == 0 && c == NULL) {
        /* Every output is a stream: nothing to rename. */
        txs_out *o[] = {r->alerts, r->rejects, r->cases_out, r->report_out, r->manifest, r->state};
        for (size_t i = 0; i < 6 && rc == 0; i++)
            if (o[i]) rc = txs_out_commit(o[i], d);
        r->alerts = r->rejects = r->cases_out = r->report_out = r->manifest = r->state = NULL;
        return rc;
    }
    /* The commit owns every output handed to it; after a failure the rest
     * are aborted here, so no temporary outlives the run. */
    if (rc == 0) rc = txs_commit_add(c, r->alerts, d);
    else txs_out_abort(r->alerts);
    if (rc == 0) rc = txs_commit_add(c, r->rejects, d);
    else txs_out_abort(r->rejects);
    if (rc == 0) rc = txs_commit_add(c, r->cases_out, d);
    else txs_out_abort(r->cases_out);
    if (rc == 0) rc = txs_commit_add(c, r->report_out, d);
    else txs_out_abort(r->report_out);
    if (rc == 0 && r->state && state && !a->reprocess) {
        snprintf(prev, sizeof prev, "%s.prev", a->state);
        rc = txs_state_prev_prepare(a->state, prev_tmp, sizeof prev_tmp, d);
        if (rc == 0 && (rc = txs_commit_add_file(c, prev_tmp, prev, d)) < 0) unlink(prev_tmp);
    }
    if (rc == 0 && r->state && state) rc = txs_commit_add(c, r->state, d);
    else txs_out_abort(r->state); /* no stateful rules: the file is left alone */
    if (rc == 0) rc = txs_commit_add(c, r->manifest, d);
    else txs_out_abort(r->manifest);
    r->alerts = r->rejects = r->cases_out = r->report_out = r->state = r->manifest = NULL;
    if (rc < 0) {
        txs_commit_abort(c);
        return rc;
    }
    return txs_commit_publish(c, d);
}

/* Before the inputs: when the lists changed since the state was saved,
 * the look-back alerts, written first to the alerts output; then this
 * run's lists are recorded in the state (cli_lookback.c). */
static int lookback(const screen_args *a, run *r, txs_state *state, out_sink *alerts,
                    txs_diag *d)
{
    /* The bundled default is recorded by its path, not its manifest name. */
    const char *paths[MAX_LISTS];
    for (size_t i = 0; i < r->nlists; i++)
        paths[i] = a->nlists == 0 ? r->default_path : r->list_paths[i];
    txs_cli_lookback lo = {
        .state = state, .state_path = a->state,
        .lists = (const txs_lists *const *)r->lists, .list_paths = paths,
        .nlists = r->nlists, .prev_paths = a->lb.prev, .nprev_paths = a->lb.nprev,
        .enabled = a->lb.enabled, .quiet = a->quiet,
        .threshold = txs_screener_name_threshold(r->screener), .cases = r->cases,
        .alerts = sink_out, .alerts_ctx = alerts,
    };
    txs_lookback_stats st;
    return txs_cli_lookback_run(&lo, &st, d);
}

/* More than --max-reject-rate of the records rejected: an input error. */
static int check_reject_rate(const screen_args *a, const txs_screen_stats *st, txs_diag *d)
{
    if (st->read == 0 || (double)st->rejected <= a->max_reject_rate * (double)st->read)
        return TXS_OK;
    return txs_diag_set(d, TXS_E_ARG, "", 0,
                        "input error: %llu of %llu records rejected (%.1f%%), more than "
                        "--max-reject-rate %g%%; nothing was published (a wrong --profile or "
                        "--format?)",
                        (unsigned long long)st->rejected, (unsigned long long)st->read,
                        100.0 * (double)st->rejected / (double)st->read,
                        100.0 * a->max_reject_rate);
}

/* The exit code of a run whose outputs were published: empty input 9 (a
 * warning even with -q), alerts at or above --fail-on 8, else 0; the line
 * on stderr says which. */
static int run_status(const screen_args *a, const txs_screen_stats *st)
{
    if (st->read == 0 && st->shard_foreign == 0) {
        fprintf(stderr, "txscreen: warning: the input had no records; exit %d (empty input)\n",
                TXS_EXIT_EMPTY);
        return TXS_EXIT_EMPTY;
    }
    if (a->fail_on == TXS_BAND_NONE) return TXS_EXIT_OK;
    uint64_t n = 0;
    for (int b = a->fail_on; b <= TXS_BAND_BLOCK; b++) n += st->alerts_by_band[b];
    if (n == 0) return TXS_EXIT_OK;
    if (!a->quiet)
        fprintf(stderr, "txscreen: exit %d: %llu alerts at or above %s (--fail-on %s)\n",
                TXS_EXIT_ALERTS, (unsigned long long)n, txs_band_name(a->fail_on),
                txs_band_name(a->fail_on));
    return TXS_EXIT_ALERTS;
}

/* --cases: the case table, one JSON line a case (and to the report). */
static int write_cases(run *r, txs_diag *d)
{
    txs_buf b = {0};
    int rc = txs_cases_write(r->cases, &b);
    rc = rc < 0 ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory")
         : r->cases_out ? txs_out_write(r->cases_out, b.p, b.n, d)
                        : TXS_OK;
    if (rc == 0) rc = to_report(r, TXS_REPORT_CASES_IN, &b, d);
    txs_buf_free(&b);
    return rc;
}

static void summary(const txs_screen_stats *st, const txs_cases *cases, double wall)
{
    fprintf(stderr,
            "txscreen: read %llu, screened %llu, rejected %llu; alerts %llu "
            "(block %llu, review %llu, edd %llu) in %.3f s\n",
            (unsigned long long)st->read, (unsigned long long)st->screened,
            (unsigned long long)st->rejected, (unsigned long long)st->alerts,
            (unsigned long long)st->alerts_by_band[TXS_BAND_BLOCK],
            (unsigned long long)st->alerts_by_band[TXS_BAND_REVIEW],
            (unsigned long long)st->alerts_by_band[TXS_BAND_EDD], wall);
    if (cases)
        fprintf(stderr, "txscreen: cases %zu (sanctions %zu, typology %zu)\n",
                txs_cases_count(cases), txs_cases_count_kind(cases, TXS_CASE_SANCTIONS),
                txs_cases_count_kind(cases, TXS_CASE_TYPOLOGY));
}

/* The progress line: on a terminal unless -q, or forced by --progress;
 * the percentage only when every input's size is known (regular files). */
static txs_progress *start_progress(const screen_args *a, const run *r)
{
    if (!a->progress && (a->quiet || !isatty(2))) return NULL;
    uint64_t total = 0;
    for (int i = 0; i < a->ninputs || (a->ninputs == 0 && i == 0); i++) {
        uint64_t n = txs_cli_input_size(a->ninputs ? a->inputs[i] : "-");
        if (n == 0) {
            total = 0;
            break;
        }
        total += n;
    }
    txs_progress *p;
    txs_cli_progress_start(r->screener, r->src, r->nsrc, total, &p);
    return p;
}

int txs_cmd_screen(int argc, char **argv)
{
    screen_args a;
    int prc = txs__screen_parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    double t0 = txs_cli_now();
    char started[21];
    utc_now(started);
    txs_diag d = {{0}, 0, {0}};
    run r = {0};
    int rc = prepare(&a, &r, &d);
    if (rc < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_CONFIG ? TXS_EXIT_CONFIG : txs_cli_exit_for(rc));
    }
    if ((rc = open_outputs(&a, &r, &d)) < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    }
    out_sink alerts = {r.alerts, &d, 0, NULL, r.alerts_copy, NULL},
             rejects = {r.rejects, &d, 0, r.report, NULL, NULL};
    txs_screen_opts so = {
        .profile = r.profile, .format = a.format, .rules = r.rules,
        .alerts = sink_out, .alerts_ctx = &alerts,
        .rejects = r.rejects ? sink_out : sink_stderr, .rejects_ctx = &rejects,
        .lists = (const txs_lists *const *)r.lists, .nlists = r.nlists,
        .sanctions_threshold = a.threshold,
        .good_guys = r.good_guys,
        .cases = r.cases,
        .max_lateness = a.max_lateness,
        .shard_mode = a.shard_mode, .shard_k = a.shard_k, .shard_n = a.shard_n,
        .counterparties = a.state != NULL, .cp_retention = a.lb.retention,
        .threads = a.threads,
        .validate_xsd = a.validate_xsd,
        .diag = &d,
    };
    rc = txs_screener_create(&so, &r.screener);
    if (rc < 0) {
        if (d.msg[0] == '\0') txs_diag_set(&d, rc, "", 0, "cannot start screening: %s", txs_strerror(rc));
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_NOMEM ? TXS_EXIT_INTERNAL : TXS_EXIT_CONFIG);
    }
    txs_state *state = txs_screener_state(r.screener);
    if (a.state && state == NULL && !a.quiet)
        fprintf(stderr, "txscreen: the rule set has no stateful rules; --state %s is not "
                        "read or written\n", a.state);
    char state_from[4096];
    if (a.state && state &&
        ((rc = state_load_path(&a, state_from, sizeof state_from, &d)) < 0 ||
         (rc = txs_state_load(state, state_from, &d)) < 0)) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_IO ? TXS_EXIT_INPUT
                                              : rc == TXS_E_NOMEM ? TXS_EXIT_INTERNAL
                                                                  : TXS_EXIT_CONFIG);
    }
    if (state && txs_state_get_stats(state)->rules_changed && !a.quiet)
        fprintf(stderr, "txscreen: %s was saved under another rule set; its windows are "
                        "kept and its episode marks cleared\n", a.state);
    if (a.state && state && a.shard_mode == TXS_STATE_ALL &&
        txs_cases_previous_state(r.cases, state) < 0) {
        run_free(&r);
        txs_diag_set(&d, TXS_E_NOMEM, "", 0, "out of memory");
        return txs_cli_report("txscreen", &d, TXS_EXIT_INTERNAL);
    }
    if (a.state && state && a.shard_mode == TXS_STATE_ALL &&
        (rc = lookback(&a, &r, state, &alerts, &d)) < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_NOMEM ? TXS_EXIT_INTERNAL
                                              : rc == TXS_E_CONFIG ? TXS_EXIT_CONFIG
                                                                   : txs_cli_exit_for(rc));
    }
    rejects.progress = start_progress(&a, &r);
    for (int i = 0; rc >= 0 && i < r.nsrc; i++) rc = txs_screener_feed(r.screener, r.src[i], &d);
    txs_cli_progress_stop(rejects.progress);
    rejects.progress = NULL;
    if (rc < 0 && d.msg[0] == '\0') txs_diag_set(&d, rc, "", 0, "%s", txs_strerror(rc));
    if (rc >= 0 && (rc = check_reject_rate(&a, txs_screener_stats(r.screener), &d)) < 0) {
        /* Nothing is committed: the input is not what the run expects. */
        if (!a.quiet) summary(txs_screener_stats(r.screener), NULL, txs_cli_now() - t0);
        run_free(&r);
        return txs_cli_report("txscreen", &d, TXS_EXIT_INPUT);
    }
    if (rc >= 0 && a.state && state &&
        (rc = absorb_inputs(&a, state, txs_screener_stats(r.screener), &d)) < 0) {
        /* Nothing is committed: the state has seen these inputs. */
        run_free(&r);
        return txs_cli_report("txscreen", &d, rc == TXS_E_ARG ? TXS_EXIT_INPUT : txs_cli_exit_for(rc));
    }
    if (rc >= 0 && a.state && state && a.shard_mode == TXS_STATE_ALL &&
        txs_cases_record(r.cases, state) < 0)
        rc = txs_diag_set(&d, TXS_E_NOMEM, "", 0, "out of memory");
    if (rc >= 0 && a.state && state) rc = txs_state_write(state, r.state, &d);
    if (rc >= 0 && r.cases) rc = write_cases(&r, &d);
    double wall = txs_cli_now() - t0;
    if (rc >= 0) rc = write_manifest(&a, &r, argc, argv, wall, started, &d);
    if (rc >= 0) rc = write_report(&r, &d);
    if (rc >= 0) rc = commit_outputs(&a, &r, state, &d);
    if (rc < 0) {
        run_free(&r);
        return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    }
    const txs_screen_stats *st = txs_screener_stats(r.screener);
    if (!a.rejects && rejects.lines > STDERR_REJECTS)
        fprintf(stderr, "txscreen: %llu more rejects not shown; use --rejects FILE\n",
                (unsigned long long)(rejects.lines - STDERR_REJECTS));
    if (!a.quiet) summary(st, a.cases || a.report ? r.cases : NULL, wall);
    int code = run_status(&a, st);
    run_free(&r);
    return code;
}
