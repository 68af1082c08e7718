/*
 * screen.h: the pipeline driver.  A screener ties the stages together for
 * one run: for each source it frames records (input), maps them to
 * transactions (parse), evaluates the rule set (rules), scores, and writes
 * alerts and rejects (emit) in input order.  It keeps the run's counts for
 * the manifest: read = screened + rejected, per source and in total.
 *
 *   sources --> reader --> parse --> rules --> score --> alerts sink
 *                 \           \                     \--> counts
 *                  \-----------\--> rejects sink
 *
 * With sanctions lists (opts.lists) every screened record's orig_name and
 * bene_name go through a txs_sanctions screener and its orig_bank /
 * bene_bank through the snapshot's SWIFT/BIC table; those hits join the
 * rule hits in the noisy-or score (weight scoring.sanctions_weight).
 * The rule set's `sanctions:` section sets thresholds per list and hit
 * kind; a good-guy list (opts.good_guys) marks reviewed false positives
 * suppressed, so they stay visible but score nothing.
 *
 * Output goes to sinks (write callbacks) a batch at a time, so the CLI can
 * point them at atomic files and tests at memory.
 *
 * Threads (opts.threads > 1): a reader thread frames batches, `threads`
 * workers each take whole batches through parse, sanctions and the
 * stateless rules (each with its own sanctions screener, Hyperscan scratch
 * and buffers; a batch's data lives in its own arena); `threads` state
 * partitions each feed every batch, in input order, to the per-account
 * state of the accounts they own (state.h "Partitions"); and the thread
 * that called txs_screener_feed runs the ordered stage batch by batch in
 * input order: the graph kinds' link stage, score, counts and the sinks.  The output is byte-identical to threads = 1 for any thread count
 * and any read chunking; sinks are only ever called from the feeding
 * thread.  A screener itself is not thread-safe: one feed at a time.
 */
#ifndef TXS_SCREEN_H
#define TXS_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/input.h"
#include "txs/lists.h"
#include "txs/norm.h"
#include "txs/parse.h"
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
 * ISO 13616 IBANs (engine/src/screen/iban.c; docs/matching.md "IBAN hits").
 */
#define TXS_IBAN_MAX 34

/* An IBAN in electronic form: upper case, no spaces. */
typedef struct txs_iban {
    char text[TXS_IBAN_MAX + 1]; /* NUL terminated */
    size_t n;
    char country[2];
} txs_iban;

/* Validate p (electronic or print form: spaces allowed, letters of any
 * case): a known country code (the SWIFT IBAN registry, plus the national
 * formats listed in iban.c), two check digits, the country's length,
 * letters and digits only, and mod-97 of the rearranged number equal to 1.
 * Returns 0 and fills out, or TXS_E_FORMAT with *why (may be NULL) set to
 * a static reason.  Pure, allocation-free. */
int txs_iban_parse(const char *p, size_t n, txs_iban *out, const char **why);
/* The IBAN length of country cc, or 0 when no IBAN format is known. */
int txs_iban_country_length(const char cc[2]);

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

/* A sink receives whole JSON lines; returns 0 or a negative status. */
typedef int (*txs_sink_fn)(void *ctx, const char *p, size_t n);

typedef struct txs_screen_opts {
    const txs_profile *profile;  /* required; borrowed for the run */
    int format;                  /* TXS_FMT_CSV / TXS_FMT_JSONL, or -1: by
                                    file name (.jsonl/.ndjson), else the
                                    profile's format */
    const txs_ruleset *rules;    /* NULL: no rules */
    txs_sink_fn alerts;          /* NULL: alerts are counted only */
    void *alerts_ctx;
    txs_sink_fn rejects;         /* NULL: rejects are counted only */
    void *rejects_ctx;
    const txs_lists *const *lists; /* sanctions snapshots (borrowed); */
    size_t nlists;                 /* 0: no sanctions screening */
    double sanctions_threshold;    /* name hits; <= 0: the rule set's
                                      `sanctions` threshold, else
                                      TXS_SANCTIONS_THRESHOLD */
    const txs_goodguys *good_guys; /* NULL: none (borrowed) */
    /* Stateful rules (state.h): lateness, and the shard this run is. */
    int64_t max_lateness;          /* seconds; < 0: the default */
    int shard_mode;                /* txs_state_mode: 0 all, 1 shard K/N,
                                      2 graph (the cross-account job) */
    uint32_t shard_k, shard_n;
    /* Workers for parse, sanctions and stateless rules: 0 or 1 runs the
     * whole pipeline on the caller's thread; N > 1 adds N workers and a
     * reader thread (at most TXS_MAX_THREADS). */
    unsigned threads;
    /* Where a failure to open the lists or place tables is explained
     * (a snapshot compiled for a CPU this host lacks, say), when a worker
     * starts: at create time or at the first threaded feed.  NULL: not
     * wanted.  Borrowed; must outlive the screener. */
    txs_diag *diag;
} txs_screen_opts;

