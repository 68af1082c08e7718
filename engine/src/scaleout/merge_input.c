/*
 * merge_input.c: the inputs of `txscreen merge` (merge_int.h): the split's
 * split.json, its shard indexes (shard line -> original input, line,
 * offset), and the given files told apart by content (alerts, rejects or a
 * manifest; a shard's by the shard file its records name, the graph job's
 * by naming an original input).  Each alerts or rejects file becomes a
 * stream whose head record is parsed (txs/json_read.h) and placed at its
 * original position; streams must run in shard (or input) order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include "merge_int.h"

static const txs_json *json_next(const txs_json *v)
{
    return v ? v->next : NULL;
}

/* String v decoded into a malloc'd copy; NULL when not a string. */
static char *json_strdup(const txs_json *v, size_t *n)
{
    if (v == NULL || v->type != TXS_JSON_STR) return NULL;
    char *s = malloc(v->n + 1);
    if (s == NULL) return NULL;
    memcpy(s, v->s, v->n + 1);
    if (n) *n = v->n;
    return s;
}

/* ----------------------------------------------------------- line files */


/* The next line (without its LF) into lf->line; 1, 0 at end, -1 on error. */
int txs__merge_lf_next(lfile *lf)
{
    errno = 0;
    if (lf->xs == NULL) {
        if ((lf->xs = XXH3_createState()) == NULL) return -1;
        XXH3_64bits_reset(lf->xs);
    }
    ssize_t k = getline(&lf->line, &lf->cap, lf->f);
    if (k < 0) return ferror(lf->f) ? -1 : 0;
    XXH3_64bits_update_dispatch(lf->xs, lf->line, (size_t)k);
    lf->bytes += (uint64_t)k;
    lf->lineno++;
    if (k > 0 && lf->line[k - 1] == '\n') k--;
    lf->line[k] = '\0';
    lf->len = (size_t)k;
    return 1;
}

uint64_t txs__merge_lf_digest(const lfile *lf)
{
    return lf->xs ? XXH3_64bits_digest(lf->xs) : XXH3_64bits(NULL, 0);
}

void txs__merge_lf_close(lfile *lf)
{
    if (lf->f) fclose(lf->f);
    XXH3_freeState(lf->xs);
    free(lf->line);
    memset(lf, 0, sizeof *lf);
}


/* ----------------------------------------------------------- idx cursor */

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
        int rc = txs__merge_lf_next(&c->lf);
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


int txs__merge_idx_load(idx_mem *x, const char *dir, uint32_t k, const split_info *si,
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
    txs__merge_lf_close(&c.lf);
    return rc;
}


/* -------------------------------------------------------------- streams */

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

/* split.json's shard_bytes and shard_xxh3: what each shard file was when
 * split wrote it, so merge can tell a shard run over another file. */
static int shard_files(split_info *si, const txs_json *root, const char *path, txs_diag *d)
{
    const txs_json *b = txs_json_get(root, "shard_bytes"), *x = txs_json_get(root, "shard_xxh3");
    if (b == NULL || x == NULL || b->type != TXS_JSON_ARR || x->type != TXS_JSON_ARR ||
        b->count != si->n || x->count != si->n)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "no shard_bytes and shard_xxh3 for its %u shards: split again with "
                            "this version", si->n);
    si->shard_bytes = calloc(si->n, sizeof *si->shard_bytes);
    si->shard_xxh3 = calloc(si->n, sizeof *si->shard_xxh3);
    if (si->shard_bytes == NULL || si->shard_xxh3 == NULL)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    b = b->first, x = x->first;
    for (uint32_t k = 0; k < si->n; k++, b = b->next, x = x->next) {
        char hex[20] = "", *end;
        if (txs_json_u64(b, &si->shard_bytes[k]) < 0 || txs_json_str(x, hex, sizeof hex) != 16 ||
            (si->shard_xxh3[k] = strtoull(hex, &end, 16), *end != '\0'))
            return txs_diag_set(d, TXS_E_FORMAT, path, 0, "a bad shard_bytes or shard_xxh3 "
                                "entry for shard %u", k);
    }
    return TXS_OK;
}

