/*
 * lookback.c: look-back screening (lookback.h).  One pass per list pair
 * over the snapshot diff (lists/diff.c) collects the entities added or
 * changed, by their index in the new snapshot, and closes the previous
 * cases of the entities removed; one snapshot of the collected entities
 * per pair (lists_subset.h) makes one small sanctions screener; one pass
 * over the known counterparties in identity order screens each against it
 * and writes an alert line for each counterparty with a match.
 *
 * Cost: the diff walks both snapshots once (build time); the screener's
 * database holds only the changed entities' tokens, so a counterparty
 * whose name shares none costs its normalisation, one Hyperscan scan of a
 * few dozen literals and its typo probes (docs/lists.md states the
 * measured figure).  The screener runs without its name cache (one name
 * per counterparty: it never hit) and prepares the scorer's side of a name
 * only for a name with a candidate (72% of the bench's have none).
 *
 * No pre-filter skips a name before normalisation: none can be exactly
 * conservative.  The typo channel takes a token when the xxh3 hash of a
 * deletion variant equals a table key's (32 bits, no string compared), so
 * any test on the name's letters would drop the names that hit through a
 * collision; and the tokens probed come from the normaliser (legal forms
 * replaced by their canonical word, other scripts transliterated), not
 * from the bytes.  A test that is exact must compute the same hashes from
 * the same tokens, which is the screening itself; at most it could skip
 * the names with no hit token (39% on the bench) for their normalisation
 * and probes, under a fifth of the step.
 *
 * Alert line (docs/formats.md "Look-back alerts"):
 *   {"kind":"lookback","counterparty":{"type":"name","value":V,
 *    "country":"IR"},"last_seen":T,"last_txn":REF,"transactions":N,
 *    "score":S,"band":"review","hits":[{"kind":"sanctions","rule":
 *    "lookback","change":"added","score":X,<entry keys>,"matched_name":M,
 *    "explain":E,"evidence":EV,"case":"S-..."}]}
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_int.h"
#include "txs/lists_subset.h"
#include "txs/lookback.h"
#include "txs/values.h"

#define LB_PER_CP 8 /* matches kept per counterparty and list */

/* What the diff of one list pair gives. */
typedef struct delta {
    const txs_lists *old_l, *new_l;
    uint32_t *ents;            /* added or changed, indices in new_l */
    size_t n, cap;
    txs_cases *cases;
    txs_buf esc;
    txs_lookback_stats *st;
} delta;

static int escaped(txs_buf *b, txs_slice v)
{
    b->n = 0;
    txs_buf_json_str(b, v.p, v.n);
    if (b->oom) return TXS_E_NOMEM;
    memmove(b->p, b->p + 1, b->n - 2);
    b->n -= 2;
    return TXS_OK;
}

static int on_diff(void *ctx, txs_diff_op op, txs_slice id, txs_slice name, const char *detail)
{
    delta *x = ctx;
    (void)name;
    (void)detail;
    if (op == TXS_DIFF_REMOVED) {
        x->st->removed++;
        if (x->cases == NULL) return TXS_OK;
        TXS_TRY(escaped(&x->esc, id));
        x->st->cases_closed += txs_cases_close_entry(
            x->cases, (txs_slice){x->esc.p, x->esc.n}, "the entity was removed from the list");
        return TXS_OK;
    }
    if (op == TXS_DIFF_ADDED) x->st->added++;
    else x->st->changed++;
    size_t idx;
    if (txs_lists_find(x->new_l, id, &idx) < 0) return TXS_OK; /* cannot happen: diff read it */
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        uint32_t *v = realloc(x->ents, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        x->ents = v;
        x->cap = cap;
    }
    x->ents[x->n++] = (uint32_t)idx;
    return TXS_OK;
}

/* The run: the subsets' screener, what each subset's entity was (added or
 * changed), and the buffers of the alert being written. */
typedef struct lb_run {
    const txs_lookback_opts *o;
    txs_lookback_stats *st;
    txs_sanctions *sc;
    const txs_lists **old_of;   /* per subset: the old snapshot it changed from */
    txs_buf line, sub, esc;
    char explain[512];
    uint64_t seq;
} lb_run;

static const char *ident_explain(int kind)
{
    switch (kind) {
    case TXS_CP_BIC: return "exact SWIFT/BIC identifier match | score 1.00";
    case TXS_CP_WALLET: return "exact digital currency address match | score 1.00";
    default: return "exact IBAN identifier match | score 1.00";
    }
}

