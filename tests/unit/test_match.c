/*
 * test_match.c: the name scorer (match.h).  Identity, monotonic sanity
 * cases, explanations, qualifiers, the OFAC mode on rows of OFAC's own
 * scores, and two regression gates over the fixtures in
 * tests/fixtures/names/: F1 on the whole name-bench-dev.csv at the default
 * threshold, and the cross-script minima.  The edit distance's fast
 * paths: the confusable table against the pair scan it replaced, the
 * bit-parallel Levenshtein against the textbook table, and its lower
 * bound against the weighted distance.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "txs/match.h"
#include "txs/norm.h"

#define FIX TXS_SOURCE_DIR "/tests/fixtures/names/"

/* Measured 0.871 (docs/matching.md); issue 12 asks for 0.87, and scoring is
 * deterministic, so the gate is the target itself. */
#define BENCH_F1_FLOOR 0.87

static txs_norm *nz;
static txs_match_params mp;

static void setup(void)
{
    nz = txs_norm_new();
    cr_assert_not_null(nz);
    txs_match_params_default(&mp);
}

static void teardown(void)
{
    txs_norm_free(nz);
}

static double score(const char *a, const char *b, txs_name_kind k, char *ex, size_t cap)
{
    txs_norm_name q, c;
    txs_norm_name_of(nz, a, strlen(a), k, &q);
    txs_norm_name_of(nz, b, strlen(b), k, &c);
    return txs_match_score(&mp, &q, &c, NULL, ex, cap);
}

static double ofac(const char *a, const char *b)
{
    txs_norm_name q, c;
    txs_norm_fold(nz, a, strlen(a), &q);
    txs_norm_fold(nz, b, strlen(b), &c);
    return txs_match_ofac(&q, &c, NULL, 0);
}

TestSuite(match, .init = setup, .fini = teardown);

