/*
 * sanctions.c: sanctions name screening (sanctions.h draws the flow) over
 * the snapshots' name indexes, which sanctions_index.c opens and checks
 * (the run-time half of the NAMES section that lists_names.h draws and
 * lists/names_build.c writes).
 *
 * For one party name:
 *   1. normalise it (txs_norm_name_of, kind unknown): tokens joined by
 *      spaces;
 *   2. exact channel: each word is looked up in the exact-token table
 *      (exact_words), which gives every list token present;
 *   3. misspelling channel: each query token that did not hit exactly, and
 *      each adjacent pair written together, is probed with itself and its
 *      one-byte deletions in the xxh3 deletion table (a bloom filter built
 *      at create time answers most misses from L2; a memo per snapshot
 *      answers a string probed before, most of a run's given names and
 *      surnames);
 *   4. a name whose hit tokens weigh (x 1 or TYPO_FACTOR) at least its bar
 *      becomes a candidate: the hit tokens' prefix postings, walked from the
 *      rarest and each cut at the weight still to come, give the names that
 *      can (a posting whose token signature cannot reach the bar is dropped
 *      unread), and each one's mass is summed from its own tokens
 *      (lists/names_prefix_int.h: the same candidates as walking every hit
 *      token's full posting list, which free text still does);
 *   5. candidates are scored against the query prepared once, on the first
 *      candidate (weak aliases pay the scorer's weak_alias_penalty), and the
 *      best name per entity is kept; a candidate whose upper bound
 *      (match/bound.c, from the list name's tokens: each dictionary
 *      token's fold and rarity are kept for TVIEW recent tokens, found by
 *      the snapshot's token ids) is under the threshold is not scored: 97%
 *      of them.
 *
 * Outcomes are remembered per name in a cache shared by a run's screeners
 * (name_cache_int.h): most names are answered from it.  Look-back screening,
 * whose names are all distinct, screens without it (txs_sanctions_uncached).
 * The explanation and the evidence of a hit written out are remembered per
 * screener (hit_memo_int.h): a listed party alerts on every transaction.
 *
 * Free text (purpose, addresses: txs_sanctions_text) goes through steps 1,
 * 2 and 4 only (no typo channel), and a candidate must also have two
 * distinctive tokens (weight >= DISTINCT_W) in the text; then the compact
 * window of the text that holds its tokens is scored against it, at the
 * text bar.  One distinctive token, or the list's common words spread over
 * a sentence, cannot fire.
 *
 * Qualifiers (txs_sanctions_name_ctx): the party's country, kind and birth
 * year against the entity's countries (nationality, citizenship, country,
 * address countries), list type and birth dates.  Those are read from the
 * entity records once, at create time, into per-entity tables (qtab), and
 * applied only to candidates whose unqualified score reaches the threshold
 * (the penalties can only lower a score), so the per-candidate cost is nil.
 * The party's kind is as given, else a company when its name ends in an
 * unambiguous legal form.  For a hit that is written, txs_sanctions_evidence
 * says what it rests on (exact or near-exact strong name, agreeing or
 * disagreeing qualifiers, weak alias, fuzzy name), which decides whether it
 * may block (docs/matching.md "Bands of sanctions alerts").
 *
 * Work memory (mass and distinctive count per name, touched lists, the hit
 * tokens' marks) is allocated at create time and left zeroed after every
 * query, so the per-name path never allocates.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/hit_memo_int.h"
#include "screen/name_cache_int.h"
#include "screen/sanctions_index_int.h"
#include "screen/sanctions_int.h"
#include "txs/bigmem.h"
#include "txs/lists_names.h"
#include "txs/match.h"
#include "txs/norm.h"
#include "txs/sanctions.h"
#include "txs/values.h"

#define TYPO_FACTOR 0.85f /* a token reached through a deletion variant */
#define MAX_TH 96         /* distinct hit tokens kept per query */
#define MAX_CAND 256      /* candidates scored per query and snapshot */
#define MAX_RES 32        /* entities kept per query */
#define PROBE_MIN 3u      /* shortest query token probed for typos */
#define PAIR_MAX 40u
#define DISTINCT_W 0.75f  /* a distinctive token: on at most ~19 entities */
#define ENDS_POST 512u    /* exact hit tokens on at most this many names are
                             walked in full for a person's first and last name */
#define TVIEW 16384u      /* list tokens whose bound view is kept (bound_reaches) */
#define TVIEW_FOLD 40u    /* and the longest fold a kept view holds */
#define QCOL 512u         /* and whose columns against the query are (per query) */
#define ENDS_MIN 0.3f     /* and such a name needs this much mass: two hit
                             tokens at the weight floor (0.15) */


/* A dictionary token as the bound reads it, weighed as if it had no
 * flags (each name's flags are applied when it is read): the common given
 * names and surnames come back in candidate after candidate.  The fields
 * of its txs__mbtok (txs__match_bound_tok), packed into one cache line;
 * a token whose fold is longer than TVIEW_FOLD is not kept but prepared
 * again each time it is met. */
typedef struct tview {
    uint32_t list1, tok; /* list + 1 (0: empty) and token id */
    const char *raw;
    float weight;
    uint16_t rawlen;
    uint8_t flen, foldeq;
    char fold[TVIEW_FOLD];
} tview;
_Static_assert(sizeof(tview) == 64, "a token view is one line");
_Static_assert(TVIEW_FOLD <= TXS__MATCH_TOKMAX, "a kept fold fits a token's");

/* A list token's column against the current query (match.h
 * txs__match_bound_col): nine in ten tokens of a query's candidates are
 * tokens an earlier candidate of the same query had ("... ELECTRONICS
 * LLC", a common given name). */
typedef struct qcol {
    uint32_t gen, list1, tok, flags; /* the query's serial; the token as flagged */
    txs__mbcol col;
} qcol;

typedef struct thit {
    uint32_t tok;
    float f;
} thit;

struct txs_sanctions {
    sidx *ix;
    size_t n;
    txs_norm *nz;
    txs_match_params mp;
    double threshold;
    txs_norm_name q, c, w; /* query, candidate, text window */
    txs__mside qs;         /* q prepared for the scorer, once per name */
    txs__mbq qb[TXS__SIDE]; /* and for the scorer's upper bound */
    int bound;             /* whether the bound holds for s->mp */
    tview *tv;             /* TVIEW slots, direct-mapped */
    qcol *qc;              /* QCOL slots, direct-mapped, of query qgen */
    uint32_t qcmask;       /* QCOL - 1 (0: one slot, a test's) */
    uint32_t qgen;
    int qhit[TXS_NORM_MAX_TOKENS];
    thit th[MAX_TH];
    size_t nth;
    txs_sanctions_match res[MAX_RES];
    size_t nres;
    txs__ncache *cache;       /* screened names (name_cache_int.h) */
    int cache_owner;          /* 0: the cache is another screener's */
    txs__idmemo *idm;         /* identifier look-ups (idents.c) */
    txs__hmemo *hm;           /* explained hits (hit_memo_int.h) */
    const txs_sanctions_party *ctx; /* the query's qualifiers; NULL: none */
    txs_name_kind qkind;            /* the party's kind, given or inferred */
    const char *raw;                /* the query as given, while screened */
    size_t rawn;
    int ready;                      /* qs and qkind are the query's */
    /* The party name q was normalized from (qrawn SIZE_MAX: none kept) and
     * what normalizing said; qs_ok: qs is prepared from q.  A hit is
     * explained right after its name is screened: q is then reused. */
    char qraw[128];
    size_t qrawn;
    int qrc, qs_ok;
};

