/*
 * hs_db.h: private to the engine.  The one doorway to Hyperscan: every
 * Hyperscan call in the engine lives in hs_db.c, the only file that
 * includes <hs.h>, so the rest of the code neither depends on Hyperscan's
 * headers nor can misuse its scratch rules.
 *
 *   build time  txs__hsdb_compile_lits(literals, target) -> serialised
 *                                                  bytes (go into the snapshot)
 *   run time    txs__hsdb_open(bytes) -> db (deserialised, never recompiled)
 *               txs__hsdb_scan(db, scratch, text, callback)
 *   start-up    txs__hsdb_build(literals) -> db (compile + open, no snapshot)
 *
 * A db is immutable and shareable; a scratch belongs to one screener.
 */
#ifndef TXS_SCREEN_HS_DB_H
#define TXS_SCREEN_HS_DB_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

typedef struct txs__hsdb txs__hsdb;
typedef struct txs__hsscratch txs__hsscratch;

/*
 * The CPUs a stored database can be compiled for (hs_db.c says why a
 * snapshot's databases are not compiled for the host by default):
 *   generic     baseline x86-64, no CPU family tuning: runs on every host
 *               the library supports, and gives the same bytes on all
 *   avx2        Haswell and later (AVX2)
 *   avx512      Skylake-X and later (AVX2 + AVX-512)
 *   avx512vbmi  Ice Lake and later (AVX2 + AVX-512 + VBMI)
 *   native      the compiling host's own platform (its bytes depend on it)
 * A database compiled for a CPU the running host lacks is refused at load
 * with a message naming both.
 */
enum {
    TXS__HS_GENERIC,
    TXS__HS_AVX2,
    TXS__HS_AVX512,
    TXS__HS_AVX512VBMI,
    TXS__HS_NATIVE,
    TXS__HS_NTARGETS
};

/* A target by name into *out; TXS_E_ARG for an unknown name. */
int txs__hsdb_target_parse(const char *name, int *out);
/* The name of target t ("unknown" when out of range). */
const char *txs__hsdb_target_name(int t);

/* Hyperscan's description of serialised bytes (version, CPU features,
 * mode) into buf; TXS_E_FORMAT when they are not a database. */
int txs__hsdb_info(const void *p, size_t n, char *buf, size_t cap);
/* The running CPU's features as Hyperscan sees them ("AVX2 AVX512"). */
int txs__hsdb_host(char *buf, size_t cap);

/*
 * Compile n literals (lit[i] of len[i] bytes, pattern id = i) for target
 * (TXS__HS_*) into a block-mode database, each reported at most once a
 * scan (HS_FLAG_SINGLEMATCH), and serialise it into a malloc'd buffer
 * (*out, *outn; the caller frees it).  Deterministic: the same literals in
 * the same order for the same target give the same bytes on any host
 * (TXS__HS_NATIVE excepted).  n == 0 gives an empty buffer.  On error d
 * names the literal Hyperscan refused.
 */
int txs__hsdb_compile_lits(const char *const *lit, const size_t *len, size_t n, int target,
                           void **out, size_t *outn, txs_diag *d);

/* Deserialise bytes written by txs__hsdb_compile_lits (borrowed only
 * during the call).  n == 0 gives *out = NULL (an empty database).  Bytes
 * compiled for a CPU this host lacks give TXS_E_UNSUPPORTED, another
 * Hyperscan version or corrupt bytes TXS_E_FORMAT, d saying which. */
int txs__hsdb_open(const void *p, size_t n, txs__hsdb **out, txs_diag *d);
/* Compile for this host and open in one step, for databases built when a
 * run starts (the sanctioned-places literals), never stored. */
int txs__hsdb_build(const char *const *lit, const size_t *len, size_t n, txs__hsdb **out,
                    txs_diag *d);
/* Free; accepts NULL. */
void txs__hsdb_free(txs__hsdb *db);

/* Scratch space for scanning db; allocated once per screener. */
int txs__hsdb_scratch(const txs__hsdb *db, txs__hsscratch **out);
void txs__hsdb_scratch_free(txs__hsscratch *s);

/* Called for every match: pattern id and the offset just past its end.
 * Return nonzero to stop the scan. */
typedef int (*txs__hsdb_fn)(unsigned id, unsigned long long to, void *ctx);

/* Scan n bytes at p.  A NULL db (no literals) matches nothing.  Returns 0
 * (also when the callback stopped the scan) or TXS_E_UNSUPPORTED. */
int txs__hsdb_scan(const txs__hsdb *db, txs__hsscratch *s, const char *p, size_t n,
                   txs__hsdb_fn fn, void *ctx);

/* Hyperscan's version: compiled against (built != 0) or running (static). */
const char *txs__hsdb_version(int built);

#endif /* TXS_SCREEN_HS_DB_H */
