/*
 * mt_read.c: SWIFT FIN messages (MT103, MT202, MT202 COV, MT205, MT205
 * COV, MT101) into payment transactions.  A file holds one message or many
 * (RJE: '$' between them; prowide's exports put an F21 delivery
 * acknowledgement before each message).  Framing needs only the bytes:
 * a message runs from "{1:" to the next "{1:", '$' or the end, so the
 * caller can feed any chunking and keep the unconsumed tail.
 *
 *   {1:F01SENDERBICXXXX...}{2:O103...RECEIVERBIC...}{3:{121:uuid}}{4:
 *   :20:REF            one field per ":TAG:" line, continuation lines
 *   :32A:200805SGD5,   appended ('\n' between, CR dropped)
 *   -}{5:...}
 *
 * Fields are borrowed from the caller's buffer; only values with line
 * breaks are copied, into one arena reset per message, so a message costs
 * no malloc once the arena has grown; the MT field names used as sources
 * are made in the field's own slots, once per field and line number.
 * Field formats that carry the amount and dates (:32A: 6!n3!a15d, :32B:
 * 3!a15d, :30: 6!n) and BICs in option A are checked; a message that breaks
 * them is rejected naming the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payments_int.h"
#include "txs/values.h"

#if defined(__SSE2__)
#define MT_SSE2 1
#include <emmintrin.h>
/* Bit i set where p[i] is the byte of c (all sixteen bytes readable). */
static inline unsigned byte_mask(const char *p, __m128i c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), c));
}
#else
#define MT_SSE2 0
#endif

#define MT_MAX_FIELDS 256u
#define MT_MAX_MSG (256u * 1024u)

typedef struct mt_field {
    char tag[4];        /* "50F", "20", NUL-terminated */
    int num;            /* 50 */
    char opt;           /* 'F', or 0 */
    uint16_t made;      /* bit k: srcs[k] is made */
    uint8_t multi;      /* the value has continuation lines */
    txs_slice v;        /* raw value: lines with CRLF or LF inside */
    char srcs[9][8];    /* the sources of its values, made when first used:
                           [0] ":50F:", [k] ":50F:k/" (option F lines) */
} mt_field;

struct txs_mt_reader {
    const txs_pay_ctx *c;
    txs_arena arena;
    txs_pay_layer group, txn;
    txs_pay_out out;
    mt_field f[MT_MAX_FIELDS];
    size_t nf;
    uint64_t seen[2];   /* bit n: a field :n[a]: is in the message */
    uint64_t nl4;       /* line breaks in block 4, when fields() split it all */
    int nl4_ok;
    int stray_cr;       /* block 4 has a CR not right before a LF (fields()) */
    uint64_t msgno, line, offset;
    char kind[16];
    txs_slice b1, b2, b3, b4;
};

int txs__mt_create(txs_mt_reader **out)
{
    txs_mt_reader *m = calloc(1, sizeof *m);
    if (m == NULL) return TXS_E_NOMEM;
    txs_arena_init(&m->arena, 16384);
    *out = m;
    return 0;
}

void txs__mt_free(txs_mt_reader *m)
{
    if (m == NULL) return;
    txs_arena_free(&m->arena);
    free(m);
}

void txs__mt_begin(txs_mt_reader *m, const txs_pay_ctx *c)
{
    m->c = c;
    m->msgno = 0;
    m->line = 1;
    m->offset = 0;
}

/* ------------------------------------------------------------ framing */

/* First occurrence of pat in v, or NULL. */
static const char *mem_find(txs_slice v, const char *pat)
{
    size_t k = strlen(pat);
    for (const char *p = v.p, *e = v.p + v.n; p + k <= e; p++) {
        p = memchr(p, pat[0], (size_t)(e - p));
        if (p == NULL || p + k > e) return NULL;
        if (memcmp(p, pat, k) == 0) return p;
    }
    return NULL;
}

/* End of a balanced {...} block starting at p ('{'); NULL if unbalanced.
 * From one '}' to the next, the '{' between them are counted (memchr both
 * ways: blocks 1-3 are a few dozen bytes with one level of nesting). */
static const char *block_end(const char *p, const char *e)
{
    int depth = 0;
    for (;;) {
        const char *c = memchr(p, '}', (size_t)(e - p));
        if (c == NULL) return NULL;
        for (const char *o = p; (o = memchr(o, '{', (size_t)(c - o))) != NULL; o++) depth++;
        if (--depth == 0) return c + 1;
        p = c + 1;
    }
}

