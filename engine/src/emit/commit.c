/*
 * commit.c: one commit for a run's outputs (emit.h "Commit").
 *
 * A run's outputs (alerts, rejects, state, manifest, ...) usually sit in
 * different files, and POSIX renames one file at a time.  So the outputs
 * are published in three steps, with a commit record as the single point
 * where the run becomes durable:
 *
 *   1. prepare: every output is complete in its own temporary file beside
 *      its target, flushed, fsync'd and closed (txs_out_finish);
 *   2. commit:  a record listing every (temporary, target) pair in
 *      publication order is written beside the first target as
 *      ".NAME.commit", fsync'd, renamed into place and its directory
 *      fsync'd.  Before this rename nothing new is visible and a failure
 *      removes the temporaries: the old set stands.  After it, the new set
 *      is decided;
 *   3. publish: each temporary is renamed over its target in the record's
 *      order (the manifest last), the directories are fsync'd, and the
 *      record is removed.
 *
 * Recovery (txs_commit_recover, run at the start of the next run with the
 * same outputs, or by `txscreen recover`) rolls a record forward: every
 * pair whose temporary still exists is renamed.  A rename whose temporary
 * is gone was already done, so recovery may itself be interrupted and run
 * again.  The record is a line-oriented text file ("txscreen-commit 1",
 * then "TMP\tTARGET" lines, then "end N" with the pair count) so an
 * operator can read it; a record without its end line is not trusted.
 *
 * Temporaries left by a run killed before step 2 are recognised by their
 * names (".BASE.tmp.XXXXXX" beside each target, the pattern txs_out_open
 * uses) and removed by txs_commit_sweep at the next start; the record's
 * own temporary (a run killed while writing it) by recovery.  Two runs
 * writing the same outputs at once are not supported (docs/operations.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "txs/emit.h"

/* lists update publishes the most: per source up to 5 files and their
 * validators, then the snapshot, its copy and the diff. */
#define COMMIT_MAX 336
#define COMMIT_MAGIC "txscreen-commit 1\n"

struct txs_commit {
    char *record;                 /* ".NAME.commit" beside the first target */
    size_t n;
    txs_out *out[COMMIT_MAX];     /* owned until published */
    char *tmp[COMMIT_MAX];        /* temporaries not owned by a txs_out */
    char *dst[COMMIT_MAX];
};

/* "DIR/.BASE<suffix>" for path "DIR/BASE"; NULL when out of memory. */
static char *beside(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path) + strlen(suffix) + 2;
    char *p = malloc(len);
    if (p) snprintf(p, len, "%.*s.%s%s", (int)dirlen, path, path + dirlen, suffix);
    return p;
}

char *txs_commit_record_path(const char *target)
{
    return beside(target, ".commit");
}

/* The directory of path, for fsync: "." when it has no slash. */
static int fsync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL) snprintf(dir, sizeof dir, ".");
    else if (slash == path) snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 || errno == EINVAL ? 0 : -1;
}

int txs_commit_create(const char *first_target, txs_commit **out, txs_diag *d)
{
    *out = NULL;
    txs_commit *c = calloc(1, sizeof *c);
    if (c) c->record = txs_commit_record_path(first_target);
    if (c == NULL || c->record == NULL) {
        free(c);
        return txs_diag_set(d, TXS_E_NOMEM, first_target, 0, "out of memory");
    }
    *out = c;
    return TXS_OK;
}

int txs_commit_add(txs_commit *c, txs_out *o, txs_diag *d)
{
    if (o == NULL) return TXS_OK;
    if (c->n == COMMIT_MAX) {
        int rc = txs_diag_set(d, TXS_E_LIMIT, txs_out_path(o), 0, "too many outputs");
        txs_out_abort(o);
        return rc;
    }
    c->out[c->n] = o;
    c->dst[c->n] = NULL;
    c->n++;
    return TXS_OK;
}

