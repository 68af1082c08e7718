/*
 * textpat.c: the rule set's one pattern set behind its text_pattern rules
 * (textpat_int.h draws it).  Build time: each rule's pattern file is read
 * (its bytes chained into the rule-set hash after the rule set's other
 * files, in rule order) and parsed, every enabled rule's patterns get ids
 * in rule order, and one txs_patset (hs/patset.c: Hyperscan, PCRE2 for
 * what Hyperscan cannot compile exactly) is built over all of them.  A bad
 * pattern stops the load with the file and line that wrote it.
 *
 * Pattern files: UTF-8 text, one pattern a line, then optionally a TAB and
 * a weight (0..1), then optionally a TAB and a label.  Blank lines and
 * lines that start with '#' are skipped; a CR before the LF is dropped.
 *
 * Cache (`--pattern-cache DIR`): compiling 10,000 patterns takes seconds,
 * so the compiled set is kept in DIR/textpat-<key>.db, key = xxh3-64 of
 * the rule-set hash (every file's bytes), this host's CPU features as
 * Hyperscan reports them, Hyperscan's version and the compile mode.  The
 * database in it is compiled for this host (native: the cache never
 * travels; snapshots, which do, stay generic).  An entry is written
 * through a temporary renamed into place (emit/out.c), and one that does
 * not check out whole (patset.c's trailer and fingerprint, Hyperscan's own
 * checks) is compiled afresh and rewritten, never trusted.
 *
 * Run time (textpat_int.h draws the two steps): detection scans each text
 * the rules name once and keeps, per rule, the largest weight of a pattern
 * PCRE2 confirms, confirming a candidate only when its weight is above
 * what its rule already has: with one weight per rule, one PCRE2 match per
 * rule per transaction, whatever the number of candidates.  Evidence scans
 * again and keeps every match per (pattern, text) with its spans.  Both
 * use a tp_scan taken from a small pool (one per thread in steady state;
 * the pool's lock is taken twice per transaction).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "rules/textpat_int.h"
#include "txs/emit.h"
#include "txs/hs_engine.h"
#include "txs/payments.h"

#define POOL_MAX 64

struct txs_textpat {
    txs_patset *ps;
    const txs_rule **owner;   /* [pattern id] */
    size_t nrules;            /* enabled text_pattern rules (tp_rule.slot) */
    const tp_rule **rule;     /* [slot] */
    unsigned fields;          /* union of the rules' fields */
    size_t prefilter;
    int cache;                /* txs_ruleset_patterns.cache */
    pthread_mutex_t lock;
    tp_scan *pool[POOL_MAX];
    size_t npool;
};

/* ------------------------------------------------------------ pattern files */

static int file_line(tp_rule *p, const char *file, unsigned long ln, const char *s, size_t n,
                     const char *id, txs_diag *d)
{
    if (n && s[n - 1] == '\r') n--;
    if (n == 0 || s[0] == '#') return 0;
    const char *tab = memchr(s, '\t', n);
    size_t elen = tab ? (size_t)(tab - s) : n;
    int64_t w = TXS_RULES_PPM;
    const char *label = NULL;
    size_t llen = 0;
    if (elen == 0)
        return txs_diag_set(d, TXS_E_CONFIG, file, ln, "an empty pattern before the TAB");
    if (tab) {
        const char *ws = tab + 1, *end = s + n;
        const char *t2 = memchr(ws, '\t', (size_t)(end - ws));
        char num[32];
        size_t wn = (size_t)((t2 ? t2 : end) - ws);
        if (wn == 0 || wn >= sizeof num)
            return txs_diag_set(d, TXS_E_CONFIG, file, ln,
                                "after the TAB a weight from 0 to 1 is expected");
        memcpy(num, ws, wn);
        num[wn] = '\0';
        if (txs__rules_parse_ppm(num, &w) < 0)
            return txs_diag_set(d, TXS_E_CONFIG, file, ln,
                                "weight '%s' is not a number from 0 to 1 (at most 6 decimals)",
                                num);
        if (t2) label = t2 + 1, llen = (size_t)(end - label);
    }
    return txs__textpat_add(p, s, elen, w, label, llen, file, ln, id);
}

