/*
 * source.c: txs_source, the byte producer at the head of the pipeline.  Raw
 * bytes come from a file descriptor (read(2) in TXS_READ_CHUNK calls, EINTR
 * retried) or a caller's read function.  The first raw bytes decide the
 * encoding: gzip (1f 8b) and zstd (28 b5 2f fd) are decompressed as they
 * stream, anything else passes through.
 *
 *   fd / read fn --raw--> [xxh3, raw count] --> in[] --inflate/zstd--> caller
 *                                     (plain: the caller's buffer directly)
 *
 * Invariants: the hash and count cover every raw byte read, compressed or
 * not, so the manifest can name the exact file that was screened.  A
 * compressed stream that stops inside a gzip member or zstd frame is an
 * error at end of input (TXS_E_DECOMPRESS), never a silent short read.
 * Errors are sticky: once a read failed, later reads return the same status,
 * and txs_source_error() has the text (errno is captured here, at the I/O
 * boundary).  Multi-member gzip and multi-frame zstd read as one stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>
#include <zlib.h>

#include "input_int.h"
#include <zstd.h>

#include "txs/bigmem.h"
#include "txs/input.h"

/* glibc hides F_SETPIPE_SZ behind _GNU_SOURCE; the value is the kernel ABI. */
#if defined(__linux__) && !defined(F_SETPIPE_SZ)
#define F_SETPIPE_SZ 1031
#endif

enum { ENC_UNKNOWN, ENC_PLAIN, ENC_GZIP, ENC_ZSTD };

struct txs_source {
    int fd;              /* -1 for a read-function source */
    int own_fd;          /* close fd on free (not stdin) */
    txs_read_fn fn;
    void *ctx;
    char *name;
    int enc;
    int status;          /* sticky: 0 or the first error */
    int raw_eof;
    int pending;         /* the decoder may hold output it could not flush */
    int member_done;     /* gzip: a member ended and no byte of the next was fed */
    size_t zhint;        /* zstd: last return of ZSTD_decompressStream, 0 = frame done */
    unsigned char *in;   /* raw bytes awaiting the decoder (or the plain reader) */
    size_t in_pos, in_len;
    z_stream z;
    int z_live;
    ZSTD_DCtx *zd;
    /* Written by the reading thread only; a relaxed atomic so that a
     * progress display may read it from another thread (one store a
     * read(2) call of up to TXS_READ_CHUNK bytes: no cost). */
    _Atomic uint64_t raw_bytes;
    XXH3_state_t *xxh; /* updated through libxxhash's CPU dispatch (AVX2 where there is) */
    char err[512];
};

/* errno text without the thread-unsafe strerror(). */
static const char *errtext(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0) snprintf(buf, n, "error %d", e);
    return buf;
}

/* Record the first error and return its status. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(txs_source *s, int status, const char *fmt, ...)
{
    if (s->status < 0) return s->status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->status = status;
    return status;
}

static txs_source *source_new(const char *name)
{
    txs_source *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->fd = -1;
    s->name = strdup(name ? name : "");
    s->xxh = XXH3_createState();
    if (s->name == NULL || s->xxh == NULL) {
        txs_source_free(s);
        return NULL;
    }
    XXH3_64bits_reset(s->xxh);
    return s;
}

/* Grow a pipe on stdin to 1 MiB so a fast producer is read in big chunks.
 * Best effort: an unprivileged process may be refused, which is fine. */
static void grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
        (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
    (void)fd;
#endif
}

int txs_source_open_path(const char *path, txs_source **out, txs_diag *d)
{
    char eb[128];
    if (out) *out = NULL;
    if (path == NULL || out == NULL)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "no input path");
    int stdin_ = strcmp(path, "-") == 0;
    int fd = stdin_ ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return txs_diag_set(d, e == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, path, 0,
                            "cannot open %s: %s", path, errtext(e, eb, sizeof eb));
    }
    struct stat st;
    if (!stdin_ && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot read %s: %s", path,
                            errtext(EISDIR, eb, sizeof eb));
    }
    if (stdin_) grow_pipe(fd);
