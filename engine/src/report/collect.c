/*
 * collect.c: the report's streams (report.h): bytes in any chunking are
 * cut into lines, each line parsed with the one JSON reader and folded
 * into counts; the manifests are kept whole and parsed at their end.
 *
 * Memory is bounded by the tables the page shows, not by the night: the
 * alerts leave counts and one timestamp each (8 bytes, for the chart of
 * alerts over time); the cases leave counts by rule, party and account,
 * and a min-heap of the best TXS_REPORT_CASES case lines (the worst is
 * dropped as a better one comes); once the cases end, the heap is sorted
 * into the rows shown and an open-addressing table on each case id's hash
 * lets an alert find its row in O(1) and add itself as evidence (up to
 * TXS_REPORT_EVIDENCE per row).  Reject reasons are counted by class (the
 * reason with its quoted values and numbers blanked, so "bad amount in
 * column 'amount': '12;3x'" and "...: '1,0'" count together; digits that
 * are part of a name, "UTF-8", "ISO 8601", stay).
 *
 * Invariants: every line of a stream is taken once, in order (the carry
 * buffer holds the part of a line split across feeds); a malformed line
 * stops with its file and line, since the report is made from txscreen's
 * own outputs and a line it cannot read means the wrong file was given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "txs/input.h"
#include "txs/values.h"

#include "report_int.h"

/* ------------------------------------------------------------ the map */

static int map_grow(rpt_map *m)
{
    size_t cap = m->tcap ? m->tcap * 2 : 64;
    uint32_t *t = calloc(cap, sizeof *t);
    if (t == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->v[i].key;
        size_t j = (size_t)XXH3_64bits(k, strlen(k)) & (cap - 1);
        while (t[j]) j = (j + 1) & (cap - 1);
        t[j] = (uint32_t)(i + 1);
    }
    free(m->tab);
    m->tab = t;
    m->tcap = cap;
    return TXS_OK;
}

/* The slot of key: its entry's index + 1, or 0 where it would go. */
static size_t map_slot(const rpt_map *m, const char *key, size_t n, size_t *j)
{
    *j = (size_t)XXH3_64bits(key, n) & (m->tcap - 1);
    for (; m->tab[*j]; *j = (*j + 1) & (m->tcap - 1)) {
        const rpt_count *c = &m->v[m->tab[*j] - 1];
        if (strncmp(c->key, key, n) == 0 && c->key[n] == '\0') return m->tab[*j];
    }
    return 0;
}

rpt_count *txs__rpt_map_find(const rpt_map *m, const char *key, size_t n)
{
    size_t j, i = m->tcap ? map_slot(m, key, n, &j) : 0;
    return i ? &m->v[i - 1] : NULL;
}

rpt_count *txs__rpt_map_get(rpt_map *m, const char *key, size_t n)
{
    if (m->n * 2 >= m->tcap && map_grow(m) < 0) return NULL;
    size_t j, i = map_slot(m, key, n, &j);
    if (i) return &m->v[i - 1];
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        rpt_count *v = realloc(m->v, cap * sizeof *v);
        if (v == NULL) return NULL;
        m->v = v;
        m->cap = cap;
    }
    char *k = txs_arena_alloc(m->arena, n + 1);
    if (k == NULL) return NULL;
    memcpy(k, key, n);
    k[n] = '\0';
    m->v[m->n] = (rpt_count){k, 0, 0};
    m->tab[j] = (uint32_t)(++m->n);
    return &m->v[m->n - 1];
}

void txs__rpt_map_free(rpt_map *m)
{
    free(m->v);
    free(m->tab);
}

