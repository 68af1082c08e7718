/*
 * json_read.c: a small JSON reader for build-time list files
 * (FollowTheMoney entity lines).  One document (one line) is parsed into a
 * tree in the builder's arena; strings are unescaped to UTF-8.  Depth is
 * bounded (TXS__JSON_DEPTH) so hostile nesting cannot exhaust the stack.
 *
 *   {"a":[1,"x"]} -> OBJ{n=1, keys["a"], items[ARR{n=2, items[NUM "1", STR "x"]}]}
 */
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

#define TXS__JSON_DEPTH 32

typedef struct jp {
    const char *p, *end;
    txs_arena *a;
    const char *err;
} jp;

static void ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n')) j->p++;
}

static txs__jv *node(jp *j, int type)
{
    txs__jv *v = txs_arena_alloc(j->a, sizeof *v);
    if (v == NULL) { j->err = "out of memory"; return NULL; }
    memset(v, 0, sizeof *v);
    v->type = type;
    return v;
}

static int hex4(const char *p, unsigned *out)
{
    *out = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99u;
        if (d > 15) return 0;
        *out = *out * 16 + d;
    }
    return 1;
}

static size_t utf8(unsigned cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 63));
        o[2] = (char)(0x80 | (cp & 63)); return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 63));
    o[2] = (char)(0x80 | ((cp >> 6) & 63)); o[3] = (char)(0x80 | (cp & 63)); return 4;
}

/* A string; j->p is on the opening quote. */
static int str(jp *j, const char **out, size_t *n)
{
    const char *s = ++j->p;
    while (j->p < j->end && *j->p != '"') j->p += *j->p == '\\' ? 2 : 1;
    if (j->p >= j->end) { j->err = "unterminated string"; return 0; }
    char *o = txs_arena_alloc(j->a, (size_t)(j->p - s) + 1);
    if (o == NULL) { j->err = "out of memory"; return 0; }
    size_t k = 0;
    for (const char *q = s; q < j->p; q++) {
        if (*q != '\\') { o[k++] = *q; continue; }
        char c = *++q;
        unsigned cp;
        switch (c) {
        case 'n': o[k++] = '\n'; break;
        case 't': o[k++] = '\t'; break;
        case 'r': o[k++] = '\r'; break;
        case 'b': o[k++] = '\b'; break;
        case 'f': o[k++] = '\f'; break;
        case 'u':
            if (j->p - q < 5 || !hex4(q + 1, &cp)) { j->err = "bad \\u escape"; return 0; }
            q += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && j->p - q >= 7 && q[1] == '\\' && q[2] == 'u') {
                unsigned lo;
                if (hex4(q + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    q += 6;
                }
            }
            k += utf8(cp, o + k); /* \uXXXX is 6 bytes: UTF-8 never outgrows it */
            break;
        default: o[k++] = c; break;
        }
    }
    o[k] = '\0';
    j->p++;
    *out = o;
    *n = k;
    return 1;
}

static txs__jv *value(jp *j, int depth);

static txs__jv *container(jp *j, int depth, int obj)
{
    txs__jv *v = node(j, obj ? TXS__J_OBJ : TXS__J_ARR);
    size_t cap = 0;
    j->p++;
    ws(j);
    if (v && j->p < j->end && *j->p == (obj ? '}' : ']')) { j->p++; return v; }
    while (v && !j->err) {
        const char *key = NULL;
        size_t kn = 0;
        ws(j);
        if (obj) {
            if (j->p >= j->end || *j->p != '"' || !str(j, &key, &kn)) { if (!j->err) j->err = "expected a key"; return NULL; }
            ws(j);
            if (j->p >= j->end || *j->p != ':') { j->err = "expected ':'"; return NULL; }
            j->p++;
        }
        txs__jv *item = value(j, depth + 1);
        if (item == NULL) return NULL;
        if (v->n == cap) {
            cap = cap ? cap * 2 : 8;
            txs__jv **it = txs_arena_alloc(j->a, cap * sizeof *it);
            const char **ks = txs_arena_alloc(j->a, cap * sizeof *ks);
            if (!it || !ks) { j->err = "out of memory"; return NULL; }
            if (v->n) memcpy(it, v->items, v->n * sizeof *it), memcpy(ks, v->keys, v->n * sizeof *ks);
            v->items = it, v->keys = ks;
        }
        v->keys[v->n] = key;
        v->items[v->n++] = item;
        ws(j);
        if (j->p < j->end && *j->p == ',') { j->p++; continue; }
        if (j->p < j->end && *j->p == (obj ? '}' : ']')) { j->p++; return v; }
        j->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
    }
    return NULL;
}

static txs__jv *value(jp *j, int depth)
{
    ws(j);
    if (depth > TXS__JSON_DEPTH) { j->err = "nested too deeply"; return NULL; }
    if (j->p >= j->end) { j->err = "unexpected end"; return NULL; }
    char c = *j->p;
    if (c == '{' || c == '[') return container(j, depth, c == '{');
    txs__jv *v = node(j, TXS__J_STR);
    if (v == NULL) return NULL;
    if (c == '"') return str(j, &v->s, &v->n) ? v : NULL;
    const char *s = j->p;
    while (j->p < j->end && !strchr(",]} \t\r\n", *j->p)) j->p++;
    if (j->p == s) { j->err = "unexpected character"; return NULL; }
    v->type = *s == 't' || *s == 'f' ? TXS__J_BOOL : *s == 'n' ? TXS__J_NULL : TXS__J_NUM;
    v->s = s;
    v->n = (size_t)(j->p - s);
    return v;
}

txs__jv *txs__json_parse(txs_arena *a, const char *p, size_t n, const char **err)
{
    jp j = {p, p + n, a, NULL};
    txs__jv *v = value(&j, 0);
    if (v) {
        ws(&j);
        if (j.p != j.end) j.err = "trailing bytes after the value", v = NULL;
    }
    *err = j.err;
    return v;
}

const txs__jv *txs__json_get(const txs__jv *o, const char *key)
{
    if (o == NULL || o->type != TXS__J_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0) return o->items[i];
    return NULL;
}
