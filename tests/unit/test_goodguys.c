/*
 * test_goodguys.c: the good-guy list (screen.h) and the rule set's
 * `sanctions:` thresholds, alone and through the screener: rows found by
 * account and by normalised name, suppressed hits kept in the alert but
 * scoring nothing, the manifest count, per-list and per-kind bars, and
 * bad files stopping with file:line; free-text screening of purpose and
 * addresses for list names and sanctioned places.  The snapshot is compiled once per
 * test process from the bundled list sources, as in test_sanctions.c.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "txs/emit.h"
#include "txs/screen.h"

static const char *const SRCS[] = {TXS_SOURCE_DIR "/samples/lists/ofac-sdn-2021-07-07",
                                   TXS_SOURCE_DIR "/samples/lists/un-consolidated-2026-02-27.xml"};

static void *img;
static txs_lists *L;
static char dir[64];

static void setup(void)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    size_t n = 0;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    for (size_t i = 0; i < 2; i++) cr_assert_eq(txs_lists_builder_add(b, SRCS[i], &d), 0, "%s", d.msg);
    cr_assert_eq(txs_lists_builder_image(b, &img, &n, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    cr_assert_eq(txs_lists_open_mem(img, n, &L, &d), 0, "%s", d.msg);
    snprintf(dir, sizeof dir, "/tmp/txs-gg-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    txs_lists_free(L);
    free(img);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(goodguys, .init = setup, .fini = teardown, .timeout = 120);

/* Write text to dir/name; returns the path (static buffer per call site). */
static const char *put(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static txs_slice S(const char *z) { return (txs_slice){z, strlen(z)}; }

/* ------------------------------------------------------------ the file */

Test(goodguys, finds_rows_by_account_and_normalised_name)
{
    char p[128];
    txs_goodguys *g;
    txs_diag d = {{0}, 0, {0}};
    put("gg.csv", "party,entry_id,note\r\nACC-2,OFAC-SDN:36,case 17\r\n"
                  "\"AEROCARIBBEAN  Airlines.\",OFAC-SDN:36,\"said \"\"ok\"\"\"\r\n",
        p, sizeof p);
    cr_assert_eq(txs_goodguys_load(p, &g, &d), 0, "%s", d.msg);
    cr_assert_eq(txs_goodguys_count(g), 2);
    const txs_goodguy *r = txs_goodguys_find(g, S("ACC-2"), S(""), S("OFAC-SDN:36"));
    cr_assert_not_null(r);
    cr_assert_eq(r->note.n, 7);
    cr_assert(memcmp(r->note.p, "case 17", 7) == 0);
    cr_assert_null(txs_goodguys_find(g, S("ACC-2"), S(""), S("OFAC-SDN:37")));
    cr_assert_null(txs_goodguys_find(g, S("acc-2"), S(""), S("OFAC-SDN:36")));
    r = txs_goodguys_find(g, S("X"), S("aerocaribbean airlines"), S("OFAC-SDN:36"));
    cr_assert_not_null(r);
    cr_assert(memcmp(r->note.p, "said \"ok\"", 9) == 0);
    txs_goodguys_free(g);
}

static void bad_file(const char *text, const char *want, unsigned long line)
{
    char p[128];
    txs_goodguys *g = (txs_goodguys *)1;
    txs_diag d = {{0}, 0, {0}};
    put("bad.csv", text, p, sizeof p);
    cr_assert_eq(txs_goodguys_load(p, &g, &d), TXS_E_CONFIG, "%s", text);
    cr_assert_null(g);
    cr_assert_eq(d.line, line, "%s: line %lu (%s)", text, d.line, d.msg);
    cr_assert(strstr(d.msg, want) != NULL, "%s: %s", text, d.msg);
    cr_assert(strstr(d.file, "bad.csv") != NULL);
}

Test(goodguys, bad_files_stop_with_file_and_line)
{
    bad_file("", "empty file", 1);
    bad_file("party,entry\n", "header", 1);
    bad_file("party,entry_id\nA,B,C\n", "expected 2 fields", 2);
    bad_file("party,entry_id,note\n\nA,B\n,C\n", "empty party", 4);
    bad_file("party,entry_id\nA,\n", "empty entry_id", 2);
    bad_file("party,entry_id\n\"A,B\n", "unterminated", 2);
    bad_file("party,entry_id\nA,B\nA,B\n", "duplicate of line 2", 3);
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

#define HDR "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country," \
            "orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,"      \
            "bene_address,purpose\n"

/* S1: cleared by account.  S2: cleared by name, but an IR corridor (the
 * payer's country) alerts, so the suppressed hit shows.  S3: the same
 * entity for another party.  The beneficiaries carry no country, so no
 * country qualifier moves their scores (docs/matching.md). */
static const char CSV[] = HDR
    "S1,2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,US,,,ACC-2,Aero Caribean Airline,,,,x\n"
    "S2,2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,IR,,,B9,AEROCARIBBEAN AIRLINES,,,,x\n"
    "S3,2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,US,,,B3,Aero Caribean Airline,,,,x\n";

typedef struct feed {
    const char *p;
    size_t n, at;
} feed;

static ssize_t feed_read(void *ctx, void *buf, size_t cap)
{
    feed *f = ctx;
    size_t k = f->n - f->at < cap ? f->n - f->at : cap;
    memcpy(buf, f->p + f->at, k);
    f->at += k;
    return (ssize_t)k;
}

static mem screen_csv(const char *csv, const txs_goodguys *g, const char *rules,
                      txs_screen_stats *st, double th)
{
    txs_profile *prof;
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    mem out = {NULL, 0};
    cr_assert_eq(txs_profile_load("native", &prof, &d), 0);
    if (rules) cr_assert_eq(txs_ruleset_load(rules, &rs, &d), 0, "%s", d.msg);
    const txs_lists *ls[1] = {L};
    txs_screen_opts o = {.profile = prof, .format = -1, .alerts = sink, .alerts_ctx = &out,
                         .lists = ls, .nlists = 1, .rules = rs, .good_guys = g,
                         .sanctions_threshold = th};
    txs_screener *s;
    txs_source *src;
    cr_assert_eq(txs_screener_create(&o, &s), 0);
    feed f = {csv, strlen(csv), 0};
    cr_assert_eq(txs_source_open_fn(feed_read, &f, "t.csv", &src), 0);
    cr_assert_eq(txs_screener_feed(s, src, &d), 0, "%s", d.msg);
    *st = *txs_screener_stats(s);
    st->alerts_by_rule = NULL, st->sources = NULL, st->nsources = 0, st->nrules = 0;
    txs_source_free(src);
    txs_screener_free(s);
    txs_ruleset_free(rs);
    txs_profile_free(prof);
    return out;
}

static mem screen(const txs_goodguys *g, const char *rules, txs_screen_stats *st, double th)
{
    return screen_csv(CSV, g, rules, st, th);
}

static txs_goodguys *load_gg(void)
{
    char p[128];
    txs_goodguys *g;
    txs_diag d = {{0}, 0, {0}};
    put("gg.csv", "party,entry_id,note\nACC-2,OFAC-SDN:36,case 17\n"
                  "Aerocaribbean Airlines,OFAC-SDN:36,case 18\n", p, sizeof p);
    cr_assert_eq(txs_goodguys_load(p, &g, &d), 0, "%s", d.msg);
    return g;
}

Test(goodguys, suppressed_hits_stay_visible_and_score_nothing)
{
    txs_goodguys *g = load_gg();
    txs_screen_stats st;
    mem a = screen(g, "default", &st, 0);
    cr_assert_not_null(a.p);
    cr_assert(strstr(a.p, "\"txn_id\":\"S1\"") == NULL, "%s", a.p);
    const char *s2 = strstr(a.p, "\"txn_id\":\"S2\"");
    cr_assert_not_null(s2, "%s", a.p);
    cr_assert(strstr(s2, "\"suppressed\":true,\"suppressed_by\":{\"party\":\"Aerocaribbean "
                         "Airlines\",\"entry_id\":\"OFAC-SDN:36\",\"note\":\"case 18\"}") != NULL,
              "%s", s2);
    /* Only the corridors score: FATF black 0.60 and EU high-risk 0.35. */
    cr_assert(strstr(s2, "\"score\":74,\"band\":\"review\"") != NULL, "%s", s2);
    const char *s3 = strstr(a.p, "\"txn_id\":\"S3\"");
    cr_assert_not_null(s3);
    cr_assert(strstr(s3, "suppressed") == NULL);
    cr_assert_eq(st.sanctions_hits, 3);
    cr_assert_eq(st.sanctions_suppressed, 2);
    cr_assert_eq(st.sanctions_txns, 1);
    cr_assert_eq(st.sanctions_alerts, 1);
    free(a.p);
    txs_goodguys_free(g);
}

Test(goodguys, manifest_counts_suppressed_hits)
{
    txs_goodguys *g = load_gg();
    txs_screen_stats st;
    mem a = screen(g, NULL, &st, 0);
    const txs_lists *ls[1] = {L};
    const char *paths[1] = {"x.snap"};
    txs_manifest_info mi = {.command = "c", .profile = "native", .rules_spec = "none",
                            .lists = ls, .list_paths = paths, .nlists = 1,
                            .sanctions_threshold = 0.85, .good_guys_path = "gg.csv",
                            .alerts_path = "-", .started_utc = "2026-01-01T00:00:00Z"};
    txs_buf b = {0};
    cr_assert_eq(txs_screen_manifest_write(&b, &mi, &st), 0);
    cr_assert(strstr(b.p, "\"sanctions_suppressed\": 2,") != NULL, "%s", b.p);
    cr_assert(strstr(b.p, "\"good_guys\": \"gg.csv\"") != NULL);
    txs_buf_free(&b);
    free(a.p);
    txs_goodguys_free(g);
}

/* ------------------------------------------------------------ thresholds */

static const char RS_HEAD[] = "ruleset: t\nversion: \"1\"\nscoring:\n  method: noisy_or\n"
                              "  bands: {edd: 25, review: 50, block: 80}\nrules: []\n";

static const char *ruleset(const char *sanctions, char *p, size_t cap)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", RS_HEAD, sanctions);
    return put("rs.yaml", text, p, cap);
}

Test(goodguys, per_list_threshold_overrides_the_name_bar)
{
    char p[128];
    txs_screen_stats st;
    mem a = screen(NULL, ruleset("sanctions:\n  lists: {OFAC-SDN: 0.99}\n", p, sizeof p), &st, 0);
    cr_assert_eq(st.sanctions_hits, 1, "only the exact S2 name passes 0.99");
    free(a.p);
    a = screen(NULL, ruleset("sanctions:\n  lists: {UN: 0.99}\n", p, sizeof p), &st, 0);
    cr_assert_eq(st.sanctions_hits, 3);
    free(a.p);
}

Test(goodguys, kind_threshold_and_cli_override)
{
    char p[128];
    txs_screen_stats st;
    mem a = screen(NULL, ruleset("sanctions:\n  kinds: {name: 1.0, identifier: 0.99}\n", p,
                                 sizeof p), &st, 0);
    cr_assert_eq(st.sanctions_hits, 1);
    free(a.p);
    a = screen(NULL, p, &st, 0.85); /* the CLI's value replaces kinds.name */
    cr_assert_eq(st.sanctions_hits, 3);
    free(a.p);
}

static void bad_rules(const char *sanctions, const char *want, unsigned long line)
{
    char p[128];
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_ruleset_load(ruleset(sanctions, p, sizeof p), &rs, &d), TXS_E_CONFIG);
    cr_assert_null(rs);
    cr_assert_eq(d.line, line, "%s: line %lu (%s)", sanctions, d.line, d.msg);
    cr_assert(strstr(d.msg, want) != NULL, "%s", d.msg);
}

