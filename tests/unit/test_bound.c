/*
 * test_bound.c: the scorer's upper bound (engine/src/match/bound.c), which
 * lets sanctions screening skip candidates.  A bound under the true score
 * would drop a hit, so: the soft byte classes against the edit cost of
 * every byte pair, the bit-parallel distance against a plain table on
 * random strings (and under the edit cost), the integer length test
 * against the budget, the bound's test against a bar against its value,
 * and the bound against full
 * scores for tens of thousands of pairs of the name fixtures, of every
 * script they hold, as persons, companies and names of unknown kind.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"
#include "txs/base.h"
#include "txs/match.h"
#include "txs/norm.h"

#define FIX TXS_SOURCE_DIR "/tests/fixtures/names/"

Test(bound, soft_classes_cover_every_substitution_under_one)
{
    int pairs = 0;
    for (int x = 0x21; x < 0x7f; x++)
        for (int y = 0x21; y < 0x7f; y++) {
            char a = (char)x, b = (char)y;
            if (txs__match_edit_cost(&a, 1, &b, 1) >= 1.0) continue;
            pairs++;
            cr_assert(txs__match_soft_classes(a) & (1u << (y & 31)), "%c/%c costs under 1", x, y);
        }
    cr_expect_gt(pairs, 94 + 30); /* the identities and the soft pairs */
}

static unsigned rnd(unsigned *s, unsigned n)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) % n;
}

/* The restricted Damerau distance with soft-equal bytes equal, as a table. */
static unsigned plain_soft_osa(const char *a, size_t na, const char *b, size_t nb)
{
    unsigned d[32][32];
    for (size_t i = 0; i <= na; i++) d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= nb; j++) d[0][j] = (unsigned)j;
#define EQ(x, y) ((txs__match_soft_classes(x) >> ((unsigned char)(y) & 31u)) & 1u)
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            unsigned v = d[i - 1][j - 1] + !EQ(a[i - 1], b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && EQ(a[i - 1], b[j - 2]) && EQ(a[i - 2], b[j - 1]) && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
#undef EQ
    return d[na][nb];
}

/* The bound's integer length test is the scorer's budget test. */
Test(bound, over_budget_is_the_budget_test)
{
    for (size_t len = 0; len <= 300; len++)
        for (size_t dl = 0; dl <= len; dl++)
            cr_assert_eq(txs__match_over_budget(dl, len), (double)dl > txs__match_budget(len),
                         "dl %zu, len %zu", dl, len);
}

Test(bound, soft_distance_is_the_table_and_under_the_edit_cost)
{
    static const char alpha[] = "aeiouykcgjhnbpdtszvflqrmwx0159";
    unsigned s = 11;
    for (int t = 0; t < 20000; t++) {
        char a[24], b[24];
        size_t na = 1 + rnd(&s, 20), nb = rnd(&s, 21);
        for (size_t i = 0; i < na; i++) a[i] = alpha[rnd(&s, t % 3 ? 8 : sizeof alpha - 1)];
        for (size_t i = 0; i < nb; i++) b[i] = alpha[rnd(&s, t % 3 ? 8 : sizeof alpha - 1)];
        if (t % 4 == 0 && na >= 2) { /* b: a with a swap and a typo */
            memcpy(b, a, na);
            nb = na;
            size_t k = rnd(&s, (unsigned)na - 1);
            char c = b[k];
            b[k] = b[k + 1], b[k + 1] = c;
            b[rnd(&s, (unsigned)nb)] = alpha[rnd(&s, sizeof alpha - 1)];
        }
        unsigned d = txs__match_soft_distance(a, na, b, nb);
        cr_assert_eq(d, plain_soft_osa(a, na, b, nb), "%.*s / %.*s", (int)na, a, (int)nb, b);
        cr_assert_leq((double)d, txs__match_edit_cost(a, na, b, nb) + 1e-9, "%.*s / %.*s", (int)na, a,
                      (int)nb, b);
    }
}

/* ------------------------------------------------ the bound and the score */

#define MAXN 1200
static char *names[MAXN];
static txs_name_kind kinds[MAXN];
static size_t nnames;

static txs_name_kind kind_of(const char *schema)
{
    if (strcmp(schema, "Person") == 0) return TXS_NAME_PERSON;
    if (strcmp(schema, "Company") == 0 || strcmp(schema, "Organization") == 0) return TXS_NAME_COMPANY;
    if (strcmp(schema, "Vessel") == 0) return TXS_NAME_VESSEL;
    return TXS_NAME_ANY;
}

static void add(const char *s, size_t n, txs_name_kind k)
{
    if (nnames == MAXN || n == 0) return;
    names[nnames] = strndup(s, n);
    kinds[nnames++] = k;
}

/* The fixtures' names: name-bench-dev.csv (schema, name1, name2: no
 * field there holds a comma inside quotes) and cross-script-pairs.csv. */
