/*
 * merge_manifest.c: the manifest side of `txscreen merge` (merge_int.h):
 * the rule set the shards were screened with (named by their manifests,
 * checked by xxh3), the shards' counts checked against the split's, and the
 * merged manifest: inputs from split.json, rule set and lists as the shard
 * manifests state them, counts summed or recomputed from the merged alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void splice_value(txs_buf *b, const merge_run *m, const char *key, const char *indent,
                         int comma)
{
    const txs_json *v = man_get(m, 0, key);
    txs_buf_printf(b, "%s\"%s\": ", indent, key);
    if (v) txs_buf_put(b, m->man[0].text + v->start, v->end - v->start);
    else txs_buf_puts(b, "null");
    txs_buf_puts(b, comma ? ",\n" : "\n");
}

static void kv_str(txs_buf *b, const char *indent, const char *key, const char *val, int comma)
{
    txs_buf_printf(b, "%s\"%s\": ", indent, key);
    if (val) txs_buf_json_str(b, val, strlen(val));
    else txs_buf_puts(b, "null");
    txs_buf_puts(b, comma ? ",\n" : "\n");
}

static void kv_u64(txs_buf *b, const char *key, uint64_t v, int comma)
{
    txs_buf_printf(b, "    \"%s\": %llu%s\n", key, (unsigned long long)v, comma ? "," : "");
}

/* The manifest of the whole run, in the layout of txs_manifest_write:
 * inputs from split.json, rule set and lists as the shards' manifests
 * state them, counts summed (read, screened, rejected, dropped hits) or
 * recomputed from the merged alerts. */
