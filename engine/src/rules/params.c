/*
 * params.c: the parameters of the stateful kinds (state_int.h): parsers for
 * durations, money in the base currency, ratios, counts and directions, and
 * the one table-driven routine that reads a rule's params map with them
 * (txs__rules_read_params), so each kind declares its keys in a table
 * instead of repeating the reading loop.  Each parser stops a bad value
 * with FILE:LINE and what was expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/values.h"

static int bad(const txs_ydoc *doc, const txs_ynode *n, const char *what,
               const char *expect, txs_diag *d)
{
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line, "%s must be %s, not '%s'",
                        what, expect, n->type == TXS_Y_SCALAR ? n->str : "(a list or map)");
}

/* Digits at *s into *v (at least one); advances *s.  0 or -1. */
static int digits(const char **s, int64_t *v)
{
    const char *p = *s;
    int64_t x = 0;
    if (*p < '0' || *p > '9') return -1;
    while (*p >= '0' && *p <= '9') {
        if (x > 1000000000) return -1;
        x = x * 10 + (*p++ - '0');
    }
    *s = p;
    *v = x;
    return 0;
}

static int64_t unit_secs(char u)
{
    switch (u) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 7 * 86400;
    default: return 0;
    }
}

/* ISO 8601 PnDTnHnMnS (also PnW); no years or months (not fixed lengths). */
static int iso_duration(const char *s, int64_t *out)
{
    int64_t total = 0, v;
    int in_time = 0, any = 0;
    if (*s++ != 'P') return -1;
    while (*s) {
        if (*s == 'T') {
            if (in_time) return -1;
            in_time = 1;
            s++;
            continue;
        }
        if (digits(&s, &v) < 0) return -1;
        int64_t u;
        switch (*s) {
        case 'W': u = in_time ? 0 : 7 * 86400; break;
        case 'D': u = in_time ? 0 : 86400; break;
        case 'H': u = in_time ? 3600 : 0; break;
        case 'M': u = in_time ? 60 : 0; break;
        case 'S': u = in_time ? 1 : 0; break;
        default: u = 0;
        }
        if (u == 0) return -1;
        total += v * u;
        any = 1;
        s++;
    }
    if (!any) return -1;
    *out = total;
    return 0;
}

int txs__rules_duration(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                        int64_t *secs, txs_diag *d)
{
    static const char expect[] =
        "a duration such as 72h, 7d, 30m or ISO 8601 P7D / PT8H, greater than zero";
    if (n->type != TXS_Y_SCALAR) return bad(doc, n, what, expect, d);
    const char *s = n->str;
    int64_t v = 0;
    if (*s == 'P') {
        if (iso_duration(s, &v) < 0) return bad(doc, n, what, expect, d);
    } else {
        if (digits(&s, &v) < 0 || s[0] == '\0' || s[1] != '\0' || unit_secs(s[0]) == 0)
            return bad(doc, n, what, expect, d);
        v *= unit_secs(s[0]);
    }
    if (v <= 0 || v > 3660LL * 86400) return bad(doc, n, what, expect, d);
    *secs = v;
    return 0;
}

int txs__rules_money(const txs_ydoc *doc, const txs_ynode *n, const txs_ruleset *rs,
                     const char *what, int64_t *out, txs_diag *d)
{
    if (rs->fx.base < 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                            "%s: amounts of stateful rules are kept in the rule set's base "
                            "currency; add an fx: section with a base", what);
    int cur = rs->fx.base;
    const txs_ynode *v = n;
    if (n->type == TXS_Y_MAP) {
        if (n->n != 1 || n->items[0]->type != TXS_Y_SCALAR)
            return bad(doc, n, what, "an amount such as \"10000.00\" or {EUR: \"9000\"}", d);
        const char *code = n->keys[0];
        cur = txs_currency_lookup(code, strlen(code));
        if (cur < 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, n->line,
                                "%s: unknown currency '%s'", what, code);
        v = n->items[0];
    }
    if (v->type != TXS_Y_SCALAR)
        return bad(doc, n, what, "an amount such as \"10000.00\" or {EUR: \"9000\"}", d);
    int64_t minor;
    if (txs_amount_parse(v->str, v->len, txs_currency_get(cur)->exponent, '.', 0, &minor, NULL) != 0 ||
        minor < 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                            "%s: '%s' is not a non-negative amount in %s", what, v->str,
                            txs_currency_get(cur)->code);
    if (cur == rs->fx.base) {
        *out = minor;
        return 0;
    }
    if (txs__rules_fx_convert(&rs->fx, minor, cur, rs->fx.base, out) != 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                            "%s: no FX rate for %s in the rule set's fx: section", what,
                            txs_currency_get(cur)->code);
    return 0;
}

