/*
 * hs_db.c: every Hyperscan call in the engine (hs_engine.h says why there is
 * only one such file).  Literal databases (the sanctioned places) are
 * compiled with the literal API (hs_compile_lit_multi: no regex parsing, so
 * the literals need no escaping) in block mode when a screener starts;
 * pattern rules' databases (hs/patset.c) are compiled from regular
 * expressions and may be saved and opened again (txs_hsdb_open never
 * recompiles).
 *
 * Portability.  A serialised database carries the platform it was compiled
 * for, and Hyperscan refuses one whose instruction set the running CPU
 * lacks; its bytes also depend on the compiling host when compiled for the
 * host's own platform (hs_compile's NULL platform).  So a database can be
 * compiled for a named, fixed target (hs_engine.h lists them): "generic" is
 * the baseline x86-64 instruction set Hyperscan supports, tuned for no CPU
 * family, the same bytes on every host and loadable on all of them (the
 * fuzz target of the pattern sets uses it); the runtime still dispatches
 * its scanning code on the running CPU.  A saved database that this CPU
 * cannot run is refused by name (the pattern rules then compile afresh).
 * List snapshots hold no Hyperscan database (until December 2026 they held
 * one of the name tokens; the screener now looks words up instead), so
 * they do not depend on the CPU at all.
 *
 * Never the AVX-512 scanner.  hs_scan is an indirect function that the
 * library's fat runtime resolves to the scanner for the best instruction
 * set the CPU has: core2, corei7, avx2 or avx512.  In libvectorscan 5.4.9
 * (Debian 12) the avx512 one is wrong: on this project's AVX-512 machines
 * it misses `\w+ \w+` in "xxx... the the abc" once the words are 64 or
 * more bytes in (144 of 300 placements), misses a one-byte pattern under
 * HS_FLAG_SINGLEMATCH (9,202 of 20,100) and reports `\ba` in "sss...sa"
 * (134 of 199), where core2, corei7 and avx2 are right every time (the
 * fuzz target fuzz_patmatch found the first; docs/rules.md).  So on a CPU
 * with AVX-512 the engine calls the fat runtime's exported avx2 scanner
 * (every AVX-512 CPU has AVX2), elsewhere hs_scan, which then picks one
 * of the three good ones.  The answers then no longer depend on whether
 * the host has AVX-512.
 */
#include <hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/hs_engine.h"
#include "txs/regex.h"

/* The targets, in TXS_HS_* order: name, tune family, CPU features. */
static const struct target {
    const char *name;
    unsigned tune;
    unsigned long long features;
} TARGETS[] = {
    {"generic", HS_TUNE_FAMILY_GENERIC, 0},
    {"avx2", HS_TUNE_FAMILY_HSW, HS_CPU_FEATURES_AVX2},
    {"avx512", HS_TUNE_FAMILY_SKX, HS_CPU_FEATURES_AVX2 | HS_CPU_FEATURES_AVX512},
    {"avx512vbmi", HS_TUNE_FAMILY_ICX,
     HS_CPU_FEATURES_AVX2 | HS_CPU_FEATURES_AVX512 | HS_CPU_FEATURES_AVX512VBMI},
    {"native", 0, 0},
};

static int platform_for(int t, hs_platform_info_t *p)
{
    memset(p, 0, sizeof *p);
    if (t == TXS_HS_NATIVE) return hs_populate_platform(p) == HS_SUCCESS ? TXS_OK : TXS_E_UNSUPPORTED;
    if (t < 0 || t >= TXS_HS_NTARGETS) return TXS_E_ARG;
    p->tune = TARGETS[t].tune;
    p->cpu_features = TARGETS[t].features;
    return TXS_OK;
}

/* "AVX2 AVX512" for a feature mask, "none" for the baseline. */
static void feature_names(unsigned long long f, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s%s", f == 0 ? "baseline (no AVX2)" : "",
             f & HS_CPU_FEATURES_AVX2 ? "AVX2 " : "", f & HS_CPU_FEATURES_AVX512 ? "AVX512 " : "",
             f & HS_CPU_FEATURES_AVX512VBMI ? "AVX512VBMI " : "");
    size_t n = strlen(buf);
    if (n && buf[n - 1] == ' ') buf[n - 1] = '\0';
}

int txs_hsdb_host(char *buf, size_t cap)
{
    hs_platform_info_t p;
    if (hs_populate_platform(&p) != HS_SUCCESS) return snprintf(buf, cap, "unknown"), TXS_E_UNSUPPORTED;
    feature_names(p.cpu_features, buf, cap);
    return TXS_OK;
}

