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

/* Bytes of a rejected record quoted in the rejects stream. */
#define TXS_EXCERPT_BYTES 120u

/* Longest rule-set, profile or country-list file accepted, in bytes. */
#define TXS_MAX_CONFIG_FILE (16u * 1024u * 1024u)

#endif /* TXS_LIMITS_H */
