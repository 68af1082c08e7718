/*
 * input.h: the first stage.  Bytes come from a source (a file, stdin, or a
 * caller-supplied read function), are decompressed when the first bytes are
 * a gzip or zstd magic number, and are framed into records by a reader.
 *
 *   txs_source (raw bytes -> plain bytes, xxh3 of the raw bytes)
 *        |
 *   txs_reader (plain bytes -> batch of records, each a list of fields)
 *
 * Memory is bounded: a reader holds one buffer of TXS_READ_CHUNK +
 * TXS_MAX_RECORD bytes plus one batch, whatever the size of the input.
 * Framing depends only on the bytes, never on how reads were chunked: the
 * same input read 1 byte at a time gives the same records.
 *
 * CSV follows RFC 4180 with the usual extensions: a UTF-8 BOM is skipped, CRLF
 * and LF both end records, the delimiter is configurable (, ; | TAB), quoted
 * fields may hold delimiters, doubled quotes and newlines.  JSON Lines: one
 * JSON object per line; its values are looked up by key.
 */
#ifndef TXS_INPUT_H
#define TXS_INPUT_H

#include <stdint.h>
#include <sys/types.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/limits.h"

/* ------------------------------------------------------------------ sources */

typedef struct txs_source txs_source;

/* A caller-supplied byte producer: fill up to cap bytes, return the count,
 * 0 at end of input, or -1 with errno set on error.  Used by tests to feed
 * odd chunkings, and by callers embedding the engine. */
typedef ssize_t (*txs_read_fn)(void *ctx, void *buf, size_t cap);

/* Open a file ("-" means stdin; the pipe is grown to 1 MiB when it is one).
 * *out owns the descriptor.  On failure d names the file and errno text. */
int txs_source_open_path(const char *path, txs_source **out, txs_diag *d);
/* Wrap a read function; name is copied and used in rejects and manifest. */
int txs_source_open_fn(txs_read_fn fn, void *ctx, const char *name,
                       txs_source **out);
/* Read up to cap plain (decompressed) bytes.  Returns the count, 0 at end, or
 * a negative status (TXS_E_IO, TXS_E_DECOMPRESS) with a message kept in the
 * source (txs_source_error). */
ssize_t txs_source_read(txs_source *s, void *buf, size_t cap);
/* The source's display name ("-" shows as "<stdin>"). */
const char *txs_source_name(const txs_source *s);
/* "plain", "gzip" or "zstd": known after the first read. */
const char *txs_source_encoding(const txs_source *s);
/* Raw bytes consumed so far and the xxh3-64 of them (final after end).
 * txs_source_raw_bytes may be called from any thread while another reads
 * the source (a progress display): it is the one call that is. */
uint64_t txs_source_raw_bytes(const txs_source *s);
uint64_t txs_source_raw_hash(const txs_source *s);
/* Text of the last error, or "" if none. */
const char *txs_source_error(const txs_source *s);
/* Close and free; accepts NULL. */
void txs_source_free(txs_source *s);

/* ------------------------------------------------------------------ readers */

typedef enum txs_format { TXS_FMT_CSV = 0, TXS_FMT_JSONL = 1 } txs_format;

typedef struct txs_reader_opts {
    txs_format format;
    char delimiter;        /* CSV: ',' ';' '|' or '\t' */
    char quote;            /* CSV: normally '"' */
    int header;            /* CSV: first record of each source is a header */
    /* JSONL: the keys to extract, in field order.  A record's field i is the
     * value of keys[i] (strings unescaped, numbers as written, true/false as
     * written, null and missing keys as an absent field).  The array and its
     * strings must outlive the reader. */
    const char *const *keys;
    size_t nkeys;
    /* Records per batch at most: 0 (or more) is TXS_BATCH_RECORDS.  A
     * screener on one thread asks for TXS_BATCH_RECORDS_ONE (limits.h). */
    size_t batch_records;
} txs_reader_opts;

/* Why a record could not be framed.  Parse errors (bad amount ...) come later
 * and use their own reasons; these are the reader's. */
