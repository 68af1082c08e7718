/*
 * test_gen.c: the synthetic export generator (bench/gen).  Checks what the
 * benchmark and the evaluation rely on: the same seed gives the same bytes,
 * every native row has the 16 canonical fields, labels name real rows, the
 * planted cases are what their typology says and the background holds no
 * accidental plant, and the generator streams (memory does not grow with
 * rows).  The CSV splitter here is the test's own (RFC 4180, quote-aware),
 * so the generator is not checked against itself.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gen.h"

/* ------------------------------------------------------------- helpers */

typedef struct buf {
    char *p;
    size_t n;
} buf;

typedef struct run_out {
    buf data, labels;
    txs_gen_stats st;
    int rc;
} run_out;

static run_out run_gen(const txs_gen_opts *o)
{
    run_out r;
    memset(&r, 0, sizeof r);
    FILE *out = open_memstream(&r.data.p, &r.data.n);
    FILE *lab = open_memstream(&r.labels.p, &r.labels.n);
    cr_assert(out && lab);
    txs_diag d;
    memset(&d, 0, sizeof d);
    r.rc = txs_gen_run(o, out, lab, &r.st, &d);
    fclose(out);
    fclose(lab);
    return r;
}

static void run_free(run_out *r)
{
    free(r->data.p);
    free(r->labels.p);
}

static txs_gen_opts opts(uint64_t seed, uint64_t rows, double rate)
{
    txs_gen_opts o;
    txs_gen_opts_default(&o);
    o.seed = seed;
    o.rows = rows;
    o.plant_rate = rate;
    o.accounts = 20000;
    return o;
}

#define MAXF 20
#define FIELD_MAX 256

/* Split one CSV record at *pos (RFC 4180).  Fields are unquoted into f.
 * Returns the field count, or 0 at the end of the data. */
static int split_csv(const buf *b, size_t *pos, char f[MAXF][FIELD_MAX])
{
    size_t i = *pos;
    if (i >= b->n) return 0;
    int nf = 0;
    size_t k = 0;
    int quoted = 0, in_field_start = 1;
    for (; i < b->n; i++) {
        char c = b->p[i];
        if (quoted) {
            if (c == '"' && i + 1 < b->n && b->p[i + 1] == '"') {
                if (k < FIELD_MAX - 1) f[nf][k++] = '"';
                i++;
            } else if (c == '"') {
                quoted = 0;
            } else if (k < FIELD_MAX - 1) {
                f[nf][k++] = c;
            }
            continue;
        }
        if (c == '"' && in_field_start) {
            quoted = 1;
            in_field_start = 0;
        } else if (c == ',' || c == '\n') {
            f[nf][k] = 0;
            nf++;
            k = 0;
            in_field_start = 1;
            if (c == '\n') break;
            cr_assert(nf < MAXF, "too many fields");
        } else {
            in_field_start = 0;
            if (k < FIELD_MAX - 1) f[nf][k++] = c;
        }
    }
    *pos = i + 1;
    return nf;
}

/* Jurisdictions a rule set could call high-risk: FATF black and grey lists
 * of recent editions and the EU high-risk third countries. */
static int high_risk(const char *cc)
{
    static const char list[] =
        "KP IR MM DZ AO BO BG BF CM CI HR CD HT KE LA LB MC MZ NA NP NG PH ZA SS "
        "SY TZ VE VN YE VG ML SN TR JM UG AE BB GI KY PA JO AF IQ KW PG RU TT VU";
    if (strlen(cc) != 2) return 0;
    for (const char *p = list; *p; p += 3) {
        if (p[0] == cc[0] && p[1] == cc[1]) return 1;
        if (!p[2]) break;
    }
    return 0;
}

static int planted_hr(const char *cc)
{
    static const char *const hr[] = {"KP", "IR", "MM", "SY", "YE", "HT", "SS", "VE", "LB"};
    for (size_t i = 0; i < sizeof hr / sizeof hr[0]; i++)
        if (strcmp(cc, hr[i]) == 0) return 1;
    return 0;
}

/* A BIC's country (letters 5-6) into out; 0 if not a well-formed BIC. */
static int bic_country(const char *bic, char out[3])
{
    size_t n = strlen(bic);
    if (n != 8 && n != 11) return 0;
    for (int i = 0; i < 6; i++)
        if (bic[i] < 'A' || bic[i] > 'Z') return 0;
    out[0] = bic[4];
    out[1] = bic[5];
    out[2] = 0;
    return 1;
}

/* USD value of an amount, with the default rule set's round rates (a test
 * may use floating point: it only compares against limits). */
static double usd_value(const char *amount, const char *cur)
{
    static const struct { const char *c; double usd; } fx[] = {
        {"USD", 1}, {"EUR", 1.16}, {"GBP", 1.34}, {"CHF", 1.25}, {"JPY", 0.0067},
        {"CNY", 0.14}, {"INR", 0.0114}, {"AUD", 0.66}, {"CAD", 0.73}, {"MXN", 0.054},
        {"BRL", 0.18}, {"SGD", 0.75}, {"SEK", 0.1}, {"NOK", 0.1}, {"DKK", 0.16},
        {"PLN", 0.27}, {"HKD", 0.13}, {"NZD", 0.6}, {"KRW", 0.00075}};
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++)
        if (strcmp(cur, fx[i].c) == 0) return atof(amount) * fx[i].usd;
    cr_assert_fail("unknown currency %s", cur);
    return 0;
}

