/*
 * rules.h: rule sets and their evaluation, and the scoring that turns hits
 * into one 0-100 score and a band.
 *
 * A rule set is data (YAML, rules/default.yaml): metadata, scoring bands, an
 * FX table, named country lists and rules.  Every rule has an id, a kind, a
 * weight, parameters and a readable reason.  Rule kinds are C code behind a
 * small ops table (src/rules/rules_int.h): stateless kinds now (threshold,
 * corridor); stateful kinds (structuring, pass-through, fan-in/out) plug into
 * the same table with per-account state.
 *
 *   txs_ruleset_load(file) --> ruleset (immutable, shareable across threads)
 *   txs_rules_eval(ruleset, txn) --> hits --> txs_score() --> score, band
 */
#ifndef TXS_RULES_H
#define TXS_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/txn.h"

typedef struct txs_ruleset txs_ruleset;

/* Load a rule set: a path to YAML, or "default" / "strict" for the rule sets
 * embedded from rules/ (a bare word with no built-in of that name is a
 * path).  Country lists it names are loaded relative to it.  On error d
 * holds file, line and message; nothing is partially loaded.  Any failure
 * to open, read or parse the files is TXS_E_CONFIG (an unknown bare word
 * lists the built-in names); else TXS_E_NOMEM. */
int txs_ruleset_load(const char *spec, txs_ruleset **out, txs_diag *d);
/* Options for loading (all zero: the defaults txs_ruleset_load uses). */
typedef struct txs_ruleset_opts {
    /* A directory for compiled pattern databases (text_pattern rules,
     * docs/rules.md "Compiled once"): keyed by the rule set's content hash
     * and this host's platform, written atomically, a corrupt entry rebuilt.
     * NULL: compile at every load. */
    const char *pattern_cache;
    /* 1: compile every pattern as a Hyperscan prefilter confirmed by PCRE2
     * (the differential tests); 0: only those Hyperscan cannot compile. */
    int pattern_prefilter;
} txs_ruleset_opts;
/* txs_ruleset_load with options (o may be NULL). */
int txs_ruleset_load_opts(const char *spec, const txs_ruleset_opts *o, txs_ruleset **out,
                          txs_diag *d);
/* Free; accepts NULL. */
void txs_ruleset_free(txs_ruleset *rs);

/* The rule set's pattern set (text_pattern rules): how many patterns, how
 * many confirmed by PCRE2 after a Hyperscan prefilter, and the cache:
 * 0 none, 1 loaded from it, 2 compiled and written to it. */
typedef struct txs_ruleset_patterns {
    size_t patterns, prefilter;
    int cache;
} txs_ruleset_patterns;
void txs_ruleset_pattern_info(const txs_ruleset *rs, txs_ruleset_patterns *out);

/* Metadata: `ruleset:` name, `version:`, and xxh3-64 over the bytes of every
 * file loaded (rule set first, then country lists in the order named). */
const char *txs_ruleset_name(const txs_ruleset *rs);
const char *txs_ruleset_version(const txs_ruleset *rs);
uint64_t txs_ruleset_hash(const txs_ruleset *rs);

/* The rules, in file order. */
typedef struct txs_rule_info {
    const char *id;
    const char *kind;
    double weight;
    const char *reason;
    const char *typology; /* `typology:`, the label name `txscreen eval`
                             credits this rule's alerts to; NULL if unset */
} txs_rule_info;
size_t txs_ruleset_count(const txs_ruleset *rs);
/* Whether a shard run (`screen --shard K/N`) leaves rules to the graph job
 * (`--shard graph`): graph-scope kinds, rules that follow a person by name,
 * or account kinds that read the run's clock.  merge then needs the graph
 * job's outputs. */
int txs_ruleset_needs_graph_job(const txs_ruleset *rs);
const txs_rule_info *txs_ruleset_rule(const txs_ruleset *rs, size_t i);

/* The rule set's optional `sanctions:` section (docs/rules.md): alerting
 * thresholds for sanctions hits per hit kind and per list.  A threshold of
 * 0 means "not set here" (the engine default, or the CLI's, applies).
 * Strings live as long as the rule set. */
typedef struct txs_sanctions_list_th {
    const char *list;     /* the list name as in hits' "list" (OFAC-SDN, UN) */
    double threshold;
} txs_sanctions_list_th;

/* One sanctioned place from a places file (`sanctions: {places:}`). */
typedef struct txs_sanctions_place {
    const char *place;            /* the name hits carry ("Crimea") */
    const char *source;           /* the measures that name it */
    const char *date;             /* when they took effect (YYYY-MM-DD) */
    const char *const *variants;  /* spellings, any script */
    size_t nvariants;
} txs_sanctions_place;

