/*
 * route.c: each field of a screened record to the sanctions screeners
 * (sanctions.h), and each match held to its bar.  Party names, banks
 * (BIC), wallet-like accounts, IBANs and vessel numbers in the purpose go
 * to the snapshot's screener; with `sanctions: {free_text: true}` purpose
 * and both addresses are screened for list names at the text bar, and
 * with `sanctions: {places:}` for sanctioned places, which need no lists.
 *
 * Thresholds: the sanctions screener is created at the lowest threshold in
 * force (the name threshold, or a lower per-list one), and each match is
 * then held to its own bar here: per list, else by kind.  A good-guy row
 * (goodguys.c) marks a hit suppressed: its JSON says so and by which row,
 * and its txs_hit scores 0, so it never raises an alert on its own.
 *
 * A sanctions hit carries its whole JSON object in its evidence, written
 * into the batch arena when the hit is made, so the alert copies it
 * verbatim (alert.c).  Hot path: runs on any worker, writes only the
 * worker and the batch arena.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pipeline/pipeline_int.h"

/* The bar an identifier (BIC) hit must reach.  Exact identifier matches
 * score 1.0; anything lower would be a fuzzy identifier, which is not a
 * hit (docs/rules.md "Sanctions thresholds"). */
#define SANC_ID_THRESHOLD 0.99

/* Sanctions hits kept per screened field (best first). */
#define SANC_PER_FIELD 3
/* Added to a party-name hit when the same party's identifier (BIC, wallet,
 * IBAN) is listed for that entity: two independent pieces agree. */
#define SANC_IDENT_BONUS 0.10

/* Name bar: CLI, else the rule set's, else the default; identifier bar:
 * the rule set's, else SANC_ID_THRESHOLD.  Returns the lowest name bar in
 * force (per-list bars included), the one candidates are scored against. */
double txs__pipe_thresholds(txs_screener *s)
{
    const txs_ruleset_sanctions *c = s->o.rules ? txs_ruleset_sanctions_cfg(s->o.rules) : NULL;
    s->th_name = s->o.sanctions_threshold > 0 ? s->o.sanctions_threshold
                 : c && c->name > 0          ? c->name
                                             : TXS_SANCTIONS_THRESHOLD;
    s->th_ident = c && c->identifier > 0 ? c->identifier : SANC_ID_THRESHOLD;
    s->th_text = c && c->text > 0 ? c->text : TXS_SANCTIONS_TEXT_THRESHOLD;
    s->free_text = c && c->free_text;
    s->cfg = c && c->nlists ? c : NULL;
    double low = s->th_name;
    for (size_t i = 0; s->cfg && i < c->nlists; i++)
        if (c->lists[i].threshold < low) low = c->lists[i].threshold;
    return low;
}

/* ------------------------------------------------------------ sanctions */

static void put_lit(txs_buf *b, const char *key, const char *v)
{
    txs_buf_puts(b, key);
    txs_buf_json_str(b, v, strlen(v));
}

/* list, list_version, entry_id, entry_name, entry_type, program. */
static void put_entry(txs_buf *b, const txs_lists *l, uint32_t entity)
{
    txs_entity e;
    txs_list_source src;
    txs_lists_entity(l, entity, &e);
    txs_lists_source(l, e.source, &src);
    txs__pipe_put_key_str(b, ",\"list\":", src.list);
    if (src.date.n) {
        txs__pipe_put_key_str(b, ",\"list_version\":", src.date);
    } else { /* no stated date: cite the file's bytes */
        txs_buf_puts(b, ",\"list_version\":\"sha256:");
        for (int i = 0; i < 6; i++) txs_buf_printf(b, "%02x", src.sha256[i]);
        txs_buf_putc(b, '"');
    }
    txs__pipe_put_key_str(b, ",\"entry_id\":", e.id);
    txs__pipe_put_key_str(b, ",\"entry_name\":", e.name);
    put_lit(b, ",\"entry_type\":", txs_entity_type_name((int)e.type));
    txs_buf_puts(b, ",\"program\":\"");
    int k = 0;
    for (uint32_t j = 0; j < e.nfields; j++) {
        txs_field f;
        txs_lists_field(l, &e, j, &f);
        if (f.kind != TXS_F_PROGRAM) continue;
        if (k++) txs_buf_putc(b, ';');
        size_t at = b->n;
        txs_buf_json_str(b, f.value.p, f.value.n); /* escaped, then unquoted */
        if (!b->oom && b->n >= at + 2) {
            memmove(b->p + at, b->p + at + 1, b->n - at - 2);
            b->n -= 2;
        }
    }
    txs_buf_putc(b, '"');
}

