/*
 * state_int.h: private to the engine.  Per-account state for the stateful
 * rule kinds (structuring, pass-through, fan-in/out, history, graph kinds),
 * kept by state_table.c (the account table), state_events.c (events and
 * history), state_eval.c (the rule driver), state_evidence.c (evidence
 * JSON) and state_file.c (the --state file), and read by kind_window.c and
 * kind_graph.c.
 *
 *   txs_state
 *     +-- slots[]  open addressing, linear probing: (xxh3 tag, index)
 *     +-- accts[]  dense array of txs_acct, in first-seen order
 *           +-- ev[]   this account's recent events, sorted by event time,
 *                      kept for the longest window (+ lateness), at most
 *                      TXS_EV_MAX; heap block sized 4, 8, ... TXS_EV_MAX
 *           +-- aggregates for the history kinds (30-day buckets, Welford)
 *           +-- graph entries (cycle reach, scatter-gather branches), grown
 *               on first use
 *
 * An account is identified by XXH3-128 of its text (tagged: a party's
 * account, or a person's normalised name for rules that link accounts by
 * name), so the table stores no key strings; two different accounts share
 * an identity with probability about n^2 / 2^129.
 *
 * Episodes: every event carries a bit per stateful rule ("used"): once an
 * episode of rule R alerts, its evidence events are marked, and later
 * episodes of R on that account are built only from unmarked events.  So a
 * transaction is evidence in at most one episode per rule and account, and
 * a pattern raises one alert, on the transaction that completes it.
 *
 * Everything here is plain data (no pointers into batch memory): evidence
 * text such as txn ids and counterparties is copied into the event, cut to
 * TXS_EV_ID / TXS_EV_TEXT bytes (a longer text keeps its head, '~' and 8
 * hex digits of its xxh3, so it stays unique and searchable).
 */
#ifndef TXS_STATE_INT_H
#define TXS_STATE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rules/rules_int.h"
#include "txs/state.h"

#define TXS_EV_TEXT 24       /* counterparty text kept */
#define TXS_EV_ID 40         /* txn id text kept */
#define TXS_EV_MAX 128       /* events kept per account (oldest dropped) */
#define TXS_STATEFUL_MAX 16  /* stateful rules per rule set (used bits) */

enum { TXS_EV_IN = 1, TXS_EV_OUT = 2 };
/* Flags: the amount is a whole multiple of 100, 1,000, 10,000 units of its
 * currency. */
enum { TXS_EVF_R100 = 1, TXS_EVF_R1000 = 2, TXS_EVF_R10000 = 4 };

typedef struct txs_ev {
    int64_t ts;
    int64_t base;            /* amount in base-currency minor units; -1:
                                unknown (no FX rate, or negative) */
    uint64_t cp;             /* counterparty identity (xxh3), 0: none */
    uint16_t used;           /* episode bits, by stateful slot */
    uint8_t dir;             /* TXS_EV_IN / TXS_EV_OUT */
    uint8_t channel;
    uint8_t flags;           /* TXS_EVF_* */
    uint8_t id_n, cpt_n;
    char cp_cc[2];           /* counterparty country, {0,0}: none */
    char cp_bank_cc[2];      /* counterparty's BIC country */
    char id[TXS_EV_ID];      /* txn id */
    char cpt[TXS_EV_TEXT];   /* counterparty account (or name for cash) */
} txs_ev;

/* Cycle reach: "funds that left `origin` at `start` arrived here after
 * `hops` transfers, the last of base value `amount` at `last`". */
typedef struct txs_reach {
    uint64_t origin;
    int64_t start, last, amount;
    uint8_t hops, id_n;
    char first_id[TXS_EV_ID];
} txs_reach;

/* Scatter-gather branch seen at the sink: source -> via -> here. */
typedef struct txs_branch {
    uint64_t source, via;
    int64_t ts, amount;
    uint8_t id_n, via_n;
    char id[TXS_EV_ID];
    char via_t[TXS_EV_TEXT];
} txs_branch;

#define TXS_REACH_MAX 8
#define TXS_BRANCH_MAX 16

/* Both lists grow on use (2, 4, ... up to the maximum), so an account that
 * takes part in no cross-account flow holds none. */
