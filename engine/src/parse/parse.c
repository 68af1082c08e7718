/*
 * parse.c: txs_parse_record, the per-record half of the parse stage: one
 * framed record (fields as borrowed slices) in, one canonical txs_txn or a
 * one-line reason out.
 *
 * HOT PATH: runs once per record at millions of records per second.  Every
 * name was resolved at bind time (bind.c), so a field is read by position;
 * nothing is allocated except in the batch arena, and only for values the
 * export does not hold verbatim (joined columns, generated ids).  Reasons are
 * formatted only for rejected records.
 *
 * Order matters in one place: the currency is parsed before the amount,
 * because the amount's decimals depend on the currency's exponent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse_int.h"
#include "txs/emit.h"
#include "txs/parse.h"
#include "txs/values.h"

/* Everything a record's helpers share; lives on the caller's stack. */
typedef struct ctx {
    const txs_binding *b;
    const txs_record *rec;
    txs_arena *a;
    char *why;
    size_t cap;
} ctx;

/* A field's text after its map, and the map entry that produced it (typed
 * fields then use e->ival and skip their look-up). */
typedef struct fval {
    txs_slice v;
    const txs_pmap_entry *e;
} fval;

/* Longest part of a value quoted in a reason, in bytes. */
#define SHOW_MAX 40

/* Copy at most SHOW_MAX bytes of v for a reason: cut on a UTF-8 character
 * boundary, control bytes shown as '?', "..." when cut short.  The reader
 * already checked the bytes are valid UTF-8. */
static const char *show(txs_slice v, char buf[SHOW_MAX + 4])
{
    size_t n = v.n;
    if (n > SHOW_MAX) {
        n = SHOW_MAX;
        while (n > 0 && ((unsigned char)v.p[n] & 0xC0) == 0x80) n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        buf[i] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
    }
    if (n < v.n) memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

static int reject(const ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), cold))
#endif
    ;
static int reject(const ctx *c, const char *fmt, ...)
{
    if (c->why && c->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why, c->cap, fmt, ap);
        va_end(ap);
    }
    return TXS_E_FORMAT;
}

