/*
 * cmd_parse.c: `txscreen parse`: print what inputs map to, one canonical
 * transaction per JSON line (docs/formats.md "txscreen parse").  Payment
 * messages (ISO 20022 XML, SWIFT FIN) go through the payments reader and
 * show every party with its role and sources; CSV and JSONL exports go
 * through the profile exactly as `screen` reads them.  Rejects go where
 * `screen` sends them: --rejects FILE, else the first few on stderr.  A
 * summary line on stderr accounts for every message or record.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "txs/emit.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/payments.h"
#include "txs/walk.h"

#define STDERR_REJECTS 10

typedef struct parse_args {
    const char *profile, *out, *rejects, *validate_xsd;
    int format;        /* -1 auto, TXS_FMT_CSV, TXS_FMT_JSONL, 10 + txs_pay_format */
    int quiet;
    char **inputs;
    int ninputs;
} parse_args;

typedef struct parse_run {
    txs_out *out, *rej;
    txs_buf buf, rbuf;
    uint64_t rej_lines;
    txs_diag *d;
} parse_run;

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen parse [--profile P | --format F] [OPTIONS] FILE|DIR...\n"
"\n"
"Print the canonical transactions the inputs map to, one JSON object per\n"
"line: amount, currency, value date, references and every party with its\n"
"role (debtor, creditor, agents, intermediaries ...) and where each value\n"
"came from (an element path such as CdtTrfTxInf/Cdtr/Nm, an MT field such\n"
"as :59F:, or the CSV column).  Payment messages: ISO 20022 pacs.008,\n"
"pacs.009, pacs.004, pain.001 (with or without head.001 and an envelope,\n"
"several documents per file) and SWIFT MT103, MT202 (COV), MT205 (COV),\n"
"MT101 (one message, or RJE with '$' between).  A directory is read\n"
"recursively; gzip and zstd are detected.\n"
"\n"
"options:\n"
"  --format F        mx, mt (payment messages; default: from the first\n"
"                    bytes), csv or jsonl (an export, read with --profile;\n"
"                    the default when every FILE is .csv, .tsv, .jsonl or\n"
"                    .ndjson)\n"
"  --profile P       read exports: native, amlworld, saml-d or a YAML file\n"
"  --validate-xsd DIR\n"
"                    validate each ISO 20022 message against the XML\n"
"                    Schemas (*.xsd) in DIR, chosen by the Document's\n"
"                    namespace; an invalid message is a reject\n"
"  --out FILE        the transactions (default: stdout)\n"
"  --rejects FILE    what could not be mapped, as JSON Lines with file,\n"
"                    message, line, where (element path or MT field) and\n"
"                    reason (default: the first %d on stderr)\n"
"  --quiet           no summary line on stderr\n"
"  -h, --help        this help\n"
"\n" TXS_CLI_EXIT_CODES,
            STDERR_REJECTS);
}

static int parse_args_(int argc, char **argv, parse_args *a)
{
    enum { O_PROFILE = 256, O_FORMAT, O_OUT, O_REJECTS, O_QUIET, O_XSD };
    static const struct option opts[] = {
        {"profile", required_argument, NULL, O_PROFILE},
        {"format", required_argument, NULL, O_FORMAT},
        {"validate-xsd", required_argument, NULL, O_XSD},
        {"out", required_argument, NULL, O_OUT},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->format = -1;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
        switch (c) {
        case O_PROFILE: a->profile = optarg; break;
        case O_XSD: a->validate_xsd = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_REJECTS: a->rejects = optarg; break;
        case O_QUIET: case 'q': a->quiet = 1; break;
        case 'h': help(stdout); return 1;
        case O_FORMAT:
            if (strcmp(optarg, "csv") == 0) a->format = TXS_FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0) a->format = TXS_FMT_JSONL;
            else if (strcmp(optarg, "mx") == 0) a->format = 10 + TXS_PAY_MX;
            else if (strcmp(optarg, "mt") == 0) a->format = 10 + TXS_PAY_MT;
            else {
                fprintf(stderr, "txscreen parse: --format must be mx, mt, csv or jsonl, not '%s'\n",
                        optarg);
                return -TXS_EXIT_USAGE;
            }
            break;
        default: return -txs_cli_bad_option("txscreen parse", c, argv, opts);
        }
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    if (a->ninputs == 0) {
        fprintf(stderr, "txscreen parse: no input (give files or directories)\n");
        return -TXS_EXIT_USAGE;
    }
    if (a->validate_xsd && (a->profile || (a->format >= 0 && a->format != 10 + TXS_PAY_MX))) {
        fprintf(stderr, "txscreen parse: --validate-xsd checks ISO 20022 messages, not exports "
                        "or MT\n");
        return -TXS_EXIT_USAGE;
    }
    if (a->profile && a->format >= 10) {
        fprintf(stderr, "txscreen parse: --profile reads exports; --format %s is a payment "
                        "message format\n", a->format == 10 + TXS_PAY_MX ? "mx" : "mt");
        return -TXS_EXIT_USAGE;
    }
    return 0;
}

