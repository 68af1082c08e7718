/*
 * sanctions.h: the sanctions screeners (engine/src/screen/): names,
 * identifiers (BIC, wallets, IMO/MMSI, IBAN) and free text against
 * compiled snapshots (lists.h), sanctioned places, and the good-guy list
 * of reviewed false positives.  Each screener judges one value; routing a
 * transaction's fields to them, with the bars and the alert, is the
 * pipeline's (screen.h).
 */
#ifndef TXS_SANCTIONS_H
#define TXS_SANCTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/values.h"
#include "txs/lists.h"
#include "txs/norm.h"
#include "txs/rules.h"

/* ------------------------------------------------------ sanctions screening
 *
 * A sanctions screener matches names against one or more loaded snapshots
 * (lists.h) whose name sections were built by `lists compile`:
 *
 *   name --norm--> " tok tok " --Hyperscan literals--> exact token hits
 *                       \------ xxh3 deletion table ---> typo / split hits
 *        hits --postings, rarity mass >= bar--> candidate names
 *        candidates --txs_match_score (+ weak-alias penalty)--> matches
 *
 * Create one per thread: it owns a Hyperscan scratch, a normaliser and
 * per-name work arrays, so screening a name allocates nothing.  The
 * snapshots are borrowed and must outlive it.
 */

/* Default alerting threshold for a sanctions name match.  Above the
 * scorer's benchmark threshold (0.70): see docs/matching.md "Sanctions
 * threshold" for the recall / false-positive figures behind it. */
#define TXS_SANCTIONS_THRESHOLD 0.85
/* Default bar for a list name found in free text (purpose, addresses):
 * higher than for a party name, because text is not a name and the window
 * around the words is a guess (docs/matching.md "Free text"). */
#define TXS_SANCTIONS_TEXT_THRESHOLD 0.92

typedef struct txs_sanctions txs_sanctions;

/* One match: which snapshot, entity and name (txs_sanctions_name_text),
 * and its score. */
typedef struct txs_sanctions_match {
    uint32_t list;   /* index into the snapshots given at create */
    uint32_t entity; /* txs_lists_entity index */
    uint32_t name;   /* the matched name record */
    double score;
} txs_sanctions_match;

/* Create a screener over n snapshots (borrowed).  threshold <= 0 means
 * TXS_SANCTIONS_THRESHOLD.  A snapshot without name sections (compiled by
 * an older txscreen) is refused with TXS_E_FORMAT and d saying so. */
int txs_sanctions_create(const txs_lists *const *lists, size_t n, double threshold,
                         txs_sanctions **out, txs_diag *d);
/* Free; accepts NULL. */
void txs_sanctions_free(txs_sanctions *s);
/* Let s use the name-result cache of from (made over the same snapshots
 * and threshold), so the screeners of one run's threads share what they
 * have screened; the shared cache is then locked by stripes.  from must
 * outlive s's last call.  Returns 0 or TXS_E_NOMEM. */
int txs_sanctions_share_cache(txs_sanctions *s, txs_sanctions *from);
/* Drop s's name-result cache and screen every name afresh: for a caller
 * whose names are all distinct (look-back screening's counterparties, one
 * per name and country), where every look-up would miss and every result
 * stored would only evict another.  The answers are the same: the cache
 * only remembers them.  Call before sharing s's cache with another
 * screener (txs_sanctions_share_cache then refuses, TXS_E_ARG). */
void txs_sanctions_uncached(txs_sanctions *s);
double txs_sanctions_threshold(const txs_sanctions *s);

/*
 * Screen one name (UTF-8, n bytes): writes the best matches at or above
 * the threshold, best first, one per entity, at most cap; returns how many
 * were written.  If explain is non-NULL the scorer's explanation of out[0]
 * is written there (ecap bytes, NUL terminated).  Hot path: no allocation.
 */
size_t txs_sanctions_name(txs_sanctions *s, const char *p, size_t n, txs_sanctions_match *out,
                          size_t cap);
/* The scorer's explanation of match m against the name p (recomputed). */
void txs_sanctions_explain(txs_sanctions *s, const char *p, size_t n,
                           const txs_sanctions_match *m, char *explain, size_t ecap);

/*
 * What the transaction says about a screened party besides its name
 * (docs/matching.md "Qualifiers in screening").  Every field may be
 * unknown; a qualifier applies only when both the party and the list
 * entity know it:
 *   country     ISO 3166 alpha-2 (the txn's orig_country / bene_country),
 *               {0,0} unknown.  Penalised when the entity has countries
 *               (nationality, citizenship, country, address countries) and
 *               none is this one.
 *   kind        TXS_NAME_PERSON / TXS_NAME_COMPANY / TXS_NAME_VESSEL when
 *               the export says so; TXS_NAME_ANY: inferred, company when the
 *               name as written ends in a legal form of three or more
 *               letters (LLC, GmbH, PJSC, Limited ...), else unknown.  Penalised when one side is a person and the
 *               other is not (the entity's list type).
 *   birth_year  0 unknown.  Penalised when the entity has birth dates and
 *               none covers the year (a circa date covers +-1 year).
 * Penalties are the scorer's (txs_match_params: country_penalty,
 * kind_penalty, dob_penalty) and are listed in the explanation as
 * "qual: country GB vs IR -0.10; kind org vs person -0.15".
 */