Test(goodguys, bad_sanctions_section_names_the_line)
{
    bad_rules("sanctions:\n  thresold: 0.9\n", "unknown key 'thresold'", 8);
    bad_rules("sanctions:\n  threshold: 0\n", "above 0", 8);
    bad_rules("sanctions:\n  lists: {UN: 1.5}\n", "sanctions lists UN", 8);
    bad_rules("sanctions:\n  kinds: {names: 0.9}\n", "unknown key 'names'", 8);
    bad_rules("sanctions:\n  threshold: 0.9\n  kinds: {name: 0.8}\n", "contradicts", 9);
    bad_rules("sanctions: 3\n", "must be a map", 7);
}

/* ------------------------------------------------- free text and places */

#define ROW(id, addr, purpose) \
    id ",2026-03-01T10:00:00Z,10.00,USD,wire,A1,Jane Doe,US,,\"" addr "\",B1,John Roe,US,,,\"" purpose "\"\n"

static const char TEXT_CSV[] = HDR
    ROW("T1", "", "payment for AEROCARIBBEAN AIRLINES tickets")
    ROW("T2", "", "apple pie")
    ROW("T3", "", "Sevastopol port fees")
    ROW("T4", "ул. Ленина 5, Севастополь", "invoice 42")
    ROW("T5", "12 Main St, Springfield", "airlines tickets and bank charges for trading company")
    ROW("T6", "Donetskiy pereulok 3", "Crimean cuisine; Sebastopol CA winery");

