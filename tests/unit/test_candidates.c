/*
 * test_candidates.c: candidate generation and the name cache of sanctions
 * screening.  A synthetic list made mostly of common tokens (60 given
 * names x 60 surnames, companies "SURNAME SURNAME TRADING LLC"), with short
 * all-common names listed too ("MARIA GARCIA", "LI WEI"), is screened with
 * the prefix index and with the exhaustive walk of every hit token's
 * posting list, which also scores every candidate without the scorer's
 * upper bound, at a low threshold and at the default one: the same
 * matches, scores equal to the bit.  A second list, of persons with five
 * aliases each over six given names and six surnames, checks that the
 * walk's filter by token signature changes no match and that every
 * posting carries its name's signature.  The bound's per-query columns
 * forced into one slot change no match.  The cache's no-hit set keeps the
 * 4 most recent names of a bucket.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen/name_cache_int.h"
#include "screen/sanctions_int.h"
#include "txs/lists.h"
#include "txs/lists_names.h"
#include "txs/norm.h"
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

/* A new list file of the simple format, its header written. */
static FILE *open_list(const char *path)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("\"id\",\"schema\",\"name\",\"aliases\",\"birth_date\",\"countries\",\"addresses\","
          "\"identifiers\",\"sanctions\",\"phones\",\"emails\",\"program_ids\",\"dataset\","
          "\"first_seen\",\"last_seen\",\"last_change\"\n", f);
    return f;
}

