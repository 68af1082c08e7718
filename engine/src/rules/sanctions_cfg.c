/*
 * sanctions_cfg.c: the rule set's optional `sanctions:` section (rules.h,
 * docs/rules.md "Sanctions thresholds").  Build time only: it reads
 *
 *   sanctions:
 *     threshold: 0.85                        # name hits (alias: kinds.name)
 *     lists: {UN: 0.82, OFAC-SDN: 0.85}      # name hits, per list
 *     kinds: {name: 0.85, identifier: 0.99, text: 0.92}  # per hit kind
 *     weight: 1.0                            # alias of scoring.sanctions_weight
 *     free_text: true                        # list names in purpose, addresses
 *     places: {file: places/x.yaml, weight: 1.0}  # sanctioned places
 *     iban_countries: {countries: [IR, KP, CU], source: "31 CFR 560 ...",
 *                      list: OFAC-COUNTRY, program: "IRAN;DPRK;CUBA"}
 *
 * into rs->sanc, checks every value (a number in (0, 1], at most six
 * decimals, parsed exactly like rule weights) and reports any other key at
 * its line.  A places file is read relative to the rule set, hashed into the
 * rule set's hash after the country lists, and checked entry by entry
 * (place, variants, source, date: all required, so every entry is cited).
 * The pipeline (pipeline/route.c) applies the thresholds; this file only
 * states them, so a rule set without the section loads exactly as before.
 */
#include <stdio.h>
#include <string.h>

#include "rules/rules_int.h"
#include "txs/values.h"

/* A threshold scalar: (0, 1], exact to six decimals. */
static int parse_th(const txs_ydoc *doc, const txs_ynode *n, const char *what, double *out,
                    txs_diag *d)
{
    int64_t ppm = 0;
    if (n->type != TXS_Y_SCALAR || txs__rules_parse_ppm(n->str, &ppm) < 0 || ppm == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "%s must be a number above 0 and at most 1 (at most 6 decimals)",
                            what);
    *out = (double)ppm / TXS_RULES_PPM;
    return 0;
}

static int load_kinds(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n, txs_diag *d)
{
    static const char *const keys[] = {"name", "identifier", "text", NULL};
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions kinds must be a map {name: T, identifier: T, text: T}");
    TXS_TRY(txs__ymap_check_keys(doc, n, "sanctions kinds", keys, d));
    const txs_ynode *nm = txs__ymap_get(n, "name"), *id = txs__ymap_get(n, "identifier");
    const txs_ynode *tx = txs__ymap_get(n, "text");
    if (tx) TXS_TRY(parse_th(doc, tx, "sanctions kinds text", &rs->sanc.text, d));
    double v = 0;
    if (nm) {
        TXS_TRY(parse_th(doc, nm, "sanctions kinds name", &v, d));
        if (rs->sanc.name > 0 && rs->sanc.name != v)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, nm->line,
                                "kinds.name (%g) contradicts sanctions threshold (%g): "
                                "they are one setting, give one", v, rs->sanc.name);
        rs->sanc.name = v;
    }
    if (id) TXS_TRY(parse_th(doc, id, "sanctions kinds identifier", &rs->sanc.identifier, d));
    return 0;
}

static int load_lists(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n, txs_diag *d)
{
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions lists must be a map {LIST: threshold}");
    txs_sanctions_list_th *v = txs_arena_alloc(&rs->arena, (n->n + 1) * sizeof *v);
    if (v == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < n->n; i++) {
        char what[96];
        snprintf(what, sizeof what, "sanctions lists %.64s", n->keys[i]);
        TXS_TRY(parse_th(doc, n->items[i], what, &v[i].threshold, d));
        v[i].list = txs_arena_dup(&rs->arena, n->keys[i], strlen(n->keys[i]));
        if (v[i].list == NULL) return TXS_E_NOMEM;
    }
    rs->sanc.lists = v;
    rs->sanc.nlists = n->n;
    return 0;
}

/* `weight:` is the section's name for scoring.sanctions_weight; giving
 * both would leave a reader guessing which wins, so that is refused. */
static int load_weight(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *w, txs_diag *d)
{
    if (rs->sanctions_weight_set)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, w->line,
                            "sanctions weight is also set as scoring.sanctions_weight: "
                            "give one of them");
    if (w->type != TXS_Y_SCALAR || txs__rules_parse_ppm(w->str, &rs->sanctions_weight_ppm) < 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, w->line,
                            "sanctions weight must be a number from 0 to 1 (at most 6 decimals)");
    return 0;
}

/* ------------------------------------------------------------ places */

