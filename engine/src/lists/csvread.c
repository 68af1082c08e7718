/*
 * csvread.c: a quote-aware CSV record reader for list files (OFAC, the
 * OpenSanctions simple format, EU, UK).  These files are a few MB and read
 * once at build time, so this is a plain byte loop over a stdio stream,
 * not the engine's SIMD framer: what matters here is exact diagnostics
 * (file:line of the record) and the list files' quirks: CRLF line ends, a
 * UTF-8 BOM, a trailing 0x1A (DOS end-of-file) byte after the last record,
 * quoted fields with embedded separators, doubled quotes and newlines.
 *
 *   buf: [field0 bytes][field1 bytes]...   off[i], len[i] index into it
 *
 * Fields are unescaped into r->buf, which grows up to TXS_MAX_RECORD.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"
#include "txs/limits.h"

int txs__lcsv_open(txs__lcsv *r, const char *path, char sep, txs_diag *d)
{
    memset(r, 0, sizeof *r);
    r->f = fopen(path, "rb");
    if (r->f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    r->path = path;
    r->sep = sep;
    r->next_line = 1;
    int c1 = getc(r->f), c2 = getc(r->f), c3 = getc(r->f);
    if (!(c1 == 0xEF && c2 == 0xBB && c3 == 0xBF)) rewind(r->f);
    return TXS_OK;
}

void txs__lcsv_close(txs__lcsv *r)
{
    if (r->f) fclose(r->f);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

txs_slice txs__lcsv_field(const txs__lcsv *r, size_t i)
{
    if (i >= r->nf) return (txs_slice){"", 0};
    return (txs_slice){r->buf + r->off[i], r->len[i]};
}

int txs__lcsv_col(const txs__lcsv *r, const char *name)
{
    for (size_t i = 0; i < r->nf; i++) {
        txs_slice s = txs__lists_trim(txs__lcsv_field(r, i));
        if (strlen(name) == s.n && strncasecmp(s.p, name, s.n) == 0) return (int)i;
    }
    return -1;
}

static int put(txs__lcsv *r, size_t *n, int c, txs_diag *d)
{
    if (*n + 1 >= r->cap) {
        if (r->cap >= TXS_MAX_RECORD)
            return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                                "record longer than %u bytes", TXS_MAX_RECORD);
        size_t cap = r->cap ? r->cap * 2 : 4096;
        char *p = realloc(r->buf, cap);
        if (p == NULL) return TXS_E_NOMEM;
        r->buf = p;
        r->cap = cap;
    }
    r->buf[(*n)++] = (char)c;
    return TXS_OK;
}

static int end_field(txs__lcsv *r, size_t start, size_t n, txs_diag *d)
{
    if (r->nf == TXS__LCSV_MAX_FIELDS)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "more than %u fields",
                            TXS__LCSV_MAX_FIELDS);
    r->off[r->nf] = start;
    r->len[r->nf] = n - start;
    r->nf++;
    return TXS_OK;
}

/* A quoted field, opening quote consumed.  Stops after the closing quote. */
static int quoted(txs__lcsv *r, size_t *n, txs_diag *d)
{
    for (;;) {
        int c = getc(r->f);
        if (c == EOF)
            return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                                "unterminated quoted field (opened on this line)");
        if (c == '"') {
            int c2 = getc(r->f);
            if (c2 != '"') {
                if (c2 != EOF) ungetc(c2, r->f);
                return TXS_OK;
            }
        }
        if (c == '\n') r->next_line++;
        TXS_TRY(put(r, n, c, d));
    }
}

/* Hot loop of the build-time readers: one record, byte by byte. */
int txs__lcsv_next(txs__lcsv *r, txs_diag *d)
{
    size_t n = 0, start = 0;
    int in_field = 0, after_quote = 0;
    r->nf = 0;
    r->line = r->next_line;
    for (;;) {
        int c = getc(r->f);
        if (c == 0x1A && r->nf == 0 && n == 0) {
            int c2 = getc(r->f);
            if (c2 == EOF) return 0;
            ungetc(c2, r->f);
        }
        if (c == EOF || c == '\n') {
            if (c == '\n') r->next_line++;
            if (c == EOF && r->nf == 0 && n == 0 && !in_field && !after_quote) return 0;
            if (n > start && r->buf[n - 1] == '\r' && !after_quote) n--;
            TXS_TRY(end_field(r, start, n, d));
            if (r->nf == 1 && r->len[0] == 0) { /* blank line */
                if (c == EOF) return 0;
                r->nf = 0;
                r->line = r->next_line;
                continue;
            }
            return 1;
        }
        if (c == r->sep) {
            TXS_TRY(end_field(r, start, n, d));
            start = n;
            in_field = after_quote = 0;
            continue;
        }
        if (after_quote) {
            if (c == ' ' || c == '\r' || c == '\t') continue;
            return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                                "unexpected '%c' after a closing quote in field %zu",
                                c, r->nf + 1);
        }
        if (c == '"' && !in_field) {
            TXS_TRY(quoted(r, &n, d));
            in_field = after_quote = 1;
            continue;
        }
        in_field = 1;
        TXS_TRY(put(r, &n, c, d));
    }
}
