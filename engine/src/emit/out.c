/*
 * out.c: atomic output files (emit.h).  A named output is written to
 * "<dir>/.<name>.tmp.XXXXXX" (mkstemp, same directory so rename is atomic
 * on one file system), fsync'd and renamed over the target on commit.  Abort
 * unlinks the temporary, so failures leave no partial file behind.
 *
 * A path that exists and is not a regular file (/dev/null, a FIFO, a
 * terminal) is written in place: renaming over it would replace the device
 * with a file, and atomicity means nothing for a stream anyway.
 *
 * Bytes that already lie in another file (txs_out_copy: the account records
 * `rescreen` keeps as they were) are copied by the kernel, copy_file_range,
 * without passing through this process: on the 268 MB look-back bench state
 * that costs a third of what writing them does.  The temporary is fsync'd
 * before the rename either way, so what is durable when is unchanged.
 *
 * A large write (a list snapshot) skips the buffer for its whole 2 MiB
 * units, so the page cache keeps the file in 2 MiB folios (txs_out_write).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include "txs/emit.h"

/* glibc (2.27 on) declares it only under _GNU_SOURCE, which a file cannot
 * count on: the sanitizer build force-includes tests/alloc/hook.h, and its
 * <stdlib.h> fixes the feature macros before this file is read.  The same
 * prototype as glibc's. */
ssize_t copy_file_range(int infd, __off64_t *pinoff, int outfd, __off64_t *poutoff,
                        size_t length, unsigned int flags);

#define OUT_BUF (1u << 20)
#define DIRECT_UNIT ((size_t)2 << 20)

struct txs_out {
    int fd;
    int is_stdout;
    int in_place;     /* a device or FIFO: written directly, never renamed */
    char *path;
    char *tmp;
    size_t n;
    uint64_t bytes;            /* everything written, for txs_out_digest */
    XXH3_state_t *xs;
    char buf[OUT_BUF];
};

int txs_out_mktemp(const char *target, char *tmp, size_t cap)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = slash ? slash + 1 : target;
    if ((size_t)snprintf(tmp, cap, "%.*s.%s.tmp.XXXXXX", (int)dirlen, target, base) >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkstemp(tmp);
}

int txs_out_open(const char *path, txs_out **out, txs_diag *d)
{
    *out = NULL;
    txs_out *o = calloc(1, sizeof *o);
    if (o == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    o->fd = -1;
    o->path = strdup(path);
    if (o->path == NULL) {
        free(o);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    if (strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        o->is_stdout = 1;
        *out = o;
        return TXS_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (o->fd < 0) {
            int e = errno;
            txs_out_abort(o);
            return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot open output: %s",
                                strerror(e));
        }
        o->in_place = 1;
        *out = o;
        return TXS_OK;
    }
    size_t len = strlen(path) + sizeof "/..tmp.XXXXXX";
    o->tmp = malloc(len);
    if (o->tmp == NULL) {
        txs_out_abort(o);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    o->fd = txs_out_mktemp(path, o->tmp, len);
    if (o->fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        txs_out_abort(o);
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot create output: %s",
                            strerror(e));
    }
    /* mkstemp makes the file 0600; outputs are ordinary files. */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(o->fd, 0666 & ~um);
    *out = o;
    return TXS_OK;
}

/* n bytes from p into the digest (the bytes the file will hold). */
static int digest(txs_out *o, const char *p, size_t n, txs_diag *d)
{
    if (n == 0) return TXS_OK;
    if (o->xs == NULL && (o->xs = XXH3_createState()) != NULL) XXH3_64bits_reset(o->xs);
    if (o->xs == NULL) return txs_diag_set(d, TXS_E_NOMEM, o->path, 0, "out of memory");
    XXH3_64bits_update_dispatch(o->xs, p, n);
    o->bytes += n;
    return TXS_OK;
}

/* n bytes from p into the file. */
static int write_fd(txs_out *o, const char *p, size_t n, txs_diag *d)
{
    size_t off = 0;
    while (off < n) {
        ssize_t k = write(o->fd, p + off, n - off);
        if (k < 0) {
            if (errno == EINTR) continue;
            return txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "write failed: %s",
                                strerror(errno));
        }
        off += (size_t)k;
    }
    return TXS_OK;
}

static int put(txs_out *o, const char *p, size_t n, txs_diag *d)
{
    TXS_TRY(digest(o, p, n, d));
    return write_fd(o, p, n, d);
}

static int flush(txs_out *o, txs_diag *d)
{
    TXS_TRY(put(o, o->buf, o->n, d));
    o->n = 0;
    return TXS_OK;
}

