/*
 * manifest.c: prints the run manifest (emit.h txs_manifest), the record an
 * auditor reads to know what was screened with what: every input with its
 * size and xxh3, the profile, the rule set and its hash, the counts that
 * must balance (read = screened + rejected), alerts by band and rule, and
 * timing; and every sanctions snapshot used, down to each source file's
 * SHA-256, so an auditor can prove which list version screened the run.
 *
 * It prints a plain struct and knows nothing of the run: the pipeline
 * fills the struct (pipeline/manifest.c).  The layout is fixed: blocks that
 * a run without lists, rules or state lacks are left out (or null) rather
 * than printed empty, so older manifests compare line for line.
 */
#include <stdio.h>
#include <string.h>

#include "txs/emit.h"

static void kv_str(txs_buf *b, const char *indent, const char *key,
                   const char *val, int comma)
{
    txs_buf_printf(b, "%s\"%s\": ", indent, key);
    if (val) txs_buf_json_str(b, val, strlen(val));
    else txs_buf_puts(b, "null");
    txs_buf_puts(b, comma ? ",\n" : "\n");
}

static void kv_u64(txs_buf *b, const char *indent, const char *key, uint64_t v,
                   int comma)
{
    txs_buf_printf(b, "%s\"%s\": %llu%s\n", indent, key, (unsigned long long)v,
                   comma ? "," : "");
}

static void write_inputs(txs_buf *b, const txs_manifest *m)
{
    txs_buf_puts(b, "  \"inputs\": [");
    for (size_t i = 0; i < m->ninputs; i++) {
        const txs_manifest_input *s = &m->inputs[i];
        txs_buf_puts(b, i ? ",\n    {" : "\n    {");
        txs_buf_puts(b, "\"file\": ");
        txs_buf_json_str(b, s->file, strlen(s->file));
        txs_buf_printf(b,
                       ", \"encoding\": \"%s\", \"bytes\": %llu, \"xxh3\": "
                       "\"%016llx\", \"read\": %llu, \"rejected\": %llu}",
                       s->encoding, (unsigned long long)s->bytes,
                       (unsigned long long)s->xxh3,
                       (unsigned long long)s->read,
                       (unsigned long long)s->rejected);
    }
    txs_buf_puts(b, m->ninputs ? "\n  ],\n" : "],\n");
}

static void write_rules(txs_buf *b, const txs_manifest *m)
{
    if (!m->has_rules) {
        txs_buf_puts(b, "  \"rules\": null,\n");
        return;
    }
    txs_buf_puts(b, "  \"rules\": {\n");
    kv_str(b, "    ", "spec", m->rules_spec, 1);
    kv_str(b, "    ", "name", m->rules_name, 1);
    kv_str(b, "    ", "version", m->rules_version, 1);
    txs_buf_printf(b, "    \"xxh3\": \"%016llx\",\n", (unsigned long long)m->rules_xxh3);
    kv_u64(b, "    ", "count", m->rules_count, 0);
    txs_buf_puts(b, "  },\n");
}

static void write_state(txs_buf *b, const txs_manifest_state *ss)
{
    txs_buf_puts(b, "  \"state\": {\n");
    kv_u64(b, "    ", "loaded", ss->loaded, 1);
    kv_u64(b, "    ", "loaded_accounts", ss->loaded_accounts, 1);
    kv_u64(b, "    ", "rules_changed", ss->rules_changed, 1);
    kv_u64(b, "    ", "accounts", ss->accounts, 1);
    kv_u64(b, "    ", "events", ss->events, 1);
    kv_u64(b, "    ", "bytes", ss->bytes, 1);
    kv_u64(b, "    ", "late_events", ss->late_events, 1);
    kv_u64(b, "    ", "expired_events", ss->expired_events, 1);
    kv_u64(b, "    ", "truncated_events", ss->truncated_events, 1);
    kv_u64(b, "    ", "unconverted_amounts", ss->unconverted_amounts, 1);
    kv_u64(b, "    ", "self_transfers", ss->self_transfers, 0);
    txs_buf_puts(b, "  },\n");
}

static void write_counts(txs_buf *b, const txs_manifest *m)
{
    txs_buf_puts(b, "  \"counts\": {\n");
    kv_u64(b, "    ", "read", m->read, 1);
    kv_u64(b, "    ", "screened", m->screened, 1);
    kv_u64(b, "    ", "rejected", m->rejected, 1);
    kv_u64(b, "    ", "alerts", m->alerts, 1);
    kv_u64(b, "    ", "hits", m->hits, 1);
    kv_u64(b, "    ", "hits_dropped", m->hits_dropped, 1);
    if (m->nlists) {
        kv_u64(b, "    ", "sanctions_hits", m->sanctions_hits, 1);
        kv_u64(b, "    ", "sanctions_txns", m->sanctions_txns, 1);
        kv_u64(b, "    ", "sanctions_alerts", m->sanctions_alerts, 1);
        /* Only with a good-guy list, so manifests without one are as before. */
        if (m->good_guys)
            kv_u64(b, "    ", "sanctions_suppressed", m->sanctions_suppressed, 1);
    }
    if (m->state) kv_u64(b, "    ", "late_records", m->late_records, 1);
    if (m->shard_foreign) kv_u64(b, "    ", "shard_foreign", m->shard_foreign, 1);
    kv_u64(b, "    ", "txns_hit_below_band", m->txns_hit_below_band, 0);
    txs_buf_puts(b, "  },\n");
    txs_buf_puts(b, "  \"alerts_by_band\": {\n");
    kv_u64(b, "    ", "block", m->alerts_block, 1);
    kv_u64(b, "    ", "review", m->alerts_review, 1);
    kv_u64(b, "    ", "edd", m->alerts_edd, 0);
    txs_buf_puts(b, "  },\n");
    if (m->state) write_state(b, m->state);
}

