/*
 * cmd_merge.c: `txscreen merge`: recombine the outputs of
 * `txscreen screen --shard K/N` over the shards of `txscreen split` into the
 * alerts, rejects and manifest one `screen` over the original inputs gives
 * (docs/operations.md "Scale-out").
 *
 * Each shard's alerts (and rejects) are in shard order, and a shard's
 * records keep their original order, so merging is a streaming k-way merge
 * on the original position (input, line), found through DIR/shard-K.idx:
 *
 *   shard-K alerts --idx K--> (input, line) --+
 *   ...                                       +--> min position --> combine --> alert
 *   shard-J alerts --idx J--> (input, line) --+
 *
 * A transaction between two shards' accounts may have an alert in both:
 * its home shard's (sanctions, stateless rules, its home account's
 * stateful rules) and the other shard's (stateful rules about the other
 * account).  They become one alert: the home alert's hits in their order,
 * the other's typology hits merged in by rule position (for one rule, the
 * originator's account before the beneficiary's); the score and band are
 * recomputed with txs_score.  Hit objects are copied as text, unchanged;
 * only score, band, source (and a generated txn_id) are rewritten.  In
 * shard mode screen writes every record with a hit (band "none" under the
 * bands), so the recombined score decides, and band "none" is dropped.
 * Memory: one line per input stream, whatever the size of the run.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "cli.h"
#include "merge_json.h"
#include "txs/emit.h"
#include "txs/rules.h"
#include "txs/shard.h"
#include "txs/values.h"

#define MAX_SHARDS 1024

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
"inside: shard-K.csv).  Every shard's alerts must be given (an empty file\n"
"is fine); rejects when --rejects is asked for, manifests for --manifest.\n"
"The outputs of the graph job (`screen --shard graph` over the original\n"
"inputs), when the rule set has cross-account rules, are given the same way.\n"
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

/* ------------------------------------------------------------ split.json */

typedef struct split_input {
    char *name, *base;         /* as screen names it; its basename */
    char encoding[8];
    uint64_t bytes, xxh3, plain_bytes, records, rejected;
    uint64_t merged_rejects;   /* rejects merged for this input */
} split_input;

typedef struct split_info {
    uint32_t n;
    char ext[8];
    split_input *in;
    size_t nin;
    uint64_t records, rejected, frame_rejects;
} split_info;

/* ----------------------------------------------------------- line files */

typedef struct lfile {
    FILE *f;
    char path[4096];
    char *line;
    size_t cap;
    size_t len;
    uint64_t lineno;
} lfile;

/* The next line (without its LF) into lf->line; 1, 0 at end, -1 on error. */
static int lf_next(lfile *lf)
{
    errno = 0;
    ssize_t k = getline(&lf->line, &lf->cap, lf->f);
    if (k < 0) return ferror(lf->f) ? -1 : 0;
    lf->lineno++;
    if (k > 0 && lf->line[k - 1] == '\n') k--;
    lf->line[k] = '\0';
    lf->len = (size_t)k;
    return 1;
}

static void lf_close(lfile *lf)
{
    if (lf->f) fclose(lf->f);
    free(lf->line);
    memset(lf, 0, sizeof *lf);
}

/* ------------------------------------------------------------ idx cursor */

typedef struct idx_cur {
    lfile lf;
    int open, done;
    uint64_t shard_line, input, line, offset;
} idx_cur;

static int idx_open(idx_cur *c, const char *dir, uint32_t k, txs_diag *d)
{
    snprintf(c->lf.path, sizeof c->lf.path, "%s/shard-%u.idx", dir, k);
    c->lf.f = fopen(c->lf.path, "rb");
    if (c->lf.f == NULL)
        return txs_diag_set(d, TXS_E_IO, c->lf.path, 0, "cannot open: %s", strerror(errno));
    c->open = 1;
    return TXS_OK;
}

/* Advance to the entry for shard line L; an error when there is none. */
static int idx_seek(idx_cur *c, uint64_t L, const split_info *si, txs_diag *d)
{
    while (!c->done && (c->shard_line < L || c->lf.lineno == 0)) {
        int rc = lf_next(&c->lf);
        if (rc < 0)
            return txs_diag_set(d, TXS_E_IO, c->lf.path, 0, "read error: %s", strerror(errno));
        if (rc == 0) {
            c->done = 1;
            break;
        }
        if (c->lf.line[0] == '#') continue;
        unsigned long long sl, in, ln, off;
        if (sscanf(c->lf.line, "%llu\t%llu\t%llu\t%llu\t", &sl, &in, &ln, &off) != 4 ||
            in >= si->nin || sl <= c->shard_line)
            return txs_diag_set(d, TXS_E_FORMAT, c->lf.path, (unsigned long)c->lf.lineno,
                                "not a split index line");
        c->shard_line = sl;
        c->input = in;
        c->line = ln;
        c->offset = off;
    }
    if (c->shard_line != L)
        return txs_diag_set(d, TXS_E_FORMAT, c->lf.path, 0,
                            "no record starts at shard line %llu: the shard outputs do not "
                            "belong to this split", (unsigned long long)L);
    return TXS_OK;
}

/* A whole index in memory, for ids generated from shard lines that
 * evidence quotes (records earlier in the shard than the cursor). */
typedef struct idx_mem {
    int loaded;
    uint64_t *v; /* triples: shard line, input, line */
    size_t n;
} idx_mem;

static int idx_load(idx_mem *x, const char *dir, uint32_t k, const split_info *si,
                    txs_diag *d)
{
    idx_cur c = {0};
    TXS_TRY(idx_open(&c, dir, k, d));
    size_t cap = 0;
    int rc = TXS_OK;
    x->loaded = 1;
    for (;;) {
        rc = idx_seek(&c, c.shard_line + 1, si, d);
        if (c.done) {
            rc = TXS_OK;
            break;
        }
        if (rc < 0) { /* a gap in line numbers: take the entry read */
            d->msg[0] = '\0';
            rc = TXS_OK;
        }
        if (x->n + 3 > cap) {
            cap = cap ? cap * 2 : 3 * 1024;
            uint64_t *v = realloc(x->v, cap * sizeof *v);
            if (v == NULL) {
                rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
                break;
            }
            x->v = v;
        }
        x->v[x->n++] = c.shard_line;
        x->v[x->n++] = c.input;
        x->v[x->n++] = c.line;
    }
    lf_close(&c.lf);
    return rc;
}

/* -------------------------------------------------------------- streams */

enum { K_ALERTS, K_REJECTS, K_SPLIT_REJECTS };

/* The shard number of the graph job's outputs (`screen --shard graph` over
 * the original inputs): their sources are already original. */
#define GRAPH_JOB UINT32_MAX

