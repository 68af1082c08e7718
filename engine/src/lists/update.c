/*
 * update.c: `txscreen lists update` (lists_update.h): fetch every source a
 * sources file names, check each file, compile one snapshot and install it
 * with the engine's one commit (emit.h), or install nothing.
 *
 *   DIR/lists.snap                    the live snapshot (screen --lists)
 *   DIR/history/lists-NNNNNN.snap     the last `keep` snapshots, live one included
 *   DIR/history/lists-NNNNNN.diff     what changed from the one before (lists diff)
 *   DIR/sources/NAME/FILE             the last good file of each source
 *   DIR/sources/NAME/FILE.http        its validators: {"url","etag","last_modified","filetime"}
 *   DIR/.staging/NAME/FILE            this run's downloads, until published
 *
 * Order: recover a commit an interrupted update left, fetch every file
 * (conditional GET with the stored validators), check what came (status,
 * media type, size, format, parse, entity band), compile, diff against the
 * live snapshot, then publish the new files, their validators, the history
 * copy, the diff and last the live snapshot as one commit.  Every check
 * runs before the commit, so a refusal leaves DIR byte for byte as it was.
 * A source that did not change (304, or the same bytes) is compiled from
 * its stored file, so the snapshot always holds every source.  When
 * nothing changed nothing is written.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lists_int.h"
#include "txs/emit.h"
#include "txs/json_read.h"
#include "txs/lists_update.h"

#define PATHCAP 1400
#define FILECAP (PATHCAP + 160)
#define MAXFILES (1 + TXS_UPDATE_MAX_PARTS)

typedef struct upd_file {
    const char *url;
    char name[128];
    char stored[FILECAP], staged[FILECAP]; /* DIR/sources/NAME/FILE, DIR/.staging/NAME/FILE */
    char etag[256], last_modified[64];      /* the stored validators */
    long long filetime;
    int have_stored, fetched;
    txs__fetch f;
} upd_file;

typedef struct upd_src {
    const txs_update_source *cfg;
    upd_file file[MAXFILES];
    size_t nfiles;
    int fetched;                            /* any file with new bytes */
} upd_src;

typedef struct upd {
    const txs_lists_sources *cfg;
    txs_update_result *res;
    txs_diag *d;
    upd_src src[TXS_UPDATE_MAX_SOURCES];
    char live[PATHCAP];
    txs_lists *old;                         /* the live snapshot, or NULL */
    void *img;                              /* the new image */
    size_t nimg;
    txs_lists *new_l;
    txs_buf diff;
    unsigned seq;                           /* the new history number */
} upd;

/* ------------------------------------------------------------ files */

static int mkdir_one(const char *path, txs_diag *d)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) return TXS_OK;
    return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot create directory: %s", strerror(errno));
}

static int read_small(const char *path, char *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return TXS_E_IO;
    *n = fread(buf, 1, cap - 1, f);
    int big = !feof(f);
    fclose(f);
    buf[*n] = '\0';
    return big ? TXS_E_LIMIT : TXS_OK;
}

/* Whether two files hold the same bytes (a server without validators
 * sends the same file again). */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    char x[65536], y[65536];
    while (same) {
        size_t na = fread(x, 1, sizeof x, fa), nb = fread(y, 1, sizeof y, fb);
        if (na != nb || memcmp(x, y, na) != 0) same = 0;
        if (na == 0 || na != nb) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

/* The stored validators of a file, when the file and its .http are there. */
static void read_meta(upd_file *u)
{
    struct stat st;
    char meta[FILECAP + 8], buf[4096];
    size_t n;
    u->filetime = -1;
    if (stat(u->stored, &st) != 0 || !S_ISREG(st.st_mode)) return;
    u->have_stored = 1;
    snprintf(meta, sizeof meta, "%s.http", u->stored);
    if (read_small(meta, buf, sizeof buf, &n) < 0) return;
    txs_json_doc doc;
    txs_json_init(&doc);
    if (txs_json_parse(&doc, buf, n) == TXS_OK) {
        txs_json_str(txs_json_get(doc.root, "etag"), u->etag, sizeof u->etag);
        txs_json_str(txs_json_get(doc.root, "last_modified"), u->last_modified,
                     sizeof u->last_modified);
        double t;
        if (txs_json_double(txs_json_get(doc.root, "filetime"), &t) == 0) u->filetime = (long long)t;
    }
    txs_json_free(&doc);
}

/* ------------------------------------------------------------ fetch */

/* The media type (before any ';') is one of the accepted, or absent. */
static int type_ok(const char *ct, const char *accepted)
{
    size_t n = strcspn(ct, ";");
    while (n && ct[n - 1] == ' ') n--;
    if (n == 0) return 1;
    for (const char *p = accepted; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncasecmp(p, ct, n) == 0) return 1;
        p += k;
        while (*p == ',' || *p == ' ') p++;
    }
    return 0;
}

