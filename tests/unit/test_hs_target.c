/*
 * test_hs_target.c: snapshots are portable across CPUs (issue 11).  The
 * snapshot's Hyperscan database is compiled for a named target, by default
 * "generic", so its bytes never depend on the compiling host.  A snapshot
 * compiled as if for another host (avx2, avx512, avx512vbmi, native) must
 * either screen exactly as the generic one does, on a CPU that has the
 * target's features, or be refused with TXS_E_UNSUPPORTED and a message
 * that names the platform: never a crash, never a different answer.  The
 * expectations branch on this host's features, so the test holds on any
 * x86-64 machine (tests/portable/run.sh adds the cross-CPU byte checks
 * under valgrind, whose CPU lacks AVX-512).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lists/lists_int.h"
#include "txs/hs_engine.h"
#include "txs/lists.h"
#include "txs/screen.h"

#define UN TXS_SOURCE_DIR "/samples/lists/un-consolidated-2026-02-27.xml"

/* Names from the UN list, misspelt, reordered and unrelated, so the
 * Hyperscan channel, the typo channel and the misses are all exercised. */
static const char *const NAMES[] = {
    "Abdul Haq Wasiq",       "WASIQ Abdul Haq",       "Abdul Haq Wasik",
    "Kim Su Gwang",          "Su-gwang KIM",          "Ri Won Ho",
    "Ansar al-Islam",        "Al-Qaida",              "al Qaeda in Iraq",
    "Tariq Anwar el Sayed",  "Ahmad Zia Agha",        "Mohammad Hassan Akhund",
    "John Smith",            "Maria Garcia",          "Acme Trading Ltd",
    "Korea Mining Development Trading Corporation", "Tangun Trading",
    "Islamic State in Iraq and the Levant",         "Jemaah Islamiyah",
};
#define NNAMES (sizeof NAMES / sizeof NAMES[0])

typedef struct result {
    size_t n;
    txs_sanctions_match m[8];
} result;

static void *compile(const char *target, size_t *n)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    void *p = NULL;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_assert_eq(txs_lists_builder_target(b, target, &d), 0, "%s: %s", target, d.msg);
    cr_assert_eq(txs_lists_builder_add(b, UN, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, &p, n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    return p;
}

/* Screen NAMES with a snapshot image; 0, or the create error (d set). */
static int screen_all(const void *img, size_t n, result *out, txs_diag *d)
{
    txs_lists *l;
    cr_assert_eq(txs_lists_open_mem(img, n, &l, d), 0, "%s", d->msg);
    const txs_lists *ls[1] = {l};
    txs_sanctions *s = NULL;
    int rc = txs_sanctions_create(ls, 1, 0.0, &s, d);
    for (size_t i = 0; rc == 0 && i < NNAMES; i++)
        out[i].n = txs_sanctions_name(s, NAMES[i], strlen(NAMES[i]), out[i].m, 8);
    txs_sanctions_free(s);
    txs_lists_free(l);
    return rc;
}

/* Whether this host has the CPU features a target needs. */
static int host_runs(const char *target)
{
    if (strcmp(target, "generic") == 0 || strcmp(target, "native") == 0) return 1;
    void *img;
    size_t n;
    img = compile("generic", &n);
    txs_lists *l;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_open_mem(img, n, &l, &d), 0);
    char info[160], host[64];
    txs_lists_hs_info(l, info, sizeof info, host, sizeof host);
    txs_lists_free(l);
    free(img);
    const char *need = strcmp(target, "avx2") == 0        ? "AVX2"
                       : strcmp(target, "avx512") == 0    ? "AVX512"
                                                          : "AVX512VBMI";
    /* "AVX512" must not be found inside "AVX512VBMI" only: host lists
     * features separated by spaces. */
    for (const char *p = host; (p = strstr(p, need)) != NULL; p += strlen(need))
        if (p[strlen(need)] == ' ' || p[strlen(need)] == '\0') return 1;
    return 0;
}

Test(hs_target, generic_is_the_default_and_names_no_cpu_feature)
{
    size_t na, nb;
    void *a = compile(NULL, &na), *b = compile("generic", &nb);
    cr_assert_eq(na, nb);
    cr_expect(memcmp(a, b, na) == 0, "the default target is generic");
    txs_lists *l;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_open_mem(a, na, &l, &d), 0);
    char info[160];
    cr_assert_eq(txs_lists_hs_info(l, info, sizeof info, NULL, 0), 0);
    cr_expect(strstr(info, "baseline") != NULL, "%s", info);
    cr_expect(strstr(info, "AVX") == NULL, "%s", info);
    txs_lists_free(l);
    free(a), free(b);
}

