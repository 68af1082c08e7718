/*
 * merge.c: `txscreen merge` as a library call (txs_merge, txs/scaleout.h):
 * recombine the outputs of `txscreen screen --shard K/N` over the shards of
 * `txscreen split` into the alerts, rejects and manifest one `screen` over
 * the original inputs gives (docs/operations.md "Scale-out").
 *
 * Each shard's alerts (and rejects) are in shard order, and a shard's
 * records keep their original order, so merging is a streaming k-way merge
 * on the original position (input, line), found through DIR/shard-K.idx:
 *
 *   shard-K alerts --idx K--> (input, line) --+
 *   ...                                       +--> min position --> combine --> alert
 *   shard-J alerts --idx J--> (input, line) --+
 *
 * A transaction between two shards' accounts may have an alert in both:
 * its home shard's (sanctions, stateless rules, its home account's
 * stateful rules) and the other shard's (stateful rules about the other
 * account).  They become one alert: the home alert's hits in their order,
 * the other's typology hits merged in by rule position (for one rule, the
 * originator's account before the beneficiary's); the score and band are
 * recomputed with txs_score.  Hit objects are copied as text, unchanged;
 * only score, band, source (and a generated txn_id) are rewritten.  In
 * shard mode screen writes every record with a hit (band "none" under the
 * bands), so the recombined score decides, and band "none" is dropped.
 * Memory: one line per input stream, whatever the size of the run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "merge_int.h"
#include "txs/shard.h"
#include "txs/values.h"

static const txs_json *json_next(const txs_json *v)
{
    return v ? v->next : NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------- combining */

typedef struct mhit {
    const txs_json_doc *d;
    const txs_json *v;
    txs_hit h;
    int rank;         /* 0: about the originator's account, 1: the beneficiary's */
} mhit;

static int rule_index(const txs_ruleset *rs, const txs_json *id)
{
    for (size_t i = 0; rs && i < txs_ruleset_count(rs); i++)
        if (txs_json_str_is(id, txs_ruleset_rule(rs, i)->id)) return (int)i;
    return -1;
}

/* A hit's kind, rule and score, as the scorer saw it. */
static int read_hit(const merge_run *m, stream *s, const txs_json *v, txs_slice orig,
                    txs_slice bene, mhit *out, txs_diag *d)
{
    const txs_json_doc *doc = &s->doc;
    out->d = doc;
    out->v = v;
    memset(&out->h, 0, sizeof out->h);
    const txs_json *kind = txs_json_get(v, "kind"), *rule = txs_json_get(v, "rule");
    double score = 0;
    if (txs_json_double(txs_json_get(v, "score"), &score) < 0)
        return txs__merge_bad_line(s, "a hit without a score", d);
    if (txs_json_str_is(kind, "typology")) {
        int r = rule_index(m->rules, rule);
        if (r < 0) {
            char id[128] = "?";
            txs_json_str(rule, id, sizeof id);
            return txs_diag_set(d, TXS_E_CONFIG, s->lf.path, (unsigned long)s->lf.lineno,
                                "rule '%s' is not in the rule set (pass the shards' --rules)",
                                id);
        }
        out->h.kind = TXS_HIT_TYPOLOGY;
        out->h.rule = (uint16_t)r;
    } else if (txs_json_str_is(kind, "sanctions")) {
        out->h.kind = TXS_HIT_SANCTIONS;
        /* the band policy: a fuzzy name, a weak alias or a name with
         * qualifiers against it cannot block alone; hits without evidence
         * (places, IBAN countries) may */
        const txs_json *ev = txs_json_get(v, "evidence");
        out->h.rule = ev && (txs_json_str_is(ev, "fuzzy name") || txs_json_str_is(ev, "weak alias") ||
                             txs_json_str_is(ev, "name, qualifiers against"))
                          ? 0
                          : TXS_SANC_MAY_BLOCK;
        const txs_json *sup = txs_json_get(v, "suppressed");
        if (sup && sup->type == TXS_JSON_TRUE) score = 0; /* suppressed: scores nothing */
        else if (txs_json_str_is(rule, "sanctioned_place"))
            txs_json_double(txs_json_get(v, "weight"), &score); /* scored at its weight */
    } else {
        return txs__merge_bad_line(s, "a hit of unknown kind", d);
    }
    out->h.score = score;
    char acct[1024];
    long an = txs_json_str(txs_json_get(v, "account"), acct, sizeof acct);
    out->rank = 0;
    if (an >= 0 && bene.n && !(orig.n == (size_t)an && memcmp(orig.p, acct, orig.n) == 0) &&
        bene.n == (size_t)an && memcmp(bene.p, acct, bene.n) == 0)
        out->rank = 1;
    return TXS_OK;
}