static void load_names(void)
{
    char line[1024];
    FILE *f = fopen(FIX "name-bench-dev.csv", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        char *fld[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            fld[i] = p;
            p = strchr(p, ',');
            if (p) *p++ = '\0';
        }
        if (!fld[3] || strcmp(fld[1], "schema") == 0) continue;
        add(fld[2], strlen(fld[2]), kind_of(fld[1]));
        add(fld[3], strlen(fld[3]), kind_of(fld[1]));
    }
    fclose(f);
    f = fopen(FIX "cross-script-pairs.csv", "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *a = line, *b = strchr(a, ',');
        if (!b) continue;
        *b++ = '\0';
        char *e = strchr(b, ',');
        if (e) *e = '\0';
        add(a, strlen(a), TXS_NAME_ANY);
        add(b, strlen(b), TXS_NAME_ANY);
    }
    fclose(f);
    /* merges, initials and legal forms the fixtures hold few of */
    static const char *const extra[] = {
        "Jean Claude Juncker", "JC Juncker", "Abdul Rahman Khan", "Abdulrahman Khan",
        "Ben Omar Ben Ali", "Ben Omarben Ali", "J. Smith", "John Smith", "Smith, John A.",
        "Li Jinping", "Li Jin Ping", "Kim Jong Un", "Kim Jong-un", "Gim Jeong Eun",
        "Acme Trading GmbH", "Acme Trading AG", "ISIS-K", "Isis Kubicek", "Fund VI LLC",
        "Fund V LLC", "Mohammed bin Salman", "Muhammad ibn Salman", "Al Qaida", "Al-Qaeda"};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
        add(extra[i], strlen(extra[i]), TXS_NAME_ANY);
        add(extra[i], strlen(extra[i]), i % 2 ? TXS_NAME_PERSON : TXS_NAME_COMPANY);
    }
}

Test(bound, never_under_the_score, .timeout = 600)
{
    load_names();
    cr_assert_gt(nnames, 800);
    txs_norm *nz = txs_norm_new();
    cr_assert_not_null(nz);
    txs_match_params p;
    txs_match_params_default(&p);
    cr_assert(txs__match_bound_usable(&p));
    txs_norm_name *nn = calloc(nnames, sizeof *nn);
    cr_assert_not_null(nn);
    for (size_t i = 0; i < nnames; i++)
        cr_assert_eq(txs_norm_name_of(nz, names[i], strlen(names[i]), kinds[i], &nn[i]), TXS_OK);
    size_t pairs = 0, under = 0, hits = 0;
    for (size_t i = 0; i < nnames; i++) {
        txs__mside qs;
        txs__mbq qb[TXS__SIDE];
        txs__match_side(&p, &nn[i], &qs);
        txs__match_bound_query(&qs, qb);
        /* every pair of the fixtures' own rows, and a window of others */
        for (size_t k = 0; k < 48; k++) {
            size_t j = k < 8 ? (i ^ 1) + k - (k ? 4 : 0) : (i * 7919 + k * 104729) % nnames;
            if (j >= nnames) continue;
            const txs_norm_name *c = &nn[j];
            txs__mbtok cb[TXS__SIDE];
            uint32_t nc = c->ntok < TXS__SIDE ? c->ntok : TXS__SIDE;
            for (uint32_t t = 0; t < nc; t++)
                txs__match_bound_tok(&p, c->text + c->tok[t].off, c->tok[t].len, c->tok[t].flags, &cb[t]);
            double sc = txs__match_score_side(&p, &qs, &nn[i], c, NULL, NULL, 0);
            double b = txs__match_bound(&p, qb, qs.n, nn[i].kind, cb, nc, c->kind);
            cr_assert_geq(b, sc, "bound %.9f under score %.9f: '%s' / '%s'", b, sc, names[i],
                          names[j]);
            /* the test without sorting says what the value says, at the
             * threshold and at the bound itself less and plus a hair */
            txs__mbcol col[TXS__SIDE];
            const txs__mbcol *cp[TXS__SIDE];
            for (uint32_t t = 0; t < nc; t++) {
                txs__match_bound_col(&p, qb, qs.n, &cb[t], &col[t]);
                cp[t] = &col[t];
            }
            const double bars[] = {0.85, b - 1e-7, b + 1e-7};
            for (size_t t = 0; t < 3; t++) {
                int r = txs__match_bound_cols_reach(&p, qb, qs.n, nn[i].kind, cb, cp, nc, c->kind,
                                                    bars[t]);
                cr_assert_eq(r, b >= bars[t], "bound %.9f, bar %.9f: '%s' / '%s'", b, bars[t],
                             names[i], names[j]);
            }
            pairs++;
            under += b < 0.85;
            hits += sc >= 0.85;
        }
    }
    /* the test compared something, and the bound rejects most pairs */
    cr_expect_gt(pairs, 40000);
    cr_expect_gt(hits, 300, "%zu hits", hits);
    cr_expect_gt(under, pairs / 2, "%zu of %zu under 0.85", under, pairs);
    free(nn);
    txs_norm_free(nz);
    for (size_t i = 0; i < nnames; i++) free(names[i]);
}