static int need_str(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *map, const char *key,
                    const char **out, txs_diag *d)
{
    const txs_ynode *n = txs__ymap_get(map, key);
    if (n == NULL || n->type != TXS_Y_SCALAR || n->len == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n ? n->line : map->line,
                            "a place needs %s: a non-empty single value", key);
    *out = txs_arena_dup(&rs->arena, n->str, n->len);
    return *out ? 0 : TXS_E_NOMEM;
}

static int load_variants(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *map,
                         txs_sanctions_place *p, txs_diag *d)
{
    const txs_ynode *v = txs__ymap_get(map, "variants");
    if (v == NULL || v->type != TXS_Y_SEQ || v->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, v ? v->line : map->line,
                            "place '%s' needs variants: [spellings]", p->place);
    const char **out = txs_arena_alloc(&rs->arena, v->n * sizeof *out);
    if (out == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < v->n; i++) {
        const txs_ynode *x = v->items[i];
        if (x->type != TXS_Y_SCALAR || x->len == 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, x->line,
                                "a place variant must be a non-empty single value");
        if ((out[i] = txs_arena_dup(&rs->arena, x->str, x->len)) == NULL) return TXS_E_NOMEM;
    }
    p->variants = out;
    p->nvariants = v->n;
    return 0;
}

static int load_place(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                      txs_sanctions_place *p, txs_diag *d)
{
    static const char *const keys[] = {"place", "variants", "source", "date", "note", NULL};
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "a place must be a map of place, variants, source, date");
    TXS_TRY(txs__ymap_check_keys(doc, n, "place", keys, d));
    TXS_TRY(need_str(rs, doc, n, "place", &p->place, d));
    TXS_TRY(need_str(rs, doc, n, "source", &p->source, d));
    TXS_TRY(need_str(rs, doc, n, "date", &p->date, d));
    size_t k = strlen(p->date);
    if (k != 10 || p->date[4] != '-' || p->date[7] != '-')
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, txs__ymap_get(n, "date")->line,
                            "place '%s': date '%s' is not YYYY-MM-DD", p->place, p->date);
    return load_variants(rs, doc, n, p, d);
}

static int load_places_doc(txs_ruleset *rs, const txs_ydoc *doc, txs_diag *d)
{
    static const char *const keys[] = {"name", "as_of", "note", "places", NULL};
    TXS_TRY(txs__ymap_check_keys(doc, doc->root, "places file", keys, d));
    const txs_ynode *ps = txs__ymap_get(doc->root, "places");
    if (ps == NULL || ps->type != TXS_Y_SEQ || ps->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, ps ? ps->line : doc->root->line,
                            "a places file needs places: [{place, variants, source, date}]");
    txs_sanctions_place *v = txs_arena_alloc(&rs->arena, ps->n * sizeof *v);
    if (v == NULL) return TXS_E_NOMEM;
    memset(v, 0, ps->n * sizeof *v);
    for (size_t i = 0; i < ps->n; i++) TXS_TRY(load_place(rs, doc, ps->items[i], &v[i], d));
    rs->sanc.places = v;
    rs->sanc.nplaces = ps->n;
    return 0;
}

static int load_places(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n, txs_diag *d)
{
    static const char *const keys[] = {"file", "weight", NULL};
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions places must be a map {file: F, weight: W}");
    TXS_TRY(txs__ymap_check_keys(doc, n, "sanctions places", keys, d));
    const txs_ynode *f = txs__ymap_get(n, "file"), *w = txs__ymap_get(n, "weight");
    int64_t ppm = TXS_RULES_PPM;
    if (w && (w->type != TXS_Y_SCALAR || txs__rules_parse_ppm(w->str, &ppm) < 0))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, w->line,
                            "places weight must be a number from 0 to 1 (at most 6 decimals)");
    rs->sanc.places_weight = (double)ppm / TXS_RULES_PPM;
    char path[1024];
    if (f == NULL || f->type != TXS_Y_SCALAR || f->len == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, f ? f->line : n->line,
                            "sanctions places needs file: a places YAML file");
    if (txs__ypath_resolve(doc, f->str, path, sizeof path) < 0)
        return txs_diag_set(d, TXS_E_LIMIT, doc->file, f->line, "places path too long");
    txs_ydoc *pdoc = NULL;
    TXS_TRY(txs__rules_load_doc(rs, path, doc->file, f->line, &pdoc, d));
    int rc = load_places_doc(rs, pdoc, d);
    txs__ydoc_free(pdoc);
    return rc;
}

/* ---------------------------------------------------- IBAN countries */

