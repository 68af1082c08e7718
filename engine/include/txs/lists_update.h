/*
 * lists_update.h: `txscreen lists update SOURCES.yaml`, keeping a snapshot
 * current from the lists' official URLs without ever installing a bad one.
 *
 *   SOURCES.yaml --parse--> txs_lists_sources (file:line errors)
 *        |
 *        v  per source: conditional GET (ETag, Last-Modified), timeouts,
 *        |  retries with back-off; status, content type and size checked
 *   DIR/.staging/NAME/FILE
 *        |  every file parsed by its reader; its format must be the one
 *        |  declared; its entity count within the band of the previous
 *        v  version (docs/lists.md "Checks")
 *   one image --one commit (emit.h)--> DIR/lists.snap        the live snapshot
 *                                      DIR/history/lists-N.snap, lists-N.diff
 *                                      DIR/sources/NAME/FILE (+ FILE.http)
 *
 * Any failure publishes nothing: DIR/lists.snap and the stored sources stay
 * as they were, byte for byte, and the call returns the reason.  Build-time
 * code: it allocates, blocks on the network, and is not thread-safe (it
 * initialises libcurl).
 */
#ifndef TXS_LISTS_UPDATE_H
#define TXS_LISTS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

#define TXS_UPDATE_MAX_SOURCES 32
#define TXS_UPDATE_MAX_PARTS 4
/* The largest list file accepted (the biggest official file, OpenSanctions'
 * full export, is well under it). */
#define TXS_UPDATE_MAX_BYTES (2ull << 30)

/* One list to fetch.  Counts and sizes of 0 mean "no bound". */
typedef struct txs_update_source {
    char name[64];                    /* [a-z0-9_-]: the directory its files keep */
    char format[16];                  /* the builder's format name ("ofac-sls-xml") */
    char url[1024];                   /* http:// or https:// */
    char parts[TXS_UPDATE_MAX_PARTS][1024]; /* ofac-csv: alt/add/comments URLs */
    size_t nparts;
    char file[128];                   /* stored file name (the main file) */
    char content_types[256];          /* accepted media types, ", "-separated */
    uint64_t min_bytes, max_bytes;
    uint64_t min_entities, max_entities;
    double max_shrink, max_growth;    /* fractions of the previous count */
    unsigned long line;               /* where it is named in the sources file */
} txs_update_source;

/* A parsed sources file. */
typedef struct txs_lists_sources {
    char file[512];                   /* the sources file, for diagnostics */
    char dir[1024];                   /* resolved against the file's directory */
    unsigned keep;                    /* snapshots kept in DIR/history (>= 1) */
    double connect_timeout, stall_seconds, max_seconds, backoff;
    unsigned retries;
    txs_update_source src[TXS_UPDATE_MAX_SOURCES];
    size_t n;
} txs_lists_sources;

/* Parse a sources file's bytes (name is used in diagnostics and to resolve
 * `dir`).  TXS_E_CONFIG with d naming the file, line and what is wrong. */
int txs_lists_sources_parse(const char *name, const char *buf, size_t len,
                            txs_lists_sources *out, txs_diag *d);
/* The same from a file. */
int txs_lists_sources_load(const char *path, txs_lists_sources *out, txs_diag *d);

/* What one update did, per source and in all. */
typedef struct txs_update_result {
    struct {
        int fetched;                  /* 1: new bytes; 0: not modified (304 or same bytes) */
        uint32_t entities, previous;  /* now, and in the snapshot replaced (0: none) */
        char date[40];                /* the source's date in the new snapshot */
        char date_from[16];           /* "file", "last-modified" or "none" */
    } src[TXS_UPDATE_MAX_SOURCES];
    int changed;                      /* 1: a new snapshot was installed */
    char snapshot[1400], diff[1400];  /* the live snapshot; the diff written ("" if none) */
    uint64_t added, removed, changed_entities;
} txs_update_result;

/*
 * Run one update as described above.  Returns TXS_OK (res->changed says
 * whether a snapshot was installed), or an error with d naming the source,
 * URL or file and the reason: TXS_E_CONFIG for the sources file, TXS_E_IO
 * for a transfer (status, timeout, truncated body), TXS_E_FORMAT for a file
 * refused by a check, TXS_E_OUTPUT for DIR.  Nothing is published on error.
 */
int txs_lists_update(const txs_lists_sources *cfg, txs_update_result *res, txs_diag *d);

/* libcurl's version: built = 1, the headers compiled against; 0, the
 * library `lists update` loads (for --version; "not loadable" when it
 * cannot be).  Static strings. */
const char *txs_lists_curl_version(int built);

#endif /* TXS_LISTS_UPDATE_H */
