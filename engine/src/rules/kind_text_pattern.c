/*
 * kind_text_pattern.c: the `text_pattern` rule kind, stateless.
 * Definition: one of the rule's regular expressions matches one of the
 * transaction's free texts it names (purpose, remittance information,
 * instructions, party addresses, party names).  Patterns are written
 * inline (`patterns:`) and/or in a file of one pattern a line (`file:`,
 * read by textpat.c), each with an optional weight and label.  Flags:
 * caseless, utf8 (default on), unicode (\w \b by Unicode properties),
 * dotall.  `alone: false` makes the rule a
 * booster: its hit adds to the score of other hits but never alerts alone.
 *
 * Every text_pattern rule of a rule set shares one pattern set, scanned
 * once per transaction before the rules run (textpat_int.h); eval here
 * only reads the rule's best weight out of that scan.  At most one hit per
 * rule per transaction; its score is the largest weight among the
 * patterns that matched, its evidence (made only when the transaction is
 * written out, tp_evidence) the first matches with their text and capture
 * groups (TP_EVIDENCE of them, then a count of the rest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/textpat_int.h"
#include "txs/emit.h"
#include "txs/regex.h"

#define TP_EVIDENCE 8
#define TP_TEXT_MAX 200 /* bytes of a matched text or group in evidence */

static const char *const param_keys[] = {"patterns", "file",   "fields", "caseless", "utf8",
                                         "unicode",  "dotall", "alone",  NULL};

static const struct {
    const char *name;
    unsigned bits;
} FIELDS[] = {{"purpose", TP_PURPOSE},   {"remittance", TP_REMITTANCE},
              {"instructions", TP_INSTRUCTIONS}, {"addresses", TP_ADDRESS},
              {"names", TP_NAME},        {"all", TP_ALL}};

static void tp_free(txs_rule *r)
{
    tp_rule *p = r->impl;
    if (p == NULL) return;
    free(p->p);
    txs_arena_free(&p->arena);
    free(p);
    r->impl = NULL;
}

static int parse_fields(const txs_ydoc *doc, const txs_ynode *n, unsigned *out, txs_diag *d)
{
    *out = TP_PURPOSE | TP_REMITTANCE;
    if (n == NULL) return 0;
    if (n->type != TXS_Y_SEQ || n->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "fields must be a list of purpose, remittance, instructions, "
                            "addresses, names or all");
    *out = 0;
    for (size_t i = 0; i < n->n; i++) {
        const txs_ynode *v = n->items[i];
        size_t k = 0, nf = sizeof FIELDS / sizeof FIELDS[0];
        while (k < nf && !(v->type == TXS_Y_SCALAR && strcmp(v->str, FIELDS[k].name) == 0)) k++;
        if (k == nf)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "unknown field '%s' (expected purpose, remittance, "
                                "instructions, addresses, names or all)",
                                v->type == TXS_Y_SCALAR ? v->str : "?");
        *out |= FIELDS[k].bits;
    }
    return 0;
}

int txs__textpat_add(tp_rule *p, const char *expr, size_t len, int64_t w, const char *label,
                     size_t llen, const char *file, unsigned long line, const char *rule_id)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        tp_pat *q = realloc(p->p, cap * sizeof *q);
        if (q == NULL) return TXS_E_NOMEM;
        p->p = q, p->cap = cap;
    }
    tp_pat *t = &p->p[p->n];
    (void)rule_id; /* no label: "<rule id>#<n>", made for the evidence (label_of) */
    t->expr = txs_arena_dup(&p->arena, expr, len);
    t->label = label && llen ? txs_arena_dup(&p->arena, label, llen) : NULL;
    t->file = file;
    if (!t->expr || (label && llen && !t->label)) return TXS_E_NOMEM;
    t->len = len, t->weight_ppm = w, t->line = line;
    if (p->n == 0 || w > p->wmax) p->wmax = w;
    p->n++;
    return 0;
}

