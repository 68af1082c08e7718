/*
 * gen.c: the generator's public API and its row loop.  Each record is either
 * a queued planted record whose time the background clock has reached, or
 * background (its time a few seconds after the previous one).  At the plant
 * rate a planter, chosen by weight, drafts a whole pattern whose records
 * carry their own times (minutes to months ahead); they wait in a bounded
 * min-heap.  Every record gets the next txn id, is formatted into a 1 MiB
 * buffer, and, if labelled, gets a label row.
 *
 * Memory is fixed before the first record: the world (names, banks), the
 * queue of planted records (GEN_QUEUE_MAX) and the output buffer.  Nothing
 * grows with rows.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

#define OUT_BUF (1u << 20)

/* 2026-03-01T00:00:00Z for native exports; AMLworld's data starts at
 * 2022/09/01 00:00, so its exports do too. */
#define NATIVE_START 1772323200
#define AMLWORLD_START 1661990400

void txs_gen_opts_default(txs_gen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->rows = 1000;
    o->format = TXS_GEN_NATIVE_CSV;
    o->accounts = 100000;
    o->plant_rate = 0.002;
    o->names_path = NULL;
}

int txs_gen_format_parse(const char *s, txs_gen_format *out)
{
    if (strcmp(s, "native") == 0 || strcmp(s, "csv") == 0) *out = TXS_GEN_NATIVE_CSV;
    else if (strcmp(s, "jsonl") == 0) *out = TXS_GEN_NATIVE_JSONL;
    else if (strcmp(s, "amlworld") == 0) *out = TXS_GEN_AMLWORLD;
    else if (strcmp(s, "pacs.008") == 0) *out = TXS_GEN_PACS008;
    else if (strcmp(s, "pain.001") == 0) *out = TXS_GEN_PAIN001;
    else if (strcmp(s, "mt103") == 0) *out = TXS_GEN_MT103;
    else return TXS_E_ARG;
    return 0;
}

int txs_gen_format_payments(txs_gen_format f)
{
    return f == TXS_GEN_PACS008 || f == TXS_GEN_PAIN001 || f == TXS_GEN_MT103;
}

const char *txs_gen_typology_name(int i)
{
    return i >= 0 && i < gen_nplanters ? gen_planters[i].typology : NULL;
}

int txs_gen_typology_amlworld(int i)
{
    return i >= 0 && i < gen_nplanters ? gen_planters[i].amlworld : -1;
}

void gen_rng_seed(gen_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = gen_splitmix(&x);
}

static int check_opts(const txs_gen_opts *o, FILE *out, txs_diag *d)
{
    if (!o || !out) return txs_diag_set(d, TXS_E_ARG, "", 0, "no options or output");
    if (o->rows == 0 && o->target_bytes == 0)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "give a row count or a size");
    if (o->accounts < 100)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "accounts must be at least 100");
    if (!(o->plant_rate >= 0.0 && o->plant_rate <= 0.5))
        return txs_diag_set(d, TXS_E_ARG, "", 0, "plant rate must be within 0..0.5");
    if (o->format != TXS_GEN_NATIVE_CSV && o->format != TXS_GEN_NATIVE_JSONL &&
        o->format != TXS_GEN_AMLWORLD && !txs_gen_format_payments(o->format))
        return txs_diag_set(d, TXS_E_ARG, "", 0, "unknown format");
    return 0;
}

/* A planted record waiting for its time: a min-heap on (ts, order), the
 * order being the push count, so equal times keep their drafting order and
 * the output is deterministic. */
typedef struct qent {
    int64_t ts;
    uint64_t order;
    uint32_t slot;
} qent;