int txs_sanctions_create(const txs_lists *const *lists, size_t n, double threshold,
                         txs_sanctions **out, txs_diag *d)
{
    *out = NULL;
    txs_sanctions *s = calloc(1, sizeof *s);
    if (s == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    s->ix = calloc(n + 1, sizeof *s->ix);
    s->nz = txs_norm_new();
    s->cache = txs__ncache_new();
    s->cache_owner = 1;
    s->qrawn = SIZE_MAX;
    s->idm = txs__idmemo_new();
    s->hm = txs__hmemo_new();
    s->tv = txs_big_calloc(TVIEW, sizeof *s->tv);
    s->qc = calloc(QCOL, sizeof *s->qc);
    int rc = s->ix && s->nz && s->cache && s->idm && s->hm && s->tv && s->qc ? TXS_OK
                                        : txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (size_t i = 0; rc == TXS_OK && i < n; i++, s->n++) rc = txs__sidx_open(&s->ix[i], lists[i], d);
    if (rc < 0) {
        if (s->ix) s->n++; /* the half-opened index is closed too */
        txs_sanctions_free(s);
        return rc;
    }
    txs_match_params_default(&s->mp);
    s->threshold = threshold > 0 ? threshold : TXS_SANCTIONS_THRESHOLD;
    s->mp.threshold = s->threshold;
    /* OFAC and the UN call low-quality aliases too broad to screen alone:
     * an exact weak alias scores 0.80, below the default threshold, so it
     * needs other evidence (a stronger name) to alert. */
    s->mp.weak_alias_penalty = 0.20;
    s->bound = txs__match_bound_usable(&s->mp);
    s->qcmask = QCOL - 1u;
    *out = s;
    return TXS_OK;
}

void txs_sanctions_free(txs_sanctions *s)
{
    if (s == NULL) return;
    for (size_t i = 0; s->ix && i < s->n; i++) txs__sidx_close(&s->ix[i]);
    free(s->ix);
    if (s->cache_owner) txs__ncache_free(s->cache);
    txs__idmemo_free(s->idm);
    txs__hmemo_free(s->hm);
    txs_norm_free(s->nz);
    txs_big_free(s->tv);
    free(s->qc);
    free(s);
}

double txs_sanctions_threshold(const txs_sanctions *s) { return s->threshold; }

void txs__sanctions_full_walk(txs_sanctions *s, int on)
{
    for (size_t i = 0; i < s->n; i++) s->ix[i].full = on != 0;
    s->bound = !on && txs__match_bound_usable(&s->mp);
}

void txs__sanctions_one_column_slot(txs_sanctions *s, int on) { s->qcmask = on ? 0u : QCOL - 1u; }

void txs__sanctions_unfiltered(txs_sanctions *s, int on)
{
    for (size_t i = 0; i < s->n; i++) s->ix[i].unfiltered = on != 0;
}

const txs_lists *txs_sanctions_lists(const txs_sanctions *s, size_t i) { return s->ix[i].l; }
size_t txs__sanctions_nlists(const txs_sanctions *s) { return s->n; }
txs__idmemo *txs__sanctions_idmemo(txs_sanctions *s) { return s->idm; }

/* ------------------------------------------------- candidate generation */

/* Hit token tok at f; 0 when it was a hit already (its f raised to f). */
static int add_tok(txs_sanctions *s, const sidx *x, uint32_t tok, float f)
{
    for (size_t i = 0; i < s->nth; i++)
        if (s->th[i].tok == tok) {
            if (f > s->th[i].f) s->th[i].f = f;
            return 0;
        }
    if (s->nth < MAX_TH) {
        s->th[s->nth++] = (thit){tok, f};
        /* candidates() reads its weight, posting length and prefix offset:
         * fetched now, they arrive while the scan and the typo channel go on */
        __builtin_prefetch(&x->toks[tok]);
        __builtin_prefetch(&x->pre_off[tok]);
    }
    return 1;
}

/* The list tokens the query's text holds as whole words: each run of
 * bytes between spaces (the text is its tokens joined by spaces) that is a
 * literal, a real dictionary token of two bytes or more, in the order the
 * runs end.  A token met is a hit at full weight, and the query tokens
 * ending where it ends are marked exact (s->qhit, which only the typo
 * channel reads).  A word met again is not: it goes through the typo
 * channel too ("Liza Liza Huel" probes its second "liza", which finds
 * "lisa"), as when these hits came from a single-match scan of the padded
 * text for every " literal ".  A word is looked up, not searched for. */
_Static_assert(MAX_TH >= TXS_NORM_MAX_TOKENS, "exact_words: th holds every word's token");

static void exact_words(txs_sanctions *s, const sidx *x)
{
    const char *t = s->q.text;
    size_t n = s->q.len;
    for (size_t a = 0; a < n;) {
        if (t[a] == ' ') {
            a++;
            continue;
        }
        size_t b = a + 1;
        while (b < n && t[b] != ' ') b++;
        uint32_t tok = b - a < 2 ? TXS__NO_TOK
                                 : txs__sidx_exact(x, t + a, b - a, txs__lists_del_hash(t + a, b - a));
        /* th is empty when the words are looked up (both callers clear
         * it), so a token already in it is a word met again */
        if (tok != TXS__NO_TOK && add_tok(s, x, tok, 1.0f)) {
            for (uint32_t k = 0; k < s->q.ntok; k++)
                if ((size_t)s->q.tok[k].off + s->q.tok[k].len == b) s->qhit[k] = 1;
        }
        a = b;
    }
}

/* The typo memo: what probe_variants found for a string, so that a token
 * (or pair) probed before costs one hash and one look-up instead of a hash
 * per deletion.  What a string finds depends on its bytes and the snapshot
 * only, and the tokens found are replayed through add_tok in the order they
 * were found (a repeat within them changes nothing there), so the hit
 * tokens come out the same.  Direct-mapped by the string's own deletion-
 * table hash (computed for its first probe anyway), the bytes compared; a
 * string finding more than MEMO_TOKS tokens is not kept.  On a look-back
 * bench of 99,000 names it was 1 in 4 of the whole screening's
 * instructions; names share their given names, surnames and trade words. */
#define MEMO_BITS 15u
#define MEMO_TOKS 3u
struct txs__tmemo {
    uint32_t h;
    uint8_t n, ntok; /* n 0: empty */
    uint32_t tok[MEMO_TOKS];
    char s[PAIR_MAX];
    char pad[4];
};
/* One slot, one cache line (the table is page-aligned, txs_big_calloc): at
 * 60 bytes most slots straddled two, and a look-up missed on both. */
_Static_assert(sizeof(struct txs__tmemo) == 64, "a typo memo slot is one line");

/* What one probe_variants found, for the memo. */
typedef struct found {
    uint32_t tok[MEMO_TOKS];
    unsigned n, over;
} found;

/* Every dictionary token whose deletion-table key hash is h (which the
 * bloom filter let through). */
static void probe(txs_sanctions *s, const sidx *x, uint32_t h, found *fd)
{
    uint32_t mask = x->h.ndel - 1;
    for (uint32_t i = h & mask; x->del[i].tok1; i = (i + 1) & mask)
        if (x->del[i].hash == h) {
            add_tok(s, x, x->del[i].tok1 - 1, TYPO_FACTOR);
            if (fd->n < MEMO_TOKS) fd->tok[fd->n++] = x->del[i].tok1 - 1;
            else fd->over = 1;
        }
}

static int bloom_has(const sidx *x, uint32_t h)
{
    uint64_t b = txs__sidx_bloom_mask(h);
    return (x->bloom[txs__sidx_bloom_word(x, h)] & b) == b;
}

/* A string and each of its one-byte deletions; h is the string's own
 * deletion-table hash.  The keys are hashed first and their bloom words
 * and table slots fetched together, then probed in the same order as one
 * by one: each probe touches a random word of the filter and a random slot
 * of the table, and waiting for them in turn was a tenth of a run on
 * distinct names. */
static void probe_variants(txs_sanctions *s, sidx *x, const char *p, size_t n, uint32_t h)
{
    char buf[PAIR_MAX + 8];
    uint32_t hs[PAIR_MAX + 1];
    size_t nh = 0;
    struct txs__tmemo *m = x->memo ? &x->memo[h & ((1u << MEMO_BITS) - 1)] : NULL;
    if (m && m->n == n && m->h == h && memcmp(m->s, p, n) == 0) {
        for (unsigned i = 0; i < m->ntok; i++) add_tok(s, x, m->tok[i], TYPO_FACTOR);
        return;
    }
    hs[nh++] = h;
    if (n - 1 >= PROBE_MIN) {
        /* buf is p without p[j]: one byte changes from one j to the next */
        memcpy(buf, p + 1, n - 1);
        for (size_t j = 0; j < n; j++) {
            if (j) buf[j - 1] = p[j - 1];
            if (j && p[j] == p[j - 1]) continue;
            hs[nh++] = txs__lists_del_hash(buf, n - 1);
        }
    }
    for (size_t i = 0; i < nh; i++) __builtin_prefetch(&x->bloom[txs__sidx_bloom_word(x, hs[i])]);
    size_t np = 0;
    for (size_t i = 0; i < nh; i++)
        if (bloom_has(x, hs[i])) {
            __builtin_prefetch(&x->del[hs[i] & (x->h.ndel - 1)]);
            hs[np++] = hs[i];
        }
    found fd = {{0}, 0, 0};
    for (size_t i = 0; i < np; i++) probe(s, x, hs[i], &fd);
    if (m && !fd.over) {
        m->h = h, m->n = (uint8_t)n, m->ntok = (uint8_t)fd.n;
        memcpy(m->tok, fd.tok, sizeof fd.tok);
        memcpy(m->s, p, n);
    }
}

/* The typo channel: the query's tokens without an exact hit, then its
 * pairs of adjacent tokens (a name written as two words or one), each
 * probed with its deletions.  Their memo slots are fetched first, all
 * together. */
static void typo_channel(txs_sanctions *s, sidx *x)
{
    const txs_norm_name *q = &s->q;
    struct { const char *p; uint32_t n, h; } v[2 * TXS_NORM_MAX_TOKENS];
    char pair[TXS_NORM_MAX_TOKENS][PAIR_MAX];
    size_t nv = 0;
    if (x->memo == NULL) x->memo = txs_big_calloc((size_t)1 << MEMO_BITS, sizeof *x->memo);
    for (uint32_t k = 0; k < q->ntok; k++)
        if (!s->qhit[k] && q->tok[k].len >= PROBE_MIN && q->tok[k].len <= PAIR_MAX)
            v[nv].p = txs_norm_tok_text(q, k), v[nv++].n = q->tok[k].len;
    for (uint32_t k = 0; k + 1 < q->ntok; k++) {
        const txs_norm_tok *a = &q->tok[k], *b = &q->tok[k + 1];
        if ((s->qhit[k] && s->qhit[k + 1]) || a->len < 2 || b->len < 2 ||
            (size_t)a->len + b->len > PAIR_MAX)
            continue;
        memcpy(pair[k], txs_norm_tok_text(q, k), a->len);
        memcpy(pair[k] + a->len, txs_norm_tok_text(q, k + 1), b->len);
        v[nv].p = pair[k], v[nv++].n = (uint32_t)a->len + b->len;
    }
    for (size_t i = 0; i < nv; i++) {
        v[i].h = txs__lists_del_hash(v[i].p, v[i].n);
        if (x->memo) __builtin_prefetch(&x->memo[v[i].h & ((1u << MEMO_BITS) - 1)]);
    }
    for (size_t i = 0; i < nv; i++) probe_variants(s, x, v[i].p, v[i].n, v[i].h);
}

/* ------------------------------------------------------------- scoring */

static void load_name(const sidx *x, uint32_t nm, txs_norm_name *c)
{
    const txs__snap_name *m = &x->names[nm];
    memcpy(c->text, x->text + m->text_off, m->text_len);
    c->text[m->text_len] = '\0';
    c->len = m->text_len;
    c->ntok = m->ntok;
    c->flags = 0;
    c->kind = m->kind;
    memcpy(c->tok, x->tokdesc + m->tokdesc, m->ntok * sizeof *c->tok);
}

/* Tokens of a name that are not legal forms. */
static uint32_t core_of(const txs_norm_tok *t, uint32_t n, uint32_t cap)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n && k < cap; i++) k += (t[i].flags & TXS_TOK_LEGAL) == 0;
    return k;
}

