/*
 * kind_corridor.c: the `corridor` rule kind, stateless.  Definition: the
 * originator's or beneficiary's country, or the country in letters 5-6 of
 * that party's BIC, is in a named country list.  Params choose the lists
 * (list: or lists:), the parties (orig, bene), the fields (country,
 * bank_country), optionally channels and a minimum amount (per currency,
 * others converted through the FX table; no rate means no hit).
 *
 * A payment message (txs_txn.ext) adds the agents on its chain when the
 * rule looks at bank countries: every agent's BIC country (else its
 * address country), so a payment routed through a listed intermediary is a
 * hit even when both ends are clean; the evidence names the agent's role
 * and the value's source.
 *
 * At most one hit per rule per transaction: its evidence names every field
 * that matched.  Compile unions the lists into one bitset indexed by the raw
 * code bytes, so the miss path is four branch-free bit tests; which list a
 * country came from is worked out only on a hit.  Score of a hit: 1.0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "txs/emit.h"
#include "txs/payments.h"
#include "txs/values.h"

#define MAX_LISTS 16

/* Field bits, in evidence order: orig first. */
enum { F_ORIG_CC = 1, F_ORIG_BANK = 2, F_BENE_CC = 4, F_BENE_BANK = 8 };
static const char *const field_names[4] = {"orig_country", "orig_bank_country",
                                           "bene_country", "bene_bank_country"};

/* The union of a rule's lists indexed by the two raw code bytes
 * (c0 << 8 | c1): 8 KiB per rule buys a branch-free, validation-free test,
 * since absent ({0,0}) or malformed codes simply index clear bits. */
#define RAW_WORDS (65536 / 64)

typedef struct corridor {
    uint64_t raw[RAW_WORDS];            /* union of the lists, by raw bytes */
    const txs_clist *lists[MAX_LISTS];  /* owned by the rule set */
    size_t nlists;
    unsigned fields;                    /* F_* mask */
    uint32_t channels;
    int64_t *min;                       /* [ncur] or NULL: no minimum */
    int ncur;
} corridor;

static const char *const param_keys[] = {"list", "lists", "parties", "fields",
                                         "channels", "min_amount", NULL};

static void corridor_free(txs_rule *r)
{
    corridor *p = r->impl;
    if (p == NULL) return;
    free(p->min);
    free(p);
    r->impl = NULL;
}

static int add_list(corridor *p, const txs_ruleset *rs, const txs_ydoc *doc,
                    const txs_ynode *n, txs_diag *d)
{
    const txs_clist *l = n->type == TXS_Y_SCALAR ? txs__rules_find_list(rs, n->str) : NULL;
    if (l == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "no country list named '%s' in country_lists",
                            n->type == TXS_Y_SCALAR ? n->str : "?");
    if (p->nlists == MAX_LISTS)
        return txs_diag_set(d, TXS_E_LIMIT, doc->file, n->line,
                            "a corridor rule takes at most %d lists", MAX_LISTS);
    p->lists[p->nlists++] = l;
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++) {
            if (!txs__rules_bit_get(l->bits, a * 26 + b)) continue;
            unsigned raw = (unsigned)('A' + a) << 8 | (unsigned)('A' + b);
            p->raw[raw >> 6] |= (uint64_t)1 << (raw & 63);
        }
    return 0;
}

static int compile_lists(corridor *p, const txs_ynode *params, const txs_ydoc *doc,
                         const txs_ruleset *rs, const char *id, txs_diag *d)
{
    const txs_ynode *one = txs__ymap_get(params, "list");
    const txs_ynode *many = txs__ymap_get(params, "lists");
    if ((one == NULL) == (many == NULL))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "corridor rule '%s' needs exactly one of list: or lists:", id);
    if (one) return add_list(p, rs, doc, one, d);
    if (many->type != TXS_Y_SEQ || many->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, many->line,
                            "lists must be a list of country list names");
    for (size_t i = 0; i < many->n; i++) TXS_TRY(add_list(p, rs, doc, many->items[i], d));
    return 0;
}

/* parties: [orig, bene] and fields: [country, bank_country] -> F_* mask. */
static int pick(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                const char *a, const char *b, unsigned *out, txs_diag *d)
{
    *out = 3;
    if (n == NULL) return 0;
    *out = 0;
    if (n->type != TXS_Y_SEQ || n->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "%s must be a list of %s and/or %s", what, a, b);
    for (size_t i = 0; i < n->n; i++) {
        const txs_ynode *v = n->items[i];
        const char *s = v->type == TXS_Y_SCALAR ? v->str : "";
        if (strcmp(s, a) == 0)
            *out |= 1;
        else if (strcmp(s, b) == 0)
            *out |= 2;
        else
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "unknown %s '%s' (expected %s or %s)", what, s, a, b);
    }
    return 0;
}

