/*
 * test_sanctions.c: sanctions screening end to end over the bundled list
 * sources (samples/lists): the snapshot's name sections, candidate
 * generation (exact tokens, typos, reordering, legal forms), the BIC table,
 * weak aliases, determinism of the image, and hits through the screener.
 * The snapshot is compiled once per test process from the same sources the
 * build uses for default-lists.snap.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "lists/lists_int.h"
#include "txs/emit.h"
#include "txs/rules.h"
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
    cr_assert_eq(txs_lists_names_version(L), TXS__NAMES_VERSION);
}

/* The bundled snapshot's NAMES section as its arrays. */
typedef struct names_view {
    txs__snap_names_hdr h;
    const txs__snap_name *nm;
    const txs_norm_tok *td;
    const txs__snap_tok *tk;
    const uint32_t *id;
    const char *text, *ts;
} names_view;

static names_view names_of(const txs_lists *l)
{
    const void *p;
    size_t n;
    uint32_t v;
    cr_assert_eq(txs__lists_section(l, TXS__SEC_NAMES, &p, &n, &v), TXS_OK);
    names_view w;
    memcpy(&w.h, p, sizeof w.h);
    const uint8_t *b = p;
    w.nm = (const void *)(b + w.h.off_names);
    w.td = (const void *)(b + w.h.off_tokdesc);
    w.tk = (const void *)(b + w.h.off_toks);
    w.id = (const void *)(b + w.h.off_tokid);
    w.text = (const char *)b + w.h.off_text;
    w.ts = (const char *)b + w.h.off_tokstr;
    return w;
}

/* Every token of every name knows its dictionary token (the bound
 * prepares list tokens by id): the same bytes, and none for an initial. */
Test(sanctions, name_tokens_carry_their_dictionary_ids)
{
    const names_view w = names_of(L);
    size_t named = 0, initials = 0;
    for (uint32_t i = 0; i < w.h.nnames; i++)
        for (uint32_t k = 0; k < w.nm[i].ntok; k++) {
            const txs_norm_tok *t = &w.td[w.nm[i].tokdesc + k];
            uint32_t x = w.id[w.nm[i].tokdesc + k];
            if (t->len < 2) {
                cr_assert_eq(x, TXS__NO_TOK);
                initials++;
                continue;
            }
            cr_assert_lt(x, w.h.ntoks);
            cr_assert_eq(w.tk[x].len, t->len);
            cr_assert(memcmp(w.ts + w.tk[x].str_off, w.text + w.nm[i].text_off + t->off, t->len) == 0,
                      "name %u token %u: %.*s", i, k, (int)t->len, w.text + w.nm[i].text_off + t->off);
            named++;
        }
    cr_assert_gt(named, 1000);
    cr_assert_gt(initials, 0);
}

/* A listed person written with the first and last names only ("ALI
 * AL-TIKRITI" for ALI HASSAN ABD AL-MAJID AL-TIKRITI) is a candidate
 * through the walk of person names by their end tokens: the names tried
 * are those whose two ends carry too little of the name's weight for the
 * candidate bar (so no other walk reaches them) and at least ENDS_MIN
 * (0.3), the mass that walk asks. */
Test(sanctions, first_and_last_names_find_the_listed_person)
{
    const names_view w = names_of(L);
    size_t tried = 0, found = 0;
    for (uint32_t i = 0; i < w.h.nnames && tried < 100; i++) {
        if (w.nm[i].kind != TXS_NAME_PERSON || w.nm[i].ntok < 4) continue;
        uint32_t a = w.id[w.nm[i].tokdesc], z = w.id[w.nm[i].tokdesc + w.nm[i].ntok - 1];
        if (a == TXS__NO_TOK || z == TXS__NO_TOK || a == z) continue;
        float mass = w.tk[a].weight + w.tk[z].weight;
        if (mass >= txs__cand_bar(w.nm[i].weight) || mass < 0.3f) continue;
        const txs_norm_tok *f = &w.td[w.nm[i].tokdesc];
        const txs_norm_tok *l = &w.td[w.nm[i].tokdesc + w.nm[i].ntok - 1];
        char q[128];
        snprintf(q, sizeof q, "%.*s %.*s", (int)f->len, w.text + w.nm[i].text_off + f->off,
                 (int)l->len, w.text + w.nm[i].text_off + l->off);
        txs_sanctions_match m[16];
        size_t k = txs_sanctions_name(S, q, strlen(q), m, 16);
        int hit = 0;
        for (size_t j = 0; j < k; j++) hit |= m[j].entity == w.nm[i].entity;
        found += (size_t)hit;
        tried++;
    }
    /* December 2026: 48 of the first 100 such names are among the 16
     * best matches of their two ends (others lose to commoner names, or
     * have both ends on more than 512 names); without the walk, 9. */
    cr_assert_eq(tried, 100);
    cr_expect_geq(found, 45, "found %zu of %zu", found, tried);
}

/* A copy of the image to corrupt (malloc'd: 8-aligned). */
static unsigned char *image_copy(void)
{
    unsigned char *b = malloc(nimg + 8);
    memcpy(b, img, nimg);
    return b;
}

/* The corrupted copy b, its checksum made right again so that only the
 * corruption is wrong, opens as lists but the screener refuses it with a
 * message holding want and also (NULL: no second part). */
static void expect_refused(unsigned char *b, const char *want, const char *also)
{
    uint64_t sum = XXH3_64bits(b + TXS__SNAP_HDR, nimg - TXS__SNAP_HDR);
    memcpy(b + 32, &sum, 8);
    /* loaded from a file, so that the refusal can name it */
    char path[] = "/tmp/txs-refused-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, b, nimg), (ssize_t)nimg);
    close(fd);
    txs_lists *l = NULL;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_load(path, &l, &d), 0, "%s", d.msg);
    cr_expect_str_eq(txs_lists_path(l), path);
    const txs_lists *ls[1] = {l};
    txs_sanctions *s = NULL;
    cr_expect_eq(txs_sanctions_create(ls, 1, 0.0, &s, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, want) != NULL && (also == NULL || strstr(d.msg, also) != NULL), "%s",
              d.msg);
    cr_expect_str_eq(d.file, path, "the refusal names the snapshot's file");
    txs_sanctions_free(s);
    txs_lists_free(l);
    unlink(path);
    free(b);
}

/* A token id that names no dictionary token, or one of another length,
 * stops the screener at open with the section's complaint. */
static void open_with_tokid(uint32_t (*wrong)(const txs__snap_names_hdr *, const txs__snap_tok *,
                                              uint32_t))
{
    unsigned char *b = image_copy();
    const void *np;
    size_t nn;
    uint32_t v;
    cr_assert_eq(txs__lists_section(L, TXS__SEC_NAMES, &np, &nn, &v), TXS_OK);
    size_t at = (size_t)((const unsigned char *)np - (const unsigned char *)img);
    txs__snap_names_hdr h;
    memcpy(&h, b + at, sizeof h);
    uint32_t *id = (uint32_t *)(b + at + h.off_tokid);
    const txs__snap_tok *tk = (const void *)(b + at + h.off_toks);
    uint32_t k = 0;
    while (id[k] == TXS__NO_TOK) k++;
    id[k] = wrong(&h, tk, id[k]);
    expect_refused(b, "token id", NULL);
}

