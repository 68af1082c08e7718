/*
 * test_scaleout.c: the scale-out library (txs/scaleout.h) called directly.
 * split: every record lands in its accounts' shards with an exact index,
 * the same inputs give the same bytes, unframed records go to the split's
 * rejects and unparsed ones to shard 0, and inputs that cannot share a
 * shard file are refused.  merge: shard alerts written by hand (in the
 * layout `screen --shard` writes) come back in input order with original
 * sources and ids, a record alerted in two shards becomes one alert, and
 * outputs that are not this split's are refused.  The end-to-end round
 * trip through real shard screens is tests/scaleout/run.sh.
 */
#include <criterion/criterion.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_test_util.h"
#include "txs/json_read.h"
#include "txs/rules.h"
#include "txs/scaleout.h"
#include "txs/shard.h"

#define HEADER                                                                              \
    "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,"        \
    "orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,"   \
    "purpose\n"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/txs-test-scaleout.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(split, .init = setup, .fini = teardown);
TestSuite(merge, .init = setup, .fini = teardown);

/* dir/name; the result lives for the next 63 calls (a test makes fewer). */
static char *path_in(const char *name)
{
    static char p[64][256];
    static int k;
    k = (k + 1) % 64;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* One native CSV row. */
static void row(char *o, size_t cap, const char *id, const char *amount, const char *oa,
                const char *ba)
{
    snprintf(o, cap, "%s,2026-03-01T00:00:04Z,%s,USD,card,%s,Alice Smith,US,BANKUS33,,%s,"
                     "Bob Jones,US,BANKUS33,,rent\n",
             id, amount, oa, ba);
}

static int split_into(const char *out, char **inputs, size_t n, uint32_t shards,
                      txs_split_stats *st, txs_diag *d)
{
    txs_split_opts o = {"native", out, shards, -1, inputs, n, NULL};
    memset(d, 0, sizeof *d);
    return txs_split(&o, st, d);
}

/* ----------------------------------------------------------------- split */

Test(split, every_record_in_its_accounts_shards)
{
    static const char *const acct[][2] = {{"A1", "B1"}, {"A2", "A2"}, {"", "B3"},
                                          {"A4", ""},   {"A5", "B5"}, {"A6", "B6"}};
    char text[4096] = HEADER, r[256];
    for (size_t i = 0; i < 6; i++) {
        char id[8];
        snprintf(id, sizeof id, "T%zu", i + 1);
        row(r, sizeof r, id, "10.00", acct[i][0], acct[i][1]);
        strcat(text, r);
    }
    char *in = path_in("in.csv");
    write_file(in, text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), &in, 1, 3, &st, &d), TXS_OK, "%s", d.msg);
    cr_assert_eq(st.records, 6);
    cr_assert_eq(st.shards, 3);
    size_t want[3] = {0}, placed = 0;
    for (size_t i = 0; i < 6; i++) {
        txs_slice o = {acct[i][0], strlen(acct[i][0])}, b = {acct[i][1], strlen(acct[i][1])};
        uint32_t ko = txs_shard_of(o, 3), kb = txs_shard_of(b, 3);
        if (o.n == 0) ko = kb;
        if (b.n == 0) kb = ko;
        want[ko]++;
        if (kb != ko) want[kb]++;
    }
    for (int k = 0; k < 3; k++) {
        char name[32];
        snprintf(name, sizeof name, "s/shard-%d.csv", k);
        char *s = txs_test_slurp(path_in(name), NULL);
        cr_assert_eq(strncmp(s, HEADER, strlen(HEADER)), 0, "shard %d has no header", k);
        cr_expect_eq(count_lines(s) - 1, want[k], "shard %d: %zu records, want %zu", k,
                     count_lines(s) - 1, want[k]);
        placed += count_lines(s) - 1;
        free(s);
        snprintf(name, sizeof name, "s/shard-%d.idx", k);
        s = txs_test_slurp(path_in(name), NULL);
        cr_expect_eq(count_lines(s) - 1, want[k], "shard-%d.idx", k);
        free(s);
    }
    cr_assert_eq(placed, want[0] + want[1] + want[2]);
    /* split.json, through the one JSON reader. */
    char *meta = txs_test_slurp(path_in("s/split.json"), NULL);
    txs_json_doc doc = {0};
    cr_assert_eq(txs_json_parse(&doc, meta, strlen(meta)), TXS_OK, "%s", doc.err);
    uint64_t v;
    cr_assert_eq(txs_json_u64(txs_json_get(doc.root, "shards"), &v), 0);
    cr_assert_eq(v, 3);
    cr_assert_eq(txs_json_u64(txs_json_get(doc.root, "records"), &v), 0);
    cr_assert_eq(v, 6);
    const txs_json *first = txs_json_first(txs_json_get(doc.root, "inputs"));
    cr_assert(txs_json_str_is(txs_json_get(first, "file"), in), "%s", meta);
    txs_json_free(&doc);
    free(meta);
}

