/*
 * lists.h: sanctions lists in one entity model, and the compiled snapshot
 * that carries them from build time to the screening stage.
 *
 * Build time (may allocate, may be slow): a builder reads official list
 * files (OFAC legacy CSV, OFAC Sanctions List Service XML, UN consolidated
 * XML, Canada SEMA XML, OpenSanctions targets.simple CSV and FollowTheMoney
 * JSON lines, EU Financial Sanctions File CSV, UK sanctions list CSV), each
 * in its own reader, into one model, and
 * serialises it as a snapshot.  Run time: a snapshot is mapped (never
 * recompiled) and read through small views that borrow its bytes.
 *
 *   SRC files --readers--> builder --image--> snapshot file --load--> txs_lists
 *                                               (byte-identical for     (immutable,
 *                                                identical sources)      thread-safe)
 *
 * An entity is {source-qualified id, source, type, primary name} plus an
 * ordered list of typed fields (programs, aliases with strength, DOBs,
 * identifiers, ...).  A field has a value and two optional qualifiers whose
 * meaning depends on its kind (see txs_field).  Views (txs_entity,
 * txs_field, txs_list_source) borrow the snapshot's bytes and stay valid
 * until txs_lists_free().  Slices are not NUL terminated.
 */
#ifndef TXS_LISTS_H
#define TXS_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

/* ------------------------------------------------------------ the model */

typedef enum txs_entity_type {
    TXS_ENT_UNKNOWN = 0,
    TXS_ENT_INDIVIDUAL = 1,
    TXS_ENT_ENTITY = 2,
    TXS_ENT_VESSEL = 3,
    TXS_ENT_AIRCRAFT = 4
} txs_entity_type;
#define TXS_ENT_TYPES 5

/*
 * Field kinds.  X(NAME, label).  Values are stored in snapshots: append
 * only.  What value / extra / note hold, per kind:
 *   PROGRAM      program code ("SDGT", "UA-WS-MARE")
 *   ALIAS        a name; sub = TXS_ALIAS_STRONG / TXS_ALIAS_WEAK;
 *                extra = the source's alias type ("aka", "fka", "Low", ...)
 *   ORIG_SCRIPT  a name in its original script
 *   TITLE        title or designation ("Minister of Defense")
 *   DOB          normalised date: "1961-03-12", "1961-03", "1961" or a range
 *                "1960..1962"; sub = TXS_DATE_CIRCA when approximate;
 *                note = the text as the source wrote it
 *   POB          place of birth, as written
 *   NATIONALITY, CITIZENSHIP, COUNTRY   a country name or ISO code as written
 *   ADDRESS      one address line, comma-joined; extra = its country
 *   ID           an identifier; sub = txs_id_kind; extra = issuing country,
 *                or the currency of a digital currency address; note = the
 *                source's label and any issue/expiry text
 *   LINK         the name or id of a linked entity
 *   LISTED_ON    listing date as written (ISO where the source is ISO)
 *   GENDER       "Male" / "Female" as written
 *   REMARK       free text the source attached
 *   OTHER        a labelled fact that is none of the above (email, website,
 *                phone, aircraft model, sanctions information ...);
 *                extra = its label
 */
#define TXS_FIELD_MAP(X)                                                   \
    X(PROGRAM, "program")                                                  \
    X(ALIAS, "alias")                                                      \
    X(ORIG_SCRIPT, "original_script")                                      \
    X(TITLE, "title")                                                      \
    X(DOB, "dob")                                                          \
    X(POB, "pob")                                                          \
    X(NATIONALITY, "nationality")                                          \
    X(CITIZENSHIP, "citizenship")                                          \
    X(COUNTRY, "country")                                                  \
    X(ADDRESS, "address")                                                  \
    X(ID, "id")                                                            \
    X(LINK, "link")                                                        \
    X(LISTED_ON, "listed_on")                                              \
    X(GENDER, "gender")                                                    \
    X(REMARK, "remark")                                                    \
    X(OTHER, "other")

typedef enum txs_field_kind {
#define TXS_X_FK(name, label) TXS_F_##name,
    TXS_FIELD_MAP(TXS_X_FK)
#undef TXS_X_FK
    TXS_F_COUNT
} txs_field_kind;

/* Identifier kinds (sub of a TXS_F_ID field).  Stored: append only. */
#define TXS_ID_MAP(X)                                                      \
    X(PASSPORT, "passport")                                                \
    X(NATIONAL_ID, "national_id")                                          \
    X(TAX_ID, "tax_id")                                                    \
    X(SWIFT_BIC, "swift_bic")                                              \
    X(IMO, "imo")                                                          \
    X(MMSI, "mmsi")                                                        \
    X(CALL_SIGN, "call_sign")                                              \
    X(LEI, "lei")                                                          \
    X(CRYPTO, "digital_currency_address")                                  \
    X(REGISTRATION, "registration")                                        \
    X(OTHER, "other_id")                                                   \
    X(IBAN, "iban")

