/*
 * patset.c: a set of regular expressions scanned in one Hyperscan pass and
 * confirmed by PCRE2 (patset.h draws the flow).  Hyperscan compiles most
 * patterns exactly; a pattern it can parse only approximately (a
 * backreference, lookaround) is compiled with HS_FLAG_PREFILTER, whose
 * database matches a superset of the pattern's matches, so each of its
 * candidates is run through PCRE2 and dropped unless PCRE2 matches.  Both
 * engines get the same flags (regex.h), and each id is reported at most
 * once (HS_FLAG_SINGLEMATCH), so a scan's answer is the set of patterns
 * that match the text, the same set PCRE2 alone finds (tests/unit/
 * test_patset.c checks this over the bench export's purposes).
 *
 * Spans and groups always come from PCRE2 (leftmost match, as pcre2grep
 * reports), also for exact patterns, whose spans Hyperscan does not give
 * without SOM tracking; that costs one PCRE2 match per matching pattern,
 * never per pattern per text.
 *
 * Saved form (txs_patset_save), checked whole before use:
 *   "TXSPAT2\n"  u64 n  u64 fingerprint(patterns, flags, mode)  u64 groups
 *   n class bytes (0 exact, 1 prefilter)  Hyperscan's serialised database
 *   u64 xxh3-64 of everything before
 * Anything else (a truncated or flipped file, other patterns) is refused
 * with TXS_E_FORMAT and the caller compiles afresh.
 *
 * JIT: PCRE2's JIT code is made for a pattern on its first candidate,
 * under one mutex, and published with a release store, so a set of 10,000
 * keywords does not JIT-compile them all at load.  A set built from saved
 * bytes also leaves PCRE2's compile itself to the first candidate: the
 * patterns were checked when the bytes were made, and the fingerprint
 * says they are the same, so a cached load is one read and Hyperscan's
 * deserialisation (the 50 ms target of issue 18).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "txs/hs_engine.h"
#include "txs/patset.h"
#include "txs/regex.h"

static const char MAGIC[8] = {'T', 'X', 'S', 'P', 'A', 'T', '2', '\n'};

typedef struct pat {
    char *expr;           /* NUL-terminated copy (Hyperscan needs one) */
    size_t len;
    unsigned flags;
    int prefilter;
    txs_regex *re;        /* NULL until first use when built from saved bytes */
    atomic_int ready;     /* re compiled and JIT-compiled (or JIT unavailable) */
} pat;

struct txs_patset {
    pat *p;
    size_t n;
    unsigned mode;
    unsigned groups;      /* most groups of any pattern */
    uint64_t fp;          /* fingerprint of patterns, flags, mode */
    txs_hsdb *db;
    void *bytes;          /* the serialised database */
    size_t nbytes;
    pthread_mutex_t jit;
};

struct txs_patscratch {
    txs_hsscratch *hs;
    txs_regex_md *md;
    unsigned *ids;
    size_t nids, cap;
};

static uint64_t fingerprint(const txs_pat *p, size_t n, unsigned mode)
{
    XXH3_state_t *st = XXH3_createState();
    if (st == NULL) return 0;
    XXH3_64bits_reset(st);
    uint64_t hdr[2] = {n, mode};
    XXH3_64bits_update(st, hdr, sizeof hdr);
    for (size_t i = 0; i < n; i++) {
        uint64_t h[2] = {p[i].len, p[i].flags};
        XXH3_64bits_update(st, h, sizeof h);
        XXH3_64bits_update(st, p[i].expr, p[i].len);
    }
    uint64_t fp = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return fp;
}

static int fail(txs_patset_err *e, long i, long off, const char *engine, const char *msg)
{
    e->index = i, e->offset = off, e->engine = engine;
    size_t n = strlen(msg);
    if (n >= sizeof e->msg) n = sizeof e->msg - 1;
    memcpy(e->msg, msg, n);
    e->msg[n] = '\0';
    return TXS_E_CONFIG;
}