static int hit_before(const mhit *f, const mhit *h)
{
    if (h->h.kind != TXS_HIT_TYPOLOGY) return 0;
    if (f->h.rule != h->h.rule) return f->h.rule < h->h.rule;
    return f->rank < h->rank;
}

typedef struct splice {
    size_t start, end;
    const char *p;
    size_t n;
} splice;

static void put_spliced(txs_buf *b, const char *text, size_t len, const splice *sp, size_t n)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (sp[i].start < at) continue; /* a missing value, nothing to replace */
        txs_buf_put(b, text + at, sp[i].start - at);
        txs_buf_put(b, sp[i].p, sp[i].n);
        at = sp[i].end;
    }
    txs_buf_put(b, text + at, len - at);
}

/* Ids the profile generated from the shard's name and line
 * ("shard-3.csv:17", in txn_id and in evidence quoting other records) back
 * to the original's ("day1.csv:905"): every JSON string of exactly that
 * form in the alert line b->p[from..]. */
/* The first "\"shard-" in p[0..n), or NULL. */
static const char *find_shard_str(const char *p, size_t n)
{
    for (const char *e = p + n; n >= 7 && (p = memchr(p, '"', (size_t)(e - p))) != NULL; p++)
        if ((size_t)(e - p) >= 7 && memcmp(p, "\"shard-", 7) == 0) return p;
    return NULL;
}

static int regen_ids(merge_run *m, const txs_merge_opts *a, txs_buf *b, size_t from, txs_diag *d)
{
    if (find_shard_str(b->p + from, b->n - from) == NULL) return TXS_OK;
    txs_buf o = {0};
    const char *p = b->p + from, *end = b->p + b->n;
    while (p < end) {
        const char *q = find_shard_str(p, (size_t)(end - p));
        if (q == NULL) break;
        txs_buf_put(&o, p, (size_t)(q - p));
        /* "shard-K.EXT:L" */
        const char *r = q + 7;
        char *e;
        unsigned long k = strtoul(r, &e, 10);
        size_t xl = strlen(m->si.ext);
        int ok = e > r && *e == '.' && k < m->si.n && (size_t)(end - e) > xl + 2 &&
                 memcmp(e + 1, m->si.ext, xl) == 0 && e[1 + xl] == ':';
        unsigned long long line = 0;
        const char *t = e + 2 + xl;
        if (ok) {
            line = strtoull(t, &e, 10);
            ok = e > t && *e == '"';
        }
        if (!ok) {
            txs_buf_put(&o, q, 7);
            p = q + 7;
            continue;
        }
        idx_mem *x = &m->idxm[k];
        if (!x->loaded) {
            int rc = txs__merge_idx_load(x, a->split_dir, (uint32_t)k, &m->si, d);
            if (rc < 0) {
                txs_buf_free(&o);
                return rc;
            }
        }
        size_t lo = 0, hi = x->n / 3;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (x->v[3 * mid] < line) lo = mid + 1;
            else hi = mid;
        }
        if (lo < x->n / 3 && x->v[3 * lo] == line) {
            char id[4200];
            snprintf(id, sizeof id, "%s:%llu", m->si.in[x->v[3 * lo + 1]].base,
                     (unsigned long long)x->v[3 * lo + 2]);
            txs_buf_json_str(&o, id, strlen(id));
        } else {
            txs_buf_put(&o, q, (size_t)(e + 1 - q));
        }
        p = e + 1;
    }
    txs_buf_put(&o, p, (size_t)(end - p));
    int rc = TXS_OK;
    if (o.oom) rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    else {
        b->n = from;
        txs_buf_put(b, o.p, o.n);
    }
    txs_buf_free(&o);
    return rc;
}

