/*
 * gen_embed.c: `txscreen gen --embed-amlworld PATTERNS.csv`.  Writes an
 * AMLworld *_Trans.csv export: benign background (the generator's, in the
 * amlworld format) spread over the days the patterns cover, with every row
 * of the patterns file merged in by time, its first 11 fields copied byte
 * for byte.  The labels name each pattern row by the id the engine's
 * amlworld profile gives it (generate: line, "<file basename>:<line>").
 *
 *   patterns file  -> rows (validated, file:line on error), stable-sorted
 *                     by timestamp, a set of their account numbers
 *   background i   -> time start + (i * span + u) / rows, u < span: even
 *                     over the span, non-decreasing
 *   merge          -> a pattern row goes out before the first background
 *                     row whose time passes it (its minute plus a seeded
 *                     second, so it lands inside its minute)
 *
 * Memory: the patterns file (held whole: a few hundred KB) plus the fixed
 * generator state; nothing grows with the background's rows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

#define OUT_BUF (1u << 20)

static const char *const ibm_cols[13] = {
    "Timestamp", "From Bank", "Account", "To Bank", "Account", "Amount Received",
    "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format",
    "Is Laundering", "Pattern ID", "Typology"};

typedef struct prow {
    int64_t key;         /* epoch seconds: the minute plus a seeded second */
    uint32_t line;       /* in the patterns file */
    uint32_t index;      /* file order, for a stable sort */
    uint32_t off, len;   /* the first 11 fields, raw */
    uint32_t pid_off, pid_len, typ_off, typ_len;
} prow;

typedef struct pfile {
    char *blob;
    size_t n;
    prow *rows;
    uint32_t nrows;
    uint32_t *acct_set;  /* pattern account numbers, open addressing */
    uint8_t *acct_used;  /* slot in use */
    uint32_t set_cap;
} pfile;

/* ------------------------------------------------------------- helpers */

typedef struct fspan {
    uint32_t off, len;
} fspan;

/* Split one CSV line [s, e) into at most max fields (RFC 4180 quotes).
 * Spans are raw (quotes included).  Returns the field count, -1 on an
 * unterminated quote. */
static int split_line(const char *base, size_t s, size_t e, fspan *f, int max)
{
    int n = 0;
    size_t i = s;
    for (;;) {
        size_t start = i;
        if (i < e && base[i] == '"') {
            i++;
            for (;;) {
                if (i >= e) return -1;
                if (base[i] == '"') {
                    if (i + 1 < e && base[i + 1] == '"') { i += 2; continue; }
                    i++;
                    break;
                }
                i++;
            }
        }
        while (i < e && base[i] != ',') i++;
        if (n < max) f[n] = (fspan){(uint32_t)start, (uint32_t)(i - start)};
        n++;
        if (i >= e) break;
        i++; /* the comma */
    }
    return n;
}

static int all_of(const char *p, size_t n, const char *set)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, p[i]) || p[i] == 0) return 0;
    return 1;
}

static int is_amount(const char *p, size_t n)
{
    size_t i = 0, digits = 0, dots = 0;
    for (; i < n; i++) {
        if (p[i] >= '0' && p[i] <= '9') digits++;
        else if (p[i] == '.' && dots++ == 0) continue;
        else return 0;
    }
    return digits > 0;
}

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* "YYYY/MM/DD HH:MM" to epoch seconds; -1 if malformed. */
static int64_t parse_ts(const char *p, size_t n)
{
    if (n != 16 || p[4] != '/' || p[7] != '/' || p[10] != ' ' || p[13] != ':') return -1;
    static const int at[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        if (p[at[i]] < '0' || p[at[i]] > '9') return -1;
#define D2(i) ((p[i] - '0') * 10 + (p[(i) + 1] - '0'))
    int y = D2(0) * 100 + D2(2);
    int mo = D2(5), d = D2(8), h = D2(11), mi = D2(14);
#undef D2
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59) return -1;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return -1;
    return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60;
}

/* AMLworld-style account numbers the generator can print ('8' and 8 hex
 * digits): the background must not reuse them. */
