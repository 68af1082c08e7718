/*
 * test_patset.c: the pattern set behind the text_pattern rules (patset.h,
 * regex.h) and its rule-set side (textpat.c): PCRE2 and Hyperscan errors
 * with offsets, exact vs prefilter classes, capture groups, the
 * differential against PCRE2 alone over the bench export's texts, bad
 * pattern files stopping the load at file:line, and the compiled-set cache
 * (written, reused, a corrupt entry rebuilt).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "txs/arena.h"
#include "txs/hs_engine.h"
#include "txs/patset.h"
#include "txs/regex.h"
#include "txs/rules.h"
#include "txs/txn.h"

#define FIX TXS_SOURCE_DIR "/tests/fixtures/patterns/"

/* Lines of a file, '#' lines and blanks skipped; *n set. */
static char **read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char **v = NULL, *line = NULL;
    size_t cap = 0, k = 0, lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n') line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        if (k == cap) v = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof *v);
        v[k++] = strdup(line);
    }
    free(line);
    fclose(f);
    *n = k;
    return v;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

Test(regex, compile_error_gives_pcre2_offset)
{
    txs_regex *re = NULL;
    size_t off = 0;
    char msg[128];
    cr_assert_eq(txs_regex_compile("ab(c", 4, 0, &re, &off, msg, sizeof msg), TXS_E_CONFIG);
    cr_assert_null(re);
    cr_assert_eq(off, 4);
    cr_assert(strstr(msg, "missing closing parenthesis"), "%s", msg);
}

Test(regex, groups_and_spans)
{
    txs_regex *re = NULL;
    txs_regex_md *md = NULL;
    size_t off, a, b;
    char msg[64];
    cr_assert_eq(txs_regex_compile("inv\\W*(\\d+)", 11, TXS_RE_CASELESS, &re, &off, msg, sizeof msg), 0);
    cr_assert_eq(txs_regex_groups(re), 1);
    cr_assert_eq(txs_regex_md_create(1, &md), 0);
    const char *t = "paid INV-4711 today";
    cr_assert_eq(txs_regex_match(re, t, strlen(t), md), 1);
    cr_assert(txs_regex_span(md, 1, &a, &b));
    cr_assert_eq(a, 9);
    cr_assert_eq(b, 13);
    cr_assert_eq(txs_regex_match(re, "no", 2, md), 0);
    txs_regex_md_free(md);
    txs_regex_free(re);
}

/* txs_regex_test, both ways: the interpreter (its own match data) before
 * the JIT, then the JIT (match data from the arena); a pattern with more
 * groups than the one-pair block still matches. */
Test(regex, test_without_and_with_the_jit)
{
    txs_regex *re = NULL;
    size_t off;
    char msg[64];
    txs_arena a;
    txs_arena_init(&a, 1024);
    cr_assert_eq(txs_regex_compile("^(IBAN|ACCT)-(\\d+)$", 19, TXS_RE_UTF8, &re, &off, msg,
                                   sizeof msg), 0, "%s", msg);
    for (int jit = 0; jit < 2; jit++) {
        if (jit) txs_regex_jit(re);
        cr_assert_eq(txs_regex_test(re, "ACCT-12", 7, &a), 1);
        cr_assert_eq(txs_regex_test(re, "ACCT-12x", 8, &a), 0);
        cr_assert_eq(txs_regex_test(re, "", 0, &a), 0);
        cr_assert_eq(txs_regex_test(re, "\xC3(", 2, &a), 0); /* invalid UTF-8: no match */
    }
    txs_regex_free(re);
    txs_arena_free(&a);
}

static int build(const char *const *e, size_t n, unsigned mode, txs_patset **ps,
                 txs_patset_err *err)
{
    txs_pat p[64];
    for (size_t i = 0; i < n; i++) p[i] = (txs_pat){e[i], strlen(e[i]), TXS_RE_UTF8};
    return txs_patset_build(p, n, mode, TXS_HS_NATIVE, NULL, 0, ps, err);
}

