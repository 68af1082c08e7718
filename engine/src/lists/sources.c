/*
 * sources.c: the sources file of `lists update` (lists_update.h), read with
 * the engine's one YAML loader (yaml_int.h) into a txs_lists_sources:
 *
 *   dir: lists              # where snapshots live; relative to this file
 *   keep: 5                 # snapshots kept in DIR/history
 *   connect_timeout: 10     # seconds
 *   stall_seconds: 30       # a transfer with no byte for this long fails
 *   max_seconds: 600        # a transfer longer than this fails
 *   retries: 3              # after the first try; back-off doubles
 *   backoff: 2              # seconds before the first retry
 *   max_shrink: 0.2         # default band for every source (fractions of
 *   max_growth: 1.0         #   the previous version's entity count)
 *   sources:
 *     - name: ofac-sls
 *       format: ofac-sls-xml
 *       url: https://...
 *       bytes: [10000, 50000000]    # optional: refused outside
 *       entities: [300, 2000]       # optional
 *
 * Every value is checked here, with the line it is on, so an update never
 * starts with a sources file it cannot finish: unknown keys, formats, URL
 * schemes, names and numbers out of range stop with FILE:LINE.  Build time
 * only.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"
#include "txs/lists_update.h"
#include "yaml_int.h"

/* The formats a source may declare (the builder's names), the extension
 * its stored file takes, and the media types accepted by default: the
 * format's own plus the generic ones servers use for downloads. */
static const struct {
    const char *format, *ext, *types;
} FORMATS[] = {
    {"ofac-csv", ".csv", "text/csv, text/plain, application/csv, application/octet-stream"},
    {"ofac-sls-xml", ".xml", "application/xml, text/xml, application/octet-stream"},
    {"un-xml", ".xml", "application/xml, text/xml, application/octet-stream"},
    {"ca-sema-xml", ".xml", "application/xml, text/xml, application/octet-stream"},
    {"os-simple", ".csv", "text/csv, text/plain, application/csv, application/octet-stream"},
    {"eu-csv", ".csv", "text/csv, text/plain, application/csv, application/octet-stream"},
    {"uk-csv", ".csv", "text/csv, text/plain, application/csv, application/octet-stream"},
    {"ftm", ".json", "application/json, application/x-ndjson, text/plain, "
                     "application/octet-stream"},
};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

/* A sources-file error at node n's line (the document's start if NULL). */
#define BAD(n, ...) txs_diag_set(d, TXS_E_CONFIG, doc->file, (n) ? (n)->line : 0, __VA_ARGS__)

static int scalar(const txs_ydoc *doc, const txs_ynode *n, const char *key, txs_diag *d)
{
    if (n->type != TXS_Y_SCALAR) return BAD(n, "'%s' must be a single value", key);
    return TXS_OK;
}

static int str_into(const txs_ydoc *doc, const txs_ynode *n, const char *key, char *out,
                    size_t cap, txs_diag *d)
{
    TXS_TRY(scalar(doc, n, key, d));
    if (n->len == 0 || n->len >= cap || memchr(n->str, '\0', n->len))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "'%s' must be 1 to %zu bytes of text", key, cap - 1);
    memcpy(out, n->str, n->len + 1);
    return TXS_OK;
}

/* A number in [lo, hi]: decimal text only (no hex, inf or nan). */
static int num(const txs_ydoc *doc, const txs_ynode *n, const char *key, double lo, double hi,
               double *out, txs_diag *d)
{
    TXS_TRY(scalar(doc, n, key, d));
    char *end;
    errno = 0;
    double v = n->len && strspn(n->str, "0123456789.") == n->len ? strtod(n->str, &end) : NAN;
    if (!isfinite(v) || errno || *end != '\0' || v < lo || v > hi)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "'%s' must be a number from %g to %g, not '%.40s'", key, lo, hi,
                            n->str);
    *out = v;
    return TXS_OK;
}

static int count(const txs_ydoc *doc, const txs_ynode *n, const char *key, double hi,
                 uint64_t *out, txs_diag *d)
{
    double v = 0.0; /* num() sets it before any use; gcc warns without it under -fprofile-generate */
    TXS_TRY(num(doc, n, key, 0, hi, &v, d));
    if (v != floor(v))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line, "'%s' must be a whole number",
                            key);
    *out = (uint64_t)v;
    return TXS_OK;
}