/* Parse a pattern file's bytes into p.  Exposed for the fuzz target
 * through txs_ruleset_load (a rule set naming the file). */
static int parse_file(tp_rule *p, const char *file, const char *buf, size_t len,
                      const char *id, txs_diag *d)
{
    unsigned long ln = 0;
    size_t before = p->n;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
        ln++;
        if (memchr(buf + at, '\0', n))
            return txs_diag_set(d, TXS_E_CONFIG, file, ln, "a NUL byte in the pattern file");
        TXS_TRY(file_line(p, file, ln, buf + at, n, id, d));
        at += n + 1;
    }
    if (p->n == before)
        return txs_diag_set(d, TXS_E_CONFIG, file, ln ? ln : 1, "the pattern file has no pattern");
    return 0;
}

static int read_pattern_file(txs_ruleset *rs, txs_rule *r, txs_diag *d)
{
    tp_rule *p = r->impl;
    char *buf = NULL;
    size_t len = 0;
    TXS_TRY(txs__rules_read_file(rs, p->file, p->at, p->at_line, &buf, &len, d));
    int rc = parse_file(p, p->file, buf, len, r->info.id, d);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ cache */

static void cache_path(const txs_ruleset *rs, const char *dir, int prefilter, char *out,
                       size_t cap)
{
    char host[128], buf[512];
    txs_hsdb_host(host, sizeof host);
    int n = snprintf(buf, sizeof buf, "%016llx|%s|%s|%d", (unsigned long long)rs->hash, host,
                     txs_hsdb_version(0), prefilter);
    uint64_t key = XXH3_64bits(buf, n > 0 ? (size_t)n : 0);
    snprintf(out, cap, "%s/textpat-%016llx.db", dir, (unsigned long long)key);
}

/* The entry's bytes, or NULL (absent or unreadable: compile). */
static void *cache_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    void *b = NULL;
    long sz = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (sz > 0 && fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)sz)) != NULL &&
        fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = b ? (size_t)sz : 0;
    return b;
}

static int cache_write(const txs_patset *ps, const char *dir, const char *path, txs_diag *d)
{
    void *b = NULL;
    size_t n = 0;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST)
        return txs_diag_set(d, TXS_E_IO, dir, 0, "cannot create the pattern cache: %s",
                            strerror(errno));
    TXS_TRY(txs_patset_save(ps, &b, &n));
    txs_out *o = NULL;
    int rc = txs_out_open(path, &o, d);
    if (rc == 0) rc = txs_out_write(o, b, n, d);
    if (rc == 0) rc = txs_out_commit(o, d);
    else txs_out_abort(o);
    free(b);
    return rc;
}

/* ------------------------------------------------------------ build */

static int bad_pattern(const txs_textpat *tp, const txs_patset_err *e, txs_diag *d)
{
    if (e->index < 0)
        return txs_diag_set(d, TXS_E_CONFIG, "", 0, "%s: %s", e->engine, e->msg);
    const txs_rule *r = tp->owner[e->index];
    const tp_rule *p = r->impl;
    const tp_pat *q = &p->p[(size_t)e->index - p->first];
    if (e->offset >= 0)
        return txs_diag_set(d, TXS_E_CONFIG, q->file, q->line,
                            "rule '%s': pattern '%.*s': %s error at offset %ld: %s", r->info.id,
                            (int)(q->len > 200 ? 200 : q->len), q->expr, e->engine, e->offset,
                            e->msg);
    return txs_diag_set(d, TXS_E_CONFIG, q->file, q->line, "rule '%s': pattern '%.*s': %s: %s",
                        r->info.id, (int)(q->len > 200 ? 200 : q->len), q->expr, e->engine,
                        e->msg);
}

