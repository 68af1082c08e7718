/*
 * cmd_lists.c: `txscreen lists compile|info|diff|update`.  argv -> library calls
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
#include "txs/emit.h"
#include "txs/lists.h"
#include "txs/lists_update.h"

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
    fprintf(f, "usage: txscreen lists compile [--date LIST=YYYY-MM-DD]... SRC... -o SNAPSHOT\n"
               "       txscreen lists info SNAPSHOT\n"
               "       txscreen lists diff OLD NEW\n"
               "       txscreen lists update SOURCES.yaml\n"
               "\n"
               "SRC: an OFAC directory or sdn.csv (with alt/add/sdn_comments beside it),\n"
               "an OFAC Sanctions List Service, UN consolidated or Canada SEMA .xml, an\n"
               "OpenSanctions targets.simple .csv, a FollowTheMoney .json (entities or\n"
               "deltas), an EU or UK sanctions .csv.\n"
               "OLD/NEW of diff: snapshots, or sources (compiled in memory).\n"
               "info shows each source's date and its age in days.\n"
               "update fetches the lists a sources file names, checks them, compiles and\n"
               "swaps the snapshot its `dir` holds, keeping the last few (docs/lists.md).\n"
               "It loads libcurl when it starts (libcurl.so.4, or the file TXS_LIBCURL\n"
               "names): no other command needs it.\n"
               "\n"
               "--date LIST=YYYY-MM-DD  the publication date of a list whose files state\n"
               "                    none (the OFAC legacy CSV: --date OFAC-SDN=2021-07-07);\n"
               "                    hits cite it. A date the file states wins.\n"
               "\n"
               "A snapshot holds no machine code: the same sources give the same bytes on\n"
               "every host, and it loads on every x86-64 CPU (--hs-target, which chose the\n"
               "CPU of the Hyperscan database snapshots had until December 2026, is\n"
               "accepted and ignored).\n"
               "\n" TXS_CLI_EXIT_CODES);
}

/* Each list of the snapshot just written that still has no date: hits on
 * it cite the file's hash instead (pipeline/route.c), so say so. */
static void warn_undated(const char *path)
{
    txs_diag d = {{0}, 0, {0}};
    txs_lists *l;
    if (txs_lists_load(path, &l, &d) < 0) return;
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        if (s.parent == i && s.date.n == 0)
            fprintf(stderr,
                    "txscreen lists: warning: %.*s (%.*s) states no date and none was given: "
                    "its hits cite the file's sha256; give --date %.*s=YYYY-MM-DD\n",
                    (int)s.file.n, s.file.p, (int)s.list.n, s.list.p, (int)s.list.n, s.list.p);
    }
    txs_lists_free(l);
}

#define MAX_DATES 32

/* --date LIST=YYYY-MM-DD into dates[*n] (the date is checked by the
 * builder, which knows the lists). */
static int add_date(char *arg, txs_lists_date *dates, size_t *n)
{
    char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || *n == MAX_DATES) {
        fprintf(stderr, "txscreen lists: --date wants LIST=YYYY-MM-DD (at most %d), not '%s'\n",
                MAX_DATES, arg);
        return TXS_EXIT_USAGE;
    }
    *eq = '\0';
    dates[(*n)++] = (txs_lists_date){arg, eq + 1};
    return TXS_EXIT_OK;
}

static int cmd_compile(int argc, char **argv)
{
    const char *out = NULL;
    txs_lists_date dates[MAX_DATES];
    size_t ndates = 0;
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"hs-target", required_argument, NULL, 'T'},
                                         {"date", required_argument, NULL, 'D'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        if (c == 'o') out = optarg;
        else if (c == 'T')
            fprintf(stderr, "txscreen lists: --hs-target %s ignored: snapshots hold no Hyperscan "
                            "database any more, and load on every CPU\n", optarg);
        else if (c == 'D') {
            if (add_date(optarg, dates, &ndates) != TXS_EXIT_OK) return TXS_EXIT_USAGE;
        } else if (c == 'h') return usage(stdout), TXS_EXIT_OK;
        else return txs_cli_bad_option("txscreen lists compile", c, argv, opts);
    }
    if (out == NULL || optind >= argc) return usage(stderr), TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = txs_lists_compile_dated((const char *const *)argv + optind, (size_t)(argc - optind),
                                     dates, ndates, out, &d);
    if (rc == TXS_E_ARG) {
        fprintf(stderr, "txscreen lists: %s\n", d.msg);
        return TXS_EXIT_USAGE;
    }
    if (rc < 0) return fail(rc, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "txscreen lists: wrote %s in %.3f s\n", out,
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    warn_undated(out);
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
    size_t n = txs_lists_count(l);
    printf("snapshot %s\n  xxh3 %016llx, %zu bytes, %zu entities, %.0f bytes/entity, loaded in "
           "%.3f ms\n  sections: names v%u (0 = not yet built)\n",
           argv[1], (unsigned long long)txs_lists_hash(l), txs_lists_size(l), n,
           n ? (double)txs_lists_size(l) / (double)n : 0.0,
           ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6),
           txs_lists_names_version(l));
    printf("sources:\n");
    time_t now = time(NULL);
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        printf("  [%zu] %.*s  %.*s %.*s  date %.*s", i, (int)s.file.n, s.file.p,
               (int)s.format.n, s.format.p, (int)s.list.n, s.list.p,
               s.date.n ? (int)s.date.n : 1, s.date.n ? s.date.p : "-");
        long age = txs_list_source_age_days(&s, (long long)now);
        if (age >= 0) printf(" (%ld days old)", age);
        printf("  %llu bytes  records %u\n      sha256 ", (unsigned long long)s.bytes, s.records);
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

