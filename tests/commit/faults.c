/*
 * faults.c: an LD_PRELOAD library that makes one I/O call fail, for the
 * commit tests (tests/commit/run.sh, issue 14 item 5).
 *
 * TXS_FAULT_OP names the call (write, fsync, rename, link, close, copy:
 * copy_file_range) and TXS_FAULT_N which one fails, counting from 1 over
 * the calls of that kind the process makes on files (writes and closes on
 * descriptors above 2; every fsync, rename, link and copy).
 * TXS_FAULT_ERRNO is the error (ENOSPC, EIO, EXDEV; default EIO);
 * TXS_FAULT_ERRNO=short makes the chosen write or copy move half its bytes
 * instead, which a correct writer must retry.  With
 * TXS_FAULT_COUNT=FILE the library appends "op count" lines at exit, so
 * the test learns how many points a run has and injects each in turn.
 * The engine is not changed for this: it sees the failures a full disk or
 * a bad sector would give it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_LINK, F_CLOSE, F_COPY, F_N };
static const char *const names[F_N] = {"write", "fsync", "rename", "link", "close", "copy"};
static unsigned long counts[F_N];
static int target = -1, err = EIO, short_write;
static unsigned long nth;

__attribute__((constructor)) static void setup(void)
{
    const char *op = getenv("TXS_FAULT_OP"), *n = getenv("TXS_FAULT_N"), *e = getenv("TXS_FAULT_ERRNO");
    for (int i = 0; op && i < F_N; i++)
        if (strcmp(op, names[i]) == 0) target = i;
    nth = n ? strtoul(n, NULL, 10) : 0;
    if (e && strcmp(e, "ENOSPC") == 0) err = ENOSPC;
    if (e && strcmp(e, "EXDEV") == 0) err = EXDEV;
    if (e && strcmp(e, "short") == 0) short_write = 1;
}

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("TXS_FAULT_COUNT");
    FILE *fp = f ? fopen(f, "a") : NULL;
    if (fp == NULL) return;
    for (int i = 0; i < F_N; i++) fprintf(fp, "%s %lu\n", names[i], counts[i]);
    fclose(fp);
}

/* 1 when this call is the one to fail. */
static int hit(int op)
{
    return ++counts[op] == nth && op == target;
}

ssize_t write(int fd, const void *p, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (real == NULL) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (fd > 2 && hit(F_WRITE)) {
        if (short_write && n > 1) return real(fd, p, n / 2);
        errno = err;
        return -1;
    }
    return real(fd, p, n);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    if (hit(F_FSYNC)) return errno = err, -1;
    return real(fd);
}

int rename(const char *a, const char *b)
{
    static int (*real)(const char *, const char *);
    if (real == NULL) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (hit(F_RENAME)) return errno = err, -1;
    return real(a, b);
}

int link(const char *a, const char *b)
{
    static int (*real)(const char *, const char *);
    if (real == NULL) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link");
    if (hit(F_LINK)) return errno = err, -1;
    return real(a, b);
}

int close(int fd)
{
    static int (*real)(int);
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "close");
    if (fd > 2 && hit(F_CLOSE)) {
        real(fd);
        return errno = err, -1;
    }
    return real(fd);
}

ssize_t copy_file_range(int in, loff_t *in_off, int out, loff_t *out_off, size_t n,
                        unsigned flags)
{
    static ssize_t (*real)(int, loff_t *, int, loff_t *, size_t, unsigned);
    if (real == NULL)
        real = (ssize_t (*)(int, loff_t *, int, loff_t *, size_t, unsigned))dlsym(RTLD_NEXT,
                                                                             "copy_file_range");
    if (hit(F_COPY)) {
        if (short_write && n > 1) return real(in, in_off, out, out_off, n / 2, flags);
        errno = err;
        return -1;
    }
    return real(in, in_off, out, out_off, n, flags);
}
