/*
 * profile.c: loading a profile (YAML, docs/formats.md "Profiles") and
 * binding it to one source's header.  Build time: runs once per run and once
 * per input file, before any of that file's records are parsed.
 *
 * Loading validates everything a record does not depend on, with the file
 * and line of each mistake: unknown keys, unknown canonical fields, missing
 * mappings of the four required fields, map values that are not channels,
 * currencies or countries.  Binding turns every column name into a field
 * position, so txs_parse_record (parse.c) never looks a name up.
 *
 * Column patterns (`patterns:` name -> PCRE2 pattern, `pattern: NAME` on a
 * field) are compiled and JIT-compiled here through values/regex.c, so a bad
 * one stops the load at its line with PCRE2's message and offset; parse.c
 * only runs them.
 *
 * Invariants: a profile is immutable after load; its strings borrow from its
 * YAML document, which it owns; a binding borrows its profile, which must
 * outlive it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin_int.h"
#include "parse_int.h"
#include "txs/parse.h"
#include "txs/values.h"

const char *const txs__pfield_names[TXS_F_COUNT + 1] = {
    "txn_id",       "timestamp",    "amount",       "currency",
    "channel",      "orig_account", "orig_name",    "orig_country",
    "orig_bank",    "orig_address", "bene_account", "bene_name",
    "bene_country", "bene_bank",    "bene_address", "purpose",
    NULL};

/* Loader context: the profile being built and where to report. */
typedef struct loader {
    txs_profile *p;
    txs_diag *d;
} loader;

