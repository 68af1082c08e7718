/*
 * score.c: the default scorer: token alignment between a query name and a
 * candidate name.
 *
 *   1. prepare each token (token.c) and weigh it: rarity table (generic
 *      words count little), legal forms low, family name up;
 *   2. list candidate edges: every token pair, plus two adjacent tokens on
 *      one side against one token on the other (split/merge: "Jan Daniel"
 *      ~ "JanDaniel", Han syllables "jin ping" ~ "jinping", and initials
 *      "jc" ~ "jean claude");
 *   3. take edges greedily, best first, each token used once;
 *   4. score = sum(sim * weight of aligned tokens) / (aligned weight +
 *      unmatched weight * factor), where the factor is conflict_factor when
 *      both sides keep unmatched tokens (a different name) and extra_factor
 *      when only one side does (extra middle names);
 *   5. qualifiers subtract their penalties.
 *
 * Everything lives on the stack; at most TXS__SIDE tokens a side are
 * compared (longer names are cut, and the explanation says so).  A query
 * screened against many candidates is prepared once (txs__match_side) and
 * scored with txs__match_score_side; txs_match_score is the two together.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"
#include "txs/emit.h"

#define MAX_EDGES (TXS__SIDE * TXS__SIDE * 3)

typedef struct edge {
    float sim;
    uint8_t qi, qn, ci, cn; /* first token and count (1 or 2) per side */
    uint8_t how, dist;
} edge;

typedef txs__mside side;

#define TXS_MIDDLE_FACTOR 0.25
#define TXS_MIDDLE_CAP 2.0 /* weight of the middle names charged at most */

void txs_match_params_default(txs_match_params *p)
{
    p->threshold = 0.70;
    p->min_token_sim = 0.50;
    p->family_weight = 1.3;
    p->legal_weight = 0.25;
    p->extra_factor = 0.40;
    p->conflict_factor = 2.4;
    p->middle_factor = TXS_MIDDLE_FACTOR;
    p->initial_sim = 0.75;
    p->abjad_factor = 0.95;
    p->han_factor = 0.97;
    p->number_sim = 0.0;
    p->edit_slope = 1.0;
    p->initials_only_cap = 0.60;
    p->legal_conflict_penalty = 0.10;
    p->extra_factor_org = 0.50;
    p->weak_alias_penalty = 0.10;
    p->country_penalty = 0.10;
    p->dob_penalty = 0.15;
    p->kind_penalty = 0.15;
    p->rarity = txs_match_rarity_default();
}

static float rarity_of(const txs_match_rarity *r, const char *p, size_t n)
{
    if (!r || !r->n) return 1.0f;
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *t = r->w[mid].token;
        /* strncmp's sign, in place: the first letters differ at most
         * steps, and a call cost more than the few bytes compared (t's
         * NUL, before p's end, compares low as in strncmp; p holds none) */
        int c = n ? (unsigned char)t[0] - (unsigned char)p[0] : 0;
        for (size_t k = 1; c == 0 && k < n; k++) c = (unsigned char)t[k] - (unsigned char)p[k];
        if (c == 0) c = t[n] != '\0';
        if (c == 0) return r->w[mid].weight;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 1.0f;
}

void txs__match_side(const txs_match_params *p, const txs_norm_name *nm, side *s)
{
    s->n = nm->ntok < TXS__SIDE ? nm->ntok : TXS__SIDE;
    s->cut = nm->ntok > TXS__SIDE;
    s->kind = nm->kind;
    for (uint32_t i = 0; i < s->n; i++) {
        const txs_norm_tok *k = &nm->tok[i];
        txs__mtok *t = &s->t[i];
        txs__match_prep(t, nm->text + k->off, k->len, k->flags);
        t->weight = txs__match_weight(p, t->raw, t->rawlen, k->flags);
        s->used[i] = 0;
    }
}

float txs__match_weight(const txs_match_params *p, const char *raw, size_t n, uint16_t flags)
{
    return txs__match_weight_of(p, rarity_of(p->rarity, raw, n), flags);
}

float txs__match_weight_of(const txs_match_params *p, float rarity, uint16_t flags)
{
    float w = rarity;
    if (flags & TXS_TOK_LEGAL) w = (float)p->legal_weight;
    else if (flags & TXS_TOK_INITIAL) w = 0.5f;
    if (flags & TXS_TOK_FAMILY) w *= (float)p->family_weight;
    return w;
}

