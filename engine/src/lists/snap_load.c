/*
 * snap_load.c: map a snapshot (snap_write.c draws the layout) and read it
 * through borrowed views.  Loading is one mmap plus one validation pass:
 * the header, the checksum, every section bound and every string / field /
 * entity reference are checked once here, so the accessors below do no
 * checks and a corrupt file is refused with a reason instead of crashing
 * the screening run later.  Nothing is recompiled or copied.
 *
 * A txs_lists is immutable after load: any number of threads may read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include "lists_int.h"
#include "txs/bigmem.h"

struct txs_lists {
    const uint8_t *base;
    size_t size;
    int mapped;
    uint64_t hash;
    const txs__snap_src *src;
    const txs__snap_ent *ent;
    const txs__snap_fld *fld;
    const char *str;
    const uint32_t *idsort;
    const txs__snap_ident *ident;
    const txs__snap_stat *stat;
    size_t nsrc, nent, nfld, nstr, nident, nstat;
    uint32_t names_version;
    const void *names;          /* the name-screening section, if built */
    size_t names_size;
    char *path;                 /* txs_lists_load's file, else NULL */
};

static int bad(txs_diag *d, const char *name, const char *what)
{
    return txs_diag_set(d, TXS_E_FORMAT, name, 0, "not a valid list snapshot: %s", what);
}

static int str_ok(const txs_lists *l, txs__snap_str s)
{
    return s.off <= l->nstr && s.len <= l->nstr - s.off;
}

static int sections(txs_lists *l, const char *name, txs_diag *d)
{
    uint32_t nsec;
    memcpy(&nsec, l->base + 16, 4);
    if (nsec < TXS__SEC_COUNT || TXS__SNAP_HDR + (uint64_t)nsec * sizeof(txs__snap_sec) > l->size)
        return bad(d, name, "section table");
    const txs__snap_sec *sec = (const txs__snap_sec *)(l->base + TXS__SNAP_HDR);
    for (uint32_t i = 0; i < nsec; i++) {
        const txs__snap_sec *s = &sec[i];
        if (s->off % 8 || s->off > l->size || s->size > l->size - s->off)
            return bad(d, name, "section out of bounds");
        const void *p = l->base + s->off;
        size_t n = (size_t)s->size;
        switch (s->tag) {
        case TXS__SEC_SOURCES: l->src = p, l->nsrc = n / sizeof *l->src; break;
        case TXS__SEC_ENTITIES: l->ent = p, l->nent = n / sizeof *l->ent; break;
        case TXS__SEC_FIELDS: l->fld = p, l->nfld = n / sizeof *l->fld; break;
        case TXS__SEC_STRINGS: l->str = p, l->nstr = n; break;
        case TXS__SEC_IDSORT: l->idsort = p; break;
        case TXS__SEC_STATS: l->stat = p, l->nstat = n / sizeof *l->stat; break;
        case TXS__SEC_NAMES: l->names_version = s->version, l->names = p, l->names_size = n; break;
        case TXS__SEC_IDENT: {
            uint64_t slots;
            if (n < 8) return bad(d, name, "identifier table");
            memcpy(&slots, p, 8);
            if (slots == 0 || (slots & (slots - 1)) || slots * sizeof *l->ident != n - 8)
                return bad(d, name, "identifier table size");
            l->ident = (const txs__snap_ident *)((const uint8_t *)p + 8);
            l->nident = (size_t)slots;
            break;
        }
        default: break; /* a later minor version's section: ignore */
        }
    }
    if (!l->src || !l->ent || !l->fld || !l->str || !l->idsort || !l->ident || !l->stat)
        return bad(d, name, "missing section");
    return TXS_OK;
}

static int references(const txs_lists *l, const char *name, txs_diag *d)
{
    for (size_t i = 0; i < l->nsrc; i++) {
        const txs__snap_src *s = &l->src[i];
        if (!str_ok(l, s->file) || !str_ok(l, s->format) || !str_ok(l, s->list) ||
            !str_ok(l, s->date) || s->parent >= l->nsrc)
            return bad(d, name, "source record");
    }
    for (size_t i = 0; i < l->nent; i++) {
        const txs__snap_ent *e = &l->ent[i];
        if (!str_ok(l, e->id) || !str_ok(l, e->name) || e->source >= l->nsrc ||
            e->type >= TXS_ENT_TYPES || e->first_field > l->nfld ||
            e->nfields > l->nfld - e->first_field || l->idsort[i] >= l->nent)
            return bad(d, name, "entity record");
    }
    for (size_t i = 0; i < l->nfld; i++) {
        const txs__snap_fld *f = &l->fld[i];
        if (f->kind >= TXS_F_COUNT || !str_ok(l, f->val) || !str_ok(l, f->ext) ||
            !str_ok(l, f->note))
            return bad(d, name, "field record");
    }
    for (size_t i = 0; i < l->nident; i++)
        if (l->ident[i].hash && (l->ident[i].entity >= l->nent || l->ident[i].field >= l->nfld))
            return bad(d, name, "identifier slot");
    for (size_t i = 0; i < l->nstat; i++)
        if (l->stat[i].src >= l->nsrc || !str_ok(l, l->stat[i].label))
            return bad(d, name, "statistics record");
    return TXS_OK;
}

