/*
 * model.c: the in-memory list model the readers fill (lists_int.h draws
 * it): sources with their size and SHA-256, entities with growable field
 * arrays, an id map so that later files (OFAC alt/add, FtM deltas) find the
 * entity they refer to, and remark-clause statistics; plus the small text
 * helpers every reader uses (trim, arena copies, identifier keys).  The
 * readers depend on this file; it depends on none of them.
 *
 * Invariant: ents[] only grows, in reader order; replaced or deleted
 * entities stay in place marked `deleted`, so indices in idmap stay valid
 * and the output order depends only on the input bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#include "lists_int.h"

int txs_lists_builder_create(txs_lists_builder **out)
{
    txs_lists_builder *b = calloc(1, sizeof *b);
    *out = b;
    if (b == NULL) return TXS_E_NOMEM;
    txs_arena_init(&b->arena, 1u << 20);
    return TXS_OK;
}

void txs_lists_builder_free(txs_lists_builder *b)
{
    if (b == NULL) return;
    for (size_t i = 0; i < b->nents; i++) free(b->ents[i]->f);
    free(b->ents);
    free(b->idmap);
    free(b->srcs);
    free(b->stats);
    free(b->statmap);
    txs_arena_free(&b->arena);
    free(b);
}

const char *txs__lists_dup(txs_lists_builder *b, const char *p, size_t n)
{
    char *s = txs_arena_alloc(&b->arena, n + 1);
    if (s == NULL) return NULL;
    if (n) memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

txs_slice txs__lists_trim(txs_slice s)
{
    while (s.n > 0 && isspace((unsigned char)s.p[0])) s.p++, s.n--;
    while (s.n > 0 && isspace((unsigned char)s.p[s.n - 1])) s.n--;
    return s;
}

size_t txs__lists_ident_key(const char *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (isalnum((unsigned char)p[i])) out[k++] = (char)toupper((unsigned char)p[i]);
    return k;
}

uint64_t txs__lists_ident_hash(int kind, const char *key, size_t n)
{
    uint64_t h = XXH3_64bits_withSeed(key, n, (uint64_t)kind + 1);
    return h ? h : 1;
}

/* ------------------------------------------------------------- sources */

static int hash_file(const char *path, uint64_t *bytes, uint8_t sha[32], txs_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    txs__sha256 s;
    txs__sha256_init(&s);
    char buf[65536];
    size_t n;
    *bytes = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        txs__sha256_update(&s, buf, n);
        *bytes += n;
    }
    int err = ferror(f);
    fclose(f);
    if (err) return txs_diag_set(d, TXS_E_IO, path, 0, "read error");
    txs__sha256_final(&s, sha);
    return TXS_OK;
}

int txs__lists_source(txs_lists_builder *b, const char *path, const char *format,
                      const char *list, uint32_t parent, uint32_t *idx, txs_diag *d)
{
    if (b->nsrcs == b->capsrcs) {
        size_t cap = b->capsrcs ? b->capsrcs * 2 : 8;
        txs__lsrc *s = realloc(b->srcs, cap * sizeof *s);
        if (s == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
        b->srcs = s;
        b->capsrcs = cap;
    }
    txs__lsrc *s = &b->srcs[b->nsrcs];
    memset(s, 0, sizeof *s);
    const char *base = strrchr(path, '/');
    snprintf(s->file, sizeof s->file, "%s", base ? base + 1 : path);
    snprintf(s->format, sizeof s->format, "%s", format);
    snprintf(s->list, sizeof s->list, "%s", list);
    TXS_TRY(hash_file(path, &s->bytes, s->sha, d));
    *idx = (uint32_t)b->nsrcs;
    s->parent = parent == UINT32_MAX ? *idx : parent;
    b->nsrcs++;
    return TXS_OK;
}

int txs__lists_source_seen(txs_lists_builder *b, const char *path, const char *format,
                           int *seen, txs_diag *d)
{
    uint64_t bytes;
    uint8_t sha[32];
    *seen = 0;
    TXS_TRY(hash_file(path, &bytes, sha, d));
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; i < b->nsrcs && !*seen; i++) {
        const txs__lsrc *s = &b->srcs[i];
        *seen = s->parent == i && s->bytes == bytes && memcmp(s->sha, sha, 32) == 0 &&
                strcmp(s->format, format) == 0 && strcmp(s->file, base) == 0;
    }
    return TXS_OK;
}

/* ------------------------------------------------------------ entities */

static int idmap_grow(txs_lists_builder *b)
{
    size_t cap = b->idcap ? b->idcap * 2 : 4096;
    uint32_t *m = calloc(cap, sizeof *m);
    if (m == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < b->nents; i++) {
        const txs__lent *e = b->ents[i];
        if (e->deleted) continue;
        size_t h = (size_t)XXH3_64bits(e->id, e->idlen) & (cap - 1);
        while (m[h]) h = (h + 1) & (cap - 1);
        m[h] = (uint32_t)i + 1;
    }
    free(b->idmap);
    b->idmap = m;
    b->idcap = cap;
    return TXS_OK;
}

