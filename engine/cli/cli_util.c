/*
 * cli_util.c: what several subcommands share: reporting a diagnostic,
 * mapping a library status to an exit code, the message for a bad option,
 * a monotonic clock.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int txs_cli_report(const char *who, const txs_diag *d, int code)
{
    if (d->msg[0] == '\0') /* a status no layer described: say what the code means */
        fprintf(stderr, "%s: %s%s%s\n", who, d->file, d->file[0] ? ": " : "",
                code == TXS_EXIT_INTERNAL ? "out of memory" : "failed");
    else if (d->line) fprintf(stderr, "%s: %s:%lu: %s\n", who, d->file, d->line, d->msg);
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
    case TXS_E_PUBLISH: return TXS_EXIT_PUBLISH;
    case TXS_E_ARG: return TXS_EXIT_USAGE;
    default: return TXS_EXIT_INPUT;
    }
}

/* How many long options start with name[0..n). */
static int prefix_matches(const struct option *opts, const char *name, size_t n, int *exact)
{
    int k = 0;
    *exact = 0;
    for (; opts->name; opts++) {
        if (strncmp(opts->name, name, n) != 0) continue;
        k++;
        if (opts->name[n] == '\0') *exact = 1;
    }
    return k;
}

int txs_cli_bad_option(const char *who, int c, char **argv, const struct option *opts)
{
    const char *arg = argv[optind - 1];
    char shortopt[3] = {'-', (char)optopt, '\0'};
    /* An unknown short option inside "-qx", or a short one with no argument. */
    int is_long = strncmp(arg, "--", 2) == 0;
    if (!is_long && optopt > 0 && optopt < 128) arg = shortopt;
    if (c == ':') {
        fprintf(stderr, "%s: option '%s' needs an argument (see --help)\n", who, arg);
        return TXS_EXIT_USAGE;
    }
    const char *eq = is_long ? strchr(arg, '=') : NULL;
    size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg) - (is_long ? 2 : 0);
    int exact, k = is_long ? prefix_matches(opts, arg + 2, n, &exact) : 0;
    if (eq && k == 1)
        fprintf(stderr, "%s: option '%.*s' takes no argument (see --help)\n", who,
                (int)(eq - arg), arg);
    else if (k > 1 && !exact)
        fprintf(stderr, "%s: option '%.*s' is ambiguous (see --help)\n", who, (int)(n + 2), arg);
    else
        fprintf(stderr, "%s: unknown option '%s' (see --help)\n", who, arg);
    return TXS_EXIT_USAGE;
}

/* One row per exit code; docs/operations.md "Exit codes" has the same
 * rows word for word (tests/readme/run.sh checks). */
static const struct {
    int code;
    const char *text;
} EXIT_TABLE[] = {
    {TXS_EXIT_OK, "done: the command completed; alerts and rejects are data, not failures"},
    {TXS_EXIT_USAGE, "usage: an unknown option, an option without its argument or with a bad "
                     "value, missing or extra arguments, an output that is also an input"},
    {TXS_EXIT_CONFIG, "bad configuration: a profile, rule set, country list, sanctions list "
                      "(--lists, and the sources and snapshots of `lists`), good-guy or labels "
                      "file that is missing, unreadable or malformed (FILE:LINE: why); an "
                      "unknown built-in name (the message lists the built-ins); a profile that "
                      "does not fit an input's header; a snapshot compiled for a CPU this one "
                      "lacks (docs/lists.md); a damaged --state file, or --reprocess without "
                      "FILE.prev"},
    {TXS_EXIT_INPUT, "input error: an input that cannot be opened or read, a corrupt or "
                     "truncated gzip/zstd stream, a --state file that cannot be read, an input "
                     "the --state file has already absorbed (docs/rules.md), a malformed shard "
                     "output (merge) or alerts file (eval), more rejected records than screen "
                     "--max-reject-rate allows (default 0.5; nothing is published)"},
    {TXS_EXIT_OUTPUT, "output error: an output that cannot be written (directory missing, "
                      "disk full); nothing new was published"},
    {TXS_EXIT_INTERNAL, "internal error (out of memory); nothing new was published"},
    {TXS_EXIT_PUBLISH, "published in part: the run's outputs were complete and committed, "
                       "but renaming one into place failed; the commit record stays beside "
                       "them and the next run with the same outputs, or `txscreen recover "
                       "OUTPUT...`, finishes publishing"},
    {TXS_EXIT_ALERTS, "alerts to act on (screen --fail-on BAND): the run completed and "
                      "published its outputs, and raised an alert at or above BAND"},
    {TXS_EXIT_EMPTY, "empty input (screen): the run completed and published its outputs, "
                     "but read no records; a warning says so on stderr"},
};