static uint32_t core_tokens(const txs_norm_name *n) { return core_of(n->tok, n->ntok, UINT32_MAX); }

static const char *party_kind_label(txs_name_kind k)
{
    return k == TXS_NAME_PERSON ? "person" : k == TXS_NAME_VESSEL ? "vessel" : "org";
}

static const char *entity_kind_label(uint32_t t)
{
    return t == TXS_ENT_INDIVIDUAL ? "person" : t == TXS_ENT_VESSEL ? "vessel"
                                          : t == TXS_ENT_AIRCRAFT ? "aircraft"
                                                                  : "org";
}

/* Append printf text at the end of the NUL-terminated buffer. */
static void ex_put(char *ex, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ex_put(char *ex, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(ex);
    if (n + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ex + n, cap - n, fmt, ap);
    va_end(ap);
}

/* The party's qualifiers (s->ctx, s->qkind) against entity ent: score sc
 * less the penalties that apply (docs/matching.md "Qualifiers in
 * screening").  With explain, the scorer's closing " | score X" is
 * replaced by " | qual: ... | score Y" when any penalty applied. */
static double apply_quals(txs_sanctions *s, const sidx *x, uint32_t ent, double sc, char *explain,
                          size_t cap)
{
    const txs_sanctions_party *q = s->ctx;
    const txs_match_params *mp = &s->mp;
    double pen = 0.0;
    int ctry = 0, kind = 0, dob = 0;
    uint32_t c0 = x->c_off[ent], c1 = x->c_off[ent + 1];
    if (q->country[0] && q->country[1] && c1 > c0) {
        ctry = 1;
        for (uint32_t i = c0; i < c1 && ctry; i++) ctry = memcmp(x->ctry[i], q->country, 2) != 0;
        if (ctry) pen += mp->country_penalty;
    }
    txs_entity e;
    txs_lists_entity(x->l, ent, &e);
    if (s->qkind != TXS_NAME_ANY && e.type != TXS_ENT_UNKNOWN &&
        (s->qkind == TXS_NAME_PERSON) != (e.type == TXS_ENT_INDIVIDUAL)) {
        kind = 1;
        pen += mp->kind_penalty;
    }
    uint32_t y0 = x->y_off[ent], y1 = x->y_off[ent + 1];
    if (q->birth_year > 0 && y1 > y0) {
        dob = 1;
        for (uint32_t i = y0; i < y1 && dob; i++)
            dob = !(q->birth_year >= x->years[i][0] && q->birth_year <= x->years[i][1]);
        if (dob) pen += mp->dob_penalty;
    }
    if (pen == 0.0) return sc;
    double out = sc - pen < 0.0 ? 0.0 : sc - pen;
    if (explain && cap) {
        char *at = strstr(explain, " | score ");
        for (char *nx = at; nx; nx = strstr(nx + 1, " | score ")) at = nx;
        if (at) *at = '\0';
        ex_put(explain, cap, " | qual: ");
        const char *sep = "";
        if (ctry) {
            ex_put(explain, cap, "country %.2s vs ", q->country);
            for (uint32_t i = c0; i < c1 && i < c0 + 8; i++)
                ex_put(explain, cap, "%s%.2s", i > c0 ? "," : "", x->ctry[i]);
            if (c1 > c0 + 8) ex_put(explain, cap, ",...");
            ex_put(explain, cap, " -%.2f", mp->country_penalty);
            sep = "; ";
        }
        if (kind) {
            ex_put(explain, cap, "%skind %s vs %s -%.2f", sep, party_kind_label(s->qkind),
                   entity_kind_label(e.type), mp->kind_penalty);
            sep = "; ";
        }
        if (dob) {
            ex_put(explain, cap, "%sbirth year %d vs ", sep, q->birth_year);
            for (uint32_t i = y0; i < y1 && i < y0 + 6; i++) {
                ex_put(explain, cap, "%s%d", i > y0 ? "," : "", x->years[i][0]);
                if (x->years[i][1] != x->years[i][0]) ex_put(explain, cap, "-%d", x->years[i][1]);
            }
            if (y1 > y0 + 6) ex_put(explain, cap, ",...");
            ex_put(explain, cap, " -%.2f", mp->dob_penalty);
        }
        ex_put(explain, cap, " | score %.2f", out);
    }
    return out;
}

/* Score a party name against list name nm.  A one-word list name (legal
 * forms aside: "SUNRISE", "DAISY", "CRYSTAL" are vessel aliases) is an
 * everyday word, so it matches only a party name that is that one word too;
 * inside a longer name ("Sunrise Trading") it is capped below the threshold
 * and the explanation says why.  Measured on 50k benign names, such
 * one-word aliases made most of the false hits. */
static double score_name(txs_sanctions *s, const sidx *x, uint32_t nm, char *explain, size_t cap,
                         double *name_sc)
{
    load_name(x, nm, &s->c);
    txs_match_qual ql;
    memset(&ql, 0, sizeof ql);
    ql.weak_alias = (x->names[nm].flags & TXS__NM_WEAK) != 0;
    double sc = txs__match_score_side(&s->mp, &s->qs, &s->q, &s->c, &ql, explain, cap);
    if (name_sc) *name_sc = sc;
    /* Qualifiers only lower a score: candidates under the threshold
     * without them are not looked at (the explanation always is). */
    if (s->ctx && (explain || sc >= s->threshold))
        sc = apply_quals(s, x, x->names[nm].entity, sc, explain, cap);
    if (core_tokens(&s->c) == 1 && core_tokens(&s->q) > 1 && sc >= s->threshold) {
        sc = s->threshold - 0.05;
        if (explain && cap) {
            size_t n = strlen(explain);
            snprintf(explain + n, cap - n,
                     "; one-word list name inside a longer party name: capped at %.2f", sc);
        }
    }
    return sc;
}

static void keep(txs_sanctions *s, uint32_t list, uint32_t ent, uint32_t nm, double sc)
{
    for (size_t i = 0; i < s->nres; i++)
        if (s->res[i].list == list && s->res[i].entity == ent) {
            if (sc > s->res[i].score) s->res[i].score = sc, s->res[i].name = nm;
            return;
        }
    size_t at = s->nres;
    if (at == MAX_RES) { /* full: replace the weakest if this is better */
        at = 0;
        for (size_t i = 1; i < MAX_RES; i++)
            if (s->res[i].score < s->res[at].score) at = i;
        if (s->res[at].score >= sc) return;
    } else {
        s->nres++;
    }
    s->res[at] = (txs_sanctions_match){list, ent, nm, sc};
}

/* Best candidates first: the larger share of the list name the query
 * covers, then more mass, then the name index (a total order, so the
 * choice is deterministic). */
static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->cover != y->cover) return x->cover > y->cover ? -1 : 1;
    if (x->mass != y->mass) return x->mass > y->mass ? -1 : 1;
    return x->nm < y->nm ? -1 : x->nm > y->nm;
}

