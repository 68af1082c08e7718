/*
 * fuzz_profile.c: libFuzzer target for profile loading (YAML, columns,
 * channel maps, timestamp layouts, amount rules).  Any input must load or
 * be refused with a message.
 */
#include "fuzz_file_util.h"
#include "txs/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("profile.yaml", data, size);
    if (path == NULL) return 0;
    txs_profile *p = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_profile_load(path, &p, &d) == 0) txs_profile_free(p);
    else if (d.msg[0] == '\0') abort();
    return 0;
}
