/*
 * places.c: sanctioned places in free text (sanctions.h "sanctioned
 * places" draws the flow).
 * Variants and text go through the same normaliser as names, so Крым and
 * Krym both become "krym", and whole normalised tokens are matched: the
 * literals are padded with spaces, as the name literals are, so "crimean"
 * or "donetskiy" inside a longer word never fire.  Literals that several
 * variants normalise to are compiled once, and each literal remembers its
 * place.
 */
#include <stdlib.h>
#include <string.h>

#include "txs/hs_engine.h"
#include "txs/norm.h"
#include "txs/sanctions.h"

struct txs_places {
    txs_hsdb *db;
    txs_hsscratch *scratch;
    uint32_t *lit_place; /* [literal] -> place index */
    uint32_t nplaces;
    txs_norm *nz;
    txs_norm_name q;
    char pad[TXS_NORM_MAX_TEXT + 4];
    uint8_t *seen;       /* [nplaces], zero between scans */
};

void txs_places_free(txs_places *pl)
{
    if (pl == NULL) return;
    txs_hsdb_scratch_free(pl->scratch);
    txs_hsdb_free(pl->db);
    txs_norm_free(pl->nz);
    free(pl->lit_place);
    free(pl->seen);
    free(pl);
}

/* Literal storage while building: " text " strings, deduplicated. */
typedef struct lits {
    char **s;
    size_t *len, n;
} lits;

static void lits_free(lits *L)
{
    for (size_t i = 0; i < L->n; i++) free(L->s[i]);
    free(L->s), free(L->len);
}

static int add_lit(txs_places *pl, lits *L, const txs_norm_name *q, uint32_t place)
{
    size_t n = q->len + 2;
    for (size_t i = 0; i < L->n; i++)
        if (L->len[i] == n && memcmp(L->s[i] + 1, q->text, q->len) == 0) return TXS_OK;
    char *s = malloc(n);
    if (s == NULL) return TXS_E_NOMEM;
    s[0] = ' ', s[n - 1] = ' ';
    memcpy(s + 1, q->text, q->len);
    L->s[L->n] = s, L->len[L->n] = n, pl->lit_place[L->n++] = place;
    return TXS_OK;
}

static int build(txs_places *pl, const txs_sanctions_place *p, size_t n, lits *L, txs_diag *d)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += p[i].nvariants;
    L->s = calloc(total + 1, sizeof *L->s);
    L->len = calloc(total + 1, sizeof *L->len);
    pl->lit_place = calloc(total + 1, sizeof *pl->lit_place);
    if (!L->s || !L->len || !pl->lit_place) return TXS_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p[i].nvariants; j++) {
            const char *v = p[i].variants[j];
            txs_norm_name_of(pl->nz, v, strlen(v), TXS_NAME_ANY, &pl->q);
            if (pl->q.ntok == 0)
                return txs_diag_set(d, TXS_E_CONFIG, "", 0,
                                    "place '%s': variant '%s' has no letters or digits",
                                    p[i].place, v);
            TXS_TRY(add_lit(pl, L, &pl->q, (uint32_t)i));
        }
    return txs_hsdb_build((const char *const *)L->s, L->len, L->n, &pl->db, d);
}

int txs_places_create(const txs_sanctions_place *p, size_t n, txs_places **out, txs_diag *d)
{
    *out = NULL;
    txs_places *pl = calloc(1, sizeof *pl);
    lits L = {NULL, NULL, 0};
    int rc = pl ? TXS_OK : TXS_E_NOMEM;
    if (rc == TXS_OK) {
        pl->nplaces = (uint32_t)n;
        pl->nz = txs_norm_new();
        pl->seen = calloc(n + 1, 1);
        rc = pl->nz && pl->seen ? build(pl, p, n, &L, d) : TXS_E_NOMEM;
    }
    if (rc == TXS_OK && txs_hsdb_scratch(pl->db, &pl->scratch) < 0) rc = TXS_E_NOMEM;
    lits_free(&L);
    if (rc < 0) {
        if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, "", 0, "out of memory building places");
        txs_places_free(pl);
        return rc;
    }
    *out = pl;
    return TXS_OK;
}

typedef struct scan_ctx {
    txs_places *pl;
    uint32_t *out;
    size_t cap, n;
} scan_ctx;

static int on_place(unsigned id, unsigned long long to, void *ctx)
{
    (void)to;
    scan_ctx *c = ctx;
    uint32_t place = c->pl->lit_place[id];
    if (!c->pl->seen[place] && c->n < c->cap) {
        c->pl->seen[place] = 1;
        c->out[c->n++] = place;
    }
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

size_t txs_places_scan(txs_places *pl, const char *p, size_t n, uint32_t *out, size_t cap)
{
    if (n == 0 || txs_norm_name_of(pl->nz, p, n, TXS_NAME_ANY, &pl->q) < 0 || pl->q.ntok == 0)
        return 0;
    size_t pn = pl->q.len + 2;
    pl->pad[0] = ' ';
    memcpy(pl->pad + 1, pl->q.text, pl->q.len);
    pl->pad[pn - 1] = ' ';
    scan_ctx c = {pl, out, cap, 0};
    txs_hsdb_scan(pl->db, pl->scratch, pl->pad, pn, on_place, &c);
    for (size_t i = 0; i < c.n; i++) pl->seen[out[i]] = 0;
    /* Hyperscan reports in end-offset order; index order keeps the output
     * independent of where in the text each place stood. */
    qsort(out, c.n, sizeof *out, cmp_u32);
    return c.n;
}