typedef struct txs_graph {
    txs_reach *reach;
    txs_branch *br;
    uint8_t nreach, capreach, nbr, capbr;
} txs_graph;

/* History buckets: 30 days each, the current one and the two before. */
#define TXS_BUCKET_SECS (30 * 86400)

typedef struct txs_acct {
    uint64_t h[2];           /* identity */
    int64_t first_ts;        /* first event seen (any run, via --state) */
    int64_t last_ts;         /* latest event time folded into history */
    int64_t max_ts;          /* latest event time inserted */
    txs_ev *ev;              /* sorted by ts, n used of cap */
    uint16_t n, cap;
    uint16_t alerted;        /* once-per-account kinds, by slot */
    uint16_t pad;
    uint32_t hist_n;         /* events folded into the aggregates */
    double mean, m2;         /* Welford over base amounts */
    int64_t bucket;          /* index (ts / TXS_BUCKET_SECS) of bmax[0] */
    int64_t bmax[3];         /* largest base amount per bucket */
    uint32_t bcnt[3];        /* events per bucket */
    txs_graph g;             /* empty until a graph kind needs it */
} txs_acct;

/* What a stateful kind's eval sees: one account after the new event was
 * inserted (ev[cur]), before the history aggregates take it in. */
typedef struct txs_actx {
    txs_rule_ctx *rc;        /* hits sink and batch arena */
    const txs_ruleset *rs;
    const txs_txn *t;
    txs_acct *a;
    int cur;                 /* index of the new event in a->ev */
    txs_slice account;       /* the account's text (for the hit) */
    int by_name;             /* a person's name links accounts */
    int slot;                /* the rule's used bit */
    int64_t observed_since;  /* day the state first saw data (UTC 00:00) */
    int64_t prev_last;       /* a->last_ts before this event, 0: none */
    struct txs_buf *scratch; /* not used by kinds; reserved */
} txs_actx;

/* What a graph kind sees: both parties' accounts (NULL if absent). */
typedef struct txs_gctx {
    txs_rule_ctx *rc;
    const txs_ruleset *rs;
    const txs_txn *t;
    txs_acct *orig, *bene;
    int64_t base;            /* the amount in base minor units, -1 unknown */
    int slot;
    /* A partitioned state's link stage: what graph_src gave on the payer's
     * partition (orig is then a record without events); NULL otherwise. */
    const uint64_t *src;
    int nsrc;
} txs_gctx;

/* Scope of a kind (txs_rule_ops.scope). */
enum {
    TXS_SCOPE_TXN = 0,       /* stateless: txs_rules_eval */
    TXS_SCOPE_ACCOUNT = 1,   /* one account's own history: eval_acct */
    TXS_SCOPE_GRAPH = 2      /* flows between accounts: eval_graph */
};

/* ------------------------------------------------ helpers for the kinds */

/* Copy text (n bytes) into dst of cap bytes, shortened as said above. */
void txs__state_copy_text(char *dst, uint8_t *dn, const char *p, size_t n, size_t cap);

/* Room for one more reach entry / branch in g: 0, or 1 when the list is
 * at its maximum (the caller replaces one), or TXS_E_NOMEM (which is -1,
 * so "full" must not be). */
int txs__graph_more_reach(txs_graph *g);
int txs__graph_more_branches(txs_graph *g);

/* Window [from, to] a kind evaluates for ctx: it ends at the account's
 * latest event when the new one falls inside that window, else at the new
 * event (a late record). */
void txs__state_window(const txs_actx *c, int64_t window, int64_t *from, int64_t *to);

/* The identity of account text (tag 0) or a normalised name (tag 1). */
void txs__state_ident(const char *p, size_t n, int tag, uint64_t h[2]);

/* Append the evidence JSON of events idx[0..k) of a (txn ids, total,
 * window, counterparties) to the open object in b; the caller writes the
 * braces and any kind-specific keys.  base is the rule set's base currency
 * index.  with_total 0 leaves "total" out, for kinds whose events flow both
 * ways (their in_total and out_total say more). */
struct txs_buf;
void txs__state_put_events(struct txs_buf *b, const txs_acct *a, const int *idx, int k,
                           int64_t from, int64_t to, int64_t window, int base, int with_total);
