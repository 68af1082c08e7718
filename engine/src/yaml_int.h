/*
 * yaml_int.h: private to the engine.  A small read-only YAML document tree
 * built with libyaml, for the build-time loaders (profiles, rule sets,
 * country lists).  Every node keeps its line so loaders can say "FILE:LINE:
 * what is wrong".  Anchors/aliases, tags and multi-document streams are
 * rejected: configuration should read the same to a person and the engine.
 *
 *   doc -> root (map) -> pairs: key "rules" -> seq -> map -> ...
 *
 * Not on the hot path; allocation is fine.  A document is immutable once
 * loaded and may be read from several threads.
 */
#ifndef TXS_YAML_INT_H
#define TXS_YAML_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"

typedef enum txs_ytype { TXS_Y_SCALAR = 0, TXS_Y_SEQ = 1, TXS_Y_MAP = 2 } txs_ytype;

typedef struct txs_ynode txs_ynode;
struct txs_ynode {
    txs_ytype type;
    unsigned long line;   /* 1-based line where the node starts */
    /* TXS_Y_SCALAR: the value, NUL terminated, len bytes; quoted is 1 when
     * written in quotes (so "no" stays a string where a loader cares). */
    const char *str;
    size_t len;
    int quoted;
    /* TXS_Y_SEQ: n items in items[].  TXS_Y_MAP: n pairs, keys[i] (a
     * NUL-terminated scalar key) -> items[i]; duplicate keys are rejected. */
    size_t n;
    txs_ynode **items;
    const char **keys;
    const unsigned long *key_lines; /* TXS_Y_MAP: the line of each key */
};

typedef struct txs_ydoc {
    const char *file;   /* display name: the path, or "builtin:NAME" */
    txs_ynode *root;    /* NULL for an empty document */
    uint64_t hash;      /* xxh3-64 of the file's bytes */
    txs_arena arena;    /* owns every node and string */
} txs_ydoc;

/*
 * Load a YAML file.  path is a file path, or "builtin:NAME" for a file
 * embedded from the source tree (builtin_int.h), e.g.
 * "builtin:rules/default.yaml".  Files over TXS_MAX_CONFIG_FILE are refused.
 * On error d says file, line and what is wrong (libyaml's problem text).
 */
int txs__ydoc_load(const char *path, txs_ydoc **out, txs_diag *d);
/* Parse bytes already in memory; name is used in diagnostics. */
int txs__ydoc_parse(const char *name, const char *buf, size_t len,
                    txs_ydoc **out, txs_diag *d);
/* Free; accepts NULL. */
void txs__ydoc_free(txs_ydoc *doc);

/* The value for key in a map node, or NULL (also NULL if map is not a map). */
const txs_ynode *txs__ymap_get(const txs_ynode *map, const char *key);

/*
 * Check that every key of map is in the NULL-terminated list allowed; on
 * the first other key, fill d with "unknown key 'x' in <what> (expected one
 * of: a, b, c)" at that key's line and return TXS_E_CONFIG.
 */
int txs__ymap_check_keys(const txs_ydoc *doc, const txs_ynode *map,
                         const char *what, const char *const *allowed,
                         txs_diag *d);

/*
 * Resolve a path named inside a document relative to that document: for a
 * file path, relative to its directory; for "builtin:rules/x.yaml",
 * "builtin:rules/<rel>".  Absolute paths are returned as they are.  Writes a
 * NUL-terminated result to out[cap]; returns TXS_E_LIMIT if it does not fit.
 */
int txs__ypath_resolve(const txs_ydoc *doc, const char *rel, char *out,
                       size_t cap);

#endif /* TXS_YAML_INT_H */