/* Move the k candidates first in cand_cmp's order to c[0..k), in any
 * order (k < n): a quickselect, since only MAX_CAND of what can be
 * thousands are scored and sorting them all cost more than scoring (12% of
 * a run on the 1 M-name list).  cand_cmp is a total order (the name breaks
 * ties), so the k are the same whatever the pivots. */
static void select_top(struct cand *c, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k; /* position k in [lo, hi] */
    while (lo < hi) {
        struct cand t, pv = c[lo + (hi - lo) / 2];
        ptrdiff_t i = lo, j = hi;
        while (i <= j) { /* Hoare's partition around pv */
            while (cand_cmp(&c[i], &pv) < 0) i++;
            while (cand_cmp(&c[j], &pv) > 0) j--;
            if (i <= j) t = c[i], c[i] = c[j], c[j] = t, i++, j--;
        }
        /* now [lo, j] <= pv <= [i, hi], and what lies between equals pv */
        if (want <= j) hi = j;
        else if (want >= i) lo = i;
        else return;
    }
}

/* The order the full walk touches names in: by the first hit token that
 * carries them, then by name. */
static int touch_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return x->nm < y->nm ? -1 : x->nm > y->nm;
}

/* Name nm's mass: the weights w[] of the hit tokens it carries, summed in
 * hit-token order (as the full walk adds them, so the float is the same);
 * *first: the first of them.  Hot loop, per touched name.  hmask has bit
 * (t & 63) set for every hit token t: most of a touched name's tokens are
 * no hit, and are told so by one bit, without the compares or the load
 * from the token-sized thix. */
static float name_mass(const txs_sanctions *s, const sidx *x, uint32_t nm, const float *w,
                       uint64_t hmask, uint32_t *first)
{
    uint8_t ix[4 * TXS_NORM_MAX_TOKENS];
    uint32_t n = 0;
    for (uint32_t j = x->fwd_off[nm]; j < x->fwd_off[nm + 1]; j++) {
        uint32_t t = x->fwd[j];
        uint8_t k = 0;
        if (!(hmask >> (t & 63u) & 1u)) continue;
        if (s->nth <= 8) /* a short query: compare, no load from the token-sized thix */
            for (uint32_t i = 0; i < s->nth && !k; i++) k = s->th[i].tok == t ? (uint8_t)(i + 1) : 0;
        else
            k = x->thix[t];
        if (k == 0 || n == sizeof ix) continue;
        uint32_t at = n++;
        for (; at > 0 && ix[at - 1] > k; at--) ix[at] = ix[at - 1];
        ix[at] = k;
    }
    float mass = 0.0f;
    for (uint32_t i = 0; i < n; i++) mass += w[ix[i] - 1];
    *first = n ? ix[0] : 0;
    return mass;
}

/* Whether list name nm is a person's name of three or more tokens whose
 * first and last tokens are both among the query's hit tokens (marked in
 * thix while candidates() runs): the name with its middle names left out,
 * as payments often write it ("ALI AL-TIKRITI" for ALI HASSAN ABD
 * AL-MAJID AL-TIKRITI).  Such a name may miss the bar, which counts the
 * middle names' weight; the scorer charges them less (docs/matching.md
 * "Recall: ..."). */
static int ends_hit(const sidx *x, uint32_t nm)
{
    uint32_t a, b; /* TXS__NO_TOK: an initial, never a hit token */
    return txs__name_ends(&x->names[nm], x->tokid, &a, &b) && a != TXS__NO_TOK &&
           b != TXS__NO_TOK && x->thix[a] && x->thix[b];
}

/* Whether both end tokens of prefix posting p's name may be hits (their
 * bits are in qmask): a necessary condition of ends_hit. */
static int ends_may_hit(const txs__snap_pre *p, uint64_t qmask)
{
    uint32_t a = txs__sig_end(p->sig, 0), b = txs__sig_end(p->sig, 1);
    return a != TXS__SIG_NO_END && (qmask >> a & 1u) && (qmask >> b & 1u);
}

/* Whether prefix posting p can make a candidate: the weights of the hit
 * tokens whose bits (qmask; wbit[b], the weights of those on bit b) its
 * signature holds (a superset of those the name carries) reach its bar,
 * or ENDS_MIN for a person's name whose two ends may both be hits (the
 * middle-names rule may keep it), with the slack of txs__cand_reachable.
 * Most postings a common token's walk reads are names that carry none of
 * the query's other tokens: they are dropped here, from the posting
 * itself, without reading the name's tokens. */
static int may_pass(const txs__snap_pre *p, uint64_t qmask, const double *wbit)
{
    double ub = 0.0;
    for (uint64_t h = p->sig & qmask & TXS__SIG_TOKS; h; h &= h - 1) ub += wbit[__builtin_ctzll(h)];
    return txs__cand_reachable(p->bar, ub) ||
           (txs__cand_reachable(ENDS_MIN, ub) && ends_may_hit(p, qmask));
}

/* ends: whether ends_hit may hold for the name (0: it cannot). */
static size_t touch(sidx *x, uint32_t nm, float bar, int ends, size_t nt)
{
    if (!x->dist[nm]) x->dist[nm] = 1, x->tch[nt++] = (struct txs__touch){bar, nm, ends != 0};
    return nt;
}

