/*
 * version.h: what `txscreen --version` reports: the engine's version and,
 * for every library the engine links, the version it was compiled against
 * and the one it runs with (a shared library upgraded under the binary
 * shows here first).  The bundled snapshot's sources are read through
 * lists.h, as `lists info` reads them.
 */
#ifndef TXS_VERSION_H
#define TXS_VERSION_H

#include <stddef.h>

/* The engine's version ("0.1.0", the CMake project version); static. */
const char *txs_version(void);

typedef struct txs_libversion {
    const char *name;          /* "Hyperscan", "libxml2", ... (static) */
    char built[64];            /* version of the headers compiled against */
    char running[64];          /* version the loaded library reports */
} txs_libversion;

/* Fill out[0..cap) with the linked libraries in a fixed order (Hyperscan,
 * libxml2, utf8proc, ICU, zstd, zlib, libcurl); returns how many there are (7),
 * which may exceed cap.  Thread-safe; no allocation. */
size_t txs_library_versions(txs_libversion *out, size_t cap);

#endif /* TXS_VERSION_H */