Test(patset, backreference_and_lookaround_are_prefiltered)
{
    const char *e[] = {"abc", "\\b(\\w+) \\1\\b", "(?<!cash )deposit", "x(?=y)"};
    txs_patset *ps = NULL;
    txs_patset_err err;
    cr_assert_eq(build(e, 4, TXS_PATSET_AUTO, &ps, &err), 0, "%s", err.msg);
    cr_assert_not(txs_patset_is_prefilter(ps, 0));
    cr_assert(txs_patset_is_prefilter(ps, 1));
    cr_assert(txs_patset_is_prefilter(ps, 2));
    txs_patset_free(ps);
    cr_assert_eq(build(e, 4, TXS_PATSET_PREFILTER, &ps, &err), 0, "%s", err.msg);
    cr_assert(txs_patset_is_prefilter(ps, 0));
    txs_patset_free(ps);
}

Test(patset, bad_patterns_name_engine_index_and_offset)
{
    txs_patset *ps = (txs_patset *)1;
    txs_patset_err err;
    const char *syntax[] = {"ok", "fine", "a(b"};
    cr_assert_eq(build(syntax, 3, 0, &ps, &err), TXS_E_CONFIG);
    cr_assert_null(ps);
    cr_assert_eq(err.index, 2);
    cr_assert_eq(err.offset, 3);
    cr_assert_str_eq(err.engine, "PCRE2");
    const char *behind[] = {"(?<=a+)b"}; /* PCRE2: lookbehind not fixed length */
    cr_assert_eq(build(behind, 1, 0, &ps, &err), TXS_E_CONFIG);
    cr_assert_str_eq(err.engine, "PCRE2");
    cr_assert_geq(err.offset, 0);
    const char *empty[] = {"x", "a*"};
    cr_assert_eq(build(empty, 2, 0, &ps, &err), TXS_E_CONFIG);
    cr_assert_eq(err.index, 1);
    cr_assert_str_eq(err.engine, "Hyperscan");
    cr_assert(strstr(err.msg, "empty"), "%s", err.msg);
}

typedef struct got {
    unsigned ids[64];
    txs_patmatch m[64];
    size_t n;
} got;

static int collect(void *ctx, const txs_patmatch *m)
{
    got *g = ctx;
    if (g->n < 64) g->m[g->n] = *m, g->ids[g->n++] = m->id;
    return 0;
}

Test(patset, captures_come_from_pcre2_in_id_order)
{
    const char *e[] = {"(\\d{4})-\\1", "wallet (0x[0-9a-f]{4})", "nothing"};
    txs_patset *ps = NULL;
    txs_patset_err err;
    cr_assert_eq(build(e, 3, 0, &ps, &err), 0, "%s", err.msg);
    txs_patscratch *s = NULL;
    cr_assert_eq(txs_patset_scratch(ps, &s), 0);
    const char *t = "to wallet 0xbeef ref 2024-2024";
    got g = {0};
    cr_assert_eq(txs_patset_scan(ps, s, t, strlen(t), collect, &g), 0);
    cr_assert_eq(g.n, 2);
    cr_assert_eq(g.ids[0], 0);
    cr_assert_eq(g.ids[1], 1);
    cr_assert(g.m[0].spans);
    cr_assert_eq(g.m[0].from[1], 21);
    cr_assert_eq(g.m[1].from[1], 10);
    cr_assert_eq(g.m[1].to[1], 16);
    g.n = 0; /* the backreference's prefilter candidate, refuted by PCRE2 */
    cr_assert_eq(txs_patset_scan(ps, s, "2024-2025", 9, collect, &g), 0);
    cr_assert_eq(g.n, 0);
    txs_patset_scratch_free(s);
    txs_patset_free(ps);
}

/* Word-bounded literals are scanned as the bare word, the boundaries
 * checked at every end: a first occurrence that fails them must not hide
 * a later one that passes, and a word that starts or ends with a non-word
 * character (a UTF-8 letter is one without UCP) needs a word character
 * beside it.  Each answer against PCRE2 alone. */