static int fetch_file(upd *u, upd_src *s, upd_file *f, int main_file)
{
    const txs_lists_sources *c = u->cfg;
    f->f = (txs__fetch){.url = f->url, .path = f->staged,
                        .etag = f->have_stored ? f->etag : NULL,
                        .last_modified = f->have_stored ? f->last_modified : NULL,
                        .connect_timeout = c->connect_timeout, .stall_seconds = c->stall_seconds,
                        .max_seconds = c->max_seconds, .backoff = c->backoff,
                        .retries = c->retries, .max_bytes = s->cfg->max_bytes};
    int rc = txs__lists_fetch(&f->f, u->d);
    if (rc < 0) {
        char why[512];
        snprintf(why, sizeof why, "%s", u->d->msg);
        return txs_diag_set(u->d, rc, c->file, s->cfg->line, "source %s: GET %s: %s", s->cfg->name,
                            f->url, why);
    }
    if (f->f.not_modified) {
        if (!f->have_stored)
            return txs_diag_set(u->d, TXS_E_IO, c->file, s->cfg->line,
                                "source %s: GET %s: 304 Not Modified for a file never stored",
                                s->cfg->name, f->url);
        return TXS_OK;
    }
    if (!type_ok(f->f.content_type, s->cfg->content_types))
        return txs_diag_set(u->d, TXS_E_FORMAT, c->file, s->cfg->line,
                            "source %s: GET %s: content type '%s' is not one of %s",
                            s->cfg->name, f->url, f->f.content_type, s->cfg->content_types);
    if (main_file && f->f.bytes < s->cfg->min_bytes)
        return txs_diag_set(u->d, TXS_E_FORMAT, c->file, s->cfg->line,
                            "source %s: GET %s: %llu bytes, under the %llu expected",
                            s->cfg->name, f->url, (unsigned long long)f->f.bytes,
                            (unsigned long long)s->cfg->min_bytes);
    f->fetched = !(f->have_stored && same_bytes(f->staged, f->stored));
    return TXS_OK;
}

/* Paths, stored validators and directories of one source, then its files
 * fetched. */
static int fetch_source(upd *u, upd_src *s)
{
    const txs_update_source *cs = s->cfg;
    char dir[PATHCAP], stage[PATHCAP];
    snprintf(dir, sizeof dir, "%s/sources/%s", u->cfg->dir, cs->name);
    snprintf(stage, sizeof stage, "%s/.staging/%s", u->cfg->dir, cs->name);
    TXS_TRY(mkdir_one(dir, u->d));
    TXS_TRY(mkdir_one(stage, u->d));
    s->nfiles = 1 + cs->nparts;
    for (size_t i = 0; i < s->nfiles; i++) {
        upd_file *f = &s->file[i];
        f->url = i == 0 ? cs->url : cs->parts[i - 1];
        if (i == 0) snprintf(f->name, sizeof f->name, "%s", cs->file);
        else {
            const char *q = f->url + strcspn(f->url, "?#"), *b = q;
            while (b > f->url && b[-1] != '/') b--;
            snprintf(f->name, sizeof f->name, "%.*s", (int)(q - b), b);
        }
        snprintf(f->stored, sizeof f->stored, "%s/%s", dir, f->name);
        snprintf(f->staged, sizeof f->staged, "%s/%s", stage, f->name);
        read_meta(f);
        TXS_TRY(fetch_file(u, s, f, i == 0));
        s->fetched |= f->fetched;
    }
    return TXS_OK;
}

/* A changed source is read from staging whole: its unchanged files are
 * linked there beside the new ones, so the reader finds its siblings. */
static int stage_rest(upd *u, upd_src *s)
{
    for (size_t i = 0; i < s->nfiles && s->fetched; i++) {
        upd_file *f = &s->file[i];
        if (f->fetched) continue;
        unlink(f->staged);
        if (link(f->stored, f->staged) != 0)
            return txs_diag_set(u->d, TXS_E_OUTPUT, f->staged, 0, "cannot link %s: %s", f->stored,
                                strerror(errno));
    }
    return TXS_OK;
}

/* ------------------------------------------------------------ checks */

