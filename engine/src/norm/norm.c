/*
 * norm.c: the normalisation pipeline and its context.  Bytes become words
 * (words.c; unicode.c for anything non-ASCII), then name-level rules apply:
 *
 *   person:  "SURNAME, Given" reordered, family name flagged, leading titles
 *            (rigour PERSON_NAME_PREFIXES) dropped;
 *   company: leading "the" dropped, legal forms (rigour org_types) replaced
 *            by their canonical compare form and flagged TXS_TOK_LEGAL;
 *   vessel:  leading "the", "mv", "m/v" dropped, legal forms as companies;
 *   any:     legal forms flagged; "X, Y" reordered only when Y is not a
 *            legal form.
 *
 * The context owns the phrase tables, normalised at txs_norm_new() with the
 * same fold as names, sorted for binary search.  After creation only the
 * lazily opened ICU transliterator changes, hence one context per thread.
 */
#include <stdlib.h>
#include <string.h>

#include "txs/base.h"
#include "norm_int.h"

typedef struct phrase {
    const char *key;   /* folded words joined by single spaces */
    const char *canon; /* canonical token (legal forms) or NULL */
    uint32_t ntok;
    int icu_only;      /* written in a script only ICU reads: applies only to
                          names that needed ICU too, so that a name's form
                          never depends on which names came before it */
} phrase;

/* The legal forms start with about 700 distinct words: 1,024 bits let half
 * of all words through to the searches, 16,384 bits about one in twenty. */
#define FIRST_BITS 16384u

typedef struct phrase_set {
    phrase *p;
    size_t n;
    uint32_t maxtok;
    uint64_t first[FIRST_BITS / 64]; /* a bloom filter of the keys' first
                           words: most words of a name start no phrase, and
                           are told so without a search (word_bit) */
} phrase_set;

/* A word's bit in phrase_set.first. */
static uint32_t word_bit(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
    return (h ^ h >> 16) & (FIRST_BITS - 1u);
}

struct txs_norm {
    phrase_set legal, titles, org_pre, obj_pre;
    char *strings;     /* one block holding every key and canon */
    size_t strings_cap, strings_len;
    void *icu;         /* UTransliterator *, opened on first need */
    int icu_failed;
    void *brk;         /* UBreakIterator * for Thai runs, opened on first need */
    int brk_failed;
    txs__rec *latin;   /* unicode.c's replay of two-byte code points, made on first need */
    int latin_failed;
    /* Table entries that need ICU's tables (Han, Ethiopic legal forms) are folded
     * only when a name first needs ICU: opening ICU's transliterator costs
     * about 150 ms, which every run would otherwise pay at start-up. */
    int building, wanted_icu;
    /* A name read without ICU (the Han table, syllabic.c) folds the
     * deferred entries that need no more than that; those that need ICU
     * itself (Ethiopic legal forms) stay deferred until ICU opens
     * (txs__norm_icu_used). */
    int soft, soft_done;
    struct deferred { phrase_set *ps; const char *src, *canon; } *deferred;
    size_t ndeferred, deferred_cap;
};

static void fold_words(txs_norm *nz, const char *s, size_t n, txs__words *w)
{
    txs__words_init(w);
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            txs__words_init(w);
            w->flags |= TXS_NAME_UNICODE;
            txs__norm_unicode(nz, s, n, w);
            return;
        }
    }
    /* ASCII fast path: no library call, no allocation. */
    txs__norm_ascii(w, s, n);
    txs__words_break(w, 1);
}

static char *keep_string(txs_norm *nz, const char *s, size_t n)
{
    if (nz->strings_len + n + 1 > nz->strings_cap) return NULL;
    char *d = nz->strings + nz->strings_len;
    memcpy(d, s, n);
    d[n] = '\0';
    nz->strings_len += n + 1;
    return d;
}

static int phrase_cmp(const void *a, const void *b)
{
    const char *x = ((const phrase *)a)->key, *y = ((const phrase *)b)->key;
    /* the first letters differ at most steps of a search: no call then */
    if (x[0] != y[0]) return (unsigned char)x[0] < (unsigned char)y[0] ? -1 : 1;
    return strcmp(x, y);
}

