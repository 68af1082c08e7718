/*
 * bound.c: an upper bound of the alignment score (score.c), cheap enough
 * to reject a candidate before its tokens are prepared and aligned.
 *
 * Most candidates a query brings share one token with it and little else
 * (the 50,000 distinct bench names bring 164,806 candidates, of which 88
 * reach the 0.85 threshold), yet full scoring prepares every token of the
 * candidate, compares every pair and merge, and sorts the edges.  The
 * bound takes each token's best possible similarity, from necessary
 * conditions of txs__match_tok_sim and merge_sim:
 *
 *   - Latin tokens: the fold's weighted edit cost is at least their
 *     unit-cost restricted Damerau distance in which confusable letters
 *     and vowels count as equal (every edit the scorer charges less than 1
 *     is such a pair), computed bit-parallel (token.c txs__match_myers:
 *     Myers 1999; Hyyro 2001 for the transposition), with the soft byte
 *     classes as match masks, so the similarity is at most 1 - that / length,
 *     and nothing past the budget; the raw spellings' one-edit fallback
 *     the same way; initials: the first letter; other scripts and numbers
 *     may always match (they are rare, and their rules are their own);
 *   - merges: the joined folds' lengths and letter sets;
 *
 * then sums the best case: every token that may align does, at its best
 * similarity, and counts in the denominator at least the smaller of its
 * weight and its unmatched charge; a token that cannot align is charged
 * as unmatched: the conflict factor when both sides hold such a
 * significant token (the scorer's conflict is then certain), else the
 * smallest factor that may apply, and nothing for a person's middle names
 * on the candidate side (the middle-name cap).  Penalties and qualifiers
 * only lower a score, so the bound holds for the final score too.
 * Screening asks only whether the bound reaches its threshold
 * (txs__match_bound_cols_reach), which needs no sort of the tokens by gain.
 *
 * The conditions follow token.c and score.c: a change there that lets a
 * new kind of pair align must be mirrored here.  tests/unit/test_bound.c
 * checks the distance against a plain table and the bound against full
 * scores of list and bench names.
 */
#include <string.h>

#include "match_int.h"

#define B(c) (1u << ((unsigned)(c) & 31u))
#define VOWELS (B('a') | B('e') | B('i') | B('o') | B('u') | B('y'))

/* soft[c]: the byte classes (low five bits) the scorer substitutes for c
 * at a cost under 1: c's confusable letters (token.c's table) and, for a
 * vowel, the other vowels.  0: c alone.  tests/unit/test_bound.c checks it
 * against txs__match_edit_cost on every pair of bytes. */
static const uint32_t soft[128] = {
    ['a'] = VOWELS,
    ['e'] = VOWELS,
    ['i'] = VOWELS | B('1') | B('j'),
    ['o'] = VOWELS | B('0'),
    ['u'] = VOWELS,
    ['y'] = VOWELS,
    ['b'] = B('b') | B('6') | B('p'),
    ['c'] = B('c') | B('k'),
    ['d'] = B('d') | B('t'),
    ['f'] = B('f') | B('v'),
    ['g'] = B('g') | B('9') | B('k') | B('j'),
    ['h'] = B('h') | B('n'),
    ['j'] = B('j') | B('i') | B('g'),
    ['k'] = B('k') | B('c') | B('g'),
    ['l'] = B('l') | B('1'),
    ['n'] = B('n') | B('h'),
    ['p'] = B('p') | B('b'),
    ['q'] = B('q') | B('9'),
    ['s'] = B('s') | B('5') | B('z'),
    ['t'] = B('t') | B('d'),
    ['v'] = B('v') | B('f'),
    ['z'] = B('z') | B('s'),
    ['0'] = B('0') | B('o'),
    ['1'] = B('1') | B('i') | B('l'),
    ['5'] = B('5') | B('s'),
    ['6'] = B('6') | B('b'),
    ['9'] = B('9') | B('g') | B('q'),
};

uint32_t txs__match_soft_classes(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 128 && soft[u] ? soft[u] : B(u);
}

/* Match masks of a (at most 64 bytes): bit i of peq[k] when byte class k
 * is soft-equal to a[i]. */
