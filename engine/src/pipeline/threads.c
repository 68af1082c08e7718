/*
 * threads.c: screen --threads N.  A reader thread frames batches into a
 * ring, N workers run stage 1 on whole batches, N partitions feed the
 * per-account state, and the feeding thread commits batches in input
 * order (the per-record work is record.c's):
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
 *
 * Payment messages (txs__pipe_feed_pay_threads) use the same ring: the
 * payment reader is a push parser, so its thread runs it to the end of the
 * source and its sink fills the slot being framed, a deep copy of each
 * transaction (txs_pay_txn_copy) and each reject as its JSON line, and
 * publishes the slot every PAY_BATCH entries; stage 1 then only screens
 * (record.c, slot.mapped) and the commit writes rejects and alerts in the
 * reader's order, as the single-threaded feed does.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_int.h"

typedef struct pipeline {
    txs_screener *s;
    txs_reader *r;
    const txs_binding *bind;
    pthread_mutex_t mu;
    pthread_cond_t cv_free, cv_ready, cv_done, cv_part;
    uint64_t framed, taken, committed;
    int eof, read_rc, stop;
    /* payment messages: the source, its name and index, the reader
     * thread's diag and reject line, the slot it is filling */
    txs_source *src;
    const char *name;
    uint32_t file_index;
    txs_diag rd;
    txs_buf rj;
    slot *cur;
} pipeline;

/* Entries in a slot of payment transactions: a pacs.008 copy is ~2 KB,
 * so a ring of 2N+2 slots stays a few MB. */
enum { PAY_BATCH = 256 };
_Static_assert(PAY_BATCH <= TXS_BATCH_RECORDS, "a payments slot fits a threaded batch");

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
        sl->mapped = 0;
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

/* The slot the payment reader fills: the next free one of the ring, made
 * empty; NULL when the run stopped. */
static slot *pay_slot(pipeline *p)
{
    if (p->cur) return p->cur;
    txs_screener *s = p->s;
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->framed - p->committed >= s->nring)
        pthread_cond_wait(&p->cv_free, &p->mu);
    slot *sl = p->stop ? NULL : &s->ring[p->framed % s->nring];
    if (sl) {
        sl->done = 0;
        sl->pdone = 0;
        sl->mapped = 1;
        sl->nres = 0;
    }
    pthread_mutex_unlock(&p->mu);
    if (sl) txs_arena_reset(&sl->batch.arena);
    return p->cur = sl;
}

/* Hand the slot being filled to the workers. */
static void pay_publish(pipeline *p)
{
    if (p->cur == NULL || p->cur->nres == 0) return;
    p->cur = NULL;
    pthread_mutex_lock(&p->mu);
    p->framed++;
    pthread_cond_broadcast(&p->cv_ready);
    pthread_cond_broadcast(&p->cv_part);
    pthread_mutex_unlock(&p->mu);
}

static int pay_txn_in(void *ctx, const txs_txn *t)
{
    pipeline *p = ctx;
    slot *sl = pay_slot(p);
    if (sl == NULL) return TXS_E_OUTPUT;   /* the commit side failed */
    rec_res *o = &sl->res[sl->nres];
    o->why = NULL;
    TXS_TRY(txs_pay_txn_copy(t, &sl->batch.arena, &o->t));
    if (++sl->nres == PAY_BATCH) pay_publish(p);
    return TXS_OK;
}

static int pay_reject_in(void *ctx, const txs_pay_reject *j)
{
    pipeline *p = ctx;
    slot *sl = pay_slot(p);
    if (sl == NULL) return TXS_E_OUTPUT;
    p->rj.n = 0;
    txs_pay_reject_json(&p->rj, j);
    if (p->rj.oom) return TXS_E_NOMEM;
    rec_res *o = &sl->res[sl->nres];
    o->why = txs_arena_dup(&sl->batch.arena, p->rj.p, p->rj.n);
    if (o->why == NULL) return TXS_E_NOMEM;
    if (++sl->nres == PAY_BATCH) pay_publish(p);
    return TXS_OK;
}

static void *pay_reader_main(void *arg)
{
    pipeline *p = arg;
    txs_pay_sink sink = {pay_txn_in, pay_reject_in, p};
    int rc = txs_pay_read_source(p->s->pay, p->src, p->name, p->file_index, &sink, &p->rd);
    if (rc >= 0) pay_publish(p);   /* the last, partial slot */
    pthread_mutex_lock(&p->mu);
    p->eof = 1;
    p->read_rc = rc < 0 ? rc : 0;
    pthread_cond_broadcast(&p->cv_ready);
    pthread_cond_broadcast(&p->cv_done);
    pthread_cond_broadcast(&p->cv_part);
    pthread_mutex_unlock(&p->mu);
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
        txs__pipe_screen_batch(a->w, p->bind, sl);
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
        txs__pipe_part_batch(s, a->k, sl);
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
        int rc = txs__pipe_worker_init(s, &s->w[s->nw]);
        /* one name cache for all workers: a name screened by one is a hit
         * for the others (the first worker's, freed last) */
        if (rc == 0 && s->w[s->nw].sanc)
            rc = txs_sanctions_share_cache(s->w[s->nw].sanc, s->w[0].sanc);
        if (rc < 0) {
            txs__pipe_worker_free(&s->w[s->nw]);
            return rc;
        }
    }
    if (s->ring == NULL) {
        size_t n = 2 * (size_t)s->nthreads + 2;
        s->ring = calloc(n, sizeof *s->ring);
        if (s->ring == NULL) return TXS_E_NOMEM;
        for (; s->nring < n; s->nring++)
            if (txs__pipe_slot_init(&s->ring[s->nring], txs__pipe_batch_cap(s)) < 0 ||
                (s->nparts && txs__pipe_slot_parts(&s->ring[s->nring], s->nparts, s->link) < 0) ||
                (!s->nparts && s->state && txs__pipe_slot_keys(&s->ring[s->nring]) < 0)) {
                s->nring++; /* freed with the rest */
                return TXS_E_NOMEM;
            }
    }
    return TXS_OK;
}