#ifdef POSIX_FADV_SEQUENTIAL
    else (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    txs_source *s = source_new(stdin_ ? "<stdin>" : path);
    if (s == NULL) {
        if (!stdin_) close(fd);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    s->fd = fd;
    s->own_fd = !stdin_;
    *out = s;
    return TXS_OK;
}

int txs_source_open_fn(txs_read_fn fn, void *ctx, const char *name,
                       txs_source **out)
{
    if (out) *out = NULL;
    if (fn == NULL || out == NULL) return TXS_E_ARG;
    txs_source *s = source_new(name);
    if (s == NULL) return TXS_E_NOMEM;
    s->fn = fn;
    s->ctx = ctx;
    *out = s;
    return TXS_OK;
}

/* One raw read of at most TXS_READ_CHUNK bytes; hashes and counts them.
 * Returns the count, 0 at end (sets raw_eof), or a negative status. */
static ssize_t raw_read(txs_source *s, void *buf, size_t cap)
{
    char eb[128];
    ssize_t n;
    if (cap > TXS_READ_CHUNK) cap = TXS_READ_CHUNK;
    do {
        errno = 0;
        n = s->fn ? s->fn(s->ctx, buf, cap) : read(s->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        int e = errno ? errno : EIO;
        return fail(s, TXS_E_IO, "%s: read error: %s", s->name, errtext(e, eb, sizeof eb));
    }
    if ((size_t)n > cap)
        return fail(s, TXS_E_IO, "%s: read function returned more than asked", s->name);
    if (n == 0) {
        s->raw_eof = 1;
        return 0;
    }
    atomic_store_explicit(&s->raw_bytes,
                          atomic_load_explicit(&s->raw_bytes, memory_order_relaxed) + (uint64_t)n,
                          memory_order_relaxed);
    XXH3_64bits_update_dispatch(s->xxh, buf, (size_t)n);
    return n;
}

/* Refill in[] when the decoder has consumed it.  Returns <0 on error. */
static int refill_in(txs_source *s)
{
    ssize_t n = raw_read(s, s->in, TXS_READ_CHUNK);
    if (n < 0) return (int)n;
    s->in_pos = 0;
    s->in_len = (size_t)n;
    return 0;
}

/* Read until 4 bytes are in or the input ends, then look at the magic. */
static int detect(txs_source *s)
{
    s->in = txs_big_calloc(TXS_READ_CHUNK, 1);
    if (s->in == NULL) return fail(s, TXS_E_NOMEM, "%s: out of memory", s->name);
    while (s->in_len < 4 && !s->raw_eof) {
        ssize_t n = raw_read(s, s->in + s->in_len, TXS_READ_CHUNK - s->in_len);
        if (n < 0) return (int)n;
        s->in_len += (size_t)n;
    }
    unsigned char m[4] = {0};
    memcpy(m, s->in, s->in_len < 4 ? s->in_len : 4);
    s->enc = ENC_PLAIN;
    if (s->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        if (inflateInit2(&s->z, 15 + 32) != Z_OK)
            return fail(s, TXS_E_NOMEM, "%s: cannot start gzip decoder", s->name);
        s->z_live = 1;
        s->enc = ENC_GZIP;
    } else if (s->in_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        s->zd = ZSTD_createDCtx();
        if (s->zd == NULL)
            return fail(s, TXS_E_NOMEM, "%s: cannot start zstd decoder", s->name);
        s->zhint = 1;
        s->enc = ENC_ZSTD;
    }
    return 0;
}

static ssize_t plain_read(txs_source *s, char *buf, size_t cap)
{
    if (s->in_pos < s->in_len) {
        size_t n = s->in_len - s->in_pos;
        if (n > cap) n = cap;
        memcpy(buf, s->in + s->in_pos, n);
        s->in_pos += n;
        return (ssize_t)n;
    }
    if (s->in) { /* detection bytes drained: read straight into buf now */
        txs_big_free(s->in);
        s->in = NULL;
    }
    if (s->raw_eof) return 0;
    return raw_read(s, buf, cap);
}

/* Inflate into buf until some output appears or the input ends.  A member
 * end followed by more input starts the next member (multi-member gzip). */
static ssize_t gzip_read(txs_source *s, char *buf, size_t cap)
{
    if (cap > 1u << 30) cap = 1u << 30;
    s->z.next_out = (Bytef *)buf;
    s->z.avail_out = (uInt)cap;
    while (s->z.avail_out == cap) {
        if (s->in_pos == s->in_len && !s->pending) {
            if (s->raw_eof) break;
            if (refill_in(s) < 0) return s->status;
            continue;
        }
        if (s->member_done && s->in_pos < s->in_len) {
            inflateReset(&s->z);
            s->member_done = 0;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        s->pending = s->z.avail_out == 0;
        if (rc == Z_STREAM_END) s->member_done = 1;
        else if (rc == Z_BUF_ERROR) s->pending = 0;
        else if (rc != Z_OK)
            return fail(s, TXS_E_DECOMPRESS, "%s: corrupt gzip data: %s", s->name,
                        s->z.msg ? s->z.msg : "inflate failed");
    }
    size_t got = cap - s->z.avail_out;
    if (got == 0 && !s->member_done)
        return fail(s, TXS_E_DECOMPRESS,
                    "%s: truncated gzip stream (input ended inside a member)", s->name);
    return (ssize_t)got;
}

/* zstd decodes frame after frame; 0 from ZSTD_decompressStream means the
 * current frame is complete and flushed. */
static ssize_t zstd_read(txs_source *s, char *buf, size_t cap)
{
    ZSTD_outBuffer o = {buf, cap, 0};
    while (o.pos == 0) {
        if (s->in_pos == s->in_len && !s->pending) {
            if (s->raw_eof) break;
            if (refill_in(s) < 0) return s->status;
            continue;
        }
        ZSTD_inBuffer i = {s->in, s->in_len, s->in_pos};
        size_t rc = ZSTD_decompressStream(s->zd, &o, &i);
        s->in_pos = i.pos;
        if (ZSTD_isError(rc))
            return fail(s, TXS_E_DECOMPRESS, "%s: corrupt zstd data: %s", s->name,
                        ZSTD_getErrorName(rc));
        s->zhint = rc;
        s->pending = o.pos == o.size;
    }
    if (o.pos == 0 && s->zhint != 0)
        return fail(s, TXS_E_DECOMPRESS,
                    "%s: truncated zstd stream (input ended inside a frame)", s->name);
    return (ssize_t)o.pos;
}

ssize_t txs_source_read(txs_source *s, void *buf, size_t cap)
{
    if (s == NULL || buf == NULL) return TXS_E_ARG;
    if (s->status < 0) return s->status;
    if (cap == 0) return 0;
    if (s->enc == ENC_UNKNOWN && detect(s) < 0) return s->status;
    switch (s->enc) {
    case ENC_GZIP: return gzip_read(s, buf, cap);
    case ENC_ZSTD: return zstd_read(s, buf, cap);
    default: return plain_read(s, buf, cap);
    }
}

const char *txs_source_name(const txs_source *s)
{
    return s ? s->name : "";
}

const char *txs_source_encoding(const txs_source *s)
{
    static const char *const names[] = {"plain", "plain", "gzip", "zstd"};
    return s ? names[s->enc] : "plain";
}

uint64_t txs_source_raw_bytes(const txs_source *s)
{
    return s ? atomic_load_explicit(&s->raw_bytes, memory_order_relaxed) : 0;
}

uint64_t txs_source_raw_hash(const txs_source *s)
{
    if (s == NULL) return 0;
    return XXH3_64bits_digest(s->xxh);
}

const char *txs_source_error(const txs_source *s)
{
    return s ? s->err : "";
}

void txs_source_free(txs_source *s)
{
    if (s == NULL) return;
    if (s->own_fd && s->fd >= 0) close(s->fd);
    if (s->z_live) inflateEnd(&s->z);
    ZSTD_freeDCtx(s->zd);
    XXH3_freeState(s->xxh);
    txs_big_free(s->in);
    free(s->name);
    free(s);
}

