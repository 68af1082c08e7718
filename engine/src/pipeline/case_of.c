/*
 * case_of.c: the cases an alert belongs to (cases.h, docs/outputs.md
 * "Cases").  Each hit names one subject:
 *   typology hit  (its account, else the originator's, else the
 *                 beneficiary's; the rule's kind as the family);
 *   sanctions hit (the party identity, the list entity).  The party is the
 *                 field's side (bene_* the beneficiary, anything else the
 *                 originator); its identity is the bank code for a *_bank
 *                 field, else its account, else its name.  The entity is
 *                 the first of the hit's entry_id, place, country, value,
 *                 under the first of its list, source, rule.  These are
 *                 read back from the hit JSON route.c and screen/iban.c
 *                 wrote (top-level keys written before any free text, and
 *                 escaped values cannot contain a bare `"key":"`), so the
 *                 strings stay escaped as cases.h expects.
 * A suppressed sanctions hit (good-guy list) names no case: it scores
 * nothing and was reviewed.  Each other hit gets "case":id (on the hit,
 * not the alert, so that `txscreen merge`, which unites shards' hits,
 * carries it); with a case table (opts.cases) a real alert (band edd and
 * up) is added to each case its hits name, once per case.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pipeline/pipeline_int.h"
#include "txs/cases.h"

/* The offset of the first z[0..n) in s, or SIZE_MAX: memchr for one of
 * its bytes, then a compare (a hit's JSON is half a kilobyte or more, and
 * this runs a few times for every hit an alert writes).  The byte is the
 * pattern's ':' when it has one: a hit holds about 60 quotes but 16 colons,
 * and every pattern here is a key, "key":. */
static size_t find(txs_slice s, const char *z, size_t n)
{
    if (n == 0 || s.n < n) return SIZE_MAX;
    const char *c = memchr(z, ':', n);
    size_t a = c ? (size_t)(c - z) : 0; /* z[a] is looked for at s.p[a] and on */
    const char *q = s.p + a, *last = s.p + (s.n - n) + a; /* z[a]'s last place */
    for (; q <= last && (q = memchr(q, z[a], (size_t)(last - q) + 1)) != NULL; q++)
        if (memcmp(q - a, z, n) == 0) return (size_t)(q - a - s.p);
    return SIZE_MAX;
}

/* The escaped contents of the first "key":"..." in JSON text j, or empty. */
static txs_slice json_val(txs_slice j, const char *key)
{
    char pat[32];
    size_t kn = strlen(key);
    if (kn + 4 > sizeof pat) return (txs_slice){"", 0};
    pat[0] = '"';
    memcpy(pat + 1, key, kn);
    memcpy(pat + 1 + kn, "\":\"", 3);
    size_t k = kn + 4, i = find(j, pat, k);
    if (i == SIZE_MAX) return (txs_slice){"", 0};
    size_t a = i + k, e = a;
    while (e < j.n && j.p[e] != '"') e += j.p[e] == '\\' ? 2 : 1;
    return (txs_slice){j.p + a, e <= j.n ? e - a : 0};
}

static txs_slice first_of(txs_slice j, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        txs_slice v = json_val(j, keys[i]);
        if (v.n) return v;
    }
    return (txs_slice){"", 0};
}

/* Raw v appended to b escaped, without quotes; returns its offset. */
static size_t put_escaped(txs_buf *b, txs_slice v)
{
    size_t at = b->n;
    txs_buf_json_str(b, v.p, v.n);
    if (!b->oom && b->n >= at + 2) {
        memmove(b->p + at, b->p + at + 1, b->n - at - 2);
        b->n -= 2;
    }
    return at;
}

static int contains(txs_slice s, const char *z) { return find(s, z, strlen(z)) != SIZE_MAX; }

static int ends_with(txs_slice s, const char *z)
{
    size_t n = strlen(z);
    return s.n >= n && memcmp(s.p + s.n - n, z, n) == 0;
}

/* The subject of hit h of t; its escaped strings in s->casebuf.  Returns
 * 0 when the hit names no case. */
static int subject_of(txs_screener *s, const txs_txn *t, const txs_hit *h, txs_case_subject *out)
{
    txs_buf *b = &s->casebuf;
    b->n = 0;
    if (h->kind == TXS_HIT_SANCTIONS) {
        static const char *const ents[] = {"entry_id", "place", "country", "value"};
        static const char *const lists[] = {"list", "source", "rule"};
        txs_slice ev = h->evidence;
        if (contains(ev, "\"suppressed\":true")) return 0;
        txs_slice field = json_val(ev, "field");
        const txs_party *p = field.n >= 5 && memcmp(field.p, "bene_", 5) == 0 ? &t->bene : &t->orig;
        txs_slice who;
        size_t na;
        if (ends_with(field, "_bank")) {
            who = json_val(ev, "value");
            na = who.n;
        } else {
            put_escaped(b, p->account.n ? p->account : p->name);
            na = b->n;
            who = (txs_slice){NULL, 0};
        }
        if (b->oom) return TXS_E_NOMEM;
        out->kind = TXS_CASE_SANCTIONS;
        out->a = who.p ? who : (txs_slice){b->p ? b->p : "", na};
        out->b = first_of(ev, lists, 3);
        out->c = first_of(ev, ents, 4);
        return 1;
    }
    const txs_rule_info *ri = txs_ruleset_rule(s->o.rules, h->rule);
    txs_slice acc = h->account.n ? h->account : t->orig.account.n ? t->orig.account : t->bene.account;
    put_escaped(b, acc);
    size_t na = b->n;
    put_escaped(b, ri ? (txs_slice){ri->kind, strlen(ri->kind)} : TXS_SLICE_LIT("unknown"));
    if (b->oom) return TXS_E_NOMEM;
    out->kind = TXS_CASE_TYPOLOGY;
    out->a = (txs_slice){b->p ? b->p : "", na};
    out->b = (txs_slice){b->p ? b->p + na : "", b->n - na};
    out->c = (txs_slice){"", 0};
    return 1;
}

int txs__pipe_hit_case(txs_screener *s, const txs_txn *t, const txs_hit *h, int score,
                       int band, char id[TXS_CASE_ID_LEN + 1])
{
    txs_case_subject sub;
    int rc = subject_of(s, t, h, &sub);
    if (rc <= 0) return rc;
    if (band != TXS_BAND_NONE && s->o.cases) {
        const txs_rule_info *ri =
            h->kind == TXS_HIT_TYPOLOGY ? txs_ruleset_rule(s->o.rules, h->rule) : NULL;
        txs_slice rule = ri ? (txs_slice){"", 0} : json_val(h->evidence, "rule");
        char rname[128];
        snprintf(rname, sizeof rname, "%.*s", (int)rule.n, rule.p ? rule.p : "");
        const txs_case_alert a = {s->st.alerts, t->txn_id, t->ts, t->amount, t->currency,
                                  score, band, ri ? ri->id : rname};
        TXS_TRY(txs_cases_add(s->o.cases, &sub, &a));
    }
    txs_case_id(&sub, id);
    return 1;
}