/* Hit token t's place in the walk, as one number: the rarer first
 * (shorter full posting list, then lower id: prefix.c's order reversed). */
static uint64_t rarity_key(const sidx *x, uint32_t t)
{
    return (uint64_t)x->toks[t].post_n << 32 | t;
}

/* Whether hit token a comes before b in the walk. */
static int rarer(const sidx *x, uint32_t a, uint32_t b)
{
    return rarity_key(x, a) < rarity_key(x, b);
}

static txs_name_kind party_kind(const txs_sanctions_party *q, const char *p, size_t n);

/* s->qs prepared from s->q, unless it is already. */
static void query_side(txs_sanctions *s)
{
    if (!s->qs_ok) txs__match_side(&s->mp, &s->q, &s->qs), s->qs_ok = 1;
}

/* The query's side for the scorer and its kind, on its first candidate
 * that one_word does not cap (a query whose only candidates are one-word
 * names, most often typo variants, never needs it): most names have none
 * (71,000 of 99,000 counterparties against a look-back's delta of 100
 * entities), and preparing them is pure work on s->q, so doing it later
 * changes no score. */
static void prepare(txs_sanctions *s)
{
    if (s->ready) return;
    s->qkind = party_kind(s->ctx, s->raw, s->rawn);
    query_side(s);
    txs__match_bound_query(&s->qs, s->qb);
    if (++s->qgen == 0) { /* a slot of 2^32 queries ago must not pass for this one's */
        memset(s->qc, 0, QCOL * sizeof *s->qc);
        s->qgen = 1;
    }
    s->ready = 1;
}

/* Whether list name nm is one word, legal forms aside: score_name caps
 * such a name under the threshold against a party name of more words
 * (core_tokens on the same token flags), so it cannot match one and is
 * not bounded or scored (with the bound: the full walk, the reference,
 * scores every candidate). */
static int one_word(const sidx *x, uint32_t nm)
{
    const txs__snap_name *m = &x->names[nm];
    return core_of(x->tokdesc + m->tokdesc, m->ntok, 2) == 1;
}

/* The tview slots of list name nm's tokens (bound_reaches), fetched ahead. */
static uint32_t tview_at(uint32_t list, uint32_t id)
{
    return ((id + list * 0x9E3779B1u) * 2654435761u) >> 18;
}

static void tview_prefetch(const txs_sanctions *s, const sidx *x, uint32_t list, uint32_t nm)
{
    const txs__snap_name *m = &x->names[nm];
    uint32_t n = m->ntok < TXS__SIDE ? m->ntok : TXS__SIDE;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t id = x->tokid[m->tokdesc + k];
        if (id != TXS__NO_TOK) __builtin_prefetch(&s->tv[tview_at(list, id)]);
    }
}

/* Whether an upper bound of score_name(nm) (match.h txs__match_bound),
 * from the list name's tokens as the snapshot holds them, reaches the
 * threshold. */
static int bound_reaches(txs_sanctions *s, const sidx *x, uint32_t list, uint32_t nm)
{
    const txs__snap_name *m = &x->names[nm];
    txs__mbtok c[TXS__SIDE];
    txs__mbcol own[TXS__SIDE]; /* columns not kept in qc */
    const txs__mbcol *col[TXS__SIDE];
    uint32_t n = m->ntok < TXS__SIDE ? m->ntok : TXS__SIDE;
    uint32_t nq = s->qs.n < TXS__SIDE ? s->qs.n : TXS__SIDE;
    for (uint32_t k = 0; k < n; k++) {
        const txs_norm_tok *d = &x->tokdesc[m->tokdesc + k];
        uint32_t id = x->tokid[m->tokdesc + k];
        if (id == TXS__NO_TOK) { /* an initial */
            txs__match_bound_tok(&s->mp, x->text + m->text_off + d->off, d->len, d->flags, &c[k]);
            txs__match_bound_col(&s->mp, s->qb, nq, &c[k], &own[k]);
            col[k] = &own[k];
            continue;
        }
        tview *v = &s->tv[tview_at(list, id)];
        if (v->list1 == list + 1u && v->tok == id) {
            c[k].raw = v->raw, c[k].weight = v->weight, c[k].rawlen = v->rawlen;
            c[k].flen = v->flen, c[k].foldeq = v->foldeq;
            memcpy(c[k].fold, v->fold, TVIEW_FOLD);
        } else {
            const txs__snap_tok *t = &x->toks[id];
            txs__match_bound_tok(&s->mp, x->tokstr + t->str_off, t->len, 0, &c[k]);
            if (c[k].flen <= TVIEW_FOLD) {
                v->list1 = list + 1u, v->tok = id;
                v->raw = c[k].raw, v->weight = c[k].weight, v->rawlen = c[k].rawlen;
                v->flen = c[k].flen, v->foldeq = c[k].foldeq;
                memcpy(v->fold, c[k].fold, TVIEW_FOLD);
            }
        }
        c[k].flags = d->flags;
        c[k].weight = txs__match_weight_of(&s->mp, c[k].weight, d->flags);
        qcol *q = &s->qc[(((id ^ (uint32_t)d->flags << 20) + list * 0x9E3779B1u) * 2654435761u >> 23) &
                         s->qcmask];
        if (q->gen != s->qgen || q->list1 != list + 1u || q->tok != id || q->flags != d->flags) {
            /* a slot an earlier token of this name reads stays as it is */
            uint32_t j = 0;
            while (j < k && col[j] != &q->col) j++;
            if (j < k) {
                txs__match_bound_col(&s->mp, s->qb, nq, &c[k], &own[k]);
                col[k] = &own[k];
                continue;
            }
            txs__match_bound_col(&s->mp, s->qb, nq, &c[k], &q->col);
            q->gen = s->qgen, q->list1 = list + 1u, q->tok = id, q->flags = d->flags;
        }
        col[k] = &q->col;
    }
    return txs__match_bound_cols_reach(&s->mp, s->qb, nq, s->q.kind, c, col, n,
                                       (txs_name_kind)m->kind, s->threshold - 1e-9);
}

/* Steps 4 and 5 for one snapshot.  The hit tokens' prefix postings
 * (prefix.h) give the names that can reach their bar; each one's mass is
 * summed from its own tokens.  When more names pass the bar than MAX_CAND,
 * the ones scored are those the query covers best, not the first touched:
 * a family with many listed members (the AL-TIKRITI entries), or Korean
 * names of common syllables, could otherwise crowd the right entry out.
 * Leaves dist[] and thix[] zeroed. */