int txs__merge_load_split(const char *dir, split_info *si, txs_diag *d)
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
    txs_json_doc doc = {0};
    int rc = TXS_OK;
    uint64_t shards = 0;
    const txs_json *root = NULL, *inputs = NULL, *fmt = NULL;
    if (txs_json_parse(&doc, text, n) < 0) {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "bad JSON: %s", doc.err);
        goto done;
    }
    root = doc.root;
    inputs = txs_json_get(root, "inputs");
    fmt = txs_json_get(root, "format");
    if (txs_json_u64(txs_json_get(root, "shards"), &shards) < 0 || shards < 1 ||
        shards > TXS_SPLIT_MAX_SHARDS || inputs == NULL || inputs->type != TXS_JSON_ARR || fmt == NULL ||
        txs_json_get(root, "records") == NULL) {
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "not a split.json from `txscreen split`");
        goto done;
    }
    si->n = (uint32_t)shards;
    snprintf(si->ext, sizeof si->ext, "%s", txs_json_str_is(fmt, "jsonl") ? "jsonl" : "csv");
    rc = shard_files(si, root, path, d);
    if (rc < 0) goto done;
    txs_json_u64(txs_json_get(root, "frame_rejects"), &si->frame_rejects);
    si->in = calloc(inputs->count ? inputs->count : 1, sizeof *si->in);
    if (si->in == NULL) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto done;
    }
    for (const txs_json *v = txs_json_first(inputs); v; v = json_next(v)) {
        split_input *in = &si->in[si->nin++];
        char hex[32] = "";
        in->name = json_strdup(txs_json_get(v, "file"), NULL);
        txs_json_str(txs_json_get(v, "encoding"), in->encoding, sizeof in->encoding);
        txs_json_str(txs_json_get(v, "xxh3"), hex, sizeof hex);
        in->xxh3 = strtoull(hex, NULL, 16);
        if (in->name == NULL || txs_json_u64(txs_json_get(v, "bytes"), &in->bytes) < 0 ||
            txs_json_u64(txs_json_get(v, "plain_bytes"), &in->plain_bytes) < 0 ||
            txs_json_u64(txs_json_get(v, "records"), &in->records) < 0 ||
            txs_json_u64(txs_json_get(v, "rejected"), &in->rejected) < 0) {
            rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "an input without file, bytes, "
                              "plain_bytes, records or rejected");
            goto done;
        }
        in->base = in->name + (base_of(in->name) - in->name);
        si->records += in->records;
        si->rejected += in->rejected;
    }
done:
    txs_json_free(&doc);
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

int txs__merge_bad_line(stream *s, const char *why, txs_diag *d)
{
    return txs_diag_set(d, TXS_E_FORMAT, s->lf.path, (unsigned long)s->lf.lineno, "%s", why);
}

