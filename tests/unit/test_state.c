/*
 * test_state.c: the stateful rule kinds (kind_window.c, kind_graph.c) and
 * their per-account state (state_*.c): each kind alerts on the transaction
 * that completes its pattern, once per episode, and not on the near miss;
 * lateness; shard modes; the --state file round trip and its errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/state_int.h"
#include "rules_fixture.h"
#include "txs/shard.h"
#include "txs/state.h"

#define T0 1772323200LL /* 2026-03-01T00:00:00Z */
#define H 3600LL
#define D 86400LL

typedef struct fx {
    rt_dir dir;
    txs_ruleset *rs;
    txs_state *st;
    txs_arena ar;
    txs_hit hits[TXS_MAX_HITS];
    size_t n;
    int late;
    char ids[64][16];
    int nids;
} fx;

/* A state as o says; with TXS_TEST_PARTS=P in the environment (a second
 * ctest run of this file), a single-table state is made partitioned, so
 * every test here also checks that partitions judge as one table does. */
static int mk_state(const txs_ruleset *rs, const txs_state_opts *o, txs_state **out)
{
    txs_state_opts use = *o;
    const char *env = getenv("TXS_TEST_PARTS");
    if (env && use.mode == TXS_STATE_ALL && use.parts == 0) use.parts = (unsigned)atoi(env);
    int rc = txs_state_create(rs, &use, out);
    if (rc == 0 && use.parts >= 2) cr_assert_eq(txs_state_parts(*out), use.parts);
    return rc;
}

static void fx_open(fx *f, const char *rules, const txs_state_opts *o)
{
    memset(f, 0, sizeof *f);
    rt_init(&f->dir);
    f->rs = rt_load(&f->dir, rules);
    txs_state_opts def = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    cr_assert_eq(mk_state(f->rs, o ? o : &def, &f->st), 0);
    txs_arena_init(&f->ar, 4096);
}

static void fx_close(fx *f)
{
    txs_state_free(f->st);
    txs_ruleset_free(f->rs);
    txs_arena_free(&f->ar);
    rt_cleanup(&f->dir);
}

/* Feed one transfer; returns how many hits it raised (in f->hits). */
static size_t feed(fx *f, int64_t ts, const char *orig, const char *bene, const char *amount,
                   const char *ch)
{
    cr_assert_lt(f->nids, 64);
    char *id = f->ids[f->nids++];
    snprintf(id, 16, "T%d", f->nids);
    txs_txn t = rt_txn(amount, "USD", ch);
    t.txn_id = rt_s(id);
    t.ts = ts;
    t.orig.account = rt_s(orig);
    t.bene.account = rt_s(bene);
    if (orig == NULL || *orig == '\0') {
        t.orig.account = rt_s("");
        t.orig.name = rt_s("Walk In Depositor");
    }
    txs_arena_reset(&f->ar);
    f->n = 0;
    cr_assert_eq(txs_state_eval(f->st, &t, &f->ar, f->hits, TXS_MAX_HITS, &f->n, NULL, &f->late),
                 0);
    return f->n;
}

static const char *rule_of(const fx *f, size_t i)
{
    return txs_ruleset_rule(f->rs, f->hits[i].rule)->id;
}