static const char *label(const ctx *c, int id)
{
    return c->b->s[id].spec->label;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static txs_slice trim(txs_slice v)
{
    while (v.n && (v.p[0] == ' ' || v.p[0] == '\t')) v.p++, v.n--;
    while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t')) v.n--;
    return v;
}

static const char empty_text[] = "";

/* Join a COLUMNS field's parts into the arena. */
static int join(const ctx *c, const txs_bslot *s, txs_slice *out)
{
    const txs_slice *fl = c->rec->fields;
    size_t total = 0, nonempty = 0;
    for (uint32_t j = 0; j < s->npos; j++) {
        total += fl[s->poss[j]].n;
        nonempty += fl[s->poss[j]].n != 0;
    }
    if (nonempty == 0) {
        *out = (txs_slice){empty_text, 0};
        return TXS_OK;
    }
    total += (size_t)(s->npos - 1) * s->spec->join.n;
    char *p = txs_arena_alloc(c->a, total ? total : 1);
    if (p == NULL) return TXS_E_NOMEM;
    size_t k = 0;
    for (uint32_t j = 0; j < s->npos; j++) {
        if (j) memcpy(p + k, s->spec->join.p, s->spec->join.n), k += s->spec->join.n;
        if (fl[s->poss[j]].n) memcpy(p + k, fl[s->poss[j]].p, fl[s->poss[j]].n);
        k += fl[s->poss[j]].n;
    }
    *out = (txs_slice){p, total};
    return TXS_OK;
}

/* "<source basename>:<line>" in the arena, for generate: line. */
static int line_id(const ctx *c, txs_slice *out)
{
    const txs_binding *b = c->b;
    char digits[TXS_FMT_U64_MAX];
    size_t nd = txs_fmt_u64(digits, c->rec->line);
    char *p = txs_arena_alloc(c->a, b->id_prefix_len + nd);
    if (p == NULL) return TXS_E_NOMEM;
    memcpy(p, b->id_prefix, b->id_prefix_len);
    memcpy(p + b->id_prefix_len, digits, nd);
    *out = (txs_slice){p, b->id_prefix_len + nd};
    return TXS_OK;
}

/* The raw text of field id, before its map. */
static int raw_text(const ctx *c, int id, txs_slice *out)
{
    const txs_bslot *s = &c->b->s[id];
    switch (s->src) {
    case TXS_SRC_COLUMN: {
        txs_slice v = c->rec->fields[s->pos];
        *out = v.p ? v : (txs_slice){empty_text, 0}; /* NULL: an absent JSON key */
        return TXS_OK;
    }
    case TXS_SRC_COLUMNS:
        return join(c, s, out);
    case TXS_SRC_VALUE:
        *out = s->spec->value;
        return TXS_OK;
    case TXS_SRC_LINE:
        return line_id(c, out);
    default:
        *out = (txs_slice){empty_text, 0};
        return TXS_OK;
    }
}

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define HOT_INLINE inline __attribute__((always_inline))
#else
#define NOINLINE
#define HOT_INLINE inline
#endif

static NOINLINE int field_value_slow(const ctx *c, int id, int typed, fval *out);

/* Field id's value.  Hot path: a plain slot (txs_bslot.plain) is one
 * column taken as it is, kept inline so the sixteen calls per record cost
 * a few instructions each; everything else goes to field_value_slow(). */
static HOT_INLINE int field_value(const ctx *c, int id, int typed, fval *out)
{
    const txs_bslot *s = &c->b->s[id];
    out->e = NULL;
    if (s->plain) {
        txs_slice v = c->rec->fields[s->pos];
        if (v.p == NULL) v = (txs_slice){empty_text, 0};
        if (typed && v.n && (is_blank(v.p[0]) || is_blank(v.p[v.n - 1]))) v = trim(v);
        out->v = v;
        if (v.n || !s->required) return TXS_OK;
    }
    return field_value_slow(c, id, typed, out);
}

/* pattern: the value as the export writes it (before the map) must match
 * the field's pattern somewhere; an empty value is left to required:. */
static int check_pattern(const ctx *c, int id, txs_slice v)
{
    const txs_pfield *f = c->b->s[id].spec;
    int rc = txs_regex_test(f->pattern, v.p, v.n, c->a);
    if (rc != 0) return rc < 0 ? rc : TXS_OK;
    char sh[SHOW_MAX + 4];
    return reject(c, "%s '%s' in %s '%s' does not match the profile's pattern '%s'",
                  txs__pfield_names[id], show(v, sh), c->b->noun, label(c, id), f->pattern_name);
}

/* The general case: raw text (trimmed when typed), its pattern, then its
 * map and default, then the required check. */
static NOINLINE int field_value_slow(const ctx *c, int id, int typed, fval *out)
{
    const txs_bslot *s = &c->b->s[id];
    const txs_pfield *f = s->spec;
    TXS_TRY(raw_text(c, id, &out->v));
    if (typed) out->v = trim(out->v);
    out->e = NULL;
    if (f->pattern && out->v.n) TXS_TRY(check_pattern(c, id, out->v));
    if (f->nmap || f->has_default) {
        if (out->v.n && f->nmap) out->e = txs__pmap_find(f, out->v.p, out->v.n);
        if (out->e == NULL && f->has_default && (out->v.n == 0 || f->nmap)) out->e = &f->dflt;
        if (out->e == NULL && out->v.n && f->nmap && f->unmapped == TXS_UNMAPPED_REJECT) {
            char sh[SHOW_MAX + 4];
            return reject(c, "unmapped %s value '%s' in %s '%s' (the profile's map has no "
                          "such entry and no default)",
                          txs__pfield_names[id], show(out->v, sh), c->b->noun, label(c, id));
        }
        if (out->e) out->v = out->e->to;
    }
    if (out->v.n == 0 && f->required)
        return reject(c, "empty %s in %s '%s'", txs__pfield_names[id], c->b->noun, label(c, id));
    return TXS_OK;
}

/* ------------------------------------------------------------ amounts */

/* amount_rounding: half_even.  Called only after an exact parse failed:
 * keep the digits the currency has, parse those exactly, then round on the
 * dropped digits in integer arithmetic (ties to the even neighbour). */
static int round_half_even(const txs_profile *p, txs_slice v, int exp, int64_t *out,
                           const char **why)
{
    const char *dot = memchr(v.p, p->decimal, v.n);
    if (dot == NULL) return TXS_E_FORMAT;
    size_t intlen = (size_t)(dot - v.p), frac = v.n - intlen - 1;
    if (frac <= (size_t)exp) return TXS_E_FORMAT;
    size_t keep = exp ? intlen + 1 + (size_t)exp : intlen;
    const char *drop = v.p + intlen + 1 + exp;
    size_t ndrop = frac - (size_t)exp;
    int rest = 0;
    for (size_t i = 0; i < ndrop; i++) {
        if (drop[i] < '0' || drop[i] > '9') {
            *why = "not a number";
            return TXS_E_FORMAT;
        }
        if (i) rest |= drop[i] != '0';
    }
    int64_t m;
    int rc = txs_amount_parse(v.p, keep, exp, p->decimal, p->group, &m, why);
    if (rc < 0) return rc;
    int d0 = drop[0] - '0';
    int neg = v.n && v.p[0] == '-';
    int64_t mag_odd = m % 2 != 0;
    if (d0 > 5 || (d0 == 5 && (rest || mag_odd))) {
        if ((neg && m == INT64_MIN) || (!neg && m == INT64_MAX)) {
            *why = "out of range";
            return TXS_E_LIMIT;
        }
        m += neg ? -1 : 1;
    }
    *out = m;
    return TXS_OK;
}

static int parse_amount(const ctx *c, int exp, int64_t *out)
{
    fval fv;
    TXS_TRY(field_value(c, TXS_F_AMOUNT, 1, &fv));
    const txs_profile *p = c->b->p;
    const char *why = NULL;
    int rc = txs_amount_parse(fv.v.p, fv.v.n, exp, p->decimal, p->group, out, &why);
    if (rc < 0 && p->rounding == TXS_ROUND_HALF_EVEN)
        rc = round_half_even(p, fv.v, exp, out, &why) < 0 ? rc : TXS_OK;
    if (rc == TXS_OK) return TXS_OK;
    char sh[SHOW_MAX + 4];
    return reject(c, "bad amount in %s '%s': '%s' (%s)", c->b->noun, label(c, TXS_F_AMOUNT),
                  show(fv.v, sh), why ? why : "not a number");
}

/* ------------------------------------------------------- typed fields */

static int parse_currency(const ctx *c, int *idx)
{
    fval fv;
    TXS_TRY(field_value(c, TXS_F_CURRENCY, 1, &fv));
    *idx = fv.e ? fv.e->ival : txs_currency_lookup(fv.v.p, fv.v.n);
    if (*idx >= 0) return TXS_OK;
    char sh[SHOW_MAX + 4];
    return reject(c, "unknown currency '%s' in %s '%s'", show(fv.v, sh), c->b->noun,
                  label(c, TXS_F_CURRENCY));
}

static int parse_ts(const ctx *c, int64_t *ts)
{
    fval fv;
    TXS_TRY(field_value(c, TXS_F_TIMESTAMP, 1, &fv));
    const txs_pfield *f = c->b->s[TXS_F_TIMESTAMP].spec;
    const char *why = NULL;
    int tz = c->b->p->tz_offset_min;
    int rc = f->layout ? txs_ts_parse_layout(f->layout, fv.v.p, fv.v.n, tz, ts, &why)
                       : txs_ts_parse_iso8601(fv.v.p, fv.v.n, tz, ts, &why);
    if (rc == TXS_OK) return TXS_OK;
    char sh[SHOW_MAX + 4];
    return reject(c, "bad timestamp in %s '%s': '%s' (%s; expected %s)", c->b->noun,
                  label(c, TXS_F_TIMESTAMP), show(fv.v, sh), why ? why : "malformed",
                  f->layout ? f->layout : "ISO 8601");
}

static int parse_channel(const ctx *c, uint8_t *ch)
{
    if (c->b->s[TXS_F_CHANNEL].src == TXS_SRC_NONE) {
        *ch = TXS_CH_OTHER;
        return TXS_OK;
    }
    fval fv;
    TXS_TRY(field_value(c, TXS_F_CHANNEL, 1, &fv));
    int v = fv.e ? fv.e->ival : fv.v.n ? txs_channel_lookup(fv.v.p, fv.v.n) : TXS_CH_OTHER;
    if (v >= 0) {
        *ch = (uint8_t)v;
        return TXS_OK;
    }
    char sh[SHOW_MAX + 4];
    return reject(c, "unknown channel '%s' in %s '%s' (expected cash, wire, ach, card, "
                  "cheque, crypto, internal or other, or a map in the profile)",
                  show(fv.v, sh), c->b->noun, label(c, TXS_F_CHANNEL));
}

/* A country that is not already a canonical code: a map entry, a name,
 * an alpha-3 code, or an error. */
static NOINLINE int country_slow(const ctx *c, int id, const fval *fv, char cc[2])
{
    if (fv->e) {
        cc[0] = (char)(fv->e->ival >> 8);
        cc[1] = (char)(fv->e->ival & 0xFF);
        return TXS_OK;
    }
    if (fv->v.n == 0 || txs_country_lookup(fv->v.p, fv->v.n, cc) == 0) return TXS_OK;
    cc[0] = cc[1] = 0;
    char sh[SHOW_MAX + 4];
    return reject(c, "unknown country '%s' in %s '%s'", show(fv->v, sh), c->b->noun,
                  label(c, id));
}

/* Hot path: most exports write the canonical upper-case alpha-2 code. */
static HOT_INLINE int parse_country(const ctx *c, int id, char cc[2])
{
    if (c->b->s[id].src == TXS_SRC_NONE) return TXS_OK;
    fval fv;
    TXS_TRY(field_value(c, id, 1, &fv));
    if (fv.e == NULL && fv.v.n == 2 && txs_country_valid(fv.v.p)) {
        cc[0] = fv.v.p[0];
        cc[1] = fv.v.p[1];
        return TXS_OK;
    }
    return country_slow(c, id, &fv, cc);
}

static HOT_INLINE int text(const ctx *c, int id, txs_slice *out)
{
    if (c->b->s[id].src == TXS_SRC_NONE) {
        *out = (txs_slice){empty_text, 0};
        return TXS_OK;
    }
    fval fv;
    TXS_TRY(field_value(c, id, 0, &fv));
    *out = fv.v;
    return TXS_OK;
}

/* A party's typed parts: its country, and the country of its bank when the
 * bank is a BIC.  Its text fields are already in place (copy_text). */
static HOT_INLINE int parse_party(const ctx *c, int country_id, txs_party *pt)
{
    TXS_TRY(parse_country(c, country_id, pt->country));
    /* Only an 8- or 11-character bank can be a BIC; skip the call for the
     * numeric bank ids most exports carry. */
    if (pt->bank.n == 8 || pt->bank.n == 11) {
        if (txs_bic_country(pt->bank.p, pt->bank.n, pt->bank_country) != 0)
            pt->bank_country[0] = pt->bank_country[1] = 0;
    }
    return TXS_OK;
}

/* Text fields: the plain ones copied straight from the record (the common
 * case, one tight loop), the rest through the general steps. */
static HOT_INLINE int copy_text(const ctx *c, txs_txn *t)
{
    const txs_binding *b = c->b;
    const txs_slice *fl = c->rec->fields;
    for (uint32_t k = 0; k < b->ncopy; k++) {
        txs_slice v = fl[b->copy[k].pos];
        if (v.p == NULL) v = (txs_slice){empty_text, 0}; /* an absent JSON key */
        memcpy((char *)t + b->copy[k].off, &v, sizeof v);
    }
    for (uint32_t k = 0; k < b->nother; k++) {
        txs_slice v;
        TXS_TRY(text(c, b->other[k].id, &v));
        memcpy((char *)t + b->other[k].off, &v, sizeof v);
    }
    return TXS_OK;
}

static int parse_fields(const ctx *c, txs_txn *t)
{
    int cur;
    TXS_TRY(copy_text(c, t));
    TXS_TRY(parse_ts(c, &t->ts));
    TXS_TRY(parse_currency(c, &cur));
    const txs_currency *cy = txs_currency_get(cur);
    TXS_TRY(parse_amount(c, cy ? cy->exponent : 2, &t->amount));
    t->currency = (uint16_t)cur;
    TXS_TRY(parse_channel(c, &t->channel));
    TXS_TRY(parse_party(c, TXS_F_ORIG_COUNTRY, &t->orig));
    return parse_party(c, TXS_F_BENE_COUNTRY, &t->bene);
}

int txs_parse_record(const txs_binding *b, const txs_record *rec, txs_arena *a, txs_txn *out,
                     char *why, size_t cap)
{
    ctx c = {b, rec, a, why, cap};
    if (rec->error != TXS_FRAME_OK)
        return reject(&c, "%s", rec->detail ? rec->detail : "record could not be framed");
    if (b->no_header) return reject(&c, "the source has no header row");
    if (rec->nfields < b->need)
        return reject(&c, "expected at least %u fields, found %u", (unsigned)b->need,
                      (unsigned)rec->nfields);
    memset(out, 0, sizeof *out);
    out->file_index = b->file_index;
    out->line = rec->line;
    out->offset = rec->offset;
    int rc = parse_fields(&c, out);
    if (rc == TXS_E_NOMEM) reject(&c, "out of memory");
    return rc;
}
