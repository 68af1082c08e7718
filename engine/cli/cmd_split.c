/*
 * cmd_split.c: `txscreen split`: cut exports into N account shards for a
 * cluster run (docs/operations.md "Scale-out").  Parses the flags and calls
 * txs_split (txs/scaleout.h, engine/src/scaleout/split.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "txs/input.h"
#include "txs/scaleout.h"

typedef struct split_args {
    const char *profile, *out_dir;
    long shards;
    int format, quiet;
    char **inputs;
    int ninputs;
} split_args;

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen split --shards N --out-dir DIR [OPTIONS] [FILE...|-]\n"
"\n"
"Cut transaction exports into N account shards for a cluster run: each\n"
"record is copied, byte for byte, to the shard of its originator's account\n"
"and to the shard of its beneficiary's (once if they agree), so every\n"
"account's whole history is in one shard.  Screen each shard with\n"
"`txscreen screen --shard K/N`, then recombine with `txscreen merge`.\n"
"With no FILE, or FILE '-', reads stdin; gzip and zstd input is detected\n"
"and written plain.\n"
"\n"
"options:\n"
"  --shards N        number of shards, 1..%d (required)\n"
"  --out-dir DIR     where to write (created if missing; required):\n"
"                      shard-K.csv|.jsonl  the records of shard K, after\n"
"                                          the header (K = 0..N-1)\n"
"                      shard-K.idx         shard line -> input, line, offset\n"
"                      split-rejects.jsonl records that could not be framed\n"
"                      split.json          inputs, N, counts per shard\n"
"  --by account      what to shard by (the only choice, the default)\n"
"  --profile P       input profile: native (default), amlworld, saml-d, or a\n"
"                    YAML profile file; give `screen` the same one\n"
"  --format F        csv or jsonl (default: .jsonl/.ndjson files are JSONL,\n"
"                    others use the profile's format)\n"
"  -q, --quiet       no summary line on stderr\n"
"  -h, --help        this text\n"
"\n"
"Records that parse badly go to shard 0, where `screen` rejects them.\n"
"Outputs are atomic; split.json is written last.\n"
TXS_CLI_EXIT_CODES,
            TXS_SPLIT_MAX_SHARDS);
}

static int parse_args(int argc, char **argv, split_args *a)
{
    enum { O_SHARDS = 256, O_OUTDIR, O_BY, O_PROFILE, O_FORMAT, O_QUIET, O_HELP };
    static const struct option opts[] = {
        {"shards", required_argument, NULL, O_SHARDS},
        {"out-dir", required_argument, NULL, O_OUTDIR},
        {"by", required_argument, NULL, O_BY},
        {"profile", required_argument, NULL, O_PROFILE},
        {"format", required_argument, NULL, O_FORMAT},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->profile = "native";
    a->format = -1;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1;) {
        switch (c) {
        case O_SHARDS: {
            char *end;
            errno = 0;
            a->shards = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || a->shards < 1 || a->shards > TXS_SPLIT_MAX_SHARDS) {
                fprintf(stderr, "txscreen split: --shards must be a number from 1 to %d, not '%s'\n",
                        TXS_SPLIT_MAX_SHARDS, optarg);
                return -1;
            }
            break;
        }
        case O_OUTDIR: a->out_dir = optarg; break;
        case O_BY:
            if (strcmp(optarg, "account") != 0) {
                fprintf(stderr, "txscreen split: --by must be account, not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_PROFILE: a->profile = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") == 0) a->format = TXS_FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0) a->format = TXS_FMT_JSONL;
            else {
                fprintf(stderr, "txscreen split: --format must be csv or jsonl, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 'q':
        case O_QUIET: a->quiet = 1; break;
        case 'h':
        case O_HELP: help(stdout); return 1;
        default: txs_cli_bad_option("txscreen split", c, argv, opts); return -1;
        }
    }
    if (a->shards == 0) {
        fprintf(stderr, "txscreen split: --shards N is required (see --help)\n");
        return -1;
    }
    if (a->out_dir == NULL) {
        fprintf(stderr, "txscreen split: --out-dir DIR is required (see --help)\n");
        return -1;
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    return 0;
}

int txs_cmd_split(int argc, char **argv)
{
    split_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    double t0 = txs_cli_now();
    char *cmd = txs_cli_command_line(argc, argv);
    txs_split_opts o = {a.profile, a.out_dir, (uint32_t)a.shards, a.format, a.inputs,
                        (size_t)a.ninputs, cmd};
    txs_diag d = {{0}, 0, {0}};
    txs_split_stats st;
    int rc = txs_split(&o, &st, &d);
    free(cmd);
    if (rc < 0) return txs_cli_report("txscreen split", &d, txs_cli_exit_for(rc));
    if (!a.quiet)
        fprintf(stderr,
                "txscreen split: %llu records into %u shards (%llu..%llu records a shard); "
                "%llu unframed, %llu unparsed; in %.3f s\n",
                (unsigned long long)st.records, st.shards, (unsigned long long)st.min_records,
                (unsigned long long)st.max_records, (unsigned long long)st.frame_rejects,
                (unsigned long long)st.parse_rejects, txs_cli_now() - t0);
    return TXS_EXIT_OK;
}
