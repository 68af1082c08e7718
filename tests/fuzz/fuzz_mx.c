/*
 * fuzz_mx.c: libFuzzer target for the payments reader with the format
 * forced to MX (txs_pay_read_mem: the same framing and mapping a file
 * gets); the checks are in fuzz_pay_util.h.
 */
#include "fuzz_pay_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_pay(TXS_PAY_MX, NULL, data, size);
}
