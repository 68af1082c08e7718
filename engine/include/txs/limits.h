/*
 * limits.h: every size limit the engine enforces on untrusted input, in one
 * place (as SQLite's sqliteLimit.h).  A record or field beyond a limit is
 * rejected with a reason; the run goes on.
 */
#ifndef TXS_LIMITS_H
#define TXS_LIMITS_H

/* Longest record, in bytes, including quotes and the line end.  A longer
 * record is rejected ("record longer than ... bytes") and reading resumes at
 * the first newline after its start. */
#define TXS_MAX_RECORD (256u * 1024u)

/* Most fields (CSV columns or JSON keys) in one record. */
#define TXS_MAX_FIELDS 128u

/* Bytes read from a source per refill.  The reader's buffer is this plus
 * TXS_MAX_RECORD so that a partial record always fits beside a fresh read. */
#define TXS_READ_CHUNK (1024u * 1024u)

/* Records handed from input to parse in one batch. */
#define TXS_BATCH_RECORDS 4096u

/* The same when one thread does all the work (no hand-off between threads
 * to spread over many records): a batch's records, field slices and
 * results (about 880 bytes a record of 16 fields) then stay near 450 KB,
 * the size of a core's L2, instead of 3.5 MB passing through the caches
 * and pushing the list snapshot's index and the name cache out of them
 * (docs/benchmarks.md "Memory, not instructions").  With threads the
 * larger batch is faster: 512 slowed a two-thread run by 5-11%. */
#define TXS_BATCH_RECORDS_ONE 512u

/* Bytes of a rejected record quoted in the rejects stream. */
#define TXS_EXCERPT_BYTES 120u

/* Longest rule-set, profile or country-list file accepted, in bytes. */
#define TXS_MAX_CONFIG_FILE (16u * 1024u * 1024u)

#endif /* TXS_LIMITS_H */
