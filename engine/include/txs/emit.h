/*
 * emit.h: the last stage.  Outputs are written atomically: a named file is
 * written to a temporary beside it and renamed into place only when the run
 * succeeds, so a failed or interrupted run never leaves a half-written file
 * (an existing file of that name stays as it was).  "-" means stdout, which
 * is streamed as it is produced.
 *
 * Alerts and rejects are JSON Lines built into a growable buffer per batch
 * (txs_buf) and handed to a sink in one write; the JSON text is produced by
 * the helpers below so every output escapes strings the same way.  The same
 * buffer, in arena mode, carries the hit evidence the rules and screeners
 * write on the hot path: txs_buf is the engine's one JSON writer.
 *
 * emit/ knows only bytes and files: it includes nothing above the base
 * floor.  The manifest printer takes a plain struct (txs_manifest) that the
 * pipeline fills from the run (txs_screen_manifest_write, screen.h).
 */
#ifndef TXS_EMIT_H
#define TXS_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"

/* --------------------------------------------------------------- buffers */

/* A growable byte buffer.  Zero-initialise ({0}) for a heap buffer (freed
 * by txs_buf_free), or txs_buf_init_arena for one whose bytes live in an
 * arena.  Not thread-safe. */
typedef struct txs_buf {
    char *p;
    size_t n, cap;
    int oom;    /* set when a growth failed; later appends are ignored */
    txs_arena *arena; /* NULL: the heap */
} txs_buf;

/* Start an empty buffer in arena a with room for cap bytes (0: 64); it
 * grows by taking a larger piece of a, never calling malloc itself.  Its
 * bytes live until a is reset; txs_buf_free only forgets them. */
void txs_buf_init_arena(txs_buf *b, txs_arena *a, size_t cap);
/* The bytes written so far as a slice (into the arena for an arena
 * buffer): TXS_OK, or TXS_E_NOMEM (and an empty slice) if a growth failed. */
int txs_buf_done(const txs_buf *b, txs_slice *out);

void txs_buf_put(txs_buf *b, const void *p, size_t n);
void txs_buf_puts(txs_buf *b, const char *s);
void txs_buf_putc(txs_buf *b, char c);
/* A whole number in decimal, as printf's "%lld" (txs_buf_dec) or "%llu"
 * (txs_buf_udec) writes it, without printf: the alert line writes a few
 * per alert. */