Test(split, same_inputs_same_bytes)
{
    char text[4096] = HEADER, r[256];
    for (int i = 0; i < 40; i++) {
        char id[8], oa[8], ba[8];
        snprintf(id, sizeof id, "T%d", i);
        snprintf(oa, sizeof oa, "A%d", i % 7);
        snprintf(ba, sizeof ba, "B%d", i % 5);
        row(r, sizeof r, id, "1.00", oa, ba);
        strcat(text, r);
    }
    char *in = path_in("in.csv");
    write_file(in, text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("a"), &in, 1, 4, &st, &d), TXS_OK, "%s", d.msg);
    cr_assert_eq(split_into(path_in("b"), &in, 1, 4, &st, &d), TXS_OK, "%s", d.msg);
    const char *names[] = {"shard-0.csv", "shard-1.csv", "shard-2.csv", "shard-3.csv",
                           "shard-0.idx", "shard-3.idx", "split.json", "split-rejects.jsonl"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char pa[64], pb[64];
        snprintf(pa, sizeof pa, "a/%s", names[i]);
        snprintf(pb, sizeof pb, "b/%s", names[i]);
        char *x = txs_test_slurp(path_in(pa), NULL), *y = txs_test_slurp(path_in(pb), NULL);
        cr_expect_str_eq(x, y, "%s differs", names[i]);
        free(x);
        free(y);
    }
}

Test(split, unframed_to_split_rejects_unparsed_to_shard_0)
{
    char text[4096] = HEADER, r[256];
    row(r, sizeof r, "T1", "10.00", "A1", "B1");
    strcat(text, r);
    row(r, sizeof r, "T2", "abc", "A2", "B2"); /* frames, does not parse */
    strcat(text, r);
    strcat(text, "T3,\"unterminated\n"); /* never closes: cannot be framed */
    char *in = path_in("in.csv");
    write_file(in, text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), &in, 1, 2, &st, &d), TXS_OK, "%s", d.msg);
    cr_expect_eq(st.records, 3);
    cr_expect_eq(st.parse_rejects, 1);
    cr_expect_eq(st.frame_rejects, 1);
    char *rej = txs_test_slurp(path_in("s/split-rejects.jsonl"), NULL);
    cr_expect_eq(count_lines(rej), 1);
    cr_expect_not_null(strstr(rej, "\"line\":4"), "%s", rej);
    free(rej);
    char *s0 = txs_test_slurp(path_in("s/shard-0.csv"), NULL);
    cr_expect_not_null(strstr(s0, "T2,"), "the unparsed record is not in shard 0");
    free(s0);
}

Test(split, refuses_inputs_with_different_headers)
{
    char a[512] = HEADER, r[256];
    row(r, sizeof r, "T1", "10.00", "A1", "B1");
    strcat(a, r);
    char *in[2] = {path_in("a.csv"), path_in("b.csv")};
    write_file(in[0], a);
    write_file(in[1], "purpose,txn_id,timestamp,amount,currency,channel,orig_account,orig_name,"
                      "orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,"
                      "bene_bank,bene_address\n");
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), in, 2, 2, &st, &d), TXS_E_CONFIG);
    cr_expect_not_null(strstr(d.msg, "header differs"), "%s", d.msg);
    cr_expect_neq(access(path_in("s/split.json"), F_OK), 0, "a refused split left split.json");
}