static int slice_is(txs_slice a, const char *z)
{
    size_t n = strlen(z);
    return a.n == n && memcmp(a.p, z, n) == 0;
}

/* The bar match m must reach: its list's, else its kind's. */
static double bar_for(const txs_screener *s, const txs_sanctions_match *m, txs_slice list,
                      int text)
{
    if (m->name == UINT32_MAX) return s->th_ident;
    if (text) return s->th_text;
    for (size_t i = 0; s->cfg && i < s->cfg->nlists; i++)
        if (slice_is(list, s->cfg->lists[i].list)) return s->cfg->lists[i].threshold;
    return s->th_name;
}

/* The good-guy row suppressing entry `id` for party p, or NULL.  The name
 * is normalised only here, when a hit already happened, so clean records
 * pay nothing for the list. */
static const txs_goodguy *good_guy(worker *w, const txs_party *p, txs_slice id)
{
    if (w->s->o.good_guys == NULL || p == NULL) return NULL;
    txs_slice nm = {"", 0};
    if (p->name.n && txs_norm_name_of(w->nz, p->name.p, p->name.n, TXS_NAME_ANY, w->gq) == 0)
        nm = (txs_slice){w->gq->text, w->gq->len};
    return txs_goodguys_find(w->s->o.good_guys, p->account, nm, id);
}

static void put_suppressed(txs_buf *b, const txs_goodguy *g)
{
    txs__pipe_put_key_str(b, ",\"suppressed\":true,\"suppressed_by\":{\"party\":", g->party);
    txs__pipe_put_key_str(b, ",\"entry_id\":", g->entry_id);
    txs__pipe_put_key_str(b, ",\"note\":", g->note);
    txs_buf_putc(b, '}');
}

/* One screened field: its name in hits, its value, and its party (whose
 * account and name a good-guy row is matched against). */
typedef struct sfield {
    const char *name;
    txs_slice value;
    const txs_party *party; /* NULL for purpose: no party to clear */
    int text;               /* free text: the text bar and explanation */
    int ident;              /* an identifier: its txs_id_kind + 1; 0 for names */
    const char *src;        /* payment messages: where the value came from
                               (element path or MT field), else NULL */
} sfield;

/* How an identifier hit explains itself, by txs_id_kind. */
static const char *ident_explain(int ident)
{
    switch (ident - 1) {
    case TXS_ID_SWIFT_BIC: return "exact SWIFT/BIC identifier match | score 1.00";
    case TXS_ID_CRYPTO: return "exact digital currency address match | score 1.00";
    case TXS_ID_IMO: return "exact IMO number match | score 1.00";
    case TXS_ID_MMSI: return "exact MMSI number match | score 1.00";
    case TXS_ID_IBAN: return "exact IBAN identifier match | score 1.00";
    default: return "exact identifier match | score 1.00";
    }
}

/* Whether one of party p's identifiers (its bank's BIC, its account as a
 * wallet or an IBAN) is listed for match m's entity. */
