/*
 * cli_util.c: what several subcommands share: reporting a diagnostic,
 * mapping a library status to an exit code, a monotonic clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int txs_cli_report(const char *who, const txs_diag *d, int code)
{
    if (d->line) fprintf(stderr, "%s: %s:%lu: %s\n", who, d->file, d->line, d->msg);
    else if (d->file[0]) fprintf(stderr, "%s: %s: %s\n", who, d->file, d->msg);
    else fprintf(stderr, "%s: %s\n", who, d->msg);
    return code;
}

int txs_cli_exit_for(int rc)
{
    switch (rc) {
    case TXS_E_CONFIG: return TXS_EXIT_CONFIG;
    case TXS_E_OUTPUT: return TXS_EXIT_OUTPUT;
    case TXS_E_NOMEM: return TXS_EXIT_INTERNAL;
    case TXS_E_ARG: return TXS_EXIT_USAGE;
    default: return TXS_EXIT_INPUT;
    }
}

double txs_cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *txs_cli_command_line(int argc, char **argv)
{
    size_t len = sizeof "txscreen";
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (s == NULL) return NULL;
    strcpy(s, "txscreen");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}