static const char *text_rules(const char *extra, char *p, size_t cap)
{
    char text[1024];
    snprintf(text, sizeof text,
             "sanctions:\n  free_text: true\n  places: {file: %s/rules/places/"
             "sanctioned-places-2026.yaml}\n%s", TXS_SOURCE_DIR, extra);
    return ruleset(text, p, cap);
}

/* The alert line of txn id, or NULL. */
static const char *alert_of(const char *out, const char *id)
{
    char key[32];
    snprintf(key, sizeof key, "{\"txn_id\":\"%s\"", id);
    return out ? strstr(out, key) : NULL;
}

static int line_has(const char *line, const char *what)
{
    const char *nl = line ? strchr(line, '\n') : NULL;
    const char *at = line ? strstr(line, what) : NULL;
    return at && at < nl;
}

Test(goodguys, free_text_finds_list_names_and_places)
{
    char p[256];
    txs_screen_stats st;
    mem a = screen_csv(TEXT_CSV, NULL, text_rules("", p, sizeof p), &st, 0);
    const char *t1 = alert_of(a.p, "T1"), *t3 = alert_of(a.p, "T3"), *t4 = alert_of(a.p, "T4");
    cr_assert(line_has(t1, "\"rule\":\"sanctions_text\",\"score\":1,"), "%s", a.p);
    cr_assert(line_has(t1, "\"entry_id\":\"OFAC-SDN:36\""));
    cr_assert(line_has(t1, "\"field\":\"purpose\""));
    cr_assert(line_has(t3, "\"rule\":\"sanctioned_place\",\"score\":1,\"weight\":1,"
                           "\"place\":\"Sevastopol\",\"field\":\"purpose\""), "%s", a.p);
    cr_assert(line_has(t3, "\"source\":\"Council Regulation (EU) No 692/2014"));
    cr_assert(line_has(t4, "\"place\":\"Sevastopol\",\"field\":\"orig_address\""), "%s", a.p);
    /* Benign text, common list words, and longer words or other places
     * that merely contain a place name: nothing. */
    cr_assert_null(alert_of(a.p, "T2"));
    cr_assert_null(alert_of(a.p, "T5"), "%s", a.p);
    cr_assert_null(alert_of(a.p, "T6"), "%s", a.p);
    free(a.p);
}

