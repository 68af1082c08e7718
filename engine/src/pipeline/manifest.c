/*
 * manifest.c: fills the run manifest (emit.h txs_manifest) from what the
 * run used and counted: the screener's figures (txs_screen_stats), the
 * rule set, each sanctions snapshot and its source files, and the
 * per-account state; emit/manifest.c prints it.  This is the one place
 * that knows both the run and the manifest's fields, so emit stays a floor
 * that knows only bytes.
 *
 * Invariants: it reads, never changes, what it is given; what it builds
 * lives for the call only (the struct borrows the screener's and the
 * snapshots' strings); out of memory shows as b->oom and TXS_E_NOMEM.
 */
#include <stdlib.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/screen.h"
#include "txs/state.h"

/* What the struct points into, freed after printing. */
typedef struct parts {
    txs_manifest_input *inputs;
    txs_manifest_list *lists;
    txs_manifest_list_source **sources; /* [nlists] */
    const char **rule_ids;
    size_t nlists;
} parts;

static void parts_free(parts *p)
{
    for (size_t i = 0; p->sources && i < p->nlists; i++) free(p->sources[i]);
    free(p->sources);
    free(p->inputs);
    free(p->lists);
    free(p->rule_ids);
}

static int fill_inputs(txs_manifest *m, parts *p, const txs_screen_stats *st)
{
    p->inputs = calloc(st->nsources + 1, sizeof *p->inputs);
    if (p->inputs == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < st->nsources; i++) {
        const txs_source_stats *s = &st->sources[i];
        p->inputs[i] = (txs_manifest_input){s->name, s->encoding, s->raw_bytes, s->raw_xxh3,
                                            s->read, s->rejected};
    }
    m->inputs = p->inputs;
    m->ninputs = st->nsources;
    return TXS_OK;
}

static int fill_list(txs_manifest_list *ml, txs_manifest_list_source **srcs, const txs_lists *l,
                     const char *path)
{
    size_t n = txs_lists_nsources(l);
    *srcs = calloc(n + 1, sizeof **srcs);
    if (*srcs == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        txs_manifest_list_source *o = &(*srcs)[i];
        *o = (txs_manifest_list_source){s.file, s.list, s.date, {0}, s.bytes, s.entities};
        memcpy(o->sha256, s.sha256, sizeof o->sha256);
    }
    *ml = (txs_manifest_list){path, txs_lists_hash(l), txs_lists_size(l), txs_lists_count(l),
                              *srcs, n};
    return TXS_OK;
}

static int fill_lists(txs_manifest *m, parts *p, const txs_manifest_info *mi)
{
    if (mi->nlists == 0) return TXS_OK;
    p->lists = calloc(mi->nlists, sizeof *p->lists);
    p->sources = calloc(mi->nlists, sizeof *p->sources);
    if (p->lists == NULL || p->sources == NULL) return TXS_E_NOMEM;
    p->nlists = mi->nlists;
    for (size_t i = 0; i < mi->nlists; i++)
        TXS_TRY(fill_list(&p->lists[i], &p->sources[i], mi->lists[i],
                          mi->list_paths ? mi->list_paths[i] : ""));
    m->lists = p->lists;
    m->nlists = mi->nlists;
    m->sanctions_threshold = mi->sanctions_threshold;
    return TXS_OK;
}

static int fill_rules(txs_manifest *m, parts *p, const txs_manifest_info *mi,
                      const txs_screen_stats *st)
{
    if (mi->rules == NULL) return TXS_OK;
    m->has_rules = 1;
    m->rules_spec = mi->rules_spec;
    m->rules_name = txs_ruleset_name(mi->rules);
    m->rules_version = txs_ruleset_version(mi->rules);
    m->rules_xxh3 = txs_ruleset_hash(mi->rules);
    m->rules_count = txs_ruleset_count(mi->rules);
    p->rule_ids = calloc(st->nrules + 1, sizeof *p->rule_ids);
    if (p->rule_ids == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < st->nrules; i++) p->rule_ids[i] = txs_ruleset_rule(mi->rules, i)->id;
    m->rule_ids = p->rule_ids;
    m->alerts_by_rule = st->alerts_by_rule;
    m->nrules = st->nrules;
    return TXS_OK;
}

static void fill_counts(txs_manifest *m, const txs_screen_stats *st)
{
    m->read = st->read;
    m->screened = st->screened;
    m->rejected = st->rejected;
    m->alerts = st->alerts;
    m->hits = st->hits;
    m->hits_dropped = st->hits_dropped;
    m->sanctions_hits = st->sanctions_hits;
    m->sanctions_txns = st->sanctions_txns;
    m->sanctions_alerts = st->sanctions_alerts;
    m->sanctions_suppressed = st->sanctions_suppressed;
    m->late_records = st->late_records;
    m->shard_foreign = st->shard_foreign;
    m->txns_hit_below_band = st->txns_hit_below_band;
    m->alerts_block = st->alerts_by_band[TXS_BAND_BLOCK];
    m->alerts_review = st->alerts_by_band[TXS_BAND_REVIEW];
    m->alerts_edd = st->alerts_by_band[TXS_BAND_EDD];
    m->plain_bytes = st->plain_bytes;
}

static void fill_state(txs_manifest_state *o, const txs_state_stats *ss)
{
    *o = (txs_manifest_state){
        .loaded = (uint64_t)ss->loaded,
        .loaded_accounts = ss->loaded_accounts,
        .rules_changed = (uint64_t)ss->rules_changed,
        .accounts = ss->accounts,
        .events = ss->events,
        .bytes = ss->bytes,
        .late_events = ss->late_events,
        .expired_events = ss->expired,
        .truncated_events = ss->truncated,
        .unconverted_amounts = ss->unconverted,
        .self_transfers = ss->self_transfers,
    };
}

int txs_screen_manifest_write(txs_buf *b, const txs_manifest_info *mi, const txs_screen_stats *st)
{
    txs_manifest m = {
        .command = mi->command,
        .profile = mi->profile,
        .good_guys = mi->good_guys_path,
        .alerts_path = mi->alerts_path,
        .rejects_path = mi->rejects_path,
        .has_digests = mi->has_digests,
        .alerts_bytes = mi->alerts_bytes,
        .alerts_xxh3 = mi->alerts_xxh3,
        .rejects_bytes = mi->rejects_bytes,
        .rejects_xxh3 = mi->rejects_xxh3,
        .started_utc = mi->started_utc,
        .wall_seconds = mi->wall_seconds,
        .threads = mi->threads,
    };
    txs_manifest_state state;
    parts p = {0};
    int rc = fill_inputs(&m, &p, st);
    if (rc == TXS_OK) rc = fill_lists(&m, &p, mi);
    if (rc == TXS_OK) rc = fill_rules(&m, &p, mi, st);
    if (rc == TXS_OK) {
        fill_counts(&m, st);
        if (st->state) {
            fill_state(&state, st->state);
            m.state = &state;
        }
        txs_manifest_print(b, &m);
    }
    parts_free(&p);
    if (rc < 0) b->oom = 1;
    return b->oom ? TXS_E_NOMEM : TXS_OK;
}
