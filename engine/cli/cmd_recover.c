/*
 * cmd_recover.c: `txscreen recover OUTPUT...`: finish what an interrupted
 * run left beside its outputs (docs/operations.md "How a run publishes its
 * outputs").
 *
 * A run that was killed after its commit record was written has decided
 * its new outputs but may not have renamed them all into place; one killed
 * before it leaves only temporaries.  `screen` does this clean-up itself at
 * the start of the next run with the same outputs; `recover` does it alone,
 * for an operator who wants a consistent set before deciding what to run.
 * Each OUTPUT is a path as given to --manifest, --out, --rejects or
 * --state; the commit record sits beside the first of the run's file
 * outputs in that order, and the temporaries beside each.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "txs/emit.h"

static const char usage[] =
"usage: txscreen recover OUTPUT...\n"
"\n"
"Finish publishing the outputs of an interrupted `screen` run. OUTPUT is a path\n"
"the run wrote (its --manifest, or --out, --rejects, --state). A commit record\n"
"beside it (.NAME.commit) is rolled forward: the run's outputs were complete\n"
"when it was written, so every output is renamed into place. Temporaries of a\n"
"run killed earlier (.NAME.tmp.XXXXXX) are removed; the old outputs stand.\n"
"`screen` does the same at its start. Prints what it did.\n"
"\n"
"  -h, --help        this text\n"
"\n" TXS_CLI_EXIT_CODES;

int txs_cmd_recover(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        if (c == 'h') return fputs(usage, stdout), TXS_EXIT_OK;
        return txs_cli_bad_option("txscreen recover", c, argv, opts);
    }
    if (optind == argc) {
        fprintf(stderr, "txscreen recover: name at least one output\n%s", usage);
        return TXS_EXIT_USAGE;
    }
    /* Every record first: a record's temporaries sit beside outputs named
     * later on the line, and the sweep must not take them. */
    int recovered[256] = {0};
    if (argc - optind > 256) {
        fprintf(stderr, "txscreen recover: at most 256 outputs\n");
        return TXS_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        txs_diag d = {{0}, 0, {0}};
        int rc = txs_commit_recover(argv[i], &recovered[i - optind], &d);
        if (rc < 0) return txs_cli_report("txscreen recover", &d, txs_cli_exit_for(rc));
    }
    for (int i = optind; i < argc; i++) {
        size_t swept = txs_commit_sweep(argv[i]);
        printf("%s: %s; %zu temporar%s removed\n", argv[i],
               recovered[i - optind] ? "an interrupted commit was finished" : "no commit record",
               swept, swept == 1 ? "y" : "ies");
    }
    return TXS_EXIT_OK;
}
