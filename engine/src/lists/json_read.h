/*
 * json_read.h: private to the lists module.  A JSON document tree parsed
 * into an arena, for the FollowTheMoney reader (json_read.c).  Numbers,
 * booleans and null keep their source text.  Keys are NUL terminated;
 * strings are too (s[n] == 0) but may contain NUL bytes from \u0000.
 */
#ifndef TXS_LISTS_JSON_READ_H
#define TXS_LISTS_JSON_READ_H

#include <stddef.h>

#include "txs/arena.h"

enum { TXS__J_NULL, TXS__J_BOOL, TXS__J_NUM, TXS__J_STR, TXS__J_ARR, TXS__J_OBJ };

typedef struct txs__jv txs__jv;
struct txs__jv {
    int type;
    const char *s;      /* STR/NUM/BOOL/NULL: text */
    size_t n;           /* STR: length; ARR/OBJ: item count */
    txs__jv **items;
    const char **keys;  /* OBJ only */
};

/* Parse exactly one value from p[0..n); NULL with *err set on error. */
txs__jv *txs__json_parse(txs_arena *a, const char *p, size_t n, const char **err);
/* Member `key` of an object, or NULL. */
const txs__jv *txs__json_get(const txs__jv *o, const char *key);

#endif /* TXS_LISTS_JSON_READ_H */
