/*
 * json.c: the arena-backed JSON text writer (json_int.h).  Used on the hot
 * path to build hit evidence, so it never calls malloc and stays branch-light
 * for the common case of short ASCII strings.
 */
#include <string.h>

#include "json_int.h"

void txs__json_init(txs_jbuf *b, txs_arena *a, size_t cap)
{
    b->arena = a;
    b->n = 0;
    b->cap = cap ? cap : 64;
    b->err = 0;
    b->p = txs_arena_alloc(a, b->cap);
    if (b->p == NULL) b->err = TXS_E_NOMEM;
}

/* Make room for `more` bytes; 0 or -1 (b->err is set). */
static int reserve(txs_jbuf *b, size_t more)
{
    if (b->err) return -1;
    if (b->cap - b->n >= more) return 0;
    size_t cap = b->cap * 2;
    while (cap - b->n < more) cap *= 2;
    char *p = txs_arena_alloc(b->arena, cap);
    if (p == NULL) {
        b->err = TXS_E_NOMEM;
        return -1;
    }
    memcpy(p, b->p, b->n);
    b->p = p;
    b->cap = cap;
    return 0;
}

void txs__json_raw(txs_jbuf *b, const char *p, size_t n)
{
    if (reserve(b, n) < 0) return;
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

void txs__json_lit(txs_jbuf *b, const char *s)
{
    txs__json_raw(b, s, strlen(s));
}

/* Length of a valid UTF-8 sequence at p[0..n), or 0 if it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min, cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

size_t txs__json_escape(char *dst, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = dst;
    const unsigned char *s = (const unsigned char *)p;
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = (char)c;
            i++;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
            i++;
        } else if (c < 0x20) {
            const char *e = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (e) {
                memcpy(o, e, 2);
                o += 2;
            } else {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            }
            i++;
        } else {
            size_t len = utf8_len(s + i, n - i);
            if (len) {
                memcpy(o, s + i, len);
                o += len;
                i += len;
            } else { /* a byte that is not UTF-8: the visible text \xNN */
                memcpy(o, "\\\\x", 3);
                o[3] = hex[c >> 4];
                o[4] = hex[c & 15];
                o += 5;
                i++;
            }
        }
    }
    *o++ = '"';
    return (size_t)(o - dst);
}

void txs__json_str(txs_jbuf *b, const char *p, size_t n)
{
    if (reserve(b, TXS__JSON_ESCAPED_MAX(n)) < 0) return;
    b->n += txs__json_escape(b->p + b->n, p, n);
}

void txs__json_cstr(txs_jbuf *b, const char *s)
{
    if (s == NULL)
        txs__json_raw(b, "null", 4);
    else
        txs__json_str(b, s, strlen(s));
}

void txs__json_key(txs_jbuf *b, const char *key, int first)
{
    if (!first) txs__json_raw(b, ",", 1);
    txs__json_str(b, key, strlen(key));
    txs__json_raw(b, ":", 1);
}

int txs__json_done(txs_jbuf *b, txs_slice *out)
{
    if (b->err) {
        *out = (txs_slice){NULL, 0};
        return b->err;
    }
    *out = (txs_slice){b->p, b->n};
    return 0;
}
