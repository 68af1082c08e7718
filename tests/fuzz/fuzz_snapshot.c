/*
 * fuzz_snapshot.c: libFuzzer target for the snapshot loader
 * (txs_lists_open_mem validates the header, every section bound and
 * offset, so that accessors need no checks; the name section is
 * validated when a screener opens it, before its start-up tables are
 * built from it).  Bytes that open are walked entity by entity and
 * screened against.
 *
 * A mutated snapshot seldom gets past the whole-file checksum, so an input
 * of odd length has its last byte dropped and its size and checksum
 * written afresh (header bytes 24 and 32): the section table, the
 * references and the name section's checks behind the checksum are then
 * fuzzed too.  Real snapshots are a multiple of 8 bytes long, so the
 * corpus' inputs keep their meaning.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "txs/lists.h"
#include "txs/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int resum = size % 2;
    if (resum) size--;
    unsigned char *p = malloc(size ? size : 1); /* the loader needs 8-byte alignment */
    if (p == NULL) return 0;
    memcpy(p, data, size);
    if (resum && size >= 64) {
        uint64_t n = size, h = XXH3_64bits(p + 64, size - 64);
        memcpy(p + 24, &n, 8);
        memcpy(p + 32, &h, 8);
    }
    txs_lists *l = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_lists_open_mem(p, size, &l, &d) == 0) {
        for (size_t i = 0; i < txs_lists_count(l); i++) {
            txs_entity e;
            txs_lists_entity(l, i, &e);
            for (size_t j = 0; j < e.nfields; j++) {
                txs_field f;
                txs_lists_field(l, &e, j, &f);
            }
        }
        const txs_lists *ls[1] = {l};
        txs_sanctions *s = NULL;
        if (txs_sanctions_create(ls, 1, 0.0, &s, &d) == 0) {
            txs_sanctions_match m[8];
            txs_sanctions_name(s, "John Smith", 10, m, 8);
            txs_sanctions_name(s, "Ali Hassan", 10, m, 8);
        }
        txs_sanctions_free(s);
        txs_lists_free(l);
    } else if (d.msg[0] == '\0') {
        abort();
    }
    free(p);
    return 0;
}