/* Every match of counterparty c against the subsets into m (up to cap). */
static size_t screen_cp(lb_run *r, const txs_state_cp *c, txs_sanctions_match *m, size_t cap)
{
    switch (c->kind) {
    case TXS_CP_NAME: {
        txs_sanctions_party q = {{c->cc[0], c->cc[1]}, TXS_NAME_ANY, 0};
        return txs_sanctions_name_ctx(r->sc, c->value.p, c->value.n, &q, m, cap);
    }
    case TXS_CP_BIC: return txs_sanctions_bic(r->sc, c->value, m, cap);
    case TXS_CP_IBAN: return txs_sanctions_iban(r->sc, c->value, NULL, m, cap);
    case TXS_CP_WALLET: return txs_sanctions_ident(r->sc, TXS_ID_CRYPTO, c->value, m, cap);
    default: return 0;
    }
}

/* One hit's JSON into r->line; its case added to o->cases. */
static int put_hit(lb_run *r, const txs_state_cp *c, const txs_sanctions_match *m, int first)
{
    txs_buf *b = &r->line;
    const txs_lists *l = txs_sanctions_lists(r->sc, m->list);
    txs_entity e;
    txs_list_source src;
    txs_lists_entity(l, m->entity, &e);
    txs_lists_source(l, e.source, &src);
    size_t oi;
    int changed = txs_lists_find(r->old_of[m->list], e.id, &oi) == 0;
    txs_buf_puts(b, first ? "{\"kind\":\"sanctions\",\"rule\":\"lookback\",\"change\":"
                          : ",{\"kind\":\"sanctions\",\"rule\":\"lookback\",\"change\":");
    txs_buf_puts(b, changed ? "\"changed\",\"score\":" : "\"added\",\"score\":");
    txs_buf_json_num(b, floor(m->score * 10000.0 + 0.5) / 10000.0);
    txs__pipe_put_entry(b, l, m->entity);
    txs__pipe_put_key_str(b, ",\"value\":", c->value);
    const char *evname;
    if (m->name == UINT32_MAX) {
        txs__pipe_put_key_str(b, ",\"matched_name\":", c->value);
        txs__pipe_put_key_str(b, ",\"explain\":",
                              (txs_slice){ident_explain(c->kind), strlen(ident_explain(c->kind))});
        evname = txs_sanctions_evidence_name(TXS_EV_IDENTIFIER);
    } else {
        txs_sanctions_party q = {{c->cc[0], c->cc[1]}, TXS_NAME_ANY, 0};
        txs__pipe_put_key_str(b, ",\"matched_name\":", txs_sanctions_name_text(r->sc, m));
        txs_sanctions_explain_ctx(r->sc, c->value.p, c->value.n, &q, m, r->explain,
                                  sizeof r->explain);
        txs__pipe_put_key_str(b, ",\"explain\":", (txs_slice){r->explain, strlen(r->explain)});
        evname = txs_sanctions_evidence_name(
            txs_sanctions_evidence(r->sc, c->value.p, c->value.n, &q, m));
    }
    txs__pipe_put_key_str(b, ",\"evidence\":", (txs_slice){evname, strlen(evname)});
    /* The case: this counterparty against this entity. */
    r->sub.n = 0;
    TXS_TRY(escaped(&r->esc, c->value));
    txs_buf_put(&r->sub, r->esc.p, r->esc.n);
    size_t na = r->sub.n;
    TXS_TRY(escaped(&r->esc, src.list));
    txs_buf_put(&r->sub, r->esc.p, r->esc.n);
    size_t nb = r->sub.n;
    TXS_TRY(escaped(&r->esc, e.id));
    txs_buf_put(&r->sub, r->esc.p, r->esc.n);
    if (r->sub.oom) return TXS_E_NOMEM;
    txs_case_subject s = {TXS_CASE_SANCTIONS, {r->sub.p, na}, {r->sub.p + na, nb - na},
                          {r->sub.p + nb, r->sub.n - nb}};
    char id[TXS_CASE_ID_LEN + 1];
    txs_case_id(&s, id);
    txs_buf_printf(b, ",\"case\":\"%s\"}", id);
    if (r->o->cases) {
        /* Numbered down from the top, so no look-back alert shares a
         * number with a transaction's alert of the same run. */
        txs_case_alert a = {UINT64_MAX - r->seq, c->ref, c->last_ts, 0, TXS_CASE_NO_AMOUNT,
                            (int)floor(m->score * 100.0 + 0.5), TXS_BAND_REVIEW, "lookback"};
        TXS_TRY(txs_cases_add(r->o->cases, &s, &a));
    }
    r->st->hits++;
    return b->oom ? TXS_E_NOMEM : TXS_OK;
}