static int cfg_error(loader *L, unsigned long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int cfg_error(loader *L, unsigned long line, const char *fmt, ...)
{
    if (L->d == NULL) return TXS_E_CONFIG;
    char msg[sizeof L->d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return txs_diag_set(L->d, TXS_E_CONFIG, L->p->file, line, "%s", msg);
}

static int nomem(loader *L)
{
    return txs_diag_set(L->d, TXS_E_NOMEM, L->p->file, 0, "out of memory");
}

/* ------------------------------------------------------------ scalars */

static int want_scalar(loader *L, const txs_ynode *n, const char *what,
                       const char **out)
{
    if (n->type != TXS_Y_SCALAR) return cfg_error(L, n->line, "%s must be a single value", what);
    *out = n->str;
    return TXS_OK;
}

static int want_bool(loader *L, const txs_ynode *n, const char *what, int *out)
{
    const char *s = "";
    TXS_TRY(want_scalar(L, n, what, &s));
    if (strcmp(s, "true") == 0) *out = 1;
    else if (strcmp(s, "false") == 0) *out = 0;
    else return cfg_error(L, n->line, "%s must be true or false, not '%s'", what, s);
    return TXS_OK;
}

static int want_uint(loader *L, const txs_ynode *n, const char *what,
                     unsigned long max, unsigned long *out)
{
    const char *s = "";
    TXS_TRY(want_scalar(L, n, what, &s));
    unsigned long v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && v <= max; i++) v = v * 10 + (unsigned long)(s[i] - '0');
    if (i == 0 || s[i] != '\0' || v > max)
        return cfg_error(L, n->line, "%s must be a whole number from 0 to %lu, not '%s'",
                         what, max, s);
    *out = v;
    return TXS_OK;
}

/* One byte, given as a one-character string ("\t" is written "\t" in a
 * double-quoted YAML string). */
static int want_char(loader *L, const txs_ynode *n, const char *what, int allow_empty,
                     char *out)
{
    const char *s = "";
    TXS_TRY(want_scalar(L, n, what, &s));
    if (n->len == 0 && allow_empty) {
        *out = '\0';
        return TXS_OK;
    }
    if (n->len != 1 || (unsigned char)s[0] >= 0x80)
        return cfg_error(L, n->line, "%s must be one ASCII character, not '%s'", what, s);
    *out = s[0];
    return TXS_OK;
}

/* "+00:00", "-05:00", "+0530", "+05", "Z", "UTC". */
static int want_tz(loader *L, const txs_ynode *n, int *out)
{
    const char *s = "";
    TXS_TRY(want_scalar(L, n, "timezone", &s));
    if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
        *out = 0;
        return TXS_OK;
    }
    int d[4], nd = 0;
    size_t i = 1;
    for (; s[0] && s[i] && nd < 4; i++) {
        if (s[i] == ':' && nd == 2) continue;
        if (s[i] < '0' || s[i] > '9') break;
        d[nd++] = s[i] - '0';
    }
    int ok = (s[0] == '+' || s[0] == '-') && s[i] == '\0' && (nd == 2 || nd == 4);
    int hh = ok ? d[0] * 10 + d[1] : 0, mm = ok && nd == 4 ? d[2] * 10 + d[3] : 0;
    if (!ok || hh > 14 || mm > 59)
        return cfg_error(L, n->line, "timezone must look like +01:00, -0530 or Z, not '%s'", s);
    *out = (s[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    return TXS_OK;
}

/* -------------------------------------------------------- top level */

static int load_csv(loader *L, const txs_ynode *n)
{
    static const char *const keys[] = {"delimiter", "quote", "header", NULL};
    if (n->type != TXS_Y_MAP) return cfg_error(L, n->line, "csv must be a map");
    TXS_TRY(txs__ymap_check_keys(L->p->doc, n, "csv", keys, L->d));
    const txs_ynode *v;
    if ((v = txs__ymap_get(n, "delimiter"))) {
        TXS_TRY(want_char(L, v, "csv.delimiter", 0, &L->p->delimiter));
        if (!strchr(",;|\t", L->p->delimiter))
            return cfg_error(L, v->line, "csv.delimiter must be one of , ; | or a tab");
    }
    if ((v = txs__ymap_get(n, "quote"))) {
        TXS_TRY(want_char(L, v, "csv.quote", 0, &L->p->quote));
        if (L->p->quote == L->p->delimiter)
            return cfg_error(L, v->line, "csv.quote must differ from csv.delimiter");
    }
    if ((v = txs__ymap_get(n, "header"))) TXS_TRY(want_bool(L, v, "csv.header", &L->p->header));
    return TXS_OK;
}

static int load_amount_format(loader *L, const txs_ynode *n)
{
    static const char *const keys[] = {"decimal", "group", NULL};
    if (n->type != TXS_Y_MAP) return cfg_error(L, n->line, "amount_format must be a map");
    TXS_TRY(txs__ymap_check_keys(L->p->doc, n, "amount_format", keys, L->d));
    const txs_ynode *v;
    if ((v = txs__ymap_get(n, "decimal")))
        TXS_TRY(want_char(L, v, "amount_format.decimal", 0, &L->p->decimal));
    if ((v = txs__ymap_get(n, "group")))
        TXS_TRY(want_char(L, v, "amount_format.group", 1, &L->p->group));
    if (L->p->decimal == L->p->group || (L->p->decimal >= '0' && L->p->decimal <= '9') ||
        (L->p->group >= '0' && L->p->group <= '9'))
        return cfg_error(L, n->line,
                         "amount_format: decimal and group must differ and not be digits");
    return TXS_OK;
}

/* -------------------------------------------------------- field maps */

static int entry_cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r) return r;
    return an < bn ? -1 : an > bn;
}

static int entry_cmp(const void *x, const void *y)
{
    const txs_pmap_entry *a = x, *b = y;
    return entry_cmp_bytes(a->from.p, a->from.n, b->from.p, b->from.n);
}