/* Copy and (unless lazy) PCRE2-compile every pattern: syntax errors stop
 * here, with PCRE2's offset. */
static int compile_pcre(txs_patset *ps, const txs_pat *p, int lazy, txs_patset_err *e)
{
    for (size_t i = 0; i < ps->n; i++) {
        pat *q = &ps->p[i];
        if (memchr(p[i].expr, '\0', p[i].len))
            return fail(e, (long)i, (long)((const char *)memchr(p[i].expr, '\0', p[i].len) -
                                           p[i].expr), "PCRE2", "a NUL byte in a pattern");
        q->expr = malloc(p[i].len + 1);
        if (q->expr == NULL) return TXS_E_NOMEM;
        memcpy(q->expr, p[i].expr, p[i].len);
        q->expr[p[i].len] = '\0';
        q->len = p[i].len;
        q->flags = p[i].flags;
        if (lazy) continue;
        size_t off;
        char msg[200];
        int rc = txs_regex_compile(q->expr, q->len, q->flags, &q->re, &off, msg, sizeof msg);
        if (rc == TXS_E_CONFIG) return fail(e, (long)i, (long)off, "PCRE2", msg);
        if (rc < 0) return rc;
        if (txs_regex_groups(q->re) > ps->groups) ps->groups = txs_regex_groups(q->re);
    }
    return TXS_OK;
}

/* Exact or prefilter, by what Hyperscan accepts of the pattern alone. */
static int classify(txs_patset *ps, txs_patset_err *e)
{
    for (size_t i = 0; i < ps->n; i++) {
        pat *q = &ps->p[i];
        int empty = 0;
        char msg[200];
        int rc = txs_hsdb_regex_check(q->expr, q->flags, &empty, msg, sizeof msg);
        if (rc == TXS_E_CONFIG) return fail(e, (long)i, -1, "Hyperscan", msg);
        if (empty)
            return fail(e, (long)i, -1, "Hyperscan",
                        "the pattern can match an empty string, so it would hit every text");
        q->prefilter = rc == TXS_E_UNSUPPORTED || ps->mode == TXS_PATSET_PREFILTER;
    }
    return TXS_OK;
}

/* One database for all.  A pattern Hyperscan parses but cannot build
 * exactly within its limits is moved to the prefilter class and the
 * compile retried; one it refuses as a prefilter too is an error. */
static int compile_hs(txs_patset *ps, int target, txs_patset_err *e)
{
    const char **ex = malloc(ps->n * sizeof *ex);
    unsigned *fl = malloc(ps->n * sizeof *fl);
    int rc = ex && fl ? TXS_OK : TXS_E_NOMEM;
    for (size_t tries = 0; rc == TXS_OK && tries <= ps->n; tries++) {
        for (size_t i = 0; i < ps->n; i++)
            ex[i] = ps->p[i].expr,
            fl[i] = ps->p[i].flags | (ps->p[i].prefilter ? TXS_HSRE_PREFILTER : 0);
        long bad = -1;
        txs_diag d = {0};
        rc = txs_hsdb_compile_regex(ex, fl, ps->n, target, &ps->bytes, &ps->nbytes, &bad, &d);
        if (rc != TXS_E_CONFIG) break;
        if (bad < 0 || ps->p[bad].prefilter) {
            rc = fail(e, bad, -1, "Hyperscan", d.msg);
            break;
        }
        ps->p[bad].prefilter = 1;
        rc = TXS_OK;
    }
    free(ex), free(fl);
    return rc;
}

/* The saved bytes, if they are exactly this set's. */
#define HEAD (sizeof MAGIC + 24)

