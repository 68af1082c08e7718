/*
 * test_candidates.c: candidate generation and the name cache of sanctions
 * screening.  A synthetic list made mostly of common tokens (60 given
 * names x 60 surnames, companies "SURNAME SURNAME TRADING LLC"), with short
 * all-common names listed too ("MARIA GARCIA", "LI WEI"), is screened with
 * the prefix index and with the exhaustive walk of every hit token's
 * posting list, which also scores every candidate without the scorer's
 * upper bound, at a low threshold and at the default one: the same
 * matches, scores equal to the bit.  The cache's
 * no-hit set keeps the 4 most recent names of a bucket.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen/name_cache_int.h"
#include "screen/sanctions_int.h"
#include "txs/lists.h"
#include "txs/screen.h"

static const char *const FIRST[] = {
    "Maria", "Jose", "Li", "Wei", "Anna", "John", "Ahmed", "Olga", "Ivan", "Fatima", "Juan", "Chen",
    "Peter", "Sara", "Ali", "Elena", "Omar", "Lucia", "David", "Mei", "Carlos", "Nina", "Hassan",
    "Laura", "Pavel", "Yusuf", "Rosa", "Tomas", "Amir", "Irina", "Jorge", "Hana", "Karim", "Eva",
    "Luis", "Aisha", "Marek", "Sofia", "Ravi", "Lena", "Diego", "Noor", "Igor", "Clara", "Samir",
    "Vera", "Pedro", "Layla", "Oleg", "Marta", "Tariq", "Ines", "Boris", "Alma", "Rafael", "Zara",
    "Felix", "Dina", "Hugo", "Yara"};
static const char *const LAST[] = {
    "Garcia", "Wei", "Smith", "Khan", "Ivanov", "Lopez", "Wang", "Petrova", "Rossi", "Ali",
    "Nguyen", "Silva", "Kim", "Haddad", "Novak", "Sato", "Meyer", "Costa", "Popescu", "Yilmaz",
    "Perez", "Zhang", "Kowalski", "Sousa", "Rahman", "Fischer", "Moreno", "Horvat", "Liu", "Baker",
    "Diaz", "Cohen", "Santos", "Jansen", "Ortiz", "Sokolov", "Gomez", "Wu", "Klein", "Ramos",
    "Demir", "Ahmadi", "Nowak", "Reyes", "Lin", "Morales", "Suzuki", "Vargas", "Hoang", "Castro",
    "Farouk", "Torres", "Olsen", "Ibrahim", "Weber", "Ruiz", "Park", "Mendes", "Kaya", "Chavez"};
#define NF (sizeof FIRST / sizeof FIRST[0])
#define NL (sizeof LAST / sizeof LAST[0])

static char dir[64];
static void *img;
static txs_lists *L;
static txs_sanctions *P, *F;   /* prefix index, full walk */
static txs_sanctions *PD, *FD; /* the same at the default threshold */

static unsigned rnd(unsigned *s, unsigned n)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) % n;
}

static void write_list(const char *path)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("\"id\",\"schema\",\"name\",\"aliases\",\"birth_date\",\"countries\",\"addresses\","
          "\"identifiers\",\"sanctions\",\"phones\",\"emails\",\"program_ids\",\"dataset\","
          "\"first_seen\",\"last_seen\",\"last_change\"\n", f);
    unsigned s = 99;
    const char *fixed[] = {"Maria Garcia", "Li Wei", "Wei Li", "Ahmed Khan", "Trading LLC",
                           "Zbigniew Brzezinski-Oquendo", "Maria Jose Garcia Lopez"};
    for (int i = 0; i < 3000; i++) {
        char nm[128];
        const char *schema = "Person";
        if (i < (int)(sizeof fixed / sizeof fixed[0])) {
            snprintf(nm, sizeof nm, "%s", fixed[i]);
            if (i == 4) schema = "Company";
        } else if (i % 5 == 4) {
            schema = "Company";
            snprintf(nm, sizeof nm, "%s %s Trading LLC", LAST[rnd(&s, NL)], LAST[rnd(&s, NL)]);
        } else if (i % 7 == 3) {
            snprintf(nm, sizeof nm, "%s %s %s", FIRST[rnd(&s, NF)], FIRST[rnd(&s, NF)], LAST[rnd(&s, NL)]);
        } else {
            snprintf(nm, sizeof nm, "%s %s", FIRST[rnd(&s, NF)], LAST[rnd(&s, NL)]);
        }
        fprintf(f, "\"T%04d\",\"%s\",\"%s\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"Test\","
                   "\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\"\n",
                i, schema, nm);
    }
    fclose(f);
}

static void setup(void)
{
    txs_diag d = {{0}, 0, {0}};
    snprintf(dir, sizeof dir, "/tmp/txs-cand-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/targets.simple.csv", dir);
    write_list(path);
    txs_lists_builder *b;
    size_t n;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_assert_eq(txs_lists_builder_add(b, path, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, &img, &n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(txs_lists_open_mem(img, n, &L, &d), 0, "%s", d.msg);
    const txs_lists *ls[1] = {L};
    /* a low threshold keeps nearly every candidate as a match */
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.30, &P, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.30, &F, &d), 0, "%s", d.msg);
    txs__sanctions_full_walk(F, 1);
    /* at the default threshold the scorer's bound rejects most candidates */
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &PD, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &FD, &d), 0, "%s", d.msg);
    txs__sanctions_full_walk(FD, 1);
}

