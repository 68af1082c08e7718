/*
 * pipeline_int.h: private to engine/src/pipeline.  The screener (screen.h)
 * and what its files share: the batch in flight (slot) with each record's
 * stage-1 result, the per-thread worker, and the calls from one file of
 * the pipeline to another.
 *
 *   driver.c   the screener's lifecycle and txs_screener_feed
 *   threads.c  reader, worker and partition threads (feed_threads)
 *   record.c   per record: stage 1 (parse_record, screen_parsed) and the ordered stage
 *              (commit_record), per batch and per partition
 *   route.c    each party field to the sanctions screeners, held to its
 *              bar; good-guy suppression; the sanctions hit JSON
 *   alert.c    the alert line and its hits' JSON
 *   case_of.c  the cases an alert belongs to (cases.h)
 *   manifest.c the run manifest filled for emit's printer
 *   lookback.c known counterparties against a list change (lookback.h)
 *
 * Ownership: a slot belongs to one stage at a time (threads.c says when);
 * a worker to one thread; the screener's configuration is read-only once
 * created.
 */
#ifndef TXS_PIPELINE_INT_H
#define TXS_PIPELINE_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "txs/cases.h"
#include "txs/emit.h"
#include "txs/norm.h"
#include "txs/payments.h"
#include "txs/rules.h"
#include "txs/sanctions.h"
#include "txs/screen.h"
#include "txs/state.h"

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
    uint8_t keyed;           /* nkey holds t's two names' cache keys */
    txs_sanctions_key nkey[2]; /* originator's, beneficiary's (prefetch) */
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
    part_rec *rec;           /* [slot cap] */
    int rc;
} part_out;

/* A batch in flight: the framed records and, after stage 1, each record's
 * txn (slices into the batch's copy and arena) and hits; with a
 * partitioned state, then each partition's hits and the link hand-off. */
typedef struct slot {
    txs_batch batch;
    size_t cap;              /* records a batch may hold (txs__pipe_batch_cap) */
    rec_res *res;            /* [cap] */
    txs_hit *hits;           /* every record's stage-1 hits, in order */
    size_t nhits, hcap;
    size_t nres;             /* records through stage 1 (batch.n unless rc) */
    int rc;                  /* stage 1: 0, or the status it stopped with */
    int done;                /* stage 1 finished (threads) */
    int mapped;              /* threads over payment messages: res[0..nres)
                                were filled by the payment reader, each txn
                                copied into batch.arena, each reject (why) a
                                JSON line (txs_pay_reject_json) */
    unsigned pdone;          /* partitions through it (threads) */
    part_out *po;            /* [nparts], NULL: state not partitioned */
    txs_state_key *key;      /* [cap], stage 1 computes them */
    txs_state_link *lk;      /* [cap] */
} slot;

/* What stage 1 needs per thread: its own sanctions screener (one Hyperscan
 * scratch), place scanner, normaliser and hit buffers.  The configuration
 * it reads (thresholds, rule set, good guys) is the screener's, shared
 * read-only. */
typedef struct worker {
    const struct txs_screener *s;
    txs_sanctions *sanc;        /* NULL: no lists */
    txs_places *places;         /* NULL: no place screening */
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
    txs_buf casebuf;            /* one case subject's escaped strings (alert.c) */
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
    txs_pay_reader *pay;        /* payment messages, made on first use */
    /* st.read as of the last committed batch, for txs_screener_progress
     * on another thread: one relaxed store a batch. */
    _Atomic uint64_t progress;
};

/* ------------------------------------------------------ between the files */

/* driver.c: a worker's own screeners and buffers (the lists' and places'
 * failures explained in the screener's diag), and a slot's arrays. */
int txs__pipe_worker_init(const txs_screener *s, worker *w);
void txs__pipe_worker_free(worker *w);
int txs__pipe_slot_init(slot *sl, size_t cap);
/* Records per batch for screener s: TXS_BATCH_RECORDS_ONE on one thread,
 * TXS_BATCH_RECORDS with threads (limits.h says why); its readers frame
 * batches of at most this many and its slots hold this many. */
size_t txs__pipe_batch_cap(const txs_screener *s);
/* Room for a slot's state keys, for a single-table state. */
int txs__pipe_slot_keys(slot *sl);
/* The partitions' outputs of a ring slot, and the link hand-off when the
 * rule set has graph kinds (link). */