static int opt_str(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *map, const char *key,
                   const char *def, const char **out, txs_diag *d)
{
    const txs_ynode *n = txs__ymap_get(map, key);
    if (n == NULL) {
        *out = def;
        return 0;
    }
    if (n->type != TXS_Y_SCALAR || n->len == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions iban_countries %s must be a non-empty single value", key);
    *out = txs_arena_dup(&rs->arena, n->str, n->len);
    return *out ? 0 : TXS_E_NOMEM;
}

/* iban_countries: {countries: [IR, KP, CU], source: S, list: L, program: P} */
static int load_iban(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n, txs_diag *d)
{
    static const char *const keys[] = {"countries", "source", "list", "program", NULL};
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions iban_countries must be a map {countries: [CC, ...], "
                            "source: S, list: L, program: P}");
    TXS_TRY(txs__ymap_check_keys(doc, n, "sanctions iban_countries", keys, d));
    const txs_ynode *c = txs__ymap_get(n, "countries");
    if (c == NULL || c->type != TXS_Y_SEQ || c->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, c ? c->line : n->line,
                            "sanctions iban_countries needs countries: [ISO alpha-2 codes]");
    char *cc = txs_arena_alloc(&rs->arena, 2 * c->n + 1);
    size_t k = 0;
    if (cc == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < c->n; i++) {
        const txs_ynode *x = c->items[i];
        char up[2] = {0, 0};
        if (x->type == TXS_Y_SCALAR && x->len == 2) {
            up[0] = (char)(x->str[0] & ~0x20);
            up[1] = (char)(x->str[1] & ~0x20);
        }
        if (x->type != TXS_Y_SCALAR || x->len != 2 || !txs_country_valid(up))
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, x->line,
                                "sanctions iban_countries: '%s' is not an ISO 3166 alpha-2 code",
                                x->type == TXS_Y_SCALAR ? x->str : "(not a value)");
        int dup = 0;
        for (size_t j = 0; j < k; j++) dup |= cc[2 * j] == up[0] && cc[2 * j + 1] == up[1];
        if (dup)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, x->line,
                                "sanctions iban_countries: %.2s is listed twice", up);
        cc[2 * k] = up[0], cc[2 * k + 1] = up[1], k++;
    }
    cc[2 * k] = '\0';
    const txs_ynode *src = txs__ymap_get(n, "source");
    if (src == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions iban_countries needs source: the measures that make "
                            "these jurisdictions comprehensively sanctioned");
    TXS_TRY(opt_str(rs, doc, n, "source", NULL, &rs->sanc.iban_source, d));
    TXS_TRY(opt_str(rs, doc, n, "list", "sanctioned-jurisdictions", &rs->sanc.iban_list, d));
    char prog[3 * 64];
    size_t pn = 0;
    for (size_t j = 0; j < k && pn + 3 < sizeof prog; j++) {
        if (j) prog[pn++] = ';';
        prog[pn++] = cc[2 * j], prog[pn++] = cc[2 * j + 1];
    }
    prog[pn] = '\0';
    const char *def = txs_arena_dup(&rs->arena, prog, pn);
    if (def == NULL) return TXS_E_NOMEM;
    TXS_TRY(opt_str(rs, doc, n, "program", def, &rs->sanc.iban_program, d));
    rs->sanc.iban_countries = cc;
    rs->sanc.niban_countries = k;
    return 0;
}

int txs__rules_sanctions_load(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                              txs_diag *d)
{
    static const char *const keys[] = {"threshold", "lists", "kinds", "weight", "free_text",
                                       "places", "iban_countries", NULL};
    if (n == NULL) return 0;
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "sanctions must be a map of threshold, lists, kinds, weight, "
                            "free_text, places, iban_countries");
    TXS_TRY(txs__ymap_check_keys(doc, n, "sanctions", keys, d));
    const txs_ynode *th = txs__ymap_get(n, "threshold"), *k = txs__ymap_get(n, "kinds");
    const txs_ynode *l = txs__ymap_get(n, "lists"), *w = txs__ymap_get(n, "weight");
    if (th) TXS_TRY(parse_th(doc, th, "sanctions threshold", &rs->sanc.name, d));
    if (k) TXS_TRY(load_kinds(rs, doc, k, d));
    if (l) TXS_TRY(load_lists(rs, doc, l, d));
    if (w) TXS_TRY(load_weight(rs, doc, w, d));
    const txs_ynode *ft = txs__ymap_get(n, "free_text"), *pl = txs__ymap_get(n, "places");
    if (ft) TXS_TRY(txs__rules_parse_bool(doc, ft, "sanctions free_text", &rs->sanc.free_text, d));
    if (pl) TXS_TRY(load_places(rs, doc, pl, d));
    const txs_ynode *ib = txs__ymap_get(n, "iban_countries");
    if (ib) TXS_TRY(load_iban(rs, doc, ib, d));
    return 0;
}
