/*
 * cli_lookback.c: what `screen --state` and `rescreen` share about
 * look-back screening (docs/lists.md "Look-back screening"): reading the
 * last run's --cases with their subjects (so a removed entity can close
 * its case), telling whether the lists changed since the state was saved,
 * loading the snapshots it last screened with, running the look-back
 * (lookback.h) and recording this run's lists in the state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "txs/cases.h"
#include "txs/json_read.h"
#include "txs/lists.h"
#include "txs/lookback.h"
#include "txs/state.h"

/* The escaped contents of string member key of o (its bytes in text). */
static txs_slice raw_str(const char *text, const txs_json *o, const char *key)
{
    const txs_json *v = o ? txs_json_get(o, key) : NULL;
    if (v == NULL || v->type != TXS_JSON_STR || v->end < v->start + 2) return (txs_slice){"", 0};
    return (txs_slice){text + v->start + 1, v->end - v->start - 2};
}

/* One line of a --cases file into c. */
static int prev_case_line(txs_cases *c, const char *p, size_t n, const char *path,
                          uint64_t line, txs_diag *d)
{
    txs_json_doc doc;
    txs_json_init(&doc);
    int rc = txs_json_parse(&doc, p, n);
    const txs_json *o = rc == 0 ? doc.root : NULL, *id = NULL;
    if (o && o->type == TXS_JSON_OBJ) id = txs_json_get(o, "case_id");
    if (id == NULL || id->type != TXS_JSON_STR || id->n != TXS_CASE_ID_LEN) {
        rc = txs_diag_set(d, TXS_E_CONFIG, path, line,
                          "not a line of txscreen's --cases output (it begins "
                          "{\"case_id\":\"S-... or T-...\")");
    } else {
        const txs_json *sub = txs_json_get(o, "subject");
        txs_case_subject s = {txs_json_str_is(txs_json_get(o, "kind"), "sanctions")
                                  ? TXS_CASE_SANCTIONS : TXS_CASE_TYPOLOGY,
                              raw_str(p, sub, "party"), raw_str(p, sub, "list"),
                              raw_str(p, sub, "entry")};
        /* A case closed by an earlier run is not open any more. */
        if (txs_json_str_is(txs_json_get(o, "status"), "closed")) rc = TXS_OK;
        else rc = txs_cases_previous_subject(c, id->s, &s);
        if (rc == TXS_E_ARG)
            rc = txs_diag_set(d, TXS_E_CONFIG, path, line, "bad case id '%s'", id->s);
    }
    txs_json_free(&doc);
    return rc;
}

