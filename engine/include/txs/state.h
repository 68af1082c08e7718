/*
 * state.h: per-account state for the stateful rule kinds (structuring,
 * pass-through, fan-in/out, gather-scatter, round amounts, history kinds,
 * cycles, scatter-gather), and its persistence across runs (--state).
 *
 *   txn --> orig account: out event --\
 *       \-> bene account: in event  ---+--> account-scope rules (per account)
 *                                       \--> graph-scope rules (both accounts)
 *
 * Time is event time (the txn's timestamp).  Input may be unsorted within
 * a bounded lateness: a record whose time is more than max_lateness before
 * the latest event already seen on an account is late for that account; it
 * is still screened (sanctions, stateless rules) but does not enter that
 * account's windows, and it is counted (txs_state_stats.late_*).  Lateness
 * is judged per account, so the result does not depend on how other
 * accounts' records interleave (threads, shards).
 *
 * Sharding (`screen --shard K/N`, shard.h): only accounts of shard K are
 * kept and judged, and graph-scope rules, rules that link accounts by a
 * person's name and rules that read the run-wide clock (new_account: "data
 * began 30 days ago") are skipped; `--shard graph` is the complement: every
 * account's events are kept but only those rules are judged.  Merging the
 * N + 1 outputs gives the single-process result.
 *
 * Partitions (the threads pipeline, `--threads N`): a state created with
 * opts.parts = P >= 2 holds P account partitions and a link table.  An
 * account, or a person's name for the rules that link accounts by name,
 * lives in exactly one partition, chosen by its identity hash, and every
 * account-scope rule about it is judged there.  Every partition sees every
 * record in input order (txs_state_eval_part), so P threads can judge one
 * batch at once, each touching only its own accounts.  The graph kinds
 * read one account and write the other's flow lists: the partition owning
 * the payer hands what they read of it forward in a txs_state_link, and
 * txs_state_eval_link then judges them in input order against the link
 * table (flow lists only).  Alerts, the --state file and the statistics
 * are the same as with one table, whatever P is.
 *
 * Not thread-safe, except that distinct partitions of one state may be fed
 * concurrently.
 */
#ifndef TXS_STATE_H
#define TXS_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/emit.h"
#include "txs/rules.h"
#include "txs/txn.h"

/* Default --max-lateness: 24 hours, so a day's export may list an account's
 * transactions in any order within the day (docs/rules.md "Time"). */
#define TXS_STATE_LATENESS_DEFAULT 86400

/* Most partitions of one state. */
#define TXS_STATE_PARTS_MAX 64u

typedef struct txs_state txs_state;

typedef enum txs_state_mode {
    TXS_STATE_ALL = 0,   /* every rule, every account */
    TXS_STATE_SHARD,     /* account-scope rules for shard_k's accounts */
    TXS_STATE_GRAPH      /* graph-scope and name-linked rules only */
} txs_state_mode;

typedef struct txs_state_opts {
    int64_t max_lateness;   /* seconds >= 0; see above */
    int mode;               /* txs_state_mode */
    uint32_t shard_k, shard_n;
    unsigned parts;         /* >= 2: partitioned (above), mode ALL only;
                               at most TXS_STATE_PARTS_MAX */
    int64_t cp_retention;   /* seconds a counterparty is kept after it was
                               last seen; 0: TXS_STATE_CP_RETENTION */
    int counterparties;     /* 1: keep them (mode ALL; "Counterparties") */
} txs_state_opts;

typedef struct txs_state_stats {
    uint64_t accounts;        /* accounts (and linked persons) held */
    uint64_t events;          /* events held in windows now */
    uint64_t late_records;    /* records late for at least one account */
    uint64_t late_events;     /* account sides skipped as late */
    uint64_t expired;         /* events dropped after their horizon */
    uint64_t truncated;       /* events dropped because an account held
                                 more than TXS_EV_MAX within the horizon */
    uint64_t unconverted;     /* events without a base amount (no FX rate) */
    uint64_t self_transfers;  /* orig account = bene account: not fed */
    uint64_t bytes;           /* heap bytes the state holds: per account
                                 its record, its table slots at the load
                                 factor of 1/2, its events and flow lists;
                                 counted so, it does not depend on the
                                 partitions (the link table adds its own
                                 record per account in a flow) */
    int64_t observed_since;   /* first day of data (UTC midnight), 0: none */
    int64_t max_ts;           /* latest event time seen */
    int loaded;               /* 1: state came from a --state file */
    int rules_changed;        /* 1: loaded state was written under another
                                 rule set (episode marks were cleared) */
    uint64_t loaded_accounts;
    uint64_t counterparties;  /* distinct counterparties held (mode ALL) */
    uint64_t cp_bytes;        /* heap bytes of the counterparty register */
} txs_state_stats;