/* The previous version's entity count: the live snapshot's top-level
 * source of the same file name; 0 when there is none. */
static uint32_t previous_count(const upd *u, const char *file)
{
    for (size_t i = 0; u->old && i < txs_lists_nsources(u->old); i++) {
        txs_list_source s;
        txs_lists_source(u->old, i, &s);
        if (s.parent == i && txs_slice_eq(s.file, file)) return s.entities;
    }
    return 0;
}

/* Entity count within [min, max] and within the band of the previous
 * version; sets the result's counts. */
static int check_band(upd *u, size_t k, uint32_t n)
{
    const txs_update_source *c = u->src[k].cfg;
    uint32_t prev = previous_count(u, c->file);
    u->res->src[k].entities = n, u->res->src[k].previous = prev;
    const char *why = NULL;
    char buf[200];
    if (n == 0) why = "no entities";
    else if (c->min_entities && n < c->min_entities)
        why = buf, snprintf(buf, sizeof buf, "under the %llu expected", (unsigned long long)c->min_entities);
    else if (c->max_entities && n > c->max_entities)
        why = buf, snprintf(buf, sizeof buf, "over the %llu expected", (unsigned long long)c->max_entities);
    else if (prev && (double)n < (double)prev * (1.0 - c->max_shrink))
        why = buf, snprintf(buf, sizeof buf, "%.0f%% fewer than the %u of the snapshot in force "
                                             "(max_shrink %g)", 100.0 * (prev - n) / prev, prev,
                            c->max_shrink);
    else if (prev && (double)n > (double)prev * (1.0 + c->max_growth))
        why = buf, snprintf(buf, sizeof buf, "%.0f%% more than the %u of the snapshot in force "
                                             "(max_growth %g)", 100.0 * (n - prev) / prev, prev,
                            c->max_growth);
    if (why == NULL) return TXS_OK;
    return txs_diag_set(u->d, TXS_E_FORMAT, u->cfg->file, c->line,
                        "source %s: %u entities, %s: refused", c->name, n, why);
}

/* The date of sources [from, end): the file's own, else the day of the
 * main file's Last-Modified. */
static void date_source(upd *u, txs_lists_builder *b, size_t k, size_t from)
{
    char *date = b->srcs[from].date;
    const upd_file *f = &u->src[k].file[0];
    long long t = f->fetched ? f->f.filetime : f->filetime;
    snprintf(u->res->src[k].date_from, sizeof u->res->src[k].date_from, "%s",
             date[0] ? "file" : t >= 0 ? "last-modified" : "none");
    if (date[0] == '\0' && t >= 0) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        for (size_t i = from; i < b->nsrcs; i++)
            strftime(b->srcs[i].date, sizeof b->srcs[i].date, "%Y-%m-%d", &tm);
    }
    snprintf(u->res->src[k].date, sizeof u->res->src[k].date, "%s", date);
}

/* Read one source into b: it must parse, be of its declared format and
 * have entities within its band. */
static int add_source(upd *u, txs_lists_builder *b, size_t k)
{
    upd_src *s = &u->src[k];
    size_t from = b->nsrcs;
    const char *path = s->fetched ? s->file[0].staged : s->file[0].stored;
    int rc = txs_lists_builder_add(b, path, u->d);
    if (rc < 0) {
        char why[600];
        snprintf(why, sizeof why, "%s:%lu: %s", s->file[0].name, u->d->line, u->d->msg);
        return txs_diag_set(u->d, rc == TXS_E_NOMEM ? rc : TXS_E_FORMAT, u->cfg->file,
                            s->cfg->line, "source %s: %s: refused", s->cfg->name, why);
    }
    if (strcmp(b->srcs[from].format, s->cfg->format) != 0)
        return txs_diag_set(u->d, TXS_E_FORMAT, u->cfg->file, s->cfg->line,
                            "source %s: the file is %s, not the %s declared: refused",
                            s->cfg->name, b->srcs[from].format, s->cfg->format);
    uint32_t n = 0;
    for (size_t i = 0; i < b->nents; i++)
        n += !b->ents[i]->deleted && b->ents[i]->source >= from;
    date_source(u, b, k, from);
    return check_band(u, k, n);
}

static int compile(upd *u)
{
    txs_lists_builder *b;
    if (txs_lists_builder_create(&b) < 0)
        return txs_diag_set(u->d, TXS_E_NOMEM, u->cfg->file, 0, "out of memory");
    int rc = TXS_OK;
    for (size_t k = 0; k < u->cfg->n && rc == TXS_OK; k++) rc = add_source(u, b, k);
    if (rc == TXS_OK) rc = txs_lists_builder_image(b, &u->img, &u->nimg, u->d);
    txs_lists_builder_free(b);
    if (rc == TXS_OK) rc = txs_lists_open_mem(u->img, u->nimg, &u->new_l, u->d);
    return rc;
}

