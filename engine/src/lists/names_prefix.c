/*
 * names_prefix.c: the prefix index of candidate generation
 * (names_prefix_int.h draws it), built with the snapshot, from its posting
 * lists: the names' token lists (a counting sort), each name's prefix,
 * the prefix postings (a counting sort again), each list then sorted by
 * bar.  Build time only; the screener maps the arrays from the snapshot.  (A forged snapshot whose name has
 * more tokens than a name can have is posted under all of them with bar 0,
 * read by every walk.)
 *
 * The float margin: a query's mass is a float sum of at most a few dozen
 * terms, so it may exceed the exact sum by a relative 1e-6 at most; a
 * token is left out of the prefix only while the exact sum of the tokens
 * left out stays below the bar by more than 1e-4 of it.  Erring that way
 * posts a name under one token too many, never one too few.
 */
#include <stdlib.h>
#include <string.h>

#include "names_prefix_int.h"
#include "txs/base.h"
#include "txs/norm.h"

void txs__prefix_free(txs__prefix *p)
{
    free(p->fwd_off), free(p->fwd), free(p->pre_off), free(p->pre);
    memset(p, 0, sizeof *p);
}

/* Name nm's tokens, commonest first (longest posting list, then the
 * higher id), into ord[]. */
static void by_commonness(const txs__snap_tok *toks, const uint32_t *f, uint32_t n, uint32_t *ord)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = f[i], j = i;
        for (; j > 0; j--) {
            uint32_t u = ord[j - 1];
            if (toks[u].post_n > toks[t].post_n || (toks[u].post_n == toks[t].post_n && u > t)) break;
            ord[j] = u;
        }
        ord[j] = t;
    }
}

/* How many of ord[]'s commonest tokens the name can leave out. */
static uint32_t left_out(const txs__snap_tok *toks, const uint32_t *ord, uint32_t n, float nw)
{
    double bar = txs__cand_bar(nw), sum = 0.0;
    uint32_t k = 0;
    while (k < n && (sum + toks[ord[k]].weight) * (1.0 + 1e-4) < bar) sum += toks[ord[k++]].weight;
    return k;
}

static int build_fwd(txs__prefix *p, uint32_t nnames, uint32_t ntoks, uint32_t npost,
                     const txs__snap_tok *toks, const uint32_t *post)
{
    p->fwd_off = calloc((size_t)nnames + 2, sizeof *p->fwd_off);
    p->fwd = malloc(((size_t)npost + 1) * sizeof *p->fwd);
    if (p->fwd_off == NULL || p->fwd == NULL) return TXS_E_NOMEM;
    for (uint32_t i = 0; i < npost; i++) p->fwd_off[post[i] + 2]++;
    for (uint32_t i = 0; i < nnames; i++) p->fwd_off[i + 2] += p->fwd_off[i + 1];
    for (uint32_t t = 0; t < ntoks; t++) /* tokens in id order: each list ascending */
        for (uint32_t j = 0; j < toks[t].post_n; j++)
            p->fwd[p->fwd_off[post[toks[t].post_off + j] + 1]++] = t;
    return TXS_OK;
}

/* Pass 0 counts name nm under token t, pass 1 posts it. */
static void post_under(txs__prefix *p, int pass, uint32_t t, uint32_t nm, float bar, uint64_t sig)
{
    if (pass == 0) p->pre_off[t + 2]++;
    else p->pre[p->pre_off[t + 1]++] = (txs__snap_pre){bar, nm, sig};
}

/* Name m's signature (txs/lists_names.h txs__snap_pre) from its n tokens f[]. */
static uint64_t name_sig(const txs__snap_name *m, const uint32_t *tokid, const uint32_t *f, uint32_t n)
{
    uint64_t a = TXS__SIG_NO_END, b = TXS__SIG_NO_END, sig = 0;
    uint32_t ta, tb;
    if (txs__name_ends(m, tokid, &ta, &tb) && ta != TXS__NO_TOK && tb != TXS__NO_TOK)
        a = txs__sig_pos(ta), b = txs__sig_pos(tb);
    for (uint32_t i = 0; i < n; i++) sig |= txs__sig_bit(f[i]);
    return sig | a << 52 | b << 58;
}

static int pre_cmp(const void *a, const void *b)
{
    const txs__snap_pre *x = a, *y = b;
    if (x->bar != y->bar) return x->bar < y->bar ? -1 : 1;
    return x->nm < y->nm ? -1 : x->nm > y->nm;
}

int txs__prefix_build(txs__prefix *p, uint32_t nnames, uint32_t ntoks, uint32_t npost,
                      const txs__snap_name *names, const txs__snap_tok *toks, const uint32_t *post,
                      const uint32_t *tokid)
{
    memset(p, 0, sizeof *p);
    TXS_TRY(build_fwd(p, nnames, ntoks, npost, toks, post));
    p->pre_off = calloc((size_t)ntoks + 2, sizeof *p->pre_off);
    p->pre = calloc((size_t)npost + 1, sizeof *p->pre);
    if (p->pre_off == NULL || p->pre == NULL) return TXS_E_NOMEM;
    uint32_t ord[4 * TXS_NORM_MAX_TOKENS];
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t nm = 0; nm < nnames; nm++) {
            const uint32_t *f = p->fwd + p->fwd_off[nm];
            uint32_t n = p->fwd_off[nm + 1] - p->fwd_off[nm];
            uint64_t sig = name_sig(&names[nm], tokid, f, n);
            if (n > sizeof ord / sizeof ord[0]) { /* only a forged snapshot: post it everywhere */
                for (uint32_t i = 0; i < n; i++) post_under(p, pass, f[i], nm, 0.0f, sig);
                continue;
            }
            by_commonness(toks, f, n, ord);
            uint32_t skip = left_out(toks, ord, n, names[nm].weight);
            for (uint32_t i = skip; i < n; i++)
                if (i == skip || ord[i] != ord[i - 1])
                    post_under(p, pass, ord[i], nm, txs__cand_bar(names[nm].weight), sig);
        }
        if (pass == 0)
            for (uint32_t t = 0; t < ntoks; t++) p->pre_off[t + 2] += p->pre_off[t + 1];
    }
    for (uint32_t t = 0; t < ntoks; t++)
        qsort(p->pre + p->pre_off[t], p->pre_off[t + 1] - p->pre_off[t], sizeof *p->pre, pre_cmp);
    p->npre = p->pre_off[ntoks];
    return TXS_OK;
}

int txs__prefix_check(const txs__snap_names_hdr *h, const uint32_t *fwd_off, const uint32_t *fwd,
                      const uint32_t *pre_off, const txs__snap_pre *pre)
{
    if (fwd_off[0] != 0 || fwd_off[h->nnames] != h->npost || pre_off[0] != 0 ||
        pre_off[h->ntoks] != h->npre)
        return TXS_E_FORMAT;
    for (uint32_t i = 0; i < h->nnames; i++)
        if (fwd_off[i + 1] < fwd_off[i] || fwd_off[i + 1] - fwd_off[i] > 4 * TXS_NORM_MAX_TOKENS)
            return TXS_E_FORMAT;
    for (uint32_t i = 0; i < h->npost; i++)
        if (fwd[i] >= h->ntoks) return TXS_E_FORMAT;
    for (uint32_t i = 0; i < h->ntoks; i++)
        if (pre_off[i + 1] < pre_off[i]) return TXS_E_FORMAT;
    for (uint32_t i = 0; i < h->npre; i++)
        if (pre[i].nm >= h->nnames || !(pre[i].bar >= 0.0f)) return TXS_E_FORMAT;
    return TXS_OK;
}