int txs_hsdb_info(const void *p, size_t n, char *buf, size_t cap)
{
    char *info = NULL;
    buf[0] = '\0';
    if (n == 0) return snprintf(buf, cap, "no database"), TXS_OK;
    if (hs_serialized_database_info(p, n, &info) != HS_SUCCESS || info == NULL)
        return snprintf(buf, cap, "not a Hyperscan database"), TXS_E_FORMAT;
    /* Hyperscan prints no feature for the baseline target: say so. */
    const char *f = strstr(info, "Features:  ");
    if (f) snprintf(buf, cap, "%.*sFeatures: baseline x86-64 %s", (int)(f - info), info, f + 11);
    else snprintf(buf, cap, "%s", info);
    free(info);
    return TXS_OK;
}

struct txs_hsdb {
    hs_database_t *db;
};

struct txs_hsscratch {
    hs_scratch_t *s;
};

/* Compile n literals for platform pl (NULL: the host) into *db. */
static int compile(const char *const *lit, const size_t *len, size_t n,
                   const hs_platform_info_t *pl, hs_database_t **db, txs_diag *d)
{
    unsigned *flags = malloc(n * sizeof *flags), *ids = malloc(n * sizeof *ids);
    if (flags == NULL || ids == NULL) {
        free(flags), free(ids);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory compiling literals");
    }
    for (size_t i = 0; i < n; i++) flags[i] = HS_FLAG_SINGLEMATCH, ids[i] = (unsigned)i;
    hs_compile_error_t *err = NULL;
    hs_error_t rc = hs_compile_lit_multi(lit, flags, ids, len, (unsigned)n, HS_MODE_BLOCK,
                                         pl, db, &err);
    free(flags), free(ids);
    if (rc != HS_SUCCESS) {
        int k = err && err->expression >= 0 ? err->expression : -1;
        txs_diag_set(d, TXS_E_CONFIG, "", 0, "Hyperscan refused literal %d (%.*s): %s", k,
                     k >= 0 ? (int)len[k] : 0, k >= 0 ? lit[k] : "",
                     err ? err->message : "unknown error");
        hs_free_compile_error(err);
        return TXS_E_CONFIG;
    }
    return TXS_OK;
}

/* Why a serialised database was refused, in words a user can act on. */
static int refused(hs_error_t rc, const void *p, size_t n, txs_diag *d)
{
    char info[160], host[64];
    txs_hsdb_info(p, n, info, sizeof info);
    txs_hsdb_host(host, sizeof host);
    if (rc == HS_DB_PLATFORM_ERROR)
        return txs_diag_set(d, TXS_E_UNSUPPORTED, "", 0,
                            "the saved Hyperscan database was compiled for another CPU (%s) "
                            "and cannot run on this one (CPU features: %s)", info, host);
    if (rc == HS_DB_VERSION_ERROR)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "the saved Hyperscan database is from another Hyperscan version "
                            "(%s, this is %s)", info, hs_version());
    return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                        "the saved Hyperscan database is corrupt (%s; Hyperscan error %d)",
                        info, (int)rc);
}

int txs_hsdb_open(const void *p, size_t n, txs_hsdb **out, txs_diag *d)
{
    *out = NULL;
    if (n == 0) return TXS_OK;
    txs_hsdb *h = calloc(1, sizeof *h);
    if (h == NULL) return TXS_E_NOMEM;
    hs_error_t rc = hs_deserialize_database(p, n, &h->db);
    if (rc != HS_SUCCESS) {
        free(h);
        return refused(rc, p, n, d);
    }
    *out = h;
    return TXS_OK;
}

int txs_hsdb_build(const char *const *lit, const size_t *len, size_t n, txs_hsdb **out,
                    txs_diag *d)
{
    *out = NULL;
    if (n == 0) return TXS_OK;
    txs_hsdb *h = calloc(1, sizeof *h);
    if (h == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory compiling literals");
    int rc = compile(lit, len, n, NULL, &h->db, d);
    if (rc < 0) free(h), h = NULL;
    *out = h;
    return rc;
}

void txs_hsdb_free(txs_hsdb *db)
{
    if (db == NULL) return;
    hs_free_database(db->db);
    free(db);
}

int txs_hsdb_scratch(const txs_hsdb *db, txs_hsscratch **out)
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

void txs_hsdb_scratch_free(txs_hsscratch *s)
{
    if (s == NULL) return;
    hs_free_scratch(s->s);
    free(s);
}

typedef struct relay {
    txs_hsdb_fn fn;
    void *ctx;
} relay;

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx)
{
    (void)from, (void)flags;
    relay *r = ctx;
    return r->fn(id, to, r->ctx);
}

/* The fat runtime's AVX2 scanner (exported by libvectorscan5 on amd64 beside
 * core2_, corei7_ and avx512_hs_scan): see the top of this file. */