static uint32_t out_of_range(const txs__snap_names_hdr *h, const txs__snap_tok *tk, uint32_t id)
{
    (void)tk, (void)id;
    return h->ntoks;
}

static uint32_t other_length(const txs__snap_names_hdr *h, const txs__snap_tok *tk, uint32_t id)
{
    for (uint32_t t = 0; t < h->ntoks; t++)
        if (tk[t].len != tk[id].len) return t;
    return id;
}

Test(sanctions, a_wrong_token_id_is_refused)
{
    open_with_tokid(out_of_range);
    open_with_tokid(other_length);
}

/* A snapshot compiled by an older txscreen (NAMES version 2, before the
 * token ids) is refused with what to do about it. */
Test(sanctions, an_older_names_section_says_recompile)
{
    unsigned char *b = image_copy();
    uint32_t nsec;
    memcpy(&nsec, b + 16, 4);
    txs__snap_sec *sec = (txs__snap_sec *)(b + TXS__SNAP_HDR);
    int found = 0;
    for (uint32_t i = 0; i < nsec; i++)
        if (sec[i].tag == TXS__SEC_NAMES) sec[i].version = 2, found = 1;
    cr_assert(found);
    expect_refused(b, "NAMES version 2", "recompile");
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

/* The BIC memo answers as the look-up does: asked again (from the memo),
 * with a smaller cap, as the 8-character institution, and not for a field
 * of the same bytes and NUL padding or for another bank. */
Test(sanctions, bic_memo_answers_as_the_lookup)
{
    txs_sanctions_match a[4], b[4], c[4];
    size_t ka = txs_sanctions_bic(S, (txs_slice){"BKMTIRTHXXX", 11}, a, 4);
    size_t kb = txs_sanctions_bic(S, (txs_slice){"BKMTIRTHXXX", 11}, b, 4);
    cr_assert_gt(ka, 0);
    cr_assert_eq(ka, kb);
    for (size_t i = 0; i < ka; i++) cr_expect_eq(a[i].entity, b[i].entity);
    cr_expect_eq(txs_sanctions_bic(S, (txs_slice){"BKMTIRTHXXX", 11}, c, 1), 1);
    cr_expect_eq(c[0].entity, a[0].entity);
    size_t k8 = txs_sanctions_bic(S, (txs_slice){"BKMTIRTH", 8}, c, 4);
    cr_assert_gt(k8, 0);
    cr_expect_eq(c[0].entity, a[0].entity);
    cr_expect_eq(txs_sanctions_bic(S, (txs_slice){"BKMTIRTH\0\0\0", 11}, c, 4), k8,
                 "NUL-padded: the institution's answer through the branch fallback");
    cr_expect_eq(txs_sanctions_bic(S, (txs_slice){"DEUTDEFFXXX", 11}, c, 4), 0);
    cr_expect_eq(txs_sanctions_bic(S, (txs_slice){"DEUTDEFFXXX", 11}, c, 4), 0);
    /* every one-character change of the listed BIC, 11 and 8 characters
     * long, asked right after it, answers as a screener that never saw it
     * (the memo key holds every byte) */
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    for (size_t n = 8; n <= 11; n += 3)
        for (size_t i = 0; i < n; i++) {
            char v[12];
            memcpy(v, "BKMTIRTHXXX", 11);
            v[i] = v[i] == 'Q' ? 'R' : 'Q';
            txs_sanctions *f;
            cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &f, &d), 0, "%s", d.msg);
            size_t kf = txs_sanctions_bic(f, (txs_slice){v, n}, b, 4);
            txs_sanctions_free(f);
            txs_sanctions_bic(S, (txs_slice){"BKMTIRTHXXX", n}, c, 4); /* in the memo now */
            cr_expect_eq(txs_sanctions_bic(S, (txs_slice){v, n}, c, 4), kf, "%.*s", (int)n, v);
        }
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

/* Screen csv (fed chunk bytes at a time, 0: whole) with no rule set over
 * the bundled lists; the alert lines, and the count of transactions with
 * sanctions hits in *sanc. */
static mem screen_mem(const char *csv, size_t chunk, uint64_t *sanc)
{
    feed f = {csv, strlen(csv), 0, chunk};
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
    if (sanc) *sanc = txs_screener_stats(s)->sanctions_txns;
    txs_source_free(src);
    txs_screener_free(s);
    txs_profile_free(prof);
    return out;
}

static mem run(size_t chunk)
{
    uint64_t sanc = 0;
    mem out = screen_mem(CSV, chunk, &sanc);
    cr_assert_eq(sanc, 2);
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

/* -------------------------------------------- qualifiers in screening */

/* A screener at threshold 0.5, so penalised scores stay visible. */
static txs_sanctions *low;

static void low_setup(void)
{
    setup();
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &low, &d), 0, "%s", d.msg);
}

static void low_teardown(void)
{
    txs_sanctions_free(low);
    teardown();
}

/* The score entity `id` gets for name under ctx on the low screener, -1
 * when it is not among the matches; ex (may be NULL) gets
 * txs_sanctions_explain_ctx. */
static double qscore(const char *name, const txs_sanctions_party *ctx, const char *id, char *ex,
                     size_t cap)
{
    txs_sanctions_match m[4];
    size_t k = txs_sanctions_name_ctx(low, name, strlen(name), ctx, m, 4);
    for (size_t i = 0; i < k; i++) {
        txs_entity e;
        txs_lists_entity(L, m[i].entity, &e);
        if (e.id.n == strlen(id) && memcmp(e.id.p, id, e.id.n) == 0) {
            if (ex) txs_sanctions_explain_ctx(low, name, strlen(name), ctx, &m[i], ex, cap);
            return m[i].score;
        }
    }
    return -1.0;
}

TestSuite(quals, .init = low_setup, .fini = low_teardown, .timeout = 120);

/* The final "score X.XX" of an explanation. */
static double ex_score(const char *ex)
{
    const char *at = NULL;
    for (const char *p = strstr(ex, "score "); p; p = strstr(p + 1, "score ")) at = p;
    cr_assert_not_null(at, "%s", ex);
    return atof(at + 6);
}

/* OFAC-SDN:36 AEROCARIBBEAN AIRLINES: an entity with an address in Havana,
 * so its country is CU. */
