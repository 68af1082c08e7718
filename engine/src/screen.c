/*
 * screen.c: the pipeline driver (screen.h).  For each source: pick the
 * format, attach a reader, bind the profile to the header, then for every
 * batch run parse -> sanctions + rules -> score on each record and hand the
 * batch's alert and reject lines to the sinks in one write each.
 *
 * Sanctions hits (screen/sanctions.c) carry their whole JSON object in the
 * hit's evidence, written into the batch arena when the hit is made, so
 * emit_hit copies it verbatim and typology hits are written exactly as
 * before.
 *
 * Thresholds: the sanctions screener is created at the lowest threshold in
 * force (the name threshold, or a lower per-list one), and each match is
 * then held to its own bar here: per list, else by kind.  A good-guy row
 * (goodguys.c) marks a hit suppressed: its JSON says so and by which row,
 * and its txs_hit scores 0, so it never raises an alert on its own.
 *
 * Free text: with `sanctions: {free_text: true}` purpose and both addresses
 * are screened for list names (txs_sanctions_text, at the text bar); with
 * `sanctions: {places:}` for sanctioned places (screen/places.c), which
 * need no lists.
 *
 * Invariants: every record the reader frames is counted once as read and
 * exactly once as screened or rejected; alerts and rejects come out in input
 * order; nothing on the per-record path allocates outside the batch arena
 * and the two output buffers (which reach a steady size after a few batches).
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/lists.h"
#include "txs/norm.h"
#include "txs/screen.h"
#include "txs/shard.h"
#include "txs/state.h"
#include "txs/values.h"
#include "screen/places.h"

/* One record after stage 1 (parse, sanctions, stateless rules), kept with
 * its batch until the ordered stage consumes it. */
typedef struct rec_res {
    txs_txn t;               /* valid when why == NULL */
    const char *why;         /* reject reason (batch arena or static), or NULL */
    uint32_t hit0;           /* its hits: the slot's hits[hit0 .. hit0 + nh) */
    uint32_t nh;
    uint32_t nsanc;          /* of them sanctions hits (suppressed ones too) */
    uint32_t suppressed;     /* of those, suppressed by a good-guy row */
    uint32_t dropped;        /* hits beyond TXS_MAX_HITS */
    uint8_t home;            /* a shard run: this shard screens it */
} rec_res;

/* One record's account-state hits from one partition (state.h). */
typedef struct part_rec {
    uint32_t off;            /* its hits: the partition's hits[off .. off + n) */
    uint8_t n, rank, late, dropped;
} part_rec;

/* What one partition of the account state made of a batch. */
typedef struct part_out {
    txs_arena arena;         /* its hits' evidence */
    txs_hit *hits;
    size_t n, cap;
    part_rec *rec;           /* [TXS_BATCH_RECORDS] */
    int rc;
} part_out;

/* A batch in flight: the framed records and, after stage 1, each record's
 * txn (slices into the batch's copy and arena) and hits; with a
 * partitioned state, then each partition's hits and the link hand-off. */
typedef struct slot {
    txs_batch batch;
    rec_res *res;            /* [TXS_BATCH_RECORDS] */
    txs_hit *hits;           /* every record's stage-1 hits, in order */
    size_t nhits, hcap;
    size_t nres;             /* records through stage 1 (batch.n unless rc) */
    int rc;                  /* stage 1: 0, or the status it stopped with */
    int done;                /* stage 1 finished (threads) */
    unsigned pdone;          /* partitions through it (threads) */
    part_out *po;            /* [nparts], NULL: state not partitioned */
    txs_state_key *key;      /* [TXS_BATCH_RECORDS], stage 1 computes them */
    txs_state_link *lk;      /* [TXS_BATCH_RECORDS] */
} slot;

/* What stage 1 needs per thread: its own sanctions screener (one Hyperscan
 * scratch), place scanner, normaliser and hit buffers.  The configuration
 * it reads (thresholds, rule set, good guys) is the screener's, shared
 * read-only. */
typedef struct worker {
    const struct txs_screener *s;
    txs_sanctions *sanc;        /* NULL: no lists */
    txs__places *places;        /* NULL: no place screening */
    txs_norm *nz;               /* good guys: normalises the party's name */
    txs_norm_name *gq;
    txs_arena *arena;           /* the arena of the batch being screened */
    txs_buf hitbuf;             /* one sanctions hit's JSON, then copied */
    size_t suppressed;          /* this record's suppressed hits */
    char explain[1024];
    txs_hit hits[TXS_MAX_HITS];
} worker;

struct txs_screener {
    txs_screen_opts o;
    txs_reader *reader[2];      /* by txs_format, created on first use */
    slot one;                   /* the single-threaded path's batch */
    txs_buf alerts, rejects;
    txs_screen_stats st;
    uint64_t *rule_stamp;       /* last alert number each rule was counted in */
    txs_hit hits[2 * TXS_MAX_HITS]; /* the ordered stage's hits of one record */
    txs_hit shits[TXS_MAX_HITS];    /* its account-state hits */
    double th_name, th_ident, th_text; /* bars by hit kind */
    double low;                 /* the lowest name bar (screeners' threshold) */
    int free_text;              /* screen purpose and addresses for names */
    int sanc_on, places_on;     /* lists given; places configured */
    const txs_sanctions_place *place_tab;
    size_t nplaces;
    double place_weight;
    const txs_ruleset_sanctions *cfg; /* per-list bars; NULL: none */
    txs_state *state;           /* NULL: no stateful rules */
    unsigned nparts;            /* its partitions (threads), 0: one table */
    int link;                   /* the rule set has graph kinds: link hand-off */
    unsigned nthreads;          /* workers: 1 = single-threaded */
    worker *w;                  /* [nw]: w[0] always, the rest on demand */
    size_t nw;
    slot *ring;                 /* threads: batches in flight */
    size_t nring;
};

static int worker_init(const txs_screener *s, worker *w)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    if (s->o.good_guys) {
        w->nz = txs_norm_new();
        w->gq = malloc(sizeof *w->gq);
        if (w->nz == NULL || w->gq == NULL) return TXS_E_NOMEM;
    }
    /* A list or place table that cannot be opened (a snapshot compiled for
     * another CPU, say) is explained in the caller's diag when it gave one. */
    txs_diag scratch = {{0}, 0, {0}}, *d = s->o.diag ? s->o.diag : &scratch;
    if (s->places_on) TXS_TRY(txs__places_create(s->place_tab, s->nplaces, &w->places, d));
    if (s->sanc_on) TXS_TRY(txs_sanctions_create(s->o.lists, s->o.nlists, s->low, &w->sanc, d));
    return TXS_OK;
}

