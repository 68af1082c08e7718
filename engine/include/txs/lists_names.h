/*
 * lists_names.h: a snapshot's name index as the sanctions screeners
 * (engine/src/screen/) read it.  The list compiler writes the NAMES
 * section (lists/names_build.c, lists/names_prefix.c) and the loader maps
 * it (lists/snap_load.c); a screener maps the same bytes in
 * place, checks them once at start-up and then walks them on the hot path.
 * This header is the one contract between the two: the layout, the
 * accessor, the misspelling hash and the candidate bar.
 *
 * Engine-internal: the double-underscore names are shared by lists/ and
 * the floors above it, not an API for callers outside the engine.  The
 * prefix index is explained in lists/names_prefix_int.h.
 */
#ifndef TXS_LISTS_NAMES_H
#define TXS_LISTS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/lists.h"
#include "txs/norm.h"

/* The snapshot section tag txs__lists_section gives.  Tag 9 was a
 * Hyperscan database of the literals, written until December 2026: a
 * snapshot that still has one loads, and the section is not read. */
enum { TXS__SEC_NAMES = 8 };

/* The name-screening section (lists/names_build.c writes it, the
 * screeners read it through txs__lists_section).  NAMES, version
 * TXS__NAMES_VERSION, is one blob that starts with txs__snap_names_hdr; every
 * offset in the header is from the section start and 8-aligned:
 *
 *   names[]   one per entity name / alias / original-script name: entity,
 *             field, its normalised text and token descriptors, its weight
 *   tokdesc[] txs_norm_tok, the tokens of every name (norm.h)
 *   text      normalised name texts (not NUL terminated)
 *   toks[]    the token dictionary: every distinct name token, plus the
 *             concatenation of every adjacent token pair ("abdul rahman" ->
 *             "abdulrahman", flagged PAIR) so missing spaces still find
 *             candidates; each with its rarity weight and posting list
 *   post[]    name indices, per token, ascending
 *   del[]     open addressing on xxh3 of a token and each of its one-byte
 *             deletions -> token + 1 (the misspelling channel)
 *   tokstr    token strings, NUL terminated (the scorer's rarity table
 *             borrows them)
 *   lits[]    the literals: every real (not PAIR) token of two bytes or
             more, the ones a query word can equal exactly (the screener
             builds its exact-token table from them)
 *   fwd_off[], fwd[], pre_off[], pre[]
 *             the prefix index of candidate generation (names_prefix_int.h):
 *             each name's tokens, and each token's prefix postings with
 *             the names' candidate bars and token signatures
 *   tokid[]   per tokdesc[] entry, its token's index in toks[] (the same
 *             bytes), or TXS__NO_TOK for a one-byte token (an initial is
 *             not in the dictionary): what the scorer prepares of a list
 *             token is prepared once per token, not once per name */
#define TXS__NAMES_VERSION 5u
#define TXS__NO_TOK 0xFFFFFFFFu

enum { TXS__NM_WEAK = 1u, TXS__NM_ORIG = 2u };
enum { TXS__TK_PAIR = 1u, TXS__TK_REAL = 2u };
#define TXS__NM_PRIMARY 0xFFFFFFFFu

typedef struct txs__snap_names_hdr {
    uint32_t nnames, ntokdesc, text_bytes, ntoks;
    uint32_t npost, ndel, tokstr_bytes, nlits;
    uint64_t off_names, off_tokdesc, off_text, off_toks;
    uint64_t off_post, off_del, off_tokstr, off_lits;
    uint32_t npre, pad;
    uint64_t off_fwd_off, off_fwd, off_pre_off, off_pre;
    uint64_t off_tokid;
} txs__snap_names_hdr;

typedef struct txs__snap_name {
    uint32_t entity, field;     /* field index in the entity, or PRIMARY */
    uint32_t text_off, tokdesc; /* into text, tokdesc */
    uint16_t text_len;
    uint8_t ntok, flags;        /* TXS__NM_* */
    uint32_t kind;              /* txs_name_kind it was normalised as */
    float weight;               /* sum of its distinct tokens' weights */
} txs__snap_name;

