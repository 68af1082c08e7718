/*
 * snap_write.c: serialise a builder into a snapshot image.  The layout,
 * little-endian, every section 8-byte aligned (lists_int.h has the records):
 *
 *   0    header  "TXSLSNP1" | endian u32 | version u32 | nsections u32 | 0
 *                | total size u64 | xxh3-64 of bytes [64, size) | zeros
 *   64   section table: nsections x {tag u32, version u32, offset u64, size u64}
 *        SOURCES  txs__snap_src[]      per file: name, format, list, date,
 *                                      bytes, sha256, counts
 *        ENTITIES txs__snap_ent[]      reader order; fields are a range
 *        FIELDS   txs__snap_fld[]
 *        STRINGS  bytes                deduplicated; refs are {off, len}
 *        IDSORT   u32[]                entity indices sorted by id bytes
 *        IDENT    u64 nslots, txs__snap_ident[nslots]   open addressing on
 *                                      xxh3(id kind, normalised identifier)
 *        STATS    txs__snap_stat[]     remark clauses per kind
 *        NAMES    (version 1)          normalised name forms, token dictionary,
 *                                      postings, misspelling hash table
 *                                      (lists_int.h draws it; names_build.c)
 *        HSDB     (version 1)          serialised Hyperscan literal database
 *
 * The name sections are derived from the others, so the image is written
 * twice: once without them, opened in memory and handed to the name
 * builder (which reads entities through the same views the screener uses),
 * then again with them.
 *
 * Determinism: everything is derived from the builder in reader order, the
 * string pool dedups in first-use order, the hash tables use fixed seeds
 * and linear probing in insertion order, and no pointer, time or padding
 * byte is written uninitialised.  The same sources give the same bytes.
 */
#include <stdlib.h>
#include <string.h>
#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include "lists_int.h"

typedef struct pool {
    char *p;
    size_t n, cap;
    uint32_t *map; /* off+1 of a string; open addressing on xxh3 */
    uint32_t *lens;
    size_t mapcap;
    int oom;
} pool;

static void pool_raw(pool *s, const void *p, size_t n)
{
    if (s->oom) return;
    if (s->n + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1 << 16;
        while (cap < s->n + n) cap *= 2;
        char *q = realloc(s->p, cap);
        if (q == NULL) { s->oom = 1; return; }
        s->p = q;
        s->cap = cap;
    }
    memcpy(s->p + s->n, p, n);
    s->n += n;
}

static txs__snap_str pool_str(pool *s, const char *p, size_t n)
{
    txs__snap_str r = {0, 0};
    if (n == 0 || s->oom) return r;
    size_t h = (size_t)XXH3_64bits(p, n) & (s->mapcap - 1);
    for (; s->map[h]; h = (h + 1) & (s->mapcap - 1)) {
        uint32_t off = s->map[h] - 1;
        if (s->lens[h] == n && memcmp(s->p + off, p, n) == 0) return (txs__snap_str){off, (uint32_t)n};
    }
    r.off = (uint32_t)s->n;
    r.len = (uint32_t)n;
    pool_raw(s, p, n);
    s->map[h] = r.off + 1;
    s->lens[h] = (uint32_t)n;
    return r;
}

typedef struct idref {
    const char *id;
    uint32_t n, idx;
} idref;

static int idref_cmp(const void *a, const void *b)
{
    const idref *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->id, y->id, n);
    if (c) return c;
    return x->n < y->n ? -1 : x->n > y->n;
}

typedef struct parts {
    txs__snap_src *src;
    txs__snap_ent *ent;
    txs__snap_fld *fld;
    uint32_t *idsort;
    txs__snap_ident *ident;
    txs__snap_stat *stat;
    size_t nsrc, nent, nfld, nident, nstat;
    pool str;
} parts;

static void fill_entities(const txs_lists_builder *b, parts *o)
{
    size_t k = 0, f = 0;
    for (size_t i = 0; i < b->nents; i++) {
        const txs__lent *e = b->ents[i];
        if (e->deleted) continue;
        txs__snap_ent *s = &o->ent[k++];
        s->id = pool_str(&o->str, e->id, e->idlen);
        s->name = pool_str(&o->str, e->name, e->namelen);
        s->source = e->source;
        s->type = e->type;
        s->first_field = (uint32_t)f;
        s->nfields = e->nf;
        o->src[e->source].entities++;
        o->src[e->source].by_type[e->type < TXS_ENT_TYPES ? e->type : 0]++;
        for (uint32_t j = 0; j < e->nf; j++, f++) {
            const txs__lfield *x = &e->f[j];
            txs__snap_fld *y = &o->fld[f];
            memset(y, 0, sizeof *y);
            y->kind = x->kind;
            y->sub = x->sub;
            y->val = pool_str(&o->str, x->val, x->vlen);
            y->ext = pool_str(&o->str, x->ext, x->elen);
            y->note = pool_str(&o->str, x->note, x->nlen);
        }
    }
}