/* Remember an entry for when ICU is open (see txs_norm.deferred). */
static int defer(txs_norm *nz, phrase_set *ps, const char *src, const char *canon_src)
{
    if (nz->ndeferred == nz->deferred_cap) {
        size_t cap = nz->deferred_cap ? nz->deferred_cap * 2 : 64;
        struct deferred *d = realloc(nz->deferred, cap * sizeof *d);
        if (!d) return -1;
        nz->deferred = d;
        nz->deferred_cap = cap;
    }
    nz->deferred[nz->ndeferred++] = (struct deferred){ps, src, canon_src};
    return 0;
}

/* Fold and store one table entry; canon_src NULL for plain word lists. */
static int add_phrase(txs_norm *nz, phrase_set *ps, const char *src, const char *canon_src)
{
    txs__words w;
    nz->wanted_icu = 0;
    fold_words(nz, src, strlen(src), &w);
    if ((nz->building || nz->soft) && nz->wanted_icu) return defer(nz, ps, src, canon_src);
    if (w.nw == 0) return 0;
    phrase *p = &ps->p[ps->n];
    p->key = keep_string(nz, w.text, w.len);
    p->ntok = w.nw;
    p->canon = NULL;
    p->icu_only = w.icu;
    if (canon_src) {
        txs__words c;
        char buf[TXS_NORM_MAX_TEXT];
        size_t k = 0;
        fold_words(nz, canon_src, strlen(canon_src), &c);
        for (uint32_t i = 0; i < c.len; i++)
            if (c.text[i] != ' ') buf[k++] = c.text[i];
        if (k == 0) return 0;
        p->canon = keep_string(nz, buf, k);
    }
    if (!p->key || (canon_src && !p->canon)) return -1;
    if (p->ntok > ps->maxtok) ps->maxtok = p->ntok;
    ps->n++;
    return 0;
}

static void sort_unique(phrase_set *ps)
{
    qsort(ps->p, ps->n, sizeof ps->p[0], phrase_cmp);
    size_t k = 0;
    for (size_t i = 0; i < ps->n; i++) {
        if (k == 0 || strcmp(ps->p[k - 1].key, ps->p[i].key) != 0) ps->p[k++] = ps->p[i];
        else if (!ps->p[i].icu_only) ps->p[k - 1].icu_only = 0; /* general wins */
    }
    ps->n = k;
    memset(ps->first, 0, sizeof ps->first);
    for (size_t i = 0; i < ps->n; i++) {
        uint32_t b = word_bit(ps->p[i].key, strcspn(ps->p[i].key, " "));
        ps->first[b / 64] |= 1ull << (b % 64);
    }
}

static int build_words(txs_norm *nz, phrase_set *ps, const char *const *list, size_t n)
{
    ps->p = calloc(n ? n : 1, sizeof *ps->p);
    if (!ps->p) return -1;
    for (size_t i = 0; i < n; i++)
        if (add_phrase(nz, ps, list[i], NULL) < 0) return -1;
    sort_unique(ps);
    return 0;
}

static int build_legal(txs_norm *nz)
{
    phrase_set *ps = &nz->legal;
    ps->p = calloc(txs__norm_legal_forms_n, sizeof *ps->p);
    if (!ps->p) return -1;
    for (size_t i = 0; i < txs__norm_legal_forms_n; i++)
        if (add_phrase(nz, ps, txs__norm_legal_forms[i].alias, txs__norm_legal_forms[i].canon) < 0)
            return -1;
    sort_unique(ps);
    return 0;
}

txs_norm *txs_norm_new(void)
{
    txs_norm *nz = calloc(1, sizeof *nz);
    if (!nz) return NULL;
    nz->strings_cap = 256u * 1024u;
    nz->strings = malloc(nz->strings_cap);
    nz->building = 1;
    if (!nz->strings || build_legal(nz) < 0 ||
        build_words(nz, &nz->titles, txs__norm_titles, txs__norm_titles_n) < 0 ||
        build_words(nz, &nz->org_pre, txs__norm_org_prefixes, txs__norm_org_prefixes_n) < 0 ||
        build_words(nz, &nz->obj_pre, txs__norm_obj_prefixes, txs__norm_obj_prefixes_n) < 0) {
        txs_norm_free(nz);
        return NULL;
    }
    nz->building = 0;
    return nz;
}