Test(match, identity_scores_one)
{
    static const char *names[] = {"Vladimir Putin", "Deutsche Bank AG", "محمد علي", "Kim Jong Un", "A",
                                  "Bowne Global Solutions II Denmark A/S"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_expect_float_eq(score(names[i], names[i], TXS_NAME_ANY, NULL, 0), 1.0, 1e-9, "%s", names[i]);
}

Test(match, closer_names_score_higher)
{
    /* each row: (query, better candidate, worse candidate) */
    static const char *rows[][3] = {
        {"Vladimir Putin", "Vladimir Putni", "Vladimir Pushkin"},
        {"Vladimir Putin", "Vladimir Putin", "Vladimir Putina"},
        {"Olaf Scholz", "Olaf Scholze", "Olaf Schneider"},
        {"Osama bin Laden", "Usama bin Ladin", "Osama al Masri"},
        {"Mohammed bin Salman", "Salman Mohammed bin", "Mohammed bin Rashid"},
        {"Hans Friedrich", "Hans Joachim Friedrich", "Hans Otto"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double a = score(rows[i][0], rows[i][1], TXS_NAME_PERSON, NULL, 0);
        double b = score(rows[i][0], rows[i][2], TXS_NAME_PERSON, NULL, 0);
        cr_expect_gt(a, b, "%s: %s %.3f should beat %s %.3f", rows[i][0], rows[i][1], a, rows[i][2], b);
    }
}

Test(match, typical_variants_match_and_different_people_do_not)
{
    cr_expect_geq(score("PUTIN, Vladimir", "Vladimir Putin", TXS_NAME_PERSON, NULL, 0), 0.99);
    cr_expect_geq(score("VladimirPutin", "Vladimir Putin", TXS_NAME_PERSON, NULL, 0), mp.threshold);
    cr_expect_geq(score("Xi Jinping", "习近平", TXS_NAME_PERSON, NULL, 0), mp.threshold);
    cr_expect_geq(score("Siemens Aktiengesellschaft", "Siemens AG", TXS_NAME_COMPANY, NULL, 0), 0.99);
    cr_expect_lt(score("Boris Abramovich", "Roman Abramovich", TXS_NAME_PERSON, NULL, 0), mp.threshold);
    cr_expect_lt(score("N.N.", "Nursultan Nazarbayev", TXS_NAME_PERSON, NULL, 0), mp.threshold);
    cr_expect_lt(score("Deutsche Bank AG", "Deutsche Bank GmbH", TXS_NAME_COMPANY, NULL, 0), 0.95);
}

Test(match, explanation_lists_alignment_and_score)
{
    char ex[1024];
    double s = score("Vladimir Putni", "PUTIN, Vladimir", TXS_NAME_PERSON, ex, sizeof ex);
    cr_expect_not_null(strstr(ex, "vladimir=vladimir 1.00"), "%s", ex);
    cr_expect_not_null(strstr(ex, "putni~putin"), "%s", ex);
    cr_expect_not_null(strstr(ex, "family"), "%s", ex);
    char want[32];
    snprintf(want, sizeof want, "score %.2f", s);
    cr_expect_not_null(strstr(ex, want), "%s", ex);
    score("Angela Merkel", "Angelo Cruz", TXS_NAME_PERSON, ex, sizeof ex);
    cr_expect_not_null(strstr(ex, "conflict"), "%s", ex);
    /* a tiny buffer is truncated, never overrun */
    char small[8];
    score("Angela Merkel", "Angelo Cruz", TXS_NAME_PERSON, small, sizeof small);
    cr_expect_lt(strlen(small), sizeof small);
}

Test(match, qualifiers_lower_the_score)
{
    txs_norm_name q, c;
    txs_norm_name_of(nz, "Ivan Petrov", 11, TXS_NAME_PERSON, &q);
    txs_norm_name_of(nz, "Ivan Petrov", 11, TXS_NAME_PERSON, &c);
    txs_match_qual ql;
    memset(&ql, 0, sizeof ql);
    double base = txs_match_score(&mp, &q, &c, &ql, NULL, 0);
    memcpy(ql.country_q, "RU", 2);
    memcpy(ql.country_c, "US", 2);
    double ctry = txs_match_score(&mp, &q, &c, &ql, NULL, 0);
    ql.dob_year_q = 1960;
    ql.dob_year_c = 1980;
    double dob = txs_match_score(&mp, &q, &c, &ql, NULL, 0);
    ql.weak_alias = 1;
    char ex[512];
    double weak = txs_match_score(&mp, &q, &c, &ql, ex, sizeof ex);
    cr_expect_gt(base, ctry);
    cr_expect_gt(ctry, dob);
    cr_expect_gt(dob, weak);
    cr_expect_not_null(strstr(ex, "weak alias"));
    cr_expect_not_null(strstr(ex, "country RU!=US"));
}

/* A qualifier needs both sides: one side alone changes nothing. */
Test(match, qualifiers_need_both_sides)
{
    txs_norm_name q, c;
    txs_norm_name_of(nz, "Ivan Petrov", 11, TXS_NAME_PERSON, &q);
    txs_norm_name_of(nz, "Ivan Petrov", 11, TXS_NAME_PERSON, &c);
    txs_match_qual ql;
    memset(&ql, 0, sizeof ql);
    double base = txs_match_score(&mp, &q, &c, &ql, NULL, 0);
    memcpy(ql.country_q, "RU", 2);
    ql.dob_year_c = 1960;
    ql.kind_q = TXS_NAME_COMPANY;
    cr_expect_float_eq(txs_match_score(&mp, &q, &c, &ql, NULL, 0), base, 1e-12);
    ql.kind_c = TXS_NAME_PERSON; /* now both kinds are known, and differ */
    cr_expect_float_eq(txs_match_score(&mp, &q, &c, &ql, NULL, 0), base - mp.kind_penalty, 1e-12);
    ql.kind_c = TXS_NAME_VESSEL; /* neither is a person: no mismatch */
    cr_expect_float_eq(txs_match_score(&mp, &q, &c, &ql, NULL, 0), base, 1e-12);
}

Test(match, jaro_winkler_known_values)
{
    cr_expect_float_eq(txs_match_jaro_winkler("martha", 6, "marhta", 6, 0), 0.9611, 1e-3);
    cr_expect_float_eq(txs_match_jaro_winkler("dwayne", 6, "duane", 5, 0), 0.84, 1e-3);
    cr_expect_float_eq(txs_match_jaro_winkler("abc", 3, "xyz", 3, 0), 0.0, 1e-9);
    cr_expect_float_eq(txs_match_jaro_winkler("", 0, "a", 1, 0), 0.0, 1e-9);
}

Test(match, ofac_mode_reproduces_sls_rows)
{
    static const struct { const char *q, *c; double want; } rows[] = {
        {"VLADIMIR PUTIN", "PUTIN, Vladimir", 100},  {"VLADIMIR PUTIN", "VLADIMIR BILIY", 90},
        {"KIM JONG UN", "KIM, Jong Man", 100},       {"GEORGE BUSH", "HASWANI, George", -1},
        {"BUSH GEORGE", "GEORGIOU, Georgios", -1},   {"VLADIMR PUTIN", "PUTIN, Vladimir", 99},
        {"BASHIR-UD-DIN", "MAHMOOD, Sultan Bashir-Ud-Din", 100},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double got = 100.0 * ofac(rows[i].q, rows[i].c);
        if (rows[i].want < 0)
            cr_expect_lt(got, 85.0, "%s / %s: %.1f", rows[i].q, rows[i].c, got);
        else
            cr_expect_leq(got > rows[i].want ? got - rows[i].want : rows[i].want - got, 5.0, "%s / %s: %.1f want %.0f",
                          rows[i].q, rows[i].c, got, rows[i].want);
    }
}

/* ---- fixture gates ---- */

/* Split one CSV line in place (quotes, doubled quotes); returns fields. */
static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *w = p;
        f[n++] = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') { *w++ = '"'; p += 2; }
                else if (*p == '"') { p++; break; }
                else if (!*p) break;
                else *w++ = *p++;
            }
            while (*p && *p != ',') p++;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') *w++ = *p++;
        }
        char sep = *p;
        *w = '\0';
        if (sep != ',') break;
        p++;
    }
    return n;
}

