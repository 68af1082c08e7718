/*
 * main.c: the txscreen program's entry point.  It only dispatches on the
 * subcommand; every subcommand lives in its own file (cmd_*.c) and
 * everything real is in the library.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"screen", txs_cmd_screen, "screen transaction exports; write alerts, rejects, manifest"},
    {"score", txs_cmd_score, "score name pairs with an explanation (threshold calibration)"},
    {"gen", txs_cmd_gen, "generate a synthetic export with planted cases and labels"},
    {"lists", txs_cmd_lists, "compile, inspect and diff sanctions list snapshots"},
    {"split", txs_cmd_split, "cut exports into account shards for a cluster run"}, {"merge", txs_cmd_merge, "recombine shard outputs into one run's alerts, rejects, manifest"},
    {"eval", txs_cmd_eval, "measure rule sets against labelled transactions (precision, recall)"},
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
    fprintf(f, "\n'txscreen COMMAND --help' for a command's options.\n"
               "Documentation: README.md and docs/ in the source tree.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TXS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return TXS_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("txscreen %s\n", TXS_VERSION);
        return TXS_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "txscreen: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return TXS_EXIT_USAGE;
}
