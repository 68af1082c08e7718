/*
 * bigmem.h: zeroed tables that may be large (the index's per-name arrays,
 * the name cache, the typo memo).  From a megabyte up, a table is its own
 * anonymous mapping, 2 MiB-aligned and advised as transparent huge pages:
 * the kernel then faults it in 2 MiB at a time and a random read needs one
 * TLB entry per 2 MiB.  A 4 KiB page fault costs 0.1-0.5 us on bare metal
 * but 10-14 us on the virtual machines these benchmarks run on, where the
 * 1 M-name snapshot's 16 MiB end table alone took 4,096 of them at load
 * (docs/benchmarks.md "Start-up and page faults").  Smaller tables are
 * whole 4 KiB pages (from 64 KiB) or heap blocks.  The advice is a hint:
 * without huge pages (THP "never") the tables work the same, faulted
 * 4 KiB at a time as they are used.
 */
#ifndef TXS_BIGMEM_H
#define TXS_BIGMEM_H

#include <stddef.h>

/* n zeroed elements of sz bytes, 64-byte aligned; NULL when n * sz
 * overflows or memory is short. */
void *txs_big_calloc(size_t n, size_t sz);
/* Release a table of txs_big_calloc (NULL is fine). */
void txs_big_free(void *p);

/* n bytes at an address aligned to align (a power of two, 4 KiB or more):
 * fd's first n bytes mapped private and read-only, or with fd < 0 zeroed
 * anonymous memory, read-write, of n rounded up to 4 KiB.  The kernel maps
 * a 2 MiB page or page-cache folio with one entry only where the address
 * is 2 MiB-aligned (and the file offset too).  munmap(p, n) releases it;
 * MAP_FAILED on failure. */
void *txs_map_aligned(int fd, size_t n, size_t align);

#endif /* TXS_BIGMEM_H */
