/*
 * lists.c: the small shared pieces of the lists module: enum names and
 * txs_lists_compile(), which ties the builder to an atomic output file
 * (emit.h), so a failed compile leaves any previous snapshot untouched;
 * the dates given for sources whose file states none, and a source's age.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists_int.h"
#include "txs/emit.h"

const char *txs_entity_type_name(int type)
{
    static const char *const N[TXS_ENT_TYPES] = {"unknown", "individual", "entity", "vessel",
                                                 "aircraft"};
    return type >= 0 && type < TXS_ENT_TYPES ? N[type] : "unknown";
}

const char *txs_field_kind_name(int kind)
{
    static const char *const N[] = {
#define TXS_X_FN(name, label) label,
        TXS_FIELD_MAP(TXS_X_FN)
#undef TXS_X_FN
    };
    return kind >= 0 && kind < TXS_F_COUNT ? N[kind] : "unknown";
}

const char *txs_id_kind_name(int kind)
{
    static const char *const N[] = {
#define TXS_X_IN(name, label) label,
        TXS_ID_MAP(TXS_X_IN)
#undef TXS_X_IN
    };
    return kind >= 0 && kind < TXS_ID_COUNT ? N[kind] : "unknown";
}

int txs_lists_builder_date(txs_lists_builder *b, const char *list, const char *date,
                           txs_diag *d)
{
    char norm[24];
    if (strlen(date) != 10 || date[4] != '-' || txs__lists_numeric_date(date, 10, norm) != 10)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "date '%s' for %s is not YYYY-MM-DD", date,
                            list);
    size_t named = 0;
    for (size_t i = 0; i < b->nsrcs; i++) {
        txs__lsrc *s = &b->srcs[i];
        if (strcmp(s->list, list) != 0) continue;
        named++;
        if (s->date[0] == '\0') snprintf(s->date, sizeof s->date, "%s", norm);
    }
    if (named) return TXS_OK;
    char ids[160] = "";
    for (size_t i = 0; i < b->nsrcs; i++)
        if (b->srcs[i].parent == i && !strstr(ids, b->srcs[i].list))
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", ids[0] ? ", " : "",
                     b->srcs[i].list);
    return txs_diag_set(d, TXS_E_ARG, "", 0, "no source is of list '%s' (lists: %s)", list,
                        ids[0] ? ids : "none");
}

/* Days since the civil date y-m-d began (proleptic Gregorian, 1970-01-01 =
 * 0): the standard era arithmetic, so no time zone or libc state enters. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

long txs_list_source_age_days(const txs_list_source *s, long long now)
{
    char norm[24];
    if (s->date.n < 10 || txs__lists_numeric_date(s->date.p, 10, norm) != 10) return -1;
    unsigned y = 0, m = 0, dd = 0;
    if (sscanf(norm, "%4u-%2u-%2u", &y, &m, &dd) != 3) return -1;
    long long age = (now >= 0 ? now / 86400 : (now - 86399) / 86400) - days_from_civil(y, m, dd);
    return age < 0 ? 0 : (long)age;
}

/* Every source through one builder into a snapshot image; dates fill the
 * undated sources of the lists they name. */
static int build_image(const char *const *srcs, size_t nsrcs,
                       const txs_lists_date *dates, size_t ndates, void **img, size_t *n,
                       const char *where, txs_diag *d)
{
    txs_lists_builder *b;
    *img = NULL;
    *n = 0;
    if (txs_lists_builder_create(&b) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, where, 0, "out of memory");
    int rc = TXS_OK;
    for (size_t i = 0; i < nsrcs && rc == TXS_OK; i++) rc = txs_lists_builder_add(b, srcs[i], d);
    for (size_t i = 0; i < ndates && rc == TXS_OK; i++)
        rc = txs_lists_builder_date(b, dates[i].list, dates[i].date, d);
    if (rc == TXS_OK) rc = txs_lists_builder_image(b, img, n, d);
    txs_lists_builder_free(b);
    return rc;
}

int txs_lists_compile(const char *const *srcs, size_t nsrcs, const char *out_path, txs_diag *d)
{
    return txs_lists_compile_dated(srcs, nsrcs, NULL, 0, out_path, d);
}

int txs_lists_compile_dated(const char *const *srcs, size_t nsrcs,
                            const txs_lists_date *dates, size_t ndates, const char *out_path,
                            txs_diag *d)
{
    void *img = NULL;
    size_t n = 0;
    int rc = build_image(srcs, nsrcs, dates, ndates, &img, &n, out_path, d);
    /* Only now, with every source read, is the output opened: a list that
     * fails to load never touches the previous snapshot. */
    txs_out *o = NULL;
    if (rc == TXS_OK) rc = txs_out_open(out_path, &o, d);
    if (rc == TXS_OK) rc = txs_out_write(o, img, n, d);
    if (rc == TXS_OK) {
        rc = txs_out_commit(o, d);
        o = NULL;
    }
    txs_out_abort(o);
    free(img);
    return rc;
}

int txs_lists_compile_mem(const char *const *srcs, size_t nsrcs, void **image,
                          txs_lists **out, txs_diag *d)
{
    size_t n = 0;
    *out = NULL;
    int rc = build_image(srcs, nsrcs, NULL, 0, image, &n, "", d);
    if (rc == TXS_OK) rc = txs_lists_open_mem(*image, n, out, d);
    return rc;
}

/* The magic is read alone: with readahead off for this descriptor, only
 * the page holding it comes into the page cache.  A read with readahead
 * would bring the file's start in small folios and mark them for more
 * readahead, and the load (snap_load.c) would then get the rest of the
 * first megabytes in small folios too, mapped 4 KiB at a time. */
int txs_lists_is_snapshot(const char *path)
{
    char m[8];
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
    size_t k = 0;
    while (k < sizeof m) {
        ssize_t r = pread(fd, m + k, sizeof m - k, (off_t)k);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        k += (size_t)r;
    }
    close(fd);
    return k == sizeof m && memcmp(m, TXS__SNAP_MAGIC, 8) == 0;
}