Test(patset, word_literals_check_both_boundaries_at_every_end)
{
    const char *e[] = {"\\bJenn\\b", "\\baa\\b", "\\b\xd8\xa3\xd8\xad\\b", "\\b-x\\b", "\\b12\\b"};
    const char *t[] = {"xJenn Jenny Jenn_ Jenn", "Jenny", "aaa aa", "aaaa", "a\xd8\xa3\xd8\xad",
                       "\xd8\xa3\xd8\xad", "a\xd8\xa3\xd8\xad" "b", " \xd8\xa3\xd8\xad" "b", "a-x", "-x", "a-xb", "312 12",
                       "12", "123", "_12_", "(12)"};
    size_t ne = sizeof e / sizeof e[0], nt = sizeof t / sizeof t[0];
    txs_patset *ps = NULL;
    txs_patset_err err;
    cr_assert_eq(build(e, ne, TXS_PATSET_AUTO, &ps, &err), 0, "%s", err.msg);
    txs_patscratch *s = NULL;
    txs_regex_md *md = NULL;
    cr_assert_eq(txs_patset_scratch(ps, &s), 0);
    cr_assert_eq(txs_regex_md_create(4, &md), 0);
    size_t hits = 0;
    for (size_t k = 0; k < nt; k++) {
        got g = {0};
        cr_assert_eq(txs_patset_scan(ps, s, t[k], strlen(t[k]), collect, &g), 0);
        for (size_t i = 0, j = 0; i < ne; i++) {
            txs_regex *re = NULL;
            size_t off;
            char msg[64];
            cr_assert_eq(txs_regex_compile(e[i], strlen(e[i]), TXS_RE_UTF8, &re, &off, msg, sizeof msg), 0);
            int want = txs_regex_match(re, t[k], strlen(t[k]), md) == 1;
            int engine = j < g.n && g.ids[j] == i;
            j += (size_t)engine;
            hits += (size_t)engine;
            cr_expect_eq(engine, want, "'%s' on '%s': engine %d, PCRE2 %d", e[i], t[k], engine, want);
            txs_regex_free(re);
        }
    }
    cr_assert_eq(hits, 7); /* Jenn, aa, a<UTF-8>b, a-x, 12 three times */
    txs_regex_md_free(md);
    txs_patset_scratch_free(s);
    txs_patset_free(ps);
}

/* A one-byte pattern beside others, at every offset of texts up to 200
 * bytes: libvectorscan 5.4.9 misses such a pattern at offsets 64 and
 * beyond when the database is compiled HS_FLAG_SINGLEMATCH (found by
 * fuzz_patmatch; hs_engine.h), in both modes. */
Test(patset, one_byte_pattern_found_at_every_offset)
{
    const char *e[] = {"x", "hello", "world", "ab", "foo", "barbaz", "qq"};
    for (unsigned mode = 0; mode < 2; mode++) {
        txs_patset *ps = NULL;
        txs_patset_err err;
        cr_assert_eq(build(e, 7, mode ? TXS_PATSET_PREFILTER : TXS_PATSET_AUTO, &ps, &err), 0,
                     "%s", err.msg);
        txs_patscratch *s = NULL;
        cr_assert_eq(txs_patset_scratch(ps, &s), 0);
        size_t missed = 0, placed = 0;
        char t[200];
        for (size_t len = 1; len <= sizeof t; len++)
            for (size_t at = 0; at < len; at++, placed++) {
                memset(t, 'a', len);
                t[at] = 'x';
                got g = {0};
                cr_assert_eq(txs_patset_scan(ps, s, t, len, collect, &g), 0);
                int found = g.n == 1 && g.ids[0] == 0 && g.m[0].spans && g.m[0].from[0] == at;
                missed += (size_t)!found;
            }
        cr_expect_eq(missed, 0, "mode %u: 'x' missed at %zu of %zu placements", mode, missed,
                     placed);
        txs_patset_scratch_free(s);
        txs_patset_free(ps);
    }
}

/* libvectorscan 5.4.9's AVX-512 scanner misses `\w+ \w+` once the words
 * start 64 or more bytes into the text (found by fuzz_patmatch; hs_db.c
 * never calls it).  A word pair after k filler bytes, k = 0..299, in
 * every tier's path: the scan and the detection candidates. */
