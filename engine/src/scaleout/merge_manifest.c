/*
 * merge_manifest.c: the manifest side of `txscreen merge` (merge_int.h):
 * the rule set the shards were screened with (named by their manifests,
 * checked by xxh3), the shards' counts checked against the split's and
 * their outputs against their manifests, and the merged manifest (filled
 * into emit's txs_manifest and printed by its one printer): inputs from
 * split.json, rule set and lists as the shard manifests state them, counts
 * summed or recomputed from the merged alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "merge_int.h"

/* -------------------------------------------------------------- manifest */

static const txs_json *man_get(const merge_run *m, size_t k, const char *key)
{
    return txs_json_get(m->man[k].root, key);
}

static uint64_t man_count(const merge_run *m, const char *key, int *missing)
{
    uint64_t sum = 0;
    for (uint32_t k = 0; k < m->si.n; k++) {
        uint64_t v;
        if (txs_json_u64(txs_json_get(man_get(m, k, "counts"), key), &v) < 0)
            *missing = 1;
        else sum += v;
    }
    return sum;
}

/* A hex string of up to 16 digits as a number (0 when not one). */
static uint64_t hex_u64(const txs_json *v)
{
    char hex[20] = "";
    txs_json_str(v, hex, sizeof hex);
    return strtoull(hex, NULL, 16);
}

static uint64_t get_u64(const txs_json *o, const char *key)
{
    uint64_t v = 0;
    txs_json_u64(txs_json_get(o, key), &v);
    return v;
}

static txs_slice get_slice(const txs_json *o, const char *key)
{
    const txs_json *v = txs_json_get(o, key);
    return v && v->type == TXS_JSON_STR ? (txs_slice){v->s, v->n} : (txs_slice){"", 0};
}

/* The "lists" of shard 0's manifest as the printer's structs (strings
 * borrowed from that document); NULL with *n = 0 when there are none. */
static txs_manifest_list *read_lists(const merge_run *m, size_t *n, int *oom)
{
    const txs_json *lists = man_get(m, 0, "lists");
    *n = 0;
    if (lists == NULL || lists->type != TXS_JSON_ARR || lists->count == 0) return NULL;
    txs_manifest_list *l = calloc(lists->count, sizeof *l);
    if (l == NULL) return *oom = 1, NULL;
    for (const txs_json *v = lists->first; v; v = v->next) {
        txs_manifest_list *x = &l[(*n)++];
        const txs_json *path = txs_json_get(v, "path"), *srcs = txs_json_get(v, "sources");
        x->path = path && path->type == TXS_JSON_STR ? path->s : "";
        x->xxh3 = hex_u64(txs_json_get(v, "xxh3"));
        x->bytes = get_u64(v, "bytes");
        x->entities = get_u64(v, "entities");
        if (srcs == NULL || srcs->type != TXS_JSON_ARR || srcs->count == 0) continue;
        txs_manifest_list_source *s = calloc(srcs->count, sizeof *s);
        if (s == NULL) return *oom = 1, l;
        x->sources = s;
        for (const txs_json *e = srcs->first; e; e = e->next, s++) {
            s->file = get_slice(e, "file");
            s->list = get_slice(e, "list");
            s->date = get_slice(e, "date");
            txs_slice h = get_slice(e, "sha256");
            for (size_t k = 0; k < 32 && 2 * k + 1 < h.n; k++) {
                char byte[3] = {h.p[2 * k], h.p[2 * k + 1], 0};
                s->sha256[k] = (uint8_t)strtoul(byte, NULL, 16);
            }
            s->bytes = get_u64(e, "bytes");
            s->entities = (uint32_t)get_u64(e, "entities");
            x->nsources++;
        }
    }
    return l;
}

static void free_lists(txs_manifest_list *l, size_t n)
{
    for (size_t i = 0; l && i < n; i++) free((void *)l[i].sources);
    free(l);
}