int txs_cli_load_prev_cases(const char *path, txs_cases **cases, txs_diag *d)
{
    char *text;
    size_t n;
    int rc = txs_file_read(path, &text, &n, d);
    if (rc < 0) return rc == TXS_E_NOMEM ? rc : TXS_E_CONFIG;
    if (*cases == NULL && txs_cases_create(cases) < 0) rc = TXS_E_NOMEM;
    uint64_t line = 0;
    for (char *p = text; rc == 0 && p < text + n; line++) {
        char *nl = memchr(p, '\n', (size_t)(text + n - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(text + n - p);
        rc = prev_case_line(*cases, p, len, path, line + 1, d);
        p = nl ? nl + 1 : text + n;
    }
    free(text);
    if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, "", 0, "out of memory");
    return rc;
}

/* The snapshot the state last screened with, as list i: --previous-lists
 * when given, else the path it recorded; its hash must be the recorded
 * one. */
static int load_old(const txs_cli_lookback *o, const txs_state_list *rec, size_t i,
                    txs_lists **out, txs_diag *d)
{
    const char *path = i < o->nprev_paths ? o->prev_paths[i] : rec->path;
    if (path[0] == '\0' || !txs_lists_is_snapshot(path))
        return txs_diag_set(d, TXS_E_CONFIG, o->state_path, 0,
                            "the lists changed since this state was saved, and look-back "
                            "screening needs the snapshot it last screened with (xxh3 "
                            "%016llx, recorded as '%s'), which is not a snapshot file now; "
                            "pass it with --previous-lists, or --lookback off",
                            (unsigned long long)rec->hash, rec->path);
    TXS_TRY(txs_lists_load(path, out, d));
    uint64_t h = txs_lists_hash(*out);
    if (h == rec->hash) return TXS_OK;
    txs_lists_free(*out);
    *out = NULL;
    return txs_diag_set(d, TXS_E_CONFIG, path, 0,
                        "not the snapshot %s last screened with (its xxh3 is %016llx, the "
                        "state recorded %016llx)", o->state_path, (unsigned long long)h,
                        (unsigned long long)rec->hash);
}

int txs_cli_lookback_run(const txs_cli_lookback *o, txs_lookback_stats *st, txs_diag *d)
{
    memset(st, 0, sizeof *st);
    size_t nprev;
    const txs_state_list *prev = txs_state_lists_prev(o->state, &nprev);
    txs_state_list now[TXS_STATE_LISTS_MAX];
    size_t nnow = o->nlists < TXS_STATE_LISTS_MAX ? o->nlists : TXS_STATE_LISTS_MAX;
    int changed = nprev != 0 && nprev != nnow;
    for (size_t i = 0; i < nnow; i++) {
        memset(&now[i], 0, sizeof now[i]);
        now[i].hash = txs_lists_hash(o->lists[i]);
        snprintf(now[i].path, sizeof now[i].path, "%s", o->list_paths[i]);
        if (i < nprev && prev[i].hash != now[i].hash) changed = 1;
    }
    int rc = TXS_OK;
    if (changed && nprev != nnow)
        rc = txs_diag_set(d, TXS_E_CONFIG, o->state_path, 0,
                          "this state last screened with %zu list snapshot(s), this run "
                          "with %zu; look-back screening pairs them in --lists order",
                          nprev, nnow);
    txs_lists *old[TXS_STATE_LISTS_MAX] = {0};
    if (changed && o->enabled) {
        for (size_t i = 0; rc == 0 && i < nnow; i++) rc = load_old(o, &prev[i], i, &old[i], d);
        txs_lookback_opts lo = {(const txs_lists *const *)old, o->lists, nnow, o->threshold,
                                o->cases, o->alerts, o->alerts_ctx};
        if (rc == 0) rc = txs_lookback_run(o->state, &lo, st, d);
    }
    for (size_t i = 0; i < nnow; i++) txs_lists_free(old[i]);
    if (rc == 0 && txs_state_set_lists(o->state, now, nnow) < 0)
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    if (rc == 0 && changed && !o->quiet)
        fprintf(stderr,
                "txscreen: lists changed since %s was saved: look-back %s (added %llu, "
                "changed %llu, removed %llu entities; %llu counterparties screened, %llu "
                "lookback alerts, %llu cases closed)\n",
                o->state_path, o->enabled ? "done" : "off",
                (unsigned long long)st->added, (unsigned long long)st->changed,
                (unsigned long long)st->removed, (unsigned long long)st->counterparties,
                (unsigned long long)st->alerts, (unsigned long long)st->cases_closed);
    return rc;
}

int txs_cli_lookback_flag(const char *who, int which, const char *arg, txs_cli_lb_args *a)
{
    if (which == 0) {
        if (strcmp(arg, "on") == 0 || strcmp(arg, "off") == 0) {
            a->enabled = arg[1] == 'n';
            return 0;
        }
        fprintf(stderr, "%s: --lookback must be on or off, not '%s'\n", who, arg);
        return -1;
    }
    if (which == 1) {
        if (a->nprev == sizeof a->prev / sizeof a->prev[0]) {
            fprintf(stderr, "%s: at most %zu --previous-lists\n", who,
                    sizeof a->prev / sizeof a->prev[0]);
            return -1;
        }
        a->prev[a->nprev++] = arg;
        return 0;
    }
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < 1 || v > 36600) {
        fprintf(stderr, "%s: --lookback-retention must be a number of days, 1 to 36600, "
                        "not '%s'\n", who, arg);
        return -1;
    }
    a->retention = (long long)v * 86400;
    return 0;
}
