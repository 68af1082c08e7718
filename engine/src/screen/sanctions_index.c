/*
 * sanctions_index.c: opening one snapshot's name index for the sanctions
 * screener (sanctions_index_int.h says what is built; sanctions.c uses it).
 * Everything read from the snapshot is bounds-checked here, once, so the
 * per-name path in sanctions.c needs no checks: every offset, count,
 * token, posting, literal, deletion entry and the prefix index.  Then the
 * tables that are cheaper to build at start-up than to store: the exact-
 * token table (the literals by their text, a few tens of thousands even
 * for a 1 M-name list), the bloom filter in front of the deletion table
 * and the per-entity qualifier tables (countries; birth-year ranges from
 * DOB fields).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/sanctions_index_int.h"
#include "txs/bigmem.h"
#include "txs/lists.h"
#include "txs/values.h"

/* ------------------------------------------------------------- opening */

static int bad(txs_diag *d, const txs_lists *l, const char *what)
{
    (void)l;
    return txs_diag_set(d, TXS_E_FORMAT, "", 0, "list snapshot name section: %s", what);
}

static int in(uint64_t off, uint64_t n, uint64_t size, size_t total)
{
    return off % 8 == 0 && off <= total && n <= (total - off) / size;
}

static int map_names(sidx *x, const uint8_t *p, size_t n, txs_diag *d)
{
    if (n < sizeof x->h) return bad(d, x->l, "too short");
    memcpy(&x->h, p, sizeof x->h);
    const txs__snap_names_hdr *h = &x->h;
    if (!in(h->off_names, h->nnames, sizeof *x->names, n) ||
        !in(h->off_tokdesc, h->ntokdesc, sizeof *x->tokdesc, n) || !in(h->off_text, h->text_bytes, 1, n) ||
        !in(h->off_toks, h->ntoks, sizeof *x->toks, n) || !in(h->off_post, h->npost, 4, n) ||
        !in(h->off_del, h->ndel, sizeof *x->del, n) || !in(h->off_tokstr, h->tokstr_bytes, 1, n) ||
        !in(h->off_lits, h->nlits, 4, n) || h->ndel == 0 || (h->ndel & (h->ndel - 1)) ||
        !in(h->off_fwd_off, (uint64_t)h->nnames + 1, 4, n) || !in(h->off_fwd, h->npost, 4, n) ||
        !in(h->off_pre_off, (uint64_t)h->ntoks + 1, 4, n) ||
        !in(h->off_pre, h->npre, sizeof *x->pre, n) || !in(h->off_tokid, h->ntokdesc, 4, n))
        return bad(d, x->l, "bounds");
    x->names = (const void *)(p + h->off_names);
    x->tokdesc = (const void *)(p + h->off_tokdesc);
    x->text = (const char *)p + h->off_text;
    x->toks = (const void *)(p + h->off_toks);
    x->post = (const void *)(p + h->off_post);
    x->del = (const void *)(p + h->off_del);
    x->tokstr = (const char *)p + h->off_tokstr;
    x->lits = (const void *)(p + h->off_lits);
    x->fwd_off = (const void *)(p + h->off_fwd_off);
    x->fwd = (const void *)(p + h->off_fwd);
    x->pre_off = (const void *)(p + h->off_pre_off);
    x->pre = (const void *)(p + h->off_pre);
    x->tokid = (const void *)(p + h->off_tokid);
    return TXS_OK;
}