/* The manifest of the whole run, printed by emit's one manifest printer
 * (txs_manifest_print): inputs from split.json, profile, rule set and lists
 * as the shards' manifests state them, counts summed (read, screened,
 * rejected, dropped hits, state) or recomputed from the merged alerts. */
void txs__merge_write_manifest(txs_buf *b, merge_run *m, const txs_merge_opts *a, const char *cmd,
                               const char *started, double wall)
{
    int missing = 0, oom = 0;
    txs_manifest mf;
    memset(&mf, 0, sizeof mf);
    txs_manifest_input *in = calloc(m->si.nin ? m->si.nin : 1, sizeof *in);
    const char **ids = calloc(m->rules ? txs_ruleset_count(m->rules) + 1 : 1, sizeof *ids);
    size_t nlists = 0;
    txs_manifest_list *lists = read_lists(m, &nlists, &oom);
    if (in == NULL || ids == NULL || oom) {
        b->oom = 1;
        goto out;
    }
    for (size_t i = 0; i < m->si.nin; i++) {
        const split_input *s = &m->si.in[i];
        in[i] = (txs_manifest_input){s->name, s->encoding, s->bytes, s->xxh3, s->records,
                                     s->rejected};
        mf.read += s->records;
        mf.rejected += s->rejected;
        mf.plain_bytes += s->plain_bytes;
    }
    mf.command = cmd;
    const txs_json *prof = man_get(m, 0, "profile");
    mf.profile = prof && prof->type == TXS_JSON_STR ? prof->s : NULL;
    mf.inputs = in;
    mf.ninputs = m->si.nin;
    const txs_json *rules = man_get(m, 0, "rules");
    if (rules && rules->type == TXS_JSON_OBJ) {
        const txs_json *spec = txs_json_get(rules, "spec"), *name = txs_json_get(rules, "name"),
                       *ver = txs_json_get(rules, "version");
        mf.has_rules = 1;
        mf.rules_spec = spec && spec->type == TXS_JSON_STR ? spec->s : NULL;
        mf.rules_name = name && name->type == TXS_JSON_STR ? name->s : NULL;
        mf.rules_version = ver && ver->type == TXS_JSON_STR ? ver->s : NULL;
        mf.rules_xxh3 = hex_u64(txs_json_get(rules, "xxh3"));
        mf.rules_count = get_u64(rules, "count");
    }
    mf.lists = lists;
    mf.nlists = nlists;
    txs_json_double(man_get(m, 0, "sanctions_threshold"), &mf.sanctions_threshold);
    const txs_json *gg = man_get(m, 0, "good_guys");
    mf.good_guys = gg && gg->type == TXS_JSON_STR ? gg->s : NULL;
    mf.alerts_path = a->out;
    mf.rejects_path = a->rejects;
    mf.has_digests = m->digested;
    mf.alerts_bytes = m->out_bytes;
    mf.alerts_xxh3 = m->out_xxh3;
    mf.rejects_bytes = m->rej_bytes;
    mf.rejects_xxh3 = m->rej_xxh3;
    mf.screened = mf.read - mf.rejected;
    mf.alerts = m->alerts;
    mf.hits = m->hits;
    uint64_t gd = 0;
    mf.hits_dropped = man_count(m, "hits_dropped", &missing);
    if (m->graph_text &&
        txs_json_u64(txs_json_get(txs_json_get(m->graph.root, "counts"), "hits_dropped"), &gd) == 0)
        mf.hits_dropped += gd;
    mf.sanctions_hits = m->sanc_hits;
    mf.sanctions_txns = m->sanc_txns;
    mf.sanctions_alerts = m->sanc_alerts;
    mf.sanctions_suppressed = m->sanc_supp;
    /* Stateful rules.  A record is late when it is late for one of its
     * accounts; the graph job holds every account, so its count is the
     * single run's; without it, the shards' sum (a record late in two
     * shards counts twice). */
    txs_manifest_state st;
    memset(&st, 0, sizeof st);
    if (man_get(m, 0, "state")) {
        if (!(m->graph_text &&
              txs_json_u64(txs_json_get(txs_json_get(m->graph.root, "counts"), "late_records"),
                           &mf.late_records) == 0))
            mf.late_records = man_count(m, "late_records", &missing);
        /* loaded and rules_changed: any shard's; the rest summed. */
        uint64_t *f[] = {&st.loaded, &st.loaded_accounts, &st.rules_changed, &st.accounts,
                         &st.events, &st.bytes, &st.late_events, &st.expired_events,
                         &st.truncated_events, &st.unconverted_amounts, &st.self_transfers};
        static const char *const keys[] = {"loaded", "loaded_accounts", "rules_changed",
                                           "accounts", "events", "bytes", "late_events",
                                           "expired_events", "truncated_events",
                                           "unconverted_amounts", "self_transfers"};
        for (size_t i = 0; i < TXS_ARRAY_LEN(keys); i++)
            for (uint32_t k = 0; k < m->si.n; k++) {
                uint64_t x = get_u64(man_get(m, k, "state"), keys[i]);
                *f[i] = i == 0 || i == 2 ? (x > *f[i] ? x : *f[i]) : *f[i] + x;
            }
        mf.state = &st;
    }
    mf.txns_hit_below_band = m->below;
    mf.alerts_block = m->by_band[TXS_BAND_BLOCK];
    mf.alerts_review = m->by_band[TXS_BAND_REVIEW];
    mf.alerts_edd = m->by_band[TXS_BAND_EDD];
    mf.nrules = m->rules ? txs_ruleset_count(m->rules) : 0;
    for (size_t i = 0; i < mf.nrules; i++) ids[i] = txs_ruleset_rule(m->rules, i)->id;
    mf.rule_ids = ids;
    mf.alerts_by_rule = m->by_rule;
    mf.started_utc = started;
    mf.wall_seconds = wall;
    txs_manifest_print(b, &mf);
out:
    free(in);
    free(ids);
    free_lists(lists, nlists);
}