Test(split, refuses_a_bad_number_of_shards)
{
    char *in = path_in("in.csv");
    write_file(in, HEADER);
    txs_split_stats st;
    txs_diag d;
    cr_expect_eq(split_into(path_in("s"), &in, 1, 0, &st, &d), TXS_E_ARG);
    cr_expect_eq(split_into(path_in("s"), &in, 1, TXS_SPLIT_MAX_SHARDS + 1, &st, &d), TXS_E_ARG);
}

/* ----------------------------------------------------------------- merge */

/* A split of three records over two shards, accounts chosen so that T1 is
 * in shard 0 only, T3 in shard 1 only, and T2 in both (home: shard 1). */
static const char *s0[2], *s1[2]; /* two accounts of shard 0, two of shard 1 */

static void two_shard_split(char **in)
{
    const char *acc[] = {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"};
    s0[0] = s0[1] = s1[0] = s1[1] = NULL;
    for (size_t i = 0; i < 9; i++) {
        uint32_t k = txs_shard_of((txs_slice){acc[i], 2}, 2);
        const char **s = k ? s1 : s0;
        if (!s[0]) s[0] = acc[i];
        else if (!s[1]) s[1] = acc[i];
    }
    cr_assert(s0[0] && s0[1] && s1[0] && s1[1], "need two accounts in each shard");
    char text[2048] = HEADER, r[256];
    row(r, sizeof r, "T1", "10.00", s0[0], s0[1]); /* shard 0 only */
    strcat(text, r);
    row(r, sizeof r, "T2", "11.00", s1[0], s0[0]); /* home shard 1, also in 0 */
    strcat(text, r);
    row(r, sizeof r, "T3", "12.00", s1[0], s1[1]); /* shard 1 only */
    strcat(text, r);
    *in = path_in("day1.csv");
    write_file(*in, text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), in, 1, 2, &st, &d), TXS_OK, "%s", d.msg);
}

/* An alert as a shard run writes it (source: the shard file and line;
 * accounts: the originator's and the beneficiary's). */
static void alert(char *o, size_t cap, const char *id, int shard, int line, const char *oa,
                  const char *ba, const char *hits)
{
    snprintf(o, cap,
             "{\"txn_id\":\"%s\",\"score\":1,\"band\":\"none\",\"source\":{\"file\":"
             "\"%s/s/shard-%d.csv\",\"line\":%d},\"accounts\":[\"%s\",\"%s\"],"
             "\"hits\":[%s]}\n",
             id, dir, shard, line, oa, ba, hits);
}

/* Element i of split.json's array key: a number, or a string's text. */
static void split_entry(const char *key, size_t i, char *out, size_t cap)
{
    char *meta = txs_test_slurp(path_in("s/split.json"), NULL);
    txs_json_doc doc = {0};
    cr_assert_eq(txs_json_parse(&doc, meta, strlen(meta)), TXS_OK, "%s", doc.err);
    const txs_json *v = txs_json_first(txs_json_get(doc.root, key));
    while (v && i--) v = v->next;
    cr_assert_not_null(v, "split.json has no %s[%zu]", key, i);
    if (v->type == TXS_JSON_STR) snprintf(out, cap, "%s", v->s);
    else snprintf(out, cap, "%.*s", (int)v->n, v->s);
    txs_json_free(&doc);
    free(meta);
}

/* The "rules" value the manifests below carry: null, or after
 * use_default_rules() the default rule set's spec and xxh3. */
static char rules_json[128] = "null";

static void use_default_rules(void)
{
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), TXS_OK, "%s", d.msg);
    snprintf(rules_json, sizeof rules_json, "{\"spec\": \"default\", \"xxh3\": \"%016llx\"}",
             (unsigned long long)txs_ruleset_hash(rs));
    txs_ruleset_free(rs);
}

/* Shard k's manifest as a shard run writes it (the keys merge reads):
 * over the split's shard-k.csv, reading its home records, with `alerts`
 * alert lines (none below the bands) and no rejects. */