typedef struct stream {
    int kind;
    uint32_t shard;             /* GRAPH_JOB: the graph job's */
    int ident;                  /* sources are the original inputs already */
    lfile lf;
    idx_cur idx;
    mj_doc doc;
    int have;                   /* a head record is loaded */
    uint64_t in, line, offset;  /* its original position */
    uint64_t shard_line;
    char *shard_base;           /* basename of the shard file ("shard-3.csv") */
} stream;

typedef struct merge_run {
    split_info si;
    txs_ruleset *rules;
    stream *st;
    size_t nst;
    /* shard manifests: text and parsed document, by shard */
    char **man_text;
    mj_doc *man;
    size_t nman;
    char *graph_text;           /* the graph job's manifest, if given */
    struct idx_mem *idxm;       /* [n]: whole indexes, loaded on demand */
    mj_doc graph;
    txs_out *out, *rej, *mout;
    /* counts */
    uint64_t alerts, by_band[4], hits, below, sanc_hits, sanc_txns, sanc_alerts, sanc_supp;
    uint64_t *by_rule;
    uint64_t nrejects, combined;
    txs_buf buf, hbuf;
} merge_run;

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static char *read_all(const char *path, size_t *n, txs_diag *d)
{
    char *p;
    return txs_file_read(path, &p, n, d) < 0 ? NULL : p;
}

static int load_split(const char *dir, split_info *si, txs_diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/split.json", dir);
    size_t n;
    char *text = read_all(path, &n, d);
    if (text == NULL) {
        char why[512];
        snprintf(why, sizeof why, "%s", d->msg);
        return txs_diag_set(d, TXS_E_IO, path, 0, "%s (is --split the directory `txscreen "
                            "split --out-dir` wrote?)", why);
    }
    mj_doc doc = {0};
    int rc = TXS_OK;
    uint64_t shards = 0;
    const mj_node *root = NULL, *inputs = NULL, *fmt = NULL;
    if (mj_parse(&doc, text, n) < 0) {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "bad JSON: %s", doc.err);
        goto done;
    }
    root = mj_root(&doc);
    inputs = mj_get(&doc, root, "inputs");
    fmt = mj_get(&doc, root, "format");
    if (mj_u64(&doc, mj_get(&doc, root, "shards"), &shards) < 0 || shards < 1 ||
        shards > MAX_SHARDS || inputs == NULL || inputs->type != MJ_ARR || fmt == NULL ||
        mj_get(&doc, root, "records") == NULL) {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "not a split.json from `txscreen split`");
        goto done;
    }
    si->n = (uint32_t)shards;
    snprintf(si->ext, sizeof si->ext, "%s", mj_str_is(&doc, fmt, "jsonl") ? "jsonl" : "csv");
    mj_u64(&doc, mj_get(&doc, root, "frame_rejects"), &si->frame_rejects);
    si->in = calloc(inputs->count ? inputs->count : 1, sizeof *si->in);
    if (si->in == NULL) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto done;
    }
    for (const mj_node *v = mj_child(&doc, inputs); v; v = mj_next(&doc, v)) {
        split_input *in = &si->in[si->nin++];
        char hex[32] = "";
        in->name = mj_strdup(&doc, mj_get(&doc, v, "file"), NULL);
        mj_str(&doc, mj_get(&doc, v, "encoding"), in->encoding, sizeof in->encoding);
        mj_str(&doc, mj_get(&doc, v, "xxh3"), hex, sizeof hex);
        in->xxh3 = strtoull(hex, NULL, 16);
        if (in->name == NULL || mj_u64(&doc, mj_get(&doc, v, "bytes"), &in->bytes) < 0 ||
            mj_u64(&doc, mj_get(&doc, v, "plain_bytes"), &in->plain_bytes) < 0 ||
            mj_u64(&doc, mj_get(&doc, v, "records"), &in->records) < 0 ||
            mj_u64(&doc, mj_get(&doc, v, "rejected"), &in->rejected) < 0) {
            rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "an input without file, bytes, "
                              "plain_bytes, records or rejected");
            goto done;
        }
        in->base = in->name + (base_of(in->name) - in->name);
        si->records += in->records;
        si->rejected += in->rejected;
    }
done:
    mj_free(&doc);
    free(text);
    return rc;
}

/* The first input named name, or -1. */
static long input_index(const merge_run *m, const char *name)
{
    for (size_t i = 0; i < m->si.nin; i++)
        if (strcmp(m->si.in[i].name, name) == 0) return (long)i;
    return -1;
}

/* "shard-K.<ext>" -> K, or -1. */
static long shard_of_name(const split_info *si, const char *name)
{
    const char *b = base_of(name);
    if (strncmp(b, "shard-", 6) != 0) return -1;
    char *end;
    errno = 0;
    unsigned long k = strtoul(b + 6, &end, 10);
    if (errno || end == b + 6 || *end != '.' || strcmp(end + 1, si->ext) != 0 || k >= si->n)
        return -1;
    return (long)k;
}

/* --------------------------------------------------------- stream heads */

static int bad_line(stream *s, const char *why, txs_diag *d)
{
    return txs_diag_set(d, TXS_E_FORMAT, s->lf.path, (unsigned long)s->lf.lineno, "%s", why);
}

/* Parse the current line and find the record's original position. */
static int load_head(merge_run *m, stream *s, const merge_args *a, txs_diag *d)
{
    if (mj_parse(&s->doc, s->lf.line, s->lf.len) < 0) {
        char why[200];
        snprintf(why, sizeof why, "bad JSON: %s", s->doc.err);
        return bad_line(s, why, d);
    }
    const mj_node *root = mj_root(&s->doc);
    if (root->type != MJ_OBJ) return bad_line(s, "not a JSON object", d);
    const mj_node *file, *line;
    if (s->kind == K_ALERTS) {
        const mj_node *src = mj_get(&s->doc, root, "source");
        file = mj_get(&s->doc, src, "file");
        line = mj_get(&s->doc, src, "line");
    } else {
        file = mj_get(&s->doc, root, "file");
        line = mj_get(&s->doc, root, "line");
    }
    uint64_t ln;
    char name[4096];
    if (mj_str(&s->doc, file, name, sizeof name) < 0 || mj_u64(&s->doc, line, &ln) < 0)
        return bad_line(s, s->kind == K_ALERTS ? "an alert without source file and line"
                                               : "a reject without file and line", d);
    if (s->ident) {
        /* Already original; inputs come in order, names may repeat. */
        size_t i = s->have ? (size_t)s->in : 0;
        while (i < m->si.nin && strcmp(m->si.in[i].name, name) != 0) i++;
        if (i == m->si.nin) return bad_line(s, "a reject for a file that is not an input", d);
        uint64_t off = 0;
        mj_u64(&s->doc, mj_get(&s->doc, root, "offset"), &off);
        if (s->have && (i < s->in || (i == s->in && ln <= s->line)))
            return bad_line(s, "records out of input order", d);
        s->in = i;
        s->line = ln;
        s->offset = off;
        s->have = 1;
        return TXS_OK;
    }
    long k = shard_of_name(&m->si, name);
    if (k < 0 || (uint32_t)k != s->shard)
        return bad_line(s, "a record from another file than the first line's shard", d);
    if (s->have && ln <= s->shard_line) return bad_line(s, "records out of shard order", d);
    if (!s->idx.open) TXS_TRY(idx_open(&s->idx, a->split_dir, s->shard, d));
    TXS_TRY(idx_seek(&s->idx, ln, &m->si, d));
    s->shard_line = ln;
    s->in = s->idx.input;
    s->line = s->idx.line;
    s->offset = s->idx.offset;
    s->have = 1;
    return TXS_OK;
}