static int build_set(txs_ruleset *rs, txs_textpat *tp, const txs_pat *pats, size_t n,
                     const txs_ruleset_opts *o, txs_diag *d)
{
    unsigned mode = o && o->pattern_prefilter ? TXS_PATSET_PREFILTER : TXS_PATSET_AUTO;
    const char *dir = o ? o->pattern_cache : NULL;
    char path[1200];
    txs_patset_err e;
    int rc = TXS_E_FORMAT;
    if (dir) {
        cache_path(rs, dir, (int)mode, path, sizeof path);
        size_t nb = 0;
        void *b = cache_read(path, &nb);
        if (b) rc = txs_patset_build(pats, n, mode, TXS_HS_NATIVE, b, nb, &tp->ps, &e);
        free(b);
        if (rc == 0) tp->cache = 1;
        if (rc < 0 && rc != TXS_E_FORMAT) return rc == TXS_E_CONFIG ? bad_pattern(tp, &e, d) : rc;
    }
    if (rc == TXS_E_FORMAT) {
        rc = txs_patset_build(pats, n, mode, TXS_HS_NATIVE, NULL, 0, &tp->ps, &e);
        if (rc == TXS_E_CONFIG) return bad_pattern(tp, &e, d);
        TXS_TRY(rc);
        if (dir) {
            TXS_TRY(cache_write(tp->ps, dir, path, d));
            tp->cache = 2;
        }
    }
    for (size_t i = 0; i < n; i++) tp->prefilter += (size_t)txs_patset_is_prefilter(tp->ps, i);
    return 0;
}

int txs__textpat_build(txs_ruleset *rs, const txs_ruleset_opts *o, txs_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        txs_rule *r = &rs->rules[i];
        if (r->ops != &txs__kind_text_pattern) continue;
        tp_rule *p = r->impl;
        if (p->file) TXS_TRY(read_pattern_file(rs, r, d));
        if (!r->enabled) continue;
        p->first = n;
        n += p->n;
    }
    size_t nr = 0;
    if (n == 0) return 0;
    txs_textpat *tp = calloc(1, sizeof *tp);
    if (tp == NULL) return TXS_E_NOMEM;
    rs->textpat = tp;
    pthread_mutex_init(&tp->lock, NULL);
    tp->owner = malloc(n * sizeof *tp->owner);
    tp->rule = malloc(rs->nrules * sizeof *tp->rule);
    txs_pat *pats = malloc(n * sizeof *pats);
    int rc = tp->owner && tp->rule && pats ? 0 : TXS_E_NOMEM;
    for (size_t i = 0, k = 0; rc == 0 && i < rs->nrules; i++) {
        const txs_rule *r = &rs->rules[i];
        if (r->ops != &txs__kind_text_pattern || !r->enabled) continue;
        const tp_rule *p = r->impl;
        tp->fields |= p->fields;
        ((tp_rule *)p)->slot = nr;
        ((tp_rule *)p)->set = tp;
        tp->rule[nr++] = p;
        for (size_t j = 0; j < p->n; j++, k++) {
            tp->owner[k] = r;
            pats[k] = (txs_pat){p->p[j].expr, p->p[j].len, p->flags};
        }
    }
    tp->nrules = nr;
    if (rc == 0) rc = build_set(rs, tp, pats, n, o, d);
    free(pats);
    return rc;
}

void txs__textpat_free(txs_textpat *tp)
{
    if (tp == NULL) return;
    for (size_t i = 0; i < tp->npool; i++) {
        txs_patset_scratch_free(tp->pool[i]->s);
        free(tp->pool[i]->best);
        free(tp->pool[i]);
    }
    txs_patset_free(tp->ps);
    free(tp->owner);
    free(tp->rule);
    pthread_mutex_destroy(&tp->lock);
    free(tp);
}

void txs__textpat_info(const txs_textpat *tp, txs_ruleset_patterns *out)
{
    memset(out, 0, sizeof *out);
    if (tp == NULL) return;
    out->patterns = txs_patset_count(tp->ps);
    out->prefilter = tp->prefilter;
    out->cache = tp->cache;
}

