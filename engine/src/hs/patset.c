/*
 * patset.c: a set of regular expressions scanned in one Hyperscan pass and
 * confirmed by PCRE2 (patset.h draws the flow).  Hyperscan compiles most
 * patterns exactly; a pattern it can parse only approximately (a
 * backreference, lookaround) is compiled with HS_FLAG_PREFILTER, whose
 * database matches a superset of the pattern's matches, so each of its
 * candidates is run through PCRE2 and dropped unless PCRE2 matches.  Both
 * engines get the same flags (regex.h).  Hyperscan reports every match
 * end (HS_FLAG_SINGLEMATCH loses matches in libvectorscan 5.4.9, see
 * hs_engine.h) and on_id keeps an id once per scan, so a scan's answer is
 * the set of patterns
 * that match the text, the same set PCRE2 alone finds (tests/unit/
 * test_patset.c checks this over the bench export's purposes).  A
 * word-bounded literal (`\bWORD\b`, the shape of a keyword list) is
 * compiled as its bare WORD with every end reported, the boundaries
 * checked here (word_literal says why): a keyword list's database is a
 * sixth of the size, which is most of the cached load.
 *
 * Two tiers, two databases: exact patterns and word literals in tier 0,
 * prefilters in tier 1.  A prefilter's superset often matches nearly every
 * text (`\b(\w+) \1\b` becomes about `\b\w+ \w+\b`), so its database
 * costs several times the exact one to scan and its candidates one PCRE2
 * run each; a caller that only asks whether patterns match
 * (txs_patset_candidates, the text_pattern rules' detection) scans tier 1
 * only when tier 0 has not settled its answer, and may stop a scan early.
 * txs_patset_scan scans both and reports the union, in id order.
 *
 * Spans and groups always come from PCRE2 (leftmost match, as pcre2grep
 * reports), also for exact patterns, whose spans Hyperscan does not give
 * without SOM tracking; that costs one PCRE2 match per matching pattern,
 * never per pattern per text.
 *
 * Saved form (txs_patset_save), checked whole before use:
 *   "TXSPAT5\n"  u64 n  u64 fingerprint(patterns, flags, mode)  u64 groups
 *   n class bytes (0 exact, 1 prefilter, 2 word literal)
 *   per tier: u64 length, Hyperscan's serialised database (0: empty tier)
 *   u64 xxh3-64 of everything before
 * Anything else (a truncated or flipped file, other patterns, an older
 * format) is refused with TXS_E_FORMAT and the caller compiles afresh.
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

static const char MAGIC[8] = {'T', 'X', 'S', 'P', 'A', 'T', '5', '\n'};

/* How Hyperscan holds a pattern (the class byte of the saved form). */
enum { EXACT = 0, PREFILTER = 1, WORDLIT = 2 };

/* The database a class is in: exact and word literals in tier 0,
 * prefilters in tier 1 (TXS_PATSET_TIERS). */
#define TIER(cls) ((cls) == PREFILTER)

typedef struct pat {
    char *expr;           /* NUL-terminated copy (Hyperscan needs one) */
    size_t len;
    unsigned flags;
    int cls;              /* EXACT, PREFILTER or WORDLIT */
    txs_regex *re;        /* NULL until first use when built from saved bytes */
    atomic_int ready;     /* re compiled and JIT-compiled (or JIT unavailable) */
} pat;

struct txs_patset {
    pat *p;
    size_t n;
    unsigned mode;
    unsigned groups;      /* most groups of any pattern */
    uint64_t fp;          /* fingerprint of patterns, flags, mode */
    txs_hsdb *db[TXS_PATSET_TIERS];     /* NULL: no pattern in that tier */
    void *bytes[TXS_PATSET_TIERS];      /* the serialised databases */
    size_t nbytes[TXS_PATSET_TIERS];
    pthread_mutex_t jit;
};

