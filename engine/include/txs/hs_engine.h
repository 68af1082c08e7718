/*
 * hs_engine.h: the one doorway to Hyperscan (engine/src/hs/), below the
 * screeners and rules that scan its databases: every Hyperscan call in the
 * engine lives in hs/hs_db.c, the only file that includes <hs.h>, so the
 * rest of the code neither depends on Hyperscan's headers nor can misuse
 * its scratch rules.
 *
 *   start-up    txs_hsdb_build(literals) -> db (compile + open, never saved)
 *               txs_hsdb_compile_regex(patterns, target) -> serialised bytes
 *               (pattern rules, which may save them: hs/patset.c)
 *   run time    txs_hsdb_open(bytes) -> db (deserialised, never recompiled)
 *               txs_hsdb_scan(db, scratch, text, callback)
 *
 * A db is immutable and shareable; a scratch belongs to one screener.
 */
#ifndef TXS_HS_ENGINE_H
#define TXS_HS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

typedef struct txs_hsdb txs_hsdb;
typedef struct txs_hsscratch txs_hsscratch;

/*
 * The CPUs a stored database can be compiled for (hs_db.c says why one
 * may not want the host's own):
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
    TXS_HS_GENERIC,
    TXS_HS_AVX2,
    TXS_HS_AVX512,
    TXS_HS_AVX512VBMI,
    TXS_HS_NATIVE,
    TXS_HS_NTARGETS
};

/* Hyperscan's description of serialised bytes (version, CPU features,
 * mode) into buf; TXS_E_FORMAT when they are not a database. */
int txs_hsdb_info(const void *p, size_t n, char *buf, size_t cap);
/* The running CPU's features as Hyperscan sees them ("AVX2 AVX512"). */
int txs_hsdb_host(char *buf, size_t cap);

/* Deserialise bytes written by txs_hsdb_compile_regex (borrowed only
 * during the call).  n == 0 gives *out = NULL (an empty database).  Bytes
 * compiled for a CPU this host lacks give TXS_E_UNSUPPORTED, another
 * Hyperscan version or corrupt bytes TXS_E_FORMAT, d saying which. */
int txs_hsdb_open(const void *p, size_t n, txs_hsdb **out, txs_diag *d);
/* Compile for this host and open in one step, for databases built when a
 * run starts (the sanctioned-places literals), never stored. */
int txs_hsdb_build(const char *const *lit, const size_t *len, size_t n, txs_hsdb **out,
                    txs_diag *d);
/* Free; accepts NULL. */
void txs_hsdb_free(txs_hsdb *db);

/* Scratch space for scanning db; allocated once per screener. */
int txs_hsdb_scratch(const txs_hsdb *db, txs_hsscratch **out);
void txs_hsdb_scratch_free(txs_hsscratch *s);

/* Called for every match: pattern id and the offset just past its end.
 * Return nonzero to stop the scan. */
typedef int (*txs_hsdb_fn)(unsigned id, unsigned long long to, void *ctx);

/* Scan n bytes at p.  A NULL db (no literals) matches nothing.  Returns 0
 * (also when the callback stopped the scan) or TXS_E_UNSUPPORTED. */
int txs_hsdb_scan(const txs_hsdb *db, txs_hsscratch *s, const char *p, size_t n,
                   txs_hsdb_fn fn, void *ctx);

/* ------------------------------------------------ regular expressions
 * (pattern rules, hs/patset.c).  Flags as regex.h's TXS_RE_* (caseless,
 * UTF-8, dotall), plus TXS_HSRE_PREFILTER: compile an approximation that
 * matches at least wherever the pattern does (HS_FLAG_PREFILTER), for
 * constructs Hyperscan cannot compile exactly (backreferences,
 * lookaround); its matches must be confirmed by PCRE2.  Every end offset
 * of every expression is reported; the caller keeps an id once.  Not
 * HS_FLAG_SINGLEMATCH: in libvectorscan 5.4.9 (Debian 12) a database of
 * regular expressions holding a one-byte pattern such as `x`, compiled
 * SINGLEMATCH, missed that pattern's occurrences at offsets 64 and beyond
 * (9,219 of 20,100 placements of `x` in texts of 1-200 bytes), found by
 * fuzz_patmatch; tests/unit/test_patset.c one_byte_pattern_... checks it.
 * The fault turned out to be the library's AVX-512 scanner, which the
 * engine no longer calls (hs_db.c); the flag stays off all the same. */
#define TXS_HSRE_PREFILTER 0x100u

/* How Hyperscan takes one expression, without building a database:
 * 0 when it compiles exactly; TXS_E_UNSUPPORTED when it compiles only as a
 * prefilter; TXS_E_CONFIG when neither (msg[cap] says why: Hyperscan's
 * message).  *empty is set when the expression can match an empty string
 * (such a pattern would hit every text). */
int txs_hsdb_regex_check(const char *expr, unsigned flags, int *empty, char *msg,
                         size_t cap);

/* Compile n NUL-terminated expressions (flags[i], reported as id[i], or
 * as i when id is NULL) into one block-mode database for target and
 * serialise it (*out malloc'd, the caller frees).  On error returns
 * TXS_E_CONFIG with *bad the index i of the expression refused (or -1) and
 * d Hyperscan's message. */
int txs_hsdb_compile_regex(const char *const *expr, const unsigned *flags,
                           const unsigned *id, size_t n, int target, void **out, size_t *outn,
                           long *bad, txs_diag *d);

/* Hyperscan's version: compiled against (built != 0) or running (static). */
const char *txs_hsdb_version(int built);

#endif /* TXS_HS_ENGINE_H */