static char *shard_manifest(int k, int alerts)
{
    char bytes[32], xxh3[32], home[32], name[32], text[1024];
    split_entry("shard_bytes", (size_t)k, bytes, sizeof bytes);
    split_entry("shard_xxh3", (size_t)k, xxh3, sizeof xxh3);
    split_entry("home_records_per_shard", (size_t)k, home, sizeof home);
    snprintf(text, sizeof text,
             "{\n  \"txscreen_version\": \"test\",\n  \"inputs\": [{\"file\": \"%s/s/shard-%d.csv\", "
             "\"bytes\": %s, \"xxh3\": \"%s\"}],\n  \"rules\": %s,\n  \"counts\": {\"read\": %s, "
             "\"rejected\": 0, \"alerts\": %d, \"txns_hit_below_band\": 0}\n}\n",
             dir, k, bytes, xxh3, rules_json, home, alerts);
    snprintf(name, sizeof name, "manifest-%d.json", k);
    char *path = path_in(name);
    write_file(path, text);
    return path;
}

/* The graph job's manifest: over the split's input, with `alerts` lines. */
static char *graph_manifest(const char *in, int alerts)
{
    char text[1024];
    char *meta = txs_test_slurp(path_in("s/split.json"), NULL);
    txs_json_doc doc = {0};
    cr_assert_eq(txs_json_parse(&doc, meta, strlen(meta)), TXS_OK);
    const txs_json *i0 = txs_json_first(txs_json_get(doc.root, "inputs"));
    const txs_json *b = txs_json_get(i0, "bytes"), *x = txs_json_get(i0, "xxh3");
    snprintf(text, sizeof text,
             "{\n  \"txscreen_version\": \"test\",\n  \"inputs\": [{\"file\": \"%s\", \"bytes\": %.*s, "
             "\"xxh3\": \"%s\"}],\n  \"rules\": %s,\n  \"counts\": {\"read\": 3, \"rejected\": 0, "
             "\"alerts\": %d, \"txns_hit_below_band\": 0}\n}\n",
             in, (int)b->n, b->s, x->s, rules_json, alerts);
    txs_json_free(&doc);
    free(meta);
    char *path = path_in("manifest-graph.json");
    write_file(path, text);
    return path;
}

#define SANC_HIT "{\"kind\":\"sanctions\",\"rule\":\"name\",\"score\":1.0,\"evidence\":\"exact name\"}"

static int merge_files(char **files, size_t n, const char *rules, const char *out,
                       txs_merge_stats *st, txs_diag *d)
{
    txs_merge_opts o = {path_in("s"), rules, out, NULL, NULL, files, n, NULL};
    memset(d, 0, sizeof *d);
    return txs_merge(&o, st, d);
}

Test(merge, alerts_in_input_order_with_original_sources)
{
    char *in;
    two_shard_split(&in);
    /* shard 0 holds T1 (line 2) and T2 (line 3); shard 1 holds T2 (2), T3 (3). */
    char a0[1024], a1[1024], l[512];
    alert(a0, sizeof a0, "T1", 0, 2, s0[0], s0[1], SANC_HIT);
    alert(a1, sizeof a1, "shard-1.csv:3", 1, 3, s1[0], s1[1], SANC_HIT); /* an id generated from the shard */
    write_file(path_in("alerts-0.jsonl"), a0);
    write_file(path_in("alerts-1.jsonl"), a1);
    char *files[] = {path_in("alerts-1.jsonl"), shard_manifest(1, 1), path_in("alerts-0.jsonl"),
                     shard_manifest(0, 1)};
    txs_merge_stats st;
    txs_diag d;
    char *out = path_in("merged.jsonl");
    cr_assert_eq(merge_files(files, 4, "none", out, &st, &d), TXS_OK, "%s", d.msg);
    cr_expect_eq(st.shards, 2);
    cr_expect_eq(st.alerts, 2);
    cr_expect_eq(st.by_band[TXS_BAND_BLOCK], 2);
    char *m = txs_test_slurp(out, NULL);
    cr_assert_eq(count_lines(m), 2, "%s", m);
    char *second = strchr(m, '\n') + 1;
    snprintf(l, sizeof l, "\"source\":{\"file\":\"%s\",\"line\":2}", in);
    cr_expect_not_null(strstr(m, l), "T1 not first with its original source: %s", m);
    cr_expect_lt(strstr(m, l), second);
    snprintf(l, sizeof l, "\"source\":{\"file\":\"%s\",\"line\":4}", in);
    cr_expect_not_null(strstr(second, l), "%s", m);
    cr_expect_not_null(strstr(second, "\"txn_id\":\"day1.csv:4\""), "id not regenerated: %s", m);
    cr_expect_not_null(strstr(m, "\"score\":100,\"band\":\"block\""), "%s", m);
    free(m);
}

