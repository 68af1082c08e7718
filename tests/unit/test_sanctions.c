/*
 * test_sanctions.c: sanctions screening end to end over the bundled list
 * sources (samples/lists): the snapshot's name sections, candidate
 * generation (exact tokens, typos, reordering, legal forms), the BIC table,
 * weak aliases, determinism of the image, and hits through the screener.
 * The snapshot is compiled once per test process from the same sources the
 * build uses for default-lists.snap.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>

#include "lists/lists_int.h"
#include "txs/screen.h"

static const char *const SRCS[] = {TXS_SOURCE_DIR "/samples/lists/ofac-sdn-2021-07-07",
                                   TXS_SOURCE_DIR "/samples/lists/un-consolidated-2026-02-27.xml"};

static void *img;
static size_t nimg;
static txs_lists *L;
static txs_sanctions *S;

static void *build(size_t *n)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    void *p = NULL;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    for (size_t i = 0; i < 2; i++) cr_assert_eq(txs_lists_builder_add(b, SRCS[i], &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, &p, n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    return p;
}

static void setup(void)
{
    txs_diag d = {{0}, 0, {0}};
    img = build(&nimg);
    cr_assert_eq(txs_lists_open_mem(img, nimg, &L, &d), 0, "%s", d.msg);
    const txs_lists *ls[1] = {L};
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &S, &d), 0, "%s", d.msg);
}

static void teardown(void)
{
    txs_sanctions_free(S);
    txs_lists_free(L);
    free(img);
}

/* The id of the best match for name, or "" when nothing passes. */
static const char *best(const char *name, double *score)
{
    static char id[64];
    txs_sanctions_match m[4];
    size_t k = txs_sanctions_name(S, name, strlen(name), m, 4);
    id[0] = '\0';
    if (score) *score = k ? m[0].score : 0.0;
    if (k == 0) return id;
    txs_entity e;
    txs_lists_entity(L, m[0].entity, &e);
    snprintf(id, sizeof id, "%.*s", (int)e.id.n, e.id.p);
    return id;
}

TestSuite(sanctions, .init = setup, .fini = teardown, .timeout = 120);

Test(sanctions, name_sections_are_built)
{
    uint32_t nv, hv;
    txs_lists_section_versions(L, &nv, &hv);
    cr_assert_eq(nv, TXS__NAMES_VERSION);
    cr_assert_eq(hv, TXS__HSDB_VERSION);
}

Test(sanctions, exact_name_hits_with_entry_id)
{
    cr_assert_str_eq(best("AEROCARIBBEAN AIRLINES", NULL), "OFAC-SDN:36");
}

Test(sanctions, typo_and_split_still_hit)
{
    double s;
    cr_assert_str_eq(best("Aero Caribean Airline", &s), "OFAC-SDN:36");
    cr_assert_geq(s, TXS_SANCTIONS_THRESHOLD);
}

Test(sanctions, surname_given_reordered_hits)
{
    txs_sanctions_match m[4];
    const char *a = "HUSSEIN, Saddam";
    size_t k = txs_sanctions_name(S, a, strlen(a), m, 4);
    cr_assert_gt(k, 0);
    txs_slice nm = txs_sanctions_name_text(S, &m[0]);
    cr_assert_gt(nm.n, 0);
}

Test(sanctions, legal_form_variant_hits)
{
    cr_assert_str_eq(best("Aerocaribbean Airlines LLC", NULL), "OFAC-SDN:36");
}

Test(sanctions, benign_names_do_not_hit)
{
    static const char *const benign[] = {"Robert Miller", "Jennifer Lopez Garcia", "Acme Parts GmbH",
                                         "Mary Johnson", "Main Street Bakery Inc"};
    for (size_t i = 0; i < sizeof benign / sizeof *benign; i++)
        cr_expect_str_eq(best(benign[i], NULL), "", "%s hit", benign[i]);
}

Test(sanctions, bic_exact_hit)
{
    txs_sanctions_match m[4];
    txs_slice bic = {"BKMTIRTHXXX", 11};
    size_t k = txs_sanctions_bic(S, bic, m, 4);
    cr_assert_gt(k, 0);
    cr_assert_float_eq(m[0].score, 1.0, 1e-9);
    txs_entity e;
    txs_lists_entity(L, m[0].entity, &e);
    cr_assert(e.id.n > 9 && memcmp(e.id.p, "OFAC-SDN:", 9) == 0);
}