static int ident_agrees(worker *w, const txs_party *p, const txs_sanctions_match *m)
{
    txs_sanctions_match x[SANC_PER_FIELD * 2];
    size_t k = 0;
    if (p == NULL) return 0;
    if (p->bank.n) k = txs_sanctions_bic(w->sanc, p->bank, x, SANC_PER_FIELD);
    if (p->account.n >= 25)
        k += txs_sanctions_ident(w->sanc, TXS_ID_CRYPTO, p->account, x + k, SANC_PER_FIELD);
    if (k < SANC_PER_FIELD)
        k += txs_sanctions_iban(w->sanc, p->account, NULL, x + k, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++)
        if (x[i].list == m->list && x[i].entity == m->entity) return 1;
    return 0;
}

/* The qualifiers a party's name is screened with: its country. */
static txs_sanctions_party name_ctx(const txs_party *p)
{
    txs_sanctions_party ctx = {{0, 0}, TXS_NAME_ANY, 0};
    if (p) memcpy(ctx.country, p->country, 2);
    return ctx;
}

/* What a hit rests on (txs_sanctions_ev), and its score: a party name
 * whose entity the same party's identifier also hit is raised by
 * SANC_IDENT_BONUS (docs/matching.md "Bands of sanctions alerts"). */
static int sanc_evidence(worker *w, const txs_sanctions_match *m, const sfield *f, double *score)
{
    if (m->name == UINT32_MAX) return TXS_EV_IDENTIFIER;
    if (f->text) /* the window's score: no qualifiers in free text */
        return m->score >= 0.9999                     ? TXS_EV_EXACT
               : m->score >= TXS_SANCTIONS_NEAR_EXACT ? TXS_EV_NEAR_EXACT
                                                      : TXS_EV_FUZZY;
    if (ident_agrees(w, f->party, m)) {
        *score = *score + SANC_IDENT_BONUS > 1.0 ? 1.0 : *score + SANC_IDENT_BONUS;
        return TXS_EV_NAME_IDENT;
    }
    txs_sanctions_party ctx = name_ctx(f->party);
    return txs_sanctions_evidence(w->sanc, f->value.p, f->value.n, &ctx, m);
}

/* Write one sanctions hit's JSON into the arena and append the hit, unless
 * it is under its bar. */
static int add_sanc_hit(worker *w, const txs_sanctions_match *m, const sfield *f,
                        size_t *n, size_t *dropped)
{
    const txs_lists *l = txs_sanctions_lists(w->sanc, m->list);
    txs_entity e;
    txs_list_source src;
    txs_lists_entity(l, m->entity, &e);
    txs_lists_source(l, e.source, &src);
    if (m->score < bar_for(w->s, m, src.list, f->text)) return TXS_OK;
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    double raw = m->score;
    if (m->name != UINT32_MAX && !f->text) {
        /* the explanation first: working it out gives the evidence's name
         * score too (the hit memo keeps both) */
        txs_sanctions_party ctx = name_ctx(f->party);
        txs_sanctions_explain_ctx(w->sanc, f->value.p, f->value.n, &ctx, m, w->explain,
                                  sizeof w->explain);
    }
    int ev = sanc_evidence(w, m, f, &raw);
    double score = floor(raw * 10000.0 + 0.5) / 10000.0;
    const txs_goodguy *g = good_guy(w, f->party, e.id);
    txs_buf *b = &w->hitbuf;
    b->n = 0;
    txs_buf_puts(b, f->text ? "{\"kind\":\"sanctions\",\"rule\":\"sanctions_text\",\"score\":"
                            : "{\"kind\":\"sanctions\",\"rule\":\"sanctions\",\"score\":");
    txs_buf_json_num(b, score);
    put_entry(b, l, m->entity);
    put_lit(b, ",\"field\":", f->name);
    if (f->src) put_lit(b, ",\"src\":", f->src);
    txs__pipe_put_key_str(b, ",\"value\":", f->value);
    if (m->name == UINT32_MAX) {
        txs__pipe_put_key_str(b, ",\"matched_name\":", f->value);
        put_lit(b, ",\"explain\":", ident_explain(f->ident));
    } else {
        txs__pipe_put_key_str(b, ",\"matched_name\":", txs_sanctions_name_text(w->sanc, m));
        if (f->text)
            txs_sanctions_explain_text(w->sanc, f->value.p, f->value.n, m, w->explain,
                                       sizeof w->explain);
        else {
            size_t el = strlen(w->explain); /* written above */
            if (ev == TXS_EV_NAME_IDENT)
                snprintf(w->explain + el, sizeof w->explain - el,
                         " | the party's identifier is listed for this entry +%.2f | score %.2f",
                         SANC_IDENT_BONUS, raw);
        }
        put_lit(b, ",\"explain\":", w->explain);
    }
    put_lit(b, ",\"evidence\":", txs_sanctions_evidence_name(ev));
    if (g) put_suppressed(b, g);
    txs_buf_putc(b, '}');
    if (b->oom) return TXS_E_NOMEM;
    char *js = txs_arena_dup(w->arena, b->p, b->n);
    if (js == NULL) return TXS_E_NOMEM;
    w->suppressed += g != NULL;
    unsigned may = ev == TXS_EV_FUZZY || ev == TXS_EV_WEAK_ALIAS || ev == TXS_EV_AGAINST
                       ? 0u
                       : TXS_SANC_MAY_BLOCK;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, (uint16_t)may, g ? 0.0 : score, {"", 0},
                                {js, b->n}, 0};
    return TXS_OK;
}