/* ------------------------------------------------------------ run time */

static int on_match(void *ctx, const txs_patmatch *pm)
{
    void **c = ctx;
    const txs_textpat *tp = c[0];
    tp_scan *sc = c[1];
    const tp_rule *p = tp->owner[pm->id]->impl;
    if (!(p->fields & sc->field)) return 0;
    if (sc->nm == TP_MAX_MATCHES) {
        sc->more++;
        return 0;
    }
    tp_match *m = &sc->m[sc->nm++];
    m->id = pm->id;
    m->field = sc->field;
    m->side = sc->side;
    m->text = sc->text;
    m->spans = (uint8_t)pm->spans;
    m->groups = (uint8_t)(pm->groups < TP_GROUPS ? pm->groups : TP_GROUPS);
    for (unsigned g = 0; pm->spans && g <= m->groups; g++) {
        m->from[g] = pm->from[g] == SIZE_MAX ? UINT32_MAX : (uint32_t)pm->from[g];
        m->to[g] = (uint32_t)pm->to[g];
    }
    return 0;
}

static int scan_one(const txs_textpat *tp, tp_scan *sc, unsigned field, int side, txs_slice s)
{
    sc->field = (uint8_t)field, sc->side = (int8_t)side, sc->text = s;
    void *c[2] = {(void *)tp, sc};
    return txs_patset_scan(tp->ps, sc->s, s.p, s.n, on_match, c);
}

/* 1 while some rule scanning field can still raise its best weight. */
static int open_rule(const txs_textpat *tp, const tp_scan *sc, unsigned field)
{
    for (size_t i = 0; i < tp->nrules; i++)
        if ((tp->rule[i]->fields & field) && sc->best[i] < tp->rule[i]->wmax) return 1;
    return 0;
}

typedef struct detect_ctx {
    const txs_textpat *tp;
    tp_scan *sc;
    unsigned field;
    txs_slice text;
} detect_ctx;

/* One candidate, confirmed only when it would raise its rule's best
 * weight (the answer is the same in any order); stops the scan once no
 * rule scanning this text can gain. */
static int on_candidate(void *ctx, unsigned id)
{
    const detect_ctx *c = ctx;
    const tp_rule *p = c->tp->owner[id]->impl;
    if (!(p->fields & c->field)) return 0;
    int64_t w = p->p[id - p->first].weight_ppm;
    if (w <= c->sc->best[p->slot] ||
        !txs_patset_confirm(c->tp->ps, c->sc->s, id, c->text.p, c->text.n))
        return 0;
    c->sc->best[p->slot] = w;
    return w == p->wmax && !open_rule(c->tp, c->sc, c->field);
}

/* Detection in one text: the exact tier, then the prefilter tier only
 * while a rule can still gain. */
static int detect_one(const txs_textpat *tp, tp_scan *sc, unsigned field, int side, txs_slice s)
{
    (void)side;
    detect_ctx c = {tp, sc, field, s};
    for (int tier = 0; tier < TXS_PATSET_TIERS && open_rule(tp, sc, field); tier++)
        TXS_TRY(txs_patset_candidates(tp->ps, sc->s, tier, s.p, s.n, on_candidate, &c));
    return 0;
}

typedef int (*text_fn)(const txs_textpat *tp, tp_scan *sc, unsigned field, int side,
                       txs_slice s);

/* fn over one text when it is not empty and some rule scans its field. */
#define TEXT(f, side, s) \
    if ((s).n && (tp->fields & (f))) TXS_TRY(fn(tp, sc, f, side, s))

