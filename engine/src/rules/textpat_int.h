/*
 * textpat_int.h: private to rules/.  The `text_pattern` rule kind
 * (kind_text_pattern.c: params, evidence) and the rule set's one pattern
 * set behind all its text_pattern rules (textpat.c: pattern files, the
 * Hyperscan + PCRE2 set, its cache, the per-transaction scan).
 *
 *   rule set
 *     +-- rules[k].impl = tp_rule { fields, flags, alone, patterns[] }
 *     +-- textpat = txs_textpat
 *           +-- ps: one txs_patset over every enabled rule's patterns,
 *           |       pattern id = rule's first + index
 *           +-- owner[id]: the rule that pattern belongs to
 *           +-- pool of tp_scan (a Hyperscan scratch each), one per thread
 *
 * Run time, in two steps, because where a pattern matched and what it
 * captured cost several times whether it matched:
 *   detection  txs_rules_eval scans the transaction's texts once for every
 *              text_pattern rule (txs__textpat_detect) before walking the
 *              rules: Hyperscan's candidates, PCRE2 confirming a candidate
 *              only when it would raise its rule's best weight; each rule
 *              then reads its best weight from the tp_scan in ctx->tp, so
 *              hits still come in rule order, their evidence left for later;
 *   evidence   for a transaction that is written out (rules.h
 *              txs_rules_evidence), the full scan (txs__textpat_scan): every
 *              match with its spans and groups from PCRE2.
 */
#ifndef TXS_TEXTPAT_INT_H
#define TXS_TEXTPAT_INT_H

#include "rules/rules_int.h"
#include "txs/patset.h"

/* The texts a rule can scan (`fields:`), one bit each. */
enum {
    TP_PURPOSE = 1u,       /* purpose (CSV/JSONL column, Purp, :26T:) */
    TP_REMITTANCE = 2u,    /* remittance information (RmtInf, MT :70:) */
    TP_INSTRUCTIONS = 4u,  /* instructions and regulatory text (:72:, :77B:) */
    TP_ADDRESS = 8u,       /* every party's address */
    TP_NAME = 16u,         /* every party's name */
    TP_ALL = 31u
};

typedef struct tp_pat {
    const char *expr;
    size_t len;
    int64_t weight_ppm;    /* the pattern's own weight, default 1 */
    const char *label;     /* `label`, or NULL: "<rule id>#<n>" in evidence */
    const char *file;      /* where it was written */
    unsigned long line;
} tp_pat;

typedef struct tp_rule {
    unsigned fields;       /* TP_* */
    unsigned flags;        /* TXS_RE_* */
    int alone;             /* 0: the hit only adds to other hits' score */
    tp_pat *p;
    size_t n, cap;
    const char *file;      /* `file:` resolved, or NULL */
    const char *at;        /* the rule set naming it, and the line */
    unsigned long at_line;
    size_t first;          /* id of p[0] in the rule set's pattern set */
    size_t slot;           /* its index among the set's rules (tp_scan.best) */
    int64_t wmax;          /* the largest weight of its patterns */
    const struct txs_textpat *set; /* the rule set's pattern set */
    txs_arena arena;       /* strings */
} tp_rule;

/* One match of one pattern in one text. */
#define TP_GROUPS 4
typedef struct tp_match {
    uint32_t id;           /* pattern id in the set */
    uint8_t field;         /* TP_* bit of the text */
    int8_t side;           /* -1: none, 0 orig, 1 bene, 2+: payment role + 2 */
    uint8_t spans, groups;
    txs_slice text;        /* the whole text (borrowed from the txn) */
    uint32_t from[TP_GROUPS + 1], to[TP_GROUPS + 1];
} tp_match;

#define TP_MAX_MATCHES 64
typedef struct tp_scan {
    txs_patscratch *s;
    int64_t *best;         /* detection: [rule slot] the largest weight of a
                              pattern that matched, -1: none */
    size_t nm, more;       /* matches kept; matches beyond TP_MAX_MATCHES */
    tp_match m[TP_MAX_MATCHES];
    uint8_t field;         /* the text being scanned (callback state) */
    int8_t side;
    txs_slice text;
} tp_scan;

typedef struct txs_textpat txs_textpat;

/* Append one pattern to a rule (expr and label copied into its arena; a
 * NULL or empty label stays NULL, shown as "<rule_id>#<n>" in evidence;
 * rule_id is unused).  file must outlive p. */
int txs__textpat_add(tp_rule *p, const char *expr, size_t len, int64_t w, const char *label,
                     size_t llen, const char *file, unsigned long line, const char *rule_id);

/* Read the rules' pattern files (chained into the rule-set hash, in rule
 * order), build one pattern set (from the cache when o names one) and
 * point rs->textpat at it; nothing to do without text_pattern rules.  A bad
 * pattern: TXS_E_CONFIG, d naming its file, line, pattern and the engine's
 * error offset. */
int txs__textpat_build(txs_ruleset *rs, const txs_ruleset_opts *o, txs_diag *d);
void txs__textpat_free(txs_textpat *tp);
/* Detection: every rule's best weight on t in (*out)->best (a tp_scan
 * from the pool; give it back with txs__textpat_release).  Returns 0,
 * TXS_E_NOMEM or TXS_E_UNSUPPORTED. */
int txs__textpat_detect(const txs_textpat *tp, const txs_txn *t, tp_scan **out);
/* Scan t's texts for evidence: a tp_scan from the pool (*out; give it back with
 * txs__textpat_release).  Returns 0, TXS_E_NOMEM or TXS_E_UNSUPPORTED. */
int txs__textpat_scan(const txs_textpat *tp, const txs_txn *t, tp_scan **out);
void txs__textpat_release(const txs_textpat *tp, tp_scan *sc);
/* Figures for rules.h txs_ruleset_pattern_info. */
void txs__textpat_info(const txs_textpat *tp, txs_ruleset_patterns *out);
/* The name of a match's text in evidence: "purpose", "bene_address",
 * "ultimate_debtor_name", ... into buf[cap]. */
void txs__textpat_field_name(const tp_match *m, char *buf, size_t cap);

#endif /* TXS_TEXTPAT_INT_H */
