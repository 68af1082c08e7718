/*
 * names_build.c: the snapshot's name-screening section (lists_names.h draws
 * the NAMES layout).  Build time only, so allocation is fine here.
 *
 * Every entity's primary name, aliases and original-script names are
 * normalised with txs_norm_name_of (the code that normalises party names at
 * run time, so both sides agree on spelling), deduplicated within the
 * entity, and indexed three ways for candidate generation:
 *
 *   tokens       a dictionary of every distinct token (plus adjacent-pair
 *                concatenations for missing spaces) with posting lists of
 *                the names that carry it;
 *   rarity       weight = 1 for tokens on <= 8 entities, falling by 0.2 per
 *                doubling beyond that (floor 0.15), legal forms at most 0.2,
 *                so BANK, TRADING, AL or MOHAMMAD cannot carry a candidate;
 *   channels     the literal list (the real tokens of two bytes or more, a
 *                query word's exact matches: the screener hashes them when
 *                it starts) and an xxh3 table of each token and its
 *                one-byte deletions (typos: two strings within one edit
 *                share a deletion variant).
 *
 * Determinism: entities are read in snapshot order, tokens numbered in
 * first-seen order, postings kept in name order and the tables filled in
 * token order, so the same snapshot gives the same bytes
 * (tests/unit/test_sanctions.c checks the whole image).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lists_int.h"
#include "names_prefix_int.h"
#include "txs/norm.h"

#define DF_FULL 8.0     /* tokens on this many entities or fewer weigh 1 */
#define W_FLOOR 0.15f   /* the lightest token */
#define W_LEGAL 0.2f    /* legal forms never weigh more than this */
#define PAIR_MAX 40u    /* longest pair concatenation indexed */
#define DEL_MIN 4u      /* shorter tokens get no deletion variants: at three
                           letters a deletion hits half the dictionary */

typedef struct vec {
    char *p;
    size_t n, cap, sz;
} vec;

static void *vpush(vec *v, size_t k, int *oom)
{
    if (*oom) return NULL;
    if (v->n + k > v->cap) {
        size_t cap = v->cap ? v->cap : 1024;
        while (cap < v->n + k) cap *= 2;
        char *q = realloc(v->p, cap * v->sz);
        if (q == NULL) {
            *oom = 1;
            return NULL;
        }
        v->p = q;
        v->cap = cap;
    }
    void *r = v->p + v->n * v->sz;
    v->n += k;
    return r;
}

typedef struct tokent {
    uint32_t off, len, df, flags, last_ent, last_name, npost, legal;
    uint32_t a, b; /* a pair's component tokens */
    float weight;
} tokent;

typedef struct nb {
    txs_norm *nz;
    vec names, tokdesc, text, toks, tokstr, post; /* post: uint32 {tok, name} */
    uint32_t *map;                                /* token index + 1 */
    size_t mapcap;
    int oom;
} nb;

static uint32_t str_hash(const char *p, size_t n) { return (uint32_t)XXH3_64bits(p, n); }

uint32_t txs__lists_del_hash(const char *p, size_t n) { return (uint32_t)(XXH3_64bits(p, n) >> 32); }

static int rehash(nb *b)
{
    size_t cap = b->mapcap ? b->mapcap * 2 : 1u << 16;
    uint32_t *m = calloc(cap, sizeof *m);
    if (m == NULL) return b->oom = 1, -1;
    const tokent *t = (const tokent *)b->toks.p;
    for (size_t i = 0; i < b->toks.n; i++) {
        size_t h = str_hash(b->tokstr.p + t[i].off, t[i].len) & (cap - 1);
        while (m[h]) h = (h + 1) & (cap - 1);
        m[h] = (uint32_t)i + 1;
    }
    free(b->map);
    b->map = m;
    b->mapcap = cap;
    return 0;
}