static void soft_peq(const char *a, size_t na, uint64_t *peq)
{
    uint64_t v = 0; /* the vowels' positions, set in every vowel's mask at the end */
    memset(peq, 0, 32 * sizeof *peq);
    for (size_t i = 0; i < na && i < 64; i++) {
        uint32_t m = txs__match_soft_classes(a[i]);
        if ((m & VOWELS) == VOWELS) v |= 1ull << i, m &= ~VOWELS;
        for (; m; m &= m - 1) peq[__builtin_ctz(m)] |= 1ull << i;
    }
    if (v)
        for (uint32_t m = VOWELS; m; m &= m - 1) peq[__builtin_ctz(m)] |= v;
}

unsigned txs__match_soft_distance(const char *a, size_t na, const char *b, size_t nb)
{
    uint64_t peq[32];
    if (na == 0) return (unsigned)nb;
    if (na > 64) na = 64;
    soft_peq(a, na, peq);
    return txs__match_myers(peq, na, b, nb, 1);
}

void txs__match_bound_tok(const txs_match_params *p, const char *raw, size_t n, uint16_t flags,
                          txs__mbtok *out)
{
    uint16_t rl = (uint16_t)(n < 0xffff ? n : 0xffff);
    out->raw = raw;
    out->rawlen = rl;
    out->flags = flags;
    out->flen = (uint8_t)txs__match_fold(raw, n, out->fold);
    out->foldeq = out->flen == rl && memcmp(out->fold, raw, rl) == 0;
    out->weight = txs__match_weight(p, raw, rl, flags);
}

void txs__match_bound_query(const txs__mside *s, txs__mbq *out)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const txs__mtok *t = &s->t[i];
        txs__mbtok *b = &out[i].t;
        b->raw = t->raw;
        b->rawlen = t->rawlen;
        b->flags = t->flags;
        b->flen = (uint8_t)t->flen;
        memcpy(b->fold, t->fold, t->flen);
        b->foldeq = t->flen == t->rawlen && memcmp(t->fold, t->raw, t->rawlen) == 0;
        b->weight = t->weight;
        soft_peq(t->fold, t->flen, out[i].peq);
        out[i].kflen = (t->flags & TXS_TOK_HAN)
                           ? (uint8_t)txs__match_korean_fold(t->raw, t->rawlen, out[i].kfold,
                                                             sizeof out[i].kfold)
                           : 0;
    }
}

int txs__match_bound_usable(const txs_match_params *p)
{
    return p->initial_sim <= 1.0 && p->number_sim <= 1.0 && p->legal_weight >= 0.0 &&
           p->family_weight >= 0.0 && p->abjad_factor <= 1.0 && p->han_factor <= 1.0 &&
           p->edit_slope >= 0.0 && p->extra_factor >= 0.0 && p->extra_factor_org >= 0.0 &&
           p->conflict_factor >= 0.0 && p->middle_factor >= 0.0 &&
           p->legal_conflict_penalty >= 0.0 && p->weak_alias_penalty >= 0.0 &&
           p->country_penalty >= 0.0 && p->dob_penalty >= 0.0 && p->kind_penalty >= 0.0;
}

#define OTHER_SCRIPT (TXS_TOK_HAN | TXS_TOK_HANZI | TXS_TOK_ABJAD | TXS_TOK_NUMBER)

/* A token's Korean fold (txs__match_korean_fold): a query token's, made
 * with the query (txs__mbq.kfold), or a candidate token's, made on its
 * first use by one column. */
typedef struct kfold {
    int ready;
    size_t n;
    const char *s;
    char buf[TXS__MATCH_TOKMAX];
} kfold;

static const kfold *kfold_of(const txs__mbtok *b, kfold *k)
{
    if (!k->ready) {
        k->n = txs__match_korean_fold(b->raw, b->rawlen, k->buf, sizeof k->buf);
        k->s = k->buf, k->ready = 1;
    }
    return k;
}

static void kfold_query(const txs__mbq *q, kfold *k)
{
    k->ready = (q->t.flags & TXS_TOK_HAN) != 0, k->n = q->kflen, k->s = q->kfold;
}

/* unmatched2's count over b[0..nb), added to *seen and *nb0. */
static void tally(const uint64_t *peq, const char *b, size_t nb, uint64_t *seen, unsigned *nb0)
{
    for (size_t j = 0; j < nb; j++) {
        uint64_t pm = peq[(unsigned char)b[j] & 31u];
        *seen |= pm;
        *nb0 += pm == 0;
    }
}

/* A lower bound of txs__match_myers(peq, na, t, nb + nc, 1), t being b
 * followed by c (a join, read in place), cheap enough to spare the
 * distance most pairs: each byte of t that no byte of a matches
 * (peq: a's match masks) is inserted or substituted, and each byte of a
 * that no byte of t matches deleted or substituted, at one edit apiece (a
 * transposition swaps two matching bytes, so it settles neither). */