/* Parse the current line and find the record's original position. */
static int load_head(merge_run *m, stream *s, const txs_merge_opts *a, txs_diag *d)
{
    s->nrec++;
    if (txs_json_parse(&s->doc, s->lf.line, s->lf.len) < 0) {
        char why[200];
        snprintf(why, sizeof why, "bad JSON: %s", s->doc.err);
        return txs__merge_bad_line(s, why, d);
    }
    const txs_json *root = s->doc.root;
    if (root->type != TXS_JSON_OBJ) return txs__merge_bad_line(s, "not a JSON object", d);
    const txs_json *file, *line;
    if (s->kind == K_ALERTS) {
        const txs_json *src = txs_json_get(root, "source");
        file = txs_json_get(src, "file");
        line = txs_json_get(src, "line");
    } else {
        file = txs_json_get(root, "file");
        line = txs_json_get(root, "line");
    }
    uint64_t ln;
    char name[4096];
    if (txs_json_str(file, name, sizeof name) < 0 || txs_json_u64(line, &ln) < 0)
        return txs__merge_bad_line(s, s->kind == K_ALERTS ? "an alert without source file and line"
                                               : "a reject without file and line", d);
    if (s->ident) {
        /* Already original; inputs come in order, names may repeat. */
        size_t i = s->have ? (size_t)s->in : 0;
        while (i < m->si.nin && strcmp(m->si.in[i].name, name) != 0) i++;
        if (i == m->si.nin) return txs__merge_bad_line(s, "a reject for a file that is not an input", d);
        uint64_t off = 0;
        txs_json_u64(txs_json_get(root, "offset"), &off);
        if (s->have && (i < s->in || (i == s->in && ln <= s->line)))
            return txs__merge_bad_line(s, "records out of input order", d);
        s->in = i;
        s->line = ln;
        s->offset = off;
        s->have = 1;
        return TXS_OK;
    }
    long k = shard_of_name(&m->si, name);
    if (k < 0 || (uint32_t)k != s->shard)
        return txs__merge_bad_line(s, "a record from another file than the first line's shard", d);
    if (s->have && ln <= s->shard_line) return txs__merge_bad_line(s, "records out of shard order", d);
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
int txs__merge_advance(merge_run *m, stream *s, const txs_merge_opts *a, txs_diag *d)
{
    for (;;) {
        int rc = txs__merge_lf_next(&s->lf);
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

static int add_manifest(merge_run *m, const char *path, char *text, size_t n, txs_json_doc *doc,
                        txs_diag *d)
{
    const txs_json *in = txs_json_first(txs_json_get(doc->root, "inputs"));
    char name[4096];
    long k = -1;
    if (in && txs_json_str(txs_json_get(in, "file"), name, sizeof name) >= 0)
        k = shard_of_name(&m->si, name);
    if (k < 0 && in && input_index(m, name) >= 0) { /* the graph job's */
        if (m->graph_text)
            return txs_diag_set(d, TXS_E_ARG, path, 0, "a second manifest of the graph job");
        m->graph_path = strdup(path);
        if (m->graph_path == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        m->graph_text = text;
        m->graph = *doc;
        return TXS_OK;
    }
    if (k < 0)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "a manifest whose input is not a shard-K.%s of this split", m->si.ext);
    if (m->man_text[k])
        return txs_diag_set(d, TXS_E_ARG, path, 0, "a second manifest for shard %ld", k);
    m->man_path[k] = strdup(path);
    if (m->man_path[k] == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    m->man_text[k] = text;
    m->man[k] = *doc;
    (void)n;
    m->nman++;
    return TXS_OK;
}

int txs__merge_add_input(merge_run *m, const txs_merge_opts *a, const char *path, txs_diag *d)
{
    stream s = {0};
    snprintf(s.lf.path, sizeof s.lf.path, "%s", path);
    s.lf.f = fopen(path, "rb");
    if (s.lf.f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    int rc;
    while ((rc = txs__merge_lf_next(&s.lf)) > 0 && s.lf.len == 0) {}
    if (rc <= 0) { /* empty: nothing to merge */
        txs__merge_lf_close(&s.lf);
        return rc < 0 ? txs_diag_set(d, TXS_E_IO, path, 0, "read error") : TXS_OK;
    }
    if (txs_json_parse(&s.doc, s.lf.line, s.lf.len) < 0 ||
        txs_json_get(s.doc.root, "txscreen_version") != NULL) {
        /* Not one JSON object a line, or a manifest on one line: a manifest? */
        txs__merge_lf_close(&s.lf);
        txs_json_free(&s.doc);
        size_t n;
        char *text = read_all(path, &n, d);
        if (text == NULL) return TXS_E_IO;
        txs_json_doc doc = {0};
        if (txs_json_parse(&doc, text, n) < 0 ||
            txs_json_get(doc.root, "txscreen_version") == NULL) {
            rc = txs_diag_set(d, TXS_E_FORMAT, path, 0,
                              "neither alerts, rejects nor a manifest of `txscreen screen`");
            txs_json_free(&doc);
            free(text);
            return rc;
        }
        rc = add_manifest(m, path, text, n, &doc, d);
        if (rc < 0) {
            txs_json_free(&doc);
            free(text);
        }
        return rc;
    }
    const txs_json *root = s.doc.root;
    char name[4096] = "";
    if (txs_json_get(root, "txn_id") && txs_json_get(root, "hits")) {
        s.kind = K_ALERTS;
        txs_json_str(txs_json_get(txs_json_get(root, "source"), "file"), name, sizeof name);
    } else if (txs_json_get(root, "reason") && txs_json_get(root, "excerpt")) {
        s.kind = K_REJECTS;
        txs_json_str(txs_json_get(root, "file"), name, sizeof name);
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
    txs__merge_lf_close(&s.lf);
    txs__merge_lf_close(&s.idx.lf);
    txs_json_free(&s.doc);
    free(s.shard_base);
    return rc;
}

void txs__merge_stream_free(stream *s)
{
    txs__merge_lf_close(&s->lf);
    txs__merge_lf_close(&s->idx.lf);
    txs_json_free(&s->doc);
    free(s->shard_base);
}