/* Fold the deferred entries now that ICU is open, and re-sort their sets.
 * A failure leaves those entries out: names still normalise, only the
 * legal forms and titles written in those scripts go unrecognised. */
static void add_deferred(txs_norm *nz)
{
    size_t n = nz->ndeferred;
    nz->ndeferred = 0;
    for (size_t i = 0; i < n; i++)
        if (add_phrase(nz, nz->deferred[i].ps, nz->deferred[i].src, nz->deferred[i].canon) < 0)
            break;
    phrase_set *sets[] = {&nz->legal, &nz->titles, &nz->org_pre, &nz->obj_pre};
    for (size_t k = 0; k < 4; k++) sort_unique(sets[k]);
}

void txs_norm_free(txs_norm *nz)
{
    if (!nz) return;
    if (nz->icu) txs__norm_icu_close(nz->icu);
    txs__norm_brk_close(nz->brk);
    free(nz->latin);
    free(nz->legal.p);
    free(nz->titles.p);
    free(nz->org_pre.p);
    free(nz->obj_pre.p);
    free(nz->strings);
    free(nz->deferred);
    free(nz);
}

const txs__rec *txs__norm_latin_get(txs_norm *nz)
{
    if (!nz->latin && !nz->latin_failed) {
        nz->latin = txs__norm_latin_build();
        nz->latin_failed = nz->latin == NULL;
    }
    return nz->latin;
}

void *txs__norm_brk_get(txs_norm *nz)
{
    if (!nz->brk && !nz->brk_failed) {
        nz->brk = txs__norm_brk_open();
        nz->brk_failed = nz->brk == NULL;
    }
    return nz->brk;
}

void *txs__norm_icu_get(txs_norm *nz)
{
    if (nz->building || nz->soft) { /* a table entry: fold it later (txs_norm.deferred) */
        nz->wanted_icu = 1;
        return NULL;
    }
    if (!nz->icu && !nz->icu_failed) {
        nz->icu = txs__norm_icu_open();
        nz->icu_failed = nz->icu == NULL;
        if (nz->icu) add_deferred(nz);
    }
    return nz->icu;
}

void txs__norm_icu_used(txs_norm *nz)
{
    if (nz->building) { /* a table entry: fold it later, as with ICU */
        nz->wanted_icu = 1;
        return;
    }
    /* Entries that need ICU itself are deferred again (txs_norm.soft),
     * once: they wait for the first name that opens ICU. */
    if (nz->ndeferred && !nz->icu && !nz->icu_failed && !nz->soft && !nz->soft_done) {
        nz->soft = 1;
        add_deferred(nz);
        nz->soft = 0;
        nz->soft_done = 1;
    }
}

/* Longest phrase of ps starting at word i of the ordered words; returns the
 * number of words it covers (0: none) and the phrase in *hit. */
static uint32_t match_phrase(const phrase_set *ps, const txs__words *w, const uint32_t *ord,
                             uint32_t nord, uint32_t i, const phrase **hit)
{
    char key[TXS_NORM_MAX_TEXT];
    uint32_t best = 0;
    size_t klen = 0;
    if (i < nord) {
        const txs_norm_tok *t = &w->w[ord[i]];
        uint32_t b = word_bit(w->text + t->off, t->len);
        if (!(ps->first[b / 64] >> (b % 64) & 1)) return 0;
    }
    for (uint32_t k = 0; k < ps->maxtok && i + k < nord; k++) {
        const txs_norm_tok *t = &w->w[ord[i + k]];
        if (klen + t->len + 2 > sizeof key) break;
        if (k) key[klen++] = ' ';
        memcpy(key + klen, w->text + t->off, t->len);
        klen += t->len;
        key[klen] = '\0';
        phrase probe = {key, NULL, 0, 0};
        const phrase *p = bsearch(&probe, ps->p, ps->n, sizeof *ps->p, phrase_cmp);
        if (p && (!p->icu_only || w->icu)) {
            best = k + 1;
            *hit = p;
        }
    }
    return best;
}

