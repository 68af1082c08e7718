/*
 * parse.h: the second stage.  A profile (YAML) says how an export's columns
 * map onto the canonical transaction (txn.h) and how its values are written
 * (timestamp layout, currency names, channel words, decimal separator).  A
 * binding resolves a profile against one source's header; parsing a record
 * then costs no name look-ups.
 *
 *   profile (YAML, loaded once) --bind(header)--> binding (per source)
 *   record (fields) --txs_parse_record(binding)--> txs_txn or a reason
 *
 * Built-in profiles: "native" (CSV and JSONL), "amlworld" (IBM AML-Data
 * *_Trans.csv), "saml-d".  Their YAML lives in engine/profiles/ and is
 * embedded in the library; a user profile is any file of the same form
 * (docs/formats.md).
 */
#ifndef TXS_PARSE_H
#define TXS_PARSE_H

#include <stddef.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/input.h"
#include "txs/txn.h"

typedef struct txs_profile txs_profile;
typedef struct txs_binding txs_binding;

/* Load a profile: spec is a built-in name ("native", "amlworld", "saml-d")
 * or a path to a YAML file.  On error d holds file, line and message: a
 * file that cannot be opened, read or parsed is TXS_E_CONFIG (an unknown
 * bare word lists the built-in names); else TXS_E_NOMEM. */
int txs_profile_load(const char *spec, txs_profile **out, txs_diag *d);
/* Free; accepts NULL. */
void txs_profile_free(txs_profile *p);
/* The profile's name (its `profile:` key). */
const char *txs_profile_name(const txs_profile *p);
/* The format the profile declares (CSV unless it says jsonl). */
txs_format txs_profile_format(const txs_profile *p);
/* The format to read a source named name with: forced when it is >= 0,
 * else JSONL for a .jsonl or .ndjson name (before any .gz / .zst / .zstd),
 * else the profile's.  One rule for screen, split and eval. */
txs_format txs_profile_format_for(const txs_profile *p, int forced, const char *name);
/* Reader options for reading this profile's data in format fmt.  For JSONL
 * the keys array points into the profile (valid while it lives). */
int txs_profile_reader_opts(const txs_profile *p, txs_format fmt,
                            txs_reader_opts *out);

/* Resolve the profile against one source.  hdr/nhdr is the CSV header row
 * (NULL/0 for JSONL or a header-less CSV, where columns are positional).
 * source_name is copied (used for generated txn ids).  On error (a mapped
 * column missing from the header) d says which. */
int txs_profile_bind(const txs_profile *p, txs_format fmt,
                     const txs_slice *hdr, size_t nhdr,
                     const char *source_name, uint32_t file_index,
                     txs_binding **out, txs_diag *d);
/* Free; accepts NULL. */
void txs_binding_free(txs_binding *b);

/* Map one framed record (rec->error == TXS_FRAME_OK) to a transaction.
 * String fields borrow from rec or are built in a (the batch arena).
 * Returns 0, or TXS_E_FORMAT with a one-line reason in why[cap] such as
 * "bad amount in column 'amount': '12,3' (not a number)".  Hot path: no
 * allocation outside a, thread-safe for distinct outputs. */
int txs_parse_record(const txs_binding *b, const txs_record *rec,
                     txs_arena *a, txs_txn *out, char *why, size_t cap);

#endif /* TXS_PARSE_H */
