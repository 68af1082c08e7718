/*
 * fuzz_mx_xsd.c: libFuzzer target for the payments reader forced to MX
 * with --validate-xsd's path on (mx_xsd.c: a tree per message, validated
 * against tests/fixtures/payments/xsd, then replayed through the mapping
 * or rejected); the checks are fuzz_pay_util.h's, as for fuzz_mx.
 */
#include "fuzz_pay_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_pay(TXS_PAY_MX, TXS_SRC_DIR "/tests/fixtures/payments/xsd", data, size);
}