/* Open the saved bytes if they are exactly this set's. */
static int load_saved(txs_patset *ps, const unsigned char *b, size_t n)
{
    if (n < HEAD + ps->n + 8 || memcmp(b, MAGIC, sizeof MAGIC) != 0) return TXS_E_FORMAT;
    uint64_t cnt, fp, groups, sum;
    memcpy(&cnt, b + 8, 8), memcpy(&fp, b + 16, 8), memcpy(&groups, b + 24, 8);
    memcpy(&sum, b + n - 8, 8);
    if (cnt != ps->n || fp != ps->fp || groups > 65535 || sum != XXH3_64bits(b, n - 8))
        return TXS_E_FORMAT;
    for (size_t i = 0; i < ps->n; i++) {
        if (b[HEAD + i] > 1) return TXS_E_FORMAT;
        ps->p[i].prefilter = b[HEAD + i];
    }
    ps->groups = (unsigned)groups;
    txs_diag d;
    int rc = txs_hsdb_open(b + HEAD + ps->n, n - HEAD - ps->n - 8, &ps->db, &d);
    return rc == TXS_E_NOMEM ? rc : rc < 0 ? TXS_E_FORMAT : TXS_OK;
}

int txs_patset_build(const txs_pat *p, size_t n, unsigned mode, int target,
                     const void *db, size_t dbn, txs_patset **out, txs_patset_err *e)
{
    *out = NULL;
    e->index = -1, e->offset = -1, e->engine = "", e->msg[0] = '\0';
    txs_patset *ps = calloc(1, sizeof *ps);
    if (ps == NULL) return TXS_E_NOMEM;
    ps->p = calloc(n ? n : 1, sizeof *ps->p);
    ps->n = n;
    ps->mode = mode;
    pthread_mutex_init(&ps->jit, NULL);
    int rc = ps->p ? compile_pcre(ps, p, db != NULL, e) : TXS_E_NOMEM;
    if (rc == 0) ps->fp = fingerprint(p, n, mode);
    if (rc == 0 && db) rc = load_saved(ps, db, dbn);
    else if (rc == 0) rc = classify(ps, e);
    if (rc == 0 && db == NULL) rc = compile_hs(ps, target, e);
    if (rc == 0 && db == NULL) {
        txs_diag d;
        rc = txs_hsdb_open(ps->bytes, ps->nbytes, &ps->db, &d);
        if (rc < 0 && rc != TXS_E_NOMEM) fail(e, -1, -1, "Hyperscan", d.msg);
    }
    if (rc < 0) {
        txs_patset_free(ps);
        return rc;
    }
    *out = ps;
    return TXS_OK;
}

void txs_patset_free(txs_patset *ps)
{
    if (ps == NULL) return;
    for (size_t i = 0; ps->p && i < ps->n; i++) {
        free(ps->p[i].expr);
        txs_regex_free(ps->p[i].re);
    }
    free(ps->p);
    txs_hsdb_free(ps->db);
    free(ps->bytes);
    pthread_mutex_destroy(&ps->jit);
    free(ps);
}

size_t txs_patset_count(const txs_patset *ps) { return ps->n; }

int txs_patset_is_prefilter(const txs_patset *ps, size_t i)
{
    return i < ps->n && ps->p[i].prefilter;
}

int txs_patset_save(const txs_patset *ps, void **out, size_t *outn)
{
    if (ps->bytes == NULL) return TXS_E_UNSUPPORTED; /* built from saved bytes */
    size_t n = HEAD + ps->n + ps->nbytes + 8;
    unsigned char *b = malloc(n);
    if (b == NULL) return TXS_E_NOMEM;
    uint64_t cnt = ps->n, groups = ps->groups;
    memcpy(b, MAGIC, sizeof MAGIC);
    memcpy(b + 8, &cnt, 8), memcpy(b + 16, &ps->fp, 8), memcpy(b + 24, &groups, 8);
    for (size_t i = 0; i < ps->n; i++) b[HEAD + i] = (unsigned char)ps->p[i].prefilter;
    if (ps->nbytes) memcpy(b + HEAD + ps->n, ps->bytes, ps->nbytes);
    uint64_t sum = XXH3_64bits(b, n - 8);
    memcpy(b + n - 8, &sum, 8);
    *out = b, *outn = n;
    return TXS_OK;
}

