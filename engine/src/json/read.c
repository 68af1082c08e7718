/*
 * read.c: the cold-path JSON reader (txs/json_read.h).  Recursive descent
 * over one JSON text; each value becomes a node in the document's arena with
 * its type, byte range and siblings.  Strings are checked (escapes,
 * surrogates, control characters) while scanning and then decoded by the one
 * unescaper (txs_json_unescape, base.c) into the arena.
 *
 * Invariants: nothing is read past text + len; recursion is bounded by
 * TXS_JSON_MAX_DEPTH; on any error the first problem is reported (later
 * failures do not overwrite it) and d->root is NULL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/base.h"
#include "txs/json_read.h"

typedef struct parser {
    txs_json_doc *d;
    const char *t;
    size_t len, pos;
    int failed, nomem;
} parser;

static int fail(parser *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(parser *p, const char *fmt, ...)
{
    if (p->failed) return -1;
    p->failed = 1;
    txs_json_doc *d = p->d;
    d->err_offset = p->pos;
    d->err_line = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) d->err_line += p->t[i] == '\n';
    int k = snprintf(d->err, sizeof d->err, "offset %zu: ", p->pos);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err + k, sizeof d->err - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int oom(parser *p)
{
    p->nomem = 1;
    return fail(p, "out of memory");
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->t[p->pos] == ' ' || p->t[p->pos] == '\t' ||
                               p->t[p->pos] == '\n' || p->t[p->pos] == '\r'))
        p->pos++;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Check the string whose opening quote is at p->pos; leave pos past the
 * closing quote. */
static int scan_string(parser *p)
{
    const char *t = p->t;
    p->pos++;
    while (p->pos < p->len) {
        unsigned char c = (unsigned char)t[p->pos];
        if (c == '"') {
            p->pos++;
            return 0;
        }
        if (c < 0x20) return fail(p, "control character 0x%02x in string", c);
        if (c != '\\') {
            p->pos++;
            continue;
        }
        if (p->pos + 1 >= p->len) break;
        char e = t[p->pos + 1];
        if (e && strchr("\"\\/bfnrt", e)) {
            p->pos += 2;
            continue;
        }
        if (e != 'u') {
            p->pos++;
            return fail(p, "bad escape '\\%c'", e);
        }
        p->pos += 2;
        long u = p->pos + 4 <= p->len ? txs_hex4(t + p->pos) : -1;
        if (u < 0) return fail(p, "bad \\u escape");
        p->pos += 4;
        if (u >= 0xDC00 && u <= 0xDFFF) return fail(p, "lone low surrogate \\u%04lX", u);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (p->pos + 6 > p->len || t[p->pos] != '\\' || t[p->pos + 1] != 'u')
                return fail(p, "high surrogate \\u%04lX without a low one", u);
            long lo = txs_hex4(t + p->pos + 2);
            if (lo < 0) return fail(p, "bad \\u escape");
            if (lo < 0xDC00 || lo > 0xDFFF)
                return fail(p, "high surrogate \\u%04lX followed by \\u%04lX", u, lo);
            p->pos += 6;
        }
    }
    return fail(p, "unterminated string");
}

/* Scan a string at p->pos and decode it into the arena. */
static int string(parser *p, const char **s, size_t *n)
{
    size_t start = p->pos;
    if (scan_string(p) < 0) return -1;
    size_t raw = p->pos - start - 2;
    char *o = txs_arena_alloc(&p->d->arena, raw + 1);
    if (o == NULL) return oom(p);
    *n = txs_json_unescape(p->t + start + 1, raw, o);
    o[*n] = '\0';
    *s = o;
    return 0;
}

static int scan_number(parser *p)
{
    const char *t = p->t;
    size_t i = p->pos;
    if (i < p->len && t[i] == '-') i++;
    if (i >= p->len || !is_digit(t[i])) return fail(p, "bad number");
    if (t[i] == '0') {
        i++;
        if (i < p->len && is_digit(t[i])) return fail(p, "leading zero in number");
    } else {
        while (i < p->len && is_digit(t[i])) i++;
    }
    if (i < p->len && t[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(t[i])) return fail(p, "digit expected after '.'");
        while (i < p->len && is_digit(t[i])) i++;
    }
    if (i < p->len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < p->len && (t[i] == '+' || t[i] == '-')) i++;
        if (i >= p->len || !is_digit(t[i])) return fail(p, "digit expected in exponent");
        while (i < p->len && is_digit(t[i])) i++;
    }
    p->pos = i;
    return 0;
}

static int literal(parser *p, const char *word)
{
    size_t k = strlen(word);
    if (p->pos + k > p->len || memcmp(p->t + p->pos, word, k) != 0)
        return fail(p, "unexpected character '%c'", p->t[p->pos]);
    p->pos += k;
    return 0;
}

static txs_json *node(parser *p, txs_json_type type)
{
    txs_json *v = txs_arena_alloc(&p->d->arena, sizeof *v);
    if (v == NULL) {
        oom(p);
        return NULL;
    }
    memset(v, 0, sizeof *v);
    v->type = type;
    v->start = p->pos;
    return v;
}

static txs_json *value(parser *p, int depth);

/* `"key" :` and the member's value; linked after *last. */
static int member(parser *p, txs_json *parent, txs_json **last, int depth, int obj)
{
    const char *key = NULL;
    size_t key_n = 0, ks = 0, ke = 0;
    if (obj) {
        if (p->pos >= p->len || p->t[p->pos] != '"') return fail(p, "object key expected");
        ks = p->pos;
        if (string(p, &key, &key_n) < 0) return -1;
        ke = p->pos;
        skip_ws(p);
        if (p->pos >= p->len || p->t[p->pos] != ':') return fail(p, "':' expected");
        p->pos++;
    }
    txs_json *c = value(p, depth + 1);
    if (c == NULL) return -1;
    c->key = key, c->key_n = key_n, c->key_start = ks, c->key_end = ke;
    if (*last) (*last)->next = c;
    else parent->first = c;
    *last = c;
    parent->count++;
    return 0;
}