/* Every reference checked once, so the query path needs no checks. */
static int check_names(const sidx *x, txs_diag *d)
{
    const txs__snap_names_hdr *h = &x->h;
    size_t nent = txs_lists_count(x->l);
    for (uint32_t i = 0; i < h->nnames; i++) {
        const txs__snap_name *m = &x->names[i];
        txs_entity e;
        if (m->entity >= nent) return bad(d, x->l, "name entity");
        txs_lists_entity(x->l, m->entity, &e);
        if ((m->field != TXS__NM_PRIMARY && m->field >= e.nfields) || m->ntok == 0 ||
            m->ntok > TXS_NORM_MAX_TOKENS || m->text_len >= TXS_NORM_MAX_TEXT ||
            m->text_off > h->text_bytes || m->text_len > h->text_bytes - m->text_off ||
            m->tokdesc > h->ntokdesc || m->ntok > h->ntokdesc - m->tokdesc)
            return bad(d, x->l, "name record");
        for (uint32_t k = 0; k < m->ntok; k++) {
            const txs_norm_tok *t = &x->tokdesc[m->tokdesc + k];
            if ((uint32_t)t->off + t->len > m->text_len) return bad(d, x->l, "token record");
        }
    }
    /* a token's id names a dictionary token of its length (the same bytes
     * by construction; the length keeps a reader of either in bounds) */
    for (uint32_t i = 0; i < h->ntokdesc; i++) {
        uint32_t id = x->tokid[i];
        if (id == TXS__NO_TOK ? x->tokdesc[i].len >= 2
                              : id >= h->ntoks || x->toks[id].len != x->tokdesc[i].len)
            return bad(d, x->l, "token id");
    }
    for (uint32_t i = 0; i < h->ntoks; i++) {
        const txs__snap_tok *t = &x->toks[i];
        if (t->str_off >= h->tokstr_bytes || t->len >= h->tokstr_bytes - t->str_off ||
            t->post_off > h->npost || t->post_n > h->npost - t->post_off || !(t->weight >= 0.0f))
            return bad(d, x->l, "dictionary");
    }
    for (uint32_t i = 0; i < h->npost; i++)
        if (x->post[i] >= h->nnames) return bad(d, x->l, "posting");
    for (uint32_t i = 0; i < h->ndel; i++)
        if (x->del[i].tok1 > h->ntoks) return bad(d, x->l, "deletion table");
    for (uint32_t i = 0; i < h->nlits; i++)
        if (x->lits[i] >= h->ntoks) return bad(d, x->l, "literal table");
    if (txs__prefix_check(h, x->fwd_off, x->fwd, x->pre_off, x->pre) < 0)
        return bad(d, x->l, "prefix index");
    return TXS_OK;
}

/* The literals by their text (txs__sidx_exact): at most half full. */
static int build_exact(sidx *x)
{
    size_t cap = 64;
    while (cap < (size_t)x->h.nlits * 2) cap *= 2;
    x->exact = txs_big_calloc(cap, sizeof *x->exact);
    if (x->exact == NULL) return TXS_E_NOMEM;
    x->exact_mask = (uint32_t)(cap - 1);
    for (uint32_t i = 0; i < x->h.nlits; i++) {
        const txs__snap_tok *t = &x->toks[x->lits[i]];
        uint32_t h = txs__lists_del_hash(x->tokstr + t->str_off, t->len);
        uint32_t k = h & x->exact_mask;
        while (x->exact[k]) k = (k + 1) & x->exact_mask;
        x->exact[k] = (uint64_t)h << 32 | (x->lits[i] + 1u);
    }
    return TXS_OK;
}

static int build_bloom(sidx *x)
{
    x->bloom_bits = 12;
    while ((1ull << x->bloom_bits) < (uint64_t)x->h.ndel * 4 && x->bloom_bits < 31) x->bloom_bits++;
    x->bloom = txs_big_calloc((1ull << x->bloom_bits) / 64, sizeof *x->bloom);
    if (x->bloom == NULL) return TXS_E_NOMEM;
    for (uint32_t i = 0; i < x->h.ndel; i++)
        if (x->del[i].tok1)
            x->bloom[txs__sidx_bloom_word(x, x->del[i].hash)] |= txs__sidx_bloom_mask(x->del[i].hash);
    return TXS_OK;
}

/* The persons' names of three or more tokens by their first and last
 * tokens (x->ends): the walk for a name written without its middle names
 * (sanctions.c candidates) reads a hit token's entries and the other end
 * they carry, instead of every name on the token's postings and their
 * token ids.  A counting sort, two passes over the names. */