/* ------------------------------------------------------------ scanning */

int txs_patset_scratch(const txs_patset *ps, txs_patscratch **out)
{
    txs_patscratch *s = calloc(1, sizeof *s);
    if (s == NULL) return *out = NULL, TXS_E_NOMEM;
    s->cap = ps->n;
    s->ids = malloc((ps->n ? ps->n : 1) * sizeof *s->ids);
    int rc = s->ids ? txs_hsdb_scratch(ps->db, &s->hs) : TXS_E_NOMEM;
    if (rc == 0) rc = txs_regex_md_create(ps->groups, &s->md);
    if (rc < 0) {
        txs_patset_scratch_free(s);
        return *out = NULL, rc;
    }
    *out = s;
    return TXS_OK;
}

void txs_patset_scratch_free(txs_patscratch *s)
{
    if (s == NULL) return;
    txs_hsdb_scratch_free(s->hs);
    txs_regex_md_free(s->md);
    free(s->ids);
    free(s);
}

static int on_id(unsigned id, unsigned long long to, void *ctx)
{
    (void)to;
    txs_patscratch *s = ctx;
    if (s->nids < s->cap) s->ids[s->nids++] = id; /* SINGLEMATCH: once per id */
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* Cold: the pattern's first candidate.  JIT under the set's mutex; a
 * failed JIT leaves the interpreter, which gives the same answers. */
__attribute__((noinline, cold)) static void make_ready(const txs_patset *ps, pat *q)
{
    pthread_mutex_lock((pthread_mutex_t *)&ps->jit);
    if (!atomic_load_explicit(&q->ready, memory_order_relaxed)) {
        size_t off;
        char msg[8];
        /* Built from saved bytes: compile now (checked when they were
         * made).  Out of memory leaves re NULL: no candidate confirmed. */
        if (q->re == NULL) txs_regex_compile(q->expr, q->len, q->flags, &q->re, &off, msg, sizeof msg);
        if (q->re) txs_regex_jit(q->re);
        atomic_store_explicit(&q->ready, 1, memory_order_release);
    }
    pthread_mutex_unlock((pthread_mutex_t *)&ps->jit);
}

static void fill_spans(const txs_patscratch *s, const pat *q, txs_patmatch *m)
{
    unsigned g = txs_regex_groups(q->re);
    m->groups = g < TXS_PAT_GROUPS ? g : TXS_PAT_GROUPS;
    for (unsigned k = 0; k <= m->groups; k++)
        if (!txs_regex_span(s->md, k, &m->from[k], &m->to[k])) m->from[k] = m->to[k] = SIZE_MAX;
}

int txs_patset_scan(const txs_patset *ps, txs_patscratch *s, const char *text, size_t n,
                    txs_patset_fn fn, void *ctx)
{
    s->nids = 0;
    int rc = txs_hsdb_scan(ps->db, s->hs, text, n, on_id, s);
    if (rc < 0 || s->nids == 0) return rc;
    if (s->nids > 1) qsort(s->ids, s->nids, sizeof *s->ids, cmp_id);
    for (size_t k = 0; k < s->nids; k++) {
        pat *q = &ps->p[s->ids[k]];
        if (!atomic_load_explicit(&q->ready, memory_order_acquire)) make_ready(ps, q);
        txs_patmatch m;
        m.id = s->ids[k];
        m.groups = 0;
        m.spans = q->re && txs_regex_match(q->re, text, n, s->md) == 1;
        if (!m.spans && q->prefilter) continue; /* a candidate PCRE2 refutes */
        if (m.spans) fill_spans(s, q, &m);
        else m.groups = 0;
        if (fn(ctx, &m)) break;
    }
    return TXS_OK;
}