typedef struct txs__snap_tok {
    uint32_t str_off, len;      /* into tokstr */
    uint32_t post_off, post_n;  /* into post */
    uint32_t df, flags;         /* entities carrying it; TXS__TK_* */
    float weight;               /* rarity weight in (0, 1]; a pair: the sum */
    uint32_t pad;
} txs__snap_tok;

typedef struct txs__snap_pre {
    float bar;                  /* the name's candidate bar */
    uint32_t nm;
    uint64_t sig;               /* the name's token signature, below */
} txs__snap_pre;

/* A prefix posting's signature.  Bits 0-51: bit txs__sig_pos(t) of each
 * token t of the name, a superset test (a query token whose bit is clear
 * is not the name's).  Bits 52-57 and 58-63: the bit numbers of the first
 * and the last token when the name is a person's of three or more tokens
 * and both are dictionary tokens (the middle-names rule may keep such a
 * name under its bar when both are hits), else both TXS__SIG_NO_END. */
#define TXS__SIG_TOKS ((1ull << 52) - 1u)
#define TXS__SIG_NO_END 63u
static inline uint32_t txs__sig_pos(uint32_t t)
{
    return ((t * 0x9E3779B1u) >> 8) % 52u;
}
static inline uint64_t txs__sig_bit(uint32_t t) { return 1ull << txs__sig_pos(t); }
static inline uint32_t txs__sig_end(uint64_t sig, int last)
{
    return (uint32_t)(sig >> (last ? 58 : 52)) & 63u;
}

/* Whether the middle-names rule (a person's name found from its first and
 * last tokens, screen/sanctions.c) applies to name m: a person's name of
 * three or more tokens; then its end tokens' dictionary ids in *a and *b
 * (TXS__NO_TOK for an initial), from the section's tokid[].  The
 * signature, the screener's end-token index and its check all ask this. */
static inline int txs__name_ends(const txs__snap_name *m, const uint32_t *tokid, uint32_t *a,
                                 uint32_t *b)
{
    if (m->kind != TXS_NAME_PERSON || m->ntok < 3) return 0;
    *a = tokid[m->tokdesc], *b = tokid[m->tokdesc + m->ntok - 1u];
    return 1;
}

typedef struct txs__snap_del {
    uint32_t hash, tok1;        /* tok1 = token index + 1; 0 = empty slot */
} txs__snap_del;

/* The hash the misspelling channel uses for a token or a deletion of it. */
uint32_t txs__lists_del_hash(const char *p, size_t n);

/* A section's bytes and version (snap_load.c); TXS_E_NOTFOUND if absent. */
int txs__lists_section(const txs_lists *l, uint32_t tag, const void **p, size_t *n,
                       uint32_t *version);

/* ---- candidate generation (lists/names_prefix_int.h explains the index) */
#define TXS__CAND_FRAC 0.45f /* share of a name's token weight that must hit */
#define TXS__CAND_MIN 0.75f  /* and at least this much (one distinctive token) */

/* The mass name weight nw must reach to be a candidate. */
static inline float txs__cand_bar(float nw)
{
    float bar = TXS__CAND_FRAC * nw, floor_ = nw * 0.9f < TXS__CAND_MIN ? nw * 0.9f : TXS__CAND_MIN;
    return bar > floor_ ? bar : floor_;
}

/* Whether a name of bar `bar` can reach it with mass at most r (the
 * exact sum of the weights; the query's float sum of them may exceed it by
 * a relative 1e-5 at most, so 1e-4 of slack). */
static inline int txs__cand_reachable(float bar, double r)
{
    return (double)bar <= r * (1.0 + 1e-4);
}

/* Check a mapped index against its section header (arrays in bounds
 * already): offsets ascending and ending at the counts, references in
 * range, a name's token list no longer than a name's tokens and pairs can
 * be, bars not negative or NaN.  0 or TXS_E_FORMAT; the query path then
 * needs no checks. */
int txs__prefix_check(const txs__snap_names_hdr *h, const uint32_t *fwd_off, const uint32_t *fwd,
                      const uint32_t *pre_off, const txs__snap_pre *pre);

#endif /* TXS_LISTS_NAMES_H */