static void candidates(txs_sanctions *s, sidx *x, uint32_t list)
{
    size_t nt = 0, nc = 0;
    /* The walks fetch a few names ahead, which changes no result: the
     * bundled lists' forward index is past the 512 KiB L2 too (on the bench
     * export the name-mass loop's loads were a third of candidates()'s
     * time without; fetching cost 0.25 % more instructions). */
    float w[MAX_TH];
    uint64_t hmask = 0; /* name_mass's filter of the hit tokens */
    for (size_t i = 0; i < s->nth; i++) {
        const txs__snap_tok *t = &x->toks[s->th[i].tok];
        w[i] = t->weight * s->th[i].f;
        x->thix[s->th[i].tok] = (uint8_t)(i + 1);
        hmask |= 1ull << (s->th[i].tok & 63u);
    }
    if (x->full) {
        for (size_t i = 0; i < s->nth; i++) {
            const txs__snap_tok *t = &x->toks[s->th[i].tok];
            for (uint32_t j = 0; j < t->post_n; j++) {
                uint32_t nm = x->post[t->post_off + j];
                nt = touch(x, nm, txs__cand_bar(x->names[nm].weight), 1, nt);
            }
        }
    } else {
        uint32_t ord[MAX_TH];
        uint64_t key[MAX_TH]; /* rarity_key of each, read once */
        double r[MAX_TH + 1]; /* r[i]: the weight of the hit tokens walked from i on */
        for (size_t i = 0; i < s->nth; i++) {
            size_t at = i;
            key[i] = rarity_key(x, s->th[i].tok);
            for (; at > 0 && key[i] < key[ord[at - 1]]; at--) ord[at] = ord[at - 1];
            ord[at] = (uint32_t)i;
        }
        r[s->nth] = 0.0;
        for (size_t i = s->nth; i-- > 0;) r[i] = r[i + 1] + w[ord[i]];
        uint64_t qmask = 0;
        double wbit[64];
        for (size_t i = 0; i < s->nth; i++) {
            uint64_t b = txs__sig_bit(s->th[i].tok);
            if (!(qmask & b)) wbit[__builtin_ctzll(b)] = 0.0;
            qmask |= b, wbit[__builtin_ctzll(b)] += w[i];
        }
        for (size_t i = 0; i < s->nth; i++) /* every walk's first postings, fetched together */
            __builtin_prefetch(x->pre + x->pre_off[s->th[i].tok]);
        for (size_t i = 0; i < s->nth; i++) {
            uint32_t t = s->th[ord[i]].tok;
            const txs__snap_pre *pl = x->pre + x->pre_off[t];
            uint32_t n = x->pre_off[t + 1] - x->pre_off[t];
            for (uint32_t j = 0; j < n && txs__cand_reachable(pl[j].bar, r[i]); j++) {
                if (j + 16 < n) __builtin_prefetch(&x->dist[pl[j + 16].nm]);
                if (x->unfiltered)
                    nt = touch(x, pl[j].nm, pl[j].bar, 1, nt);
                else if (may_pass(&pl[j], qmask, wbit))
                    nt = touch(x, pl[j].nm, pl[j].bar, ends_may_hit(&pl[j], qmask), nt);
            }
        }
    }
    /* A person's first and last names without the middle ones: for each
     * exact hit token carried by at most ENDS_POST names, the persons'
     * names with it at one end (x->ends, built when the snapshot was
     * opened) whose other end is a hit too.  Tokens reached through the
     * typo table are not walked
     * (each unmatched query token brings several, nearly all of them
     * wrong): a name whose one end is a typo is still touched through its
     * other end, and ends_hit counts both kinds of hit.  A name is touched
     * here only when ends_hit holds: one below its bar is kept for nothing
     * else, and one at its bar the prefix walk has touched already.  When
     * every hit is exact, the commonest is not walked: a name whose two
     * ends are hits is reached through the rarer one (a name whose first
     * and last tokens are both that commonest token is not). */
    if (s->q.ntok >= 2) {
        size_t skip = SIZE_MAX;
        int exact = s->nth >= 2;
        for (size_t i = 0; i < s->nth && exact; i++)
            if (s->th[i].f != 1.0f) exact = 0;
            else if (skip == SIZE_MAX || rarer(x, s->th[skip].tok, s->th[i].tok)) skip = i;
        if (!exact) skip = SIZE_MAX;
        for (size_t i = 0; i < s->nth; i++) {
            uint32_t tk = s->th[i].tok;
            if (i == skip || s->th[i].f != 1.0f || x->toks[tk].post_n > ENDS_POST) continue;
            /* the person names with tk at one end: ends_hit when the other
             * end is a hit token too */
            for (uint32_t j = x->ends_off[tk]; j < x->ends_off[tk + 1]; j++) {
                uint32_t o = x->ends[j].other, nm = x->ends[j].nm;
                if (o != TXS__NO_TOK && x->thix[o])
                    nt = touch(x, nm, txs__cand_bar(x->names[nm].weight), 1, nt);
            }
        }
    }
    for (size_t i = 0; i < nt; i++) {
        /* The touched names are scattered over the forward index: fetch a
         * few names ahead (no effect on results). */
        if (i + 16 < nt) {
            __builtin_prefetch(&x->fwd_off[x->tch[i + 16].nm]);
            __builtin_prefetch(&x->names[x->tch[i + 16].nm]);
        }
        if (i + 8 < nt) __builtin_prefetch(&x->fwd[x->fwd_off[x->tch[i + 8].nm]]);
        uint32_t nm = x->tch[i].nm, first;
        x->dist[nm] = 0;
        float mass = name_mass(s, x, nm, w, hmask, &first);
        if (mass < x->tch[i].bar && !(mass >= ENDS_MIN && x->tch[i].ends && ends_hit(x, nm)))
            continue;
        const txs__snap_name *m = &x->names[nm];
        __builtin_prefetch(&x->tokid[m->tokdesc]); /* bound_reaches reads its tokens */
        __builtin_prefetch(&x->tokdesc[m->tokdesc]);
        float nw = m->weight;
        x->cand[nc++] = (struct cand){nw > 0.0f ? mass / nw : 0.0f, mass, nm, first};
    }
    for (size_t i = 0; i < s->nth; i++) x->thix[s->th[i].tok] = 0;
    if (nc == 0) return;
    const int top = nc > MAX_CAND;
    if (top) { /* the MAX_CAND best covered */
        select_top(x->cand, nc, MAX_CAND);
        nc = MAX_CAND;
    }
    /* Most candidates fail the bound: not prepared, not scored, and not
     * sorted either.  The bound of one candidate does not depend on any
     * other, so the survivors are scored in the same order as if all had
     * been sorted: cand_cmp's for the best covered, else touch_cmp's (the
     * order decides which of two names of an entity with equal scores is
     * kept). */
    size_t ns = 0;
    const int qmulti = s->bound && core_tokens(&s->q) > 1;
    for (size_t i = 0; i < nc; i++) {
        if (s->bound && i + 2 < nc) tview_prefetch(s, x, list, x->cand[i + 2].nm);
        if (qmulti && one_word(x, x->cand[i].nm)) continue; /* capped below the threshold */
        prepare(s); /* once a name: on the first candidate that is not capped */
        if (!s->bound || bound_reaches(s, x, list, x->cand[i].nm))
            x->cand[ns++] = x->cand[i];
    }
    qsort(x->cand, ns, sizeof *x->cand, top ? cand_cmp : touch_cmp);
    for (size_t i = 0; i < ns; i++) {
        uint32_t nm = x->cand[i].nm;
        double sc = score_name(s, x, nm, NULL, 0, NULL);
        if (sc >= s->threshold) keep(s, list, x->names[nm].entity, nm, sc);
    }
}

static int res_cmp(const void *a, const void *b)
{
    const txs_sanctions_match *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->list != y->list) return x->list < y->list ? -1 : 1;
    return x->entity < y->entity ? -1 : x->entity > y->entity;
}

static size_t screen_name(txs_sanctions *s, const char *p, size_t n, txs_sanctions_match *out,
                          size_t cap);

/* The cache key of a query's qualifiers: 0 without any. */
static uint64_t ctx_key(const txs_sanctions_party *q)
{
    if (q == NULL) return 0;
    return 1ull << 63 | (uint64_t)(unsigned char)q->country[0] << 48 |
           (uint64_t)(unsigned char)q->country[1] << 40 | (uint64_t)(q->kind & 0xff) << 32 |
           (uint32_t)q->birth_year;
}

size_t txs_sanctions_name(txs_sanctions *s, const char *p, size_t n, txs_sanctions_match *out,
                          size_t cap)
{
    return txs_sanctions_name_ctx(s, p, n, NULL, out, cap);
}

/* Legal forms that name nothing but a company, written as the last word of
 * a party name.  Two-letter forms (SA, AG, SE, CO) are left out: they are
 * also syllables of people's names ("PAK HAN SE", a listed person, lost
 * his hit when SE made him a company). */