typedef enum txs_id_kind {
#define TXS_X_ID(name, label) TXS_ID_##name,
    TXS_ID_MAP(TXS_X_ID)
#undef TXS_X_ID
    TXS_ID_COUNT
} txs_id_kind;

enum { TXS_ALIAS_STRONG = 0, TXS_ALIAS_WEAK = 1 };
enum { TXS_DATE_EXACT = 0, TXS_DATE_CIRCA = 1 };

/* Names for the enums above ("individual", "alias", "imo"); never NULL. */
const char *txs_entity_type_name(int type);
const char *txs_field_kind_name(int kind);
const char *txs_id_kind_name(int kind);

/* A view of one entity (borrowed from a txs_lists). */
typedef struct txs_entity {
    txs_slice id;          /* source-qualified: "OFAC-SDN:36", "UN:QDi.001" */
    txs_slice name;        /* primary name */
    uint32_t source;       /* index into txs_lists_source() */
    uint32_t type;         /* txs_entity_type */
    uint32_t first_field;  /* fields are [first_field, first_field+nfields) */
    uint32_t nfields;
} txs_entity;

/* A view of one field (borrowed from a txs_lists). */
typedef struct txs_field {
    uint32_t kind;         /* txs_field_kind */
    uint32_t sub;          /* per kind: alias strength, date circa, id kind */
    txs_slice value, extra, note;
} txs_field;

/* Per-file metadata, recorded when the snapshot was compiled.  An OFAC set
 * is several files: sdn.csv carries the entities, its siblings point to it
 * through `parent`. */
typedef struct txs_list_source {
    txs_slice file;        /* the file's base name */
    txs_slice format;      /* "ofac-csv", "ofac-sls-xml", "un-xml", "ca-sema-xml",
                              "os-simple", "ftm", "eu-csv", "uk-csv" */
    txs_slice list;        /* the list id that prefixes entity ids ("OFAC-SDN") */
    txs_slice date;        /* list date stated by the file (CA-SEMA: its latest
                              listing date, OpenSanctions: its latest last_seen;
                              the files state none), else the date given at
                              compile time (--date, or the server's
                              Last-Modified for `lists update`); empty if none */
    uint64_t bytes;
    uint8_t sha256[32];
    uint32_t records;      /* rows / records read from this file */
    uint32_t parent;       /* index of the source that carries the entities */
    uint32_t entities;
    uint32_t by_type[TXS_ENT_TYPES];
    uint32_t clauses;      /* remark clauses seen (OFAC) */
    uint32_t unparsed;     /* of which no typed field was made */
} txs_list_source;

/* ------------------------------------------------------------ build time */

typedef struct txs_lists_builder txs_lists_builder;

int txs_lists_builder_create(txs_lists_builder **out);
/* Free; accepts NULL. */
void txs_lists_builder_free(txs_lists_builder *b);

/*
 * Read one source into the builder.  The format is detected from the path
 * and the first bytes: a directory or sdn.csv / cons_prim.csv (OFAC, with
 * sibling alt/add/comments files when present), .xml (by its root element:
 * <sdnList> OFAC Sanctions List Service, <data-set> Canada SEMA, else UN;
 * a root none of them has is refused), a .csv whose
 * header is OpenSanctions', EU's or UK's, .json / .jsonl (FollowTheMoney,
 * including delta records {"op":"ADD|MOD|DEL","entity":{...}}).  On a
 * malformed file returns TXS_E_FORMAT (or TXS_E_IO) with d naming the
 * file, line and what is wrong; the builder is then unusable.
 */
int txs_lists_builder_add(txs_lists_builder *b, const char *path, txs_diag *d);

/*
 * Date the sources of list `list` (the id their entities carry: "OFAC-SDN",
 * "UN") whose file states no date of its own: date is "YYYY-MM-DD", as given
 * on `lists compile --date` or taken by `lists update` from the server's
 * Last-Modified.  A date the file states always wins.  Call after the
 * sources are added.  TXS_E_ARG with d saying why for a date that is not
 * YYYY-MM-DD or a list id no source has.
 */
int txs_lists_builder_date(txs_lists_builder *b, const char *list, const char *date,
                           txs_diag *d);

/* Serialise into a malloc'd image (*out, *n; the caller frees *out).  The
 * same sources added in the same order give the same bytes, on any host:
 * a snapshot holds no machine code. */
int txs_lists_builder_image(txs_lists_builder *b, void **out, size_t *n, txs_diag *d);

/* Convenience: read every source and write the snapshot atomically to
 * out_path (an existing file is replaced only on success). */
int txs_lists_compile(const char *const *srcs, size_t nsrcs, const char *out_path,
                      txs_diag *d);
/* A date for the undated sources of one list (txs_lists_builder_date). */
typedef struct txs_lists_date {
    const char *list, *date;
} txs_lists_date;

/* txs_lists_compile, dating the undated sources of each named list. */
int txs_lists_compile_dated(const char *const *srcs, size_t nsrcs,
                            const txs_lists_date *dates, size_t ndates, const char *out_path,
                            txs_diag *d);

