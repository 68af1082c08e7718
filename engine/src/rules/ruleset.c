/*
 * ruleset.c: loading a rule set (rules.h) and walking its rules per
 * transaction.  Build time: the YAML rule set, its FX table and the country
 * lists it names are read, checked and compiled into an immutable
 * txs_ruleset; a bad file stops the load with FILE:LINE: what is wrong and
 * nothing is left allocated.  Run time: txs_rules_eval walks the enabled
 * rules in file order through each kind's ops (rules_int.h).
 *
 * The rule-set hash chains xxh3-64 over the bytes of every file in load
 * order: h = XXH3_64bits(ruleset), then h = XXH3_64bits_withSeed(list, h) for
 * each country list, so a rule set without lists hashes like `xxhsum -H3`.
 * That needs the bytes, which the YAML tree does not keep, so this file reads
 * them itself and hands them to txs__ydoc_parse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "builtin_int.h"
#include "rules/rules_int.h"
#include "rules/state_int.h"
#include "rules/textpat_int.h"
#include "txs/limits.h"
#include "txs/values.h"

const txs_rule_ops *const txs__rules_kinds[] = {
    &txs__kind_threshold,      &txs__kind_corridor,       &txs__kind_structuring,
    &txs__kind_pass_through,   &txs__kind_fan_in,         &txs__kind_fan_out,
    &txs__kind_gather_scatter, &txs__kind_round_amounts,  &txs__kind_amount_spike,
    &txs__kind_velocity_spike, &txs__kind_dormant,        &txs__kind_new_account,
    &txs__kind_cycle,          &txs__kind_scatter_gather, &txs__kind_text_pattern,
    NULL};

#define MAX_ID 64

/* ------------------------------------------------------------ files */

/* Read a file ("builtin:NAME" or a path) whole.  *owned is set when *buf
 * was malloc'ed.  On error d names at/line (the place that asked for the
 * file) when at is given, else the file itself. */
static int read_bytes(const char *path, const char **buf, size_t *len, int *owned,
                      const char *at, unsigned long line, txs_diag *d)
{
    const char *where = at ? at : path;
    *owned = 0;
    if (strncmp(path, "builtin:", 8) == 0) {
        const txs_builtin_file *f = txs__builtin_find(path + 8);
        if (f == NULL)
            return txs_diag_set(d, TXS_E_NOTFOUND, where, line,
                                "no built-in file '%s'", path);
        *buf = f->data;
        *len = f->size;
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        int e = errno;
        return txs_diag_set(d, e == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, where, line,
                            "cannot open '%s': %s", path, strerror(e));
    }
    size_t cap = 64 * 1024, n = 0;
    char *p = malloc(cap);
    int rc = p ? 0 : TXS_E_NOMEM;
    while (rc == 0) {
        if (n == cap) {
            char *q = cap >= TXS_MAX_CONFIG_FILE ? NULL : realloc(p, cap * 2);
            if (q == NULL) {
                rc = cap >= TXS_MAX_CONFIG_FILE
                         ? txs_diag_set(d, TXS_E_LIMIT, where, line,
                                        "'%s' is larger than %u bytes", path,
                                        (unsigned)TXS_MAX_CONFIG_FILE)
                         : TXS_E_NOMEM;
                break;
            }
            p = q;
            cap *= 2;
        }
        size_t got = fread(p + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp))
                rc = txs_diag_set(d, TXS_E_IO, where, line, "cannot read '%s': %s", path,
                                  strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (rc < 0) {
        free(p);
        return rc;
    }
    *buf = p;
    *len = n;
    *owned = 1;
    return 0;
}

/* Read, hash (chained into rs->hash) and parse one file. */
static int load_doc(txs_ruleset *rs, const char *path, int first, const char *at,
                    unsigned long line, txs_ydoc **doc, txs_diag *d)
{
    const char *buf = NULL;
    size_t len = 0;
    int owned = 0;
    TXS_TRY(read_bytes(path, &buf, &len, &owned, at, line, d));
    rs->hash = first ? XXH3_64bits(buf, len) : XXH3_64bits_withSeed(buf, len, rs->hash);
    int rc = txs__ydoc_parse(path, buf, len, doc, d);
    if (owned) free((char *)buf);
    if (rc == 0 && ((*doc)->root == NULL || (*doc)->root->type != TXS_Y_MAP)) {
        rc = txs_diag_set(d, TXS_E_CONFIG, path, (*doc)->root ? (*doc)->root->line : 1,
                          "expected a map of keys at the top of the file");
        txs__ydoc_free(*doc);
        *doc = NULL;
    }
    return rc;
}

int txs__rules_load_doc(txs_ruleset *rs, const char *path, const char *at,
                        unsigned long line, txs_ydoc **doc, txs_diag *d)
{
    return load_doc(rs, path, 0, at, line, doc, d);
}

int txs__rules_read_file(txs_ruleset *rs, const char *path, const char *at,
                         unsigned long line, char **buf, size_t *len, txs_diag *d)
{
    const char *b = NULL;
    int owned = 0;
    *buf = NULL;
    TXS_TRY(read_bytes(path, &b, len, &owned, at, line, d));
    rs->hash = XXH3_64bits_withSeed(b, *len, rs->hash);
    if (owned) {
        *buf = (char *)b;
        return 0;
    }
    *buf = malloc(*len ? *len : 1);
    if (*buf == NULL) return TXS_E_NOMEM;
    memcpy(*buf, b, *len);
    return 0;
}

/* ------------------------------------------------------------ scalars */

static int need_scalar(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                       txs_diag *d)
{
    if (n && n->type == TXS_Y_SCALAR && n->len > 0) return 0;
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, n ? n->line : 1,
                        "%s must be a non-empty single value", what);
}