int txs_commit_add_file(txs_commit *c, const char *tmp, const char *target, txs_diag *d)
{
    if (c->n == COMMIT_MAX) return txs_diag_set(d, TXS_E_LIMIT, target, 0, "too many outputs");
    c->tmp[c->n] = strdup(tmp);
    c->dst[c->n] = strdup(target);
    if (c->tmp[c->n] == NULL || c->dst[c->n] == NULL) {
        free(c->tmp[c->n]);
        free(c->dst[c->n]);
        return txs_diag_set(d, TXS_E_NOMEM, target, 0, "out of memory");
    }
    c->n++;
    return TXS_OK;
}

void txs_commit_abort(txs_commit *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < c->n; i++) {
        txs_out_abort(c->out[i]);
        if (c->tmp[i]) unlink(c->tmp[i]);
        free(c->tmp[i]);
        free(c->dst[i]);
    }
    free(c->record);
    free(c);
}

/* Write the record: to a temporary, fsync'd, renamed into place, its
 * directory fsync'd.  This rename is the commit point. */
static int write_record(txs_commit *c, const char *const *tmp, const char *const *dst,
                        size_t n, txs_diag *d)
{
    txs_out *o;
    TXS_TRY(txs_out_open(c->record, &o, d));
    txs_buf b = {0};
    txs_buf_puts(&b, COMMIT_MAGIC);
    for (size_t i = 0; i < n; i++) txs_buf_printf(&b, "%s\t%s\n", tmp[i], dst[i]);
    txs_buf_printf(&b, "end %zu\n", n);
    int rc = b.oom ? txs_diag_set(d, TXS_E_NOMEM, c->record, 0, "out of memory")
                   : txs_out_write(o, b.p, b.n, d);
    txs_buf_free(&b);
    if (rc < 0) {
        txs_out_abort(o);
        return rc;
    }
    TXS_TRY(txs_out_commit(o, d));
    if (fsync_dir(c->record) < 0) {
        /* Not known to be durable, so not a commit: take the record back
         * while no target has been replaced, and the old set stands. */
        int e = errno;
        unlink(c->record);
        return txs_diag_set(d, TXS_E_OUTPUT, c->record, 0, "cannot sync the directory: %s",
                            strerror(e));
    }
    return TXS_OK;
}

/* Rename every pair whose temporary exists, in order, then sync the
 * directories and remove the record.  Shared by publish and recovery. */
static int roll_forward(const char *record, const char *const *tmp, const char *const *dst,
                        size_t n, txs_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        if (rename(tmp[i], dst[i]) == 0 || errno == ENOENT) continue;
        return txs_diag_set(d, TXS_E_OUTPUT, dst[i], 0,
                            "publishing failed after the commit record %s was written (%s); "
                            "the next run with the same outputs, or `txscreen recover` naming "
                            "them, finishes it", record, strerror(errno));
    }
    for (size_t i = 0; i < n; i++)
        if (fsync_dir(dst[i]) < 0)
            return txs_diag_set(d, TXS_E_OUTPUT, dst[i], 0, "cannot sync the directory: %s",
                                strerror(errno));
    if (unlink(record) < 0 && errno != ENOENT)
        return txs_diag_set(d, TXS_E_OUTPUT, record, 0, "cannot remove the commit record: %s",
                            strerror(errno));
    return TXS_OK;
}

int txs_commit_publish(txs_commit *c, txs_diag *d)
{
    const char *tmp[COMMIT_MAX], *dst[COMMIT_MAX];
    size_t n = 0;
    int rc = TXS_OK;
    /* Step 1: every output complete on disk.  Streams (stdout, devices)
     * are written in place and have nothing to publish. */
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        if (c->out[i]) {
            rc = txs_out_finish(c->out[i], d);
            if (rc == 0 && txs_out_tmp_path(c->out[i])) {
                tmp[n] = txs_out_tmp_path(c->out[i]);
                dst[n++] = txs_out_path(c->out[i]);
            }
        } else {
            tmp[n] = c->tmp[i];
            dst[n++] = c->dst[i];
        }
    }
    if (rc == 0 && n) rc = write_record(c, tmp, dst, n, d);
    if (rc < 0) {
        txs_commit_abort(c);
        return rc;
    }
    /* Step 3: the set is decided; from here a failure leaves the record
     * for recovery, so the temporaries must stay. */
    if (n) rc = roll_forward(c->record, tmp, dst, n, d);
    for (size_t i = 0; i < c->n; i++) {
        if (c->out[i]) txs_out_forget(c->out[i]);
        free(c->tmp[i]);
        free(c->dst[i]);
    }
    free(c->record);
    free(c);
    return rc < 0 ? TXS_E_PUBLISH : TXS_OK;
}