/* The token's index, created when absent (create) or -1. */
static int64_t tok_find(nb *b, const char *p, size_t n, int create)
{
    if (b->mapcap == 0 || (b->toks.n + 1) * 2 > b->mapcap)
        if (rehash(b) < 0) return -1;
    size_t h = str_hash(p, n) & (b->mapcap - 1);
    for (; b->map[h]; h = (h + 1) & (b->mapcap - 1)) {
        const tokent *t = (const tokent *)b->toks.p + (b->map[h] - 1);
        if (t->len == n && memcmp(b->tokstr.p + t->off, p, n) == 0) return b->map[h] - 1;
    }
    if (!create) return -1;
    size_t off = b->tokstr.n;
    char *s = vpush(&b->tokstr, n + 1, &b->oom);
    tokent *t = vpush(&b->toks, 1, &b->oom);
    if (s == NULL || t == NULL) return -1;
    memcpy(s, p, n);
    s[n] = '\0';
    memset(t, 0, sizeof *t);
    t->off = (uint32_t)off;
    t->len = (uint32_t)n;
    t->last_ent = t->last_name = UINT32_MAX;
    b->map[h] = (uint32_t)b->toks.n;
    return (int64_t)b->toks.n - 1;
}

/* Count token id for name nm of entity ent: df once per entity, one
 * posting per name. */
static void tok_use(nb *b, int64_t id, uint32_t ent, uint32_t nm, uint32_t flag)
{
    if (id < 0) return;
    tokent *t = (tokent *)b->toks.p + id;
    t->flags |= flag;
    if (t->last_ent != ent) t->df++, t->last_ent = ent;
    if (t->last_name == nm) return;
    t->last_name = nm;
    t->npost++;
    uint32_t *pp = vpush(&b->post, 1, &b->oom);
    if (pp) pp[0] = (uint32_t)id, pp[1] = nm;
}

static void index_tokens(nb *b, const txs_norm_name *nn, uint32_t ent, uint32_t nm)
{
    for (uint32_t k = 0; k < nn->ntok; k++) {
        const txs_norm_tok *t = &nn->tok[k];
        if (t->len < 2) continue; /* initials: no evidence on their own */
        int64_t id = tok_find(b, nn->text + t->off, t->len, 1);
        tok_use(b, id, ent, nm, TXS__TK_REAL);
        if (id >= 0 && (t->flags & TXS_TOK_LEGAL)) ((tokent *)b->toks.p)[id].legal = 1;
    }
    for (uint32_t k = 0; k + 1 < nn->ntok; k++) {
        const txs_norm_tok *x = &nn->tok[k], *y = &nn->tok[k + 1];
        if (x->len < 2 || y->len < 2 || (uint32_t)x->len + y->len > PAIR_MAX) continue;
        char buf[PAIR_MAX];
        memcpy(buf, nn->text + x->off, x->len);
        memcpy(buf + x->len, nn->text + y->off, y->len);
        int64_t id = tok_find(b, buf, (size_t)x->len + y->len, 1);
        if (id < 0) continue;
        tokent *t = (tokent *)b->toks.p + id;
        if (t->flags == 0) {
            t->a = (uint32_t)tok_find(b, nn->text + x->off, x->len, 0);
            t = (tokent *)b->toks.p + id; /* tok_find may have moved toks */
            t->b = (uint32_t)tok_find(b, nn->text + y->off, y->len, 0);
        }
        tok_use(b, id, ent, nm, TXS__TK_PAIR);
    }
}

static txs_name_kind kind_of(uint32_t type)
{
    switch (type) {
    case TXS_ENT_INDIVIDUAL: return TXS_NAME_PERSON;
    case TXS_ENT_ENTITY: return TXS_NAME_COMPANY;
    case TXS_ENT_VESSEL:
    case TXS_ENT_AIRCRAFT: return TXS_NAME_VESSEL;
    default: return TXS_NAME_ANY;
    }
}