struct txs_patscratch {
    const txs_patset *ps;
    txs_hsscratch *hs[TXS_PATSET_TIERS];
    txs_regex_md *md;
    unsigned *ids;
    size_t nids, cap;
    uint32_t *seen;       /* [id]: the scan (gen) that took the id */
    uint32_t gen;
    const unsigned char *text; /* the text being scanned (on_id's state) */
    size_t n;
    txs_patset_cand_fn fn;     /* txs_patset_candidates' callback, or NULL */
    void *fctx;
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

/* A word-bounded literal: \bBODY\b, BODY one or more characters none of
 * which is special to either engine, case-sensitive, ASCII \b (no UCP).
 * Hyperscan builds `\bWORD\b` for thousands of keywords into a database
 * about six times the size of the bare words (and twenty times the
 * compile), so such a pattern is compiled as its bare BODY with every end
 * reported, and the two word boundaries are checked at each end here
 * (word_at): the same answer, for a keyword list the cached load reads
 * 1.2 MB instead of 7.5. */
static int word_literal(const pat *q)
{
    if (q->len < 5 || memcmp(q->expr, "\\b", 2) != 0 || memcmp(q->expr + q->len - 2, "\\b", 2) != 0)
        return 0;
    if (q->flags & (TXS_RE_CASELESS | TXS_RE_UCP)) return 0;
    static const unsigned char SPECIAL[256] = {['\\'] = 1, ['^'] = 1, ['$'] = 1, ['.'] = 1,
                                               ['|'] = 1,  ['?'] = 1, ['*'] = 1, ['+'] = 1,
                                               ['('] = 1,  [')'] = 1, ['['] = 1, [']'] = 1,
                                               ['{'] = 1,  ['}'] = 1};
    for (size_t i = 2; i < q->len - 2; i++)
        if (SPECIAL[(unsigned char)q->expr[i]]) return 0;
    return 1;
}

/* Exact, word literal or prefilter, by what Hyperscan accepts of the
 * pattern alone. */
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
        q->cls = rc == TXS_E_UNSUPPORTED || ps->mode == TXS_PATSET_PREFILTER ? PREFILTER
                 : word_literal(q)                                          ? WORDLIT
                                                                            : EXACT;
    }
    return TXS_OK;
}

/* One database per tier, a word literal as its bare body (NUL-terminated
 * copies in bodies), each pattern reported by its index in the set.  A
 * pattern Hyperscan parses but cannot build exactly within its limits is
 * moved down a class (word literal to exact, exact to prefilter, so
 * possibly to the other tier) and the compile retried; one it refuses as
 * a prefilter too is an error. */