/* [MIN, MAX] with MIN <= MAX. */
static int range(const txs_ydoc *doc, const txs_ynode *n, const char *key, uint64_t *lo,
                 uint64_t *hi, txs_diag *d)
{
    if (n->type != TXS_Y_SEQ || n->n != 2)
        return BAD(n, "'%s' must be [MIN, MAX]", key);
    TXS_TRY(count(doc, n->items[0], key, 1e15, lo, d));
    TXS_TRY(count(doc, n->items[1], key, 1e15, hi, d));
    if (*lo > *hi) return BAD(n, "'%s': MIN is above MAX", key);
    return TXS_OK;
}

static int url_ok(const txs_ydoc *doc, const txs_ynode *n, char *out, size_t cap, txs_diag *d)
{
    TXS_TRY(str_into(doc, n, "url", out, cap, d));
    if (strncasecmp(out, "http://", 7) != 0 && strncasecmp(out, "https://", 8) != 0)
        return BAD(n, "url '%s' is not http:// or https://", out);
    for (const char *p = out; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) return BAD(n, "url '%s' has a space or control byte", out);
    return TXS_OK;
}

/* A stored file name: letters, digits, '.', '_', '-', not starting with a
 * dot (the commit's temporaries do). */
static int file_name_ok(const char *s)
{
    if (s[0] == '\0' || s[0] == '.' || strlen(s) >= 128) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-') return 0;
    return 1;
}

/* The last path segment of a URL, without query or fragment. */
static void url_base(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t end = strcspn(p, "?#");
    const char *slash = NULL;
    for (const char *q = p; q < p + end; q++)
        if (*q == '/') slash = q;
    const char *b = slash ? slash + 1 : p + end;
    snprintf(out, cap, "%.*s", (int)(p + end - b), b);
}

static int source_files(const txs_ydoc *doc, const txs_ynode *n, txs_update_source *s,
                        size_t fmt, txs_diag *d)
{
    const txs_ynode *v = txs__ymap_get(n, "file");
    if (v) TXS_TRY(str_into(doc, v, "file", s->file, sizeof s->file, d));
    else if (strcmp(s->format, "ofac-csv") == 0) url_base(s->url, s->file, sizeof s->file);
    else snprintf(s->file, sizeof s->file, "%s%s", s->name, FORMATS[fmt].ext);
    if (!file_name_ok(s->file))
        return BAD(v ? v : n, "stored file name '%s' must be letters, digits, '.', '_' "
                                      "or '-' (give one with 'file:')", s->file);
    int ofac = strcmp(s->format, "ofac-csv") == 0;
    if (ofac && strcasecmp(s->file, "sdn.csv") != 0 && strcasecmp(s->file, "cons_prim.csv") != 0)
        return BAD(v ? v : n, "an ofac-csv source's file is sdn.csv or cons_prim.csv, "
                                      "not '%s'", s->file);
    size_t fl = strlen(s->file), el = strlen(FORMATS[fmt].ext);
    if (!ofac && (fl <= el || strcasecmp(s->file + fl - el, FORMATS[fmt].ext) != 0))
        return BAD(v ? v : n, "stored file name must end in %s", FORMATS[fmt].ext);
    const txs_ynode *p = txs__ymap_get(n, "parts");
    if (p == NULL) return TXS_OK;
    if (!ofac) return BAD(p, "'parts' is for ofac-csv sources only");
    if (p->type != TXS_Y_SEQ || p->n > TXS_UPDATE_MAX_PARTS)
        return BAD(p, "'parts' must be a list of at most 4 URLs");
    for (size_t i = 0; i < p->n; i++) {
        TXS_TRY(url_ok(doc, p->items[i], s->parts[i], sizeof s->parts[i], d));
        char base[128];
        url_base(s->parts[i], base, sizeof base);
        if (!txs__lists_ofac_part(base))
            return BAD(p->items[i], "a part's URL must end in an OFAC file name (alt.csv, "
                                            "add.csv, sdn_comments.csv or their cons_ twins), not "
                                            "'%s'", base);
    }
    s->nparts = p->n;
    return TXS_OK;
}

