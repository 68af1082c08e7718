/*
 * lists_int.h: private to the engine.  The list builder's in-memory model,
 * shared by the readers (one file per source format), the snapshot writer
 * and the small helpers they share (CSV record reader, SHA-256, JSON).
 *
 *   builder
 *    |- srcs[]   one per file read: name, format, list id, date, size, sha256
 *    |- ents[]   entity pointers in reader order; deleted ones are skipped
 *    |    `- {id, name, source, type, fields[] (growable)}
 *    |- idmap    open addressing: xxh3(id) -> ents[] index (alt/add rows and
 *    |           FtM deltas find their entity by id)
 *    |- stats    remark-clause counts per (source, parsed?, kind label)
 *    `- arena    every string
 *
 * Build time only: allocation is fine, nothing here is on the per-record
 * path.  Readers are deterministic (the same bytes give the same calls in
 * the same order), which is what makes snapshots byte-identical.
 */
#ifndef TXS_LISTS_INT_H
#define TXS_LISTS_INT_H

#include <stdint.h>
#include <stdio.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/lists.h"
#include "txs/lists_names.h"

/* Widest record a list CSV may have: the EU file has about 90 columns. */
#define TXS__LCSV_MAX_FIELDS 256u

typedef struct txs__lfield {
    uint8_t kind, sub;
    const char *val, *ext, *note;
    uint32_t vlen, elen, nlen;
} txs__lfield;

typedef struct txs__lent {
    const char *id, *name;
    uint32_t idlen, namelen;
    uint32_t source;
    uint8_t type, deleted;
    txs__lfield *f;
    uint32_t nf, capf;
} txs__lent;

typedef struct txs__lsrc {
    char file[256];
    char format[16];
    char list[32];
    char date[40];
    uint64_t bytes;
    uint8_t sha[32];
    uint32_t parent, records;
    uint32_t clauses, unparsed;
} txs__lsrc;

typedef struct txs__lstat {
    uint32_t src, parsed, count;
    const char *label;
    uint32_t llen;
} txs__lstat;

struct txs_lists_builder {
    txs_arena arena;
    txs__lent **ents;
    size_t nents, capents;
    uint32_t *idmap;            /* index+1; 0 = empty */
    size_t idcap;
    txs__lsrc *srcs;
    size_t nsrcs, capsrcs;
    txs__lstat *stats;
    size_t nstats, capstats;
    uint32_t *statmap;          /* index+1; 0 = empty */
    size_t statcap;
    int broken;
    int dedup;                  /* set by readers that repeat facts */
};

/* ---- model.c */
/* Register a file as a source: records its base name, size and SHA-256
 * (read once here).  *idx receives its index. */
int txs__lists_source(txs_lists_builder *b, const char *path, const char *format,
                      const char *list, uint32_t parent, uint32_t *idx, txs_diag *d);
/* *seen = 1 when a file with path's base name, format and bytes (SHA-256)
 * is already a top-level source: the same publication named twice. */
int txs__lists_source_seen(txs_lists_builder *b, const char *path, const char *format,
                           int *seen, txs_diag *d);
/* A new entity "LIST:id" of source src; NULL when out of memory.  If the id
 * exists already the old entity is marked deleted (a later record wins). */
txs__lent *txs__lists_entity(txs_lists_builder *b, uint32_t src, const char *id,
                             size_t idlen, int type, const char *name, size_t namelen);
/* The live entity with this full id, or NULL. */
txs__lent *txs__lists_lookup(txs_lists_builder *b, const char *id, size_t idlen);
/* Append a field (values trimmed; an empty value is skipped).  ext/note
 * may be NULL.  0 or TXS_E_NOMEM. */
int txs__lists_field(txs_lists_builder *b, txs__lent *e, int kind, int sub,
                     const char *val, size_t vlen, const char *ext, size_t elen,
                     const char *note, size_t nlen);
