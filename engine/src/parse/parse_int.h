/*
 * parse_int.h: private to the engine.  The loaded profile and the bound
 * form the hot path reads, shared by profile.c (load + bind, build time) and
 * parse.c (txs_parse_record, per record).
 *
 *   profile: fields[16] (what the YAML says, names as text, maps sorted)
 *      | bind(header)            all names become field positions here
 *   binding: slots[16] {how: COL | JOIN | CONST | LINE | NONE, pos, ...}
 *
 * Everything a record needs is resolved at bind time: column positions,
 * map values (already channel / currency / country codes where the field is
 * typed), the timestamp layout and default offset.  The binding is
 * immutable after bind, so workers may share it.
 */
#ifndef TXS_PARSE_INT_H
#define TXS_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/regex.h"
#include "txs/txn.h"
#include "yaml_int.h"

/* The canonical fields, in txn.h order (the native header). */
typedef enum txs_pfield_id {
    TXS_F_TXN_ID = 0,
    TXS_F_TIMESTAMP,
    TXS_F_AMOUNT,
    TXS_F_CURRENCY,
    TXS_F_CHANNEL,
    TXS_F_ORIG_ACCOUNT,
    TXS_F_ORIG_NAME,
    TXS_F_ORIG_COUNTRY,
    TXS_F_ORIG_BANK,
    TXS_F_ORIG_ADDRESS,
    TXS_F_BENE_ACCOUNT,
    TXS_F_BENE_NAME,
    TXS_F_BENE_COUNTRY,
    TXS_F_BENE_BANK,
    TXS_F_BENE_ADDRESS,
    TXS_F_PURPOSE,
    TXS_F_COUNT
} txs_pfield_id;

/* Canonical name of field i ("txn_id" ...). */
extern const char *const txs__pfield_names[TXS_F_COUNT + 1];

/* Where a field's value comes from. */
typedef enum txs_psrc {
    TXS_SRC_NONE = 0, /* not mapped: empty */
    TXS_SRC_COLUMN,   /* column: / key: NAME (+ occurrence) */
    TXS_SRC_INDEX,    /* index: N (0-based, CSV) */
    TXS_SRC_COLUMNS,  /* columns: [A, B] joined by join: */
    TXS_SRC_VALUE,    /* value: CONST */
    TXS_SRC_LINE      /* generate: line */
} txs_psrc;

/* One map entry, from -> to.  For typed fields `to` was resolved at load
 * into ival: a channel, a currency index, or a country packed as c0<<8|c1. */
typedef struct txs_pmap_entry {
    txs_slice from;
    txs_slice to;
    int ival;
} txs_pmap_entry;

/* What to do with a value the map lacks. */
typedef enum txs_punmapped {
    TXS_UNMAPPED_REJECT = 0,
    TXS_UNMAPPED_DEFAULT, /* use default: */
    TXS_UNMAPPED_KEEP     /* interpret the value as written */
} txs_punmapped;

/* A field as the profile declares it (strings borrow from the YAML doc). */
typedef struct txs_pfield {
    txs_psrc src;
    unsigned long line;      /* the field's line in the profile */
    const char *label;       /* for reasons: the column, "#3", "Date+Time" */
    const char **names;      /* COLUMN: names[0]; COLUMNS: nnames names */
    size_t nnames;
    unsigned occurrence;     /* COLUMN: 1-based among equal header names */
    uint32_t index;          /* INDEX */
    txs_slice join;          /* COLUMNS: separator */
    txs_slice value;         /* VALUE */
    int required;            /* an empty value rejects the record */
    const char *layout;      /* TIMESTAMP: strftime-like, NULL for ISO */
    txs_pmap_entry *map;     /* sorted by from (bytes, then length) */
    size_t nmap;
    txs_punmapped unmapped;
    int has_default;
    txs_pmap_entry dflt;     /* from unused; to/ival as in map entries */
    const txs_regex *pattern;     /* pattern: NAME, or NULL; owned by the profile */
    const char *pattern_name;
} txs_pfield;

/* How amounts with more decimals than their currency are treated. */
typedef enum txs_pround { TXS_ROUND_REJECT = 0, TXS_ROUND_HALF_EVEN = 1 } txs_pround;

struct txs_profile {
    txs_ydoc *doc;           /* owns the strings fields borrow */
    txs_arena arena;         /* owns maps, name arrays, keys */
    const char *name;
    const char *file;        /* doc->file, for diagnostics */
    txs_format format;
    char delimiter, quote;
    int header;
    char decimal, group;     /* group 0: none */
    txs_pround rounding;
    int tz_offset_min;       /* default offset for timestamps without one */
    txs_pfield f[TXS_F_COUNT];
    /* patterns: name -> PCRE2 pattern (JIT-compiled), in file order. */
    const char **pat_names;
    txs_regex **pats;
    size_t npats;
    /* JSONL keys: every distinct name the fields use, in field order. */
    const char **keys;
    size_t nkeys;
};

/* A field as the hot path reads it. */
typedef struct txs_bslot {
    txs_psrc src;            /* COLUMN/INDEX both become COLUMN */
    uint32_t pos;            /* COLUMN: record field index */
    const uint32_t *poss;    /* COLUMNS: npos positions */
    uint32_t npos;
    const txs_pfield *spec;
    /* COLUMN with no map or default: the value is the field itself, so the
     * per-record path takes it without the general steps (an empty value of
     * a required field still goes the general way, which rejects it). */
    int plain;
    int required;
} txs_bslot;

struct txs_binding {
    const txs_profile *p;
    txs_format fmt;
    uint32_t need;           /* fewest fields a record must have */
    int no_header;           /* CSV expected a header and the source had none */
    const char *noun;        /* "column" or "key", for reasons */
    uint32_t file_index;
    char *id_prefix;         /* "<source basename>:" for generate: line */
    size_t id_prefix_len;
    txs_bslot s[TXS_F_COUNT];
    uint32_t *pos_store;     /* backing store of the COLUMNS positions */
    /* Text fields split for the per-record path: `copy` are plain and not
     * required, so they are copied straight from the record into the txn
     * at byte offset `off`; `other` go through the general steps. */
    struct txs_btext { uint32_t pos, off; int id; } copy[TXS_F_COUNT], other[TXS_F_COUNT];
    uint32_t ncopy, nother;
};

/* Look a value up in a field's sorted map; NULL when absent. */
const txs_pmap_entry *txs__pmap_find(const txs_pfield *f, const char *p, size_t n);

#endif /* TXS_PARSE_INT_H */