static int content_types(const txs_ydoc *doc, const txs_ynode *n, txs_update_source *s,
                         size_t fmt, txs_diag *d)
{
    const txs_ynode *v = txs__ymap_get(n, "content_types");
    if (v == NULL) return snprintf(s->content_types, sizeof s->content_types, "%s", FORMATS[fmt].types), TXS_OK;
    if (v->type != TXS_Y_SEQ || v->n == 0) return BAD(v, "'%s' must be a list of media types", "content_types");
    s->content_types[0] = '\0';
    for (size_t i = 0; i < v->n; i++) {
        char t[96];
        TXS_TRY(str_into(doc, v->items[i], "content_types", t, sizeof t, d));
        if (strchr(t, ',') || strchr(t, ';') || !strchr(t, '/'))
            return BAD(v->items[i], "'%s' is not a media type such as text/csv", t);
        size_t k = strlen(s->content_types);
        if (k + strlen(t) + 3 >= sizeof s->content_types) return BAD(v, "'%s' is too long", "content_types");
        snprintf(s->content_types + k, sizeof s->content_types - k, "%s%s", k ? ", " : "", t);
    }
    return TXS_OK;
}

static int one_source(const txs_ydoc *doc, const txs_ynode *n, const txs_lists_sources *cfg,
                      txs_update_source *s, txs_diag *d)
{
    static const char *const keys[] = {"name", "format", "url", "parts", "file", "content_types",
                                       "bytes", "entities", "max_shrink", "max_growth", NULL};
    if (n->type != TXS_Y_MAP) return BAD(n, "each source must be a map (name, format, url, ...)");
    TXS_TRY(txs__ymap_check_keys(doc, n, "source", keys, d));
    s->line = n->line;
    const char *need[] = {"name", "format", "url"};
    for (size_t i = 0; i < 3; i++)
        if (txs__ymap_get(n, need[i]) == NULL) return BAD(n, "source without '%s'", need[i]);
    const txs_ynode *v = txs__ymap_get(n, "name");
    TXS_TRY(str_into(doc, v, "name", s->name, sizeof s->name, d));
    for (const char *p = s->name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '_')
            return BAD(v, "name '%s' must be lower-case letters, digits, '-' or '_'", s->name);
    v = txs__ymap_get(n, "format");
    TXS_TRY(str_into(doc, v, "format", s->format, sizeof s->format, d));
    size_t fmt = 0;
    while (fmt < NFORMATS && strcmp(FORMATS[fmt].format, s->format) != 0) fmt++;
    if (fmt == NFORMATS)
        return BAD(v, "unknown format '%s' (formats: ofac-csv, ofac-sls-xml, un-xml, "
                              "ca-sema-xml, os-simple, eu-csv, uk-csv, ftm)", s->format);
    TXS_TRY(url_ok(doc, txs__ymap_get(n, "url"), s->url, sizeof s->url, d));
    TXS_TRY(source_files(doc, n, s, fmt, d));
    TXS_TRY(content_types(doc, n, s, fmt, d));
    s->max_bytes = TXS_UPDATE_MAX_BYTES;
    if ((v = txs__ymap_get(n, "bytes"))) TXS_TRY(range(doc, v, "bytes", &s->min_bytes, &s->max_bytes, d));
    if (s->max_bytes > TXS_UPDATE_MAX_BYTES) return BAD(v, "'bytes' may not exceed %s", "2 GiB");
    if ((v = txs__ymap_get(n, "entities")))
        TXS_TRY(range(doc, v, "entities", &s->min_entities, &s->max_entities, d));
    s->max_shrink = cfg->src[0].max_shrink, s->max_growth = cfg->src[0].max_growth;
    if ((v = txs__ymap_get(n, "max_shrink"))) TXS_TRY(num(doc, v, "max_shrink", 0, 1, &s->max_shrink, d));
    if ((v = txs__ymap_get(n, "max_growth"))) TXS_TRY(num(doc, v, "max_growth", 0, 1e6, &s->max_growth, d));
    return TXS_OK;
}

/* The top-level settings; the band defaults are parked in src[0] until
 * the sources copy them. */
