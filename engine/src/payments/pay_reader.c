/*
 * pay_reader.c: paths to payment messages.  A path is a file (plain, gzip
 * or zstd, through txs_source like every export) or a directory, read
 * recursively in byte order of the names so a run is repeatable.  The
 * first bytes of each file choose the reader unless the format is forced:
 * '<' is ISO 20022 XML (mx_read.c), '{' or '$' a SWIFT FIN file
 * (mt_read.c).  Both are fed TXS_READ_CHUNK bytes at a time: the MX reader
 * exactly that (its parser's error lines depend on the pieces it gets, so
 * they are the same pieces however the source reads); the MT reader
 * leaves the tail of a message cut by the chunk, which moves to the front
 * of the buffer, so memory is one chunk plus one message.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "payments_int.h"
#include "txs/input.h"
#include "txs/limits.h"

#define MT_TAIL (256u * 1024u + 16u)

struct txs_pay_reader {
    txs_pay_format fmt;
    txs_mt_reader *mt;
    txs_mx_reader *mx;
    txs_mx_xsd *xsd;
    txs_pay_counts counts;
    char *buf;
    size_t cap;
};

int txs_pay_reader_create(txs_pay_format fmt, txs_pay_reader **out)
{
    txs_pay_reader *r = calloc(1, sizeof *r);
    if (r == NULL) return TXS_E_NOMEM;
    r->fmt = fmt;
    r->cap = TXS_READ_CHUNK + MT_TAIL;
    r->buf = malloc(r->cap);
    if (r->buf == NULL || txs__mt_create(&r->mt) < 0 || txs__mx_create(&r->mx) < 0) {
        txs_pay_reader_free(r);
        return TXS_E_NOMEM;
    }
    *out = r;
    return 0;
}

void txs_pay_reader_free(txs_pay_reader *r)
{
    if (r == NULL) return;
    txs__mt_free(r->mt);
    txs__mx_free(r->mx);
    txs__mx_xsd_free(r->xsd);
    free(r->buf);
    free(r);
}

int txs_pay_reader_validate_xsd(txs_pay_reader *r, const char *dir, txs_diag *d)
{
    txs_mx_xsd *s = NULL;
    TXS_TRY(txs__mx_xsd_load(dir, &s, d));
    txs__mx_xsd_free(r->xsd);
    r->xsd = s;
    txs__mx_set_xsd(r->mx, s);
    return 0;
}

void txs_pay_reader_counts(const txs_pay_reader *r, txs_pay_counts *out)
{
    *out = r->counts;
}

/* The family of a file from its first bytes (after a BOM and blanks);
 * -1 while every byte so far is blank (read more: the decision must not
 * depend on how the bytes were chunked). */
static int sniff(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i == n || (n < 3 && (unsigned char)p[0] == 0xEF)) return -1;
    if (p[i] == '<') return TXS_PAY_MX;
    if (p[i] == '{' || p[i] == '$') return TXS_PAY_MT;
    return TXS_PAY_AUTO;
}

typedef ssize_t (*fill_fn)(void *src, char *buf, size_t cap);

/* One file's bytes through the reader its first chunk chooses. */
static int read_stream(txs_pay_reader *r, const txs_pay_ctx *c, fill_fn fill, void *src)
{
    size_t have = 0;
    txs_pay_format fmt = r->fmt;
    int started = 0;
    for (;;) {
        ssize_t k = fill(src, r->buf + have, r->cap - have);
        if (k < 0) return (int)k;
        have += (size_t)k;
        int last = k == 0;
        if (!started) {
            if (fmt == TXS_PAY_AUTO) {
                int f = sniff(r->buf, have);
                if (f < 0 && !last) continue;
                fmt = f < 0 ? TXS_PAY_AUTO : (txs_pay_format)f;
            }
            if (fmt == TXS_PAY_AUTO) {
                if (sniff(r->buf, have) < 0) return 0;   /* empty or blank: no message */
                r->counts.messages++;
                r->counts.rejected++;
                return txs__pay_reject(c, 1, 1, "",
                                       "neither ISO 20022 XML ('<') nor SWIFT FIN ('{' or '$')");
            }
            started = 1;
            if (fmt == TXS_PAY_MX) TXS_TRY(txs__mx_begin(r->mx, c));
            else txs__mt_begin(r->mt, c);
        }
        if (fmt == TXS_PAY_MX) {
            /* libxml2's push parser can report a not-well-formed file at
             * another line when its bytes come in other pieces: it is fed
             * the stream in fixed blocks, whatever the source's reads. */
            while (have >= TXS_READ_CHUNK) {
                TXS_TRY(txs__mx_feed(r->mx, r->buf, TXS_READ_CHUNK, 0));
                memmove(r->buf, r->buf + TXS_READ_CHUNK, have - TXS_READ_CHUNK);
                have -= TXS_READ_CHUNK;
            }
            if (last) {
                TXS_TRY(txs__mx_feed(r->mx, r->buf, have, 1));
                have = 0;
            }
        } else {
            long used = txs__mt_feed(r->mt, r->buf, have, last);
            if (used < 0) return (int)used;
            memmove(r->buf, r->buf + used, have - (size_t)used);
            have -= (size_t)used;
        }
        if (last) return 0;
    }
}