Test(goodguys, text_bar_and_places_weight_come_from_the_rule_set)
{
    char p[256];
    txs_screen_stats st;
    mem a = screen_csv(TEXT_CSV, NULL,
                       text_rules("  kinds: {text: 1.0}\n  weight: 0.5\n", p, sizeof p), &st, 0);
    /* T3's window "sevastopol port" scores 0.97 against PORT OF SEVASTOPOL:
     * under a text bar of 1.0 only the place hit is left. */
    const char *t3 = alert_of(a.p, "T3");
    cr_assert(line_has(t3, "sanctioned_place"), "%s", a.p);
    cr_assert(!line_has(t3, "sanctions_text"), "%s", a.p);
    cr_assert(line_has(alert_of(a.p, "T1"), "sanctions_text"));
    cr_assert(line_has(t3, "\"score\":50,\"band\":\"review\""), "%s", t3);
    free(a.p);
}

Test(goodguys, places_off_unless_the_rule_set_names_a_file)
{
    char p[256];
    txs_screen_stats st;
    mem a = screen_csv(TEXT_CSV, NULL, ruleset("sanctions:\n  free_text: false\n", p, sizeof p),
                       &st, 0);
    cr_assert_null(a.p);
    cr_assert_eq(st.sanctions_hits, 0);
}

Test(goodguys, bad_places_file_names_its_line)
{
    char pf[128], p[256];
    txs_ruleset *rs = NULL;
    txs_diag d = {{0}, 0, {0}};
    put("pl.yaml", "name: x\nplaces:\n  - place: Crimea\n    variants: [Crimea]\n"
                   "    source: EO 13685\n    date: \"2014\"\n", pf, sizeof pf);
    char text[512];
    snprintf(text, sizeof text, "sanctions:\n  places: {file: pl.yaml}\n");
    cr_assert_eq(txs_ruleset_load(ruleset(text, p, sizeof p), &rs, &d), TXS_E_CONFIG);
    cr_assert(strstr(d.file, "pl.yaml") != NULL, "%s", d.file);
    cr_assert_eq(d.line, 6, "%lu %s", d.line, d.msg);
    cr_assert(strstr(d.msg, "YYYY-MM-DD") != NULL, "%s", d.msg);
    put("pl.yaml", "name: x\nplaces:\n  - place: Crimea\n    variant: [Crimea]\n", pf, sizeof pf);
    cr_assert_eq(txs_ruleset_load(p, &rs, &d), TXS_E_CONFIG);
    cr_assert_eq(d.line, 4, "%lu %s", d.line, d.msg);
    cr_assert(strstr(d.msg, "unknown key 'variant'") != NULL, "%s", d.msg);
}