/* ------------------------------------------------------------ publish */

/* The highest history number there, so the new one is the next. */
static unsigned last_seq(const char *hist, unsigned *count)
{
    unsigned hi = 0, n;
    *count = 0;
    DIR *dir = opendir(hist);
    if (dir == NULL) return 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        char tail[8];
        if (sscanf(e->d_name, "lists-%6u.%5s", &n, tail) == 2 && strcmp(tail, "snap") == 0) {
            (*count)++;
            if (n > hi) hi = n;
        }
    }
    closedir(dir);
    return hi;
}

static int add_bytes(txs_commit *c, const char *path, const void *p, size_t n, txs_diag *d)
{
    txs_out *o = NULL;
    TXS_TRY(txs_out_open(path, &o, d));
    int rc = txs_out_write(o, p, n, d);
    if (rc == TXS_OK) rc = txs_out_finish(o, d);
    if (rc < 0) return txs_out_abort(o), rc;
    return txs_commit_add(c, o, d);
}

static int add_meta(txs_commit *c, const upd_file *f, txs_diag *d)
{
    txs_buf b = {0};
    txs_buf_puts(&b, "{\"url\":");
    txs_buf_json_cstr(&b, f->url);
    txs_buf_puts(&b, ",\"etag\":");
    txs_buf_json_cstr(&b, f->f.etag_out);
    txs_buf_puts(&b, ",\"last_modified\":");
    txs_buf_json_cstr(&b, f->f.last_modified_out);
    txs_buf_printf(&b, ",\"filetime\":%lld}\n", f->f.filetime);
    char path[FILECAP + 8];
    snprintf(path, sizeof path, "%s.http", f->stored);
    int rc = b.oom ? txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory")
                   : add_bytes(c, path, b.p, b.n, d);
    txs_buf_free(&b);
    return rc;
}

/* New source files and validators, then the history copy, the diff and
 * the live snapshot, in one commit. */
static int publish(upd *u, int snapshot)
{
    txs_commit *c;
    TXS_TRY(txs_commit_create(u->live, &c, u->d));
    int rc = TXS_OK;
    for (size_t k = 0; k < u->cfg->n && rc == TXS_OK; k++)
        for (size_t i = 0; i < u->src[k].nfiles && rc == TXS_OK; i++) {
            const upd_file *f = &u->src[k].file[i];
            if (!f->fetched) continue;
            rc = txs_commit_add_file(c, f->staged, f->stored, u->d);
            if (rc == TXS_OK) rc = add_meta(c, f, u->d);
        }
    char path[PATHCAP];
    if (snapshot && rc == TXS_OK) {
        snprintf(path, sizeof path, "%s/history/lists-%06u.snap", u->cfg->dir, u->seq);
        rc = add_bytes(c, path, u->img, u->nimg, u->d);
    }
    if (snapshot && rc == TXS_OK && u->old) {
        snprintf(u->res->diff, sizeof u->res->diff, "%s/history/lists-%06u.diff", u->cfg->dir, u->seq);
        rc = add_bytes(c, u->res->diff, u->diff.p, u->diff.n, u->d);
    }
    if (snapshot && rc == TXS_OK) rc = add_bytes(c, u->live, u->img, u->nimg, u->d);
    if (rc < 0) return txs_commit_abort(c), rc;
    return txs_commit_publish(c, u->d);
}

/* Keep the newest `keep` history snapshots (and their diffs). */
static void prune(const upd *u)
{
    char hist[PATHCAP], path[PATHCAP + 32];
    snprintf(hist, sizeof hist, "%s/history", u->cfg->dir);
    unsigned count, hi = last_seq(hist, &count);
    for (unsigned n = 1; count > u->cfg->keep && n + u->cfg->keep <= hi; n++) {
        snprintf(path, sizeof path, "%s/lists-%06u.snap", hist, n);
        if (unlink(path) == 0) count--;
        snprintf(path, sizeof path, "%s/lists-%06u.diff", hist, n);
        unlink(path);
    }
}