/* Whether words ord[i .. i+k) are all one or two letters long. */
static int short_words(const txs__words *w, const uint32_t *ord, uint32_t i, uint32_t k)
{
    for (uint32_t j = i; j < i + k; j++)
        if (w->w[ord[j]].len > 2) return 0;
    return 1;
}

/* Emit word ord[i] (or a replacement text) into out. */
static void emit(txs_norm_name *out, const char *p, size_t n, uint16_t flags, uint16_t src)
{
    if (out->ntok >= TXS_NORM_MAX_TOKENS || out->len + n + 2 > TXS_NORM_MAX_TEXT || n == 0) return;
    if (out->ntok) out->text[out->len++] = ' ';
    out->tok[out->ntok++] = (txs_norm_tok){(uint16_t)out->len, (uint16_t)n, flags, src};
    memcpy(out->text + out->len, p, n);
    out->len += (uint32_t)n;
    out->text[out->len] = '\0';
}

static uint16_t shape_flags(const char *p, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) digits += p[i] >= '0' && p[i] <= '9';
    if (digits == n) return TXS_TOK_NUMBER;
    if (n == 1) return TXS_TOK_INITIAL;
    return 0;
}

static int tail_is_legal(const txs_norm *nz, const txs__words *w)
{
    uint32_t ord[TXS_NORM_MAX_TOKENS];
    uint32_t n = 0;
    const phrase *hit = NULL;
    for (uint32_t i = (uint32_t)w->comma_after; i < w->nw; i++) ord[n++] = i;
    return n > 0 && match_phrase(&nz->legal, w, ord, n, 0, &hit) == n;
}

/* Decide the word order: "SURNAME, Given" -> Given SURNAME.  Returns the
 * number of leading surname words moved to the end (0: no reordering). */
static uint32_t order_words(const txs_norm *nz, const txs__words *w, txs_name_kind kind,
                            uint32_t *ord)
{
    uint32_t n = 0, moved = 0;
    int c = w->comma_after;
    int reorder = c > 0 && (uint32_t)c < w->nw &&
                  (kind == TXS_NAME_PERSON || (kind == TXS_NAME_ANY && c <= 3 && !tail_is_legal(nz, w)));
    if (reorder) {
        for (uint32_t i = (uint32_t)c; i < w->nw; i++) ord[n++] = i;
        for (uint32_t i = 0; i < (uint32_t)c; i++) ord[n++] = i;
        moved = (uint32_t)c;
    } else {
        for (uint32_t i = 0; i < w->nw; i++) ord[n++] = i;
    }
    return moved;
}