/* The group g[0..ng) holds every alert of one original record. */
static int combine(merge_run *m, const txs_merge_opts *a, stream **g, size_t ng, txs_diag *d)
{
    stream *base = g[0];
    const txs_json *root = base->doc.root;
    const txs_json *accts = txs_json_get(root, "accounts");
    char ob[1024] = "", bb[1024] = "";
    txs_slice orig = {ob, 0}, bene = {bb, 0};
    const txs_json *a0 = txs_json_first(accts), *a1 = json_next(a0);
    long k0 = a0 ? txs_json_str(a0, ob, sizeof ob) : -1;
    /* The home shard is the first account's (the originator's, else the
     * beneficiary's, the only one listed). */
    uint32_t home = txs_shard_of((txs_slice){ob, k0 > 0 ? (size_t)k0 : 0}, m->si.n);
    if (a0 && a1) { /* both parties have accounts: [orig, bene] */
        orig.n = k0 > 0 ? (size_t)k0 : 0;
        long k = txs_json_str(a1, bb, sizeof bb);
        bene.n = k > 0 ? (size_t)k : 0;
    }
    if (ng > 1) { /* the home shard's alert leads */
        for (size_t i = 0; i < ng; i++)
            if (g[i]->shard == home) {
                stream *t = g[0];
                g[0] = g[i];
                g[i] = t;
                break;
            }
        base = g[0];
        root = base->doc.root;
        m->combined++;
    }
    /* The hits: the base's, then the others' typology hits merged in. */
    size_t cap = 0;
    for (size_t i = 0; i < ng; i++) {
        const txs_json *h = txs_json_get(g[i]->doc.root, "hits");
        if (h == NULL || h->type != TXS_JSON_ARR) return txs__merge_bad_line(g[i], "an alert without hits", d);
        cap += h->count;
    }
    mhit *hv = malloc((cap ? cap : 1) * sizeof *hv);
    txs_hit *th = malloc((cap ? cap : 1) * sizeof *th);
    int rc = TXS_OK;
    size_t nh = 0;
    if (hv == NULL || th == NULL) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ng && rc == TXS_OK; i++) {
        const txs_json *hs = txs_json_get(g[i]->doc.root, "hits");
        size_t pos = 0; /* where the last merged hit went */
        for (const txs_json *v = txs_json_first(hs); v && rc == TXS_OK;
             v = json_next(v)) {
            mhit x;
            rc = read_hit(m, g[i], v, orig, bene, &x, d);
            if (rc < 0) break;
            if (i == 0) {
                hv[nh++] = x;
                continue;
            }
            if (x.h.kind != TXS_HIT_TYPOLOGY) continue; /* the home shard's job */
            while (pos < nh && !hit_before(&x, &hv[pos])) pos++;
            memmove(hv + pos + 1, hv + pos, (nh - pos) * sizeof *hv);
            hv[pos++] = x;
            nh++;
        }
    }
    if (rc < 0) goto out;
    for (size_t i = 0; i < nh; i++) th[i] = hv[i].h;
    int score, band;
    txs_score(m->rules, th, nh, &score, &band);
    /* Counts, as screen keeps them. */
    uint64_t nsanc = 0, nsupp = 0;
    for (size_t i = 0; i < nh; i++)
        if (th[i].kind == TXS_HIT_SANCTIONS) {
            nsanc++;
            const txs_json *sup = txs_json_get(hv[i].v, "suppressed");
            nsupp += sup && sup->type == TXS_JSON_TRUE;
        }
    m->hits += nh;
    m->sanc_hits += nsanc;
    m->sanc_supp += nsupp;
    m->sanc_txns += nsanc > nsupp;
    if (band == TXS_BAND_NONE) {
        m->below++;
        goto out;
    }
    m->alerts++;
    m->by_band[band]++;
    m->sanc_alerts += nsanc > nsupp;
    for (size_t i = 0; i < nh; i++) {
        if (th[i].kind != TXS_HIT_TYPOLOGY) continue;
        size_t j = 0;
        while (j < i && !(th[j].kind == TXS_HIT_TYPOLOGY && th[j].rule == th[i].rule)) j++;
        if (j == i && m->by_rule) m->by_rule[th[i].rule]++;
    }
    /* The alert: the base's text with score, band, source, hits (and a
     * txn_id generated from the shard's line) rewritten. */
    const split_input *in = &m->si.in[base->in];
    const txs_json_doc *bd = &base->doc;
    txs_buf *hb = &m->hbuf;
    hb->n = 0;
    size_t o_score = hb->n;
    txs_buf_printf(hb, "%d", score);
    size_t o_band = hb->n;
    txs_buf_printf(hb, "\"%s\"", txs_band_name(band));
    size_t o_src = hb->n;
    txs_buf_puts(hb, "{\"file\":");
    txs_buf_json_str(hb, in->name, strlen(in->name));
    txs_buf_printf(hb, ",\"line\":%llu}", (unsigned long long)base->line);
    size_t o_hits = hb->n;
    txs_buf_putc(hb, '[');
    for (size_t i = 0; i < nh; i++) {
        if (i) txs_buf_putc(hb, ',');
        txs_buf_put(hb, hv[i].d->text + hv[i].v->start, hv[i].v->end - hv[i].v->start);
    }
    txs_buf_putc(hb, ']');
    size_t o_id = hb->n;
    const txs_json *id = txs_json_get(root, "txn_id");
    char gen[4200], idtext[4200];
    snprintf(gen, sizeof gen, "%s:%llu", base->shard_base, (unsigned long long)base->shard_line);
    int regen = !base->ident && txs_json_str(id, idtext, sizeof idtext) >= 0 &&
                strcmp(idtext, gen) == 0;
    if (regen) {
        snprintf(gen, sizeof gen, "%s:%llu", in->base, (unsigned long long)base->line);
        txs_buf_json_str(hb, gen, strlen(gen));
    }
    size_t o_end = hb->n;
    if (hb->oom) {
        rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
        goto out;
    }
    const txs_json *vs = txs_json_get(root, "score"), *vb = txs_json_get(root, "band"),
                  *vsrc = txs_json_get(root, "source"), *vh = txs_json_get(root, "hits");
    if (!vs || !vb || !vsrc || !vh) {
        rc = txs__merge_bad_line(base, "an alert without score, band, source or hits", d);
        goto out;
    }
    splice sp[5];
    size_t ns = 0;
    if (regen) sp[ns++] = (splice){id->start, id->end, hb->p + o_id, o_end - o_id};
    sp[ns++] = (splice){vs->start, vs->end, hb->p + o_score, o_band - o_score};
    sp[ns++] = (splice){vb->start, vb->end, hb->p + o_band, o_src - o_band};
    sp[ns++] = (splice){vsrc->start, vsrc->end, hb->p + o_src, o_hits - o_src};
    sp[ns++] = (splice){vh->start, vh->end, hb->p + o_hits, o_id - o_hits};
    for (size_t i = 1; i < ns; i++) /* by position in the text */
        for (size_t j = i; j > 0 && sp[j].start < sp[j - 1].start; j--) {
            splice t = sp[j];
            sp[j] = sp[j - 1];
            sp[j - 1] = t;
        }
    txs_buf *b = &m->buf;
    size_t from = b->n;
    put_spliced(b, bd->text, bd->len, sp, ns);
    txs_buf_putc(b, '\n');
    if (b->oom) rc = txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    else rc = regen_ids(m, a, b, from, d);