/* key: the name's cache key from txs__pipe_prefetch_sanctions, or NULL. */
static int sanc_name(worker *w, const sfield *f, const txs_sanctions_key *key, size_t *n,
                     size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    txs_sanctions_party ctx = name_ctx(f->party);
    size_t k = f->value.n == 0 ? 0
               : key ? txs_sanctions_name_key(w->sanc, *key, f->value.p, f->value.n, &ctx, m,
                                              SANC_PER_FIELD)
                     : txs_sanctions_name_ctx(w->sanc, f->value.p, f->value.n, &ctx, m,
                                              SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

static int sanc_text(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = f->value.n ? txs_sanctions_text(w->sanc, f->value.p, f->value.n, w->s->th_text, m,
                                               SANC_PER_FIELD)
                          : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

/* One sanctioned-place hit: fixed score 1 (an exact token match), weighted
 * by the rule set's places weight. */
static int add_place_hit(worker *w, uint32_t place, const sfield *f, size_t *n,
                         size_t *dropped)
{
    const txs_sanctions_place *p = &w->s->place_tab[place];
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    txs_buf *b = &w->hitbuf;
    b->n = 0;
    txs_buf_puts(b, "{\"kind\":\"sanctions\",\"rule\":\"sanctioned_place\",\"score\":1");
    txs_buf_puts(b, ",\"weight\":");
    txs_buf_json_num(b, w->s->place_weight);
    put_lit(b, ",\"place\":", p->place);
    put_lit(b, ",\"field\":", f->name);
    if (f->src) put_lit(b, ",\"src\":", f->src);
    txs__pipe_put_key_str(b, ",\"value\":", f->value);
    put_lit(b, ",\"source\":", p->source);
    put_lit(b, ",\"date\":", p->date);
    txs_buf_putc(b, '}');
    if (b->oom) return TXS_E_NOMEM;
    char *ev = txs_arena_dup(w->arena, b->p, b->n);
    if (ev == NULL) return TXS_E_NOMEM;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, TXS_SANC_MAY_BLOCK, w->s->place_weight,
                                {"", 0}, {ev, b->n}, 0};
    return TXS_OK;
}

static int place_text(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    uint32_t pl[8];
    size_t k = f->value.n ? txs_places_scan(w->places, f->value.p, f->value.n, pl, 8) : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_place_hit(w, pl[i], f, n, dropped));
    return TXS_OK;
}

/* Purpose and addresses: list names (free_text) and places. */
int txs__pipe_screen_text(worker *w, const txs_txn *t, size_t *n, size_t *dropped)
{
    const txs_pay_ext *x = t->ext;
    txs_slice none = {NULL, 0};
    /* a payment message: remittance, regulatory reporting and the
     * instructions to the agents (MT :70:, :77B:, :72:) */
    const sfield fs[5] = {
        {x ? "remittance" : "purpose", t->purpose, NULL, 1, 0,
         x ? x->ref_src[TXS_PR_REMITTANCE].p : NULL},
        {"orig_address", t->orig.address, &t->orig, 1, 0, NULL},
        {"bene_address", t->bene.address, &t->bene, 1, 0, NULL},
        {"regulatory", x ? x->ref[TXS_PR_REGULATORY] : none, NULL, 1, 0,
         x ? x->ref_src[TXS_PR_REGULATORY].p : NULL},
        {"instructions", x ? x->ref[TXS_PR_INSTRUCTIONS] : none, NULL, 1, 0,
         x ? x->ref_src[TXS_PR_INSTRUCTIONS].p : NULL}};
    for (int i = 0; i < 5; i++) {
        if (w->sanc && w->s->free_text) TXS_TRY(sanc_text(w, &fs[i], n, dropped));
        if (w->places) TXS_TRY(place_text(w, &fs[i], n, dropped));
    }
    return TXS_OK;
}

static int sanc_bic(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = f->value.n ? txs_sanctions_bic(w->sanc, f->value, m, SANC_PER_FIELD) : 0;
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

static int sanc_ident(worker *w, const sfield *f, size_t *n, size_t *dropped)
{
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = txs_sanctions_ident(w->sanc, f->ident - 1, f->value, m, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], f, n, dropped));
    return TXS_OK;
}

