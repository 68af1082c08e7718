/*
 * hook.c: the allocator behind tests/alloc/hook.h.
 *
 * TXS_ALLOC_FAIL=N makes the Nth allocation (counting from 1 over every
 * call through the hook, in the order the process makes them) return
 * NULL, once; all others succeed.  TXS_ALLOC_SITES=FILE appends, at exit,
 * one line per allocation that is the first at its source line:
 * "INDEX FILE:LINE", so the test can fail each allocation site once
 * instead of every one of a run's thousands of calls.  With --threads 1 a
 * run's allocation order is fixed, so an index names the same call in
 * every run of the same command.
 *
 * This file is compiled without the hook's macros, so the calls below are
 * the C library's.
 */
#define _POSIX_C_SOURCE 200809L
#define TXS_ALLOC_HOOK_IMPL
#include "hook.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong calls;
static unsigned long fail_at;
static FILE *sites_out;

/* First-seen source lines: a small open-addressed set of (file, line). */
enum { SITE_CAP = 8192 };
static struct { const char *file; int line; } seen[SITE_CAP];

__attribute__((constructor)) static void setup(void)
{
    const char *n = getenv("TXS_ALLOC_FAIL"), *f = getenv("TXS_ALLOC_SITES");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    if (f) sites_out = fopen(f, "a");
}

static void note_site(unsigned long idx, const char *file, int line)
{
    size_t h = ((size_t)(uintptr_t)file * 31u + (size_t)line) % SITE_CAP;
    for (size_t k = 0; k < SITE_CAP; k++, h = (h + 1) % SITE_CAP) {
        if (seen[h].file == NULL) {
            seen[h].file = file;
            seen[h].line = line;
            fprintf(sites_out, "%lu %s:%d\n", idx, file, line);
            return;
        }
        if (seen[h].line == line && strcmp(seen[h].file, file) == 0) return;
    }
}

/* 1 when this call is the one to fail. */
static int take(const char *file, int line)
{
    unsigned long i = atomic_fetch_add(&calls, 1) + 1;
    if (sites_out) note_site(i, file, line);
    return i == fail_at;
}

void *txs__fault_malloc(size_t n, const char *file, int line)
{
    return take(file, line) ? NULL : malloc(n);
}

void *txs__fault_calloc(size_t k, size_t n, const char *file, int line)
{
    return take(file, line) ? NULL : calloc(k, n);
}

void *txs__fault_realloc(void *p, size_t n, const char *file, int line)
{
    return take(file, line) ? NULL : realloc(p, n);
}

char *txs__fault_strdup(const char *s, const char *file, int line)
{
    return take(file, line) ? NULL : strdup(s);
}

char *txs__fault_strndup(const char *s, size_t n, const char *file, int line)
{
    return take(file, line) ? NULL : strndup(s, n);
}

void *txs__fault_aligned_alloc(size_t a, size_t n, const char *file, int line)
{
    return take(file, line) ? NULL : aligned_alloc(a, n);
}
