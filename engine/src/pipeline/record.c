/*
 * record.c: one record through the pipeline, in two stages.  Stage 1
 * (any worker): parse_record (frame check, parse), then a few records
 * later screen_parsed (the shard's home, sanctions in route.c, the
 * stateless rules), into the record's result and its batch's hit store.
 * Partitions (part_batch, one per thread) feed each record to the
 * per-account state of the accounts they own, fetching a few records
 * ahead (state_ahead).
 * The ordered stage (commit_record, the feeding thread, input order):
 * counts, the reject line, the account-state hits (the partitions' in a
 * fixed order, then the link stage; or the one table), order, score and
 * the alert (alert.c).
 *
 * Invariants: every framed record is counted once as read and exactly
 * once as screened or rejected (a shard run's foreign records as
 * shard_foreign); hits beyond TXS_MAX_HITS are counted as dropped; nothing
 * here allocates outside the batch arena, the slot's hit store and the
 * output buffers, which settle at a steady size.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_int.h"
#include "txs/shard.h"

/* How many records stage 1 parses before it screens the first of them
 * (txs__pipe_screen_batch). */
#define PARSE_AHEAD 4u
/* The ordered stage fetches a record's accounts' slots 3 x STATE_AHEAD
 * records ahead, the accounts 2 x, their events 1 x. */
#define STATE_AHEAD 4u

/* Fetch ahead for feeding record i to partition k (0: a single table):
 * the slots of record i + 3 x STATE_AHEAD, the accounts of i + 2 x, the
 * events of i + STATE_AHEAD (txs_state_prefetch). */
static void state_ahead(const txs_screener *s, unsigned k, const slot *sl, size_t i)
{
    for (int step = 0; step < 3; step++) {
        size_t j = i + STATE_AHEAD * (3u - (size_t)step);
        if (j < sl->nres && sl->res[j].why == NULL && sl->res[j].home)
            txs_state_prefetch(s->state, k, &sl->key[j], step);
    }
}

/* A rejected record: counted, and its line written when rejects are wanted. */
static void reject(txs_screener *s, txs_source_stats *ss, const txs_record *r,
                   const char *why)
{
    s->st.rejected++;
    ss->rejected++;
    if (s->o.rejects == NULL) return;
    txs_buf_reject(&s->rejects, ss->name, r->line, r->offset, why, r->raw);
}

/* alerts_by_rule: each rule once per alert, however many hits it made
 * (rule_stamp holds the alert number a rule was last counted in). */
static void count_rules(txs_screener *s, const txs_hit *h, size_t n)
{
    uint64_t stamp = s->st.alerts;
    for (size_t i = 0; i < n; i++) {
        if (h[i].kind != TXS_HIT_TYPOLOGY || h[i].rule >= s->st.nrules) continue;
        if (s->rule_stamp[h[i].rule] == stamp) continue;
        s->rule_stamp[h[i].rule] = stamp;
        s->st.alerts_by_rule[h[i].rule]++;
    }
}

/* Typology hits in rule order (stable: for one rule the originator's
 * account before the beneficiary's), after the sanctions hits, which keep
 * their order.  Stateless rules add theirs before the stateful ones, so
 * this restores the rule set's order; n is small. */
static void order_hits(txs_hit *h, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        txs_hit x = h[i];
        unsigned kx = x.kind == TXS_HIT_TYPOLOGY ? 1u + x.rule : 0u;
        size_t j = i;
        while (j > 0) {
            unsigned kj = h[j - 1].kind == TXS_HIT_TYPOLOGY ? 1u + h[j - 1].rule : 0u;
            if (kj <= kx) break;
            h[j] = h[j - 1];
            j--;
        }
        h[j] = x;
    }
}

/* The first half of stage 1 for one framed record: frame check and parse
 * into o (o->why set for a reject).  Runs on any worker. */
static int parse_record(worker *w, const txs_binding *bind, const txs_record *r, rec_res *o,
                        slot *sl)
{
    char why[256];
    txs__pipe_res_reset(o, sl);
    if (r->error != TXS_FRAME_OK) {
        o->why = r->detail ? r->detail : "malformed record";
        return TXS_OK;
    }
    if (txs_parse_record(bind, r, w->arena, &o->t, why, sizeof why) != 0) {
        o->why = txs_arena_dup(w->arena, why, strlen(why));
        return o->why ? TXS_OK : TXS_E_NOMEM;
    }
    o->keyed = w->sanc ? (uint8_t)txs__pipe_prefetch_sanctions(w, &o->t, o->nkey) : 0;
    return TXS_OK;
}