static int by_count(const void *x, const void *y)
{
    const rpt_count *a = x, *b = y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

rpt_count *txs__rpt_map_sorted(const rpt_map *m)
{
    rpt_count *v = malloc((m->n ? m->n : 1) * sizeof *v);
    if (v == NULL) return NULL;
    if (m->n) memcpy(v, m->v, m->n * sizeof *v);
    qsort(v, m->n, sizeof *v, by_count);
    return v;
}

/* ------------------------------------------------------ create, free */

int txs_report_create(const txs_report_opts *o, txs_report **out)
{
    txs_report *r = calloc(1, sizeof *r);
    if (r == NULL) return TXS_E_NOMEM;
    if (o) r->o = *o;
    if (r->o.max_list_age_days == 0) r->o.max_list_age_days = TXS_REPORT_LIST_AGE_DAYS;
    if (r->o.max_cases == 0) r->o.max_cases = TXS_REPORT_CASES;
    txs_arena_init(&r->arena, 0);
    txs_json_init(&r->doc);
    txs_json_init(&r->mdoc[0]);
    txs_json_init(&r->mdoc[1]);
    rpt_map *maps[] = {&r->rules, &r->case_rules, &r->parties, &r->accounts, &r->reason_ix};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) maps[i]->arena = &r->arena;
    r->heap = calloc(r->o.max_cases, sizeof *r->heap);
    r->skel = malloc(sizeof *r->skel);
    if (r->heap == NULL || r->skel == NULL) {
        free(r->heap);
        free(r->skel);
        free(r);
        return TXS_E_NOMEM;
    }
    *out = r;
    return TXS_OK;
}

static void case_free(rpt_case *c)
{
    if (c == NULL) return;
    for (size_t i = 0; i < c->nev; i++) {
        free(c->ev[i].txn);
        free(c->ev[i].amount);
        free(c->ev[i].rules);
        free(c->ev[i].window);
        free(c->ev[i].linked);
    }
    free(c->line);
    free(c);
}

void txs_report_free(txs_report *r)
{
    if (r == NULL) return;
    for (size_t i = 0; i < r->nheap; i++) case_free(r->heap[i]);
    for (size_t i = 0; i < r->nshown; i++) case_free(r->shown[i]);
    free(r->heap);
    free(r->shown);
    free(r->stab);
    for (size_t i = 0; i < r->nreasons; i++)
        for (size_t j = 0; j < r->reasons[i].nex; j++) free(r->reasons[i].ex[j]);
    free(r->reasons);
    rpt_map *maps[] = {&r->rules, &r->case_rules, &r->parties, &r->accounts, &r->reason_ix};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) txs__rpt_map_free(maps[i]);
    for (int i = 0; i < TXS_REPORT_NSTREAMS; i++) free(r->st[i].carry);
    for (int i = 0; i < 2; i++) {
        free(r->mtext[i]);
        txs_json_free(&r->mdoc[i]);
    }
    free(r->ts);
    free(r->skel);
    txs_json_free(&r->doc);
    txs_arena_free(&r->arena);
    free(r);
}

uint64_t txs_report_alerts_seen(const txs_report *r) { return r->alerts; }

/* ----------------------------------------------------------- helpers */