/* Slot of id in idmap: the live entry, or the empty slot where it goes. */
static size_t idmap_slot(const txs_lists_builder *b, const char *id, size_t n)
{
    size_t h = (size_t)XXH3_64bits(id, n) & (b->idcap - 1);
    for (;; h = (h + 1) & (b->idcap - 1)) {
        uint32_t v = b->idmap[h];
        if (v == 0) return h;
        const txs__lent *e = b->ents[v - 1];
        if (e->idlen == n && memcmp(e->id, id, n) == 0) return h;
    }
}

txs__lent *txs__lists_lookup(txs_lists_builder *b, const char *id, size_t idlen)
{
    if (b->idcap == 0) return NULL;
    uint32_t v = b->idmap[idmap_slot(b, id, idlen)];
    return v ? b->ents[v - 1] : NULL;
}

txs__lent *txs__lists_entity(txs_lists_builder *b, uint32_t src, const char *id,
                             size_t idlen, int type, const char *name, size_t namelen)
{
    if ((b->nents + 1) * 2 > b->idcap && idmap_grow(b) < 0) return NULL;
    if (b->nents == b->capents) {
        size_t cap = b->capents ? b->capents * 2 : 1024;
        txs__lent **p = realloc(b->ents, cap * sizeof *p);
        if (p == NULL) return NULL;
        b->ents = p;
        b->capents = cap;
    }
    txs__lent *e = txs_arena_alloc(&b->arena, sizeof *e);
    if (e == NULL) return NULL;
    memset(e, 0, sizeof *e);
    txs_slice nm = txs__lists_trim((txs_slice){name, namelen});
    e->id = txs__lists_dup(b, id, idlen);
    e->name = txs__lists_dup(b, nm.p, nm.n);
    if (e->id == NULL || e->name == NULL) return NULL;
    e->idlen = (uint32_t)idlen;
    e->namelen = (uint32_t)nm.n;
    e->source = src;
    e->type = (uint8_t)type;
    size_t slot = idmap_slot(b, id, idlen);
    if (b->idmap[slot]) b->ents[b->idmap[slot] - 1]->deleted = 1;
    b->ents[b->nents] = e;
    b->idmap[slot] = (uint32_t)++b->nents;
    return e;
}

int txs__lists_field(txs_lists_builder *b, txs__lent *e, int kind, int sub,
                     const char *val, size_t vlen, const char *ext, size_t elen,
                     const char *note, size_t nlen)
{
    txs_slice v = txs__lists_trim((txs_slice){val, vlen});
    txs_slice x = txs__lists_trim((txs_slice){ext ? ext : "", ext ? elen : 0});
    txs_slice t = txs__lists_trim((txs_slice){note ? note : "", note ? nlen : 0});
    /* One spelling for IMO numbers ("IMO 9187629" and "9187629"), so the
     * identifier table finds both. */
    if (kind == TXS_F_ID && sub == TXS_ID_IMO && v.n > 3 && strncasecmp(v.p, "IMO", 3) == 0)
        v = txs__lists_trim((txs_slice){v.p + 3, v.n - 3});
    if (v.n == 0) return TXS_OK;
    if (b->dedup) {
    /* Readers of multi-valued formats repeat facts (the EU file repeats the
     * programme on every row): keep each distinct field once. */
    for (uint32_t i = 0; i < e->nf; i++) {
        const txs__lfield *f = &e->f[i];
        if (f->kind == kind && f->sub == sub && f->vlen == v.n && f->elen == x.n &&
            memcmp(f->val, v.p, v.n) == 0 && memcmp(f->ext, x.p, x.n) == 0)
            return TXS_OK;
    }
    }
    if (e->nf == e->capf) {
        uint32_t cap = e->capf ? e->capf * 2 : 8;
        txs__lfield *f = realloc(e->f, cap * sizeof *f);
        if (f == NULL) return TXS_E_NOMEM;
        e->f = f;
        e->capf = cap;
    }
    txs__lfield *f = &e->f[e->nf];
    f->kind = (uint8_t)kind;
    f->sub = (uint8_t)sub;
    f->val = txs__lists_dup(b, v.p, v.n);
    f->ext = txs__lists_dup(b, x.p, x.n);
    f->note = txs__lists_dup(b, t.p, t.n);
    if (f->val == NULL || f->ext == NULL || f->note == NULL) return TXS_E_NOMEM;
    f->vlen = (uint32_t)v.n;
    f->elen = (uint32_t)x.n;
    f->nlen = (uint32_t)t.n;
    e->nf++;
    return TXS_OK;
}