/* Count one remark clause of kind `label` for source src. */
int txs__lists_stat(txs_lists_builder *b, uint32_t src, int parsed, const char *label,
                    size_t llen);
/* A string copied into the builder's arena (NUL terminated). */
const char *txs__lists_dup(txs_lists_builder *b, const char *p, size_t n);
/* Trim ASCII white space from both ends of a slice. */
txs_slice txs__lists_trim(txs_slice s);
/* Normalise an identifier for hashing: letters and digits, upper-cased,
 * into out (cap bytes); returns the length. */
size_t txs__lists_ident_key(const char *p, size_t n, char *out, size_t cap);

/* ---- dates.c */
/* Normalise a date such as "12 Mar 1961", "1961-03-12", "12.03.1961",
 * "Mar 1961", "1961", "1960 to 1962", "circa 1951" into out (>= 24 bytes):
 * "1961-03-12", "1961-03", "1961", "1960..1962".  Returns the length (0 if
 * no date was recognised) and sets *circa. */
size_t txs__lists_date(const char *p, size_t n, char *out, int *circa);
/* A date in the numeric shapes structured date columns use: "yyyy-mm-dd"
 * or "dd/mm/yyyy", 00 standing for an unknown day or month.  Normalised as
 * txs__lists_date() does into out (>= 24 bytes); 0 for any other text
 * (wrong shape, month 13, day 32). */
size_t txs__lists_numeric_date(const char *p, size_t n, char *out);

/* ---- model.c, for the formats that spread one entity over many rows or
 * elements (EU, UK, Canada SEMA). */
/* The live entity with this id made by source src, or a new one with no
 * name yet; NULL when out of memory.  A later source with the same id
 * replaces the earlier entity, as txs__lists_entity does. */
txs__lent *txs__lists_group(txs_lists_builder *b, uint32_t src, const char *id, size_t idlen,
                            int type);
/* Offer a name to e: it becomes the primary name when `primary` is set and
 * e has none yet; a repeat of the primary name is dropped; any other name
 * is an alias of strength sub with the source's alias type ext.  0 or
 * TXS_E_NOMEM. */
int txs__lists_name(txs_lists_builder *b, txs__lent *e, int primary, int sub, const char *p,
                    size_t n, const char *ext, size_t elen);
/* Entities ents[from..] that never received a primary name take their
 * first strong alias (else any alias, else an original-script name) as
 * one.  Returns the first entity left without any name, or NULL. */
txs__lent *txs__lists_unnamed(txs_lists_builder *b, size_t from);

/* ---- csvread.c: a quote-aware CSV record reader for list files.  It
 * tracks lines for diagnostics, accepts CRLF, a UTF-8 BOM and a trailing
 * 0x1A, and stops with file:line on an unterminated quote or a stray
 * character after a closing quote. */
typedef struct txs__lcsv {
    FILE *f;
    const char *path;
    char sep;
    unsigned long line;      /* line the current record started on */
    unsigned long next_line;
    char *buf;
    size_t cap;
    size_t off[TXS__LCSV_MAX_FIELDS], len[TXS__LCSV_MAX_FIELDS];
    size_t nf;
} txs__lcsv;

int txs__lcsv_open(txs__lcsv *r, const char *path, char sep, txs_diag *d);

/* 1: a record is in r (fields via txs__lcsv_field); 0: end; <0: error. */
int txs__lcsv_next(txs__lcsv *r, txs_diag *d);
txs_slice txs__lcsv_field(const txs__lcsv *r, size_t i);
/* Index of the header column named `name` (case-insensitive) or -1. */
int txs__lcsv_col(const txs__lcsv *r, const char *name);
void txs__lcsv_close(txs__lcsv *r);

/* ---- rows.c: the one-row-per-fact CSV lists (EU, UK).  A reader numbers
 * the columns it knows (an enum below TXS__LROW_MAX_COLS), fills col[] and
 * colname[] from the header, and keeps its state here. */
