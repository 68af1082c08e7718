/*
 * goodguys.c: the good-guy list (sanctions.h, docs/matching.md "Good-guy
 * list"): reviewed pairs of (party, list entry) whose sanctions hits are
 * known false positives.  Build time reads a CSV
 *
 *   party,entry_id[,note]
 *   ACC-2,OFAC-SDN:36,reviewed 2026-03-01 (case 17)
 *   "Doe, Jane",UN:QDi.001,
 *
 * and keeps every row under two keys in one open-addressing table keyed by
 * xxh3:
 *
 *   'A' + party bytes as written   (matched against an account exactly)
 *   'N' + txs_norm_name_of(party)  (matched against a normalised name)
 *
 *   slots[h & mask] --> {h, row, tag} --> rows[row] = {party, norm, entry, note}
 *
 * Run time (txs_goodguys_find) hashes, probes and compares bytes; it never
 * allocates.  A list is immutable after load and may be shared by threads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "txs/norm.h"
#include "txs/sanctions.h"

typedef struct gg_slot {
    uint64_t h;
    uint32_t row; /* row + 1; 0: empty */
    uint32_t tag; /* 'A' or 'N' */
} gg_slot;

typedef struct gg_row {
    txs_goodguy pub;  /* party, entry_id, note as written */
    txs_slice norm;   /* the party's normalised form */
    unsigned long line;
} gg_row;

struct txs_goodguys {
    gg_row *rows;
    size_t n, cap;
    gg_slot *slots;
    size_t mask;
    txs_arena arena;
};

static uint64_t key_hash(uint32_t tag, const char *p, size_t n, txs_slice entry)
{
    return XXH3_64bits_withSeed(entry.p, entry.n, XXH3_64bits_withSeed(p, n, tag));
}

static int slice_eq(txs_slice a, const char *p, size_t n)
{
    return a.n == n && (n == 0 || memcmp(a.p, p, n) == 0);
}

/* The row stored under (tag, key, entry), or NULL. */
static const gg_row *lookup(const txs_goodguys *g, uint32_t tag, const char *p, size_t n,
                            txs_slice entry)
{
    uint64_t h = key_hash(tag, p, n, entry);
    for (size_t i = h & g->mask; g->slots[i].row; i = (i + 1) & g->mask) {
        const gg_slot *s = &g->slots[i];
        if (s->h != h || s->tag != tag) continue;
        const gg_row *r = &g->rows[s->row - 1];
        txs_slice k = tag == 'A' ? r->pub.party : r->norm;
        if (slice_eq(k, p, n) && slice_eq(r->pub.entry_id, entry.p, entry.n)) return r;
    }
    return NULL;
}

const txs_goodguy *txs_goodguys_find(const txs_goodguys *g, txs_slice account,
                                     txs_slice norm_name, txs_slice entry_id)
{
    const gg_row *r = NULL;
    if (g == NULL || g->n == 0) return NULL;
    if (account.n) r = lookup(g, 'A', account.p, account.n, entry_id);
    if (r == NULL && norm_name.n) r = lookup(g, 'N', norm_name.p, norm_name.n, entry_id);
    return r ? &r->pub : NULL;
}

size_t txs_goodguys_count(const txs_goodguys *g) { return g ? g->n : 0; }

void txs_goodguys_free(txs_goodguys *g)
{
    if (g == NULL) return;
    free(g->rows);
    free(g->slots);
    txs_arena_free(&g->arena);
    free(g);
}

/* ------------------------------------------------------------- loading */

static void insert(txs_goodguys *g, uint32_t tag, txs_slice key, uint32_t row)
{
    uint64_t h = key_hash(tag, key.p, key.n, g->rows[row].pub.entry_id);
    size_t i = h & g->mask;
    while (g->slots[i].row) i = (i + 1) & g->mask;
    g->slots[i] = (gg_slot){h, row + 1, tag};
}

/* Table at most half full, so probes stay short. */
static int build_table(txs_goodguys *g)
{
    size_t cap = 16;
    while (cap < g->n * 4) cap *= 2;
    g->slots = calloc(cap, sizeof *g->slots);
    if (g->slots == NULL) return TXS_E_NOMEM;
    g->mask = cap - 1;
    for (size_t i = 0; i < g->n; i++) {
        insert(g, 'A', g->rows[i].pub.party, (uint32_t)i);
        if (g->rows[i].norm.n) insert(g, 'N', g->rows[i].norm, (uint32_t)i);
    }
    return TXS_OK;
}

/* One CSV field from *p (quotes with "" escapes), unquoted into the arena.
 * Returns the field's end state: 0 at a comma, 1 at the line end, -1 for an
 * unterminated quote. */
static int next_field(txs_goodguys *g, const char **p, const char *end, txs_slice *out)
{
    const char *s = *p;
    char *buf = txs_arena_alloc(&g->arena, (size_t)(end - s) + 1);
    size_t n = 0;
    if (buf == NULL) return -2;
    if (s < end && *s == '"') {
        for (s++;; s++) {
            if (s == end) return -1;
            if (*s == '"' && (s + 1 == end || s[1] != '"')) break;
            if (*s == '"') s++;
            buf[n++] = *s;
        }
        s++;
        if (s < end && *s != ',') return -1;
    } else {
        while (s < end && *s != ',') buf[n++] = *s++;
    }
    buf[n] = '\0';
    *out = (txs_slice){buf, n};
    *p = s < end ? s + 1 : s;
    return s < end ? 0 : 1;
}

/* split()'s answer for an unterminated quote (apart from TXS_E_NOMEM). */
#define BAD_QUOTE (-1000)