/* The checksum of the body (after the header) and the xxh3 of the whole
 * image (the snapshot's identity in hits and manifests), in one pass:
 * both streams take the same 1 MiB slice in turn, so a mapped file is
 * faulted in and read from memory once, not twice (a 1 M-name snapshot is
 * over 300 MB).  Through libxxhash's CPU dispatch: AVX2 where the CPU has
 * it, half the instructions of the library's default SSE2 path; xxh3's
 * value is the same on every path. */
static int two_hashes(const unsigned char *p, size_t n, uint64_t *body, uint64_t *whole)
{
    XXH3_state_t *b = XXH3_createState(), *w = XXH3_createState();
    if (b == NULL || w == NULL) {
        XXH3_freeState(b), XXH3_freeState(w);
        return TXS_E_NOMEM;
    }
    XXH3_64bits_reset(b);
    XXH3_64bits_reset(w);
    XXH3_64bits_update_dispatch(w, p, TXS__SNAP_HDR);
    for (size_t at = TXS__SNAP_HDR; at < n;) {
        size_t k = n - at < (1u << 20) ? n - at : (1u << 20);
        XXH3_64bits_update_dispatch(b, p + at, k);
        XXH3_64bits_update_dispatch(w, p + at, k);
        at += k;
    }
    *body = XXH3_64bits_digest(b);
    *whole = XXH3_64bits_digest(w);
    XXH3_freeState(b), XXH3_freeState(w);
    return TXS_OK;
}

static int open_image(txs_lists *l, const char *name, txs_diag *d)
{
    if (l->size < TXS__SNAP_HDR || memcmp(l->base, TXS__SNAP_MAGIC, 8) != 0)
        return bad(d, name, "bad magic");
    uint32_t endian, version;
    uint64_t size, hash;
    memcpy(&endian, l->base + 8, 4);
    memcpy(&version, l->base + 12, 4);
    memcpy(&size, l->base + 24, 8);
    memcpy(&hash, l->base + 32, 8);
    if (endian != TXS__SNAP_ENDIAN) return bad(d, name, "written on a machine of other byte order");
    if (version != TXS__SNAP_VERSION)
        return txs_diag_set(d, TXS_E_FORMAT, name, 0, "snapshot format version %u, expected %u",
                            version, TXS__SNAP_VERSION);
    if (size != l->size) return bad(d, name, "truncated or extended");
    uint64_t body;
    if (two_hashes(l->base, l->size, &body, &l->hash) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, name, 0, "out of memory");
    if (body != hash) return bad(d, name, "checksum mismatch");
    TXS_TRY(sections(l, name, d));
    return references(l, name, d);
}

int txs_lists_open_mem(const void *p, size_t n, txs_lists **out, txs_diag *d)
{
    *out = NULL;
    if (p == NULL || ((uintptr_t)p % 8) != 0) return txs_diag_set(d, TXS_E_ARG, "", 0, "unaligned image");
    txs_lists *l = calloc(1, sizeof *l);
    if (l == NULL) return TXS_E_NOMEM;
    l->base = p;
    l->size = n;
    int rc = open_image(l, "(memory)", d);
    if (rc < 0) {
        free(l);
        return rc;
    }
    *out = l;
    return TXS_OK;
}

/* fd's n bytes mapped read-only at a 2 MiB-aligned address and advised
 * MADV_HUGEPAGE, so that a file read in through the mapping comes in 2 MiB
 * folios, and a file cached in them is mapped with one entry per 2 MiB
 * (the kernel chose no aligned address itself for the bundled 19 MB
 * snapshot).  With 4 KiB entries the first pass over the 1 M-name
 * snapshot cost about 200 ms on the benchmark VM, with 2 MiB ones 30 ms
 * (docs/lists.md "Snapshot").  MAP_FAILED on failure. */
static void *map_snapshot(int fd, size_t n)
{
    void *m = txs_map_aligned(fd, n, (size_t)2 << 20);
#ifdef MADV_HUGEPAGE
    if (m != MAP_FAILED) (void)madvise(m, n, MADV_HUGEPAGE);
#endif
    return m;
}

int txs_lists_load(const char *path, txs_lists **out, txs_diag *d)
{
    *out = NULL;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)TXS__SNAP_HDR) {
        close(fd);
        return bad(d, path, "too short");
    }
    void *m = map_snapshot(fd, (size_t)st.st_size);
    close(fd);
    if (m == MAP_FAILED) return txs_diag_set(d, TXS_E_IO, path, 0, "mmap: %s", strerror(errno));
    /* Every page is read by the checksum below, so the mapping is filled
     * in one call rather than a fault per few pages (a hint: a kernel
     * without it maps the pages as they are read). */