#define TXS__LROW_MAX_COLS 64
/* The empty slice: no note, no value. */
#define TXS__NONE ((txs_slice){"", 0})

typedef struct txs__lrow {
    txs_lists_builder *b;
    txs__lcsv r;
    uint32_t src;
    int col[TXS__LROW_MAX_COLS];             /* header index of column c, -1 if absent */
    const char *colname[TXS__LROW_MAX_COLS]; /* its name in this file, for messages */
    txs_diag *d;
} txs__lrow;

/* Column c of the current row, trimmed; "" when the header lacks it. */
txs_slice txs__lrow_cell(const txs__lrow *x, int c);
/* "what 'v' in column NAME" at the row's file:line; returns TXS_E_FORMAT. */
int txs__lrow_fail(const txs__lrow *x, const char *what, int c, txs_slice v);
/* txs__lists_field() with a slice value and note; ext may be NULL. */
int txs__lrow_add(txs__lrow *x, txs__lent *e, int kind, int sub, txs_slice v, const char *ext,
                  txs_slice note);
/* The non-empty cells of cols[] (ending with -1) joined with sep into out
 * (cap bytes; what does not fit is left off). */
txs_slice txs__lrow_join(const txs__lrow *x, const int *cols, const char *sep, char *out,
                         size_t cap);
/* The reading loop: open path with separator sep, call header(x) once (the
 * header row is in x->r), then record(x) for every row that has as many
 * fields as the header, keeping facts that repeat on an entity's rows once.
 * Stops with file:line on the first error; then checks that rows followed
 * the header (a header alone is a truncated download) and that every entity
 * read got a name.  x->r is closed on return. */
int txs__lists_read_rows(txs__lrow *x, const char *path, char sep, int (*header)(txs__lrow *),
                         int (*record)(txs__lrow *));

/* ---- sha256.c: FIPS 180-4 SHA-256. */
typedef struct txs__sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t blk[64];
    size_t nblk;
} txs__sha256;
void txs__sha256_init(txs__sha256 *s);
void txs__sha256_update(txs__sha256 *s, const void *p, size_t n);
void txs__sha256_final(txs__sha256 *s, uint8_t out[32]);

/* ---- readers, one per format; each registers its own sources. */
int txs__lists_read_ofac(txs_lists_builder *b, const char *path, txs_diag *d);
/* 1 when path's base name is one of an OFAC set's secondary files (alt.csv,
 * add.csv, sdn_comments.csv, cons_alt/add/comments.csv, any case): they are
 * read with their sdn.csv / cons_prim.csv, never alone. */
