/*
 * cmd_score.c: `txscreen score`: score name pairs with an explanation, for
 * calibrating thresholds.  Either one pair on the command line, or a CSV of
 * pairs (--pairs FILE: columns name1, name2 and optionally schema, found by
 * header name) to a CSV with name1, name2, schema, score, match and
 * explanation.  The whole pairs file is read into memory: it is a
 * calibration tool, not the screening path.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "txs/base.h"
#include "txs/match.h"
#include "txs/norm.h"

#define MAX_COLS 64
#define EXPLAIN_CAP 2048

typedef struct score_args {
    const char *pairs, *out;
    txs_name_kind kind;
    int kind_set;
    txs_match_algo algo;
    double threshold;
    long repeat;
    const char *set[32];
    int nset;
} score_args;

/* --set NAME=VALUE: scorer parameters by name, for calibration runs. */
static int set_param(txs_match_params *p, const char *kv)
{
    static const struct { const char *name; size_t off; } names[] = {
        {"threshold", offsetof(txs_match_params, threshold)},
        {"min_token_sim", offsetof(txs_match_params, min_token_sim)},
        {"family_weight", offsetof(txs_match_params, family_weight)},
        {"legal_weight", offsetof(txs_match_params, legal_weight)},
        {"extra_factor", offsetof(txs_match_params, extra_factor)},
        {"conflict_factor", offsetof(txs_match_params, conflict_factor)},
        {"middle_factor", offsetof(txs_match_params, middle_factor)},
        {"initial_sim", offsetof(txs_match_params, initial_sim)},
        {"abjad_factor", offsetof(txs_match_params, abjad_factor)},
        {"han_factor", offsetof(txs_match_params, han_factor)},
        {"number_sim", offsetof(txs_match_params, number_sim)},
        {"edit_slope", offsetof(txs_match_params, edit_slope)},
        {"initials_only_cap", offsetof(txs_match_params, initials_only_cap)},
        {"legal_conflict_penalty", offsetof(txs_match_params, legal_conflict_penalty)},
        {"extra_factor_org", offsetof(txs_match_params, extra_factor_org)},
    };
    const char *eq = strchr(kv, '=');
    if (!eq) return -1;
    if (strncmp(kv, "rarity", (size_t)(eq - kv)) == 0) {
        p->rarity = atoi(eq + 1) ? txs_match_rarity_default() : NULL;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == (size_t)(eq - kv) && strncmp(kv, names[i].name, (size_t)(eq - kv)) == 0) {
            *(double *)(void *)((char *)p + names[i].off) = strtod(eq + 1, NULL);
            return 0;
        }
    return -1;
}

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen score [OPTIONS] NAME1 NAME2\n"
"       txscreen score [OPTIONS] --pairs FILE.csv\n"
"\n"
"Score name pairs with the sanctions name matcher and explain each score:\n"
"the token-by-token alignment, each token's score and weight, the penalties\n"
"and the final score (docs/matching.md).\n"
"\n"
"options:\n"
"  --schema S        person, company (organization, legalentity) or vessel;\n"
"                    default: any (no reordering, legal forms flagged)\n"
"  --algorithm A     default, or ofac (OFAC Sanctions List Search emulation)\n"
"  --pairs FILE      CSV with a header naming columns name1, name2 and\n"
"                    optionally schema; writes CSV with name1, name2, schema,\n"
"                    score, match and explanation\n"
"  --out FILE        output file (default: stdout)\n"
"  --threshold T     match threshold (default: the scorer's, 0.70; ofac 0.80)\n"
"  --repeat N        score every pair N times and report ns per pair on stderr\n"
"  --set NAME=VALUE  override a scorer parameter (docs/matching.md lists them)\n"
"  -h, --help        this text\n"
"\n"
TXS_CLI_EXIT_CODES);
}