int txs_commit_recover(const char *first_target, int *recovered, txs_diag *d)
{
    *recovered = 0;
    char *record = txs_commit_record_path(first_target);
    if (record == NULL) return txs_diag_set(d, TXS_E_NOMEM, first_target, 0, "out of memory");
    /* A run killed while writing the record leaves the record's own
     * temporary and no record: nothing was published, so it goes. */
    txs_commit_sweep(record);
    FILE *f = fopen(record, "r");
    if (f == NULL) {
        int e = errno;
        free(record);
        if (e == ENOENT) return TXS_OK;
        return txs_diag_set(d, TXS_E_OUTPUT, first_target, 0, "cannot read the commit record: %s",
                            strerror(e));
    }
    char *tmp[COMMIT_MAX] = {0}, *dst[COMMIT_MAX] = {0};
    size_t n = 0, line = 1, end = (size_t)-1;
    char buf[8192];
    int rc = fgets(buf, sizeof buf, f) && strcmp(buf, COMMIT_MAGIC) == 0 ? TXS_OK : TXS_E_CONFIG;
    while (rc == 0 && end == (size_t)-1 && fgets(buf, sizeof buf, f)) {
        line++;
        size_t len = strlen(buf);
        char *tab = strchr(buf, '\t');
        if (len == 0 || buf[len - 1] != '\n') rc = TXS_E_CONFIG;
        else if (strncmp(buf, "end ", 4) == 0) end = strtoul(buf + 4, NULL, 10);
        else if (tab == NULL || n == COMMIT_MAX) rc = TXS_E_CONFIG;
        else {
            buf[len - 1] = '\0';
            *tab = '\0';
            tmp[n] = strdup(buf);
            dst[n] = strdup(tab + 1);
            if (tmp[n] == NULL || dst[n] == NULL) rc = TXS_E_NOMEM;
            n++;
        }
    }
    fclose(f);
    if (rc == 0 && end != n) rc = TXS_E_CONFIG;
    if (rc == TXS_E_CONFIG)
        txs_diag_set(d, TXS_E_CONFIG, record, line,
                     "damaged commit record (no complete end line); the outputs beside it may "
                     "be mixed: inspect them, then remove the record");
    else if (rc == TXS_E_NOMEM)
        txs_diag_set(d, TXS_E_NOMEM, record, 0, "out of memory");
    else {
        rc = roll_forward(record, (const char *const *)tmp, (const char *const *)dst, n, d);
        if (rc == 0) *recovered = 1;
    }
    for (size_t i = 0; i < n; i++) {
        free(tmp[i]);
        free(dst[i]);
    }
    free(record);
    return rc;
}

size_t txs_commit_sweep(const char *target)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    char dir[4096], prefix[1024];
    if (slash == NULL) snprintf(dir, sizeof dir, ".");
    else if (slash == target) snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - target) < sizeof dir) snprintf(dir, sizeof dir, "%.*s", (int)(slash - target), target);
    else return 0;
    if ((size_t)snprintf(prefix, sizeof prefix, ".%s.tmp.", base) >= sizeof prefix) return 0;
    size_t np = strlen(prefix), removed = 0;
    DIR *dp = opendir(dir);
    if (dp == NULL) return 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        /* mkstemp's six characters, nothing more. */
        if (strncmp(e->d_name, prefix, np) != 0 || strlen(e->d_name) != np + 6) continue;
        char p[8192];
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= sizeof p) continue;
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) == 0) removed++;
    }
    closedir(dp);
    return removed;
}