Test(match, name_bench_dev_f1_gate, .timeout = 120)
{
    FILE *f = fopen(FIX "name-bench-dev.csv", "r");
    cr_assert_not_null(f);
    char line[4096], *col[16];
    int tp = 0, fp = 0, fn = 0, n = 0;
    cr_assert_not_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        /* case_group,schema,name1,name2,is_match,... */
        if (split_csv(line, col, 16) < 5) continue;
        double s = score(col[2], col[3], txs_name_kind_parse(col[1]), NULL, 0);
        int want = strcmp(col[4], "true") == 0, got = s >= mp.threshold;
        tp += got && want;
        fp += got && !want;
        fn += !got && want;
        n++;
    }
    fclose(f);
    double p = (double)tp / (tp + fp), r = (double)tp / (tp + fn), f1 = 2 * p * r / (p + r);
    cr_expect_eq(n, 447);
    cr_expect_geq(f1, BENCH_F1_FLOOR, "F1 %.4f (P %.3f R %.3f) fell below %.2f", f1, p, r, BENCH_F1_FLOOR);
}

Test(match, cross_script_minima)
{
    /* Han names read in Korean or Japanese need Unihan readings the engine
     * does not ship yet (ICU reads Han as Mandarin): known gaps, listed in
     * docs/matching.md, checked to stay below so a fix is noticed. */
    static const char *gaps[] = {"金正恩", "山田太郎", "田中花子"};
    FILE *f = fopen(FIX "cross-script-pairs.csv", "r");
    cr_assert_not_null(f);
    char line[1024], *col[8];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n' || split_csv(line, col, 8) < 3) continue;
        int gap = 0;
        for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++) gap |= strcmp(col[0], gaps[i]) == 0;
        double s = score(col[0], col[1], TXS_NAME_PERSON, NULL, 0), min = strtod(col[2], NULL);
        if (gap)
            cr_expect_lt(s, min, "%s now passes: remove it from the known gaps", col[0]);
        else
            cr_expect_geq(s, min, "%s / %s: %.3f below %.2f", col[0], col[1], s, min);
        n++;
    }
    fclose(f);
    cr_expect_eq(n, 22);
}

/* Payments often leave out a listed person's middle names: that costs less
 * than a different first name, and the explanation says what was left out.
 * (Screening scores a party name of unknown kind against a typed list
 * name, so the query here is TXS_NAME_ANY and the candidate a person.) */
Test(match, dropped_middle_names_cost_less_than_a_different_name)
{
    static const char listed[] = "BARZAN IBRAHIM HASAN AL-TIKRITI";
    txs_norm_name q, c, o;
    char ex[1024];
    txs_norm_name_of(nz, listed, strlen(listed), TXS_NAME_PERSON, &c);
    txs_norm_name_of(nz, "BARZAN AL-TIKRITI", 17, TXS_NAME_ANY, &q);
    txs_norm_name_of(nz, "OMAR AL-TIKRITI", 15, TXS_NAME_ANY, &o);
    double dropped = txs_match_score(&mp, &q, &c, NULL, ex, sizeof ex);
    double other = txs_match_score(&mp, &o, &c, NULL, NULL, 0);
    cr_assert_geq(dropped, 0.85, "%.3f: %s", dropped, ex);
    cr_assert_lt(other, 0.85, "%.3f", other);
    cr_assert(strstr(ex, "middle names left out") != NULL, "%s", ex);
}

/* ------------------------------------------- token.c's fast paths */

/* The confusable pairs as token.c listed them before the table: the
 * table must answer exactly this scan for every pair of bytes. */