/* Required scalar key of map, copied into the arena. */
static int get_str(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *map,
                   const char *key, const char *what, int required, const char **out,
                   txs_diag *d)
{
    const txs_ynode *n = txs__ymap_get(map, key);
    *out = NULL;
    if (n == NULL) {
        if (!required) return 0;
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, map->line,
                            "%s: missing required key '%s'", what, key);
    }
    char label[96];
    snprintf(label, sizeof label, "%s %s", what, key);
    TXS_TRY(need_scalar(doc, n, label, d));
    *out = txs_arena_dup(&rs->arena, n->str, n->len);
    return *out ? 0 : TXS_E_NOMEM;
}

int txs__rules_parse_bool(const txs_ydoc *doc, const txs_ynode *node,
                          const char *what, int *out, txs_diag *d)
{
    if (node && node->type == TXS_Y_SCALAR && !node->quoted) {
        if (strcmp(node->str, "true") == 0) return *out = 1, 0;
        if (strcmp(node->str, "false") == 0) return *out = 0, 0;
    }
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, node ? node->line : 1,
                        "%s must be true or false", what);
}

int txs__rules_parse_channels(const txs_ydoc *doc, const txs_ynode *node,
                              uint32_t *mask, txs_diag *d)
{
    if (node->type != TXS_Y_SEQ || node->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, node->line,
                            "channels must be a list such as [cash, wire]");
    *mask = 0;
    for (size_t i = 0; i < node->n; i++) {
        const txs_ynode *c = node->items[i];
        int ch = c->type == TXS_Y_SCALAR ? txs_channel_lookup(c->str, c->len) : -1;
        if (ch < 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, c->line,
                                "unknown channel '%s' (expected one of: cash, wire, "
                                "ach, card, cheque, crypto, internal, other)",
                                c->type == TXS_Y_SCALAR ? c->str : "?");
        *mask |= 1u << ch;
    }
    return 0;
}

/* A weight "0.35" -> 350000 ppm: 0..1, at most 6 decimals, exact. */
static int parse_ppm(const char *s, int64_t *out)
{
    int64_t v = 0;
    int frac = -1;
    if (*s == '\0' || *s == '.') return -1;
    for (; *s; s++) {
        if (*s == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || frac >= 6 || v > TXS_RULES_PPM * 10) return -1;
        v = v * 10 + (*s - '0');
        if (frac >= 0) frac++;
    }
    if (frac == 0) return -1;
    for (int i = frac < 0 ? 0 : frac; i < 6; i++) v *= 10;
    if (v > TXS_RULES_PPM) return -1;
    *out = v;
    return 0;
}