static void worker_free(worker *w)
{
    txs_buf_free(&w->hitbuf);
    txs_sanctions_free(w->sanc);
    txs__places_free(w->places);
    txs_norm_free(w->nz);
    free(w->gq);
}

static int slot_init(slot *sl)
{
    memset(sl, 0, sizeof *sl);
    txs_batch_init(&sl->batch);
    sl->res = malloc(TXS_BATCH_RECORDS * sizeof *sl->res);
    return sl->res ? TXS_OK : TXS_E_NOMEM;
}

/* The partitions' outputs of a ring slot, and the link hand-off when the
 * rule set has graph kinds (link). */
static int slot_parts(slot *sl, unsigned np, int link)
{
    sl->po = calloc(np, sizeof *sl->po);
    sl->key = malloc(TXS_BATCH_RECORDS * sizeof *sl->key);
    sl->lk = link ? malloc(TXS_BATCH_RECORDS * sizeof *sl->lk) : NULL;
    if (sl->po == NULL || sl->key == NULL || (link && sl->lk == NULL)) return TXS_E_NOMEM;
    for (unsigned k = 0; k < np; k++) {
        txs_arena_init(&sl->po[k].arena, 0);
        sl->po[k].rec = malloc(TXS_BATCH_RECORDS * sizeof *sl->po[k].rec);
        if (sl->po[k].rec == NULL) return TXS_E_NOMEM;
    }
    return TXS_OK;
}

static void slot_free(slot *sl, unsigned np)
{
    txs_batch_free(&sl->batch);
    free(sl->res);
    free(sl->hits);
    for (unsigned k = 0; sl->po && k < np; k++) {
        txs_arena_free(&sl->po[k].arena);
        free(sl->po[k].hits);
        free(sl->po[k].rec);
    }
    free(sl->po);
    free(sl->key);
    free(sl->lk);
}

/* The bar an identifier (BIC) hit must reach.  Exact identifier matches
 * score 1.0; anything lower would be a fuzzy identifier, which is not a
 * hit (docs/rules.md "Sanctions thresholds"). */
#define SANC_ID_THRESHOLD 0.99

/* Sanctions hits kept per screened field (best first). */
#define SANC_PER_FIELD 3
/* Added to a party-name hit when the same party's identifier (BIC, wallet,
 * IBAN) is listed for that entity: two independent pieces agree. */
#define SANC_IDENT_BONUS 0.10

/* Name bar: CLI, else the rule set's, else the default; identifier bar:
 * the rule set's, else SANC_ID_THRESHOLD.  Returns the lowest name bar in
 * force (per-list bars included), the one candidates are scored against. */
static double set_thresholds(txs_screener *s)
{
    const txs_ruleset_sanctions *c = s->o.rules ? txs_ruleset_sanctions_cfg(s->o.rules) : NULL;
    s->th_name = s->o.sanctions_threshold > 0 ? s->o.sanctions_threshold
                 : c && c->name > 0          ? c->name
                                             : TXS_SANCTIONS_THRESHOLD;
    s->th_ident = c && c->identifier > 0 ? c->identifier : SANC_ID_THRESHOLD;
    s->th_text = c && c->text > 0 ? c->text : TXS_SANCTIONS_TEXT_THRESHOLD;
    s->free_text = c && c->free_text;
    s->cfg = c && c->nlists ? c : NULL;
    double low = s->th_name;
    for (size_t i = 0; s->cfg && i < c->nlists; i++)
        if (c->lists[i].threshold < low) low = c->lists[i].threshold;
    return low;
}

double txs_screener_name_threshold(const txs_screener *s) { return s->th_name; }

int txs_screener_create(const txs_screen_opts *opts, txs_screener **out)
{
    *out = NULL;
    txs_screener *s = calloc(1, sizeof *s);
    if (s == NULL) return TXS_E_NOMEM;
    s->o = *opts;
    s->nthreads = opts->threads > 1 ? opts->threads : 1;
    if (s->nthreads > TXS_MAX_THREADS) s->nthreads = TXS_MAX_THREADS;
    s->low = set_thresholds(s);
    const txs_ruleset_sanctions *c = opts->rules ? txs_ruleset_sanctions_cfg(opts->rules) : NULL;
    if (c && c->nplaces) {
        s->places_on = 1;
        s->place_tab = c->places;
        s->nplaces = c->nplaces;
        s->place_weight = c->places_weight;
    }
    s->sanc_on = opts->nlists > 0;
    int rc = slot_init(&s->one);
    s->w = calloc(s->nthreads, sizeof *s->w);
    if (rc == TXS_OK && s->w == NULL) rc = TXS_E_NOMEM;
    if (rc == TXS_OK) {
        s->nw = 1;
        rc = worker_init(s, &s->w[0]);
    }
    if (rc == TXS_OK && opts->rules && txs_ruleset_stateful(opts->rules)) {
        /* With threads, the account state is partitioned across as many
         * threads as stage 1 has (state.h "Partitions"). */
        unsigned np = s->nthreads > 1 && opts->shard_mode == TXS_STATE_ALL ? s->nthreads : 0;
        if (np > TXS_STATE_PARTS_MAX) np = TXS_STATE_PARTS_MAX;
        txs_state_opts so = {opts->max_lateness < 0 ? TXS_STATE_LATENESS_DEFAULT
                                                    : opts->max_lateness,
                             opts->shard_mode, opts->shard_k, opts->shard_n, np};
        rc = txs_state_create(opts->rules, &so, &s->state);
        if (rc == TXS_OK) s->nparts = txs_state_parts(s->state);
        if (rc == TXS_OK) s->link = txs_state_needs_link(s->state);
    }
    if (rc == TXS_OK && opts->rules) {
        s->st.nrules = txs_ruleset_count(opts->rules);
        s->st.alerts_by_rule = calloc(s->st.nrules + 1, sizeof(uint64_t));
        s->rule_stamp = calloc(s->st.nrules + 1, sizeof(uint64_t));
        if (s->st.alerts_by_rule == NULL || s->rule_stamp == NULL) rc = TXS_E_NOMEM;
    }
    if (rc < 0) {
        txs_screener_free(s);
        return rc;
    }
    *out = s;
    return TXS_OK;
}