/* --------------------------------------------------------------- stats */

static int stat_grow(txs_lists_builder *b)
{
    size_t cap = b->statcap ? b->statcap * 2 : 256;
    uint32_t *m = calloc(cap, sizeof *m);
    if (m == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < b->nstats; i++) {
        const txs__lstat *s = &b->stats[i];
        size_t h = (size_t)XXH3_64bits_withSeed(s->label, s->llen, s->src * 2 + s->parsed);
        for (h &= cap - 1; m[h]; h = (h + 1) & (cap - 1)) {}
        m[h] = (uint32_t)i + 1;
    }
    free(b->statmap);
    b->statmap = m;
    b->statcap = cap;
    return TXS_OK;
}

int txs__lists_stat(txs_lists_builder *b, uint32_t src, int parsed, const char *label,
                    size_t llen)
{
    if ((b->nstats + 1) * 2 > b->statcap) TXS_TRY(stat_grow(b));
    size_t h = (size_t)XXH3_64bits_withSeed(label, llen, src * 2u + (parsed != 0));
    for (h &= b->statcap - 1; b->statmap[h]; h = (h + 1) & (b->statcap - 1)) {
        txs__lstat *s = &b->stats[b->statmap[h] - 1];
        if (s->src == src && s->parsed == (uint32_t)(parsed != 0) && s->llen == llen &&
            memcmp(s->label, label, llen) == 0) {
            s->count++;
            return TXS_OK;
        }
    }
    if (b->nstats == b->capstats) {
        size_t cap = b->capstats ? b->capstats * 2 : 256;
        txs__lstat *p = realloc(b->stats, cap * sizeof *p);
        if (p == NULL) return TXS_E_NOMEM;
        b->stats = p;
        b->capstats = cap;
    }
    txs__lstat *s = &b->stats[b->nstats];
    s->src = src;
    s->parsed = parsed != 0;
    s->count = 1;
    s->label = txs__lists_dup(b, label, llen);
    s->llen = (uint32_t)llen;
    if (s->label == NULL) return TXS_E_NOMEM;
    b->statmap[h] = (uint32_t)++b->nstats;
    return TXS_OK;
}

/* ------------------------------------------ entities built over many rows */

txs__lent *txs__lists_group(txs_lists_builder *b, uint32_t src, const char *id, size_t idlen,
                            int type)
{
    txs__lent *e = txs__lists_lookup(b, id, idlen);
    if (e != NULL && e->source == src) return e;
    return txs__lists_entity(b, src, id, idlen, type, "", 0);
}

int txs__lists_name(txs_lists_builder *b, txs__lent *e, int primary, int sub, const char *p,
                    size_t n, const char *ext, size_t elen)
{
    txs_slice v = txs__lists_trim((txs_slice){p, n});
    if (v.n == 0) return TXS_OK;
    if (e->namelen == v.n && memcmp(e->name, v.p, v.n) == 0) return TXS_OK;
    if (!primary || e->namelen > 0)
        return txs__lists_field(b, e, TXS_F_ALIAS, sub, v.p, v.n, ext, elen, NULL, 0);
    e->name = txs__lists_dup(b, v.p, v.n);
    if (e->name == NULL) return TXS_E_NOMEM;
    e->namelen = (uint32_t)v.n;
    return TXS_OK;
}

/* Index of the field e should take its name from, or -1.  Aliases are
 * preferred because a name in another script screens poorly as primary. */
static long name_donor(const txs__lent *e)
{
    long any = -1, script = -1;
    for (uint32_t j = 0; j < e->nf; j++) {
        const txs__lfield *f = &e->f[j];
        if (f->kind == TXS_F_ALIAS && f->sub == TXS_ALIAS_STRONG) return (long)j;
        if (f->kind == TXS_F_ALIAS && any < 0) any = (long)j;
        if (f->kind == TXS_F_ORIG_SCRIPT && script < 0) script = (long)j;
    }
    return any >= 0 ? any : script;
}

txs__lent *txs__lists_unnamed(txs_lists_builder *b, size_t from)
{
    for (size_t i = from; i < b->nents; i++) {
        txs__lent *e = b->ents[i];
        if (e->deleted || e->namelen > 0) continue;
        long j = name_donor(e);
        if (j < 0) return e;
        e->name = e->f[j].val;
        e->namelen = e->f[j].vlen;
        /* An alias that became the name is no longer an alias; an
         * original-script name stays what it is. */
        if (e->f[j].kind == TXS_F_ALIAS) {
            memmove(&e->f[j], &e->f[j + 1], (e->nf - (size_t)j - 1) * sizeof *e->f);
            e->nf--;
        }
    }
    return NULL;
}
