/*
 * diff.c: what changed between two snapshots.  Entities are matched by
 * their source-qualified id, walking both snapshots' sorted id indexes in
 * one merge, so the report comes out in id order whatever the reader order
 * was.  For a matched pair the fields are compared as a multiset of
 * "kind value (extra)" strings, each side sorted, and the differences are
 * listed as +added / -removed: a reordering alone is not a change.
 *
 * Build-time tool: allocates per entity pair; not on any hot path.
 */
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"
#include "txs/emit.h"

typedef struct flist {
    char **s;
    size_t n;
} flist;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *describe(const txs_field *f)
{
    txs_buf b = {0};
    const char *kind = f->kind == TXS_F_ID ? txs_id_kind_name((int)f->sub)
                                           : txs_field_kind_name((int)f->kind);
    txs_buf_printf(&b, "%s%s %.*s", kind,
                   f->kind == TXS_F_ALIAS && f->sub == TXS_ALIAS_WEAK ? "(weak)" : "",
                   (int)f->value.n, f->value.p);
    if (f->extra.n) txs_buf_printf(&b, " (%.*s)", (int)f->extra.n, f->extra.p);
    txs_buf_putc(&b, '\0');
    if (b.oom) {
        txs_buf_free(&b);
        return NULL;
    }
    return b.p;
}

static void flist_free(flist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->s[i]);
    free(l->s);
}

static int flist_make(const txs_lists *l, const txs_entity *e, flist *out)
{
    out->n = 0;
    out->s = calloc(e->nfields + 1, sizeof *out->s);
    if (out->s == NULL) return TXS_E_NOMEM;
    for (size_t j = 0; j < e->nfields; j++) {
        txs_field f;
        txs_lists_field(l, e, j, &f);
        if ((out->s[out->n] = describe(&f)) == NULL) return TXS_E_NOMEM;
        out->n++;
    }
    qsort(out->s, out->n, sizeof *out->s, cmp_str);
    return TXS_OK;
}

/* Fill b with "name: A -> B; +x; -y"; b->n == 0 when nothing changed. */
static int compare(const txs_lists *lo, const txs_entity *a, const txs_lists *ln,
                   const txs_entity *b, txs_buf *out)
{
    if (a->name.n != b->name.n || memcmp(a->name.p, b->name.p, a->name.n) != 0)
        txs_buf_printf(out, "name: %.*s -> %.*s; ", (int)a->name.n, a->name.p, (int)b->name.n,
                       b->name.p);
    if (a->type != b->type)
        txs_buf_printf(out, "type: %s -> %s; ", txs_entity_type_name((int)a->type),
                       txs_entity_type_name((int)b->type));
    flist fa, fb;
    int rc = flist_make(lo, a, &fa);
    if (rc == 0) rc = flist_make(ln, b, &fb);
    else fb = (flist){NULL, 0};
    size_t i = 0, j = 0;
    while (rc == 0 && (i < fa.n || j < fb.n)) {
        int c = i == fa.n ? 1 : j == fb.n ? -1 : strcmp(fa.s[i], fb.s[j]);
        if (c == 0) i++, j++;
        else if (c < 0) txs_buf_printf(out, "-%s; ", fa.s[i++]);
        else txs_buf_printf(out, "+%s; ", fb.s[j++]);
    }
    flist_free(&fa);
    flist_free(&fb);
    if (out->n >= 2) out->n -= 2; /* the last "; " */
    txs_buf_putc(out, '\0');
    out->n--;
    return rc < 0 ? rc : out->oom ? TXS_E_NOMEM : TXS_OK;
}

int txs_lists_diff(const txs_lists *old_l, const txs_lists *new_l, txs_diff_fn fn,
                   void *ctx, txs_diff_stats *st)
{
    txs_diff_stats z = {0, 0, 0, 0};
    if (st == NULL) st = &z;
    *st = z;
    size_t na = txs_lists_count(old_l), nb = txs_lists_count(new_l), i = 0, j = 0;
    int rc = TXS_OK;
    while (rc >= 0 && (i < na || j < nb)) {
        txs_entity a, b;
        if (i < na) txs_lists_entity(old_l, txs__lists_sorted(old_l, i), &a);
        if (j < nb) txs_lists_entity(new_l, txs__lists_sorted(new_l, j), &b);
        int c;
        if (i == na) c = 1;
        else if (j == nb) c = -1;
        else {
            size_t n = a.id.n < b.id.n ? a.id.n : b.id.n;
            c = memcmp(a.id.p, b.id.p, n);
            if (c == 0) c = a.id.n < b.id.n ? -1 : a.id.n > b.id.n;
        }
        if (c < 0) {
            st->removed++, i++;
            if (fn) rc = fn(ctx, TXS_DIFF_REMOVED, a.id, a.name, "");
        } else if (c > 0) {
            st->added++, j++;
            if (fn) rc = fn(ctx, TXS_DIFF_ADDED, b.id, b.name, "");
        } else {
            txs_buf d = {0};
            rc = compare(old_l, &a, new_l, &b, &d);
            if (rc >= 0 && d.n) {
                st->changed++;
                if (fn) rc = fn(ctx, TXS_DIFF_CHANGED, b.id, b.name, d.p);
            } else if (rc >= 0) {
                st->unchanged++;
            }
            txs_buf_free(&d);
            i++, j++;
        }
    }
    return rc < 0 ? rc : TXS_OK;
}

/* One event as a line (two for a change: the detail indented below). */
static int put_line(void *ctx, txs_diff_op op, txs_slice id, txs_slice name, const char *detail)
{
    static const char *const OPS[] = {"added", "removed", "changed"};
    txs_buf *b = ctx;
    txs_buf_printf(b, "%-7s %.*s  %.*s%s%s\n", OPS[op], (int)id.n, id.p, (int)name.n, name.p,
                   detail[0] ? "\n        " : "", detail);
    return b->oom ? TXS_E_NOMEM : TXS_OK;
}

int txs_lists_diff_text(const txs_lists *old_l, const txs_lists *new_l, struct txs_buf *out,
                        txs_diff_stats *st)
{
    TXS_TRY(txs_lists_diff(old_l, new_l, put_line, out, st));
    txs_buf_printf(out, "summary: %llu added, %llu removed, %llu changed, %llu unchanged\n",
                   (unsigned long long)st->added, (unsigned long long)st->removed,
                   (unsigned long long)st->changed, (unsigned long long)st->unchanged);
    return out->oom ? TXS_E_NOMEM : TXS_OK;
}