Test(quals, country_mismatch_lowers_only_when_both_known)
{
    char ex[1024];
    txs_sanctions_party none = {{0, 0}, TXS_NAME_ANY, 0};
    txs_sanctions_party us = {{'U', 'S'}, TXS_NAME_ANY, 0};
    txs_sanctions_party cu = {{'C', 'U'}, TXS_NAME_ANY, 0};
    const char *q = "AEROCARIBBEAN AIRLINES";
    double base = qscore(q, NULL, "OFAC-SDN:36", NULL, 0);
    cr_assert_float_eq(base, 1.0, 1e-9);
    /* no party country: nothing to compare */
    cr_expect_float_eq(qscore(q, &none, "OFAC-SDN:36", NULL, 0), base, 1e-9);
    /* the same country: no penalty */
    cr_expect_float_eq(qscore(q, &cu, "OFAC-SDN:36", NULL, 0), base, 1e-9);
    /* another country: the scorer's country penalty, and the explanation
     * lists it and reproduces the score */
    double sc = qscore(q, &us, "OFAC-SDN:36", ex, sizeof ex);
    cr_expect_float_eq(sc, base - 0.10, 1e-9);
    cr_expect_not_null(strstr(ex, "qual: country US vs CU -0.10"), "%s", ex);
    cr_expect_float_eq(ex_score(ex), sc, 0.006, "%s", ex);
    /* the default screener (0.85) still reports it: an exact name survives
     * one qualifier */
    txs_sanctions_match m[4];
    cr_expect_gt(txs_sanctions_name_ctx(S, q, strlen(q), &us, m, 4), 0);
}

/* An entity without any country is never penalised for one. */
Test(quals, no_entity_country_no_penalty)
{
    /* OFAC-SDN:6905 ABU ZUBAYDAH: nationality "Palestinian" (not a
     * country name the lookup knows), no address */
    txs_sanctions_party gb = {{'G', 'B'}, TXS_NAME_ANY, 0};
    double base = qscore("ABU ZUBAYDAH", NULL, "OFAC-SDN:6905", NULL, 0);
    cr_assert_gt(base, 0.0);
    cr_expect_float_eq(qscore("ABU ZUBAYDAH", &gb, "OFAC-SDN:6905", NULL, 0), base, 1e-9);
}

/* OFAC-SDN:6950 UTHMAN, Omar Mahmoud: individual, nationality Jordan,
 * addresses in Jordan and the United Kingdom, DOB 1960 (twice). */
Test(quals, kind_and_birth_year_qualifiers)
{
    char ex[1024];
    const char *id = "OFAC-SDN:6950";
    double base = qscore("Omar Mahmoud Uthman", NULL, id, NULL, 0);
    cr_assert_gt(base, 0.85);
    /* any one of the entity's countries agrees: no penalty */
    txs_sanctions_party jo = {{'J', 'O'}, TXS_NAME_ANY, 0}, gb = {{'G', 'B'}, TXS_NAME_ANY, 0};
    cr_expect_float_eq(qscore("Omar Mahmoud Uthman", &jo, id, NULL, 0), base, 1e-9);
    cr_expect_float_eq(qscore("Omar Mahmoud Uthman", &gb, id, NULL, 0), base, 1e-9);
    /* person vs organisation: stated kind */
    txs_sanctions_party org = {{0, 0}, TXS_NAME_COMPANY, 0};
    double sc = qscore("Omar Mahmoud Uthman", &org, id, ex, sizeof ex);
    cr_expect_float_eq(sc, base - 0.15, 1e-9);
    cr_expect_not_null(strstr(ex, "kind org vs person -0.15"), "%s", ex);
    /* a person party: no penalty */
    txs_sanctions_party per = {{0, 0}, TXS_NAME_PERSON, 0};
    cr_expect_float_eq(qscore("Omar Mahmoud Uthman", &per, id, NULL, 0), base, 1e-9);
    /* inferred from an unambiguous legal form at the end of the name (LLC),
     * never from a two-letter one, which is also a syllable of people's
     * names (PAK HAN SE) */
    txs_sanctions_party none = {{0, 0}, TXS_NAME_ANY, 0};
    double plain = qscore("Omar Mahmoud Uthman LLC", NULL, id, NULL, 0);
    double inf = qscore("Omar Mahmoud Uthman LLC", &none, id, ex, sizeof ex);
    cr_assert_gt(plain, 0.65);
    cr_expect_float_eq(inf, plain - 0.15, 1e-9, "%s", ex);
    cr_expect_not_null(strstr(ex, "kind org vs person -0.15"), "%s", ex);
    double sa = qscore("Omar Mahmoud Uthman SA", &none, id, ex, sizeof ex);
    cr_assert_gt(sa, 0.65);
    cr_expect_null(strstr(ex, "kind org"), "%s", ex);
    /* every form, in any case, with dots in or before it */
    static const char *const forms[] = {"Corp", "CORPORATION", "cjsc", "FZE", "Fzco", "GmbH",
                                        "Inc.", "Incorporated", "JSC", "Limited", "L.L.C.",
                                        "LLP", "Ltd.", ".Ltd", "OJSC", "OOO", "PJSC", "plc",
                                        "S.p.A", "SARL", "S.R.L."};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "Omar Mahmoud Uthman %s", forms[i]);
        cr_assert_gt(qscore(nm, &none, id, ex, sizeof ex), 0.65, "%s", nm);
        cr_expect_not_null(strstr(ex, "kind org vs person -0.15"), "%s: %s", nm, ex);
    }
    static const char *const not_forms[] = {"Co", "Lee", "Incs", "Gmb", "Ltda", "S.A."};
    for (size_t i = 0; i < sizeof not_forms / sizeof *not_forms; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "Omar Mahmoud Uthman %s", not_forms[i]);
        cr_assert_gt(qscore(nm, &none, id, ex, sizeof ex), 0.65, "%s", nm);
        cr_expect_null(strstr(ex, "kind org"), "%s: %s", nm, ex);
    }
    double pak = qscore("PAK HAN SE", &none, "UN:KPi.049", ex, sizeof ex);
    cr_expect_geq(pak, TXS_SANCTIONS_THRESHOLD, "%s", ex);
    cr_expect_null(strstr(ex, "kind"), "%s", ex);
    /* birth year: inside the listed years no penalty, outside the dob one */
    txs_sanctions_party y60 = {{0, 0}, TXS_NAME_ANY, 1960};
    txs_sanctions_party y75 = {{0, 0}, TXS_NAME_ANY, 1975};
    cr_expect_float_eq(qscore("Omar Mahmoud Uthman", &y60, id, NULL, 0), base, 1e-9);
    sc = qscore("Omar Mahmoud Uthman", &y75, id, ex, sizeof ex);
    cr_expect_float_eq(sc, base - 0.15, 1e-9);
    cr_expect_not_null(strstr(ex, "birth year 1975 vs 1960"), "%s", ex);
    /* all three at once, each listed once, score reproduced */
    txs_sanctions_party all = {{'U', 'S'}, TXS_NAME_COMPANY, 1975};
    sc = qscore("Omar Mahmoud Uthman", &all, id, ex, sizeof ex);
    cr_expect_float_eq(sc, base - 0.40, 1e-9);
    cr_expect_not_null(strstr(ex, "qual: country US vs JO,GB -0.10; kind org vs person -0.15; "
                                  "birth year 1975 vs 1960 -0.15"), "%s", ex);
    cr_expect_float_eq(ex_score(ex), sc, 0.006, "%s", ex);
}

/* The name cache keys on the qualifiers too. */
Test(quals, cache_keeps_qualified_outcomes_apart)
{
    txs_sanctions_party org = {{'U', 'S'}, TXS_NAME_COMPANY, 0};
    txs_sanctions_match m[3];
    const char *q = "Omar Mahmoud Uthman";
    size_t a = txs_sanctions_name(S, q, strlen(q), m, 3);
    size_t b = txs_sanctions_name_ctx(S, q, strlen(q), &org, m, 3); /* 1.0 - 0.25 */
    size_t c = txs_sanctions_name(S, q, strlen(q), m, 3);
    cr_expect_gt(a, 0);
    cr_expect_eq(b, 0);
    cr_expect_eq(c, a);
}