/* Next non-empty line of s as its head; s->have = 0 at the end. */
static int advance(merge_run *m, stream *s, const merge_args *a, txs_diag *d)
{
    for (;;) {
        int rc = lf_next(&s->lf);
        if (rc < 0)
            return txs_diag_set(d, TXS_E_IO, s->lf.path, 0, "read error: %s", strerror(errno));
        if (rc == 0) {
            s->have = 0;
            return TXS_OK;
        }
        if (s->lf.len == 0) continue;
        return load_head(m, s, a, d);
    }
}

/* ------------------------------------------------------ classify inputs */

static int add_manifest(merge_run *m, const char *path, char *text, size_t n, mj_doc *doc,
                        txs_diag *d)
{
    const mj_node *in = mj_child(doc, mj_get(doc, mj_root(doc), "inputs"));
    char name[4096];
    long k = -1;
    if (in && mj_str(doc, mj_get(doc, in, "file"), name, sizeof name) >= 0)
        k = shard_of_name(&m->si, name);
    if (k < 0 && in && input_index(m, name) >= 0) { /* the graph job's */
        if (m->graph_text)
            return txs_diag_set(d, TXS_E_ARG, path, 0, "a second manifest of the graph job");
        m->graph_text = text;
        m->graph = *doc;
        return TXS_OK;
    }
    if (k < 0)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "a manifest whose input is not a shard-K.%s of this split", m->si.ext);
    if (m->man_text[k])
        return txs_diag_set(d, TXS_E_ARG, path, 0, "a second manifest for shard %ld", k);
    m->man_text[k] = text;
    m->man[k] = *doc;
    (void)n;
    m->nman++;
    return TXS_OK;
}

static int add_input(merge_run *m, const merge_args *a, const char *path, txs_diag *d)
{
    stream s = {0};
    snprintf(s.lf.path, sizeof s.lf.path, "%s", path);
    s.lf.f = fopen(path, "rb");
    if (s.lf.f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    int rc;
    while ((rc = lf_next(&s.lf)) > 0 && s.lf.len == 0) {}
    if (rc <= 0) { /* empty: nothing to merge */
        lf_close(&s.lf);
        return rc < 0 ? txs_diag_set(d, TXS_E_IO, path, 0, "read error") : TXS_OK;
    }
    if (mj_parse(&s.doc, s.lf.line, s.lf.len) < 0) {
        /* Not one JSON object a line: a pretty-printed manifest? */
        lf_close(&s.lf);
        mj_free(&s.doc);
        size_t n;
        char *text = read_all(path, &n, d);
        if (text == NULL) return TXS_E_IO;
        mj_doc doc = {0};
        if (mj_parse(&doc, text, n) < 0 ||
            mj_get(&doc, mj_root(&doc), "txscreen_version") == NULL) {
            rc = txs_diag_set(d, TXS_E_FORMAT, path, 0,
                              "neither alerts, rejects nor a manifest of `txscreen screen`");
            mj_free(&doc);
            free(text);
            return rc;
        }
        rc = add_manifest(m, path, text, n, &doc, d);
        if (rc < 0) {
            mj_free(&doc);
            free(text);
        }
        return rc;
    }
    const mj_node *root = mj_root(&s.doc);
    char name[4096] = "";
    if (mj_get(&s.doc, root, "txn_id") && mj_get(&s.doc, root, "hits")) {
        s.kind = K_ALERTS;
        mj_str(&s.doc, mj_get(&s.doc, mj_get(&s.doc, root, "source"), "file"), name, sizeof name);
    } else if (mj_get(&s.doc, root, "reason") && mj_get(&s.doc, root, "excerpt")) {
        s.kind = K_REJECTS;
        mj_str(&s.doc, mj_get(&s.doc, root, "file"), name, sizeof name);
    } else {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 1,
                          "neither alerts, rejects nor a manifest of `txscreen screen`");
        goto fail;
    }
    long k = shard_of_name(&m->si, name);
    if (k < 0 && input_index(m, name) >= 0) { /* the graph job's output */
        k = GRAPH_JOB;
        s.ident = 1;
    }
    if (k < 0) {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 1,
                          "from '%s', not from a shard-K.%s of this split (N=%u)", name,
                          m->si.ext, m->si.n);
        goto fail;
    }
    s.shard = (uint32_t)k;
    for (size_t i = 0; i < m->nst; i++)
        if (m->st[i].kind == s.kind && m->st[i].shard == s.shard) {
            rc = txs_diag_set(d, TXS_E_ARG, path, 0, "a second %s file for %s %u (first: %s)",
                              s.kind == K_ALERTS ? "alerts" : "rejects",
                              s.ident ? "the graph job" : "shard", s.ident ? 0 : s.shard,
                              m->st[i].lf.path);
            goto fail;
        }
    s.shard_base = strdup(s.ident ? "" : base_of(name));
    if (s.shard_base == NULL) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto fail;
    }
    rc = load_head(m, &s, a, d);
    if (rc < 0) goto fail;
    m->st[m->nst++] = s;
    return TXS_OK;
fail:
    lf_close(&s.lf);
    lf_close(&s.idx.lf);
    mj_free(&s.doc);
    free(s.shard_base);
    return rc;
}

static void stream_free(stream *s)
{
    lf_close(&s->lf);
    lf_close(&s->idx.lf);
    mj_free(&s->doc);
    free(s->shard_base);
}

/* ---------------------------------------------------------- combining */

typedef struct mhit {
    const mj_doc *d;
    const mj_node *v;
    txs_hit h;
    int rank;         /* 0: about the originator's account, 1: the beneficiary's */
} mhit;

static int rule_index(const txs_ruleset *rs, const mj_doc *d, const mj_node *id)
{
    for (size_t i = 0; rs && i < txs_ruleset_count(rs); i++)
        if (mj_str_is(d, id, txs_ruleset_rule(rs, i)->id)) return (int)i;
    return -1;
}