typedef enum txs_frame_error {
    TXS_FRAME_OK = 0,
    TXS_FRAME_UNTERMINATED_QUOTE, /* open quote at end of input or record */
    TXS_FRAME_BAD_QUOTE,          /* text after a closing quote: "ab"c */
    TXS_FRAME_TOO_LONG,           /* longer than TXS_MAX_RECORD */
    TXS_FRAME_TOO_MANY_FIELDS,    /* more than TXS_MAX_FIELDS */
    TXS_FRAME_NUL,                /* a NUL byte */
    TXS_FRAME_UTF8,               /* invalid UTF-8 */
    TXS_FRAME_COLUMNS,            /* CSV: field count differs from header */
    TXS_FRAME_JSON                /* JSONL: not one valid JSON object */
} txs_frame_error;

/* One record.  raw, fields and detail point into the reader's buffer or the
 * batch arena: valid until the next txs_reader_next() on the same reader. */
typedef struct txs_record {
    txs_slice raw;          /* the record's bytes, without its line end */
    uint64_t line;          /* 1-based physical line where it starts */
    uint64_t offset;        /* byte offset of its start in the plain stream */
    txs_frame_error error;  /* TXS_FRAME_OK or why it was rejected */
    const char *detail;     /* NUL-terminated reason text when error != OK */
    uint32_t nfields;       /* CSV: fields found; JSONL: nkeys; 0 if rejected */
    txs_slice *fields;      /* field values; an absent JSON key is {NULL,0};
                               NULL when the record is rejected */
} txs_record;

/* A batch: up to TXS_BATCH_RECORDS records from one source.  The arena holds
 * unescaped field values and details; it is reset by the next call.  The
 * other members serve detached batches (txs_reader_next_detached) and are
 * managed by the reader. */
typedef struct txs_batch {
    txs_record *rec;
    size_t n;
    txs_arena arena;
    txs_slice *pool;         /* detached: the batch's own field slices */
    char *copy;              /* detached: the bytes its records borrow */
    size_t copy_cap;
    uintptr_t moved_lo, moved_hi; /* reader-buffer range copied, until
                                     txs_batch_rebase (0, 0: none) */
} txs_batch;

typedef struct txs_reader txs_reader;

/* Create a reader.  opts is copied (keys are borrowed, see above). */
int txs_reader_create(const txs_reader_opts *opts, txs_reader **out);
/* Start reading source s (borrowed until the next attach or free): resets the
 * line and offset counters, skips a BOM, and for CSV with header=1 reads the
 * header row.  Returns 0, or a negative status for an I/O error or a source
 * with a header that cannot be framed (an empty source is fine: no header). */
int txs_reader_attach(txs_reader *r, txs_source *s);
/* The header row of the current source (CSV with header=1); n=0 if none.
 * Valid until the next attach. */
const txs_slice *txs_reader_header(const txs_reader *r, size_t *n);
/* Fill b with the next records of the current source.  Returns the number of
 * records (>0), 0 at the end of the source, or a negative status on an I/O or
 * decompression error.  Records with error != OK are still returned (and
 * count): the caller sends them to the rejects stream. */
int txs_reader_next(txs_reader *r, txs_batch *b);
/*
 * Threads: as txs_reader_next, but the batch owns what its records borrow,
 * so the reader can frame the next batch into another txs_batch while this
 * one is parsed elsewhere.  The field slices go to the batch's own pool and
 * the span of the reader's buffer that the records use is copied into the
 * batch (one memcpy, about the batch's bytes; storage is kept and reused, so
 * a steady run allocates nothing).  The record pointers still name the
 * reader's buffer until txs_batch_rebase(b) moves them to the copy: call it
 * before reading the records, on any thread (it touches only b).
 */
int txs_reader_next_detached(txs_reader *r, txs_batch *b);
/* Point a detached batch's records at its copy (no-op when done already). */
void txs_batch_rebase(txs_batch *b);
/* Text of the last attach or next failure ("FILE:LINE: bad header: ...",
 * the source's error), or "" if none.  Valid until the next call. */
const char *txs_reader_error(const txs_reader *r);
/* Free; accepts NULL. */
void txs_reader_free(txs_reader *r);
/* Frame with the portable byte-at-a-time scanner (on=1) or go back to the
 * best one this CPU has (on=0).  Both give the same records; tests and
 * benchmarks compare them. */
void txs_reader_force_scalar(txs_reader *r, int on);

/* Batch storage: init before first use, free at the end. */
void txs_batch_init(txs_batch *b);
void txs_batch_free(txs_batch *b);

#endif /* TXS_INPUT_H */