int txs__rules_parse_ppm(const char *s, int64_t *out) { return parse_ppm(s, out); }

/* A band threshold: an integer 1..100. */
static int parse_band(const txs_ydoc *doc, const txs_ynode *bands, const char *key,
                      int *out, txs_diag *d)
{
    const txs_ynode *n = txs__ymap_get(bands, key);
    if (n == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, bands->line,
                            "scoring bands: missing '%s'", key);
    int v = 0, ok = n->type == TXS_Y_SCALAR && n->len > 0 && n->len <= 3;
    for (size_t i = 0; ok && i < n->len; i++) {
        ok = n->str[i] >= '0' && n->str[i] <= '9';
        v = v * 10 + (n->str[i] - '0');
    }
    if (!ok || v < 1 || v > 100)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "band '%s' must be an integer score from 1 to 100", key);
    *out = v;
    return 0;
}

/* YYYY-MM or YYYY-MM-DD with a real month (and day). */
static int check_date(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                      txs_diag *d)
{
    const char *s = n->str;
    int ok = n->len == 7 || n->len == 10;
    for (size_t i = 0; ok && i < n->len; i++)
        ok = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
    if (ok) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        int day = n->len == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
        ok = m >= 1 && m <= 12 && day >= 1 && day <= 31;
    }
    if (ok) return 0;
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                        "%s '%s' is not a date (YYYY-MM or YYYY-MM-DD)", what, s);
}

/* ------------------------------------------------------------ sections */

static int load_scoring(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                        txs_diag *d)
{
    static const char *const keys[] = {"method", "bands", "sanctions_weight", NULL};
    static const char *const band_keys[] = {"edd", "review", "block", NULL};
    if (n == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, doc->root->line,
                            "missing required section 'scoring'");
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "scoring must be a map of method, bands, sanctions_weight");
    TXS_TRY(txs__ymap_check_keys(doc, n, "scoring", keys, d));
    const txs_ynode *m = txs__ymap_get(n, "method");
    if (m && (m->type != TXS_Y_SCALAR || strcmp(m->str, "noisy_or") != 0))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, m->line,
                            "unknown scoring method (expected: noisy_or)");
    const txs_ynode *sw = txs__ymap_get(n, "sanctions_weight");
    rs->sanctions_weight_ppm = TXS_RULES_PPM;
    rs->sanctions_weight_set = sw != NULL;
    if (sw && (sw->type != TXS_Y_SCALAR || parse_ppm(sw->str, &rs->sanctions_weight_ppm) < 0))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, sw->line,
                            "sanctions_weight must be a number from 0 to 1 "
                            "(at most 6 decimals)");
    const txs_ynode *b = txs__ymap_get(n, "bands");
    if (b == NULL || b->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, b ? b->line : n->line,
                            "scoring needs bands: {edd: N, review: N, block: N}");
    TXS_TRY(txs__ymap_check_keys(doc, b, "scoring bands", band_keys, d));
    TXS_TRY(parse_band(doc, b, "edd", &rs->band_edd, d));
    TXS_TRY(parse_band(doc, b, "review", &rs->band_review, d));
    TXS_TRY(parse_band(doc, b, "block", &rs->band_block, d));
    if (!(rs->band_edd < rs->band_review && rs->band_review < rs->band_block))
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, b->line,
                            "bands must increase: edd (%d) < review (%d) < block (%d)",
                            rs->band_edd, rs->band_review, rs->band_block);
    return 0;
}

static int load_list_source(txs_ruleset *rs, const txs_ydoc *doc, txs_clist *l,
                            txs_diag *d)
{
    static const char *const keys[] = {"publisher", "document", "url", NULL};
    const txs_ynode *src = txs__ymap_get(doc->root, "source");
    if (src == NULL || src->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, src ? src->line : doc->root->line,
                            "country list needs source: {publisher, document, url}");
    TXS_TRY(txs__ymap_check_keys(doc, src, "country list source", keys, d));
    TXS_TRY(get_str(rs, doc, src, "publisher", "source", 1, &l->publisher, d));
    TXS_TRY(get_str(rs, doc, src, "document", "source", 1, &l->document, d));
    return get_str(rs, doc, src, "url", "source", 1, &l->url, d);
}