/* Create an empty state for rs's stateful rules (rs outlives it). */
int txs_state_create(const txs_ruleset *rs, const txs_state_opts *o, txs_state **out);
void txs_state_free(txs_state *s);

/* 1 when rs has any enabled stateful rule. */
int txs_ruleset_stateful(const txs_ruleset *rs);

/*
 * Feed t to a single-table state and judge the stateful rules, appending hits to
 * out[*n .. cap) with evidence in a (the batch arena).  Hits come in rule
 * order, the originator's account before the beneficiary's.  *late (may be
 * NULL) is set to 1 when t was late for an account.  Returns 0 or
 * TXS_E_NOMEM.
 */
int txs_state_eval(txs_state *s, const txs_txn *t, txs_arena *a, txs_hit *out, size_t cap,
                   size_t *n, size_t *dropped, int *late);

/*
 * Load a state file written by txs_state_save (versioned, checksummed).  A
 * missing file is not an error (a first run): returns 0 with nothing
 * loaded.  A corrupt or foreign file stops with TXS_E_FORMAT and d saying
 * what is wrong.  Must be called before the first txs_state_eval.
 */
int txs_state_load(txs_state *s, const char *path, txs_diag *d);
/*
 * Load what look-back screening reads and writes (the inputs, lists,
 * counterparties and open cases) and none of the accounts: their records
 * stay mapped, checksummed with the whole file, and txs_state_write copies
 * them back unchanged under the rule-set hash they were written with.  For
 * `rescreen`; such a state must not be fed transactions.  s must be a
 * fresh single-table state (else TXS_E_ARG); errors as txs_state_load.
 */
int txs_state_load_lookback(txs_state *s, const char *path, txs_diag *d);
/* Save atomically (temporary file, fsync, rename): all or nothing.  The
 * file it replaces is kept as PATH.prev (the state before this run), which
 * `screen --reprocess` loads to redo the last run. */
int txs_state_save(txs_state *s, const char *path, txs_diag *d);
/* The same; keep 0 leaves PATH.prev as it is (a --reprocess run, whose
 * PATH.prev is already the state before the run it redoes). */
int txs_state_save_as(txs_state *s, const char *path, int keep, txs_diag *d);
/* The state file's bytes into o, not committed: a run publishes it with
 * its other outputs (emit.h "Commit"). */
int txs_state_write(txs_state *s, txs_out *o, txs_diag *d);
/* Link the current file at path (or make an empty one before a first run)
 * under a temporary name beside path.prev (txs_out_mktemp), written into
 * tmp: the run's commit renames it to path.prev. */
int txs_state_prev_prepare(const char *path, char *tmp, size_t cap, txs_diag *d);

const txs_state_stats *txs_state_get_stats(txs_state *s);

/* ------------------------------------------------------------ inputs */

/*
 * Inputs.  A state remembers which inputs it has absorbed, by the xxh3-64
 * of their raw bytes and their size (the manifest's figures), the last
 * TXS_STATE_INPUTS_MAX of them, so that the same export fed twice is caught
 * before its transactions are counted twice (docs/rules.md "State across
 * runs").  The list is saved with the state (file version 3; a version 2
 * file loads with an empty list).
 */
#define TXS_STATE_INPUTS_MAX 4096u

typedef struct txs_state_input {
    uint64_t xxh3;    /* of the raw (compressed, as read) bytes */
    uint64_t bytes;   /* raw bytes */
    uint64_t records; /* records read from it */
} txs_state_input;

/*
 * Record the n inputs of a run as absorbed, or, when the state has already
 * absorbed one of them, record none and return TXS_E_ARG with d naming it
 * (names[i], state_path) and how to redo a run (--reprocess).  Call after
 * the inputs were read (their hashes are known) and before saving.
 */
int txs_state_absorb(txs_state *s, const txs_state_input *in, size_t n, const char *const *names,
                     const char *state_path, txs_diag *d);
/* 1 when s has absorbed an input with this hash and size. */
int txs_state_has_input(const txs_state *s, uint64_t xxh3, uint64_t bytes);
/* Record an input as absorbed (kept by the next txs_state_save).  0 or
 * TXS_E_NOMEM. */
int txs_state_add_input(txs_state *s, const txs_state_input *in);
/*
 * The inputs a state file records, without loading its accounts: up to cap
 * entries into out, their count into *n (it may exceed cap).  A missing
 * file gives TXS_E_NOTFOUND; a file that is not a state file TXS_E_FORMAT,
 * d saying why.
 */
int txs_state_file_inputs(const char *path, txs_state_input *out, size_t cap, size_t *n,
                          txs_diag *d);

