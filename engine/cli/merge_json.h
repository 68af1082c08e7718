/*
 * merge_json.h: a small recursive-descent JSON reader for `txscreen merge`
 * (RFC 8259: objects, arrays, strings, numbers, true, false, null).
 *
 * Unlike a reader that builds decoded values, this one keeps where every
 * value lies in the text (start, end), so merge can splice the original
 * bytes of a hit or a manifest section back out unchanged and rewrite only
 * the values it recomputes.  Nodes live in one growable array owned by the
 * document; a document is reused line after line without reallocating.
 * Strings are decoded on request (mj_str).  Strict: trailing text, control
 * characters in strings, bad escapes and lone surrogates, leading zeros and
 * nesting deeper than MJ_MAX_DEPTH are errors.
 */
#ifndef TXS_MERGE_JSON_H
#define TXS_MERGE_JSON_H

#include <stddef.h>
#include <stdint.h>

#define MJ_MAX_DEPTH 64

typedef enum mj_type { MJ_NULL, MJ_FALSE, MJ_TRUE, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ } mj_type;

/* One value.  Children of an array or object are linked by next (index
 * into the document's nodes, 0 = none; node 0 is always the root).  For a
 * member of an object, key_start/key_end span its key string, quotes
 * included. */
typedef struct mj_node {
    mj_type type;
    uint32_t first, next, count;
    size_t start, end;          /* the value's bytes [start, end) */
    size_t key_start, key_end;  /* object members only */
} mj_node;

typedef struct mj_doc {
    const char *text;
    size_t len;
    mj_node *nodes;
    uint32_t n, cap;
    char err[160];
} mj_doc;

/* Parse text[0..len) (borrowed: it must outlive the use of d).  Returns 0,
 * or -1 with d->err "offset N: reason".  d is zero-initialised before first
 * use and may be reused; free with mj_free. */
int mj_parse(mj_doc *d, const char *text, size_t len);
void mj_free(mj_doc *d);

/* The root (after a successful parse). */
const mj_node *mj_root(const mj_doc *d);
/* The first member of object o named key, or NULL (also when o is not an
 * object or is NULL). */
const mj_node *mj_get(const mj_doc *d, const mj_node *o, const char *key);
/* The first child of an array or object, and the next sibling; NULL at the
 * end. */
const mj_node *mj_child(const mj_doc *d, const mj_node *v);
const mj_node *mj_next(const mj_doc *d, const mj_node *v);

/* Decode string v into out[cap] (NUL terminated, truncated to fit).
 * Returns the decoded length (which may exceed cap - 1: truncated), or -1
 * when v is not a string.  A decoded \u0000 stays a NUL byte inside. */
long mj_str(const mj_doc *d, const mj_node *v, char *out, size_t cap);
/* Decode string v into a malloc'd NUL-terminated buffer (*n its length,
 * may be NULL); NULL when v is not a string or memory ran out. */
char *mj_strdup(const mj_doc *d, const mj_node *v, size_t *n);
/* Whether string v decodes to exactly z. */
int mj_str_is(const mj_doc *d, const mj_node *v, const char *z);
/* Number v as an unsigned integer (no sign, fraction or exponent), or -1. */
int mj_u64(const mj_doc *d, const mj_node *v, uint64_t *out);
/* Number v as a double (strtod of its text), or -1. */
int mj_double(const mj_doc *d, const mj_node *v, double *out);

#endif /* TXS_MERGE_JSON_H */