/* The input a manifest names first: its bytes and xxh3; -1 without. */
static int man_input(const txs_json *in, uint64_t *bytes, uint64_t *xxh3)
{
    char hex[20], *end;
    if (txs_json_u64(txs_json_get(in, "bytes"), bytes) < 0 ||
        txs_json_str(txs_json_get(in, "xxh3"), hex, sizeof hex) != 16)
        return -1;
    *xxh3 = strtoull(hex, &end, 16);
    return *end == '\0' ? 0 : -1;
}

/* Every shard's manifest, each over exactly the shard file this split
 * wrote (not an earlier split's of the same name), the graph job's over
 * the split's inputs, and the counts adding up to the split's. */
int txs__merge_check_manifests(merge_run *m, txs_diag *d)
{
    for (uint32_t k = 0; k < m->si.n; k++) {
        if (m->man_text[k] == NULL)
            return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                                "shard %u's manifest is missing: merge needs every shard's "
                                "manifest to prove the shard's outputs complete", k);
        uint64_t bytes, xxh3;
        const txs_json *in = txs_json_first(man_get(m, k, "inputs"));
        if (man_input(in, &bytes, &xxh3) < 0)
            return txs_diag_set(d, TXS_E_FORMAT, m->man_path[k], 0,
                                "a shard manifest without its input's bytes and xxh3");
        if (bytes != m->si.shard_bytes[k] || xxh3 != m->si.shard_xxh3[k])
            return txs_diag_set(d, TXS_E_FORMAT, m->man_path[k], 0,
                                "shard %u was screened over a file of %llu bytes, xxh3 %016llx, "
                                "but this split's shard-%u.%s has %llu bytes, xxh3 %016llx: the "
                                "shard run is stale or of another split", k,
                                (unsigned long long)bytes, (unsigned long long)xxh3, k, m->si.ext,
                                (unsigned long long)m->si.shard_bytes[k],
                                (unsigned long long)m->si.shard_xxh3[k]);
    }
    if (m->graph_text) {
        const txs_json *in = txs_json_first(txs_json_get(m->graph.root, "inputs"));
        size_t i = 0;
        for (; in && i < m->si.nin; in = in->next, i++) {
            uint64_t bytes, xxh3;
            if (man_input(in, &bytes, &xxh3) < 0 || bytes != m->si.in[i].bytes ||
                xxh3 != m->si.in[i].xxh3)
                break;
        }
        if (in || i != m->si.nin)
            return txs_diag_set(d, TXS_E_FORMAT, m->graph_path, 0,
                                "the graph job was run over other inputs than the split's "
                                "(their bytes or xxh3 differ from split.json)");
    }
    int missing = 0;
    uint64_t read = man_count(m, "read", &missing);
    uint64_t rejected = man_count(m, "rejected", &missing);
    if (missing)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0, "a shard manifest without counts");
    uint64_t want = m->si.records - m->si.frame_rejects;
    uint64_t want_rej = m->si.rejected - m->si.frame_rejects;
    if (read != want || rejected != want_rej)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "the shard manifests count %llu records read (%llu rejected) but "
                            "the split sent %llu (%llu that do not parse): a shard run is "
                            "missing, incomplete or over other files",
                            (unsigned long long)read, (unsigned long long)rejected,
                            (unsigned long long)want, (unsigned long long)want_rej);
    return TXS_OK;
}

