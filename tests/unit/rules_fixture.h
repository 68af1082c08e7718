/*
 * rules_fixture.h: shared helpers for the rule tests (test_rules.c,
 * test_threshold.c, test_corridor.c, test_score.c): a scratch directory of
 * rule-set and country-list files, a rule-set loader that fails the test
 * with the diagnostic, and a hand-built txs_txn over string literals.
 * Header-only and static: each test binary includes it once.
 */
#ifndef TXS_TEST_RULES_FIXTURE_H
#define TXS_TEST_RULES_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "txs/arena.h"
#include "txs/rules.h"
#include "txs/txn.h"
#include "txs/values.h"

/* A scratch directory with up to 16 files; removed by rt_cleanup. */
typedef struct rt_dir {
    char path[64];
    char files[16][128];
    int n;
} rt_dir;

static inline void rt_init(rt_dir *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "/tmp/txs-rules-XXXXXX");
    cr_assert_not_null(mkdtemp(d->path));
}

/* Write text to dir/name; returns the full path (static per fixture). */
static inline const char *rt_write(rt_dir *d, const char *name, const char *text)
{
    cr_assert_lt(d->n, 16);
    char *p = d->files[d->n++];
    char dir[sizeof d->path];
    memcpy(dir, d->path, sizeof dir); /* a copy: gcc -O3 sees d->path and p as overlapping */
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

static inline void rt_cleanup(rt_dir *d)
{
    for (int i = 0; i < d->n; i++) unlink(d->files[i]);
    rmdir(d->path);
}

/* A small list of the black-list members and a grey one, for tests. */
#define RT_BLACK_LIST                                                  \
    "name: black\n"                                                    \
    "title: \"Test black list\"\n"                                     \
    "as_of: \"2026-06\"\n"                                             \
    "source: {publisher: Test, document: \"Test doc\", url: \"https://example.org/\"}\n" \
    "countries: [KP, IR, MM]\n"
#define RT_GREY_LIST                                                   \
    "name: grey\n"                                                     \
    "title: \"Test grey list\"\n"                                      \
    "as_of: \"2026-06-30\"\n"                                          \
    "source: {publisher: Test, document: \"Test doc\", url: \"https://example.org/\"}\n" \
    "countries: [SY, VE, IR]\n"

/* The head of a test rule set: scoring, an FX table (base USD), two lists. */
#define RT_HEAD                                                        \
    "ruleset: test\n"                                                  \
    "version: \"1\"\n"                                                 \
    "scoring: {method: noisy_or, bands: {edd: 25, review: 50, block: 80}}\n" \
    "fx:\n"                                                            \
    "  base: USD\n"                                                    \
    "  as_of: \"2026-06-01\"\n"                                        \
    "  source: test\n"                                                 \
    "  rates: {EUR: \"1.0832\", GBP: \"1.25\", JPY: \"0.0067\", XBT: \"90000\"}\n" \
    "country_lists:\n"                                                 \
    "  black: black.yaml\n"                                            \
    "  grey: grey.yaml\n"

/* Load head + rules text from a scratch dir; fails the test on error. */
static inline txs_ruleset *rt_load(rt_dir *d, const char *rules_text)
{
    rt_write(d, "black.yaml", RT_BLACK_LIST);
    rt_write(d, "grey.yaml", RT_GREY_LIST);
    size_t n = strlen(RT_HEAD) + strlen(rules_text) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", RT_HEAD, rules_text);
    const char *path = rt_write(d, "rules.yaml", text);
    free(text);
    txs_ruleset *rs = NULL;
    txs_diag dg = {0};
    int rc = txs_ruleset_load(path, &rs, &dg);
    cr_assert_eq(rc, 0, "load failed: %s:%lu: %s", dg.file, dg.line, dg.msg);
    return rs;
}

/* Try to load; returns the status and fills dg. */
static inline int rt_try(rt_dir *d, const char *text, txs_diag *dg)
{
    const char *path = rt_write(d, "rules.yaml", text);
    txs_ruleset *rs = NULL;
    int rc = txs_ruleset_load(path, &rs, dg);
    if (rc == 0) txs_ruleset_free(rs);
    return rc;
}

static inline txs_slice rt_s(const char *s)
{
    return (txs_slice){s, s ? strlen(s) : 0};
}

/* A transaction: amount text in currency cur on channel ch. */
static inline txs_txn rt_txn(const char *amount, const char *cur, const char *ch)
{
    txs_txn t;
    memset(&t, 0, sizeof t);
    t.txn_id = rt_s("T1");
    int c = txs_currency_lookup(cur, strlen(cur));
    cr_assert_geq(c, 0, "unknown currency %s", cur);
    t.currency = (uint16_t)c;
    cr_assert_eq(txs_amount_parse(amount, strlen(amount), txs_currency_get(c)->exponent,
                                  '.', 0, &t.amount, NULL), 0, "bad amount %s", amount);
    int k = txs_channel_lookup(ch, strlen(ch));
    cr_assert_geq(k, 0, "unknown channel %s", ch);
    t.channel = (uint8_t)k;
    t.orig.account = rt_s("ACC-O");
    t.bene.account = rt_s("ACC-B");
    return t;
}

/* Set a party's country and BIC (bank_country from letters 5-6). */
static inline void rt_party(txs_party *p, const char *cc, const char *bic)
{
    if (cc) memcpy(p->country, cc, 2);
    if (bic) {
        p->bank = rt_s(bic);
        cr_assert_eq(txs_bic_country(bic, strlen(bic), p->bank_country), 0,
                     "bad BIC %s", bic);
    }
}

/* Evaluate and return the number of hits (into out[cap]). */
static inline size_t rt_eval(const txs_ruleset *rs, const txs_txn *t, txs_arena *a,
                      txs_hit *out, size_t cap)
{
    size_t n = 0, dropped = 0;
    cr_assert_eq(txs_rules_eval(rs, t, a, out, cap, &n, &dropped), 0);
    return n;
}

/* Evidence as a C string in a static buffer (for cr_assert_str_eq). */
static inline const char *rt_ev(const txs_hit *h)
{
    static char buf[2048];
    size_t n = h->evidence.n < sizeof buf - 1 ? h->evidence.n : sizeof buf - 1;
    memcpy(buf, h->evidence.p, n);
    buf[n] = '\0';
    return buf;
}

#endif /* TXS_TEST_RULES_FIXTURE_H */