static int load_list_body(txs_ruleset *rs, const txs_ydoc *doc, const char *name,
                          txs_clist *l, txs_diag *d)
{
    static const char *const keys[] = {"name", "title", "source", "as_of", "note",
                                       "countries", NULL};
    const txs_ynode *root = doc->root;
    TXS_TRY(txs__ymap_check_keys(doc, root, "country list", keys, d));
    TXS_TRY(get_str(rs, doc, root, "name", "country list", 1, &l->name, d));
    if (strcmp(l->name, name) != 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, txs__ymap_get(root, "name")->line,
                            "the list is named '%s' but the rule set calls it '%s'",
                            l->name, name);
    TXS_TRY(get_str(rs, doc, root, "title", "country list", 1, &l->title, d));
    TXS_TRY(get_str(rs, doc, root, "as_of", "country list", 1, &l->as_of, d));
    TXS_TRY(check_date(doc, txs__ymap_get(root, "as_of"), "as_of", d));
    TXS_TRY(load_list_source(rs, doc, l, d));
    const txs_ynode *cs = txs__ymap_get(root, "countries");
    if (cs == NULL || cs->type != TXS_Y_SEQ)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, cs ? cs->line : root->line,
                            "country list needs countries: [alpha-2 codes]");
    for (size_t i = 0; i < cs->n; i++) {
        const txs_ynode *c = cs->items[i];
        int bit = (c->type == TXS_Y_SCALAR && c->len == 2 && txs_country_valid(c->str))
                      ? txs__rules_cc_bit(c->str) : -1;
        if (bit < 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, c->line,
                                "'%s' is not an ISO 3166-1 alpha-2 country code",
                                c->type == TXS_Y_SCALAR ? c->str : "?");
        if (txs__rules_bit_get(l->bits, bit))
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, c->line,
                                "country %s is listed twice", c->str);
        l->bits[bit >> 6] |= (uint64_t)1 << (bit & 63);
        l->count++;
    }
    return 0;
}

static int load_lists(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                      txs_diag *d)
{
    if (n == NULL) return 0;
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "country_lists must be a map of name: file");
    rs->lists = calloc(n->n ? n->n : 1, sizeof *rs->lists);
    if (rs->lists == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const txs_ynode *f = n->items[i];
        char path[1024];
        TXS_TRY(need_scalar(doc, f, "a country list file", d));
        if (txs__ypath_resolve(doc, f->str, path, sizeof path) < 0)
            return txs_diag_set(d, TXS_E_LIMIT, doc->file, f->line,
                                "country list path too long");
        txs_ydoc *ldoc = NULL;
        TXS_TRY(load_doc(rs, path, 0, doc->file, f->line, &ldoc, d));
        int rc = load_list_body(rs, ldoc, n->keys[i], &rs->lists[i], d);
        txs__ydoc_free(ldoc);
        TXS_TRY(rc);
        rs->nlists++;
    }
    return 0;
}

const txs_clist *txs__rules_find_list(const txs_ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nlists; i++)
        if (strcmp(rs->lists[i].name, name) == 0) return &rs->lists[i];
    return NULL;
}

/* ------------------------------------------------------------ rules */

static const txs_rule_ops *find_kind(const char *kind)
{
    for (size_t i = 0; txs__rules_kinds[i]; i++)
        if (strcmp(txs__rules_kinds[i]->kind, kind) == 0) return txs__rules_kinds[i];
    return NULL;
}

static int unknown_kind(const txs_ydoc *doc, const txs_ynode *k, txs_diag *d)
{
    char known[256] = "";
    for (size_t i = 0; txs__rules_kinds[i]; i++) {
        if (i) strncat(known, ", ", sizeof known - strlen(known) - 1);
        strncat(known, txs__rules_kinds[i]->kind, sizeof known - strlen(known) - 1);
    }
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, k->line,
                        "unknown rule kind '%s' (known kinds: %s)", k->str, known);
}