#ifdef MADV_POPULATE_READ
    (void)madvise(m, (size_t)st.st_size, MADV_POPULATE_READ);
#endif
    txs_lists *l = calloc(1, sizeof *l);
    if (l == NULL) {
        munmap(m, (size_t)st.st_size);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    l->base = m;
    l->size = (size_t)st.st_size;
    l->mapped = 1;
    l->path = strdup(path);
    if (l->path == NULL) {
        txs_lists_free(l);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    int rc = open_image(l, path, d);
    if (rc < 0) {
        txs_lists_free(l);
        return rc;
    }
    *out = l;
    return TXS_OK;
}

void txs_lists_free(txs_lists *l)
{
    if (l == NULL) return;
    if (l->mapped) munmap((void *)l->base, l->size);
    free(l->path);
    free(l);
}

/* ------------------------------------------------------------ accessors */

static txs_slice S(const txs_lists *l, txs__snap_str s) { return (txs_slice){l->str + s.off, s.len}; }

const char *txs_lists_path(const txs_lists *l) { return l->path ? l->path : ""; }
uint64_t txs_lists_hash(const txs_lists *l) { return l->hash; }
size_t txs_lists_size(const txs_lists *l) { return l->size; }
size_t txs_lists_count(const txs_lists *l) { return l->nent; }
size_t txs_lists_nsources(const txs_lists *l) { return l->nsrc; }
size_t txs_lists_nstats(const txs_lists *l) { return l->nstat; }

void txs_lists_entity(const txs_lists *l, size_t i, txs_entity *out)
{
    const txs__snap_ent *e = &l->ent[i];
    *out = (txs_entity){S(l, e->id), S(l, e->name), e->source, e->type, e->first_field, e->nfields};
}

void txs_lists_field(const txs_lists *l, const txs_entity *e, size_t j, txs_field *out)
{
    const txs__snap_fld *f = &l->fld[e->first_field + j];
    *out = (txs_field){f->kind, f->sub, S(l, f->val), S(l, f->ext), S(l, f->note)};
}

void txs_lists_source(const txs_lists *l, size_t i, txs_list_source *out)
{
    const txs__snap_src *s = &l->src[i];
    memset(out, 0, sizeof *out);
    out->file = S(l, s->file);
    out->format = S(l, s->format);
    out->list = S(l, s->list);
    out->date = S(l, s->date);
    out->bytes = s->bytes;
    memcpy(out->sha256, s->sha, 32);
    out->records = s->records;
    out->parent = s->parent;
    out->entities = s->entities;
    memcpy(out->by_type, s->by_type, sizeof out->by_type);
    out->clauses = s->clauses;
    out->unparsed = s->unparsed;
}

void txs_lists_stat(const txs_lists *l, size_t i, uint32_t *source, int *parsed,
                    txs_slice *kind, uint32_t *count)
{
    const txs__snap_stat *s = &l->stat[i];
    *source = s->src;
    *parsed = (int)s->parsed;
    *kind = S(l, s->label);
    *count = s->count;
}

uint32_t txs_lists_names_version(const txs_lists *l) { return l->names_version; }

size_t txs__lists_sorted(const txs_lists *l, size_t i) { return l->idsort[i]; }

int txs__lists_section(const txs_lists *l, uint32_t tag, const void **p, size_t *n,
                       uint32_t *version)
{
    if (tag == TXS__SEC_NAMES) *p = l->names, *n = l->names_size, *version = l->names_version;
    else return TXS_E_NOTFOUND;
    return *p ? TXS_OK : TXS_E_NOTFOUND;
}

int txs_lists_find(const txs_lists *l, txs_slice id, size_t *index)
{
    size_t lo = 0, hi = l->nent;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        txs_slice m = S(l, l->ent[l->idsort[mid]].id);
        size_t n = m.n < id.n ? m.n : id.n;
        int c = memcmp(m.p, id.p, n);
        if (c == 0) c = m.n < id.n ? -1 : m.n > id.n;
        if (c == 0) {
            *index = l->idsort[mid];
            return TXS_OK;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return TXS_E_NOTFOUND;
}

size_t txs_lists_find_ident(const txs_lists *l, int id_kind, txs_slice value,
                            uint32_t *entities, size_t cap)
{
    char key[256], k2[256];
    size_t kn = txs__lists_ident_key(value.p, value.n, key, sizeof key), found = 0;
    if (kn == 0) return 0;
    uint64_t h = txs__lists_ident_hash(id_kind, key, kn);
    for (size_t s = (size_t)h & (l->nident - 1); l->ident[s].hash; s = (s + 1) & (l->nident - 1)) {
        const txs__snap_ident *x = &l->ident[s];
        if (x->hash != h || l->fld[x->field].sub != id_kind) continue;
        txs_slice v = S(l, l->fld[x->field].val);
        if (txs__lists_ident_key(v.p, v.n, k2, sizeof k2) != kn || memcmp(k2, key, kn) != 0)
            continue;
        if (found < cap) entities[found] = x->entity;
        found++;
    }
    return found;
}