/* A hit's kind, rule and score, as the scorer saw it. */
static int read_hit(const merge_run *m, stream *s, const mj_node *v, txs_slice orig,
                    txs_slice bene, mhit *out, txs_diag *d)
{
    const mj_doc *doc = &s->doc;
    out->d = doc;
    out->v = v;
    memset(&out->h, 0, sizeof out->h);
    const mj_node *kind = mj_get(doc, v, "kind"), *rule = mj_get(doc, v, "rule");
    double score = 0;
    if (mj_double(doc, mj_get(doc, v, "score"), &score) < 0)
        return bad_line(s, "a hit without a score", d);
    if (mj_str_is(doc, kind, "typology")) {
        int r = rule_index(m->rules, doc, rule);
        if (r < 0) {
            char id[128] = "?";
            mj_str(doc, rule, id, sizeof id);
            return txs_diag_set(d, TXS_E_CONFIG, s->lf.path, (unsigned long)s->lf.lineno,
                                "rule '%s' is not in the rule set (pass the shards' --rules)",
                                id);
        }
        out->h.kind = TXS_HIT_TYPOLOGY;
        out->h.rule = (uint16_t)r;
    } else if (mj_str_is(doc, kind, "sanctions")) {
        out->h.kind = TXS_HIT_SANCTIONS;
        /* the band policy: a fuzzy name, a weak alias or a name with
         * qualifiers against it cannot block alone; hits without evidence
         * (places, IBAN countries) may */
        const mj_node *ev = mj_get(doc, v, "evidence");
        out->h.rule = ev && (mj_str_is(doc, ev, "fuzzy name") || mj_str_is(doc, ev, "weak alias") ||
                             mj_str_is(doc, ev, "name, qualifiers against"))
                          ? 0
                          : TXS_SANC_MAY_BLOCK;
        const mj_node *sup = mj_get(doc, v, "suppressed");
        if (sup && sup->type == MJ_TRUE) score = 0; /* suppressed: scores nothing */
        else if (mj_str_is(doc, rule, "sanctioned_place"))
            mj_double(doc, mj_get(doc, v, "weight"), &score); /* scored at its weight */
    } else {
        return bad_line(s, "a hit of unknown kind", d);
    }
    out->h.score = score;
    char acct[1024];
    long an = mj_str(doc, mj_get(doc, v, "account"), acct, sizeof acct);
    out->rank = 0;
    if (an >= 0 && bene.n && !(orig.n == (size_t)an && memcmp(orig.p, acct, orig.n) == 0) &&
        bene.n == (size_t)an && memcmp(bene.p, acct, bene.n) == 0)
        out->rank = 1;
    return TXS_OK;
}

static int hit_before(const mhit *f, const mhit *h)
{
    if (h->h.kind != TXS_HIT_TYPOLOGY) return 0;
    if (f->h.rule != h->h.rule) return f->h.rule < h->h.rule;
    return f->rank < h->rank;
}

typedef struct splice {
    size_t start, end;
    const char *p;
    size_t n;
} splice;

static void put_spliced(txs_buf *b, const char *text, size_t len, const splice *sp, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (sp[i].start < at) continue; /* a missing value, nothing to replace */
        txs_buf_put(b, text + at, sp[i].start - at);
        txs_buf_put(b, sp[i].p, sp[i].n);
        at = sp[i].end;
    }
    txs_buf_put(b, text + at, len - at);
}

/* Ids the profile generated from the shard's name and line
 * ("shard-3.csv:17", in txn_id and in evidence quoting other records) back
 * to the original's ("day1.csv:905"): every JSON string of exactly that
 * form in the alert line b->p[from..]. */
/* The first "\"shard-" in p[0..n), or NULL. */
static const char *find_shard_str(const char *p, size_t n)
{
    for (const char *e = p + n; n >= 7 && (p = memchr(p, '"', (size_t)(e - p))) != NULL; p++)
        if ((size_t)(e - p) >= 7 && memcmp(p, "\"shard-", 7) == 0) return p;
    return NULL;
}

static int regen_ids(merge_run *m, const merge_args *a, txs_buf *b, size_t from, txs_diag *d)
{
    if (find_shard_str(b->p + from, b->n - from) == NULL) return TXS_OK;
    txs_buf o = {0};
    const char *p = b->p + from, *end = b->p + b->n;
    while (p < end) {
        const char *q = find_shard_str(p, (size_t)(end - p));
        if (q == NULL) break;
        txs_buf_put(&o, p, (size_t)(q - p));
        /* "shard-K.EXT:L" */
        const char *r = q + 7;
        char *e;
        unsigned long k = strtoul(r, &e, 10);
        size_t xl = strlen(m->si.ext);
        int ok = e > r && *e == '.' && k < m->si.n && (size_t)(end - e) > xl + 2 &&
                 memcmp(e + 1, m->si.ext, xl) == 0 && e[1 + xl] == ':';
        unsigned long long line = 0;
        const char *t = e + 2 + xl;
        if (ok) {
            line = strtoull(t, &e, 10);
            ok = e > t && *e == '"';
        }
        if (!ok) {
            txs_buf_put(&o, q, 7);
            p = q + 7;
            continue;
        }
        idx_mem *x = &m->idxm[k];
        if (!x->loaded) {
            int rc = idx_load(x, a->split_dir, (uint32_t)k, &m->si, d);
            if (rc < 0) {
                txs_buf_free(&o);
                return rc;
            }
        }
        size_t lo = 0, hi = x->n / 3;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (x->v[3 * mid] < line) lo = mid + 1;
            else hi = mid;
        }
        if (lo < x->n / 3 && x->v[3 * lo] == line) {
            char id[4200];
            snprintf(id, sizeof id, "%s:%llu", m->si.in[x->v[3 * lo + 1]].base,
                     (unsigned long long)x->v[3 * lo + 2]);
            txs_buf_json_str(&o, id, strlen(id));
        } else {
            txs_buf_put(&o, q, (size_t)(e + 1 - q));
        }
        p = e + 1;
    }
    txs_buf_put(&o, p, (size_t)(end - p));
    int rc = TXS_OK;
    if (o.oom) rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    else {
        b->n = from;
        txs_buf_put(b, o.p, o.n);
    }
    txs_buf_free(&o);
    return rc;
}

