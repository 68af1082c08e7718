/*
 * regex.h: the one doorway to PCRE2 (engine/src/values/regex.c, the only
 * file that includes <pcre2.h>).  It sits low (beside the values) so that a
 * profile can check a column with a pattern and the pattern rules (hs/
 * patset.c, over Hyperscan) can confirm and capture with the same code.
 *
 *   build time  txs_regex_compile(pattern, flags) -> re  (or the error and
 *                                                         its byte offset)
 *   run time    txs_regex_match(re, text, md) -> 1 / 0, spans in md
 *
 * Flags mirror Hyperscan's, so a pattern means the same to both engines:
 * CASELESS (PCRE2_CASELESS), UTF8 (PCRE2_UTF), UCP (PCRE2_UCP), DOTALL.  A compiled
 * re is immutable; txs_regex_jit() turns on PCRE2's JIT for it (not
 * thread-safe: call it before sharing re).  A match data block (md) belongs
 * to one thread.
 */
#ifndef TXS_REGEX_H
#define TXS_REGEX_H

#include <stddef.h>

#include "txs/arena.h"
#include "txs/base.h"

enum {
    TXS_RE_CASELESS = 1u, /* ASCII and, with UTF8, Unicode case folding */
    TXS_RE_UTF8 = 2u,     /* the pattern and texts are UTF-8 (characters,
                             not bytes, for '.', classes and repeats) */
    TXS_RE_DOTALL = 4u,   /* '.' also matches a newline */
    TXS_RE_UCP = 8u       /* with UTF8: \w, \d, \s, \b by Unicode properties,
                             not ASCII (PCRE2_UCP, HS_FLAG_UCP); costly for
                             Hyperscan's compile (about 10x on the bench's
                             regexes) */
};

typedef struct txs_regex txs_regex;
typedef struct txs_regex_md txs_regex_md;

/* Compile n bytes of pattern.  On error returns TXS_E_CONFIG with PCRE2's
 * message in msg[cap] and the byte offset in the pattern where it stopped
 * in *erroff; else TXS_E_NOMEM or 0. */
int txs_regex_compile(const char *pat, size_t n, unsigned flags, txs_regex **out,
                      size_t *erroff, char *msg, size_t cap);
/* JIT-compile re (PCRE2_JIT_COMPLETE).  When the JIT is unavailable the
 * interpreter runs instead, with the same results; returns 1 when JIT is on. */
int txs_regex_jit(txs_regex *re);
/* Free; accepts NULL. */
void txs_regex_free(txs_regex *re);
/* How many capturing groups the pattern has. */
unsigned txs_regex_groups(const txs_regex *re);
/* A match data block for patterns of up to groups capturing groups. */
int txs_regex_md_create(unsigned groups, txs_regex_md **out);
void txs_regex_md_free(txs_regex_md *md);

/*
 * Find the leftmost match of re in text[0..n) (UTF-8 checked when re is
 * UTF8: invalid UTF-8 is no match).  Returns 1 on a match, with spans in
 * txs_regex_span; 0 for none (also when PCRE2's match limit stops it, so a
 * runaway pattern costs a bounded time and never an error); TXS_E_LIMIT
 * when md holds fewer groups than re.  Thread-safe for a shared re with
 * one md per thread; no allocation.
 */
int txs_regex_match(const txs_regex *re, const char *text, size_t n, txs_regex_md *md);
/*
 * Whether re matches somewhere in text[0..n), for a caller without a match
 * data block of its own (a profile's column check, parse/parse.c, runs on
 * any worker with only the batch arena a).  With re JIT-compiled the block
 * is taken from a (a few hundred bytes, no malloc; the JIT needs no heap
 * frames); without the JIT one is allocated and freed around the call.
 * Returns 1, 0 (also at PCRE2's match limit) or TXS_E_NOMEM.  Thread-safe
 * for a shared re with one arena per thread.
 */
int txs_regex_test(const txs_regex *re, const char *text, size_t n, txs_arena *a);
/* Span of group g (0: the whole match) of md's last match: 1 and *from,
 * *to; 0 when the group did not take part. */
int txs_regex_span(const txs_regex_md *md, unsigned g, size_t *from, size_t *to);

/* PCRE2's version ("10.42 2022-12-11") into buf[cap], for `txscreen
 * --version`. */
void txs_regex_version(char *buf, size_t cap);

#endif /* TXS_REGEX_H */