Test(merge, a_record_alerted_in_two_shards_is_one_alert)
{
    char *in;
    two_shard_split(&in);
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_ruleset_load("default", &rs, &d), TXS_OK, "%s", d.msg);
    const char *rule = txs_ruleset_rule(rs, 0)->id;
    use_default_rules();
    char typ[256], a0[1024], a1[1024];
    snprintf(typ, sizeof typ, "{\"kind\":\"typology\",\"rule\":\"%s\",\"score\":0.5}", rule);
    alert(a0, sizeof a0, "T2", 0, 3, s1[0], s0[0], typ);     /* the other shard's view of T2 */
    alert(a1, sizeof a1, "T2", 1, 2, s1[0], s0[0], SANC_HIT); /* its home shard's */
    write_file(path_in("alerts-0.jsonl"), a0);
    write_file(path_in("alerts-1.jsonl"), a1);
    char *files[] = {path_in("alerts-0.jsonl"), path_in("alerts-1.jsonl"), shard_manifest(0, 1),
                     shard_manifest(1, 1), graph_manifest(in, 0)};
    txs_merge_stats st;
    char *out = path_in("merged.jsonl");
    cr_assert_eq(merge_files(files, 5, "default", out, &st, &d), TXS_OK, "%s", d.msg);
    cr_expect_eq(st.alerts, 1);
    cr_expect_eq(st.combined, 1);
    char *m = txs_test_slurp(out, NULL);
    cr_assert_eq(count_lines(m), 1, "%s", m);
    /* The home shard's hits lead, the other's typology hit follows. */
    char *s = strstr(m, "\"kind\":\"sanctions\""), *t = strstr(m, "\"kind\":\"typology\"");
    cr_expect(s && t && s < t, "%s", m);
    free(m);
    txs_ruleset_free(rs);
}

Test(merge, refuses_outputs_of_another_split)
{
    char *in;
    two_shard_split(&in);
    write_file(path_in("alerts-x.jsonl"),
               "{\"txn_id\":\"T9\",\"score\":1,\"band\":\"none\",\"source\":{\"file\":"
               "\"other.csv\",\"line\":2},\"hits\":[" SANC_HIT "]}\n");
    char *files[] = {path_in("alerts-x.jsonl")};
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 1, "none", path_in("m.jsonl"), &st, &d), TXS_E_FORMAT);
    cr_expect_not_null(strstr(d.msg, "not from a shard-K.csv of this split"), "%s", d.msg);
    cr_expect_neq(access(path_in("m.jsonl"), F_OK), 0, "a refused merge published alerts");
}

Test(merge, refuses_a_shard_given_twice)
{
    char *in;
    two_shard_split(&in);
    char a0[1024];
    alert(a0, sizeof a0, "T1", 0, 2, s0[0], s0[1], SANC_HIT);
    write_file(path_in("a.jsonl"), a0);
    write_file(path_in("b.jsonl"), a0);
    char *files[] = {path_in("a.jsonl"), path_in("b.jsonl")};
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 2, "none", path_in("m.jsonl"), &st, &d), TXS_E_ARG);
    cr_expect_not_null(strstr(d.msg, "a second alerts file for shard 0"), "%s", d.msg);
}