static int org_word(const char *w, size_t n)
{
    /* The forms, listed once: the table, and the mask of their first
     * letters, which tells most last words no before they are copied. */
#define ORG_FORMS(X)                                                                                  \
    X("corp") X("corporation") X("cjsc") X("fze") X("fzco") X("gmbh") X("inc") X("incorporated")   \
    X("jsc") X("limited") X("llc") X("llp") X("ltd") X("ojsc") X("ooo") X("pjsc") X("plc")          \
    X("sarl") X("spa") X("srl")
#define W(s) {s, sizeof s - 1},
#define FIRST(s) | 1u << (s[0] - 'a')
    static const struct { const char *w; size_t n; } F[] = {ORG_FORMS(W)};
    const uint32_t first = 0u ORG_FORMS(FIRST);
#undef FIRST
#undef W
#undef ORG_FORMS
    size_t i0 = 0;
    while (i0 < n && w[i0] == '.') i0++; /* dots are not copied */
    unsigned c0 = i0 < n ? (unsigned char)w[i0] | 0x20u : 0;
    if (c0 < 'a' || c0 > 'z' || !(first >> (c0 - 'a') & 1u)) return 0;
    char b[16];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof b; i++)
        if (w[i] != '.') b[k++] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    for (size_t i = 0; i < sizeof F / sizeof *F; i++)
        if (F[i].n == k && memcmp(F[i].w, b, k) == 0) return 1;
    return 0;
}

/* The party's kind: as the transaction gives it, else a company when the
 * name as written ends in an unambiguous legal form ("Acme Trading LLC",
 * "Rosneft PJSC"), else unknown.  No person is inferred from a name: a
 * vessel's or a firm's name without a legal form looks like one. */
static txs_name_kind party_kind(const txs_sanctions_party *q, const char *p, size_t n)
{
    if (q && q->kind != TXS_NAME_ANY) return q->kind;
    while (n && (p[n - 1] == ' ' || p[n - 1] == ',' || p[n - 1] == ')')) n--;
    size_t b = n;
    while (b && p[b - 1] != ' ' && p[b - 1] != ',' && p[b - 1] != '(') b--;
    return b > 0 && org_word(p + b, n - b) ? TXS_NAME_COMPANY : TXS_NAME_ANY;
}

void txs_sanctions_uncached(txs_sanctions *s)
{
    if (s->cache_owner) txs__ncache_free(s->cache);
    s->cache = NULL;
    s->cache_owner = 0;
}

int txs_sanctions_share_cache(txs_sanctions *s, txs_sanctions *from)
{
    if (s == from) return TXS_OK;
    if (from->cache == NULL) return TXS_E_ARG;
    if (txs__ncache_share(from->cache) < 0) return TXS_E_NOMEM;
    if (s->cache_owner) txs__ncache_free(s->cache);
    s->cache = from->cache;
    s->cache_owner = 0;
    return TXS_OK;
}

txs_sanctions_key txs_sanctions_prefetch(const txs_sanctions *s, const char *p, size_t n,
                                         const txs_sanctions_party *ctx)
{
    txs_sanctions_key k = {0, 0};
    if (n == 0) return k;
    txs__nkey key = txs__ncache_key(p, n, ctx_key(ctx));
    if (s->cache) txs__ncache_prefetch(s->cache, key);
    k.lo = key.lo, k.hi = key.hi;
    return k;
}

size_t txs_sanctions_name_ctx(txs_sanctions *s, const char *p, size_t n,
                              const txs_sanctions_party *ctx, txs_sanctions_match *out,
                              size_t cap)
{
    if (n == 0) return 0;
    txs__nkey key = s->cache ? txs__ncache_key(p, n, ctx_key(ctx)) : (txs__nkey){0, 0};
    return txs_sanctions_name_key(s, (txs_sanctions_key){key.lo, key.hi}, p, n, ctx, out, cap);
}

size_t txs_sanctions_name_key(txs_sanctions *s, txs_sanctions_key nk, const char *p, size_t n,
                              const txs_sanctions_party *ctx, txs_sanctions_match *out,
                              size_t cap)
{
    if (n == 0) return 0;
    txs__nkey key = {nk.lo, nk.hi};
    if (s->cache) {
        int known = txs__ncache_get(s->cache, key, p, n, out, cap);
        if (known >= 0) return (size_t)known;
    }
    s->ctx = ctx;
    size_t k = screen_name(s, p, n, out, cap);
    s->ctx = NULL;
    if (s->cache) txs__ncache_put(s->cache, key, p, n, s->res, s->nres);
    return k;
}

/* Party name p[0..n) normalized into s->q, which remembers the bytes (a
 * longer name is not kept). */
static int norm_query(txs_sanctions *s, const char *p, size_t n)
{
    int rc = txs_norm_name_of(s->nz, p, n, TXS_NAME_ANY, &s->q);
    s->qs_ok = 0;
    s->qrc = rc;
    s->qrawn = n <= sizeof s->qraw ? n : SIZE_MAX;
    if (s->qrawn != SIZE_MAX) memcpy(s->qraw, p, n);
    return rc;
}

/* norm_query(s, p, n), unless s->q holds that name already. */
static int query_of(txs_sanctions *s, const char *p, size_t n)
{
    if (s->qrawn == n && memcmp(s->qraw, p, n) == 0) return s->qrc;
    return norm_query(s, p, n);
}

/* Screen one name without the cache; s->res keeps every match found. */
static size_t screen_name(txs_sanctions *s, const char *p, size_t n, txs_sanctions_match *out,
                          size_t cap)
{
    s->nres = 0;
    if (n == 0 || norm_query(s, p, n) < 0 || s->q.ntok == 0) return 0;
    s->raw = p, s->rawn = n, s->ready = 0; /* prepare() on the first candidate */
    for (size_t i = 0; i < s->n; i++) {
        sidx *x = &s->ix[i];
        s->nth = 0;
        memset(s->qhit, 0, sizeof s->qhit);
        exact_words(s, x);
        typo_channel(s, x);
        candidates(s, x, (uint32_t)i);
    }
    qsort(s->res, s->nres, sizeof *s->res, res_cmp);
    size_t k = s->nres < cap ? s->nres : cap;
    memcpy(out, s->res, k * sizeof *out);
    return k;
}

void txs_sanctions_explain(txs_sanctions *s, const char *p, size_t n, const txs_sanctions_match *m,
                           char *explain, size_t ecap)
{
    txs_sanctions_explain_ctx(s, p, n, NULL, m, explain, ecap);
}

static int evidence(txs_sanctions *s, const char *p, size_t n, const txs_sanctions_party *ctx,
                    const txs_sanctions_match *m, const double *name_sc);

void txs_sanctions_explain_ctx(txs_sanctions *s, const char *p, size_t n,
                               const txs_sanctions_party *ctx, const txs_sanctions_match *m,
                               char *explain, size_t ecap)
{
    if (ecap) explain[0] = '\0';
    if (m->name == UINT32_MAX || m->list >= s->n) return;
    txs__hkey h = {txs__ncache_key(p, n, ctx_key(ctx)), p, n, m->list, m->name};
    if (ecap && txs__hmemo_explain(s->hm, &h, explain, ecap)) return;
    int normed = query_of(s, p, n) == 0;
    query_side(s);
    s->ctx = ctx;
    s->qkind = party_kind(ctx, p, n);
    double name_sc;
    score_name(s, &s->ix[m->list], m->name, explain, ecap, &name_sc);
    s->ctx = NULL;
    if (ecap) txs__hmemo_put_explain(s->hm, &h, explain, ecap);
    /* The evidence asks for the same name score: kept beside the
     * explanation, it is not normalized and scored a second time (on the
     * 1 M-name list's bench export that was 3 % of the run). */
    if (txs__hmemo_evidence(s->hm, &h) < 0)
        txs__hmemo_put_evidence(s->hm, &h, evidence(s, p, n, ctx, m, normed ? &name_sc : NULL));
}

/* Whether the party's country is one of entity ent's, or its birth year is
 * covered by one of the entity's dates (both sides must know the fact). */
static int quals_agree(const sidx *x, uint32_t ent, const txs_sanctions_party *q)
{
    if (q == NULL) return 0;
    for (uint32_t i = x->c_off[ent]; q->country[0] && i < x->c_off[ent + 1]; i++)
        if (memcmp(x->ctry[i], q->country, 2) == 0) return 1;
    for (uint32_t i = x->y_off[ent]; q->birth_year > 0 && i < x->y_off[ent + 1]; i++)
        if (q->birth_year >= x->years[i][0] && q->birth_year <= x->years[i][1]) return 1;
    return 0;
}

