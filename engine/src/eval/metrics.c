/*
 * metrics.c: labels, episodes and the metrics of `txscreen eval`
 * (txs/eval.h; definitions in docs/evaluation.md).  Alert lines are read by
 * the one cold-path JSON reader (txs/json_read.h) into the evaluation's
 * document, reused line after line.
 */
#include "txs/eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------ interning */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static void strtab_free(txs_eval_strtab *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->s[i]);
    free(t->s);
    free(t->len);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static int rehash(txs_eval_strtab *t, size_t nslots)
{
    uint32_t *sl = calloc(nslots, sizeof *sl);
    if (sl == NULL) return -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t k = (size_t)hash_bytes(t->s[i], t->len[i]) & (nslots - 1);
        while (sl[k]) k = (k + 1) & (nslots - 1);
        sl[k] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = sl;
    t->nslots = nslots;
    return 0;
}

uint32_t txs_eval_lookup(const txs_eval_strtab *t, const char *s, size_t n)
{
    if (t->nslots == 0) return TXS_EVAL_NONE;
    size_t k = (size_t)hash_bytes(s, n) & (t->nslots - 1);
    for (; t->slots[k]; k = (k + 1) & (t->nslots - 1)) {
        uint32_t i = t->slots[k] - 1;
        if (t->len[i] == n && memcmp(t->s[i], s, n) == 0) return i;
    }
    return TXS_EVAL_NONE;
}

uint32_t txs_eval_intern(txs_eval_strtab *t, const char *s, size_t n)
{
    uint32_t i = txs_eval_lookup(t, s, n);
    if (i != TXS_EVAL_NONE) return i;
    if (t->n >= UINT32_MAX - 1) return TXS_EVAL_NONE;
    if ((t->n + 1) * 2 > t->nslots && rehash(t, t->nslots ? t->nslots * 2 : 64) < 0)
        return TXS_EVAL_NONE;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        char **ns = realloc(t->s, nc * sizeof *ns);
        if (ns == NULL) return TXS_EVAL_NONE;
        t->s = ns;
        size_t *nl = realloc(t->len, nc * sizeof *nl);
        if (nl == NULL) return TXS_EVAL_NONE;
        t->len = nl;
        t->cap = nc;
    }
    char *c = malloc(n + 1);
    if (c == NULL) return TXS_EVAL_NONE;
    memcpy(c, s, n);
    c[n] = '\0';
    t->s[t->n] = c;
    t->len[t->n] = n;
    size_t k = (size_t)hash_bytes(s, n) & (t->nslots - 1);
    while (t->slots[k]) k = (k + 1) & (t->nslots - 1);
    t->slots[k] = (uint32_t)t->n + 1;
    return (uint32_t)t->n++;
}

/* ------------------------------------------------------------- lifetime */

void txs_eval_init(txs_eval *ev)
{
    memset(ev, 0, sizeof *ev);
    txs_json_init(&ev->doc);
}

static void run_free(txs_eval_run *r)
{
    strtab_free(&r->rules);
    free(r->rule_typ);
    free(r->alert_txns);
    for (size_t i = 0; i < r->neps; i++) free(r->eps[i].txns);
    free(r->eps);
    memset(r, 0, sizeof *r);
}

void txs_eval_free(txs_eval *ev)
{
    strtab_free(&ev->txns);
    strtab_free(&ev->typs);
    strtab_free(&ev->pats);
    free(ev->labels);
    free(ev->pat_typ);
    free(ev->txn_label);
    free(ev->label_found);
    for (int i = 0; i < ev->nruns; i++) run_free(&ev->runs[i]);
    txs_json_free(&ev->doc);
    memset(ev, 0, sizeof *ev);
}

static int is_near_miss(const txs_eval *ev, uint32_t typ)
{
    size_t k = sizeof TXS_EVAL_NEAR_MISS_PREFIX - 1;
    return ev->typs.len[typ] >= k && memcmp(ev->typs.s[typ], TXS_EVAL_NEAR_MISS_PREFIX, k) == 0;
}