static int oom(txs_diag *d) { return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory"); }

static int bad_line(txs_report *r, txs_report_stream s, txs_diag *d, const char *what)
{
    return txs_diag_set(d, TXS_E_FORMAT, r->st[s].name ? r->st[s].name : "", r->st[s].line,
                        "%s", what);
}

static const char *str_of(const txs_json *o, const char *key)
{
    const txs_json *v = txs_json_get(o, key);
    return v && v->type == TXS_JSON_STR ? v->s : NULL;
}

static int band_of(const char *s)
{
    if (s == NULL) return 0;
    if (strcmp(s, "block") == 0) return 3;
    if (strcmp(s, "review") == 0) return 2;
    if (strcmp(s, "edd") == 0) return 1;
    return 0;
}

/* "S-" or "T-" and 16 hex digits -> the hash; 0 when not a case id. */
static uint64_t id_hash(const char *id)
{
    if (id == NULL || strlen(id) != 18 || id[1] != '-') return 0;
    uint64_t h = 0;
    for (int i = 2; i < 18; i++) {
        char c = id[i];
        unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16u;
        if (v == 16) return 0;
        h = h << 4 | v;
    }
    return h ^ (uint64_t)(id[0] == 'S'); /* the kind apart */
}

static int64_t ts_of(const char *s)
{
    int64_t t = 0;
    const char *why;
    if (s == NULL || txs_ts_parse_iso8601(s, strlen(s), 0, &t, &why) < 0) return 0;
    return t;
}

static char *dupz(const char *s)
{
    return s ? strdup(s) : strdup("");
}

/* ------------------------------------------------------------- cases */

/* a is a worse row than b: lower score, fewer alerts, later in the file. */
static int worse(const rpt_case *a, const rpt_case *b)
{
    if (a->score != b->score) return a->score < b->score;
    if (a->alerts != b->alerts) return a->alerts < b->alerts;
    return a->order > b->order;
}

static void heap_down(rpt_case **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && worse(h[l], h[m])) m = l;
        if (l + 1 < n && worse(h[l + 1], h[m])) m = l + 1;
        if (m == i) return;
        rpt_case *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_up(rpt_case **h, size_t i)
{
    while (i > 0 && worse(h[i], h[(i - 1) / 2])) {
        rpt_case *t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

/* Keep the case line among the top rows when it is good enough. */
static int heap_offer(txs_report *r, const char *line, size_t n, int score, uint64_t alerts,
                      uint64_t hash)
{
    rpt_case probe = {.order = r->cases, .score = score, .alerts = alerts};
    if (r->nheap == r->o.max_cases && !worse(r->heap[0], &probe)) return TXS_OK;
    rpt_case *c = calloc(1, sizeof *c);
    char *l = malloc(n + 1);
    if (c == NULL || l == NULL) {
        free(c);
        free(l);
        return TXS_E_NOMEM;
    }
    memcpy(l, line, n);
    l[n] = '\0';
    *c = probe;
    c->line = l;
    c->hash = hash;
    if (r->nheap == r->o.max_cases) {
        case_free(r->heap[0]);
        r->heap[0] = c;
        heap_down(r->heap, r->nheap, 0);
    } else {
        r->heap[r->nheap] = c;
        heap_up(r->heap, r->nheap++);
    }
    return TXS_OK;
}

static int take_case(txs_report *r, const txs_json *o, const char *line, size_t n, txs_diag *d)
{
    const char *id = str_of(o, "case_id"), *kind = str_of(o, "kind"), *status = str_of(o, "status");
    const txs_json *subj = txs_json_get(o, "subject"), *rules = txs_json_get(o, "rules");
    uint64_t alerts = 0, score = 0;
    uint64_t h = id_hash(id);
    if (h == 0 || kind == NULL || status == NULL || subj == NULL || rules == NULL ||
        rules->type != TXS_JSON_ARR || txs_json_u64(txs_json_get(o, "alerts"), &alerts) < 0 ||
        txs_json_u64(txs_json_get(o, "highest_score"), &score) < 0)
        return bad_line(r, TXS_REPORT_CASES_IN, d,
                        "not a line of txscreen's --cases output (case_id, kind, status, "
                        "subject, alerts, highest_score, rules)");
    int typ = strcmp(kind, "typology") == 0, cont = strcmp(status, "continuing") == 0;
    r->cases_kind[typ]++;
    r->cases_cont += (uint64_t)cont;
    for (const txs_json *ru = rules->first; ru; ru = ru->next) {
        if (ru->type != TXS_JSON_STR) continue;
        rpt_count *c = txs__rpt_map_get(&r->case_rules, ru->s, ru->n);
        if (c == NULL) return oom(d);
        if (cont) c->n2++;
        else c->n++;
    }
    const char *who = str_of(subj, typ ? "account" : "party");
    if (who) {
        rpt_count *c = txs__rpt_map_get(typ ? &r->accounts : &r->parties, who, strlen(who));
        if (c == NULL) return oom(d);
        c->n++;
    }
    if (heap_offer(r, line, n, (int)score, alerts, h) < 0) return oom(d);
    r->cases++;
    return TXS_OK;
}

static int better_first(const void *x, const void *y)
{
    const rpt_case *a = *(rpt_case *const *)x, *b = *(rpt_case *const *)y;
    return worse(a, b) ? 1 : worse(b, a) ? -1 : 0;
}

/* The cases are in: the heap becomes the rows shown, best first, and the
 * table the alerts find their rows by. */
static int cases_done(txs_report *r, txs_diag *d)
{
    r->shown = r->heap;
    r->nshown = r->nheap;
    r->heap = NULL;
    r->nheap = 0;
    qsort(r->shown, r->nshown, sizeof *r->shown, better_first);
    size_t cap = 16;
    while (cap < r->nshown * 2) cap *= 2;
    r->stab = calloc(cap, sizeof *r->stab);
    if (r->stab == NULL) return oom(d);
    r->stcap = cap;
    for (size_t i = 0; i < r->nshown; i++) {
        size_t j = (size_t)r->shown[i]->hash & (cap - 1);
        while (r->stab[j]) j = (j + 1) & (cap - 1);
        r->stab[j] = (uint32_t)(i + 1);
    }
    return TXS_OK;
}

static rpt_case *shown_case(const txs_report *r, uint64_t h)
{
    if (r->stcap == 0 || h == 0) return NULL;
    for (size_t j = (size_t)h & (r->stcap - 1); r->stab[j]; j = (j + 1) & (r->stcap - 1))
        if (r->shown[r->stab[j] - 1]->hash == h) return r->shown[r->stab[j] - 1];
    return NULL;
}

/* ------------------------------------------------------------ alerts */

/* "a, b" from the old list and one more (malloc'ed; the old freed). */
static char *join(char *old, const char *more)
{
    if (old == NULL) return dupz(more);
    size_t a = strlen(old), b = strlen(more);
    for (const char *p = old; (p = strstr(p, more)) != NULL; p += b)
        if ((p == old || p[-1] == ' ') && (p[b] == '\0' || p[b] == ',')) return old;
    char *s = realloc(old, a + b + 3);
    if (s == NULL) return old;
    memcpy(s + a, ", ", 2);
    memcpy(s + a + 2, more, b + 1);
    return s;
}

/* The episode's window and linked transactions, from a typology hit. */
static void hit_window(rpt_ev *e, const txs_json *hit)
{
    const txs_json *ev = txs_json_get(hit, "evidence");
    if (ev == NULL || ev->type != TXS_JSON_OBJ || e->window) return;
    const char *w = str_of(ev, "window");
    e->from = ts_of(str_of(ev, "from"));
    e->to = ts_of(str_of(ev, "to"));
    if (w) e->window = dupz(w);
    const txs_json *ids = txs_json_get(ev, "txn_ids");
    if (ids == NULL || ids->type != TXS_JSON_ARR) return;
    txs_buf b = {0};
    txs_buf_printf(&b, "%u linked: ", ids->count);
    size_t k = 0;
    for (const txs_json *t = ids->first; t && k < 12; t = t->next, k++)
        if (t->type == TXS_JSON_STR) txs_buf_printf(&b, "%s%s", k ? ", " : "", t->s);
    if (ids->count > 12) txs_buf_puts(&b, ", ...");
    txs_buf_putc(&b, '\0');
    e->linked = b.oom ? NULL : b.p;
    if (b.oom) txs_buf_free(&b);
}

/* Alert a (the seq-th) is evidence of shown case c through hit. */
static int add_evidence(rpt_case *c, uint64_t seq, const txs_json *a, const txs_json *hit)
{
    const char *rule = str_of(hit, "rule");
    rpt_ev *e = c->nev ? &c->ev[c->nev - 1] : NULL;
    if (e && e->seq == seq) {
        e->rules = join(e->rules, rule ? rule : "");
        hit_window(e, hit);
        return TXS_OK;
    }
    if (c->nev == TXS_REPORT_EVIDENCE) return TXS_OK;
    e = &c->ev[c->nev++];
    memset(e, 0, sizeof *e);
    e->seq = seq;
    e->txn = dupz(str_of(a, "txn_id"));
    const char *amt = str_of(a, "amount"), *cur = str_of(a, "currency");
    size_t an = (amt ? strlen(amt) : 0) + (cur ? strlen(cur) : 0) + 2;
    e->amount = malloc(an);
    if (e->amount) snprintf(e->amount, an, "%s %s", amt ? amt : "", cur ? cur : "");
    e->rules = dupz(rule);
    e->ts = ts_of(str_of(a, "timestamp"));
    uint64_t s = 0;
    txs_json_u64(txs_json_get(a, "score"), &s);
    e->score = (int)s;
    e->band = band_of(str_of(a, "band"));
    hit_window(e, hit);
    return e->txn && e->amount && e->rules ? TXS_OK : TXS_E_NOMEM;
}

static int push_ts(txs_report *r, int64_t t, txs_diag *d);

static int take_alert(txs_report *r, const txs_json *o, txs_diag *d)
{
    uint64_t score = 0;
    const char *ts = str_of(o, "timestamp");
    const txs_json *hits = txs_json_get(o, "hits");
    if (ts == NULL || hits == NULL || hits->type != TXS_JSON_ARR ||
        txs_json_u64(txs_json_get(o, "score"), &score) < 0 || score > 100)
        return bad_line(r, TXS_REPORT_ALERTS, d,
                        "not a line of txscreen's alerts (txn_id, timestamp, score, band, hits)");
    r->alerts++;
    r->bands[band_of(str_of(o, "band"))]++;
    r->scores[score / 5]++;
    TXS_TRY(push_ts(r, ts_of(ts), d));
    /* each rule counts an alert once, however many of its hits name it */
    const char *seen[64];
    size_t nseen = 0;
    for (const txs_json *h = hits->first; h; h = h->next) {
        const char *rule = str_of(h, "rule");
        if (rule == NULL) continue;
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], rule) != 0) k++;
        if (k == nseen) {
            if (nseen < 64) seen[nseen++] = rule;
            rpt_count *c = txs__rpt_map_get(&r->rules, rule, strlen(rule));
            if (c == NULL) return oom(d);
            c->n++;
        }
        rpt_case *c = shown_case(r, id_hash(str_of(h, "case")));
        if (c && add_evidence(c, r->alerts, o, h) < 0) return oom(d);
    }
    return TXS_OK;
}