/* A hit whose rule left its evidence for later (text_pattern) gets it when
 * its transaction is written out (txs__pipe_commit_txn, on the feeding
 * thread).  When stage 1's hits alone already make an alert (the state's
 * hits can only add to a noisy-or score), or a shard run writes every
 * line, it is made here instead, on the worker, so that alert-heavy pattern
 * rules do not serialise their evidence.  Either way the same bytes. */
static int early_evidence(worker *w, const txs_txn *t, size_t nh)
{
    const txs_screener *s = w->s;
    size_t k = 0;
    while (k < nh && !w->hits[k].later) k++;
    if (k == nh) return TXS_OK;
    int score, band;
    txs_score(s->o.rules, w->hits, nh, &score, &band);
    if (band == TXS_BAND_NONE && s->o.shard_mode == TXS_STATE_ALL) return TXS_OK;
    for (; k < nh; k++) TXS_TRY(txs_rules_evidence(s->o.rules, t, w->arena, &w->hits[k]));
    return TXS_OK;
}

/* Stage 1 of a transaction already in o->t (parsed from a record, or read
 * from a payment message): sanctions and the stateless rules.  Hot path. */
int txs__pipe_screen_txn(worker *w, rec_res *o, slot *sl)
{
    const txs_screener *s = w->s;
    /* A shard run screens the records whose home it is, and feeds the
     * others only to the state of the accounts it owns (state.h). */
    if (s->o.shard_mode == TXS_STATE_SHARD)
        o->home = txs_shard_home(&o->t, s->o.shard_n) == s->o.shard_k;
    else if (s->o.shard_mode == TXS_STATE_GRAPH)
        o->home = 0;
    /* what every state partition reads of the record, computed once */
    if (sl->key) txs_state_key_of(s->state, &o->t, &sl->key[o - sl->res]);
    if (s->o.rules == NULL && w->sanc == NULL) return TXS_OK;
    size_t nh = 0, dropped = 0;
    if (o->home && (w->sanc || w->places)) {
        w->suppressed = 0;
        if (w->sanc)
            TXS_TRY(txs__pipe_screen_sanctions(w, &o->t, o->keyed ? o->nkey : NULL, &nh, &dropped));
        if (w->places || s->free_text) TXS_TRY(txs__pipe_screen_text(w, &o->t, &nh, &dropped));
        o->nsanc = (uint32_t)nh;
        o->suppressed = (uint32_t)w->suppressed;
    }
    if (s->o.rules && o->home) {
        TXS_TRY(txs_rules_eval(s->o.rules, &o->t, w->arena, w->hits, TXS_MAX_HITS, &nh,
                               &dropped));
        TXS_TRY(early_evidence(w, &o->t, nh));
    }
    o->dropped = (uint32_t)dropped;
    if (nh == 0) return TXS_OK;
    if (sl->nhits + nh > sl->hcap) {
        size_t cap = sl->hcap ? sl->hcap * 2 : 1024;
        while (cap < sl->nhits + nh) cap *= 2;
        txs_hit *v = realloc(sl->hits, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        sl->hits = v;
        sl->hcap = cap;
    }
    memcpy(sl->hits + sl->nhits, w->hits, nh * sizeof *w->hits);
    sl->nhits += nh;
    o->nh = (uint32_t)nh;
    return TXS_OK;
}

/* The second half of stage 1 for a parsed or mapped transaction (a
 * reject keeps its reason): its hits start at the slot's next one. */
static int screen_parsed(worker *w, rec_res *o, slot *sl)
{
    const char *why = o->why;
    txs__pipe_res_reset(o, sl);
    o->why = why;
    return why ? TXS_OK : txs__pipe_screen_txn(w, o, sl);
}

/* Stage 1 over a slot of payment transactions (already mapped). */
static void screen_mapped(worker *w, slot *sl)
{
    w->arena = &sl->batch.arena;
    sl->nhits = 0;
    sl->rc = TXS_OK;
    for (size_t i = 0; i < sl->nres; i++) {
        int rc = screen_parsed(w, &sl->res[i], sl);
        if (rc < 0) {
            sl->rc = rc;
            sl->nres = i;
            return;
        }
    }
}

/* Stage 1 over a whole batch (rebased first when it was detached). */
void txs__pipe_screen_batch(worker *w, const txs_binding *bind, slot *sl)
{
    if (sl->mapped) {
        screen_mapped(w, sl);
        return;
    }
    txs_batch_rebase(&sl->batch);
    w->arena = &sl->batch.arena;
    sl->nhits = 0;
    sl->rc = TXS_OK;
    /* Record i is parsed PARSE_AHEAD records before it is screened, so
     * that the name cache's lines for its names (a random line in 8 MiB
     * each, a wait for memory on most look-ups) arrive while the records
     * between are screened.  Each record is still screened in order. */
    size_t n = sl->batch.n, i = 0;
    for (size_t j = 0; j < n + PARSE_AHEAD; j++) {
        int rc = TXS_OK;
        if (j < n) rc = parse_record(w, bind, &sl->batch.rec[j], &sl->res[j], sl);
        if (rc == TXS_OK && j >= PARSE_AHEAD) {
            rc = screen_parsed(w, &sl->res[j - PARSE_AHEAD], sl);
            if (rc == TXS_OK) i = j - PARSE_AHEAD + 1;
        }
        if (rc < 0) {
            sl->rc = rc;
            break;
        }
    }
    sl->nres = i;
}

/* The account-state hits of record i of sl into s->shits: from the
 * partitions in rank order, then the link stage (state.h); or from the
 * one table.  Returns how many; *late and *dropped are updated. */
static int state_hits(txs_screener *s, const slot *sl, size_t i, txs_arena *a, size_t *ns,
                      size_t *dropped, int *late)
{
    const rec_res *o = &sl->res[i];
    *ns = 0;
    if ((s->nparts == 0 || sl->po == NULL) && sl->key)
        return txs_state_eval_key(s->state, &o->t, &sl->key[i], a, s->shits, TXS_MAX_HITS, ns,
                                  dropped, late);
    if (s->nparts == 0 || sl->po == NULL)
        return txs_state_eval(s->state, &o->t, a, s->shits, TXS_MAX_HITS, ns, dropped, late);
    int lt = 0;
    for (unsigned r = 0; r < 4; r++)
        for (unsigned k = 0; k < s->nparts; k++) {
            const part_rec *pr = &sl->po[k].rec[i];
            if (pr->rank != r) continue;
            for (unsigned j = 0; j < pr->n; j++) {
                if (*ns < TXS_MAX_HITS) s->shits[(*ns)++] = sl->po[k].hits[pr->off + j];
                else (*dropped)++;
            }
        }
    for (unsigned k = 0; k < s->nparts; k++) {
        lt |= sl->po[k].rec[i].late;
        *dropped += sl->po[k].rec[i].dropped;
    }
    *late = lt;
    return txs_state_eval_link(s->state, &o->t, &sl->key[i], sl->lk ? &sl->lk[i] : NULL, lt, a,
                               s->shits, TXS_MAX_HITS, ns, dropped);
}

/* The ordered stage of record i of sl, in input order: counts, rejects,
 * the stateful rules (per-account state), score and the alert line. */
static int commit_record(txs_screener *s, txs_source_stats *ss, const slot *sl, size_t i,
                         txs_arena *a)
{
    const rec_res *o = &sl->res[i];
    if (o->why) {
        s->st.read++;
        ss->read++;
        if (!sl->mapped) {
            reject(s, ss, &sl->batch.rec[i], o->why);
        } else {   /* a payment reject, its line as feed_payments writes it */
            s->st.rejected++;
            ss->rejected++;
            if (s->o.rejects) txs_buf_puts(&s->rejects, o->why);
        }
        return TXS_OK;
    }
    return txs__pipe_commit_txn(s, ss, sl, i, a);
}

/* The ordered stage of a screened transaction (res[i] of sl, no reject):
 * counts, the stateful rules, score and the alert line. */
int txs__pipe_commit_txn(txs_screener *s, txs_source_stats *ss, const slot *sl, size_t i,
                         txs_arena *a)
{
    const rec_res *o = &sl->res[i];
    s->st.read++;
    ss->read++;
    if (!o->home) {
        s->st.read--;
        ss->read--;
        s->st.shard_foreign++;
    } else {
        s->st.screened++;
    }
    if (s->o.rules == NULL && !s->sanc_on) return TXS_OK;
    size_t nh = o->nh, dropped = o->dropped, nsanc = 0;
    if (o->home && (s->sanc_on || s->places_on)) {
        s->st.sanctions_hits += o->nsanc;
        s->st.sanctions_suppressed += o->suppressed;
        nsanc = o->nsanc - o->suppressed; /* the hits that count */
        s->st.sanctions_txns += nsanc > 0;
    }
    if (nh) memcpy(s->hits, sl->hits + o->hit0, nh * sizeof *s->hits);
    if (s->state) {
        /* The state judges with room of its own, so what it keeps never
         * depends on how many hits stage 1 found; the record keeps the
         * first TXS_MAX_HITS in rule order. */
        size_t ns = 0;
        int late = 0;
        TXS_TRY(state_hits(s, sl, i, a, &ns, &dropped, &late));
        s->st.late_records += (uint64_t)late;
        if (ns) {
            memcpy(s->hits + nh, s->shits, ns * sizeof *s->hits);
            nh += ns;
            order_hits(s->hits, nh);
            if (nh > TXS_MAX_HITS) {
                dropped += nh - TXS_MAX_HITS;
                nh = TXS_MAX_HITS;
            }
        }
    }
    if (nh == 0) return TXS_OK;
    s->st.hits += nh;
    s->st.hits_dropped += dropped;
    int score, band;
    txs_score(s->o.rules, s->hits, nh, &score, &band);
    if (band == TXS_BAND_NONE && s->o.shard_mode == TXS_STATE_ALL) {
        s->st.txns_hit_below_band++;
        return TXS_OK;
    }
    /* written out: the hits whose rule left their evidence for now */
    for (size_t k = 0; s->o.rules && k < nh; k++)
        TXS_TRY(txs_rules_evidence(s->o.rules, &o->t, a, &s->hits[k]));
    if (band == TXS_BAND_NONE) { /* a shard run: merge decides */
        s->st.txns_hit_below_band++;
        return txs__pipe_emit_alert(s, ss, &o->t, nh, score, band);
    }
    s->st.alerts++;
    s->st.alerts_by_band[band]++;
    s->st.sanctions_alerts += nsanc > 0;
    if (s->o.rules) count_rules(s, s->hits, nh);
    return txs__pipe_emit_alert(s, ss, &o->t, nh, score, band);
}

/* The ordered stage of a batch that went through stage 1 (and the
 * partitions): its records up to where stage 1 stopped, then stage 1's
 * status. */
int txs__pipe_commit_batch(txs_screener *s, txs_source_stats *ss, slot *sl)
{
    for (unsigned k = 0; sl->po && k < s->nparts; k++)
        if (sl->po[k].rc < 0) return sl->po[k].rc;
    /* A single-table state is fed here, in input order; each record's
     * accounts are fetched ahead in three steps (txs_state_prefetch), so
     * that feeding one does not wait on memory for each of its lookups. */
    const int ahead = s->state && s->nparts == 0 && sl->key;
    for (size_t i = 0; i < sl->nres; i++) {
        if (ahead) state_ahead(s, 0, sl, i);
        if (!sl->mapped) ss->plain_bytes = sl->batch.rec[i].offset + sl->batch.rec[i].raw.n;
        TXS_TRY(commit_record(s, ss, sl, i, &sl->batch.arena));
    }
    atomic_store_explicit(&s->progress, s->st.read, memory_order_relaxed);
    return sl->rc;
}

/* Partition k of the account state over a batch through stage 1: every
 * record in order, the accounts k owns (state.h).  Runs on k's thread. */
void txs__pipe_part_batch(txs_screener *s, unsigned k, slot *sl)
{
    part_out *po = &sl->po[k];
    txs_arena_reset(&po->arena);
    po->n = 0;
    po->rc = TXS_OK;
    for (size_t i = 0; i < sl->nres; i++) {
        const rec_res *o = &sl->res[i];
        part_rec *pr = &po->rec[i];
        *pr = (part_rec){(uint32_t)po->n, 0, 4, 0, 0};
        state_ahead(s, k, sl, i);
        if (o->why || !o->home) continue;
        if (po->n + TXS_MAX_HITS > po->cap) {
            size_t cap = po->cap ? po->cap * 2 : 4 * TXS_MAX_HITS;
            txs_hit *v = realloc(po->hits, cap * sizeof *v);
            if (v == NULL) {
                po->rc = TXS_E_NOMEM;
                return;
            }
            po->hits = v;
            po->cap = cap;
        }
        size_t nh = 0, dropped = 0;
        int late = 0, rank = 4;
        int rc = txs_state_eval_part(s->state, k, &o->t, &sl->key[i], &po->arena,
                                     po->hits + po->n, TXS_MAX_HITS, &nh, &dropped, &late,
                                     &rank, sl->lk ? &sl->lk[i] : NULL);
        if (rc < 0) {
            po->rc = rc;
            return;
        }
        pr->n = (uint8_t)nh;
        pr->rank = (uint8_t)rank;
        pr->late = (uint8_t)late;
        pr->dropped = (uint8_t)dropped;
        po->n += nh;
    }
}
