/*
 * base.c: status messages, slice comparison, diagnostics and the embedded
 * file table look-up: the few helpers every stage shares.
 */
#include <stdarg.h>
#include <stdio.h>
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

const txs_builtin_file *txs__builtin_find(const char *name)
{
    for (const txs_builtin_file *f = txs__builtin_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}