Test(hs_target, each_target_screens_like_generic_or_is_refused_by_name)
{
    static const char *const T[] = {"avx2", "avx512", "avx512vbmi", "native"};
    static const char *const FEAT[] = {"AVX2", "AVX512", "AVX512VBMI", NULL};
    size_t ng;
    void *g = compile("generic", &ng);
    result want[NNAMES], got[NNAMES];
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(screen_all(g, ng, want, &d), 0, "%s", d.msg);
    size_t hits = 0;
    for (size_t i = 0; i < NNAMES; i++) hits += want[i].n > 0;
    cr_assert_geq(hits, 8, "the names must exercise matches (%zu hit)", hits);
    for (size_t t = 0; t < 4; t++) {
        size_t n;
        void *img = compile(T[t], &n);
        txs_lists *l;
        cr_assert_eq(txs_lists_open_mem(img, n, &l, &d), 0);
        char info[160];
        txs_lists_hs_info(l, info, sizeof info, NULL, 0);
        txs_lists_free(l);
        if (FEAT[t]) cr_expect(strstr(info, FEAT[t]) != NULL, "%s: %s", T[t], info);
        memset(&d, 0, sizeof d);
        memset(got, 0, sizeof got);
        int rc = screen_all(img, n, got, &d);
        if (host_runs(T[t])) {
            cr_assert_eq(rc, 0, "%s: %s", T[t], d.msg);
            for (size_t i = 0; i < NNAMES; i++) {
                cr_expect_eq(got[i].n, want[i].n, "%s: %s", T[t], NAMES[i]);
                for (size_t k = 0; k < want[i].n && k < got[i].n; k++) {
                    cr_expect_eq(got[i].m[k].entity, want[i].m[k].entity, "%s: %s", T[t], NAMES[i]);
                    cr_expect_eq(got[i].m[k].name, want[i].m[k].name, "%s: %s", T[t], NAMES[i]);
                    cr_expect(got[i].m[k].score == want[i].m[k].score, "%s: %s", T[t], NAMES[i]);
                }
            }
        } else {
            cr_expect_eq(rc, TXS_E_UNSUPPORTED, "%s: refused, rc %d", T[t], rc);
            cr_expect(strstr(d.msg, "compiled for another CPU") != NULL, "%s", d.msg);
            cr_expect(strstr(d.msg, FEAT[t]) != NULL, "names the platform: %s", d.msg);
        }
        free(img);
    }
    free(g);
}

Test(hs_target, unknown_target_lists_the_known_ones)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_expect_eq(txs_lists_builder_target(b, "sse9", &d), TXS_E_ARG);
    cr_expect(strstr(d.msg, "sse9") != NULL, "%s", d.msg);
    cr_expect(strstr(d.msg, "generic, avx2, avx512, avx512vbmi, native") != NULL, "%s", d.msg);
    txs_lists_builder_free(b);
}

Test(hs_target, corrupt_or_cut_database_is_refused_with_a_reason)
{
    size_t n;
    void *img = compile("generic", &n);
    txs_lists *l;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_open_mem(img, n, &l, &d), 0);
    const void *hp;
    size_t hn;
    uint32_t hv;
    cr_assert_eq(txs__lists_section(l, TXS__SEC_HSDB, &hp, &hn, &hv), 0);
    cr_assert_gt(hn, 1024);
    unsigned char *copy = malloc(hn);
    memcpy(copy, hp, hn);
    txs_hsdb *db = NULL;
    cr_assert_eq(txs_hsdb_open(copy, hn, &db, &d), 0, "%s", d.msg);
    txs_hsdb_free(db);
    /* A flipped byte in the bytecode (Hyperscan keeps a CRC of it). */
    copy[hn / 2] ^= 0x5a;
    memset(&d, 0, sizeof d);
    cr_expect_lt(txs_hsdb_open(copy, hn, &db, &d), 0);
    cr_expect(strstr(d.msg, "Hyperscan database") != NULL, "%s", d.msg);
    copy[hn / 2] ^= 0x5a;
    /* Cut short. */
    memset(&d, 0, sizeof d);
    cr_expect_lt(txs_hsdb_open(copy, hn / 3, &db, &d), 0);
    cr_expect(d.msg[0] != '\0');
    free(copy);
    txs_lists_free(l);
    free(img);
}
