/*
 * cmd_lists.c: `txscreen lists compile|info|diff`.  argv -> library calls
 * (lists.h) -> text on stdout.  compile writes atomically: a failing source
 * stops the command before the output is opened, so an existing snapshot
 * stays as it was; the error names the file and line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "txs/lists.h"

/* A list source or snapshot is configuration, for lists as for screen
 * --lists: missing, unreadable or malformed is exit 3. */
static int exit_for(int rc)
{
    switch (rc) {
    case TXS_E_OUTPUT: return TXS_EXIT_OUTPUT;
    case TXS_E_NOMEM: return TXS_EXIT_INTERNAL;
    default: return TXS_EXIT_CONFIG;
    }
}

static int fail(int rc, const txs_diag *d)
{
    if (d->line)
        fprintf(stderr, "txscreen lists: %s:%lu: %s\n", d->file, d->line, d->msg);
    else
        fprintf(stderr, "txscreen lists: %s: %s\n", d->file[0] ? d->file : "error",
                d->msg[0] ? d->msg : txs_strerror(rc));
    return exit_for(rc);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: txscreen lists compile [--hs-target TARGET] SRC... -o SNAPSHOT\n"
               "       txscreen lists info SNAPSHOT\n"
               "       txscreen lists diff OLD NEW\n"
               "\n"
               "SRC: an OFAC directory or sdn.csv (with alt/add/sdn_comments beside it),\n"
               "a UN consolidated .xml, an OpenSanctions targets.simple .csv, a\n"
               "FollowTheMoney .json (entities or deltas), an EU or UK sanctions .csv.\n"
               "OLD/NEW of diff: snapshots, or sources (compiled in memory).\n"
               "\n"
               "--hs-target TARGET  the CPU the snapshot's Hyperscan database is compiled\n"
               "                    for: generic (default: the same bytes on every x86-64\n"
               "                    host, loads on all), avx2, avx512, avx512vbmi, or native\n"
               "                    (this host; refused on a CPU without its features).\n"
               "\n" TXS_CLI_EXIT_CODES);
}

static int cmd_compile(int argc, char **argv)
{
    const char *out = NULL, *target = NULL;
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"hs-target", required_argument, NULL, 'T'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'T') target = optarg;
        else if (c == 'h') return usage(stdout), TXS_EXIT_OK;
        else return txs_cli_bad_option("txscreen lists compile", c, argv, opts);
    }
    if (out == NULL || optind >= argc) return usage(stderr), TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = txs_lists_compile_for((const char *const *)argv + optind, (size_t)(argc - optind),
                                   target, out, &d);
    if (rc == TXS_E_ARG) {
        fprintf(stderr, "txscreen lists: --hs-target: %s\n", d.msg);
        return TXS_EXIT_USAGE;
    }
    if (rc < 0) return fail(rc, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "txscreen lists: wrote %s in %.3f s\n", out,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return TXS_EXIT_OK;
}

/* A snapshot path, or sources compiled in memory (for diffing raw sets). */
static int open_any(const char *path, txs_lists **l, void **img, txs_diag *d)
{
    *img = NULL;
    if (txs_lists_is_snapshot(path)) return txs_lists_load(path, l, d);
    return txs_lists_compile_mem(&path, 1, img, l, d);
}

static void print_field_counts(const txs_lists *l)
{
    uint64_t kinds[TXS_F_COUNT] = {0}, ids[TXS_ID_COUNT] = {0}, weak = 0;
    for (size_t i = 0; i < txs_lists_count(l); i++) {
        txs_entity e;
        txs_lists_entity(l, i, &e);
        for (size_t j = 0; j < e.nfields; j++) {
            txs_field f;
            txs_lists_field(l, &e, j, &f);
            kinds[f.kind]++;
            if (f.kind == TXS_F_ID && f.sub < TXS_ID_COUNT) ids[f.sub]++;
            if (f.kind == TXS_F_ALIAS && f.sub == TXS_ALIAS_WEAK) weak++;
        }
    }
    printf("fields:\n");
    for (int k = 0; k < TXS_F_COUNT; k++) {
        printf("  %-16s %8llu", txs_field_kind_name(k), (unsigned long long)kinds[k]);
        if (k == TXS_F_ALIAS) printf("  (weak %llu)", (unsigned long long)weak);
        printf("\n");
        if (k != TXS_F_ID) continue;
        for (int t = 0; t < TXS_ID_COUNT; t++)
            if (ids[t]) printf("    %-26s %8llu\n", txs_id_kind_name(t), (unsigned long long)ids[t]);
    }
}