enum { F_ID, F_TS, F_AMT, F_CUR, F_CH, F_OACC, F_ONAME, F_OCC, F_OBANK, F_OADDR,
       F_BACC, F_BNAME, F_BCC, F_BBANK, F_BADDR, F_PURPOSE };

/* Typology of each row (by seq), from the labels: -1 for background. */
static int *label_map(const run_out *r, uint64_t rows)
{
    int *typ = malloc((rows + 1) * sizeof *typ);
    for (uint64_t i = 0; i <= rows; i++) typ[i] = -1;
    static char f[MAXF][FIELD_MAX];
    size_t pos = 0;
    cr_assert_eq(split_csv(&r->labels, &pos, f), 3);
    cr_assert_str_eq(f[0], "txn_id");
    cr_assert_str_eq(f[1], "typology");
    cr_assert_str_eq(f[2], "pattern_id");
    int nf;
    while ((nf = split_csv(&r->labels, &pos, f)) > 0) {
        cr_assert_eq(nf, 3);
        cr_assert_eq(f[0][0], 'T');
        uint64_t seq = strtoull(f[0] + 1, NULL, 10);
        cr_assert(seq >= 1 && seq <= rows, "label for a missing row %s", f[0]);
        int t = -1;
        for (int i = 0; txs_gen_typology_name(i); i++)
            if (strcmp(txs_gen_typology_name(i), f[1]) == 0) t = i;
        cr_assert(t >= 0, "unknown typology %s", f[1]);
        cr_assert_eq(f[2][0], 'P');
        typ[seq] = t;
    }
    return typ;
}

/* --------------------------------------------------------------- tests */

Test(gen, same_seed_same_bytes_other_seed_other_bytes)
{
    txs_gen_opts o = opts(42, 20000, 0.01);
    run_out a = run_gen(&o), b = run_gen(&o);
    o.seed = 43;
    run_out c = run_gen(&o);
    cr_assert_eq(a.rc, 0);
    cr_assert_eq(a.data.n, b.data.n);
    cr_assert(memcmp(a.data.p, b.data.p, a.data.n) == 0);
    cr_assert_eq(a.labels.n, b.labels.n);
    cr_assert(memcmp(a.labels.p, b.labels.p, a.labels.n) == 0);
    cr_assert(a.data.n != c.data.n || memcmp(a.data.p, c.data.p, a.data.n) != 0);
    run_free(&a);
    run_free(&b);
    run_free(&c);
}

Test(gen, native_rows_have_16_fields_and_the_canonical_header)
{
    txs_gen_opts o = opts(7, 20000, 0.01);
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    cr_assert_eq(r.st.rows, 20000);
    cr_assert_eq(r.st.bytes, r.data.n);
    const char *hdr = "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,"
                      "orig_country,orig_bank,orig_address,bene_account,bene_name,"
                      "bene_country,bene_bank,bene_address,purpose\n";
    cr_assert(strncmp(r.data.p, hdr, strlen(hdr)) == 0);
    static char f[MAXF][FIELD_MAX];
    size_t pos = strlen(hdr);
    uint64_t rows = 0, quoted_comma = 0;
    char prev_ts[32] = "";
    int nf;
    while ((nf = split_csv(&r.data, &pos, f)) > 0) {
        rows++;
        cr_assert_eq(nf, 16, "row %llu has %d fields", (unsigned long long)rows, nf);
        char id[32];
        snprintf(id, sizeof id, "T%llu", (unsigned long long)rows);
        cr_assert_str_eq(f[F_ID], id);
        cr_assert_eq(strlen(f[F_TS]), 20);
        cr_assert_eq(f[F_TS][19], 'Z');
        cr_assert(strcmp(prev_ts, f[F_TS]) <= 0, "timestamps go back at %s", id);
        strcpy(prev_ts, f[F_TS]);
        if (strchr(f[F_OADDR], ',') || strchr(f[F_BADDR], ',')) quoted_comma++;
    }
    cr_assert_eq(rows, 20000);
    cr_assert_eq(pos, r.data.n, "trailing bytes after the last record");
    cr_assert(quoted_comma > 1000, "addresses with commas exercise quoting");
    run_free(&r);
}

