/*
 * builtin_int.h: private to the engine.  Files embedded at build time
 * (the YAML files of engine/profiles and rules), so that built-in profiles and the
 * default rule set need no data directory at run time.
 */
#ifndef TXS_BUILTIN_INT_H
#define TXS_BUILTIN_INT_H

#include <stddef.h>

typedef struct txs_builtin_file {
    const char *name; /* "profiles/native.yaml", "rules/default.yaml" ... */
    const char *data; /* NUL terminated (a NUL follows the size bytes) */
    size_t size;
} txs_builtin_file;

/* The table, ended by an entry with name == NULL. */
extern const txs_builtin_file txs__builtin_files[];

/* The embedded file with this exact name, or NULL. */
const txs_builtin_file *txs__builtin_find(const char *name);

/* The names of the built-in YAML files directly in dir ("rules" ->
 * "default, strict"), joined by ", " into out (cut at cap); returns out.
 * Error messages list them from here, so they follow the embedded table. */
const char *txs__builtin_names(const char *dir, char *out, size_t cap);

#endif /* TXS_BUILTIN_INT_H */