static int confusable_scan(char a, char b)
{
    static const char pairs[][2] = {
        {'0', 'o'}, {'1', 'i'}, {'1', 'l'}, {'g', '9'}, {'q', '9'}, {'b', '6'}, {'5', 's'},
        {'e', 'i'}, {'o', 'u'}, {'i', 'j'}, {'i', 'y'}, {'c', 'k'}, {'n', 'h'}, {'g', 'k'},
        {'b', 'p'}, {'d', 't'}, {'s', 'z'}, {'v', 'f'}, {'j', 'g'},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if ((pairs[i][0] == a && pairs[i][1] == b) || (pairs[i][0] == b && pairs[i][1] == a)) return 1;
    return 0;
}

Test(edit, confusable_table_equals_the_pair_scan_for_every_byte_pair)
{
    int n = 0;
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            int want = confusable_scan((char)a, (char)b);
            cr_assert_eq(txs__match_confusable((char)a, (char)b), want, "%d %d", a, b);
            n += want;
        }
    cr_expect_eq(n, 38);
}

/* Textbook Levenshtein, one row at a time. */
static unsigned lev_dp(const char *a, size_t na, const char *b, size_t nb)
{
    unsigned row[130];
    for (size_t j = 0; j <= nb; j++) row[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j], v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            diag = up;
            row[j] = v;
        }
    }
    return row[nb];
}

/* Random strings over an alphabet rich in confusables and vowels, so the
 * weighted distance takes its cheap substitutions often. */
static size_t rnd_str(unsigned *seed, char *out, size_t max)
{
    static const char al[] = "aeiouybpdtcksznhgjq019lvf";
    *seed = *seed * 1103515245u + 12345u;
    size_t n = (*seed >> 16) % (max + 1);
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        out[i] = al[(*seed >> 16) % (sizeof al - 1)];
    }
    return n;
}

/* Exact on letters; at most the distance on any bytes (digits share
 * their low five bits with letters p..y). */
Test(edit, bit_parallel_levenshtein_against_the_table)
{
    unsigned seed = 7;
    char a[64], b[100];
    int below = 0;
    for (int k = 0; k < 20000; k++) {
        size_t na = rnd_str(&seed, a, k % 5 == 0 ? 64 : 12), nb = rnd_str(&seed, b, k % 5 == 0 ? 96 : 12);
        int letters = 1;
        for (size_t i = 0; i < na; i++) letters &= a[i] >= 'a' && a[i] <= 'z';
        for (size_t i = 0; i < nb; i++) letters &= b[i] >= 'a' && b[i] <= 'z';
        unsigned got = txs__match_levenshtein64(a, na, b, nb), want = lev_dp(a, na, b, nb);
        if (letters) cr_assert_eq(got, want, "%.*s %.*s", (int)na, a, (int)nb, b);
        else cr_assert_leq(got, want, "%.*s %.*s", (int)na, a, (int)nb, b);
        below += got < want;
    }
    cr_expect_gt(below, 0); /* the digit cases were reached */
}

Test(edit, bound_never_exceeds_the_weighted_distance)
{
    unsigned seed = 11;
    char a[64], b[64];
    int tight = 0;
    for (int k = 0; k < 20000; k++) {
        size_t na = rnd_str(&seed, a, 10), nb = rnd_str(&seed, b, 10);
        if (k % 3 == 0) { /* near pairs: b a few edits from a */
            memcpy(b, a, na);
            nb = na;
            for (int e = 0; e < 1 + k % 4 && nb > 1; e++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 16) % nb;
                if (e % 2 && at + 1 < nb) { char t = b[at]; b[at] = b[at + 1]; b[at + 1] = t; }
                else b[at] = "aeiouckszdt"[(seed >> 8) % 11];
            }
        }
        double lb = txs__match_edit_bound(a, na, b, nb), d = txs__match_edit_cost(a, na, b, nb);
        cr_assert(lb <= d + 1e-12, "%.*s %.*s: bound %g > %g", (int)na, a, (int)nb, b, lb, d);
        tight += lb == d;
    }
    cr_expect_gt(tight, 1000); /* and it is often exact: a bound that says something */
}

/* Issue 12: a one-letter list token is not a word of an organisation's
 * name ("ISIS-K" scored 0.89 against "Ísis Kubíček" through
 * kubicek~k initial), nor a listed person's family name; it stays the
 * initial of a person's given name. */