static int build_ends(sidx *x)
{
    uint32_t nt = x->h.ntoks;
    x->ends_off = txs_big_calloc((size_t)nt + 2, sizeof *x->ends_off);
    if (x->ends_off == NULL) return TXS_E_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t nm = 0; nm < x->h.nnames; nm++) {
            uint32_t a, b;
            if (!txs__name_ends(&x->names[nm], x->tokid, &a, &b)) continue;
            if (pass == 0) {
                if (a != TXS__NO_TOK) x->ends_off[a + 2]++;
                if (b != TXS__NO_TOK && b != a) x->ends_off[b + 2]++;
                continue;
            }
            if (a != TXS__NO_TOK) x->ends[x->ends_off[a + 1]++] = (struct txs__end){nm, b};
            if (b != TXS__NO_TOK && b != a) x->ends[x->ends_off[b + 1]++] = (struct txs__end){nm, a};
        }
        if (pass == 1) break;
        for (uint32_t t = 0; t < nt; t++) x->ends_off[t + 2] += x->ends_off[t + 1];
        x->ends = txs_big_calloc((size_t)x->ends_off[nt + 1] + 1, sizeof *x->ends);
        if (x->ends == NULL) return TXS_E_NOMEM;
    }
    return TXS_OK;
}

/* ---------------------------------------------------- qualifier tables */

/* The years a DOB field covers: "1961-03-12", "1961-03", "1961",
 * "1960..1962"; a circa date widens by a year each way.  0 when there is
 * no year. */
static int dob_years(const txs_field *f, int *lo, int *hi)
{
    const char *p = f->value.p;
    size_t n = f->value.n;
    int y[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        size_t at = 0;
        if (k == 1) {
            const char *dd = NULL;
            for (size_t i = 0; i + 1 < n; i++)
                if (p[i] == '.' && p[i + 1] == '.') { dd = p + i + 2; break; }
            if (dd == NULL) { y[1] = y[0]; break; }
            at = (size_t)(dd - p);
        }
        if (at + 4 > n) return 0;
        for (size_t i = at; i < at + 4; i++) {
            if (p[i] < '0' || p[i] > '9') return 0;
            y[k] = y[k] * 10 + (p[i] - '0');
        }
    }
    if (y[1] < y[0]) return 0;
    int c = f->sub == TXS_DATE_CIRCA;
    *lo = y[0] - c, *hi = y[1] + c;
    return 1;
}

/* Array v of *cap elements of size sz with room for element n: v, or v
 * grown to twice the room; NULL when out of memory (v is still valid). */
static void *room(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return v;
    size_t c = *cap ? *cap * 2 : 1024;
    void *p = realloc(v, c * sz);
    if (p) *cap = c;
    return p;
}

/* Country values by their place in the snapshot's string pool, which
 * holds each distinct string once: the same text is the same pointer, so
 * "Iran" on a thousand entities is looked up once (the look-up folds and
 * searches country names: 500 instructions, a sixth of opening the bundled
 * lists).  Direct-mapped; a slot holds the last pointer to land on it. */
#define CMEMO 1024u
typedef struct cmemo {
    const char *p;
    size_t n;
    int found;
    char cc[2];
} cmemo;

static int country_of(cmemo *m, txs_slice v, char cc[2])
{
    cmemo *e = &m[((uintptr_t)v.p >> 3 ^ v.n) & (CMEMO - 1)];
    if (e->p != v.p || e->n != v.n) {
        e->p = v.p, e->n = v.n;
        e->found = txs_country_lookup(v.p, v.n, e->cc) == 0;
    }
    if (e->found) memcpy(cc, e->cc, 2);
    return e->found;
}

/* One pass over every entity's fields, the tables grown as they fill
 * (two passes, count then fill, wrote the per-entity offsets twice: a
 * tenth of opening the 1 M-name snapshot's index). */