static int settings(const txs_ydoc *doc, const txs_ynode *r, txs_lists_sources *c, txs_diag *d)
{
    /* hs_target chose the CPU of the Hyperscan database snapshots held
     * until December 2026: still accepted, and ignored */
    static const char *const keys[] = {"dir", "keep", "connect_timeout", "stall_seconds",
                                       "max_seconds", "retries", "backoff", "max_shrink",
                                       "max_growth", "hs_target", "sources", NULL};
    TXS_TRY(txs__ymap_check_keys(doc, r, "sources file", keys, d));
    const txs_ynode *v = txs__ymap_get(r, "dir");
    char rel[1024];
    if (v == NULL) return BAD(r, "the sources file names no '%s'", "dir");
    TXS_TRY(str_into(doc, v, "dir", rel, sizeof rel, d));
    if (txs__ypath_resolve(doc, rel, c->dir, sizeof c->dir) < 0) return BAD(v, "'%s' is too long", "dir");
    uint64_t u = 0;
    c->keep = 5, c->connect_timeout = 10, c->stall_seconds = 30, c->max_seconds = 600;
    c->retries = 3, c->backoff = 2;
    c->src[0].max_shrink = 0.2, c->src[0].max_growth = 1.0;
    if ((v = txs__ymap_get(r, "keep"))) {
        TXS_TRY(count(doc, v, "keep", 1000, &u, d));
        c->keep = (unsigned)u;
    }
    if (c->keep == 0) return BAD(v, "'%s' must be at least 1", "keep");
    if ((v = txs__ymap_get(r, "retries"))) {
        TXS_TRY(count(doc, v, "retries", 10, &u, d));
        c->retries = (unsigned)u;
    }
    if ((v = txs__ymap_get(r, "connect_timeout"))) TXS_TRY(num(doc, v, "connect_timeout", 0.1, 600, &c->connect_timeout, d));
    if ((v = txs__ymap_get(r, "stall_seconds"))) TXS_TRY(num(doc, v, "stall_seconds", 1, 3600, &c->stall_seconds, d));
    if ((v = txs__ymap_get(r, "max_seconds"))) TXS_TRY(num(doc, v, "max_seconds", 1, 86400, &c->max_seconds, d));
    if ((v = txs__ymap_get(r, "backoff"))) TXS_TRY(num(doc, v, "backoff", 0, 600, &c->backoff, d));
    if ((v = txs__ymap_get(r, "max_shrink"))) TXS_TRY(num(doc, v, "max_shrink", 0, 1, &c->src[0].max_shrink, d));
    if ((v = txs__ymap_get(r, "max_growth"))) TXS_TRY(num(doc, v, "max_growth", 0, 1e6, &c->src[0].max_growth, d));
    return TXS_OK;
}

static int parse_doc(const txs_ydoc *doc, txs_lists_sources *c, txs_diag *d)
{
    const txs_ynode *r = doc->root;
    if (r == NULL || r->type != TXS_Y_MAP) return BAD(r, "a sources file is a map (dir, sources, ...)");
    TXS_TRY(settings(doc, r, c, d));
    const txs_ynode *s = txs__ymap_get(r, "sources");
    if (s == NULL || s->type != TXS_Y_SEQ || s->n == 0 || s->n > TXS_UPDATE_MAX_SOURCES)
        return BAD(s ? s : r, "'sources' must be a list of 1 to 32 sources");
    txs_update_source band = c->src[0];
    for (size_t i = 0; i < s->n; i++) {
        c->src[0].max_shrink = band.max_shrink, c->src[0].max_growth = band.max_growth;
        txs_update_source one;
        memset(&one, 0, sizeof one);
        TXS_TRY(one_source(doc, s->items[i], c, &one, d));
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->src[j].name, one.name) == 0)
                return BAD(s->items[i], "source name '%s' is used twice", one.name);
        c->src[i] = one;
    }
    c->n = s->n;
    return TXS_OK;
}

int txs_lists_sources_parse(const char *name, const char *buf, size_t len,
                            txs_lists_sources *out, txs_diag *d)
{
    memset(out, 0, sizeof *out);
    txs_ydoc *doc;
    TXS_TRY(txs__ydoc_parse(name, buf, len, &doc, d));
    snprintf(out->file, sizeof out->file, "%s", name);
    int rc = parse_doc(doc, out, d);
    txs__ydoc_free(doc);
    return rc;
}

int txs_lists_sources_load(const char *path, txs_lists_sources *out, txs_diag *d)
{
    memset(out, 0, sizeof *out);
    txs_ydoc *doc;
    TXS_TRY(txs__ydoc_load(path, &doc, d));
    snprintf(out->file, sizeof out->file, "%s", path);
    int rc = parse_doc(doc, out, d);
    txs__ydoc_free(doc);
    return rc;
}