/* Fold of two adjacent tokens written together. */
static size_t join2(const side *s, uint32_t i, char *buf)
{
    const txs__mtok *a = &s->t[i], *b = &s->t[i + 1];
    memcpy(buf, a->fold, a->flen);
    memcpy(buf + a->flen, b->fold, b->flen);
    return (size_t)a->flen + b->flen;
}

/* A merge edge: two tokens of side m against one token t of the other. */
static double merge_sim(const txs_match_params *p, const side *m, uint32_t i, const txs__mtok *t, int *how)
{
    const txs__mtok *a = &m->t[i], *b = &m->t[i + 1];
    if ((a->flags | b->flags | t->flags) & (TXS_TOK_NUMBER | TXS_TOK_LEGAL)) return 0.0;
    /* "jc" ~ "jean claude": a short token made of the pair's initials */
    if (t->rawlen == 2 && t->raw[0] == a->raw[0] && t->raw[1] == b->raw[0]) {
        *how = TXS__HOW_INITIAL;
        return p->initial_sim;
    }
    if (t->rawlen < 4) return 0.0;
    char buf[TXS__MATCH_TOKMAX * 2];
    size_t n;
    if ((size_t)a->rawlen + b->rawlen > sizeof buf) return 0.0;
    if (((a->flags | b->flags) ^ t->flags) & TXS_TOK_ABJAD) {
        /* "bd allh" ~ "abdullah": compare consonant skeletons */
        char js[TXS__MATCH_TOKMAX], ts[TXS__MATCH_TOKMAX];
        memcpy(buf, a->raw, a->rawlen);
        memcpy(buf + a->rawlen, b->raw, b->rawlen);
        uint16_t jn = txs__match_skeleton(buf, (size_t)a->rawlen + b->rawlen, js);
        uint16_t tn = txs__match_skeleton(t->raw, t->rawlen, ts);
        *how = TXS__HOW_SKELETON;
        return txs__match_str_sim(js, jn, ts, tn) * p->abjad_factor;
    }
    if (((a->flags | b->flags | t->flags) & (TXS_TOK_HAN | TXS_TOK_HANZI)) == TXS_TOK_HAN) {
        /* Hangul syllables joined: the same syllables in another
         * romanisation, or nothing ("seong+jin" is not "songyan") */
        char x[TXS__MATCH_TOKMAX * 2], y[TXS__MATCH_TOKMAX];
        memcpy(buf, a->raw, a->rawlen);
        memcpy(buf + a->rawlen, b->raw, b->rawlen);
        size_t nx = txs__match_korean_fold(buf, (size_t)a->rawlen + b->rawlen, x, sizeof x);
        size_t ny = txs__match_korean_fold(t->raw, t->rawlen, y, sizeof y);
        *how = TXS__HOW_FOLD;
        return nx == ny && memcmp(x, y, nx) == 0 ? 0.95 * p->han_factor : 0.0;
    }
    n = join2(m, i, buf);
    *how = TXS__HOW_EDIT;
    double s = txs__match_str_sim(buf, n, t->fold, t->flen);
    /* Han syllables are readings of characters: joined, they match a word
     * exactly or not at all ("jian+ting" is not "jiantong"), as single
     * syllables do (token.c). */
    if (((a->flags | b->flags | t->flags) & TXS_TOK_HANZI) && s < 1.0) return 0.0;
    if ((a->flags | b->flags) & TXS_TOK_HAN) s *= p->han_factor;
    else s *= 0.98; /* a split is a small difference in itself */
    return s;
}

static void add_edge(const txs_match_params *p, edge *e, size_t *ne, double sim, uint32_t qi, uint32_t qn,
                     uint32_t ci, uint32_t cn, int how)
{
    if (how == TXS__HOW_EDIT || how == TXS__HOW_SKELETON) sim = 1.0 - (1.0 - sim) * p->edit_slope;
    if (sim < p->min_token_sim || *ne >= MAX_EDGES) return;
    int d = (int)qi - (int)ci;
    e[*ne] = (edge){(float)sim, (uint8_t)qi, (uint8_t)qn, (uint8_t)ci, (uint8_t)cn, (uint8_t)how,
                    (uint8_t)(d < 0 ? -d : d)};
    (*ne)++;
}

