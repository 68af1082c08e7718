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
 */
#ifndef TXS_CLI_H
#define TXS_CLI_H

enum {
    TXS_EXIT_OK = 0,
    TXS_EXIT_USAGE = 2,
    TXS_EXIT_CONFIG = 3,
    TXS_EXIT_INPUT = 4,
    TXS_EXIT_OUTPUT = 5,
    TXS_EXIT_INTERNAL = 6
};

/* Subcommands: argv[0] is the subcommand name. */
int txs_cmd_screen(int argc, char **argv);
int txs_cmd_gen(int argc, char **argv);
int txs_cmd_score(int argc, char **argv);
int txs_cmd_lists(int argc, char **argv);
int txs_cmd_split(int argc, char **argv), txs_cmd_merge(int argc, char **argv);
int txs_cmd_eval(int argc, char **argv);

#endif /* TXS_CLI_H */