/* The key txs_sanctions_prefetch returns stands for the name under its
 * qualifiers: screening by it answers as txs_sanctions_name_ctx, and
 * what it leaves in the cache answers the same name under other
 * qualifiers no differently. */
Test(quals, the_prefetch_key_answers_as_the_name)
{
    static const txs_sanctions_party org = {{'U', 'S'}, TXS_NAME_COMPANY, 0};
    const char *q = "Omar Mahmoud Uthman";
    const txs_lists *ls[1] = {L};
    txs_diag d = {{0}, 0, {0}};
    txs_sanctions *f, *k;
    txs_sanctions_match a[4], b[4], c[4], e[4];
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.70, &f, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.70, &k, &d), 0, "%s", d.msg);
    size_t na = txs_sanctions_name_ctx(f, q, strlen(q), &org, a, 4);
    size_t ne = txs_sanctions_name_ctx(f, q, strlen(q), NULL, e, 4);
    cr_assert_gt(ne, 0);
    /* keyed, with the qualifiers, then plain: each as a fresh screener says */
    txs_sanctions_key kk = txs_sanctions_prefetch(k, q, strlen(q), &org);
    size_t nb = txs_sanctions_name_key(k, kk, q, strlen(q), &org, b, 4);
    size_t nc = txs_sanctions_name_ctx(k, q, strlen(q), NULL, c, 4);
    cr_expect_eq(nb, na);
    for (size_t i = 0; i < na && i < nb; i++)
        cr_expect(a[i].entity == b[i].entity && a[i].score == b[i].score, "keyed match %zu", i);
    cr_expect_eq(nc, ne);
    for (size_t i = 0; i < ne && i < nc; i++)
        cr_expect(e[i].entity == c[i].entity && e[i].score == c[i].score, "plain match %zu", i);
    cr_expect(na == 0 || a[0].score < e[0].score, "the qualifiers lower the score");
    txs_sanctions_free(f);
    txs_sanctions_free(k);
}

/* A screener remembers the explanations and the evidence of the hits it
 * has explained (hit_memo_int.h): asked again, under the same or other
 * qualifiers, in another order, into a smaller buffer or after one, it
 * must say what a screener that never saw the name says; and the evidence
 * an explanation works out on the way is the evidence worked out alone. */
Test(quals, remembered_explanations_and_evidence_are_the_computed_ones)
{
    static const txs_sanctions_party none = {{0, 0}, TXS_NAME_ANY, 0},
                                     us = {{'U', 'S'}, TXS_NAME_ANY, 0},
                                     cu = {{'C', 'U'}, TXS_NAME_ANY, 0},
                                     all = {{'U', 'S'}, TXS_NAME_COMPANY, 1975};
    static const struct {
        const char *name;
        const txs_sanctions_party *ctx;
    } Q[] = {{"AEROCARIBBEAN AIRLINES", NULL}, {"AEROCARIBBEAN AIRLINES", &us},
             {"AEROCARIBBEAN AIRLINES", &cu},  {"Omar Mahmoud Uthman", &none},
             {"Omar Mahmoud Uthman", &all},    {"Aero Caribean Airline", NULL}};
    const size_t nq = sizeof Q / sizeof *Q;
    const txs_lists *ls[1] = {L};
    txs_diag d = {{0}, 0, {0}};
    txs_sanctions *m;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &m, &d), 0, "%s", d.msg);
    int evs = 0; /* which evidence values the queries gave */
    for (int round = 0; round < 4; round++)
        for (size_t i = 0; i < nq; i++) {
            size_t qi = round == 1 ? nq - 1 - i : i; /* the second round backwards */
            const char *q = Q[qi].name;
            txs_sanctions_match r[4];
            size_t k = txs_sanctions_name_ctx(m, q, strlen(q), Q[qi].ctx, r, 4);
            cr_assert_gt(k, 0, "%s", q);
            for (size_t j = 0; j < k; j++) {
                /* the third round into a buffer that cuts the text, the
                 * fourth whole again */
                size_t cap = round == 2 ? 24 : 1024;
                char got[1024], want[1024];
                txs_sanctions *f;
                cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &f, &d), 0, "%s", d.msg);
                if (round == 3) { /* another name screened in between */
                    const char *o = Q[(qi + 3) % nq].name;
                    txs_sanctions_match ro[4];
                    txs_sanctions_name_ctx(m, o, strlen(o), NULL, ro, 4);
                }
                int ev = txs_sanctions_evidence(m, q, strlen(q), Q[qi].ctx, &r[j]);
                txs_sanctions_explain_ctx(m, q, strlen(q), Q[qi].ctx, &r[j], got, cap);
                int fev = txs_sanctions_evidence(f, q, strlen(q), Q[qi].ctx, &r[j]);
                txs_sanctions_explain_ctx(f, q, strlen(q), Q[qi].ctx, &r[j], want, cap);
                txs_sanctions_free(f);
                /* explained first (as the pipeline asks), the evidence comes
                 * from the explanation's scoring: the same value */
                char again[1024];
                cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &f, &d), 0, "%s", d.msg);
                txs_sanctions_explain_ctx(f, q, strlen(q), Q[qi].ctx, &r[j], again, cap);
                int xev = txs_sanctions_evidence(f, q, strlen(q), Q[qi].ctx, &r[j]);
                txs_sanctions_free(f);
                cr_expect_eq(xev, fev, "round %d, %s, hit %zu: evidence after the explanation %d, "
                             "alone %d", round, q, j, xev, fev);
                cr_expect_str_eq(again, want, "round %d, %s, hit %zu", round, q, j);
                cr_expect_eq(ev, fev, "round %d, %s, hit %zu: evidence %d, fresh %d", round, q, j, ev,
                             fev);
                cr_expect_str_eq(got, want, "round %d, %s, hit %zu", round, q, j);
                evs |= 1 << ev;
            }
        }
    txs_sanctions_free(m);
    /* the qualifiers gave different evidence for the same names */
    cr_expect_gt(__builtin_popcount((unsigned)evs), 2, "evidence values seen: %x", evs);
}

/* A screener explains a hit with the party name it normalized last when
 * that is the hit's name, and normalizes again when another name came
 * between: either way what a fresh screener says. */