Test(patset, word_pair_found_after_any_run_of_filler)
{
    txs_pat p[2] = {{"\\w+ \\w+", 7, 0}, {"(\\w+) \\1", 8, 0}};
    txs_patset *ps = NULL;
    txs_patset_err e;
    cr_assert_eq(txs_patset_build(p, 2, TXS_PATSET_AUTO, TXS_HS_NATIVE, NULL, 0, &ps, &e), 0,
                 "%s", e.msg);
    txs_patscratch *s = NULL;
    cr_assert_eq(txs_patset_scratch(ps, &s), 0);
    static const char fill[] = {'x', '.', 0x1a};
    size_t missed = 0, tried = 0;
    char t[320];
    for (size_t f = 0; f < sizeof fill; f++)
        for (size_t k = 0; k < 300; k++, tried++) {
            memset(t, fill[f], k);
            memcpy(t + k, " the the abc", 12);
            got g = {0};
            cr_assert_eq(txs_patset_scan(ps, s, t, k + 12, collect, &g), 0);
            missed += (size_t)(g.n != 2);
        }
    cr_expect_eq(missed, 0, "missed in %zu of %zu texts", missed, tried);
    txs_patset_scratch_free(s);
    txs_patset_free(ps);
}

/* ------------------------------------------------------ differential */

typedef struct tier_ctx {
    const txs_patset *ps;
    txs_patscratch *s;
    int tier;
    const char *text;
    size_t len;
    unsigned char *confirmed;
    size_t *cands;
    int wrong_tier;
} tier_ctx;

static int on_tier(void *ctx, unsigned id)
{
    tier_ctx *c = ctx;
    c->wrong_tier |= txs_patset_is_prefilter(c->ps, id) != c->tier;
    (*c->cands)++;
    c->confirmed[id] |= (unsigned char)txs_patset_confirm(c->ps, c->s, id, c->text, c->len);
    return 0;
}

/* The engine's matches over every text equal what PCRE2 alone finds for
 * every pattern: the 100 hand-written regexes and 100 keywords over the
 * bench export's distinct purposes, names and addresses, in both modes. */