Test(merge, refuses_a_line_that_is_not_json)
{
    char *in;
    two_shard_split(&in);
    char a0[1024];
    alert(a0, sizeof a0, "T1", 0, 2, s0[0], s0[1], SANC_HIT);
    strcat(a0, "{\"txn_id\":\n");
    write_file(path_in("a.jsonl"), a0);
    char *files[] = {path_in("a.jsonl"), shard_manifest(0, 2), shard_manifest(1, 0)};
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 3, "none", path_in("m.jsonl"), &st, &d), TXS_E_FORMAT);
    cr_expect_eq(d.line, 2);
    cr_expect_not_null(strstr(d.msg, "bad JSON: offset 10: value expected"), "%s", d.msg);
}

/* Two shards' alerts and manifests that agree, for the refusals below. */
static void complete_set(char **in, char **files)
{
    two_shard_split(in);
    char a0[1024], a1[2048];
    alert(a0, sizeof a0, "T1", 0, 2, s0[0], s0[1], SANC_HIT);
    alert(a1, sizeof a1, "T2", 1, 2, s1[0], s0[0], SANC_HIT);
    size_t n = strlen(a1);
    alert(a1 + n, sizeof a1 - n, "T3", 1, 3, s1[0], s1[1], SANC_HIT);
    write_file(path_in("alerts-0.jsonl"), a0);
    write_file(path_in("alerts-1.jsonl"), a1);
    files[0] = path_in("alerts-0.jsonl");
    files[1] = path_in("alerts-1.jsonl");
    files[2] = shard_manifest(0, 1);
    files[3] = shard_manifest(1, 2);
}

static void refused(char **files, size_t n, const char *rules, const char *why)
{
    txs_merge_stats st;
    txs_diag d;
    char *out = path_in("m.jsonl");
    cr_assert_eq(merge_files(files, n, rules, out, &st, &d), TXS_E_FORMAT, "accepted: %s", why);
    cr_expect_not_null(strstr(d.msg, why), "'%s', want '%s'", d.msg, why);
    cr_expect_neq(access(out, F_OK), 0, "a refused merge published alerts");
}

Test(merge, complete_set_accepted)
{
    char *in, *files[4];
    complete_set(&in, files);
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 4, "none", path_in("m.jsonl"), &st, &d), TXS_OK, "%s", d.msg);
    cr_expect_eq(st.alerts, 3);
}

Test(merge, a_manifest_on_one_line_is_a_manifest)
{
    char *in, *files[4];
    complete_set(&in, files);
    char *m = txs_test_slurp(files[3], NULL), *w = m;
    for (char *r = m; *r; r++)
        if (*r != '\n') *w++ = *r;
    *w++ = '\n';
    *w = '\0';
    write_file(files[3], m);
    free(m);
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 4, "none", path_in("m.jsonl"), &st, &d), TXS_OK, "%s", d.msg);
}

Test(merge, refuses_a_missing_shard_manifest)
{
    char *in, *files[4];
    complete_set(&in, files);
    refused(files, 3, "none", "shard 1's manifest is missing");
}

Test(merge, refuses_a_missing_alerts_file)
{
    char *in, *files[4];
    complete_set(&in, files);
    files[1] = files[3];
    refused(files, 3, "none", "shard 1's alerts file is missing (or empty), but its manifest "
                              "counts 2");
}

Test(merge, refuses_an_alerts_file_with_a_line_missing)
{
    char *in, *files[4];
    complete_set(&in, files);
    char *a1 = txs_test_slurp(files[1], NULL);
    *(strchr(a1, '\n') + 1) = '\0'; /* keep the first line only */
    write_file(files[1], a1);
    free(a1);
    refused(files, 4, "none", "1 alerts, but shard 1's manifest");
}

/* Shard k's manifest given the bytes and XXH3-64 of its alerts file as a
 * screen run records them ("outputs": alerts_bytes, alerts_xxh3). */
static void record_digest(char **files, int k)
{
    char *a = txs_test_slurp(files[k], NULL), *m = txs_test_slurp(files[2 + k], NULL);
    char text[2048];
    const char *at = strstr(m, "  \"counts\"");
    cr_assert_not_null(at);
    snprintf(text, sizeof text, "%.*s  \"outputs\": {\"alerts\": \"a\", \"alerts_bytes\": %zu, "
             "\"alerts_xxh3\": \"%016llx\", \"rejects\": null},\n%s", (int)(at - m), m,
             strlen(a), (unsigned long long)XXH3_64bits(a, strlen(a)), at);
    write_file(files[2 + k], text);
    free(a);
    free(m);
}