Test(quals, explanations_after_other_names_are_the_fresh_ones)
{
    static const char *const names[] = {"AEROCARIBBEAN AIRLINES", "Omar Mahmoud Uthman",
                                        "Aero Caribean Airline"};
    const txs_lists *ls[1] = {L};
    txs_diag d = {{0}, 0, {0}};
    txs_sanctions *m, *f;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &m, &d), 0, "%s", d.msg);
    for (size_t i = 0; i < 3; i++) {
        const char *q = names[i], *o = names[(i + 1) % 3];
        txs_sanctions_match r[4], ro[4];
        size_t k = txs_sanctions_name_ctx(m, q, strlen(q), NULL, r, 4);
        cr_assert_gt(k, 0, "%s", q);
        for (int between = 0; between < 2; between++) {
            if (between) txs_sanctions_name_ctx(m, o, strlen(o), NULL, ro, 4);
            char got[1024], want[1024];
            /* a fresh screener each time: the hit memo must not answer */
            txs_sanctions *g;
            cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &g, &d), 0, "%s", d.msg);
            if (!between) txs_sanctions_name_ctx(g, q, strlen(q), NULL, ro, 4);
            else {
                txs_sanctions_name_ctx(g, q, strlen(q), NULL, ro, 4);
                txs_sanctions_name_ctx(g, o, strlen(o), NULL, ro, 4);
            }
            txs_sanctions_explain_ctx(g, q, strlen(q), NULL, &r[0], got, sizeof got);
            int gev = txs_sanctions_evidence(g, q, strlen(q), NULL, &r[0]);
            txs_sanctions_free(g);
            cr_assert_eq(txs_sanctions_create(ls, 1, 0.5, &f, &d), 0, "%s", d.msg);
            txs_sanctions_explain_ctx(f, q, strlen(q), NULL, &r[0], want, sizeof want);
            int fev = txs_sanctions_evidence(f, q, strlen(q), NULL, &r[0]);
            txs_sanctions_free(f);
            cr_expect_str_eq(got, want, "%s, %s between", q, between ? o : "nothing");
            cr_expect_eq(gev, fev, "%s, %s between", q, between ? o : "nothing");
        }
    }
    txs_sanctions_free(m);
}

/* ------------------------------------------------------------------ IBAN */

Test(iban, valid_forms)
{
    static const char *const ok[] = {
        "GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19", "gb29 nwbk 6016 1331 9268 19",
        "DE89370400440532013000", "NL91ABNA0417164300", "NO9386011117947",
        "FR1420041010050500013M02606", "MT84MALT011000012345MTLCAST001S",
        "CH9300762011623852957", "IR270170000000100324200001"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        txs_iban ib;
        const char *why = NULL;
        cr_expect_eq(txs_iban_parse(ok[i], strlen(ok[i]), &ib, &why), 0, "%s: %s", ok[i], why);
    }
    txs_iban ib;
    cr_assert_eq(txs_iban_parse("gb29 nwbk 6016 1331 9268 19", 27, &ib, NULL), 0);
    cr_expect_str_eq(ib.text, "GB29NWBK60161331926819");
    cr_expect_eq(ib.n, 22);
    cr_expect(memcmp(ib.country, "GB", 2) == 0);
}

