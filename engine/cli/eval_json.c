/*
 * eval_json.c: the recursive-descent JSON reader behind eval_json.h.
 */
#include "eval_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/base.h"

typedef struct ej_parser {
    const char *p, *end, *start;
    char *err;
    size_t cap;
    int failed;
} ej_parser;

static int fail(ej_parser *ps, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(ej_parser *ps, const char *fmt, ...)
{
    if (ps->failed) return -1;
    ps->failed = 1;
    if (ps->cap == 0) return -1;
    int k = snprintf(ps->err, ps->cap, "offset %zu: ", (size_t)(ps->p - ps->start));
    if (k < 0 || (size_t)k >= ps->cap) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + k, ps->cap - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(ej_parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static void free_contents(ej_value *v)
{
    if (v == NULL) return;
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        free_contents(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

void ej_free(ej_value *v)
{
    free_contents(v);
    free(v);
}

static int hex4(ej_parser *ps, unsigned *out)
{
    if (ps->end - ps->p < 4) return fail(ps, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return fail(ps, "bad hex digit in \\u escape");
    }
    ps->p += 4;
    *out = v;
    return 0;
}

/* A string starting at the opening quote; decoded into a new buffer (the
 * decoded text is never longer than the source). */
static int parse_string(ej_parser *ps, char **out, size_t *outlen)
{
    ps->p++; /* the opening quote */
    const char *q = ps->p;
    while (q < ps->end && *q != '"') q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
    if (q >= ps->end) return fail(ps, "unterminated string");
    char *buf = malloc((size_t)(q - ps->p) + 1);
    if (buf == NULL) return fail(ps, "out of memory");
    size_t k = 0;
    while (*ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p;
        if (c < 0x20) {
            free(buf);
            return fail(ps, "control character 0x%02x in string", c);
        }
        if (c != '\\') {
            buf[k++] = (char)c;
            ps->p++;
            continue;
        }
        ps->p++;
        char e = *ps->p++;
        switch (e) {
        case '"': buf[k++] = '"'; break;
        case '\\': buf[k++] = '\\'; break;
        case '/': buf[k++] = '/'; break;
        case 'b': buf[k++] = '\b'; break;
        case 'f': buf[k++] = '\f'; break;
        case 'n': buf[k++] = '\n'; break;
        case 'r': buf[k++] = '\r'; break;
        case 't': buf[k++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (hex4(ps, &cp) < 0) {
                free(buf);
                return -1;
            }
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                free(buf);
                return fail(ps, "lone low surrogate \\u%04X", cp);
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    free(buf);
                    return fail(ps, "high surrogate \\u%04X without a low one", cp);
                }
                ps->p += 2;
                if (hex4(ps, &lo) < 0) {
                    free(buf);
                    return -1;
                }
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    free(buf);
                    return fail(ps, "high surrogate \\u%04X followed by \\u%04X", cp, lo);
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            /* \uXXXX is 6 source bytes and at most 3 output bytes; a pair
             * is 12 source bytes and 4 output bytes: the buffer suffices. */
            k += txs_utf8_put(buf + k, (uint32_t)cp);
            break;
        }
        default:
            free(buf);
            ps->p--;
            return fail(ps, "bad escape '\\%c'", e);
        }
    }
    ps->p++; /* the closing quote */
    buf[k] = '\0';
    *out = buf;
    *outlen = k;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(ej_parser *ps, ej_value *v)
{
    const char *s = ps->p, *q = s;
    if (q < ps->end && *q == '-') q++;
    if (q >= ps->end || !is_digit(*q)) return fail(ps, "bad number");
    if (*q == '0') {
        q++;
        if (q < ps->end && is_digit(*q)) return fail(ps, "leading zero in number");
    } else {
        while (q < ps->end && is_digit(*q)) q++;
    }
    if (q < ps->end && *q == '.') {
        q++;
        if (q >= ps->end || !is_digit(*q)) return fail(ps, "digit expected after '.'");
        while (q < ps->end && is_digit(*q)) q++;
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < ps->end && (*q == '+' || *q == '-')) q++;
        if (q >= ps->end || !is_digit(*q)) return fail(ps, "digit expected in exponent");
        while (q < ps->end && is_digit(*q)) q++;
    }
    char tmp[64];
    size_t len = (size_t)(q - s);
    if (len >= sizeof tmp) {
        /* Long numbers (many digits) are still numbers: copy to the heap. */
        char *h = malloc(len + 1);
        if (h == NULL) return fail(ps, "out of memory");
        memcpy(h, s, len);
        h[len] = '\0';
        v->num = strtod(h, NULL);
        free(h);
    } else {
        memcpy(tmp, s, len);
        tmp[len] = '\0';
        v->num = strtod(tmp, NULL);
    }
    v->type = EJ_NUMBER;
    ps->p = q;
    return 0;
}

static int literal(ej_parser *ps, const char *word, ej_type t, ej_value *v)
{
    size_t k = strlen(word);
    if ((size_t)(ps->end - ps->p) < k || memcmp(ps->p, word, k) != 0)
        return fail(ps, "unexpected character '%c'", *ps->p);
    ps->p += k;
    v->type = t;
    return 0;
}

static int parse_value(ej_parser *ps, ej_value *v, int depth);

/* Grow an array/object's storage to hold one more member. */
static int grow(ej_parser *ps, ej_value *v, size_t *cap, int with_keys)
{
    if (v->n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 4;
    ej_value *it = realloc(v->items, nc * sizeof *it);
    if (it == NULL) return fail(ps, "out of memory");
    v->items = it;
    if (with_keys) {
        char **ks = realloc(v->keys, nc * sizeof *ks);
        if (ks == NULL) return fail(ps, "out of memory");
        v->keys = ks;
    }
    *cap = nc;
    return 0;
}

static int parse_container(ej_parser *ps, ej_value *v, int depth, int object)
{
    if (depth >= EJ_MAX_DEPTH) return fail(ps, "nesting deeper than %d", EJ_MAX_DEPTH);
    v->type = object ? EJ_OBJECT : EJ_ARRAY;
    char close = object ? '}' : ']';
    size_t cap = 0;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    for (;;) {
        skip_ws(ps);
        if (grow(ps, v, &cap, object) < 0) return -1;
        ej_value *m = &v->items[v->n];
        memset(m, 0, sizeof *m);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "object key expected");
            size_t kl;
            if (parse_string(ps, &v->keys[v->n], &kl) < 0) return -1;
            v->n++; /* counted now so the key is freed on a later error */
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') return fail(ps, "':' expected");
            ps->p++;
            skip_ws(ps);
            if (parse_value(ps, m, depth + 1) < 0) return -1;
        } else {
            v->n++;
            if (parse_value(ps, m, depth + 1) < 0) return -1;
        }
        skip_ws(ps);
        if (ps->p >= ps->end) return fail(ps, "unterminated %s", object ? "object" : "array");
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            return 0;
        }
        return fail(ps, "',' or '%c' expected", close);
    }
}

static int parse_value(ej_parser *ps, ej_value *v, int depth)
{
    skip_ws(ps);
    if (ps->p >= ps->end) return fail(ps, "value expected");
    switch (*ps->p) {
    case '{': return parse_container(ps, v, depth, 1);
    case '[': return parse_container(ps, v, depth, 0);
    case '"':
        v->type = EJ_STRING;
        return parse_string(ps, &v->str, &v->len);
    case 't': return literal(ps, "true", EJ_TRUE, v);
    case 'f': return literal(ps, "false", EJ_FALSE, v);
    case 'n': return literal(ps, "null", EJ_NULL, v);
    default:
        if (*ps->p == '-' || is_digit(*ps->p)) return parse_number(ps, v);
        return fail(ps, "unexpected character '%c'", *ps->p);
    }
}

int ej_parse(const char *p, size_t n, ej_value **out, char *err, size_t cap)
{
    ej_parser ps = {p, p + n, p, err, cap, 0};
    if (cap) err[0] = '\0';
    *out = NULL;
    ej_value *v = calloc(1, sizeof *v);
    if (v == NULL) return fail(&ps, "out of memory");
    if (parse_value(&ps, v, 0) < 0) {
        ej_free(v);
        return -1;
    }
    skip_ws(&ps);
    if (ps.p < ps.end) {
        ej_free(v);
        return fail(&ps, "text after the JSON value");
    }
    *out = v;
    return 0;
}

const ej_value *ej_get(const ej_value *v, const char *key)
{
    if (v == NULL || v->type != EJ_OBJECT) return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0) return &v->items[i];
    return NULL;
}