/* One `patterns:` item: "EXPR" or {pattern: EXPR, weight: W, label: L}. */
static int inline_pattern(tp_rule *p, const txs_ydoc *doc, const txs_ynode *v,
                          const char *file, const char *id, txs_diag *d)
{
    static const char *const keys[] = {"pattern", "weight", "label", NULL};
    if (v->type == TXS_Y_SCALAR)
        return txs__textpat_add(p, v->str, v->len, TXS_RULES_PPM, NULL, 0, file, v->line, id);
    if (v->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                            "a pattern is a string or {pattern, weight, label}");
    TXS_TRY(txs__ymap_check_keys(doc, v, "pattern", keys, d));
    const txs_ynode *e = txs__ymap_get(v, "pattern"), *w = txs__ymap_get(v, "weight");
    const txs_ynode *l = txs__ymap_get(v, "label");
    if (e == NULL || e->type != TXS_Y_SCALAR)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line, "a pattern needs pattern: TEXT");
    int64_t wp = TXS_RULES_PPM;
    if (w && (w->type != TXS_Y_SCALAR || txs__rules_parse_ppm(w->str, &wp) < 0))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, w->line,
                            "a pattern's weight must be a number from 0 to 1");
    if (l && l->type != TXS_Y_SCALAR)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, l->line, "label must be a string");
    return txs__textpat_add(p, e->str, e->len, wp, l ? l->str : NULL, l ? l->len : 0, file,
                            e->line, id);
}

static int flag(const txs_ydoc *doc, const txs_ynode *params, const char *key, unsigned bit,
                unsigned *flags, txs_diag *d)
{
    const txs_ynode *n = txs__ymap_get(params, key);
    int on = (*flags & bit) != 0;
    if (n) TXS_TRY(txs__rules_parse_bool(doc, n, key, &on, d));
    *flags = on ? (*flags | bit) : (*flags & ~bit);
    return 0;
}

static int tp_compile(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                      const txs_ruleset *rs, txs_diag *d)
{
    (void)rs;
    const txs_ynode *pats = params ? txs__ymap_get(params, "patterns") : NULL;
    const txs_ynode *file = params ? txs__ymap_get(params, "file") : NULL;
    if (pats == NULL && file == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "text_pattern rule '%s' needs params: patterns: [...] and/or "
                            "file: PATTERNS.txt", r->info.id);
    tp_rule *p = calloc(1, sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    r->impl = p;
    txs_arena_init(&p->arena, 4096);
    p->flags = TXS_RE_UTF8;
    p->alone = 1;
    const char *docfile = txs_arena_dup(&p->arena, doc->file, strlen(doc->file));
    if (docfile == NULL) return TXS_E_NOMEM;
    TXS_TRY(parse_fields(doc, txs__ymap_get(params, "fields"), &p->fields, d));
    TXS_TRY(flag(doc, params, "caseless", TXS_RE_CASELESS, &p->flags, d));
    TXS_TRY(flag(doc, params, "utf8", TXS_RE_UTF8, &p->flags, d));
    TXS_TRY(flag(doc, params, "unicode", TXS_RE_UCP, &p->flags, d));
    TXS_TRY(flag(doc, params, "dotall", TXS_RE_DOTALL, &p->flags, d));
    if ((p->flags & TXS_RE_UCP) && !(p->flags & TXS_RE_UTF8))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params->line,
                            "rule '%s': unicode: true needs utf8: true", r->info.id);
    const txs_ynode *alone = txs__ymap_get(params, "alone");
    if (alone) TXS_TRY(txs__rules_parse_bool(doc, alone, "alone", &p->alone, d));
    r->boost = !p->alone;
    if (pats && (pats->type != TXS_Y_SEQ || pats->n == 0))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, pats->line,
                            "patterns must be a list of patterns");
    for (size_t i = 0; pats && i < pats->n; i++)
        TXS_TRY(inline_pattern(p, doc, pats->items[i], docfile, r->info.id, d));
    if (file) {
        char path[1024];
        if (file->type != TXS_Y_SCALAR || file->len == 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, file->line,
                                "file must name a pattern file");
        if (txs__ypath_resolve(doc, file->str, path, sizeof path) < 0)
            return txs_diag_set(d, TXS_E_LIMIT, doc->file, file->line, "pattern file path too long");
        p->file = txs_arena_dup(&p->arena, path, strlen(path));
        if (p->file == NULL) return TXS_E_NOMEM;
        p->at = docfile;
        p->at_line = file->line;
    }
    return 0;
}

/* ------------------------------------------------------------ run time */

/* text[from, to) as a JSON string, cut to TP_TEXT_MAX bytes at a UTF-8
 * character boundary. */