Test(iban, invalid_forms)
{
    static const struct { const char *s, *why; } bad[] = {
        {"GB28NWBK60161331926819", "check digits do not match"},   /* check digits */
        {"GB29NWBK60161331926818", "check digits do not match"},   /* one digit off */
        {"GB29NWBK60161331962819", "check digits do not match"},   /* two swapped */
        {"GB29NWBK6016133192681", "wrong length for the country"}, /* GB is 22 */
        {"DE8937040044053201300", "wrong length for the country"}, /* DE is 22 */
        {"NO938601111794", "wrong length for the country"},        /* NO is 15 */
        {"US12345678901234567890", "country without an IBAN format"},
        {"KP1234567890123456", "country without an IBAN format"},
        {"CU1234567890123456", "country without an IBAN format"},
        {"GB29-NWBK-6016-1331-9268-19", "not letters and digits"},
        {"GBXXNWBK60161331926819", "no check digits"},
        {"1229NWBK60161331926819", "no country code"},
        {"GB", "too short"},
        {"", "too short"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        txs_iban ib;
        const char *why = NULL;
        cr_expect_eq(txs_iban_parse(bad[i].s, strlen(bad[i].s), &ib, &why), TXS_E_FORMAT, "%s",
                     bad[i].s);
        cr_expect_str_eq(why ? why : "", bad[i].why, "%s", bad[i].s);
        cr_expect_eq(ib.n, 0);
    }
}

Test(iban, registry_lengths)
{
    static const struct { const char *cc; int len; } t[] = {
        {"DE", 22}, {"GB", 22}, {"FR", 27}, {"IT", 27}, {"ES", 24}, {"NL", 18}, {"BE", 16},
        {"CH", 21}, {"AT", 20}, {"PL", 28}, {"SE", 24}, {"NO", 15}, {"MT", 31}, {"LC", 32},
        {"RU", 33}, {"SA", 24}, {"AE", 23}, {"TR", 26}, {"BR", 29}, {"UA", 29}, {"IR", 26},
        {"US", 0},  {"CU", 0},  {"KP", 0},  {"SY", 0},  {"CN", 0}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        cr_expect_eq(txs_iban_country_length(t[i].cc), t[i].len, "%s", t[i].cc);
}

/* ISO 7064 MOD 97-10 the plain way, one character at a time: the
 * reference the parser's chunked remainder is checked against. */
static unsigned ref_mod97(const char *s)
{
    unsigned r = 0;
    for (; *s; s++)
        r = *s >= 'A' ? (r * 100 + (unsigned)(*s - 'A' + 10)) % 97 : (r * 10 + (unsigned)(*s - '0')) % 97;
    return r;
}

/* The IBAN of country cc and bban with its right check digits (98 less
 * the remainder of the BBAN, the country and "00"). */
static void with_check_digits(const char *cc, const char *bban, char *out, size_t cap)
{
    char num[48];
    snprintf(num, sizeof num, "%s%s00", bban, cc);
    snprintf(out, cap, "%s%02u%s", cc, 98 - ref_mod97(num), bban);
}

/* Generated IBANs of the longest formats, with letters in the BBAN: each
 * with its right check digits is valid, and each with one digit or letter
 * changed for another of its kind is not (the remainder changes by the
 * difference, under 97, times a power of ten, and 97 is prime). */
Test(iban, check_digits_against_the_plain_remainder)
{
    static const struct { const char *cc; size_t len; } f[] = {
        {"LC", 32}, {"RU", 33}, {"MT", 31}, {"GB", 22}, {"NO", 15}, {"BR", 29}};
    uint32_t seed = 12345;
    for (size_t c = 0; c < sizeof f / sizeof *f; c++)
        for (int round = 0; round < 300; round++) {
            char bban[40], iban[48];
            size_t nb = f[c].len - 4;
            for (size_t i = 0; i < nb; i++) {
                seed = seed * 1103515245u + 12345u;
                unsigned x = (seed >> 16) % 36;
                bban[i] = (char)(x < 10 ? '0' + x : 'A' + x - 10);
            }
            bban[nb] = '\0';
            with_check_digits(f[c].cc, bban, iban, sizeof iban);
            txs_iban ib;
            cr_expect_eq(txs_iban_parse(iban, strlen(iban), &ib, NULL), 0, "%s", iban);
            size_t at = 4 + (size_t)round % nb;
            /* a digit for another digit, a letter for another letter */
            iban[at] = iban[at] == '9' ? '0' : iban[at] == 'Z' ? 'A' : (char)(iban[at] + 1);
            cr_expect_eq(txs_iban_parse(iban, strlen(iban), &ib, NULL), TXS_E_FORMAT, "%s", iban);
        }
}

/* All-digit BBANs (most countries' form), where the remainder is taken
 * eight digits at a time, and BBANs with one letter at every position, so
 * that runs of digits of every length and offset meet a letter: right
 * check digits pass, and every single digit changed, or two neighbours
 * swapped, fails. */
Test(iban, digit_runs_against_the_plain_remainder)
{
    static const struct { const char *cc; size_t len; } f[] = {
        {"DE", 22}, {"FR", 27}, {"IT", 27}, {"PL", 28}, {"NO", 15}, {"BE", 16}, {"RU", 33}};
    uint32_t seed = 777;
    for (size_t c = 0; c < sizeof f / sizeof *f; c++)
        for (size_t letter = 0; letter <= f[c].len - 4; letter++) {
            char bban[40], iban[48];
            size_t nb = f[c].len - 4;
            for (size_t i = 0; i < nb; i++) {
                seed = seed * 1103515245u + 12345u;
                bban[i] = i == letter ? (char)('A' + (seed >> 16) % 26) : (char)('0' + (seed >> 16) % 10);
            }
            bban[nb] = '\0';
            with_check_digits(f[c].cc, bban, iban, sizeof iban);
            txs_iban ib;
            cr_expect_eq(txs_iban_parse(iban, strlen(iban), &ib, NULL), 0, "%s", iban);
            for (size_t at = 4; at < f[c].len; at++) {
                char was = iban[at];
                if (was > '9') continue;
                iban[at] = was == '9' ? '0' : (char)(was + 1);
                cr_expect_eq(txs_iban_parse(iban, strlen(iban), &ib, NULL), TXS_E_FORMAT, "%s", iban);
                iban[at] = was;
                if (at + 1 < f[c].len && iban[at + 1] != was && iban[at + 1] <= '9') {
                    iban[at] = iban[at + 1], iban[at + 1] = was;
                    cr_expect_eq(txs_iban_parse(iban, strlen(iban), &ib, NULL), TXS_E_FORMAT, "%s",
                                 iban);
                    iban[at + 1] = iban[at], iban[at] = was;
                }
            }
        }
}

/* Without a reason asked for, a parse may stop early on the country code
 * or on a field shorter than its country's IBANs; its answer must be the
 * one the full checks give. */
Test(iban, early_country_answer_is_the_full_answer)
{
    static const char *const t[] = {
        "GB29NWBK60161331926819", "gb29nwbk60161331926819", "GB29 NWBK 6016 1331 9268 19",
        "US0000001763", "us0000001763", "uS00", "IR062960000000100324200001", "CU12345",
        "1229NWBK60161331926819", "G", "GB", " GB29NWBK60161331926819", "G B29NWBK60161331926819",
        "@B29NWBK60161331926819", "[B29NWBK60161331926819", "`b29nwbk60161331926819",
        "\303\211B29NWBK60161331926819", "{b29", "DE89370400440532013000", "XX89370400440532013000",
        /* around the country's length: exactly it, a byte short, spaces */
        "NO9386011117947", "NO938601111794", "GB29NWBK6016133192681", "GB0000012345",
        "DE8937040044053201300", "DE89 3704 0044 0532 0130 0", "GB29 NWBK 6016 1331 9268 1"};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        txs_iban a, b;
        const char *why = NULL;
        int fast = txs_iban_parse(t[i], strlen(t[i]), &a, NULL);
        int full = txs_iban_parse(t[i], strlen(t[i]), &b, &why);
        cr_expect_eq(fast, full, "%s: %d vs %d (%s)", t[i], fast, full, why ? why : "valid");
        cr_expect_eq(a.n, b.n, "%s", t[i]);
    }
    cr_expect_eq(txs_iban_country_length("gb"), 0, "codes are upper case");
    cr_expect_eq(txs_iban_country_length("G1"), 0);
    cr_expect_eq(txs_iban_country_length("\xc7\xc2"), 0);
}

/* A snapshot whose entities list IBANs: an FtM `iban` property (kind iban)
 * and an OpenSanctions identifiers cell (kind other_id). */
Test(iban, listed_iban_is_an_identifier_hit)
{
    static const char *const src[] = {TXS_SOURCE_DIR "/tests/fixtures/lists/iban-ftm.json",
                                      TXS_SOURCE_DIR "/tests/fixtures/lists/iban-os.csv"};
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    void *p = NULL;
    size_t n = 0;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    for (size_t i = 0; i < 2; i++) cr_assert_eq(txs_lists_builder_add(b, src[i], &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, &p, &n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    txs_lists *l;
    txs_sanctions *s;
    cr_assert_eq(txs_lists_open_mem(p, n, &l, &d), 0, "%s", d.msg);
    cr_expect_str_eq(txs_lists_path(l), "", "an image in memory has no file");
    const txs_lists *ls[1] = {l};
    cr_assert_eq(txs_sanctions_create(ls, 1, 0, &s, &d), 0, "%s", d.msg);
    static const struct { const char *acct, *id; } t[] = {
        {"DE12500105170648489890", "ib-1"},           /* listed in print form */
        {"de12 5001 0517 0648 4898 90", "ib-1"},      /* asked in print form */
        {"AE390260001015917468201", "NK-ibantest1"}}; /* other_id */
    for (size_t i = 0; i < 3; i++) {
        txs_sanctions_match m[4];
        txs_iban ib;
        size_t k = txs_sanctions_iban(s, (txs_slice){t[i].acct, strlen(t[i].acct)}, &ib, m, 4);
        cr_assert_eq(k, 1, "%s", t[i].acct);
        cr_expect_float_eq(m[0].score, 1.0, 1e-9);
        cr_expect_eq(m[0].name, UINT32_MAX);
        txs_entity e;
        txs_lists_entity(l, m[0].entity, &e);
        cr_expect(e.id.n >= strlen(t[i].id) &&
                      memcmp(e.id.p + e.id.n - strlen(t[i].id), t[i].id, strlen(t[i].id)) == 0,
                  "%.*s", (int)e.id.n, e.id.p);
        cr_expect_gt(ib.n, 0);
    }
    txs_sanctions_match m[4];
    txs_iban ib;
    /* a valid IBAN nobody lists, an invalid one, and a passport number */
    cr_expect_eq(txs_sanctions_iban(s, (txs_slice){"GB29NWBK60161331926819", 22}, &ib, m, 4), 0);
    cr_expect_eq(txs_sanctions_iban(s, (txs_slice){"DE12500105170648489891", 22}, &ib, m, 4), 0);
    cr_expect_eq(ib.n, 0);
    cr_expect_eq(txs_sanctions_iban(s, (txs_slice){"P7654321", 8}, &ib, m, 4), 0);
    /* the kind is typed in the snapshot */
    cr_expect_eq(txs_sanctions_ident(s, TXS_ID_IBAN, (txs_slice){"DE12500105170648489890", 22}, m,
                                     4), 1);
    cr_expect_str_eq(txs_id_kind_name(TXS_ID_IBAN), "iban");
    txs_sanctions_free(s);
    txs_lists_free(l);
    free(p);
}

/* A rule set file in a temp dir with the given sanctions section. */
static int load_rules(const char *section, txs_ruleset **rs, txs_diag *d)
{
    char path[] = "/tmp/txs-iban-rulesXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f,
            "ruleset: t\nversion: \"1\"\n"
            "scoring: {method: noisy_or, bands: {edd: 25, review: 50, block: 80}}\n"
            "sanctions:\n%s\nrules: []\n",
            section);
    fclose(f);
    int rc = txs_ruleset_load(path, rs, d);
    unlink(path);
    return rc;
}

Test(iban, country_hit_from_rule_set)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    int rc = load_rules("  iban_countries:\n"
                        "    countries: [IR, kp, CU]\n"
                        "    source: \"OFAC: 31 CFR 560, 510, 515\"\n"
                        "    list: OFAC-COUNTRY\n",
                        &rs, &d);
    cr_assert_eq(rc, 0, "%s:%lu %s", d.file, (unsigned long)d.line, d.msg);
    const txs_ruleset_sanctions *c = txs_ruleset_sanctions_cfg(rs);
    cr_assert_eq(c->niban_countries, 3);
    cr_expect_str_eq(c->iban_countries, "IRKPCU");
    cr_expect_str_eq(c->iban_program, "IR;KP;CU");
    txs_buf b = {0};
    txs_slice ir = {"IR27 0170 0000 0010 0324 2000 01", 32};
    cr_assert_eq(txs_sanctions_iban_country(c, "bene_account", ir, &b), 1);
    txs_buf_putc(&b, '\0');
    cr_expect_str_eq(b.p,
                     "{\"kind\":\"sanctions\",\"rule\":\"sanctions_iban_country\",\"score\":1,"
                     "\"identifier\":\"iban_country\",\"list\":\"OFAC-COUNTRY\","
                     "\"program\":\"IR;KP;CU\",\"field\":\"bene_account\","
                     "\"value\":\"IR27 0170 0000 0010 0324 2000 01\","
                     "\"iban\":\"IR270170000000100324200001\",\"country\":\"IR\","
                     "\"source\":\"OFAC: 31 CFR 560, 510, 515\",\"explain\":\"IBAN of IR (Iran, "
                     "Islamic Republic of), a jurisdiction under comprehensive sanctions "
                     "(OFAC-COUNTRY) | score 1.00\"}");
    /* another country, an invalid IBAN, not an IBAN: no hit */
    cr_expect_eq(txs_sanctions_iban_country(c, "f", (txs_slice){"GB29NWBK60161331926819", 22}, &b), 0);
    cr_expect_eq(txs_sanctions_iban_country(c, "f", (txs_slice){"IR280170000000100324200001", 26}, &b), 0);
    cr_expect_eq(txs_sanctions_iban_country(c, "f", (txs_slice){"ACC-1", 5}, NULL), 0);
    /* NULL buffer: the answer only */
    cr_expect_eq(txs_sanctions_iban_country(c, "f", ir, NULL), 1);
    cr_expect_eq(txs_sanctions_iban_country(NULL, "f", ir, NULL), 0);
    txs_buf_free(&b);
    txs_ruleset_free(rs);
}

Test(iban, bad_iban_countries_config)
{
    static const char *const bad[] = {
        "  iban_countries: {countries: [IR, XX], source: s}\n",  /* not a country */
        "  iban_countries: {countries: [IR, IRN], source: s}\n", /* alpha-3 */
        "  iban_countries: {countries: [IR, IR], source: s}\n",  /* twice */
        "  iban_countries: {countries: [IR]}\n",                 /* no source */
        "  iban_countries: {countries: [], source: s}\n",        /* empty */
        "  iban_countries: {countries: [IR], source: s, weight: 1}\n", /* unknown key */
        "  iban_countries: [IR]\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        txs_ruleset *rs = NULL;
        txs_diag d = {{0}, 0, {0}};
        cr_expect_eq(load_rules(bad[i], &rs, &d), TXS_E_CONFIG, "%s", bad[i]);
        cr_expect_gt(d.line, 0, "%s", bad[i]);
        txs_ruleset_free(rs);
    }
    /* absent: off */
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(load_rules("  threshold: 0.85\n", &rs, &d), 0, "%s", d.msg);
    cr_expect_eq(txs_ruleset_sanctions_cfg(rs)->niban_countries, 0);
    cr_expect_eq(txs_sanctions_iban_country(txs_ruleset_sanctions_cfg(rs), "f",
                                            (txs_slice){"IR270170000000100324200001", 26}, NULL),
                 0);
    txs_ruleset_free(rs);
}

/* ------------------------------------------------------------ shared cache */

typedef struct share_arg {
    txs_sanctions *s;
    const char *const *names;
    size_t n;
    size_t got[64];
    txs_sanctions_match m[64][3];
} share_arg;

static void *share_main(void *p)
{
    share_arg *a = p;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < a->n; i++) {
            size_t j = (i + (size_t)round * 7) % a->n; /* each thread in its own order */
            a->got[j] = txs_sanctions_name(a->s, a->names[j], strlen(a->names[j]), a->m[j], 3);
        }
    return NULL;
}

