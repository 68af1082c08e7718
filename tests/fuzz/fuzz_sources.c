/*
 * fuzz_sources.c: libFuzzer target for the sources file of `lists update`
 * (txs_lists_sources_parse: YAML through libyaml, then every key, format,
 * URL, name, range and band checked).  Any input must parse or be refused
 * with a message; never crash, leak or read out of bounds.  Nothing is
 * fetched: the parser only reads bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "txs/lists_update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static txs_lists_sources cfg; /* 60 KB: not on the stack */
    txs_diag d = {{0}, 0, {0}};
    if (txs_lists_sources_parse("/fuzz/sources.yaml", (const char *)data, size, &cfg, &d) == 0) {
        if (cfg.n == 0 || cfg.n > TXS_UPDATE_MAX_SOURCES || cfg.keep == 0) abort();
        for (size_t i = 0; i < cfg.n; i++)
            if (cfg.src[i].name[0] == '\0' || strncasecmp(cfg.src[i].url, "http", 4) != 0)
                abort(); /* schemes are case-insensitive (RFC 3986 3.1) */
    } else if (d.msg[0] == '\0') {
        abort(); /* a refusal must say why */
    }
    return 0;
}