/* The run's mutable state besides the context: output buffer and counts. */
typedef struct run {
    gen_ctx g;
    FILE *out, *labels;
    char *buf;
    size_t used;
    uint64_t seq, pattern, plant_below, pushes;
    unsigned weights[32], total_weight;
    txs_gen_stats st;
    int failed;
    const char *label_prefix;
    gen_txn *slots;          /* GEN_QUEUE_MAX queued records */
    uint32_t *free_slots, nfree;
    qent *heap;
    uint32_t nheap;
    gen_txn draft[GEN_PENDING_MAX];
    uint64_t uetr_key;       /* payment formats: the UETRs' key */
    gen_txn pain[GEN_PAIN_GROUP]; /* pain.001: records of the message */
    int npain;
    uint64_t pain_msgs;
} run;

static void flush(run *R)
{
    if (R->used && fwrite(R->buf, 1, R->used, R->out) != R->used) R->failed = 1;
    R->used = 0;
}

static int qless(const qent *a, const qent *b)
{
    return a->ts < b->ts || (a->ts == b->ts && a->order < b->order);
}

static void heap_push(run *R, qent e)
{
    uint32_t i = R->nheap++;
    while (i > 0) {
        uint32_t up = (i - 1) / 2;
        if (!qless(&e, &R->heap[up])) break;
        R->heap[i] = R->heap[up];
        i = up;
    }
    R->heap[i] = e;
}

static qent heap_pop(run *R)
{
    qent top = R->heap[0], last = R->heap[--R->nheap];
    uint32_t i = 0, n = R->nheap;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && qless(&R->heap[c + 1], &R->heap[c])) c++;
        if (!qless(&R->heap[c], &last)) break;
        R->heap[i] = R->heap[c];
        i = c;
    }
    if (n) R->heap[i] = last;
    return top;
}

/* Start a new pattern at time now: pick a planter by weight, draft it, and
 * queue its records when they fit both the queue and the row budget
 * (`room`); otherwise the drafts are dropped (the draw is still made, so
 * output stays a function of the seed).  Returns 1 if queued. */
static int start_pattern(run *R, int64_t now, uint64_t room)
{
    uint32_t k = gen_below(&R->g.rng, R->total_weight);
    int p = 0;
    while (k >= R->weights[p]) k -= R->weights[p++];
    memset(R->draft, 0, sizeof R->draft);
    int n = gen_planters[p].plant(&R->g, R->draft, GEN_PENDING_MAX);
    if (n < 1 || (uint32_t)n > R->nfree || (uint64_t)n > room) return 0;
    R->pattern++;
    R->st.patterns++;
    for (int i = 0; i < n; i++) {
        uint32_t slot = R->free_slots[--R->nfree];
        gen_txn *t = &R->slots[slot];
        *t = R->draft[i];
        t->ts = now + (t->ts > 0 ? t->ts : 0);
        t->typology = t->typology < 0 ? -1 : p;
        t->pattern = t->typology < 0 ? 0 : R->pattern;
        heap_push(R, (qent){t->ts, R->pushes++, slot});
    }
    return 1;
}

static void write_label(run *R, const gen_txn *t)
{
    R->st.planted++;
    R->st.per_typology[t->typology]++;
    if (!R->labels) return;
    /* AMLworld rows have no id: they are named by their line number (the
     * header is line 1), after the prefix the engine gives generated ids. */
    char id[40], pat[24];
    size_t n = 0;
    if (txs_gen_format_payments(R->g.format)) {
        n = gen_pay_uetr(R->uetr_key, t->seq, id);
    } else {
        if (R->g.format != TXS_GEN_AMLWORLD) id[n++] = 'T';
        n += gen_put_u64(id + n, R->g.format == TXS_GEN_AMLWORLD ? t->seq + 1 : t->seq);
    }
    id[n] = 0;
    pat[0] = 'P';
    pat[1 + gen_put_u64(pat + 1, t->pattern)] = 0;
    if (fprintf(R->labels, "%s%s,%s,%s\n",
                R->g.format == TXS_GEN_AMLWORLD && R->label_prefix ? R->label_prefix : "",
                id, gen_planters[t->typology].typology, pat) < 0)
        R->failed = 1;
}