static int evidence_has(const fx *f, size_t i, const char *needle)
{
    const txs_slice *e = &f->hits[i].evidence;
    size_t k = strlen(needle);
    for (size_t j = 0; j + k <= e->n; j++)
        if (memcmp(e->p + j, needle, k) == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------ structuring */

#define STRUCT_RULE                                                                   \
    "rules:\n"                                                                        \
    "  - {id: st, kind: structuring, weight: 0.5, reason: r,\n"                      \
    "     params: {threshold: \"10000.00\", band: \"0.8\", window: 24h, min_count: 3, " \
    "sum_count: %s}}\n"

static void open_struct(fx *f, const char *sum)
{
    char text[512];
    snprintf(text, sizeof text, STRUCT_RULE, sum);
    fx_open(f, text, NULL);
}

Test(state, structuring_alerts_once_on_the_third_deposit_in_band)
{
    fx f;
    open_struct(&f, "0");
    cr_expect_eq(feed(&f, T0, "", "ACC-1", "9000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + H, "", "ACC-1", "9500.00", "cash"), 0);
    cr_assert_eq(feed(&f, T0 + 2 * H, "", "ACC-1", "8100.00", "cash"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "st");
    cr_expect(evidence_has(&f, 0, "\"txn_ids\":[\"T1\",\"T2\",\"T3\"]"));
    cr_expect(evidence_has(&f, 0, "\"total\":\"26600.00\""));
    cr_expect(evidence_has(&f, 0, "\"trigger\":\"count\""));
    cr_expect_eq(f.hits[0].account.n, 5);
    /* the same episode does not alert again on a fourth deposit */
    cr_expect_eq(feed(&f, T0 + 3 * H, "", "ACC-1", "9000.00", "cash"), 0);
    fx_close(&f);
}

Test(state, structuring_near_misses_stay_quiet)
{
    fx f;
    open_struct(&f, "0");
    /* over the window: 13 hours apart */
    cr_expect_eq(feed(&f, T0, "", "ACC-1", "9000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + 13 * H, "", "ACC-1", "9000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + 26 * H, "", "ACC-1", "9000.00", "cash"), 0);
    /* below the band, not cash, or above the threshold */
    cr_expect_eq(feed(&f, T0, "", "ACC-2", "7000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + H, "", "ACC-2", "7000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + 2 * H, "", "ACC-2", "7000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0, "X-9", "ACC-3", "9000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + H, "X-9", "ACC-3", "9000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 2 * H, "X-9", "ACC-3", "9000.00", "wire"), 0);
    fx_close(&f);
}

Test(state, structuring_sum_trigger_needs_the_threshold)
{
    fx f;
    open_struct(&f, "2");
    cr_expect_eq(feed(&f, T0, "", "ACC-1", "6000.00", "cash"), 0);
    cr_assert_eq(feed(&f, T0 + H, "", "ACC-1", "4000.00", "cash"), 1);
    cr_expect(evidence_has(&f, 0, "\"trigger\":\"sum\""));
    cr_expect_eq(feed(&f, T0, "", "ACC-2", "6000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + H, "", "ACC-2", "3999.99", "cash"), 0);
    fx_close(&f);
}

Test(state, structuring_links_a_depositor_across_accounts_by_name)
{
    fx f;
    fx_open(&f,
            "rules:\n"
            "  - {id: st, kind: structuring, weight: 0.5, reason: r, params: {threshold: "
            "\"10000.00\", window: 24h, min_count: 3, sum_count: 0, link_names: true}}\n",
            NULL);
    cr_expect_eq(feed(&f, T0, "", "ACC-1", "9000.00", "cash"), 0);
    cr_expect_eq(feed(&f, T0 + H, "", "ACC-2", "9000.00", "cash"), 0);
    cr_assert_eq(feed(&f, T0 + 2 * H, "", "ACC-3", "9000.00", "cash"), 1);
    cr_expect(evidence_has(&f, 0, "\"linked_by\":\"name\""));
    cr_expect(evidence_has(&f, 0, "\"counterparties\":[\"ACC-1\",\"ACC-2\",\"ACC-3\"]"));
    fx_close(&f);
}

/* ------------------------------------------------------------ pass-through */

#define PASS_RULES                                                                     \
    "rules:\n"                                                                         \
    "  - {id: pt, kind: pass_through, weight: 0.5, reason: r, params: {window: 72h, "  \
    "ratio_min: \"0.85\", ratio_max: \"1.15\", min_total: \"1000.00\"}}\n"             \
    "  - {id: ptb, kind: pass_through, weight: 0.7, reason: r, params: {window: 72h, " \
    "out_list: black}}\n"

Test(state, pass_through_in_then_out_with_commission)
{
    fx f;
    fx_open(&f, PASS_RULES, NULL);
    cr_expect_eq(feed(&f, T0, "SRC", "MULE", "10000.00", "wire"), 0);
    cr_assert_eq(feed(&f, T0 + 30 * H, "MULE", "DST", "9200.00", "wire"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "pt");
    cr_expect(evidence_has(&f, 0, "\"out_in_ratio\":0.9200"));
    cr_expect(evidence_has(&f, 0, "\"txn_ids\":[\"T1\",\"T2\"]"));
    cr_expect_str_eq(f.hits[0].account.p, "MULE");
    fx_close(&f);
}

Test(state, pass_through_near_misses)
{
    fx f;
    fx_open(&f, PASS_RULES, NULL);
    cr_expect_eq(feed(&f, T0, "SRC", "A", "10000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + H, "A", "DST", "5000.00", "wire"), 0);  /* ratio 0.5 */
    cr_expect_eq(feed(&f, T0, "SRC", "B", "10000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 4 * D, "B", "DST", "10000.00", "wire"), 0); /* too late */
    fx_close(&f);
}

Test(state, pass_through_to_a_listed_country)
{
    fx f;
    fx_open(&f, PASS_RULES, NULL);
    txs_txn in = rt_txn("5000.00", "USD", "wire");
    cr_expect_eq(feed(&f, T0, "SRC", "MULE", "5000.00", "wire"), 0);
    (void)in;
    /* out to a KP counterparty: both rules */
    cr_assert_lt(f.nids, 64);
    char *id = f.ids[f.nids++];
    snprintf(id, 16, "T%d", f.nids);
    txs_txn t = rt_txn("4800.00", "USD", "wire");
    t.txn_id = rt_s(id);
    t.ts = T0 + H;
    t.orig.account = rt_s("MULE");
    t.bene.account = rt_s("KP-1");
    memcpy(t.bene.country, "KP", 2);
    size_t n = 0;
    txs_arena_reset(&f.ar);
    cr_assert_eq(txs_state_eval(f.st, &t, &f.ar, f.hits, TXS_MAX_HITS, &n, NULL, NULL), 0);
    f.n = n;
    cr_assert_eq(n, 2);
    cr_expect_str_eq(rule_of(&f, 0), "pt");
    cr_expect_str_eq(rule_of(&f, 1), "ptb");
    cr_expect(evidence_has(&f, 1, "\"out_list\":\"black\""));
    fx_close(&f);
}

/* ------------------------------------------------------------ fan-in/out */

#define FAN_RULES                                                                       \
    "rules:\n"                                                                          \
    "  - {id: fi, kind: fan_in, weight: 0.5, reason: r, params: {window: 24h, "         \
    "min_counterparties: 5}}\n"                                                         \
    "  - {id: fo, kind: fan_out, weight: 0.5, reason: r, params: {window: 8h, "         \
    "min_counterparties: 5}}\n"

Test(state, fan_in_counts_distinct_senders)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL);
    const char *src[] = {"S1", "S2", "S3", "S4", "S5"};
    for (int i = 0; i < 4; i++) cr_expect_eq(feed(&f, T0 + i * H, src[i], "HUB", "100.00", "ach"), 0);
    cr_assert_eq(feed(&f, T0 + 4 * H, src[4], "HUB", "100.00", "ach"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "fi");
    cr_expect(evidence_has(&f, 0, "\"distinct_counterparties\":5"));
    /* one sender five times is not a fan-in; card payments are not counted */
    for (int i = 0; i < 5; i++) cr_expect_eq(feed(&f, T0 + i * H, "S1", "HUB2", "100.00", "ach"), 0);
    for (int i = 0; i < 5; i++) cr_expect_eq(feed(&f, T0 + i * H, src[i], "SHOP", "10.00", "card"), 0);
    fx_close(&f);
}

Test(state, fan_out_within_its_window_only)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL);
    const char *dst[] = {"D1", "D2", "D3", "D4", "D5"};
    for (int i = 0; i < 5; i++) /* 2.5 h apart: 10 h in all, over 8 h */
        cr_expect_eq(feed(&f, T0 + i * 9000, "SRC", dst[i], "100.00", "wire"), 0);
    for (int i = 0; i < 4; i++) cr_expect_eq(feed(&f, T0 + i * 60, "SRC2", dst[i], "100.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 300, "SRC2", dst[4], "100.00", "wire"), 1);
    fx_close(&f);
}

Test(state, late_records_are_counted_and_kept_out)
{
    fx f;
    txs_state_opts o = {H, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    fx_open(&f, FAN_RULES, &o);
    cr_expect_eq(feed(&f, T0 + 10 * H, "S1", "HUB", "100.00", "ach"), 0);
    cr_expect_eq(f.late, 0);
    cr_expect_eq(feed(&f, T0, "S2", "HUB", "100.00", "ach"), 0);
    cr_expect_eq(f.late, 1);
    const txs_state_stats *st = txs_state_get_stats(f.st);
    cr_expect_eq(st->late_records, 1);
    cr_expect_eq(st->late_events, 1); /* HUB's side; S2 is new, so not late for it */
    fx_close(&f);
}

Test(state, unsorted_within_lateness_still_detected)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL); /* default lateness: 24 h */
    int64_t when[] = {4 * H, 1 * H, 3 * H, 0, 2 * H};
    const char *src[] = {"S1", "S2", "S3", "S4", "S5"};
    size_t hits = 0;
    for (int i = 0; i < 5; i++) hits += feed(&f, T0 + when[i], src[i], "HUB", "100.00", "ach");
    cr_expect_eq(hits, 1);
    fx_close(&f);
}

/* ------------------------------------------------------------ graph kinds */

#define GRAPH_RULES                                                                        \
    "rules:\n"                                                                             \
    "  - {id: cy, kind: cycle, weight: 0.6, reason: r, params: {window: 7d, min_hops: 3, " \
    "max_hops: 6}}\n"                                                                      \
    "  - {id: sg, kind: scatter_gather, weight: 0.5, reason: r, params: {window: 72h, "   \
    "min_branches: 3}}\n"

Test(state, cycle_found_when_funds_return)
{
    fx f;
    fx_open(&f, GRAPH_RULES, NULL);
    cr_expect_eq(feed(&f, T0, "A", "B", "1000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 5 * H, "B", "C", "980.00", "wire"), 0);
    cr_assert_eq(feed(&f, T0 + 20 * H, "C", "A", "950.00", "wire"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "cy");
    cr_expect(evidence_has(&f, 0, "\"hops\":3"));
    cr_expect(evidence_has(&f, 0, "\"txn_ids\":[\"T1\",\"T3\"]"));
    /* a chain that never comes back, or breaks the amount band, is quiet */
    cr_expect_eq(feed(&f, T0, "P", "Q", "1000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + H, "Q", "R", "1000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 2 * H, "R", "S", "1000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0, "X", "Y", "1000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + H, "Y", "Z", "100.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 2 * H, "Z", "X", "100.00", "wire"), 0);
    fx_close(&f);
}

Test(state, scatter_gather_through_three_intermediaries)
{
    fx f;
    fx_open(&f, GRAPH_RULES, NULL);
    const char *mid[] = {"M1", "M2", "M3"};
    for (int i = 0; i < 3; i++) cr_expect_eq(feed(&f, T0 + i * 60, "SRC", mid[i], "3000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + H, "M1", "SINK", "2900.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 2 * H, "M2", "SINK", "2950.00", "wire"), 0);
    cr_assert_eq(feed(&f, T0 + 3 * H, "M3", "SINK", "2800.00", "wire"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "sg");
    cr_expect(evidence_has(&f, 0, "\"counterparties\":[\"M1\",\"M2\",\"M3\"]"));
    fx_close(&f);
}

Test(state, shard_mode_skips_graph_rules_and_foreign_accounts)
{
    fx f;
    txs_state_opts o = {D, TXS_STATE_SHARD, 0, 2, 0, 0, 0};
    fx_open(&f, FAN_RULES, &o);
    txs_slice hub = rt_s("HUB");
    const char *src[] = {"S1", "S2", "S3", "S4", "S5"};
    size_t hits = 0;
    for (int i = 0; i < 5; i++) hits += feed(&f, T0 + i * H, src[i], "HUB", "100.00", "ach");
    cr_expect_eq(hits, txs_shard_of(hub, 2) == 0 ? 1u : 0u);
    fx_close(&f);
}

/* ------------------------------------------------------------ history kinds */

Test(state, history_kinds)
{
    fx f;
    fx_open(&f,
            "rules:\n"
            "  - {id: sp, kind: amount_spike, weight: 0.3, reason: r, params: {min_amount: "
            "\"5000.00\", max_factor: \"1.5\", sigma: \"3\", min_history: 5}}\n"
            "  - {id: dm, kind: dormant, weight: 0.3, reason: r, params: {dormant_for: 180d, "
            "min_amount: \"5000.00\"}}\n"
            "  - {id: rd, kind: round_amounts, weight: 0.3, reason: r, params: {window: 7d, "
            "min_count: 3, unit: 1000, min_amount: \"1000.00\", direction: out}}\n",
            NULL);
    for (int i = 0; i < 8; i++)
        cr_expect_eq(feed(&f, T0 + i * D, "ACC", "SHOP", i % 2 ? "120.50" : "99.10", "wire"), 0);
    cr_assert_eq(feed(&f, T0 + 9 * D, "ACC", "FAR", "20000.37", "wire"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "sp");
    /* silent for 200 days, then a large payment */
    size_t nd = feed(&f, T0 + 209 * D, "ACC", "NEWCO", "6000.51", "wire");
    cr_assert_eq(nd, 1, "%zu hits: %s %.*s", nd, nd ? rule_of(&f, 0) : "",
                 nd ? (int)f.hits[0].evidence.n : 0, nd ? f.hits[0].evidence.p : "");
    cr_expect_str_eq(rule_of(&f, 0), "dm");
    cr_expect(evidence_has(&f, 0, "\"dormant_days\":200"));
    /* three round transfers out in a week */
    cr_expect_eq(feed(&f, T0 + 210 * D, "ACC", "R1", "5000.00", "wire"), 0);
    cr_expect_eq(feed(&f, T0 + 211 * D, "ACC", "R2", "3000.00", "wire"), 0);
    cr_assert_eq(feed(&f, T0 + 212 * D, "ACC", "R3", "7000.00", "wire"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "rd");
    fx_close(&f);
}

/* ------------------------------------------------------------ --state */

Test(state, save_and_load_continue_the_windows)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL);
    const char *src[] = {"S1", "S2", "S3", "S4", "S5"};
    for (int i = 0; i < 3; i++) cr_expect_eq(feed(&f, T0 + i * H, src[i], "HUB", "100.00", "ach"), 0);
    char path[160];
    snprintf(path, sizeof path, "%s/state.bin", f.dir.path);
    txs_diag d = {0};
    cr_assert_eq(txs_state_save(f.st, path, &d), 0, "%s", d.msg);
    txs_state_free(f.st);
    txs_state_opts o = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    cr_assert_eq(mk_state(f.rs, &o, &f.st), 0);
    cr_assert_eq(txs_state_load(f.st, path, &d), 0, "%s", d.msg);
    cr_expect_eq(txs_state_get_stats(f.st)->loaded, 1);
    cr_expect_eq(feed(&f, T0 + 3 * H, src[3], "HUB", "100.00", "ach"), 0);
    cr_expect_eq(feed(&f, T0 + 4 * H, src[4], "HUB", "100.00", "ach"), 1);
    cr_expect(evidence_has(&f, 0, "\"txn_ids\":[\"T1\",\"T2\",\"T3\",\"T4\",\"T5\"]"));
    /* a damaged file is refused with a reason */
    FILE *fp = fopen(path, "r+b");
    cr_assert_not_null(fp);
    fseek(fp, -1, SEEK_END);
    int last = fgetc(fp);
    fseek(fp, -1, SEEK_END);
    fputc(last ^ 0x55, fp);
    fclose(fp);
    txs_state *st2;
    cr_assert_eq(mk_state(f.rs, &o, &st2), 0);
    cr_expect_eq(txs_state_load(st2, path, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, "checksum") != NULL, "%s", d.msg);
    txs_state_free(st2);
    /* a missing file is a first run */
    cr_assert_eq(mk_state(f.rs, &o, &st2), 0);
    cr_expect_eq(txs_state_load(st2, "/nonexistent/dir/state.bin", &d), 0);
    txs_state_free(st2);
    unlink(path);
    fx_close(&f);
}

/* A wrong --state path is refused before it is read whole (issue 14):
 * devices and FIFOs could feed bytes without end (/dev/zero took 2.1 GB
 * and 8 s, /dev/full grew to 24 GB), and a file longer or shorter than its
 * header's accounts can hold is refused from its size. */
Test(state, load_refuses_devices_dirs_and_wrong_sizes_fast)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL);
    cr_expect_eq(feed(&f, T0, "S1", "HUB", "100.00", "ach"), 0);
    char path[160], big[176], cut[176];
    snprintf(path, sizeof path, "%s/state.bin", f.dir.path);
    snprintf(big, sizeof big, "%s/big.bin", f.dir.path);
    snprintf(cut, sizeof cut, "%s/cut.bin", f.dir.path);
    txs_diag d = {0};
    cr_assert_eq(txs_state_save(f.st, path, &d), 0, "%s", d.msg);
    txs_state_opts o = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    txs_state *st;
    static const char *const DEV[] = {"/dev/zero", "/dev/full", "/dev/null", "/tmp"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(mk_state(f.rs, &o, &st), 0);
        memset(&d, 0, sizeof d);
        cr_expect_eq(txs_state_load(st, DEV[i], &d), TXS_E_FORMAT, "%s", DEV[i]);
        cr_expect(strstr(d.msg, "not a regular file") != NULL, "%s: %s", DEV[i], d.msg);
        txs_state_free(st);
    }
    /* The saved file with 64 MiB appended: refused, without hashing it. */
    size_t n;
    char *bytes;
    cr_assert_eq(txs_file_read(path, &bytes, &n, &d), 0);
    FILE *fp = fopen(big, "wb");
    cr_assert_not_null(fp);
    fwrite(bytes, 1, n, fp);
    cr_assert_eq(ftruncate(fileno(fp), (off_t)n + (64 << 20)), 0);
    fclose(fp);
    cr_assert_eq(mk_state(f.rs, &o, &st), 0);
    cr_expect_eq(txs_state_load(st, big, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, "cannot hold") != NULL || strstr(d.msg, "more bytes") != NULL,
              "%s", d.msg);
    txs_state_free(st);
    /* Cut short: refused from its size too. */
    fp = fopen(cut, "wb");
    fwrite(bytes, 1, 60, fp);
    fclose(fp);
    cr_assert_eq(mk_state(f.rs, &o, &st), 0);
    cr_expect_eq(txs_state_load(st, cut, &d), TXS_E_FORMAT);
    cr_expect(strstr(d.msg, "cannot hold") != NULL, "%s", d.msg);
    txs_state_free(st);
    /* The untouched file still loads. */
    cr_assert_eq(mk_state(f.rs, &o, &st), 0);
    cr_expect_eq(txs_state_load(st, path, &d), 0, "%s", d.msg);
    txs_state_free(st);
    free(bytes);
    unlink(path), unlink(big), unlink(cut);
    fx_close(&f);
}

/* The inputs a state absorbed are saved and loaded with it; one already
 * absorbed is refused with nothing recorded; past TXS_STATE_INPUTS_MAX the
 * oldest is forgotten (issue 14, item 3). */
Test(state, inputs_absorbed_are_kept_and_refused_twice)
{
    fx f;
    fx_open(&f, FAN_RULES, NULL);
    txs_state_input a = {0x1111, 100, 3}, b = {0x2222, 200, 4}, b2 = {0x2222, 201, 4};
    const char *names[] = {"a.csv", "b.csv"};
    txs_diag d = {0};
    cr_expect_eq(txs_state_absorb(f.st, &a, 1, names, "s.bin", &d), 0);
    txs_state_input ab[2] = {b, a};
    cr_expect_eq(txs_state_absorb(f.st, ab, 2, names, "s.bin", &d), TXS_E_ARG);
    cr_expect(strstr(d.msg, "already absorbed into the state s.bin") != NULL, "%s", d.msg);
    cr_expect_str_eq(d.file, "b.csv", "the second input is the one already absorbed");
    cr_expect_eq(txs_state_has_input(f.st, b.xxh3, b.bytes), 0, "nothing recorded on refusal");
    cr_expect_eq(txs_state_absorb(f.st, &b, 1, names, "s.bin", &d), 0);
    cr_expect_eq(txs_state_has_input(f.st, b2.xxh3, b2.bytes), 0, "size is part of the identity");
    char path[160];
    snprintf(path, sizeof path, "%s/state.bin", f.dir.path);
    cr_assert_eq(txs_state_save(f.st, path, &d), 0, "%s", d.msg);
    txs_state_input got[4];
    size_t n;
    cr_assert_eq(txs_state_file_inputs(path, got, 4, &n, &d), 0, "%s", d.msg);
    cr_expect_eq(n, 2);
    cr_expect(got[0].xxh3 == a.xxh3 && got[1].xxh3 == b.xxh3 && got[1].records == 4);
    txs_state_opts o = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    txs_state *st;
    cr_assert_eq(mk_state(f.rs, &o, &st), 0);
    cr_assert_eq(txs_state_load(st, path, &d), 0, "%s", d.msg);
    cr_expect(txs_state_has_input(st, a.xxh3, a.bytes) && txs_state_has_input(st, b.xxh3, b.bytes));
    for (uint64_t i = 0; i < TXS_STATE_INPUTS_MAX; i++) {
        txs_state_input x = {0x9000 + i, 1, 1};
        cr_assert_eq(txs_state_absorb(st, &x, 1, names, "s.bin", &d), 0);
    }
    cr_expect_eq(txs_state_has_input(st, a.xxh3, a.bytes), 0, "the oldest forgotten");
    cr_expect_eq(txs_state_has_input(st, 0x9000, 1), 1);
    cr_assert_eq(txs_state_save(st, path, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_state_file_inputs(path, got, 4, &n, &d), 0, "%s", d.msg);
    cr_expect_eq(n, TXS_STATE_INPUTS_MAX);
    txs_state_free(st);
    char prev[176];
    snprintf(prev, sizeof prev, "%s.prev", path);
    unlink(path), unlink(prev);
    fx_close(&f);
}

/* ------------------------------------------------------------ params */

Test(state, bad_params_stop_the_load_with_file_and_line)
{
    rt_dir dir;
    rt_init(&dir);
    rt_write(&dir, "black.yaml", RT_BLACK_LIST);
    rt_write(&dir, "grey.yaml", RT_GREY_LIST);
    txs_diag d = {0};
    cr_expect_eq(rt_try(&dir,
                        RT_HEAD "rules:\n"
                                "  - {id: fi, kind: fan_in, weight: 0.5, reason: r,\n"
                                "     params: {window: 3 days}}\n",
                        &d),
                 TXS_E_CONFIG);
    cr_expect(strstr(d.msg, "duration") != NULL, "%s", d.msg);
    cr_expect_eq(d.line, 14);
    cr_expect_eq(rt_try(&dir,
                        RT_HEAD "rules:\n"
                                "  - {id: st, kind: structuring, weight: 0.5, reason: r}\n",
                        &d),
                 TXS_E_CONFIG);
    cr_expect(strstr(d.msg, "threshold") != NULL, "%s", d.msg);
    cr_expect_eq(rt_try(&dir,
                        RT_HEAD "rules:\n"
                                "  - {id: pt, kind: pass_through, weight: 0.5, reason: r,\n"
                                "     params: {ratio_min: \"1.2\", ratio_max: \"0.9\"}}\n",
                        &d),
                 TXS_E_CONFIG);
    /* stateful kinds keep amounts in the base currency: no fx section, no load */
    static const char *const kinds[] = {"fan_in", "cycle"};
    for (int i = 0; i < 2; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "ruleset: test\nversion: \"1\"\nscoring: {method: noisy_or, bands: {edd: 25, "
                 "review: 50, block: 80}}\nrules:\n  - {id: k%d, kind: %s, weight: 0.5, "
                 "reason: r}\n",
                 i, kinds[i]);
        cr_expect_eq(rt_try(&dir, text, &d), TXS_E_CONFIG, "%s: %s", kinds[i], d.msg);
        cr_expect(strstr(d.msg, "base currency") != NULL && strstr(d.msg, kinds[i]) != NULL,
                  "%s", d.msg);
    }
    rt_cleanup(&dir);
}

/* Each parameter type of the kinds' tables (rules/params.c), with a rule
 * that loads and one that stops with its key named. */
static void expect_param(rt_dir *dir, const char *rule, int ok, const char *msg)
{
    char text[1024];
    txs_diag d = {0};
    snprintf(text, sizeof text, RT_HEAD "rules:\n  - %s\n", rule);
    int rc = rt_try(dir, text, &d);
    if (ok) {
        cr_expect_eq(rc, 0, "%s: %s", rule, d.msg);
        return;
    }
    cr_expect_eq(rc, TXS_E_CONFIG, "%s", rule);
    cr_expect(strstr(d.msg, msg) != NULL, "%s: %s", rule, d.msg);
    cr_expect_eq(d.line, 13, "%s", rule); /* the rule's line, after RT_HEAD's 11 and rules: */
}

Test(state, params_table_reads_every_type)
{
    rt_dir dir;
    rt_init(&dir);
    rt_write(&dir, "black.yaml", RT_BLACK_LIST);
    rt_write(&dir, "grey.yaml", RT_GREY_LIST);
    static const char st[] = "{id: st, kind: structuring, weight: 0.5, reason: r, params: "
                             "{threshold: \"10000.00\", ";
    char rule[512];
    snprintf(rule, sizeof rule, "%sband: \"1.2\"}}", st);
    expect_param(&dir, rule, 0, "rule 'st': band must be between 0 and 1");
    snprintf(rule, sizeof rule, "%ssum_count: \"0\", link_names: true}}", st);
    expect_param(&dir, rule, 1, NULL);
    snprintf(rule, sizeof rule, "%slink_names: maybe}}", st);
    expect_param(&dir, rule, 0, "link_names");
    snprintf(rule, sizeof rule, "%sdirection: sideways}}", st);
    expect_param(&dir, rule, 0, "direction must be in, out or both");
    expect_param(&dir,
                 "{id: pt, kind: pass_through, weight: 0.5, reason: r, params: "
                 "{out_list: nosuch}}",
                 0, "rule 'pt': out_list: no country list 'nosuch'");
    /* min_history: a span for velocity, a count of events for amount_spike */
    expect_param(&dir,
                 "{id: v, kind: velocity_spike, weight: 0.5, reason: r, params: "
                 "{min_history: 30d}}",
                 1, NULL);
    expect_param(&dir,
                 "{id: a, kind: amount_spike, weight: 0.5, reason: r, params: "
                 "{min_history: 30d}}",
                 0, "rule 'a': min_history must be a whole number");
    expect_param(&dir,
                 "{id: c, kind: cycle, weight: 0.5, reason: r, params: {max_hops: \"0\"}}",
                 0, "rule 'c': max_hops must be a whole number");
    rt_cleanup(&dir);
}

/* ------------------------------------------------------------ growth */

Test(state, table_growth_keeps_both_parties_valid)
{
    /* Thousands of new accounts, two per transfer, so the account array
     * grows while a transfer holds both parties (run under ASan). */
    fx f;
    fx_open(&f,
            "rules:\n"
            "  - {id: fi, kind: fan_in, weight: 0.5, reason: r, params: {window: 24h, "
            "min_counterparties: 5}}\n"
            "  - {id: cy, kind: cycle, weight: 0.6, reason: r, params: {window: 7d}}\n",
            NULL);
    char a[32], b[32];
    size_t hits = 0;
    for (int i = 0; i < 6000; i++) {
        snprintf(a, sizeof a, "GA-%d", i);
        snprintf(b, sizeof b, "GB-%d", i % 7);
        f.nids = 0;
        hits += feed(&f, T0 + i, a, b, "100.00", "ach");
    }
    const txs_state_stats *st = txs_state_get_stats(f.st);
    cr_expect_eq(st->accounts, 6007);
    cr_expect_gt(hits, 0); /* the seven sinks fan in */
    fx_close(&f);
}

Test(state, graph_lists_reloaded_keep_their_bounds)
{
    /* A list loaded at an odd size (3 reach entries) must still stop
     * growing at its maximum, and the state must save and load again. */
    fx f;
    fx_open(&f, GRAPH_RULES, NULL);
    char a[16], path[160];
    snprintf(path, sizeof path, "%s/state.bin", f.dir.path);
    for (int i = 0; i < 3; i++) {
        snprintf(a, sizeof a, "A%d", i);
        f.nids = 0;
        feed(&f, T0 + i, a, "X", "1000.00", "wire");
    }
    txs_diag d = {0};
    txs_state_opts o = {TXS_STATE_LATENESS_DEFAULT, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    for (int round = 0; round < 2; round++) {
        cr_assert_eq(txs_state_save(f.st, path, &d), 0, "%s", d.msg);
        txs_state_free(f.st);
        cr_assert_eq(mk_state(f.rs, &o, &f.st), 0);
        cr_assert_eq(txs_state_load(f.st, path, &d), 0, "round %d: %s", round, d.msg);
        for (int i = 0; i < 12; i++) {
            snprintf(a, sizeof a, "B%d-%d", round, i);
            f.nids = 0;
            feed(&f, T0 + 100 + round * 100 + i, a, "X", "1000.00", "wire");
        }
    }
    unlink(path);
    fx_close(&f);
}

Test(state, gather_scatter_velocity_and_new_account)
{
    fx f;
    fx_open(&f,
            "rules:\n"
            "  - {id: gs, kind: gather_scatter, weight: 0.5, reason: r, params: {window: 72h, "
            "min_senders: 3, min_receivers: 3}}\n"
            "  - {id: vs, kind: velocity_spike, weight: 0.3, reason: r, params: {window: 24h, "
            "min_count: 6, sigma: \"3\", min_history: 7d}}\n"
            "  - {id: na, kind: new_account, weight: 0.3, reason: r, params: {new_for: 30d, "
            "min_amount: \"25000.00\", warmup: 7d}}\n",
            NULL);
    /* gather then scatter through HUB: three senders, then three receivers */
    const char *in[] = {"S1", "S2", "S3"}, *out[] = {"R1", "R2", "R3"};
    for (int i = 0; i < 3; i++) cr_expect_eq(feed(&f, T0 + i * H, in[i], "HUB", "1000.00", "ach"), 0);
    cr_expect_eq(feed(&f, T0 + 4 * H, "HUB", out[0], "900.00", "ach"), 0);
    cr_expect_eq(feed(&f, T0 + 5 * H, "HUB", out[1], "900.00", "ach"), 0);
    cr_assert_eq(feed(&f, T0 + 6 * H, "HUB", out[2], "900.00", "ach"), 1);
    cr_expect_str_eq(rule_of(&f, 0), "gs");
    cr_expect(evidence_has(&f, 0, "\"senders\":3,\"receivers\":3"));
    /* velocity: a quiet account (one payment every two days for 20 days),
     * then eight in one afternoon */
    size_t hits = 0;
    for (int i = 0; i < 10; i++) hits += feed(&f, T0 + i * 2 * D, "QUIET", "SHOP", "50.00", "card");
    cr_expect_eq(hits, 0);
    for (int i = 0; i < 8; i++) {
        char who[16];
        snprintf(who, sizeof who, "P%d", i);
        hits += feed(&f, T0 + 21 * D + i * 600, "QUIET", who, "40.00", "card");
    }
    cr_expect_eq(hits, 1); /* one episode: the sixth payment, not each after it */
    /* new account: data began at T0; an account first seen after the 7-day
     * warm-up moving USD 30,000 within its first month alerts once */
    cr_expect_eq(feed(&f, T0 + D, "OLDCO", "X1", "30000.00", "wire"), 0); /* during warm-up */
    cr_assert_eq(feed(&f, T0 + 10 * D, "NEWCO", "X2", "30000.00", "wire"), 2); /* and X2 is new */
    cr_expect_str_eq(rule_of(&f, 0), "na");
    cr_expect_eq(feed(&f, T0 + 11 * D, "NEWCO", "X1", "30000.00", "wire"), 0); /* once */
    fx_close(&f);
}

/* ------------------------------------------------------------ partitions */

#define MIXED_RULES                                                                        \
    "rules:\n"                                                                             \
    "  - {id: st, kind: structuring, weight: 0.5, reason: r, params: {threshold: "        \
    "\"10000.00\", band: \"0.8\", window: 24h, min_count: 3, link_names: true}}\n"         \
    "  - {id: pt, kind: pass_through, weight: 0.5, reason: r, params: {window: 72h}}\n"    \
    "  - {id: fi, kind: fan_in, weight: 0.5, reason: r, params: {window: 24h, "            \
    "min_counterparties: 4}}\n"                                                            \
    "  - {id: fo, kind: fan_out, weight: 0.5, reason: r, params: {window: 24h, "           \
    "min_counterparties: 4}}\n"                                                            \
    "  - {id: cy, kind: cycle, weight: 0.6, reason: r, params: {window: 7d}}\n"            \
    "  - {id: sg, kind: scatter_gather, weight: 0.6, reason: r, params: {window: 96h, "    \
    "min_branches: 2}}\n"                                                                  \
    "  - {id: na, kind: new_account, weight: 0.3, reason: r, params: {new_for: 30d, "      \
    "min_amount: \"5000.00\", warmup: 1d}}\n"                                              \
    "  - {id: rd, kind: round_amounts, weight: 0.3, reason: r, params: {window: 7d, "      \
    "min_count: 3}}\n"

/* One hit as text, for comparing two states' judgements. */
static void hit_text(const txs_ruleset *rs, const txs_hit *h, char *out, size_t cap)
{
    snprintf(out, cap, "%s|%.*s|%.*s", txs_ruleset_rule(rs, h->rule)->id, (int)h->account.n,
             h->account.p, (int)h->evidence.n, h->evidence.p);
}

/* Record i made the same hits (na of a's, nb of b's) and lateness in both. */
static void expect_same_hits(const fx *a, size_t na, int la, const fx *b, size_t nb, int lb, int i)
{
    char t1[600], t2[600];
    cr_assert_eq(na, nb, "record %d: %zu hits against %zu", i, na, nb);
    cr_assert_eq(la, lb, "record %d: late", i);
    for (size_t j = 0; j < na; j++) {
        hit_text(a->rs, &a->hits[j], t1, sizeof t1);
        hit_text(b->rs, &b->hits[j], t2, sizeof t2);
        cr_assert_str_eq(t1, t2, "record %d hit %zu", i, j);
    }
}

/* Save a's and b's states to pa and pb and expect the same bytes. */
static void expect_same_state_files(const fx *a, const char *pa, const fx *b, const char *pb)
{
    txs_diag d = {0};
    cr_assert_eq(txs_state_save(a->st, pa, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_state_save(b->st, pb, &d), 0, "%s", d.msg);
    char *x, *y;
    size_t nx, ny;
    cr_assert_eq(txs_file_read(pa, &x, &nx, &d), 0);
    cr_assert_eq(txs_file_read(pb, &y, &ny, &d), 0);
    cr_expect(nx == ny && memcmp(x, y, nx) == 0, "state files differ (%zu, %zu bytes)", nx, ny);
    free(x);
    free(y);
}

/* Record i of a mixed stream (24 accounts in cycles and fans, four
 * channels, walk-in cash deposits by name, one record in ten late by up
 * to 12 hours); x is the generator's state, the texts live in m. */
typedef struct mixbuf {
    char a[16], b[16], amt[24], id[16];
} mixbuf;

static txs_txn mixed_record(int i, uint64_t *x, mixbuf *m)
{
    static const char *const ch[] = {"wire", "ach", "cash", "internal"};
    static const char *const names[] = {"Ann Lee", "Bo Chan", "Cy Diaz"};
    uint64_t v = *x;
    v ^= v << 13, v ^= v >> 7, v ^= v << 17;
    *x = v;
    int from = (int)(v % 24), to = (int)((v >> 8) % 24), c = (int)((v >> 16) % 4);
    int64_t ts = T0 + i * 600 - (((v >> 24) % 10) == 0 ? (int64_t)((v >> 32) % (12 * H)) : 0);
    int64_t cents = (((v >> 40) % 5) == 0) ? 1000000 : (int64_t)((v >> 20) % 1500000) + 10000;
    snprintf(m->a, sizeof m->a, "AC%d", from);
    snprintf(m->b, sizeof m->b, "AC%d", to);
    snprintf(m->amt, sizeof m->amt, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
    snprintf(m->id, sizeof m->id, "X%d", i);
    txs_txn t = rt_txn(m->amt, "USD", ch[c]);
    t.txn_id = rt_s(m->id);
    t.ts = ts;
    t.orig.account = rt_s(m->a);
    t.bene.account = rt_s(m->b);
    if (c == 2 && (v >> 50) % 2) { /* a walk-in cash deposit by name */
        t.orig.account = rt_s("");
        t.orig.name = rt_s(names[(v >> 52) % 3]);
    }
    return t;
}

/* Fetching ahead (txs_state_prefetch, every step, before the first
 * account exists and for accounts that do not; the partitioned case is in
 * partitions_judge_and_save_as_one_table) and feeding with a key
 * made beforehand (txs_state_eval_key) judge as txs_state_eval does: the
 * same hits and the same state file. */
Test(state, prefetch_and_keyed_eval_change_nothing)
{
    fx one, kd;
    txs_state_opts o1 = {6 * H, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    fx_open(&one, MIXED_RULES, &o1);
    fx_open(&kd, MIXED_RULES, &o1);
    uint64_t x = 88172645463325252ull, y = x;
    mixbuf ma, mb, mc;
    size_t total = 0;
    for (int i = 0; i < 4000; i++) {
        txs_txn t = mixed_record(i, &x, &ma), u = mixed_record(i, &y, &mb);
        uint64_t z = x ^ 0x5555;
        txs_txn other = mixed_record(i + 1, &z, &mc); /* often an account not seen yet */
        txs_state_key k, ko;
        txs_state_key_of(kd.st, &u, &k);
        txs_state_key_of(kd.st, &other, &ko);
        for (int step = 0; step < 3; step++) {
            txs_state_prefetch(kd.st, 0, &ko, step);
            txs_state_prefetch(kd.st, 0, &k, step);
        }
        size_t n1 = 0, n2 = 0;
        int l1 = 0, l2 = 0;
        txs_arena_reset(&one.ar);
        txs_arena_reset(&kd.ar);
        cr_assert_eq(txs_state_eval(one.st, &t, &one.ar, one.hits, TXS_MAX_HITS, &n1, NULL, &l1), 0);
        cr_assert_eq(txs_state_eval_key(kd.st, &u, &k, &kd.ar, kd.hits, TXS_MAX_HITS, &n2, NULL, &l2),
                     0);
        expect_same_hits(&one, n1, l1, &kd, n2, l2, i);
        total += n1;
    }
    cr_expect_gt(total, 20, "the stream raised %zu hits", total);
    char p1[160], p2[160];
    snprintf(p1, sizeof p1, "%s/one.bin", one.dir.path);
    snprintf(p2, sizeof p2, "%s/kd.bin", kd.dir.path);
    expect_same_state_files(&one, p1, &kd, p2);
    unlink(p1);
    unlink(p2);
    fx_close(&one);
    fx_close(&kd);
}

Test(state, partitions_judge_and_save_as_one_table)
{
    /* A mixed stream (accounts in cycles, fans, walk-in cash by name, late
     * records) through one table and through 3 partitions: the same hits
     * in the same order, the same statistics and the same state file. */
    fx one, par;
    txs_state_opts o1 = {6 * H, TXS_STATE_ALL, 0, 0, 0, 0, 0};
    txs_state_opts o3 = {6 * H, TXS_STATE_ALL, 0, 0, 3, 0, 0};
    fx_open(&one, MIXED_RULES, &o1);
    fx_open(&par, MIXED_RULES, &o3);
    cr_assert_eq(txs_state_parts(par.st), 3);
    uint64_t x = 88172645463325252ull;
    size_t total = 0;
    mixbuf mb;
    for (int i = 0; i < 4000; i++) {
        txs_txn t = mixed_record(i, &x, &mb);
        size_t n1 = 0, n3 = 0;
        int l1 = 0, l3 = 0;
        txs_state_key k; /* each partition fetches ahead what it owns: changes nothing */
        txs_state_key_of(par.st, &t, &k);
        for (unsigned p = 0; p < 4; p++)
            for (int step = 0; step < 3; step++) txs_state_prefetch(par.st, p, &k, step);
        txs_arena_reset(&one.ar);
        txs_arena_reset(&par.ar);
        cr_assert_eq(txs_state_eval(one.st, &t, &one.ar, one.hits, TXS_MAX_HITS, &n1, NULL, &l1), 0);
        cr_assert_eq(txs_state_eval(par.st, &t, &par.ar, par.hits, TXS_MAX_HITS, &n3, NULL, &l3), 0);
        expect_same_hits(&one, n1, l1, &par, n3, l3, i);
        total += n1;
    }
    cr_expect_gt(total, 20, "the stream raised %zu hits", total);
    const txs_state_stats s1 = *txs_state_get_stats(one.st);
    const txs_state_stats *s3 = txs_state_get_stats(par.st);
    cr_expect_eq(s1.accounts, s3->accounts);
    cr_expect_eq(s1.events, s3->events);
    cr_expect_eq(s1.bytes, s3->bytes);
    cr_expect_eq(s1.late_records, s3->late_records);
    cr_expect_eq(s1.late_events, s3->late_events);
    cr_expect_eq(s1.expired, s3->expired);
    cr_expect_eq(s1.unconverted, s3->unconverted);
    cr_expect_gt(s1.late_records, 0);
    char p1[160], p3[160];
    snprintf(p1, sizeof p1, "%s/one.bin", one.dir.path);
    snprintf(p3, sizeof p3, "%s/par.bin", par.dir.path);
    expect_same_state_files(&one, p1, &par, p3);
    txs_diag d = {0};
    /* loaded back the other way round, they go on alike */
    txs_state_free(one.st);
    txs_state_free(par.st);
    cr_assert_eq(txs_state_create(one.rs, &o1, &one.st), 0);
    cr_assert_eq(txs_state_create(par.rs, &o3, &par.st), 0);
    cr_assert_eq(txs_state_load(one.st, p3, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_state_load(par.st, p1, &d), 0, "%s", d.msg);
    expect_same_state_files(&one, p1, &par, p3);
    unlink(p1);
    unlink(p3);
    fx_close(&one);
    fx_close(&par);
}

/* ------------------------------------------- expiry, against a reference */

/* The expiry rule written plainly: every event judged by its own class's
 * horizon, in order. */
static int ref_expire(txs_ev *ev, int n, int64_t cut_cash, int64_t cut_other)
{
    int w = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].ts < (ev[i].channel == TXS_CH_CASH ? cut_cash : cut_other)) continue;
        ev[w++] = ev[i];
    }
    return w;
}

/* txs__state_ev_insert drops the events past their class's horizon: the
 * same events in the same order as judging each by the reference, on
 * random accounts with cash and other events and either horizon the
 * longer (or both the same). */
Test(state, expiry_by_class_matches_judging_each_event)
{
    txs_state *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int round = 0; round < 3000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        s->keep_cash = (int64_t)(x % 40) * D;
        s->keep_other = (int64_t)((x >> 8) % 40) * D;
        int n = (int)((x >> 16) % 100) + 1;
        txs_acct a = {0};
        a.ev = calloc(TXS_EV_MAX, sizeof *a.ev);
        a.cap = TXS_EV_MAX;
        txs_ev want[TXS_EV_MAX];
        int64_t ts = T0;
        for (int i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            ts += (int64_t)(x % (2 * D));
            a.ev[i].ts = ts;
            a.ev[i].channel = (x >> 20) % 3 == 0 ? TXS_CH_CASH : TXS_CH_WIRE;
            a.ev[i].base = i; /* tells the events apart */
        }
        a.n = (uint16_t)n;
        a.max_ts = ts;
        txs_ev e = {0};
        e.ts = ts + (int64_t)((x >> 30) % (60 * D));
        e.channel = TXS_CH_WIRE;
        e.base = 1000;
        memcpy(want, a.ev, (size_t)n * sizeof *want);
        int keep = ref_expire(want, n, e.ts - s->keep_cash, e.ts - s->keep_other);
        want[keep++] = e; /* the newest, so last */
        uint64_t before = s->st.expired;
        cr_assert_geq(txs__state_ev_insert(s, &a, &e), 0);
        cr_assert_eq(a.n, keep, "round %d: %d events kept, want %d", round, a.n, keep);
        cr_assert_eq(s->st.expired - before, (uint64_t)(n + 1 - keep));
        for (int i = 0; i < keep; i++)
            cr_assert(a.ev[i].ts == want[i].ts && a.ev[i].base == want[i].base,
                      "round %d event %d", round, i);
        free(a.ev);
    }
    free(s);
}