static void write_list(const char *path)
{
    FILE *f = open_list(path);
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

/* Write a list with write() in a scratch folder, compile it into *image
 * and open it. */
static txs_lists *compile(void (*write)(const char *), const char *file, void **image)
{
    txs_diag d = {{0}, 0, {0}};
    snprintf(dir, sizeof dir, "/tmp/txs-cand-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    write(path);
    txs_lists_builder *b;
    txs_lists *l;
    size_t n;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_assert_eq(txs_lists_builder_add(b, path, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, image, &n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    unlink(path);
    rmdir(dir);
    cr_assert_eq(txs_lists_open_mem(*image, n, &l, &d), 0, "%s", d.msg);
    return l;
}

/* Two pairs of screeners of l, the second of each pair with hook on: at
 * a low threshold, which keeps nearly every candidate as a match (x, y),
 * and at the default one, where the scorer's bound rejects most (xd, yd). */
static void screeners(const txs_lists *l, void (*hook)(txs_sanctions *, int), txs_sanctions **x,
                      txs_sanctions **y, txs_sanctions **xd, txs_sanctions **yd)
{
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {l};
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.30, x, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.30, y, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, xd, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, yd, &d), 0, "%s", d.msg);
    hook(*y, 1);
    hook(*yd, 1);
}

static void setup(void)
{
    L = compile(write_list, "targets.simple.csv", &img);
    screeners(L, txs__sanctions_full_walk, &P, &F, &PD, &FD);
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

/* Query i of a test's n (its generator, seeded by *s), screened by each
 * pair (x against y at 0.30, xd against yd at the default threshold);
 * the matches found at each threshold added to totals t[2]. */
typedef void (*query_fn)(int i, unsigned *s, char *q, size_t cap);
static void compare_all(query_fn make, int n, unsigned seed, txs_sanctions *x, txs_sanctions *y,
                        txs_sanctions *xd, txs_sanctions *yd, size_t t[2])
{
    txs_sanctions_match m[32];
    t[0] = t[1] = 0;
    for (int i = 0; i < n; i++) {
        char q[160];
        make(i, &seed, q, sizeof q);
        t[0] += same_with(x, y, q, m);
        t[1] += same_with(xd, yd, q, m);
    }
}

static void common_query(int i, unsigned *s, char *q, size_t cap)
{
    switch (i % 6) {
    case 0: snprintf(q, cap, "%s %s", FIRST[rnd(s, NF)], LAST[rnd(s, NL)]); break;
    case 1: snprintf(q, cap, "%s, %s", LAST[rnd(s, NL)], FIRST[rnd(s, NF)]); break;
    case 2: snprintf(q, cap, "%s %s Trading LLC", LAST[rnd(s, NL)], LAST[rnd(s, NL)]); break;
    case 3: snprintf(q, cap, "%s %s %s", FIRST[rnd(s, NF)], FIRST[rnd(s, NF)], LAST[rnd(s, NL)]); break;
    case 4: snprintf(q, cap, "%sx %s", FIRST[rnd(s, NF)], LAST[rnd(s, NL)]); break; /* typo */
    default: snprintf(q, cap, "%s", LAST[rnd(s, NL)]); break;
    }
}

Test(candidates, prefix_index_finds_what_the_full_walk_finds)
{
    size_t t[2];
    compare_all(common_query, 3000, 5, P, F, PD, FD, t);
    cr_expect_gt(t[0], 3000); /* the comparison compared something */
    cr_expect_gt(t[1], 500, "%zu matches at the default threshold", t[1]);
}

/* The bound's columns kept per query (sanctions.c bound_name) all in one
 * slot: a name's second token evicts its first one's column while the
 * bound still needs it.  The outcomes must not change. */
Test(candidates, columns_that_share_a_slot_change_no_match)
{
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    txs_sanctions *o;
    size_t t[2];
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &o, &d), 0, "%s", d.msg);
    txs__sanctions_one_column_slot(o, 1);
    compare_all(common_query, 3000, 9, P, F, o, FD, t);
    cr_expect_gt(t[1], 500, "%zu matches at the default threshold", t[1]);
    txs_sanctions_free(o);
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

/* ------------------------------------------------- heavily aliased list */

/* A list where the walk's filter by signature (txs__snap_pre's sig) and
 * its exception for a person's two end tokens matter (checked against the
 * same walk unfiltered: the full walk finds more here, since neither end
 * is walked for the middle-names rule, docs/matching.md): 800 persons of five
 * names each, every name "GIVEN MIDDLE [MIDDLE] SURNAME" with the given
 * name and the surname from six each (so each is on more than ENDS_POST
 * names, which the middle-names walk leaves out) and the middle names
 * from 240, the first ones far commoner than the last. */
static const char *const GIVEN6[] = {"Maria", "Jose", "Ana", "Juan", "Rosa", "Luis"};
static const char *const SUR6[] = {"Garcia", "Lopez", "Perez", "Sanchez", "Ramirez", "Torres"};
static char MID[240][12];
static void *img2;
static txs_lists *L2;
static txs_sanctions *P2, *U2, *P2D, *U2D; /* filtered prefix walk, unfiltered */

static const char *mid(unsigned *s)
{
    unsigned a = rnd(s, 240), b = rnd(s, 240); /* the smaller of two: skewed to the first */
    return MID[a < b ? a : b];
}

static void write_aliased(const char *path)
{
    for (int i = 0; i < 240; i++) /* pronounceable and distinct: consonant-vowel pairs */
        snprintf(MID[i], sizeof MID[i], "%c%c%c%co", "bdfgklmnprstvz"[i % 14], "aeiou"[i / 14 % 5],
                 "bdfgklmnprstvz"[(i / 70 + i) % 14], "aeiou"[i / 14 / 5 % 5]);
    FILE *f = open_list(path);
    unsigned s = 7;
    for (int i = 0; i < 800; i++) {
        char nm[5][96];
        for (int k = 0; k < 5; k++) {
            const char *g = GIVEN6[rnd(&s, 6)], *l = SUR6[rnd(&s, 6)];
            if (rnd(&s, 2)) snprintf(nm[k], sizeof nm[k], "%s %s %s", g, mid(&s), l);
            else snprintf(nm[k], sizeof nm[k], "%s %s %s %s", g, mid(&s), mid(&s), l);
        }
        fprintf(f, "\"A%04d\",\"Person\",\"%s\",\"%s;%s;%s;%s\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
                   "\"\",\"Test\",\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\",\"2026-01-01T00:00:00\"\n",
                i, nm[0], nm[1], nm[2], nm[3], nm[4]);
    }
    fclose(f);
}

static void setup_aliased(void)
{
    L2 = compile(write_aliased, "aliased.simple.csv", &img2);
    screeners(L2, txs__sanctions_unfiltered, &P2, &U2, &P2D, &U2D);
}

static void teardown_aliased(void)
{
    txs_sanctions_free(P2), txs_sanctions_free(U2);
    txs_sanctions_free(P2D), txs_sanctions_free(U2D);
    txs_lists_free(L2);
    free(img2);
}

TestSuite(aliased, .init = setup_aliased, .fini = teardown_aliased, .timeout = 120);

/* Queries made from the list's own shapes with one part changed: a
 * middle name left out, added or swapped, a typo, the order reversed. */
static void aliased_query(int i, unsigned *s, char *q, size_t cap)
{
    const char *g = GIVEN6[rnd(s, 6)], *l = SUR6[rnd(s, 6)];
    switch (i % 5) {
    case 0: snprintf(q, cap, "%s %s", g, l); break;
    case 1: snprintf(q, cap, "%s %s %s", g, mid(s), l); break;
    case 2: snprintf(q, cap, "%s %s %s %s", g, mid(s), mid(s), l); break;
    case 3: snprintf(q, cap, "%s %sx %s", g, mid(s), l); break;
    default: snprintf(q, cap, "%s, %s %s", l, g, mid(s)); break;
    }
}

Test(aliased, the_signature_filter_changes_no_match)
{
    size_t t[2];
    compare_all(aliased_query, 4000, 11, P2, U2, P2D, U2D, t);
    cr_expect_gt(t[0], 10000, "%zu matches at 0.30", t[0]);
    cr_expect_gt(t[1], 2000, "%zu matches at the default threshold", t[1]);
}

/* Every prefix posting carries its name's signature: a bit for each of
 * the name's tokens (bits 0-51) and, for a person's name of three or more
 * tokens, the bit numbers of its first and last tokens (bits 52-57 and
 * 58-63; 63 for any other name). */
Test(aliased, prefix_postings_carry_their_names_signatures)
{
    const void *p;
    size_t n;
    uint32_t v;
    cr_assert_eq(txs__lists_section(L2, TXS__SEC_NAMES, &p, &n, &v), 0);
    txs__snap_names_hdr h;
    memcpy(&h, p, sizeof h);
    const char *b = p;
    const txs__snap_name *names = (const void *)(b + h.off_names);
    const uint32_t *fwd_off = (const void *)(b + h.off_fwd_off), *fwd = (const void *)(b + h.off_fwd);
    const uint32_t *tokid = (const void *)(b + h.off_tokid);
    const txs__snap_pre *pre = (const void *)(b + h.off_pre);
    size_t ends = 0;
    cr_assert_gt(h.npre, 10000u);
    for (uint32_t i = 0; i < h.npre; i++) {
        const txs__snap_name *m = &names[pre[i].nm];
        uint64_t toks = 0, first = 63, last = 63;
        for (uint32_t j = fwd_off[pre[i].nm]; j < fwd_off[pre[i].nm + 1]; j++)
            toks |= 1ull << ((fwd[j] * 0x9E3779B1u >> 8) % 52u);
        if (m->kind == TXS_NAME_PERSON && m->ntok >= 3 && tokid[m->tokdesc] != TXS__NO_TOK &&
            tokid[m->tokdesc + m->ntok - 1] != TXS__NO_TOK) {
            first = (tokid[m->tokdesc] * 0x9E3779B1u >> 8) % 52u;
            last = (tokid[m->tokdesc + m->ntok - 1] * 0x9E3779B1u >> 8) % 52u;
            cr_assert(toks >> first & toks >> last & 1u, "posting %u: an end is no token", i);
            ends++;
        }
        cr_assert_eq(pre[i].sig, toks | first << 52 | last << 58, "posting %u (name %u)", i, pre[i].nm);
    }
    cr_expect_gt(ends, h.npre / 2); /* most of these names are persons' of three tokens */
}

/* ------------------------------------------------------------ cache */

static txs__nkey key_in_bucket0(uint64_t lo) { return (txs__nkey){lo, 1}; }

Test(cache, no_hit_set_keeps_the_eight_most_recent_of_a_bucket)
{
    txs__ncache *c = txs__ncache_new();
    cr_assert_not_null(c);
    txs_sanctions_match m[4];
    for (uint64_t i = 1; i <= 9; i++) txs__ncache_put(c, key_in_bucket0(i), "x", 1, NULL, 0);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(1), "x", 1, m, 4), -1); /* evicted */
    for (uint64_t i = 2; i <= 9; i++) cr_expect_eq(txs__ncache_get(c, key_in_bucket0(i), "x", 1, m, 4), 0);
    /* 9 was looked up last, then 8 .. 2 before it: 2 is the oldest now */
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(2), "x", 1, m, 4), 0); /* 2 to the front */
    txs__ncache_put(c, key_in_bucket0(10), "x", 1, NULL, 0);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(3), "x", 1, m, 4), -1);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(2), "x", 1, m, 4), 0);
    /* another bucket (the high half's top bits) holds none of them */
    cr_expect_eq(txs__ncache_get(c, (txs__nkey){2, 1ull << 63}, "x", 1, m, 4), -1);
    txs__ncache_free(c);
}

Test(cache, a_zero_low_half_is_kept_as_one)
{
    /* a way holds the fingerprint's low half, 0 marking an empty way */
    txs__ncache *c = txs__ncache_new();
    cr_assert_not_null(c);
    txs_sanctions_match m[4];
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(0), "x", 1, m, 4), -1); /* not the empty ways */
    txs__ncache_put(c, key_in_bucket0(0), "x", 1, NULL, 0);
    cr_expect_eq(txs__ncache_get(c, key_in_bucket0(0), "x", 1, m, 4), 0);
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
