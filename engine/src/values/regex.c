/*
 * regex.c: every PCRE2 call in the engine (regex.h).  Patterns are compiled
 * with options that mirror Hyperscan's flags, so the pattern rules can let
 * Hyperscan find the candidates and PCRE2 confirm them (hs/patset.c) and
 * each engine means the same by a pattern: PCRE2_UTF for UTF8 (Hyperscan's
 * HS_FLAG_UTF8), PCRE2_UCP for UCP (HS_FLAG_UCP), PCRE2_CASELESS, PCRE2_DOTALL.
 *
 * A match limit bounds backtracking: a pattern written so that it explodes
 * on some text ((a+)+b) stops at PCRE2's default limits and counts as no
 * match, which is the same for every run on every machine (the limits count
 * steps, not time).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/regex.h"

struct txs_regex {
    pcre2_code *code;
    unsigned groups;
    int utf;
    int jit; /* txs_regex_jit succeeded */
};

struct txs_regex_md {
    pcre2_match_data *md;
    unsigned groups;
};

int txs_regex_compile(const char *pat, size_t n, unsigned flags, txs_regex **out,
                      size_t *erroff, char *msg, size_t cap)
{
    *out = NULL;
    *erroff = 0;
    uint32_t opt = 0;
    if (flags & TXS_RE_CASELESS) opt |= PCRE2_CASELESS;
    if (flags & TXS_RE_UTF8) opt |= PCRE2_UTF;
    if ((flags & TXS_RE_UTF8) && (flags & TXS_RE_UCP)) opt |= PCRE2_UCP;
    if (flags & TXS_RE_DOTALL) opt |= PCRE2_DOTALL;
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, n, opt, &err, &off, NULL);
    if (code == NULL) {
        if (err == PCRE2_ERROR_NOMEMORY) return TXS_E_NOMEM;
        if (cap) {
            msg[0] = '\0';
            pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, cap);
        }
        *erroff = off;
        return TXS_E_CONFIG;
    }
    txs_regex *re = calloc(1, sizeof *re);
    if (re == NULL) {
        pcre2_code_free(code);
        return TXS_E_NOMEM;
    }
    uint32_t g = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &g);
    re->code = code;
    re->groups = g;
    re->utf = (flags & TXS_RE_UTF8) != 0;
    *out = re;
    return TXS_OK;
}

int txs_regex_jit(txs_regex *re)
{
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    return re->jit;
}

void txs_regex_free(txs_regex *re)
{
    if (re == NULL) return;
    pcre2_code_free(re->code);
    free(re);
}

unsigned txs_regex_groups(const txs_regex *re) { return re->groups; }

int txs_regex_md_create(unsigned groups, txs_regex_md **out)
{
    txs_regex_md *m = calloc(1, sizeof *m);
    if (m == NULL) return *out = NULL, TXS_E_NOMEM;
    m->md = pcre2_match_data_create(groups + 1, NULL);
    if (m->md == NULL) {
        free(m);
        return *out = NULL, TXS_E_NOMEM;
    }
    m->groups = groups;
    *out = m;
    return TXS_OK;
}

void txs_regex_md_free(txs_regex_md *md)
{
    if (md == NULL) return;
    pcre2_match_data_free(md->md);
    free(md);
}

int txs_regex_match(const txs_regex *re, const char *text, size_t n, txs_regex_md *md)
{
    if (md->groups < re->groups) return TXS_E_LIMIT;
    /* pcre2_match takes the JIT path itself when re was JIT-compiled. */
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(n ? text : ""), n, 0, 0, md->md, NULL);
    return rc > 0 ? 1 : 0;
}

/* PCRE2's memory functions over a batch arena: what the arena hands out
 * lives until the batch is reset, so freeing is nothing. */
static void *arena_malloc(size_t n, void *a) { return txs_arena_alloc(a, n); }
static void arena_free(void *p, void *a) { (void)p, (void)a; }

int txs_regex_test(const txs_regex *re, const char *text, size_t n, txs_arena *a)
{
    PCRE2_SPTR s = (PCRE2_SPTR)(n ? text : "");
    if (!re->jit) {
        /* The interpreter keeps its backtracking frames (20 KiB and up) in
         * the match data: too much to take from the arena per record. */
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        if (md == NULL) return TXS_E_NOMEM;
        int rc = pcre2_match(re->code, s, n, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        return rc == PCRE2_ERROR_NOMEMORY ? TXS_E_NOMEM : rc >= 0;
    }
    /* The general context is allocated with its own functions, so both it
     * and the match data land in the arena. */
    pcre2_general_context *gc = pcre2_general_context_create(arena_malloc, arena_free, a);
    pcre2_match_data *md = gc ? pcre2_match_data_create(1, gc) : NULL;
    if (md == NULL) return TXS_E_NOMEM;
    /* 0 is a match whose groups did not fit the one-pair block. */
    return pcre2_match(re->code, s, n, 0, 0, md, NULL) >= 0;
}

int txs_regex_span(const txs_regex_md *md, unsigned g, size_t *from, size_t *to)
{
    if (g > md->groups || g >= pcre2_get_ovector_count(md->md)) return 0;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md->md);
    if (ov[2 * g] == PCRE2_UNSET) return 0;
    *from = ov[2 * g];
    *to = ov[2 * g + 1];
    return 1;
}

void txs_regex_version(char *buf, size_t cap)
{
    char v[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, v);
    snprintf(buf, cap, "%s", v);
}