static void fill_ident(parts *o)
{
    for (size_t i = 0; i < o->nent; i++) {
        const txs__snap_ent *e = &o->ent[i];
        for (uint32_t j = 0; j < e->nfields; j++) {
            const txs__snap_fld *f = &o->fld[e->first_field + j];
            if (f->kind != TXS_F_ID) continue;
            char key[256];
            size_t kn = txs__lists_ident_key(o->str.p + f->val.off, f->val.len, key, sizeof key);
            if (kn == 0) continue;
            uint64_t h = txs__lists_ident_hash(f->sub, key, kn);
            size_t s = (size_t)h & (o->nident - 1);
            while (o->ident[s].hash) s = (s + 1) & (o->nident - 1);
            o->ident[s].hash = h;
            o->ident[s].entity = (uint32_t)i;
            o->ident[s].field = e->first_field + j;
        }
    }
}

static int fill_sort(parts *o)
{
    idref *r = malloc((o->nent ? o->nent : 1) * sizeof *r);
    if (r == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < o->nent; i++)
        r[i] = (idref){o->str.p + o->ent[i].id.off, o->ent[i].id.len, (uint32_t)i};
    qsort(r, o->nent, sizeof *r, idref_cmp);
    for (size_t i = 0; i < o->nent; i++) o->idsort[i] = r[i].idx;
    free(r);
    return TXS_OK;
}

static void fill_sources(const txs_lists_builder *b, parts *o)
{
    for (size_t i = 0; i < b->nsrcs; i++) {
        const txs__lsrc *s = &b->srcs[i];
        txs__snap_src *d = &o->src[i];
        d->file = pool_str(&o->str, s->file, strlen(s->file));
        d->format = pool_str(&o->str, s->format, strlen(s->format));
        d->list = pool_str(&o->str, s->list, strlen(s->list));
        d->date = pool_str(&o->str, s->date, strlen(s->date));
        d->bytes = s->bytes;
        memcpy(d->sha, s->sha, 32);
        d->parent = s->parent;
        d->records = s->records;
        d->clauses = s->clauses;
        d->unparsed = s->unparsed;
    }
    for (size_t i = 0; i < b->nstats; i++) {
        const txs__lstat *s = &b->stats[i];
        o->stat[i] = (txs__snap_stat){s->src, s->parsed, s->count,
                                      pool_str(&o->str, s->label, s->llen)};
    }
}

static int alloc_parts(const txs_lists_builder *b, parts *o)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < b->nents; i++)
        if (!b->ents[i]->deleted) o->nent++, o->nfld += b->ents[i]->nf;
    o->nsrc = b->nsrcs;
    o->nstat = b->nstats;
    o->nident = 64;
    while (o->nident < o->nfld) o->nident *= 2; /* load <= 1/2 of ID fields */
    o->nident *= 2;
    o->src = calloc(o->nsrc + 1, sizeof *o->src);
    o->ent = calloc(o->nent + 1, sizeof *o->ent);
    o->fld = calloc(o->nfld + 1, sizeof *o->fld);
    o->idsort = calloc(o->nent + 1, sizeof *o->idsort);
    o->ident = calloc(o->nident, sizeof *o->ident);
    o->stat = calloc(o->nstat + 1, sizeof *o->stat);
    o->str.mapcap = 1 << 16;
    while (o->str.mapcap < (o->nfld * 3 + o->nent * 2 + 64) * 2) o->str.mapcap *= 2;
    o->str.map = calloc(o->str.mapcap, sizeof *o->str.map);
    o->str.lens = calloc(o->str.mapcap, sizeof *o->str.lens);
    if (!o->src || !o->ent || !o->fld || !o->idsort || !o->ident || !o->stat || !o->str.map ||
        !o->str.lens)
        return TXS_E_NOMEM;
    pool_raw(&o->str, "", 1); /* offset 0 is the empty string */
    return TXS_OK;
}

static void free_parts(parts *o)
{
    free(o->src), free(o->ent), free(o->fld), free(o->idsort), free(o->ident), free(o->stat);
    free(o->str.p), free(o->str.map), free(o->str.lens);
}