/* The stream of kind for shard k, or NULL (an empty file makes none). */
static const stream *stream_of(const merge_run *m, int kind, uint32_t k)
{
    for (size_t i = 0; i < m->nst; i++)
        if (m->st[i].kind == kind && m->st[i].shard == k) return &m->st[i];
    return NULL;
}

/* The file merge read against the bytes and XXH3-64 its run's manifest
 * gives (outputs.alerts_bytes/_xxh3, rejects_...; manifests of runs
 * before they were recorded give none, and then the count alone holds):
 * a line altered, or a file of another run with as many lines, is
 * refused. */
static int check_digest(const stream *s, const txs_json_doc *man, const char *man_path,
                        const char *who, const char *what, txs_diag *d)
{
    const txs_json *outs = txs_json_get(man->root, "outputs");
    char kb[32], kx[32], want_hex[32] = "", got_hex[32];
    snprintf(kb, sizeof kb, "%s_bytes", what);
    snprintf(kx, sizeof kx, "%s_xxh3", what);
    uint64_t want_bytes;
    if (txs_json_u64(txs_json_get(outs, kb), &want_bytes) < 0) return TXS_OK;
    txs_json_str(txs_json_get(outs, kx), want_hex, sizeof want_hex);
    uint64_t bytes = s ? s->lf.bytes : 0;
    snprintf(got_hex, sizeof got_hex, "%016llx",
             (unsigned long long)(s ? txs__merge_lf_digest(&s->lf) : XXH3_64bits(NULL, 0)));
    if (bytes == want_bytes && strcmp(got_hex, want_hex) == 0) return TXS_OK;
    return txs_diag_set(d, TXS_E_FORMAT, s ? s->lf.path : man_path, 0,
                        "%llu bytes with xxh3 %s, but %s's manifest (%s) records %llu bytes "
                        "with xxh3 %s: the %s file was altered or is of another run",
                        (unsigned long long)bytes, got_hex, who, man_path,
                        (unsigned long long)want_bytes, want_hex[0] ? want_hex : "(none)", what);
}