/* The case id's hash from a slice (id_hash's rules). */
static uint64_t id_hash_n(txs_slice s)
{
    char id[19];
    if (s.n != 18) return 0;
    memcpy(id, s.p, 18);
    id[18] = '\0';
    return id_hash(id);
}

static int push_ts(txs_report *r, int64_t t, txs_diag *d)
{
    if (r->nts == r->cts) {
        size_t cap = r->cts ? r->cts * 2 : 1024;
        int64_t *v = realloc(r->ts, cap * sizeof *v);
        if (v == NULL) return oom(d);
        r->ts = v;
        r->cts = cap;
    }
    r->ts[r->nts++] = t;
    return TXS_OK;
}

/* Most alerts: counted from the skeleton (scan.c).  An alert of a shown
 * case takes the full parse (its evidence needs the values).  1: counted;
 * 0: it needs the full parse; < 0: error. */
static int take_alert_fast(txs_report *r, const char *p, size_t n, txs_diag *d)
{
    struct alert_skel *k = r->skel;
    if (txs__rpt_skel_scan(p, n, k) < 0 || k->score.n > 3) return 0;
    for (size_t i = 0; i < k->nh; i++)
        if (k->rule[i].n == 0 || shown_case(r, id_hash_n(k->kase[i]))) return 0;
    unsigned score = 0;
    for (size_t i = 0; i < k->score.n; i++) score = score * 10 + (unsigned)(k->score.p[i] - '0');
    int64_t t = 0;
    const char *why;
    if (score > 100 || txs_ts_parse_iso8601(k->ts.p, k->ts.n, 0, &t, &why) < 0) return 0;
    TXS_TRY(push_ts(r, t, d));
    r->alerts++;
    r->bands[txs__rpt_slice_is(k->band, "block") ? 3 : txs__rpt_slice_is(k->band, "review") ? 2
             : txs__rpt_slice_is(k->band, "edd") ? 1 : 0]++;
    r->scores[score / 5]++;
    for (size_t i = 0; i < k->nh; i++) {
        size_t j = 0;
        while (j < i && !(k->rule[j].n == k->rule[i].n &&
                          memcmp(k->rule[j].p, k->rule[i].p, k->rule[i].n) == 0))
            j++;
        if (j < i) continue; /* this alert counted for the rule already */
        rpt_count *c = txs__rpt_map_get(&r->rules, k->rule[i].p, k->rule[i].n);
        if (c == NULL) return oom(d);
        c->n++;
    }
    return 1;
}