static int corridor_compile(txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                            const txs_ruleset *rs, txs_diag *d)
{
    if (params == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, 1,
                            "corridor rule '%s' needs params: list: NAME", r->info.id);
    corridor *p = calloc(1, sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    r->impl = p;
    p->channels = ~0u;
    p->ncur = txs_currency_count();
    TXS_TRY(compile_lists(p, params, doc, rs, r->info.id, d));
    unsigned parties, fields;
    TXS_TRY(pick(doc, txs__ymap_get(params, "parties"), "party", "orig", "bene",
                 &parties, d));
    TXS_TRY(pick(doc, txs__ymap_get(params, "fields"), "field", "country",
                 "bank_country", &fields, d));
    /* fields bit0 country, bit1 bank_country; parties pick the side. */
    p->fields = ((parties & 1) ? fields : 0) | ((parties & 2) ? fields << 2 : 0);
    const txs_ynode *ch = txs__ymap_get(params, "channels");
    if (ch) TXS_TRY(txs__rules_parse_channels(doc, ch, &p->channels, d));
    const txs_ynode *min = txs__ymap_get(params, "min_amount");
    int first;
    if (min) TXS_TRY(txs__rules_amounts(doc, min, rs, 1, &p->min, NULL, &first, d));
    return 0;
}

static const char *field_cc(const txs_txn *t, int f)
{
    switch (f) {
    case 0: return t->orig.country;
    case 1: return t->orig.bank_country;
    case 2: return t->bene.country;
    default: return t->bene.bank_country;
    }
}

/* The first of the rule's lists that holds the country at bit. */
static const txs_clist *list_of(const corridor *p, int bit)
{
    for (size_t i = 0; i < p->nlists; i++)
        if (txs__rules_bit_get(p->lists[i]->bits, bit)) return p->lists[i];
    return p->lists[0];
}

/* Cold path: a hit on the fields in mask m.  Evidence, e.g.
 * {"list":"fatf_black","list_title":"...","as_of":"2026-06",
 *  "matches":[{"field":"bene_country","country":"IR"}]}
 * With several lists, each match also says "list". */
TXS_RULES_COLD static int corridor_hit(const txs_rule *r, const corridor *p, const txs_txn *t,
                        unsigned m, txs_rule_ctx *ctx)
{
    int f0 = __builtin_ctz(m);
    const txs_clist *top = list_of(p, txs__rules_cc_bit(field_cc(t, f0)));
    txs_buf b;
    txs_buf_init_arena(&b, ctx->arena, 256);
    txs_buf_puts(&b, "{");
    txs_buf_json_key(&b, "list", 1);
    txs_buf_json_cstr(&b, top->name);
    txs_buf_json_key(&b, "list_title", 0);
    txs_buf_json_cstr(&b, top->title);
    txs_buf_json_key(&b, "as_of", 0);
    txs_buf_json_cstr(&b, top->as_of);
    txs_buf_json_key(&b, "matches", 0);
    txs_buf_puts(&b, "[");
    for (int f = 0; f < 4; f++) {
        if (!(m & (1u << f))) continue;
        const char *cc = field_cc(t, f);
        txs_buf_puts(&b, f == f0 ? "{" : ",{");
        txs_buf_json_key(&b, "field", 1);
        txs_buf_json_cstr(&b, field_names[f]);
        txs_buf_json_key(&b, "country", 0);
        txs_buf_json_str(&b, cc, 2);
        if (p->nlists > 1) {
            txs_buf_json_key(&b, "list", 0);
            txs_buf_json_cstr(&b, list_of(p, txs__rules_cc_bit(cc))->name);
        }
        txs_buf_puts(&b, "}");
    }
    txs_buf_puts(&b, "]}");
    txs_slice ev;
    TXS_TRY(txs_buf_done(&b, &ev));
    /* The matching party's account, orig first; a cash deposit has no
     * originator account, so fall back to the other side. */
    txs_slice acct = (m & (F_ORIG_CC | F_ORIG_BANK)) ? t->orig.account : t->bene.account;
    if (acct.n == 0) acct = t->orig.account.n ? t->orig.account : t->bene.account;
    txs__rules_emit(ctx, r, 1.0, acct, ev);
    return 0;
}

/* 1 if the code is in the rule's lists: one load, shift and mask. */
static inline unsigned listed(const corridor *p, const char cc[2])
{
    unsigned raw = (unsigned)(unsigned char)cc[0] << 8 | (unsigned char)cc[1];
    return (unsigned)(p->raw[raw >> 6] >> (raw & 63)) & 1u;
}

/* An agent's country: letters 5-6 of its BIC, else its address country. */
static int agent_country(const txs_pay_party *a, char cc[2], txs_slice *src)
{
    txs_slice bic = a->v[TXS_PF_BIC];
    if (bic.n && txs_bic_country(bic.p, bic.n, cc) == 0) {
        *src = a->src[TXS_PF_BIC];
        return 1;
    }
    if (a->country[0]) {
        memcpy(cc, a->country, 2);
        *src = a->src[TXS_PF_COUNTRY];
        return 1;
    }
    return 0;
}

static int is_agent(int role)
{
    return role != TXS_ROLE_DEBTOR && role != TXS_ROLE_CREDITOR && role != TXS_ROLE_ULT_DEBTOR &&
           role != TXS_ROLE_ULT_CREDITOR && role != TXS_ROLE_INITIATING;
}

/* Cold path: the first agent on a payment's chain in the rule's lists. */
TXS_RULES_COLD static int chain_hit(const txs_rule *r, const corridor *p, const txs_txn *t,
                                    txs_rule_ctx *ctx)
{
    const txs_pay_ext *x = t->ext;
    for (size_t i = 0; i < x->nparties; i++) {
        const txs_pay_party *a = x->parties[i];
        char cc[2];
        txs_slice src;
        if (!is_agent(a->role) || !agent_country(a, cc, &src) || !listed(p, cc)) continue;
        if (p->min && (t->currency >= p->ncur || t->amount < p->min[t->currency])) return 0;
        if (!txs__rules_room(ctx)) return 0;
        const txs_clist *l = list_of(p, txs__rules_cc_bit(cc));
        char field[96];
        snprintf(field, sizeof field, "%s%s%s.bank_country",
                 a->scope ? txs_pay_scope_name(a->scope) : "", a->scope ? "." : "",
                 txs_pay_role_name(a->role));
        txs_buf b;
        txs_buf_init_arena(&b, ctx->arena, 256);
        txs_buf_puts(&b, "{");
        txs_buf_json_key(&b, "list", 1);
        txs_buf_json_cstr(&b, l->name);
        txs_buf_json_key(&b, "list_title", 0);
        txs_buf_json_cstr(&b, l->title);
        txs_buf_json_key(&b, "as_of", 0);
        txs_buf_json_cstr(&b, l->as_of);
        txs_buf_json_key(&b, "matches", 0);
        txs_buf_puts(&b, "[{");
        txs_buf_json_key(&b, "field", 1);
        txs_buf_json_cstr(&b, field);
        txs_buf_json_key(&b, "country", 0);
        txs_buf_json_str(&b, cc, 2);
        txs_buf_json_key(&b, "src", 0);
        txs_buf_json_str(&b, src.p ? src.p : "", src.n);
        txs_buf_puts(&b, "}]}");
        txs_slice ev;
        TXS_TRY(txs_buf_done(&b, &ev));
        txs__rules_emit(ctx, r, 1.0, t->orig.account.n ? t->orig.account : t->bene.account, ev);
        return 0;
    }
    return 0;
}

/* Hot path: four branch-free bit tests on a miss. */
static int corridor_eval(const txs_rule *r, const txs_txn *t, txs_rule_ctx *ctx)
{
    const corridor *p = r->impl;
    if (t->channel >= 32 || !((p->channels >> t->channel) & 1u)) return 0;
    unsigned m = (listed(p, t->orig.country) | listed(p, t->orig.bank_country) << 1 |
                  listed(p, t->bene.country) << 2 | listed(p, t->bene.bank_country) << 3) &
                 p->fields;
    if (m == 0 && t->ext && (p->fields & (F_ORIG_BANK | F_BENE_BANK)))
        return chain_hit(r, p, t, ctx);
    if (m == 0) return 0;
    if (p->min && (t->currency >= p->ncur || t->amount < p->min[t->currency])) return 0;
    if (!txs__rules_room(ctx)) return 0;
    return corridor_hit(r, p, t, m, ctx);
}

const txs_rule_ops txs__kind_corridor = {
    .kind = "corridor",
    .param_keys = param_keys,
    .compile = corridor_compile,
    .free = corridor_free,
    .state_size = 0,
    .eval = corridor_eval,
};