Test(gen, planted_cases_match_their_typology_and_background_is_clean)
{
    const uint64_t rows = 30000;
    txs_gen_opts o = opts(11, rows, 0.02);
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    int *typ = label_map(&r, rows);
    static char f[MAXF][FIELD_MAX];
    size_t pos = 0;
    split_csv(&r.data, &pos, f); /* header */
    uint64_t seq = 0, cash = 0, per[32] = {0};
    int nf;
    while ((nf = split_csv(&r.data, &pos, f)) > 0) {
        seq++;
        int t = typ[seq];
        const char *ty = t >= 0 ? txs_gen_typology_name(t) : "background";
        char ob[3] = "", bb[3] = "";
        int is_cash = strcmp(f[F_CH], "cash") == 0;
        if (f[F_OBANK][0]) cr_assert(bic_country(f[F_OBANK], ob), "bad BIC %s", f[F_OBANK]);
        cr_assert(bic_country(f[F_BBANK], bb), "bad BIC %s", f[F_BBANK]);
        if (is_cash) {
            cash++;
            cr_assert_str_empty(f[F_OACC], "cash deposit with an orig_account");
        } else {
            cr_assert_str_not_empty(f[F_OACC]);
        }
        if (t >= 0) per[t]++;
        if (strcmp(ty, "threshold_cash") == 0) {
            cr_assert(is_cash);
            cr_assert(strcmp(f[F_CUR], "USD") == 0 || strcmp(f[F_CUR], "EUR") == 0);
            cr_assert(atof(f[F_AMT]) > 10000.0 && atof(f[F_AMT]) <= 60000.0, "%s", f[F_AMT]);
        } else if (strcmp(ty, "near_miss_threshold") == 0) {
            cr_assert(is_cash);
            cr_assert_str_eq(f[F_CUR], "USD");
            cr_assert(atof(f[F_AMT]) >= 9000.0 && atof(f[F_AMT]) < 10000.0, "%s", f[F_AMT]);
        } else if (strcmp(ty, "corridor_high_risk") == 0) {
            cr_assert(!is_cash);
            cr_assert(planted_hr(f[F_OCC]) || planted_hr(f[F_BCC]) || planted_hr(ob) ||
                      planted_hr(bb), "corridor row without a high-risk country");
        }
        if (t < 0 || (strcmp(ty, "corridor_high_risk") != 0 && strcmp(ty, "pass_through") != 0)) {
            cr_assert(!high_risk(f[F_OCC]) && !high_risk(f[F_BCC]) && !high_risk(ob) &&
                      !high_risk(bb), "%s row %llu has a high-risk country", ty,
                      (unsigned long long)seq);
        }
        if (t < 0) {
            cr_assert(strcmp(ob, f[F_OCC]) == 0 || !ob[0], "BIC country differs from party");
            cr_assert_str_eq(bb, f[F_BCC]);
            if (is_cash) {
                double usd = usd_value(f[F_AMT], f[F_CUR]);
                cr_assert(usd < (strcmp(f[F_CUR], "USD") == 0 ? 9000.0 : 10000.0),
                          "background cash %s %s", f[F_AMT], f[F_CUR]);
            }
        }
    }
    cr_assert_eq(seq, rows);
    cr_assert(cash > rows / 20, "cash is a real share of the background");
    cr_assert(per[0] > 10 && per[1] > 10 && per[2] > 5, "the single-record typologies planted");
    uint64_t all = 0;
    for (int i = 0; i < 32; i++) all += per[i];
    cr_assert_eq(r.st.planted, all);
    free(typ);
    run_free(&r);
}

Test(gen, jsonl_and_amlworld_have_their_shapes)
{
    txs_gen_opts o = opts(5, 2000, 0.05);
    o.format = TXS_GEN_NATIVE_JSONL;
    run_out j = run_gen(&o);
    cr_assert_eq(j.rc, 0);
    size_t lines = 0;
    for (char *p = j.data.p, *e; p < j.data.p + j.data.n; p = e + 1) {
        e = memchr(p, '\n', (size_t)(j.data.p + j.data.n - p));
        cr_assert(e);
        cr_assert(strncmp(p, "{\"txn_id\":\"T", 12) == 0);
        cr_assert_eq(e[-1], '}');
        lines++;
    }
    cr_assert_eq(lines, 2000);

    o.format = TXS_GEN_AMLWORLD;
    run_out a = run_gen(&o);
    cr_assert_eq(a.rc, 0);
    static char f[MAXF][FIELD_MAX];
    size_t pos = 0;
    cr_assert_eq(split_csv(&a.data, &pos, f), 11);
    cr_assert_str_eq(f[0], "Timestamp");
    cr_assert_str_eq(f[10], "Is Laundering");
    uint64_t rows = 0, positives = 0;
    int nf;
    while ((nf = split_csv(&a.data, &pos, f)) > 0) {
        rows++;
        cr_assert_eq(nf, 11);
        cr_assert_eq(strlen(f[0]), 16); /* 2022/09/01 00:06 */
        cr_assert_eq(f[0][4], '/');
        cr_assert_str_eq(f[5], f[7]);
        positives += f[10][0] == '1';
    }
    cr_assert_eq(rows, 2000);
    cr_assert_gt(positives, 0);
    cr_assert_eq(a.st.per_typology[1], 0, "no corridors in a country-less format");
    run_free(&j);
    run_free(&a);
}

Test(gen, size_target_stops_after_the_record_that_reaches_it)
{
    txs_gen_opts o = opts(3, 0, 0.002);
    o.target_bytes = 300000;
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    cr_assert_geq(r.data.n, 300000);
    /* Patterns still in flight are completed after the target (the tail). */
    cr_assert_lt(r.data.n, 300000 + 1024 + 256 * r.st.tail);
    cr_assert_eq(r.data.p[r.data.n - 1], '\n');
    run_free(&r);
}

Test(gen, bad_options_are_rejected)
{
    txs_gen_opts o = opts(1, 0, 0.01);
    FILE *out = fopen("/dev/null", "w");
    txs_diag d;
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_ARG);
    o = opts(1, 10, 0.01);
    o.accounts = 10;
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_ARG);
    o = opts(1, 10, 0.9);
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_ARG);
    o = opts(1, 10, 0.01);
    o.names_path = "/nonexistent/names.tsv";
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_IO);
    cr_assert_str_eq(d.file, "/nonexistent/names.tsv");
    cr_assert_eq(txs_gen_run(NULL, out, NULL, NULL, &d), TXS_E_ARG);
    txs_gen_format fmt;
    cr_assert_eq(txs_gen_format_parse("xml", &fmt), TXS_E_ARG);
    cr_assert_eq(txs_gen_format_parse("amlworld", &fmt), 0);
    cr_assert_eq(fmt, TXS_GEN_AMLWORLD);
    fclose(out);
}

