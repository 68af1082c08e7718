/*
 * cmd_gen.c: `txscreen gen`, the synthetic export generator (bench/gen).
 * Parses GNU-style long options into txs_gen_opts and runs the generator to
 * stdout or to --out.  Files named by --out and --labels are written
 * atomically: into a temporary file in the same directory, renamed into
 * place only when the whole run succeeded, removed otherwise, so a failed
 * or interrupted run never leaves a half-written export behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gen.h"

static const char usage_text[] =
    "usage: txscreen gen [--rows N | --size SIZE] [--seed S]\n"
    "                    [--format native|jsonl|amlworld|pacs.008|pain.001|mt103]\n"
    "                    [--accounts N]\n"
    "                    [--plant-rate R] [--typologies A,B,...]\n"
    "                    [--labels FILE] [--out FILE] [--names FILE]\n"
    "       txscreen gen --embed-amlworld PATTERNS.csv [--rows N] [--accounts N]\n"
    "                    [--seed S] [--labels FILE] [--out FILE]\n"
    "\n"
    "Write a synthetic transaction export with planted cases, or embed the\n"
    "AMLworld laundering patterns of PATTERNS.csv in generated benign traffic.\n"
    "\n"
    "  --rows N          records to write (default 1000 unless --size); with\n"
    "                    --embed-amlworld: background records (default 1000000)\n"
    "  --size SIZE       stop after SIZE bytes (suffix K, M, G: powers of 1024)\n"
    "  --seed S          PRNG seed (default 1): same seed, same bytes\n"
    "  --format F        native (CSV, default), jsonl, amlworld, or payment\n"
    "                    messages: pacs.008 (CBPR+ with AppHdr, one per record),\n"
    "                    pain.001 (up to 16 records of a day per message, a\n"
    "                    PmtInf per debtor), mt103 (FIN, '$' between messages);\n"
    "                    the same records and labels as native for a seed, the\n"
    "                    labels naming UETRs (`screen --format payments`)\n"
    "  --accounts N      background population (default 100000, >= 100)\n"
    "  --plant-rate R    chance per background record that a planted pattern\n"
    "                    starts (default 0.002)\n"
    "  --typologies LIST plant only these (comma-separated; default: all)\n"
    "  --embed-amlworld F  amlworld export: background over the days of the\n"
    "                    patterns file F, its rows merged in by time\n"
    "  --labels FILE     ground truth: txn_id,typology,pattern_id per planted row\n"
    "  --out FILE        write here (atomically) instead of stdout\n"
    "  --names FILE      first/last names TSV (default bench/data/names.tsv)\n"
    "  -h, --help        show this help\n";

/* The help text, then the typologies the planters know. */
static void print_usage(void)
{
    fputs(usage_text, stdout);
    fputs("\nTypologies (near_miss_* are negatives; * = not in the amlworld format):\n", stdout);
    size_t col = 0;
    for (int i = 0; txs_gen_typology_name(i); i++) {
        const char *t = txs_gen_typology_name(i);
        size_t n = strlen(t) + (txs_gen_typology_amlworld(i) ? 0 : 1);
        if (col && col + n + 1 > 76) {
            fputc('\n', stdout);
            col = 0;
        }
        printf("%s%s%s", col ? " " : "  ", t, txs_gen_typology_amlworld(i) ? "" : "*");
        col += n + (col ? 1 : 2);
    }
    fputs("\n\nLabels of --embed-amlworld: the AMLworld Typology lowercased, '-' as '_'\n"
          "(fan_in, fan_out, cycle, gather_scatter, scatter_gather, stack, bipartite,\n"
          "random), pattern_id its Pattern ID; txn_id \"<--out basename>:<line>\", as\n"
          "`screen --profile amlworld` names the rows (the bare line number on stdout).\n"
          "\n" TXS_CLI_EXIT_CODES,
          stdout);
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("txscreen gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see --help)\n", stderr);
    return TXS_EXIT_USAGE;
}