/* Normalise and add one name unless the entity already has that text. */
static void add_name(nb *b, uint32_t ent, uint32_t field, txs_slice s, txs_name_kind kind,
                     uint32_t flags, size_t first)
{
    txs_norm_name nn;
    txs_norm_name_of(b->nz, s.p, s.n, kind, &nn);
    if (nn.ntok == 0) return;
    txs__snap_name *v = (txs__snap_name *)b->names.p;
    for (size_t i = first; i < b->names.n; i++)
        if (v[i].text_len == nn.len && memcmp(b->text.p + v[i].text_off, nn.text, nn.len) == 0) {
            v[i].flags &= (uint8_t)~(TXS__NM_WEAK & ~flags); /* strong wins */
            return;
        }
    uint32_t nm = (uint32_t)b->names.n;
    size_t toff = b->text.n, doff = b->tokdesc.n;
    txs__snap_name *r = vpush(&b->names, 1, &b->oom);
    char *tx = vpush(&b->text, nn.len, &b->oom);
    txs_norm_tok *td = vpush(&b->tokdesc, nn.ntok, &b->oom);
    if (r == NULL || tx == NULL || td == NULL) return;
    memcpy(tx, nn.text, nn.len);
    memcpy(td, nn.tok, nn.ntok * sizeof *td);
    *r = (txs__snap_name){ent, field, (uint32_t)toff, (uint32_t)doff, (uint16_t)nn.len,
                          (uint8_t)nn.ntok, (uint8_t)flags, (uint32_t)kind, 0.0f};
    index_tokens(b, &nn, ent, nm);
}

static void read_entities(nb *b, const txs_lists *l)
{
    size_t n = txs_lists_count(l);
    for (size_t i = 0; i < n && !b->oom; i++) {
        txs_entity e;
        txs_lists_entity(l, i, &e);
        txs_name_kind k = kind_of(e.type);
        size_t first = b->names.n;
        add_name(b, (uint32_t)i, TXS__NM_PRIMARY, e.name, k, 0, first);
        for (uint32_t j = 0; j < e.nfields; j++) {
            txs_field f;
            txs_lists_field(l, &e, j, &f);
            if (f.kind == TXS_F_ALIAS)
                add_name(b, (uint32_t)i, j, f.value, k, f.sub == TXS_ALIAS_WEAK ? TXS__NM_WEAK : 0,
                         first);
            else if (f.kind == TXS_F_ORIG_SCRIPT)
                add_name(b, (uint32_t)i, j, f.value, k, TXS__NM_ORIG, first);
        }
    }
}

static void weigh(nb *b)
{
    tokent *t = (tokent *)b->toks.p;
    for (size_t i = 0; i < b->toks.n; i++) {
        double w = t[i].df <= DF_FULL ? 1.0 : 1.0 - 0.2 * log2(t[i].df / DF_FULL);
        if (w < W_FLOOR) w = W_FLOOR;
        if (t[i].legal && w > W_LEGAL) w = W_LEGAL;
        t[i].weight = (float)w;
    }
    for (size_t i = 0; i < b->toks.n; i++)
        if (!(t[i].flags & TXS__TK_REAL)) t[i].weight = t[t[i].a].weight + t[t[i].b].weight;
    txs__snap_name *v = (txs__snap_name *)b->names.p;
    const txs_norm_tok *td = (const txs_norm_tok *)b->tokdesc.p;
    for (size_t i = 0; i < b->names.n; i++) {
        float w = 0.0f;
        uint32_t seen[TXS_NORM_MAX_TOKENS], ns = 0;
        for (uint32_t k = 0; k < v[i].ntok; k++) {
            const txs_norm_tok *x = &td[v[i].tokdesc + k];
            if (x->len < 2) continue;
            int64_t id = tok_find(b, b->text.p + v[i].text_off + x->off, x->len, 0);
            uint32_t dup = 0;
            for (uint32_t s = 0; s < ns; s++) dup |= seen[s] == (uint32_t)id;
            if (id < 0 || dup) continue;
            seen[ns++] = (uint32_t)id;
            w += t[id].weight;
        }
        v[i].weight = w;
    }
}

/* The blob: header, then each array 8-aligned. */
typedef struct blob {
    char *p;
    size_t n;
} blob;