int txs__rules_ratio(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                     int64_t *ppm, txs_diag *d)
{
    static const char expect[] = "a decimal ratio such as 0.85 or 1.15 (0 to 1000)";
    if (n->type != TXS_Y_SCALAR) return bad(doc, n, what, expect, d);
    const char *s = n->str;
    int64_t whole = 0, frac = 0;
    int fd = 0;
    if (digits(&s, &whole) < 0 || whole > 1000) return bad(doc, n, what, expect, d);
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9') return bad(doc, n, what, expect, d);
        while (*s >= '0' && *s <= '9') {
            if (fd == 6) return bad(doc, n, what, "given with at most 6 decimals", d);
            frac = frac * 10 + (*s++ - '0');
            fd++;
        }
    }
    if (*s) return bad(doc, n, what, expect, d);
    while (fd++ < 6) frac *= 10;
    *ppm = whole * TXS_RULES_PPM + frac;
    return 0;
}

int txs__rules_count(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                     uint32_t *out, txs_diag *d)
{
    const char *s = n->type == TXS_Y_SCALAR ? n->str : "";
    int64_t v;
    if (digits(&s, &v) < 0 || *s || v < 1 || v > 100000)
        return bad(doc, n, what, "a whole number from 1 to 100000", d);
    *out = (uint32_t)v;
    return 0;
}

int txs__rules_direction(const txs_ydoc *doc, const txs_ynode *n, int *mask, txs_diag *d)
{
    if (n->type == TXS_Y_SCALAR) {
        if (strcmp(n->str, "in") == 0) return *mask = TXS_EV_IN, 0;
        if (strcmp(n->str, "out") == 0) return *mask = TXS_EV_OUT, 0;
        if (strcmp(n->str, "both") == 0) return *mask = TXS_EV_IN | TXS_EV_OUT, 0;
    }
    return bad(doc, n, "direction", "in, out or both", d);
}

int txs__rules_need_base(const txs_rule *r, const txs_ruleset *rs, const txs_ydoc *doc,
                         const txs_ynode *params, txs_diag *d)
{
    if (rs->fx.base >= 0) return 0;
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                        "rule '%s': kind %s keeps amounts in the rule set's base currency; "
                        "add an fx: section with a base",
                        r->info.id, r->ops->kind);
}

/* One value v of key e->key into dst + e->off; what names it in errors. */
static int read_one(const txs__param *e, const txs_ynode *v, const txs_ydoc *doc,
                    const txs_ruleset *rs, const char *what, char *dst, txs_diag *d)
{
    void *at = dst + e->off;
    switch (e->type) {
    case TXS__P_DURATION: return txs__rules_duration(doc, v, what, (int64_t *)at, d);
    case TXS__P_MONEY: return txs__rules_money(doc, v, rs, what, (int64_t *)at, d);
    case TXS__P_RATIO: return txs__rules_ratio(doc, v, what, (int64_t *)at, d);
    case TXS__P_BAND: {
        int64_t *ppm = at;
        TXS_TRY(txs__rules_ratio(doc, v, what, ppm, d));
        if (*ppm <= 0 || *ppm >= TXS_RULES_PPM)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "%s must be between 0 and 1 (the band's lower edge "
                                "as a fraction of the threshold)", what);
        return 0;
    }
    case TXS__P_COUNT: return txs__rules_count(doc, v, what, (uint32_t *)at, d);
    case TXS__P_COUNT0:
        if (v->type == TXS_Y_SCALAR && strcmp(v->str, "0") == 0) return *(uint32_t *)at = 0, 0;
        return txs__rules_count(doc, v, what, (uint32_t *)at, d);
    case TXS__P_CHANNELS: return txs__rules_parse_channels(doc, v, (uint32_t *)at, d);
    case TXS__P_DIRECTION: return txs__rules_direction(doc, v, (int *)at, d);
    case TXS__P_BOOL: return txs__rules_parse_bool(doc, v, what, (int *)at, d);
    case TXS__P_CLIST: {
        const txs_clist *l = v->type == TXS_Y_SCALAR ? txs__rules_find_list(rs, v->str) : NULL;
        if (l == NULL)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "%s: no country list '%s' in country_lists", what,
                                v->type == TXS_Y_SCALAR ? v->str : "?");
        *(const txs_clist **)at = l;
        return 0;
    }
    }
    return TXS_E_ARG;
}

int txs__rules_read_params(const txs_rule *r, const txs_ynode *params, const txs_ydoc *doc,
                           const txs_ruleset *rs, const txs__param *tab, size_t n, int kind,
                           void *dst, txs_diag *d)
{
    char what[128];
    for (size_t i = 0; params && i < params->n; i++) {
        const char *k = params->keys[i];
        snprintf(what, sizeof what, "rule '%s': %s", r->info.id, k);
        for (size_t j = 0; j < n; j++) {
            const txs__param *e = &tab[j];
            if ((e->kinds && !(e->kinds & (1u << kind))) || strcmp(e->key, k) != 0) continue;
            TXS_TRY(read_one(e, params->items[i], doc, rs, what, dst, d));
            break;
        }
    }
    return 0;
}