/* The pain.001 message of the records held so far. */
static void flush_pain(run *R)
{
    if (R->npain == 0) return;
    if (OUT_BUF - R->used < (size_t)(R->npain + 1) * GEN_REC_MAX) flush(R);
    const gen_txn *t[GEN_PAIN_GROUP];
    for (int i = 0; i < R->npain; i++) t[i] = &R->pain[i];
    size_t n = gen_pay_pain001(t, R->npain, ++R->pain_msgs, R->uetr_key, R->buf + R->used);
    R->used += n;
    R->st.bytes += n;
    R->npain = 0;
}

/* One record into the buffer: formatted now, or (pain.001) held for its
 * message, which takes up to GEN_PAIN_GROUP records of one day. */
static size_t format(run *R, const gen_txn *t)
{
    int laundering = t->typology >= 0 && gen_planters[t->typology].laundering;
    char *b = R->buf + R->used;
    switch (R->g.format) {
    case TXS_GEN_PACS008: return gen_pay_pacs008(t, R->uetr_key, b);
    case TXS_GEN_MT103: return gen_pay_mt103(t, R->uetr_key, b);
    case TXS_GEN_PAIN001:
        if (R->npain && (R->npain == GEN_PAIN_GROUP || t->ts / 86400 != R->pain[0].ts / 86400))
            flush_pain(R);
        R->pain[R->npain++] = *t;
        return 0;
    default: return gen_format_record(R->g.format, t, laundering, b);
    }
}

static void emit(run *R, gen_txn *t)
{
    t->seq = ++R->seq;
    size_t n = format(R, t);
    R->used += n;
    R->st.bytes += n;
    R->st.rows++;
    if (t->typology >= 0) write_label(R, t);
    if (OUT_BUF - R->used < GEN_REC_MAX) flush(R);
}

static void emit_queued(run *R)
{
    qent e = heap_pop(R);
    emit(R, &R->slots[e.slot]);
    R->free_slots[R->nfree++] = e.slot;
}

/* The row loop: the generator's hot path (one draft, one format, a memcpy-
 * sized write into the buffer per record).  The background clock advances
 * 0-5 s per background record; a queued planted record is released (with
 * its own timestamp, which the clock has reached) before the next
 * background record, so output is in timestamp order.  When the row budget
 * left equals the queued records, or the size target is reached, no more
 * background or patterns are drawn and the queue drains: patterns still in
 * flight are completed as a tail whose times run past the background's. */
static void loop(run *R, const txs_gen_opts *o)
{
    gen_txn bg;
    /* The time the next background record will take: drawn ahead, so that
     * every queued record due by then goes out first. */
    int64_t ts = (o->format == TXS_GEN_AMLWORLD ? AMLWORLD_START : NATIVE_START) +
                 gen_below(&R->g.rng, 6);
    for (;;) {
        if (R->failed) return;
        uint64_t left = o->rows ? o->rows - R->seq : UINT64_MAX;
        int size_done = o->target_bytes && R->st.bytes >= o->target_bytes;
        if (left == 0) return;
        if (left <= R->nheap || size_done) { /* the tail */
            if (R->nheap == 0) return;
            R->st.tail++;
            emit_queued(R);
            continue;
        }
        if (R->nheap && R->heap[0].ts <= ts) {
            emit_queued(R);
            continue;
        }
        if (R->total_weight && (gen_next(&R->g.rng) >> 11) < R->plant_below &&
            start_pattern(R, ts, left - R->nheap))
            continue; /* its first record is due now */
        gen_background(&R->g, &bg);
        bg.ts = ts;
        emit(R, &bg);
        ts += gen_below(&R->g.rng, 6);
    }
}

/* Weights of the planters a run uses: all that the format can express, or
 * those named in the comma-separated list. */
