/*
 * driver.c: the screener's lifecycle and its feed (screen.h).  Create
 * copies the options, sets the bars (route.c), makes the first worker, the
 * single-threaded batch and the per-account state; feed takes one source
 * to its end: pick the format, attach a reader, bind the profile to the
 * header, then per batch stage 1 (record.c), the ordered stage and one
 * write to each sink -- on this thread, or through the threads of
 * threads.c, which give the same output byte for byte.
 *
 * Invariants: every record the reader frames is counted once as read and
 * exactly once as screened or rejected (record.c); the sinks are called
 * only from the feeding thread, a batch at a time; a source's figures
 * (bytes, xxh3, encoding) are recorded when it ends, even on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_int.h"
#include "txs/bigmem.h"

int txs__pipe_worker_init(const txs_screener *s, worker *w)
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
    if (s->places_on) TXS_TRY(txs_places_create(s->place_tab, s->nplaces, &w->places, d));
    if (s->sanc_on) TXS_TRY(txs_sanctions_create(s->o.lists, s->o.nlists, s->low, &w->sanc, d));
    return TXS_OK;
}

void txs__pipe_worker_free(worker *w)
{
    txs_buf_free(&w->hitbuf);
    txs_sanctions_free(w->sanc);
    txs_places_free(w->places);
    txs_norm_free(w->nz);
    free(w->gq);
}

size_t txs__pipe_batch_cap(const txs_screener *s)
{
    return s->nthreads == 1 ? TXS_BATCH_RECORDS_ONE : TXS_BATCH_RECORDS;
}

int txs__pipe_slot_init(slot *sl, size_t cap)
{
    memset(sl, 0, sizeof *sl);
    txs_batch_init(&sl->batch);
    sl->cap = cap;
    sl->res = txs_big_calloc(cap, sizeof *sl->res);
    return sl->res ? TXS_OK : TXS_E_NOMEM;
}

/* Room for the records' state keys (stage 1 makes them, the ordered stage
 * feeds a single-table state with them and fetches ahead by them). */
int txs__pipe_slot_keys(slot *sl)
{
    if (sl->key == NULL) sl->key = malloc(sl->cap * sizeof *sl->key);
    return sl->key ? TXS_OK : TXS_E_NOMEM;
}

/* The partitions' outputs of a ring slot, and the link hand-off when the
 * rule set has graph kinds (link). */
int txs__pipe_slot_parts(slot *sl, unsigned np, int link)
{
    sl->po = calloc(np, sizeof *sl->po);
    sl->key = malloc(sl->cap * sizeof *sl->key);
    sl->lk = link ? malloc(sl->cap * sizeof *sl->lk) : NULL;
    if (sl->po == NULL || sl->key == NULL || (link && sl->lk == NULL)) return TXS_E_NOMEM;
    for (unsigned k = 0; k < np; k++) {
        txs_arena_init(&sl->po[k].arena, 0);
        sl->po[k].rec = malloc(sl->cap * sizeof *sl->po[k].rec);
        if (sl->po[k].rec == NULL) return TXS_E_NOMEM;
    }
    return TXS_OK;
}

