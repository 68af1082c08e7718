/*
 * test_screen.c: the whole pipeline through the library (screen.h), on the
 * invariants the CLI's users rely on:
 *  - chunk invariance: the same bytes read 1 byte at a time, or in random
 *    chunk sizes, give byte-identical alerts and rejects;
 *  - accounting: read = screened + rejected, per source and in total;
 *  - gzip and zstd inputs give the same outputs as the plain bytes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "file_test_util.h"
#include "txs/emit.h"
#include "txs/screen.h"

typedef struct feeder {
    const unsigned char *p;
    size_t n, off;
    int mode;          /* 0: as much as asked, 1: one byte, 2: random sizes */
    uint64_t rng;
} feeder;

static ssize_t feed_read(void *ctx, void *buf, size_t cap)
{
    feeder *f = ctx;
    size_t left = f->n - f->off, k = cap;
    if (f->mode == 1) k = 1;
    if (f->mode == 2) {
        f->rng = f->rng * 6364136223846793005ull + 1442695040888963407ull;
        k = 1 + (size_t)((f->rng >> 33) % 7919);
    }
    if (k > cap) k = cap;
    if (k > left) k = left;
    memcpy(buf, f->p + f->off, k);
    f->off += k;
    return (ssize_t)k;
}

static int sink_buf(void *ctx, const char *p, size_t n)
{
    txs_buf_put(ctx, p, n);
    return 0;
}

typedef struct result {
    txs_buf alerts, rejects;
    uint64_t read, screened, rejected;
} result;

static void run(const char *profile_spec, const void *data, size_t n, int mode,
                uint64_t seed, result *r)
{
    txs_diag d;
    txs_profile *prof = NULL;
    txs_ruleset *rules = NULL;
    cr_assert_eq(txs_profile_load(profile_spec, &prof, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_ruleset_load("default", &rules, &d), 0, "%s", d.msg);
    memset(r, 0, sizeof *r);
    txs_screen_opts o = {.profile = prof, .format = -1, .rules = rules,
                         .alerts = sink_buf, .alerts_ctx = &r->alerts,
                         .rejects = sink_buf, .rejects_ctx = &r->rejects};
    txs_screener *s = NULL;
    cr_assert_eq(txs_screener_create(&o, &s), 0);
    feeder f = {data, n, 0, mode, seed};
    txs_source *src = NULL;
    cr_assert_eq(txs_source_open_fn(feed_read, &f, "input.csv", &src), 0);
    cr_assert_eq(txs_screener_feed(s, src, &d), 0, "%s", d.msg);
    const txs_screen_stats *st = txs_screener_stats(s);
    r->read = st->read;
    r->screened = st->screened;
    r->rejected = st->rejected;
    cr_assert_eq(st->read, st->screened + st->rejected);
    cr_assert_eq(st->sources[0].read, st->read);
    txs_source_free(src);
    txs_screener_free(s);
    txs_ruleset_free(rules);
    txs_profile_free(prof);
}

static void assert_same(const result *a, const result *b, const char *what)
{
    cr_assert_eq(a->read, b->read, "%s: read %llu vs %llu", what,
                 (unsigned long long)a->read, (unsigned long long)b->read);
    cr_assert_eq(a->rejected, b->rejected, "%s: rejected differ", what);
    cr_assert_eq(a->alerts.n, b->alerts.n, "%s: alerts length differ", what);
    cr_assert(a->alerts.n == 0 || memcmp(a->alerts.p, b->alerts.p, a->alerts.n) == 0,
              "%s: alerts differ", what);
    cr_assert_eq(a->rejects.n, b->rejects.n, "%s: rejects length differ", what);
    cr_assert(a->rejects.n == 0 || memcmp(a->rejects.p, b->rejects.p, a->rejects.n) == 0,
              "%s: rejects differ", what);
}

static void free_result(result *r)
{
    txs_buf_free(&r->alerts);
    txs_buf_free(&r->rejects);
}

static void check_invariance(const char *profile, const char *path, uint64_t min_alerts)
{
    size_t n;
    char *data = txs_test_slurp(path, &n);
    result whole, one, rnd;
    run(profile, data, n, 0, 0, &whole);
    cr_assert_geq(whole.read, 1);
    size_t lines = 0;
    for (size_t i = 0; i < whole.alerts.n; i++) lines += whole.alerts.p[i] == '\n';
    cr_assert_geq(lines, min_alerts, "%s: expected alerts, got %zu", path, lines);
    run(profile, data, n, 1, 0, &one);
    assert_same(&whole, &one, "1-byte reads");
    for (uint64_t seed = 1; seed <= 3; seed++) {
        run(profile, data, n, 2, seed, &rnd);
        assert_same(&whole, &rnd, "random chunks");
        free_result(&rnd);
    }
    free_result(&whole);
    free_result(&one);
    free(data);
}

Test(screen, sample_is_chunk_invariant)
{
    check_invariance("native", TXS_SOURCE_DIR "/samples/transactions.csv", 1);
}

Test(screen, amlworld_is_chunk_invariant_and_clean)
{
    size_t n;
    char *data = txs_test_slurp(TXS_SOURCE_DIR "/tests/fixtures/aml/amlworld-hi-small-patterns.csv", &n);
    result r;
    run("amlworld", data, n, 0, 0, &r);
    cr_assert_eq(r.read, 3209);
    cr_assert_eq(r.rejected, 0, "rejects: %.*s", (int)(r.rejects.n > 400 ? 400 : r.rejects.n),
                 r.rejects.p ? r.rejects.p : "");
    free_result(&r);
    free(data);
    check_invariance("amlworld", TXS_SOURCE_DIR "/tests/fixtures/aml/amlworld-hi-small-patterns.csv", 0);
}

Test(screen, compressed_inputs_match_plain)
{
    size_t n;
    char *data = txs_test_slurp(TXS_SOURCE_DIR "/samples/transactions.csv", &n);
    result plain, gz, zs;
    run("native", data, n, 0, 0, &plain);

    /* gzip via deflateInit2 with the gzip wrapper (windowBits 15 + 16). */
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, n) + 64;
    unsigned char *gzb = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)n;
    z.next_out = gzb;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gzn = z.total_out;
    deflateEnd(&z);
    run("native", gzb, gzn, 2, 7, &gz);
    assert_same(&plain, &gz, "gzip");

    size_t zcap = ZSTD_compressBound(n);
    unsigned char *zb = malloc(zcap);
    size_t zn = ZSTD_compress(zb, zcap, data, n, 3);
    cr_assert(!ZSTD_isError(zn));
    run("native", zb, zn, 1, 0, &zs);
    assert_same(&plain, &zs, "zstd");

    free_result(&plain);
    free_result(&gz);
    free_result(&zs);
    free(gzb);
    free(zb);
    free(data);
}