/* Remove this run's staging (what was published is no longer there). */
static void unstage(const upd *u)
{
    char path[PATHCAP];
    for (size_t k = 0; k < u->cfg->n; k++) {
        for (size_t i = 0; i < u->src[k].nfiles; i++) unlink(u->src[k].file[i].staged);
        snprintf(path, sizeof path, "%s/.staging/%s", u->cfg->dir, u->cfg->src[k].name);
        rmdir(path);
    }
    snprintf(path, sizeof path, "%s/.staging", u->cfg->dir);
    rmdir(path);
}

/* ------------------------------------------------------------ the run */

static int prepare(upd *u)
{
    const char *dir = u->cfg->dir;
    char path[PATHCAP];
    TXS_TRY(mkdir_one(dir, u->d));
    const char *subs[] = {"history", "sources", ".staging"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, subs[i]);
        TXS_TRY(mkdir_one(path, u->d));
    }
    snprintf(u->live, sizeof u->live, "%s/lists.snap", dir);
    snprintf(u->res->snapshot, sizeof u->res->snapshot, "%s", u->live);
    int recovered;
    TXS_TRY(txs_commit_recover(u->live, &recovered, u->d));
    txs_commit_sweep(u->live);
    struct stat st;
    if (stat(u->live, &st) == 0) {
        int rc = txs_lists_load(u->live, &u->old, u->d);
        if (rc == TXS_E_NOMEM) return rc;
        if (rc < 0) { /* refused rather than replaced: an operator should see why */
            char why[600];
            snprintf(why, sizeof why, "%s", u->d->msg);
            return txs_diag_set(u->d, TXS_E_CONFIG, u->live, 0,
                                "the snapshot in force cannot be read (%s); move it away to "
                                "install a new one", why);
        }
    }
    unsigned count;
    snprintf(path, sizeof path, "%s/history", dir);
    u->seq = last_seq(path, &count) + 1;
    return TXS_OK;
}

/* Whether the live snapshot holds exactly the configured sources (by
 * their stored file names): a source added to or dropped from the sources
 * file needs a new snapshot even when every file is unchanged. */
static int same_sources(const upd *u)
{
    size_t top = 0;
    for (size_t i = 0; i < txs_lists_nsources(u->old); i++) {
        txs_list_source s;
        txs_lists_source(u->old, i, &s);
        top += s.parent == i;
    }
    if (top != u->cfg->n) return 0;
    for (size_t k = 0; k < u->cfg->n; k++) {
        int found = 0;
        for (size_t i = 0; i < txs_lists_nsources(u->old) && !found; i++) {
            txs_list_source s;
            txs_lists_source(u->old, i, &s);
            found = s.parent == i && txs_slice_eq(s.file, u->cfg->src[k].file);
        }
        if (!found) return 0;
    }
    return 1;
}

static int run(upd *u)
{
    TXS_TRY(prepare(u));
    int any = 0;
    for (size_t k = 0; k < u->cfg->n; k++) {
        u->src[k].cfg = &u->cfg->src[k];
        TXS_TRY(fetch_source(u, &u->src[k]));
        TXS_TRY(stage_rest(u, &u->src[k]));
        u->res->src[k].fetched = u->src[k].fetched;
        any |= u->src[k].fetched;
    }
    if (!any && u->old && same_sources(u)) return TXS_OK; /* as it was: nothing to do */
    TXS_TRY(compile(u));
    int snapshot = u->old == NULL || txs_lists_hash(u->old) != txs_lists_hash(u->new_l) ||
                   txs_lists_size(u->old) != u->nimg;
    if (snapshot && u->old) {
        txs_diff_stats st;
        TXS_TRY(txs_lists_diff_text(u->old, u->new_l, &u->diff, &st));
        u->res->added = st.added, u->res->removed = st.removed;
        u->res->changed_entities = st.changed;
    }
    TXS_TRY(publish(u, snapshot));
    u->res->changed = snapshot;
    if (snapshot) prune(u);
    return TXS_OK;
}

int txs_lists_update(const txs_lists_sources *cfg, txs_update_result *res, txs_diag *d)
{
    memset(res, 0, sizeof *res);
    upd *u = calloc(1, sizeof *u);
    if (u == NULL) return txs_diag_set(d, TXS_E_NOMEM, cfg->file, 0, "out of memory");
    u->cfg = cfg, u->res = res, u->d = d;
    int rc = txs__lists_fetch_init(cfg->file, d);
    if (rc >= 0) {
        rc = run(u);
        txs__lists_fetch_done();
    }
    unstage(u);
    txs_lists_free(u->new_l);
    txs_lists_free(u->old);
    free(u->img);
    txs_buf_free(&u->diff);
    free(u);
    return rc;
}
