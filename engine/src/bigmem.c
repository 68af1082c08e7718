/*
 * bigmem.c: large zeroed tables on huge pages (bigmem.h).  Right in front
 * of each table is a header saying how it was made, so freeing needs only
 * the pointer:
 *
 *   [... header: raw, map_len | table (64-byte aligned) ....... | tail]
 *
 *   under 64 KiB      a heap block (calloc), map_len 0
 *   64 KiB - 1 MiB    a mapping of whole 4 KiB pages (as calloc would)
 *   1 MiB and more    a mapping of whole 2 MiB pages, 2 MiB-aligned,
 *                     advised MADV_HUGEPAGE
 *
 * A mapping (txs_map_aligned, also the list snapshot's) is reserved
 * longer than needed and trimmed to an aligned start, because mmap aligns
 * to 4 KiB only.  Anonymous mappings
 * are zero, so nothing is written to them until the table is used: a
 * table larger than a run needs costs address space, not memory.  Under
 * AddressSanitizer every table is a heap block, whose overflows it sees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "txs/bigmem.h"

#define PAGE ((size_t)4096)
#define HUGE_PAGE ((size_t)2 << 20)
#define ALIGN ((size_t)64)

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_ONLY 1
#endif
#endif
#ifdef HEAP_ONLY
#define MAP_FROM SIZE_MAX
#else
#define MAP_FROM ((size_t)64 << 10)   /* below: the heap */
#endif
#define HUGE_FROM ((size_t)1 << 20)   /* from here: huge pages */

typedef struct head {
    void *raw;        /* what calloc or mmap returned */
    size_t map_len;   /* the mapping's length; 0 for a heap block */
} head;

_Static_assert(sizeof(head) <= ALIGN, "the header fits in the table's alignment");

void *txs_map_aligned(int fd, size_t n, size_t align)
{
    size_t len = (n + PAGE - 1) / PAGE * PAGE, room = len + align - PAGE;
    unsigned char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) return MAP_FAILED;
    unsigned char *a = (unsigned char *)(((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1));
    void *m = fd < 0 ? mmap(a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                            -1, 0)
                     : mmap(a, n, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (m == MAP_FAILED) {
        munmap(r, room);
        return MAP_FAILED;
    }
    size_t lead = (size_t)(a - r), tail = room - lead - len;
    if (lead) munmap(r, lead);
    if (tail) munmap(a + len, tail);
    return m;
}

void *txs_big_calloc(size_t n, size_t sz)
{
    if (sz && n > (SIZE_MAX - HUGE_PAGE - ALIGN) / sz) return NULL;
    size_t bytes = n * sz + ALIGN;   /* the header's room in front */
    unsigned char *raw, *t;
    size_t len = 0;
    if (bytes < MAP_FROM) {
        if ((raw = calloc(1, bytes + ALIGN)) == NULL) return NULL;
        t = (unsigned char *)(((uintptr_t)raw + sizeof(head) + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1));
    } else {
        int huge = bytes >= HUGE_FROM;
        size_t unit = huge ? HUGE_PAGE : PAGE;
        len = (bytes + unit - 1) / unit * unit;
        if ((raw = txs_map_aligned(-1, len, unit)) == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
        if (huge) (void)madvise(raw, len, MADV_HUGEPAGE);
#endif
        t = raw + ALIGN;
    }
    head *h = (head *)t - 1;
    h->raw = raw;
    h->map_len = len;
    return t;
}

void txs_big_free(void *p)
{
    if (p == NULL) return;
    const head *h = (const head *)p - 1;
    if (h->map_len) munmap(h->raw, h->map_len);
    else free(h->raw);
}
