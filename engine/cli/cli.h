/*
 * cli.h: the thin command-line program.  main.c dispatches on the first
 * argument to one function per subcommand; each parses its own GNU-style
 * long options, prints --help, calls the library and returns an exit code.
 *
 * Exit codes (docs/operations.md):
 *   0 the command completed (alerts and rejects are data, not failures)
 *   2 usage error (unknown option, missing argument)
 *   3 bad configuration: profile, rule set or list file (FILE:LINE: why)
 *   4 an input could not be read (missing file, I/O error, corrupt gzip/zstd)
 *   5 an output could not be written (nothing half-written is left)
 *   6 internal error (out of memory)
 *   7 published in part
 *   8 screen --fail-on BAND: alerts at or above BAND (outputs published)
 *   9 screen: empty input, no records (outputs published)
 */
#ifndef TXS_CLI_H
#define TXS_CLI_H

#include <stdio.h>

#include "txs/base.h"

/* The last lines of every subcommand's --help. */
#define TXS_CLI_EXIT_CODES                                                          \
    "Exit codes: 0 done, 2 usage, 3 bad configuration, 4 input error, 5 output\n" \
    "error, 6 internal error, 7 published in part, 8 alerts at or above\n"        \
    "--fail-on, 9 empty input (the table: txscreen --help, docs/operations.md).\n"

enum {
    TXS_EXIT_OK = 0,
    TXS_EXIT_USAGE = 2,
    TXS_EXIT_CONFIG = 3,
    TXS_EXIT_INPUT = 4,
    TXS_EXIT_OUTPUT = 5,
    TXS_EXIT_INTERNAL = 6,
    TXS_EXIT_PUBLISH = 7,
    TXS_EXIT_ALERTS = 8,   /* screen --fail-on: alerts at or above the band */
    TXS_EXIT_EMPTY = 9     /* screen: the input had no records */
};

/* Subcommands: argv[0] is the subcommand name. */
int txs_cmd_screen(int argc, char **argv);
int txs_cmd_gen(int argc, char **argv);
int txs_cmd_score(int argc, char **argv);
int txs_cmd_lists(int argc, char **argv);
int txs_cmd_recover(int argc, char **argv);
int txs_cmd_rescreen(int argc, char **argv);
int txs_cmd_split(int argc, char **argv), txs_cmd_merge(int argc, char **argv);
int txs_cmd_eval(int argc, char **argv);
int txs_cmd_parse(int argc, char **argv);
int txs_cmd_report(int argc, char **argv);

/* Print d as "who: FILE:LINE: msg" (or without the parts d lacks) on
 * stderr; returns code. */
int txs_cli_report(const char *who, const txs_diag *d, int code);

/* cli_lookback.c: look-back screening for `screen --state` and `rescreen`
 * (docs/lists.md "Look-back screening"). */
struct txs_cases;
struct txs_state;
struct txs_lists;
struct txs_lookback_stats;
typedef struct txs_cli_lookback {
    struct txs_state *state;
    const char *state_path;
    const struct txs_lists *const *lists;  /* this run's snapshots */
    const char *const *list_paths;         /* as the manifest names them */
    size_t nlists;
    const char *const *prev_paths;         /* --previous-lists, or none */
    size_t nprev_paths;
    int enabled;                           /* 0: --lookback off */
    int quiet;
    double threshold;
    struct txs_cases *cases;
    int (*alerts)(void *ctx, const char *p, size_t n);
    void *alerts_ctx;
} txs_cli_lookback;
/* When the state's recorded lists differ from this run's: load the old
 * snapshots and run the look-back (alerts to o->alerts); then record this
 * run's lists in the state.  0 or an error with d filled (TXS_E_CONFIG: a
 * snapshot that cannot be found or is not the recorded one). */
int txs_cli_lookback_run(const txs_cli_lookback *o, struct txs_lookback_stats *st,
                         txs_diag *d);
/* The look-back flags screen and rescreen share. */
typedef struct txs_cli_lb_args {
    int enabled;                    /* --lookback on (1) | off (0) */
    const char *prev[16];           /* --previous-lists, in --lists order */
    size_t nprev;
    long long retention;            /* --lookback-retention, seconds; 0 default */
} txs_cli_lb_args;
/* One of them: which 0 --lookback, 1 --previous-lists, 2
 * --lookback-retention.  0, or -1 with the reason on stderr. */
int txs_cli_lookback_flag(const char *who, int which, const char *arg, txs_cli_lb_args *a);
/* Read the last run's --cases FILE into *cases (created when NULL): ids
 * and subjects of the cases open after it.  TXS_E_CONFIG with d naming the
 * line for a line that is not one of ours. */
int txs_cli_load_prev_cases(const char *path, struct txs_cases **cases, txs_diag *d);
/* Exit code for a library status: config 3, output 5, out of memory 6,
 * bad argument 2, anything else (input) 4. */
int txs_cli_exit_for(int rc);
struct option;
/* The message for getopt_long's ':' (an option without its argument; the
 * option string must start with ':') or '?' (unknown, ambiguous, or given
 * an argument it does not take) on stderr, naming the option as typed;
 * opts is the long option table.  Returns TXS_EXIT_USAGE. */
int txs_cli_bad_option(const char *who, int c, char **argv, const struct option *opts);
/* TXS_EXIT_USAGE, after a message on stderr, when an existing regular file
 * among outs[] (NULL and "-" skipped) is the same file as one of ins[]
 * (device and inode: another spelling of the path, a glob that caught an
 * earlier run's output), or when two outs[] are one file (the same path
 * however spelt, or the same existing file; devices may be shared); else 0. */
int txs_cli_output_is_input(const char *who, const char *const *outs, size_t nouts,
                            char *const *ins, size_t nins);
/* The bundled snapshot into out: default-lists.snap beside the running
 * executable (the build tree), else in ../share/txscreen/ from its
 * directory (an install).  0 when one is there and readable; else -1 with
 * the places looked at in out (or "" when the executable is unknown). */
int txs_cli_default_lists(char *out, size_t cap);
/* The exit-code table of `txscreen --help` (docs/operations.md has the
 * same rows; tests/readme/run.sh compares them). */
void txs_cli_exit_table(FILE *f);
/* Seconds on the monotonic clock. */
double txs_cli_now(void);
/* "txscreen" and the subcommand's arguments joined by spaces, for the
 * manifests (malloc'ed; NULL when out of memory). */
char *txs_cli_command_line(int argc, char **argv);

#endif /* TXS_CLI_H */