/* A decimal count with an optional K/M/G (1024-based) suffix. */
static int parse_count(const char *s, int suffixes, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s) return -1;
    uint64_t mul = 1;
    if (suffixes && *end) {
        switch (*end) {
        case 'k': case 'K': mul = 1ull << 10; break;
        case 'm': case 'M': mul = 1ull << 20; break;
        case 'g': case 'G': mul = 1ull << 30; break;
        default: return -1;
        }
        end++;
        if (*end == 'B' || *end == 'b') end++;
    }
    if (*end || v > UINT64_MAX / mul) return -1;
    *out = v * mul;
    return 0;
}

/* An output written through a temporary file in the same directory. */
typedef struct atomic_file {
    const char *path;
    char *tmp;
    FILE *f;
} atomic_file;

static int atomic_open(atomic_file *a, const char *path)
{
    a->path = path;
    a->f = NULL;
    a->tmp = NULL;
    /* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in
     * place: renaming over it would replace the device node. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        a->f = fopen(path, "wb");
        if (!a->f) {
            fprintf(stderr, "txscreen gen: cannot open %s: %s\n", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t n = strlen(path);
    a->tmp = malloc(n + 16);
    if (!a->tmp) return -1;
    memcpy(a->tmp, path, n);
    memcpy(a->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        fprintf(stderr, "txscreen gen: cannot create %s: %s\n", a->tmp, strerror(errno));
        free(a->tmp);
        a->tmp = NULL;
        return -1;
    }
    /* mkstemp creates 0600; give the file the mode a plain open would. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        close(fd);
        unlink(a->tmp);
        free(a->tmp);
        a->tmp = NULL;
        return -1;
    }
    return 0;
}

/* Close; rename into place when ok, else remove.  Returns 0 on success. */
static int atomic_close(atomic_file *a, int ok)
{
    if (!a->f) return 0;
    int rc = 0;
    if (fclose(a->f) != 0) {
        fprintf(stderr, "txscreen gen: write error on %s: %s\n", a->path, strerror(errno));
        ok = 0;
        rc = -1;
    }
    a->f = NULL;
    if (!a->tmp) return rc;
    if (ok && rename(a->tmp, a->path) != 0) {
        fprintf(stderr, "txscreen gen: cannot rename to %s: %s\n", a->path, strerror(errno));
        ok = 0;
        rc = -1;
    }
    if (!ok) unlink(a->tmp);
    free(a->tmp);
    a->tmp = NULL;
    return rc;
}

static int exit_for(int status)
{
    switch (status) {
    case TXS_E_ARG: return TXS_EXIT_USAGE;
    case TXS_E_IO: case TXS_E_FORMAT: return TXS_EXIT_INPUT;
    case TXS_E_OUTPUT: return TXS_EXIT_OUTPUT;
    default: return TXS_EXIT_INTERNAL;
    }
}

typedef struct gen_cli {
    txs_gen_opts o;
    const char *out_path, *labels_path;
} gen_cli;

/* Returns -1 to go on, else an exit code (0 after --help). */
static int parse_args(int argc, char **argv, gen_cli *c)
{
    static const struct option longopts[] = {
        {"rows", required_argument, NULL, 'r'},
        {"size", required_argument, NULL, 'z'},
        {"seed", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"accounts", required_argument, NULL, 'a'},
        {"plant-rate", required_argument, NULL, 'p'},
        {"labels", required_argument, NULL, 'l'},
        {"out", required_argument, NULL, 'o'},
        {"names", required_argument, NULL, 'n'},
        {"typologies", required_argument, NULL, 't'},
        {"embed-amlworld", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int have_rows = 0, have_size = 0, have_format = 0, have_rate = 0, opt;
    uint64_t v;
    char *end;
    txs_gen_opts_default(&c->o);
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            if (parse_count(optarg, 0, &c->o.rows) || c->o.rows == 0)
                return usage_error("bad --rows '%s' (a positive integer)", optarg);
            have_rows = 1;
            break;
        case 'z':
            if (parse_count(optarg, 1, &c->o.target_bytes) || c->o.target_bytes == 0)
                return usage_error("bad --size '%s' (e.g. 500M, 1G)", optarg);
            have_size = 1;
            break;
        case 's':
            if (parse_count(optarg, 0, &c->o.seed))
                return usage_error("bad --seed '%s' (an unsigned integer)", optarg);
            break;
        case 'f':
            if (txs_gen_format_parse(optarg, &c->o.format))
                return usage_error("bad --format '%s' (native, jsonl, amlworld, pacs.008, "
                                   "pain.001 or mt103)", optarg);
            have_format = 1;
            break;
        case 'a':
            if (parse_count(optarg, 0, &v) || v < 100 || v > UINT32_MAX)
                return usage_error("bad --accounts '%s' (100 .. 4294967295)", optarg);
            c->o.accounts = (uint32_t)v;
            break;
        case 'p':
            errno = 0;
            c->o.plant_rate = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(c->o.plant_rate >= 0 && c->o.plant_rate <= 0.5))
                return usage_error("bad --plant-rate '%s' (0 .. 0.5)", optarg);
            have_rate = 1;
            break;
        case 't':
            if (!*optarg) return usage_error("empty --typologies");
            c->o.typologies = optarg;
            break;
        case 'e': c->o.embed_amlworld = optarg; break;
        case 'l': c->labels_path = optarg; break;
        case 'o': c->out_path = optarg; break;
        case 'n': c->o.names_path = optarg; break;
        case 'h': print_usage(); return TXS_EXIT_OK;
        default: return txs_cli_bad_option("txscreen gen", opt, argv, longopts);
        }
    }
    if (optind < argc) return usage_error("unexpected argument '%s'", argv[optind]);
    if (c->o.embed_amlworld) {
        if (have_size) return usage_error("--size does not apply to --embed-amlworld (use --rows)");
        if (c->o.typologies || have_rate)
            return usage_error("--typologies and --plant-rate do not apply to --embed-amlworld");
        if (have_format && c->o.format != TXS_GEN_AMLWORLD)
            return usage_error("--embed-amlworld writes the amlworld format");
        c->o.format = TXS_GEN_AMLWORLD;
        if (!have_rows) c->o.rows = 1000000;
    }
    if (have_size && !have_rows) c->o.rows = 0;
    return -1;
}

