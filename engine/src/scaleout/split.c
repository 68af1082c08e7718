/*
 * split.c: `txscreen split` as a library call (txs_split, txs/scaleout.h):
 * cut exports into N account shards for a cluster run (docs/operations.md
 * "Scale-out").
 *
 * Every input is framed and parsed exactly as `screen` does (same profile,
 * same reader, same binding; the one read-parse loop, txs/walk.h), and each record's bytes are copied verbatim
 * to DIR/shard-K.csv (or .jsonl) for K = txs_shard_of(orig_account) and
 * K = txs_shard_of(bene_account) (shard.h; once if they agree; an empty
 * account adds nothing; both empty: shard 0).  Every shard starts with the
 * header, so `screen` re-parses a shard into the same transactions.
 *
 * Records that parse badly go to shard 0 only, where `screen` rejects them
 * as usual.  Records the reader cannot frame are not copied: their bytes
 * cannot be placed in another file so that they frame the same way (an
 * unterminated quote would swallow the records after it), so split writes
 * their rejects itself, to DIR/split-rejects.jsonl, in the rejects format
 * of `screen` and with the original file, line and offset; merge adds them.
 *
 * DIR/shard-K.idx maps each record of shard K back to where it came from
 * (see IDX_HEADER), and DIR/split.json records the inputs, N, the counts
 * and each shard file's bytes and xxh3 (merge checks the shard runs
 * screened exactly these files).  All outputs are atomic (emit.h); an
 * earlier split.json is removed first and the new one committed last, and
 * shard files of an earlier split that this one does not overwrite are
 * removed before it, so a directory with a split.json holds one complete
 * split.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "txs/emit.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/scaleout.h"
#include "txs/shard.h"
#include "txs/walk.h"

/* First line of every .idx file; then one line per record of the shard:
 * shard line, input number (0-based, split.json order), original line,
 * original byte offset, original file name (tab, newline and backslash
 * escaped as \t \n \\), separated by tabs. */
#define IDX_HEADER "# txscreen split index v1: shard_line\tinput\tline\toffset\tfile\n"

/* Per input: what split.json reports. */
typedef struct in_stats {
    char encoding[8];
    uint64_t raw_bytes, raw_xxh3, plain_bytes;
    uint64_t records, rejected;
    char *esc_name; /* the name escaped for .idx lines */
} in_stats;

typedef struct shard_out {
    txs_out *data, *idx;
    uint64_t line;     /* lines written so far */
    uint64_t records;  /* records written */
    uint64_t home;     /* records whose home shard this is */
    uint64_t bytes, xxh3; /* the data file's, for merge's check (split.json) */
} shard_out;

typedef struct split_run {
    txs_profile *profile;
    txs_source **src;
    int nsrc;
    txs_format fmt;
    uint32_t n;
    shard_out *sh;
    txs_out *rejects, *meta;
    in_stats *in;
    txs_reader *reader;
    txs_batch batch;
    char *hdr_copy;          /* the first header, fields joined by NUL */
    size_t hdr_len, hdr_fields;
    int have_hdr;
    int cur;                 /* the input being walked */
    uint64_t frame_rejects, parse_rejects;
    txs_buf line;            /* scratch for one .idx or rejects line */
} split_run;

static void run_free(split_run *r)
{
    for (int i = 0; i < r->nsrc; i++) txs_source_free(r->src[i]);
    free(r->src);
    for (uint32_t k = 0; r->sh && k < r->n; k++) {
        txs_out_abort(r->sh[k].data);
        txs_out_abort(r->sh[k].idx);
    }
    free(r->sh);
    txs_out_abort(r->rejects);
    txs_out_abort(r->meta);
    for (int i = 0; r->in && i < r->nsrc; i++) free(r->in[i].esc_name);
    free(r->in);
    txs_reader_free(r->reader);
    txs_batch_free(&r->batch);
    free(r->hdr_copy);
    txs_profile_free(r->profile);
    txs_buf_free(&r->line);
}