static txs_json *container(parser *p, int depth, int obj)
{
    if (depth >= TXS_JSON_MAX_DEPTH) {
        fail(p, "nesting deeper than %d", TXS_JSON_MAX_DEPTH);
        return NULL;
    }
    txs_json *v = node(p, obj ? TXS_JSON_OBJ : TXS_JSON_ARR), *last = NULL;
    if (v == NULL) return NULL;
    char close = obj ? '}' : ']';
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->t[p->pos] == close) {
        p->pos++;
        v->end = p->pos;
        return v;
    }
    for (;;) {
        skip_ws(p);
        if (member(p, v, &last, depth, obj) < 0) return NULL;
        skip_ws(p);
        if (p->pos >= p->len) {
            fail(p, "unterminated %s", obj ? "object" : "array");
            return NULL;
        }
        if (p->t[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->t[p->pos] == close) {
            p->pos++;
            v->end = p->pos;
            return v;
        }
        fail(p, "',' or '%c' expected", close);
        return NULL;
    }
}

static txs_json *value(parser *p, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len) {
        fail(p, "value expected");
        return NULL;
    }
    char c = p->t[p->pos];
    if (c == '{' || c == '[') return container(p, depth, c == '{');
    txs_json_type type = c == '"'   ? TXS_JSON_STR
                         : c == 't' ? TXS_JSON_TRUE
                         : c == 'f' ? TXS_JSON_FALSE
                         : c == 'n' ? TXS_JSON_NULL
                                    : TXS_JSON_NUM;
    if (type == TXS_JSON_NUM && c != '-' && !is_digit(c)) {
        fail(p, "unexpected character '%c'", c);
        return NULL;
    }
    txs_json *v = node(p, type);
    if (v == NULL) return NULL;
    int rc;
    switch (type) {
    case TXS_JSON_STR: rc = string(p, &v->s, &v->n); break;
    case TXS_JSON_TRUE: rc = literal(p, "true"); break;
    case TXS_JSON_FALSE: rc = literal(p, "false"); break;
    case TXS_JSON_NULL: rc = literal(p, "null"); break;
    default: rc = scan_number(p); break;
    }
    if (rc < 0) return NULL;
    v->end = p->pos;
    if (type != TXS_JSON_STR) v->s = p->t + v->start, v->n = v->end - v->start;
    return v;
}

void txs_json_init(txs_json_doc *d)
{
    memset(d, 0, sizeof *d);
    txs_arena_init(&d->arena, 1u << 14);
}

int txs_json_parse(txs_json_doc *d, const char *text, size_t len)
{
    if (d->arena.block_size == 0) txs_arena_init(&d->arena, 1u << 14); /* a zeroed doc */
    txs_arena_reset(&d->arena);
    d->text = text;
    d->len = len;
    d->root = NULL;
    d->err[0] = '\0';
    d->err_offset = 0;
    d->err_line = 0;
    parser p = {d, text, len, 0, 0, 0};
    txs_json *v = value(&p, 0);
    if (v) {
        skip_ws(&p);
        if (p.pos < len) fail(&p, "text after the JSON value");
    }
    if (p.failed) return p.nomem ? TXS_E_NOMEM : TXS_E_FORMAT;
    d->root = v;
    return TXS_OK;
}

void txs_json_free(txs_json_doc *d)
{
    txs_arena_free(&d->arena);
    d->root = NULL;
}

const txs_json *txs_json_get(const txs_json *o, const char *key)
{
    if (o == NULL || o->type != TXS_JSON_OBJ) return NULL;
    for (const txs_json *m = o->first; m; m = m->next)
        if (strcmp(m->key, key) == 0) return m;
    return NULL;
}

const txs_json *txs_json_first(const txs_json *v)
{
    return v && (v->type == TXS_JSON_ARR || v->type == TXS_JSON_OBJ) ? v->first : NULL;
}

long txs_json_str(const txs_json *v, char *out, size_t cap)
{
    if (v == NULL || v->type != TXS_JSON_STR || cap == 0) return -1;
    size_t c = v->n < cap - 1 ? v->n : cap - 1;
    memcpy(out, v->s, c);
    out[c] = '\0';
    return (long)v->n;
}

int txs_json_str_is(const txs_json *v, const char *z)
{
    size_t zn = strlen(z);
    return v && v->type == TXS_JSON_STR && v->n == zn && memcmp(v->s, z, zn) == 0;
}

int txs_json_u64(const txs_json *v, uint64_t *out)
{
    if (v == NULL || v->type != TXS_JSON_NUM) return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < v->n; i++) {
        char c = v->s[i];
        if (!is_digit(c) || x > (UINT64_MAX - 9) / 10) return -1;
        x = x * 10 + (uint64_t)(c - '0');
    }
    *out = x;
    return 0;
}

int txs_json_double(const txs_json *v, double *out)
{
    if (v == NULL || v->type != TXS_JSON_NUM) return -1;
    char tmp[64];
    char *s = v->n < sizeof tmp ? tmp : malloc(v->n + 1);
    if (s == NULL) return -1;
    memcpy(s, v->s, v->n);
    s[v->n] = '\0';
    *out = strtod(s, NULL);
    if (s != tmp) free(s);
    return 0;
}