/* Streaming: 200k rows (~40 MB of CSV) must not raise the peak RSS by more
 * than the fixed world and buffer (a few MB; generous for ASan). */
Test(gen, memory_does_not_grow_with_rows)
{
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    txs_gen_opts o = opts(9, 200000, 0.002);
    o.accounts = 100000;
    FILE *out = fopen("/dev/null", "w");
    FILE *lab = fopen("/dev/null", "w");
    txs_gen_stats st;
    cr_assert_eq(txs_gen_run(&o, out, lab, &st, NULL), 0);
    /* A plant rate that keeps the pattern queue full. */
    o.plant_rate = 0.2;
    txs_gen_stats st2;
    cr_assert_eq(txs_gen_run(&o, out, lab, &st2, NULL), 0);
    fclose(out);
    fclose(lab);
    getrusage(RUSAGE_SELF, &after);
    long grew_kb = after.ru_maxrss - before.ru_maxrss;
    cr_assert_eq(st.rows, 200000);
    cr_assert_eq(st2.rows, 200000);
    cr_assert_gt(st2.planted, 20000);
    cr_assert_gt(st.bytes, 30u * 1024 * 1024);
    cr_assert_lt(grew_kb, 12 * 1024, "peak RSS grew by %ld KB", grew_kb);
}

/* ------------------------------------------------ typologies, in detail */

/* One native row, compact: what the typology checks need. */
typedef struct trow {
    int64_t ts;
    double usd;
    char amount[24], channel[12];
    char orig[16], bene[16], occ[3], bcc[3];
    int typ;          /* -1 background */
    int pattern;      /* 0 background */
} trow;

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    cr_assert_lt(n, cap, "field too long: %s", src);
    memcpy(dst, src, n + 1);
}

static int64_t iso_epoch(const char *s)
{
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    int h = atoi(s + 11), mi = atoi(s + 14), se = atoi(s + 17);
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60 + se;
}

static int typ_index(const char *name)
{
    for (int i = 0; txs_gen_typology_name(i); i++)
        if (strcmp(txs_gen_typology_name(i), name) == 0) return i;
    return -1;
}

/* All rows of a native run with their labels. */
static trow *load_rows(const run_out *r, uint64_t *n_out)
{
    uint64_t cap = r->st.rows + 1, n = 0;
    trow *rows = calloc(cap, sizeof *rows);
    static char f[MAXF][FIELD_MAX];
    size_t pos = 0;
    split_csv(&r->data, &pos, f);
    int nf;
    while ((nf = split_csv(&r->data, &pos, f)) > 0) {
        cr_assert_eq(nf, 16);
        trow *t = &rows[n++];
        t->ts = iso_epoch(f[F_TS]);
        t->usd = planted_hr(f[F_BCC]) || planted_hr(f[F_OCC]) || !strcmp(f[F_CUR], "XBT")
                     ? 0 : usd_value(f[F_AMT], f[F_CUR]);
        copy(t->amount, sizeof t->amount, f[F_AMT]);
        copy(t->channel, sizeof t->channel, f[F_CH]);
        copy(t->orig, sizeof t->orig, f[F_OACC]);
        copy(t->bene, sizeof t->bene, f[F_BACC]);
        copy(t->occ, sizeof t->occ, f[F_OCC]);
        copy(t->bcc, sizeof t->bcc, f[F_BCC]);
        t->typ = -1;
    }
    pos = 0;
    split_csv(&r->labels, &pos, f);
    while ((nf = split_csv(&r->labels, &pos, f)) > 0) {
        uint64_t seq = strtoull(f[0] + 1, NULL, 10);
        cr_assert(seq >= 1 && seq <= n);
        rows[seq - 1].typ = typ_index(f[1]);
        rows[seq - 1].pattern = atoi(f[2] + 1);
        cr_assert(rows[seq - 1].typ >= 0 && rows[seq - 1].pattern > 0);
    }
    *n_out = n;
    return rows;
}

/* Indexes of a pattern's rows, in output order. */
static int pattern_rows(const trow *rows, uint64_t n, int pattern, uint64_t *idx, int cap)
{
    int k = 0;
    for (uint64_t i = 0; i < n; i++)
        if (rows[i].pattern == pattern) {
            cr_assert_lt(k, cap);
            idx[k++] = i;
        }
    return k;
}

static int distinct(const trow *rows, const uint64_t *idx, int k, int bene_side)
{
    int d = 0;
    for (int i = 0; i < k; i++) {
        const char *a = bene_side ? rows[idx[i]].bene : rows[idx[i]].orig;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = !strcmp(a, bene_side ? rows[idx[j]].bene : rows[idx[j]].orig);
        d += !seen;
    }
    return d;
}

static int is_round(const char *amount)
{
    double v = atof(amount);
    return v >= 1000 && (long long)(v * 100 + 0.5) % 100000 == 0;
}

/* Does account a appear in any row before index `before` that is not one
 * of pattern p's? */
static int seen_before(const trow *rows, uint64_t before, const char *a, int64_t *last_ts)
{
    int seen = 0;
    for (uint64_t i = 0; i < before; i++)
        if (!strcmp(rows[i].orig, a) || !strcmp(rows[i].bene, a)) {
            seen = 1;
            if (last_ts) *last_ts = rows[i].ts;
        }
    return seen;
}