static void teardown(void)
{
    txs_sanctions_free(P);
    txs_sanctions_free(F);
    txs_sanctions_free(PD);
    txs_sanctions_free(FD);
    txs_lists_free(L);
    free(img);
}

TestSuite(candidates, .init = setup, .fini = teardown, .timeout = 120);

/* Screen q with screener a and with the exhaustive b; the matches must
 * be the same, bit for bit. */
static size_t same_with(txs_sanctions *a, txs_sanctions *b, const char *q, txs_sanctions_match *m)
{
    txs_sanctions_match f[32];
    size_t k = txs_sanctions_name(a, q, strlen(q), m, 32);
    size_t kf = txs_sanctions_name(b, q, strlen(q), f, 32);
    cr_assert_eq(k, kf, "%s: %zu vs %zu matches", q, k, kf);
    for (size_t i = 0; i < k; i++)
        cr_assert(m[i].list == f[i].list && m[i].entity == f[i].entity && m[i].name == f[i].name &&
                      memcmp(&m[i].score, &f[i].score, sizeof m[i].score) == 0,
                  "%s: match %zu differs", q, i);
    return k;
}

static size_t same_both_ways(const char *q, txs_sanctions_match *m) { return same_with(P, F, q, m); }

Test(candidates, prefix_index_finds_what_the_full_walk_finds)
{
    unsigned s = 5;
    size_t total = 0, totald = 0;
    txs_sanctions_match m[32];
    for (int i = 0; i < 3000; i++) {
        char q[160];
        switch (i % 6) {
        case 0: snprintf(q, sizeof q, "%s %s", FIRST[rnd(&s, NF)], LAST[rnd(&s, NL)]); break;
        case 1: snprintf(q, sizeof q, "%s, %s", LAST[rnd(&s, NL)], FIRST[rnd(&s, NF)]); break;
        case 2: snprintf(q, sizeof q, "%s %s Trading LLC", LAST[rnd(&s, NL)], LAST[rnd(&s, NL)]); break;
        case 3: snprintf(q, sizeof q, "%s %s %s", FIRST[rnd(&s, NF)], FIRST[rnd(&s, NF)], LAST[rnd(&s, NL)]); break;
        case 4: snprintf(q, sizeof q, "%sx %s", FIRST[rnd(&s, NF)], LAST[rnd(&s, NL)]); break; /* typo */
        default: snprintf(q, sizeof q, "%s", LAST[rnd(&s, NL)]); break;
        }
        total += same_both_ways(q, m);
        totald += same_with(PD, FD, q, m);
    }
    cr_expect_gt(total, 3000); /* the comparison compared something */
    cr_expect_gt(totald, 500, "%zu matches at the default threshold", totald);
}

Test(candidates, short_all_common_listed_names_are_found)
{
    const char *q[] = {"Maria Garcia", "Li Wei", "Wei Li", "Garcia, Maria", "Maria Jose Garcia Lopez"};
    txs_sanctions_match m[32];
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        size_t k = same_both_ways(q[i], m);
        cr_assert_gt(k, 0, "%s", q[i]);
        cr_expect_geq(m[0].score, 0.99, "%s: best %.3f", q[i], m[0].score);
    }
}

/* ------------------------------------------------------------ cache */

static txs__nkey key_in_bucket0(uint64_t lo) { return (txs__nkey){lo, 1}; }

Test(cache, no_hit_set_keeps_the_four_most_recent_of_a_bucket)
{
    txs__ncache *c = txs__ncache_new();
    cr_assert_not_null(c);
    txs_sanctions_match m[4];
    for (uint64_t i = 1; i <= 5; i++) txs__ncache_put(c, key_in_bucket0(i), "x", 1, NULL, 0);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(1), "x", 1, m, 4), -1); /* evicted */
    for (uint64_t i = 2; i <= 5; i++) cr_expect_eq(txs__ncache_get(c, key_in_bucket0(i), "x", 1, m, 4), 0);
    /* 5 was looked up last, then 4, 3, 2 before it: 2 is the oldest now */
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(2), "x", 1, m, 4), 0); /* 2 to the front */
    txs__ncache_put(c, key_in_bucket0(6), "x", 1, NULL, 0);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(3), "x", 1, m, 4), -1);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(2), "x", 1, m, 4), 0);
    txs__ncache_free(c);
}

Test(cache, matches_are_kept_by_exact_name_and_capacity)
{
    txs__ncache *c = txs__ncache_new();
    cr_assert_not_null(c);
    txs_sanctions_match r[2] = {{0, 7, 9, 0.91}, {0, 8, 10, 0.75}}, m[4];
    txs__nkey k = txs__ncache_key("Li Wei", 6, 0);
    txs__ncache_put(c, k, "Li Wei", 6, r, 2);
    cr_expect_eq(txs__ncache_get(c, k, "Li Wei", 6, m, 4), 2);
    cr_expect(m[0].entity == 7 && m[1].score == 0.75);
    cr_expect_eq(txs__ncache_get(c, k, "Li Wex", 6, m, 4), -1); /* same key, other bytes */
    cr_expect_eq(txs__ncache_get(c, k, "Li Wei", 6, m, 1), 1);
    cr_expect_eq(txs__ncache_get(c, k, "Li Wei", 6, m, 8), -1); /* more than a slot holds */
    cr_expect_neq(txs__ncache_key("Li Wei", 6, 0).lo, txs__ncache_key("Li Wei", 6, 1).lo);
    txs__ncache_free(c);
}