/* Days from the date a source states or was given ("YYYY-MM-DD", or an
 * ISO timestamp starting so) to the UTC day of `now` (seconds since the
 * epoch): >= 0, or -1 when the source has no date.  For `lists info`. */
long txs_list_source_age_days(const txs_list_source *s, long long now);

/* -------------------------------------------------------------- run time */

typedef struct txs_lists txs_lists;

/* 1 when path is a snapshot (it starts with the snapshot magic), 0 when it
 * is anything else (a list source) or cannot be read. */
int txs_lists_is_snapshot(const char *path);

/* Read every source and open the result as a snapshot in memory: *image
 * holds its bytes (the caller frees it after txs_lists_free(*out)).  A
 * source that fails stops with d naming its file and line. */
int txs_lists_compile_mem(const char *const *srcs, size_t nsrcs, void **image,
                          txs_lists **out, txs_diag *d);

/* Map a snapshot file.  Validates the header, every section bound and
 * every offset, so accessors need no checks; TXS_E_FORMAT with d filled
 * for a corrupt or foreign file. */
int txs_lists_load(const char *path, txs_lists **out, txs_diag *d);
/* The same over bytes in memory, which are borrowed and must outlive the
 * handle.  The buffer must be 8-byte aligned (malloc'd memory is). */
int txs_lists_open_mem(const void *p, size_t n, txs_lists **out, txs_diag *d);
/* Free (unmaps); accepts NULL. */
void txs_lists_free(txs_lists *l);

/* The file the snapshot was loaded from (txs_lists_load), for messages;
 * "" for an image opened in memory. */
const char *txs_lists_path(const txs_lists *l);
/* xxh3-64 of the whole snapshot: the version to cite in hits/manifests. */
uint64_t txs_lists_hash(const txs_lists *l);
/* Size of the snapshot in bytes, and of its named-section parts. */
size_t txs_lists_size(const txs_lists *l);

size_t txs_lists_count(const txs_lists *l);
/* Entity i (i < count) into *out. */
void txs_lists_entity(const txs_lists *l, size_t i, txs_entity *out);
/* Field j (j < e->nfields) of entity e into *out. */
void txs_lists_field(const txs_lists *l, const txs_entity *e, size_t j, txs_field *out);
/* Find an entity by its source-qualified id; 0 and *index, or
 * TXS_E_NOTFOUND.  Binary search. */
int txs_lists_find(const txs_lists *l, txs_slice id, size_t *index);

/* Entities carrying identifier `value` of kind id_kind (compared after
 * dropping everything but letters and digits, case-insensitively): writes
 * up to cap entity indices, returns how many matched in total.  Hash
 * lookup in the snapshot's xxh3 table; thread-safe, no allocation. */
size_t txs_lists_find_ident(const txs_lists *l, int id_kind, txs_slice value,
                            uint32_t *entities, size_t cap);

size_t txs_lists_nsources(const txs_lists *l);
void txs_lists_source(const txs_lists *l, size_t i, txs_list_source *out);

/* Remark-clause statistics: record i of n, {source, parsed?, kind label,
 * count}.  Kinds are the clause's leading words ("DOB", "Passport", ...). */
size_t txs_lists_nstats(const txs_lists *l);
void txs_lists_stat(const txs_lists *l, size_t i, uint32_t *source, int *parsed,
                    txs_slice *kind, uint32_t *count);

/* The version of the snapshot's name-screening section (normalised name
 * forms and their index), 0 when it has none. */
uint32_t txs_lists_names_version(const txs_lists *l);

/* ------------------------------------------------------------------ diff */

typedef enum txs_diff_op { TXS_DIFF_ADDED, TXS_DIFF_REMOVED, TXS_DIFF_CHANGED } txs_diff_op;

/* One event: an entity added, removed or changed.  For CHANGED, detail is a
 * human-readable, deterministic list of what changed ("name: A -> B; +alias
 * X; -dob 1961"), NUL terminated, valid during the call. */
typedef int (*txs_diff_fn)(void *ctx, txs_diff_op op, txs_slice id, txs_slice name,
                           const char *detail);

typedef struct txs_diff_stats {
    uint64_t added, removed, changed, unchanged;
} txs_diff_stats;

/* Compare two snapshots entity by entity (matched by id), in id order.
 * fn may be NULL (counts only); a negative return from fn stops the diff
 * and is returned. */
int txs_lists_diff(const txs_lists *old_l, const txs_lists *new_l, txs_diff_fn fn,
                   void *ctx, txs_diff_stats *st);

/* The diff as text, appended to out (a txs_buf, emit.h): one line per
 * added or removed entity ("added   ID  NAME"), a changed one with its
 * detail on an indented second line, then "summary: A added, R removed,
 * C changed, U unchanged".  What `lists diff` prints and `lists update`
 * writes beside the snapshot it installs.  TXS_E_NOMEM when out failed
 * to grow. */
struct txs_buf;
int txs_lists_diff_text(const txs_lists *old_l, const txs_lists *new_l, struct txs_buf *out,
                        txs_diff_stats *st);

#endif /* TXS_LISTS_H */
