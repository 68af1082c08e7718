/*
 * subset.c: a snapshot of some entities of another (lists_subset.h).  The
 * entities are read through the snapshot's views and fed to a builder as a
 * reader would feed them, with the sources copied as they are, so the
 * snapshot writer (snap_write.c) and name index (names_build.c) build it
 * the one way every snapshot is built.
 *
 * Build time only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"
#include "txs/lists_subset.h"

static int copy_sources(txs_lists_builder *b, const txs_lists *l)
{
    size_t n = txs_lists_nsources(l);
    b->srcs = calloc(n ? n : 1, sizeof *b->srcs);
    if (b->srcs == NULL) return TXS_E_NOMEM;
    b->capsrcs = n ? n : 1;
    for (size_t i = 0; i < n; i++) {
        txs_list_source s;
        txs_lists_source(l, i, &s);
        txs__lsrc *d = &b->srcs[i];
        snprintf(d->file, sizeof d->file, "%.*s", (int)s.file.n, s.file.p);
        snprintf(d->format, sizeof d->format, "%.*s", (int)s.format.n, s.format.p);
        snprintf(d->list, sizeof d->list, "%.*s", (int)s.list.n, s.list.p);
        snprintf(d->date, sizeof d->date, "%.*s", (int)s.date.n, s.date.p);
        d->bytes = s.bytes;
        memcpy(d->sha, s.sha256, sizeof d->sha);
        d->parent = s.parent;
        d->records = s.records;
        d->clauses = s.clauses;
        d->unparsed = s.unparsed;
    }
    b->nsrcs = n;
    return TXS_OK;
}

static int copy_entity(txs_lists_builder *b, const txs_lists *l, uint32_t idx)
{
    txs_entity e;
    txs_lists_entity(l, idx, &e);
    txs__lent *x = txs__lists_entity(b, e.source, e.id.p, e.id.n, (int)e.type, e.name.p, e.name.n);
    if (x == NULL) return TXS_E_NOMEM;
    for (uint32_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        TXS_TRY(txs__lists_field(b, x, (int)f.kind, (int)f.sub, f.value.p, f.value.n,
                                 f.extra.n ? f.extra.p : NULL, f.extra.n,
                                 f.note.n ? f.note.p : NULL, f.note.n));
    }
    return TXS_OK;
}

int txs_lists_subset(const txs_lists *l, const uint32_t *ents, size_t n, void **image,
                     txs_lists **out, txs_diag *d)
{
    txs_lists_builder *b;
    *image = NULL;
    *out = NULL;
    if (txs_lists_builder_create(&b) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    int rc = copy_sources(b, l);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (ents[i] >= txs_lists_count(l)) rc = TXS_E_ARG;
        else rc = copy_entity(b, l, ents[i]);
    }
    if (rc < 0) {
        txs_lists_builder_free(b);
        return txs_diag_set(d, rc, "", 0, rc == TXS_E_NOMEM ? "out of memory"
                                                            : "entity index out of range");
    }
    size_t sz = 0;
    rc = txs_lists_builder_image(b, image, &sz, d);
    txs_lists_builder_free(b);
    if (rc == 0) rc = txs_lists_open_mem(*image, sz, out, d);
    if (rc < 0) {
        free(*image);
        *image = NULL;
    }
    return rc;
}