static int check_id(const txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *id,
                    size_t upto, txs_diag *d)
{
    int ok = id->len > 0 && id->len <= MAX_ID;
    for (size_t i = 0; ok && i < id->len; i++) {
        char c = id->str[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
    if (!ok)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, id->line,
                            "rule id '%s' must be 1-%d characters of a-z 0-9 _ -",
                            id->str, MAX_ID);
    for (size_t i = 0; i < upto; i++)
        if (strcmp(rs->rules[i].info.id, id->str) == 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, id->line,
                                "duplicate rule id '%s'", id->str);
    return 0;
}

static int load_rule(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                     txs_rule *r, txs_diag *d)
{
    static const char *const keys[] = {"id", "kind", "weight", "reason", "params",
                                       "enabled", "typology", NULL};
    if (n->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "a rule must be a map of id, kind, weight, reason, params");
    TXS_TRY(txs__ymap_check_keys(doc, n, "rule", keys, d));
    const txs_ynode *id = txs__ymap_get(n, "id"), *kind = txs__ymap_get(n, "kind");
    const txs_ynode *w = txs__ymap_get(n, "weight"), *en = txs__ymap_get(n, "enabled");
    const txs_ynode *params = txs__ymap_get(n, "params");
    if (!id || !kind || !w)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "a rule needs id, kind, weight and reason");
    TXS_TRY(need_scalar(doc, id, "rule id", d));
    TXS_TRY(check_id(rs, doc, id, r->index, d));
    TXS_TRY(need_scalar(doc, kind, "rule kind", d));
    r->ops = find_kind(kind->str);
    if (r->ops == NULL) return unknown_kind(doc, kind, d);
    if (w->type != TXS_Y_SCALAR || parse_ppm(w->str, &r->weight_ppm) < 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, w->line,
                            "rule '%s': weight must be a number from 0 to 1 "
                            "(at most 6 decimals), not '%s'",
                            id->str, w->type == TXS_Y_SCALAR ? w->str : "?");
    r->enabled = 1;
    if (en) TXS_TRY(txs__rules_parse_bool(doc, en, "enabled", &r->enabled, d));
    r->info.kind = r->ops->kind;
    r->info.weight = (double)r->weight_ppm / TXS_RULES_PPM;
    TXS_TRY(get_str(rs, doc, n, "id", "rule", 1, &r->info.id, d));
    TXS_TRY(get_str(rs, doc, n, "reason", "rule", 1, &r->info.reason, d));
    TXS_TRY(get_str(rs, doc, n, "typology", "rule", 0, &r->info.typology, d));
    if (params && params->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params->line,
                            "rule '%s': params must be a map", id->str);
    if (params) {
        char what[MAX_ID + 32];
        snprintf(what, sizeof what, "%s rule params", r->ops->kind);
        TXS_TRY(txs__ymap_check_keys(doc, params, what, r->ops->param_keys, d));
    }
    return r->ops->compile(r, params, doc, rs, d);
}

static int load_rules(txs_ruleset *rs, const txs_ydoc *doc, const txs_ynode *n,
                      txs_diag *d)
{
    if (n == NULL || n->type != TXS_Y_SEQ)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n ? n->line : doc->root->line,
                            "rules must be a list of rules");
    if (n->n > UINT16_MAX)
        return txs_diag_set(d, TXS_E_LIMIT, doc->file, n->line, "too many rules");
    rs->rules = calloc(n->n ? n->n : 1, sizeof *rs->rules);
    rs->live = calloc(n->n ? n->n : 1, sizeof *rs->live);
    rs->acct = calloc(n->n ? n->n : 1, sizeof *rs->acct);
    rs->graph = calloc(n->n ? n->n : 1, sizeof *rs->graph);
    if (!rs->rules || !rs->live || !rs->acct || !rs->graph) return TXS_E_NOMEM;
    int slots = 0;
    for (size_t i = 0; i < n->n; i++) {
        txs_rule *r = &rs->rules[i];
        r->index = (uint16_t)i;
        r->slot = -1;
        rs->nrules = i + 1; /* so free() releases a half-compiled rule */
        TXS_TRY(load_rule(rs, doc, n->items[i], r, d));
        if (!r->enabled) continue;
        if (r->ops->scope == TXS_SCOPE_TXN) {
            rs->live[rs->nlive++] = r;
            continue;
        }
        if (slots == TXS_STATEFUL_MAX)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->items[i]->line,
                                "rule '%s': at most %d enabled stateful rules "
                                "(window, history and graph kinds) per rule set",
                                r->info.id, TXS_STATEFUL_MAX);
        r->slot = slots++;
        int64_t h = r->ops->horizon ? r->ops->horizon(r) : 0;
        if (h > rs->horizon) rs->horizon = h;
        if (r->link_names) rs->any_link_names = 1;
        if (r->ops->scope == TXS_SCOPE_ACCOUNT) rs->acct[rs->nacct++] = r;
        else rs->graph[rs->ngraph++] = r;
    }
    return 0;
}