#define DAYS(x) ((int64_t)(x) * 86400)

Test(gen, every_typology_is_planted_as_its_definition_says, .timeout = 60)
{
    txs_gen_opts o = opts(17, 60000, 0.01);
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    for (int i = 0; txs_gen_typology_name(i); i++)
        cr_assert_gt(r.st.per_typology[i], 0, "%s never planted", txs_gen_typology_name(i));
    uint64_t n;
    trow *rows = load_rows(&r, &n);
    cr_assert_eq(n, 60000);
    for (uint64_t i = 1; i < n; i++)
        cr_assert_geq(rows[i].ts, rows[i - 1].ts, "time goes back at T%llu",
                      (unsigned long long)i + 1);
    static uint64_t idx[64];
    int checked[32] = {0};
    int maxp = 0;
    for (uint64_t i = 0; i < n; i++)
        if (rows[i].pattern > maxp) maxp = rows[i].pattern;
    for (int p = 1; p <= maxp; p++) {
        int k = pattern_rows(rows, n, p, idx, 64);
        if (k == 0) continue;
        const trow *a = &rows[idx[0]], *z = &rows[idx[k - 1]];
        const char *ty = txs_gen_typology_name(a->typ);
        int64_t span = z->ts - a->ts;
        for (int i = 0; i < k; i++) cr_assert_eq(rows[idx[i]].typ, a->typ, "P%d mixes typologies", p);
        checked[a->typ]++;
        if (!strcmp(ty, "structuring")) {
            cr_assert(k >= 3 && k <= 8 && span <= DAYS(4), "P%d", p);
            for (int i = 0; i < k; i++) {
                const trow *t = &rows[idx[i]];
                cr_assert_str_eq(t->channel, "cash");
                cr_assert_str_empty(t->orig);
                cr_assert_str_eq(t->bene, a->bene);
                cr_assert(t->usd >= 7000 && t->usd < 10000, "P%d deposit %s", p, t->amount);
            }
        } else if (!strcmp(ty, "near_miss_structuring")) {
            cr_assert(k == 2 || k >= 3);
            if (k > 2)
                for (int i = 1; i < k; i++)
                    cr_assert_gt(rows[idx[i]].ts - rows[idx[i - 1]].ts, DAYS(45));
        } else if (!strcmp(ty, "fan_in") || !strcmp(ty, "fan_out")) {
            int in = !strcmp(ty, "fan_in");
            cr_assert(distinct(rows, idx, k, in) == 1, "P%d one hub", p);
            int dk = distinct(rows, idx, k, !in);
            cr_assert(dk >= 5 && dk <= 20 && span <= DAYS(1), "P%d: %d in %lld s", p, dk,
                      (long long)span);
            for (int i = 0; i < k; i++) cr_assert_str_neq(rows[idx[i]].channel, "card");
        } else if (!strcmp(ty, "near_miss_fan_in") || !strcmp(ty, "near_miss_fan_out")) {
            int in = !strcmp(ty, "near_miss_fan_in");
            int dk = distinct(rows, idx, k, !in);
            if (dk > 3)
                for (int i = 1; i < k; i++)
                    cr_assert_gt(rows[idx[i]].ts - rows[idx[i - 1]].ts, DAYS(2));
            else
                cr_assert_leq(span, DAYS(1));
        } else if (!strcmp(ty, "cycle") || !strcmp(ty, "near_miss_cycle")) {
            int closed = !strcmp(ty, "cycle");
            cr_assert(k >= 3 && k <= 8 && (!closed || span <= DAYS(6)), "P%d", p);
            if (!closed) /* slow: every holder keeps the money 80-120 h */
                for (int i = 1; i < k; i++)
                    cr_assert_geq(rows[idx[i]].ts - rows[idx[i - 1]].ts, 80 * 3600, "P%d", p);
            for (int i = 1; i < k; i++) {
                cr_assert_str_eq(rows[idx[i]].orig, rows[idx[i - 1]].bene, "P%d broken chain", p);
                cr_assert_lt(rows[idx[i]].usd, rows[idx[i - 1]].usd);
            }
            if (!strcmp(ty, "cycle")) cr_assert_str_eq(z->bene, a->orig, "P%d not closed", p);
            else
                for (int i = 0; i < k; i++) cr_assert_str_neq(rows[idx[i]].bene, a->orig);
        } else if (!strcmp(ty, "pass_through") || !strcmp(ty, "near_miss_pass_through")) {
            /* The account that both receives and sends. */
            const char *acct = NULL;
            for (int i = 0; i < k && !acct; i++)
                for (int j = 0; j < k; j++)
                    if (!strcmp(rows[idx[i]].bene, rows[idx[j]].orig)) acct = rows[idx[i]].bene;
            cr_assert(acct, "P%d has no pass-through account", p);
            double in = 0, out = 0, in_amt = 0, out_amt = 0;
            int64_t last_in = 0, first_out = 0;
            for (int i = 0; i < k; i++) {
                const trow *t = &rows[idx[i]];
                if (!strcmp(t->bene, acct)) {
                    in += t->usd;
                    in_amt += atof(t->amount);
                    last_in = t->ts;
                } else {
                    out += t->usd;
                    out_amt += atof(t->amount);
                    if (!first_out) first_out = t->ts;
                }
            }
            double ratio = out_amt / in_amt; /* one currency a pattern */
            (void)in;
            (void)out;
            int64_t lag = first_out - last_in;
            if (!strcmp(ty, "pass_through"))
                cr_assert(ratio >= 0.849 && ratio <= 1.151 && lag >= 0 && lag <= DAYS(3),
                          "P%d ratio %.3f lag %lld", p, ratio, (long long)lag);
            else
                cr_assert(ratio <= 0.5 || lag >= DAYS(10), "P%d ratio %.3f lag %lld", p, ratio,
                          (long long)lag);
        } else if (!strcmp(ty, "gather_scatter")) {
            cr_assert(k >= 10);
            int ins = 0, outs = 0;
            const char *hub = a->bene;
            for (int i = 0; i < k; i++) {
                const trow *t = &rows[idx[i]];
                if (!strcmp(t->bene, hub)) {
                    cr_assert_eq(outs, 0, "P%d a credit after a debit", p);
                    ins++;
                } else {
                    cr_assert_str_eq(t->orig, hub);
                    outs++;
                }
            }
            cr_assert(ins >= 5 && outs >= 5);
        } else if (!strcmp(ty, "scatter_gather")) {
            cr_assert(k >= 10 && k % 2 == 0);
            const char *src = a->orig, *sink = NULL;
            int legs = 0;
            for (int i = 0; i < k; i++) {
                const trow *t = &rows[idx[i]];
                if (!strcmp(t->orig, src)) {
                    legs++;
                } else {
                    if (!sink) sink = t->bene;
                    cr_assert_str_eq(t->bene, sink, "P%d has two sinks", p);
                }
            }
            cr_assert_eq(legs * 2, k);
        } else if (!strcmp(ty, "round_amounts")) {
            cr_assert(k >= 3 && span <= DAYS(5));
            for (int i = 0; i < k; i++) {
                cr_assert(is_round(rows[idx[i]].amount), "P%d %s", p, rows[idx[i]].amount);
                cr_assert_str_eq(rows[idx[i]].orig, a->orig);
            }
        } else if (!strcmp(ty, "near_miss_round_amounts")) {
            int nr = 0;
            for (int i = 0; i < k; i++) nr += is_round(rows[idx[i]].amount);
            cr_assert_eq(nr, 1, "P%d has %d round amounts", p, nr);
        } else if (!strcmp(ty, "amount_spike")) {
            cr_assert_eq(k, 1);
            double mx = 0;
            int hist = 0;
            for (uint64_t i = 0; i < idx[0]; i++)
                if (!strcmp(rows[i].orig, a->orig)) {
                    cr_assert_eq(rows[i].typ, -1, "history rows are not labelled");
                    hist++;
                    if (atof(rows[i].amount) > mx) mx = atof(rows[i].amount);
                }
            cr_assert(hist >= 6 && atof(a->amount) >= 5 * mx, "P%d: %s vs max %.2f of %d", p,
                      a->amount, mx, hist);
        } else if (!strcmp(ty, "velocity_spike")) {
            cr_assert(k >= 12 && span <= DAYS(1));
            int hist = 0;
            int64_t prev = 0;
            for (uint64_t i = 0; i < idx[0]; i++)
                if (!strcmp(rows[i].orig, a->orig)) {
                    cr_assert_eq(rows[i].typ, -1);
                    if (hist++) cr_assert_geq(rows[i].ts - prev, DAYS(1) / 2, "quiet history");
                    prev = rows[i].ts;
                }
            cr_assert_geq(hist, 6);
        } else if (!strcmp(ty, "dormant_reactivation")) {
            int64_t last = 0;
            cr_assert(seen_before(rows, idx[0], a->orig, &last), "P%d no history", p);
            cr_assert_geq(a->ts - last, DAYS(180));
            cr_assert_geq(a->usd, 10000);
        } else if (!strcmp(ty, "new_account_high_value")) {
            const char *acct = distinct(rows, idx, k, 0) == 1 && k > 1 ? a->orig : NULL;
            /* The new account is the side never seen before the first row. */
            int o_new = !seen_before(rows, idx[0], a->orig, NULL);
            int b_new = !seen_before(rows, idx[0], a->bene, NULL);
            cr_assert(o_new || b_new, "P%d: no new account", p);
            (void)acct;
            for (int i = 0; i < k; i++) cr_assert_geq(rows[idx[i]].usd, 25000.0);
        }
    }
    for (int i = 0; txs_gen_typology_name(i); i++)
        cr_assert_gt(checked[i], 0, "%s: no pattern checked", txs_gen_typology_name(i));
    /* Fresh accounts: the key account of a fan pattern appears only in it. */
    for (uint64_t i = 0; i < n; i++) {
        if (rows[i].typ < 0 || strcmp(txs_gen_typology_name(rows[i].typ), "fan_in")) continue;
        for (uint64_t j = 0; j < n; j++)
            if (rows[j].pattern != rows[i].pattern)
                cr_assert(strcmp(rows[j].orig, rows[i].bene) && strcmp(rows[j].bene, rows[i].bene),
                          "fan-in hub %s used elsewhere", rows[i].bene);
        break;
    }
    free(rows);
    run_free(&r);
}