static void write_by_rule(txs_buf *b, const txs_manifest *m)
{
    txs_buf_puts(b, "  \"alerts_by_rule\": {");
    for (size_t i = 0; i < m->nrules; i++) {
        txs_buf_puts(b, i ? ",\n    " : "\n    ");
        txs_buf_json_str(b, m->rule_ids[i], strlen(m->rule_ids[i]));
        txs_buf_printf(b, ": %llu", (unsigned long long)m->alerts_by_rule[i]);
    }
    txs_buf_puts(b, m->nrules ? "\n  },\n" : "},\n");
}

static void write_list(txs_buf *b, const txs_manifest_list *l)
{
    txs_buf_puts(b, "\n    {\"path\": ");
    txs_buf_json_str(b, l->path, strlen(l->path));
    txs_buf_printf(b, ", \"xxh3\": \"%016llx\", \"bytes\": %llu, \"entities\": %llu,\n",
                   (unsigned long long)l->xxh3, (unsigned long long)l->bytes,
                   (unsigned long long)l->entities);
    txs_buf_puts(b, "     \"sources\": [");
    for (size_t i = 0; i < l->nsources; i++) {
        const txs_manifest_list_source *s = &l->sources[i];
        txs_buf_puts(b, i ? ",\n       {\"file\": " : "\n       {\"file\": ");
        txs_buf_json_str(b, s->file.p, s->file.n);
        txs_buf_puts(b, ", \"list\": ");
        txs_buf_json_str(b, s->list.p, s->list.n);
        txs_buf_puts(b, ", \"date\": ");
        if (s->date.n) txs_buf_json_str(b, s->date.p, s->date.n);
        else txs_buf_puts(b, "null");
        txs_buf_puts(b, ", \"sha256\": \"");
        for (int k = 0; k < 32; k++) txs_buf_printf(b, "%02x", s->sha256[k]);
        txs_buf_printf(b, "\", \"bytes\": %llu, \"entities\": %u}", (unsigned long long)s->bytes,
                       s->entities);
    }
    txs_buf_puts(b, "]}");
}

static void write_lists(txs_buf *b, const txs_manifest *m)
{
    txs_buf_puts(b, "  \"lists\": [");
    for (size_t i = 0; i < m->nlists; i++) {
        if (i) txs_buf_putc(b, ',');
        write_list(b, &m->lists[i]);
    }
    txs_buf_puts(b, m->nlists ? "\n  ],\n" : "],\n");
    if (m->nlists) {
        txs_buf_puts(b, "  \"sanctions_threshold\": ");
        txs_buf_json_num(b, m->sanctions_threshold);
        txs_buf_puts(b, ",\n");
    }
    if (m->nlists && m->good_guys) kv_str(b, "  ", "good_guys", m->good_guys, 1);
}

void txs_manifest_print(txs_buf *b, const txs_manifest *m)
{
    txs_buf_puts(b, "{\n");
    kv_str(b, "  ", "txscreen_version", TXS_VERSION, 1);
    kv_str(b, "  ", "command", m->command, 1);
    kv_str(b, "  ", "profile", m->profile, 1);
    write_inputs(b, m);
    write_rules(b, m);
    write_lists(b, m);
    txs_buf_puts(b, "  \"outputs\": {\n");
    kv_str(b, "    ", "alerts", m->alerts_path, 1);
    if (m->has_digests) {
        kv_u64(b, "    ", "alerts_bytes", m->alerts_bytes, 1);
        txs_buf_printf(b, "    \"alerts_xxh3\": \"%016llx\",\n",
                       (unsigned long long)m->alerts_xxh3);
    }
    kv_str(b, "    ", "rejects", m->rejects_path, m->has_digests && m->rejects_path);
    if (m->has_digests && m->rejects_path) {
        kv_u64(b, "    ", "rejects_bytes", m->rejects_bytes, 1);
        txs_buf_printf(b, "    \"rejects_xxh3\": \"%016llx\"\n",
                       (unsigned long long)m->rejects_xxh3);
    }
    txs_buf_puts(b, "  },\n");
    write_counts(b, m);
    write_by_rule(b, m);
    double secs = m->wall_seconds > 0 ? m->wall_seconds : 1e-9;
    txs_buf_puts(b, "  \"timing\": {\n");
    if (m->threads) kv_u64(b, "    ", "threads", m->threads, 1);
    kv_str(b, "    ", "started_utc", m->started_utc, 1);
    txs_buf_printf(b, "    \"wall_seconds\": %.6f,\n", m->wall_seconds);
    txs_buf_printf(b, "    \"records_per_second\": %.0f,\n", (double)m->read / secs);
    txs_buf_printf(b, "    \"mb_per_second\": %.1f\n", (double)m->plain_bytes / secs / 1e6);
    txs_buf_puts(b, "  }\n}\n");
}