/* Split [s,e) into its blocks.  Returns NULL or a reason. */
static const char *blocks(txs_mt_reader *m, const char *s, const char *e)
{
    m->b1 = m->b2 = m->b3 = m->b4 = (txs_slice){NULL, 0};
    const char *p = s;
    while (p < e) {
        while (p < e && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t')) p++;
        if (p >= e) break;
        if (*p == '}' || (*p == '{' && (e - p < 3 || p[2] != ':'))) {
            p++;   /* a stray brace after the trailer, as some exports have */
            continue;
        }
        if (*p != '{') return "text outside the message's blocks";
        char id = p[1];
        const char *q;
        if (id == '4' && p + 3 < e && p[3] != '{') {
            /* The text block ends at "-}" at the start of a line. */
            q = p + 3;
            const char *t = NULL;
            for (const char *x = q; (x = memchr(x, '-', (size_t)(e - x))) != NULL; x++)
                if (x + 1 < e && x[1] == '}' && (x == q || x[-1] == '\n')) {
                    t = x;
                    break;
                }
            if (t == NULL) return "the text block {4: does not end with -}";
            m->b4 = (txs_slice){q, (size_t)(t - q)};
            p = t + 2;
            continue;
        }
        q = block_end(p, e);
        if (q == NULL) return "a block is not closed with }";
        txs_slice body = {p + 3, (size_t)(q - 1 - (p + 3))};
        if (id == '1') m->b1 = body;
        else if (id == '2') m->b2 = body;
        else if (id == '3') m->b3 = body;
        else if (id == '4') m->b4 = body;
        p = q;
    }
    if (m->b1.p == NULL) return "no basic header block {1:}";
    return NULL;
}

/* --------------------------------------------------------------- fields */

static int is_tag(const char *p, const char *e, mt_field *f)
{
    if (e - p < 4 || p[0] != ':' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
        return 0;
    size_t k = 3;
    char opt = 0;
    if (p[3] >= 'A' && p[3] <= 'Z') opt = p[3], k = 4;
    if (p + k >= e || p[k] != ':') return 0;
    f->tag[0] = p[1];
    f->tag[1] = p[2];
    f->tag[2] = opt;   /* NUL without an option letter */
    f->tag[3] = 0;
    f->num = (p[1] - '0') * 10 + (p[2] - '0');
    f->opt = opt;
    return (int)k + 1;
}

/* One line [p, le) of block 4: a new field, or a continuation of the
 * current one (*cur).  Returns NULL or a reason. */
static inline __attribute__((always_inline)) const char *field_line(txs_mt_reader *m, mt_field **cur, const char *p, const char *le)
{
    mt_field f;
    int k = is_tag(p, le, &f);
    if (k > 0) {
        if (m->nf == MT_MAX_FIELDS) return "more than 256 fields";
        mt_field *c = *cur = &m->f[m->nf++];
        memcpy(c->tag, f.tag, sizeof c->tag);
        c->num = f.num;
        c->opt = f.opt;
        c->made = 0;
        c->multi = 0;
        m->seen[f.num >> 6] |= 1ull << (f.num & 63);
        c->v = (txs_slice){p + k, (size_t)(le - (p + k))};
    } else if (*cur) {
        (*cur)->v.n = (size_t)(le - (*cur)->v.p);
        (*cur)->multi = 1;
    } else if (le > p && !(le - p == 1 && *p == '\r')) {
        return "text before the first field of block 4";
    }
    return NULL;
}

/* Block 4 into fields, a line at a time.  The line breaks are found 16
 * bytes at a time (SSE2, in every x86-64 CPU) rather than by a memchr per
 * line: a field's line is about 20 bytes, shorter than a call's set-up.
 * The same pass notes a CR that is not right before a LF (m->stray_cr):
 * without one, a value within one line has no CR to drop (set1). */
static const char *fields(txs_mt_reader *m)
{
    const char *p = m->b4.p, *e = p + m->b4.n, *ls = p, *b = p, *why;
    m->nf = 0;
    m->seen[0] = m->seen[1] = 0;
    mt_field *cur = NULL;
    uint64_t nls = 0;
    int stray = 0;   /* a CR not right before a LF */
#if MT_SSE2
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; e - b >= 16; b += 16) {
        unsigned mk = byte_mask(b, lf);
        unsigned lone = byte_mask(b, cr) & ~(mk >> 1);
        if (lone) stray |= (lone & 0x7fffu) || e - b == 16 || b[16] != '\n';
        for (; mk; mk &= mk - 1, nls++) {
            const char *nl = b + __builtin_ctz(mk);
            if ((why = field_line(m, &cur, ls, nl)) != NULL) return why;
            ls = nl + 1;
        }
    }
#endif
    for (const char *x = b; (x = memchr(x, '\r', (size_t)(e - x))) != NULL; x++)
        stray |= x + 1 == e || x[1] != '\n';
    for (; (b = memchr(b, '\n', (size_t)(e - b))) != NULL; b++, nls++) {
        if ((why = field_line(m, &cur, ls, b)) != NULL) return why;
        ls = b + 1;
    }
    if (ls < e && (why = field_line(m, &cur, ls, e)) != NULL) return why;
    for (size_t i = 0; i < m->nf; i++) {   /* drop the last line break */
        txs_slice *v = &m->f[i].v;
        while (v->n && (v->p[v->n - 1] == '\r' || v->p[v->n - 1] == '\n')) v->n--;
    }
    m->stray_cr = stray;
    m->nl4 = nls;   /* the line counter need not search block 4 again */
    m->nl4_ok = 1;
    return NULL;
}

/* Next line of v from *pos (CR dropped); 0 at the end. */
static int next_line(txs_slice v, size_t *pos, txs_slice *line)
{
    if (*pos > v.n || (*pos == v.n && v.n != 0)) return 0;
    if (v.n == 0) {
        *pos = 1;
        return 0;
    }
    const char *s = v.p + *pos, *nl = memchr(s, '\n', v.n - *pos);
    size_t n = nl ? (size_t)(nl - s) : v.n - *pos;
    *pos += n + 1;
    if (nl == NULL) *pos = v.n + 1;
    if (n && s[n - 1] == '\r') n--;
    *line = (txs_slice){s, n};
    return 1;
}

/* ---------------------------------------------------------------- values */

typedef struct mt_msg {
    txs_mt_reader *m;
    const char *where;
    char why[200];
} mt_msg;

/* ":50F:" (sub "") or ":50F:1/" (sub "1/" .. "8/"), NUL-terminated, a
 * value's source with its length: made once in the field's slot (fields
 * live as long as the message, as sources must). */
static inline __attribute__((always_inline)) txs_slice src(txs_mt_reader *m, const mt_field *f,
                                                         const char *sub)
{
    (void)m;
    int k = sub[0] ? sub[0] - '0' : 0;
    mt_field *w = (mt_field *)f;
    char *o = w->srcs[k];
    size_t t = f->opt ? 3 : 2;
    if (!(w->made & (1u << k))) {
        o[0] = ':';
        o[1] = f->tag[0];
        o[2] = f->tag[1];
        o[3] = f->tag[2];
        o[t + 1] = ':';
        o[t + 2] = k ? sub[0] : 0;
        o[t + 3] = k ? '/' : 0;
        o[t + 4] = 0;
        w->made |= (uint16_t)(1u << k);
    }
    return (txs_slice){o, t + 2 + (k ? 2u : 0u)};
}

static int bad(mt_msg *g, const mt_field *f, const char *fmt_why)
{
    g->where = f ? src(g->m, f, "").p : "";
    snprintf(g->why, sizeof g->why, "%s", fmt_why);
    return TXS_E_FORMAT;
}

/* Value val (a slice of block 4) into v, its source into s; the CRs of
 * CRLF line breaks inside it dropped. */
static int set(txs_mt_reader *m, txs_slice *v, txs_slice *s, txs_slice val, txs_slice where)
{
    if (val.n == 0) return 0;
    const char *cr = memchr(val.p, '\r', val.n);
    if (cr) {   /* copy without the CRs, a line at a time */
        char *o = txs_arena_alloc(&m->arena, val.n);
        if (o == NULL) return TXS_E_NOMEM;
        const char *p = val.p, *e = val.p + val.n;
        size_t k = 0;
        while (cr) {
            memcpy(o + k, p, (size_t)(cr - p));
            k += (size_t)(cr - p);
            p = cr + 1;
            cr = memchr(p, '\r', (size_t)(e - p));
        }
        memcpy(o + k, p, (size_t)(e - p));
        val = (txs_slice){o, k + (size_t)(e - p)};
    }
    *v = val;
    *s = where;
    return 0;
}

/* set() for a value within one line: with no CR in block 4 but those of
 * CRLF line breaks (m->stray_cr clear), it has none to drop. */
static int set1(txs_mt_reader *m, txs_slice *v, txs_slice *s, txs_slice val, txs_slice where)
{
    if (m->stray_cr) return set(m, v, s, val, where);
    if (val.n) *v = val, *s = where;
    return 0;
}

/* set() for a whole field's value: one line unless it has continuations. */
static int set_field(txs_mt_reader *m, txs_slice *v, txs_slice *s, const mt_field *f)
{
    return f->multi ? set(m, v, s, f->v, src(m, f, "")) : set1(m, v, s, f->v, src(m, f, ""));
}

static int all_digits(txs_slice v)
{
    for (size_t i = 0; i < v.n; i++)
        if (v.p[i] < '0' || v.p[i] > '9') return 0;
    return v.n > 0;
}

/* 15d: digits, one comma (mandatory), at least one digit before it. */
static int amount_ok(txs_slice a)
{
    if (a.n < 2 || a.n > 15) return 0;
    const char *c = memchr(a.p, ',', a.n);
    if (c == NULL || c == a.p) return 0;
    for (size_t i = 0; i < a.n; i++)
        if (a.p + i != c && (a.p[i] < '0' || a.p[i] > '9')) return 0;
    return 1;
}

static int ccy_ok(txs_slice c)
{
    return c.n == 3 && c.p[0] >= 'A' && c.p[0] <= 'Z' && c.p[1] >= 'A' && c.p[1] <= 'Z' &&
           c.p[2] >= 'A' && c.p[2] <= 'Z';
}

/* :32A: 6!n3!a15d, :32B: and :33B: 3!a15d. */
static int amount_field(mt_msg *g, txs_pay_layer *l, const mt_field *f, int dated)
{
    txs_slice v = f->v;
    size_t d = dated ? 6 : 0;
    if (v.n < d + 5 || memchr(v.p, '\n', v.n))
        return bad(g, f, dated ? "expected 6!n3!a15d (YYMMDD, currency, amount)"
                               : "expected 3!a15d (currency, amount)");
    txs_slice date = {v.p, d}, ccy = {v.p + d, 3}, amt = {v.p + d + 3, v.n - d - 3};
    if (dated && !all_digits(date)) return bad(g, f, "the date is not 6!n (YYMMDD)");
    if (!ccy_ok(ccy)) return bad(g, f, "the currency is not 3!a");
    if (!amount_ok(amt))
        return bad(g, f, "the amount is not 15d (digits with a decimal comma)");
    if (f->num == 33) {
        char *s = txs_arena_alloc(&g->m->arena, v.n + 2);
        if (s == NULL) return TXS_E_NOMEM;
        int n = snprintf(s, v.n + 2, "%.3s %.*s", ccy.p, (int)amt.n, amt.p);
        return set1(g->m, &l->ref[TXS_PR_INSTD_AMT], &l->ref_src[TXS_PR_INSTD_AMT],
                   (txs_slice){s, (size_t)n}, src(g->m, f, ""));
    }
    l->ccy = ccy;
    l->amount = amt;
    l->decimal = ',';
    l->amount_src = src(g->m, f, "");
    if (dated) {
        const char *why = NULL;
        if (txs__pay_date(date.p, date.n, &l->ts, &why) < 0) return bad(g, f, why);
        l->has_ts = 1;
        l->date_src = l->amount_src;
    }
    return 0;
}

/* 8 or 11 capital letters and digits.  The shape 4!a2!a2!c[3!c] and an
 * assigned country are not asked for: public test messages use
 * placeholder BICs ("CP01AA89787", "BICFOOYY") that must still map. */
static int bic_ok(txs_slice b)
{
    static const uint8_t ok[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
        ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
        ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
        ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
        ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1};
    if (b.n != 8 && b.n != 11) return 0;
    if (!txs_upper_alnum8(b.p)) return 0;
    return b.n == 8 || (ok[(unsigned char)b.p[8]] & ok[(unsigned char)b.p[9]] &
                        ok[(unsigned char)b.p[10]]);
}

/* "/D/account", "/account", "//clearing code" on a party's first line. */
static int account_line(txs_mt_reader *m, txs_pay_party *p, const mt_field *f, txs_slice ln)
{
    txs_slice a = {ln.p + 1, ln.n - 1};
    if (a.n >= 2 && a.p[1] == '/' && (a.p[0] == 'C' || a.p[0] == 'D'))
        a = (txs_slice){a.p + 2, a.n - 2};
    if (a.n && a.p[0] == '/') {   /* //FW123: a clearing system code */
        TXS_TRY(set1(m, &p->v[TXS_PF_OTHER_ID], &p->src[TXS_PF_OTHER_ID],
                     (txs_slice){a.p + 1, a.n - 1}, src(m, f, "")));
        return set1(m, &p->v[TXS_PF_SCHEME], &p->src[TXS_PF_SCHEME], TXS_SLICE_LIT("clearing"),
                   src(m, f, ""));
    }
    /* MT does not type the account: it is an IBAN when it is one (an
     * IBAN-shaped account whose check digits fail, such as prowide's
     * ES0123456789012345671234, is an account number) */
    txs_iban ib;
    int iban = a.n >= 15 && a.p[0] >= 'A' && a.p[0] <= 'Z' && a.p[1] >= 'A' && a.p[1] <= 'Z' &&
               txs_iban_country_length(a.p) == (int)a.n &&   /* cheap: most are not */
               txs_iban_parse(a.p, a.n, &ib, NULL) == 0;
    int fi = iban ? TXS_PF_IBAN : TXS_PF_ACCOUNT;
    if (iban) p->iban_ok = 1; /* the mapping need not parse it again */
    return set1(m, &p->v[fi], &p->src[fi], a, src(m, f, ""));
}

/* Option F: numbered lines 1/ name, 2/ address, 3/ country/town, 8/ more. */
static int option_f(mt_msg *g, txs_pay_party *p, const mt_field *f, txs_slice v, size_t pos)
{
    txs_mt_reader *m = g->m;
    txs_slice ln;
    int last = 0;
    while (next_line(v, &pos, &ln)) {
        if (ln.n < 2 || ln.p[1] != '/' || ln.p[0] < '1' || ln.p[0] > '8')
            return bad(g, f, "option F lines must start with 1/ to 8/");
        int k = ln.p[0] == '8' ? last : ln.p[0] - '0';
        txs_slice t = {ln.p + 2, ln.n - 2};
        char sub[3] = {ln.p[0], '/', 0};
        if (k == 1) {
            TXS_TRY(txs__pay_append(&m->arena, &p->v[TXS_PF_NAME], t.p, t.n));
            p->src[TXS_PF_NAME] = src(m, f, sub);
        } else if (k == 2 || (k == 3 && ln.p[0] == '8')) {
            TXS_TRY(txs__pay_append(&m->arena, &p->v[TXS_PF_LINES], t.p, t.n));
            p->src[TXS_PF_LINES] = src(m, f, sub);
        } else if (k == 3) {
            if (t.n < 2 || (t.n > 2 && t.p[2] != '/'))
                return bad(g, f, "line 3/ must be 3/CC/town (a country code first)");
            TXS_TRY(set1(m, &p->v[TXS_PF_COUNTRY], &p->src[TXS_PF_COUNTRY], (txs_slice){t.p, 2},
                         src(m, f, "3/")));
            if (t.n > 3)
                TXS_TRY(set1(m, &p->v[TXS_PF_TOWN], &p->src[TXS_PF_TOWN],
                            (txs_slice){t.p + 3, t.n - 3}, src(m, f, "3/")));
        }
        last = k;
    }
    if (p->v[TXS_PF_NAME].n == 0 && f->num != 50)
        return bad(g, f, "option F without a 1/ name line");
    /* '\n' between the 1/ lines of one name reads as a space. */
    for (size_t i = 0; i < p->v[TXS_PF_NAME].n; i++)
        if (p->v[TXS_PF_NAME].p[i] == '\n') ((char *)p->v[TXS_PF_NAME].p)[i] = ' ';
    return 0;
}

/* One party field (50a-59a) into p. */
static int party(mt_msg *g, txs_pay_party *p, const mt_field *f)
{
    txs_mt_reader *m = g->m;
    size_t pos = 0;
    txs_slice ln = {NULL, 0};
    char o = f->opt;
    int have = next_line(f->v, &pos, &ln);
    if (!have) return bad(g, f, "empty party field");
    if (ln.n && ln.p[0] == '/') {
        TXS_TRY(account_line(m, p, f, ln));
        if (!next_line(f->v, &pos, &ln)) ln.n = 0, ln.p = NULL;
    } else if (o == 'F' && ln.n > 8 && ln.p[4] == '/' && ln.p[7] == '/' && ln.p[1] != '/') {
        /* 4!a/2!a/27x: a party identifier with its code and country */
        TXS_TRY(set1(m, &p->v[TXS_PF_SCHEME], &p->src[TXS_PF_SCHEME], (txs_slice){ln.p, 4},
                    src(m, f, "")));
        TXS_TRY(set1(m, &p->v[TXS_PF_OTHER_ID], &p->src[TXS_PF_OTHER_ID],
                     (txs_slice){ln.p + 8, ln.n - 8}, src(m, f, "")));
        if (!next_line(f->v, &pos, &ln)) ln.n = 0, ln.p = NULL;
    }
    if (o == 'A' || o == 'C' || o == 'G') {
        if (o == 'C' && f->num != 50) return 0;   /* 56C/57C: the account only */
        if (!bic_ok(ln)) return bad(g, f, "the BIC is not 8 or 11 capital letters and digits");
        return set1(m, &p->v[TXS_PF_BIC], &p->src[TXS_PF_BIC], ln, src(m, f, ""));
    }
    if (o == 'L') return set1(m, &p->v[TXS_PF_OTHER_ID], &p->src[TXS_PF_OTHER_ID], ln, src(m, f, ""));
    if (o == 'F') {
        if (ln.p == NULL) return bad(g, f, "option F without its numbered lines");
        return option_f(g, p, f, f->v, (size_t)(ln.p - f->v.p));
    }
    if (ln.p == NULL) return 0;
    if (o == 'B')   /* [/account] [location] */
        return set1(m, &p->v[TXS_PF_LINES], &p->src[TXS_PF_LINES], ln, src(m, f, ""));
    /* 50K, 52D-58D, 59: name then address lines. */
    TXS_TRY(set1(m, &p->v[TXS_PF_NAME], &p->src[TXS_PF_NAME], ln, src(m, f, "")));
    size_t rest = (size_t)(ln.p + ln.n - f->v.p);
    while (rest < f->v.n && (f->v.p[rest] == '\r' || f->v.p[rest] == '\n')) rest++;
    if (rest < f->v.n)
        TXS_TRY(set(m, &p->v[TXS_PF_LINES], &p->src[TXS_PF_LINES],
                    (txs_slice){f->v.p + rest, f->v.n - rest}, src(m, f, "")));
    return 0;
}

/* ------------------------------------------------------------- mapping */

enum { MT101 = 101, MT103 = 103, MT202 = 202, MT205 = 205 };

/* The role of party field num, or -1 when num is not a party here. */
static int role_of(int type, int seq_b, const mt_field *f)
{
    switch (f->num) {
    case 50:
        if (type == MT101 && (f->opt == 'C' || f->opt == 'L')) return TXS_ROLE_INITIATING;
        return type == MT202 || type == MT205 ? (seq_b ? TXS_ROLE_DEBTOR : -1) : TXS_ROLE_DEBTOR;
    case 52:
        return (type == MT202 || type == MT205) && !seq_b ? TXS_ROLE_DEBTOR
                                                          : TXS_ROLE_DEBTOR_AGENT;
    case 53: return TXS_ROLE_INSTG_REIMB;
    case 54: return TXS_ROLE_INSTD_REIMB;
    case 55: return TXS_ROLE_THIRD_REIMB;
    case 56: return TXS_ROLE_INTERMEDIARY1;
    case 57: return TXS_ROLE_CREDITOR_AGENT;
    case 58: return type == MT202 || type == MT205 ? TXS_ROLE_CREDITOR : -1;
    case 59: return TXS_ROLE_CREDITOR;
    default: return -1;
    }
}

static int text_ref(mt_msg *g, txs_pay_layer *l, int r, const mt_field *f)
{
    txs_mt_reader *m = g->m;
    if (l->ref[r].n == 0) return set_field(m, &l->ref[r], &l->ref_src[r], f);
    /* :72: of sequence A and of sequence B: both kept */
    txs_slice v = f->v;
    if ((f->multi || m->stray_cr) && memchr(v.p, '\r', v.n)) TXS_TRY(set(m, &v, &(txs_slice){0}, f->v, TXS_SLICE_LIT("")));
    return txs__pay_append(&m->arena, &l->ref[r], v.p, v.n);
}

static int field(mt_msg *g, int type, int seq_b, txs_pay_layer *l, const mt_field *f)
{
    txs_mt_reader *m = g->m;
    int role = role_of(type, seq_b, f);
    if (role >= 0) {
        int scope = seq_b && type != MT101 ? TXS_SCOPE_UNDERLYING : TXS_SCOPE_TXN;
        txs_pay_party *p = txs__pay_party(l, role, scope);
        return p ? party(g, p, f) : 0;
    }
    switch (f->num) {
    case 20:
        return set_field(m, &l->ref[type == MT101 ? TXS_PR_MSG_ID : TXS_PR_INSTR_ID],
                         &l->ref_src[type == MT101 ? TXS_PR_MSG_ID : TXS_PR_INSTR_ID], f);
    case 21:
        if (f->opt) return 0;   /* 21R, 21F: customer references */
        if (type == MT101)
            TXS_TRY(set_field(m, &l->ref[TXS_PR_INSTR_ID], &l->ref_src[TXS_PR_INSTR_ID], f));
        return set_field(m, &l->ref[TXS_PR_END_TO_END], &l->ref_src[TXS_PR_END_TO_END], f);
    case 32:
        if (f->opt == 'A' && type != MT101) return amount_field(g, l, f, 1);
        if (f->opt == 'B' && type == MT101) return amount_field(g, l, f, 0);
        return bad(g, f, "not a field of this message type");
    case 33:
        return f->opt == 'B' ? amount_field(g, l, f, 0) : 0;
    case 30: {
        const char *why = NULL;
        if (f->opt || f->v.n != 6 || !all_digits(f->v) ||
            txs__pay_date(f->v.p, f->v.n, &l->ts, &why) < 0)
            return bad(g, f, why ? why : "expected 6!n (YYMMDD)");
        l->has_ts = 1;
        l->date_src = src(m, f, "");
        return 0;
    }
    case 70: return text_ref(g, l, TXS_PR_REMITTANCE, f);
    case 72: return text_ref(g, l, TXS_PR_INSTRUCTIONS, f);
    case 77: return f->opt == 'B' ? text_ref(g, l, TXS_PR_REGULATORY, f) : 0;
    case 71: return f->opt == 'A' ? text_ref(g, l, TXS_PR_CHARGES, f) : 0;
    case 26: return f->opt == 'T' ? text_ref(g, l, TXS_PR_PURPOSE, f) : 0;
    default: return 0;   /* 13C, 23B, 23E, 25, 28D, 36, 51A, 71F/G ... */
    }
}

/* The BIC (8 + 3 branch letters) in a 12-letter logical terminal. */
static txs_slice lt_bic(txs_mt_reader *m, const char *lt)
{
    char b[11];
    memcpy(b, lt, 8);
    memcpy(b + 8, lt + 9, 3);
    char *c = txs_arena_dup(&m->arena, b, 11);
    return (txs_slice){c, c ? 11 : 0};
}

/* Block 1 (F01 + sender or receiver LT), block 2 (I/O, type, the other
 * LT), block 3 (UETR, COV).  Returns the MT number or a negative status. */
static int headers(mt_msg *g, txs_pay_layer *grp, int *service)
{
    txs_mt_reader *m = g->m;
    txs_slice b1 = m->b1;
    *service = 0;
    if (b1.n >= 3 && (b1.p[0] == 'F' || b1.p[0] == 'A' || b1.p[0] == 'L') && b1.p[1] >= '0' &&
        b1.p[1] <= '9' && b1.p[2] >= '0' && b1.p[2] <= '9') {
        if (memcmp(b1.p + 1, "01", 2) != 0) return *service = 1, 0;
        b1 = (txs_slice){b1.p + 3, b1.n - 3};
    }
    g->where = "{1:";
    if (b1.n < 12) return snprintf(g->why, sizeof g->why, "block 1 has no 12-character logical terminal"), TXS_E_FORMAT;
    if (m->b2.p == NULL) return snprintf(g->why, sizeof g->why, "no application header block {2:}"), TXS_E_FORMAT;
    g->where = "{2:";
    txs_slice b2 = m->b2;
    if (b2.n < 4 || (b2.p[0] != 'I' && b2.p[0] != 'O') || !all_digits((txs_slice){b2.p + 1, 3}))
        return snprintf(g->why, sizeof g->why, "block 2 must start with I or O and the message type"), TXS_E_FORMAT;
    int type = (b2.p[1] - '0') * 100 + (b2.p[2] - '0') * 10 + (b2.p[3] - '0');
    const char *other = NULL;
    if (b2.p[0] == 'I' && b2.n >= 16) other = b2.p + 4;        /* receiver */
    else if (b2.p[0] == 'O' && b2.n >= 26) other = b2.p + 14;  /* sender, in the MIR */
    if (other == NULL) return snprintf(g->why, sizeof g->why, "block 2 is too short for its logical terminal"), TXS_E_FORMAT;
    int cov = m->b3.p && mem_find(m->b3, "{119:COV}") != NULL;
    memcpy(m->kind, "MT", 2);
    memcpy(m->kind + 2, b2.p + 1, 3);
    memcpy(m->kind + 5, cov ? "COV" : "", cov ? 4 : 1);
    if (type != MT101 && type != MT103 && type != MT202 && type != MT205) {
        snprintf(g->why, sizeof g->why, "unsupported message type MT%03d", type);
        return TXS_E_FORMAT;
    }
    txs_slice mine = lt_bic(m, b1.p), theirs = lt_bic(m, other);
    txs_pay_party *s = txs__pay_party(grp, TXS_ROLE_INSTRUCTING, TXS_SCOPE_TXN);
    txs_pay_party *r = txs__pay_party(grp, TXS_ROLE_INSTRUCTED, TXS_SCOPE_TXN);
    const char *w1 = "{1:", *w2 = "{2:";
    s->v[TXS_PF_BIC] = b2.p[0] == 'I' ? mine : theirs;
    s->src[TXS_PF_BIC] = b2.p[0] == 'I' ? (txs_slice){w1, 3} : (txs_slice){w2, 3};
    r->v[TXS_PF_BIC] = b2.p[0] == 'I' ? theirs : mine;
    r->src[TXS_PF_BIC] = b2.p[0] == 'I' ? (txs_slice){w2, 3} : (txs_slice){w1, 3};
    const char *u = m->b3.p ? mem_find(m->b3, "{121:") : NULL;
    if (u) {
        const char *ue = memchr(u, '}', (size_t)(m->b3.p + m->b3.n - u));
        if (ue) {
            grp->ref[TXS_PR_UETR] = (txs_slice){u + 5, (size_t)(ue - u - 5)};
            grp->ref_src[TXS_PR_UETR] = TXS_SLICE_LIT("{3:{121:}");
        }
    }
    return type;
}

/* ------------------------------------------------------------ messages */

static int emit(mt_msg *g, txs_pay_layer *const *layers, size_t n)
{
    txs_mt_reader *m = g->m;
    txs_pay_out *o = &m->out;
    o->kind = m->kind;
    o->file = m->c->file;
    o->message = m->msgno;
    o->file_index = m->c->file_index;
    o->line = m->line;
    o->offset = m->offset;
    o->arena = &m->arena;
    txs_txn t;
    const char *where = "";
    int rc = txs__pay_finish(layers, n, o, &t, &where, g->why, sizeof g->why);
    if (rc == TXS_E_FORMAT) {
        m->c->counts->txn_rejects++;
        return txs__pay_reject(m->c, m->msgno, m->line, where, g->why);
    }
    if (rc < 0) return rc;
    m->c->counts->txns++;
    return m->c->sink->txn ? m->c->sink->txn(m->c->sink->ctx, &t) : 0;
}

/* Fields into layers: MT101 sequence A into the group, each sequence B
 * (from its :21:) into a transaction of its own; the others whole. */
static int map_fields(mt_msg *g, int type, int *ntx)
{
    txs_mt_reader *m = g->m;
    txs_pay_layer *layers[2] = {&m->group, &m->txn};
    int seq_b = 0;
    *ntx = 0;
    for (size_t i = 0; i < m->nf; i++) {
        const mt_field *f = &m->f[i];
        if (type == MT101 && f->num == 21 && f->opt == 0) {
            if (seq_b) {
                TXS_TRY(emit(g, layers, 2));
                (*ntx)++;
                txs__pay_layer_reset(&m->txn);
            }
            seq_b = 1;
        }
        /* MT202/205 COV: sequence B (the underlying customer transfer)
         * starts at its ordering customer. */
        if ((type == MT202 || type == MT205) && f->num == 50) seq_b = 1;
        txs_pay_layer *l = type == MT101 && !seq_b ? &m->group : &m->txn;
        TXS_TRY(field(g, type, seq_b, l, f));
    }
    if (type == MT101 && !seq_b) return bad(g, NULL, "MT101 without a transaction (sequence B, :21:)");
    if (type != MT101) {
        static const struct { int type, num; const char *tag; } need[] = {
            {MT103, 20, "20"}, {MT103, 32, "32A"}, {MT103, 50, "50a"}, {MT103, 59, "59a"},
            {MT202, 20, "20"}, {MT202, 21, "21"}, {MT202, 32, "32A"}, {MT202, 58, "58a"},
            {MT205, 20, "20"}, {MT205, 21, "21"}, {MT205, 32, "32A"}, {MT205, 58, "58a"},
        };
        for (size_t k = 0; k < TXS_ARRAY_LEN(need); k++) {
            if (need[k].type != type) continue;
            if (!(m->seen[need[k].num >> 6] & (1ull << (need[k].num & 63)))) {
                g->where = "{4:";
                snprintf(g->why, sizeof g->why, "mandatory field :%s: is missing", need[k].tag);
                return TXS_E_FORMAT;
            }
        }
    }
    (*ntx)++;
    return emit(g, layers, 2);
}

static int message(txs_mt_reader *m, const char *s, const char *e)
{
    const txs_pay_ctx *c = m->c;
    mt_msg g = {m, "", {0}};
    txs_arena_reset(&m->arena);
    m->nl4_ok = 0;
    txs__pay_layer_reset(&m->group);
    txs__pay_layer_reset(&m->txn);
    m->kind[0] = 0;
    int service = 0, ntx = 0;
    const char *why = e - s > (long)MT_MAX_MSG ? "message longer than 256 KiB" : blocks(m, s, e);
    int rc = why ? TXS_E_FORMAT : headers(&g, &m->group, &service);
    if (why) snprintf(g.why, sizeof g.why, "%s", why);
    if (rc >= 0 && service) {
        c->counts->service++;
        return 0;
    }
    c->counts->messages++;
    if (rc >= 0 && m->b4.p == NULL) {
        g.where = "{4:";
        snprintf(g.why, sizeof g.why, "no text block {4:}");
        rc = TXS_E_FORMAT;
    }
    if (rc >= 0 && (why = fields(m)) != NULL) {
        g.where = "{4:";
        snprintf(g.why, sizeof g.why, "%s", why);
        rc = TXS_E_FORMAT;
    }
    if (rc >= 0) rc = map_fields(&g, rc, &ntx);
    if (rc == TXS_E_FORMAT) {
        c->counts->rejected++;
        return txs__pay_reject(c, m->msgno, m->line, g.where, g.why);
    }
    if (rc < 0) return rc;
    c->counts->mapped++;
    return 0;
}

static uint64_t line_breaks(const char *p, const char *q)
{
    uint64_t n = 0;
    const char *x = p;
#if MT_SSE2
    /* each match adds one to its byte lane (compare gives -1), summed
     * across lanes every 255 blocks, before a lane can wrap */
    const __m128i lf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (q - x >= 16) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && q - x >= 16; k++, x += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)x), lf));
        __m128i sum = _mm_sad_epu8(acc, zero);
        n += (uint64_t)_mm_cvtsi128_si32(sum) + (uint64_t)_mm_extract_epi16(sum, 4);
    }