void txs_screener_free(txs_screener *s)
{
    if (s == NULL) return;
    txs_reader_free(s->reader[0]);
    txs_reader_free(s->reader[1]);
    slot_free(&s->one, 0);
    for (size_t i = 0; i < s->nring; i++) slot_free(&s->ring[i], s->nparts);
    free(s->ring);
    for (size_t i = s->nw; i-- > 0;) worker_free(&s->w[i]); /* w[0]'s name cache last */
    free(s->w);
    txs_buf_free(&s->alerts);
    txs_buf_free(&s->rejects);
    free(s->st.alerts_by_rule);
    free(s->st.sources);
    free(s->rule_stamp);
    txs_state_free(s->state);
    free(s);
}

const txs_screen_stats *txs_screener_stats(const txs_screener *s)
{
    return &s->st;
}

txs_state *txs_screener_state(txs_screener *s)
{
    return s->state;
}

unsigned txs_screener_threads(const txs_screener *s)
{
    return s->nthreads;
}

/* The format for a source: forced, or by file name, else the profile's. */
static txs_format format_for(const txs_screener *s, const char *name)
{
    return txs_profile_format_for(s->o.profile, s->o.format, name);
}

static int reader_for(txs_screener *s, txs_format fmt, txs_reader **out)
{
    if (s->reader[fmt] == NULL) {
        txs_reader_opts ro;
        TXS_TRY(txs_profile_reader_opts(s->o.profile, fmt, &ro));
        TXS_TRY(txs_reader_create(&ro, &s->reader[fmt]));
    }
    *out = s->reader[fmt];
    return TXS_OK;
}

static void reject(txs_screener *s, txs_source_stats *ss, const txs_record *r,
                   const char *why)
{
    s->st.rejected++;
    ss->rejected++;
    if (s->o.rejects == NULL) return;
    txs_buf_reject(&s->rejects, ss->name, r->line, r->offset, why, r->raw);
}

static void put_key_str(txs_buf *b, const char *key, txs_slice v)
{
    txs_buf_puts(b, key);
    txs_buf_json_str(b, v.p, v.n);
}

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

static void emit_hit(txs_buf *b, const txs_ruleset *rs, const txs_hit *h)
{
    if (h->kind == TXS_HIT_SANCTIONS) { /* the object was written at hit time */
        txs_buf_put(b, h->evidence.p, h->evidence.n);
        return;
    }
    const txs_rule_info *ri =
        h->kind == TXS_HIT_TYPOLOGY ? txs_ruleset_rule(rs, h->rule) : NULL;
    txs_buf_puts(b, h->kind == TXS_HIT_SANCTIONS ? "{\"kind\":\"sanctions\""
                                                 : "{\"kind\":\"typology\"");
    if (ri) {
        txs_buf_puts(b, ",\"rule\":");
        txs_buf_json_str(b, ri->id, strlen(ri->id));
        txs_buf_puts(b, ",\"rule_kind\":");
        txs_buf_json_str(b, ri->kind, strlen(ri->kind));
        txs_buf_puts(b, ",\"weight\":");
        txs_buf_json_num(b, ri->weight);
    }
    txs_buf_puts(b, ",\"score\":");
    txs_buf_json_num(b, h->score);
    if (h->account.n) put_key_str(b, ",\"account\":", h->account);
    if (ri) {
        txs_buf_puts(b, ",\"reason\":");
        txs_buf_json_str(b, ri->reason, strlen(ri->reason));
    }
    if (h->evidence.n) {
        txs_buf_puts(b, ",\"evidence\":");
        txs_buf_put(b, h->evidence.p, h->evidence.n);
    }
    txs_buf_putc(b, '}');
}

static void emit_alert(txs_screener *s, const txs_source_stats *ss,
                       const txs_txn *t, size_t nh, int score, int band)
{
    txs_buf *b = &s->alerts;
    char ts[21], amt[48];
    const txs_currency *cur = txs_currency_get(t->currency);
    txs_ts_format(t->ts, ts);
    int k = txs_amount_format(t->amount, cur ? cur->exponent : 0, amt, sizeof amt);
    put_key_str(b, "{\"txn_id\":", t->txn_id);
    txs_buf_printf(b, ",\"timestamp\":\"%s\",\"score\":%d,\"band\":\"%s\"", ts,
                   score, txs_band_name(band));
    txs_buf_puts(b, ",\"accounts\":[");
    if (t->orig.account.n) txs_buf_json_str(b, t->orig.account.p, t->orig.account.n);
    if (t->bene.account.n) {
        if (t->orig.account.n) txs_buf_putc(b, ',');
        txs_buf_json_str(b, t->bene.account.p, t->bene.account.n);
    }
    txs_buf_puts(b, "],\"amount\":");
    txs_buf_json_str(b, amt, k > 0 ? (size_t)k : 0);
    txs_buf_printf(b, ",\"currency\":\"%s\",\"channel\":\"%s\",\"source\":{\"file\":",
                   cur ? cur->code : "", txs_channel_name(t->channel));
    txs_buf_json_str(b, ss->name, strlen(ss->name));
    txs_buf_printf(b, ",\"line\":%llu},\"hits\":[", (unsigned long long)t->line);
    for (size_t i = 0; i < nh; i++) {
        if (i) txs_buf_putc(b, ',');
        emit_hit(b, s->o.rules, &s->hits[i]);
    }
    txs_buf_puts(b, "]}\n");
}

/* ------------------------------------------------------------ sanctions */

static void put_lit(txs_buf *b, const char *key, const char *v)
{
    txs_buf_puts(b, key);
    txs_buf_json_str(b, v, strlen(v));
}

/* list, list_version, entry_id, entry_name, entry_type, program. */
static void put_entry(txs_buf *b, const txs_lists *l, uint32_t entity)
{
    txs_entity e;
    txs_list_source src;
    txs_lists_entity(l, entity, &e);
    txs_lists_source(l, e.source, &src);
    put_key_str(b, ",\"list\":", src.list);
    if (src.date.n) {
        put_key_str(b, ",\"list_version\":", src.date);
    } else { /* no stated date: cite the file's bytes */
        txs_buf_puts(b, ",\"list_version\":\"sha256:");
        for (int i = 0; i < 6; i++) txs_buf_printf(b, "%02x", src.sha256[i]);
        txs_buf_putc(b, '"');
    }
    put_key_str(b, ",\"entry_id\":", e.id);
    put_key_str(b, ",\"entry_name\":", e.name);
    put_lit(b, ",\"entry_type\":", txs_entity_type_name((int)e.type));
    txs_buf_puts(b, ",\"program\":\"");
    int k = 0;
    for (uint32_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        if (f.kind != TXS_F_PROGRAM) continue;
        if (k++) txs_buf_putc(b, ';');
        size_t at = b->n;
        txs_buf_json_str(b, f.value.p, f.value.n); /* escaped, then unquoted */
        if (!b->oom && b->n >= at + 2) {
            memmove(b->p + at, b->p + at + 1, b->n - at - 2);
            b->n -= 2;
        }
    }
    txs_buf_putc(b, '"');
}