/* ------------------------------------------------------------ partitions */

/* Most graph-scope rules a partitioned state hands forward, and sources
 * per rule. */
#define TXS_STATE_LINK_RULES 16
#define TXS_STATE_LINK_SRC 3

/* What the state reads of a record before it touches any account: the
 * amount in the base currency and the parties' identities.  Computed once
 * per record (txs_state_key_of: thread-safe, it reads only the rule set),
 * then read by every partition and the link stage. */
typedef struct txs_state_key {
    int64_t base;            /* amount in base minor units, -1 unknown */
    uint8_t skip;            /* 0: judged; 1: no stateful rules; 2: a
                                transfer between an account and itself */
    uint8_t named[2];        /* 1: party k is a person without an account,
                                followed by name (name[k]) */
    uint64_t acct[2][2];     /* each party's account identity, {0,0}: none */
    uint64_t name[2][2];
    /* The record's counterparties (state.h "Counterparties"): identity,
     * kind (txs_cp_kind) and side (0 payer, 1 payee) of each. */
    uint8_t ncp;
    uint8_t cp_kind[6], cp_side[6];
    uint64_t cp[6][2];
} txs_state_key;

void txs_state_key_of(const txs_state *s, const txs_txn *t, txs_state_key *k);

/* txs_state_eval with t's key already made (txs_state_key_of of the same
 * state and record). */
int txs_state_eval_key(txs_state *s, const txs_txn *t, const txs_state_key *key, txs_arena *a,
                       txs_hit *out, size_t cap, size_t *n, size_t *dropped, int *late);

/* Start fetching what feeding a record of key k will read first, in three
 * steps a few records apart (a step reads what the one before fetched): 0,
 * the table slots of its accounts; 1, the accounts; 2, their newest
 * events.  On a single-table state (part 0) for txs_state_eval_key, on a
 * partitioned one for txs_state_eval_part of partition `part` (only the
 * identities it owns; safe on that partition's thread).  Changes nothing:
 * the feeding loops call it for the records ahead of the one they feed. */
void txs_state_prefetch(const txs_state *s, unsigned part, const txs_state_key *k, int step);

/* What the partitions pass on about one record to the link stage: the
 * payer's partition writes `side[0]` and `src`, the payee's `side[1]`. */
typedef struct txs_state_link {
    uint8_t side[2];         /* 1: that party's account was fed (not late) */
    uint8_t nsrc[TXS_STATE_LINK_RULES];
    uint64_t src[TXS_STATE_LINK_RULES][TXS_STATE_LINK_SRC];
} txs_state_link;

/* Partitions of s: P >= 2, or 0 for a single table. */
unsigned txs_state_parts(const txs_state *s);
/* 1 when the rule set has graph-scope rules, so the partitions hand a
 * txs_state_link per record to the link stage; 0: lk may be NULL below. */
int txs_state_needs_link(const txs_state *s);

/*
 * Feed t to partition k of a partitioned s: as txs_state_eval for the
 * accounts (and linked persons) k owns, filling its fields of lk.  *rank
 * is set to the first party side whose hits come out here (0: payer's
 * account, 1: payee's, 2: payer's name, 3: payee's name; 4: none): the
 * caller puts the partitions' hits in rank order, then the link stage's,
 * which is txs_state_eval's order.  Distinct k may run concurrently.
 */
int txs_state_eval_part(txs_state *s, unsigned k, const txs_txn *t, const txs_state_key *key,
                        txs_arena *a, txs_hit *out, size_t cap, size_t *n, size_t *dropped,
                        int *late, int *rank, txs_state_link *lk);
/* The graph-scope rules for t, once every partition has fed it (lk);
 * late: 1 when a partition found t late (counted in the statistics). */
int txs_state_eval_link(txs_state *s, const txs_txn *t, const txs_state_key *key,
                        const txs_state_link *lk, int late, txs_arena *a, txs_hit *out,
                        size_t cap, size_t *n, size_t *dropped);

/* ------------------------------------------------------- counterparties */

/*
 * Counterparties (look-back screening, docs/lists.md "Look-back
 * screening").  A state of mode ALL keeps every distinct counterparty it
 * has seen: each party's name (with its country), its bank's BIC, and an
 * account in IBAN or wallet form, each as its own entry, with the time and
 * the transaction reference (txn id, else "FILE:LINE") of its latest
 * sighting and how many transactions named it.  Entries not seen for the
 * retention (opts.cp_retention, by event time: older than the state's
 * latest event minus the retention) are dropped when the state is written.
 * Each entry lives in the partition its identity hash gives, so the
 * register, like the accounts, is the same at any thread count, and it is
 * written in identity order.
 *
 * The state also records the lists it last screened with (their snapshot
 * hashes and paths), so that a later run can tell that the lists changed
 * and look the counterparties up again (pipeline's lookback.h).
 */