/* ----------------------------------------------------------- rejects */

/* The reason's class: quoted values and digit runs blanked, except the
 * quoted name after "column " (which column matters). */
static size_t reason_class(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = s; *p && o + 4 < cap;) {
        if (*p == '\'') {
            const char *e = strchr(p + 1, '\'');
            int keep = p - s >= 7 && memcmp(p - 7, "column ", 7) == 0;
            if (e && !keep) {
                memcpy(out + o, "'…'", 5);
                o += 5;
                p = e + 1;
                continue;
            }
            if (e && keep && (size_t)(e - p + 1) + o + 4 < cap) {
                memcpy(out + o, p, (size_t)(e - p + 1));
                o += (size_t)(e - p + 1);
                p = e + 1;
                continue;
            }
        }
        /* a count or position, not part of a name ("UTF-8", "ISO 8601") */
        int named = p > s && ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z');
        named |= p > s && p[-1] == '-';
        named |= p - s >= 4 && memcmp(p - 4, "ISO ", 4) == 0;
        if (*p >= '0' && *p <= '9') {
            if (named)
                while (*p >= '0' && *p <= '9' && o + 4 < cap) out[o++] = *p++;
            else
                while (*p >= '0' && *p <= '9') p++;
            if (!named) out[o++] = 'N';
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    return o;
}

static int take_reject(txs_report *r, const txs_json *o, txs_diag *d)
{
    const char *why = str_of(o, "reason"), *file = str_of(o, "file"), *ex = str_of(o, "excerpt");
    uint64_t line = 0;
    if (why == NULL || txs_json_u64(txs_json_get(o, "line"), &line) < 0)
        return bad_line(r, TXS_REPORT_REJECTS, d,
                        "not a line of txscreen's rejects (file, line, reason, excerpt)");
    r->rejects++;
    char cls[512];
    size_t n = reason_class(why, cls, sizeof cls);
    rpt_count *c = txs__rpt_map_find(&r->reason_ix, cls, n);
    if (c == NULL && r->reason_ix.n >= TXS_REPORT_REASONS)
        c = txs__rpt_map_get(&r->reason_ix, "(other reasons)", 15);
    else if (c == NULL)
        c = txs__rpt_map_get(&r->reason_ix, cls, n);
    if (c == NULL) return oom(d);
    if (c->n == 0) { /* a new class: its examples' slot */
        rpt_reason *v = realloc(r->reasons, (r->nreasons + 1) * sizeof *v);
        if (v == NULL) return oom(d);
        r->reasons = v;
        memset(&v[r->nreasons], 0, sizeof *v);
        c->n2 = r->nreasons++;
    }
    c->n++;
    rpt_reason *rr = &r->reasons[c->n2];
    rr->n++;
    if (rr->nex < RPT_EXAMPLES) {
        txs_buf b = {0};
        txs_buf_printf(&b, "%s:%llu\t%s\t%s", file ? file : "", (unsigned long long)line, why,
                       ex ? ex : "");
        txs_buf_putc(&b, '\0');
        if (b.oom) return oom(d);
        rr->ex[rr->nex++] = b.p;
    }
    return TXS_OK;
}

/* ------------------------------------------------------------ streams */

static int take_line(txs_report *r, txs_report_stream s, const char *p, size_t n, txs_diag *d)
{
    r->st[s].line++;
    if (n && p[n - 1] == '\r') n--;
    if (n == 0) return TXS_OK;
    if (s == TXS_REPORT_ALERTS) {
        int fast = take_alert_fast(r, p, n, d);
        if (fast != 0) return fast < 0 ? fast : TXS_OK;
    }
    int rc = txs_json_parse(&r->doc, p, n);
    if (rc == TXS_E_NOMEM) return oom(d);
    if (rc < 0 || r->doc.root->type != TXS_JSON_OBJ)
        return bad_line(r, s, d, rc < 0 ? r->doc.err : "not a JSON object");
    const txs_json *o = r->doc.root;
    if (s == TXS_REPORT_CASES_IN) return take_case(r, o, p, n, d);
    if (s == TXS_REPORT_ALERTS) return take_alert(r, o, d);
    return take_reject(r, o, d);
}

/* A manifest: kept whole, parsed at its end. */
static int keep_text(txs_report *r, int k, const char *p, size_t n, txs_diag *d)
{
    if (r->mn[k] + n + 1 > r->mcap[k]) {
        size_t cap = r->mcap[k] ? r->mcap[k] : 4096;
        while (cap < r->mn[k] + n + 1) cap *= 2;
        char *t = realloc(r->mtext[k], cap);
        if (t == NULL) return oom(d);
        r->mtext[k] = t;
        r->mcap[k] = cap;
    }
    memcpy(r->mtext[k] + r->mn[k], p, n);
    r->mn[k] += n;
    return TXS_OK;
}

int txs_report_feed(txs_report *r, txs_report_stream s, const char *name, const char *p,
                    size_t n, txs_diag *d)
{
    if ((unsigned)s >= TXS_REPORT_NSTREAMS) return txs_diag_set(d, TXS_E_ARG, "", 0, "bad stream");
    rpt_stream *st = &r->st[s];
    st->name = name;
    if (st->ended) return txs_diag_set(d, TXS_E_ARG, name, 0, "fed after its end");
    if (s == TXS_REPORT_MANIFEST || s == TXS_REPORT_PREVIOUS)
        return keep_text(r, s == TXS_REPORT_PREVIOUS, p, n, d);
    if (s == TXS_REPORT_ALERTS && r->has_cases && !r->st[TXS_REPORT_CASES_IN].ended)
        return txs_diag_set(d, TXS_E_ARG, name, 0, "the cases must be read before the alerts");
    const rpt_stream *al = &r->st[TXS_REPORT_ALERTS];
    if (s == TXS_REPORT_CASES_IN && (al->line || al->ncarry))
        return txs_diag_set(d, TXS_E_ARG, name, 0, "the cases must be read before the alerts");
    if (s == TXS_REPORT_CASES_IN) r->has_cases = 1;
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            size_t k = (size_t)(end - p);
            if (st->ncarry + k > st->ccarry) {
                size_t cap = st->ccarry ? st->ccarry : 4096;
                while (cap < st->ncarry + k) cap *= 2;
                char *c = realloc(st->carry, cap);
                if (c == NULL) return oom(d);
                st->carry = c;
                st->ccarry = cap;
            }
            memcpy(st->carry + st->ncarry, p, k);
            st->ncarry += k;
            return TXS_OK;
        }
        int rc;
        if (st->ncarry) {
            TXS_TRY(txs_report_feed(r, s, name, p, (size_t)(nl - p), d));
            rc = take_line(r, s, st->carry, st->ncarry, d);
            st->ncarry = 0;
        } else {
            rc = take_line(r, s, p, (size_t)(nl - p), d);
        }
        if (rc < 0) return rc;
        p = nl + 1;
    }
    return TXS_OK;
}