static void slot_free(slot *sl, unsigned np)
{
    txs_batch_free(&sl->batch);
    txs_big_free(sl->res);
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

double txs_screener_name_threshold(const txs_screener *s) { return s->th_name; }

int txs_screener_create(const txs_screen_opts *opts, txs_screener **out)
{
    *out = NULL;
    txs_screener *s = calloc(1, sizeof *s);
    if (s == NULL) return TXS_E_NOMEM;
    s->o = *opts;
    s->nthreads = opts->threads > 1 ? opts->threads : 1;
    if (s->nthreads > TXS_MAX_THREADS) s->nthreads = TXS_MAX_THREADS;
    s->low = txs__pipe_thresholds(s);
    const txs_ruleset_sanctions *c = opts->rules ? txs_ruleset_sanctions_cfg(opts->rules) : NULL;
    if (c && c->nplaces) {
        s->places_on = 1;
        s->place_tab = c->places;
        s->nplaces = c->nplaces;
        s->place_weight = c->places_weight;
    }
    s->sanc_on = opts->nlists > 0;
    int rc = txs__pipe_slot_init(&s->one, txs__pipe_batch_cap(s));
    s->w = calloc(s->nthreads, sizeof *s->w);
    if (rc == TXS_OK && s->w == NULL) rc = TXS_E_NOMEM;
    if (rc == TXS_OK) {
        s->nw = 1;
        rc = txs__pipe_worker_init(s, &s->w[0]);
    }
    if (rc == TXS_OK && opts->rules && txs_ruleset_stateful(opts->rules)) {
        /* With threads, the account state is partitioned across as many
         * threads as stage 1 has (state.h "Partitions"). */
        unsigned np = s->nthreads > 1 && opts->shard_mode == TXS_STATE_ALL ? s->nthreads : 0;
        if (np > TXS_STATE_PARTS_MAX) np = TXS_STATE_PARTS_MAX;
        txs_state_opts so = {opts->max_lateness < 0 ? TXS_STATE_LATENESS_DEFAULT
                                                    : opts->max_lateness,
                             opts->shard_mode, opts->shard_k, opts->shard_n, np,
                             opts->cp_retention, opts->counterparties};
        rc = txs_state_create(opts->rules, &so, &s->state);
        if (rc == TXS_OK) s->nparts = txs_state_parts(s->state);
        if (rc == TXS_OK) s->link = txs_state_needs_link(s->state);
        if (rc == TXS_OK && s->nparts == 0) rc = txs__pipe_slot_keys(&s->one);
    }
    if (rc == TXS_OK && opts->rules) {
        s->st.nrules = txs_ruleset_count(opts->rules);
        s->st.alerts_by_rule = calloc(s->st.nrules + 1, sizeof(uint64_t));
        s->rule_stamp = calloc(s->st.nrules + 1, sizeof(uint64_t));
        if (s->st.alerts_by_rule == NULL || s->rule_stamp == NULL) rc = TXS_E_NOMEM;
    }
    if (rc == TXS_OK && opts->validate_xsd) {
        rc = txs_pay_reader_create(TXS_PAY_AUTO, &s->pay);
        if (rc == TXS_OK) rc = txs_pay_reader_validate_xsd(s->pay, opts->validate_xsd, opts->diag);
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
    txs_pay_reader_free(s->pay);
    txs_reader_free(s->reader[0]);
    txs_reader_free(s->reader[1]);
    slot_free(&s->one, 0);
    for (size_t i = 0; i < s->nring; i++) slot_free(&s->ring[i], s->nparts);
    free(s->ring);
    for (size_t i = s->nw; i-- > 0;) txs__pipe_worker_free(&s->w[i]); /* w[0]'s name cache last */
    free(s->w);
    txs_buf_free(&s->alerts);
    txs_buf_free(&s->rejects);
    txs_buf_free(&s->casebuf);
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

uint64_t txs_screener_progress(const txs_screener *s)
{
    return s ? atomic_load_explicit(&s->progress, memory_order_relaxed) : 0;
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
        ro.batch_records = txs__pipe_batch_cap(s);
        TXS_TRY(txs_reader_create(&ro, &s->reader[fmt]));
    }
    *out = s->reader[fmt];
    return TXS_OK;
}

int txs__pipe_drain(txs_buf *b, txs_sink_fn fn, void *ctx, txs_diag *d)
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

/* Payment messages: each transaction through stage 1 and the ordered
 * stage as it is read (the reader's arenas hold it only for the call), on
 * the calling thread, or with --threads through threads.c (copies in ring
 * slots, the same output); a message or transaction that cannot be mapped
 * is a reject with its message number and element path or MT field. */
typedef struct pay_feed {
    txs_screener *s;
    txs_source_stats *ss;
    txs_diag *d;
} pay_feed;

static int pay_txn(void *ctx, const txs_txn *t)
{
    pay_feed *f = ctx;
    txs_screener *s = f->s;
    slot *sl = &s->one;
    worker *w = &s->w[0];
    txs_arena_reset(&sl->batch.arena);
    w->arena = &sl->batch.arena;
    sl->nhits = 0;
    rec_res *o = &sl->res[0];
    txs__pipe_res_reset(o, sl);
    o->keyed = 0;
    o->t = *t;
    TXS_TRY(txs__pipe_screen_txn(w, o, sl));
    TXS_TRY(txs__pipe_commit_txn(s, f->ss, sl, 0, &sl->batch.arena));
    atomic_store_explicit(&s->progress, s->st.read, memory_order_relaxed);
    TXS_TRY(txs__pipe_drain(&s->alerts, s->o.alerts, s->o.alerts_ctx, f->d));
    return txs__pipe_drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, f->d);
}

static int pay_reject(void *ctx, const txs_pay_reject *j)
{
    pay_feed *f = ctx;
    txs_screener *s = f->s;
    s->st.read++, f->ss->read++;
    s->st.rejected++, f->ss->rejected++;
    atomic_store_explicit(&s->progress, s->st.read, memory_order_relaxed);
    if (s->o.rejects == NULL) return TXS_OK;
    txs_pay_reject_json(&s->rejects, j);
    return txs__pipe_drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, f->d);
}

static int feed_payments(txs_screener *s, txs_source *src, txs_source_stats *ss,
                         uint32_t file_index, txs_diag *d)
{
    if (s->pay == NULL && txs_pay_reader_create(TXS_PAY_AUTO, &s->pay) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    pay_feed f = {s, ss, d};
    txs_pay_sink sink = {pay_txn, pay_reject, &f};
    int rc = s->nthreads > 1 ? txs__pipe_feed_pay_threads(s, src, ss, file_index, d)
                             : txs_pay_read_source(s->pay, src, ss->name, file_index, &sink, d);
    if (s->state) s->st.state = txs_state_get_stats(s->state);
    if (rc < 0 && d->msg[0] == '\0') rc = source_error(src, rc, d);
    if (strcmp(txs_source_encoding(src), "plain") == 0) ss->plain_bytes = txs_source_raw_bytes(src);
    finish_source(s, ss, src);
    return rc < 0 ? rc : TXS_OK;
}

int txs_screener_feed(txs_screener *s, txs_source *src, txs_diag *d)
{
    d->msg[0] = '\0';
    txs_source_stats *ss = add_source(s, src);
    if (ss == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    uint32_t file_index = (uint32_t)(s->st.nsources - 1);
    if (s->o.format == TXS_SCREEN_PAYMENTS) return feed_payments(s, src, ss, file_index, d);
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
        rc = txs__pipe_feed_threads(s, r, bind, ss, d);
    } else {
        slot *sl = &s->one;
        while ((rc = txs_reader_next(r, &sl->batch)) > 0) {
            txs__pipe_screen_batch(&s->w[0], bind, sl);
            if ((rc = txs__pipe_commit_batch(s, ss, sl)) < 0) break;
            if ((rc = txs__pipe_drain(&s->alerts, s->o.alerts, s->o.alerts_ctx, d)) < 0) break;
            if ((rc = txs__pipe_drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, d)) < 0) break;
        }
    }
    txs_binding_free(bind);
    if (s->state) s->st.state = txs_state_get_stats(s->state);
    if (rc < 0 && d->msg[0] == '\0') rc = source_error(src, rc, d);
    finish_source(s, ss, src);
    return rc < 0 ? rc : TXS_OK;
}