static unsigned unmatched2(const uint64_t *peq, size_t na, const char *b, size_t nb, const char *c,
                           size_t nc)
{
    uint64_t seen = 0;
    unsigned nb0 = 0;
    tally(peq, b, nb, &seen, &nb0);
    tally(peq, c, nc, &seen, &nb0);
    unsigned na0 = (unsigned)na - txs__popcount64(seen);
    return na0 > nb0 ? na0 : nb0;
}

/* The same for b alone. */
static unsigned unmatched(const uint64_t *peq, size_t na, const char *b, size_t nb)
{
    return unmatched2(peq, na, b, nb, b, 0);
}

/* The best similarity txs__match_tok_sim(a, b) may give that makes an
 * edge (at least min_token_sim), else 0; kb: b's Korean fold, made when
 * first needed. */
static double pair_best(const txs_match_params *p, const txs__mbq *qa, const txs__mbtok *b,
                        kfold *kb)
{
    const txs__mbtok *a = &qa->t;
    uint16_t f = a->flags | b->flags;
    if (a->rawlen == 0 || b->rawlen == 0) return 1.0;
    if (a->rawlen == b->rawlen && a->raw[0] == b->raw[0] && memcmp(a->raw, b->raw, a->rawlen) == 0)
        return 1.0;
    double s;
    if ((f & (TXS_TOK_HAN | TXS_TOK_HANZI | TXS_TOK_NUMBER)) == TXS_TOK_HAN) {
        /* Hangul: the same syllable in another romanisation, or nothing
         * (a Hangul query token's fold is made once, with the query) */
        kfold ka;
        kfold_query(qa, &ka);
        const kfold *x = kfold_of(a, &ka), *y = kfold_of(b, kb);
        s = x->n == y->n && memcmp(x->s, y->s, x->n) == 0 ? 0.95 : 0.0;
        return s >= p->min_token_sim ? s : 0.0;
    }
    if (f & TXS_TOK_NUMBER) {
        s = (a->flags & b->flags & TXS_TOK_NUMBER) ? p->number_sim : 0.0;
        return s >= p->min_token_sim ? s : 0.0;
    }
    if (f & TXS_TOK_ABJAD) return 1.0; /* skeletons: their own rules */
    if (f & TXS_TOK_INITIAL) {
        s = a->raw[0] == b->raw[0] ? p->initial_sim : 0.0;
        return s >= p->min_token_sim ? s : 0.0;
    }
    if (a->flen == b->flen && memcmp(a->fold, b->fold, a->flen) == 0) {
        s = 0.95;
        return s >= p->min_token_sim ? s : 0.0;
    }
    if (f & TXS_TOK_HANZI) return 0.0; /* a Han reading matches whole or not */
    s = 0.0;
    size_t l = a->flen > b->flen ? a->flen : b->flen;
    size_t dl = a->flen > b->flen ? a->flen - b->flen : b->flen - a->flen;
    if (a->flen > 0 && l > 0 && (double)dl <= txs__match_budget(l) &&
        (double)unmatched(qa->peq, a->flen, b->fold, b->flen) <= txs__match_budget(l)) {
        unsigned d = txs__match_myers(qa->peq, a->flen, b->fold, b->flen, 1);
        if ((double)d <= txs__match_budget(l)) s = 1.0 - (double)d / (double)l;
    }
    /* the raw spellings' fallback (token.c): one edit at most */
    if (a->rawlen >= 3 && b->rawlen >= 3 && a->rawlen <= b->rawlen + 1u &&
        b->rawlen <= a->rawlen + 1u && a->raw[0] == b->raw[0] && !(a->foldeq && b->foldeq)) {
        size_t lr = a->rawlen > b->rawlen ? a->rawlen : b->rawlen;
        unsigned d = a->rawlen <= 64 ? txs__match_soft_distance(a->raw, a->rawlen, b->raw, b->rawlen) : 0;
        if (d <= 1u) {
            double r = 1.0 - (double)d / (double)lr;
            if (r > s) s = r;
        }
    }
    s = 1.0 - (1.0 - s) * p->edit_slope;
    return s >= p->min_token_sim ? s : 0.0;
}

/* t's fold's match masks: tpeq when given, else made into mine on first
 * need (*ready), since most joins are settled before any is read. */
typedef struct tmasks {
    const uint64_t *peq;
    uint64_t mine[32];
    int ready;
} tmasks;