/* The format screen would pick for a source of this name. */
static txs_format format_for(const txs_split_opts *a, const txs_profile *p, const char *name)
{
    return txs_profile_format_for(p, a->format, name);
}

/* name with tab, newline, CR and backslash escaped (for .idx lines). */
static char *idx_escape(const char *name)
{
    size_t n = strlen(name);
    char *o = malloc(2 * n + 1), *w = o;
    if (o == NULL) return NULL;
    for (const char *p = name; *p; p++) {
        switch (*p) {
        case '\t': *w++ = '\\'; *w++ = 't'; break;
        case '\n': *w++ = '\\'; *w++ = 'n'; break;
        case '\r': *w++ = '\\'; *w++ = 'r'; break;
        case '\\': *w++ = '\\'; *w++ = '\\'; break;
        default: *w++ = *p;
        }
    }
    *w = '\0';
    return o;
}

/* Configuration and every input before any output (as screen does). */
static int prepare(const txs_split_opts *a, split_run *r, txs_diag *d)
{
    TXS_TRY(txs_profile_load(a->profile, &r->profile, d));
    static char *stdin_only[] = {"-"};
    char **inputs = a->ninputs ? a->inputs : stdin_only;
    int n = a->ninputs ? (int)a->ninputs : 1;
    r->src = calloc((size_t)n, sizeof *r->src);
    r->in = calloc((size_t)n, sizeof *r->in);
    if (r->src == NULL || r->in == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (int i = 0; i < n; i++) {
        TXS_TRY(txs_source_open_path(inputs[i], &r->src[i], d));
        r->nsrc++;
        r->in[i].esc_name = idx_escape(txs_source_name(r->src[i]));
        if (r->in[i].esc_name == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        txs_format f = format_for(a, r->profile, txs_source_name(r->src[i]));
        if (i == 0) r->fmt = f;
        else if (f != r->fmt)
            return txs_diag_set(d, TXS_E_ARG, txs_source_name(r->src[i]), 0,
                                "is %s but %s is %s: split CSV and JSONL inputs separately "
                                "(or pass --format)",
                                f == TXS_FMT_JSONL ? "JSONL" : "CSV", txs_source_name(r->src[0]),
                                r->fmt == TXS_FMT_JSONL ? "JSONL" : "CSV");
    }
    txs_reader_opts ro;
    int rc = txs_profile_reader_opts(r->profile, r->fmt, &ro);
    if (rc < 0) return txs_diag_set(d, rc, "", 0, "cannot read this profile's data as %s",
                                    r->fmt == TXS_FMT_JSONL ? "JSONL" : "CSV");
    rc = txs_reader_create(&ro, &r->reader);
    if (rc < 0) return txs_diag_set(d, rc, "", 0, "cannot create a reader: %s", txs_strerror(rc));
    txs_batch_init(&r->batch);
    return TXS_OK;
}

static int make_dir(const char *dir, txs_diag *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return TXS_OK;
        return txs_diag_set(d, TXS_E_OUTPUT, dir, 0, "not a directory");
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return txs_diag_set(d, TXS_E_OUTPUT, dir, 0, "cannot create directory: %s",
                            strerror(errno));
    return TXS_OK;
}

static int open_in_dir(const char *dir, const char *name, txs_out **o, txs_diag *d)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= sizeof path)
        return txs_diag_set(d, TXS_E_OUTPUT, dir, 0, "path too long");
    return txs_out_open(path, o, d);
}

static int open_outputs(const txs_split_opts *a, split_run *r, txs_diag *d)
{
    TXS_TRY(make_dir(a->out_dir, d));
    r->n = (uint32_t)a->shards;
    r->sh = calloc(r->n, sizeof *r->sh);
    if (r->sh == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    const char *ext = r->fmt == TXS_FMT_JSONL ? "jsonl" : "csv";
    for (uint32_t k = 0; k < r->n; k++) {
        char name[64];
        snprintf(name, sizeof name, "shard-%u.%s", k, ext);
        TXS_TRY(open_in_dir(a->out_dir, name, &r->sh[k].data, d));
        snprintf(name, sizeof name, "shard-%u.idx", k);
        TXS_TRY(open_in_dir(a->out_dir, name, &r->sh[k].idx, d));
        TXS_TRY(txs_out_write(r->sh[k].idx, IDX_HEADER, sizeof IDX_HEADER - 1, d));
    }
    TXS_TRY(open_in_dir(a->out_dir, "split-rejects.jsonl", &r->rejects, d));
    return open_in_dir(a->out_dir, "split.json", &r->meta, d);
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k = 0;
    for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) k++;
    return k;
}