/* An account that could be a wallet: digital currency addresses are 25 or
 * more letters and digits (Bitcoin 26-35, Ethereum 42); shorter accounts are
 * not looked up. */
static int sanc_wallet(worker *w, const char *name, const txs_party *pt, size_t *n,
                       size_t *dropped)
{
    if (pt->account.n < 25) return TXS_OK;
    const sfield f = {name, pt->account, pt, 0, TXS_ID_CRYPTO + 1, NULL};
    return sanc_ident(w, &f, n, dropped);
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The index (0-7) of the first of the eight bytes at p that is i, I, m or
 * M, the tags' first letters, or 8 when none is: OR 0x20 takes I to i and
 * M to m (and no other byte to either), then the first byte equal to i or
 * m (txs_bytes_eq8, exact for the first, which is all it must find). */
static unsigned tag_letter8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    x |= 0x2020202020202020ull;
    uint64_t z = txs_bytes_eq8(x, 'i') | txs_bytes_eq8(x, 'm');
    return z ? (unsigned)__builtin_ctzll(z) >> 3 : 8u;
}

/* Vessel numbers written in the purpose text ("freight, vessel IMO
 * 9187629", "MMSI: 572469210"): the tag as a word, then the number with
 * exactly its digits; each is looked up as that identifier.  Every
 * record's purpose is read: eight bytes at a time to a tag's first
 * letter. */