#endif
    for (; (x = memchr(x, '\n', (size_t)(q - x))) != NULL; x++) n++;
    return n;
}

static void advance(txs_mt_reader *m, const char *p, const char *q)
{
    m->line += line_breaks(p, q);
    m->offset += (uint64_t)(q - p);
}

/* Past message [s, next): its block 4's line breaks were counted when its
 * fields were split (when they were), the rest is searched. */
static void advance_message(txs_mt_reader *m, const char *s, const char *next)
{
    if (!m->nl4_ok) {
        advance(m, s, next);
        return;
    }
    const char *b = m->b4.p, *be = b + m->b4.n;
    m->line += line_breaks(s, b) + m->nl4 + line_breaks(be, next);
    m->offset += (uint64_t)(next - s);
}

/* Where the message starting at s ends: the next "{1:" or '$'; NULL when
 * neither is in [s+1, e) yet.  *dollar caches the next '$' at or after s
 * (e when none), so a chunk is searched for '$' once, not per message. */
static const char *boundary(const char *s, const char *e, const char **dollar)
{
    if (*dollar < s + 1) {
        const char *d = memchr(s + 1, '$', (size_t)(e - (s + 1)));
        *dollar = d ? d : e;
    }
    const char *lim = *dollar;
    for (const char *x = s + 1; x < lim; x++) {
        x = memchr(x, '{', (size_t)(lim - x));
        if (x == NULL) break;
        if (x + 2 >= e) return NULL;   /* "{1" cut by the chunk: read more */
        if (x[1] == '1' && x[2] == ':') return x;
    }
    return lim < e ? lim : NULL;
}

long txs__mt_feed(txs_mt_reader *m, const char *p, size_t n, int last)
{
    const char *s = p, *e = p + n, *dollar = p;
    for (;;) {
        /* Skip separators and blank space between messages. */
        const char *q = s;
        while (q < e && (*q == '$' || *q == ' ' || *q == '\r' || *q == '\n' || *q == '\t')) q++;
        advance(m, s, q);
        s = q;
        if (s >= e) break;
        const char *next = boundary(s, e, &dollar);
        if (next == NULL) {
            if (!last && (size_t)(e - s) <= MT_MAX_MSG) break;
            next = e;
            if (!last) next = s + MT_MAX_MSG + 1;
        }
        m->msgno++;
        int rc = message(m, s, next);
        if (rc < 0) return rc;
        advance_message(m, s, next);
        s = next;
    }
    return (long)(s - p);
}