static void finish(const txs_norm *nz, const txs__words *w, txs_name_kind kind, txs_norm_name *out)
{
    uint32_t ord[TXS_NORM_MAX_TOKENS];
    uint32_t n = w->nw, i = 0;
    uint32_t moved = order_words(nz, w, kind, ord);
    const phrase *hit = NULL;
    out->len = 0;
    out->ntok = 0;
    out->text[0] = '\0';
    out->flags = w->flags | (moved ? TXS_NAME_REORDERED : 0u);
    out->kind = (uint32_t)kind;
    if (kind == TXS_NAME_PERSON) {
        uint32_t k;
        /* Leading titles, repeatedly ("Prof. Dr."), never the whole name. */
        while (i < n && (k = match_phrase(&nz->titles, w, ord, n, i, &hit)) > 0 && i + k < n) {
            i += k;
            out->flags |= TXS_NAME_TITLE_DROPPED;
        }
    } else if (kind != TXS_NAME_ANY) {
        const phrase_set *pre = kind == TXS_NAME_VESSEL ? &nz->obj_pre : &nz->org_pre;
        uint32_t k = match_phrase(pre, w, ord, n, i, &hit);
        if (k && i + k < n) i += k;
    }
    uint32_t first = i;
    for (; i < n; i++) {
        const txs_norm_tok *t = &w->w[ord[i]];
        uint32_t k = 0;
        if (kind != TXS_NAME_PERSON) k = match_phrase(&nz->legal, w, ord, n, i, &hit);
        /* A name of unknown kind (a payment's party) may be a person, and
         * short legal forms are also syllables and words of names ("YU
         * CHOL U", "SA'D SABAWI"): replacing them would hide the person.
         * There, a one-word legal form, or a phrase of one- and two-letter
         * words, counts only at the end of the name, the suffix position
         * ("ACME LTD", "BANCO EJEMPLO S.A."); longer phrases ("limited
         * liability company") anywhere.  A person whose last syllable is
         * also a legal form ("HAN YU-RO") is the case this still misses. */
        if (k && kind == TXS_NAME_ANY && (k == 1 || short_words(w, ord, i, k)) && i + k < n)
            k = 0;
        /* One syllable read from Han or Hangul is a name's syllable, never a
         * legal form alone (유 "yu", 임 "im", 노 "no" are surnames); the
         * multi-syllable forms (有限公司, 주식회사) are phrases. */
        if (k == 1 && (t->flags & TXS_TOK_HAN)) k = 0;
        if (k) {
            emit(out, hit->canon, strlen(hit->canon), TXS_TOK_LEGAL, t->src);
            i += k - 1;
            continue;
        }
        const char *p = w->text + t->off;
        uint16_t fl = (uint16_t)(t->flags | shape_flags(p, t->len));
        if (kind == TXS_NAME_PERSON &&
            ((moved && ord[i] < moved) || (!moved && i == n - 1 && n - first >= 2)))
            fl |= TXS_TOK_FAMILY;
        emit(out, p, t->len, fl, t->src);
    }
}

int txs_norm_name_of(txs_norm *nz, const char *s, size_t n, txs_name_kind kind, txs_norm_name *out)
{
    if (!nz || (!s && n) || !out) return TXS_E_ARG;
    txs__words w;
    fold_words(nz, s, n, &w);
    finish(nz, &w, kind, out);
    return TXS_OK;
}

int txs_norm_fold(txs_norm *nz, const char *s, size_t n, txs_norm_name *out)
{
    if (!nz || (!s && n) || !out) return TXS_E_ARG;
    txs__words w;
    fold_words(nz, s, n, &w);
    memcpy(out->text, w.text, w.len);
    out->text[w.len] = '\0';
    out->len = w.len;
    out->ntok = w.nw;
    out->flags = w.flags;
    out->kind = TXS_NAME_ANY;
    for (uint32_t i = 0; i < w.nw; i++) {
        out->tok[i] = w.w[i];
        out->tok[i].flags |= shape_flags(w.text + w.w[i].off, w.w[i].len);
    }
    return TXS_OK;
}

txs_name_kind txs_name_kind_parse(const char *s)
{
    static const struct { const char *name; txs_name_kind k; } names[] = {
        {"person", TXS_NAME_PERSON},        {"individual", TXS_NAME_PERSON},
        {"company", TXS_NAME_COMPANY},      {"organization", TXS_NAME_COMPANY},
        {"organisation", TXS_NAME_COMPANY}, {"legalentity", TXS_NAME_COMPANY},
        {"entity", TXS_NAME_COMPANY},       {"vessel", TXS_NAME_VESSEL},
        {"any", TXS_NAME_ANY},
    };
    if (!s) return TXS_NAME_ANY;
    for (size_t i = 0; i < TXS_ARRAY_LEN(names); i++)
        if (txs_slice_eq_nocase((txs_slice){s, strlen(s)}, names[i].name)) return names[i].k;
    return TXS_NAME_ANY;
}

const char *txs_name_kind_str(txs_name_kind k)
{
    switch (k) {
    case TXS_NAME_PERSON: return "person";
    case TXS_NAME_COMPANY: return "company";
    case TXS_NAME_VESSEL: return "vessel";
    default: return "any";
    }
}