static int purpose_ids(worker *w, txs_slice p, size_t *n, size_t *dropped)
{
    static const struct { const char *tag; size_t len, digits; int kind; } T[] = {
        {"imo", 3, 7, TXS_ID_IMO}, {"mmsi", 4, 9, TXS_ID_MMSI}};
    for (size_t i = 0; i < p.n; i++) {
        if (p.n - i >= 8) { /* on to the next tag letter, or past these eight */
            unsigned k = tag_letter8(p.p + i);
            if (k == 8) {
                i += 7;
                continue;
            }
            i += k;
        }
        int c = ascii_lower((unsigned char)p.p[i]);
        if (c != 'i' && c != 'm') continue; /* most bytes: neither tag starts here */
        if (i > 0 && isalnum((unsigned char)p.p[i - 1])) continue;
        for (size_t t = 0; t < 2; t++) {
            size_t j = 0;
            while (j < T[t].len && i + j < p.n && ascii_lower((unsigned char)p.p[i + j]) == T[t].tag[j]) j++;
            if (j < T[t].len) continue;
            j += i;
            while (j < p.n && (p.p[j] == ' ' || p.p[j] == ':' || p.p[j] == '-' || p.p[j] == '#')) j++;
            size_t d = 0;
            while (j + d < p.n && isdigit((unsigned char)p.p[j + d])) d++;
            if (d != T[t].digits || (j + d < p.n && isalnum((unsigned char)p.p[j + d]))) continue;
            /* The hit shows "IMO 9187629"; the list is asked for the number. */
            const sfield f = {"purpose", {p.p + i, j + d - i}, NULL, 0, T[t].kind + 1, NULL};
            txs_sanctions_match m[SANC_PER_FIELD];
            size_t k = txs_sanctions_ident(w->sanc, T[t].kind, (txs_slice){p.p + j, d}, m,
                                           SANC_PER_FIELD);
            for (size_t h = 0; h < k; h++) TXS_TRY(add_sanc_hit(w, &m[h], &f, n, dropped));
        }
    }
    return TXS_OK;
}

/* An account that is a valid IBAN: listed as an identifier (score 1), and
 * its country in the rule set's `sanctions: {iban_countries:}`. */
static int sanc_iban(worker *w, const char *name, const char *src, const txs_party *pt,
                     size_t *n, size_t *dropped)
{
    const sfield f = {name, pt->account, pt, 0, TXS_ID_IBAN + 1, src};
    txs_sanctions_match m[SANC_PER_FIELD];
    size_t k = txs_sanctions_iban(w->sanc, pt->account, NULL, m, SANC_PER_FIELD);
    for (size_t i = 0; i < k; i++) TXS_TRY(add_sanc_hit(w, &m[i], &f, n, dropped));
    const txs_ruleset *rs = w->s->o.rules;
    if (!txs_sanctions_iban_country(rs ? txs_ruleset_sanctions_cfg(rs) : NULL, name, pt->account,
                                    &w->hitbuf))
        return TXS_OK;
    if (*n >= TXS_MAX_HITS) {
        (*dropped)++;
        return TXS_OK;
    }
    if (w->hitbuf.oom) return TXS_E_NOMEM;
    char *ev = txs_arena_dup(w->arena, w->hitbuf.p, w->hitbuf.n);
    if (ev == NULL) return TXS_E_NOMEM;
    w->hits[(*n)++] = (txs_hit){TXS_HIT_SANCTIONS, TXS_SANC_MAY_BLOCK, 1.0, {"", 0},
                                {ev, w->hitbuf.n}, 0};
    return TXS_OK;
}

/* "underlying.debtor.name": a payment party's value, named by scope,
 * role and value. */
static const char *party_label(char *o, size_t cap, const txs_pay_party *p, const char *what)
{
    snprintf(o, cap, "%s%s%s.%s", p->scope ? txs_pay_scope_name(p->scope) : "",
             p->scope ? "." : "", txs_pay_role_name(p->role), what);
    return o;
}

/* A payment message (payments.h): every party's name, BIC, IBAN and LEI,
 * each hit naming the party's role and the value's source. */