/* Run p's reader on a thread of its own, the workers and partitions on
 * theirs, and commit on this one; returns as the single-threaded loop
 * would (0 at the end of the input, or a negative status). */
static int run(pipeline *p, void *(*reader)(void *), txs_source_stats *ss, txs_diag *d)
{
    txs_screener *s = p->s;
    int rc = threads_ready(s);
    if (rc < 0) return txs_diag_set(d, rc, "", 0, "cannot start threads: %s", txs_strerror(rc));
    pthread_t rt, wt[TXS_MAX_THREADS], pt[TXS_STATE_PARTS_MAX];
    worker_arg wa[TXS_MAX_THREADS];
    part_arg pa[TXS_STATE_PARTS_MAX];
    size_t started = 0, pstarted = 0;
    int reader_started = 0;
    if (pthread_mutex_init(&p->mu, NULL) != 0) return TXS_E_NOMEM;
    pthread_cond_init(&p->cv_free, NULL);
    pthread_cond_init(&p->cv_ready, NULL);
    pthread_cond_init(&p->cv_done, NULL);
    pthread_cond_init(&p->cv_part, NULL);
    for (; started < s->nthreads; started++) {
        wa[started] = (worker_arg){p, &s->w[started]};
        if (pthread_create(&wt[started], NULL, worker_main, &wa[started]) != 0) break;
    }
    for (; started == s->nthreads && pstarted < s->nparts; pstarted++) {
        pa[pstarted] = (part_arg){p, (unsigned)pstarted};
        if (pthread_create(&pt[pstarted], NULL, part_main, &pa[pstarted]) != 0) break;
    }
    if (started == s->nthreads && pstarted == s->nparts &&
        pthread_create(&rt, NULL, reader, p) == 0)
        reader_started = 1;
    if (!reader_started) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "cannot start threads");
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->cv_ready);
        pthread_cond_broadcast(&p->cv_part);
        pthread_mutex_unlock(&p->mu);
    }
    const unsigned np = s->nparts;
    while (reader_started) {
        pthread_mutex_lock(&p->mu);
        slot *sl = &s->ring[p->committed % s->nring];
        while (!(p->committed < p->taken && sl->done && sl->pdone == np) &&
               !(p->eof && p->committed == p->framed))
            pthread_cond_wait(&p->cv_done, &p->mu);
        int end = !(p->committed < p->taken && sl->done && sl->pdone == np);
        int read_rc = p->read_rc;
        pthread_mutex_unlock(&p->mu);
        if (end) {
            rc = read_rc;
            break;
        }
        rc = txs__pipe_commit_batch(s, ss, sl);
        if (rc >= 0) rc = txs__pipe_drain(&s->alerts, s->o.alerts, s->o.alerts_ctx, d);
        if (rc >= 0) rc = txs__pipe_drain(&s->rejects, s->o.rejects, s->o.rejects_ctx, d);
        pthread_mutex_lock(&p->mu);
        p->committed++;
        if (rc < 0) {
            p->stop = 1;
            pthread_cond_broadcast(&p->cv_ready);
            pthread_cond_broadcast(&p->cv_part);
        }
        pthread_cond_broadcast(&p->cv_free);
        pthread_mutex_unlock(&p->mu);
        if (rc < 0) break;
    }
    if (rc < 0 && reader_started) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_broadcast(&p->cv_ready);
        pthread_cond_broadcast(&p->cv_free);
        pthread_cond_broadcast(&p->cv_part);
        pthread_mutex_unlock(&p->mu);
    }
    if (reader_started) pthread_join(rt, NULL);
    for (size_t i = 0; i < started; i++) pthread_join(wt[i], NULL);
    for (size_t i = 0; i < pstarted; i++) pthread_join(pt[i], NULL);
    pthread_cond_destroy(&p->cv_free);
    pthread_cond_destroy(&p->cv_ready);
    pthread_cond_destroy(&p->cv_done);
    pthread_cond_destroy(&p->cv_part);
    pthread_mutex_destroy(&p->mu);
    return rc;
}

/* Screen the attached source with threads. */
int txs__pipe_feed_threads(txs_screener *s, txs_reader *r, const txs_binding *bind,
                        txs_source_stats *ss, txs_diag *d)
{
    pipeline p = {.s = s, .r = r, .bind = bind};
    return run(&p, reader_main, ss, d);
}

int txs__pipe_feed_pay_threads(txs_screener *s, txs_source *src, txs_source_stats *ss,
                               uint32_t file_index, txs_diag *d)
{
    pipeline p = {.s = s, .src = src, .name = ss->name, .file_index = file_index};
    int rc = run(&p, pay_reader_main, ss, d);
    txs_buf_free(&p.rj);
    if (rc < 0 && p.rd.msg[0] && d->msg[0] == '\0') *d = p.rd;
    return rc;
}