out:
    free(hv);
    free(th);
    return rc;
}

static int flush(txs_buf *b, txs_out *o, txs_diag *d, int force)
{
    if (b->n == 0 || (!force && b->n < (1u << 20))) return TXS_OK;
    int rc = txs_out_write(o, b->p, b->n, d);
    b->n = 0;
    return rc;
}

static int merge_alerts(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    stream **g = malloc((m->nst ? m->nst : 1) * sizeof *g);
    if (g == NULL) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    int rc = TXS_OK;
    for (;;) {
        size_t ng = 0;
        for (size_t i = 0; i < m->nst; i++) {
            stream *s = &m->st[i];
            if (s->kind != K_ALERTS || !s->have) continue;
            if (ng && (s->in > g[0]->in || (s->in == g[0]->in && s->line > g[0]->line)))
                continue;
            if (ng && (s->in < g[0]->in || s->line < g[0]->line)) ng = 0;
            g[ng++] = s;
        }
        if (ng == 0) break;
        /* Shard order (deterministic), then the home shard is picked. */
        for (size_t i = 1; i < ng; i++)
            for (size_t j = i; j > 0 && g[j]->shard < g[j - 1]->shard; j--) {
                stream *t = g[j];
                g[j] = g[j - 1];
                g[j - 1] = t;
            }
        rc = combine(m, a, g, ng, d);
        if (rc >= 0) rc = flush(&m->buf, m->out, d, 0);
        for (size_t i = 0; i < ng && rc >= 0; i++) rc = txs__merge_advance(m, g[i], a, d);
        if (rc < 0) break;
    }
    if (rc >= 0) rc = flush(&m->buf, m->out, d, 1);
    free(g);
    return rc;
}