#define STRIDE 5
static void differential(unsigned mode)
{
    size_t nr, nk, nt;
    char **re = read_lines(FIX "regexes.txt", &nr), **kw = read_lines(FIX "keywords.txt", &nk);
    size_t nk0 = nk;
    char **tx = read_lines(FIX "bench-texts.txt", &nt);
    if (nk > 100) nk = 100; /* the first 100 keywords: the compile stays short */
    size_t n = nr + nk;
    txs_pat *p = calloc(n, sizeof *p);
    txs_regex **alone = calloc(n, sizeof *alone);
    for (size_t i = 0; i < n; i++) {
        const char *e = i < nr ? re[i] : kw[i - nr];
        p[i] = (txs_pat){e, strlen(e), TXS_RE_UTF8};
        size_t off;
        char msg[128];
        cr_assert_eq(txs_regex_compile(e, strlen(e), TXS_RE_UTF8, &alone[i], &off, msg, sizeof msg), 0);
    }
    txs_patset *ps = NULL;
    txs_patset_err err;
    cr_assert_eq(txs_patset_build(p, n, mode, TXS_HS_NATIVE, NULL, 0, &ps, &err), 0,
                 "pattern %ld: %s", err.index, err.msg);
    txs_patscratch *s = NULL;
    txs_regex_md *md = NULL;
    cr_assert_eq(txs_patset_scratch(ps, &s), 0);
    cr_assert_eq(txs_regex_md_create(16, &md), 0);
    size_t diffs = 0, matches = 0, prefilter_hits = 0, tier_cands[TXS_PATSET_TIERS] = {0};
    unsigned char *want = malloc(n), *tiered = malloc(n);
    /* Every STRIDE-th text keeps the test to a few seconds under ASan. */
    for (size_t t = 0; t < nt; t += STRIDE) {
        size_t len = strlen(tx[t]);
        for (size_t i = 0; i < n; i++) want[i] = (unsigned char)txs_regex_match(alone[i], tx[t], len, md);
        got g = {0};
        cr_assert_eq(txs_patset_scan(ps, s, tx[t], len, collect, &g), 0);
        /* The tiers' candidates that PCRE2 confirms are the same set. */
        memset(tiered, 0, n);
        for (int tier = 0; tier < TXS_PATSET_TIERS; tier++) {
            tier_ctx c = {ps, s, tier, tx[t], len, tiered, &tier_cands[tier], 0};
            cr_assert_eq(txs_patset_candidates(ps, s, tier, tx[t], len, on_tier, &c), 0);
            cr_assert_eq(c.wrong_tier, 0);
        }
        for (size_t i = 0, j = 0; i < n; i++) {
            int engine = j < g.n && g.ids[j] == i;
            j += (size_t)engine;
            if (engine != tiered[i]) {
                diffs++;
                cr_log_error("pattern %zu '%s' on '%s': scan %d, tiers %d", i, p[i].expr, tx[t],
                             engine, tiered[i]);
            }
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            int engine = k < g.n && g.ids[k] == i;
            if (engine) {
                if (!g.m[k].spans) diffs++; /* Hyperscan alone said yes */
                prefilter_hits += (size_t)txs_patset_is_prefilter(ps, i);
                k++;
            }
            matches += (size_t)engine;
            if (engine != want[i]) {
                diffs++;
                cr_log_error("pattern %zu '%s' on '%s': engine %d, PCRE2 %d", i, p[i].expr, tx[t],
                             engine, want[i]);
            }
        }
    }
    cr_log_info("%zu texts x %zu patterns: %zu matches (%zu by prefiltered patterns), %zu "
                "differences", (nt + STRIDE - 1) / STRIDE, n, matches, prefilter_hits, diffs);
    cr_assert_eq(diffs, 0);
    cr_assert_gt(matches, 500); /* the patterns do hit the texts */
    cr_assert_gt(prefilter_hits, 50);
    cr_assert_gt(tier_cands[1], 50); /* the prefilter tier is scanned and answers */
    cr_assert(mode == TXS_PATSET_PREFILTER ? tier_cands[0] == 0 : tier_cands[0] > 500);
    free(want);
    free(tiered);
    txs_regex_md_free(md);
    txs_patset_scratch_free(s);
    txs_patset_free(ps);
    for (size_t i = 0; i < n; i++) txs_regex_free(alone[i]);
    free(alone);
    free(p);
    free_lines(re, nr), free_lines(kw, nk0), free_lines(tx, nt);
}

Test(patset, differential_exact_where_possible, .timeout = 120) { differential(TXS_PATSET_AUTO); }
Test(patset, differential_all_prefiltered, .timeout = 120) { differential(TXS_PATSET_PREFILTER); }

/* ------------------------------------------------------ the rule set side */

static char dir_[64];

static const char *tmpdir(void)
{
    snprintf(dir_, sizeof dir_, "/tmp/txs_patset_XXXXXX");
    cr_assert(mkdtemp(dir_));
    return dir_;
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir_);
    if (dir_[0] && system(cmd) != 0) cr_log_warn("could not remove %s", dir_);
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* Load dir/rules.yaml. */
static int load(const char *dir, txs_ruleset **rs, txs_diag *d)
{
    char path[256];
    snprintf(path, sizeof path, "%s/rules.yaml", dir);
    return txs_ruleset_load(path, rs, d);
}

#define HEAD_YAML \
    "ruleset: t\nversion: \"1\"\nscoring: {method: noisy_or, bands: {edd: 25, review: 50, block: 80}}\nrules:\n"

static const char *RULES =
    HEAD_YAML
    "  - id: words\n    kind: text_pattern\n    weight: 0.5\n    reason: r\n"
    "    params:\n      file: pats.txt\n"
    "  - id: inline\n    kind: text_pattern\n    weight: 0.5\n    reason: r\n"
    "    params:\n      patterns:\n        - 'inv(\\d+) inv\\1'\n";