static int compile_hs(txs_patset *ps, int target, txs_patset_err *e)
{
    const char **ex = malloc(ps->n * sizeof *ex);
    unsigned *fl = malloc(ps->n * sizeof *fl), *id = malloc(ps->n * sizeof *id);
    size_t nb = 1;
    for (size_t i = 0; i < ps->n; i++) nb += ps->p[i].cls == WORDLIT ? ps->p[i].len - 3 : 0;
    char *bodies = malloc(nb);
    int rc = ex && fl && id && bodies ? TXS_OK : TXS_E_NOMEM;
    for (size_t tries = 0; rc == TXS_OK && tries <= 2 * ps->n + 2;) {
        int redo = 0;
        for (int tier = 0; tier < TXS_PATSET_TIERS && rc == TXS_OK && !redo; tier++) {
            char *b = bodies;
            size_t k = 0;
            for (size_t i = 0; i < ps->n; i++) {
                const pat *q = &ps->p[i];
                if (TIER(q->cls) != tier) {
                    if (q->cls == WORDLIT) b += q->len - 3;
                    continue;
                }
                ex[k] = q->expr;
                fl[k] = q->flags | (q->cls == PREFILTER ? TXS_HSRE_PREFILTER : 0);
                id[k] = (unsigned)i;
                if (q->cls == WORDLIT) {
                    memcpy(b, q->expr + 2, q->len - 4);
                    b[q->len - 4] = '\0';
                    ex[k] = b;
                    b += q->len - 3;
                }
                k++;
            }
            free(ps->bytes[tier]);
            ps->bytes[tier] = NULL, ps->nbytes[tier] = 0;
            long bad = -1;
            txs_diag d = {0};
            rc = txs_hsdb_compile_regex(ex, fl, id, k, target, &ps->bytes[tier],
                                        &ps->nbytes[tier], &bad, &d);
            if (rc != TXS_E_CONFIG) continue;
            long i = bad < 0 ? -1 : (long)id[bad];
            if (i < 0 || ps->p[i].cls == PREFILTER) {
                rc = fail(e, i, -1, "Hyperscan", d.msg);
                break;
            }
            ps->p[i].cls = ps->p[i].cls == WORDLIT ? EXACT : PREFILTER;
            rc = TXS_OK;
            redo = 1, tries++;
        }
        if (!redo) break;
    }
    free(ex), free(fl), free(id), free(bodies);
    return rc;
}

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
        if (b[HEAD + i] > WORDLIT || (b[HEAD + i] == WORDLIT && !word_literal(&ps->p[i])))
            return TXS_E_FORMAT;
        ps->p[i].cls = b[HEAD + i];
    }
    ps->groups = (unsigned)groups;
    size_t at = HEAD + ps->n, end = n - 8;
    for (int tier = 0; tier < TXS_PATSET_TIERS; tier++) {
        uint64_t len;
        if (end - at < 8) return TXS_E_FORMAT;
        memcpy(&len, b + at, 8);
        at += 8;
        if (len > end - at) return TXS_E_FORMAT;
        txs_diag d;
        int rc = txs_hsdb_open(b + at, (size_t)len, &ps->db[tier], &d);
        if (rc < 0) return rc == TXS_E_NOMEM ? rc : TXS_E_FORMAT;
        at += (size_t)len;
    }
    return at == end ? TXS_OK : TXS_E_FORMAT;
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
    for (int tier = 0; rc == 0 && db == NULL && tier < TXS_PATSET_TIERS; tier++) {
        txs_diag d;
        rc = txs_hsdb_open(ps->bytes[tier], ps->nbytes[tier], &ps->db[tier], &d);
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
    for (int tier = 0; tier < TXS_PATSET_TIERS; tier++) {
        txs_hsdb_free(ps->db[tier]);
        free(ps->bytes[tier]);
    }
    pthread_mutex_destroy(&ps->jit);
    free(ps);
}

size_t txs_patset_count(const txs_patset *ps) { return ps->n; }

int txs_patset_is_prefilter(const txs_patset *ps, size_t i)
{
    return i < ps->n && ps->p[i].cls == PREFILTER;
}

int txs_patset_save(const txs_patset *ps, void **out, size_t *outn)
{
    if (ps->db[0] && ps->bytes[0] == NULL) return TXS_E_UNSUPPORTED; /* from saved bytes */
    if (ps->db[1] && ps->bytes[1] == NULL) return TXS_E_UNSUPPORTED;
    size_t n = HEAD + ps->n + 8;
    for (int tier = 0; tier < TXS_PATSET_TIERS; tier++) n += 8 + ps->nbytes[tier];
    unsigned char *b = malloc(n);
    if (b == NULL) return TXS_E_NOMEM;
    uint64_t cnt = ps->n, groups = ps->groups;
    memcpy(b, MAGIC, sizeof MAGIC);
    memcpy(b + 8, &cnt, 8), memcpy(b + 16, &ps->fp, 8), memcpy(b + 24, &groups, 8);
    for (size_t i = 0; i < ps->n; i++) b[HEAD + i] = (unsigned char)ps->p[i].cls;
    size_t at = HEAD + ps->n;
    for (int tier = 0; tier < TXS_PATSET_TIERS; tier++) {
        uint64_t len = ps->nbytes[tier];
        memcpy(b + at, &len, 8);
        if (len) memcpy(b + at + 8, ps->bytes[tier], (size_t)len);
        at += 8 + (size_t)len;
    }
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
    s->ps = ps;
    s->cap = ps->n;
    s->ids = malloc((ps->n ? ps->n : 1) * sizeof *s->ids);
    s->seen = calloc(ps->n ? ps->n : 1, sizeof *s->seen);
    int rc = s->ids && s->seen ? txs_hsdb_scratch(ps->db[0], &s->hs[0]) : TXS_E_NOMEM;
    if (rc == 0) rc = txs_hsdb_scratch(ps->db[1], &s->hs[1]);
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
    txs_hsdb_scratch_free(s->hs[0]);
    txs_hsdb_scratch_free(s->hs[1]);
    txs_regex_md_free(s->md);
    free(s->ids);
    free(s->seen);
    free(s);
}

