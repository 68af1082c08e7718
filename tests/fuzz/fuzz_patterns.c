/*
 * fuzz_patterns.c: libFuzzer target for pattern files (text_pattern rules,
 * rules/textpat.c): the input is the pattern file a fixed rule set names,
 * read through txs_ruleset_load (lines, TABs, weights, labels, then PCRE2
 * and Hyperscan on every pattern).  Any input must load or be refused with
 * a message.  Inputs are cut to 256 bytes: Hyperscan's compile of a
 * pathological pattern can take seconds, which the fuzzer would report as
 * a hang rather than a bug in our parser.
 */
#include "fuzz_file_util.h"
#include "txs/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char rules_path[256];

static void remove_rules(void) { unlink(rules_path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("pats.txt", data, size > 256 ? 256 : size);
    if (path == NULL) return 0;
    if (rules_path[0] == '\0') {
        snprintf(rules_path, sizeof rules_path, "%s/rules.yaml", fuzz_dir);
        FILE *f = fopen(rules_path, "w");
        if (f == NULL) return 0;
        fputs("ruleset: fuzz\nversion: \"1\"\n"
              "scoring: {method: noisy_or, bands: {edd: 25, review: 50, block: 80}}\n"
              "rules:\n  - id: p\n    kind: text_pattern\n    weight: 0.5\n    reason: fuzz\n"
              "    params: {file: pats.txt, caseless: true}\n", f);
        fclose(f);
        atexit(remove_rules); /* runs before fuzz_cleanup removes the folder */
    }
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_ruleset_load(rules_path, &rs, &d) == 0) txs_ruleset_free(rs);
    else if (d.msg[0] == '\0') abort(); /* a refusal must say why */
    return 0;
}
