/*
 * fuzz_csv.c: libFuzzer target for CSV framing (txs_source + txs_reader).
 * Byte 0 picks the delimiter, header mode and read size; the rest is the
 * file.  See fuzz_input_util.h for the differential check it runs.
 */
#include "fuzz_input_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    txs_reader_opts o = {TXS_FMT_CSV, ',', '"', 0, NULL, 0, 0};
    return fuzz_run(data, size, o);
}