/* The group g[0..ng) holds every alert of one original record. */
static int combine(merge_run *m, const merge_args *a, stream **g, size_t ng, txs_diag *d)
{
    stream *base = g[0];
    const mj_node *root = mj_root(&base->doc);
    const mj_node *accts = mj_get(&base->doc, root, "accounts");
    char ob[1024] = "", bb[1024] = "";
    txs_slice orig = {ob, 0}, bene = {bb, 0};
    const mj_node *a0 = mj_child(&base->doc, accts), *a1 = mj_next(&base->doc, a0);
    long k0 = a0 ? mj_str(&base->doc, a0, ob, sizeof ob) : -1;
    /* The home shard is the first account's (the originator's, else the
     * beneficiary's, the only one listed). */
    uint32_t home = txs_shard_of((txs_slice){ob, k0 > 0 ? (size_t)k0 : 0}, m->si.n);
    if (a0 && a1) { /* both parties have accounts: [orig, bene] */
        orig.n = k0 > 0 ? (size_t)k0 : 0;
        long k = mj_str(&base->doc, a1, bb, sizeof bb);
        bene.n = k > 0 ? (size_t)k : 0;
    }
    if (ng > 1) { /* the home shard's alert leads */
        for (size_t i = 0; i < ng; i++)
            if (g[i]->shard == home) {
                stream *t = g[0];
                g[0] = g[i];
                g[i] = t;
                break;
            }
        base = g[0];
        root = mj_root(&base->doc);
        m->combined++;
    }
    /* The hits: the base's, then the others' typology hits merged in. */
    size_t cap = 0;
    for (size_t i = 0; i < ng; i++) {
        const mj_node *h = mj_get(&g[i]->doc, mj_root(&g[i]->doc), "hits");
        if (h == NULL || h->type != MJ_ARR) return bad_line(g[i], "an alert without hits", d);
        cap += h->count;
    }
    mhit *hv = malloc((cap ? cap : 1) * sizeof *hv);
    txs_hit *th = malloc((cap ? cap : 1) * sizeof *th);
    int rc = TXS_OK;
    size_t nh = 0;
    if (hv == NULL || th == NULL) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ng && rc == TXS_OK; i++) {
        const mj_node *hs = mj_get(&g[i]->doc, mj_root(&g[i]->doc), "hits");
        size_t pos = 0; /* where the last merged hit went */
        for (const mj_node *v = mj_child(&g[i]->doc, hs); v && rc == TXS_OK;
             v = mj_next(&g[i]->doc, v)) {
            mhit x;
            rc = read_hit(m, g[i], v, orig, bene, &x, d);
            if (rc < 0) break;
            if (i == 0) {
                hv[nh++] = x;
                continue;
            }
            if (x.h.kind != TXS_HIT_TYPOLOGY) continue; /* the home shard's job */
            while (pos < nh && !hit_before(&x, &hv[pos])) pos++;
            memmove(hv + pos + 1, hv + pos, (nh - pos) * sizeof *hv);
            hv[pos++] = x;
            nh++;
        }
    }
    if (rc < 0) goto out;
    for (size_t i = 0; i < nh; i++) th[i] = hv[i].h;
    int score, band;
    txs_score(m->rules, th, nh, &score, &band);
    /* Counts, as screen keeps them. */
    uint64_t nsanc = 0, nsupp = 0;
    for (size_t i = 0; i < nh; i++)
        if (th[i].kind == TXS_HIT_SANCTIONS) {
            nsanc++;
            const mj_node *sup = mj_get(hv[i].d, hv[i].v, "suppressed");
            nsupp += sup && sup->type == MJ_TRUE;
        }
    m->hits += nh;
    m->sanc_hits += nsanc;
    m->sanc_supp += nsupp;
    m->sanc_txns += nsanc > nsupp;
    if (band == TXS_BAND_NONE) {
        m->below++;
        goto out;
    }
    m->alerts++;
    m->by_band[band]++;
    m->sanc_alerts += nsanc > nsupp;
    for (size_t i = 0; i < nh; i++) {
        if (th[i].kind != TXS_HIT_TYPOLOGY) continue;
        size_t j = 0;
        while (j < i && !(th[j].kind == TXS_HIT_TYPOLOGY && th[j].rule == th[i].rule)) j++;
        if (j == i && m->by_rule) m->by_rule[th[i].rule]++;
    }
    /* The alert: the base's text with score, band, source, hits (and a
     * txn_id generated from the shard's line) rewritten. */
    const split_input *in = &m->si.in[base->in];
    const mj_doc *bd = &base->doc;
    txs_buf *hb = &m->hbuf;
    hb->n = 0;
    size_t o_score = hb->n;
    txs_buf_printf(hb, "%d", score);
    size_t o_band = hb->n;
    txs_buf_printf(hb, "\"%s\"", txs_band_name(band));
    size_t o_src = hb->n;
    txs_buf_puts(hb, "{\"file\":");
    txs_buf_json_str(hb, in->name, strlen(in->name));
    txs_buf_printf(hb, ",\"line\":%llu}", (unsigned long long)base->line);
    size_t o_hits = hb->n;
    txs_buf_putc(hb, '[');
    for (size_t i = 0; i < nh; i++) {
        if (i) txs_buf_putc(hb, ',');
        txs_buf_put(hb, hv[i].d->text + hv[i].v->start, hv[i].v->end - hv[i].v->start);
    }
    txs_buf_putc(hb, ']');
    size_t o_id = hb->n;
    const mj_node *id = mj_get(bd, root, "txn_id");
    char gen[4200], idtext[4200];
    snprintf(gen, sizeof gen, "%s:%llu", base->shard_base, (unsigned long long)base->shard_line);
    int regen = !base->ident && mj_str(bd, id, idtext, sizeof idtext) >= 0 &&
                strcmp(idtext, gen) == 0;
    if (regen) {
        snprintf(gen, sizeof gen, "%s:%llu", in->base, (unsigned long long)base->line);
        txs_buf_json_str(hb, gen, strlen(gen));
    }
    size_t o_end = hb->n;
    if (hb->oom) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto out;
    }
    const mj_node *vs = mj_get(bd, root, "score"), *vb = mj_get(bd, root, "band"),
                  *vsrc = mj_get(bd, root, "source"), *vh = mj_get(bd, root, "hits");
    if (!vs || !vb || !vsrc || !vh) {
        rc = bad_line(base, "an alert without score, band, source or hits", d);
        goto out;
    }
    splice sp[5];
    size_t ns = 0;
    if (regen) sp[ns++] = (splice){id->start, id->end, hb->p + o_id, o_end - o_id};
    sp[ns++] = (splice){vs->start, vs->end, hb->p + o_score, o_band - o_score};
    sp[ns++] = (splice){vb->start, vb->end, hb->p + o_band, o_src - o_band};
    sp[ns++] = (splice){vsrc->start, vsrc->end, hb->p + o_src, o_hits - o_src};
    sp[ns++] = (splice){vh->start, vh->end, hb->p + o_hits, o_id - o_hits};
    for (size_t i = 1; i < ns; i++) /* by position in the text */
        for (size_t j = i; j > 0 && sp[j].start < sp[j - 1].start; j--) {
            splice t = sp[j];
            sp[j] = sp[j - 1];
            sp[j - 1] = t;
        }
    txs_buf *b = &m->buf;
    size_t from = b->n;
    put_spliced(b, bd->text, bd->len, sp, ns);
    txs_buf_putc(b, '\n');
    if (b->oom) rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    else rc = regen_ids(m, a, b, from, d);
