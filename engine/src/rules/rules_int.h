/*
 * rules_int.h: private to the engine.  The inside of a rule set and the ops
 * table every rule kind implements.  ruleset.c loads the YAML and owns the
 * rule set; kind_*.c hold one family of kinds each; score.c combines hits.
 *
 *   txs_ruleset
 *     +-- fx: base currency, rates[currency index] (exact decimals)
 *     +-- lists[]: country lists, each a 26x26 bitset of alpha-2 codes
 *     +-- rules[] (file order) -- each --> ops (kind) + compiled params (impl)
 *     +-- live[]: the enabled rules, the array the hot path walks
 *
 * Invariants: a loaded rule set is immutable, so any number of threads may
 * evaluate it at once.  Money never touches floating point: amounts are
 * int64 minor units, FX rates are decimal mantissa/scale pairs, and every
 * conversion is precomputed at build time into per-currency integer
 * thresholds, so the hot path compares integers only.
 *
 * How a stateful kind (structuring, pass-through, fan-in/out, cycles,
 * velocity) will plug in, without changing the stateless kinds:
 *  - state_size > 0 declares a fixed-size state blob per account; the rules
 *    stage keeps one xxh3-keyed hash table per worker (or per account shard)
 *    mapping an account to one blob per stateful rule.
 *  - account_key picks which account a txn updates (orig, bene, or both,
 *    called once per side); a NULL account_key means "stateless".
 *  - eval then receives ctx->state (the blob for that account, zeroed on
 *    first sight) and ctx->now (the txn's event time, t->ts), and keeps its
 *    window in the blob (e.g. a ring of (ts, amount, txn id) entries),
 *    expiring entries older than now - window.  Because state is per
 *    account, inputs must be sharded by account for multi-threaded runs
 *    (`txscreen split`), and the blob must hold no pointers into batch
 *    memory: copy what evidence later needs (txn ids) into the blob.
 *  - a stateful kind's evidence lists the txns of its window.
 */
#ifndef TXS_RULES_INT_H
#define TXS_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/arena.h"
#include "txs/base.h"
#include "txs/rules.h"
#include "txs/txn.h"
#include "yaml_int.h"

/* Marks a kind's hit path (evidence building): kept out of line so the
 * miss path of eval needs no saved registers or stack frame. */
#if defined(__GNUC__)
#define TXS_RULES_COLD __attribute__((noinline, cold))
#else
#define TXS_RULES_COLD
#endif

/* Fixed-point scale of weights and hit scores: parts per million. */
#define TXS_RULES_PPM 1000000

/* A threshold that can never be reached ("no threshold for this currency"). */
#define TXS_RULES_NEVER INT64_MAX

/* An exact FX rate: value = mant / 10^scale units of the base currency for
 * one unit of the currency.  text is the rate as the rule set wrote it. */
typedef struct txs_fx_rate {
    uint64_t mant;
    int scale;
    int present;
    char text[32];
} txs_fx_rate;

typedef struct txs_fx {
    int base;               /* currency index of the base, -1 when no fx: */
    const char *as_of;
    const char *source;
    txs_fx_rate *rates;     /* [txs_currency_count()], base has 1 */
} txs_fx;

/* A country list: alpha-2 codes as bits ((c0-'A')*26 + (c1-'A')). */
#define TXS_CLIST_WORDS 11  /* 676 bits */
typedef struct txs_clist {
    const char *name;
    const char *title;
    const char *as_of;
    const char *publisher;
    const char *document;
    const char *url;
    size_t count;
    uint64_t bits[TXS_CLIST_WORDS];
} txs_clist;

/* Bit index of an alpha-2 code, or -1 when it is not two letters A-Z. */
static inline int txs__rules_cc_bit(const char cc[2])
{
    unsigned a = (unsigned)(unsigned char)cc[0] - 'A';
    unsigned b = (unsigned)(unsigned char)cc[1] - 'A';
    return (a < 26u && b < 26u) ? (int)(a * 26u + b) : -1;
}

static inline int txs__rules_bit_get(const uint64_t *bits, int bit)
{
    return bit >= 0 && ((bits[bit >> 6] >> (bit & 63)) & 1u);
}

typedef struct txs_rule txs_rule;
struct txs_actx;
struct txs_gctx;
struct txs_acct;

/* What eval needs at run time.  Stateful kinds will add the account's state
 * blob and the event time here (see the top of this file). */
typedef struct txs_rule_ctx {
    txs_arena *arena;   /* the batch arena: evidence text lives here */
    txs_hit *out;       /* hits sink: out[n .. cap) */
    size_t cap;
    size_t n;
    size_t dropped;     /* hits that did not fit */
    const struct tp_scan *tp; /* the text_pattern matches (textpat_int.h) */
} txs_rule_ctx;