static void put_text(txs_buf *b, const txs_slice text, size_t from, size_t to)
{
    if (from == SIZE_MAX || to > text.n || from > to) {
        txs_buf_puts(b, "null");
        return;
    }
    size_t n = to - from;
    if (n > TP_TEXT_MAX) {
        n = TP_TEXT_MAX;
        while (n > 0 && ((unsigned char)text.p[from + n] & 0xC0) == 0x80) n--;
    }
    txs_buf_json_str(b, text.p + from, n);
}

/* A pattern's label: its own, else "<rule id>#<n>" in def[cap] (made here,
 * not at load: 10,000 unlabelled keywords cost the cached load ~10 M
 * instructions of snprintf). */
static const char *label_of(const txs_rule *r, const tp_rule *p, const tp_pat *q, char *def,
                            size_t cap)
{
    if (q->label) return q->label;
    snprintf(def, cap, "%s#%zu", r->info.id, (size_t)(q - p->p) + 1);
    return def;
}

static void put_match(txs_buf *b, const txs_rule *r, const tp_rule *p, const tp_match *m,
                      int first)
{
    char field[64], def[96];
    const tp_pat *q = &p->p[m->id - p->first];
    txs__textpat_field_name(m, field, sizeof field);
    txs_buf_puts(b, first ? "{" : ",{");
    txs_buf_json_key(b, "field", 1);
    txs_buf_json_cstr(b, field);
    txs_buf_json_key(b, "pattern", 0);
    txs_buf_json_cstr(b, label_of(r, p, q, def, sizeof def));
    txs_buf_json_key(b, "text", 0);
    put_text(b, m->text, m->spans ? m->from[0] : SIZE_MAX, m->to[0]);
    if (m->groups) {
        txs_buf_json_key(b, "groups", 0);
        txs_buf_puts(b, "[");
        for (unsigned g = 1; g <= m->groups; g++) {
            if (g > 1) txs_buf_puts(b, ",");
            put_text(b, m->text, m->from[g] == UINT32_MAX ? SIZE_MAX : m->from[g], m->to[g]);
        }
        txs_buf_puts(b, "]");
    }
    txs_buf_puts(b, "}");
}

/* The rule's matches as evidence, made only for a transaction that is
 * written out (txs_rules_evidence): the texts scanned again with spans and
 * groups (textpat.c).  E.g.
 * {"matches":[{"field":"purpose","pattern":"mixer","text":"Tornado Cash",
 *  "groups":["Tornado"]}],"more":0} */
static int tp_evidence(const txs_rule *r, const txs_txn *t, txs_arena *a, txs_slice *ev)
{
    const tp_rule *p = r->impl;
    tp_scan *sc = NULL;
    int rc = txs__textpat_scan(p->set, t, &sc);
    txs_buf b;
    txs_buf_init_arena(&b, a, 256);
    txs_buf_puts(&b, "{");
    txs_buf_json_key(&b, "matches", 1);
    txs_buf_puts(&b, "[");
    size_t shown = 0, more = 0;
    for (size_t i = 0; rc == 0 && i < sc->nm; i++) {
        const tp_match *m = &sc->m[i];
        if (m->id < p->first || m->id >= p->first + p->n || !(m->field & p->fields)) continue;
        if (shown == TP_EVIDENCE) {
            more++;
            continue;
        }
        put_match(&b, r, p, m, shown++ == 0);
    }
    txs_buf_puts(&b, "]");
    txs_buf_json_key(&b, "more", 0);
    txs_buf_printf(&b, "%zu", more + (sc ? sc->more : 0));
    txs_buf_puts(&b, "}");
    txs__textpat_release(p->set, sc);
    TXS_TRY(rc);
    return txs_buf_done(&b, ev);
}

/* Detection only: the rule's best weight from the set's one scan
 * (textpat.c); the evidence waits for tp_evidence. */
static int tp_eval(const txs_rule *r, const txs_txn *t, txs_rule_ctx *ctx)
{
    const tp_rule *p = r->impl;
    const tp_scan *sc = ctx->tp;
    if (sc == NULL || sc->best[p->slot] < 0 || !txs__rules_room(ctx)) return 0;
    txs_slice acct = t->orig.account.n ? t->orig.account : t->bene.account;
    txs__rules_emit_later(ctx, r, (double)sc->best[p->slot] / TXS_RULES_PPM, acct);
    return 0;
}

const txs_rule_ops txs__kind_text_pattern = {
    .kind = "text_pattern",
    .param_keys = param_keys,
    .compile = tp_compile,
    .free = tp_free,
    .state_size = 0,
    .eval = tp_eval,
    .evidence = tp_evidence,
};