static const uint64_t *tmasks_of(tmasks *m, const txs__mbtok *t)
{
    if (m->peq == NULL) {
        if (!m->ready) soft_peq(t->fold, t->flen, m->mine), m->ready = 1;
        return m->mine;
    }
    return m->peq;
}

/* The best similarity merge_sim(a + b, t) may give that makes an edge,
 * else 0; tm: t's fold's match masks, kt its Korean fold (both made when
 * first needed). */
static double merge_best(const txs_match_params *p, const txs__mbtok *a, const txs__mbtok *b,
                         const txs__mbtok *t, tmasks *tm, kfold *kt)
{
    uint16_t f = a->flags | b->flags | t->flags;
    if (f & (TXS_TOK_NUMBER | TXS_TOK_LEGAL)) return 0.0;
    if (t->rawlen == 2 && b->rawlen && t->raw[0] == a->raw[0] && t->raw[1] == b->raw[0])
        return p->initial_sim >= p->min_token_sim ? p->initial_sim : 0.0;
    if (t->rawlen < 4) return 0.0;
    if (((a->flags | b->flags) ^ t->flags) & TXS_TOK_ABJAD) return 1.0; /* skeletons */
    if ((f & (TXS_TOK_HAN | TXS_TOK_HANZI)) == TXS_TOK_HAN) {
        /* Hangul syllables joined: the same syllables, or nothing */
        char r[TXS__MATCH_TOKMAX * 2], x[TXS__MATCH_TOKMAX * 2];
        if ((size_t)a->rawlen + b->rawlen > sizeof r) return 0.0;
        memcpy(r, a->raw, a->rawlen);
        memcpy(r + a->rawlen, b->raw, b->rawlen);
        size_t nx = txs__match_korean_fold(r, (size_t)a->rawlen + b->rawlen, x, sizeof x);
        const kfold *y = kfold_of(t, kt);
        double s = nx == y->n && memcmp(x, y->s, nx) == 0 ? 0.95 * p->han_factor : 0.0;
        return s >= p->min_token_sim ? s : 0.0;
    }
    size_t na = (size_t)a->flen + b->flen, nb = t->flen;
    size_t l = na > nb ? na : nb, dl = na > nb ? na - nb : nb - na;
    double budget = txs__match_budget(l);
    if ((double)dl > budget || nb == 0) return 0.0;
    if (f & TXS_TOK_HANZI) /* Han readings joined: a word exactly, or nothing */
        return na == nb && memcmp(a->fold, t->fold, a->flen) == 0 &&
                       memcmp(b->fold, t->fold + a->flen, b->flen) == 0 && 1.0 >= p->min_token_sim
                   ? 1.0
                   : 0.0;
    /* the distance is at least unmatched()'s count (most joins end here,
     * neither copied nor aligned) */
    const uint64_t *tpeq = tmasks_of(tm, t);
    if ((double)unmatched2(tpeq, nb, a->fold, a->flen, b->fold, b->flen) > budget) return 0.0;
    char j[2 * TXS__MATCH_TOKMAX];
    memcpy(j, a->fold, a->flen);
    memcpy(j + a->flen, b->fold, b->flen);
    unsigned d = txs__match_myers(tpeq, nb, j, na, 1);
    if ((double)d > budget) return 0.0;
    double s = 1.0 - (1.0 - (1.0 - (double)d / (double)l)) * p->edit_slope;
    return s >= p->min_token_sim ? s : 0.0;
}

static int significant(const txs__mbtok *t)
{
    return !(t->flags & (TXS_TOK_HAN | TXS_TOK_LEGAL)) && t->weight >= 0.5f;
}

static int org_kind(txs_name_kind k) { return k == TXS_NAME_COMPANY || k == TXS_NAME_VESSEL; }

void txs__match_bound_col(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                          const txs__mbtok *c, txs__mbcol *out)
{
    tmasks cm;
    kfold kc;
    kc.ready = 0;
    cm.peq = NULL, cm.ready = 0;
    if (nq > TXS__SIDE) nq = TXS__SIDE;
    for (uint32_t i = 0; i < nq; i++) out->pair[i] = pair_best(p, &q[i], c, &kc);
    out->merged = 0;
    for (uint32_t i = 0; i + 1 < nq; i++) {
        size_t na = (size_t)q[i].t.flen + q[i + 1].t.flen, nb = c->flen;
        size_t l = na > nb ? na : nb, dl = na > nb ? na - nb : nb - na;
        out->merge[i] = 0.0;
        /* the common case, settled on lengths before any masks */
        if (c->rawlen > 2 && txs__match_over_budget(dl, l) &&
            !((q[i].t.flags | q[i + 1].t.flags | c->flags) & OTHER_SCRIPT))
            continue;
        out->merge[i] = merge_best(p, &q[i].t, &q[i + 1].t, c, &cm, &kc);
        out->merged |= out->merge[i] > 0.0;
    }
}