/* 1 when position i of the scan's text is a word boundary, as PCRE2's
 * and Hyperscan's \b without UCP: the characters either side differ in
 * being ASCII [A-Za-z0-9_] (a byte of a UTF-8 sequence never is; the text's
 * edges count as non-word). */
static int word_at(const txs_patscratch *s, size_t i)
{
    static const unsigned char W[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
        ['8'] = 1, ['9'] = 1, ['_'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
        ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
        ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
        ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
        ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
        ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
        ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};
    int before = i > 0 && W[s->text[i - 1]], after = i < s->n && W[s->text[i]];
    return before != after;
}

static int on_id(unsigned id, unsigned long long to, void *ctx)
{
    txs_patscratch *s = ctx;
    const pat *q = &s->ps->p[id];
    /* Every end is reported: keep the id once, at its first end (for a
     * word literal's bare body, the first with a boundary either side). */
    if (s->seen[id] == s->gen)
        return 0;
    if (q->cls == WORDLIT &&
        (!word_at(s, (size_t)to) || !word_at(s, (size_t)to - (q->len - 4))))
        return 0;
    s->seen[id] = s->gen;
    if (s->nids < s->cap) s->ids[s->nids++] = id;
    return s->fn ? s->fn(s->fctx, id) : 0;
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

/* A new text: every id free again (seen[] holds the text's generation). */
static void start_text(const txs_patset *ps, txs_patscratch *s, const char *text, size_t n)
{
    s->nids = 0;
    s->text = (const unsigned char *)text, s->n = n;
    if (++s->gen == 0) {
        memset(s->seen, 0, ps->n * sizeof *s->seen);
        s->gen = 1;
    }
}

int txs_patset_candidates(const txs_patset *ps, txs_patscratch *s, int tier, const char *text,
                          size_t n, txs_patset_cand_fn fn, void *ctx)
{
    start_text(ps, s, text, n);
    s->fn = fn, s->fctx = ctx;
    int rc = txs_hsdb_scan(ps->db[tier], s->hs[tier], text, n, on_id, s);
    s->fn = NULL;
    return rc;
}

int txs_patset_confirm(const txs_patset *ps, txs_patscratch *s, unsigned id, const char *text,
                       size_t n)
{
    pat *q = &ps->p[id];
    if (!atomic_load_explicit(&q->ready, memory_order_acquire)) make_ready(ps, q);
    /* A candidate PCRE2 refutes: a prefilter's superset, or Hyperscan
     * wrong on an exact pattern (libhs 5.4.9 reports `\ba` in a text of
     * 65 or more bytes ending "sa", found by fuzz_patmatch): PCRE2's
     * answer stands, as the differential promises.  (Also a pattern at
     * PCRE2's match limit, which counts as no match everywhere.) */
    return q->re && txs_regex_match(q->re, text, n, s->md) == 1;
}

int txs_patset_scan(const txs_patset *ps, txs_patscratch *s, const char *text, size_t n,
                    txs_patset_fn fn, void *ctx)
{
    start_text(ps, s, text, n);
    int rc = txs_hsdb_scan(ps->db[0], s->hs[0], text, n, on_id, s);
    if (rc == 0) rc = txs_hsdb_scan(ps->db[1], s->hs[1], text, n, on_id, s);
    size_t nc = s->nids;
    if (rc < 0 || nc == 0) return rc;
    if (nc > 1) qsort(s->ids, nc, sizeof *s->ids, cmp_id);
    for (size_t k = 0; k < nc; k++) {
        txs_patmatch m;
        m.id = s->ids[k];
        m.groups = 0;
        m.spans = txs_patset_confirm(ps, s, m.id, text, n);
        if (!m.spans) continue;
        fill_spans(s, &ps->p[m.id], &m);
        if (fn(ctx, &m)) break;
    }
    return TXS_OK;
}
