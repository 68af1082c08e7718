/*
 * fuzz_merge.c: libFuzzer target for `txscreen merge` as a whole
 * (txs_merge, txs/scaleout.h): classifying the given files, the k-way merge
 * of shard alerts and rejects through the shard indexes, recombining a
 * record's alerts from two shards, the manifest and completeness checks,
 * and the merged outputs.
 *
 * Once per process the bundled sample export (samples/transactions.csv) is
 * split into two shards in a private folder; the split is fixed, the shard
 * outputs are fuzzed.  Input: byte 0 bit 0 merges with the default rule set
 * (else "none"), bit 1 asks for the merged rejects, bit 2 for the merged
 * manifest; the rest is up to eight files separated by NUL bytes (alerts,
 * rejects or manifests, any order, as `screen --shard` writes them), each
 * '@' replaced by the source folder, so the graph job's outputs can name
 * the split's input.  The seeds are real shard and graph-job outputs.
 * Invariants: a refusal carries a message and publishes no output.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#define _XOPEN_SOURCE 700 /* nftw */

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "txs/scaleout.h"

#ifndef TXS_SRC_DIR
#error "TXS_SRC_DIR: the source folder (tests/CMakeLists.txt defines it)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PARTS 8

static char dir[64];
static char split_dir[96];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void cleanup(void)
{
    if (dir[0]) nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

static char *in_dir(char *p, size_t cap, const char *name)
{
    snprintf(p, cap, "%s/%s", dir, name);
    return p;
}

/* The private folder and the split of the sample into two shards. */
static void setup(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/txs-fuzz-merge-XXXXXX", base);
    if (mkdtemp(dir) == NULL) abort();
    atexit(cleanup);
    in_dir(split_dir, sizeof split_dir, "s");
    char *inputs[] = {TXS_SRC_DIR "/samples/transactions.csv"};
    txs_split_opts o = {"native", split_dir, 2, -1, inputs, 1, NULL};
    txs_split_stats st;
    txs_diag d = {{0}, 0, {0}};
    if (txs_split(&o, &st, &d) < 0) {
        fprintf(stderr, "fuzz_merge: split: %s:%lu: %s\n", d.file, d.line, d.msg);
        abort();
    }
}

/* Write data to path with each '@' as TXS_SRC_DIR; 0 or -1. */
static int write_part(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++)
        ok = data[i] == '@' ? fputs(TXS_SRC_DIR, f) >= 0 : fputc(data[i], f) != EOF;
    ok &= fclose(f) == 0;
    return ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') setup();
    if (size < 1) return 0;
    static char names[MAX_PARTS][128];
    char *parts[MAX_PARTS];
    size_t np = 0, at = 1;
    while (np < MAX_PARTS && at <= size) {
        const uint8_t *end = memchr(data + at, 0, size - at);
        size_t n = end ? (size_t)(end - (data + at)) : size - at;
        char name[16];
        snprintf(name, sizeof name, "part-%zu", np);
        parts[np] = in_dir(names[np], sizeof names[np], name);
        if (write_part(parts[np], data + at, n) < 0) return 0;
        np++;
        at += n + 1;
    }
    char out[128], rej[128], man[128];
    in_dir(out, sizeof out, "merged.jsonl");
    in_dir(rej, sizeof rej, "merged-rejects.jsonl");
    in_dir(man, sizeof man, "merged.json");
    unlink(out), unlink(rej), unlink(man);
    txs_merge_opts o = {split_dir, (data[0] & 1) ? "default" : "none", out,
                        (data[0] & 2) ? rej : NULL, (data[0] & 4) ? man : NULL,
                        parts, np, NULL};
    txs_merge_stats st;
    txs_diag d = {{0}, 0, {0}};
    if (txs_merge(&o, &st, &d) < 0) {
        if (d.msg[0] == '\0') abort();            /* a refusal must say why */
        if (access(out, F_OK) == 0 || access(rej, F_OK) == 0 || access(man, F_OK) == 0)
            abort();                              /* and publish nothing */
    }
    return 0;
}
