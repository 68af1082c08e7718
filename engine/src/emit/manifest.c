/*
 * manifest.c: the run manifest (screen.h), the record an auditor reads to
 * know what was screened with what: every input with its size and xxh3, the
 * profile, the rule set and its hash, the counts that must balance
 * (read = screened + rejected), alerts by band and rule, and timing; and
 * every sanctions snapshot used, down to each source file's SHA-256, so an
 * auditor can prove which list version screened the run.
 */
#include <stdio.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/screen.h"
#include "txs/state.h"

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

static void write_inputs(txs_buf *b, const txs_screen_stats *st)
{
    txs_buf_puts(b, "  \"inputs\": [");
    for (size_t i = 0; i < st->nsources; i++) {
        const txs_source_stats *s = &st->sources[i];
        txs_buf_puts(b, i ? ",\n    {" : "\n    {");
        txs_buf_puts(b, "\"file\": ");
        txs_buf_json_str(b, s->name, strlen(s->name));
        txs_buf_printf(b,
                       ", \"encoding\": \"%s\", \"bytes\": %llu, \"xxh3\": "
                       "\"%016llx\", \"read\": %llu, \"rejected\": %llu}",
                       s->encoding, (unsigned long long)s->raw_bytes,
                       (unsigned long long)s->raw_xxh3,
                       (unsigned long long)s->read,
                       (unsigned long long)s->rejected);
    }
    txs_buf_puts(b, st->nsources ? "\n  ],\n" : "],\n");
}

static void write_rules(txs_buf *b, const txs_manifest_info *mi)
{
    if (mi->rules == NULL) {
        txs_buf_puts(b, "  \"rules\": null,\n");
        return;
    }
    txs_buf_puts(b, "  \"rules\": {\n");
    kv_str(b, "    ", "spec", mi->rules_spec, 1);
    kv_str(b, "    ", "name", txs_ruleset_name(mi->rules), 1);
    kv_str(b, "    ", "version", txs_ruleset_version(mi->rules), 1);
    txs_buf_printf(b, "    \"xxh3\": \"%016llx\",\n",
                   (unsigned long long)txs_ruleset_hash(mi->rules));
    kv_u64(b, "    ", "count", txs_ruleset_count(mi->rules), 0);
    txs_buf_puts(b, "  },\n");
}

static void write_counts(txs_buf *b, const txs_manifest_info *mi, const txs_screen_stats *st)
{
    txs_buf_puts(b, "  \"counts\": {\n");
    kv_u64(b, "    ", "read", st->read, 1);
    kv_u64(b, "    ", "screened", st->screened, 1);
    kv_u64(b, "    ", "rejected", st->rejected, 1);
    kv_u64(b, "    ", "alerts", st->alerts, 1);
    kv_u64(b, "    ", "hits", st->hits, 1);
    kv_u64(b, "    ", "hits_dropped", st->hits_dropped, 1);
    if (mi->nlists) {
        kv_u64(b, "    ", "sanctions_hits", st->sanctions_hits, 1);
        kv_u64(b, "    ", "sanctions_txns", st->sanctions_txns, 1);
        kv_u64(b, "    ", "sanctions_alerts", st->sanctions_alerts, 1);
        /* Only with a good-guy list, so manifests without one are as before. */
        if (mi->good_guys_path)
            kv_u64(b, "    ", "sanctions_suppressed", st->sanctions_suppressed, 1);
    }
    if (st->state) kv_u64(b, "    ", "late_records", st->late_records, 1);
    if (st->shard_foreign) kv_u64(b, "    ", "shard_foreign", st->shard_foreign, 1);
    kv_u64(b, "    ", "txns_hit_below_band", st->txns_hit_below_band, 0);
    txs_buf_puts(b, "  },\n");
    txs_buf_puts(b, "  \"alerts_by_band\": {\n");
    kv_u64(b, "    ", "block", st->alerts_by_band[TXS_BAND_BLOCK], 1);
    kv_u64(b, "    ", "review", st->alerts_by_band[TXS_BAND_REVIEW], 1);
    kv_u64(b, "    ", "edd", st->alerts_by_band[TXS_BAND_EDD], 0);
    txs_buf_puts(b, "  },\n");
    if (st->state) {
        const txs_state_stats *ss = st->state;
        txs_buf_puts(b, "  \"state\": {\n");
        kv_u64(b, "    ", "loaded", (uint64_t)ss->loaded, 1);
        kv_u64(b, "    ", "loaded_accounts", ss->loaded_accounts, 1);
        kv_u64(b, "    ", "rules_changed", (uint64_t)ss->rules_changed, 1);
        kv_u64(b, "    ", "accounts", ss->accounts, 1);
        kv_u64(b, "    ", "events", ss->events, 1);
        kv_u64(b, "    ", "bytes", ss->bytes, 1);
        kv_u64(b, "    ", "late_events", ss->late_events, 1);
        kv_u64(b, "    ", "expired_events", ss->expired, 1);
        kv_u64(b, "    ", "truncated_events", ss->truncated, 1);
        kv_u64(b, "    ", "unconverted_amounts", ss->unconverted, 1);
        kv_u64(b, "    ", "self_transfers", ss->self_transfers, 0);
        txs_buf_puts(b, "  },\n");
    }
}