out:
    free(hv);
    free(th);
    return rc;
}

static int flush(txs_buf *b, txs_out *o, txs_diag *d, int force)
{
    if (b->n == 0 || (!force && b->n < (1u << 20))) return TXS_OK;
    int rc = txs_out_write(o, b->p, b->n, d);
    b->n = 0;
    return rc;
}

static int merge_alerts(merge_run *m, const merge_args *a, txs_diag *d)
{
    stream **g = malloc((m->nst ? m->nst : 1) * sizeof *g);
    if (g == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    int rc = TXS_OK;
    for (;;) {
        size_t ng = 0;
        for (size_t i = 0; i < m->nst; i++) {
            stream *s = &m->st[i];
            if (s->kind != K_ALERTS || !s->have) continue;
            if (ng && (s->in > g[0]->in || (s->in == g[0]->in && s->line > g[0]->line)))
                continue;
            if (ng && (s->in < g[0]->in || s->line < g[0]->line)) ng = 0;
            g[ng++] = s;
        }
        if (ng == 0) break;
        /* Shard order (deterministic), then the home shard is picked. */
        for (size_t i = 1; i < ng; i++)
            for (size_t j = i; j > 0 && g[j]->shard < g[j - 1]->shard; j--) {
                stream *t = g[j];
                g[j] = g[j - 1];
                g[j - 1] = t;
            }
        rc = combine(m, a, g, ng, d);
        if (rc >= 0) rc = flush(&m->buf, m->out, d, 0);
        for (size_t i = 0; i < ng && rc >= 0; i++) rc = advance(m, g[i], a, d);
        if (rc < 0) break;
    }
    if (rc >= 0) rc = flush(&m->buf, m->out, d, 1);
    free(g);
    return rc;
}

/* Rejects: the shards' (mapped back) and the split's own, by position; a
 * record rejected twice is written once. */
static int merge_rejects(merge_run *m, const merge_args *a, txs_diag *d)
{
    int rc = TXS_OK;
    int have_last = 0;
    uint64_t last_in = 0, last_line = 0;
    for (;;) {
        stream *s = NULL;
        for (size_t i = 0; i < m->nst; i++) {
            stream *t = &m->st[i];
            if (t->kind == K_ALERTS || !t->have) continue;
            if (s == NULL || t->in < s->in || (t->in == s->in && t->line < s->line)) s = t;
        }
        if (s == NULL) break;
        if (!(have_last && s->in == last_in && s->line == last_line)) {
            const mj_doc *doc = &s->doc;
            const mj_node *root = mj_root(doc);
            const mj_node *vf = mj_get(doc, root, "file"), *vl = mj_get(doc, root, "line"),
                          *vo = mj_get(doc, root, "offset");
            if (!vf || !vl || !vo) return bad_line(s, "a reject without file, line, offset", d);
            const split_input *in = &m->si.in[s->in];
            txs_buf *hb = &m->hbuf;
            hb->n = 0;
            txs_buf_json_str(hb, in->name, strlen(in->name));
            size_t o_line = hb->n;
            txs_buf_printf(hb, "%llu", (unsigned long long)s->line);
            size_t o_off = hb->n;
            txs_buf_printf(hb, "%llu", (unsigned long long)s->offset);
            size_t o_end = hb->n;
            if (hb->oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
            splice sp[3] = {{vf->start, vf->end, hb->p, o_line},
                            {vl->start, vl->end, hb->p + o_line, o_off - o_line},
                            {vo->start, vo->end, hb->p + o_off, o_end - o_off}};
            put_spliced(&m->buf, doc->text, doc->len, sp, 3);
            txs_buf_putc(&m->buf, '\n');
            m->nrejects++;
            m->si.in[s->in].merged_rejects++;
            have_last = 1;
            last_in = s->in;
            last_line = s->line;
            if (m->rej) rc = flush(&m->buf, m->rej, d, 0);
            else m->buf.n = 0;
            if (rc < 0) return rc;
        }
        TXS_TRY(advance(m, s, a, d));
    }
    if (m->rej) return flush(&m->buf, m->rej, d, 1);
    m->buf.n = 0;
    return TXS_OK;
}

/* -------------------------------------------------------------- manifest */

static const mj_node *man_get(const merge_run *m, size_t k, const char *key)
{
    return mj_get(&m->man[k], mj_root(&m->man[k]), key);
}

static uint64_t man_count(const merge_run *m, const char *key, int *missing)
{
    uint64_t sum = 0;
    for (uint32_t k = 0; k < m->si.n; k++) {
        uint64_t v;
        if (mj_u64(&m->man[k], mj_get(&m->man[k], man_get(m, k, "counts"), key), &v) < 0)
            *missing = 1;
        else sum += v;
    }
    return sum;
}

static void splice_value(txs_buf *b, const merge_run *m, const char *key, const char *indent,
                         int comma)
{
    const mj_node *v = man_get(m, 0, key);
    txs_buf_printf(b, "%s\"%s\": ", indent, key);
    if (v) txs_buf_put(b, m->man[0].text + v->start, v->end - v->start);
    else txs_buf_puts(b, "null");
    txs_buf_puts(b, comma ? ",\n" : "\n");
}

static void kv_str(txs_buf *b, const char *indent, const char *key, const char *val, int comma)
{
    txs_buf_printf(b, "%s\"%s\": ", indent, key);
    if (val) txs_buf_json_str(b, val, strlen(val));
    else txs_buf_puts(b, "null");
    txs_buf_puts(b, comma ? ",\n" : "\n");
}

static void kv_u64(txs_buf *b, const char *key, uint64_t v, int comma)
{
    txs_buf_printf(b, "    \"%s\": %llu%s\n", key, (unsigned long long)v, comma ? "," : "");
}

/* The manifest of the whole run, in the layout of txs_manifest_write:
 * inputs from split.json, rule set and lists as the shards' manifests
 * state them, counts summed (read, screened, rejected, dropped hits) or
 * recomputed from the merged alerts. */
static void write_manifest(txs_buf *b, merge_run *m, const merge_args *a, const char *cmd,
                           const char *started, double wall)
{
    int missing = 0;
    uint64_t dropped = man_count(m, "hits_dropped", &missing), gd = 0;
    if (m->graph_text &&
        mj_u64(&m->graph, mj_get(&m->graph, mj_get(&m->graph, mj_root(&m->graph), "counts"),
                                 "hits_dropped"), &gd) == 0)
        dropped += gd;
    uint64_t read = 0, rejected = 0, plain = 0;
    for (size_t i = 0; i < m->si.nin; i++) {
        read += m->si.in[i].records;
        rejected += m->si.in[i].rejected;
        plain += m->si.in[i].plain_bytes;
    }
    txs_buf_puts(b, "{\n");
    kv_str(b, "  ", "txscreen_version", TXS_VERSION, 1);
    kv_str(b, "  ", "command", cmd, 1);
    splice_value(b, m, "profile", "  ", 1);
    txs_buf_puts(b, "  \"inputs\": [");
    for (size_t i = 0; i < m->si.nin; i++) {
        const split_input *s = &m->si.in[i];
        txs_buf_puts(b, i ? ",\n    {" : "\n    {");
        txs_buf_puts(b, "\"file\": ");
        txs_buf_json_str(b, s->name, strlen(s->name));
        txs_buf_printf(b,
                       ", \"encoding\": \"%s\", \"bytes\": %llu, \"xxh3\": "
                       "\"%016llx\", \"read\": %llu, \"rejected\": %llu}",
                       s->encoding, (unsigned long long)s->bytes, (unsigned long long)s->xxh3,
                       (unsigned long long)s->records, (unsigned long long)s->rejected);
    }
    txs_buf_puts(b, m->si.nin ? "\n  ],\n" : "],\n");
    splice_value(b, m, "rules", "  ", 1);
    const mj_node *lists = man_get(m, 0, "lists");
    int nlists = lists && lists->type == MJ_ARR && lists->count > 0;
    splice_value(b, m, "lists", "  ", 1);
    if (nlists) splice_value(b, m, "sanctions_threshold", "  ", 1);
    int gg = nlists && man_get(m, 0, "good_guys") != NULL;
    if (gg) splice_value(b, m, "good_guys", "  ", 1);
    txs_buf_puts(b, "  \"outputs\": {\n");
    kv_str(b, "    ", "alerts", a->out, 1);
    kv_str(b, "    ", "rejects", a->rejects, 0);
    txs_buf_puts(b, "  },\n  \"counts\": {\n");
    kv_u64(b, "read", read, 1);
    kv_u64(b, "screened", read - rejected, 1);
    kv_u64(b, "rejected", rejected, 1);
    kv_u64(b, "alerts", m->alerts, 1);
    kv_u64(b, "hits", m->hits, 1);
    kv_u64(b, "hits_dropped", dropped, 1);
    if (nlists) {
        kv_u64(b, "sanctions_hits", m->sanc_hits, 1);
        kv_u64(b, "sanctions_txns", m->sanc_txns, 1);
        kv_u64(b, "sanctions_alerts", m->sanc_alerts, 1);
        if (gg) kv_u64(b, "sanctions_suppressed", m->sanc_supp, 1);
    }
    /* Stateful rules.  A record is late when it is late for one of its
     * accounts; the graph job holds every account, so its count is the
     * single run's; without it, the shards' sum (a record late in two
     * shards counts twice). */
    const mj_node *state = man_get(m, 0, "state");
    uint64_t late = 0;
    if (state && !(m->graph_text &&
                   mj_u64(&m->graph, mj_get(&m->graph, mj_get(&m->graph, mj_root(&m->graph),
                                                             "counts"), "late_records"),
                          &late) == 0))
        late = man_count(m, "late_records", &missing);
    if (state) kv_u64(b, "late_records", late, 1);
    kv_u64(b, "txns_hit_below_band", m->below, 0);
    txs_buf_puts(b, "  },\n  \"alerts_by_band\": {\n");
    kv_u64(b, "block", m->by_band[TXS_BAND_BLOCK], 1);
    kv_u64(b, "review", m->by_band[TXS_BAND_REVIEW], 1);
    kv_u64(b, "edd", m->by_band[TXS_BAND_EDD], 0);
    if (state) {
        static const char *const keys[] = {"loaded", "loaded_accounts", "rules_changed",
                                           "accounts", "events", "bytes", "late_events",
                                           "expired_events", "truncated_events",
                                           "unconverted_amounts"};
        txs_buf_puts(b, "  },\n  \"state\": {\n");
        for (size_t i = 0; i < TXS_ARRAY_LEN(keys); i++) {
            int flag = i == 0 || i == 2; /* loaded, rules_changed: any shard */
            uint64_t v = 0;
            for (uint32_t k = 0; k < m->si.n; k++) {
                uint64_t x = 0;
                mj_u64(&m->man[k], mj_get(&m->man[k], man_get(m, k, "state"), keys[i]), &x);
                v = flag ? (x > v ? x : v) : v + x;
            }
            kv_u64(b, keys[i], v, i + 1 < TXS_ARRAY_LEN(keys));
        }
    }
    txs_buf_puts(b, "  },\n  \"alerts_by_rule\": {");
    size_t nr = m->rules ? txs_ruleset_count(m->rules) : 0;
    for (size_t i = 0; i < nr; i++) {
        const txs_rule_info *ri = txs_ruleset_rule(m->rules, i);
        txs_buf_puts(b, i ? ",\n    " : "\n    ");
        txs_buf_json_str(b, ri->id, strlen(ri->id));
        txs_buf_printf(b, ": %llu", (unsigned long long)m->by_rule[i]);
    }
    txs_buf_puts(b, nr ? "\n  },\n" : "},\n");
    double secs = wall > 0 ? wall : 1e-9;
    txs_buf_puts(b, "  \"timing\": {\n");
    kv_str(b, "    ", "started_utc", started, 1);
    txs_buf_printf(b, "    \"wall_seconds\": %.6f,\n", wall);
    txs_buf_printf(b, "    \"records_per_second\": %.0f,\n", (double)read / secs);
    txs_buf_printf(b, "    \"mb_per_second\": %.1f\n", (double)plain / secs / 1e6);
    txs_buf_puts(b, "  }\n}\n");
}

/* With every shard's manifest: the counts must add up to the split's. */
static int check_manifests(merge_run *m, txs_diag *d)
{
    for (uint32_t k = 0; k < m->si.n; k++)
        if (m->man_text[k] == NULL)
            return txs_diag_set(d, TXS_E_IO, "", 0,
                                "--manifest needs every shard's manifest; shard %u's is missing",
                                k);
    int missing = 0;
    uint64_t read = man_count(m, "read", &missing);
    uint64_t rejected = man_count(m, "rejected", &missing);
    if (missing)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0, "a shard manifest without counts");
    uint64_t want = m->si.records - m->si.frame_rejects;
    uint64_t want_rej = m->si.rejected - m->si.frame_rejects;
    if (read != want || rejected != want_rej)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "the shard manifests count %llu records read (%llu rejected) but "
                            "the split sent %llu (%llu that do not parse): a shard run is "
                            "missing, incomplete or over other files",
                            (unsigned long long)read, (unsigned long long)rejected,
                            (unsigned long long)want, (unsigned long long)want_rej);
    return TXS_OK;
}