void txs__merge_write_manifest(txs_buf *b, merge_run *m, const txs_merge_opts *a, const char *cmd,
                           const char *started, double wall)
{
    int missing = 0;
    uint64_t dropped = man_count(m, "hits_dropped", &missing), gd = 0;
    if (m->graph_text &&
        txs_json_u64(txs_json_get(txs_json_get(m->graph.root, "counts"),
                                 "hits_dropped"), &gd) == 0)
        dropped += gd;
    uint64_t read = 0, rejected = 0, plain = 0;
    for (size_t i = 0; i < m->si.nin; i++) {
        read += m->si.in[i].records;
        rejected += m->si.in[i].rejected;
        plain += m->si.in[i].plain_bytes;
    }
    txs_buf_puts(b, "{\n");
    kv_str(b, "  ", "txscreen_version", TXS_VERSION, 1);
    kv_str(b, "  ", "command", cmd, 1);
    splice_value(b, m, "profile", "  ", 1);
    txs_buf_puts(b, "  \"inputs\": [");
    for (size_t i = 0; i < m->si.nin; i++) {
        const split_input *s = &m->si.in[i];
        txs_buf_puts(b, i ? ",\n    {" : "\n    {");
        txs_buf_puts(b, "\"file\": ");
        txs_buf_json_str(b, s->name, strlen(s->name));
        txs_buf_printf(b,
                       ", \"encoding\": \"%s\", \"bytes\": %llu, \"xxh3\": "
                       "\"%016llx\", \"read\": %llu, \"rejected\": %llu}",
                       s->encoding, (unsigned long long)s->bytes, (unsigned long long)s->xxh3,
                       (unsigned long long)s->records, (unsigned long long)s->rejected);
    }
    txs_buf_puts(b, m->si.nin ? "\n  ],\n" : "],\n");
    splice_value(b, m, "rules", "  ", 1);
    const txs_json *lists = man_get(m, 0, "lists");
    int nlists = lists && lists->type == TXS_JSON_ARR && lists->count > 0;
    splice_value(b, m, "lists", "  ", 1);
    if (nlists) splice_value(b, m, "sanctions_threshold", "  ", 1);
    int gg = nlists && man_get(m, 0, "good_guys") != NULL;
    if (gg) splice_value(b, m, "good_guys", "  ", 1);
    txs_buf_puts(b, "  \"outputs\": {\n");
    kv_str(b, "    ", "alerts", a->out, 1);
    kv_str(b, "    ", "rejects", a->rejects, 0);
    txs_buf_puts(b, "  },\n  \"counts\": {\n");
    kv_u64(b, "read", read, 1);
    kv_u64(b, "screened", read - rejected, 1);
    kv_u64(b, "rejected", rejected, 1);
    kv_u64(b, "alerts", m->alerts, 1);
    kv_u64(b, "hits", m->hits, 1);
    kv_u64(b, "hits_dropped", dropped, 1);
    if (nlists) {
        kv_u64(b, "sanctions_hits", m->sanc_hits, 1);
        kv_u64(b, "sanctions_txns", m->sanc_txns, 1);
        kv_u64(b, "sanctions_alerts", m->sanc_alerts, 1);
        if (gg) kv_u64(b, "sanctions_suppressed", m->sanc_supp, 1);
    }
    /* Stateful rules.  A record is late when it is late for one of its
     * accounts; the graph job holds every account, so its count is the
     * single run's; without it, the shards' sum (a record late in two
     * shards counts twice). */
    const txs_json *state = man_get(m, 0, "state");
    uint64_t late = 0;
    if (state && !(m->graph_text &&
                   txs_json_u64(txs_json_get(txs_json_get(m->graph.root,
                                                             "counts"), "late_records"),
                          &late) == 0))
        late = man_count(m, "late_records", &missing);
    if (state) kv_u64(b, "late_records", late, 1);
    kv_u64(b, "txns_hit_below_band", m->below, 0);
    txs_buf_puts(b, "  },\n  \"alerts_by_band\": {\n");
    kv_u64(b, "block", m->by_band[TXS_BAND_BLOCK], 1);
    kv_u64(b, "review", m->by_band[TXS_BAND_REVIEW], 1);
    kv_u64(b, "edd", m->by_band[TXS_BAND_EDD], 0);
    if (state) {
        static const char *const keys[] = {"loaded", "loaded_accounts", "rules_changed",
                                           "accounts", "events", "bytes", "late_events",
                                           "expired_events", "truncated_events",
                                           "unconverted_amounts"};
        txs_buf_puts(b, "  },\n  \"state\": {\n");
        for (size_t i = 0; i < TXS_ARRAY_LEN(keys); i++) {
            int flag = i == 0 || i == 2; /* loaded, rules_changed: any shard */
            uint64_t v = 0;
            for (uint32_t k = 0; k < m->si.n; k++) {
                uint64_t x = 0;
                txs_json_u64(txs_json_get(man_get(m, k, "state"), keys[i]), &x);
                v = flag ? (x > v ? x : v) : v + x;
            }
            kv_u64(b, keys[i], v, i + 1 < TXS_ARRAY_LEN(keys));
        }
    }
    txs_buf_puts(b, "  },\n  \"alerts_by_rule\": {");
    size_t nr = m->rules ? txs_ruleset_count(m->rules) : 0;
    for (size_t i = 0; i < nr; i++) {
        const txs_rule_info *ri = txs_ruleset_rule(m->rules, i);
        txs_buf_puts(b, i ? ",\n    " : "\n    ");
        txs_buf_json_str(b, ri->id, strlen(ri->id));
        txs_buf_printf(b, ": %llu", (unsigned long long)m->by_rule[i]);
    }
    txs_buf_puts(b, nr ? "\n  },\n" : "},\n");
    double secs = wall > 0 ? wall : 1e-9;
    txs_buf_puts(b, "  \"timing\": {\n");
    kv_str(b, "    ", "started_utc", started, 1);
    txs_buf_printf(b, "    \"wall_seconds\": %.6f,\n", wall);
    txs_buf_printf(b, "    \"records_per_second\": %.0f,\n", (double)read / secs);
    txs_buf_printf(b, "    \"mb_per_second\": %.1f\n", (double)plain / secs / 1e6);
    txs_buf_puts(b, "  }\n}\n");
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
    if (got == want) return TXS_OK;
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

