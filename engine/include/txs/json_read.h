/*
 * json_read.h: the one JSON reader of the cold paths (json/ folder).  Used by
 * `txscreen eval` (alert lines), merge (shard alerts, rejects, manifests,
 * split.json) and the FollowTheMoney list reader.  The JSONL transaction
 * reader (input/jsonl.c) keeps its own one-pass scanner on the hot path; it
 * shares this reader's string unescaper (txs_json_unescape in txs/base.h).
 *
 * One JSON text (RFC 8259) is parsed into a tree of nodes in the document's
 * arena.  Every node keeps where it lies in the text, so a caller can splice
 * the original bytes of a value back out unchanged (merge does); strings and
 * keys are also decoded to UTF-8 at parse time (NUL terminated, with a length
 * since \u0000 is allowed).  Strict: trailing text, control characters in
 * strings, bad escapes, lone surrogates, leading zeros, bare '+' or '.' are
 * errors, and nesting deeper than TXS_JSON_MAX_DEPTH is refused.
 *
 *   {"a":[1,"x"]} -> OBJ(count 1)
 *                      first -> ARR key "a" (count 2)
 *                                 first -> NUM "1" -> next STR "x"
 *
 * A document is reused text after text: each parse resets its arena, so a
 * node lives until the next txs_json_parse or txs_json_free on its document.
 * The text is borrowed and must outlive the nodes' use.  Not thread-safe: one
 * document per thread.
 */
#ifndef TXS_JSON_READ_H
#define TXS_JSON_READ_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"

#define TXS_JSON_MAX_DEPTH 128

typedef enum txs_json_type {
    TXS_JSON_NULL,
    TXS_JSON_FALSE,
    TXS_JSON_TRUE,
    TXS_JSON_NUM,
    TXS_JSON_STR,
    TXS_JSON_ARR,
    TXS_JSON_OBJ
} txs_json_type;

typedef struct txs_json txs_json;
struct txs_json {
    txs_json_type type;
    uint32_t count;            /* ARR / OBJ: number of members */
    txs_json *first, *next;    /* first member; next sibling (NULL at the end) */
    const char *s;             /* STR: decoded, NUL terminated; other scalars: */
    size_t n;                  /*   their source text (not terminated) */
    const char *key;           /* object member: decoded key, NUL terminated */
    size_t key_n;
    size_t start, end;         /* the value's bytes [start, end) in the text */
    size_t key_start, key_end; /* object member: its key string, quotes included */
};

typedef struct txs_json_doc {
    txs_arena arena;         /* nodes and decoded strings */
    const char *text;        /* borrowed */
    size_t len;
    txs_json *root;          /* after a successful parse */
    size_t err_offset;       /* 0-based byte where parsing stopped */
    unsigned long err_line;  /* 1-based line of err_offset within the text */
    char err[160];           /* "offset N: reason" */
} txs_json_doc;

/* An empty document; no allocation until the first parse.  A zeroed
 * document (= {0}) is an empty one too. */
void txs_json_init(txs_json_doc *d);
/* Parse text[0..len) (borrowed).  Returns TXS_OK with d->root set, or
 * TXS_E_FORMAT with d->err, d->err_offset and d->err_line describing the
 * first problem (out of memory is TXS_E_NOMEM with d->err "out of memory").
 * Nodes of the previous parse are released. */
int txs_json_parse(txs_json_doc *d, const char *text, size_t len);
/* Release the document's memory; it may be parsed into again after
 * txs_json_init.  Accepts a document that was only initialised. */
void txs_json_free(txs_json_doc *d);

/* The first member named key of object o, or NULL (also when o is NULL or
 * not an object). */
const txs_json *txs_json_get(const txs_json *o, const char *key);
/* The first member of array or object v, or NULL (also when v is NULL or
 * a scalar). */
const txs_json *txs_json_first(const txs_json *v);
/* Copy string v, decoded, into out[cap] (NUL terminated, truncated to
 * fit).  Returns the decoded length (more than cap - 1: truncated), or -1
 * when v is not a string or cap is 0. */
long txs_json_str(const txs_json *v, char *out, size_t cap);
/* Whether v is a string that decodes to exactly z. */
int txs_json_str_is(const txs_json *v, const char *z);
/* Number v as an unsigned integer (digits only: no sign, fraction or
 * exponent, no overflow).  0, or -1 when v is not such a number. */
int txs_json_u64(const txs_json *v, uint64_t *out);
/* Number v as a double (strtod of its text).  0, or -1 when not a number. */
int txs_json_double(const txs_json *v, double *out);

#endif /* TXS_JSON_READ_H */