hs_error_t avx2_hs_scan(const hs_database_t *db, const char *data, unsigned length,
                        unsigned flags, hs_scratch_t *scratch, match_event_handler onEvent,
                        void *context);

int txs_hsdb_scan(const txs_hsdb *db, txs_hsscratch *s, const char *p, size_t n,
                   txs_hsdb_fn fn, void *ctx)
{
    if (db == NULL || n == 0) return TXS_OK;
    relay r = {fn, ctx};
    hs_error_t rc = __builtin_cpu_supports("avx512f")
                        ? avx2_hs_scan(db->db, p, (unsigned)n, 0, s->s, on_match, &r)
                        : hs_scan(db->db, p, (unsigned)n, 0, s->s, on_match, &r);
    return rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED ? TXS_OK : TXS_E_UNSUPPORTED;
}

/* ------------------------------------------------ regular expressions */

static unsigned hs_flags(unsigned f)
{
    unsigned h = 0; /* never HS_FLAG_SINGLEMATCH: hs_engine.h says why */
    if (f & TXS_RE_CASELESS) h |= HS_FLAG_CASELESS;
    if (f & TXS_RE_UTF8) h |= HS_FLAG_UTF8;
    if ((f & TXS_RE_UTF8) && (f & TXS_RE_UCP)) h |= HS_FLAG_UCP;
    if (f & TXS_RE_DOTALL) h |= HS_FLAG_DOTALL;
    if (f & TXS_HSRE_PREFILTER) h |= HS_FLAG_PREFILTER;
    return h;
}

static int info_of(const char *expr, unsigned flags, int *empty, char *msg, size_t cap)
{
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_expression_info(expr, hs_flags(flags), &info, &err) != HS_SUCCESS) {
        snprintf(msg, cap, "%s", err ? err->message : "refused");
        hs_free_compile_error(err);
        return TXS_E_CONFIG;
    }
    *empty = info->min_width == 0;
    free(info);
    return TXS_OK;
}

int txs_hsdb_regex_check(const char *expr, unsigned flags, int *empty, char *msg,
                         size_t cap)
{
    *empty = 0;
    if (info_of(expr, flags & ~TXS_HSRE_PREFILTER, empty, msg, cap) == TXS_OK) return TXS_OK;
    char again[256];
    if (info_of(expr, flags | TXS_HSRE_PREFILTER, empty, again, sizeof again) == TXS_OK)
        return TXS_E_UNSUPPORTED;
    return TXS_E_CONFIG; /* msg keeps the exact compile's reason */
}

int txs_hsdb_compile_regex(const char *const *expr, const unsigned *flags,
                           const unsigned *id, size_t n, int target, void **out, size_t *outn,
                           long *bad, txs_diag *d)
{
    *out = NULL, *outn = 0, *bad = -1;
    if (n == 0) return TXS_OK;
    hs_platform_info_t pl;
    if (platform_for(target, &pl) < 0)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "no Hyperscan platform for target %d", target);
    unsigned *hf = malloc(n * sizeof *hf), *ids = malloc(n * sizeof *ids);
    if (hf == NULL || ids == NULL) {
        free(hf), free(ids);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory compiling patterns");
    }
    for (size_t i = 0; i < n; i++) hf[i] = hs_flags(flags[i]), ids[i] = id ? id[i] : (unsigned)i;
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    hs_error_t rc = hs_compile_multi(expr, hf, ids, (unsigned)n, HS_MODE_BLOCK, &pl, &db, &err);
    free(hf), free(ids);
    if (rc != HS_SUCCESS) {
        *bad = err ? err->expression : -1;
        txs_diag_set(d, TXS_E_CONFIG, "", 0, "%s", err ? err->message : "unknown error");
        hs_free_compile_error(err);
        return TXS_E_CONFIG;
    }
    char *bytes = NULL;
    size_t nb = 0;
    rc = hs_serialize_database(db, &bytes, &nb);
    hs_free_database(db);
    if (rc != HS_SUCCESS) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "hs_serialize_database failed");
    *out = bytes, *outn = nb;
    return TXS_OK;
}

/* The Hyperscan version this file was compiled against (built != 0) or
 * the one linked at run time (hs_version(): "5.4.0 2023-02-13"), for
 * `txscreen --version` (version.c); static strings. */
const char *txs_hsdb_version(int built)
{
#define TXS_HS_STR2(x) #x
#define TXS_HS_STR(x) TXS_HS_STR2(x)
    return built ? TXS_HS_STR(HS_MAJOR) "." TXS_HS_STR(HS_MINOR) "." TXS_HS_STR(HS_PATCH)
                 : hs_version();
#undef TXS_HS_STR
#undef TXS_HS_STR2
}