Test(textpat, bad_pattern_in_file_stops_load_at_its_line, .fini = cleanup)
{
    const char *dir = tmpdir();
    put(dir, "rules.yaml", RULES);
    put(dir, "pats.txt", "# comment\ntornado\t0.5\tmixer\nab(c\t1\n");
    txs_ruleset *rs = (txs_ruleset *)1;
    txs_diag d = {0};
    cr_assert_eq(load(dir, &rs, &d), TXS_E_CONFIG);
    cr_assert_null(rs);
    cr_assert(strstr(d.file, "pats.txt"), "%s", d.file);
    cr_assert_eq(d.line, 3);
    cr_assert(strstr(d.msg, "rule 'words': pattern 'ab(c': PCRE2 error at offset 4"), "%s", d.msg);
    put(dir, "pats.txt", "ok\t1.5\n");
    cr_assert_eq(load(dir, &rs, &d), TXS_E_CONFIG);
    cr_assert_eq(d.line, 1);
    cr_assert(strstr(d.msg, "weight"), "%s", d.msg);
}

Test(textpat, bad_inline_pattern_names_the_rule_set_line, .fini = cleanup)
{
    const char *dir = tmpdir();
    put(dir, "rules.yaml",
        HEAD_YAML
        "  - id: x\n    kind: text_pattern\n    weight: 0.5\n    reason: r\n"
        "    params:\n      patterns: ['ok', 'a*']\n");
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(load(dir, &rs, &d), TXS_E_CONFIG);
    cr_assert(strstr(d.file, "rules.yaml"), "%s", d.file);
    cr_assert_eq(d.line, 10);
    cr_assert(strstr(d.msg, "pattern 'a*': Hyperscan"), "%s", d.msg);
}