/* One output of one run against the count its manifest gives. */
static int check_count(const merge_run *m, const txs_json_doc *man, const char *man_path,
                       const char *who, int kind, uint32_t k, txs_diag *d)
{
    const char *key = kind == K_ALERTS ? "alerts" : "rejected";
    const char *what = kind == K_ALERTS ? "alerts" : "rejects";
    const txs_json *counts = txs_json_get(man->root, "counts");
    uint64_t want, below = 0;
    if (txs_json_u64(txs_json_get(counts, key), &want) < 0 ||
        (kind == K_ALERTS && txs_json_u64(txs_json_get(counts, "txns_hit_below_band"), &below) < 0))
        return txs_diag_set(d, TXS_E_FORMAT, man_path, 0, "a manifest without counts.%s", key);
    /* A shard run also writes the records it scored under the bands
     * (counted apart): the recombined score decides. */
    want += below;
    const stream *s = stream_of(m, kind, k);
    uint64_t got = s ? s->nrec : 0;
    if (got == want) return check_digest(s, man, man_path, who, what, d);
    if (s == NULL)
        return txs_diag_set(d, TXS_E_FORMAT, man_path, 0,
                            "%s's %s file is missing (or empty), but its manifest counts %llu",
                            who, what, (unsigned long long)want);
    return txs_diag_set(d, TXS_E_FORMAT, s->lf.path, 0,
                        "%llu %s, but %s's manifest (%s) counts %llu: the file is incomplete "
                        "or of another run", (unsigned long long)got, what, who, man_path,
                        (unsigned long long)want);
}

/* After the merge read every stream to its end: each shard's alerts (and
 * rejects, when they are merged or given) are as many as its manifest
 * counts, and the graph job's outputs are there when the rule set leaves
 * rules to it. */
int txs__merge_check_complete(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    char who[32];
    for (uint32_t k = 0; k < m->si.n; k++) {
        snprintf(who, sizeof who, "shard %u", k);
        TXS_TRY(check_count(m, &m->man[k], m->man_path[k], who, K_ALERTS, k, d));
        if (a->rejects || stream_of(m, K_REJECTS, k))
            TXS_TRY(check_count(m, &m->man[k], m->man_path[k], who, K_REJECTS, k, d));
    }
    if (m->graph_text == NULL) {
        if (m->rules && txs_ruleset_needs_graph_job(m->rules))
            return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                                "the rule set has cross-account rules, but the graph job's "
                                "manifest (`screen --shard graph`) is not among the inputs");
        return TXS_OK;
    }
    TXS_TRY(check_count(m, &m->graph, m->graph_path, "the graph job", K_ALERTS, GRAPH_JOB, d));
    if (a->rejects || stream_of(m, K_REJECTS, GRAPH_JOB))
        TXS_TRY(check_count(m, &m->graph, m->graph_path, "the graph job", K_REJECTS, GRAPH_JOB,
                            d));
    return TXS_OK;
}

int txs__merge_load_rules(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    char spec[4096] = "default";
    const txs_json *mr = NULL;
    size_t k0 = 0;
    while (k0 < m->si.n && m->man_text[k0] == NULL) k0++;
    if (k0 < m->si.n) mr = txs_json_get(m->man[k0].root, "rules");
    if (a->rules) snprintf(spec, sizeof spec, "%s", a->rules);
    else if (mr && mr->type == TXS_JSON_NULL) snprintf(spec, sizeof spec, "none");
    else if (mr) txs_json_str(txs_json_get(mr, "spec"), spec, sizeof spec);
    if (strcmp(spec, "none") == 0) return TXS_OK;
    TXS_TRY(txs_ruleset_load(spec, &m->rules, d));
    m->by_rule = calloc(txs_ruleset_count(m->rules) + 1, sizeof *m->by_rule);
    if (m->by_rule == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (uint32_t k = 0; k < m->si.n; k++) {
        if (m->man_text[k] == NULL) continue;
        char hex[32] = "", want[32];
        const txs_json *r = txs_json_get(m->man[k].root, "rules");
        txs_json_str(txs_json_get(r, "xxh3"), hex, sizeof hex);
        snprintf(want, sizeof want, "%016llx", (unsigned long long)txs_ruleset_hash(m->rules));
        if (strcmp(hex, want) != 0)
            return txs_diag_set(d, TXS_E_CONFIG, spec, 0,
                                "rule set xxh3 %s, but shard %u was screened with %s: pass "
                                "the shards' rule set with --rules",
                                want, k, hex[0] ? hex : "no rules");
    }
    return TXS_OK;
}