/* Default retention: 13 months of 30.44 days, rounded up to 396 days. */
#define TXS_STATE_CP_RETENTION (396 * 86400LL)

typedef enum txs_cp_kind {
    TXS_CP_NAME = 1,    /* a party's name (identity: folded name + country) */
    TXS_CP_BIC = 2,     /* a party's bank code in BIC form (8 or 11) */
    TXS_CP_IBAN = 3,    /* an account in IBAN form */
    TXS_CP_WALLET = 4   /* an account of 25+ letters and digits */
} txs_cp_kind;
/* "name", "bic", "iban", "wallet"; "" for anything else. */
const char *txs_cp_kind_name(int kind);

/* Longest name and reference kept, in bytes (a longer one keeps its head,
 * '~' and 8 hex digits of its xxh3, as the events do). */
#define TXS_CP_NAME_MAX 200
#define TXS_CP_REF_MAX 64

/* One known counterparty, as txs_state_counterparties shows it (views
 * valid during the callback). */
typedef struct txs_state_cp {
    uint64_t h[2];
    int kind;              /* txs_cp_kind */
    char cc[2];            /* {0,0}: none */
    txs_slice value;       /* the name / BIC / IBAN / wallet as first seen */
    txs_slice ref;         /* the latest transaction's id, or FILE:LINE */
    int64_t last_ts;
    uint32_t seen;
} txs_state_cp;

/* Call fn for every known counterparty in identity order (h[0], h[1]): the
 * same order at any thread count.  A negative return from fn stops and is
 * returned; TXS_E_NOMEM. */
int txs_state_counterparties(txs_state *s, int (*fn)(void *ctx, const txs_state_cp *cp),
                             void *ctx);

/* A list snapshot a state has screened with. */
#define TXS_STATE_LIST_PATH 256
typedef struct txs_state_list {
    uint64_t hash;                      /* txs_lists_hash */
    char path[TXS_STATE_LIST_PATH];     /* as given to the run; "" unknown */
} txs_state_list;
#define TXS_STATE_LISTS_MAX 16

/* The lists the loaded state file last screened with (*n = 0: none
 * recorded, a first run or a file from before version 4). */
const txs_state_list *txs_state_lists_prev(const txs_state *s, size_t *n);
/* The lists this run screens with: saved with the state.  At most
 * TXS_STATE_LISTS_MAX; 0, TXS_E_ARG or TXS_E_NOMEM. */
int txs_state_set_lists(txs_state *s, const txs_state_list *v, size_t n);

/* ------------------------------------------------------------ cases */

/*
 * Open cases (docs/outputs.md "Cases across runs").  A state of mode ALL
 * keeps the cases its runs raised, so that the next run marks a case it
 * raises again "continuing", and a list change can close a sanctions case
 * whose entity left the list without the last run's --cases file.  Each is
 * its id's hash and kind (cases.h: 0 sanctions, 1 typology), the time of
 * its latest alerted transaction, and for a sanctions case its subject
 * (party, list, entry; escaped JSON string contents as cases.h has them).
 * A case not raised within the retention (opts.cp_retention, by event
 * time, as the counterparties) is dropped when the state is written; the
 * file holds them in (hash, kind) order, so it does not depend on threads.
 */
typedef struct txs_state_case {
    uint64_t h;            /* the case id's hash (cases.h) */
    int kind;              /* 0 sanctions, 1 typology */
    int64_t last_ts;       /* its latest alerted transaction's time */
    txs_slice a, b, c;     /* sanctions: party, list, entry; else empty */
} txs_state_case;

/* Record a case raised by this run: added, or its last time moved to
 * last_ts when later (and a dropped one revived).  0 or TXS_E_NOMEM. */
int txs_state_case_put(txs_state *s, const txs_state_case *c);
/* Forget a case (closed by this run).  Absent: nothing. */
void txs_state_case_drop(txs_state *s, int kind, uint64_t h);
/* Call fn for every case held in (h, kind) order; a negative return from
 * fn stops and is returned; TXS_E_NOMEM.  Views valid during the call. */
int txs_state_cases(txs_state *s, int (*fn)(void *ctx, const txs_state_case *c), void *ctx);
/* Cases held. */
size_t txs_state_case_count(const txs_state *s);
/* The retention of counterparties and cases, in seconds (opts.cp_retention
 * or TXS_STATE_CP_RETENTION): a case is continuing when raised again within
 * it of its last alert. */
int64_t txs_state_retention(const txs_state *s);

#endif /* TXS_STATE_H */