Test(gen, amlworld_plants_every_expressible_typology)
{
    txs_gen_opts o = opts(21, 40000, 0.02);
    o.format = TXS_GEN_AMLWORLD;
    o.label_prefix = "x.csv:";
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    for (int i = 0; txs_gen_typology_name(i); i++) {
        if (txs_gen_typology_amlworld(i))
            cr_assert_gt(r.st.per_typology[i], 0, "%s", txs_gen_typology_name(i));
        else
            cr_assert_eq(r.st.per_typology[i], 0, "%s", txs_gen_typology_name(i));
    }
    /* Labels name rows as the engine's amlworld profile does. */
    cr_assert(strncmp(r.labels.p, "txn_id,typology,pattern_id\nx.csv:", 33) == 0);
    /* Time order, at the format's minute resolution. */
    char prev[17] = "";
    for (char *p = (char *)memchr(r.data.p, '\n', r.data.n) + 1; p < r.data.p + r.data.n;) {
        cr_assert(strncmp(prev, p, 16) <= 0, "time goes back: %.16s after %s", p, prev);
        memcpy(prev, p, 16);
        p = (char *)memchr(p, '\n', (size_t)(r.data.p + r.data.n - p)) + 1;
    }
    run_free(&r);
}

Test(gen, typologies_option_selects_planters)
{
    txs_gen_opts o = opts(3, 20000, 0.02);
    o.typologies = "cycle,near_miss_cycle";
    run_out r = run_gen(&o);
    cr_assert_eq(r.rc, 0);
    int c = typ_index("cycle"), nc = typ_index("near_miss_cycle");
    for (int i = 0; txs_gen_typology_name(i); i++)
        if (i != c && i != nc) cr_assert_eq(r.st.per_typology[i], 0);
    cr_assert_gt(r.st.per_typology[c], 0);
    cr_assert_gt(r.st.per_typology[nc], 0);
    run_free(&r);
    o.typologies = "cycle,nonsense";
    FILE *out = fopen("/dev/null", "w");
    txs_diag d;
    memset(&d, 0, sizeof d);
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_ARG);
    cr_assert(strstr(d.msg, "nonsense"));
    o.typologies = "corridor_high_risk";
    o.format = TXS_GEN_AMLWORLD;
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_ARG);
    fclose(out);
}