static int edge_cmp(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->sim != b->sim) return a->sim > b->sim ? -1 : 1;
    if (a->qn + a->cn != b->qn + b->cn) return (a->qn + a->cn) - (b->qn + b->cn);
    return (int)a->dist - (int)b->dist;
}

/* A one-letter token stands for a word only as the initial of a person's
 * given name: never inside an organisation's or a vessel's name ("ISIS-K"
 * is not "Isis Kubicek"), and never for the candidate's family name, which
 * payments write out.  Names of unknown kind keep initials.  Two-letter
 * acronyms of two words ("jc" ~ "jean claude", "us" ~ "united states")
 * are merges, not this rule's. */
static int roman(const txs__mtok *t)
{
    if (t->rawlen < 2 || t->rawlen > 4) return 0;
    for (uint32_t i = 0; i < t->rawlen; i++)
        if (!strchr("ivxlcdm", t->raw[i])) return 0;
    return 1;
}

static int initial_ok(const side *q, const side *c, uint32_t qi, uint32_t cj)
{
    /* a series numeral written one off (Fund V / Fund VI) is a number's
     * near miss, not a word's initial: scored as before */
    if (roman(&q->t[qi]) || roman(&c->t[cj])) return 1;
    if (q->kind == TXS_NAME_COMPANY || q->kind == TXS_NAME_VESSEL) return 0;
    if (c->kind == TXS_NAME_COMPANY || c->kind == TXS_NAME_VESSEL) return 0;
    return !(c->t[cj].flags & TXS_TOK_FAMILY);
}

/* nx[i]: how many tokens of the other side equal token i of side n (its
 * exact partners).  On return, whether token i is matched whole for
 * certain: a text that side n holds more often than the other side has
 * a spare copy, so all its copies stay free for merges (which copy a
 * merge takes, the alignment decides). */
static void spare_copies(const side *n, int *nx)
{
    for (uint32_t i = 0; i < n->n; i++) {
        if (nx[i] == 0) continue;
        int same = 0;
        for (uint32_t j = 0; j < n->n; j++)
            same += n->t[j].rawlen == n->t[i].rawlen && memcmp(n->t[j].raw, n->t[i].raw, n->t[i].rawlen) == 0;
        nx[i] = nx[i] >= same;
    }
}

static size_t list_edges(const txs_match_params *p, const side *q, const side *c, edge *e)
{
    size_t ne = 0;
    int how;
    for (uint32_t i = 0; i < q->n; i++)
        for (uint32_t j = 0; j < c->n; j++) {
            double s = txs__match_tok_sim(p, &q->t[i], &c->t[j], &how);
            if (how == TXS__HOW_INITIAL && !initial_ok(q, c, i, j)) continue;
            if (s > 0.0) add_edge(p, e, &ne, s, i, 1, j, 1, how);
        }
    /* Merges only for tokens without an exact partner: a token that
     * matched whole is not half of a split word.  A token written more
     * often on one side than on the other ("ben omar ben ali" against
     * "ben omarben ali") keeps its spare copies free for a merge: an
     * exact pair is counted against both sides' copies. */
    int qx[TXS__SIDE] = {0}, cx[TXS__SIDE] = {0};
    for (size_t x = 0; x < ne; x++)
        if (e[x].how == TXS__HOW_EXACT) qx[e[x].qi]++, cx[e[x].ci]++;
    spare_copies(q, qx);
    spare_copies(c, cx);
    for (uint32_t i = 0; i + 1 < q->n; i++)
        for (uint32_t j = 0; j < c->n && !qx[i] && !qx[i + 1]; j++) {
            double s = cx[j] ? 0.0 : merge_sim(p, q, i, &c->t[j], &how);
            if (s > 0.0) add_edge(p, e, &ne, s, i, 2, j, 1, how);
        }
    for (uint32_t j = 0; j + 1 < c->n; j++)
        for (uint32_t i = 0; i < q->n && !cx[j] && !cx[j + 1]; i++) {
            double s = qx[i] ? 0.0 : merge_sim(p, c, j, &q->t[i], &how);
            if (s > 0.0) add_edge(p, e, &ne, s, i, 1, j, 2, how);
        }
    return ne;
}