Test(match, one_letter_token_is_only_a_given_name_initial)
{
    txs_norm_name q, c;
    char ex[1024];
    txs_norm_name_of(nz, "Ísis Kubíček", strlen("Ísis Kubíček"), TXS_NAME_ANY, &q);
    txs_norm_name_of(nz, "ISIS-K", 6, TXS_NAME_COMPANY, &c);
    double isis = txs_match_score(&mp, &q, &c, NULL, ex, sizeof ex);
    cr_assert_lt(isis, 0.5, "%.3f: %s", isis, ex);
    cr_assert(strstr(ex, "initial") == NULL, "%s", ex);
    txs_norm_name_of(nz, "Maria Evensen", 13, TXS_NAME_ANY, &q);
    txs_norm_name_of(nz, "MARIA E", 7, TXS_NAME_VESSEL, &c);
    cr_assert_lt(txs_match_score(&mp, &q, &c, NULL, NULL, 0), 0.5);
    /* a person's given name keeps its initial, both ways */
    double j = score("J Smith", "John Smith", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_geq(j, 0.85, "%.3f: %s", j, ex);
    cr_assert(strstr(ex, "j~john 0.75 initial") != NULL, "%s", ex);
    cr_assert_geq(score("John Smith", "SMITH, J", TXS_NAME_PERSON, NULL, 0), 0.85);
    /* ... but not the family name */
    cr_assert_lt(score("Vladimir P", "PUTIN, Vladimir", TXS_NAME_PERSON, NULL, 0), 0.5);
}

/* Syllables read from Han characters and Hangul: a joined pair matches a
 * word only exactly, and a syllable left over is a different given name
 * (charged as a conflict), so homonyms of listed Chinese and Korean names
 * no longer reach the screening bar (negatives-us-50k: 博 彬 徐 against
 * XU, Bin scored 0.89). */
Test(match, han_syllables_are_exact_and_leftovers_conflict)
{
    char ex[1024];
    double xu = score("博 彬 徐", "XU, Bin", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_lt(xu, 0.7, "%.3f: %s", xu, ex);
    cr_assert(strstr(ex, "query-only bo w1.00 x2.40 syllable") != NULL, "%s", ex);
    double w = score("健 婷 王", "WANG, Jiantong", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_lt(w, 0.7, "%.3f: %s", w, ex);
    /* the same person written whole still matches */
    double x = score("习近平", "Xi Jinping", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_geq(x, 0.95, "%.3f: %s", x, ex);
    cr_assert_geq(score("王晨", "WANG, Chen", TXS_NAME_PERSON, NULL, 0), 0.99);
}

/* Hangul syllables against Latin tokens: the same syllable in another
 * romanisation matches (gim/kim, bak/park, seong/sung, i/lee), one letter
 * off is another syllable and does not (yeong/jong, jeong/myong): benign
 * 영식 김 scored 0.91 against KIM JONG SIK through yeong~jong 0.88 edit. */
Test(match, hangul_matches_romanisations_not_neighbours)
{
    char ex[1024];
    double park = score("박지성", "Park Ji Sung", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_geq(park, 0.95, "%.3f: %s", park, ex);
    cr_assert_geq(score("이민호", "Lee Min Ho", TXS_NAME_PERSON, NULL, 0), 0.95);
    cr_assert_geq(score("김정은", "Kim Jong Un", TXS_NAME_PERSON, NULL, 0), 0.9);
    double kjs = score("영식 김", "KIM JONG SIK", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_lt(kjs, 0.7, "%.3f: %s", kjs, ex);
    cr_assert_lt(score("현정 최", "CHOE, Myong Hyon", TXS_NAME_PERSON, NULL, 0), 0.7);
    cr_assert_lt(score("광수 유", "KIM, Su-gwang", TXS_NAME_PERSON, NULL, 0), 0.7);
    /* joined syllables follow the same rule */
    cr_assert_geq(score("김정은", "Kim Jongun", TXS_NAME_PERSON, NULL, 0), 0.9);
    cr_assert_lt(score("성진 지", "JI, Songyan", TXS_NAME_PERSON, NULL, 0), 0.7);
}

/* An Arabic-script token against a Latin one is compared by consonant
 * skeleton only: one that fails it is not then compared letter by letter
 * (negatives-global-1k: آراد حسنی hit HASAN, As'ad through arad~asad 0.75
 * edit). */
Test(match, abjad_tokens_compare_by_skeleton_only)
{
    char ex[1024];
    double s = score("آراد حسنی", "HASAN, As'ad", TXS_NAME_PERSON, ex, sizeof ex);
    cr_assert_lt(s, 0.7, "%.3f: %s", s, ex);
    cr_assert(strstr(ex, "arad~") == NULL, "%s", ex);
    cr_assert_geq(score("أحمد حسن", "Ahmed Hassan", TXS_NAME_PERSON, NULL, 0), 0.9);
}
