/*
 * fuzz_jsonl.c: libFuzzer target for JSON Lines records (txs_source +
 * txs_reader, TXS_FMT_JSONL) with the native keys plus a few short ones the
 * fuzzer can hit.  Byte 0 picks the read size (delimiter bits unused); the
 * rest is the file.  See fuzz_input_util.h for the differential check.
 */
#include "fuzz_input_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {"txn_id", "amount", "orig_name", "a", "b", "", "\xC3\xA9"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    txs_reader_opts o = {TXS_FMT_JSONL, ',', '"', 0, keys, sizeof keys / sizeof keys[0], 0};
    return fuzz_run(data, size, o);
}