int txs_out_write(txs_out *o, const void *p, size_t n, txs_diag *d)
{
    const char *s = p;
    /* Whole 2 MiB units of a large write (a list snapshot) go to the file
     * from the caller's bytes: no copy through buf, and written whole at
     * 2 MiB-aligned offsets they sit in the page cache as 2 MiB folios,
     * which a later mmap of the file maps with one entry each instead of
     * 512 (the 1 M-name snapshot's checksum pass at load: about 200 ms
     * with 4 KiB pages on the benchmark VM, 30 ms with 2 MiB ones). */
    if (o->n == 0 && n >= DIRECT_UNIT && o->bytes % DIRECT_UNIT == 0) {
        size_t k = n - n % DIRECT_UNIT;
        TXS_TRY(put(o, s, k, d));
        s += k;
        n -= k;
    }
    while (n > 0) {
        if (o->n == OUT_BUF) TXS_TRY(flush(o, d));
        size_t k = OUT_BUF - o->n;
        if (k > n) k = n;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        n -= k;
    }
    return TXS_OK;
}

/* Whether a failed copy_file_range only means the kernel cannot copy
 * between these two files (another file system, a device, a kernel before
 * 4.5): the bytes are then written the ordinary way. */
static int cannot_copy(int e)
{
    return e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP || e == EBADF ||
           e == ETXTBSY || e == EPERM;
}

int txs_out_copy(txs_out *o, const void *p, size_t n, int fd, uint64_t off, txs_diag *d)
{
    if (fd < 0 || o->is_stdout || o->in_place || n == 0) return txs_out_write(o, p, n, d);
    TXS_TRY(flush(o, d)); /* the buffered bytes go first */
    TXS_TRY(digest(o, p, n, d));
    __off64_t at = (__off64_t)off;
    size_t done = 0;
    while (done < n) {
        ssize_t k = copy_file_range(fd, &at, o->fd, NULL, n - done, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && !cannot_copy(errno))
            return txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "write failed: %s",
                                strerror(errno));
        if (k <= 0) break; /* cannot copy, or the source ends early: write */
        done += (size_t)k;
    }
    /* The rest from p, unbuffered and not hashed again. */
    return write_fd(o, (const char *)p + done, n - done, d);
}

/* Flush, then (a renamed output) fsync and close, keeping the temporary. */
static int finish(txs_out *o, txs_diag *d)
{
    int rc = flush(o, d);
    if (rc == TXS_OK && o->in_place) {
        if (close(o->fd) != 0 && errno != EINTR)
            rc = txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "close failed: %s", strerror(errno));
        o->fd = -1;
    } else if (rc == TXS_OK && !o->is_stdout && o->fd >= 0) {
        if (fsync(o->fd) != 0 && errno != EINVAL)
            rc = txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "fsync failed: %s",
                              strerror(errno));
        if (close(o->fd) != 0 && rc == TXS_OK)
            rc = txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "close failed: %s",
                              strerror(errno));
        o->fd = -1;
    }
    return rc;
}

int txs_out_finish(txs_out *o, txs_diag *d)
{
    return finish(o, d);
}

int txs_out_digest(txs_out *o, uint64_t *bytes, uint64_t *xxh3, txs_diag *d)
{
    TXS_TRY(flush(o, d));
    *bytes = o->bytes;
    *xxh3 = o->xs ? XXH3_64bits_digest(o->xs) : XXH3_64bits(NULL, 0);
    return TXS_OK;
}

const char *txs_out_tmp_path(const txs_out *o)
{
    return o->tmp;
}

void txs_out_forget(txs_out *o)
{
    free(o->tmp);
    o->tmp = NULL;
    txs_out_abort(o);
}

int txs_out_commit(txs_out *o, txs_diag *d)
{
    int rc = finish(o, d);
    if (rc == TXS_OK && o->tmp) {
        if (rename(o->tmp, o->path) != 0)
            rc = txs_diag_set(d, TXS_E_OUTPUT, o->path, 0, "rename failed: %s",
                              strerror(errno));
        if (rc == TXS_OK) {
            free(o->tmp);
            o->tmp = NULL;
        }
    }
    txs_out_abort(o);
    return rc;
}

void txs_out_abort(txs_out *o)
{
    if (o == NULL) return;
    if (!o->is_stdout && o->fd >= 0) close(o->fd);
    if (o->tmp) unlink(o->tmp);
    XXH3_freeState(o->xs);
    free(o->tmp);
    free(o->path);
    free(o);
}

const char *txs_out_path(const txs_out *o)
{
    return o->path;
}