static int flush(parse_run *r)
{
    int rc = 0;
    if (r->buf.oom || r->rbuf.oom) return txs_diag_set(r->d, TXS_E_NOMEM, "", 0, "out of memory");
    if (r->buf.n) rc = txs_out_write(r->out, r->buf.p, r->buf.n, r->d);
    r->buf.n = 0;
    if (rc == 0 && r->rbuf.n) {
        if (r->rej) {
            rc = txs_out_write(r->rej, r->rbuf.p, r->rbuf.n, r->d);
        } else {
            for (const char *p = r->rbuf.p, *e = p + r->rbuf.n; p < e;) {
                const char *nl = memchr(p, '\n', (size_t)(e - p));
                size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);
                if (r->rej_lines++ < STDERR_REJECTS)
                    fprintf(stderr, "reject: %.*s", (int)len, p);
                p += len;
            }
        }
    }
    r->rbuf.n = 0;
    return rc;
}

/* ------------------------------------------------------ payment messages */

static int on_txn(void *ctx, const txs_txn *t)
{
    parse_run *r = ctx;
    txs_txn_json(&r->buf, t, t->ext->file);
    return r->buf.n > (1u << 20) ? flush(r) : 0;
}

static int on_reject(void *ctx, const txs_pay_reject *j)
{
    parse_run *r = ctx;
    txs_pay_reject_json(&r->rbuf, j);
    return 0;
}

static int run_payments(const parse_args *a, parse_run *r, int quiet)
{
    txs_pay_reader *pr = NULL;
    int fmt = a->format >= 10 ? a->format - 10 : TXS_PAY_AUTO;
    TXS_TRY(txs_pay_reader_create((txs_pay_format)fmt, &pr));
    txs_pay_sink sink = {on_txn, on_reject, r};
    int rc = a->validate_xsd ? txs_pay_reader_validate_xsd(pr, a->validate_xsd, r->d) : 0;
    for (int i = 0; i < a->ninputs && rc >= 0; i++) {
        rc = txs_pay_read_path(pr, a->inputs[i], (uint32_t)i, &sink, r->d);
        if (rc >= 0) rc = flush(r);
    }
    txs_pay_counts c;
    txs_pay_reader_counts(pr, &c);
    txs_pay_reader_free(pr);
    if (rc >= 0 && !quiet)
        fprintf(stderr,
                "parse: %llu files, %llu messages: %llu mapped, %llu rejected; %llu "
                "transactions, %llu transactions rejected; %llu service messages skipped\n",
                (unsigned long long)c.files, (unsigned long long)c.messages,
                (unsigned long long)c.mapped, (unsigned long long)c.rejected,
                (unsigned long long)c.txns, (unsigned long long)c.txn_rejects,
                (unsigned long long)c.service);
    return rc;
}

/* ---------------------------------------------------------------- exports */

/* One export through the one read-parse loop (txs/walk.h). */
typedef struct export_ctx {
    parse_run *r;
    const char *name;
    uint64_t *n, *nrej;
} export_ctx;

static int export_record(void *ctx, const txs_record *rec, const txs_txn *t, const char *why,
                         txs_diag *d)
{
    (void)d;
    export_ctx *x = ctx;
    (*x->n)++;
    if (t == NULL) { /* not framed (rec->detail says why) or not parsed (why) */
        (*x->nrej)++;
        if (why == NULL) why = rec->detail ? rec->detail : "record could not be framed";
        txs_buf_reject(&x->r->rbuf, x->name, rec->line, rec->offset, why, rec->raw);
    } else {
        txs_txn_json(&x->r->buf, t, x->name);
    }
    return x->r->buf.n + x->r->rbuf.n >= (1u << 20) ? flush(x->r) : 0;
}

