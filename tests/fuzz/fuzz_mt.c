/*
 * fuzz_mt.c: libFuzzer target for the payments reader with the format
 * forced to MT (txs_pay_read_mem: the same framing and mapping a file
 * gets); the checks are in fuzz_pay_util.h.
 */
#include "fuzz_pay_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_pay(TXS_PAY_MT, NULL, data, size);
}