void txs_buf_dec(txs_buf *b, int64_t v);
void txs_buf_udec(txs_buf *b, uint64_t v);
void txs_buf_printf(txs_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A JSON string literal, quotes included.  Control characters are escaped;
 * bytes that are not valid UTF-8 are written as the six characters \\xNN
 * (a visible backslash, so the output stays valid JSON and the byte value
 * stays readable). */
void txs_buf_json_str(txs_buf *b, const char *p, size_t n);
/* A NUL-terminated string quoted and escaped; NULL writes null. */
void txs_buf_json_cstr(txs_buf *b, const char *s);
/* ,"key": (the comma unless first); keys are trusted literals. */
void txs_buf_json_key(txs_buf *b, const char *key, int first);
/* A number with up to 4 decimals, trailing zeros trimmed ("1", "0.35"). */
void txs_buf_json_num(txs_buf *b, double v);
/* v with dec decimals (0..4), exactly as printf's "%.*f" writes it (the
 * exact binary value rounded half to even; "-0.00" for a negative value
 * that rounds to zero), into out (TXS_FMT_FIXED_MAX bytes), NUL-terminated;
 * returns the length.  No printf on the way (emit/fixed.c). */
#define TXS_FMT_FIXED_MAX 352
size_t txs_fmt_fixed(char *out, double v, int dec);
/* v in decimal, as printf's "%llu" writes it, into out (TXS_FMT_U64_MAX
 * bytes, no NUL); returns the length (emit/fixed.c). */
#define TXS_FMT_U64_MAX 20
size_t txs_fmt_u64(char *out, uint64_t v);
/* Free a heap buffer's bytes (an arena buffer's are only forgotten) and
 * leave b empty; b may then be used again as a heap buffer. */
void txs_buf_free(txs_buf *b);
/* One reject line (docs/outputs.md "Rejects"): {"file","line","offset",
 * "reason","excerpt"} and a newline; the excerpt is raw's first
 * TXS_EXCERPT_BYTES bytes, cut back to a character start. */
void txs_buf_reject(txs_buf *b, const char *file, uint64_t line, uint64_t offset,
                    const char *why, txs_slice raw);

/* -------------------------------------------------------------- manifest
 *
 * The run manifest (docs/outputs.md "Manifest") as plain figures: the
 * pipeline fills one from the screener, its lists, rules and state
 * (txs_screen_manifest_write), and emit/manifest.c prints it.  Every
 * pointer is borrowed for the call.  Optional blocks print only when set,
 * so a run without lists, rules or state prints as before. */
typedef struct txs_manifest_input {
    const char *file, *encoding;
    uint64_t bytes, xxh3, read, rejected;
} txs_manifest_input;

typedef struct txs_manifest_list_source {
    txs_slice file, list, date;     /* date.n == 0: null */
    uint8_t sha256[32];
    uint64_t bytes;
    uint32_t entities;
} txs_manifest_list_source;

typedef struct txs_manifest_list {
    const char *path;
    uint64_t xxh3, bytes, entities;
    const txs_manifest_list_source *sources;
    size_t nsources;
} txs_manifest_list;

typedef struct txs_manifest_state {
    uint64_t loaded, loaded_accounts, rules_changed, accounts, events, bytes;
    uint64_t late_events, expired_events, truncated_events, unconverted_amounts;
    uint64_t self_transfers;
} txs_manifest_state;

typedef struct txs_manifest {
    const char *command, *profile;
    const txs_manifest_input *inputs;
    size_t ninputs;
    /* the rule set; has_rules == 0 prints "rules": null */
    int has_rules;
    const char *rules_spec, *rules_name, *rules_version;
    uint64_t rules_xxh3, rules_count;
    /* sanctions snapshots (nlists == 0: none, and no sanctions figures) */
    const txs_manifest_list *lists;
    size_t nlists;
    double sanctions_threshold;
    const char *good_guys;          /* NULL: no good-guy list */
    const char *alerts_path, *rejects_path;
    /* has_digests: the bytes and XXH3-64 of the alerts (and of the rejects
     * when rejects_path is set) as written, so merge can prove it reads
     * the very files this run published */
    int has_digests;
    uint64_t alerts_bytes, alerts_xxh3, rejects_bytes, rejects_xxh3;
    /* counts: read = screened + rejected */
    uint64_t read, screened, rejected, alerts, hits, hits_dropped;
    uint64_t sanctions_hits, sanctions_txns, sanctions_alerts, sanctions_suppressed;
    uint64_t late_records, shard_foreign, txns_hit_below_band;
    uint64_t alerts_block, alerts_review, alerts_edd;
    const txs_manifest_state *state; /* NULL: no stateful rules */
    /* alerts by rule: rule_ids[i] and alerts_by_rule[i], i < nrules */
    const char *const *rule_ids;
    const uint64_t *alerts_by_rule;
    size_t nrules;
    /* timing: the run-dependent lines */
    const char *started_utc;
    double wall_seconds;
    uint64_t plain_bytes;           /* for mb_per_second */
    unsigned threads;               /* workers; 0: not printed (merge) */
} txs_manifest;

/* Print m as pretty-printed JSON into b.  The run-dependent keys
 * (threads, started_utc, wall_seconds, records_per_second, mb_per_second) sit on
 * their own lines under "timing", so tools can compare two manifests with
 * those lines removed.  Failure to grow shows as b->oom. */
void txs_manifest_print(txs_buf *b, const txs_manifest *m);

/* --------------------------------------------------------------- outputs */

typedef struct txs_out txs_out;

/* Open an output: "-" is stdout; any other path is written to a temporary
 * file in the same directory until txs_out_commit().  d names the path on
 * failure. */
int txs_out_open(const char *path, txs_out **out, txs_diag *d);
/* Create and open a new temporary for target: "<dir>/.<base>.tmp.XXXXXX"
 * (mkstemp, 0600), the one name every temporary beside an output has, so
 * txs_commit_sweep finds what a killed run left.  Returns the descriptor,
 * or -1 with errno set (ENAMETOOLONG when tmp's cap is too small). */
int txs_out_mktemp(const char *target, char *tmp, size_t cap);
/* Append bytes (buffered).  TXS_E_OUTPUT on failure, with d filled. */
int txs_out_write(txs_out *o, const void *p, size_t n, txs_diag *d);
/* Append the n bytes p, which are also the bytes at offset off of the
 * regular file fd (open for reading, borrowed): the kernel copies them from
 * fd when it can (copy_file_range), else they are written from p; the
 * digest covers them either way.  fd -1: as txs_out_write.  The caller
 * promises that fd's bytes there are p's (a file only ever replaced by
 * rename, never written in place).  TXS_E_OUTPUT on failure. */
int txs_out_copy(txs_out *o, const void *p, size_t n, int fd, uint64_t off, txs_diag *d);
/* Flush, fsync and rename into place; frees o.  On failure the temporary is
 * removed and d says why. */
int txs_out_commit(txs_out *o, txs_diag *d);
/* Remove the temporary and free; accepts NULL. */
void txs_out_abort(txs_out *o);
/* The path as given. */
const char *txs_out_path(const txs_out *o);
/* Flush, fsync and close, keeping the temporary for a txs_commit to
 * publish; a stream (stdout, a device) is only flushed. */
int txs_out_finish(txs_out *o, txs_diag *d);
/* The temporary's path; NULL for a stream. */
const char *txs_out_tmp_path(const txs_out *o);
/* Free o without removing its temporary (published by a commit). */
void txs_out_forget(txs_out *o);
/* Bytes written so far and their XXH3-64 (flushes first). */
int txs_out_digest(txs_out *o, uint64_t *bytes, uint64_t *xxh3, txs_diag *d);

/* ---------------------------------------------------------------- commit
 *
 * One commit for a run's outputs (engine/src/emit/commit.c, docs/operations.md
 * "How a run publishes its outputs"): every output complete in its
 * temporary, then a commit record beside the first target, then the
 * renames in order, then the record removed.  A failure before the record
 * publishes nothing; after it, recovery rolls the set forward. */
typedef struct txs_commit txs_commit;

/* ".NAME.commit" beside target (malloc'd; NULL when out of memory). */
char *txs_commit_record_path(const char *target);
/* A commit whose record sits beside first_target. */
int txs_commit_create(const char *first_target, txs_commit **c, txs_diag *d);
/* Add an output, in publication order; c owns o from here (NULL is skipped). */
int txs_commit_add(txs_commit *c, txs_out *o, txs_diag *d);
/* Add a finished temporary file made by the caller, renamed over target. */
int txs_commit_add_file(txs_commit *c, const char *tmp, const char *target, txs_diag *d);
/* Publish and free c.  TXS_E_OUTPUT (or NOMEM): nothing was published and
 * the temporaries are gone.  TXS_E_PUBLISH: the record was written but a
 * rename failed; the record stays for txs_commit_recover. */
int txs_commit_publish(txs_commit *c, txs_diag *d);
/* Remove every temporary and free c; accepts NULL. */
void txs_commit_abort(txs_commit *c);
/* Finish a commit left by an interrupted run whose first target is
 * first_target; *recovered says whether there was one.  TXS_E_CONFIG for a
 * damaged record (left in place). */
int txs_commit_recover(const char *first_target, int *recovered, txs_diag *d);
/* Remove the temporaries a killed run left beside target; how many. */
size_t txs_commit_sweep(const char *target);

#endif /* TXS_EMIT_H */