/* Greedy selection: keeps chosen edges at the front of e; returns count. */
static size_t align(side *q, side *c, edge *e, size_t ne)
{
    size_t k = 0;
    qsort(e, ne, sizeof *e, edge_cmp);
    for (size_t x = 0; x < ne; x++) {
        edge g = e[x];
        int free_ = 1;
        for (uint32_t a = 0; a < g.qn; a++) free_ &= !q->used[g.qi + a];
        for (uint32_t b = 0; b < g.cn; b++) free_ &= !c->used[g.ci + b];
        if (!free_) continue;
        for (uint32_t a = 0; a < g.qn; a++) q->used[g.qi + a] = 1;
        for (uint32_t b = 0; b < g.cn; b++) c->used[g.ci + b] = 1;
        e[k++] = g;
    }
    return k;
}

/* Unmatched weight of a side and whether any unmatched token is a real
 * name token (not a legal form, not a generic word).  Syllables read from
 * Han or Hangul are left out of the weight and summed in *syl: a Chinese
 * or Korean given name is one word of two syllables, so a syllable left
 * over is a different given name ("bo bin" is not "bin"), not a middle
 * name a payment dropped, and is charged as a conflict. */
static double unmatched(const side *s, int *significant, double *syl)
{
    double w = 0.0;
    *significant = 0;
    *syl = 0.0;
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->used[i]) continue;
        if (s->t[i].flags & TXS_TOK_HAN) {
            *syl += s->t[i].weight;
            continue;
        }
        w += s->t[i].weight;
        if (!(s->t[i].flags & TXS_TOK_LEGAL) && s->t[i].weight >= 0.5f) *significant = 1;
    }
    return w;
}

/* Weight of the candidate's unmatched tokens that are neither its first
 * token nor its family name: a person's middle names. */
static double unmatched_middle(const side *c)
{
    double w = 0.0;
    for (uint32_t i = 1; i < c->n; i++)
        if (!c->used[i] && !(c->t[i].flags & (TXS_TOK_FAMILY | TXS_TOK_LEGAL | TXS_TOK_HAN)))
            w += c->t[i].weight;
    return w;
}

static const char *how_str(int how)
{
    static const char *const s[] = {"none", "exact", "variant", "edit", "initial", "skeleton", "number"};
    return how >= 0 && how < 7 ? s[how] : "?";
}

typedef struct out {
    char *p;
    size_t cap, len;
} out;