/* Rejects: the shards' (mapped back) and the split's own, by position; a
 * record rejected twice is written once. */
static int merge_rejects(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    int rc = TXS_OK;
    int have_last = 0;
    uint64_t last_in = 0, last_line = 0;
    for (;;) {
        stream *s = NULL;
        for (size_t i = 0; i < m->nst; i++) {
            stream *t = &m->st[i];
            if (t->kind == K_ALERTS || !t->have) continue;
            if (s == NULL || t->in < s->in || (t->in == s->in && t->line < s->line)) s = t;
        }
        if (s == NULL) break;
        if (!(have_last && s->in == last_in && s->line == last_line)) {
            const txs_json_doc *doc = &s->doc;
            const txs_json *root = doc->root;
            const txs_json *vf = txs_json_get(root, "file"), *vl = txs_json_get(root, "line"),
                          *vo = txs_json_get(root, "offset");
            if (!vf || !vl || !vo) return txs__merge_bad_line(s, "a reject without file, line, offset", d);
            const split_input *in = &m->si.in[s->in];
            txs_buf *hb = &m->hbuf;
            hb->n = 0;
            txs_buf_json_str(hb, in->name, strlen(in->name));
            size_t o_line = hb->n;
            txs_buf_printf(hb, "%llu", (unsigned long long)s->line);
            size_t o_off = hb->n;
            txs_buf_printf(hb, "%llu", (unsigned long long)s->offset);
            size_t o_end = hb->n;
            if (hb->oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
            splice sp[3] = {{vf->start, vf->end, hb->p, o_line},
                            {vl->start, vl->end, hb->p + o_line, o_off - o_line},
                            {vo->start, vo->end, hb->p + o_off, o_end - o_off}};
            put_spliced(&m->buf, doc->text, doc->len, sp, 3);
            txs_buf_putc(&m->buf, '\n');
            m->nrejects++;
            m->si.in[s->in].merged_rejects++;
            have_last = 1;
            last_in = s->in;
            last_line = s->line;
            if (m->rej) rc = flush(&m->buf, m->rej, d, 0);
            else m->buf.n = 0;
            if (rc < 0) return rc;
        }
        TXS_TRY(txs__merge_advance(m, s, a, d));
    }
    if (m->rej) return flush(&m->buf, m->rej, d, 1);
    m->buf.n = 0;
    return TXS_OK;
}


/* ----------------------------------------------------------------- run */

static void run_free(merge_run *m)
{
    for (size_t i = 0; i < m->nst; i++) txs__merge_stream_free(&m->st[i]);
    free(m->st);
    for (uint32_t k = 0; m->man_text && k < m->si.n; k++) {
        free(m->man_text[k]);
        txs_json_free(&m->man[k]);
    }
    for (uint32_t k = 0; m->man_path && k < m->si.n; k++) free(m->man_path[k]);
    free(m->man_path);
    free(m->man_text);
    free(m->man);
    free(m->graph_text);
    free(m->graph_path);
    free(m->si.shard_bytes);
    free(m->si.shard_xxh3);
    for (uint32_t k = 0; m->idxm && k < m->si.n; k++) free(m->idxm[k].v);
    free(m->idxm);
    txs_json_free(&m->graph);
    for (size_t i = 0; i < m->si.nin; i++) free(m->si.in[i].name);
    free(m->si.in);
    txs_out_abort(m->out);
    txs_out_abort(m->rej);
    txs_out_abort(m->mout);
    txs_ruleset_free(m->rules);
    free(m->by_rule);
    txs_buf_free(&m->buf);
    txs_buf_free(&m->hbuf);
}

/* The commit record sits beside the first output that is a file. */
static const char *record_target(const txs_merge_opts *a)
{
    const char *c[] = {a->manifest, a->out, a->rejects};
    for (size_t i = 0; i < 3; i++)
        if (c[i] && strcmp(c[i], "-") != 0) return c[i];
    return NULL;
}

/* Finish what an interrupted merge left, then open every output before
 * reading a shard output, so one that cannot be written stops early. */
static int open_outputs(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    const char *rt = record_target(a);
    int recovered = 0;
    if (rt) TXS_TRY(txs_commit_recover(rt, &recovered, d));
    const char *outs[] = {a->out, a->rejects, a->manifest};
    for (size_t i = 0; i < 3; i++)
        if (outs[i] && strcmp(outs[i], "-") != 0) txs_commit_sweep(outs[i]);
    TXS_TRY(txs_out_open(a->out, &m->out, d));
    if (a->rejects) TXS_TRY(txs_out_open(a->rejects, &m->rej, d));
    if (a->manifest) TXS_TRY(txs_out_open(a->manifest, &m->mout, d));
    return TXS_OK;
}

/* Publish alerts, rejects and the manifest as one commit (emit.h): after
 * any failure a reader sees the whole old set or the whole new set. */
static int commit_outputs(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    const char *rt = record_target(a);
    txs_commit *c = NULL;
    int rc = rt ? txs_commit_create(rt, &c, d) : TXS_OK;
    if (rc == 0 && c == NULL) { /* every output is a stream */
        txs_out *o[] = {m->out, m->rej, m->mout};
        for (size_t i = 0; i < 3 && rc == 0; i++)
            if (o[i]) rc = txs_out_commit(o[i], d);
        m->out = m->rej = m->mout = NULL;
        return rc;
    }
    txs_out *o[] = {m->out, m->rej, m->mout};
    m->out = m->rej = m->mout = NULL;
    for (size_t i = 0; i < 3; i++) {
        if (rc == 0) rc = txs_commit_add(c, o[i], d);
        else txs_out_abort(o[i]);
    }
    if (rc < 0) {
        txs_commit_abort(c);
        return rc;
    }
    return txs_commit_publish(c, d);
}

static int run(merge_run *m, const txs_merge_opts *a, txs_diag *d)
{
    double t0 = now();
    char started[21];
    txs_ts_format((int64_t)time(NULL), started);
    TXS_TRY(txs__merge_load_split(a->split_dir, &m->si, d));
    m->st = calloc((size_t)a->ninputs + 1, sizeof *m->st);
    m->man_text = calloc(m->si.n, sizeof *m->man_text);
    m->man_path = calloc(m->si.n, sizeof *m->man_path);
    m->man = calloc(m->si.n, sizeof *m->man);
    m->idxm = calloc(m->si.n, sizeof *m->idxm);
    if (!m->st || !m->man_text || !m->man_path || !m->man || !m->idxm)
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    for (size_t i = 0; i < a->ninputs; i++) TXS_TRY(txs__merge_add_input(m, a, a->inputs[i], d));
    /* The split's own rejects (records it could not frame). */
    stream *sr = &m->st[m->nst];
    snprintf(sr->lf.path, sizeof sr->lf.path, "%s/split-rejects.jsonl", a->split_dir);
    sr->kind = K_SPLIT_REJECTS;
    sr->ident = 1;
    sr->lf.f = fopen(sr->lf.path, "rb");
    if (sr->lf.f == NULL)
        return txs_diag_set(d, TXS_E_IO, sr->lf.path, 0, "cannot open: %s", strerror(errno));
    m->nst++;
    TXS_TRY(txs__merge_advance(m, sr, a, d));
    TXS_TRY(txs__merge_load_rules(m, a, d));
    TXS_TRY(txs__merge_check_manifests(m, d));
    int have_rej = 0;
    for (size_t i = 0; i < m->nst; i++) have_rej |= m->st[i].kind == K_REJECTS;
    TXS_TRY(open_outputs(m, a, d));
    TXS_TRY(merge_alerts(m, a, d));
    TXS_TRY(merge_rejects(m, a, d));
    if (a->rejects && m->nrejects != m->si.rejected)
        return txs_diag_set(d, TXS_E_FORMAT, "", 0,
                            "%llu rejects merged but the split has %llu records that do not "
                            "frame or parse: pass every shard's rejects file%s",
                            (unsigned long long)m->nrejects, (unsigned long long)m->si.rejected,
                            have_rej ? "" : " (none given)");
    TXS_TRY(txs__merge_check_complete(m, a, d));
    if (m->mout) {
        TXS_TRY(txs_out_digest(m->out, &m->out_bytes, &m->out_xxh3, d));
        if (m->rej) TXS_TRY(txs_out_digest(m->rej, &m->rej_bytes, &m->rej_xxh3, d));
        m->digested = 1;
        txs_buf b = {0};
        txs__merge_write_manifest(&b, m, a, a->command ? a->command : "txscreen merge", started,
                                  now() - t0);
        int rc = b.oom ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory")
                       : txs_out_write(m->mout, b.p, b.n, d);
        txs_buf_free(&b);
        TXS_TRY(rc);
    }
    return commit_outputs(m, a, d);
}

int txs_merge(const txs_merge_opts *o, txs_merge_stats *st, txs_diag *d)
{
    merge_run m;
    memset(&m, 0, sizeof m);
    memset(st, 0, sizeof *st);
    int rc = run(&m, o, d);
    if (rc < 0 && d->msg[0] == '\0') txs_diag_set(d, rc, "", 0, "%s", txs_strerror(rc));
    if (rc == TXS_OK) {
        st->shards = m.si.n;
        st->alerts = m.alerts;
        memcpy(st->by_band, m.by_band, sizeof st->by_band);
        st->combined = m.combined;
        st->rejects = m.nrejects;
    }
    run_free(&m);
    return rc;
}