/* Append a section (8-aligned) and record it in the table. */
static void section(pool *img, txs__snap_sec *sec, uint32_t tag, uint32_t version,
                    const void *p, size_t n)
{
    static const char zero[8] = {0};
    if (img->n % 8) pool_raw(img, zero, 8 - img->n % 8);
    sec->tag = tag;
    sec->version = version;
    sec->off = img->n;
    sec->size = n;
    if (n) pool_raw(img, p, n);
}

typedef struct blobs {
    const void *names;
    size_t nnames;
} blobs;

static int assemble(parts *o, const blobs *bl, void **out, size_t *n)
{
    pool img = {0};
    txs__snap_sec sec[TXS__SEC_COUNT];
    char hdr[TXS__SNAP_HDR + sizeof sec];
    memset(hdr, 0, sizeof hdr);
    memset(sec, 0, sizeof sec);
    pool_raw(&img, hdr, sizeof hdr);
    uint64_t nslots = o->nident;
    section(&img, &sec[0], TXS__SEC_SOURCES, 1, o->src, o->nsrc * sizeof *o->src);
    section(&img, &sec[1], TXS__SEC_ENTITIES, 1, o->ent, o->nent * sizeof *o->ent);
    section(&img, &sec[2], TXS__SEC_FIELDS, 1, o->fld, o->nfld * sizeof *o->fld);
    section(&img, &sec[3], TXS__SEC_STRINGS, 1, o->str.p, o->str.n);
    section(&img, &sec[4], TXS__SEC_IDSORT, 1, o->idsort, o->nent * sizeof *o->idsort);
    section(&img, &sec[5], TXS__SEC_IDENT, 1, &nslots, sizeof nslots);
    pool_raw(&img, o->ident, o->nident * sizeof *o->ident);
    sec[5].size += o->nident * sizeof *o->ident;
    section(&img, &sec[6], TXS__SEC_STATS, 1, o->stat, o->nstat * sizeof *o->stat);
    section(&img, &sec[7], TXS__SEC_NAMES, bl->names ? TXS__NAMES_VERSION : 0, bl->names,
            bl->nnames);
    if (img.oom) {
        free(img.p);
        return TXS_E_NOMEM;
    }
    uint32_t endian = TXS__SNAP_ENDIAN, version = TXS__SNAP_VERSION, nsec = TXS__SEC_COUNT;
    uint64_t size = img.n;
    memcpy(img.p, TXS__SNAP_MAGIC, 8);
    memcpy(img.p + 8, &endian, 4);
    memcpy(img.p + 12, &version, 4);
    memcpy(img.p + 16, &nsec, 4);
    memcpy(img.p + 24, &size, 8);
    memcpy(img.p + TXS__SNAP_HDR, sec, sizeof sec);
    uint64_t h = XXH3_64bits_dispatch(img.p + TXS__SNAP_HDR, img.n - TXS__SNAP_HDR);
    memcpy(img.p + 32, &h, 8);
    *out = img.p;
    *n = img.n;
    return TXS_OK;
}

/* Second pass: derive the name sections from the first image and write
 * the image again with them.  On failure *out is freed and cleared. */
static int with_names(parts *o, void **out, size_t *n, txs_diag *d)
{
    txs_lists *l = NULL;
    blobs bl = {NULL, 0};
    void *nm = NULL;
    int rc = txs_lists_open_mem(*out, *n, &l, d);
    if (rc == 0) rc = txs__lists_build_names(l, &nm, &bl.nnames);
    txs_lists_free(l);
    free(*out);
    *out = NULL;
    if (rc == 0) {
        bl.names = nm;
        rc = assemble(o, &bl, out, n);
    }
    free(nm);
    return rc;
}

int txs_lists_builder_image(txs_lists_builder *b, void **out, size_t *n, txs_diag *d)
{
    *out = NULL;
    *n = 0;
    if (b == NULL || b->broken) return txs_diag_set(d, TXS_E_ARG, "", 0, "builder unusable");
    parts o;
    int rc = alloc_parts(b, &o);
    if (rc == 0) {
        fill_sources(b, &o);
        fill_entities(b, &o);
        fill_ident(&o);
        rc = o.str.oom ? TXS_E_NOMEM : fill_sort(&o);
    }
    blobs bl = {NULL, 0};
    if (rc == 0) rc = assemble(&o, &bl, out, n);
    if (rc == 0) rc = with_names(&o, out, n, d);
    free_parts(&o);
    if (rc < 0 && (d == NULL || d->msg[0] == '\0')) txs_diag_set(d, rc, "", 0, "out of memory writing the snapshot");
    return rc;
}
