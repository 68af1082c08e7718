/*
 * sanctions_index_int.h: private to engine/src/screen.  One list
 * snapshot's name index as the sanctions screener (sanctions.c) reads it:
 * the NAMES section mapped in place and checked (txs/lists_names.h draws its layout,
 * lists/names_build.c and names_prefix.c write it), and the tables built
 * once when a screener starts (sanctions_index.c): the exact-token table,
 * the deletion table's bloom filter, per-entity
 * countries and birth years for the qualifiers, the persons' names by
 * their end tokens, and the zeroed work arrays of the candidate walk.
 */
#ifndef TXS_SCREEN_SANCTIONS_INDEX_INT_H
#define TXS_SCREEN_SANCTIONS_INDEX_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "txs/base.h"
#include "txs/lists_names.h"
#include "txs/norm.h"

typedef struct txs__sidx {
    const txs_lists *l;
    txs__snap_names_hdr h;
    const txs__snap_name *names;
    const txs_norm_tok *tokdesc;
    const char *text, *tokstr;
    const txs__snap_tok *toks;
    const uint32_t *post, *lits, *tokid;
    const txs__snap_del *del;
    /* the dictionary tokens a query word can equal (TXS__TK_REAL, two bytes
     * or more: the literal table), open addressing by txs__lists_del_hash:
     * hash << 32 | token + 1, 0 empty (txs__sidx_exact) */
    uint64_t *exact;
    uint32_t exact_mask;
    uint64_t *bloom;
    uint32_t bloom_bits; /* log2 of the bit count */
    float *mass;         /* [nnames], zero between queries */
    uint8_t *dist;       /* [nnames] distinctive exact tokens (text), zero too */
    uint32_t *touched;   /* [nnames] */
    struct cand { float cover, mass; uint32_t nm, first; } *cand; /* [nnames] */
    const uint32_t *fwd_off, *fwd, *pre_off; /* the prefix index (names_prefix_int.h) */
    const txs__snap_pre *pre;
    int full;            /* walk the full postings instead (tests) */
    int unfiltered;      /* touch every prefix posting read (tests) */
    uint8_t *thix;       /* [ntoks] 1 + index in th of a hit token, zero too */
    /* [nnames] names touched, their bars, whether ends_hit may hold */
    struct txs__touch { float bar; uint32_t nm, ends; } *tch;
    /* person names of three or more tokens by their first and last tokens:
     * for token t, ends[ends_off[t] .. ends_off[t + 1]), in name order,
     * each with the name's other end (TXS__NO_TOK: an initial) */
    uint32_t *ends_off;
    struct txs__end { uint32_t nm, other; } *ends;
    /* qualifier tables, per entity e: countries [c_off[e], c_off[e+1]),
     * birth-year ranges [y_off[e], y_off[e+1]) */
    uint32_t *c_off, *y_off;
    char (*ctry)[2];
    int16_t (*years)[2];
    struct txs__tmemo *memo; /* the typo channel's memo (sanctions.c), made
                                on its first use, freed with the index */
} txs__sidx;
typedef txs__sidx sidx; /* the short name inside the screener */

/* Map and check l's NAMES section and build the start-up tables into x
 * (zeroed by the caller).  TXS_E_FORMAT with d
 * saying what is wrong for a snapshot without usable name sections;
 * txs__sidx_close frees whatever was built, also after a failure. */
int txs__sidx_open(txs__sidx *x, const txs_lists *l, txs_diag *d);
void txs__sidx_close(txs__sidx *x);

/* The dictionary token whose text is p[0..n) when it is a literal (a real
 * token of two bytes or more), else TXS__NO_TOK; h is txs__lists_del_hash
 * of the text. */
static inline uint32_t txs__sidx_exact(const txs__sidx *x, const char *p, size_t n, uint32_t h)
{
    for (uint32_t i = h & x->exact_mask; x->exact[i]; i = (i + 1) & x->exact_mask) {
        if ((uint32_t)(x->exact[i] >> 32) != h) continue;
        uint32_t t = (uint32_t)x->exact[i] - 1;
        if (x->toks[t].len == n && memcmp(x->tokstr + x->toks[t].str_off, p, n) == 0) return t;
    }
    return TXS__NO_TOK;
}

/* The bloom filter's word for a deletion-table hash, and the two bits of
 * it the hash sets: both bits in one word, so a test reads one line (two
 * bits per key instead of one halve the keys it lets through for nothing,
 * which cost a miss in the table each). */
static inline size_t txs__sidx_bloom_word(const txs__sidx *x, uint32_t h)
{
    return (size_t)((h * 0x9E3779B1u) >> (32 - (x->bloom_bits - 6)));
}

static inline uint64_t txs__sidx_bloom_mask(uint32_t h)
{
    uint32_t g = h * 0x85EBCA6Bu;
    return (1ull << (g >> 26)) | (1ull << (g >> 20 & 63u));
}

#endif /* TXS_SCREEN_SANCTIONS_INDEX_INT_H */