static void put_text(out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Most scorings write no explanation: then no call, and no arguments
 * worked out (4.4 M calls on the 1 M-name list's bench export). */
#define put(o, ...) ((o)->p ? put_text((o), __VA_ARGS__) : (void)0)

/* n bytes onto the explanation, cut at its end as vsnprintf cuts. */
static void app(out *o, const char *s, size_t n)
{
    if (!o->p || o->len + 1 >= o->cap) return;
    if (n > o->cap - 1 - o->len) n = o->cap - 1 - o->len;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Whether fmt holds only the conversions put_text() writes itself. */
static int own_conversions(const char *f)
{
    for (; (f = strchr(f, '%')) != NULL; f++) {
        if (f[1] == 's' || f[1] == 'd' || f[1] == '%') f++;
        else if (f[1] == '.' && (((f[2] == '*' || f[2] == '2') && f[3] == 's') || (f[2] == '2' && f[3] == 'f'))) f += 3;
        else return 0;
    }
    return 1;
}

/* printf onto the explanation, for the conversions written here (%s,
 * %.*s, %.2s, %d, %.2f, %%) without printf: an alert's explanation is a
 * dozen calls, and vsnprintf's double conversion made them 5% of a run
 * with many alerts.  The numbers come out as printf writes them
 * (emit/fixed.c); a format with any other conversion goes to vsnprintf. */
static void put_text(out *o, const char *fmt, ...)
{
    if (!o->p || o->len + 1 >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    if (!own_conversions(fmt)) {
        int k = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        if (k > 0) o->len = o->len + (size_t)k < o->cap ? o->len + (size_t)k : o->cap - 1;
        va_end(ap);
        return;
    }
    char num[TXS_FMT_FIXED_MAX];
    for (const char *f = fmt; *f;) {
        const char *pc = strchr(f, '%');
        if (pc == NULL) {
            app(o, f, strlen(f));
            break;
        }
        app(o, f, (size_t)(pc - f));
        const char *sv;
        int w;
        if (pc[1] == 's') {
            sv = va_arg(ap, const char *);
            app(o, sv, strlen(sv));
            f = pc + 2;
        } else if (pc[1] == 'd') {
            app(o, num, txs_fmt_fixed(num, (double)va_arg(ap, int), 0));
            f = pc + 2;
        } else if (pc[1] == '%') {
            app(o, "%", 1);
            f = pc + 2;
        } else if (pc[3] == 'f') { /* %.2f */
            app(o, num, txs_fmt_fixed(num, va_arg(ap, double), 2));
            f = pc + 4;
        } else { /* %.*s, %.2s */
            w = pc[2] == '*' ? va_arg(ap, int) : 2;
            sv = va_arg(ap, const char *);
            const char *z = w < 0 ? NULL : memchr(sv, '\0', (size_t)w);
            app(o, sv, w < 0 ? strlen(sv) : z ? (size_t)(z - sv) : (size_t)w);
            f = pc + 4;
        }
    }
    va_end(ap);
}

static void put_tokens(out *o, const side *s, uint32_t i, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        put(o, "%s%.*s", k ? "+" : "", (int)s->t[i + k].rawlen, s->t[i + k].raw);
}

static void explain_edges(out *o, const side *q, const side *c, const edge *e, size_t k)
{
    for (size_t x = 0; x < k; x++) {
        const edge *g = &e[x];
        double w = 0;
        int fam = 0;
        for (uint32_t a = 0; a < g->qn; a++) w += q->t[g->qi + a].weight, fam |= q->t[g->qi + a].flags & TXS_TOK_FAMILY;
        for (uint32_t b = 0; b < g->cn; b++) w += c->t[g->ci + b].weight, fam |= c->t[g->ci + b].flags & TXS_TOK_FAMILY;
        put(o, "%s", x ? " | " : "");
        put_tokens(o, q, g->qi, g->qn);
        put(o, "%s", g->how == TXS__HOW_EXACT ? "=" : "~");
        put_tokens(o, c, g->ci, g->cn);
        put(o, " %.2f %s w%.2f%s", g->sim, how_str(g->how), w, fam ? " family" : "");
    }
}

static void explain_unmatched(out *o, const char *label, const side *s, double factor, double syl)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (!s->used[i]) {
            int h = (s->t[i].flags & TXS_TOK_HAN) != 0;
            put(o, " | %s %.*s w%.2f x%.2f%s", label, (int)s->t[i].rawlen, s->t[i].raw, s->t[i].weight,
                h ? syl : factor, h ? " syllable" : (s->t[i].flags & TXS_TOK_LEGAL) ? " legal" : "");
        }
}

static int unmatched_legal(const side *s)
{
    for (uint32_t i = 0; i < s->n; i++)
        if (!s->used[i] && (s->t[i].flags & TXS_TOK_LEGAL)) return 1;
    return 0;
}

/* Name-level penalties: initials alone never make a match; two different
 * legal forms (AG vs GmbH) speak for two different companies. */
static double penalties(const txs_match_params *p, const side *q, const side *c, const edge *e, size_t k,
                        double name, out *o)
{
    int full = 0;
    for (size_t x = 0; x < k; x++) full |= e[x].how != TXS__HOW_INITIAL;
    if (k && !full && name > p->initials_only_cap) {
        name = p->initials_only_cap;
        put(o, " | initials only: capped at %.2f", name);
    }
    if (unmatched_legal(q) && unmatched_legal(c)) {
        name -= p->legal_conflict_penalty;
        put(o, " | different legal forms -%.2f", p->legal_conflict_penalty);
    }
    return name < 0.0 ? 0.0 : name;
}

static double qualify(const txs_match_params *p, const txs_match_qual *ql, double s, out *o)
{
    if (!ql) return s;
    if (ql->country_q[0] && ql->country_c[0] && memcmp(ql->country_q, ql->country_c, 2) != 0) {
        s -= p->country_penalty;
        put(o, " | country %.2s!=%.2s -%.2f", ql->country_q, ql->country_c, p->country_penalty);
    }
    if (ql->dob_year_q && ql->dob_year_c && ql->dob_year_q != ql->dob_year_c) {
        s -= p->dob_penalty;
        put(o, " | birth year %d!=%d -%.2f", ql->dob_year_q, ql->dob_year_c, p->dob_penalty);
    }
    if (ql->kind_q && ql->kind_c && (ql->kind_q == TXS_NAME_PERSON) != (ql->kind_c == TXS_NAME_PERSON)) {
        s -= p->kind_penalty;
        put(o, " | type %s!=%s -%.2f", txs_name_kind_str(ql->kind_q), txs_name_kind_str(ql->kind_c), p->kind_penalty);
    }
    if (ql->weak_alias) {
        s -= p->weak_alias_penalty;
        put(o, " | weak alias -%.2f", p->weak_alias_penalty);
    }
    return s < 0.0 ? 0.0 : s;
}

double txs_match_score(const txs_match_params *p, const txs_norm_name *qn, const txs_norm_name *cn,
                       const txs_match_qual *ql, char *explain, size_t cap)
{
    side q;
    if (explain && cap) explain[0] = '\0';
    if (!p || !qn || !cn) return 0.0;
    txs__match_side(p, qn, &q);
    return txs__match_score_side(p, &q, qn, cn, ql, explain, cap);
}

double txs__match_score_side(const txs_match_params *p, const side *qs, const txs_norm_name *qn,
                             const txs_norm_name *cn, const txs_match_qual *ql, char *explain,
                             size_t cap)
{
    side q, c;
    edge e[MAX_EDGES];
    out o = {explain, cap, 0};
    if (explain && cap) explain[0] = '\0';
    q.n = qs->n;
    q.cut = qs->cut;
    q.kind = qs->kind; /* initial_ok reads it */
    memcpy(q.t, qs->t, q.n * sizeof *q.t);
    memset(q.used, 0, sizeof q.used);
    txs__match_side(p, cn, &c);
    if (q.n == 0 || c.n == 0) {
        put(&o, "empty name | score 0.00");
        return 0.0;
    }
    size_t k = align(&q, &c, e, list_edges(p, &q, &c, e));
    double num = 0.0, den = 0.0;
    for (size_t x = 0; x < k; x++) {
        double w = 0.0;
        for (uint32_t a = 0; a < e[x].qn; a++) w += q.t[e[x].qi + a].weight;
        for (uint32_t b = 0; b < e[x].cn; b++) w += c.t[e[x].ci + b].weight;
        num += e[x].sim * w;
        den += w;
    }
    int sq, sc, org = qn->kind == TXS_NAME_COMPANY || qn->kind == TXS_NAME_VESSEL ||
                      cn->kind == TXS_NAME_COMPANY || cn->kind == TXS_NAME_VESSEL;
    double hq, hc, uq = unmatched(&q, &sq, &hq), uc = unmatched(&c, &sc, &hc);
    double f = (sq && sc) ? p->conflict_factor : org ? p->extra_factor_org : p->extra_factor;
    /* A listed person's middle names the payment left out cost less. */
    double um = (!sq && hq == 0.0 && cn->kind == TXS_NAME_PERSON) ? unmatched_middle(&c) : 0.0;
    /* Payments drop a person's middle names all together, so how many the
     * list holds says little: they are charged as at most MIDDLE_CAP of
     * weight (two full middle names), not one by one. */
    double umc = um < TXS_MIDDLE_CAP ? um : TXS_MIDDLE_CAP;
    den += (uq + uc - um) * f + umc * p->middle_factor + (hq + hc) * p->conflict_factor;
    double name = den > 0.0 ? num / den : 0.0;
    if (o.p) {
        explain_edges(&o, &q, &c, e, k);
        explain_unmatched(&o, "query-only", &q, f, p->conflict_factor);
        explain_unmatched(&o, "candidate-only", &c, f, p->conflict_factor);
    }
    if (um > 0.0)
        put(&o, " | middle names left out: weight %.2f%s at x%.2f", um, um > umc ? " (charged 2.00)" : "",
            p->middle_factor);
    if (sq && sc) put(&o, " | conflict");
    name = penalties(p, &q, &c, e, k, name, &o);
    if (q.cut || c.cut) put(&o, " | compared first %d tokens", TXS__SIDE);
    put(&o, " | name %.2f = %.2f/%.2f", name, num, den);
    double s = qualify(p, ql, name, &o);
    put(&o, " | score %.2f", s);
    return s;
}
