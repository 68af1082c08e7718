/*
 * fuzz_state.c: libFuzzer target for the --state file loader (header,
 * input list, account records, events, graph entries; the size checks
 * before the checksum).  The checksum covers the file, so a mutated file
 * is refused by it unless the fuzzer also fixes it up: byte 0 bit 0 asks
 * this target to rewrite the trailing xxh3 itself, so the record parser
 * behind the checksum is reached.
 */
#include "fuzz_file_util.h" /* first: it sets _DEFAULT_SOURCE */

#include <xxhash.h>
#include "txs/rules.h"
#include "txs/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static txs_ruleset *rules;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    txs_diag d = {{0}, 0, {0}};
    if (rules == NULL && txs_ruleset_load("default", &rules, &d) < 0) abort();
    if (size < 1) return 0;
    uint8_t *buf = malloc(size);
    if (buf == NULL) return 0;
    memcpy(buf, data + 1, size - 1);
    size_t n = size - 1;
    if ((data[0] & 1) && n >= 8) {
        uint64_t h = XXH3_64bits(buf, n - 8);
        memcpy(buf + n - 8, &h, 8);
    }
    const char *path = fuzz_file("state.bin", buf, n);
    free(buf);
    if (path == NULL) return 0;
    txs_state *st = NULL;
    txs_state_opts o = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, (data[0] & 2) ? 3u : 0u, 0, 1};
    if (txs_state_create(rules, &o, &st) < 0) return 0;
    int rc = txs_state_load(st, path, &d);
    if (rc < 0 && d.msg[0] == '\0') abort();
    txs_state_free(st);
    return 0;
}