static int build_quals(sidx *x)
{
    cmemo memo[CMEMO] = {{NULL, 0, 0, {0, 0}}};
    size_t nent = txs_lists_count(x->l), nc = 0, ny = 0, cc = 0, cy = 0;
    x->c_off = txs_big_calloc(nent + 1, sizeof *x->c_off);
    x->y_off = txs_big_calloc(nent + 1, sizeof *x->y_off);
    if (x->c_off == NULL || x->y_off == NULL) return TXS_E_NOMEM;
    for (size_t e = 0; e < nent; e++) {
        txs_entity ent;
        txs_lists_entity(x->l, e, &ent);
        size_t c0 = nc;
        x->c_off[e] = (uint32_t)nc, x->y_off[e] = (uint32_t)ny;
        for (uint32_t j = 0; j < ent.nfields; j++) {
            txs_field f;
            txs_lists_field(x->l, &ent, j, &f);
            txs_slice v = f.value;
            if (f.kind == TXS_F_ADDRESS) v = f.extra;
            else if (f.kind == TXS_F_DOB) {
                int lo, hi;
                if (!dob_years(&f, &lo, &hi) || lo <= 0 || hi >= 32767) continue;
                int dup = 0;
                for (size_t i = x->y_off[e]; i < ny; i++)
                    dup |= x->years[i][0] == lo && x->years[i][1] == hi;
                if (dup) continue;
                void *g = room(x->years, &cy, ny, sizeof *x->years);
                if (g == NULL) return TXS_E_NOMEM;
                x->years = g;
                x->years[ny][0] = (int16_t)lo, x->years[ny][1] = (int16_t)hi;
                ny++;
                continue;
            } else if (f.kind != TXS_F_NATIONALITY && f.kind != TXS_F_CITIZENSHIP &&
                       f.kind != TXS_F_COUNTRY)
                continue;
            char cc2[2];
            if (v.n == 0 || !country_of(memo, v, cc2)) continue;
            int dup = 0;
            for (size_t i = c0; i < nc; i++) dup |= memcmp(x->ctry[i], cc2, 2) == 0;
            if (dup) continue;
            void *g = room(x->ctry, &cc, nc, sizeof *x->ctry);
            if (g == NULL) return TXS_E_NOMEM;
            x->ctry = g;
            memcpy(x->ctry[nc], cc2, 2);
            nc++;
        }
    }
    x->c_off[nent] = (uint32_t)nc, x->y_off[nent] = (uint32_t)ny;
    return TXS_OK;
}

static int open_sections(sidx *x, const txs_lists *l, txs_diag *d)
{
    const void *np;
    size_t nn;
    uint32_t nv;
    x->l = l;
    if (txs__lists_section(l, TXS__SEC_NAMES, &np, &nn, &nv) < 0)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "the list snapshot has no name-screening section; "
                            "recompile it with `txscreen lists compile`");
    if (nv != TXS__NAMES_VERSION)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "the list snapshot's name-screening section is NAMES version %u, "
                            "this build reads %u (an older or newer txscreen compiled it); "
                            "recompile it with `txscreen lists compile`",
                            nv, TXS__NAMES_VERSION);
    TXS_TRY(map_names(x, np, nn, d));
    TXS_TRY(check_names(x, d));
    x->mass = txs_big_calloc(x->h.nnames + 1, sizeof *x->mass);
    x->touched = txs_big_calloc(x->h.nnames + 1, sizeof *x->touched);
    x->cand = txs_big_calloc(x->h.nnames + 1, sizeof *x->cand);
    x->dist = txs_big_calloc(x->h.nnames + 1, sizeof *x->dist);
    if (x->mass == NULL || x->touched == NULL || x->dist == NULL || x->cand == NULL)
        return TXS_E_NOMEM;
    x->thix = txs_big_calloc(x->h.ntoks + 1, 1);
    x->tch = txs_big_calloc(x->h.nnames + 1, sizeof *x->tch);
    if (x->thix == NULL || x->tch == NULL) return TXS_E_NOMEM;
    TXS_TRY(build_quals(x));
    TXS_TRY(build_ends(x));
    TXS_TRY(build_exact(x));
    return build_bloom(x);
}

/* A snapshot the screener cannot use is refused naming its file: a run
 * may load several, and which one to recompile is what the user needs. */
int txs__sidx_open(sidx *x, const txs_lists *l, txs_diag *d)
{
    int rc = open_sections(x, l, d);
    if (rc < 0 && rc != TXS_E_NOMEM && d && d->file[0] == '\0')
        snprintf(d->file, sizeof d->file, "%s", txs_lists_path(l));
    return rc;
}

void txs__sidx_close(sidx *x)
{
    void *big[] = {x->exact, x->bloom, x->mass,  x->touched, x->dist, x->cand, x->c_off,
                   x->y_off, x->thix,  x->tch,  x->memo,    x->ends_off, x->ends};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) txs_big_free(big[i]);
    free(x->ctry), free(x->years);
}