/* ------------------------------------------------------------ embedding */

static const char pat_header[] =
    "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
    "Amount Paid,Payment Currency,Payment Format,Is Laundering,Pattern ID,Typology,"
    "Pattern Name\n";

/* Not in time order on purpose; two rows share a minute. */
static const char *const pat_rows[] = {
    "2022/09/03 10:15,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1,P0001,FAN-OUT,FAN-OUT:  Max 16-degree Fan-Out\n",
    "2022/09/01 00:06,01467,8013C4030,020,80BC62F10,58702.10,Yuan,58702.10,Yuan,ACH,1,P0002,CYCLE,CYCLE:  Max 10 hops\n",
    "2022/09/02 23:59,020,80BC62F10,01467,8013C4030,58000.00,Yuan,58000.00,Yuan,ACH,1,P0002,CYCLE,CYCLE:  Max 10 hops\n",
    "2022/09/03 10:15,021174,800737690,020,80020C5B0,8630.40,Euro,8630.40,Euro,ACH,1,P0001,FAN-OUT,FAN-OUT:  Max 16-degree Fan-Out\n",
    "2022/09/04 08:00,009371,8043A0FB0,004503,809320130,5448.55,US Dollar,5448.55,US Dollar,Bitcoin,1,P0346,GATHER-SCATTER,GATHER-SCATTER:  Max 8-degree Fan-In\n",
    "2022/09/02 12:00,0010,8AAAAAAA0,0010057,8BBBBBBB0,100.00,US Dollar,90.00,Euro,ACH,1,P0007,SCATTER-GATHER,x\n",
};

static char *write_patterns(const char *name, const char *extra)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/txs-test-gen-%d-%s.csv", (int)getpid(), name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(pat_header, f);
    for (size_t i = 0; i < sizeof pat_rows / sizeof pat_rows[0]; i++) fputs(pat_rows[i], f);
    if (extra) fputs(extra, f);
    fclose(f);
    return path;
}