int txs__pipe_slot_parts(slot *sl, unsigned np, int link);
/* Hand buffer b to sink fn (its bytes), then empty it. */
int txs__pipe_drain(txs_buf *b, txs_sink_fn fn, void *ctx, txs_diag *d);

/* route.c: the bars by hit kind into s; returns the lowest name bar in
 * force, the threshold the sanctions screeners are created at. */
double txs__pipe_thresholds(txs_screener *s);
/* A record's parties, banks, accounts and purpose through the sanctions
 * screener; hits appended to w->hits[*n..], *dropped counting those
 * beyond TXS_MAX_HITS.  Hot path. */
int txs__pipe_screen_sanctions(worker *w, const txs_txn *t, const txs_sanctions_key *nkey,
                               size_t *n, size_t *dropped);
/* Start fetching what txs__pipe_screen_sanctions reads first for t; the
 * names' keys into nkey[2] for it (nkey: NULL or its argument).  Returns
 * whether it wrote them. */
int txs__pipe_prefetch_sanctions(const worker *w, const txs_txn *t, txs_sanctions_key *nkey);
/* Purpose and addresses: list names (free_text) and sanctioned places. */
int txs__pipe_screen_text(worker *w, const txs_txn *t, size_t *n, size_t *dropped);

/* alert.c: one alert line for t and s->hits[0..nh) into s->alerts. */
int txs__pipe_emit_alert(txs_screener *s, const txs_source_stats *ss, const txs_txn *t,
                          size_t nh, int score, int band);
/* case_of.c: the case hit h of t names (its id into id; 0: none, 1, or
 * a negative status); with opts.cases and a band, the alert (number
 * s->st.alerts, score, band) is added to it. */
int txs__pipe_hit_case(txs_screener *s, const txs_txn *t, const txs_hit *h, int score,
                       int band, char id[TXS_CASE_ID_LEN + 1]);

/* record.c: stage 1 over a batch (rebased first when it was detached);
 * partition k's account state over a batch through stage 1; the ordered
 * stage of a batch (its records up to where stage 1 stopped, then stage
 * 1's status). */
void txs__pipe_screen_batch(worker *w, const txs_binding *bind, slot *sl);
/* Stage 1 of a transaction already in o->t; the ordered stage of res[i]
 * of sl once screened (no reject).  A payment message's transactions go
 * through these one at a time (driver.c). */
int txs__pipe_screen_txn(worker *w, rec_res *o, slot *sl);
int txs__pipe_commit_txn(txs_screener *s, txs_source_stats *ss, const slot *sl, size_t i,
                         txs_arena *a);
void txs__pipe_part_batch(txs_screener *s, unsigned k, slot *sl);
int txs__pipe_commit_batch(txs_screener *s, txs_source_stats *ss, slot *sl);

/* threads.c: screen the attached source with threads; returns as the
 * single-threaded loop would (0 at the end of the input, or a negative
 * status). */
int txs__pipe_feed_threads(txs_screener *s, txs_reader *r, const txs_binding *bind,
                           txs_source_stats *ss, txs_diag *d);
/* The same over payment messages: the payment reader (s->pay) reads src on
 * a thread of its own, copying transactions and rejects into ring slots;
 * output as feed_payments' single-threaded one, byte for byte. */
int txs__pipe_feed_pay_threads(txs_screener *s, struct txs_source *src, txs_source_stats *ss,
                               uint32_t file_index, txs_diag *d);

/* A record's stage-1 result before stage 1: no reason, no hits, home. */
static inline void txs__pipe_res_reset(rec_res *o, const slot *sl)
{
    o->why = NULL;
    o->hit0 = (uint32_t)sl->nhits;
    o->nh = o->nsanc = o->suppressed = o->dropped = 0;
    o->home = 1;
}

/* route.c: a sanctions hit's entry keys (list, list_version, entry_id,
 * entry_name, entry_type, program) for entity of l, each after a comma. */
void txs__pipe_put_entry(txs_buf *b, const txs_lists *l, uint32_t entity);

/* ,"key":"value" with the value escaped (alert and hit JSON). */
static inline void txs__pipe_put_key_str(txs_buf *b, const char *key, txs_slice v)
{
    txs_buf_puts(b, key);
    txs_buf_json_str(b, v.p, v.n);
}

#endif /* TXS_PIPELINE_INT_H */
