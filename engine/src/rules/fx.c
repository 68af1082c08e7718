/*
 * fx.c: the rule set's FX table and exact currency conversion, at build time
 * (rules/ruleset.c parses `fx:`, kinds compile per-currency thresholds) and
 * for evidence at run time (txs__rules_fx_convert, called only on a hit).
 *
 * A rate is the decimal text "1 unit of CUR = RATE units of base" kept as a
 * mantissa and a scale (10^-scale), never a float.  Conversion multiplies
 * and divides 128-bit integers with overflow checks, so a threshold compiled
 * into another currency's minor units is exact: amount >= min[cur] holds
 * exactly when the amount is worth at least the threshold at the table's
 * rates.  unsigned __int128 is a GCC/Clang extension; every compiler this
 * project supports (gcc, clang on 64-bit targets) has it.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "txs/values.h"

#if !defined(__SIZEOF_INT128__)
#error "txscreen needs unsigned __int128 (gcc or clang on a 64-bit target)"
#endif

__extension__ typedef unsigned __int128 u128;

#define MAX_RATE_DIGITS 18

/* a * b, or 0 with *ok cleared on overflow. */
static u128 mul_chk(u128 a, u128 b, int *ok)
{
    if (a != 0 && b > ~(u128)0 / a) {
        *ok = 0;
        return 0;
    }
    return a * b;
}

static u128 pow10_chk(int k, int *ok)
{
    u128 r = 1;
    for (int i = 0; i < k; i++) r = mul_chk(r, 10, ok);
    return r;
}

/* Parse "123.4567" exactly: digits, optional '.' and digits; > 0. */
static int parse_rate(const char *s, size_t n, txs_fx_rate *r)
{
    uint64_t m = 0;
    int digits = 0, scale = 0, dot = 0, before = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (c < '0' || c > '9') return -1;
        if (m != 0 || c != '0') digits++;
        if (digits > MAX_RATE_DIGITS) return -1;
        m = m * 10 + (uint64_t)(c - '0');
        if (dot)
            scale++;
        else
            before++;
    }
    if (before == 0 || (dot && scale == 0) || m == 0) return -1;
    if (scale > MAX_RATE_DIGITS || n >= sizeof r->text) return -1;
    r->mant = m;
    r->scale = scale;
    r->present = 1;
    memcpy(r->text, s, n);
    r->text[n] = '\0';
    return 0;
}

/* The currency index for an exact upper-case ISO code, or -1. */
static int currency_code(const char *s)
{
    if (strlen(s) != 3) return -1;
    int i = txs_currency_lookup(s, 3);
    const txs_currency *c = txs_currency_get(i);
    return (c && memcmp(c->code, s, 3) == 0) ? i : -1;
}

int txs__rules_fx_convert(const txs_fx *fx, int64_t amount, int from, int to,
                          int64_t *out)
{
    int ncur = txs_currency_count();
    if (fx->rates == NULL || from < 0 || to < 0 || from >= ncur || to >= ncur)
        return TXS_E_NOTFOUND;
    const txs_fx_rate *ra = &fx->rates[from], *rb = &fx->rates[to];
    if (!ra->present || !rb->present) return TXS_E_NOTFOUND;
    int ea = txs_currency_get(from)->exponent, eb = txs_currency_get(to)->exponent;
    /* b_minor = a_minor * ma * 10^(sb+eb) / (mb * 10^(sa+ea)) */
    int k = (rb->scale + eb) - (ra->scale + ea), ok = 1;
    u128 mag = amount < 0 ? (u128)(-(amount + 1)) + 1 : (u128)amount;
    u128 num = mul_chk(mag, ra->mant, &ok), den = rb->mant;
    if (k >= 0)
        num = mul_chk(num, pow10_chk(k, &ok), &ok);
    else
        den = mul_chk(den, pow10_chk(-k, &ok), &ok);
    if (!ok || num > ~(u128)0 - den / 2) return TXS_E_LIMIT;
    u128 q = (num + den / 2) / den;   /* half away from zero */
    if (q > (u128)INT64_MAX) return TXS_E_LIMIT;
    *out = amount < 0 ? -(int64_t)q : (int64_t)q;
    return 0;
}

/* Smallest amount of currency a worth at least t minor units of b: the
 * ceiling of t * mb * 10^(sa+ea) / (ma * 10^(sb+eb)).  NEVER when the rate
 * is missing or the result does not fit. */
static int64_t convert_threshold(const txs_fx *fx, int64_t t, int b, int a)
{
    const txs_fx_rate *ra = &fx->rates[a], *rb = &fx->rates[b];
    if (!ra->present || !rb->present) return TXS_RULES_NEVER;
    int ea = txs_currency_get(a)->exponent, eb = txs_currency_get(b)->exponent;
    int k = (ra->scale + ea) - (rb->scale + eb), ok = 1;
    u128 num = mul_chk((u128)t, rb->mant, &ok), den = ra->mant;
    if (k >= 0)
        num = mul_chk(num, pow10_chk(k, &ok), &ok);
    else
        den = mul_chk(den, pow10_chk(-k, &ok), &ok);
    if (!ok) return TXS_RULES_NEVER;
    u128 q = num / den + (num % den != 0);
    return q >= (u128)INT64_MAX ? TXS_RULES_NEVER : (int64_t)q;
}