/* txs_sanctions_evidence of a name hit on list name m->name, worked out.
 * name_sc: the party name's score against it before qualifiers when the
 * caller has it (txs__match_score_side on s->q, normalized from p), else
 * NULL: then it is worked out here. */
static int evidence(txs_sanctions *s, const char *p, size_t n, const txs_sanctions_party *ctx,
                    const txs_sanctions_match *m, const double *name_sc)
{
    const sidx *x = &s->ix[m->list];
    int weak = (x->names[m->name].flags & TXS__NM_WEAK) != 0;
    /* a qualifier that disagrees (another country, kind or birth year)
     * leaves even an exact name to an analyst */
    s->ctx = ctx;
    s->qkind = party_kind(ctx, p, n);
    int against = ctx && apply_quals(s, x, x->names[m->name].entity, 1.0, NULL, 0) < 1.0;
    s->ctx = NULL;
    if (!weak && !against && (name_sc || query_of(s, p, n) == 0)) {
        double nm;
        if (name_sc) {
            nm = *name_sc;
        } else {
            query_side(s);
            load_name(x, m->name, &s->c);
            nm = txs__match_score_side(&s->mp, &s->qs, &s->q, &s->c, NULL, NULL, 0);
        }
        if (nm >= 0.9999) return TXS_EV_EXACT;
        if (nm >= TXS_SANCTIONS_NEAR_EXACT) return TXS_EV_NEAR_EXACT;
    }
    if (quals_agree(x, x->names[m->name].entity, ctx)) return TXS_EV_QUALIFIERS;
    return against ? TXS_EV_AGAINST : weak ? TXS_EV_WEAK_ALIAS : TXS_EV_FUZZY;
}

int txs_sanctions_evidence(txs_sanctions *s, const char *p, size_t n,
                           const txs_sanctions_party *ctx, const txs_sanctions_match *m)
{
    if (m->name == UINT32_MAX) return TXS_EV_IDENTIFIER;
    if (m->list >= s->n) return TXS_EV_FUZZY;
    txs__hkey h = {txs__ncache_key(p, n, ctx_key(ctx)), p, n, m->list, m->name};
    int ev = txs__hmemo_evidence(s->hm, &h);
    if (ev < 0) {
        ev = evidence(s, p, n, ctx, m, NULL);
        txs__hmemo_put_evidence(s->hm, &h, ev);
    }
    return ev;
}

const char *txs_sanctions_evidence_name(int ev)
{
    switch (ev) {
    case TXS_EV_EXACT: return "exact name";
    case TXS_EV_NEAR_EXACT: return "near-exact name";
    case TXS_EV_QUALIFIERS: return "name and qualifiers";
    case TXS_EV_IDENTIFIER: return "identifier";
    case TXS_EV_NAME_IDENT: return "name and identifier";
    case TXS_EV_WEAK_ALIAS: return "weak alias";
    case TXS_EV_AGAINST: return "name, qualifiers against";
    default: return "fuzzy name";
    }
}

txs_slice txs_sanctions_name_text(const txs_sanctions *s, const txs_sanctions_match *m)
{
    txs_slice none = {"", 0};
    if (m->list >= s->n || m->name == UINT32_MAX) return none;
    const sidx *x = &s->ix[m->list];
    const txs__snap_name *nm = &x->names[m->name];
    txs_entity e;
    txs_lists_entity(x->l, nm->entity, &e);
    if (nm->field == TXS__NM_PRIMARY) return e.name;
    txs_field f;
    txs_lists_field(x->l, &e, nm->field, &f);
    return f.value;
}

/* ----------------------------------------------------------- free text */

static int tok_eq(const txs_norm_name *a, uint32_t i, const txs_norm_name *b, uint32_t j)
{
    return a->tok[i].len == b->tok[j].len &&
           memcmp(txs_norm_tok_text(a, i), txs_norm_tok_text(b, j), a->tok[i].len) == 0;
}

/* Score list name nm against the compact window of the text s->q holding
 * its tokens (into s->w); 0 when they are spread wider than the name plus
 * one token, which is a sentence using the words, not the name. */
static double score_window(txs_sanctions *s, const sidx *x, uint32_t nm, char *explain, size_t cap)
{
    load_name(x, nm, &s->c);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t k = 0; k < s->q.ntok; k++)
        for (uint32_t j = 0; j < s->c.ntok; j++)
            if (tok_eq(&s->q, k, &s->c, j)) {
                if (k < lo) lo = k;
                hi = k;
                break;
            }
    if (lo == UINT32_MAX || hi - lo + 1 > s->c.ntok + 1) return 0.0;
    const txs_norm_tok *a = &s->q.tok[lo], *b = &s->q.tok[hi];
    txs_norm_name_of(s->nz, s->q.text + a->off, (size_t)b->off + b->len - a->off, TXS_NAME_ANY,
                     &s->w);
    txs_match_qual ql;
    memset(&ql, 0, sizeof ql);
    ql.weak_alias = (x->names[nm].flags & TXS__NM_WEAK) != 0;
    return txs_match_score(&s->mp, &s->w, &s->c, &ql, explain, cap);
}

/* Steps 4 and 5 for free text, at bar; leaves mass[] and dist[] zeroed. */
static void text_candidates(txs_sanctions *s, sidx *x, uint32_t list, double bar)
{
    size_t nt = 0, scored = 0;
    for (size_t i = 0; i < s->nth; i++) {
        const txs__snap_tok *t = &x->toks[s->th[i].tok];
        int distinct = t->weight >= DISTINCT_W;
        for (uint32_t j = 0; j < t->post_n; j++) {
            uint32_t nm = x->post[t->post_off + j];
            if (x->mass[nm] == 0.0f) x->touched[nt++] = nm;
            x->mass[nm] += t->weight;
            x->dist[nm] += distinct && x->dist[nm] < 255;
        }
    }
    for (size_t i = 0; i < nt; i++) {
        uint32_t nm = x->touched[i];
        float mass = x->mass[nm], nw = x->names[nm].weight;
        int dist = x->dist[nm];
        x->mass[nm] = 0.0f, x->dist[nm] = 0;
        if (dist < 2 || mass < txs__cand_bar(nw) || scored >= MAX_CAND) continue;
        scored++;
        double sc = score_window(s, x, nm, NULL, 0);
        if (sc >= bar) keep(s, list, x->names[nm].entity, nm, sc);
    }
}

/* The text normalised into s->q: 1, or 0 when it has fewer than two
 * tokens. */
static int load_text(txs_sanctions *s, const char *p, size_t n)
{
    if (n == 0) return 0;
    int rc = txs_norm_name_of(s->nz, p, n, TXS_NAME_ANY, &s->q);
    s->qrawn = SIZE_MAX, s->qs_ok = 0; /* not a party name's */
    return rc >= 0 && s->q.ntok >= 2;
}

size_t txs_sanctions_text(txs_sanctions *s, const char *p, size_t n, double bar,
                          txs_sanctions_match *out, size_t cap)
{
    s->nres = 0;
    if (!load_text(s, p, n)) return 0;
    for (size_t i = 0; i < s->n; i++) {
        sidx *x = &s->ix[i];
        s->nth = 0;
        exact_words(s, x);
        text_candidates(s, x, (uint32_t)i, bar);
    }
    qsort(s->res, s->nres, sizeof *s->res, res_cmp);
    size_t k = s->nres < cap ? s->nres : cap;
    memcpy(out, s->res, k * sizeof *out);
    return k;
}

void txs_sanctions_explain_text(txs_sanctions *s, const char *p, size_t n,
                                const txs_sanctions_match *m, char *explain, size_t ecap)
{
    if (ecap) explain[0] = '\0';
    if (m->name == UINT32_MAX || m->list >= s->n || load_text(s, p, n) == 0) return;
    score_window(s, &s->ix[m->list], m->name, explain, ecap);
}