static int load_root(txs_ruleset *rs, const txs_ydoc *doc, const txs_ruleset_opts *o,
                     txs_diag *d)
{
    static const char *const keys[] = {"ruleset", "version", "description", "scoring",
                                       "fx", "country_lists", "sanctions", "rules", NULL};
    const txs_ynode *root = doc->root;
    TXS_TRY(txs__ymap_check_keys(doc, root, "rule set", keys, d));
    TXS_TRY(get_str(rs, doc, root, "ruleset", "rule set", 1, &rs->name, d));
    TXS_TRY(get_str(rs, doc, root, "version", "rule set", 1, &rs->version, d));
    TXS_TRY(get_str(rs, doc, root, "description", "rule set", 0, &rs->description, d));
    TXS_TRY(load_scoring(rs, doc, txs__ymap_get(root, "scoring"), d));
    const txs_ynode *fx = txs__ymap_get(root, "fx");
    if (fx) TXS_TRY(txs__rules_fx_load(rs, doc, fx, d));
    /* Lists before rules: rules name them; their order fixes the hash. */
    TXS_TRY(load_lists(rs, doc, txs__ymap_get(root, "country_lists"), d));
    /* The places file (if any) hashes after the country lists. */
    TXS_TRY(txs__rules_sanctions_load(rs, doc, txs__ymap_get(root, "sanctions"), d));
    TXS_TRY(load_rules(rs, doc, txs__ymap_get(root, "rules"), d));
    /* Pattern files hash last, in rule order. */
    return txs__textpat_build(rs, o, d);
}

int txs_ruleset_load(const char *spec, txs_ruleset **out, txs_diag *d)
{
    return txs_ruleset_load_opts(spec, NULL, out, d);
}

int txs_ruleset_load_opts(const char *spec, const txs_ruleset_opts *o, txs_ruleset **out,
                          txs_diag *d)
{
    char path[1024];
    if (spec == NULL || out == NULL)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "no rule set given");
    *out = NULL;
    /* A bare word (no '/', no '.') names a built-in rule set when one has
     * that name, else a file, as profiles do (docs/formats.md). */
    int word = strchr(spec, '/') == NULL && strchr(spec, '.') == NULL, builtin = 0;
    if (snprintf(path, sizeof path, "rules/%s.yaml", spec) >= (int)sizeof path)
        return txs_diag_set(d, TXS_E_CONFIG, spec, 0, "path too long");
    if (word && txs__builtin_find(path)) {
        snprintf(path, sizeof path, "builtin:rules/%s.yaml", spec);
        builtin = 1;
    } else {
        snprintf(path, sizeof path, "%s", spec);
    }
    txs_ruleset *rs = calloc(1, sizeof *rs);
    if (rs == NULL) return txs_diag_set(d, TXS_E_NOMEM, spec, 0, "out of memory");
    txs_arena_init(&rs->arena, 4096);
    rs->fx.base = -1;
    txs_ydoc *doc = NULL;
    int rc = load_doc(rs, path, 1, NULL, 0, &doc, d);
    char names[256];
    if (rc == TXS_E_NOTFOUND && word && !builtin)
        txs_diag_set(d, rc, spec, 0, "no built-in rule set or file named '%s' (built-in: %s)",
                     spec, txs__builtin_names("rules", names, sizeof names));
    if (rc == 0) {
        rs->file = txs_arena_dup(&rs->arena, path, strlen(path));
        rc = rs->file ? load_root(rs, doc, o, d) : TXS_E_NOMEM;
    }
    txs__ydoc_free(doc);
    if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, path, 0, "out of memory");
    if (rc < 0) {
        txs_ruleset_free(rs);
        /* A rule set or country list that cannot be opened or read is
         * configuration, like one that does not parse (exit 3, not 4). */
        return rc == TXS_E_NOTFOUND || rc == TXS_E_IO ? TXS_E_CONFIG : rc;
    }
    *out = rs;
    return 0;
}