static int need_scalar(const txs_ydoc *doc, const txs_ynode *n, const char *what,
                       txs_diag *d)
{
    if (n && n->type == TXS_Y_SCALAR) return 0;
    return txs_diag_set(d, TXS_E_CONFIG, doc->file, n ? n->line : 0,
                        "%s must be a single value", what);
}

int txs__rules_fx_load(txs_ruleset *rs, const txs_ydoc *doc,
                       const txs_ynode *node, txs_diag *d)
{
    static const char *const keys[] = {"base", "as_of", "source", "rates", NULL};
    if (node->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, node->line,
                            "fx must be a map of base, as_of, source, rates");
    TXS_TRY(txs__ymap_check_keys(doc, node, "fx", keys, d));
    const txs_ynode *base = txs__ymap_get(node, "base");
    const txs_ynode *as_of = txs__ymap_get(node, "as_of");
    const txs_ynode *src = txs__ymap_get(node, "source");
    const txs_ynode *rates = txs__ymap_get(node, "rates");
    if (!base || !as_of || !src || !rates)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, node->line,
                            "fx needs base, as_of, source and rates");
    TXS_TRY(need_scalar(doc, base, "fx base", d));
    TXS_TRY(need_scalar(doc, as_of, "fx as_of", d));
    TXS_TRY(need_scalar(doc, src, "fx source", d));
    int b = currency_code(base->str);
    if (b < 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, base->line,
                            "fx base '%s' is not an ISO 4217 currency code", base->str);
    if (rates->type != TXS_Y_MAP)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, rates->line,
                            "fx rates must be a map of CUR: \"rate\"");
    rs->fx.rates = calloc((size_t)txs_currency_count(), sizeof *rs->fx.rates);
    if (rs->fx.rates == NULL) return TXS_E_NOMEM;
    rs->fx.base = b;
    rs->fx.as_of = txs_arena_dup(&rs->arena, as_of->str, as_of->len);
    rs->fx.source = txs_arena_dup(&rs->arena, src->str, src->len);
    if (!rs->fx.as_of || !rs->fx.source) return TXS_E_NOMEM;
    for (size_t i = 0; i < rates->n; i++) {
        const txs_ynode *v = rates->items[i];
        int c = currency_code(rates->keys[i]);
        if (c < 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "fx rate for '%s': not an ISO 4217 currency code",
                                rates->keys[i]);
        TXS_TRY(need_scalar(doc, v, "an fx rate", d));
        if (parse_rate(v->str, v->len, &rs->fx.rates[c]) < 0)
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "fx rate for %s: '%s' is not a positive decimal "
                                "(digits, optional '.', at most %d digits)",
                                rates->keys[i], v->str, MAX_RATE_DIGITS);
        const txs_fx_rate *r = &rs->fx.rates[c];
        int ok = 1;
        if (c == b && (u128)r->mant != pow10_chk(r->scale, &ok))
            return txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                                "fx rate of the base currency %s must be 1", base->str);
    }
    if (!rs->fx.rates[b].present) {
        rs->fx.rates[b] = (txs_fx_rate){1, 0, 1, "1"};
    }
    return 0;
}

int txs__rules_amounts(const txs_ydoc *doc, const txs_ynode *node,
                       const txs_ruleset *rs, int convert, int64_t **min_out,
                       int16_t **via_out, int *first, txs_diag *d)
{
    *min_out = NULL;
    if (via_out) *via_out = NULL;
    if (node->type != TXS_Y_MAP || node->n == 0)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, node->line,
                            "amounts must be a map of CUR: \"amount\", e.g. USD: \"10000.00\"");
    if (convert && rs->fx.rates == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, node->line,
                            "conversion needs an fx: section in the rule set");
    int ncur = txs_currency_count();
    int64_t *min = malloc((size_t)ncur * sizeof *min);
    int16_t *via = malloc((size_t)ncur * sizeof *via);
    if (!min || !via) {
        free(min);
        free(via);
        return TXS_E_NOMEM;
    }
    for (int i = 0; i < ncur; i++) {
        min[i] = TXS_RULES_NEVER;
        via[i] = -1;
    }
    int rc = 0;
    *first = -1;
    for (size_t i = 0; i < node->n && rc == 0; i++) {
        const txs_ynode *v = node->items[i];
        int c = currency_code(node->keys[i]);
        const char *why = NULL;
        if (c < 0) {
            rc = txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                              "'%s' is not an ISO 4217 currency code", node->keys[i]);
        } else if ((rc = need_scalar(doc, v, "an amount", d)) == 0 &&
                   (txs_amount_parse(v->str, v->len, txs_currency_get(c)->exponent,
                                     '.', 0, &min[c], &why) < 0 ||
                    min[c] <= 0)) {
            rc = txs_diag_set(d, TXS_E_CONFIG, doc->file, v->line,
                              "amount for %s: '%s' is not a positive amount in %s%s%s",
                              node->keys[i], v->str, node->keys[i],
                              why ? ": " : "", why ? why : "");
        } else {
            via[c] = (int16_t)c;
            if (*first < 0) *first = c;
        }
    }
    for (int c = 0; rc == 0 && convert && c < ncur; c++) {
        if (via[c] >= 0) continue;
        min[c] = convert_threshold(&rs->fx, min[*first], *first, c);
        if (min[c] != TXS_RULES_NEVER) via[c] = (int16_t)*first;
    }
    if (rc < 0) {
        free(min);
        free(via);
        return rc;
    }
    *min_out = min;
    if (via_out)
        *via_out = via;
    else
        free(via);
    return 0;
}