static uint64_t put(blob *o, const void *p, size_t n)
{
    size_t at = (o->n + 7) & ~(size_t)7;
    if (o->p) {
        memset(o->p + o->n, 0, at - o->n);
        if (n && p) memcpy(o->p + at, p, n);
    }
    o->n = at + n;
    return at;
}

typedef struct tables {
    txs__snap_tok *toks;
    uint32_t *post, *lits, *tokid;
    txs__snap_del *del;
    size_t ndel, nlits;
    txs__prefix px;
} tables;

static void del_insert(tables *t, const char *p, size_t n, uint32_t tok)
{
    uint32_t h = txs__lists_del_hash(p, n);
    size_t s = h & (t->ndel - 1);
    while (t->del[s].tok1) s = (s + 1) & (t->ndel - 1);
    t->del[s] = (txs__snap_del){h, tok + 1};
}

static int fill_tables(nb *b, tables *t)
{
    const tokent *k = (const tokent *)b->toks.p;
    size_t nvar = 0;
    /* Pair-only tokens go in as themselves, without deletions: a missing
     * space plus a typo in the same place is rare, and their variants
     * would double the table. */
    for (size_t i = 0; i < b->toks.n; i++)
        nvar += k[i].len < DEL_MIN ? 0 : (k[i].flags & TXS__TK_REAL) ? k[i].len + 1 : 1;
    t->ndel = 64;
    while (t->ndel * 4 < nvar * 5) t->ndel *= 2; /* load <= 0.8: size over probe length */
    t->toks = calloc(b->toks.n + 1, sizeof *t->toks);
    t->post = calloc(b->post.n + 1, sizeof *t->post);
    t->lits = calloc(b->toks.n + 1, sizeof *t->lits);
    t->del = calloc(t->ndel, sizeof *t->del);
    t->tokid = calloc(b->tokdesc.n + 1, sizeof *t->tokid);
    if (!t->toks || !t->post || !t->lits || !t->del || !t->tokid) return TXS_E_NOMEM;
    const txs__snap_name *v = (const txs__snap_name *)b->names.p;
    const txs_norm_tok *td = (const txs_norm_tok *)b->tokdesc.p;
    for (size_t i = 0; i < b->names.n; i++)
        for (uint32_t j = 0; j < v[i].ntok; j++) {
            const txs_norm_tok *x = &td[v[i].tokdesc + j];
            int64_t id = x->len < 2 ? -1 : tok_find(b, b->text.p + v[i].text_off + x->off, x->len, 0);
            t->tokid[v[i].tokdesc + j] = id < 0 ? TXS__NO_TOK : (uint32_t)id;
        }
    uint32_t off = 0;
    for (size_t i = 0; i < b->toks.n; i++) {
        t->toks[i] = (txs__snap_tok){k[i].off, k[i].len, off, 0, k[i].df, k[i].flags, k[i].weight, 0};
        off += k[i].npost;
        if ((k[i].flags & TXS__TK_REAL) && k[i].len >= 2) t->lits[t->nlits++] = (uint32_t)i;
    }
    const uint32_t *pp = (const uint32_t *)b->post.p;
    for (size_t i = 0; i < b->post.n; i++) {
        txs__snap_tok *x = &t->toks[pp[2 * i]];
        t->post[x->post_off + x->post_n++] = pp[2 * i + 1];
    }
    for (size_t i = 0; i < b->toks.n; i++) {
        const char *s = b->tokstr.p + k[i].off;
        size_t n = k[i].len;
        if (n < DEL_MIN) continue;
        char buf[PAIR_MAX + TXS_NORM_MAX_TEXT];
        if (n > sizeof buf) continue;
        del_insert(t, s, n, (uint32_t)i);
        for (size_t j = 0; j < n && (k[i].flags & TXS__TK_REAL); j++) {
            if (j && s[j] == s[j - 1]) continue; /* same deletion as j-1 */
            memcpy(buf, s, j);
            memcpy(buf + j, s + j + 1, n - j - 1);
            del_insert(t, buf, n - 1, (uint32_t)i);
        }
    }
    return TXS_OK;
}