static int on_cp(void *ctx, const txs_state_cp *c)
{
    lb_run *r = ctx;
    txs_sanctions_match m[LB_PER_CP];
    r->st->counterparties++;
    size_t k = screen_cp(r, c, m, LB_PER_CP);
    if (k == 0) return TXS_OK;
    double best = 0;
    for (size_t i = 0; i < k; i++)
        if (m[i].score > best) best = m[i].score;
    txs_buf *b = &r->line;
    char ts[21];
    b->n = 0;
    r->seq++;
    txs_buf_printf(b, "{\"kind\":\"lookback\",\"counterparty\":{\"type\":\"%s\"",
                   txs_cp_kind_name(c->kind));
    txs__pipe_put_key_str(b, ",\"value\":", c->value);
    if (c->cc[0]) txs_buf_printf(b, ",\"country\":\"%c%c\"", c->cc[0], c->cc[1]);
    txs_ts_format(c->last_ts, ts);
    txs_buf_printf(b, "},\"last_seen\":\"%s\"", ts);
    txs__pipe_put_key_str(b, ",\"last_txn\":", c->ref);
    txs_buf_printf(b, ",\"transactions\":%u,\"score\":%d,\"band\":\"review\",\"hits\":[",
                   (unsigned)c->seen, (int)floor(best * 100.0 + 0.5));
    for (size_t i = 0; i < k; i++) TXS_TRY(put_hit(r, c, &m[i], i == 0));
    txs_buf_puts(b, "]}\n");
    if (b->oom) return TXS_E_NOMEM;
    r->st->alerts++;
    return r->o->alerts ? r->o->alerts(r->o->alerts_ctx, b->p, b->n) : TXS_OK;
}

typedef struct subsets {
    const txs_lists *lists[TXS_STATE_LISTS_MAX];
    const txs_lists *old_of[TXS_STATE_LISTS_MAX];
    txs_lists *own[TXS_STATE_LISTS_MAX];
    void *image[TXS_STATE_LISTS_MAX];
    size_t n;
} subsets;

static void subsets_free(subsets *u)
{
    for (size_t i = 0; i < u->n; i++) {
        txs_lists_free(u->own[i]);
        free(u->image[i]);
    }
}

/* The diff of every pair; a subset snapshot of each pair with changes. */
static int collect(const txs_lookback_opts *o, txs_lookback_stats *st, subsets *u,
                   txs_diag *d)
{
    int rc = TXS_OK;
    for (size_t i = 0; rc == 0 && i < o->nlists && i < TXS_STATE_LISTS_MAX; i++) {
        delta x = {o->old_lists[i], o->new_lists[i], NULL, 0, 0, o->cases, {0}, st};
        rc = txs_lists_diff(x.old_l, x.new_l, on_diff, &x, NULL);
        if (rc < 0) rc = txs_diag_set(d, rc, "", 0, "look-back: cannot diff the lists: %s",
                                      txs_strerror(rc));
        if (rc == 0 && x.n) {
            rc = txs_lists_subset(x.new_l, x.ents, x.n, &u->image[u->n], &u->own[u->n], d);
            if (rc == 0) {
                u->lists[u->n] = u->own[u->n];
                u->old_of[u->n] = x.old_l;
                u->n++;
            }
        }
        free(x.ents);
        txs_buf_free(&x.esc);
    }
    return rc;
}

int txs_lookback_run(txs_state *s, const txs_lookback_opts *o, txs_lookback_stats *st,
                     txs_diag *d)
{
    txs_lookback_stats z;
    if (st == NULL) st = &z;
    memset(st, 0, sizeof *st);
    subsets u = {{0}, {0}, {0}, {0}, 0};
    int rc = collect(o, st, &u, d);
    if (rc < 0 || u.n == 0) {
        subsets_free(&u);
        return rc;
    }
    lb_run r = {o, st, NULL, u.old_of, {0}, {0}, {0}, {0}, 0};
    rc = txs_sanctions_create(u.lists, u.n, o->threshold, &r.sc, d);
    if (rc == 0) {
        /* one name per counterparty: a cache of names would never hit */
        txs_sanctions_uncached(r.sc);
        rc = txs_state_counterparties(s, on_cp, &r);
        if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, "", 0, "look-back: out of memory");
        else if (rc < 0 && d->msg[0] == '\0')
            txs_diag_set(d, rc, "", 0, "look-back: %s", txs_strerror(rc));
    }
    txs_sanctions_free(r.sc);
    txs_buf_free(&r.line);
    txs_buf_free(&r.sub);
    txs_buf_free(&r.esc);
    subsets_free(&u);
    return rc;
}