/* Split one line into at most 4 fields; returns the count (5: more than
 * any header allows), BAD_QUOTE or TXS_E_NOMEM. */
static int split(txs_goodguys *g, const char *p, const char *end, txs_slice f[4])
{
    int k = 0, rc = 0;
    while (rc == 0 && k < 4) {
        rc = next_field(g, &p, end, &f[k]);
        if (rc < -1) return TXS_E_NOMEM;
        if (rc < 0) return BAD_QUOTE;
        k++;
    }
    return rc == 0 ? 5 : k;
}

typedef struct gg_load {
    const char *path;
    txs_norm *nz;
    txs_norm_name *q;
    int ncols;        /* 2 or 3, from the header */
} gg_load;

static int header(gg_load *L, txs_goodguys *g, const char *p, const char *end, txs_diag *d)
{
    txs_slice f[4];
    int k = split(g, p, end, f);
    if (k == TXS_E_NOMEM) return k;
    if ((k == 2 || k == 3) && slice_eq(f[0], "party", 5) && slice_eq(f[1], "entry_id", 8) &&
        (k == 2 || slice_eq(f[2], "note", 4))) {
        L->ncols = k;
        return TXS_OK;
    }
    return txs_diag_set(d, TXS_E_CONFIG, L->path, 1,
                        "the header must be party,entry_id or party,entry_id,note");
}

static int grow(txs_goodguys *g)
{
    if (g->n < g->cap) return TXS_OK;
    size_t cap = g->cap ? g->cap * 2 : 64;
    gg_row *r = realloc(g->rows, cap * sizeof *r);
    if (r == NULL) return TXS_E_NOMEM;
    g->rows = r;
    g->cap = cap;
    return TXS_OK;
}

static int row(gg_load *L, txs_goodguys *g, const char *p, const char *end, unsigned long line,
               txs_diag *d)
{
    txs_slice f[4];
    int k = split(g, p, end, f);
    if (k == TXS_E_NOMEM) return k;
    if (k == BAD_QUOTE)
        return txs_diag_set(d, TXS_E_CONFIG, L->path, line, "unterminated quoted field");
    if (k < 2 || k > L->ncols)
        return txs_diag_set(d, TXS_E_CONFIG, L->path, line, "expected %d fields, found %d",
                            L->ncols, k > 4 ? L->ncols + 1 : k);
    if (f[0].n == 0 || f[1].n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, L->path, line, "empty %s",
                            f[0].n == 0 ? "party" : "entry_id");
    txs_norm_name_of(L->nz, f[0].p, f[0].n, TXS_NAME_ANY, L->q);
    char *norm = txs_arena_dup(&g->arena, L->q->text, L->q->len);
    if (grow(g) < 0 || norm == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < g->n; i++)
        if (slice_eq(g->rows[i].pub.party, f[0].p, f[0].n) &&
            slice_eq(g->rows[i].pub.entry_id, f[1].p, f[1].n))
            return txs_diag_set(d, TXS_E_CONFIG, L->path, line,
                                "duplicate of line %lu", g->rows[i].line);
    g->rows[g->n++] = (gg_row){{f[0], f[1], k == 3 ? f[2] : (txs_slice){"", 0}},
                               {norm, L->q->len}, line};
    return TXS_OK;
}

/* Every line of the file: a header, then rows; blank lines are skipped. */
static int parse(gg_load *L, txs_goodguys *g, const char *buf, size_t n, txs_diag *d)
{
    const char *p = buf, *end = buf + n;
    unsigned long line = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
        const char *le = e > p && e[-1] == '\r' ? e - 1 : e;
        line++;
        if (line == 1) TXS_TRY(header(L, g, p, le, d));
        else if (le > p) TXS_TRY(row(L, g, p, le, line, d));
        p = nl ? nl + 1 : end;
    }
    if (line == 0) return txs_diag_set(d, TXS_E_CONFIG, L->path, 1, "empty file: no header");
    return TXS_OK;
}

static int read_all(const char *path, char **buf, size_t *n, txs_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 4096, k = 0;
    char *p = malloc(cap);
    for (size_t got = 1; p && got;) {
        if (k == cap) {
            char *q = realloc(p, cap *= 2);
            if (q == NULL) free(p);
            p = q;
            if (p == NULL) break;
        }
        got = fread(p + k, 1, cap - k, f);
        k += got;
    }
    int bad = ferror(f);
    fclose(f);
    if (p == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    if (bad) {
        free(p);
        return txs_diag_set(d, TXS_E_CONFIG, path, 0, "read error");
    }
    *buf = p;
    *n = k;
    return TXS_OK;
}

int txs_goodguys_load(const char *path, txs_goodguys **out, txs_diag *d)
{
    *out = NULL;
    char *buf = NULL;
    size_t n = 0;
    TXS_TRY(read_all(path, &buf, &n, d));
    txs_goodguys *g = calloc(1, sizeof *g);
    gg_load L = {path, txs_norm_new(), malloc(sizeof(txs_norm_name)), 0};
    int rc = g && L.nz && L.q ? TXS_OK : TXS_E_NOMEM;
    if (g) txs_arena_init(&g->arena, 16384);
    if (rc == TXS_OK) rc = parse(&L, g, buf, n, d);
    if (rc == TXS_OK) rc = build_table(g);
    if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, path, 0, "out of memory");
    free(buf);
    free(L.q);
    txs_norm_free(L.nz);
    if (rc < 0) {
        txs_goodguys_free(g);
        return rc;
    }
    *out = g;
    return TXS_OK;
}
