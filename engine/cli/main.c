/*
 * main.c: the txscreen program's entry point.  It only dispatches on the
 * subcommand; every subcommand lives in its own file (cmd_*.c) and
 * everything real is in the library.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "txs/lists.h"
#include "txs/version.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"screen", txs_cmd_screen, "screen transaction exports; write alerts, rejects, manifest"},
    {"score", txs_cmd_score, "score name pairs with an explanation (threshold calibration)"},
    {"gen", txs_cmd_gen, "generate a synthetic export with planted cases and labels"},
    {"lists", txs_cmd_lists, "compile, inspect, diff and update sanctions list snapshots"},
    {"split", txs_cmd_split, "cut exports into account shards for a cluster run"}, {"merge", txs_cmd_merge, "recombine shard outputs into one run's alerts, rejects, manifest"},
    {"rescreen", txs_cmd_rescreen, "look back: screen known counterparties against a list change"},
    {"recover", txs_cmd_recover, "finish publishing the outputs of an interrupted run"},
    {"eval", txs_cmd_eval, "measure rule sets against labelled transactions (precision, recall)"},
    {"report", txs_cmd_report, "write a run's HTML report from its outputs (cases, charts, lists)"},
    {"parse", txs_cmd_parse, "print what exports and payment messages (ISO 20022, MT) map to"},
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: txscreen COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Streaming transaction screening: reads CSV / JSON Lines exports\n"
            "(plain, gzip or zstd), screens every party against sanctions lists,\n"
            "evaluates AML rules, and writes scored, explained alerts as JSON Lines.\n"
            "\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'txscreen COMMAND --help' for a command's options; 'txscreen --version'\n"
               "for the versions of the engine, its libraries and the bundled lists.\n\n");
    txs_cli_exit_table(f);
    fprintf(f, "\nDocumentation: README.md and docs/ in the source tree.\n");
}

/* --version: the engine, each library as compiled against and as running,
 * and the sources of the bundled snapshot (through lists.h, as `lists
 * info` reads them). */
static int version(void)
{
    printf("txscreen %s\n", txs_version());
    txs_libversion v[8];
    size_t n = txs_library_versions(v, sizeof v / sizeof v[0]);
    for (size_t i = 0; i < n && i < sizeof v / sizeof v[0]; i++)
        printf("  %-10s built with %s, running with %s\n", v[i].name, v[i].built, v[i].running);
    char path[4096];
    txs_lists *l = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_cli_default_lists(path, sizeof path) < 0) {
        printf("bundled lists: none (no %s)\n",
               path[0] ? path : "default-lists.snap beside the executable");
        return TXS_EXIT_OK;
    }
    int rc = txs_lists_load(path, &l, &d);
    if (rc < 0) return txs_cli_report("txscreen", &d, txs_cli_exit_for(rc));
    printf("bundled lists: default-lists.snap, %zu entities\n", txs_lists_count(l));
    for (size_t i = 0; i < txs_lists_nsources(l); i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        if (s.parent != i) continue;   /* alt.csv and the like: part of a set */
        printf("  %-10.*s %.*s, date %.*s\n", (int)s.list.n, s.list.p, (int)s.file.n, s.file.p,
               s.date.n ? (int)s.date.n : (int)sizeof "none stated in the file" - 1,
               s.date.n ? s.date.p : "none stated in the file");
    }
    txs_lists_free(l);
    return TXS_EXIT_OK;
}

int main(int argc, char **argv)
{
    /* A reader that goes away (`| head -1`) must not kill the run by
     * SIGPIPE, which leaves temporaries behind and exits 141: the write
     * fails with EPIPE instead, the run stops as on any output error
     * (exit 5) and removes what it had not published. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return TXS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return TXS_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) return version();
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "txscreen: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return TXS_EXIT_USAGE;
}