static int cmd_diff(int argc, char **argv)
{
    if (argc != 3) return usage(stderr), TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    txs_lists *a = NULL, *b = NULL;
    void *ia = NULL, *ib = NULL;
    txs_buf out = {0};
    int rc = open_any(argv[1], &a, &ia, &d);
    if (rc == 0) rc = open_any(argv[2], &b, &ib, &d);
    txs_diff_stats st;
    if (rc == 0 && (rc = txs_lists_diff_text(a, b, &out, &st)) < 0)
        txs_diag_set(&d, rc, "diff", 0, "%s", txs_strerror(rc));
    if (rc == 0) fwrite(out.p, 1, out.n, stdout);
    txs_buf_free(&out);
    txs_lists_free(a);
    txs_lists_free(b);
    free(ia);
    free(ib);
    return rc < 0 ? fail(rc, &d) : TXS_EXIT_OK;
}

static int update_exit(int rc)
{
    switch (rc) {
    case TXS_E_CONFIG: case TXS_E_ARG: return TXS_EXIT_CONFIG;
    case TXS_E_IO: case TXS_E_FORMAT: case TXS_E_LIMIT: return TXS_EXIT_INPUT;
    case TXS_E_PUBLISH: return TXS_EXIT_PUBLISH;
    case TXS_E_NOMEM: return TXS_EXIT_INTERNAL;
    default: return TXS_EXIT_OUTPUT;
    }
}

/* One line per source, then what was installed. */
static void print_update(const txs_lists_sources *cfg, const txs_update_result *r)
{
    for (size_t k = 0; k < cfg->n; k++) {
        printf("%-16s %-12s", cfg->src[k].name, r->src[k].fetched ? "fetched" : "not modified");
        if (r->src[k].entities) {
            printf("  %u entities", r->src[k].entities);
            if (r->src[k].previous) printf(" (was %u)", r->src[k].previous);
            printf("  date %s (%s)", r->src[k].date[0] ? r->src[k].date : "-", r->src[k].date_from);
        }
        printf("\n");
    }
    if (!r->changed) {
        printf("up to date: %s unchanged\n", r->snapshot);
        return;
    }
    printf("installed %s", r->snapshot);
    if (r->diff[0])
        printf(": %llu added, %llu removed, %llu changed; diff %s", (unsigned long long)r->added,
               (unsigned long long)r->removed, (unsigned long long)r->changed_entities, r->diff);
    printf("\n");
}

static int cmd_update(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) return usage(stdout), TXS_EXIT_OK;
    if (argc != 2) return usage(stderr), TXS_EXIT_USAGE;
    txs_diag d = {{0}, 0, {0}};
    txs_lists_sources *cfg = malloc(sizeof *cfg);
    txs_update_result *res = malloc(sizeof *res);
    int rc = cfg && res ? txs_lists_sources_load(argv[1], cfg, &d) : TXS_E_NOMEM;
    int config = rc != TXS_OK && rc != TXS_E_NOMEM; /* missing, unreadable or malformed: 3 */
    if (rc == TXS_OK) rc = txs_lists_update(cfg, res, &d);
    if (rc == TXS_OK) print_update(cfg, res);
    free(cfg);
    free(res);
    if (rc == TXS_OK) return TXS_EXIT_OK;
    if (d.line)
        fprintf(stderr, "txscreen lists update: %s:%lu: %s\n", d.file, d.line, d.msg);
    else
        fprintf(stderr, "txscreen lists update: %s: %s\n", d.file[0] ? d.file : "error",
                d.msg[0] ? d.msg : txs_strerror(rc));
    fprintf(stderr, "txscreen lists update: nothing installed; the snapshot in force is unchanged\n");
    return config ? TXS_EXIT_CONFIG : update_exit(rc);
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
    if (strcmp(argv[1], "update") == 0) return cmd_update(argc - 1, argv + 1);
    fprintf(stderr, "txscreen lists: unknown subcommand '%s'\n", argv[1]);
    usage(stderr);
    return TXS_EXIT_USAGE;
}
