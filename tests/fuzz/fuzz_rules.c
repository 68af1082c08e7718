/*
 * fuzz_rules.c: libFuzzer target for rule-set loading (YAML through
 * libyaml, then txs_ruleset_load's validation of every kind and
 * parameter).  Any input must load or be refused with a message; never
 * crash, leak or read out of bounds.
 */
#include "fuzz_file_util.h"
#include "txs/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("rules.yaml", data, size);
    if (path == NULL) return 0;
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_ruleset_load(path, &rs, &d) == 0) txs_ruleset_free(rs);
    else if (d.msg[0] == '\0') abort(); /* a refusal must say why */
    return 0;
}