static int write_blob(nb *b, const tables *t, void **out, size_t *n)
{
    blob o = {NULL, 0};
    txs__snap_names_hdr h;
    for (int pass = 0; pass < 2; pass++) {
        memset(&h, 0, sizeof h);
        o.n = 0;
        put(&o, NULL, sizeof h);
        h.nnames = (uint32_t)b->names.n, h.ntokdesc = (uint32_t)b->tokdesc.n;
        h.text_bytes = (uint32_t)b->text.n, h.ntoks = (uint32_t)b->toks.n;
        h.npost = (uint32_t)b->post.n, h.ndel = (uint32_t)t->ndel;
        h.tokstr_bytes = (uint32_t)b->tokstr.n, h.nlits = (uint32_t)t->nlits;
        h.off_names = put(&o, b->names.p, b->names.n * sizeof(txs__snap_name));
        h.off_tokdesc = put(&o, b->tokdesc.p, b->tokdesc.n * sizeof(txs_norm_tok));
        h.off_text = put(&o, b->text.p, b->text.n);
        h.off_toks = put(&o, t->toks, b->toks.n * sizeof *t->toks);
        h.off_post = put(&o, t->post, b->post.n * sizeof *t->post);
        h.off_del = put(&o, t->del, t->ndel * sizeof *t->del);
        h.off_tokstr = put(&o, b->tokstr.p, b->tokstr.n);
        h.off_lits = put(&o, t->lits, t->nlits * sizeof *t->lits);
        h.npre = t->px.npre;
        h.off_fwd_off = put(&o, t->px.fwd_off, (b->names.n + 1) * sizeof *t->px.fwd_off);
        h.off_fwd = put(&o, t->px.fwd, b->post.n * sizeof *t->px.fwd);
        h.off_pre_off = put(&o, t->px.pre_off, (b->toks.n + 1) * sizeof *t->px.pre_off);
        h.off_pre = put(&o, t->px.pre, t->px.npre * sizeof *t->px.pre);
        h.off_tokid = put(&o, t->tokid, b->tokdesc.n * sizeof *t->tokid);
        put(&o, NULL, 0);
        if (pass == 0 && (o.p = calloc(1, o.n + 8)) == NULL) return TXS_E_NOMEM;
    }
    memcpy(o.p, &h, sizeof h);
    *out = o.p;
    *n = o.n;
    return TXS_OK;
}

static void nb_free(nb *b, tables *t)
{
    txs_norm_free(b->nz);
    free(b->names.p), free(b->tokdesc.p), free(b->text.p), free(b->toks.p);
    free(b->tokstr.p), free(b->post.p), free(b->map);
    free(t->toks), free(t->post), free(t->lits), free(t->del), free(t->tokid);
    txs__prefix_free(&t->px);
}

int txs__lists_build_names(const txs_lists *l, void **names, size_t *nnames)
{
    *names = NULL;
    *nnames = 0;
    nb b;
    tables t;
    memset(&b, 0, sizeof b);
    memset(&t, 0, sizeof t);
    b.names.sz = sizeof(txs__snap_name);
    b.tokdesc.sz = sizeof(txs_norm_tok);
    b.text.sz = b.tokstr.sz = 1;
    b.toks.sz = sizeof(tokent);
    b.post.sz = 2 * sizeof(uint32_t);
    b.nz = txs_norm_new();
    int rc = b.nz ? TXS_OK : TXS_E_NOMEM;
    if (rc == TXS_OK) read_entities(&b, l);
    if (rc == TXS_OK && !b.oom) weigh(&b);
    if (rc == TXS_OK && b.oom) rc = TXS_E_NOMEM;
    if (rc == TXS_OK) rc = fill_tables(&b, &t);
    if (rc == TXS_OK)
        rc = txs__prefix_build(&t.px, (uint32_t)b.names.n, (uint32_t)b.toks.n, (uint32_t)b.post.n,
                               (const txs__snap_name *)b.names.p, t.toks, t.post, t.tokid);
    if (rc == TXS_OK) rc = write_blob(&b, &t, names, nnames);
    nb_free(&b, &t);
    return rc;
}
