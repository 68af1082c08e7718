/*
 * rows.c: what the one-row-per-fact CSV lists (EU, UK) share.  In those
 * files one entity is spread over many rows that carry one name, address,
 * DOB ... each and repeat the entity's own columns.  A reader numbers the
 * columns it knows (an enum), finds them in the header by name, and keeps
 * its state in a txs__lrow; the loop here reads the rows, checks each has
 * as many fields as the header, and calls the reader per row.  The cell,
 * join, add and failure helpers are the readers' one shared set.
 *
 * Invariants: every row is checked before the reader sees it; a read that
 * ends with an entity without any name, or with a header and no rows,
 * fails with file and line, so nothing is silently dropped.
 */
#include <stdio.h>
#include <string.h>

#include "lists_int.h"

txs_slice txs__lrow_cell(const txs__lrow *x, int c)
{
    if (x->col[c] < 0) return (txs_slice){"", 0};
    return txs__lists_trim(txs__lcsv_field(&x->r, (size_t)x->col[c]));
}

int txs__lrow_fail(const txs__lrow *x, const char *what, int c, txs_slice v)
{
    return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line, "%s '%.*s' in column %s",
                        what, (int)(v.n > 60 ? 60 : v.n), v.p, x->colname[c]);
}

int txs__lrow_add(txs__lrow *x, txs__lent *e, int kind, int sub, txs_slice v, const char *ext,
                  txs_slice note)
{
    return txs__lists_field(x->b, e, kind, sub, v.p, v.n, ext, ext ? strlen(ext) : 0, note.p,
                            note.n);
}

txs_slice txs__lrow_join(const txs__lrow *x, const int *cols, const char *sep, char *out,
                         size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (; *cols >= 0; cols++) {
        txs_slice v = txs__lrow_cell(x, *cols);
        if (v.n == 0) continue;
        int w = snprintf(out + k, cap - k, "%s%.*s", k ? sep : "", (int)v.n, v.p);
        if (w < 0 || (size_t)w >= cap - k) break;
        k += (size_t)w;
    }
    return (txs_slice){out, k};
}

static int rows(txs__lrow *x, int (*header)(txs__lrow *), int (*record)(txs__lrow *))
{
    txs_lists_builder *b = x->b;
    txs__lcsv *r = &x->r;
    size_t first = b->nents;
    int rc;
    TXS_TRY(header(x));
    size_t nhdr = r->nf;
    while ((rc = txs__lcsv_next(r, x->d)) == 1) {
        b->srcs[x->src].records++;
        if (r->nf != nhdr)
            return txs_diag_set(x->d, TXS_E_FORMAT, r->path, r->line,
                                "expected %zu fields (as in the header), found %zu", nhdr,
                                r->nf);
        rc = record(x);
        if (rc == TXS_E_NOMEM) return txs_diag_set(x->d, rc, r->path, r->line, "out of memory");
        TXS_TRY(rc);
    }
    TXS_TRY(rc);
    if (b->srcs[x->src].records == 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, r->path, r->line, "no records after the header");
    txs__lent *e = txs__lists_unnamed(b, first);
    if (e != NULL)
        return txs_diag_set(x->d, TXS_E_FORMAT, r->path, 0, "%s has no name in any row", e->id);
    return TXS_OK;
}

int txs__lists_read_rows(txs__lrow *x, const char *path, char sep, int (*header)(txs__lrow *),
                         int (*record)(txs__lrow *))
{
    TXS_TRY(txs__lcsv_open(&x->r, path, sep, x->d));
    int dedup = x->b->dedup;
    x->b->dedup = 1;
    int rc = rows(x, header, record);
    x->b->dedup = dedup;
    txs__lcsv_close(&x->r);
    return rc;
}