static void write_by_rule(txs_buf *b, const txs_manifest_info *mi,
                          const txs_screen_stats *st)
{
    txs_buf_puts(b, "  \"alerts_by_rule\": {");
    for (size_t i = 0; mi->rules && i < st->nrules; i++) {
        const txs_rule_info *ri = txs_ruleset_rule(mi->rules, i);
        txs_buf_puts(b, i ? ",\n    " : "\n    ");
        txs_buf_json_str(b, ri->id, strlen(ri->id));
        txs_buf_printf(b, ": %llu", (unsigned long long)st->alerts_by_rule[i]);
    }
    txs_buf_puts(b, st->nrules && mi->rules ? "\n  },\n" : "},\n");
}

static void write_list(txs_buf *b, const txs_lists *l, const char *path)
{
    txs_buf_puts(b, "\n    {\"path\": ");
    txs_buf_json_str(b, path, strlen(path));
    txs_buf_printf(b, ", \"xxh3\": \"%016llx\", \"bytes\": %llu, \"entities\": %llu,\n",
                   (unsigned long long)txs_lists_hash(l), (unsigned long long)txs_lists_size(l),
                   (unsigned long long)txs_lists_count(l));
    txs_buf_puts(b, "     \"sources\": [");
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        txs_buf_puts(b, i ? ",\n       {\"file\": " : "\n       {\"file\": ");
        txs_buf_json_str(b, s.file.p, s.file.n);
        txs_buf_puts(b, ", \"list\": ");
        txs_buf_json_str(b, s.list.p, s.list.n);
        txs_buf_puts(b, ", \"date\": ");
        if (s.date.n) txs_buf_json_str(b, s.date.p, s.date.n);
        else txs_buf_puts(b, "null");
        txs_buf_puts(b, ", \"sha256\": \"");
        for (int k = 0; k < 32; k++) txs_buf_printf(b, "%02x", s.sha256[k]);
        txs_buf_printf(b, "\", \"bytes\": %llu, \"entities\": %u}", (unsigned long long)s.bytes,
                       s.entities);
    }
    txs_buf_puts(b, "]}");
}

static void write_lists(txs_buf *b, const txs_manifest_info *mi)
{
    txs_buf_puts(b, "  \"lists\": [");
    for (size_t i = 0; i < mi->nlists; i++) {
        if (i) txs_buf_putc(b, ',');
        write_list(b, mi->lists[i], mi->list_paths ? mi->list_paths[i] : "");
    }
    txs_buf_puts(b, mi->nlists ? "\n  ],\n" : "],\n");
    if (mi->nlists) {
        txs_buf_puts(b, "  \"sanctions_threshold\": ");
        txs_buf_json_num(b, mi->sanctions_threshold);
        txs_buf_puts(b, ",\n");
    }
    if (mi->nlists && mi->good_guys_path) kv_str(b, "  ", "good_guys", mi->good_guys_path, 1);
}

void txs_manifest_write(txs_buf *b, const txs_manifest_info *mi,
                        const txs_screen_stats *st)
{
    txs_buf_puts(b, "{\n");
    kv_str(b, "  ", "txscreen_version", TXS_VERSION, 1);
    kv_str(b, "  ", "command", mi->command, 1);
    kv_str(b, "  ", "profile", mi->profile, 1);
    write_inputs(b, st);
    write_rules(b, mi);
    write_lists(b, mi);
    txs_buf_puts(b, "  \"outputs\": {\n");
    kv_str(b, "    ", "alerts", mi->alerts_path, 1);
    kv_str(b, "    ", "rejects", mi->rejects_path, 0);
    txs_buf_puts(b, "  },\n");
    write_counts(b, mi, st);
    write_by_rule(b, mi, st);
    double secs = mi->wall_seconds > 0 ? mi->wall_seconds : 1e-9;
    txs_buf_puts(b, "  \"timing\": {\n");
    kv_str(b, "    ", "started_utc", mi->started_utc, 1);
    txs_buf_printf(b, "    \"wall_seconds\": %.6f,\n", mi->wall_seconds);
    txs_buf_printf(b, "    \"records_per_second\": %.0f,\n", (double)st->read / secs);
    txs_buf_printf(b, "    \"mb_per_second\": %.1f\n", (double)st->plain_bytes / secs / 1e6);
    txs_buf_puts(b, "  }\n}\n");
}