/* Most workers one screener runs. */
#define TXS_MAX_THREADS 256u

/* Per-source figures for the manifest. */
typedef struct txs_source_stats {
    char name[512];
    char encoding[8];
    uint64_t raw_bytes, plain_bytes, raw_xxh3;
    uint64_t read, rejected;
} txs_source_stats;

typedef struct txs_screen_stats {
    uint64_t read, screened, rejected;
    uint64_t alerts, alerts_by_band[4];  /* index: txs_band */
    uint64_t hits, hits_dropped;         /* hits beyond TXS_MAX_HITS a txn */
    uint64_t txns_hit_below_band;        /* had hits, scored under edd */
    uint64_t plain_bytes;
    uint64_t sanctions_hits;             /* sanctions hits (names and BICs) */
    uint64_t sanctions_txns;             /* screened txns with one or more */
    uint64_t sanctions_alerts;           /* alerts carrying one or more */
    uint64_t sanctions_suppressed;       /* hits a good-guy row suppressed
                                            (counted in sanctions_hits too) */
    uint64_t late_records;               /* late for an account's windows
                                            (screened all the same) */
    uint64_t shard_foreign;              /* shard runs: records whose home
                                            is another shard (state only;
                                            not in read) */
    const struct txs_state_stats *state; /* NULL: no stateful rules */
    uint64_t *alerts_by_rule;            /* [txs_ruleset_count()], owned */
    size_t nrules;
    txs_source_stats *sources;           /* [nsources], owned */
    size_t nsources;
} txs_screen_stats;

typedef struct txs_screener txs_screener;

/* Create a screener.  opts is copied; what it points to is borrowed. */
int txs_screener_create(const txs_screen_opts *opts, txs_screener **out);
/* Screen one source to its end.  name_hint (may be NULL) decides the format
 * when opts.format is -1.  Returns 0, or a negative status with d filled:
 * TXS_E_IO / TXS_E_DECOMPRESS (the input failed), TXS_E_CONFIG (the
 * profile does not fit the source's header), TXS_E_OUTPUT (a sink failed). */
int txs_screener_feed(txs_screener *s, txs_source *src, txs_diag *d);
/* The counts so far (valid until the screener is freed). */
const txs_screen_stats *txs_screener_stats(const txs_screener *s);
/* Workers in use: 1 (single-threaded) or opts.threads. */
unsigned txs_screener_threads(const txs_screener *s);
/* The name threshold in force (CLI, else rule set, else the default). */
double txs_screener_name_threshold(const txs_screener *s);
/* Free; accepts NULL. */
void txs_screener_free(txs_screener *s);
/* The per-account state of the stateful rules, NULL when the rule set has
 * none: load it (txs_state_load) before the first feed, save it after the
 * last. */
struct txs_state *txs_screener_state(txs_screener *s);

/* What the manifest says beside the counts. */
typedef struct txs_manifest_info {
    const char *command;        /* the command line, for the record */
    const char *profile;        /* profile name */
    const txs_ruleset *rules;   /* NULL: rules off */
    const char *rules_spec;     /* as given: "default", a path, "none" */
    const txs_lists *const *lists; /* snapshots used (NULL/0: lists off) */
    const char *const *list_paths; /* each one's path, or "(compiled)" */
    size_t nlists;
    double sanctions_threshold;
    const char *good_guys_path; /* NULL: no good-guy list */
    const char *alerts_path;    /* "-" for stdout */
    const char *rejects_path;   /* NULL: not written */
    const char *started_utc;    /* "YYYY-MM-DDThh:mm:ssZ" */
    double wall_seconds;
} txs_manifest_info;

struct txs_buf;
/*
 * Write the run manifest as pretty-printed JSON into b: inputs (name,
 * encoding, bytes, xxh3), profile, rule set (name, version, xxh3), lists,
 * counts (read = screened + rejected), alerts by band and by rule, the
 * state, and timing.  Fills emit.h's txs_manifest from mi and st
 * (engine/src/pipeline/manifest.c) and prints it with txs_manifest_print.
 * Returns 0, or TXS_E_NOMEM with b->oom set.
 */
int txs_screen_manifest_write(struct txs_buf *b, const txs_manifest_info *mi,
                              const txs_screen_stats *st);

#endif /* TXS_SCREEN_H */