void txs_ruleset_free(txs_ruleset *rs)
{
    if (rs == NULL) return;
    txs__textpat_free(rs->textpat);
    for (size_t i = 0; i < rs->nrules; i++)
        if (rs->rules[i].ops) rs->rules[i].ops->free(&rs->rules[i]);
    free(rs->rules);
    free(rs->live);
    free(rs->acct);
    free(rs->graph);
    free(rs->lists);
    free(rs->fx.rates);
    txs_arena_free(&rs->arena);
    free(rs);
}

/* ------------------------------------------------------------ accessors */

const char *txs_ruleset_name(const txs_ruleset *rs) { return rs->name; }
const char *txs_ruleset_version(const txs_ruleset *rs) { return rs->version; }
uint64_t txs_ruleset_hash(const txs_ruleset *rs) { return rs->hash; }
size_t txs_ruleset_count(const txs_ruleset *rs) { return rs->nrules; }

int txs_ruleset_needs_graph_job(const txs_ruleset *rs)
{
    if (rs->ngraph || rs->any_link_names) return 1;
    for (size_t i = 0; i < rs->nacct; i++)
        if (rs->acct[i]->ops->global) return 1;
    return 0;
}
const txs_ruleset_sanctions *txs_ruleset_sanctions_cfg(const txs_ruleset *rs) { return &rs->sanc; }

void txs_ruleset_pattern_info(const txs_ruleset *rs, txs_ruleset_patterns *out)
{
    txs__textpat_info(rs->textpat, out);
}

const txs_rule_info *txs_ruleset_rule(const txs_ruleset *rs, size_t i)
{
    return i < rs->nrules ? &rs->rules[i].info : NULL;
}

/* ------------------------------------------------------------ run time */

int txs_rules_evidence(const txs_ruleset *rs, const txs_txn *t, txs_arena *a, txs_hit *h)
{
    if (!h->later || h->kind != TXS_HIT_TYPOLOGY || h->rule >= rs->nrules) return TXS_OK;
    const txs_rule *r = &rs->rules[h->rule];
    if (r->ops->evidence == NULL) return TXS_OK;
    TXS_TRY(r->ops->evidence(r, t, a, &h->evidence));
    h->later = 0;
    return TXS_OK;
}

int txs_rules_eval(const txs_ruleset *rs, const txs_txn *t, txs_arena *a,
                   txs_hit *out, size_t cap, size_t *n, size_t *dropped)
{
    txs_rule_ctx ctx = {a, out, cap, *n < cap ? *n : cap, 0, NULL};
    tp_scan *sc = NULL;
    int rc = 0;
    /* The text_pattern rules' texts, scanned once for all of them. */
    if (rs->textpat) {
        rc = txs__textpat_detect(rs->textpat, t, &sc);
        ctx.tp = sc;
    }
    /* Hot loop: one indirect call per enabled rule; each kind rejects a
     * non-matching txn in a few compares before touching the arena. */
    for (size_t i = 0; i < rs->nlive && rc == 0; i++)
        rc = rs->live[i]->ops->eval(rs->live[i], t, &ctx);
    if (sc) txs__textpat_release(rs->textpat, sc);
    *n = ctx.n;
    if (dropped) *dropped += ctx.dropped;
    return rc;
}