typedef struct txs_ruleset_sanctions {
    double name;          /* `threshold:` or `kinds: {name:}`; 0: not set */
    double identifier;    /* `kinds: {identifier:}` (BIC hits); 0: not set */
    double text;          /* `kinds: {text:}` (names in free text); 0: not set */
    int free_text;        /* `free_text: true`: screen purpose and addresses
                             for list names */
    const txs_sanctions_place *places; /* `places: {file:}`; NULL: off */
    size_t nplaces;
    double places_weight; /* `places: {weight:}`, default 1 */
    const txs_sanctions_list_th *lists; /* `lists:`, name hits per list */
    size_t nlists;
    /* `iban_countries: {countries: [IR, ...], source: S, list: L,
     * program: P}`: a party account that is a valid IBAN of one of these
     * countries is a sanctions hit (sanctions.h txs_sanctions_iban_country).
     * niban_countries == 0: off. */
    const char *iban_countries;   /* 2 upper-case letters each, packed */
    size_t niban_countries;
    const char *iban_source;      /* required: the measures, cited */
    const char *iban_list;        /* default "sanctioned-jurisdictions" */
    const char *iban_program;     /* default: the countries, ";"-joined */
} txs_ruleset_sanctions;

/* The section as loaded (all zero when the rule set has none). */
const txs_ruleset_sanctions *txs_ruleset_sanctions_cfg(const txs_ruleset *rs);

/* What produced a hit. */
typedef enum txs_hit_kind {
    TXS_HIT_TYPOLOGY = 0, /* a rule of the rule set */
    TXS_HIT_SANCTIONS = 1 /* a sanctions-list match (lists stage) */
} txs_hit_kind;

typedef struct txs_hit {
    uint16_t kind;       /* txs_hit_kind */
    uint16_t rule;       /* typology: index into the rule set; sanctions:
                            TXS_SANC_MAY_BLOCK or 0 (a fuzzy name alone) */
    double score;        /* 0..1: the hit's strength before its weight */
    txs_slice account;   /* the account the hit is about; may be empty */
    txs_slice evidence;  /* a JSON object's text, e.g. {"amount":"10000.00"} */
    uint32_t later;      /* 1: evidence not made yet (txs_rules_evidence) */
} txs_hit;

/* Most hits one transaction can carry; further hits are counted as dropped
 * in the manifest, never silently. */
#define TXS_MAX_HITS 64u

/*
 * Evaluate every rule on t, appending hits to out[*n .. cap).  Evidence text
 * is allocated in a (the batch arena).  Returns 0, or TXS_E_NOMEM.  When more
 * than cap hits arise, *n stops at cap and *dropped (may be NULL) is
 * increased by the rest.  Rules run in file order, disabled ones skipped.
 * Hot path, no malloc; thread-safe for a shared ruleset (stateless kinds).
 */
int txs_rules_eval(const txs_ruleset *rs, const txs_txn *t, txs_arena *a,
                   txs_hit *out, size_t cap, size_t *n, size_t *dropped);

/*
 * Make the evidence of a hit whose rule left it for later (h->later: a
 * text_pattern hit, whose evidence, every match's span and groups, costs
 * several times its detection), so that only a transaction that is written
 * out pays for it.  t is the transaction the hit was made on; the text goes
 * to a.  The evidence is what the rule would have made at eval time.  A
 * no-op for a hit that has its evidence.  Returns 0, TXS_E_NOMEM or
 * TXS_E_UNSUPPORTED (Hyperscan refused the scan).
 */
int txs_rules_evidence(const txs_ruleset *rs, const txs_txn *t, txs_arena *a, txs_hit *h);

/* --------------------------------------------------------------- scoring */

typedef enum txs_band {
    TXS_BAND_NONE = 0, /* below the lowest band: no alert */
    TXS_BAND_EDD,      /* enhanced due diligence */
    TXS_BAND_REVIEW,   /* analyst review */
    TXS_BAND_BLOCK     /* hold the payment */
} txs_band;

/* "none", "edd", "review", "block". */
const char *txs_band_name(int band);

/*
 * Combine hits into a 0-100 score and a band, by the rule set's `scoring`
 * section (docs/rules.md): each hit contributes weight x score; they combine
 * as a noisy-or, 100 * (1 - prod(1 - w_i * s_i)), rounded half up; the band
 * is the highest whose threshold the score reaches.  Deterministic.
 * With rs NULL (no rule set) the section's defaults apply: every weight
 * 1.0 and the bands below.
 */
#define TXS_SCORE_DEFAULT_EDD 25
#define TXS_SCORE_DEFAULT_REVIEW 50
#define TXS_SCORE_DEFAULT_BLOCK 80
void txs_score(const txs_ruleset *rs, const txs_hit *hits, size_t n,
               int *score, int *band);

/* A sanctions hit whose evidence may block: an identifier, an exact or
 * near-exact strong name, agreeing qualifiers (docs/matching.md "Bands of
 * sanctions alerts"). */
#define TXS_SANC_MAY_BLOCK 1u

/*
 * The band policy of sanctions-only alerts, applied by txs_score and by
 * the no-rule-set scoring alike: when every hit that scores is a sanctions
 * hit and none of them may block, a block band becomes review.  Returns the
 * band to use.
 */
int txs_band_policy(const txs_hit *hits, size_t n, int band);

#endif /* TXS_RULES_H */