typedef struct txs_rule_ops {
    const char *kind;   /* the `kind:` value in YAML */
    const char *const *param_keys; /* NULL-terminated allowed params keys */
    /* Build time: check params (NULL when absent) and fill r->impl.  On
     * error fill d with doc's file and the offending line.  May allocate. */
    int (*compile)(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                   const txs_ruleset *rs, txs_diag *d);
    /* Release r->impl; called also after a failed compile. */
    void (*free)(txs_rule *r);
    /* Per-account state bytes; 0 = stateless.  (Unused: the state keeps one
     * shared event history per account, state_int.h.) */
    size_t state_size;
    /* Run time: append at most one hit per call (txs__rules_emit).
     * Returns 0 or TXS_E_NOMEM.  No malloc; evidence goes to ctx->arena. */
    int (*eval)(const txs_rule *r, const txs_txn *t, txs_rule_ctx *ctx);
    /* Kinds whose eval leaves the evidence for later (txs__rules_emit_later):
     * make it for t into a (rules.h txs_rules_evidence). */
    int (*evidence)(const txs_rule *r, const txs_txn *t, txs_arena *a, txs_slice *ev);
    /* Stateful kinds (state_int.h): scope TXS_SCOPE_ACCOUNT with eval_acct,
     * or TXS_SCOPE_GRAPH with eval_graph; eval is then NULL.  horizon is
     * how far back (seconds) the kind reads an account's events. */
    int scope;
    int (*eval_acct)(const txs_rule *r, struct txs_actx *c);
    int (*eval_graph)(const txs_rule *r, struct txs_gctx *c);
    int64_t (*horizon)(const txs_rule *r);
    /* Graph kinds that read the payer's events (may be NULL): the part a
     * partition judges on the payer's account for the link stage (state.h):
     * up to TXS_STATE_LINK_SRC identities into src; returns how many.
     * payee is the payee account's identity (h[0]). */
    int (*graph_src)(const txs_rule *r, const struct txs_acct *payer, const txs_txn *t,
                     int64_t base, uint64_t payee, uint64_t *src);
    /* 1: an account kind that also reads the run's clock (when data began,
     * new_account), so a shard cannot judge it: the graph job does. */
    int global;
} txs_rule_ops;

struct txs_rule {
    txs_rule_info info;      /* id, kind, weight, reason (public view) */
    const txs_rule_ops *ops;
    uint16_t index;          /* position in the rule set (hit.rule) */
    int enabled;
    int slot;                /* stateful rules: episode bit, else -1 */
    int link_names;          /* account kinds: also per person by name */
    uint32_t ev_channels;    /* stateful kinds: channels whose events they
                                read (state_events.c keeps cash and other events
                                for different horizons) */
    int64_t link_lo;         /* link_names: smallest base amount that can
                                count for the person (structuring band) */
    int64_t weight_ppm;      /* weight in parts per million, exact */
    int boost;               /* its hits count only beside another hit
                                (text_pattern `alone: false`, score.c) */
    void *impl;              /* the kind's compiled params */
};

struct txs_ruleset {
    const char *name;
    const char *version;
    const char *description;
    const char *file;        /* display name of the rule-set file */
    uint64_t hash;
    int band_edd, band_review, band_block;   /* 1..100, increasing */
    int64_t sanctions_weight_ppm;            /* weight of sanctions hits */
    int sanctions_weight_set;                /* scoring.sanctions_weight given */
    txs_ruleset_sanctions sanc;              /* `sanctions:` (sanctions_cfg.c) */
    txs_fx fx;
    txs_clist *lists;
    size_t nlists;
    txs_rule *rules;
    size_t nrules;
    const txs_rule **live;   /* enabled stateless rules, file order */
    size_t nlive;
    const txs_rule **acct;   /* enabled account-scope rules, file order */
    size_t nacct;
    const txs_rule **graph;  /* enabled graph-scope rules, file order */
    size_t ngraph;
    int64_t horizon;         /* longest horizon of the stateful rules */
    int any_link_names;
    struct txs_textpat *textpat; /* the text_pattern rules' one pattern set */
    txs_arena arena;         /* every string above */
};

/* The registry: all known kinds, NULL-terminated. */
extern const txs_rule_ops *const txs__rules_kinds[];
extern const txs_rule_ops txs__kind_threshold;
extern const txs_rule_ops txs__kind_corridor;
extern const txs_rule_ops txs__kind_structuring, txs__kind_pass_through,
    txs__kind_fan_in, txs__kind_fan_out, txs__kind_gather_scatter,
    txs__kind_round_amounts, txs__kind_amount_spike, txs__kind_velocity_spike,
    txs__kind_dormant, txs__kind_new_account, txs__kind_cycle,
    txs__kind_scatter_gather, txs__kind_text_pattern;

