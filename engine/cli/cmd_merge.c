/*
 * cmd_merge.c: `txscreen merge`: recombine the outputs of
 * `txscreen screen --shard K/N` over the shards of `txscreen split` into the
 * alerts, rejects and manifest one `screen` over the original inputs gives
 * (docs/operations.md "Scale-out").  Parses the flags and calls txs_merge
 * (txs/scaleout.h, engine/src/scaleout/merge.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "txs/rules.h"
#include "txs/scaleout.h"

typedef struct merge_args {
    const char *split_dir, *rules, *out, *rejects, *manifest;
    int quiet;
    char **inputs;
    int ninputs;
} merge_args;

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen merge --split DIR [OPTIONS] SHARD_OUTPUT...\n"
"\n"
"Recombine the outputs of `txscreen screen --shard K/N` over the shards of\n"
"`txscreen split --out-dir DIR` into the alerts, rejects and manifest of one\n"
"run over the original inputs: sources point back to the original file and\n"
"line, a transaction alerted in two shards becomes one alert with both\n"
"shards' hits, scores and bands are recomputed, and alerts come in input\n"
"order.\n"
"\n"
"SHARD_OUTPUT: each shard's alerts file, and its rejects and manifest files,\n"
"in any order (told apart by their content; the shard by the file names\n"
"inside: shard-K.csv).  Every shard's manifest and alerts must be given (an\n"
"empty alerts file is fine), rejects when --rejects is asked for; the outputs\n"
"of the graph job (`screen --shard graph` over the original inputs), when the\n"
"rule set has cross-account rules, are given the same way.  Each is checked\n"
"against its manifest (the shard file screened, the alerts and rejects\n"
"counted); anything missing, short or stale is refused and nothing written.\n"
"\n"
"options:\n"
"  --split DIR       the directory `txscreen split` wrote (required)\n"
"  --rules R         the rule set the shards were screened with (default: the\n"
"                    one the shard manifests name, else default); its xxh3\n"
"                    must match theirs\n"
"  --out FILE        merged alerts (default: stdout)\n"
"  --rejects FILE    merged rejects, with the split's own (unframed records)\n"
"  --manifest FILE   merged manifest: the original inputs, counts summed and\n"
"                    recomputed; needs every shard's manifest\n"
"  -q, --quiet       no summary line on stderr\n"
"  -h, --help        this text\n"
"\n"
"Named outputs are atomic.\n"
TXS_CLI_EXIT_CODES);
}

static int parse_args(int argc, char **argv, merge_args *a)
{
    enum { O_SPLIT = 256, O_RULES, O_OUT, O_REJECTS, O_MANIFEST, O_QUIET, O_HELP };
    static const struct option opts[] = {
        {"split", required_argument, NULL, O_SPLIT},
        {"rules", required_argument, NULL, O_RULES},
        {"out", required_argument, NULL, O_OUT},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"manifest", required_argument, NULL, O_MANIFEST},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->out = "-";
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1;) {
        switch (c) {
        case O_SPLIT: a->split_dir = optarg; break;
        case O_RULES: a->rules = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_REJECTS: a->rejects = optarg; break;
        case O_MANIFEST: a->manifest = optarg; break;
        case 'q':
        case O_QUIET: a->quiet = 1; break;
        case 'h':
        case O_HELP: help(stdout); return 1;
        default: txs_cli_bad_option("txscreen merge", c, argv, opts); return -1;
        }
    }
    if (a->split_dir == NULL) {
        fprintf(stderr, "txscreen merge: --split DIR is required (see --help)\n");
        return -1;
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    if (a->ninputs == 0) {
        fprintf(stderr, "txscreen merge: no shard outputs given (see --help)\n");
        return -1;
    }
    const char *outs[] = {a->out, a->rejects, a->manifest};
    if (txs_cli_output_is_input("txscreen merge", outs, 3, a->inputs, (size_t)a->ninputs))
        return -1;
    return 0;
}

int txs_cmd_merge(int argc, char **argv)
{
    merge_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    double t0 = txs_cli_now();
    char *cmd = txs_cli_command_line(argc, argv);
    txs_merge_opts o = {a.split_dir, a.rules, a.out, a.rejects, a.manifest, a.inputs,
                        (size_t)a.ninputs, cmd};
    txs_diag d = {{0}, 0, {0}};
    txs_merge_stats m;
    int rc = txs_merge(&o, &m, &d);
    free(cmd);
    if (rc < 0) return txs_cli_report("txscreen merge", &d, txs_cli_exit_for(rc));
    if (!a.quiet)
        fprintf(stderr,
                "txscreen merge: %u shards; alerts %llu (block %llu, review %llu, edd %llu; "
                "%llu combined from two shards), rejects %llu in %.3f s\n",
                m.shards, (unsigned long long)m.alerts,
                (unsigned long long)m.by_band[TXS_BAND_BLOCK],
                (unsigned long long)m.by_band[TXS_BAND_REVIEW],
                (unsigned long long)m.by_band[TXS_BAND_EDD], (unsigned long long)m.combined,
                (unsigned long long)m.rejects, txs_cli_now() - t0);
    return TXS_EXIT_OK;
}