static void print_unparsed(const txs_lists *l, size_t src)
{
    for (size_t i = 0; i < txs_lists_nstats(l); i++) {
        uint32_t s, count;
        int parsed;
        txs_slice kind;
        txs_lists_stat(l, i, &s, &parsed, &kind, &count);
        if (s == src && !parsed)
            printf("      unparsed %5u  %.*s\n", count, (int)kind.n, kind.p);
    }
}

static int cmd_info(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0) return usage(argc == 2 ? stdout : stderr), argc == 2 ? 0 : TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    txs_lists *l;
    void *img;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = open_any(argv[1], &l, &img, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc < 0) return free(img), fail(rc, &d);
    uint32_t nv, hv;
    txs_lists_section_versions(l, &nv, &hv);
    size_t n = txs_lists_count(l);
    printf("snapshot %s\n  xxh3 %016llx, %zu bytes, %zu entities, %.0f bytes/entity, loaded in "
           "%.3f ms\n  sections: names v%u, hyperscan v%u (0 = not yet built)\n",
           argv[1], (unsigned long long)txs_lists_hash(l), txs_lists_size(l), n,
           n ? (double)txs_lists_size(l) / (double)n : 0.0,
           ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6),
           nv, hv);
    char hs[160], host[64];
    txs_lists_hs_info(l, hs, sizeof hs, host, sizeof host);
    printf("  hyperscan database: %s\n  this CPU's features: %s\n", hs, host);
    printf("sources:\n");
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        printf("  [%zu] %.*s  %.*s %.*s  date %.*s  %llu bytes  records %u\n      sha256 ", i,
               (int)s.file.n, s.file.p, (int)s.format.n, s.format.p, (int)s.list.n, s.list.p,
               s.date.n ? (int)s.date.n : 1, s.date.n ? s.date.p : "-",
               (unsigned long long)s.bytes, s.records);
        for (int k = 0; k < 32; k++) printf("%02x", s.sha256[k]);
        printf("\n");
        if (s.parent != i) {
            printf("      part of [%u]\n", s.parent);
            continue;
        }
        printf("      entities %u:", s.entities);
        for (int t = 1; t < TXS_ENT_TYPES; t++) printf(" %s %u", txs_entity_type_name(t), s.by_type[t]);
        printf("\n");
        if (s.clauses)
            printf("      remark clauses %u, unparsed %u (%.2f%%)\n", s.clauses, s.unparsed,
                   100.0 * s.unparsed / s.clauses);
        print_unparsed(l, i);
    }
    print_field_counts(l);
    txs_lists_free(l);
    free(img);
    return TXS_EXIT_OK;
}

static int print_diff(void *ctx, txs_diff_op op, txs_slice id, txs_slice name, const char *detail)
{
    (void)ctx;
    static const char *const OPS[] = {"added", "removed", "changed"};
    printf("%-7s %.*s  %.*s%s%s\n", OPS[op], (int)id.n, id.p, (int)name.n, name.p,
           detail[0] ? "\n        " : "", detail);
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    if (argc != 3) return usage(stderr), TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    txs_lists *a = NULL, *b = NULL;
    void *ia = NULL, *ib = NULL;
    int rc = open_any(argv[1], &a, &ia, &d);
    if (rc == 0) rc = open_any(argv[2], &b, &ib, &d);
    txs_diff_stats st;
    if (rc == 0) rc = txs_lists_diff(a, b, print_diff, NULL, &st);
    if (rc == 0)
        printf("summary: %llu added, %llu removed, %llu changed, %llu unchanged\n",
               (unsigned long long)st.added, (unsigned long long)st.removed,
               (unsigned long long)st.changed, (unsigned long long)st.unchanged);
    txs_lists_free(a);
    txs_lists_free(b);
    free(ia);
    free(ib);
    return rc < 0 ? fail(rc, &d) : TXS_EXIT_OK;
}

int txs_cmd_lists(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? TXS_EXIT_USAGE : TXS_EXIT_OK;
    }
    if (strcmp(argv[1], "compile") == 0) return cmd_compile(argc - 1, argv + 1);
    if (strcmp(argv[1], "info") == 0) return cmd_info(argc - 1, argv + 1);
    if (strcmp(argv[1], "diff") == 0) return cmd_diff(argc - 1, argv + 1);
    fprintf(stderr, "txscreen lists: unknown subcommand '%s'\n", argv[1]);
    usage(stderr);
    return TXS_EXIT_USAGE;
}