/* Screeners sharing one name cache from two threads at once give what a
 * screener of its own gives (run under the sanitizers; TSan with the CLI). */
Test(sanctions, shared_cache_gives_the_unshared_outcomes)
{
    static const char *const names[] = {
        "Omar Mahmoud Uthman", "Kim Jong Un", "Banco Nacional de Cuba", "Jane Q Public",
        "Osama bin Laden", "Acme Widgets Ltd", "Islamic Republic of Iran Shipping Lines",
        "Hamid Reza", "Maria Garcia", "Aerocaribbean Airlines", "John Smith", "Al Qaida"};
    const size_t n = sizeof names / sizeof *names;
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    txs_sanctions *a, *b;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &a, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &b, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_sanctions_share_cache(b, a), 0);
    share_arg x = {a, names, n, {0}, {{{0}}}}, y = {b, names, n, {0}, {{{0}}}};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, share_main, &y), 0);
    share_main(&x);
    pthread_join(t, NULL);
    size_t any = 0;
    for (size_t i = 0; i < n; i++) {
        txs_sanctions_match m[3];
        size_t k = txs_sanctions_name(S, names[i], strlen(names[i]), m, 3);
        any += k;
        cr_expect_eq(x.got[i], k, "%s", names[i]);
        cr_expect_eq(y.got[i], k, "%s", names[i]);
        for (size_t j = 0; j < k && j < x.got[i] && j < y.got[i]; j++) {
            cr_expect(x.m[i][j].entity == m[j].entity && x.m[i][j].score == m[j].score,
                      "%s", names[i]);
            cr_expect(y.m[i][j].entity == m[j].entity && y.m[i][j].score == m[j].score,
                      "%s", names[i]);
        }
    }
    cr_expect_gt(any, 3);
    txs_sanctions_free(b);
    txs_sanctions_free(a);
}

/* A screener without the name cache (look-back's) gives each name what a
 * fresh screener gives, also when the typo memo answers its tokens from
 * names screened before: misspelt names sharing tokens, screened in two
 * orders by one screener, against a new screener per name. */