const txs_pmap_entry *txs__pmap_find(const txs_pfield *f, const char *p, size_t n)
{
    size_t lo = 0, hi = f->nmap;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const txs_pmap_entry *e = &f->map[mid];
        int r = entry_cmp_bytes(p, n, e->from.p, e->from.n);
        if (r == 0) return e;
        if (r < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

/* Resolve a map target (or default) for a typed field at load time, so a
 * record never looks up a currency or channel name the profile spelt out. */
static int resolve_target(loader *L, txs_pfield_id id, const txs_ynode *n,
                          txs_pmap_entry *e)
{
    const char *s = "";
    TXS_TRY(want_scalar(L, n, "a map value", &s));
    e->to = (txs_slice){s, n->len};
    e->ival = 0;
    if (id == TXS_F_CHANNEL) {
        e->ival = n->len ? txs_channel_lookup(s, n->len) : TXS_CH_OTHER;
        if (e->ival < 0)
            return cfg_error(L, n->line,
                             "'%s' is not a channel (expected cash, wire, ach, card, "
                             "cheque, crypto, internal or other)", s);
    } else if (id == TXS_F_CURRENCY) {
        e->ival = txs_currency_lookup(s, n->len);
        if (e->ival < 0) return cfg_error(L, n->line, "'%s' is not a known currency", s);
    } else if (id == TXS_F_ORIG_COUNTRY || id == TXS_F_BENE_COUNTRY) {
        char cc[2] = {0, 0};
        if (n->len && txs_country_lookup(s, n->len, cc) != 0)
            return cfg_error(L, n->line, "'%s' is not a known country", s);
        e->ival = ((unsigned char)cc[0] << 8) | (unsigned char)cc[1];
    }
    return TXS_OK;
}

static int load_map(loader *L, txs_pfield_id id, txs_pfield *f, const txs_ynode *n)
{
    if (n->type != TXS_Y_MAP) return cfg_error(L, n->line, "map must be a map of value: replacement");
    if (n->n == 0) return TXS_OK;
    f->map = txs_arena_alloc(&L->p->arena, n->n * sizeof *f->map);
    if (f->map == NULL) return nomem(L);
    for (size_t i = 0; i < n->n; i++) {
        f->map[i].from = (txs_slice){n->keys[i], strlen(n->keys[i])};
        TXS_TRY(resolve_target(L, id, n->items[i], &f->map[i]));
    }
    f->nmap = n->n;
    qsort(f->map, f->nmap, sizeof *f->map, entry_cmp);
    return TXS_OK;
}

/* -------------------------------------------------------- field specs */

static const char *const field_keys[] = {
    "column", "key",     "occurrence", "index",    "columns",  "join", "value",
    "generate", "map",   "default",    "unmapped", "layout",   "required", "pattern", NULL};
static const char *const source_keys[] = {"column", "key", "index", "columns",
                                          "value", "generate", NULL};

static char *arena_printf(txs_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static char *arena_printf(txs_arena *a, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    return txs_arena_dup(a, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static int load_columns(loader *L, txs_pfield *f, const txs_ynode *v)
{
    if (v->type != TXS_Y_SEQ || v->n == 0)
        return cfg_error(L, v->line, "columns must be a list of column names");
    f->names = txs_arena_alloc(&L->p->arena, v->n * sizeof *f->names);
    if (f->names == NULL) return nomem(L);
    char label[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < v->n; i++) {
        TXS_TRY(want_scalar(L, v->items[i], "a column name", &f->names[i]));
        int w = snprintf(label + used, sizeof label - used, "%s%s", i ? "+" : "", f->names[i]);
        if (w > 0 && (size_t)w < sizeof label - used) used += (size_t)w;
    }
    f->nnames = v->n;
    f->label = txs_arena_dup(&L->p->arena, label, used);
    return f->label ? TXS_OK : nomem(L);
}

/* Which one source key the spec uses: exactly one is allowed. */
static int pick_source(loader *L, const char *fname, const txs_ynode *spec,
                       const char **which)
{
    *which = NULL;
    for (size_t i = 0; source_keys[i]; i++) {
        if (!txs__ymap_get(spec, source_keys[i])) continue;
        if (*which)
            return cfg_error(L, spec->line, "field %s has both %s: and %s: (use one)",
                             fname, *which, source_keys[i]);
        *which = source_keys[i];
    }
    if (*which == NULL)
        return cfg_error(L, spec->line,
                         "field %s needs one of column:, key:, index:, columns:, value: "
                         "or generate:", fname);
    return TXS_OK;
}

static int load_source(loader *L, txs_pfield_id id, txs_pfield *f, const txs_ynode *spec)
{
    const char *fname = txs__pfield_names[id], *which;
    TXS_TRY(pick_source(L, fname, spec, &which));
    const txs_ynode *v = txs__ymap_get(spec, which);
    unsigned long u;
    if (strcmp(which, "column") == 0 || strcmp(which, "key") == 0) {
        f->src = TXS_SRC_COLUMN;
        f->names = txs_arena_alloc(&L->p->arena, sizeof *f->names);
        if (f->names == NULL) return nomem(L);
        TXS_TRY(want_scalar(L, v, which, &f->names[0]));
        f->nnames = 1;
        f->label = f->names[0];
        const txs_ynode *occ = txs__ymap_get(spec, "occurrence");
        if (occ) {
            TXS_TRY(want_uint(L, occ, "occurrence", TXS_MAX_FIELDS, &u));
            if (u == 0) return cfg_error(L, occ->line, "occurrence counts from 1");
            f->occurrence = (unsigned)u;
            if (u > 1) f->label = arena_printf(&L->p->arena, "%s (occurrence %lu)", f->names[0], u);
        }
    } else if (strcmp(which, "index") == 0) {
        f->src = TXS_SRC_INDEX;
        TXS_TRY(want_uint(L, v, "index", TXS_MAX_FIELDS - 1, &u));
        f->index = (uint32_t)u;
        f->label = arena_printf(&L->p->arena, "#%lu", u);
    } else if (strcmp(which, "columns") == 0) {
        f->src = TXS_SRC_COLUMNS;
        TXS_TRY(load_columns(L, f, v));
    } else if (strcmp(which, "value") == 0) {
        f->src = TXS_SRC_VALUE;
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "value", &s));
        f->value = (txs_slice){s, v->len};
        f->label = "(constant)";
    } else {
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "generate", &s));
        if (strcmp(s, "line") != 0)
            return cfg_error(L, v->line, "generate must be 'line', not '%s'", s);
        if (id != TXS_F_TXN_ID)
            return cfg_error(L, v->line, "generate: line is only for txn_id");
        f->src = TXS_SRC_LINE;
        f->label = "(generated)";
    }
    if (f->label == NULL) return nomem(L);
    const txs_ynode *occ = txs__ymap_get(spec, "occurrence");
    if (occ && f->src != TXS_SRC_COLUMN)
        return cfg_error(L, occ->line, "occurrence goes with column:");
    const txs_ynode *join = txs__ymap_get(spec, "join");
    if (join && f->src != TXS_SRC_COLUMNS)
        return cfg_error(L, join->line, "join goes with columns:");
    f->join = TXS_SLICE_LIT(" ");
    if (join) {
        const char *s = "";
        TXS_TRY(want_scalar(L, join, "join", &s));
        f->join = (txs_slice){s, join->len};
    }
    return TXS_OK;
}

/* ------------------------------------------------------ column patterns */

/* patterns: {NAME: REGEX, ...}: each compiled for UTF-8 text (the reader
 * has validated every value) and JIT-compiled. */
static int load_patterns(loader *L, const txs_ynode *n)
{
    txs_profile *p = L->p;
    if (n->type != TXS_Y_MAP || n->n == 0)
        return cfg_error(L, n->line, "patterns must be a map of name: regular expression");
    p->pat_names = txs_arena_alloc(&p->arena, n->n * sizeof *p->pat_names);
    p->pats = calloc(n->n, sizeof *p->pats);
    if (p->pat_names == NULL || p->pats == NULL) return nomem(L);
    for (size_t i = 0; i < n->n; i++) {
        const char *re = "";
        TXS_TRY(want_scalar(L, n->items[i], "a pattern", &re));
        size_t off = 0;
        char msg[160];
        int rc = txs_regex_compile(re, n->items[i]->len, TXS_RE_UTF8, &p->pats[i], &off, msg,
                                   sizeof msg);
        if (rc == TXS_E_CONFIG)
            return cfg_error(L, n->items[i]->line,
                             "pattern '%s': PCRE2 error at offset %zu: %s (pattern: %s)",
                             n->keys[i], off, msg, re);
        if (rc < 0) return nomem(L);
        p->pat_names[i] = n->keys[i];
        p->npats = i + 1;
        txs_regex_jit(p->pats[i]);
    }
    return TXS_OK;
}

/* pattern: NAME on a field: a name from patterns:, on a field read from
 * the export (a constant or a generated id has nothing to check). */
static int use_pattern(loader *L, txs_pfield_id id, txs_pfield *f, const txs_ynode *v)
{
    const char *name = "";
    TXS_TRY(want_scalar(L, v, "pattern", &name));
    if (f->src == TXS_SRC_VALUE || f->src == TXS_SRC_LINE)
        return cfg_error(L, v->line, "field %s: pattern goes with column:, key:, index: or "
                         "columns:", txs__pfield_names[id]);
    for (size_t i = 0; i < L->p->npats; i++)
        if (strcmp(L->p->pat_names[i], name) == 0) {
            f->pattern = L->p->pats[i];
            f->pattern_name = name;
            return TXS_OK;
        }
    return cfg_error(L, v->line, "field %s: no pattern named '%s' under patterns:",
                     txs__pfield_names[id], name);
}

static int load_value_rules(loader *L, txs_pfield_id id, txs_pfield *f, const txs_ynode *spec)
{
    const txs_ynode *v;
    if ((v = txs__ymap_get(spec, "map"))) TXS_TRY(load_map(L, id, f, v));
    if ((v = txs__ymap_get(spec, "default"))) {
        TXS_TRY(resolve_target(L, id, v, &f->dflt));
        f->has_default = 1;
        f->unmapped = TXS_UNMAPPED_DEFAULT;
    }
    if ((v = txs__ymap_get(spec, "unmapped"))) {
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "unmapped", &s));
        if (f->has_default)
            return cfg_error(L, v->line, "unmapped and default cannot be used together");
        if (strcmp(s, "keep") == 0) f->unmapped = TXS_UNMAPPED_KEEP;
        else if (strcmp(s, "reject") == 0) f->unmapped = TXS_UNMAPPED_REJECT;
        else return cfg_error(L, v->line, "unmapped must be keep or reject, not '%s'", s);
        if (f->nmap == 0) return cfg_error(L, v->line, "unmapped goes with map:");
    }
    if ((v = txs__ymap_get(spec, "layout"))) {
        if (id != TXS_F_TIMESTAMP) return cfg_error(L, v->line, "layout is only for timestamp");
        TXS_TRY(want_scalar(L, v, "layout", &f->layout));
        if (v->len == 0) return cfg_error(L, v->line, "layout is empty");
    }
    if ((v = txs__ymap_get(spec, "required"))) {
        TXS_TRY(want_bool(L, v, "required", &f->required));
        if (id <= TXS_F_CURRENCY && !f->required)
            return cfg_error(L, v->line, "%s is always required", txs__pfield_names[id]);
    }
    if (id <= TXS_F_CURRENCY) f->required = 1;
    if ((v = txs__ymap_get(spec, "pattern"))) TXS_TRY(use_pattern(L, id, f, v));
    return TXS_OK;
}