static int slice_is(txs_slice a, const char *z)
{
    size_t n = strlen(z);
    return a.n == n && memcmp(a.p, z, n) == 0;
}

/* The bar match m must reach: its list's, else its kind's. */
static double bar_for(const txs_screener *s, const txs_sanctions_match *m, txs_slice list,
                      int text)
{
    if (m->name == UINT32_MAX) return s->th_ident;
    if (text) return s->th_text;
    for (size_t i = 0; s->cfg && i < s->cfg->nlists; i++)
        if (slice_is(list, s->cfg->lists[i].list)) return s->cfg->lists[i].threshold;
    return s->th_name;
}

/* The good-guy row suppressing entry `id` for party p, or NULL.  The name
 * is normalised only here, when a hit already happened, so clean records
 * pay nothing for the list. */
static const txs_goodguy *good_guy(worker *w, const txs_party *p, txs_slice id)
{
    if (w->s->o.good_guys == NULL || p == NULL) return NULL;
    txs_slice nm = {"", 0};
    if (p->name.n && txs_norm_name_of(w->nz, p->name.p, p->name.n, TXS_NAME_ANY, w->gq) == 0)
        nm = (txs_slice){w->gq->text, w->gq->len};
    return txs_goodguys_find(w->s->o.good_guys, p->account, nm, id);
}

static void put_suppressed(txs_buf *b, const txs_goodguy *g)
{
    put_key_str(b, ",\"suppressed\":true,\"suppressed_by\":{\"party\":", g->party);
    put_key_str(b, ",\"entry_id\":", g->entry_id);
    put_key_str(b, ",\"note\":", g->note);
    txs_buf_putc(b, '}');
}

/* One screened field: its name in hits, its value, and its party (whose
 * account and name a good-guy row is matched against). */
typedef struct sfield {
    const char *name;
    txs_slice value;
    const txs_party *party; /* NULL for purpose: no party to clear */
    int text;               /* free text: the text bar and explanation */
    int ident;              /* an identifier: its txs_id_kind + 1; 0 for names */
} sfield;

/* How an identifier hit explains itself, by txs_id_kind. */
static const char *ident_explain(int ident)
{
    switch (ident - 1) {
    case TXS_ID_SWIFT_BIC: return "exact SWIFT/BIC identifier match | score 1.00";
    case TXS_ID_CRYPTO: return "exact digital currency address match | score 1.00";
    case TXS_ID_IMO: return "exact IMO number match | score 1.00";
    case TXS_ID_MMSI: return "exact MMSI number match | score 1.00";
    case TXS_ID_IBAN: return "exact IBAN identifier match | score 1.00";
    default: return "exact identifier match | score 1.00";
    }
}

/* Whether one of party p's identifiers (its bank's BIC, its account as a
 * wallet or an IBAN) is listed for match m's entity. */
static int ident_agrees(worker *w, const txs_party *p, const txs_sanctions_match *m)
{
    txs_sanctions_match x[SANC_PER_FIELD * 2];
    size_t k = 0;
    if (p == NULL) return 0;
    if (p->bank.n) k = txs_sanctions_bic(w->sanc, p->bank, x, SANC_PER_FIELD);
    if (p->account.n >= 25)
        k += txs_sanctions_ident(w->sanc, TXS_ID_CRYPTO, p->account, x + k, SANC_PER_FIELD);
    if (k < SANC_PER_FIELD)
        k += txs_sanctions_iban(w->sanc, p->account, NULL, x + k, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++)
        if (x[i].list == m->list && x[i].entity == m->entity) return 1;
    return 0;
}

/* What a hit rests on (txs_sanctions_ev), and its score: a party name
 * whose entity the same party's identifier also hit is raised by
 * SANC_IDENT_BONUS (docs/matching.md "Bands of sanctions alerts"). */
static int sanc_evidence(worker *w, const txs_sanctions_match *m, const sfield *f, double *score)
{
    if (m->name == UINT32_MAX) return TXS_EV_IDENTIFIER;
    if (f->text) /* the window's score: no qualifiers in free text */
        return m->score >= 0.9999                     ? TXS_EV_EXACT
               : m->score >= TXS_SANCTIONS_NEAR_EXACT ? TXS_EV_NEAR_EXACT
                                                      : TXS_EV_FUZZY;
    if (ident_agrees(w, f->party, m)) {
        *score = *score + SANC_IDENT_BONUS > 1.0 ? 1.0 : *score + SANC_IDENT_BONUS;
        return TXS_EV_NAME_IDENT;
    }
    txs_sanctions_party ctx = {{0, 0}, TXS_NAME_ANY, 0};
    if (f->party) memcpy(ctx.country, f->party->country, 2);
    return txs_sanctions_evidence(w->sanc, f->value.p, f->value.n, &ctx, m);
}

/* Write one sanctions hit's JSON into the arena and append the hit, unless
 * it is under its bar. */
