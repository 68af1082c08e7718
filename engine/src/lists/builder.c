/*
 * builder.c: the in-memory list model the readers fill (lists_int.h draws
 * it): sources with their size and SHA-256, entities with growable field
 * arrays, an id map so that later files (OFAC alt/add, FtM deltas) find the
 * entity they refer to, and remark-clause statistics.  Also the entry point
 * txs_lists_builder_add(), which detects a source's format.
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
#include <sys/stat.h>
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

/* ------------------------------------------- row-per-fact readers */

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

size_t txs__lists_numeric_date(const char *p, size_t n, char *out)
{
    txs_slice s = txs__lists_trim((txs_slice){p, n});
    int iso = s.n == 10 && s.p[4] == '-' && s.p[7] == '-';
    int dmy = s.n == 10 && s.p[2] == '/' && s.p[5] == '/';
    if (!iso && !dmy) return 0;
    for (size_t i = 0; i < s.n; i++)
        if (!isdigit((unsigned char)s.p[i]) && s.p[i] != '-' && s.p[i] != '/') return 0;
    int circa;
    return txs__lists_date(s.p, s.n, out, &circa);
}

/* ----------------------------------------------------- format detection */

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), n = strlen(suf);
    return a >= n && strcasecmp(s + a - n, suf) == 0;
}

/* The first line of a file, up to cap-1 bytes. */
static void first_line(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) return;
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    out[n] = '\0';
    char *nl = strpbrk(out, "\r\n");
    if (nl) *nl = '\0';
}

/* The root element's name in the first 4 KB of an XML file: after the
 * declaration, comments and a doctype.  "" if none was found. */
static void xml_root(const char *path, char *out, size_t cap)
{
    char buf[4096];
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) return;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (const char *p = buf; (p = strchr(p, '<')) != NULL; p++) {
        if (p[1] == '?' || p[1] == '!') continue;
        size_t k = 0;
        for (p++; *p && !isspace((unsigned char)*p) && *p != '>' && *p != '/' && k + 1 < cap; p++)
            out[k++] = *p;
        out[k] = '\0';
        return;
    }
}

/* .xml: the root element picks the reader: <sdnList> is OFAC's Sanctions
 * List Service, <data-set> Canada's SEMA list, anything else the UN list
 * (whose reader names what it expected when the root is foreign). */
static int read_xml(txs_lists_builder *b, const char *path, txs_diag *d)
{
    char root[64];
    xml_root(path, root, sizeof root);
    if (strcmp(root, "sdnList") == 0) return txs__lists_read_ofac_sls(b, path, d);
    if (strcmp(root, "data-set") == 0) return txs__lists_read_ca_sema(b, path, d);
    return txs__lists_read_un(b, path, d);
}

int txs_lists_builder_add(txs_lists_builder *b, const char *path, txs_diag *d)
{
    if (b == NULL || path == NULL) return TXS_E_ARG;
    if (b->broken) return txs_diag_set(d, TXS_E_ARG, path, 0, "builder failed earlier");
    struct stat st;
    if (stat(path, &st) != 0)
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    char head[4096];
    int rc;
    if (!S_ISDIR(st.st_mode)) first_line(path, head, sizeof head);
    if (S_ISDIR(st.st_mode) || ends_with(path, "sdn.csv") || ends_with(path, "cons_prim.csv") ||
        txs__lists_ofac_part(path))
        rc = txs__lists_read_ofac(b, path, d);
    else if (ends_with(path, ".xml"))
        rc = read_xml(b, path, d);
    else if (ends_with(path, ".json") || ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
        rc = txs__lists_read_ftm(b, path, d);
    else if (strstr(head, "\"id\",\"schema\",\"name\"") || strncmp(head, "id,schema,name", 14) == 0)
        rc = txs__lists_read_os_simple(b, path, d);
    else if (strstr(head, "Entity_LogicalId"))
        rc = txs__lists_read_eu(b, path, d);
    else if (strstr(head, "Report Date") || strstr(head, "Last Updated") || strstr(head, "Unique ID"))
        rc = txs__lists_read_uk(b, path, d);
    else
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 1,
                          "unknown list format (expected an OFAC sdn.csv, its alt/add/comments "
                          "files or its directory, UN, OFAC SLS or Canada SEMA .xml, "
                          "OpenSanctions targets.simple .csv, FtM .json, EU or UK .csv)");
    if (rc < 0) b->broken = 1;
    return rc;
}

static int rows(txs_lists_builder *b, uint32_t src, txs__lcsv *r, int (*header)(void *),
                int (*record)(void *), void *ctx, txs_diag *d)
{
    size_t first = b->nents;
    int rc;
    TXS_TRY(header(ctx));
    while ((rc = txs__lcsv_next(r, d)) == 1) {
        b->srcs[src].records++;
        rc = record(ctx);
        if (rc == TXS_E_NOMEM) return txs_diag_set(d, rc, r->path, r->line, "out of memory");
        TXS_TRY(rc);
    }
    TXS_TRY(rc);
    if (b->srcs[src].records == 0)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "no records after the header");
    txs__lent *e = txs__lists_unnamed(b, first);
    if (e != NULL)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, 0, "%s has no name in any row", e->id);
    return TXS_OK;
}

int txs__lists_read_rows(txs_lists_builder *b, uint32_t src, txs__lcsv *r, const char *path,
                         char sep, int (*header)(void *ctx), int (*record)(void *ctx),
                         void *ctx, txs_diag *d)
{
    TXS_TRY(txs__lcsv_open(r, path, sep, d));
    int dedup = b->dedup;
    b->dedup = 1;
    int rc = rows(b, src, r, header, record, ctx, d);
    b->dedup = dedup;
    txs__lcsv_close(r);
    return rc;
}