Test(sanctions, typo_memo_and_uncached_give_fresh_outcomes)
{
    static const char *const names[] = {
        "Aero Caribean Airline", "Aerocaribean Airlines", "Caribean Aero Airline",
        "Omar Mahmud Uthman", "Umar Mahmoud Othman", "Mahmud Omar", "Banco Nacionall de Cuba",
        "Bannco Nacional Cuba", "Kim Jong Unn", "Jong Kim", "Osamma bin Ladin", "Ladin Osama",
        "Jane Q Publick", "Acme Widgetts Ltd"};
    const size_t n = sizeof names / sizeof *names;
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    txs_sanctions *u;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &u, &d), 0, "%s", d.msg);
    txs_sanctions_uncached(u);
    size_t any = 0;
    for (size_t round = 0; round < 2; round++)
        for (size_t r = 0; r < n; r++) {
            size_t i = round ? n - 1 - r : r;
            txs_sanctions *f;
            cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &f, &d), 0, "%s", d.msg);
            txs_sanctions_match a[8], b[8];
            size_t ka = txs_sanctions_name(u, names[i], strlen(names[i]), a, 8);
            size_t kb = txs_sanctions_name(f, names[i], strlen(names[i]), b, 8);
            txs_sanctions_free(f);
            any += ka;
            cr_expect_eq(ka, kb, "%s", names[i]);
            for (size_t j = 0; j < ka && j < kb; j++)
                cr_expect(a[j].entity == b[j].entity && a[j].name == b[j].name &&
                              a[j].score == b[j].score,
                          "%s: match %zu", names[i], j);
        }
    cr_expect_gt(any, 6);
    txs_sanctions_free(u);
}

/* A name's outcome must not depend on what the screener did before.  The
 * scorer's copy of the query side once left out the name's kind, which
 * decides whether a one-letter token may stand for a given name: after
 * "あすか" it held whatever the stack held, and "María Ana Hernández" lost
 * its match with OFAC's "SALAZAR HERNANDEZ, Maria A" (ana~a, an initial). */
Test(sanctions, an_outcome_does_not_depend_on_the_name_before)
{
    static const char *const before[] = {"あすか", "Aerocaribean Airlines", "Kim Jong Unn", "李 王"};
    const char *name = "María Ana Hernández";
    txs_diag d = {{0}, 0, {0}};
    const txs_lists *ls[1] = {L};
    txs_sanctions_match a[8], b[8];
    txs_sanctions *f;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &f, &d), 0, "%s", d.msg);
    size_t kf = txs_sanctions_name(f, name, strlen(name), a, 8);
    txs_sanctions_free(f);
    cr_assert_gt(kf, 0, "%s: no match on a fresh screener", name);
    for (size_t i = 0; i < sizeof before / sizeof *before; i++) {
        txs_sanctions *u;
        cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &u, &d), 0, "%s", d.msg);
        txs_sanctions_uncached(u);
        txs_sanctions_name(u, before[i], strlen(before[i]), b, 8);
        size_t k = txs_sanctions_name(u, name, strlen(name), b, 8);
        txs_sanctions_free(u);
        cr_expect_eq(k, kf, "after %s: %zu matches, %zu fresh", before[i], k, kf);
        for (size_t j = 0; j < k && j < kf; j++)
            cr_expect(a[j].entity == b[j].entity && a[j].score == b[j].score, "after %s: match %zu",
                      before[i], j);
    }
}

/* ------------------------------------------- bands of sanctions alerts */

/* Issue 12 item 5: a sanctions-only alert blocks only on an identifier, an
 * exact or near-exact strong name, or agreeing qualifiers; a fuzzy name
 * alone is a review.  No rule set: the default bands (block 80). */
static const char BAND_CSV[] =
    "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,"
    "orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose\n"
    "B1,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B1,Aero Caribean Airline,,,,x\n"
    "B2,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B2,Aero Caribean Airline,CU,,,x\n"
    "B3,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B3,AEROCARIBBEAN AIRLINES,,,,x\n"
    "B4,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B4,Bank Melat,,BKMTIRTHXXX,,x\n"
    "B5,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B5,Bank Melat,,,,x\n"
    "B6,2026-03-01T10:00:00Z,10.00,USD,wire,A1,,,,,B6,AEROCARIBBEAN AIRLINES,US,,,x\n";

static mem run_csv(const char *csv)
{
    return screen_mem(csv, 0, NULL);
}

/* The alert line of txn id (a static copy), or NULL. */
static const char *alert_line(const mem *m, const char *id)
{
    static char line[8192];
    char key[32];
    snprintf(key, sizeof key, "{\"txn_id\":\"%s\"", id);
    const char *a = m->p ? strstr(m->p, key) : NULL;
    if (a == NULL) return NULL;
    const char *e = strchr(a, '\n');
    size_t n = e ? (size_t)(e - a) : strlen(a);
    if (n >= sizeof line) n = sizeof line - 1;
    memcpy(line, a, n);
    line[n] = '\0';
    return line;
}

static void expect_alert(const mem *m, const char *id, const char *band, const char *evidence)
{
    const char *a = alert_line(m, id);
    char want[128];
    cr_assert_not_null(a, "%s: no alert", id);
    snprintf(want, sizeof want, "\"band\":\"%s\"", band);
    cr_expect(strstr(a, want) != NULL, "%s: want %s: %s", id, want, a);
    snprintf(want, sizeof want, "\"evidence\":\"%s\"", evidence);
    cr_expect(strstr(a, want) != NULL, "%s: want %s: %s", id, want, a);
}

/* One screening of BAND_CSV for both (each test process compiles the
 * snapshot, which is slow under the sanitizers). */
Test(sanctions, fuzzy_name_alone_is_review_and_evidence_blocks)
{
    mem m = run_csv(BAND_CSV);
    expect_alert(&m, "B1", "review", "fuzzy name");          /* 0.94, nothing else */
    expect_alert(&m, "B2", "block", "name and qualifiers");  /* the entity is in CU */
    expect_alert(&m, "B3", "block", "exact name");
    expect_alert(&m, "B4", "block", "identifier");
    /* an exact name with the country against it: still reported (0.90),
     * but an analyst decides */
    expect_alert(&m, "B6", "review", "name, qualifiers against");
    /* An identifier of the same party listed for the same entity raises
     * the name hit (two independent pieces agree) and says so. */
    const char *b5 = alert_line(&m, "B5");
    cr_assert_not_null(b5, "Bank Melat alone should hit");
    const char *s5 = strstr(b5, "\"score\":0.");
    cr_assert_not_null(s5, "%s", b5);
    double alone = atof(s5 + 8);
    const char *b4 = alert_line(&m, "B4");
    cr_assert_not_null(strstr(b4, "\"field\":\"bene_name\""), "%s", b4);
    cr_expect(strstr(b4, "\"evidence\":\"name and identifier\"") != NULL, "%s", b4);
    cr_expect(strstr(b4, "the party's identifier is listed for this entry +0.10") != NULL, "%s", b4);
    char want[64];
    double raised = alone + 0.10 > 1.0 ? 1.0 : alone + 0.10;
    snprintf(want, sizeof want, "\"score\":%.4g", raised);
    cr_expect(strstr(b4, want) != NULL, "want %s: %s", want, b4);
    free(m.p);
}