typedef struct txs_sanctions_party {
    char country[2];
    txs_name_kind kind;
    int birth_year;
} txs_sanctions_party;

/* txs_sanctions_name with the party's qualifiers (ctx may be NULL: then
 * exactly txs_sanctions_name).  Hot path: no allocation. */
size_t txs_sanctions_name_ctx(txs_sanctions *s, const char *p, size_t n,
                              const txs_sanctions_party *ctx, txs_sanctions_match *out,
                              size_t cap);
/* A party name's key in the name cache under its qualifiers: a hash of
 * the name's bytes (XXH3-128) seeded by the qualifiers. */
typedef struct txs_sanctions_key {
    uint64_t lo, hi;
} txs_sanctions_key;
/* Start fetching what txs_sanctions_name_ctx(s, p, n, ctx, ...) will read
 * first (the name cache's line for the name): a caller that knows its next
 * names a few records ahead calls this for them, so that the look-ups of
 * names already screened do not each wait for memory.  Changes no answer;
 * fetches nothing without a cache.  Returns the name's key, for
 * txs_sanctions_name_key.  Hot path: no allocation. */
txs_sanctions_key txs_sanctions_prefetch(const txs_sanctions *s, const char *p, size_t n,
                                         const txs_sanctions_party *ctx);
/* txs_sanctions_name_ctx for a name whose key txs_sanctions_prefetch(s,
 * p, n, ctx) returned, with the same p, n and ctx: the same answer,
 * without hashing the name a second time. */
size_t txs_sanctions_name_key(txs_sanctions *s, txs_sanctions_key k, const char *p, size_t n,
                              const txs_sanctions_party *ctx, txs_sanctions_match *out,
                              size_t cap);
/* The explanation of a txs_sanctions_name_ctx match: the same qualified
 * score, with the qualifiers applied. */
void txs_sanctions_explain_ctx(txs_sanctions *s, const char *p, size_t n,
                               const txs_sanctions_party *ctx, const txs_sanctions_match *m,
                               char *explain, size_t ecap);
/*
 * Screen free text (a purpose or an address, n bytes) for list names: the
 * same token database and candidate bar as names, exact tokens only, and
 * a candidate needs two distinctive tokens in the text; the compact window
 * of the text holding them must score at least bar against the list name.
 * Writes matches as txs_sanctions_name does.  Hot path: no allocation.
 */
size_t txs_sanctions_text(txs_sanctions *s, const char *p, size_t n, double bar,
                          txs_sanctions_match *out, size_t cap);
/* The scorer's explanation of a txs_sanctions_text match (its window). */
void txs_sanctions_explain_text(txs_sanctions *s, const char *p, size_t n,
                                const txs_sanctions_match *m, char *explain, size_t ecap);
/*
 * What a match rests on, for the band policy (docs/matching.md "Bands of
 * sanctions alerts"): a fuzzy name, a weak alias or a name with a
 * qualifier against it cannot block alone.
 */
typedef enum txs_sanctions_ev {
    TXS_EV_FUZZY = 0,    /* a name below near-exact, qualifiers silent */
    TXS_EV_WEAK_ALIAS,   /* a weak (low-quality) alias, qualifiers silent */
    TXS_EV_EXACT,        /* a strong name, every token exact, no qualifier
                            against it */
    TXS_EV_NEAR_EXACT,   /* a strong name scoring TXS_SANCTIONS_NEAR_EXACT+,
                            no qualifier against it */
    TXS_EV_QUALIFIERS,   /* the party's country or birth year agrees */
    TXS_EV_IDENTIFIER,   /* an identifier (BIC, wallet, IBAN, IMO ...) */
    TXS_EV_NAME_IDENT,   /* a name whose entity the party's identifier hit */
    TXS_EV_AGAINST       /* a name with a qualifier against it (country,
                            kind or birth year), none agreeing */
} txs_sanctions_ev;

/* Name score (qualifiers aside) from which a strong alias is near-exact:
 * a transliteration variant (0.95) is, one typo in a short name is not. */
#define TXS_SANCTIONS_NEAR_EXACT 0.95

/* The evidence of match m of name p (a txs_sanctions_name_ctx match, ctx
 * as given there; identifier matches are TXS_EV_IDENTIFIER).  Recomputes
 * the name score: for written hits, not the hot path. */
int txs_sanctions_evidence(txs_sanctions *s, const char *p, size_t n,
                           const txs_sanctions_party *ctx, const txs_sanctions_match *m);
/* "exact name", "fuzzy name", ...: the hit's "evidence" value. */
const char *txs_sanctions_evidence_name(int ev);

/* The matched name's original text (the primary name or the alias). */
txs_slice txs_sanctions_name_text(const txs_sanctions *s, const txs_sanctions_match *m);
/* Entities carrying SWIFT/BIC `bic` (8 or 11 characters; an 11-character
 * BIC also matches its 8-character head), written as matches with score
 * 1.0 and name = UINT32_MAX; returns how many (at most cap). */
