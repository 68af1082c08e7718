/*
 * buf.c: the growable output buffer and the JSON value writers every output
 * (alerts, rejects, manifest, evidence) uses, so strings are escaped one way.
 *
 * UTF-8 handling: the reader has validated records before they get here, but
 * reject excerpts quote records that failed validation, so the string writer
 * checks every multi-byte sequence and renders bytes that do not form valid
 * UTF-8 as the visible text \xNN instead of emitting invalid JSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/emit.h"

static int grow(txs_buf *b, size_t need)
{
    if (b->oom) return -1;
    if (b->cap - b->n >= need) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < need) cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void txs_buf_put(txs_buf *b, const void *p, size_t n)
{
    if (n == 0 || grow(b, n) != 0) return;
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

void txs_buf_puts(txs_buf *b, const char *s)
{
    txs_buf_put(b, s, strlen(s));
}

void txs_buf_putc(txs_buf *b, char c)
{
    if (grow(b, 1) != 0) return;
    b->p[b->n++] = c;
}

void txs_buf_printf(txs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if ((size_t)k < sizeof tmp) {
        txs_buf_put(b, tmp, (size_t)k);
        return;
    }
    if (grow(b, (size_t)k + 1) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, min = 0x10000;
    else return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void txs_buf_json_str(txs_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    if (grow(b, n + 2) != 0) return;
    txs_buf_putc(b, '"');
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        size_t len = c >= 0x80 ? utf8_len(p + i, n - i) : 1;
        if (c >= 0x80 && len > 0) {
            i += len;
            continue;
        }
        txs_buf_put(b, s + run, i - run);
        char esc[8];
        size_t k = 0;
        esc[k++] = '\\';
        switch (c) {
        case '"': esc[k++] = '"'; break;
        case '\\': esc[k++] = '\\'; break;
        case '\n': esc[k++] = 'n'; break;
        case '\r': esc[k++] = 'r'; break;
        case '\t': esc[k++] = 't'; break;
        default:
            if (c < 0x20) {
                memcpy(esc + k, "u00", 3);
                k += 3;
            } else { /* invalid UTF-8 byte: visible \xNN */
                memcpy(esc + k, "\\x", 2);
                k += 2;
            }
            esc[k++] = hex[c >> 4];
            esc[k++] = hex[c & 15];
        }
        txs_buf_put(b, esc, k);
        i++;
        run = i;
    }
    txs_buf_put(b, s + run, n - run);
    txs_buf_putc(b, '"');
}

void txs_buf_json_num(txs_buf *b, double v)
{
    char tmp[64];
    int k = snprintf(tmp, sizeof tmp, "%.4f", v);
    if (k <= 0) return;
    while (k > 1 && tmp[k - 1] == '0') k--;
    if (tmp[k - 1] == '.') k--;
    if (k == 2 && tmp[0] == '-' && tmp[1] == '0') { tmp[0] = '0'; k = 1; }
    txs_buf_put(b, tmp, (size_t)k);
}

void txs_buf_free(txs_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
    b->oom = 0;
}