void txs_cli_exit_table(FILE *f)
{
    fprintf(f, "exit codes (no output file is left behind unless the code is 0, 7, 8 or 9):\n");
    for (size_t i = 0; i < sizeof EXIT_TABLE / sizeof EXIT_TABLE[0]; i++) {
        const char *p = EXIT_TABLE[i].text;
        fprintf(f, "  %d  ", EXIT_TABLE[i].code);
        /* Words wrapped at 78 columns, continuation lines indented. */
        for (size_t col = 5; *p;) {
            size_t w = strcspn(p, " ");
            if (col > 5 && col + 1 + w > 78) {
                fprintf(f, "\n     ");
                col = 5;
            } else if (col > 5) {
                fputc(' ', f);
                col++;
            }
            fprintf(f, "%.*s", (int)w, p);
            col += w;
            p += w;
            while (*p == ' ') p++;
        }
        fputc('\n', f);
    }
}

/* The absolute path a path names, whether or not the file exists yet: its
 * folder resolved (links followed), then its last component.  0, or -1
 * when the folder cannot be resolved. */
static int canonical(const char *path, char *out, size_t cap)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash == path) snprintf(dir, sizeof dir, "/");
    else if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else snprintf(dir, sizeof dir, ".");
    if (realpath(dir, real) == NULL) return -1;
    return snprintf(out, cap, "%s/%s", real, base) < (int)cap ? 0 : -1;
}

/* Two outputs that are one file (the same path however spelt, or the same
 * existing regular file): the last to be committed would replace the
 * others.  Devices and FIFOs (/dev/null twice) may be shared. */
static int outputs_clash(const char *who, const char *const *outs, size_t nouts)
{
    for (size_t i = 0; i < nouts; i++) {
        struct stat si, sj;
        char ci[PATH_MAX], cj[PATH_MAX];
        if (outs[i] == NULL || strcmp(outs[i], "-") == 0) continue;
        int ei = stat(outs[i], &si) == 0;
        if (ei && !S_ISREG(si.st_mode)) continue;
        for (size_t j = i + 1; j < nouts; j++) {
            if (outs[j] == NULL || strcmp(outs[j], "-") == 0) continue;
            int ej = stat(outs[j], &sj) == 0;
            int same = ei && ej ? si.st_dev == sj.st_dev && si.st_ino == sj.st_ino
                                : canonical(outs[i], ci, sizeof ci) == 0 &&
                                      canonical(outs[j], cj, sizeof cj) == 0 &&
                                      strcmp(ci, cj) == 0;
            if (same) {
                fprintf(stderr, "%s: outputs '%s' and '%s' are one file: one would replace "
                                "the other; give each its own path (see --help)\n",
                        who, outs[i], outs[j]);
                return TXS_EXIT_USAGE;
            }
        }
    }
    return 0;
}

int txs_cli_output_is_input(const char *who, const char *const *outs, size_t nouts,
                            char *const *ins, size_t nins)
{
    if (outputs_clash(who, outs, nouts)) return TXS_EXIT_USAGE;
    for (size_t i = 0; i < nouts; i++) {
        struct stat so, si;
        if (outs[i] == NULL || strcmp(outs[i], "-") == 0 || stat(outs[i], &so) != 0 ||
            !S_ISREG(so.st_mode))
            continue;
        for (size_t j = 0; j < nins; j++)
            if (stat(ins[j], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
                fprintf(stderr, "%s: output '%s' is also an input ('%s'): it would be read "
                                "and replaced in one run; write it elsewhere (see --help)\n",
                        who, outs[i], ins[j]);
                return TXS_EXIT_USAGE;
            }
    }
    return 0;
}

int txs_cli_default_lists(char *out, size_t cap)
{
    char exe[2048];
    if (cap > 0) out[0] = '\0';
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) return -1;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL) return -1;
    *slash = '\0';
    /* The build tree keeps it beside the binary; an install (cmake
     * --install, the Debian package) under PREFIX/share/txscreen beside
     * PREFIX/bin, so a relocated prefix still finds its own. */
    if (snprintf(out, cap, "%s/default-lists.snap", exe) >= (int)cap) return -1;
    if (access(out, R_OK) == 0) return 0;
    if (snprintf(out, cap, "%s/../share/txscreen/default-lists.snap", exe) >= (int)cap)
        return -1;
    if (access(out, R_OK) == 0) return 0;
    /* Not found: say both places. */
    snprintf(out, cap, "%s/default-lists.snap or %s/../share/txscreen/default-lists.snap", exe,
             exe);
    return -1;
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