/* A weak alias is scored with the weak-alias penalty: an exact query on a
 * weak alias alone scores lower than the same text as a strong name. */
Test(sanctions, weak_alias_needs_more_evidence)
{
    const txs__snap_names_hdr *h;
    const void *p;
    size_t n;
    uint32_t v;
    cr_assert_eq(txs__lists_section(L, TXS__SEC_NAMES, &p, &n, &v), 0);
    h = p;
    const txs__snap_name *names = (const void *)((const char *)p + h->off_names);
    const char *text = (const char *)p + h->off_text;
    int checked = 0;
    for (uint32_t i = 0; i < h->nnames && checked < 20; i++) {
        if (!(names[i].flags & TXS__NM_WEAK) || names[i].ntok != 1) continue;
        char q[600];
        snprintf(q, sizeof q, "%.*s", (int)names[i].text_len, text + names[i].text_off);
        txs_sanctions_match m[8];
        size_t k = txs_sanctions_name(S, q, strlen(q), m, 8);
        for (size_t j = 0; j < k; j++)
            cr_expect(!(m[j].entity == names[i].entity && m[j].name == i),
                      "weak one-word alias '%s' alone alerted", q);
        checked++;
    }
    cr_assert_gt(checked, 0);
}

Test(sanctions, same_sources_give_identical_snapshot)
{
    size_t n2;
    void *p2 = build(&n2);
    cr_assert_eq(n2, nimg);
    cr_assert(memcmp(p2, img, nimg) == 0);
    free(p2);
}

/* ---------------------------------------------------- through the screener */

typedef struct mem {
    char *p;
    size_t n;
} mem;

static int sink(void *ctx, const char *p, size_t n)
{
    mem *m = ctx;
    m->p = realloc(m->p, m->n + n + 1);
    memcpy(m->p + m->n, p, n);
    m->n += n;
    m->p[m->n] = '\0';
    return 0;
}

static const char CSV[] =
    "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,"
    "orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose\n"
    "S1,2026-03-01T10:00:00Z,2500.00,USD,wire,A1,Jane Doe,US,,,B1,Aero Caribean Airline,CU,,,x\n"
    "S2,2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,US,,,B2,Robert Miller,US,,,x\n"
    "S3,2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,US,,,B3,Trade Partner,AE,BKMTIRTHXXX,,x\n";

typedef struct feed {
    const char *p;
    size_t n, at, chunk;
} feed;

static ssize_t feed_read(void *ctx, void *buf, size_t cap)
{
    feed *f = ctx;
    size_t k = f->n - f->at;
    if (k > cap) k = cap;
    if (f->chunk && k > f->chunk) k = f->chunk;
    memcpy(buf, f->p + f->at, k);
    f->at += k;
    return (ssize_t)k;
}

static mem run(size_t chunk)
{
    feed f = {CSV, sizeof CSV - 1, 0, chunk};
    txs_profile *prof;
    txs_diag d = {{0}, 0, {0}};
    mem out = {NULL, 0};
    cr_assert_eq(txs_profile_load("native", &prof, &d), 0);
    const txs_lists *ls[1] = {L};
    txs_screen_opts o = {.profile = prof, .format = -1, .alerts = sink, .alerts_ctx = &out,
                         .lists = ls, .nlists = 1};
    txs_screener *s;
    cr_assert_eq(txs_screener_create(&o, &s), 0);
    txs_source *src;
    cr_assert_eq(txs_source_open_fn(feed_read, &f, "t.csv", &src), 0);
    cr_assert_eq(txs_screener_feed(s, src, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_screener_stats(s)->sanctions_txns, 2);
    txs_source_free(src);
    txs_screener_free(s);
    txs_profile_free(prof);
    return out;
}

Test(sanctions, screener_emits_provenance_and_is_chunk_invariant)
{
    mem a = run(0), b = run(1);
    cr_assert_not_null(a.p);
    cr_assert(strstr(a.p, "\"entry_id\":\"OFAC-SDN:36\"") != NULL);
    cr_assert(strstr(a.p, "\"list\":\"OFAC-SDN\",\"list_version\":\"sha256:") != NULL);
    cr_assert(strstr(a.p, "\"field\":\"bene_bank\"") != NULL);
    cr_assert(strstr(a.p, "\"txn_id\":\"S2\"") == NULL);
    cr_assert_eq(a.n, b.n);
    cr_assert(memcmp(a.p, b.p, a.n) == 0);
    free(a.p), free(b.p);
}
