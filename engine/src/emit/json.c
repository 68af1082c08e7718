/*
 * json.c: JSON text on a txs_buf (emit.h), the one JSON writer: alert and
 * reject lines, the manifest, and the hit evidence the rules and the
 * sanctions screeners write into the batch arena.  It writes compact JSON
 * (the manifest adds its own layout); strings are escaped per RFC 8259,
 * and a byte that is not valid UTF-8 becomes the visible text \xNN (a
 * backslash, x and two hex digits), so the output is always valid UTF-8
 * JSON and the byte value stays readable.
 *
 * Used on the hot path to build evidence, so it stays branch-light for the
 * common case of short ASCII strings and allocates only through the
 * buffer's growth.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit/emit_int.h"
#include "txs/base.h"
#include "txs/emit.h"
#include "txs/limits.h"

/* Most bytes escape() writes for n input bytes (every byte a six-byte
 * escape, plus the quotes). */
#define ESCAPED_MAX(n) ((n) * 6 + 2)

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

/* Whether none of the eight bytes at p needs escaping or a UTF-8 check:
 * each is 0x20-0x7f and neither '"' nor '\\'.  A byte b < 0x20 is the one
 * whose b - 0x20 borrows (its top bit then set where b's is clear: the
 * lowest such byte is exact, and any byte found makes the answer "no"). */
static int plain8(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, top = 0x8080808080808080ull;
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t bad = ((x | (x - ones * 0x20)) & top) | txs_bytes_eq8(x, '"') | txs_bytes_eq8(x, '\\');
    return bad == 0;
}

/* Write p[0..n) as a quoted, escaped JSON string at dst, which has
 * ESCAPED_MAX(n) bytes; returns the bytes written. */
static size_t escape(char *dst, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = dst;
    const unsigned char *s = (const unsigned char *)p;
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        /* eight plain bytes at a time (no control, quote, backslash or
         * byte >= 0x80): names, ids and list texts are mostly such runs */
        while (n - i >= 8 && plain8(s + i)) {
            memcpy(o, s + i, 8);
            o += 8;
            i += 8;
        }
        if (i == n) break;
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

void txs_buf_json_str(txs_buf *b, const char *p, size_t n)
{
    if (txs__buf_room(b, ESCAPED_MAX(n)) != 0) return;
    b->n += escape(b->p + b->n, p, n);
}

void txs_buf_json_cstr(txs_buf *b, const char *s)
{
    if (s == NULL)
        txs_buf_put(b, "null", 4);
    else
        txs_buf_json_str(b, s, strlen(s));
}

void txs_buf_json_key(txs_buf *b, const char *key, int first)
{
    if (!first) txs_buf_putc(b, ',');
    txs_buf_json_str(b, key, strlen(key));
    txs_buf_putc(b, ':');
}

void txs_buf_json_num(txs_buf *b, double v)
{
    char tmp[TXS_FMT_FIXED_MAX];
    size_t k = txs_fmt_fixed(tmp, v, 4);
    if (k == 0) return;
    while (k > 1 && tmp[k - 1] == '0') k--;
    if (tmp[k - 1] == '.') k--;
    if (k == 2 && tmp[0] == '-' && tmp[1] == '0') { tmp[0] = '0'; k = 1; }
    txs_buf_put(b, tmp, k);
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