static ssize_t fill_source(void *src, char *buf, size_t cap)
{
    size_t want = cap < TXS_READ_CHUNK ? cap : TXS_READ_CHUNK;
    return txs_source_read(src, buf, want);
}

typedef struct mem_src {
    const char *p;
    size_t n, at;
} mem_src;

static ssize_t fill_mem(void *src, char *buf, size_t cap)
{
    mem_src *m = src;
    size_t k = m->n - m->at < cap ? m->n - m->at : cap;
    if (k > TXS_READ_CHUNK) k = TXS_READ_CHUNK;
    memcpy(buf, m->p + m->at, k);
    m->at += k;
    return (ssize_t)k;
}

typedef struct fn_src {
    ssize_t (*fn)(void *, void *, size_t);
    void *ctx;
} fn_src;

static ssize_t fill_user(void *src, char *buf, size_t cap)
{
    fn_src *f = src;
    size_t want = cap < TXS_READ_CHUNK ? cap : TXS_READ_CHUNK;
    ssize_t k = f->fn(f->ctx, buf, want);
    return k < 0 ? TXS_E_IO : k;
}

int txs_pay_read_fn(txs_pay_reader *r, const char *name, ssize_t (*fn)(void *, void *, size_t),
                    void *ctx, const txs_pay_sink *sink, txs_diag *d)
{
    txs_pay_ctx c = {name, 0, sink, &r->counts};
    fn_src f = {fn, ctx};
    r->counts.files++;
    int rc = read_stream(r, &c, fill_user, &f);
    if (rc < 0 && rc != TXS_E_NOMEM) txs_diag_set(d, rc, name, 0, "%s", txs_strerror(rc));
    return rc;
}

int txs_pay_read_mem(txs_pay_reader *r, const char *name, const char *p, size_t n,
                     const txs_pay_sink *sink, txs_diag *d)
{
    txs_pay_ctx c = {name, 0, sink, &r->counts};
    mem_src m = {p, n, 0};
    r->counts.files++;
    int rc = read_stream(r, &c, fill_mem, &m);
    if (rc < 0 && rc != TXS_E_NOMEM) txs_diag_set(d, rc, name, 0, "%s", txs_strerror(rc));
    return rc;
}

int txs_pay_read_source(txs_pay_reader *r, txs_source *s, const char *name,
                        uint32_t file_index, const txs_pay_sink *sink, txs_diag *d)
{
    txs_pay_ctx c = {name, file_index, sink, &r->counts};
    r->counts.files++;
    int rc = read_stream(r, &c, fill_source, s);
    if (rc == TXS_E_IO || rc == TXS_E_DECOMPRESS)
        txs_diag_set(d, rc, name, 0, "%s", txs_source_error(s));
    return rc;
}

static int read_file(txs_pay_reader *r, const char *path, uint32_t file_index,
                     const txs_pay_sink *sink, txs_diag *d)
{
    txs_source *s = NULL;
    TXS_TRY(txs_source_open_path(path, &s, d));
    int rc = txs_pay_read_source(r, s, path, file_index, sink, d);
    txs_source_free(s);
    return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dot(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

int txs_pay_read_path(txs_pay_reader *r, const char *path, uint32_t file_index,
                      const txs_pay_sink *sink, txs_diag *d)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return read_file(r, path, file_index, sink, d);
    struct dirent **list = NULL;
    int n = scandir(path, &list, skip_dot, by_name);
    if (n < 0)
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot list the directory: %s",
                            strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(list[i]->d_name) + 2;
        char *child = rc < 0 ? NULL : malloc(len);
        if (child) {
            int slash = len > 2 && path[strlen(path) - 1] == '/';
            snprintf(child, len, "%s%s%s", path, slash ? "" : "/", list[i]->d_name);
            rc = txs_pay_read_path(r, child, file_index, sink, d);
        } else if (rc == 0) {
            rc = TXS_E_NOMEM;
        }
        free(child);
        free(list[i]);
    }
    free(list);
    return rc;
}
