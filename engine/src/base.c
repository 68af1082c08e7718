/*
 * base.c: status messages, slice comparison, diagnostics, reading a small
 * file whole, UTF-8 encoding, the JSON string unescaper (shared by the
 * JSONL scanner and the cold-path JSON reader), the slot table of an
 * open-addressing index, and the embedded file table look-up: the few
 * helpers every stage shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin_int.h"
#include "txs/base.h"

const char *txs_strerror(int status)
{
    switch (status) {
#define TXS_X_CASE(name, value, msg) \
    case value:                     \
        return msg;
        TXS_STATUS_MAP(TXS_X_CASE)
#undef TXS_X_CASE
    }
    return "unknown status";
}

int txs_slice_eq(txs_slice a, const char *s)
{
    size_t n = strlen(s);
    return a.n == n && (n == 0 || memcmp(a.p, s, n) == 0);
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int txs_slice_eq_nocase(txs_slice a, const char *s)
{
    size_t n = strlen(s);
    if (a.n != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)s[i])) return 0;
    return 1;
}

int txs_diag_set(txs_diag *d, int status, const char *file, unsigned long line,
                 const char *fmt, ...)
{
    if (d == NULL) return status;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return status;
}

int txs_file_read(const char *path, char **out, size_t *n, txs_diag *d)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        int e = errno;
        return txs_diag_set(d, e == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, path, 0,
                            "cannot open: %s", strerror(e));
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 2) {
            size_t nc = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, nc);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
            }
            buf = nb;
            cap = nc;
        }
        size_t k = fread(buf + len, 1, cap - len - 1, f);
        len += k;
        if (k == 0) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return txs_diag_set(d, TXS_E_IO, path, 0, "read error");
    }
    buf[len] = '\0';
    *out = buf;
    *n = len;
    return TXS_OK;
}

size_t txs_utf8_put(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

long txs_hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

size_t txs_json_unescape(const char *p, size_t n, char *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c != '\\') {
            o[k++] = c;
            continue;
        }
        c = p[++i];
        switch (c) {
        case 'b': o[k++] = '\b'; break;
        case 'f': o[k++] = '\f'; break;
        case 'n': o[k++] = '\n'; break;
        case 'r': o[k++] = '\r'; break;
        case 't': o[k++] = '\t'; break;
        case 'u': {
            /* 6 source bytes give at most 3; a surrogate pair 12 give 4. */
            unsigned long u = (unsigned long)txs_hex4(p + i + 1);
            i += 4;
            if (u >= 0xD800 && u <= 0xDBFF) {
                unsigned long lo = (unsigned long)txs_hex4(p + i + 3);
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            k += txs_utf8_put(o + k, (uint32_t)u);
            break;
        }
        default: o[k++] = c; /* " \ / */
        }
    }
    return k;
}

const txs_builtin_file *txs__builtin_find(const char *name)
{
    for (const txs_builtin_file *f = txs__builtin_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

const char *txs__builtin_names(const char *dir, char *out, size_t cap)
{
    size_t dl = strlen(dir), k = 0;
    out[0] = '\0';
    for (const txs_builtin_file *f = txs__builtin_files; f->name; f++) {
        const char *name = f->name + dl, *dot = strrchr(f->name, '.');
        if (strncmp(f->name, dir, dl) != 0 || name[0] != '/' || strchr(name + 1, '/') ||
            dot == NULL || strcmp(dot, ".yaml") != 0)
            continue;
        int n = snprintf(out + k, cap - k, "%s%.*s", k ? ", " : "", (int)(dot - name - 1), name + 1);
        if (n < 0 || (size_t)n >= cap - k) break;
        k += (size_t)n;
    }
    return out;
}

uint32_t *txs_slots_build(const void *v, size_t n, size_t stride, size_t hoff, size_t ns)
{
    uint32_t *s = calloc(ns, sizeof *s);
    if (s == NULL) return NULL;
    const unsigned char *b = v;
    for (size_t i = 0; i < n; i++) {
        uint64_t h;
        memcpy(&h, b + i * stride + hoff, sizeof h);
        size_t j = (size_t)h & (ns - 1);
        while (s[j]) j = (j + 1) & (ns - 1);
        s[j] = (uint32_t)(i + 1);
    }
    return s;
}
