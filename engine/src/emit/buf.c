/*
 * buf.c: the growable output buffer for alerts, rejects and the manifest.
 * Strings are escaped by txs__json_escape() (json.c), the same escaper the
 * rules use for evidence, so every output escapes one way.  Reject excerpts
 * quote records that failed UTF-8 validation; their bad bytes come out as
 * the visible text \xNN, never as invalid JSON.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "txs/emit.h"
#include "txs/limits.h"

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

void txs_buf_json_str(txs_buf *b, const char *s, size_t n)
{
    if (grow(b, TXS__JSON_ESCAPED_MAX(n)) != 0) return;
    b->n += txs__json_escape(b->p + b->n, s, n);
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

/* The excerpt: the record's first bytes, cut back to a character start. */
static size_t excerpt_len(txs_slice raw)
{
    size_t n = raw.n < TXS_EXCERPT_BYTES ? raw.n : TXS_EXCERPT_BYTES;
    if (n < raw.n) {
        size_t k = n;
        while (k > 0 && k + 4 > n && ((unsigned char)raw.p[k] & 0xC0) == 0x80) k--;
        if (k + 4 > n) n = k;
    }
    return n;
}

void txs_buf_reject(txs_buf *b, const char *file, uint64_t line, uint64_t offset,
                    const char *why, txs_slice raw)
{
    txs_buf_puts(b, "{\"file\":");
    txs_buf_json_str(b, file, strlen(file));
    txs_buf_printf(b, ",\"line\":%llu,\"offset\":%llu,\"reason\":", (unsigned long long)line,
                   (unsigned long long)offset);
    txs_buf_json_str(b, why, strlen(why));
    txs_buf_puts(b, ",\"excerpt\":");
    txs_buf_json_str(b, raw.p, excerpt_len(raw));
    txs_buf_puts(b, "}\n");
}