/* --------------------------------------------------------------- labels */

#define LABEL_FIELDS 4 /* one more than expected, to detect extra columns */

/* Split one line into fields (double quotes allowed, "" inside quotes is a
 * quote); unquoted into buf.  Returns the field count, or -1 for a stray
 * or unterminated quote. */
static int split_line(const char *p, size_t n, char *buf, const char *f[LABEL_FIELDS],
                      size_t fl[LABEL_FIELDS])
{
    int nf = 0;
    size_t i = 0, k = 0;
    for (;;) {
        size_t start = k;
        if (i < n && p[i] == '"') {
            i++;
            for (;;) {
                if (i >= n) return -1;
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        buf[k++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[k++] = p[i++];
            }
            if (i < n && p[i] != ',') return -1;
        } else {
            while (i < n && p[i] != ',') {
                if (p[i] == '"') return -1;
                buf[k++] = p[i++];
            }
        }
        if (nf < LABEL_FIELDS) {
            f[nf] = buf + start;
            fl[nf] = k - start;
        }
        nf++;
        if (i >= n) break;
        i++; /* the comma */
    }
    return nf;
}

static int add_label(txs_eval *ev, const char *name, unsigned long line, const char *f[3],
                     const size_t fl[3], txs_diag *d)
{
    static const char *const what[3] = {"txn_id", "typology", "pattern_id"};
    for (int i = 0; i < 3; i++)
        if (fl[i] == 0)
            return txs_diag_set(d, TXS_E_CONFIG, name, line, "empty %s", what[i]);
    if (ev->nlabels == ev->labels_cap) {
        size_t nc = ev->labels_cap ? ev->labels_cap * 2 : 64;
        txs_eval_label *nl = realloc(ev->labels, nc * sizeof *nl);
        if (nl == NULL) return txs_diag_set(d, TXS_E_NOMEM, name, line, "out of memory");
        ev->labels = nl;
        ev->labels_cap = nc;
    }
    size_t before = ev->txns.n;
    uint32_t txn = txs_eval_intern(&ev->txns, f[0], fl[0]);
    uint32_t typ = txs_eval_intern(&ev->typs, f[1], fl[1]);
    size_t pbefore = ev->pats.n;
    uint32_t pat = txs_eval_intern(&ev->pats, f[2], fl[2]);
    if (txn == TXS_EVAL_NONE || typ == TXS_EVAL_NONE || pat == TXS_EVAL_NONE)
        return txs_diag_set(d, TXS_E_NOMEM, name, line, "out of memory");
    if (ev->txns.n == before) {
        for (size_t i = 0; i < ev->nlabels; i++)
            if (ev->labels[i].txn == txn)
                return txs_diag_set(d, TXS_E_CONFIG, name, line,
                                    "txn_id '%s' is labelled twice (first at line %lu)",
                                    ev->txns.s[txn], ev->labels[i].line);
    }
    if (ev->pats.n != pbefore) {
        uint32_t *np = realloc(ev->pat_typ, ev->pats.n * sizeof *np);
        if (np == NULL) return txs_diag_set(d, TXS_E_NOMEM, name, line, "out of memory");
        ev->pat_typ = np;
        np[pat] = typ;
    } else if (ev->pat_typ[pat] != typ) {
        return txs_diag_set(d, TXS_E_CONFIG, name, line,
                            "pattern_id '%s' has typology '%s' here but '%s' on an earlier row",
                            ev->pats.s[pat], ev->typs.s[typ], ev->typs.s[ev->pat_typ[pat]]);
    }
    ev->labels[ev->nlabels++] = (txs_eval_label){txn, typ, pat, line};
    return TXS_OK;
}

int txs_eval_labels_parse(txs_eval *ev, const char *name, const char *p, size_t n, txs_diag *d)
{
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    char *buf = NULL;
    size_t bufcap = 0;
    int rc = TXS_OK, header = 0;
    unsigned long line = 0;
    for (size_t i = 0; i < n && rc == TXS_OK;) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
        const char *s = p + i;
        i += len + (nl ? 1 : 0);
        line++;
        if (len && s[len - 1] == '\r') len--;
        if (len == 0) continue; /* blank lines are skipped */
        if (len + 1 > bufcap) {
            free(buf);
            bufcap = len + 1;
            buf = malloc(bufcap);
            if (buf == NULL) {
                rc = txs_diag_set(d, TXS_E_NOMEM, name, line, "out of memory");
                break;
            }
        }
        const char *f[LABEL_FIELDS];
        size_t fl[LABEL_FIELDS];
        int nf = split_line(s, len, buf, f, fl);
        if (nf < 0) {
            rc = txs_diag_set(d, TXS_E_CONFIG, name, line, "bad quoting");
        } else if (!header) {
            if (nf != 3 || fl[0] != 6 || memcmp(f[0], "txn_id", 6) != 0 || fl[1] != 8 ||
                memcmp(f[1], "typology", 8) != 0 || fl[2] != 10 ||
                memcmp(f[2], "pattern_id", 10) != 0)
                rc = txs_diag_set(d, TXS_E_CONFIG, name, line,
                                  "bad header: expected 'txn_id,typology,pattern_id'");
            header = 1;
        } else if (nf != 3) {
            rc = txs_diag_set(d, TXS_E_CONFIG, name, line,
                              "%d columns, expected 3 (txn_id,typology,pattern_id)", nf);
        } else {
            rc = add_label(ev, name, line, f, fl, d);
        }
    }
    free(buf);
    if (rc != TXS_OK) return rc;
    if (!header) return txs_diag_set(d, TXS_E_CONFIG, name, 0, "empty labels file (no header)");
    if (ev->nlabels == 0) return txs_diag_set(d, TXS_E_CONFIG, name, 0, "no labelled rows");
    free(ev->label_found);
    ev->label_found = calloc(ev->nlabels, 1);
    if (ev->label_found == NULL) return txs_diag_set(d, TXS_E_NOMEM, name, 0, "out of memory");
    return TXS_OK;
}