static int load_field(loader *L, txs_pfield_id id, const txs_ynode *spec)
{
    txs_pfield *f = &L->p->f[id];
    f->line = spec->line;
    if (spec->type != TXS_Y_MAP)
        return cfg_error(L, spec->line, "field %s must be a map such as {column: NAME}",
                         txs__pfield_names[id]);
    char what[64];
    snprintf(what, sizeof what, "field %s", txs__pfield_names[id]);
    TXS_TRY(txs__ymap_check_keys(L->p->doc, spec, what, field_keys, L->d));
    f->occurrence = 1;
    TXS_TRY(load_source(L, id, f, spec));
    return load_value_rules(L, id, f, spec);
}

static int load_fields(loader *L, const txs_ynode *n, unsigned long key_line)
{
    if (n->type != TXS_Y_MAP) return cfg_error(L, n->line, "fields must be a map");
    TXS_TRY(txs__ymap_check_keys(L->p->doc, n, "fields (canonical field names)",
                                 (const char *const *)txs__pfield_names, L->d));
    for (size_t i = 0; i < n->n; i++) {
        size_t id = 0;
        while (strcmp(txs__pfield_names[id], n->keys[i]) != 0) id++;
        TXS_TRY(load_field(L, (txs_pfield_id)id, n->items[i]));
    }
    for (int id = 0; id <= TXS_F_CURRENCY; id++)
        if (L->p->f[id].src == TXS_SRC_NONE)
            return cfg_error(L, key_line, "fields must map %s (txn_id, timestamp, amount and "
                             "currency are required)", txs__pfield_names[id]);
    return TXS_OK;
}

