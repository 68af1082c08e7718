/*
 * gen.c: the generator's public API and its row loop.  Each record is either
 * the next draft of a pattern in progress, the first draft of a new pattern
 * (a planter, chosen at the plant rate by weight), or background; it gets
 * the next txn id and a timestamp a few seconds after the previous one, is
 * formatted into a 1 MiB buffer, and, if planted, gets a label row.
 *
 * Memory is fixed before the first record: the world (names, banks), the
 * pending-pattern queue and the output buffer.  Nothing grows with rows.
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
    else return TXS_E_ARG;
    return 0;
}

const char *txs_gen_typology_name(int i)
{
    return i >= 0 && i < gen_nplanters ? gen_planters[i].typology : NULL;
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
        o->format != TXS_GEN_AMLWORLD)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "unknown format");
    return 0;
}

/* The run's mutable state besides the context: output buffer and counts. */
typedef struct run {
    gen_ctx g;
    FILE *out, *labels;
    char *buf;
    size_t used;
    uint64_t seq, pattern, plant_below;
    unsigned weights[16], total_weight;
    txs_gen_stats st;
    int failed;
} run;

static void flush(run *R)
{
    if (R->used && fwrite(R->buf, 1, R->used, R->out) != R->used) R->failed = 1;
    R->used = 0;
}

/* Start a new pattern: pick a planter by weight and queue its drafts. */
static gen_txn *start_pattern(run *R)
{
    uint32_t k = gen_below(&R->g.rng, R->total_weight);
    int p = 0;
    while (k >= R->weights[p]) k -= R->weights[p++];
    int n = gen_planters[p].plant(&R->g, R->g.pending, GEN_PENDING_MAX);
    R->pattern++;
    for (int i = 0; i < n; i++) {
        R->g.pending[i].typology = p;
        R->g.pending[i].pattern = R->pattern;
    }
    R->g.npending = n;
    R->g.next_pending = 1;
    return &R->g.pending[0];
}

static void write_label(run *R, const gen_txn *t)
{
    R->st.planted++;
    R->st.per_typology[t->typology]++;
    if (!R->labels) return;
    /* AMLworld rows have no id: they are named by their line number (the
     * header is line 1). */
    char id[24], pat[24];
    size_t n = 0;
    if (R->g.format != TXS_GEN_AMLWORLD) id[n++] = 'T';
    n += gen_put_u64(id + n, R->g.format == TXS_GEN_AMLWORLD ? t->seq + 1 : t->seq);
    id[n] = 0;
    pat[0] = 'P';
    pat[1 + gen_put_u64(pat + 1, t->pattern)] = 0;
    if (fprintf(R->labels, "%s,%s,%s\n", id, gen_planters[t->typology].typology, pat) < 0)
        R->failed = 1;
}

/* The row loop: the generator's hot path (one draft, one format, a memcpy-
 * sized write into the buffer per record). */
static void loop(run *R, const txs_gen_opts *o)
{
    gen_txn bg;
    int64_t ts = o->format == TXS_GEN_AMLWORLD ? AMLWORLD_START : NATIVE_START;
    while ((o->rows == 0 || R->seq < o->rows) &&
           (o->target_bytes == 0 || R->st.bytes < o->target_bytes) && !R->failed) {
        gen_txn *t;
        if (R->g.next_pending < R->g.npending)
            t = &R->g.pending[R->g.next_pending++];
        else if (R->total_weight && (gen_next(&R->g.rng) >> 11) < R->plant_below)
            t = start_pattern(R);
        else {
            gen_background(&R->g, &bg);
            t = &bg;
        }
        ts += gen_below(&R->g.rng, 6);
        t->ts = ts;
        t->seq = ++R->seq;
        int laundering = t->typology >= 0 && gen_planters[t->typology].laundering;
        size_t n = gen_format_record(R->g.format, t, laundering, R->buf + R->used);
        R->used += n;
        R->st.bytes += n;
        R->st.rows++;
        if (t->typology >= 0) write_label(R, t);
        if (OUT_BUF - R->used < GEN_REC_MAX) flush(R);
    }
}

int txs_gen_run(const txs_gen_opts *o, FILE *out, FILE *labels,
                txs_gen_stats *stats, txs_diag *d)
{
    TXS_TRY(check_opts(o, out, d));
    run *R = calloc(1, sizeof *R);
    if (!R) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    gen_world *w = NULL;
    int rc = gen_world_create(o->seed, o->accounts, o->names_path, &w, d);
    if (rc < 0) {
        free(R);
        return rc;
    }
    R->buf = malloc(OUT_BUF);
    if (!R->buf) {
        gen_world_free(w);
        free(R);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    }
    R->g.w = w;
    R->g.format = o->format;
    gen_rng_seed(&R->g.rng, o->seed ^ 0x7478732D67656E00ull); /* "txs-gen" */
    R->out = out;
    R->labels = labels;
    /* The plant decision compares 53 random bits with rate * 2^53. */
    R->plant_below = (uint64_t)(o->plant_rate * 9007199254740992.0);
    for (int p = 0; p < gen_nplanters; p++) {
        int ok = o->format != TXS_GEN_AMLWORLD || gen_planters[p].amlworld;
        R->weights[p] = ok ? gen_planters[p].weight : 0;
        R->total_weight += R->weights[p];
    }
    R->used = gen_format_header(o->format, R->buf);
    R->st.bytes = R->used;
    if (labels && fputs("txn_id,typology,pattern_id\n", labels) < 0) R->failed = 1;
    loop(R, o);
    flush(R);
    if (fflush(out) != 0 || ferror(out)) R->failed = 1;
    if (labels && (fflush(labels) != 0 || ferror(labels))) R->failed = 1;
    rc = R->failed ? txs_diag_set(d, TXS_E_OUTPUT, "", 0, "write error") : 0;
    if (stats) *stats = R->st;
    free(R->buf);
    gen_world_free(w);
    free(R);
    return rc;
}