static int acct_value(const char *p, size_t n, uint32_t *v)
{
    if (n != 9 || p[0] != '8') return 0;
    uint32_t x = 0;
    for (size_t i = 1; i < 9; i++) {
        char c = p[i];
        int k = c >= '0' && c <= '9' ? c - '0'
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (k < 0) return 0;
        x = x << 4 | (uint32_t)k;
    }
    *v = x;
    return 1;
}

static uint32_t set_slot(const pfile *P, uint32_t v)
{
    uint32_t i = (uint32_t)(gen_hash2(0x5E7, v) & (P->set_cap - 1));
    while (P->acct_used[i] && P->acct_set[i] != v) i = (i + 1) & (P->set_cap - 1);
    return i;
}

static int set_has(const pfile *P, uint32_t v)
{
    return P->acct_used[set_slot(P, v)];
}

static void set_add(pfile *P, uint32_t v)
{
    uint32_t i = set_slot(P, v);
    P->acct_used[i] = 1;
    P->acct_set[i] = v;
}

static int cmp_rows(const void *a, const void *b)
{
    const prow *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void pfile_free(pfile *P)
{
    free(P->blob);
    free(P->rows);
    free(P->acct_set);
    free(P->acct_used);
}

/* ------------------------------------------------------- the patterns */

#define BAD(...) txs_diag_set(d, TXS_E_FORMAT, path, line, __VA_ARGS__)

static int load_patterns(const char *path, uint64_t seed, pfile *P, txs_diag *d)
{
    unsigned long line = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open patterns file: %s",
                            strerror(errno));
    size_t cap = 0;
    for (;;) {
        if (cap - P->n < 65536) {
            cap = cap ? cap * 2 : 1u << 20;
            char *nb = realloc(P->blob, cap);
            if (!nb) { fclose(f); return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory"); }
            P->blob = nb;
        }
        size_t got = fread(P->blob + P->n, 1, cap - P->n, f);
        P->n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) return txs_diag_set(d, TXS_E_IO, path, 0, "read error");
    if (P->n > UINT32_MAX - 1) return txs_diag_set(d, TXS_E_FORMAT, path, 0, "file too large");
    uint32_t nl = 1;
    for (size_t i = 0; i < P->n; i++) nl += P->blob[i] == '\n';
    P->rows = malloc(nl * sizeof *P->rows);
    P->set_cap = 1;
    while (P->set_cap < 4 * nl) P->set_cap <<= 1;
    P->acct_set = malloc(P->set_cap * sizeof *P->acct_set);
    P->acct_used = calloc(P->set_cap, 1);
    if (!P->rows || !P->acct_set || !P->acct_used)
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    const char *b = P->blob;
    size_t pos = 0;
    if (P->n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) pos = 3; /* BOM */
    while (pos < P->n) {
        size_t eol = pos;
        while (eol < P->n && b[eol] != '\n') eol++;
        size_t e = eol;
        if (e > pos && b[e - 1] == '\r') e--;
        line++;
        fspan fl[16];
        if (e == pos) {
            if (line == 1) return BAD("empty header line");
            pos = eol + 1;
            continue; /* blank line */
        }
        int nf = split_line(b, pos, e, fl, 16);
        if (nf < 0) return BAD("unterminated quoted field");
        if (line == 1) {
            if (nf < 13) return BAD("header has %d columns, expected at least 13 (%s ... %s)",
                                    nf, ibm_cols[0], ibm_cols[12]);
            for (int i = 0; i < 13; i++)
                if (fl[i].len != strlen(ibm_cols[i]) ||
                    memcmp(b + fl[i].off, ibm_cols[i], fl[i].len) != 0)
                    return BAD("header column %d is '%.*s', expected '%s'", i + 1,
                               (int)fl[i].len, b + fl[i].off, ibm_cols[i]);
            pos = eol + 1;
            continue;
        }
        if (nf < 13) return BAD("%d fields, expected at least 13", nf);
        const char *v[13];
        for (int i = 0; i < 13; i++) v[i] = b + fl[i].off;
        int64_t ts = parse_ts(v[0], fl[0].len);
        if (ts < 0) return BAD("bad Timestamp '%.*s' (YYYY/MM/DD HH:MM)", (int)fl[0].len, v[0]);
        for (int k = 1; k <= 3; k += 2)
            if (!all_of(v[k], fl[k].len, "0123456789"))
                return BAD("bad bank id '%.*s' in column %d", (int)fl[k].len, v[k], k + 1);
        for (int k = 2; k <= 4; k += 2)
            if (!all_of(v[k], fl[k].len,
                        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
                return BAD("bad account '%.*s' in column %d", (int)fl[k].len, v[k], k + 1);
        for (int k = 5; k <= 7; k += 2)
            if (!is_amount(v[k], fl[k].len))
                return BAD("bad amount '%.*s' in column %d", (int)fl[k].len, v[k], k + 1);
        if (fl[6].len == 0 || fl[8].len == 0) return BAD("empty currency");
        if (fl[9].len == 0) return BAD("empty Payment Format");
        if (fl[10].len != 1 || (v[10][0] != '0' && v[10][0] != '1'))
            return BAD("Is Laundering must be 0 or 1, not '%.*s'", (int)fl[10].len, v[10]);
        if (fl[11].len == 0 || !all_of(v[11], fl[11].len,
                                       "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"))
            return BAD("bad Pattern ID '%.*s'", (int)fl[11].len, v[11]);
        if (!all_of(v[12], fl[12].len, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_- "))
            return BAD("bad Typology '%.*s'", (int)fl[12].len, v[12]);
        uint32_t len = fl[10].off + fl[10].len - (uint32_t)pos;
        if (len >= GEN_REC_MAX - 1) return BAD("line too long");
        for (int k = 2; k <= 4; k += 2) {
            uint32_t a;
            if (acct_value(v[k], fl[k].len, &a)) set_add(P, a);
        }
        prow *r = &P->rows[P->nrows];
        r->key = ts + (int64_t)(gen_hash2(seed ^ 0xE3BEDull, P->nrows) % 60);
        r->line = (uint32_t)line;
        r->index = P->nrows;
        r->off = (uint32_t)pos;
        r->len = len;
        r->pid_off = fl[11].off;
        r->pid_len = fl[11].len;
        r->typ_off = fl[12].off;
        r->typ_len = fl[12].len;
        P->nrows++;
        pos = eol + 1;
    }
    if (line == 0) return txs_diag_set(d, TXS_E_FORMAT, path, 0, "empty patterns file");
    if (P->nrows == 0) return txs_diag_set(d, TXS_E_FORMAT, path, 1, "no pattern rows");
    qsort(P->rows, P->nrows, sizeof *P->rows, cmp_rows);
    return 0;
}

#undef BAD

/* Distinct Pattern IDs (a set of their 64-bit hashes; the sorted rows are
 * not grouped by id). */
static uint64_t count_ids(const pfile *P)
{
    uint64_t *set = calloc(P->set_cap, sizeof *set), n = 0;
    if (!set) return 0;
    for (uint32_t i = 0; i < P->nrows; i++) {
        uint64_t h = 1469598103934665603ull;
        for (uint32_t k = 0; k < P->rows[i].pid_len; k++)
            h = (h ^ (unsigned char)P->blob[P->rows[i].pid_off + k]) * 1099511628211ull;
        h |= 1;
        uint32_t j = (uint32_t)(h & (P->set_cap - 1));
        while (set[j] && set[j] != h) j = (j + 1) & (P->set_cap - 1);
        if (!set[j]) {
            set[j] = h;
            n++;
        }
    }
    free(set);
    return n;
}

/* ----------------------------------------------------------- the run */

typedef struct emb {
    FILE *out, *labels;
    char *buf;
    size_t used;
    uint64_t line; /* physical line of the last record written (header: 1) */
    txs_gen_stats *st;
    int failed;
} emb;

static void eflush(emb *E)
{
    if (E->used && fwrite(E->buf, 1, E->used, E->out) != E->used) E->failed = 1;
    E->used = 0;
}

static void commit(emb *E, size_t n)
{
    E->used += n;
    E->st->bytes += n;
    E->st->rows++;
    E->line++;
    if (OUT_BUF - E->used < GEN_REC_MAX) eflush(E);
}

static void emit_pattern(emb *E, const pfile *P, const prow *r, const char *prefix)
{
    memcpy(E->buf + E->used, P->blob + r->off, r->len);
    E->buf[E->used + r->len] = '\n';
    commit(E, r->len + 1);
    E->st->planted++;
    if (!E->labels) return;
    char typ[64];
    size_t tn = r->typ_len < sizeof typ - 1 ? r->typ_len : sizeof typ - 1;
    for (size_t i = 0; i < tn; i++) {
        char c = P->blob[r->typ_off + i];
        typ[i] = c == '-' || c == ' ' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    typ[tn] = 0;
    if (fprintf(E->labels, "%s%llu,%s,%.*s\n", prefix ? prefix : "", (unsigned long long)E->line,
                typ, (int)r->pid_len, P->blob + r->pid_off) < 0)
        E->failed = 1;
}

/* A background account whose AMLworld number a pattern uses gets another,
 * derived from it (stable: the same account maps the same way each time). */
static void avoid(const pfile *P, gen_party *p)
{
    if (!p->account_n) return;
    while (set_has(P, p->aml_acct)) p->aml_acct = (uint32_t)gen_hash2(0xA5A5, p->aml_acct);
}

int gen_embed_run(const txs_gen_opts *o, FILE *out, FILE *labels, txs_gen_stats *st,
                  txs_diag *d)
{
    if (o->rows == 0)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "embedding needs a row count for the background");
    pfile P;
    memset(&P, 0, sizeof P);
    int rc = load_patterns(o->embed_amlworld, o->seed, &P, d);
    if (rc < 0) {
        pfile_free(&P);
        return rc;
    }
    gen_world *w = NULL;
    rc = gen_world_create(o->seed, o->accounts, o->names_path, &w, d);
    if (rc < 0) {
        pfile_free(&P);
        return rc;
    }
    emb E = {out, labels, malloc(OUT_BUF), 0, 1, st, 0};
    if (!E.buf) {
        gen_world_free(w);
        pfile_free(&P);
        return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    }
    gen_ctx g;
    memset(&g, 0, sizeof g);
    g.w = w;
    g.format = TXS_GEN_AMLWORLD;
    g.next_fresh = o->accounts;
    gen_rng_seed(&g.rng, o->seed ^ 0x656D626564000000ull); /* "embed" */
    /* The background covers whole days: from the first pattern's midnight
     * to the midnight after the last pattern's day. */
    int64_t first = P.rows[0].key - P.rows[0].key % 60;
    int64_t last = P.rows[P.nrows - 1].key;
    int64_t start = first - first % 86400;
    int64_t span = (last - last % 86400) + 86400 - start;
    E.used = gen_format_header(TXS_GEN_AMLWORLD, E.buf);
    st->bytes = E.used;
    if (labels && fputs("txn_id,typology,pattern_id\n", labels) < 0) E.failed = 1;
    uint32_t next = 0;
    gen_txn bg;
    for (uint64_t i = 0; i < o->rows && !E.failed; i++) {
        int64_t ts = start + (int64_t)(((uint64_t)i * (uint64_t)span +
                                        gen_below(&g.rng, (uint32_t)span)) / o->rows);
        while (next < P.nrows && P.rows[next].key <= ts)
            emit_pattern(&E, &P, &P.rows[next++], o->label_prefix);
        gen_background(&g, &bg);
        avoid(&P, &bg.orig);
        avoid(&P, &bg.bene);
        bg.ts = ts;
        commit(&E, gen_format_record(TXS_GEN_AMLWORLD, &bg, 0, E.buf + E.used));
    }
    while (next < P.nrows && !E.failed) emit_pattern(&E, &P, &P.rows[next++], o->label_prefix);
    st->patterns = count_ids(&P);
    eflush(&E);
    if (fflush(out) != 0 || ferror(out)) E.failed = 1;
    if (labels && (fflush(labels) != 0 || ferror(labels))) E.failed = 1;
    rc = E.failed ? txs_diag_set(d, TXS_E_OUTPUT, "", 0, "write error") : 0;
    free(E.buf);
    gen_world_free(w);
    pfile_free(&P);
    return rc;
}