/* Merge edges raise sq[] and sc[]: a query pair against one candidate
 * token from col[], two candidate tokens against one query token here. */
static void merges(const txs_match_params *p, const txs__mbq *q, uint32_t nq, const txs__mbtok *c,
                   const txs__mbcol *const *col, uint32_t nc, double *sq, double *sc)
{
    for (uint32_t j = 0; j < nc; j++) {
        if (!col[j]->merged) continue; /* every merge[i] is 0: nothing to raise */
        const double *mg = col[j]->merge;
        double best = sc[j];
        for (uint32_t i = 0; i + 1 < nq; i++) {
            double m = mg[i];
            best = m > best ? m : best;
            sq[i] = m > sq[i] ? m : sq[i];
            sq[i + 1] = m > sq[i + 1] ? m : sq[i + 1];
        }
        sc[j] = best;
    }
    for (uint32_t j = 0; j + 1 < nc; j++) {
        size_t na = (size_t)c[j].flen + c[j + 1].flen;
        uint16_t cf = (c[j].flags | c[j + 1].flags) & OTHER_SCRIPT;
        for (uint32_t i = 0; i < nq; i++) {
            size_t nb = q[i].t.flen;
            size_t l = na > nb ? na : nb, dl = na > nb ? na - nb : nb - na;
            if (q[i].t.rawlen > 2 && txs__match_over_budget(dl, l) &&
                !((cf | q[i].t.flags) & OTHER_SCRIPT))
                continue;
            kfold kq;
            kfold_query(&q[i], &kq);
            tmasks qm;
            qm.peq = q[i].peq;
            double m = merge_best(p, &c[j], &c[j + 1], &q[i].t, &qm, &kq);
            if (m > sc[j]) sc[j] = m;
            if (m > sc[j + 1]) sc[j + 1] = m;
            if (m > sq[i]) sq[i] = m;
        }
    }
}

/* The bound once each token's best similarity is known (sq[], sc[]).
 * With bar >= 0, whether it reaches bar instead (1 or 0), decided without
 * sorting: below. */
static double ratio(const txs_match_params *p, const txs__mbq *q, uint32_t nq, txs_name_kind qk,
                    const txs__mbtok *c, uint32_t nc, txs_name_kind ck, const double *sq,
                    const double *sc, double bar)
{
    /* both sides keep a significant token for certain: a conflict */
    int cq = 0, cc = 0;
    for (uint32_t i = 0; i < nq; i++) cq |= sq[i] == 0.0 && significant(&q[i].t);
    for (uint32_t j = 0; j < nc; j++) cc |= sc[j] == 0.0 && significant(&c[j]);
    double f = org_kind(qk) || org_kind(ck) ? p->extra_factor_org : p->extra_factor;
    if (p->conflict_factor < f || (cq && cc)) f = p->conflict_factor;
    /* A token that may align adds (its best similarity x weight) to the
     * numerator and its weight to the denominator, or, left unmatched,
     * (its charge x weight) to the denominator only: the best choice is to
     * align those whose gain a / b (b: weight less charge) is highest, as
     * long as each raises the ratio. */
    struct { double a, b; } it[2 * TXS__SIDE];
    uint32_t n = 0;
    double num = 0.0, den = 0.0;
    for (uint32_t k = 0; k < nq + nc; k++) {
        const txs__mbtok *t = k < nq ? &q[k].t : &c[k - nq];
        double s = k < nq ? sq[k] : sc[k - nq], w = t->weight;
        double u = (t->flags & TXS_TOK_HAN) ? p->conflict_factor : f;
        uint32_t j = k - nq;
        if (k >= nq && !cq && ck == TXS_NAME_PERSON && j > 0 &&
            !(t->flags & (TXS_TOK_FAMILY | TXS_TOK_LEGAL | TXS_TOK_HAN)))
            u = 0.0; /* a middle name: the cap may charge it nothing */
        den += u * w;
        if (s <= 0.0) continue;
        double ga = s * w, gb = (1.0 - u) * w;
        if (gb <= 0.0) {
            num += ga, den += gb;
            continue;
        }
        uint32_t at = n++;
        if (bar < 0.0)
            for (; at > 0 && it[at - 1].a * gb < ga * it[at - 1].b; at--) it[at] = it[at - 1];
        it[at].a = ga, it[at].b = gb;
    }
    if (bar >= 0.0) {
        /* The best ratio over the sets S of aligned items, R = max (num +
         * sum a) / (den + sum b), is at least T exactly when num - T den +
         * sum (a - T b) >= 0 for some S, that is for the S of every item
         * with a > T b.  T is bar without the slack below; rounding errs
         * on yes, and a zero denominator says yes (a filter may keep too
         * much, never too little). */
        double t = bar / (1.0 + 1e-6), x = num - t * den, scale = num + t * den + 1.0;
        for (uint32_t k = 0; k < n; k++) {
            double g = it[k].a - t * it[k].b;
            x += g > 0.0 ? g : 0.0;
            scale += it[k].a;
        }
        return den <= 0.0 || x >= -1e-9 * scale ? 1.0 : 0.0;
    }
    for (uint32_t k = 0; k < n; k++) {
        if (den > 0.0 && (num + it[k].a) * den <= num * (den + it[k].b)) break;
        num += it[k].a, den += it[k].b;
    }
    /* the scorer keeps each edge's similarity as a float, which may round
     * up by a few parts in 10^8 */
    return den > 0.0 ? num / den * (1.0 + 1e-6) : 0.0;
}