int txs_eval_labels_load(txs_eval *ev, const char *path, txs_diag *d)
{
    char *buf;
    size_t n;
    int rc = txs_file_read(path, &buf, &n, d);
    if (rc == TXS_E_NOMEM) return rc;
    if (rc < 0) return TXS_E_CONFIG; /* d says why; a labels file is configuration */
    rc = txs_eval_labels_parse(ev, path, buf, n, d);
    free(buf);
    return rc;
}

/* ----------------------------------------------------------------- runs */

txs_eval_run *txs_eval_add_run(txs_eval *ev, const char *name)
{
    if (ev->nruns >= TXS_EVAL_MAX_RUNS) return NULL;
    txs_eval_run *r = &ev->runs[ev->nruns++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

/* The typology of rule id s[0..n), mapping an unknown rule to itself. */
static uint32_t rule_index(txs_eval *ev, txs_eval_run *r, const char *s, size_t n, const char *typ)
{
    size_t before = r->rules.n;
    uint32_t i = txs_eval_intern(&r->rules, s, n);
    if (i == TXS_EVAL_NONE) return TXS_EVAL_NONE;
    if (r->rules.n != before) {
        uint32_t *nt = realloc(r->rule_typ, r->rules.n * sizeof *nt);
        if (nt == NULL) return TXS_EVAL_NONE;
        r->rule_typ = nt;
        nt[i] = typ && *typ ? txs_eval_intern(&ev->typs, typ, strlen(typ)) : txs_eval_intern(&ev->typs, s, n);
        if (nt[i] == TXS_EVAL_NONE) return TXS_EVAL_NONE;
    }
    return i;
}

int txs_eval_run_map(txs_eval *ev, txs_eval_run *r, const char *rule, const char *typology)
{
    uint32_t i = rule_index(ev, r, rule, strlen(rule), typology);
    return i == TXS_EVAL_NONE ? TXS_E_NOMEM : TXS_OK;
}

static int push_u32(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        uint32_t *na = realloc(*a, nc * sizeof *na);
        if (na == NULL) return -1;
        *a = na;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
    return 0;
}

static int add_episode(txs_eval_run *r, uint32_t typ, uint32_t rule, uint32_t *txns, size_t n)
{
    if (r->neps == r->eps_cap) {
        size_t nc = r->eps_cap ? r->eps_cap * 2 : 64;
        txs_eval_episode *ne = realloc(r->eps, nc * sizeof *ne);
        if (ne == NULL) return -1;
        r->eps = ne;
        r->eps_cap = nc;
    }
    r->eps[r->neps++] = (txs_eval_episode){typ, rule, txns, (uint32_t)n};
    return 0;
}

#define WHY(...) (snprintf(why, cap, __VA_ARGS__), TXS_E_FORMAT)

static int add_hit(txs_eval *ev, txs_eval_run *r, uint32_t self, const txs_json *h, size_t k,
                   char *why, size_t cap)
{
    if (h->type != TXS_JSON_OBJ) return WHY("hits[%zu] is not an object", k);
    const txs_json *rule = txs_json_get(h, "rule");
    if (rule == NULL || rule->type != TXS_JSON_STR || rule->n == 0)
        return WHY("hits[%zu] has no \"rule\" string", k);
    const txs_json *evidence = txs_json_get(h, "evidence");
    const txs_json *ids = evidence ? txs_json_get(evidence, "txn_ids") : NULL;
    if (ids && ids->type != TXS_JSON_ARR)
        return WHY("hits[%zu].evidence.txn_ids is not an array", k);
    uint32_t ri = rule_index(ev, r, rule->s, rule->n, NULL);
    if (ri == TXS_EVAL_NONE) return TXS_E_NOMEM;
    uint32_t *txns = NULL;
    size_t n = 0, tc = 0;
    if (push_u32(&txns, &n, &tc, self) < 0) return TXS_E_NOMEM;
    size_t i = 0;
    for (const txs_json *s = ids ? ids->first : NULL; s; s = s->next, i++) {
        if (s->type != TXS_JSON_STR || s->n == 0) {
            free(txns);
            return WHY("hits[%zu].evidence.txn_ids[%zu] is not a non-empty string", k, i);
        }
        uint32_t t = txs_eval_intern(&ev->txns, s->s, s->n);
        if (t == TXS_EVAL_NONE || push_u32(&txns, &n, &tc, t) < 0) {
            free(txns);
            return TXS_E_NOMEM;
        }
    }
    if (add_episode(r, r->rule_typ[ri], ri, txns, n) < 0) {
        free(txns);
        return TXS_E_NOMEM;
    }
    r->hits++;
    return TXS_OK;
}

int txs_eval_run_add_alert(txs_eval *ev, txs_eval_run *r, const char *p, size_t n, char *why, size_t cap)
{
    int rc = txs_json_parse(&ev->doc, p, n);
    if (rc == TXS_E_NOMEM) return rc;
    if (rc < 0) return WHY("not valid JSON: %s", ev->doc.err);
    const txs_json *v = ev->doc.root;
    const txs_json *id = txs_json_get(v, "txn_id");
    const txs_json *hits = txs_json_get(v, "hits");
    if (v->type != TXS_JSON_OBJ) rc = WHY("not a JSON object");
    else if (id == NULL || id->type != TXS_JSON_STR || id->n == 0)
        rc = WHY("no \"txn_id\" string");
    else if (hits == NULL || hits->type != TXS_JSON_ARR) rc = WHY("no \"hits\" array");
    else if (hits->count == 0) rc = WHY("\"hits\" is empty");
    uint32_t self = TXS_EVAL_NONE;
    if (rc == TXS_OK) {
        self = txs_eval_intern(&ev->txns, id->s, id->n);
        if (self == TXS_EVAL_NONE || push_u32(&r->alert_txns, &r->nalert_txns, &r->alert_cap, self) < 0)
            rc = TXS_E_NOMEM;
    }
    size_t i = 0;
    for (const txs_json *h = rc == TXS_OK ? hits->first : NULL; rc == TXS_OK && h; h = h->next)
        rc = add_hit(ev, r, self, h, i++, why, cap);
    if (rc == TXS_OK) r->alerts++;
    return rc;
}

void txs_eval_mark_input(txs_eval *ev, const char *s, size_t n)
{
    ev->input_checked = 1;
    uint32_t t = txs_eval_lookup(&ev->txns, s, n);
    if (t == TXS_EVAL_NONE || ev->label_found == NULL) return;
    /* Labels are normally parsed first, so label i is txn i; otherwise
     * search. */
    if (t < ev->nlabels && ev->labels[t].txn == t) {
        ev->label_found[t] = 1;
        return;
    }
    for (size_t i = 0; i < ev->nlabels; i++)
        if (ev->labels[i].txn == t) {
            ev->label_found[i] = 1;
            return;
        }
}

const char *txs_eval_missing_id(const txs_eval *ev, size_t i)
{
    if (!ev->input_checked) return NULL;
    for (size_t k = 0; k < ev->nlabels; k++)
        if (!ev->label_found[k] && i-- == 0) return ev->txns.s[ev->labels[k].txn];
    return NULL;
}

/* -------------------------------------------------------------- metrics */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_episode(const void *a, const void *b)
{
    const txs_eval_episode *x = a, *y = b;
    if (x->rule != y->rule) return (x->rule > y->rule) - (x->rule < y->rule);
    if (x->n != y->n) return (x->n > y->n) - (x->n < y->n);
    for (uint32_t i = 0; i < x->n; i++)
        if (x->txns[i] != y->txns[i]) return (x->txns[i] > y->txns[i]) - (x->txns[i] < y->txns[i]);
    return 0;
}

/* Sort and de-duplicate each episode's txns, then merge identical
 * episodes (one stateful episode reported on several alerts). */
static void finish_run(txs_eval_run *r)
{
    if (r->finished) return;
    r->finished = 1;
    for (size_t i = 0; i < r->neps; i++) {
        txs_eval_episode *e = &r->eps[i];
        qsort(e->txns, e->n, sizeof *e->txns, cmp_u32);
        uint32_t k = 0;
        for (uint32_t j = 0; j < e->n; j++)
            if (k == 0 || e->txns[k - 1] != e->txns[j]) e->txns[k++] = e->txns[j];
        e->n = k;
    }
    if (r->neps > 1) qsort(r->eps, r->neps, sizeof *r->eps, cmp_episode);
    size_t k = 0;
    for (size_t i = 0; i < r->neps; i++) {
        if (k > 0 && cmp_episode(&r->eps[k - 1], &r->eps[i]) == 0) {
            free(r->eps[i].txns);
            r->episodes_dup++;
            continue;
        }
        r->eps[k++] = r->eps[i];
    }
    r->neps = k;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : NAN;
}

static double harmonic(double p, double r)
{
    if (isnan(p) && isnan(r)) return NAN;
    if (isnan(p)) p = 0;
    if (isnan(r)) r = 0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static void finish_stats(txs_eval_stats *s)
{
    s->precision = ratio(s->tp, s->flagged);
    s->recall = ratio(s->tp, s->labelled);
    s->f1 = ratio(2 * s->tp, 2 * s->tp + s->fp + s->fn);
    s->recall_any = ratio(s->tp_any, s->labelled);
    s->pat_recall = ratio(s->pat_own, s->patterns);
    s->pat_recall_any = ratio(s->pat_any, s->patterns);
    s->ep_precision = ratio(s->episodes_true, s->episodes);
    s->pat_f1 = harmonic(s->ep_precision, s->pat_recall);
}

static const txs_eval *sort_ev; /* qsort has no context argument */

static int cmp_typ(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return strcmp(sort_ev->typs.s[x], sort_ev->typs.s[y]);
}

/* Is label l positive (not a near miss) and, when typ != TXS_EVAL_NONE, of typ? */
static int label_pos(const txs_eval *ev, const txs_eval_label *l, uint32_t typ)
{
    if (typ != TXS_EVAL_NONE) return l->typ == typ;
    return !is_near_miss(ev, l->typ);
}

/* Fill one row: typ, or TXS_EVAL_NONE for overall.  flag_all marks the run's
 * flagged txns; flag and pat_own, pat_any are scratch. */
static void row_stats(const txs_eval *ev, const txs_eval_run *r, uint32_t typ, const uint8_t *flag_all,
                      uint8_t *flag, uint8_t *pat_own, uint8_t *pat_any, txs_eval_stats *s)
{
    size_t nt = ev->txns.n;
    memset(s, 0, sizeof *s);
    memset(flag, 0, nt);
    memset(pat_own, 0, ev->pats.n);
    memset(pat_any, 0, ev->pats.n);
    for (size_t i = 0; i < r->neps; i++) {
        const txs_eval_episode *e = &r->eps[i];
        if (typ != TXS_EVAL_NONE && e->typ != typ) continue;
        s->episodes++;
        int hit = 0;
        for (uint32_t j = 0; j < e->n; j++) {
            flag[e->txns[j]] = 1;
            uint32_t l = ev->txn_label[e->txns[j]];
            if (l != TXS_EVAL_NONE && label_pos(ev, &ev->labels[l], typ)) hit = 1;
        }
        s->episodes_true += (uint64_t)hit;
    }
    if (typ == TXS_EVAL_NONE) memcpy(flag, flag_all, nt);
    for (size_t t = 0; t < nt; t++) s->flagged += flag[t];
    uint64_t pats = 0;
    for (size_t i = 0; i < ev->nlabels; i++) {
        const txs_eval_label *l = &ev->labels[i];
        if (!label_pos(ev, l, typ)) continue;
        s->labelled++;
        if (flag[l->txn]) {
            s->tp++;
            pat_own[l->pat] = 1;
        }
        if (flag_all[l->txn]) {
            s->tp_any++;
            pat_any[l->pat] = 1;
        }
    }
    for (size_t p = 0; p < ev->pats.n; p++) {
        uint32_t pt = ev->pat_typ[p];
        if (typ != TXS_EVAL_NONE ? pt != typ : is_near_miss(ev, pt)) continue;
        pats++;
        s->pat_own += pat_own[p];
        s->pat_any += pat_any[p];
    }
    s->patterns = pats;
    s->fp = s->flagged - s->tp;
    s->fn = s->labelled - s->tp;
    finish_stats(s);
}

int txs_eval_compute(txs_eval *ev, txs_eval_result *res)
{
    memset(res, 0, sizeof *res);
    for (int k = 0; k < ev->nruns; k++) finish_run(&ev->runs[k]);
    size_t nt = ev->txns.n, ny = ev->typs.n, np = ev->pats.n;
    free(ev->txn_label);
    ev->txn_label = malloc((nt ? nt : 1) * sizeof *ev->txn_label);
    uint8_t *flag_all[TXS_EVAL_MAX_RUNS] = {0};
    uint8_t *flag = calloc(nt ? nt : 1, 1);
    uint8_t *po = calloc(np ? np : 1, 1), *pa = calloc(np ? np : 1, 1);
    res->typ = malloc((ny ? ny : 1) * sizeof *res->typ);
    res->nm = malloc((ny ? ny : 1) * sizeof *res->nm);
    int oom = !ev->txn_label || !flag || !po || !pa || !res->typ || !res->nm;
    for (int k = 0; k < ev->nruns && !oom; k++) {
        flag_all[k] = calloc(nt ? nt : 1, 1);
        res->rows[k] = calloc(ny ? ny : 1, sizeof *res->rows[k]);
        res->near[k] = calloc(ny ? ny : 1, sizeof *res->near[k]);
        oom = !flag_all[k] || !res->rows[k] || !res->near[k];
    }
    if (oom) {
        for (int k = 0; k < TXS_EVAL_MAX_RUNS; k++) free(flag_all[k]);
        free(flag);
        free(po);
        free(pa);
        txs_eval_result_free(res);
        return TXS_E_NOMEM;
    }
    for (size_t t = 0; t < nt; t++) ev->txn_label[t] = TXS_EVAL_NONE;
    for (size_t i = 0; i < ev->nlabels; i++) ev->txn_label[ev->labels[i].txn] = (uint32_t)i;

    /* Typologies: positive ones and near misses, each sorted by name. */
    for (uint32_t y = 0; y < ny; y++) {
        if (is_near_miss(ev, y)) res->nm[res->nnm++] = y;
        else res->typ[res->ntyp++] = y;
    }
    sort_ev = ev;
    qsort(res->typ, res->ntyp, sizeof *res->typ, cmp_typ);
    qsort(res->nm, res->nnm, sizeof *res->nm, cmp_typ);

    /* Labels. */
    uint8_t *seen = po; /* scratch: patterns counted */
    memset(seen, 0, np);
    for (size_t i = 0; i < ev->nlabels; i++) {
        const txs_eval_label *l = &ev->labels[i];
        int nm = is_near_miss(ev, l->typ);
        if (nm) res->nm_txns++;
        else res->pos_txns++;
        if (!seen[l->pat]) {
            seen[l->pat] = 1;
            if (nm) res->nm_patterns++;
            else res->pos_patterns++;
        }
        if (ev->input_checked && !ev->label_found[i]) res->missing++;
    }

    for (int k = 0; k < ev->nruns; k++) {
        const txs_eval_run *r = &ev->runs[k];
        uint8_t *fa = flag_all[k];
        for (size_t i = 0; i < r->nalert_txns; i++) fa[r->alert_txns[i]] = 1;
        for (size_t i = 0; i < r->neps; i++)
            for (uint32_t j = 0; j < r->eps[i].n; j++) fa[r->eps[i].txns[j]] = 1;
        for (size_t t = 0; t < nt; t++) res->flagged[k] += fa[t];
        res->episodes[k] = r->neps;
        res->per10k[k] = r->screened_known && r->screened
                             ? (double)r->alerts * 10000.0 / (double)r->screened
                             : NAN;
        for (size_t i = 0; i < res->ntyp; i++)
            row_stats(ev, r, res->typ[i], fa, flag, po, pa, &res->rows[k][i]);
        row_stats(ev, r, TXS_EVAL_NONE, fa, flag, po, pa, &res->overall[k]);
        for (size_t i = 0; i < res->nnm; i++) {
            txs_eval_nearmiss *m = &res->near[k][i];
            memset(pa, 0, np);
            memset(po, 0, np);
            for (size_t j = 0; j < ev->nlabels; j++) {
                const txs_eval_label *l = &ev->labels[j];
                if (l->typ != res->nm[i]) continue;
                m->txns++;
                if (!po[l->pat]) {
                    po[l->pat] = 1;
                    m->patterns++;
                }
                if (fa[l->txn]) {
                    m->txns_alerted++;
                    if (!pa[l->pat]) {
                        pa[l->pat] = 1;
                        m->patterns_alerted++;
                    }
                }
            }
            m->rate_pct = m->patterns ? 100.0 * (double)m->patterns_alerted / (double)m->patterns
                                      : NAN;
        }
    }
    if (ev->nruns == 2) {
        for (size_t t = 0; t < nt; t++) {
            int a = flag_all[0][t], b = flag_all[1][t];
            res->both += (uint64_t)(a && b);
            res->a_only += (uint64_t)(a && !b);
            res->b_only += (uint64_t)(!a && b);
        }
        res->jaccard = ratio(res->both, res->both + res->a_only + res->b_only);
    }
    for (int k = 0; k < TXS_EVAL_MAX_RUNS; k++) free(flag_all[k]);
    free(flag);
    free(po);
    free(pa);
    return TXS_OK;
}

void txs_eval_result_free(txs_eval_result *res)
{
    free(res->typ);
    free(res->nm);
    for (int k = 0; k < TXS_EVAL_MAX_RUNS; k++) {
        free(res->rows[k]);
        free(res->near[k]);
    }
    memset(res, 0, sizeof *res);
}