static int bad_value(const char *what, const char *arg)
{
    fprintf(stderr, "txscreen score: %s, not '%s' (see --help)\n", what, arg);
    return TXS_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, score_args *a)
{
    enum { O_SCHEMA = 256, O_ALGO, O_PAIRS, O_OUT, O_THRESH, O_REPEAT, O_SET, O_HELP };
    static const struct option opts[] = {
        {"schema", required_argument, NULL, O_SCHEMA}, {"algorithm", required_argument, NULL, O_ALGO},
        {"pairs", required_argument, NULL, O_PAIRS},   {"out", required_argument, NULL, O_OUT},
        {"threshold", required_argument, NULL, O_THRESH}, {"repeat", required_argument, NULL, O_REPEAT},
        {"set", required_argument, NULL, O_SET},
        {"help", no_argument, NULL, O_HELP},           {NULL, 0, NULL, 0}};
    int c;
    memset(a, 0, sizeof *a);
    a->threshold = -1.0;
    a->repeat = 0;
    char *end;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_SCHEMA:
            /* Anything unknown parses as "any": only the word any means it. */
            a->kind = txs_name_kind_parse(optarg);
            a->kind_set = 1;
            if (a->kind == TXS_NAME_ANY && strcasecmp(optarg, "any") != 0)
                return bad_value("--schema must be person, company (organization, "
                                 "legalentity), vessel or any", optarg);
            break;
        case O_ALGO:
            if (strcmp(optarg, "ofac") == 0) a->algo = TXS_MATCH_OFAC;
            else if (strcmp(optarg, "default") == 0) a->algo = TXS_MATCH_DEFAULT;
            else return bad_value("--algorithm must be default or ofac", optarg);
            break;
        case O_PAIRS: a->pairs = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_THRESH:
            a->threshold = strtod(optarg, &end);
            if (end == optarg || *end || !(a->threshold >= 0.0 && a->threshold <= 1.0))
                return bad_value("--threshold must be a number from 0 to 1", optarg);
            break;
        case O_REPEAT:
            a->repeat = strtol(optarg, &end, 10);
            if (end == optarg || *end || a->repeat < 0 || a->repeat > 1000000000)
                return bad_value("--repeat must be a count from 0 to 1000000000", optarg);
            break;
        case O_SET:
            if (a->nset == 32) return bad_value("at most 32 --set, not another", optarg);
            a->set[a->nset++] = optarg;
            break;
        case 'h':
        case O_HELP: help(stdout); return -1;
        default: return txs_cli_bad_option("txscreen score", c, argv, opts);
        }
    }
    if (a->pairs ? optind != argc : argc - optind != 2) {
        fprintf(stderr, "txscreen score: %s (see --help)\n",
                a->pairs ? "with --pairs FILE, give no names" : "give two names, or --pairs FILE");
        return TXS_EXIT_USAGE;
    }
    return 0;
}

/* Split one CSV record at *pos (RFC 4180 quotes; unescapes in place).
 * Returns the number of fields, 0 at end of input. */
