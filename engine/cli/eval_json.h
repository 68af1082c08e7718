/*
 * eval_json.h: a small recursive-descent JSON reader for `txscreen eval`.
 *
 * It reads one JSON text (RFC 8259: objects, arrays, strings with every
 * escape including \uXXXX surrogate pairs, numbers, true, false, null) into
 * a tree of malloc'd nodes.  Strict: trailing text, control characters in
 * strings, lone surrogates, leading zeros, bare '+' or '.' are errors, and
 * nesting deeper than EJ_MAX_DEPTH is refused.  Errors carry the byte
 * offset and a one-line reason.  Decoded strings are NUL terminated (and
 * also carry a length, since \u0000 is allowed).
 */
#ifndef TXS_EVAL_JSON_H
#define TXS_EVAL_JSON_H

#include <stddef.h>

#define EJ_MAX_DEPTH 128

typedef enum ej_type { EJ_NULL, EJ_FALSE, EJ_TRUE, EJ_NUMBER, EJ_STRING, EJ_ARRAY, EJ_OBJECT } ej_type;

typedef struct ej_value ej_value;
struct ej_value {
    ej_type type;
    double num;        /* EJ_NUMBER */
    char *str;         /* EJ_STRING: decoded, NUL terminated */
    size_t len;        /* EJ_STRING: decoded length */
    ej_value *items;   /* EJ_ARRAY / EJ_OBJECT: n values */
    char **keys;       /* EJ_OBJECT: n decoded keys */
    size_t n;
};

/* Parse p[0..n).  Returns 0 and *out (free with ej_free), or -1 with
 * err[cap] holding "offset N: reason".  Out of memory is reported as an
 * error too ("out of memory"). */
int ej_parse(const char *p, size_t n, ej_value **out, char *err, size_t cap);
/* Free a tree from ej_parse; accepts NULL. */
void ej_free(ej_value *v);
/* The first member named key of an object, or NULL (also when v is not an
 * object). */
const ej_value *ej_get(const ej_value *v, const char *key);

#endif /* TXS_EVAL_JSON_H */