static int cache_of(const char *path, const char *cache)
{
    txs_ruleset_opts o = {cache, 0};
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_ruleset_load_opts(path, &o, &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_ruleset_patterns pi;
    txs_ruleset_pattern_info(rs, &pi);
    cr_assert_eq(pi.patterns, 3);
    cr_assert_eq(pi.prefilter, 1);
    txs_ruleset_free(rs);
    return pi.cache;
}

Test(textpat, cache_written_reused_and_a_corrupt_entry_rebuilt, .fini = cleanup)
{
    const char *dir = tmpdir();
    put(dir, "rules.yaml", RULES);
    put(dir, "pats.txt", "tornado\t0.5\tmixer\ndual-use\n");
    char path[256], cache[256], cmd[600];
    snprintf(path, sizeof path, "%s/rules.yaml", dir);
    snprintf(cache, sizeof cache, "%s/cache", dir);
    cr_assert_eq(cache_of(path, cache), 2); /* compiled, written */
    cr_assert_eq(cache_of(path, cache), 1); /* loaded */
    /* A flipped byte in the middle, then a truncated file: rebuilt each time. */
    snprintf(cmd, sizeof cmd,
             "f=$(ls %s/textpat-*.db) && printf 'X' | dd of=$f bs=1 seek=300 conv=notrunc "
             "2>/dev/null", cache);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(cache_of(path, cache), 2);
    cr_assert_eq(cache_of(path, cache), 1);
    snprintf(cmd, sizeof cmd, "f=$(ls %s/textpat-*.db) && truncate -s 100 $f", cache);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(cache_of(path, cache), 2);
    /* Another pattern file: another key, compiled. */
    put(dir, "pats.txt", "tornado\t0.5\tmixer\ndual use\n");
    cr_assert_eq(cache_of(path, cache), 2);
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 2", cache);
    cr_assert_eq(system(cmd), 0);
}

/* Detection (textpat.c) gives each rule the largest weight among its
 * patterns that PCRE2 alone matches, though it confirms few candidates and
 * skips the prefilter tier once a rule cannot gain; the evidence waits for
 * txs_rules_evidence.  Two rules over the bench texts: the 100 regexes
 * with weights 0.1..1.0, and 100 keywords with the weights the other way
 * round, so that both tiers decide some best weights. */
Test(textpat, detection_scores_the_best_weight_pcre2_finds, .fini = cleanup, .timeout = 120)
{
    const char *dir = tmpdir();
    size_t nr, nk, nt;
    char **re = read_lines(FIX "regexes.txt", &nr), **kw = read_lines(FIX "keywords.txt", &nk);
    char **tx = read_lines(FIX "bench-texts.txt", &nt);
    size_t nk0 = nk;
    if (nk > 100) nk = 100;
    size_t n = nr + nk, cap = 64 * n, at[2] = {0, 0};
    char *file[2] = {malloc(cap), malloc(cap)};
    int64_t *ppm = malloc(n * sizeof *ppm);
    txs_regex **alone = calloc(n, sizeof *alone);
    for (size_t i = 0; i < n; i++) {
        int r = i >= nr, k = r ? (int)((n - i) % 10) + 1 : (int)(i % 10) + 1;
        const char *e = r ? kw[i - nr] : re[i];
        ppm[i] = k * 100000;
        at[r] += (size_t)snprintf(file[r] + at[r], cap - at[r], "%s\t%s%d\n", e,
                                  k == 10 ? "" : "0.", k == 10 ? 1 : k);
        size_t off;
        char msg[128];
        cr_assert_eq(txs_regex_compile(e, strlen(e), TXS_RE_UTF8, &alone[i], &off, msg, sizeof msg), 0);
    }
    put(dir, "re.txt", file[0]);
    put(dir, "kw.txt", file[1]);
    put(dir, "rules.yaml",
        HEAD_YAML
        "  - id: re\n    kind: text_pattern\n    weight: 1\n    reason: r\n"
        "    params: {file: re.txt, fields: [purpose]}\n"
        "  - id: kw\n    kind: text_pattern\n    weight: 1\n    reason: r\n"
        "    params: {file: kw.txt, fields: [purpose, names]}\n");
    txs_ruleset *rs = NULL;
    txs_diag d = {0};
    cr_assert_eq(load(dir, &rs, &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    txs_regex_md *md = NULL;
    cr_assert_eq(txs_regex_md_create(16, &md), 0);
    txs_arena a;
    txs_arena_init(&a, 1 << 16);
    size_t hits = 0, diffs = 0, evidence = 0;
    for (size_t t = 0; t < nt; t += STRIDE) {
        txs_txn x;
        memset(&x, 0, sizeof x);
        x.purpose = (txs_slice){tx[t], strlen(tx[t])};
        x.orig.account = (txs_slice){"ACC", 3};
        int64_t want[2] = {-1, -1};
        for (size_t i = 0; i < n; i++)
            if (ppm[i] > want[i >= nr] && txs_regex_match(alone[i], x.purpose.p, x.purpose.n, md) == 1)
                want[i >= nr] = ppm[i];
        txs_hit h[4];
        size_t nh = 0, dropped = 0;
        cr_assert_eq(txs_rules_eval(rs, &x, &a, h, 4, &nh, &dropped), 0);
        int64_t have[2] = {-1, -1};
        for (size_t j = 0; j < nh; j++) {
            cr_assert_eq(h[j].later, 1);
            cr_assert_eq(h[j].evidence.n, 0);
            have[h[j].rule] = (int64_t)(h[j].score * 1000000.0 + 0.5);
            if (t % 500 == 0) { /* the evidence, made on demand, names a match */
                cr_assert_eq(txs_rules_evidence(rs, &x, &a, &h[j]), 0);
                cr_assert_eq(h[j].later, 0);
                cr_assert(h[j].evidence.n > 20 && memcmp(h[j].evidence.p, "{\"matches\":[{", 13) == 0);
                evidence++;
            }
        }
        hits += nh;
        for (int r = 0; r < 2; r++)
            if (have[r] != want[r]) {
                diffs++;
                cr_log_error("rule %d on '%s': detection %lld, PCRE2 alone %lld", r, tx[t],
                             (long long)have[r], (long long)want[r]);
            }
        txs_arena_reset(&a);
    }
    cr_log_info("%zu hits, %zu evidence objects, %zu differences", hits, evidence, diffs);
    cr_assert_eq(diffs, 0);
    cr_assert_gt(hits, 1000);
    cr_assert_gt(evidence, 5);
    txs_arena_free(&a);
    txs_regex_md_free(md);
    txs_ruleset_free(rs);
    for (size_t i = 0; i < n; i++) txs_regex_free(alone[i]);
    free(alone), free(ppm), free(file[0]), free(file[1]);
    free_lines(re, nr), free_lines(kw, nk0), free_lines(tx, nt);
}