/* "PT72H" / "P7D" / "PT30M" for a duration in seconds into out[24]. */
void txs__state_fmt_duration(int64_t secs, char out[24]);
/* A base-currency amount as a JSON string value. */
void txs__state_put_money(struct txs_buf *b, int64_t v, int base);

/* ------------------------------------------------ build-time param helpers */

/* "72h", "7d", "30m", "90s", or ISO 8601 "P7D", "PT8H", "P1DT12H". */
int txs__rules_duration(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                        int64_t *secs, txs_diag *d);
/* A money amount in the base currency: "10000.00" (base), or {EUR: "9000"}
 * converted through the FX table.  The rule set must have an fx: base. */
int txs__rules_money(const txs_ydoc *doc, const txs_ynode *n, const txs_ruleset *rs,
                     const char *what, int64_t *out, txs_diag *d);
/* A non-negative decimal ratio such as "0.85" or "1.15" in ppm (<= 1000). */
int txs__rules_ratio(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                     int64_t *ppm, txs_diag *d);
/* A positive integer count. */
int txs__rules_count(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                     uint32_t *out, txs_diag *d);
/* 0 when rs has an fx base currency, else TXS_E_CONFIG naming rule r (a
 * stateful kind keeps amounts in the base currency). */
int txs__rules_need_base(const txs_rule *r, const txs_ruleset *rs, const txs_ydoc *doc,
                         const txs_ynode *params, txs_diag *d);
/* direction: in | out | both -> TXS_EV_* mask. */
int txs__rules_direction(const txs_ydoc *doc, const txs_ynode *n, int *mask, txs_diag *d);

/* The parameters of the stateful kinds, read by one routine from a table per
 * family of kinds: each entry names a key, how its value is read and where
 * in the kind's parameter struct it goes. */
typedef enum txs__ptype {
    TXS__P_DURATION,  /* int64_t seconds (txs__rules_duration) */
    TXS__P_MONEY,     /* int64_t base-currency minor units (txs__rules_money) */
    TXS__P_RATIO,     /* int64_t ppm (txs__rules_ratio) */
    TXS__P_BAND,      /* int64_t ppm, a ratio strictly between 0 and 1: the
                         lower edge of a band under a threshold */
    TXS__P_COUNT,     /* uint32_t (txs__rules_count) */
    TXS__P_COUNT0,    /* uint32_t, a count or 0 (off) */
    TXS__P_CHANNELS,  /* uint32_t bit per channel */
    TXS__P_DIRECTION, /* int, TXS_EV_* mask */
    TXS__P_BOOL,      /* int, 0 or 1 */
    TXS__P_CLIST      /* const txs_clist *: a country list named in the rule set */
} txs__ptype;

typedef struct txs__param {
    const char *key;
    txs__ptype type;
    size_t off;       /* offsetof the value in the kind's parameter struct */
    uint32_t kinds;   /* bit per kind number the entry serves; 0: every kind */
} txs__param;

/* Read rule r's params map (may be NULL) into dst, in the map's order: a key
 * is read by the first of tab[0..n) that names it and serves kind; other keys
 * are left alone (ruleset.c checked them against the kind's param_keys).
 * Errors name "rule 'ID': KEY" and the value's FILE:LINE. */
int txs__rules_read_params(const txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                           const txs_ruleset *rs, const txs__param *tab, size_t n, int kind,
                           void *dst, txs_diag *d);

/* The inputs a state has absorbed (state_ledger.c). */
typedef struct txs__ledger txs__ledger;
txs__ledger *txs__ledger_new(void);
void txs__ledger_free(txs__ledger *l); /* accepts NULL */
int txs__ledger_has(const txs__ledger *l, uint64_t xxh3, uint64_t bytes);
/* Append (a known input is not added twice; past TXS_STATE_INPUTS_MAX the
 * oldest is forgotten).  0 or TXS_E_NOMEM. */
int txs__ledger_add(txs__ledger *l, const txs_state_input *in);
size_t txs__ledger_count(const txs__ledger *l);
const txs_state_input *txs__ledger_at(const txs__ledger *l, size_t i);
/* The entries as stored in the state file: count * sizeof(txs_state_input)
 * bytes, oldest first. */
const void *txs__ledger_bytes(const txs__ledger *l, size_t *n);
/* Replace the entries with count stored ones at p; TXS_E_FORMAT when count
 * exceeds TXS_STATE_INPUTS_MAX. */