static int select_planters(run *R, const txs_gen_opts *o, txs_diag *d)
{
    int chosen[32] = {0};
    const char *s = o->typologies;
    if (s && *s) {
        while (*s) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            int found = -1;
            for (int p = 0; p < gen_nplanters; p++)
                if (strlen(gen_planters[p].typology) == n &&
                    memcmp(gen_planters[p].typology, s, n) == 0)
                    found = p;
            if (found < 0)
                return txs_diag_set(d, TXS_E_ARG, "", 0, "unknown typology '%.*s'", (int)n, s);
            if (o->format == TXS_GEN_AMLWORLD && !gen_planters[found].amlworld)
                return txs_diag_set(d, TXS_E_ARG, "", 0,
                                    "typology '%s' cannot be expressed in the amlworld format",
                                    gen_planters[found].typology);
            chosen[found] = 1;
            s += n;
            if (*s == ',') s++;
        }
    } else {
        for (int p = 0; p < gen_nplanters; p++) chosen[p] = 1;
    }
    for (int p = 0; p < gen_nplanters; p++) {
        int ok = chosen[p] && (o->format != TXS_GEN_AMLWORLD || gen_planters[p].amlworld);
        R->weights[p] = ok ? gen_planters[p].weight : 0;
        R->total_weight += R->weights[p];
    }
    return 0;
}

static void run_free(run *R)
{
    free(R->buf);
    free(R->slots);
    free(R->free_slots);
    free(R->heap);
    free(R);
}

int txs_gen_run(const txs_gen_opts *o, FILE *out, FILE *labels,
                txs_gen_stats *stats, txs_diag *d)
{
    TXS_TRY(check_opts(o, out, d));
    if (o->embed_amlworld) {
        txs_gen_stats st;
        memset(&st, 0, sizeof st);
        int rc = gen_embed_run(o, out, labels, &st, d);
        if (stats) *stats = st;
        return rc;
    }
    run *R = calloc(1, sizeof *R);
    if (!R) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    R->g.format = o->format;
    int rc = select_planters(R, o, d);
    if (rc < 0) {
        free(R);
        return rc;
    }
    gen_world *w = NULL;
    rc = gen_world_create(o->seed, o->accounts, o->names_path, &w, d);
    if (rc < 0) {
        free(R);
        return rc;
    }
    R->buf = malloc(OUT_BUF);
    /* The queue's slots are touched only as patterns fill them. */
    R->slots = malloc(GEN_QUEUE_MAX * sizeof *R->slots);
    R->free_slots = malloc(GEN_QUEUE_MAX * sizeof *R->free_slots);
    R->heap = malloc(GEN_QUEUE_MAX * sizeof *R->heap);
    if (!R->buf || !R->slots || !R->free_slots || !R->heap) {
        gen_world_free(w);
        run_free(R);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    }
    for (uint32_t i = 0; i < GEN_QUEUE_MAX; i++) R->free_slots[i] = GEN_QUEUE_MAX - 1 - i;
    R->nfree = GEN_QUEUE_MAX;
    R->g.w = w;
    R->g.next_fresh = o->accounts;
    gen_rng_seed(&R->g.rng, o->seed ^ 0x7478732D67656E00ull); /* "txs-gen" */
    R->out = out;
    R->labels = labels;
    R->label_prefix = o->label_prefix;
    /* The plant decision compares 53 random bits with rate * 2^53. */
    R->plant_below = (uint64_t)(o->plant_rate * 9007199254740992.0);
    R->uetr_key = gen_hash2(o->seed, 0x55455452u); /* "UETR" */
    R->used = gen_format_header(o->format, R->buf);
    R->st.bytes = R->used;
    if (labels && fputs("txn_id,typology,pattern_id\n", labels) < 0) R->failed = 1;
    loop(R, o);
    flush_pain(R);
    flush(R);
    if (fflush(out) != 0 || ferror(out)) R->failed = 1;
    if (labels && (fflush(labels) != 0 || ferror(labels))) R->failed = 1;
    rc = R->failed ? txs_diag_set(d, TXS_E_OUTPUT, "", 0, "write error") : 0;
    if (stats) *stats = R->st;
    gen_world_free(w);
    run_free(R);
    return rc;
}