static int export_source(txs_profile *p, txs_format fmt, txs_reader *rd, txs_source *src,
                         uint32_t i, parse_run *r, uint64_t *n, uint64_t *nrej)
{
    static const txs_walk_ops ops = {NULL, export_record};
    export_ctx x = {r, txs_source_name(src), n, nrej};
    txs_batch batch;
    txs_batch_init(&batch);
    int rc = txs_walk_source(rd, &batch, p, fmt, src, i, &ops, &x, r->d);
    if (rc >= 0) rc = flush(r);
    txs_batch_free(&batch);
    return rc < 0 ? rc : 0;
}

static int run_exports(const parse_args *a, parse_run *r)
{
    txs_profile *p = NULL;
    TXS_TRY(txs_profile_load(a->profile ? a->profile : "native", &p, r->d));
    txs_reader *rd[2] = {NULL, NULL};
    uint64_t n = 0, nrej = 0;
    int rc = 0;
    for (int i = 0; i < a->ninputs && rc >= 0; i++) {
        txs_format fmt = txs_profile_format_for(p, a->format, a->inputs[i]);
        if (rd[fmt] == NULL) {
            txs_reader_opts o;
            rc = txs_profile_reader_opts(p, fmt, &o);
            if (rc >= 0) rc = txs_reader_create(&o, &rd[fmt]);
            if (rc < 0) break;
        }
        txs_source *src = NULL;
        rc = txs_source_open_path(a->inputs[i], &src, r->d);
        if (rc >= 0) rc = export_source(p, fmt, rd[fmt], src, (uint32_t)i, r, &n, &nrej);
        txs_source_free(src);
    }
    txs_reader_free(rd[0]);
    txs_reader_free(rd[1]);
    txs_profile_free(p);
    if (rc >= 0 && !a->quiet)
        fprintf(stderr, "parse: %d files, %llu records: %llu mapped, %llu rejected\n",
                a->ninputs, (unsigned long long)n, (unsigned long long)(n - nrej),
                (unsigned long long)nrej);
    return rc;
}

/* An export by its name: .csv, .tsv, .jsonl or .ndjson, before any .gz,
 * .zst or .zstd. */
static int export_name(const char *path)
{
    static const char *const comp[] = {".gz", ".zst", ".zstd"};
    static const char *const ext[] = {".csv", ".tsv", ".jsonl", ".ndjson"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof comp / sizeof comp[0]; i++) {
        size_t k = strlen(comp[i]);
        if (n > k && strcmp(path + n - k, comp[i]) == 0) {
            n -= k;
            break;
        }
    }
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strncmp(path + n - k, ext[i], k) == 0) return 1;
    }
    return 0;
}

int txs_cmd_parse(int argc, char **argv)
{
    parse_args a;
    int prc = parse_args_(argc, argv, &a);
    if (prc > 0) return TXS_EXIT_OK;
    if (prc < 0) return -prc;
    const char *outs[] = {a.out, a.rejects};
    int u = txs_cli_output_is_input("txscreen parse", outs, 2, a.inputs, (size_t)a.ninputs);
    if (u) return u;
    txs_diag d = {{0}, 0, {0}};
    parse_run r = {NULL, NULL, {0}, {0}, 0, &d};
    int rc = txs_out_open(a.out ? a.out : "-", &r.out, &d);
    if (rc >= 0 && a.rejects) rc = txs_out_open(a.rejects, &r.rej, &d);
    if (rc >= 0) {
        int exports = a.profile != NULL || a.format == TXS_FMT_CSV || a.format == TXS_FMT_JSONL;
        if (!exports && a.format < 0) {   /* every input named as an export */
            exports = 1;
            for (int i = 0; i < a.ninputs; i++) exports &= export_name(a.inputs[i]);
        }
        rc = exports ? run_exports(&a, &r) : run_payments(&a, &r, a.quiet);
    }
    if (rc >= 0) rc = flush(&r);
    if (rc >= 0 && r.rej) {
        rc = txs_out_commit(r.rej, &d);
        r.rej = NULL;
    }
    if (rc >= 0) {
        rc = txs_out_commit(r.out, &d);
        r.out = NULL;
    }
    txs_out_abort(r.rej);
    txs_out_abort(r.out);
    txs_buf_free(&r.buf);
    txs_buf_free(&r.rbuf);
    if (rc < 0) return txs_cli_report("txscreen parse", &d, txs_cli_exit_for(rc));
    return TXS_EXIT_OK;
}