/* The JSONL keys: each distinct name used by column:/key:/columns:, in
 * field order, so the reader extracts exactly what the fields read. */
static int collect_keys(loader *L)
{
    txs_profile *p = L->p;
    size_t cap = 0;
    for (int i = 0; i < TXS_F_COUNT; i++) cap += p->f[i].nnames;
    if (cap == 0) return TXS_OK;
    p->keys = txs_arena_alloc(&p->arena, cap * sizeof *p->keys);
    if (p->keys == NULL) return nomem(L);
    for (int i = 0; i < TXS_F_COUNT; i++) {
        for (size_t j = 0; j < p->f[i].nnames; j++) {
            const char *k = p->f[i].names[j];
            size_t m = 0;
            while (m < p->nkeys && strcmp(p->keys[m], k) != 0) m++;
            if (m == p->nkeys) p->keys[p->nkeys++] = k;
        }
    }
    return TXS_OK;
}

/* The line of key in map (the key, not its value, which may start on the
 * next line). */
static unsigned long key_line_of(const txs_ynode *map, const char *key)
{
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) return map->key_lines[i];
    return map->line;
}

static int load_top(loader *L)
{
    static const char *const top_keys[] = {
        "profile", "description", "format", "csv", "amount_format",
        "amount_rounding", "timezone", "patterns", "fields", NULL};
    txs_profile *p = L->p;
    const txs_ynode *root = p->doc->root, *v;
    if (root == NULL || root->type != TXS_Y_MAP)
        return cfg_error(L, root ? root->line : 0, "a profile must be a YAML map");
    TXS_TRY(txs__ymap_check_keys(p->doc, root, "the profile", top_keys, L->d));
    if (!(v = txs__ymap_get(root, "profile")))
        return cfg_error(L, root->line, "missing key 'profile' (the profile's name)");
    TXS_TRY(want_scalar(L, v, "profile", &p->name));
    if (v->len == 0) return cfg_error(L, v->line, "profile name is empty");
    if ((v = txs__ymap_get(root, "description"))) {
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "description", &s));
    }
    if ((v = txs__ymap_get(root, "format"))) {
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "format", &s));
        if (strcmp(s, "csv") == 0) p->format = TXS_FMT_CSV;
        else if (strcmp(s, "jsonl") == 0) p->format = TXS_FMT_JSONL;
        else return cfg_error(L, v->line, "format must be csv or jsonl, not '%s'", s);
    }
    if ((v = txs__ymap_get(root, "csv"))) TXS_TRY(load_csv(L, v));
    if ((v = txs__ymap_get(root, "amount_format"))) TXS_TRY(load_amount_format(L, v));
    if ((v = txs__ymap_get(root, "amount_rounding"))) {
        const char *s = "";
        TXS_TRY(want_scalar(L, v, "amount_rounding", &s));
        if (strcmp(s, "reject") == 0) p->rounding = TXS_ROUND_REJECT;
        else if (strcmp(s, "half_even") == 0) p->rounding = TXS_ROUND_HALF_EVEN;
        else return cfg_error(L, v->line, "amount_rounding must be reject or half_even, not '%s'", s);
    }
    if ((v = txs__ymap_get(root, "timezone"))) TXS_TRY(want_tz(L, v, &p->tz_offset_min));
    if ((v = txs__ymap_get(root, "patterns"))) TXS_TRY(load_patterns(L, v));
    if (!(v = txs__ymap_get(root, "fields")))
        return cfg_error(L, root->line, "missing key 'fields'");
    TXS_TRY(load_fields(L, v, key_line_of(root, "fields")));
    return collect_keys(L);
}