static int screen_parties(worker *w, const txs_pay_ext *x, size_t *n, size_t *dropped)
{
    char label[96];
    for (size_t i = 0; i < x->nparties; i++) {
        const txs_pay_party *p = x->parties[i];
        int iban = p->v[TXS_PF_IBAN].n > 0;
        txs_party pt;
        memset(&pt, 0, sizeof pt);
        pt.name = p->v[TXS_PF_NAME];
        pt.account = iban ? p->v[TXS_PF_IBAN] : p->v[TXS_PF_ACCOUNT];
        pt.bank = p->v[TXS_PF_BIC];
        memcpy(pt.country, p->country, 2);
        const sfield nm = {party_label(label, sizeof label, p, "name"), pt.name, &pt, 0, 0,
                           p->src[TXS_PF_NAME].p};
        TXS_TRY(sanc_name(w, &nm, NULL, n, dropped));
        const sfield bic = {party_label(label, sizeof label, p, "bic"), pt.bank, &pt, 0,
                            TXS_ID_SWIFT_BIC + 1, p->src[TXS_PF_BIC].p};
        TXS_TRY(sanc_bic(w, &bic, n, dropped));
        if (p->v[TXS_PF_LEI].n) {
            const sfield lei = {party_label(label, sizeof label, p, "lei"), p->v[TXS_PF_LEI], &pt,
                                0, TXS_ID_LEI + 1, p->src[TXS_PF_LEI].p};
            TXS_TRY(sanc_ident(w, &lei, n, dropped));
        }
        if (pt.account.n)
            TXS_TRY(sanc_iban(w, party_label(label, sizeof label, p, iban ? "iban" : "account"),
                              p->src[iban ? TXS_PF_IBAN : TXS_PF_ACCOUNT].p, &pt, n, dropped));
    }
    return TXS_OK;
}

/* Both parties' names, banks and wallet-like accounts, and vessel numbers
 * in the purpose; a payment message's every party instead of the two
 * sides; hits go first in w->hits. */
int txs__pipe_screen_sanctions(worker *w, const txs_txn *t, const txs_sanctions_key *nkey,
                               size_t *n, size_t *dropped)
{
    if (t->ext) {
        TXS_TRY(screen_parties(w, t->ext, n, dropped));
        return purpose_ids(w, t->purpose, n, dropped);
    }
    const sfield on = {"orig_name", t->orig.name, &t->orig, 0, 0, NULL};
    const sfield bn = {"bene_name", t->bene.name, &t->bene, 0, 0, NULL};
    const sfield ob = {"orig_bank", t->orig.bank, &t->orig, 0, TXS_ID_SWIFT_BIC + 1, NULL};
    const sfield bb = {"bene_bank", t->bene.bank, &t->bene, 0, TXS_ID_SWIFT_BIC + 1, NULL};
    TXS_TRY(sanc_name(w, &on, nkey ? &nkey[0] : NULL, n, dropped));
    TXS_TRY(sanc_name(w, &bn, nkey ? &nkey[1] : NULL, n, dropped));
    TXS_TRY(sanc_bic(w, &ob, n, dropped));
    TXS_TRY(sanc_bic(w, &bb, n, dropped));
    TXS_TRY(sanc_wallet(w, "orig_account", &t->orig, n, dropped));
    TXS_TRY(sanc_wallet(w, "bene_account", &t->bene, n, dropped));
    TXS_TRY(sanc_iban(w, "orig_account", NULL, &t->orig, n, dropped));
    TXS_TRY(sanc_iban(w, "bene_account", NULL, &t->bene, n, dropped));
    return purpose_ids(w, t->purpose, n, dropped);
}

/* What txs__pipe_screen_sanctions will look up first for t (its two
 * names' cache lines), fetched while earlier records are screened; their
 * keys kept for it, so that each name is hashed once. */
int txs__pipe_prefetch_sanctions(const worker *w, const txs_txn *t, txs_sanctions_key *nkey)
{
    if (t->ext) return 0;
    txs_sanctions_party o = name_ctx(&t->orig), b = name_ctx(&t->bene);
    nkey[0] = txs_sanctions_prefetch(w->sanc, t->orig.name.p, t->orig.name.n, &o);
    nkey[1] = txs_sanctions_prefetch(w->sanc, t->bene.name.p, t->bene.name.n, &b);
    return 1;
}

/* The entry keys of a sanctions hit, for look-back alerts (lookback.c). */
void txs__pipe_put_entry(txs_buf *b, const txs_lists *l, uint32_t entity)
{
    put_entry(b, l, entity);
}