static int csv_record(char *buf, size_t n, size_t *pos, char **f, int maxf)
{
    size_t i = *pos;
    int k = 0;
    if (i >= n) return 0;
    for (;;) {
        char *w = buf + i, *start = w;
        if (i < n && buf[i] == '"') {
            i++;
            while (i < n) {
                if (buf[i] == '"' && i + 1 < n && buf[i + 1] == '"') { *w++ = '"'; i += 2; }
                else if (buf[i] == '"') { i++; break; }
                else *w++ = buf[i++];
            }
            while (i < n && buf[i] != ',' && buf[i] != '\n') i++;
        } else {
            while (i < n && buf[i] != ',' && buf[i] != '\n') *w++ = buf[i++];
            if (w > start && w[-1] == '\r') w--;
        }
        char sep = i < n ? buf[i] : '\n';
        *w = '\0';
        if (k < maxf) f[k++] = start;
        i++;
        if (sep == '\n') break;
    }
    *pos = i;
    return k;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap + 1);
    size_t r;
    while (b && (r = fread(b + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b) b[len] = '\0';
    *n = len;
    return b;
}

static void csv_field(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"') fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
}

typedef struct scorer {
    txs_norm *nz;
    txs_match_params mp;
    const score_args *a;
} scorer;

static double score_pair(scorer *s, const char *n1, const char *n2, txs_name_kind k, char *ex, size_t cap)
{
    txs_norm_name q, c;
    if (s->a->algo == TXS_MATCH_OFAC) {
        txs_norm_fold(s->nz, n1, strlen(n1), &q);
        txs_norm_fold(s->nz, n2, strlen(n2), &c);
        return txs_match_ofac(&q, &c, ex, cap);
    }
    txs_norm_name_of(s->nz, n1, strlen(n1), k, &q);
    txs_norm_name_of(s->nz, n2, strlen(n2), k, &c);
    return txs_match_score(&s->mp, &q, &c, NULL, ex, cap);
}

static double threshold(const scorer *s)
{
    if (s->a->threshold >= 0.0) return s->a->threshold;
    return s->a->algo == TXS_MATCH_OFAC ? 0.80 : s->mp.threshold;
}

static double elapsed_ns(const struct timespec *t0, const struct timespec *t1)
{
    return (double)(t1->tv_sec - t0->tv_sec) * 1e9 + (double)(t1->tv_nsec - t0->tv_nsec);
}

/* Two timings: normalising both names and scoring (the calibration path),
 * and scoring alone on names normalised in advance (the screening path:
 * list names are normalised at compile time, a party name once a record). */
static void time_pairs(scorer *s, char **n1, char **n2, txs_name_kind *k, size_t np)
{
    struct timespec t0, t1;
    double sink = 0.0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long r = 0; r < s->a->repeat; r++)
        for (size_t i = 0; i < np; i++) sink += score_pair(s, n1[i], n2[i], k[i], NULL, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double all = elapsed_ns(&t0, &t1) / ((double)np * (double)s->a->repeat);
    txs_norm_name *q = malloc(np * sizeof *q), *c = malloc(np * sizeof *c);
    double only = 0.0;
    if (q && c) {
        for (size_t i = 0; i < np; i++) {
            if (s->a->algo == TXS_MATCH_OFAC) {
                txs_norm_fold(s->nz, n1[i], strlen(n1[i]), &q[i]);
                txs_norm_fold(s->nz, n2[i], strlen(n2[i]), &c[i]);
            } else {
                txs_norm_name_of(s->nz, n1[i], strlen(n1[i]), k[i], &q[i]);
                txs_norm_name_of(s->nz, n2[i], strlen(n2[i]), k[i], &c[i]);
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long r = 0; r < s->a->repeat; r++)
            for (size_t i = 0; i < np; i++)
                sink += s->a->algo == TXS_MATCH_OFAC ? txs_match_ofac(&q[i], &c[i], NULL, 0)
                                                     : txs_match_score(&s->mp, &q[i], &c[i], NULL, NULL, 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        only = elapsed_ns(&t0, &t1) / ((double)np * (double)s->a->repeat);
    }
    free(q);
    free(c);
    fprintf(stderr,
            "txscreen score: %zu pairs x %ld: %.0f ns per pair normalising both names and scoring, "
            "%.0f ns scoring pre-normalised names (checksum %.3f)\n",
            np, s->a->repeat, all, only, sink);
}

static int find_col(char **f, int nf, const char *name)
{
    for (int i = 0; i < nf; i++)
        if (txs_slice_eq_nocase((txs_slice){f[i], strlen(f[i])}, name)) return i;
    return -1;
}

static int run_pairs(scorer *s, FILE *o)
{
    size_t n = 0, pos = 0;
    char *buf = slurp(s->a->pairs, &n);
    char *f[MAX_COLS];
    if (!buf) {
        fprintf(stderr, "txscreen score: cannot read %s\n", s->a->pairs);
        return TXS_EXIT_INPUT;
    }
    int nf = csv_record(buf, n, &pos, f, MAX_COLS);
    int c1 = find_col(f, nf, "name1"), c2 = find_col(f, nf, "name2"), cs = find_col(f, nf, "schema");
    if (c1 < 0 || c2 < 0) {
        fprintf(stderr, "txscreen score: %s: header needs name1 and name2 columns\n", s->a->pairs);
        free(buf);
        return TXS_EXIT_INPUT;
    }
    size_t cap = 1024, np = 0;
    char **n1 = malloc(cap * sizeof *n1), **n2 = malloc(cap * sizeof *n2);
    txs_name_kind *k = malloc(cap * sizeof *k);
    char ex[EXPLAIN_CAP];
    int rc = TXS_EXIT_OK;
    fprintf(o, "name1,name2,schema,score,match,explanation\n");
    while (n1 && n2 && k && (nf = csv_record(buf, n, &pos, f, MAX_COLS)) > 0) {
        if (nf <= c1 || nf <= c2) continue;
        txs_name_kind kind = s->a->kind_set ? s->a->kind : cs >= 0 && cs < nf ? txs_name_kind_parse(f[cs]) : TXS_NAME_ANY;
        double sc = score_pair(s, f[c1], f[c2], kind, ex, sizeof ex);
        csv_field(o, f[c1]);
        fputc(',', o);
        csv_field(o, f[c2]);
        fprintf(o, ",%s,%.4f,%s,", txs_name_kind_str(kind), sc, sc >= threshold(s) ? "true" : "false");
        csv_field(o, ex);
        fputc('\n', o);
        if (np == cap) {
            cap *= 2;
            char **a1 = realloc(n1, cap * sizeof *n1), **a2 = realloc(n2, cap * sizeof *n2);
            txs_name_kind *ak = realloc(k, cap * sizeof *k);
            n1 = a1 ? a1 : n1; n2 = a2 ? a2 : n2; k = ak ? ak : k;
            if (!a1 || !a2 || !ak) { rc = TXS_EXIT_INTERNAL; break; }
        }
        n1[np] = f[c1]; n2[np] = f[c2]; k[np] = kind; np++;
    }
    if (!n1 || !n2 || !k) rc = TXS_EXIT_INTERNAL;
    if (rc == TXS_EXIT_OK && s->a->repeat > 0 && np > 0) time_pairs(s, n1, n2, k, np);
    free(n1); free(n2); free(k); free(buf);
    return rc;
}

int txs_cmd_score(int argc, char **argv)
{
    score_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) return rc < 0 ? TXS_EXIT_OK : rc;
    scorer s;
    memset(&s, 0, sizeof s);
    s.a = &a;
    txs_match_params_default(&s.mp);
    for (int i = 0; i < a.nset; i++)
        if (set_param(&s.mp, a.set[i]) < 0) {
            fprintf(stderr, "txscreen score: bad --set '%s'\n", a.set[i]);
            return TXS_EXIT_USAGE;
        }
    if (!(s.nz = txs_norm_new())) return TXS_EXIT_INTERNAL;
    FILE *o = stdout;
    if (a.out && strcmp(a.out, "-") != 0 && !(o = fopen(a.out, "w"))) {
        fprintf(stderr, "txscreen score: cannot write %s\n", a.out);
        txs_norm_free(s.nz);
        return TXS_EXIT_OUTPUT;
    }
    if (a.pairs) {
        rc = run_pairs(&s, o);
    } else {
        char ex[EXPLAIN_CAP];
        txs_name_kind k = a.kind_set ? a.kind : TXS_NAME_ANY;
        double sc = score_pair(&s, argv[optind], argv[optind + 1], k, ex, sizeof ex);
        fprintf(o, "score %.4f  match %s  (%s, %s, threshold %.2f)\n%s\n", sc,
                sc >= threshold(&s) ? "true" : "false", a.algo == TXS_MATCH_OFAC ? "ofac" : "default",
                txs_name_kind_str(k), threshold(&s), ex);
        if (a.repeat > 0) {
            char *n1 = argv[optind], *n2 = argv[optind + 1];
            time_pairs(&s, &n1, &n2, &k, 1);
        }
    }
    if (o != stdout && fclose(o) != 0) rc = TXS_EXIT_OUTPUT;
    else if (o == stdout && fflush(o) != 0) rc = TXS_EXIT_OUTPUT;
    txs_norm_free(s.nz);
    return rc;
}