/* txs__match_bound_cols, or with bar >= 0 its test against bar. */
static double bound_cols(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                         txs_name_kind qk, const txs__mbtok *c, const txs__mbcol *const *col,
                         uint32_t nc, txs_name_kind ck, double bar)
{
    double sq[TXS__SIDE], sc[TXS__SIDE];
    if (nq == 0 || nc == 0) return bar == 0.0 ? 1.0 : 0.0; /* the bound is 0 */
    if (nq > TXS__SIDE) nq = TXS__SIDE;
    if (nc > TXS__SIDE) nc = TXS__SIDE;
    /* Only the entries in use, set from the first column: a clearing loop
     * gcc turns into a memset of variable size, which it expands into a
     * byte loop (135 instructions a call on the 1 M-name list). */
    const double *pr = col[0]->pair;
    double best = 0.0;
    for (uint32_t i = 0; i < nq; i++) {
        double s = pr[i] > 0.0 ? pr[i] : 0.0;
        best = s > best ? s : best;
        sq[i] = s;
    }
    sc[0] = best;
    for (uint32_t j = 1; j < nc; j++) { /* branch-free maxima: the pairs are most of the work */
        pr = col[j]->pair;
        best = 0.0;
        for (uint32_t i = 0; i < nq; i++) {
            double s = pr[i];
            best = s > best ? s : best;
            sq[i] = s > sq[i] ? s : sq[i];
        }
        sc[j] = best;
    }
    merges(p, q, nq, c, col, nc, sq, sc);
    return ratio(p, q, nq, qk, c, nc, ck, sq, sc, bar);
}

double txs__match_bound_cols(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                             txs_name_kind qk, const txs__mbtok *c, const txs__mbcol *const *col,
                             uint32_t nc, txs_name_kind ck)
{
    return bound_cols(p, q, nq, qk, c, col, nc, ck, -1.0);
}

int txs__match_bound_cols_reach(const txs_match_params *p, const txs__mbq *q, uint32_t nq,
                                txs_name_kind qk, const txs__mbtok *c,
                                const txs__mbcol *const *col, uint32_t nc, txs_name_kind ck,
                                double bar)
{
    return bound_cols(p, q, nq, qk, c, col, nc, ck, bar < 0.0 ? 0.0 : bar) > 0.5;
}

double txs__match_bound(const txs_match_params *p, const txs__mbq *q, uint32_t nq, txs_name_kind qk,
                        const txs__mbtok *c, uint32_t nc, txs_name_kind ck)
{
    txs__mbcol col[TXS__SIDE];
    const txs__mbcol *cp[TXS__SIDE];
    if (nq == 0 || nc == 0) return 0.0;
    if (nc > TXS__SIDE) nc = TXS__SIDE;
    for (uint32_t j = 0; j < nc; j++) txs__match_bound_col(p, q, nq, &c[j], &col[j]), cp[j] = &col[j];
    return txs__match_bound_cols(p, q, nq, qk, c, cp, nc, ck);
}