int txs__lists_ofac_part(const char *path);
int txs__lists_read_un(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_os_simple(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_ftm(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_eu(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_uk(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_ofac_sls(txs_lists_builder *b, const char *path, txs_diag *d);
int txs__lists_read_ca_sema(txs_lists_builder *b, const char *path, txs_diag *d);

/* ---- ofac_remarks.c: split an OFAC remarks text into clauses and turn
 * each into typed fields of e, counting parsed/unparsed per kind. */
int txs__lists_ofac_remarks(txs_lists_builder *b, uint32_t src, txs__lent *e,
                            const char *p, size_t n);
/* The same for the free-text remarks of the Sanctions List Service XML:
 * clauses may be parenthesised, and one no rule types is a remark (counted
 * as the kind "(remark)", not as unparsed: that file gives every identity
 * feature its own element). */
int txs__lists_ofac_free_remarks(txs_lists_builder *b, uint32_t src, txs__lent *e,
                                 const char *p, size_t n);
/* One identity feature the SLS XML gives as its own element: type label
 * ("Passport", "DOB", "Digital Currency Address - XBT"), value and issuing
 * country, typed with the remarks vocabulary and counted per kind like a
 * clause.  A type no rule names becomes an other_id identifier (type in
 * the note); a value the rule cannot read is a remark counted unparsed. */
int txs__lists_ofac_feature(txs_lists_builder *b, uint32_t src, txs__lent *e, txs_slice type,
                            txs_slice val, txs_slice country);

/* ---- snapshot format (snap_write.c, snap_load.c) */
#define TXS__SNAP_MAGIC "TXSLSNP1"
#define TXS__SNAP_VERSION 1u
#define TXS__SNAP_ENDIAN 0x01020304u
#define TXS__SNAP_HDR 64u

enum {
    TXS__SEC_SOURCES = 1,
    TXS__SEC_ENTITIES = 2,
    TXS__SEC_FIELDS = 3,
    TXS__SEC_STRINGS = 4,
    TXS__SEC_IDSORT = 5,
    TXS__SEC_IDENT = 6,
    TXS__SEC_STATS = 7,
    /* 8 NAMES: txs/lists_names.h (9, a retired Hyperscan database, is not read) */
    TXS__SEC_COUNT = 8
};

typedef struct txs__snap_sec {
    uint32_t tag, version;
    uint64_t off, size;
} txs__snap_sec;

typedef struct txs__snap_str {
    uint32_t off, len;
} txs__snap_str;

typedef struct txs__snap_src {
    txs__snap_str file, format, list, date;
    uint64_t bytes;
    uint8_t sha[32];
    uint32_t parent, records, entities, by_type[TXS_ENT_TYPES], clauses, unparsed;
} txs__snap_src;

typedef struct txs__snap_ent {
    txs__snap_str id, name;
    uint32_t source, type, first_field, nfields;
} txs__snap_ent;

typedef struct txs__snap_fld {
    uint8_t kind, sub, pad[2];
    txs__snap_str val, ext, note;
} txs__snap_fld;

typedef struct txs__snap_ident {
    uint64_t hash;          /* 0: empty slot */
    uint32_t entity, field;
} txs__snap_ident;

typedef struct txs__snap_stat {
    uint32_t src, parsed, count;
    txs__snap_str label;
} txs__snap_stat;

/* ---- the name-screening sections: their layout, txs__lists_section and
 * txs__lists_del_hash are txs/lists_names.h's (the screeners read them). */

/* Build the NAMES section for snapshot l (names_build.c): a malloc'd blob
 * the caller frees.  Deterministic: the same bytes on any host. */
int txs__lists_build_names(const txs_lists *l, void **names, size_t *nnames);

/* Index of the i-th entity in id order (snap_load.c). */
size_t txs__lists_sorted(const txs_lists *l, size_t i);

/* xxh3 of (id kind byte, normalised key); never 0. */
uint64_t txs__lists_ident_hash(int kind, const char *key, size_t n);

/* ---- fetch.c: one file over HTTP(S) for `lists update` (the only file
 * that includes libcurl).  The caller fills the inputs; the outputs are set
 * whatever the result. */
typedef struct txs__fetch {
    const char *url, *path;                 /* in: the body is written to path */
    const char *etag, *last_modified;       /* in: conditional GET; NULL or "": none */
    double connect_timeout, stall_seconds, max_seconds, backoff;
    unsigned retries;
    uint64_t max_bytes;
    long status;                            /* out: the last HTTP status */
    int not_modified;                       /* out: 304 */
    char etag_out[256], last_modified_out[64], content_type[128];
    long long filetime;                     /* out: Last-Modified as epoch seconds, or -1 */
    uint64_t bytes;
    unsigned attempts;
} txs__fetch;
/* GET f->url into f->path, with retries and back-off.  TXS_OK on 200 or
 * 304 (f->not_modified); else TXS_E_IO with d naming the URL, the reason
 * and the attempts made. */
int txs__lists_fetch(txs__fetch *f, txs_diag *d);
/* libcurl loaded and set up, once per update; TXS_E_IO naming file when
 * it cannot be loaded (not installed, too old: fetch.c). */
int txs__lists_fetch_init(const char *file, txs_diag *d);
void txs__lists_fetch_done(void);

#endif /* TXS_LISTS_INT_H */