/* ----------------------------------------------------------------- run */

static int load_rules(merge_run *m, const merge_args *a, txs_diag *d)
{
    char spec[4096] = "default";
    const mj_node *mr = NULL;
    size_t k0 = 0;
    while (k0 < m->si.n && m->man_text[k0] == NULL) k0++;
    if (k0 < m->si.n) mr = mj_get(&m->man[k0], mj_root(&m->man[k0]), "rules");
    if (a->rules) snprintf(spec, sizeof spec, "%s", a->rules);
    else if (mr && mr->type == MJ_NULL) snprintf(spec, sizeof spec, "none");
    else if (mr) mj_str(&m->man[k0], mj_get(&m->man[k0], mr, "spec"), spec, sizeof spec);
    if (strcmp(spec, "none") == 0) return TXS_OK;
    TXS_TRY(txs_ruleset_load(spec, &m->rules, d));
    m->by_rule = calloc(txs_ruleset_count(m->rules) + 1, sizeof *m->by_rule);
    if (m->by_rule == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (uint32_t k = 0; k < m->si.n; k++) {
        if (m->man_text[k] == NULL) continue;
        char hex[32] = "", want[32];
        const mj_node *r = mj_get(&m->man[k], mj_root(&m->man[k]), "rules");
        mj_str(&m->man[k], mj_get(&m->man[k], r, "xxh3"), hex, sizeof hex);
        snprintf(want, sizeof want, "%016llx", (unsigned long long)txs_ruleset_hash(m->rules));
        if (strcmp(hex, want) != 0)
            return txs_diag_set(d, TXS_E_CONFIG, spec, 0,
                                "rule set xxh3 %s, but shard %u was screened with %s: pass "
                                "the shards' rule set with --rules",
                                want, k, hex[0] ? hex : "no rules");
    }
    return TXS_OK;
}

static void run_free(merge_run *m)
{
    for (size_t i = 0; i < m->nst; i++) stream_free(&m->st[i]);
    free(m->st);
    for (uint32_t k = 0; m->man_text && k < m->si.n; k++) {
        free(m->man_text[k]);
        mj_free(&m->man[k]);
    }
    free(m->man_text);
    free(m->man);
    free(m->graph_text);
    for (uint32_t k = 0; m->idxm && k < m->si.n; k++) free(m->idxm[k].v);
    free(m->idxm);
    mj_free(&m->graph);
    for (size_t i = 0; i < m->si.nin; i++) free(m->si.in[i].name);
    free(m->si.in);
    txs_out_abort(m->out);
    txs_out_abort(m->rej);
    txs_out_abort(m->mout);
    txs_ruleset_free(m->rules);
    free(m->by_rule);
    txs_buf_free(&m->buf);
    txs_buf_free(&m->hbuf);
}

static int run(merge_run *m, const merge_args *a, int argc, char **argv, txs_diag *d)
{
    double t0 = txs_cli_now();
    char started[21];
    txs_ts_format((int64_t)time(NULL), started);
    TXS_TRY(load_split(a->split_dir, &m->si, d));
    m->st = calloc((size_t)a->ninputs + 1, sizeof *m->st);
    m->man_text = calloc(m->si.n, sizeof *m->man_text);
    m->man = calloc(m->si.n, sizeof *m->man);
    m->idxm = calloc(m->si.n, sizeof *m->idxm);
    if (!m->st || !m->man_text || !m->man || !m->idxm)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (int i = 0; i < a->ninputs; i++) TXS_TRY(add_input(m, a, a->inputs[i], d));
    /* The split's own rejects (records it could not frame). */
    stream *sr = &m->st[m->nst];
    snprintf(sr->lf.path, sizeof sr->lf.path, "%s/split-rejects.jsonl", a->split_dir);
    sr->kind = K_SPLIT_REJECTS;
    sr->ident = 1;
    sr->lf.f = fopen(sr->lf.path, "rb");
    if (sr->lf.f == NULL)
        return txs_diag_set(d, TXS_E_IO, sr->lf.path, 0, "cannot open: %s", strerror(errno));
    m->nst++;
    TXS_TRY(advance(m, sr, a, d));
    TXS_TRY(load_rules(m, a, d));
    if (a->manifest) TXS_TRY(check_manifests(m, d));
    int have_rej = 0;
    for (size_t i = 0; i < m->nst; i++) have_rej |= m->st[i].kind == K_REJECTS;
    TXS_TRY(txs_out_open(a->out, &m->out, d));
    if (a->rejects) TXS_TRY(txs_out_open(a->rejects, &m->rej, d));
    if (a->manifest) TXS_TRY(txs_out_open(a->manifest, &m->mout, d));
    TXS_TRY(merge_alerts(m, a, d));
    TXS_TRY(merge_rejects(m, a, d));
    if (a->rejects && m->nrejects != m->si.rejected)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "%llu rejects merged but the split has %llu records that do not "
                            "frame or parse: pass every shard's rejects file%s",
                            (unsigned long long)m->nrejects, (unsigned long long)m->si.rejected,
                            have_rej ? "" : " (none given)");
    int rc = txs_out_commit(m->out, d);
    m->out = NULL;
    if (rc == TXS_OK && m->rej) rc = txs_out_commit(m->rej, d);
    m->rej = NULL;
    if (rc < 0 || m->mout == NULL) return rc;
    char *cmd = txs_cli_command_line(argc, argv);
    txs_buf b = {0};
    write_manifest(&b, m, a, cmd ? cmd : "txscreen merge", started, txs_cli_now() - t0);
    free(cmd);
    rc = b.oom ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory")
               : txs_out_write(m->mout, b.p, b.n, d);
    txs_buf_free(&b);
    if (rc == TXS_OK) rc = txs_out_commit(m->mout, d);
    m->mout = NULL;
    return rc;
}