static int add_sanc_hit(worker *w, const txs_sanctions_match *m, const sfield *f,
                        size_t *n, size_t *dropped)
{
    const txs_lists *l = txs_sanctions_lists(w->sanc, m->list);
    txs_entity e;
    txs_list_source src;
    txs_lists_entity(l, m->entity, &e);
    txs_lists_source(l, e.source, &src);
    if (m->score < bar_for(w->s, m, src.list, f->text)) return TXS_OK;
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    double raw = m->score;
    int ev = sanc_evidence(w, m, f, &raw);
    double score = floor(raw * 10000.0 + 0.5) / 10000.0;
    const txs_goodguy *g = good_guy(w, f->party, e.id);
    txs_buf *b = &w->hitbuf;
    b->n = 0;
    txs_buf_puts(b, f->text ? "{\"kind\":\"sanctions\",\"rule\":\"sanctions_text\",\"score\":"
                            : "{\"kind\":\"sanctions\",\"rule\":\"sanctions\",\"score\":");
    txs_buf_json_num(b, score);
    put_entry(b, l, m->entity);
    put_lit(b, ",\"field\":", f->name);
    put_key_str(b, ",\"value\":", f->value);
    if (m->name == UINT32_MAX) {
        put_key_str(b, ",\"matched_name\":", f->value);
        put_lit(b, ",\"explain\":", ident_explain(f->ident));
    } else {
        put_key_str(b, ",\"matched_name\":", txs_sanctions_name_text(w->sanc, m));
        if (f->text)
            txs_sanctions_explain_text(w->sanc, f->value.p, f->value.n, m, w->explain,
                                       sizeof w->explain);
        else
        {
            txs_sanctions_party ctx = {{0, 0}, TXS_NAME_ANY, 0};
            if (f->party) memcpy(ctx.country, f->party->country, 2);
            txs_sanctions_explain_ctx(w->sanc, f->value.p, f->value.n, &ctx, m, w->explain,
                                      sizeof w->explain);
            size_t el = strlen(w->explain);
            if (ev == TXS_EV_NAME_IDENT)
                snprintf(w->explain + el, sizeof w->explain - el,
                         " | the party's identifier is listed for this entry +%.2f | score %.2f",
                         SANC_IDENT_BONUS, raw);
        }
        put_lit(b, ",\"explain\":", w->explain);
    }
    put_lit(b, ",\"evidence\":", txs_sanctions_evidence_name(ev));
    if (g) put_suppressed(b, g);
    txs_buf_putc(b, '}');
    if (b->oom) return TXS_E_NOMEM;
    char *js = txs_arena_dup(w->arena, b->p, b->n);
    if (js == NULL) return TXS_E_NOMEM;
    w->suppressed += g != NULL;
    unsigned may = ev == TXS_EV_FUZZY || ev == TXS_EV_WEAK_ALIAS || ev == TXS_EV_AGAINST
                       ? 0u
                       : TXS_SANC_MAY_BLOCK;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, (uint16_t)may, g ? 0.0 : score, {"", 0},
                                {js, b->n}};
    return TXS_OK;
}

static int sanc_name(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    txs_sanctions_party ctx = {{0, 0}, TXS_NAME_ANY, 0};
    if (f->party) memcpy(ctx.country, f->party->country, 2);
    size_t k = f->value.n ? txs_sanctions_name_ctx(w->sanc, f->value.p, f->value.n, &ctx, m,
                                                   SANC_PER_FIELD)
                          : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

static int sanc_text(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = f->value.n ? txs_sanctions_text(w->sanc, f->value.p, f->value.n, w->s->th_text, m,
                                               SANC_PER_FIELD)
                          : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

/* One sanctioned-place hit: fixed score 1 (an exact token match), weighted
 * by the rule set's places weight. */
static int add_place_hit(worker *w, uint32_t place, const sfield *f, size_t *n,
                         size_t *dropped)
{
    const txs_sanctions_place *p = &w->s->place_tab[place];
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    txs_buf *b = &w->hitbuf;
    b->n = 0;
    txs_buf_puts(b, "{\"kind\":\"sanctions\",\"rule\":\"sanctioned_place\",\"score\":1");
    txs_buf_puts(b, ",\"weight\":");
    txs_buf_json_num(b, w->s->place_weight);
    put_lit(b, ",\"place\":", p->place);
    put_lit(b, ",\"field\":", f->name);
    put_key_str(b, ",\"value\":", f->value);
    put_lit(b, ",\"source\":", p->source);
    put_lit(b, ",\"date\":", p->date);
    txs_buf_putc(b, '}');
    if (b->oom) return TXS_E_NOMEM;
    char *ev = txs_arena_dup(w->arena, b->p, b->n);
    if (ev == NULL) return TXS_E_NOMEM;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, TXS_SANC_MAY_BLOCK, w->s->place_weight,
                                {"", 0}, {ev, b->n}};
    return TXS_OK;
}

static int place_text(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    uint32_t pl[8];
    size_t k = f->value.n ? txs__places_scan(w->places, f->value.p, f->value.n, pl, 8) : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_place_hit(w, pl[i], f, n, dropped));
    return TXS_OK;
}

/* Purpose and addresses: list names (free_text) and places. */
static int screen_text(worker *w, const txs_txn *t, size_t *n, size_t *dropped)
{
    const sfield fs[3] = {{"purpose", t->purpose, NULL, 1, 0},
                          {"orig_address", t->orig.address, &t->orig, 1, 0},
                          {"bene_address", t->bene.address, &t->bene, 1, 0}};
    for (int i = 0; i < 3; i++) {
        if (w->sanc && w->s->free_text) TXS_TRY(sanc_text(w, &fs[i], n, dropped));
        if (w->places) TXS_TRY(place_text(w, &fs[i], n, dropped));
    }
    return TXS_OK;
}

