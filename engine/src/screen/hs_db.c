/*
 * hs_db.c: every Hyperscan call in the engine (hs_db.h says why there is
 * only one such file).  Literal databases are compiled with the literal API
 * (hs_compile_lit_multi: no regex parsing, so list tokens need no escaping)
 * in block mode, serialised into the snapshot by the list compiler and
 * deserialised when a screener starts.  Loading never recompiles.
 */
#include <hs.h>
#include <stdlib.h>
#include <string.h>

#include "screen/hs_db.h"

struct txs__hsdb {
    hs_database_t *db;
};

struct txs__hsscratch {
    hs_scratch_t *s;
};

int txs__hsdb_compile_lits(const char *const *lit, const size_t *len, size_t n,
                           void **out, size_t *outn, txs_diag *d)
{
    *out = NULL;
    *outn = 0;
    if (n == 0) return TXS_OK;
    unsigned *flags = malloc(n * sizeof *flags), *ids = malloc(n * sizeof *ids);
    if (flags == NULL || ids == NULL) {
        free(flags), free(ids);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory compiling literals");
    }
    for (size_t i = 0; i < n; i++) flags[i] = HS_FLAG_SINGLEMATCH, ids[i] = (unsigned)i;
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    hs_error_t rc = hs_compile_lit_multi(lit, flags, ids, len, (unsigned)n, HS_MODE_BLOCK,
                                         NULL, &db, &err);
    free(flags), free(ids);
    if (rc != HS_SUCCESS) {
        int k = err && err->expression >= 0 ? err->expression : -1;
        txs_diag_set(d, TXS_E_CONFIG, "", 0, "Hyperscan refused literal %d (%.*s): %s", k,
                     k >= 0 ? (int)len[k] : 0, k >= 0 ? lit[k] : "",
                     err ? err->message : "unknown error");
        hs_free_compile_error(err);
        return TXS_E_CONFIG;
    }
    char *bytes = NULL;
    size_t nb = 0;
    rc = hs_serialize_database(db, &bytes, &nb);
    hs_free_database(db);
    if (rc != HS_SUCCESS) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "hs_serialize_database failed");
    *out = bytes;
    *outn = nb;
    return TXS_OK;
}

int txs__hsdb_open(const void *p, size_t n, txs__hsdb **out, txs_diag *d)
{
    *out = NULL;
    if (n == 0) return TXS_OK;
    txs__hsdb *h = calloc(1, sizeof *h);
    if (h == NULL) return TXS_E_NOMEM;
    if (hs_deserialize_database(p, n, &h->db) != HS_SUCCESS) {
        free(h);
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "Hyperscan database in the snapshot cannot be loaded "
                            "(built for another Hyperscan version or CPU?)");
    }
    *out = h;
    return TXS_OK;
}

int txs__hsdb_build(const char *const *lit, const size_t *len, size_t n, txs__hsdb **out,
                    txs_diag *d)
{
    void *bytes = NULL;
    size_t nb = 0;
    *out = NULL;
    TXS_TRY(txs__hsdb_compile_lits(lit, len, n, &bytes, &nb, d));
    int rc = txs__hsdb_open(bytes, nb, out, d);
    free(bytes);
    return rc;
}

void txs__hsdb_free(txs__hsdb *db)
{
    if (db == NULL) return;
    hs_free_database(db->db);
    free(db);
}

int txs__hsdb_scratch(const txs__hsdb *db, txs__hsscratch **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL) return TXS_E_NOMEM;
    if (db && hs_alloc_scratch(db->db, &(*out)->s) != HS_SUCCESS) {
        free(*out);
        *out = NULL;
        return TXS_E_NOMEM;
    }
    return TXS_OK;
}

void txs__hsdb_scratch_free(txs__hsscratch *s)
{
    if (s == NULL) return;
    hs_free_scratch(s->s);
    free(s);
}

typedef struct relay {
    txs__hsdb_fn fn;
    void *ctx;
} relay;

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
    (void)from, (void)flags;
    relay *r = ctx;
    return r->fn(id, to, r->ctx);
}

int txs__hsdb_scan(const txs__hsdb *db, txs__hsscratch *s, const char *p, size_t n,
                   txs__hsdb_fn fn, void *ctx)
{
    if (db == NULL || n == 0) return TXS_OK;
    relay r = {fn, ctx};
    hs_error_t rc = hs_scan(db->db, p, (unsigned)n, 0, s->s, on_match, &r);
    return rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED ? TXS_OK : TXS_E_UNSUPPORTED;
}

/* The Hyperscan version this file was compiled against (built != 0) or
 * the one linked at run time (hs_version(): "5.4.0 2023-02-13"), for
 * `txscreen --version` (version.c); static strings. */
const char *txs__hsdb_version(int built)
{
#define TXS_HS_STR2(x) #x
#define TXS_HS_STR(x) TXS_HS_STR2(x)
    return built ? TXS_HS_STR(HS_MAJOR) "." TXS_HS_STR(HS_MINOR) "." TXS_HS_STR(HS_PATCH)
                 : hs_version();
#undef TXS_HS_STR
#undef TXS_HS_STR2
}