size_t txs_sanctions_bic(txs_sanctions *s, txs_slice bic, txs_sanctions_match *out, size_t cap);
/* Entities carrying identifier `value` of kind id_kind (txs_id_kind from
 * lists.h: a digital currency address, an IMO or MMSI number ...), as
 * matches with score 1.0 and name = UINT32_MAX; returns how many (at most
 * cap).  Exact after the snapshot's folding (letters and digits, any
 * case). */
size_t txs_sanctions_ident(txs_sanctions *s, int id_kind, txs_slice value,
                           txs_sanctions_match *out, size_t cap);
/* The snapshot of list i. */
const txs_lists *txs_sanctions_lists(const txs_sanctions *s, size_t i);

/* ------------------------------------------------------------------ IBAN
 *
 * What an IBAN is (txs_iban, txs_iban_parse) is in values.h; screening
 * keys identifiers by it (idents.c) and checks its country (iban.c).
 */
/* Entities listing `iban` as an identifier (kind iban, or other_id: lists
 * without a typed IBAN field, such as OpenSanctions' identifiers column),
 * as matches with score 1.0 and name = UINT32_MAX; returns how many (at
 * most cap).  account is any text: it is parsed first, and an invalid
 * IBAN returns 0.  *iban (may be NULL) receives the parsed IBAN, its
 * n == 0 when the account is not one.  Hot path: no allocation. */
size_t txs_sanctions_iban(txs_sanctions *s, txs_slice account, txs_iban *iban,
                          txs_sanctions_match *out, size_t cap);

struct txs_buf;
/*
 * The `sanctions: {iban_countries:}` check (docs/rules.md): 1 when
 * account is a valid IBAN of a configured country (cfg may be NULL or
 * have no countries: 0).  When b is non-NULL the hit's JSON object is
 * written to it (b->n reset first):
 *   {"kind":"sanctions","rule":"sanctions_iban_country","score":1,
 *    "identifier":"iban_country","list":L,"program":P,"field":F,
 *    "value":V,"iban":"IR...","country":"IR","source":S,"explain":...}
 * Hot path: no allocation beyond b's growth.
 */
int txs_sanctions_iban_country(const txs_ruleset_sanctions *cfg, const char *field,
                               txs_slice account, struct txs_buf *b);

/* ------------------------------------------------------- good-guy list
 *
 * Reviewed false positives (docs/matching.md "Good-guy list"): a CSV of
 * party,entry_id[,note] rows.  A sanctions hit on entry E for a party whose
 * account equals a row's party exactly, or whose name normalises
 * (txs_norm_name_of) to the row's normalised party, is suppressed: it
 * stays in the alert, marked, and scores nothing.
 */
typedef struct txs_goodguys txs_goodguys;

/* One row as written in the file; the slices live as long as the list. */
typedef struct txs_goodguy {
    txs_slice party, entry_id, note; /* note may be empty */
} txs_goodguy;

/* Load a good-guy CSV.  A bad file stops with d holding file:line and
 * TXS_E_CONFIG; nothing is left allocated.  The list is immutable and may be
 * shared by threads; free it with txs_goodguys_free (accepts NULL). */
int txs_goodguys_load(const char *path, txs_goodguys **out, txs_diag *d);
void txs_goodguys_free(txs_goodguys *g);
size_t txs_goodguys_count(const txs_goodguys *g);
/* The row suppressing entry_id for a party with this account (may be
 * empty) or this already-normalised name (may be empty), or NULL.  Hot
 * path: no allocation.  g may be NULL. */
const txs_goodguy *txs_goodguys_find(const txs_goodguys *g, txs_slice account,
                                     txs_slice norm_name, txs_slice entry_id);

/* ------------------------------------------------------ sanctioned places
 *
 * Sanctioned-place screening of free text (purpose, addresses;
 * engine/src/screen/places.c): the rule set's places file (rules.h,
 * txs_sanctions_place) becomes one Hyperscan literal database of the
 * places' normalised variants when a screener starts.
 *
 *   variants --txs_norm_name_of--> " tok tok " literals --> hs db (start-up)
 *   text --txs_norm_name_of--> " padded text " --hs_scan--> place indexes
 *
 * A txs_places belongs to one thread (it owns a scratch and a
 * normaliser); scanning allocates nothing.
 */
typedef struct txs_places txs_places;

/* Build the database for n places (borrowed: they must outlive it).  A
 * variant that normalises to nothing is refused with its place named. */
int txs_places_create(const txs_sanctions_place *p, size_t n, txs_places **out, txs_diag *d);
/* Free; accepts NULL. */
void txs_places_free(txs_places *pl);
/* The places named in text p[0..n): their indexes, each once, in first
 * index order, at most cap; returns how many.  Hot path: no allocation. */
size_t txs_places_scan(txs_places *pl, const char *p, size_t n, uint32_t *out, size_t cap);

#endif /* TXS_SANCTIONS_H */