int txs__ledger_load(txs__ledger *l, const void *p, size_t count);

/* ------------------------------------- inside the state (state_*.c only) */

typedef struct txs__slot {
    uint32_t tag;   /* low 32 bits of h[1], 0 with idx 0: empty */
    uint32_t idx;   /* index + 1 into accts */
} txs__slot;

/* The counterparty register (state_cpty.c): every distinct counterparty
 * the state has seen, for look-back screening when the lists change
 * (state.h "Counterparties").  One record of 48 bytes per counterparty,
 * its name and last transaction reference in pool (name, then the
 * reference in ref_cap bytes, so a later reference of the same length or
 * shorter is written in place), and an open-addressing table of uint32
 * indexes at a load factor of at most 1/2.
 *
 *   slot[]  h[0] & mask -> index + 1
 *   v[]     txs__cp, in first-seen order
 *   pool    "ACME TRADING LLC" "T000123" "BANK MELLAT" "T000124" ...
 */
typedef struct txs__cp {
    uint64_t h[2];           /* identity (txs__cp_ident) */
    int64_t last_ts;         /* latest transaction time seen with it */
    uint64_t off;            /* name at pool + off, then the reference */
    uint32_t seen;           /* transactions seen with it (saturates) */
    uint8_t kind;            /* TXS_CP_* */
    uint8_t name_n, ref_n, ref_cap;
    char cc[2];              /* the party's country, {0,0}: none */
    uint8_t pad[2];
} txs__cp;

typedef struct txs__cpreg {
    txs__cp *v;
    size_t n, cap;
    uint32_t *slot;          /* index + 1; 0: empty */
    size_t mask;             /* nslots - 1, 0 before the first insert */
    char *pool;
    size_t pn, pcap;
} txs__cpreg;

void txs__cp_free(txs__cpreg *r);
/* Record one sighting: creates the counterparty or, when ts is not older
 * than its last sighting, moves its last sighting here.  0 or TXS_E_NOMEM. */
int txs__cp_observe(txs__cpreg *r, const uint64_t h[2], int kind, const char cc[2],
                    txs_slice name, int64_t ts, txs_slice ref);
/* Add a counterparty read from a state file: TXS_E_FORMAT when it is
 * there already, else as txs__cp_observe with its count. */
int txs__cp_load(txs__cpreg *r, const uint64_t h[2], int kind, const char cc[2],
                 txs_slice name, int64_t ts, txs_slice ref, uint32_t seen);
/* Heap bytes of r (records, slots, pool). */
uint64_t txs__cp_bytes(const txs__cpreg *r);
/* The counterparties of t into k's cp fields (thread-safe). */
struct txs_state_key;
void txs__cp_key(const txs_txn *t, struct txs_state_key *k);

/* The open cases (state_cases.c, state.h "Cases"): records in the order
 * first put, their subjects in pool, and an open-addressing table of
 * indexes keyed by the hash at a load factor of at most 1/2.  A dropped
 * case keeps its record (gone = 1) until the state is written. */
typedef struct txs__case {
    uint64_t h;
    int64_t last_ts;
    uint64_t off;            /* subject at pool + off: a, b, c */
    uint32_t n[3];
    uint8_t kind, gone, pad[2];
} txs__case;

typedef struct txs__casereg {
    txs__case *v;
    size_t n, cap;
    uint32_t *slot;          /* index + 1; 0: empty */
    size_t mask;             /* nslots - 1, 0 before the first put */
    char *pool;
    size_t pn, pcap;
} txs__casereg;