int txs_cmd_gen(int argc, char **argv)
{
    gen_cli c;
    memset(&c, 0, sizeof c);
    int code = parse_args(argc, argv, &c);
    if (code >= 0) return code;
    atomic_file out = {0}, labels = {0};
    if (c.out_path && atomic_open(&out, c.out_path)) return TXS_EXIT_OUTPUT;
    if (c.labels_path && atomic_open(&labels, c.labels_path)) {
        atomic_close(&out, 0);
        return TXS_EXIT_OUTPUT;
    }
    /* AMLworld rows have no id: the engine names them "<basename>:<line>"
     * (profile generate: line), so the labels do too when the file is
     * named. */
    char *prefix = NULL;
    if (c.o.format == TXS_GEN_AMLWORLD && c.out_path) {
        const char *base = strrchr(c.out_path, '/');
        base = base ? base + 1 : c.out_path;
        size_t n = strlen(base);
        prefix = malloc(n + 2);
        if (!prefix) {
            atomic_close(&out, 0);
            atomic_close(&labels, 0);
            return TXS_EXIT_INTERNAL;
        }
        memcpy(prefix, base, n);
        memcpy(prefix + n, ":", 2);
        c.o.label_prefix = prefix;
    }
    txs_diag d;
    memset(&d, 0, sizeof d);
    int rc = txs_gen_run(&c.o, out.f ? out.f : stdout, labels.f, NULL, &d);
    free(prefix);
    if (rc < 0) {
        if (d.file[0] && d.line)
            fprintf(stderr, "txscreen gen: %s:%lu: %s\n", d.file, (unsigned long)d.line,
                    d.msg[0] ? d.msg : txs_strerror(rc));
        else
            fprintf(stderr, "txscreen gen: %s%s%s\n", d.file[0] ? d.file : "",
                    d.file[0] ? ": " : "", d.msg[0] ? d.msg : txs_strerror(rc));
    }
    int ok = rc == 0;
    int close_out = atomic_close(&out, ok);
    int close_labels = atomic_close(&labels, ok && close_out == 0);
    if (close_out || close_labels) {
        if (ok) rc = TXS_E_OUTPUT;
        ok = 0;
    }
    if (ok && !c.out_path && fflush(stdout) != 0) {
        fprintf(stderr, "txscreen gen: write error on stdout: %s\n", strerror(errno));
        return TXS_EXIT_OUTPUT;
    }
    return rc == 0 ? TXS_EXIT_OK : exit_for(rc);
}
