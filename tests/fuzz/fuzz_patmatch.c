/*
 * fuzz_patmatch.c: libFuzzer target for the pattern matcher's differential
 * (issue 18 item 6): up to four patterns and a text; the set (Hyperscan,
 * prefilter + PCRE2 where needed) must report exactly the patterns PCRE2
 * alone matches, and the same spans, and the detection path (the tiers'
 * candidates, each confirmed) the same set.  Patterns either engine refuses are
 * skipped (the loader's tests cover refusals).
 *
 * Input: byte 0: bit 0 every pattern as a prefilter, bit 1 caseless, bit 2
 * UTF-8 mode (the text is then masked to ASCII: Hyperscan requires valid
 * UTF-8 in that mode); then patterns separated by '\n' up to a NUL byte;
 * then the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/hs_engine.h"
#include "txs/patset.h"
#include "txs/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 4

typedef struct seen {
    txs_patmatch m[MAXP];
    size_t n;
} seen;

static int collect(void *ctx, const txs_patmatch *m)
{
    seen *s = ctx;
    if (s->n < MAXP) s->m[s->n++] = *m;
    return 0;
}

/* The detection path (txs_patset_candidates over both tiers, each
 * candidate confirmed) must give the same set as the scan. */
typedef struct tiers {
    const txs_patset *ps;
    txs_patscratch *s;
    const char *text;
    size_t tn;
    int tier;
    unsigned confirmed; /* bit i: pattern i */
} tiers;

static int on_cand(void *ctx, unsigned id)
{
    tiers *t = ctx;
    if (txs_patset_is_prefilter(t->ps, id) != t->tier) abort();
    if (txs_patset_confirm(t->ps, t->s, id, t->text, t->tn)) t->confirmed |= 1u << id;
    return 0;
}

static void check(const txs_pat *p, size_t n, unsigned mode, const char *text, size_t tn)
{
    txs_patset *ps = NULL;
    txs_patset_err e;
    if (txs_patset_build(p, n, mode, TXS_HS_GENERIC, NULL, 0, &ps, &e) < 0) return;
    txs_patscratch *s = NULL;
    txs_regex_md *md = NULL;
    seen got = {0};
    if (txs_patset_scratch(ps, &s) < 0 || txs_regex_md_create(64, &md) < 0 ||
        txs_patset_scan(ps, s, text, tn, collect, &got) < 0)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        txs_regex *re = NULL;
        size_t off, a, b;
        char msg[64];
        if (txs_regex_compile(p[i].expr, p[i].len, p[i].flags, &re, &off, msg, sizeof msg) < 0)
            abort(); /* the set accepted it */
        int want = txs_regex_groups(re) <= 64 && txs_regex_match(re, text, tn, md) == 1;
        int have = k < got.n && got.m[k].id == i;
        if (want != have) abort();
        if (have && (!got.m[k].spans || !txs_regex_span(md, 0, &a, &b) ||
                     got.m[k].from[0] != a || got.m[k].to[0] != b))
            abort();
        k += (size_t)have;
        txs_regex_free(re);
    }
    tiers tc = {ps, s, text, tn, 0, 0};
    for (tc.tier = 0; tc.tier < TXS_PATSET_TIERS; tc.tier++)
        if (txs_patset_candidates(ps, s, tc.tier, text, tn, on_cand, &tc) < 0) abort();
    unsigned scanned = 0;
    for (size_t j = 0; j < got.n; j++) scanned |= 1u << got.m[j].id;
    if (tc.confirmed != scanned) abort();
    txs_regex_md_free(md);
    txs_patset_scratch_free(s);
    txs_patset_free(ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 512) return 0;
    unsigned mode = data[0] & 1u ? TXS_PATSET_PREFILTER : TXS_PATSET_AUTO;
    unsigned flags = (data[0] & 2u ? TXS_RE_CASELESS : 0) | (data[0] & 4u ? TXS_RE_UTF8 : 0);
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    const char *nul = memchr(body, '\0', n);
    if (nul == NULL) return 0;
    size_t plen = (size_t)(nul - body), tn = n - plen - 1;
    char *text = malloc(tn + 1);
    if (text == NULL) return 0;
    for (size_t i = 0; i < tn; i++)
        text[i] = (char)(flags & TXS_RE_UTF8 ? nul[1 + i] & 0x7f : nul[1 + i]);
    txs_pat p[MAXP];
    size_t np = 0;
    for (size_t at = 0; at < plen && np < MAXP;) {
        const char *nl = memchr(body + at, '\n', plen - at);
        size_t len = nl ? (size_t)(nl - (body + at)) : plen - at;
        if (len) p[np++] = (txs_pat){body + at, len, flags};
        at += len + 1;
    }
    if (np) check(p, np, mode, text, tn);
    free(text);
    return 0;
}