static int each_payment_text(const txs_textpat *tp, tp_scan *sc, const txs_pay_ext *x, text_fn fn)
{
    static const int addr[] = {TXS_PF_STREET, TXS_PF_BUILDING, TXS_PF_TOWN, TXS_PF_SUBDIVISION,
                               TXS_PF_LINES};
    TEXT(TP_PURPOSE, -1, x->ref[TXS_PR_PURPOSE]);
    TEXT(TP_REMITTANCE, -1, x->ref[TXS_PR_REMITTANCE]);
    TEXT(TP_INSTRUCTIONS, -1, x->ref[TXS_PR_INSTRUCTIONS]);
    TEXT(TP_INSTRUCTIONS, -1, x->ref[TXS_PR_REGULATORY]);
    for (size_t i = 0; i < x->nparties; i++) {
        const txs_pay_party *q = x->parties[i];
        TEXT(TP_NAME, 2 + q->role, q->v[TXS_PF_NAME]);
        for (size_t k = 0; k < sizeof addr / sizeof addr[0]; k++)
            TEXT(TP_ADDRESS, 2 + q->role, q->v[addr[k]]);
    }
    return 0;
}

/* fn over each of t's texts that some rule scans, in a fixed order. */
static int each_text(const txs_textpat *tp, tp_scan *sc, const txs_txn *t, text_fn fn)
{
    if (t->ext) return each_payment_text(tp, sc, t->ext, fn);
    TEXT(TP_PURPOSE, -1, t->purpose);
    TEXT(TP_NAME, 0, t->orig.name);
    TEXT(TP_NAME, 1, t->bene.name);
    TEXT(TP_ADDRESS, 0, t->orig.address);
    TEXT(TP_ADDRESS, 1, t->bene.address);
    return 0;
}
#undef TEXT

/* A tp_scan from the pool, or a new one (the first transaction on a
 * thread: the only allocation of the run-time path). */
static int take(const txs_textpat *tp, tp_scan **out)
{
    txs_textpat *m = (txs_textpat *)tp; /* the pool is the one mutable part */
    tp_scan *sc = NULL;
    pthread_mutex_lock(&m->lock);
    if (m->npool) sc = m->pool[--m->npool];
    pthread_mutex_unlock(&m->lock);
    if (sc == NULL) {
        sc = calloc(1, sizeof *sc);
        if (sc == NULL) return TXS_E_NOMEM;
        sc->best = malloc(tp->nrules * sizeof *sc->best);
        if (sc->best == NULL || txs_patset_scratch(tp->ps, &sc->s) < 0) {
            free(sc->best);
            free(sc);
            return TXS_E_NOMEM;
        }
    }
    sc->nm = 0, sc->more = 0;
    *out = sc;
    return TXS_OK;
}

int txs__textpat_detect(const txs_textpat *tp, const txs_txn *t, tp_scan **out)
{
    TXS_TRY(take(tp, out));
    for (size_t i = 0; i < tp->nrules; i++) (*out)->best[i] = -1;
    return each_text(tp, *out, t, detect_one);
}

int txs__textpat_scan(const txs_textpat *tp, const txs_txn *t, tp_scan **out)
{
    TXS_TRY(take(tp, out));
    return each_text(tp, *out, t, scan_one);
}

void txs__textpat_release(const txs_textpat *tp, tp_scan *sc)
{
    if (sc == NULL) return;
    txs_textpat *m = (txs_textpat *)tp;
    pthread_mutex_lock(&m->lock);
    if (m->npool < POOL_MAX) {
        m->pool[m->npool++] = sc;
        sc = NULL;
    }
    pthread_mutex_unlock(&m->lock);
    if (sc) {
        txs_patset_scratch_free(sc->s);
        free(sc->best);
        free(sc);
    }
}

void txs__textpat_field_name(const tp_match *m, char *buf, size_t cap)
{
    const char *what = m->field == TP_NAME ? "name" : m->field == TP_ADDRESS ? "address" : NULL;
    if (what == NULL) {
        snprintf(buf, cap, "%s", m->field == TP_PURPOSE      ? "purpose"
                                 : m->field == TP_REMITTANCE ? "remittance"
                                                             : "instructions");
        return;
    }
    const char *side = m->side == 0 ? "orig" : m->side == 1 ? "bene" : txs_pay_role_name(m->side - 2);
    snprintf(buf, cap, "%s_%s", side, what);
}