Test(merge, accepts_alerts_files_their_manifests_hash)
{
    char *in, *files[4];
    complete_set(&in, files);
    record_digest(files, 0);
    record_digest(files, 1);
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 4, "none", path_in("m.jsonl"), &st, &d), TXS_OK, "%s", d.msg);
    cr_expect_eq(st.alerts, 3);
}

Test(merge, refuses_an_altered_line_that_keeps_the_count)
{
    char *in, *files[4];
    complete_set(&in, files);
    record_digest(files, 1);
    char *a1 = txs_test_slurp(files[1], NULL);
    char *t = strstr(a1, "exact name");
    cr_assert_not_null(t);
    t[0] = 'E'; /* one byte of evidence changed; still two lines, still JSON */
    write_file(files[1], a1);
    free(a1);
    refused(files, 4, "none", "the alerts file was altered or is of another run");
}

Test(merge, refuses_shard_runs_of_an_earlier_split)
{
    char *in, *files[4];
    complete_set(&in, files);
    /* The same input split again, one record longer: the shard files
     * change, the old runs' manifests no longer match them. */
    char *text = txs_test_slurp(in, NULL), r[256];
    row(r, sizeof r, "T4", "13.00", s0[0], s1[1]);
    text = realloc(text, strlen(text) + strlen(r) + 1);
    strcat(text, r);
    write_file(in, text);
    free(text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), &in, 1, 2, &st, &d), TXS_OK, "%s", d.msg);
    refused(files, 4, "none", "the shard run is stale or of another split");
}

Test(merge, refuses_a_missing_graph_job_when_the_rules_need_one)
{
    char *in, *files[4];
    use_default_rules();
    complete_set(&in, files);
    refused(files, 4, "default", "the graph job's manifest (`screen --shard graph`) is not "
                                 "among the inputs");
}

Test(merge, refuses_a_graph_job_without_its_alerts)
{
    char *in, *files[5];
    use_default_rules();
    complete_set(&in, files);
    files[4] = graph_manifest(in, 2);
    refused(files, 5, "default", "the graph job's alerts file is missing");
}

Test(split, removes_the_shard_files_of_an_earlier_larger_split)
{
    char text[1024] = HEADER, r[256];
    row(r, sizeof r, "T1", "10.00", "A1", "B1");
    strcat(text, r);
    char *in = path_in("in.csv");
    write_file(in, text);
    txs_split_stats st;
    txs_diag d;
    cr_assert_eq(split_into(path_in("s"), &in, 1, 5, &st, &d), TXS_OK, "%s", d.msg);
    write_file(path_in("s/shard-9.jsonl"), "{}\n"); /* another format's leftover */
    write_file(path_in("s/notes.txt"), "kept\n");
    cr_assert_eq(split_into(path_in("s"), &in, 1, 2, &st, &d), TXS_OK, "%s", d.msg);
    const char *gone[] = {"s/shard-2.csv", "s/shard-2.idx", "s/shard-4.csv", "s/shard-4.idx",
                          "s/shard-9.jsonl"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        cr_expect_neq(access(path_in(gone[i]), F_OK), 0, "%s left behind", gone[i]);
    const char *kept[] = {"s/shard-0.csv", "s/shard-1.idx", "s/split.json", "s/notes.txt"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        cr_expect_eq(access(path_in(kept[i]), F_OK), 0, "%s removed", kept[i]);
}

Test(merge, refuses_a_directory_without_split_json)
{
    char *files[] = {path_in("a.jsonl")};
    write_file(files[0], "");
    txs_merge_stats st;
    txs_diag d;
    cr_assert_eq(merge_files(files, 1, "none", path_in("m.jsonl"), &st, &d), TXS_E_IO);
    cr_expect_not_null(strstr(d.msg, "is --split the directory"), "%s", d.msg);
}
