/*
 * cmd_screen.h: what `txscreen screen`'s flags say (cmd_screen_args.c
 * parses them; cmd_screen.c runs the command).  Private to the CLI.
 */
#ifndef TXS_CMD_SCREEN_H
#define TXS_CMD_SCREEN_H

#include "cli.h"

/* Rejects shown on stderr when no --rejects file is given. */
#define STDERR_REJECTS 10

/* Most --lists arguments one run takes. */
#define MAX_LISTS 32

typedef struct screen_args {
    const char *profile, *rules, *out, *rejects, *manifest, *good_guys, *state, *cases, *prev_cases,
        *pattern_cache;
    const char *validate_xsd;
    const char *report;        /* --report FILE.html */
    long long max_lateness;    /* seconds; -1: default */
    int shard_mode;            /* txs_state_mode */
    unsigned shard_k, shard_n;
    const char *lists[MAX_LISTS];
    int nlists;
    double threshold;
    double max_reject_rate;    /* rejected / read above it: input error */
    int fail_on;               /* txs_band; TXS_BAND_NONE: off */
    int format, quiet, reprocess;
    int progress;              /* --progress: the line without a terminal */
    unsigned threads;          /* workers; 1: single-threaded */
    char **inputs;
    int ninputs;
    txs_cli_lb_args lb;        /* --lookback, --previous-lists, --lookback-retention */
} screen_args;

/* Fill a from argv: 0 to run, 1 when --help was printed, -1 on a usage
 * error (already reported on stderr). */
int txs__screen_parse_args(int argc, char **argv, screen_args *a);

#endif /* TXS_CMD_SCREEN_H */
