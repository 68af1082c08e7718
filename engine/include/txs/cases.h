/*
 * cases.h: alerts grouped into cases by subject (docs/outputs.md "Cases").
 *
 * A case is what an analyst works: one subject and everything the run
 * raised about it.  Two kinds:
 *   sanctions  one party identity against one list entity (list, entry);
 *   typology   one account against one rule family (the rule's kind, so
 *              fan_out_8h and fan_out_72h, overlapping episodes of one
 *              behaviour, land in one case).
 * The case id is a pure function of the subject ("S-" or "T-" and the
 * XXH3-64 of kind and subject in hex), so the same subject gets the same id
 * in every run and every process, with no table to share.
 *
 * txs_cases collects, for each case, every alert of the run that belongs
 * to it (by the alerted transaction's id), first and last seen (the
 * transactions' timestamps), the total amount per currency, the highest
 * score and band and the rules that hit, and writes them as JSON Lines in
 * the order each case was first raised (so the output follows input order
 * and is deterministic).
 *
 * Subject strings are JSON string contents, already escaped (the pipeline
 * takes some of them from hit JSON it wrote itself): they are hashed and
 * written as they are.  Depends on base, emit (the JSON writer), values
 * (amount and time formats) and the state (state.h "Cases": the open cases
 * carried from run to run) only.
 *
 * Invariants: an alert counts once per case however many of its hits name
 * that case (txs_case_alert.seq); nothing is dropped: an amount total that
 * would overflow is written as null with "amount_overflow":true.
 */
#ifndef TXS_CASES_H
#define TXS_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/emit.h"

typedef enum txs_case_kind { TXS_CASE_SANCTIONS = 0, TXS_CASE_TYPOLOGY = 1 } txs_case_kind;

/* What a case is about; strings are escaped JSON string contents.
 *   sanctions: a = the party identity, b = the list, c = the entry id;
 *   typology:  a = the account, b = the rule family, c empty. */
typedef struct txs_case_subject {
    int kind;
    txs_slice a, b, c;
} txs_case_subject;

/* "S-" or "T-", 16 hex digits, NUL. */
#define TXS_CASE_ID_LEN 18
void txs_case_id(const txs_case_subject *s, char out[TXS_CASE_ID_LEN + 1]);

/* txs_case_alert.currency of an alert without an amount (a look-back
 * alert): the case's totals are left alone. */
#define TXS_CASE_NO_AMOUNT 0xFFFFu

/* One alert as a case sees it. */
typedef struct txs_case_alert {
    uint64_t seq;        /* the alert's number in the run (1, 2, ...) */
    txs_slice txn_id;    /* raw (not escaped) */
    int64_t ts, amount;  /* seconds; minor units */
    uint16_t currency;   /* values.h index */
    int score, band;
    const char *rule;    /* the hit's rule id that names this case */
} txs_case_alert;

typedef struct txs_cases txs_cases;

int txs_cases_create(txs_cases **out);
void txs_cases_free(txs_cases *c);
/* Add alert a to the case of s (opened when new).  TXS_OK or TXS_E_NOMEM. */
int txs_cases_add(txs_cases *c, const txs_case_subject *s, const txs_case_alert *a);
/* Mark a case id as open before this run (a previous run's case):
 * the case, if raised, is written with "status":"continuing". */
int txs_cases_previous(txs_cases *c, const char *id);
/* The same, with the case's subject (its --cases line's), so that a list
 * change can close it: a sanctions case whose entity left the list
 * (txs_cases_close_entry).  Subject strings are escaped JSON string
 * contents, copied.  TXS_OK, TXS_E_ARG (bad id) or TXS_E_NOMEM. */
int txs_cases_previous_subject(txs_cases *c, const char *id, const txs_case_subject *s);
/* The cases a --state carries (state.h "Cases") as previous cases, each
 * as txs_cases_previous_subject would mark it (a case named both here and
 * by --previous-cases is one case).  Call before the run's first alert.
 * TXS_OK or TXS_E_NOMEM. */
struct txs_state;
int txs_cases_previous_state(txs_cases *c, struct txs_state *s);
/* Once the run is over, keep its cases in the state for the next run:
 * every case raised is put with its last_seen, every previous case closed
 * (and not raised again) is dropped.  TXS_OK or TXS_E_NOMEM. */
int txs_cases_record(const txs_cases *c, struct txs_state *s);
/* Close every previous sanctions case about list entity `entry` (escaped
 * contents, as in subjects) for `reason` (static text): txs_cases_write
 * then writes it with "status":"closed" and the reason, after the cases
 * raised (unless this run raised it again).  Returns how many it closed. */
size_t txs_cases_close_entry(txs_cases *c, txs_slice entry, const char *reason);
/* Previous cases closed so far. */
size_t txs_cases_closed(const txs_cases *c);
/* Cases so far, and of them sanctions cases. */
size_t txs_cases_count(const txs_cases *c);
size_t txs_cases_count_kind(const txs_cases *c, int kind);
/* Every case as one JSON line each into b, in the order first raised.
 * TXS_OK or TXS_E_NOMEM (b->oom). */
int txs_cases_write(const txs_cases *c, txs_buf *b);

#endif /* TXS_CASES_H */