/* The header row as a CSV line: fields joined by the delimiter, quoted
 * when they hold the delimiter, a quote, CR or LF (quotes doubled). */
static void header_line(txs_buf *b, const txs_slice *h, size_t n, char delim, char quote)
{
    for (size_t i = 0; i < n; i++) {
        if (i) txs_buf_putc(b, delim);
        int q = 0;
        for (size_t k = 0; k < h[i].n && !q; k++)
            q = h[i].p[k] == delim || h[i].p[k] == quote || h[i].p[k] == '\r' ||
                h[i].p[k] == '\n';
        if (!q) {
            txs_buf_put(b, h[i].p, h[i].n);
            continue;
        }
        txs_buf_putc(b, quote);
        for (size_t k = 0; k < h[i].n; k++) {
            if (h[i].p[k] == quote) txs_buf_putc(b, quote);
            txs_buf_putc(b, h[i].p[k]);
        }
        txs_buf_putc(b, quote);
    }
    txs_buf_putc(b, '\n');
}

/* The first header is written to every shard; later inputs must have the
 * same one, since a shard file has one header. */
static int take_header(split_run *r, int i, txs_diag *d)
{
    size_t nh;
    const txs_slice *h = txs_reader_header(r->reader, &nh);
    if (nh == 0) return TXS_OK;
    size_t len = 0;
    for (size_t k = 0; k < nh; k++) len += h[k].n + 1;
    if (r->have_hdr) {
        int same = nh == r->hdr_fields && len == r->hdr_len;
        const char *p = r->hdr_copy;
        for (size_t k = 0; same && k < nh; k++) {
            same = memcmp(p, h[k].p, h[k].n) == 0 && p[h[k].n] == '\0';
            p += h[k].n + 1;
        }
        if (!same)
            return txs_diag_set(d, TXS_E_CONFIG, txs_source_name(r->src[i]), 0,
                                "its header differs from the header of %s: a shard file has "
                                "one header, so split inputs with different layouts separately",
                                txs_source_name(r->src[0]));
        return TXS_OK;
    }
    r->hdr_copy = malloc(len);
    if (r->hdr_copy == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    char *w = r->hdr_copy;
    for (size_t k = 0; k < nh; k++) {
        memcpy(w, h[k].p, h[k].n);
        w[h[k].n] = '\0';
        w += h[k].n + 1;
    }
    r->hdr_len = len;
    r->hdr_fields = nh;
    r->have_hdr = 1;
    txs_reader_opts ro;
    TXS_TRY(txs_profile_reader_opts(r->profile, r->fmt, &ro));
    txs_buf b = {0};
    header_line(&b, h, nh, ro.delimiter, ro.quote);
    if (b.oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    uint64_t lines = count_lf(b.p, b.n);
    int rc = TXS_OK;
    for (uint32_t k = 0; k < r->n && rc == TXS_OK; k++) {
        rc = txs_out_write(r->sh[k].data, b.p, b.n, d);
        r->sh[k].line += lines;
    }
    txs_buf_free(&b);
    return rc;
}

/* A record the reader could not frame: its reject, as screen writes it. */
static int frame_reject(split_run *r, int i, const txs_record *rec, txs_diag *d)
{
    const char *name = txs_source_name(r->src[i]);
    const char *why = rec->detail ? rec->detail : "malformed record";
    txs_buf *b = &r->line;
    b->n = 0;
    txs_buf_reject(b, name, rec->line, rec->offset, why, rec->raw);
    if (b->oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    r->frame_rejects++;
    r->in[i].rejected++;
    return txs_out_write(r->rejects, b->p, b->n, d);
}

/* Copy rec to shard k: its bytes, a newline, and its .idx line. */
static int put_record(split_run *r, uint32_t k, int i, const txs_record *rec, txs_diag *d)
{
    shard_out *s = &r->sh[k];
    TXS_TRY(txs_out_write(s->data, rec->raw.p, rec->raw.n, d));
    TXS_TRY(txs_out_write(s->data, "\n", 1, d));
    txs_buf *b = &r->line;
    b->n = 0;
    txs_buf_printf(b, "%llu\t%d\t%llu\t%llu\t%s\n", (unsigned long long)(s->line + 1), i,
                   (unsigned long long)rec->line, (unsigned long long)rec->offset,
                   r->in[i].esc_name);
    if (b->oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    TXS_TRY(txs_out_write(s->idx, b->p, b->n, d));
    s->line += 1 + count_lf(rec->raw.p, rec->raw.n);
    s->records++;
    return TXS_OK;
}

/* The walk's callbacks (txs/walk.h); ctx is the run, r->cur the input. */
static int on_header(void *ctx, const txs_slice *h, size_t nh, txs_diag *d)
{
    (void)h, (void)nh;
    split_run *r = ctx;
    return take_header(r, r->cur, d);
}

static int on_record(void *ctx, const txs_record *rec, const txs_txn *t, const char *why,
                     txs_diag *d)
{
    split_run *r = ctx;
    int i = r->cur;
    in_stats *st = &r->in[i];
    st->records++;
    st->plain_bytes = rec->offset + rec->raw.n;
    if (rec->error != TXS_FRAME_OK) return frame_reject(r, i, rec, d);
    if (t == NULL) { /* screen will reject it, in shard 0 */
        (void)why;
        r->parse_rejects++;
        st->rejected++;
        return put_record(r, 0, i, rec, d);
    }
    uint32_t ko = txs_shard_of(t->orig.account, r->n);
    uint32_t kb = txs_shard_of(t->bene.account, r->n);
    r->sh[txs_shard_home(t, r->n)].home++;
    if (t->orig.account.n == 0) ko = kb; /* an empty account adds nothing */
    if (t->bene.account.n == 0) kb = ko;
    TXS_TRY(put_record(r, ko < kb ? ko : kb, i, rec, d));
    return ko != kb ? put_record(r, ko < kb ? kb : ko, i, rec, d) : TXS_OK;
}

static int split_source(split_run *r, int i, txs_diag *d)
{
    static const txs_walk_ops ops = {on_header, on_record};
    txs_source *src = r->src[i];
    r->cur = i;
    int rc = txs_walk_source(r->reader, &r->batch, r->profile, r->fmt, src, (uint32_t)i, &ops,
                             r, d);
    if (rc < 0 && d->msg[0] == '\0') {
        const char *e = txs_source_error(src);
        txs_diag_set(d, rc, txs_source_name(src), 0, "%s", e && *e ? e : txs_strerror(rc));
    }
    in_stats *st = &r->in[i];
    snprintf(st->encoding, sizeof st->encoding, "%s", txs_source_encoding(src));
    st->raw_bytes = txs_source_raw_bytes(src);
    st->raw_xxh3 = txs_source_raw_hash(src);
    return rc < 0 ? rc : TXS_OK;
}

static void put_u64_list(txs_buf *b, const char *key, const shard_out *sh, uint32_t n, int home)
{
    txs_buf_printf(b, "  \"%s\": [", key);
    for (uint32_t k = 0; k < n; k++)
        txs_buf_printf(b, "%s%llu", k ? ", " : "",
                       (unsigned long long)(home ? sh[k].home : sh[k].records));
    txs_buf_puts(b, "],\n");
}

/* split.json: what merge needs (the inputs, N) and what to monitor (the
 * records per shard).  Deterministic: no timing. */
static void write_meta(txs_buf *b, const txs_split_opts *a, const split_run *r, const char *cmd)
{
    uint64_t total = 0, rejected = 0;
    for (int i = 0; i < r->nsrc; i++) {
        total += r->in[i].records;
        rejected += r->in[i].rejected;
    }
    txs_buf_puts(b, "{\n  \"txscreen_version\": \"" TXS_VERSION "\",\n  \"command\": ");
    txs_buf_json_str(b, cmd, strlen(cmd));
    txs_buf_puts(b, ",\n  \"by\": \"account\",\n");
    txs_buf_printf(b, "  \"shards\": %u,\n", r->n);
    txs_buf_puts(b, "  \"profile\": ");
    const char *pn = txs_profile_name(r->profile);
    txs_buf_json_str(b, pn, strlen(pn));
    txs_buf_puts(b, ",\n  \"profile_spec\": ");
    txs_buf_json_str(b, a->profile, strlen(a->profile));
    txs_buf_printf(b, ",\n  \"format\": \"%s\",\n", r->fmt == TXS_FMT_JSONL ? "jsonl" : "csv");
    txs_buf_puts(b, "  \"inputs\": [");
    for (int i = 0; i < r->nsrc; i++) {
        const in_stats *s = &r->in[i];
        const char *name = txs_source_name(r->src[i]);
        txs_buf_puts(b, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
        txs_buf_json_str(b, name, strlen(name));
        txs_buf_printf(b,
                       ", \"encoding\": \"%s\", \"bytes\": %llu, \"xxh3\": \"%016llx\", "
                       "\"plain_bytes\": %llu, \"records\": %llu, \"rejected\": %llu}",
                       s->encoding, (unsigned long long)s->raw_bytes,
                       (unsigned long long)s->raw_xxh3, (unsigned long long)s->plain_bytes,
                       (unsigned long long)s->records, (unsigned long long)s->rejected);
    }
    txs_buf_puts(b, r->nsrc ? "\n  ],\n" : "],\n");
    txs_buf_printf(b, "  \"records\": %llu,\n", (unsigned long long)total);
    txs_buf_printf(b, "  \"rejected\": %llu,\n", (unsigned long long)rejected);
    txs_buf_printf(b, "  \"frame_rejects\": %llu,\n", (unsigned long long)r->frame_rejects);
    txs_buf_printf(b, "  \"parse_rejects\": %llu,\n", (unsigned long long)r->parse_rejects);
    put_u64_list(b, "records_per_shard", r->sh, r->n, 0);
    put_u64_list(b, "home_records_per_shard", r->sh, r->n, 1);
    txs_buf_puts(b, "  \"shard_bytes\": [");
    for (uint32_t k = 0; k < r->n; k++)
        txs_buf_printf(b, "%s%llu", k ? ", " : "", (unsigned long long)r->sh[k].bytes);
    txs_buf_puts(b, "],\n  \"shard_xxh3\": [");
    for (uint32_t k = 0; k < r->n; k++)
        txs_buf_printf(b, "%s\"%016llx\"", k ? ", " : "", (unsigned long long)r->sh[k].xxh3);
    txs_buf_puts(b, "],\n");
    txs_buf_printf(b, "  \"shard_files\": \"shard-K.%s\"\n}\n",
                   r->fmt == TXS_FMT_JSONL ? "jsonl" : "csv");
}

/* "shard-K.EXT" with EXT csv, jsonl or idx: K, and whether the file is one
 * this split (n shards of data files .ext) writes; -1 for other names. */
static long shard_file(const char *name, uint32_t n, const char *ext, int *ours)
{
    if (strncmp(name, "shard-", 6) != 0 || name[6] < '0' || name[6] > '9') return -1;
    char *end;
    unsigned long k = strtoul(name + 6, &end, 10);
    if (*end != '.') return -1;
    end++;
    if (strcmp(end, "csv") != 0 && strcmp(end, "jsonl") != 0 && strcmp(end, "idx") != 0)
        return -1;
    *ours = k < n && (strcmp(end, ext) == 0 || strcmp(end, "idx") == 0);
    return (long)k;
}

/* Remove the shard files of an earlier split into the same directory that
 * this one does not overwrite (a larger N, or the other format), so the
 * directory holds one split. */
static int remove_stale(const char *dir, const split_run *r, txs_diag *d)
{
    DIR *dp = opendir(dir);
    if (dp == NULL) return txs_diag_set(d, TXS_E_OUTPUT, dir, 0, "cannot list: %s", strerror(errno));
    const char *ext = r->fmt == TXS_FMT_JSONL ? "jsonl" : "csv";
    int rc = TXS_OK;
    for (struct dirent *e; rc == TXS_OK && (e = readdir(dp)) != NULL;) {
        int ours = 0;
        if (shard_file(e->d_name, r->n, ext, &ours) < 0 || ours) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0 && errno != ENOENT)
            rc = txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot remove a stale shard file: %s",
                              strerror(errno));
    }
    closedir(dp);
    return rc;
}

/* split.json goes first (a directory without one holds no split), then
 * the shards, the rejects, the stale files of an earlier split, and the
 * new split.json last. */
static int commit_all(const txs_split_opts *a, split_run *r, txs_diag *d)
{
    char meta[4096];
    snprintf(meta, sizeof meta, "%s/split.json", a->out_dir);
    if (unlink(meta) != 0 && errno != ENOENT)
        return txs_diag_set(d, TXS_E_OUTPUT, meta, 0, "cannot remove: %s", strerror(errno));
    int rc = TXS_OK;
    for (uint32_t k = 0; k < r->n; k++) {
        if (rc == TXS_OK) rc = txs_out_digest(r->sh[k].data, &r->sh[k].bytes, &r->sh[k].xxh3, d);
        if (rc == TXS_OK) rc = txs_out_commit(r->sh[k].data, d);
        else txs_out_abort(r->sh[k].data);
        r->sh[k].data = NULL;
        if (rc == TXS_OK) rc = txs_out_commit(r->sh[k].idx, d);
        else txs_out_abort(r->sh[k].idx);
        r->sh[k].idx = NULL;
    }
    if (rc < 0) return rc;
    rc = txs_out_commit(r->rejects, d);
    r->rejects = NULL;
    if (rc < 0) return rc;
    TXS_TRY(remove_stale(a->out_dir, r, d));
    txs_buf b = {0};
    write_meta(&b, a, r, a->command ? a->command : "txscreen split");
    rc = b.oom ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory")
               : txs_out_write(r->meta, b.p, b.n, d);
    txs_buf_free(&b);
    if (rc == TXS_OK) rc = txs_out_commit(r->meta, d);
    r->meta = NULL;
    return rc;
}

int txs_split(const txs_split_opts *a, txs_split_stats *st, txs_diag *d)
{
    split_run r;
    memset(&r, 0, sizeof r);
    memset(st, 0, sizeof *st);
    if (a->shards < 1 || a->shards > TXS_SPLIT_MAX_SHARDS)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "the number of shards must be from 1 to %d",
                            TXS_SPLIT_MAX_SHARDS);
    int rc = prepare(a, &r, d);
    if (rc >= 0) rc = open_outputs(a, &r, d);
    for (int i = 0; rc >= 0 && i < r.nsrc; i++) rc = split_source(&r, i, d);
    if (rc >= 0) rc = commit_all(a, &r, d);
    if (rc < 0 && d->msg[0] == '\0') txs_diag_set(d, rc, "", 0, "%s", txs_strerror(rc));
    if (rc >= 0) {
        st->shards = r.n;
        st->min_records = UINT64_MAX;
        for (int i = 0; i < r.nsrc; i++) st->records += r.in[i].records;
        for (uint32_t k = 0; k < r.n; k++) {
            if (r.sh[k].records < st->min_records) st->min_records = r.sh[k].records;
            if (r.sh[k].records > st->max_records) st->max_records = r.sh[k].records;
        }
        st->frame_rejects = r.frame_rejects;
        st->parse_rejects = r.parse_rejects;
    }
    run_free(&r);
    return rc < 0 ? rc : TXS_OK;
}
