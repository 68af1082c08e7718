/*
 * csv_check.c: stage 2 of CSV framing, run only for records whose scan saw a
 * quote, a NUL or a non-ASCII byte (csv_scan.c).  It rejects NUL bytes and
 * invalid UTF-8, checks each field's quoting against RFC 4180, and turns a
 * quoted field into its value:
 *
 *   "abc"      -> abc        borrowed from the read buffer
 *   "a""b"     -> a"b        copied into the batch arena (unescaped)
 *   "a\r\nb"   -> a\r\nb     line ends inside quotes are kept as they are
 *   ab"c       -> reject     quote inside unquoted field
 *   "ab"c      -> reject     text after closing quote
 *   "abc       -> reject     unterminated quoted field
 *
 * Also the helpers shared by CSV and JSON Lines: the UTF-8 validator and the
 * reject-reason formatter.  Byte positions in reasons are 1-based.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "input/input_int.h"

/* Length of the valid sequence starting at s[0] (a non-ASCII lead byte),
 * or 0 when it is invalid or truncated. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        if (c == 0xED) hi = 0x9F;      /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;      /* overlong */
        if (c == 0xF4) hi = 0x8F;      /* above U+10FFFF */
    } else {
        return 0;                      /* continuation, C0/C1, F5..FF */
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

size_t txs__input_utf8_check(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        /* ASCII fast path, 8 bytes at a time. */
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq(s + i, n - i);
        if (len == 0) return i;
        i += len;
    }
    return n;
}

const char *txs__input_reason(txs_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = need < 0 ? NULL : txs_arena_alloc(a, (size_t)need + 1);
    if (out == NULL) return "malformed record";
    va_start(ap, fmt);
    vsnprintf(out, (size_t)need + 1, fmt, ap);
    va_end(ap);
    return out;
}

/* Copy a quoted field's inner bytes into the arena, "" -> ". */
static int unescape_quotes(txs_slice *f, const char *in, size_t n, char quote,
                           txs_arena *a)
{
    char *o = txs_arena_alloc(a, n ? n : 1);
    if (o == NULL) return TXS_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        o[k++] = in[i];
        if (in[i] == quote) i++; /* validated: quotes come in pairs */
    }
    f->p = o;
    f->n = k;
    return TXS_FRAME_OK;
}

/* Check one field (index i, 0-based) and strip its quotes. */
static int check_field(txs_slice *f, uint32_t i, txs_slice raw, char quote,
                       txs_arena *a, const char **detail)
{
    const char *s = f->p, *e = f->p + f->n;
    if (f->n == 0 || *s != quote) {
        if (f->n && memchr(s, quote, f->n)) {
            *detail = txs__input_reason(a, "quote inside unquoted field %u", i + 1);
            return TXS_FRAME_BAD_QUOTE;
        }
        return TXS_FRAME_OK;
    }
    int doubled = 0;
    for (const char *c = s + 1;;) {
        const char *x = memchr(c, quote, (size_t)(e - c));
        if (x == NULL) {
            *detail = txs__input_reason(a,
                "unterminated quoted field (opened at byte %zu of the record)",
                (size_t)(s - raw.p) + 1);
            return TXS_FRAME_UNTERMINATED_QUOTE;
        }
        if (x + 1 < e && x[1] == quote) {
            doubled = 1;
            c = x + 2;
            continue;
        }
        if (x + 1 != e) {
            *detail = txs__input_reason(a, "text after closing quote in field %u", i + 1);
            return TXS_FRAME_BAD_QUOTE;
        }
        break;
    }
    if (doubled) return unescape_quotes(f, s + 1, f->n - 2, quote, a);
    f->p = s + 1;
    f->n -= 2;
    return TXS_FRAME_OK;
}

/* Index of the field holding byte x, searching from field i on. */
static uint32_t field_of(const txs_slice *fields, uint32_t nf, uint32_t i, const char *x)
{
    while (i + 1 < nf && x >= fields[i + 1].p) i++;
    return i;
}

int txs__input_csv_check(txs_slice raw, txs_slice *fields, uint32_t nf,
                         unsigned flags, char quote, txs_arena *a,
                         const char **detail)
{
    const char *nul = (flags & TXS__SCAN_NUL) ? memchr(raw.p, 0, raw.n) : NULL;
    if (nul) {
        *detail = txs__input_reason(a, "NUL byte at byte %zu of the record",
                                    (size_t)(nul - raw.p) + 1);
        return TXS_FRAME_NUL;
    }
    size_t bad = (flags & TXS__SCAN_HIGH) ? txs__input_utf8_check(raw.p, raw.n) : raw.n;
    if (bad < raw.n) {
        *detail = txs__input_reason(a, "invalid UTF-8 at byte %zu of the record", bad + 1);
        return TXS_FRAME_UTF8;
    }
    if (!(flags & TXS__SCAN_QUOTE)) return TXS_FRAME_OK;
    /* Visit only the fields that hold a quote: jump from quote to quote. */
    const char *end = raw.p + raw.n, *c = raw.p;
    uint32_t i = 0;
    while (i < nf && (c = memchr(c, quote, (size_t)(end - c))) != NULL) {
        i = field_of(fields, nf, i, c);
        const char *fend = fields[i].p + fields[i].n;
        int rc = check_field(&fields[i], i, raw, quote, a, detail);
        if (rc != TXS_FRAME_OK) return rc;
        c = fend;
        i++;
    }
    return TXS_FRAME_OK;
}