Test(gen, embed_merges_every_pattern_row_once_with_its_label)
{
    char *path = write_patterns("ok", NULL);
    txs_gen_opts o = opts(8, 20000, 0.002);
    o.embed_amlworld = path;
    o.label_prefix = "aml.csv:";
    run_out r = run_gen(&o);
    unlink(path);
    cr_assert_eq(r.rc, 0);
    size_t np = sizeof pat_rows / sizeof pat_rows[0];
    cr_assert_eq(r.st.rows, 20000 + np);
    cr_assert_eq(r.st.planted, np);
    cr_assert_eq(r.st.patterns, 4);
    /* Lines of the export. */
    static char *line[20100];
    size_t nl = 0;
    for (char *p = r.data.p; p < r.data.p + r.data.n;) {
        char *e = memchr(p, '\n', (size_t)(r.data.p + r.data.n - p));
        cr_assert(e);
        *e = 0;
        cr_assert_lt(nl, 20100);
        line[nl++] = p;
        p = e + 1;
    }
    cr_assert_eq(nl, 20001 + np);
    cr_assert(strncmp(line[0], "Timestamp,From Bank,", 20) == 0);
    for (size_t i = 2; i < nl; i++)
        cr_assert(strncmp(line[i - 1], line[i], 16) <= 0 || i == 1, "time goes back at line %zu",
                  i + 1);
    cr_assert(strncmp(line[1], "2022/09/01", 10) == 0);
    cr_assert(strncmp(line[nl - 1], "2022/09/04", 10) == 0);
    /* Each label names a line holding one pattern row's first 11 fields. */
    int used[8] = {0};
    static char f[MAXF][FIELD_MAX];
    size_t pos = 0, labels = 0;
    split_csv(&r.labels, &pos, f);
    while (split_csv(&r.labels, &pos, f) == 3) {
        labels++;
        cr_assert(strncmp(f[0], "aml.csv:", 8) == 0);
        size_t ln = strtoul(f[0] + 8, NULL, 10);
        cr_assert(ln >= 2 && ln <= nl);
        int hit = -1;
        for (size_t k = 0; k < np; k++) {
            const char *want = pat_rows[k];
            const char *cut = want;
            for (int c = 0; c < 11; c++) cut = strchr(cut, ',') + 1;
            size_t len = (size_t)(cut - want - 1);
            if (strlen(line[ln - 1]) == len && !strncmp(line[ln - 1], want, len)) hit = (int)k;
        }
        cr_assert(hit >= 0, "label %s names a non-pattern line: %s", f[0], line[ln - 1]);
        used[hit]++;
        const char *pid = strstr(pat_rows[hit], ",1,P") + 3;
        cr_assert(strncmp(pid, f[2], strlen(f[2])) == 0 && pid[strlen(f[2])] == ',');
        if (!strcmp(f[2], "P0001")) cr_assert_str_eq(f[1], "fan_out");
        if (!strcmp(f[2], "P0002")) cr_assert_str_eq(f[1], "cycle");
        if (!strcmp(f[2], "P0346")) cr_assert_str_eq(f[1], "gather_scatter");
        if (!strcmp(f[2], "P0007")) cr_assert_str_eq(f[1], "scatter_gather");
    }
    cr_assert_eq(labels, np);
    for (size_t k = 0; k < np; k++) cr_assert_eq(used[k], 1, "pattern row %zu used %d times", k, used[k]);
    /* No background row uses a pattern account or says Is Laundering 1. */
    size_t ones = 0;
    for (size_t i = 1; i < nl; i++) {
        ones += line[i][strlen(line[i]) - 1] == '1';
        for (size_t k = 0; k < np; k++) {
            char acct[16];
            const char *a = strchr(strchr(pat_rows[k], ',') + 1, ',') + 1;
            snprintf(acct, sizeof acct, ",%.9s,", a);
            if (strstr(line[i], acct))
                cr_assert(strstr(line[i], ",1"), "background row uses %s", acct);
        }
    }
    cr_assert_eq(ones, np);
    /* Deterministic. */
    path = write_patterns("ok2", NULL);
    o.embed_amlworld = path;
    run_out r2 = run_gen(&o);
    unlink(path);
    cr_assert_eq(r2.rc, 0);
    cr_assert_eq(r2.data.n, r.data.n);
    run_free(&r2);
    run_free(&r);
}

Test(gen, embed_stops_on_a_malformed_patterns_file_with_file_and_line)
{
    static const struct { const char *row; const char *why; } bad[] = {
        {"2022/09/31 10:00,1,800000001,2,800000002,1.00,Euro,1.00,Euro,ACH,1,P9,CYCLE,x\n", "Timestamp"},
        {"2022/09/03 10:00,1,800000001,2,800000002,1.0x,Euro,1.00,Euro,ACH,1,P9,CYCLE,x\n", "amount"},
        {"2022/09/03 10:00,1,800000001,2,800000002,1.00,Euro,1.00,Euro,ACH,2,P9,CYCLE,x\n", "Is Laundering"},
        {"2022/09/03 10:00,1,800000001\n", "fields"},
        {"2022/09/03 10:00,1,800000001,2,800000002,1.00,Euro,1.00,Euro,ACH,1,,CYCLE,x\n", "Pattern ID"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *path = write_patterns("bad", bad[i].row);
        txs_gen_opts o = opts(8, 100, 0.002);
        o.embed_amlworld = path;
        FILE *out = fopen("/dev/null", "w");
        txs_diag d;
        memset(&d, 0, sizeof d);
        int rc = txs_gen_run(&o, out, NULL, NULL, &d);
        fclose(out);
        unlink(path);
        cr_assert_eq(rc, TXS_E_FORMAT, "case %zu", i);
        cr_assert_str_eq(d.file, path);
        cr_assert_eq(d.line, 8, "case %zu: line %lu", i, d.line); /* header + 6 rows */
        cr_assert(strstr(d.msg, bad[i].why), "case %zu: %s", i, d.msg);
    }
    /* A bad header is line 1; a missing file is an I/O error. */
    char path[256];
    snprintf(path, sizeof path, "/tmp/txs-test-gen-%d-hdr.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("Timestamp,From Bank,Account\n", f);
    fclose(f);
    txs_gen_opts o = opts(8, 100, 0.002);
    o.embed_amlworld = path;
    FILE *out = fopen("/dev/null", "w");
    txs_diag d;
    memset(&d, 0, sizeof d);
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_FORMAT);
    cr_assert_eq(d.line, 1);
    unlink(path);
    o.embed_amlworld = "/nonexistent/patterns.csv";
    cr_assert_eq(txs_gen_run(&o, out, NULL, NULL, &d), TXS_E_IO);
    fclose(out);
}
