/*
 * hook.h: the test-only allocator hook (issue 14 item 5), force-included
 * into every engine and CLI source when TXS_ALLOC_FAULTS is on (the
 * sanitizer build turns it on; release builds never see it).
 *
 * Every malloc, calloc, realloc, strdup, strndup and aligned_alloc of the
 * engine goes through tests/alloc/hook.c, which can make the Nth one fail
 * as an exhausted heap would (SQLite's approach: fail each allocation in
 * turn and check that the program says so and cleans up).  The sources
 * are not changed: the macros below rename the calls.  The system headers
 * are included first so their declarations keep the real names.
 */
#ifndef TXS_ALLOC_HOOK_H
#define TXS_ALLOC_HOOK_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void *txs__fault_malloc(size_t n, const char *file, int line);
void *txs__fault_calloc(size_t k, size_t n, const char *file, int line);
void *txs__fault_realloc(void *p, size_t n, const char *file, int line);
char *txs__fault_strdup(const char *s, const char *file, int line);
char *txs__fault_strndup(const char *s, size_t n, const char *file, int line);
void *txs__fault_aligned_alloc(size_t a, size_t n, const char *file, int line);

#ifndef TXS_ALLOC_HOOK_IMPL /* hook.c calls the real ones */
#define malloc(n) txs__fault_malloc((n), __FILE__, __LINE__)
#define calloc(k, n) txs__fault_calloc((k), (n), __FILE__, __LINE__)
#define realloc(p, n) txs__fault_realloc((p), (n), __FILE__, __LINE__)
#define strdup(s) txs__fault_strdup((s), __FILE__, __LINE__)
#define strndup(s, n) txs__fault_strndup((s), (n), __FILE__, __LINE__)
#define aligned_alloc(a, n) txs__fault_aligned_alloc((a), (n), __FILE__, __LINE__)
#endif

#endif
