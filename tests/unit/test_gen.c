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
    uint64_t seq = 0, cash = 0, per[3] = {0};
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
        if (t >= 0 && t < 3) per[t]++;
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
        if (t < 0 || strcmp(ty, "corridor_high_risk") != 0) {
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
    cr_assert(per[0] > 50 && per[1] > 50 && per[2] > 20, "every typology planted");
    cr_assert_eq(r.st.planted, per[0] + per[1] + per[2]);
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
    cr_assert_lt(r.data.n, 300000 + 1024);
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
    fclose(out);
    fclose(lab);
    getrusage(RUSAGE_SELF, &after);
    long grew_kb = after.ru_maxrss - before.ru_maxrss;
    cr_assert_eq(st.rows, 200000);
    cr_assert_gt(st.bytes, 30u * 1024 * 1024);
    cr_assert_lt(grew_kb, 12 * 1024, "peak RSS grew by %ld KB", grew_kb);
}