int txs_report_end(txs_report *r, txs_report_stream s, txs_diag *d)
{
    if ((unsigned)s >= TXS_REPORT_NSTREAMS) return txs_diag_set(d, TXS_E_ARG, "", 0, "bad stream");
    rpt_stream *st = &r->st[s];
    if (st->ended) return TXS_OK;
    st->ended = 1;
    if (s == TXS_REPORT_MANIFEST || s == TXS_REPORT_PREVIOUS) {
        int k = s == TXS_REPORT_PREVIOUS;
        int rc = txs_json_parse(&r->mdoc[k], r->mtext[k] ? r->mtext[k] : "", r->mn[k]);
        if (rc == TXS_E_NOMEM) return oom(d);
        if (rc < 0 || r->mdoc[k].root->type != TXS_JSON_OBJ ||
            txs_json_get(r->mdoc[k].root, "counts") == NULL)
            return txs_diag_set(d, TXS_E_FORMAT, st->name ? st->name : "",
                                rc < 0 ? r->mdoc[k].err_line : 1, "not a txscreen manifest%s%s",
                                rc < 0 ? ": " : " (no \"counts\")", rc < 0 ? r->mdoc[k].err : "");
        r->have[k] = 1;
        return TXS_OK;
    }
    if (st->ncarry) {
        int rc = take_line(r, s, st->carry, st->ncarry, d);
        st->ncarry = 0;
        if (rc < 0) return rc;
    }
    if (s == TXS_REPORT_CASES_IN) {
        r->has_cases = 1;
        return cases_done(r, d);
    }
    return TXS_OK;
}

/* ------------------------------------------------------------- files */

int txs_report_feed_file(txs_report *r, txs_report_stream s, const char *path, txs_diag *d)
{
    txs_source *src = NULL;
    int rc = txs_source_open_path(path, &src, d);
    if (rc < 0) return rc;
    char *buf = malloc(1 << 20);
    if (buf == NULL) rc = oom(d);
    for (ssize_t n = 1; rc == 0 && n > 0;) {
        n = txs_source_read(src, buf, 1 << 20);
        if (n < 0)
            rc = txs_diag_set(d, TXS_E_IO, path, 0, "%s", txs_source_error(src));
        else if (n > 0)
            rc = txs_report_feed(r, s, path, buf, (size_t)n, d);
    }
    free(buf);
    txs_source_free(src);
    return rc < 0 ? rc : txs_report_end(r, s, d);
}