/* Names need a header row: refuse them in a header-less CSV profile, at
 * load rather than at every bind. */
static int check_headerless(loader *L)
{
    const txs_profile *p = L->p;
    if (p->header || p->format != TXS_FMT_CSV) return TXS_OK;
    for (int i = 0; i < TXS_F_COUNT; i++)
        if (p->f[i].src == TXS_SRC_COLUMN || p->f[i].src == TXS_SRC_COLUMNS)
            return cfg_error(L, p->f[i].line,
                             "field %s names columns, but csv.header is false (use index:)",
                             txs__pfield_names[i]);
    return TXS_OK;
}

/* A spec names a built-in when it is a bare word with no such file. */
static int spec_to_path(const char *spec, char *out, size_t cap)
{
    int is_word = strchr(spec, '/') == NULL && strchr(spec, '.') == NULL;
    char name[256];
    snprintf(name, sizeof name, "profiles/%s.yaml", spec);
    if (is_word && txs__builtin_find(name)) {
        snprintf(out, cap, "builtin:%s", name);
        return 1;
    }
    snprintf(out, cap, "%s", spec);
    return 0;
}

int txs_profile_load(const char *spec, txs_profile **out, txs_diag *d)
{
    if (spec == NULL || out == NULL) return TXS_E_ARG;
    *out = NULL;
    char path[1024];
    int builtin = spec_to_path(spec, path, sizeof path);
    txs_ydoc *doc = NULL;
    int rc = txs__ydoc_load(path, &doc, d);
    char names[256];
    if (rc == TXS_E_NOTFOUND && !builtin && strchr(spec, '/') == NULL && strchr(spec, '.') == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, spec, 0,
                            "no built-in profile or file named '%s' (built-in: %s)", spec,
                            txs__builtin_names("profiles", names, sizeof names));
    /* A profile that cannot be opened or read is configuration (exit 3). */
    if (rc == TXS_E_NOTFOUND || rc == TXS_E_IO) return TXS_E_CONFIG;
    TXS_TRY(rc);
    txs_profile *p = calloc(1, sizeof *p);
    if (p == NULL) {
        txs__ydoc_free(doc);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    p->doc = doc;
    p->file = doc->file;
    txs_arena_init(&p->arena, 4096);
    p->format = TXS_FMT_CSV;
    p->delimiter = ',';
    p->quote = '"';
    p->header = 1;
    p->decimal = '.';
    loader L = {p, d};
    rc = load_top(&L);
    if (rc == TXS_OK) rc = check_headerless(&L);
    if (rc < 0) {
        txs_profile_free(p);
        return rc;
    }
    *out = p;
    return TXS_OK;
}

void txs_profile_free(txs_profile *p)
{
    if (p == NULL) return;
    for (size_t i = 0; i < p->npats; i++) txs_regex_free(p->pats[i]);
    free(p->pats);
    txs_arena_free(&p->arena);
    txs__ydoc_free(p->doc);
    free(p);
}

const char *txs_profile_name(const txs_profile *p)
{
    return p ? p->name : NULL;
}

txs_format txs_profile_format(const txs_profile *p)
{
    return p ? p->format : TXS_FMT_CSV;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

txs_format txs_profile_format_for(const txs_profile *p, int forced, const char *name)
{
    if (forced >= 0) return (txs_format)forced;
    size_t n = name ? strlen(name) : 0;
    if (ends_with(name, n, ".gz")) n -= 3;
    else if (ends_with(name, n, ".zst")) n -= 4;
    else if (ends_with(name, n, ".zstd")) n -= 5;
    if (ends_with(name, n, ".jsonl") || ends_with(name, n, ".ndjson")) return TXS_FMT_JSONL;
    return txs_profile_format(p);
}

int txs_profile_reader_opts(const txs_profile *p, txs_format fmt, txs_reader_opts *out)
{
    if (p == NULL || out == NULL) return TXS_E_ARG;
    memset(out, 0, sizeof *out);
    out->format = fmt;
    out->delimiter = p->delimiter;
    out->quote = p->quote;
    out->header = p->header;
    if (fmt == TXS_FMT_JSONL) {
        for (int i = 0; i < TXS_F_COUNT; i++)
            if (p->f[i].src == TXS_SRC_INDEX) return TXS_E_UNSUPPORTED;
        out->header = 0;
        out->keys = p->keys;
        out->nkeys = p->nkeys;
    }
    return TXS_OK;
}