struct txs_state {
    const txs_ruleset *rs;
    txs_state_opts o;
    txs__slot *slots;
    size_t mask;            /* nslots - 1 */
    txs_acct *accts;
    size_t n, cap;
    int64_t keep_cash;      /* cash events: horizon of the rules reading
                               cash, + lateness */
    int64_t keep_other;     /* other events: likewise */
    int64_t link_lo;        /* persons: smallest amount any linking rule
                               counts; INT64_MAX: no linking rule */
    uint64_t rules_hash;
    txs_state_stats st;
    /* A partition of a partitioned state: pn partitions, this is pk.  pn 0:
     * a table of its own (every account). */
    unsigned pn, pk;
    /* A partitioned state: its partitions and the link table (flow lists
     * of the graph kinds), and room for txs_state_eval's sequential feed. */
    unsigned nparts;
    txs_state **part;
    txs_state *link;
    txs_hit *tmp;           /* [nparts * TXS_MAX_HITS] */
    txs__ledger *ledger;    /* inputs absorbed; NULL in partitions */
    txs__cpreg cp;          /* counterparties this table (partition) owns */
    /* The lists the state last saw (from its file) and the ones this run
     * screens with (txs_state_set_lists); top-level state only. */
    txs_state_list *lists_prev, *lists_now;
    size_t nlists_prev, nlists_now;
    int64_t cp_retention;   /* seconds */
    uint64_t cp_expired;    /* dropped by the last write */
    txs__casereg cases;     /* open cases; top-level state only */
    /* A look-back load (txs_state_load_lookback): the file mapped, and its
     * account records at map + off, len bytes, na of them, written under
     * rules_hash; map NULL otherwise. */
    struct txs__raw {
        unsigned char *map;
        size_t maplen, off, len;
        uint64_t na, rules_hash;
        int fd; /* the file mapped, open while map is (txs_out_copy's source) */
    } raw;
};

/* The partition (of pn) an identity lives in: the top half of h[1], which
 * the table does not use for its slot index (h[0]) nor tag (low half). */
static inline unsigned txs__state_part_of(const uint64_t h[2], unsigned pn)
{
    return (unsigned)(((h[1] >> 32) * (uint64_t)pn) >> 32);
}

/* state_table.c */
/* Room for k more accounts.  The driver reserves before it looks up any
 * account, because growing moves accts and would leave the pointers it
 * holds to the other party's account dangling.  0 or TXS_E_NOMEM. */
int txs__state_reserve(txs_state *s, size_t k);
/* The account with identity h, or NULL. */
txs_acct *txs__state_find(const txs_state *s, const uint64_t h[2]);
/* The account with identity h, created zeroed when absent; NULL: no memory. */
txs_acct *txs__state_get(txs_state *s, const uint64_t h[2]);

/* state_events.c */
/* The event of one side of t; base amount converted once per txn.  cp_h0
 * is the counterparty account's identity (h[0]), already computed for its
 * own side, or 0 when it has no account. */
void txs__state_make_event(txs_ev *e, const txs_txn *t, int dir, const txs_party *cp,
                           int64_t base, uint64_t cp_h0);
/* Insert e into a (sorted by ts); expire events older than the horizon;
 * returns the new event's index, or -1 when out of memory. */
int txs__state_ev_insert(txs_state *s, txs_acct *a, const txs_ev *e);
/* Fold the new event into the history aggregates (after the rules). */
void txs__state_fold(txs_acct *a, const txs_ev *e);

/* state_cpty.c */
/* Record t's counterparties that s (a table or a partition) owns. */
int txs__cp_feed(txs_state *s, const txs_txn *t, const txs_state_key *key);
/* Drop counterparties not seen within the retention of the state's latest
 * event; returns how many, or TXS_E_NOMEM. */
int64_t txs__cp_expire(txs_state *s);
/* Counterparties held in s and its partitions, and their heap bytes. */
uint64_t txs__cp_count(txs_state *s, uint64_t *bytes);
/* Their names' and references' bytes (a state file's text of them). */
uint64_t txs__cp_text(txs_state *s);
/* The lists a state file recorded (state_file.c). */
int txs__cp_set_prev(txs_state *s, const txs_state_list *v, size_t n);

/* state_file.c: unmap a look-back load's accounts (txs_state_free). */
void txs__state_raw_free(txs_state *s);

/* state_cases.c */
void txs__case_free(txs__casereg *r);
/* The case section of the state file (version 5) into b: the cases raised
 * within the retention of the state's latest event (the others are
 * dropped first), in (h, kind) order.  0 or TXS_E_NOMEM. */
struct txs_buf;
int txs__case_section(txs_state *s, struct txs_buf *b);
/* Read a case section of n bytes at p into s (empty before).  0,
 * TXS_E_NOMEM, or TXS_E_FORMAT with *at the offset of the bad record. */
int txs__case_load(txs_state *s, const unsigned char *p, size_t n, size_t *at);

#endif /* TXS_STATE_INT_H */