/* ------------------------------------------------ build-time helpers */

/* Parse the `fx:` map into rs->fx (rates malloc'ed, strings in rs->arena;
 * txs_ruleset_free releases them, also after an error). */
int txs__rules_fx_load(txs_ruleset *rs, const txs_ydoc *doc,
                       const txs_ynode *node, txs_diag *d);

/* A weight or threshold "0.35" -> 350000 ppm: 0..1, at most 6 decimals. */
int txs__rules_parse_ppm(const char *s, int64_t *out);

/* Parse the optional `sanctions:` section (node may be NULL) into rs->sanc
 * and, for `weight:`, rs->sanctions_weight_ppm.  Arrays go in rs->arena. */
int txs__rules_sanctions_load(txs_ruleset *rs, const txs_ydoc *doc,
                              const txs_ynode *node, txs_diag *d);

/* Read, hash (chained into rs->hash, after the files before it) and parse
 * one YAML file named at at:line; its root must be a map. */
int txs__rules_load_doc(txs_ruleset *rs, const char *path, const char *at,
                        unsigned long line, txs_ydoc **doc, txs_diag *d);

/* Read a file named at at:line whole (*buf malloc'd, the caller frees)
 * and chain its bytes into rs->hash. */
int txs__rules_read_file(txs_ruleset *rs, const char *path, const char *at,
                         unsigned long line, char **buf, size_t *len, txs_diag *d);

/* The country list named name, or NULL. */
const txs_clist *txs__rules_find_list(const txs_ruleset *rs, const char *name);

/* Parse a channels sequence ([cash, wire]) into a bitmask (1u << channel). */
int txs__rules_parse_channels(const txs_ydoc *doc, const txs_ynode *node,
                              uint32_t *mask, txs_diag *d);

/* Parse a boolean scalar (true/false); what names it in errors. */
int txs__rules_parse_bool(const txs_ydoc *doc, const txs_ynode *node,
                          const char *what, int *out, txs_diag *d);

/*
 * Per-currency amount gates: a map {CUR: "amount"} becomes min[cur] for
 * every currency index (TXS_RULES_NEVER where there is none).  With convert
 * set, currencies absent from the map get the first listed amount converted
 * through the rule set's FX table (rounded up to the currency's minor unit,
 * so `amount >= min[cur]` is exactly "worth at least the threshold");
 * currencies without a rate stay NEVER.  via[cur] (may be NULL) gets the
 * index of the listed currency a gate came from.  *first gets that first
 * listed currency.  min and via are malloc'ed; the caller frees them.
 */
int txs__rules_amounts(const txs_ydoc *doc, const txs_ynode *node,
                       const txs_ruleset *rs, int convert, int64_t **min,
                       int16_t **via, int *first, txs_diag *d);

/*
 * Convert `amount` minor units of currency `from` into currency `to` through
 * the FX table, rounded half away from zero.  Returns 0, or TXS_E_NOTFOUND
 * (no rate), or TXS_E_LIMIT (out of range).  Exact: 128-bit integers.
 */
int txs__rules_fx_convert(const txs_fx *fx, int64_t amount, int from, int to,
                          int64_t *out);

/* ------------------------------------------------ run-time helpers */

/* 1 when there is room for one more hit; else counts it as dropped. */
static inline int txs__rules_room(txs_rule_ctx *ctx)
{
    if (ctx->n < ctx->cap) return 1;
    ctx->dropped++;
    return 0;
}

/* Append a hit for rule r (caller checked txs__rules_room). */
static inline void txs__rules_emit(txs_rule_ctx *ctx, const txs_rule *r,
                                   double score, txs_slice account,
                                   txs_slice evidence)
{
    txs_hit *h = &ctx->out[ctx->n++];
    h->kind = TXS_HIT_TYPOLOGY;
    h->rule = r->index;
    h->score = score;
    h->account = account;
    h->evidence = evidence;
    h->later = 0;
}

/* Append a hit whose evidence r's ops->evidence makes when the transaction
 * is written (caller checked txs__rules_room). */
static inline void txs__rules_emit_later(txs_rule_ctx *ctx, const txs_rule *r, double score,
                                         txs_slice account)
{
    txs__rules_emit(ctx, r, score, account, (txs_slice){"", 0});
    ctx->out[ctx->n - 1].later = 1;
}

#endif /* TXS_RULES_INT_H */