static int sanc_bic(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = f->value.n ? txs_sanctions_bic(w->sanc, f->value, m, SANC_PER_FIELD) : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

static int sanc_ident(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = txs_sanctions_ident(w->sanc, f->ident - 1, f->value, m, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

/* An account that could be a wallet: digital currency addresses are 25 or
 * more letters and digits (Bitcoin 26-35, Ethereum 42); shorter accounts are
 * not looked up. */
static int sanc_wallet(worker *w, const char *name, const txs_party *pt, size_t *n,
                       size_t *dropped)
{
    if (pt->account.n < 25) return TXS_OK;
    const sfield f = {name, pt->account, pt, 0, TXS_ID_CRYPTO + 1};
    return sanc_ident(w, &f, n, dropped);
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Vessel numbers written in the purpose text ("freight, vessel IMO
 * 9187629", "MMSI: 572469210"): the tag as a word, then the number with
 * exactly its digits; each is looked up as that identifier. */
static int purpose_ids(worker *w, txs_slice p, size_t *n, size_t *dropped)
{
    static const struct { const char *tag; size_t len, digits; int kind; } T[] = {
        {"imo", 3, 7, TXS_ID_IMO}, {"mmsi", 4, 9, TXS_ID_MMSI}};
    for (size_t i = 0; i < p.n; i++) {
        if (i > 0 && isalnum((unsigned char)p.p[i - 1])) continue;
        for (size_t t = 0; t < 2; t++) {
            size_t j = 0;
            while (j < T[t].len && i + j < p.n && ascii_lower((unsigned char)p.p[i + j]) == T[t].tag[j]) j++;
            if (j < T[t].len) continue;
            j += i;
            while (j < p.n && (p.p[j] == ' ' || p.p[j] == ':' || p.p[j] == '-' || p.p[j] == '#')) j++;
            size_t d = 0;
            while (j + d < p.n && isdigit((unsigned char)p.p[j + d])) d++;
            if (d != T[t].digits || (j + d < p.n && isalnum((unsigned char)p.p[j + d]))) continue;
            /* The hit shows "IMO 9187629"; the list is asked for the number. */
            const sfield f = {"purpose", {p.p + i, j + d - i}, NULL, 0, T[t].kind + 1};
            txs_sanctions_match m[SANC_PER_FIELD];
            size_t k = txs_sanctions_ident(w->sanc, T[t].kind, (txs_slice){p.p + j, d}, m,
                                           SANC_PER_FIELD);
            for (size_t h = 0; h < k; h++) TXS_TRY(add_sanc_hit(w, &m[h], &f, n, dropped));
        }
    }
    return TXS_OK;
}

/* An account that is a valid IBAN: listed as an identifier (score 1), and
 * its country in the rule set's `sanctions: {iban_countries:}`. */
static int sanc_iban(worker *w, const char *name, const txs_party *pt, size_t *n,
                     size_t *dropped)
{
    const sfield f = {name, pt->account, pt, 0, TXS_ID_IBAN + 1};
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = txs_sanctions_iban(w->sanc, pt->account, NULL, m, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], &f, n, dropped));
    const txs_ruleset *rs = w->s->o.rules;
    if (!txs_sanctions_iban_country(rs ? txs_ruleset_sanctions_cfg(rs) : NULL, name, pt->account,
                                    &w->hitbuf))
        return TXS_OK;
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    if (w->hitbuf.oom) return TXS_E_NOMEM;
    char *ev = txs_arena_dup(w->arena, w->hitbuf.p, w->hitbuf.n);
    if (ev == NULL) return TXS_E_NOMEM;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, TXS_SANC_MAY_BLOCK, 1.0, {"", 0},
                                {ev, w->hitbuf.n}};
    return TXS_OK;
}

/* Both parties' names, banks and wallet-like accounts, and vessel numbers
 * in the purpose; hits go first in w->hits. */
static int screen_sanctions(worker *w, const txs_txn *t, size_t *n, size_t *dropped)
{
    const sfield on = {"orig_name", t->orig.name, &t->orig, 0, 0};
    const sfield bn = {"bene_name", t->bene.name, &t->bene, 0, 0};
    const sfield ob = {"orig_bank", t->orig.bank, &t->orig, 0, TXS_ID_SWIFT_BIC + 1};
    const sfield bb = {"bene_bank", t->bene.bank, &t->bene, 0, TXS_ID_SWIFT_BIC + 1};
    TXS_TRY(sanc_name(w, &on, n, dropped));
    TXS_TRY(sanc_name(w, &bn, n, dropped));
    TXS_TRY(sanc_bic(w, &ob, n, dropped));
    TXS_TRY(sanc_bic(w, &bb, n, dropped));
    TXS_TRY(sanc_wallet(w, "orig_account", &t->orig, n, dropped));
    TXS_TRY(sanc_wallet(w, "bene_account", &t->bene, n, dropped));
    TXS_TRY(sanc_iban(w, "orig_account", &t->orig, n, dropped));
    TXS_TRY(sanc_iban(w, "bene_account", &t->bene, n, dropped));
    return purpose_ids(w, t->purpose, n, dropped);
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

/* Stage 1 of one framed record: parse, sanctions and the stateless rules,
 * into o and the slot's hit store.  Runs on any worker; reads only shared
 * configuration and writes only w, o, and the slot.  Hot path. */
static int screen_record(worker *w, const txs_binding *bind, const txs_record *r, rec_res *o,
                         slot *sl)
{
    const txs_screener *s = w->s;
    char why[256];
    o->why = NULL;
    o->hit0 = (uint32_t)sl->nhits;
    o->nh = o->nsanc = o->suppressed = o->dropped = 0;
    o->home = 1;
    if (r->error != TXS_FRAME_OK) {
        o->why = r->detail ? r->detail : "malformed record";
        return TXS_OK;
    }
    if (txs_parse_record(bind, r, w->arena, &o->t, why, sizeof why) != 0) {
        o->why = txs_arena_dup(w->arena, why, strlen(why));
        return o->why ? TXS_OK : TXS_E_NOMEM;
    }
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
        if (w->sanc) TXS_TRY(screen_sanctions(w, &o->t, &nh, &dropped));
        if (w->places || s->free_text) TXS_TRY(screen_text(w, &o->t, &nh, &dropped));
        o->nsanc = (uint32_t)nh;
        o->suppressed = (uint32_t)w->suppressed;
    }
    if (s->o.rules && o->home)
        TXS_TRY(txs_rules_eval(s->o.rules, &o->t, w->arena, w->hits, TXS_MAX_HITS, &nh,
                               &dropped));
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

/* Stage 1 over a whole batch (rebased first when it was detached). */
static void screen_batch(worker *w, const txs_binding *bind, slot *sl)
{
    txs_batch_rebase(&sl->batch);
    w->arena = &sl->batch.arena;
    sl->nhits = 0;
    sl->rc = TXS_OK;
    size_t i = 0;
    for (; i < sl->batch.n; i++) {
        int rc = screen_record(w, bind, &sl->batch.rec[i], &sl->res[i], sl);
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
    const txs_record *r = &sl->batch.rec[i];
    const rec_res *o = &sl->res[i];
    s->st.read++;
    ss->read++;
    if (o->why) {
        reject(s, ss, r, o->why);
        return TXS_OK;
    }
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
    if (band == TXS_BAND_NONE) { /* a shard run: merge decides */
        s->st.txns_hit_below_band++;
        emit_alert(s, ss, &o->t, nh, score, band);
        return TXS_OK;
    }
    s->st.alerts++;
    s->st.alerts_by_band[band]++;
    s->st.sanctions_alerts += nsanc > 0;
    if (s->o.rules) count_rules(s, s->hits, nh);
    emit_alert(s, ss, &o->t, nh, score, band);
    return TXS_OK;
}

/* The ordered stage of a batch that went through stage 1 (and the
 * partitions): its records up to where stage 1 stopped, then stage 1's
 * status. */
static int commit_batch(txs_screener *s, txs_source_stats *ss, slot *sl)
{
    for (unsigned k = 0; sl->po && k < s->nparts; k++)
        if (sl->po[k].rc < 0) return sl->po[k].rc;
    for (size_t i = 0; i < sl->nres; i++) {
        const txs_record *rec = &sl->batch.rec[i];
        ss->plain_bytes = rec->offset + rec->raw.n;
        TXS_TRY(commit_record(s, ss, sl, i, &sl->batch.arena));
    }
    return sl->rc;
}

/* Partition k of the account state over a batch through stage 1: every
 * record in order, the accounts k owns (state.h).  Runs on k's thread. */
static void part_batch(txs_screener *s, unsigned k, slot *sl)
{
    part_out *po = &sl->po[k];
    txs_arena_reset(&po->arena);
    po->n = 0;
    po->rc = TXS_OK;
    for (size_t i = 0; i < sl->nres; i++) {
        const rec_res *o = &sl->res[i];
        part_rec *pr = &po->rec[i];
        *pr = (part_rec){(uint32_t)po->n, 0, 4, 0, 0};
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

static int drain(txs_buf *b, txs_sink_fn fn, void *ctx, txs_diag *d)
{
    if (b->oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    int rc = TXS_OK;
    if (fn && b->n) rc = fn(ctx, b->p, b->n);
    b->n = 0;
    if (rc < 0 && d->msg[0] == '\0')
        txs_diag_set(d, rc, "", 0, "writing output failed: %s", txs_strerror(rc));
    return rc;
}

static txs_source_stats *add_source(txs_screener *s, txs_source *src)
{
    txs_source_stats *v =
        realloc(s->st.sources, (s->st.nsources + 1) * sizeof *v);
    if (v == NULL) return NULL;
    s->st.sources = v;
    txs_source_stats *ss = &v[s->st.nsources++];
    memset(ss, 0, sizeof *ss);
    snprintf(ss->name, sizeof ss->name, "%s", txs_source_name(src));
    return ss;
}

static void finish_source(txs_screener *s, txs_source_stats *ss, txs_source *src)
{
    snprintf(ss->encoding, sizeof ss->encoding, "%s", txs_source_encoding(src));
    ss->raw_bytes = txs_source_raw_bytes(src);
    ss->raw_xxh3 = txs_source_raw_hash(src);
    s->st.plain_bytes += ss->plain_bytes;
}

static int source_error(txs_source *src, int rc, txs_diag *d)
{
    const char *e = txs_source_error(src);
    return txs_diag_set(d, rc, txs_source_name(src), 0, "%s",
                        e && *e ? e : txs_strerror(rc));
}

/* ---------------------------------------------------------------- threads
 *
 *   reader thread:  txs_reader_next_detached -> ring[seq % nring]  (in order)
 *   N workers:      take the lowest unscreened seq -> screen_batch (stage 1)
 *   P partitions:   each every seq in order, once stage 1 is done ->
 *                   part_batch (the account state of the accounts it owns)
 *   caller thread:  commit_batch(seq) in seq order (link stage, score,
 *                   output) -> sinks -> slot free
 *
 * One mutex guards the three counters (framed, taken, committed) and the
 * slots' done flags and partition counts; a slot belongs to the reader
 * while seq >= framed, to one worker between taken and done, then to the
 * partitions (each writing only its own part_out and its fields of the
 * link hand-off) until all P are through, and to the caller until it is
 * committed.  Each partition feeds its accounts every record in input
 * order, and the caller takes their hits in a fixed order, so the output
 * is the single-threaded output byte for byte.  Any error (a sink, stage
 * 1, a partition, the input) sets stop: every wait also wakes on stop, so
 * nothing is left waiting.
 */
typedef struct pipeline {
    txs_screener *s;
    txs_reader *r;
    const txs_binding *bind;
    pthread_mutex_t mu;
    pthread_cond_t cv_free, cv_ready, cv_done, cv_part;
    uint64_t framed, taken, committed;
    int eof, read_rc, stop;
} pipeline;

typedef struct worker_arg {
    pipeline *p;
    worker *w;
} worker_arg;

typedef struct part_arg {
    pipeline *p;
    unsigned k;
} part_arg;

static void *reader_main(void *arg)
{
    pipeline *p = arg;
    txs_screener *s = p->s;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->framed - p->committed >= s->nring)
            pthread_cond_wait(&p->cv_free, &p->mu);
        int stop = p->stop;
        uint64_t seq = p->framed;
        slot *sl = &s->ring[seq % s->nring];
        sl->done = 0;
        sl->pdone = 0;
        pthread_mutex_unlock(&p->mu);
        if (stop) break;
        int rc = txs_reader_next_detached(p->r, &sl->batch);
        pthread_mutex_lock(&p->mu);
        if (rc <= 0) {
            p->eof = 1;
            p->read_rc = rc;
        } else {
            p->framed++;
        }
        pthread_cond_broadcast(&p->cv_ready);
        pthread_cond_broadcast(&p->cv_done);
        pthread_cond_broadcast(&p->cv_part);
        pthread_mutex_unlock(&p->mu);
        if (rc <= 0) break;
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    worker_arg *a = arg;
    pipeline *p = a->p;
    txs_screener *s = p->s;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->taken == p->framed && !p->eof)
            pthread_cond_wait(&p->cv_ready, &p->mu);
        if (p->stop || p->taken == p->framed) { /* stopped, or all taken at the end */
            pthread_mutex_unlock(&p->mu);
            break;
        }
        uint64_t seq = p->taken++;
        pthread_mutex_unlock(&p->mu);
        slot *sl = &s->ring[seq % s->nring];
        screen_batch(a->w, p->bind, sl);
        pthread_mutex_lock(&p->mu);
        sl->done = 1;
        if (s->nparts) pthread_cond_broadcast(&p->cv_part);
        else if (seq == p->committed) pthread_cond_signal(&p->cv_done);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

static void *part_main(void *arg)
{
    part_arg *a = arg;
    pipeline *p = a->p;
    txs_screener *s = p->s;
    for (uint64_t seq = 0;; seq++) {
        pthread_mutex_lock(&p->mu);
        slot *sl = &s->ring[seq % s->nring];
        while (!p->stop && !(seq < p->taken && sl->done) && !(p->eof && seq >= p->framed))
            pthread_cond_wait(&p->cv_part, &p->mu);
        int go = !p->stop && seq < p->taken && sl->done;
        pthread_mutex_unlock(&p->mu);
        if (!go) break;
        part_batch(s, a->k, sl);
        pthread_mutex_lock(&p->mu);
        if (++sl->pdone == s->nparts && seq == p->committed) pthread_cond_signal(&p->cv_done);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* Workers 1 .. nthreads-1 and the ring, made on the first threaded feed and
 * kept for the next sources. */
static int threads_ready(txs_screener *s)
{
    for (; s->nw < s->nthreads; s->nw++) {
        int rc = worker_init(s, &s->w[s->nw]);
        /* one name cache for all workers: a name screened by one is a hit
         * for the others (the first worker's, freed last) */
        if (rc == 0 && s->w[s->nw].sanc)
            rc = txs_sanctions_share_cache(s->w[s->nw].sanc, s->w[0].sanc);
        if (rc < 0) {
            worker_free(&s->w[s->nw]);
            return rc;
        }
    }
    if (s->ring == NULL) {
        size_t n = 2 * (size_t)s->nthreads + 2;
        s->ring = calloc(n, sizeof *s->ring);
        if (s->ring == NULL) return TXS_E_NOMEM;
        for (; s->nring < n; s->nring++)
            if (slot_init(&s->ring[s->nring]) < 0 ||
                (s->nparts && slot_parts(&s->ring[s->nring], s->nparts, s->link) < 0)) {
                s->nring++; /* freed with the rest */
                return TXS_E_NOMEM;
            }
    }
    return TXS_OK;
}

/* Screen the attached source with threads; returns as the single-threaded
 * loop would (0 at the end of the input, or a negative status). */
static int feed_threads(txs_screener *s, txs_reader *r, const txs_binding *bind,
                        txs_source_stats *ss, txs_diag *d)
{
    int rc = threads_ready(s);
    if (rc < 0) return txs_diag_set(d, rc, "", 0, "cannot start threads: %s", txs_strerror(rc));
    pipeline p = {.s = s, .r = r, .bind = bind};
    pthread_t rt, wt[TXS_MAX_THREADS], pt[TXS_STATE_PARTS_MAX];
    worker_arg wa[TXS_MAX_THREADS];
    part_arg pa[TXS_STATE_PARTS_MAX];
    size_t started = 0, pstarted = 0;
    int reader_started = 0;
    if (pthread_mutex_init(&p.mu, NULL) != 0) return TXS_E_NOMEM;
    pthread_cond_init(&p.cv_free, NULL);
    pthread_cond_init(&p.cv_ready, NULL);
    pthread_cond_init(&p.cv_done, NULL);
    pthread_cond_init(&p.cv_part, NULL);
    for (; started < s->nthreads; started++) {
        wa[started] = (worker_arg){&p, &s->w[started]};
        if (pthread_create(&wt[started], NULL, worker_main, &wa[started]) != 0) break;
    }
    for (; started == s->nthreads && pstarted < s->nparts; pstarted++) {
        pa[pstarted] = (part_arg){&p, (unsigned)pstarted};
        if (pthread_create(&pt[pstarted], NULL, part_main, &pa[pstarted]) != 0) break;
    }
    if (started == s->nthreads && pstarted == s->nparts &&
        pthread_create(&rt, NULL, reader_main, &p) == 0)
        reader_started = 1;
    if (!reader_started) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "cannot start threads");
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.cv_ready);
        pthread_cond_broadcast(&p.cv_part);
        pthread_mutex_unlock(&p.mu);
    }
    const unsigned np = s->nparts;
    while (reader_started) {
        pthread_mutex_lock(&p.mu);
        slot *sl = &s->ring[p.committed % s->nring];
        while (!(p.committed < p.taken && sl->done && sl->pdone == np) &&
               !(p.eof && p.committed == p.framed))
            pthread_cond_wait(&p.cv_done, &p.mu);
        int end = !(p.committed < p.taken && sl->done && sl->pdone == np);
        int read_rc = p.read_rc;
        pthread_mutex_unlock(&p.mu);
        if (end) {
            rc = read_rc;
            break;
        }
        rc = commit_batch(s, ss, sl);
        if (rc >= 0) rc = drain(&s->alerts, s->o.alerts, s->o.alerts_ctx, d);
        if (rc >= 0) rc = drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, d);
        pthread_mutex_lock(&p.mu);
        p.committed++;
        if (rc < 0) {
            p.stop = 1;
            pthread_cond_broadcast(&p.cv_ready);
            pthread_cond_broadcast(&p.cv_part);
        }
        pthread_cond_broadcast(&p.cv_free);
        pthread_mutex_unlock(&p.mu);
        if (rc < 0) break;
    }
    if (rc < 0 && reader_started) {
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.cv_ready);
        pthread_cond_broadcast(&p.cv_free);
        pthread_cond_broadcast(&p.cv_part);
        pthread_mutex_unlock(&p.mu);
    }
    if (reader_started) pthread_join(rt, NULL);
    for (size_t i = 0; i < started; i++) pthread_join(wt[i], NULL);
    for (size_t i = 0; i < pstarted; i++) pthread_join(pt[i], NULL);
    pthread_cond_destroy(&p.cv_free);
    pthread_cond_destroy(&p.cv_ready);
    pthread_cond_destroy(&p.cv_done);
    pthread_cond_destroy(&p.cv_part);
    pthread_mutex_destroy(&p.mu);
    return rc;
}

int txs_screener_feed(txs_screener *s, txs_source *src, txs_diag *d)
{
    d->msg[0] = '\0';
    txs_source_stats *ss = add_source(s, src);
    if (ss == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    uint32_t file_index = (uint32_t)(s->st.nsources - 1);
    txs_format fmt = format_for(s, ss->name);
    txs_reader *r;
    int rc = reader_for(s, fmt, &r);
    if (rc < 0) return txs_diag_set(d, rc, ss->name, 0, "cannot create reader: %s", txs_strerror(rc));
    rc = txs_reader_attach(r, src);
    if (rc < 0) return source_error(src, rc, d);
    size_t nh;
    const txs_slice *hdr = txs_reader_header(r, &nh);
    txs_binding *bind = NULL;
    rc = txs_profile_bind(s->o.profile, fmt, hdr, nh, ss->name, file_index,
                          &bind, d);
    if (rc < 0) return rc;
    if (s->nthreads > 1) {
        rc = feed_threads(s, r, bind, ss, d);
    } else {
        slot *sl = &s->one;
        while ((rc = txs_reader_next(r, &sl->batch)) > 0) {
            screen_batch(&s->w[0], bind, sl);
            if ((rc = commit_batch(s, ss, sl)) < 0) break;
            if ((rc = drain(&s->alerts, s->o.alerts, s->o.alerts_ctx, d)) < 0) break;
            if ((rc = drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, d)) < 0) break;
        }
    }
    txs_binding_free(bind);
    if (s->state) s->st.state = txs_state_get_stats(s->state);
    if (rc < 0 && d->msg[0] == '\0') rc = source_error(src, rc, d);
    finish_source(s, ss, src);
    return rc < 0 ? rc : TXS_OK;
}