int txs_cmd_merge(int argc, char **argv)
{
    merge_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != 0) return prc > 0 ? TXS_EXIT_OK : TXS_EXIT_USAGE;
    double t0 = txs_cli_now();
    txs_diag d = {{0}, 0, {0}};
    merge_run m = {0};
    int rc = run(&m, &a, argc, argv, &d);
    if (rc < 0) {
        if (d.msg[0] == '\0') txs_diag_set(&d, rc, "", 0, "%s", txs_strerror(rc));
        run_free(&m);
        return txs_cli_report("txscreen merge", &d, txs_cli_exit_for(rc));
    }
    if (!a.quiet)
        fprintf(stderr,
                "txscreen merge: %u shards; alerts %llu (block %llu, review %llu, edd %llu; "
                "%llu combined from two shards), rejects %llu in %.3f s\n",
                m.si.n, (unsigned long long)m.alerts,
                (unsigned long long)m.by_band[TXS_BAND_BLOCK],
                (unsigned long long)m.by_band[TXS_BAND_REVIEW],
                (unsigned long long)m.by_band[TXS_BAND_EDD], (unsigned long long)m.combined,
                (unsigned long long)m.nrejects, txs_cli_now() - t0);
    run_free(&m);
    return TXS_EXIT_OK;
}
