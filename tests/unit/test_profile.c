/*
 * test_profile.c: profiles (engine/src/parse): loading the built-ins and
 * user files, every configuration error with its FILE:LINE, binding against
 * headers, txs_parse_record on hand-made records (good rows, each reject
 * reason, rounding), and the three real exports in /work/shared/data/aml read
 * end to end through the real reader.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "txs/input.h"
#include "txs/parse.h"
#include "txs/values.h"

#define AML_DIR TXS_SOURCE_DIR "/tests/fixtures/aml/"

/* ------------------------------------------------------------ helpers */

/* Write text to a fresh temporary file; returns its path (static buffer
 * per call site is not needed: the caller owns the returned malloc'd path). */
static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/txs_profile_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t n = strlen(text);
    cr_assert_eq(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static txs_profile *load_text(const char *text, txs_diag *d, int *rc, char **path_out)
{
    char *path = write_temp(text);
    txs_profile *p = NULL;
    *rc = txs_profile_load(path, &p, d);
    if (path_out) *path_out = path;
    else {
        unlink(path);
        free(path);
    }
    return p;
}

static txs_profile *load_ok(const char *spec)
{
    txs_profile *p = NULL;
    txs_diag d = {0};
    int rc = txs_profile_load(spec, &p, &d);
    cr_assert_eq(rc, 0, "%s: %s:%lu: %s", spec, d.file, d.line, d.msg);
    return p;
}

/* Split "a,b,c" (no quoting) into slices over a copy kept in buf. */
static size_t split(const char *line, char *buf, size_t cap, txs_slice *f, size_t maxf)
{
    size_t n = strlen(line), nf = 0, start = 0;
    cr_assert_lt(n, cap);
    memcpy(buf, line, n + 1);
    for (size_t i = 0; i <= n && nf < maxf; i++) {
        if (i == n || buf[i] == ',') {
            f[nf++] = (txs_slice){buf + start, i - start};
            start = i + 1;
        }
    }
    return nf;
}

typedef struct fixture {
    txs_profile *p;
    txs_binding *b;
    txs_arena arena;
    char hbuf[1024], rbuf[1024];
    txs_slice hdr[32], fld[32];
    size_t nhdr;
} fixture;

static void fx_bind(fixture *fx, const char *spec, const char *header)
{
    fx->p = load_ok(spec);
    fx->nhdr = header ? split(header, fx->hbuf, sizeof fx->hbuf, fx->hdr, 32) : 0;
    txs_diag d = {0};
    int rc = txs_profile_bind(fx->p, TXS_FMT_CSV, header ? fx->hdr : NULL, fx->nhdr,
                              "dir/export.csv", 7, &fx->b, &d);
    cr_assert_eq(rc, 0, "bind: %s:%lu: %s", d.file, d.line, d.msg);
    txs_arena_init(&fx->arena, 4096);
}

static int fx_parse(fixture *fx, const char *row, txs_txn *t, char *why, size_t cap)
{
    txs_record rec = {0};
    rec.nfields = (uint32_t)split(row, fx->rbuf, sizeof fx->rbuf, fx->fld, 32);
    rec.fields = fx->fld;
    rec.raw = (txs_slice){fx->rbuf, strlen(row)};
    rec.line = 42;
    rec.offset = 1000;
    why[0] = '\0';
    return txs_parse_record(fx->b, &rec, &fx->arena, t, why, cap);
}

static void fx_free(fixture *fx)
{
    txs_binding_free(fx->b);
    txs_profile_free(fx->p);
    txs_arena_free(&fx->arena);
}

static int slice_is(txs_slice s, const char *want)
{
    return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

#define NATIVE_HDR                                                                    \
    "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,"   \
    "orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,"           \
    "bene_address,purpose"

/* ------------------------------------------------------------ loading */

Test(profile, loads_each_builtin)
{
    static const char *const names[] = {"native", "amlworld", "saml-d"};
    for (size_t i = 0; i < TXS_ARRAY_LEN(names); i++) {
        txs_profile *p = load_ok(names[i]);
        cr_assert_str_eq(txs_profile_name(p), names[i]);
        cr_assert_eq(txs_profile_format(p), TXS_FMT_CSV);
        txs_reader_opts o;
        cr_assert_eq(txs_profile_reader_opts(p, TXS_FMT_CSV, &o), 0);
        cr_assert_eq(o.delimiter, ',');
        cr_assert_eq(o.quote, '"');
        cr_assert_eq(o.header, 1);
        txs_profile_free(p);
    }
}

Test(profile, native_reads_jsonl_with_the_canonical_keys)
{
    txs_profile *p = load_ok("native");
    txs_reader_opts o;
    cr_assert_eq(txs_profile_reader_opts(p, TXS_FMT_JSONL, &o), 0);
    cr_assert_eq(o.format, TXS_FMT_JSONL);
    cr_assert_eq(o.nkeys, 16);
    cr_assert_str_eq(o.keys[0], "txn_id");
    cr_assert_str_eq(o.keys[15], "purpose");
    txs_profile_free(p);
}

Test(profile, loads_the_sample_user_profile)
{
    txs_profile *p = load_ok(TXS_SOURCE_DIR "/samples/profiles/amlworld-reshaped.yaml");
    cr_assert_str_eq(txs_profile_name(p), "amlworld-reshaped");
    txs_profile_free(p);
}

Test(profile, unknown_spec_names_the_builtins)
{
    txs_profile *p = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_load("nosuch", &p, &d), TXS_E_CONFIG);
    cr_assert_null(p);
    cr_assert(strstr(d.msg, "(built-in: amlworld, native, saml-d)"), "%s", d.msg);
    /* a missing file is configuration too (exit 3), naming the file */
    cr_assert_eq(txs_profile_load("/nonexistent/p.yaml", &p, &d), TXS_E_CONFIG);
    cr_assert_str_eq(d.file, "/nonexistent/p.yaml");
}

Test(profile, free_accepts_null)
{
    txs_profile_free(NULL);
    txs_binding_free(NULL);
}

/* Bad profiles: the YAML, the line of the mistake, a piece of the message.
 * Criterion runs each case in a fresh process: keep the text inline. */
typedef struct bad_profile {
    char yaml[400];
    unsigned long line;
    char msg[96];
} bad_profile;

#define HEAD "profile: t\n"
#define CORE                                                                      \
    "  txn_id: {column: id}\n  timestamp: {column: ts}\n  amount: {column: amt}\n" \
    "  currency: {column: cur}\n"

ParameterizedTestParameters(profile, refuses_bad_profiles)
{
    static bad_profile cases[] = {
        {HEAD "colour: red\nfields:\n" CORE, 2,
         "unknown key 'colour' in the profile (expected one of: profile, description"},
        {HEAD "fields:\n" CORE "  payee: {column: x}\n", 7,
         "unknown key 'payee' in fields (canonical field names)"},
        {HEAD "fields:\n  txn_id: {column: id}\n  timestamp: {column: ts}\n"
              "  amount: {column: amt}\n",
         2, "fields must map currency"},
        {HEAD "fields:\n  txn_id: {column: id\n", 4, "YAML syntax error"},
        {HEAD "fields:\n" CORE "  channel: {column: c, colum: d}\n", 7,
         "unknown key 'colum' in field channel"},
        {HEAD "fields:\n" CORE "  purpose: {column: c, index: 3}\n", 7,
         "field purpose has both column: and index:"},
        {HEAD "fields:\n" CORE "  channel: {column: c, map: {W: wire, X: teleport}}\n", 7,
         "'teleport' is not a channel"},
        {HEAD "fields:\n" CORE "  purpose: {generate: line}\n", 7,
         "generate: line is only for txn_id"},
        {HEAD "csv: {header: false}\nfields:\n" CORE, 4,
         "field txn_id names columns, but csv.header is false"},
        {HEAD "timezone: CET\nfields:\n" CORE, 2, "timezone must look like +01:00"},
        {HEAD "amount_rounding: up\nfields:\n" CORE, 2,
         "amount_rounding must be reject or half_even"},
        {HEAD "csv: {delimiter: \"::\"}\nfields:\n" CORE, 2,
         "csv.delimiter must be one ASCII character"},
        {HEAD "fields:\n" CORE "  purpose: {column: p, required: maybe}\n", 7,
         "required must be true or false"},
        {HEAD "fields:\n  txn_id: {column: id, required: false}\n  timestamp: {column: ts}\n"
              "  amount: {column: amt}\n  currency: {column: cur}\n",
         3, "txn_id is always required"},
        {HEAD "fields:\n" CORE "  timestamp: {column: t2}\n", 7, "duplicate key 'timestamp'"},
        {"fields:\n" CORE, 1, "missing key 'profile'"},
        {HEAD "fields:\n" CORE "  orig_country: {column: c, map: {X: Atlantis}}\n", 7,
         "'Atlantis' is not a known country"},
        {HEAD "fields:\n" CORE "  purpose: {column: p, occurrence: 0}\n", 7,
         "occurrence counts from 1"},
        {"- just\n- a list\n", 1, "a profile must be a YAML map"},
        {HEAD "patterns:\n  iban: '^[A-Z]{2}\\d{2}'\n  acct: '^AC(\\d+$'\nfields:\n" CORE, 4,
         "pattern 'acct': PCRE2 error at offset 8: missing closing parenthesis"},
        {HEAD "patterns:\n  x: 'a{2,1}'\nfields:\n" CORE, 3,
         "pattern 'x': PCRE2 error at offset 5: numbers out of order"},
        {HEAD "patterns: {x: a}\nfields:\n" CORE "  purpose: {column: p, pattern: y}\n", 8,
         "field purpose: no pattern named 'y' under patterns:"},
        {HEAD "patterns: {x: a}\nfields:\n" CORE "  purpose: {value: v, pattern: x}\n", 8,
         "field purpose: pattern goes with column:"},
        {HEAD "patterns: []\nfields:\n" CORE, 2, "patterns must be a map"},
    };
    return cr_make_param_array(bad_profile, cases, TXS_ARRAY_LEN(cases));
}

ParameterizedTest(bad_profile *c, profile, refuses_bad_profiles)
{
    txs_diag d = {0};
    int rc;
    char *path = NULL;
    txs_profile *p = load_text(c->yaml, &d, &rc, &path);
    cr_assert_lt(rc, 0, "accepted:\n%s", c->yaml);
    cr_assert_null(p);
    cr_assert_str_eq(d.file, path);
    cr_assert_eq(d.line, c->line, "line %lu, want %lu: %s", d.line, c->line, d.msg);
    cr_assert(strstr(d.msg, c->msg), "message '%s' lacks '%s'", d.msg, c->msg);
    unlink(path);
    free(path);
}

/* ------------------------------------------------------------ binding */

Test(profile, bind_names_the_missing_column_and_the_header)
{
    txs_profile *p = load_ok("amlworld");
    txs_slice hdr[] = {TXS_SLICE_LIT("a"), TXS_SLICE_LIT("b"), TXS_SLICE_LIT("c")};
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_CSV, hdr, 3, "x/FILE.csv", 0, &b, &d), TXS_E_CONFIG);
    cr_assert_null(b);
    cr_assert_str_eq(d.file, "builtin:profiles/amlworld.yaml");
    cr_assert_gt(d.line, 0);
    cr_assert_str_eq(d.msg, "profile 'amlworld' maps timestamp to column 'Timestamp', which "
                            "the header of x/FILE.csv does not have (header: a, b, c)");
    txs_profile_free(p);
}

Test(profile, bind_reports_a_missing_second_occurrence)
{
    txs_profile *p = load_ok("amlworld");
    char buf[256];
    txs_slice hdr[16];
    size_t n = split("Timestamp,From Bank,Account,To Bank,Amount Paid,Payment Currency,"
                     "Payment Format",
                     buf, sizeof buf, hdr, 16);
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_CSV, hdr, n, "f.csv", 0, &b, &d), TXS_E_CONFIG);
    cr_assert(strstr(d.msg, "maps bene_account to column 'Account' (occurrence 2)"), "%s", d.msg);
    txs_profile_free(p);
}

Test(profile, bind_trims_and_falls_back_to_any_case)
{
    fixture fx;
    fx_bind(&fx, "native",
            " TXN_ID ,Timestamp,amount,CURRENCY,channel,orig_account,orig_name,orig_country,"
            "orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,"
            "bene_address,purpose");
    txs_txn t;
    char why[256];
    cr_assert_eq(fx_parse(&fx, "T1,2026-03-01T10:00:00Z,12.50,USD,wire,A,,,,,B,,,,,", &t, why,
                          sizeof why),
                 0, "%s", why);
    cr_assert(slice_is(t.txn_id, "T1"));
    cr_assert_eq(t.amount, 1250);
    fx_free(&fx);
}

Test(profile, jsonl_binds_keys_by_position)
{
    txs_profile *p = load_ok("native");
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_JSONL, NULL, 0, "in.jsonl", 0, &b, &d), 0, "%s",
                 d.msg);
    txs_slice f[16] = {TXS_SLICE_LIT("J1"), TXS_SLICE_LIT("2026-03-01 10:00:00"),
                       TXS_SLICE_LIT("100"), TXS_SLICE_LIT("EUR")};
    txs_record rec = {.nfields = 16, .fields = f, .line = 3};
    txs_arena a;
    txs_arena_init(&a, 1024);
    txs_txn t;
    char why[200] = "";
    cr_assert_eq(txs_parse_record(b, &rec, &a, &t, why, sizeof why), 0, "%s", why);
    cr_assert(slice_is(t.txn_id, "J1"));
    cr_assert_eq(t.amount, 10000);
    cr_assert_eq(t.ts, 1772359200);
    cr_assert_eq(t.orig.account.n, 0);
    cr_assert_eq(t.orig.country[0], 0);
    txs_arena_free(&a);
    txs_binding_free(b);
    txs_profile_free(p);
}

/* ------------------------------------------------------------ parsing */

Test(profile, native_row_maps_every_field)
{
    fixture fx;
    fx_bind(&fx, "native", NATIVE_HDR);
    txs_txn t;
    char why[256];
    int rc = fx_parse(&fx,
                      "T42,2026-03-01T10:00:00+01:00,-1234.50,eur,wire,ACC-1,Ann Smith,DE,"
                      "DEUTDEFFXXX,Main St 1,ACC-2,Bob Jones,fr,BNPAFRPP,Rue 2,invoice 7",
                      &t, why, sizeof why);
    cr_assert_eq(rc, 0, "%s", why);
    cr_assert(slice_is(t.txn_id, "T42"));
    cr_assert_eq(t.ts, 1772355600);
    cr_assert_eq(t.amount, -123450);
    cr_assert_str_eq(txs_currency_get(t.currency)->code, "EUR");
    cr_assert_eq(t.channel, TXS_CH_WIRE);
    cr_assert(slice_is(t.orig.account, "ACC-1"));
    cr_assert(slice_is(t.orig.name, "Ann Smith"));
    cr_assert_eq(memcmp(t.orig.country, "DE", 2), 0);
    cr_assert(slice_is(t.orig.bank, "DEUTDEFFXXX"));
    cr_assert_eq(memcmp(t.orig.bank_country, "DE", 2), 0);
    cr_assert_eq(memcmp(t.bene.country, "FR", 2), 0);
    cr_assert_eq(memcmp(t.bene.bank_country, "FR", 2), 0);
    cr_assert(slice_is(t.bene.address, "Rue 2"));
    cr_assert(slice_is(t.purpose, "invoice 7"));
    cr_assert_eq(t.file_index, 7);
    cr_assert_eq(t.line, 42);
    cr_assert_eq(t.offset, 1000);
    fx_free(&fx);
}

Test(profile, a_bank_that_is_not_a_bic_has_no_bank_country)
{
    fixture fx;
    fx_bind(&fx, "native", NATIVE_HDR);
    txs_txn t;
    char why[256];
    cr_assert_eq(fx_parse(&fx, "T1,2026-03-01,1,USD,,,,,02117400,,,,,12,,", &t, why, sizeof why),
                 0, "%s", why);
    cr_assert_eq(t.orig.bank_country[0], 0);
    cr_assert_eq(t.channel, TXS_CH_OTHER);
    fx_free(&fx);
}

/* Malformed rows and the reason each must give. */
typedef struct bad_row {
    char row[200];
    char why[120];
} bad_row;

ParameterizedTestParameters(profile, rejects_with_reasons)
{
    static bad_row cases[] = {
        {"T1,2026-03-01,12;3,USD,,,,,,,,,,,,",
         "bad amount in column 'amount': '12;3' ("},
        {"T1,2026-03-01,10.005,USD,,,,,,,,,,,,", "bad amount in column 'amount': '10.005' ("},
        {"T1,2026-13-01,1,USD,,,,,,,,,,,,", "bad timestamp in column 'timestamp': '2026-13-01' ("},
        {"T1,2026-03-01,1,Dogecoin,,,,,,,,,,,,", "unknown currency 'Dogecoin' in column 'currency'"},
        {"T1,2026-03-01,1,USD,,,,Atlantis,,,,,,,,", "unknown country 'Atlantis' in column 'orig_country'"},
        {"T1,2026-03-01,1,USD,teleport,,,,,,,,,,,", "unknown channel 'teleport' in column 'channel'"},
        {",2026-03-01,1,USD,,,,,,,,,,,,", "empty txn_id in column 'txn_id'"},
        {"T1,2026-03-01,,USD,,,,,,,,,,,,", "empty amount in column 'amount'"},
        {"T1,2026-03-01,1,USD", "expected at least 16 fields, found 4"},
        {"T1,2026-03-01,1,USD,,,,,,,,,,,,0123456789012345678901234567890123456789abcdef",
         ""},
        {"T1,2026-03-01,1,0123456789012345678901234567890123456789abcdef,,,,,,,,,,,,",
         "unknown currency '0123456789012345678901234567890123456789...' in column 'currency'"},
    };
    return cr_make_param_array(bad_row, cases, TXS_ARRAY_LEN(cases));
}

ParameterizedTest(bad_row *c, profile, rejects_with_reasons)
{
    fixture fx;
    fx_bind(&fx, "native", NATIVE_HDR);
    txs_txn t;
    char why[256];
    int rc = fx_parse(&fx, c->row, &t, why, sizeof why);
    if (c->why[0] == '\0') {
        cr_assert_eq(rc, 0, "%s", why); /* a long purpose is fine: text is not checked */
    } else {
        cr_assert_eq(rc, TXS_E_FORMAT, "accepted: %s", c->row);
        cr_assert(strncmp(why, c->why, strlen(c->why)) == 0, "reason '%s', want '%s'", why,
                  c->why);
    }
    fx_free(&fx);
}

Test(profile, reasons_cut_long_values_on_a_character_boundary)
{
    fixture fx;
    fx_bind(&fx, "native", NATIVE_HDR);
    txs_txn t;
    char why[256];
    /* 39 ASCII bytes then a 2-byte character straddling byte 40. */
    int rc = fx_parse(&fx,
                      "T1,2026-03-01,1,"
                      "012345678901234567890123456789012345678\xC3\xA9xyz,,,,,,,,,,,,",
                      &t, why, sizeof why);
    cr_assert_eq(rc, TXS_E_FORMAT);
    cr_assert_str_eq(why, "unknown currency '012345678901234567890123456789012345678...' "
                          "in column 'currency'");
    fx_free(&fx);
}

/* pattern: checks the value as written (before the map), anywhere in it
 * unless anchored; an empty optional value is not checked; the reason
 * names the field, value, column and pattern. */
Test(profile, column_patterns_reject_values_that_do_not_match)
{
    static const char *const text =
        "profile: checked\n"
        "patterns:\n"
        "  iban: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'\n"
        "  invoice: '(?i)inv(oice)?[ -]?\\d+'\n"
        "  wire_code: '^(W|T)$'\n"
        "fields:\n"
        "  txn_id: {column: id}\n  timestamp: {column: ts}\n  amount: {column: amt}\n"
        "  currency: {column: cur}\n"
        "  channel: {column: ch, map: {W: wire, T: wire}, default: other, pattern: wire_code}\n"
        "  bene_account: {column: acct, pattern: iban}\n"
        "  purpose: {column: text, pattern: invoice}\n";
    txs_diag d = {0};
    int rc;
    fixture fx = {0};
    fx.p = load_text(text, &d, &rc, NULL);
    cr_assert_eq(rc, 0, "%s:%lu: %s", d.file, d.line, d.msg);
    fx.nhdr = split("id,ts,amt,cur,ch,acct,text", fx.hbuf, sizeof fx.hbuf, fx.hdr, 32);
    cr_assert_eq(txs_profile_bind(fx.p, TXS_FMT_CSV, fx.hdr, fx.nhdr, "x.csv", 0, &fx.b, &d), 0);
    txs_arena_init(&fx.arena, 4096);
    txs_txn t;
    char why[256];
    cr_assert_eq(fx_parse(&fx, "T1,2026-03-01,1,EUR,W,DE89370400440532013000,paid INVOICE 77",
                          &t, why, sizeof why), 0, "%s", why);
    cr_assert(slice_is(t.purpose, "paid INVOICE 77"));
    cr_assert_eq(t.channel, TXS_CH_WIRE);
    cr_assert_eq(fx_parse(&fx, "T2,2026-03-01,1,EUR,,,inv-5", &t, why, sizeof why), 0, "%s",
                 why);
    cr_assert_eq(fx_parse(&fx, "T3,2026-03-01,1,EUR,W,de89370400440532013000,inv 1", &t, why,
                          sizeof why), TXS_E_FORMAT);
    cr_assert_str_eq(why, "bene_account 'de89370400440532013000' in column 'acct' does not "
                          "match the profile's pattern 'iban'");
    cr_assert_eq(fx_parse(&fx, "T4,2026-03-01,1,EUR,W,,salary", &t, why, sizeof why),
                 TXS_E_FORMAT);
    cr_assert_str_eq(why, "purpose 'salary' in column 'text' does not match the profile's "
                          "pattern 'invoice'");
    /* The map would turn X into other; the pattern sees X first. */
    cr_assert_eq(fx_parse(&fx, "T5,2026-03-01,1,EUR,X,,inv 2", &t, why, sizeof why),
                 TXS_E_FORMAT);
    cr_assert_str_eq(why, "channel 'X' in column 'ch' does not match the profile's pattern "
                          "'wire_code'");
    fx_free(&fx);
}

/* A profile exercising maps, defaults, constants, generated ids and
 * index: columns of a header-less file with a comma decimal separator. */
static txs_profile *bank_x(void)
{
    static const char *const text =
        "profile: bank-x\n"
        "description: a fictional bank's semicolon export without a header\n"
        "csv: {delimiter: \";\", header: false}\n"
        "amount_format: {decimal: \",\", group: \".\"}\n"
        "amount_rounding: half_even\n"
        "timezone: \"+02:00\"\n"
        "fields:\n"
        "  txn_id: {generate: line}\n"
        "  timestamp: {index: 0, layout: \"%d.%m.%Y %H:%M\"}\n"
        "  amount: {index: 1}\n"
        "  currency: {index: 2, map: {Euro: EUR}, unmapped: keep}\n"
        "  channel: {index: 3, map: {UEB: wire, BAR: cash}}\n"
        "  orig_account: {index: 4}\n"
        "  orig_country: {index: 5, default: DE}\n"
        "  bene_account: {index: 6, required: true}\n"
        "  purpose: {value: salary}\n";
    txs_diag d = {0};
    int rc;
    txs_profile *p = load_text(text, &d, &rc, NULL);
    cr_assert_eq(rc, 0, "%s:%lu: %s", d.file, d.line, d.msg);
    return p;
}

static int parse_x(txs_binding *b, txs_arena *a, const char *row, txs_txn *t, char *why)
{
    char buf[256];
    txs_slice f[16];
    size_t n = strlen(row), nf = 0, start = 0;
    memcpy(buf, row, n + 1);
    for (size_t i = 0; i <= n; i++)
        if (i == n || buf[i] == ';') f[nf++] = (txs_slice){buf + start, i - start}, start = i + 1;
    txs_record rec = {.nfields = (uint32_t)nf, .fields = f, .line = 1234};
    why[0] = '\0';
    return txs_parse_record(b, &rec, a, t, why, 256);
}

Test(profile, header_less_csv_with_maps_defaults_and_generated_ids)
{
    txs_profile *p = bank_x();
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_CSV, NULL, 0, "/in/bank-x.csv", 0, &b, &d), 0);
    txs_arena a;
    txs_arena_init(&a, 1024);
    txs_txn t;
    char why[256];
    cr_assert_eq(parse_x(b, &a, "01.03.2026 12:00;1.234,56;Euro;UEB;DE001;;DE002", &t, why), 0,
                 "%s", why);
    cr_assert(slice_is(t.txn_id, "bank-x.csv:1234"));
    cr_assert_eq(t.ts, 1772359200); /* 12:00 at +02:00 is 10:00Z */
    cr_assert_eq(t.amount, 123456);
    cr_assert_str_eq(txs_currency_get(t.currency)->code, "EUR");
    cr_assert_eq(t.channel, TXS_CH_WIRE);
    cr_assert_eq(memcmp(t.orig.country, "DE", 2), 0);
    cr_assert(slice_is(t.purpose, "salary"));
    /* An unmapped currency is looked up as written. */
    cr_assert_eq(parse_x(b, &a, "01.03.2026 12:00;5;CHF;BAR;A;FR;B", &t, why), 0, "%s", why);
    cr_assert_str_eq(txs_currency_get(t.currency)->code, "CHF");
    cr_assert_eq(t.channel, TXS_CH_CASH);
    cr_assert_eq(memcmp(t.orig.country, "FR", 2), 0);
    /* Channel map without a default: unmapped values are rejected. */
    cr_assert_eq(parse_x(b, &a, "01.03.2026 12:00;5;CHF;KARTE;A;;B", &t, why), TXS_E_FORMAT);
    cr_assert_str_eq(why, "unmapped channel value 'KARTE' in column '#3' (the profile's map "
                          "has no such entry and no default)");
    /* required: true on an optional field. */
    cr_assert_eq(parse_x(b, &a, "01.03.2026 12:00;5;CHF;BAR;A;;", &t, why), TXS_E_FORMAT);
    cr_assert_str_eq(why, "empty bene_account in column '#6'");
    /* Too few fields for the largest index. */
    cr_assert_eq(parse_x(b, &a, "01.03.2026 12:00;5;CHF", &t, why), TXS_E_FORMAT);
    cr_assert_str_eq(why, "expected at least 7 fields, found 3");
    /* A bad date names the layout. */
    cr_assert_eq(parse_x(b, &a, "2026-03-01;5;CHF;BAR;A;;B", &t, why), TXS_E_FORMAT);
    cr_assert(strstr(why, "bad timestamp in column '#0': '2026-03-01' ("), "%s", why);
    cr_assert(strstr(why, "expected %d.%m.%Y %H:%M)"), "%s", why);
    txs_arena_free(&a);
    txs_binding_free(b);
    txs_profile_free(p);
}

/* amount_rounding: half_even, exactly. */
typedef struct round_case {
    char amount[32];
    char currency[4];
    int64_t want;
} round_case;

ParameterizedTestParameters(profile, rounds_half_even)
{
    static round_case cases[] = {
        {"0,125", "USD", 12},      {"0,135", "USD", 14},      {"0,1251", "USD", 13},
        {"-0,125", "USD", -12},    {"-0,135", "USD", -14},    {"-0,1251", "USD", -13},
        {"892031,21", "JPY", 892031}, {"892031,5", "JPY", 892032}, {"892030,5", "JPY", 892030},
        {"892030,50001", "JPY", 892031}, {"1.000,4999", "JPY", 1000}, {"10,50", "JPY", 10},
        {"0,37", "XBT", 37000000}, {"0,000000015", "XBT", 2}, {"0,000000025", "XBT", 2},
        {"12,3", "USD", 1230},     {"5", "KWD", 5000},        {"0,0005", "KWD", 0},
        {"0,0015", "KWD", 2},
    };
    return cr_make_param_array(round_case, cases, TXS_ARRAY_LEN(cases));
}

ParameterizedTest(round_case *c, profile, rounds_half_even)
{
    txs_profile *p = bank_x();
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_CSV, NULL, 0, "x.csv", 0, &b, &d), 0);
    txs_arena a;
    txs_arena_init(&a, 1024);
    char row[128], why[256];
    snprintf(row, sizeof row, "01.03.2026 12:00;%s;%s;BAR;A;;B", c->amount, c->currency);
    txs_txn t;
    cr_assert_eq(parse_x(b, &a, row, &t, why), 0, "%s: %s", row, why);
    cr_assert_eq(t.amount, c->want, "%s %s -> %lld, want %lld", c->amount, c->currency,
                 (long long)t.amount, (long long)c->want);
    txs_arena_free(&a);
    txs_binding_free(b);
    txs_profile_free(p);
}

Test(profile, rounding_still_rejects_garbage)
{
    txs_profile *p = bank_x();
    txs_binding *b = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_profile_bind(p, TXS_FMT_CSV, NULL, 0, "x.csv", 0, &b, &d), 0);
    txs_arena a;
    txs_arena_init(&a, 1024);
    txs_txn t;
    char why[256];
    static const char *const rows[] = {
        "01.03.2026 12:00;1,2x5;USD;BAR;A;;B", "01.03.2026 12:00;abc;USD;BAR;A;;B",
        "01.03.2026 12:00;1,,25;USD;BAR;A;;B", "01.03.2026 12:00;,;USD;BAR;A;;B"};
    for (size_t i = 0; i < TXS_ARRAY_LEN(rows); i++) {
        cr_assert_eq(parse_x(b, &a, rows[i], &t, why), TXS_E_FORMAT, "accepted %s", rows[i]);
        cr_assert(strstr(why, "bad amount in column '#1'"), "%s", why);
    }
    txs_arena_free(&a);
    txs_binding_free(b);
    txs_profile_free(p);
}

/* ------------------------------------------------- real files, end to end */

typedef struct run_stats {
    size_t records, rejects;
    txs_txn first;
    char first_id[64], first_orig[32], first_bene[32], first_bank[16];
    char first_reject[320];
} run_stats;

static void copy_slice(char *dst, size_t cap, txs_slice s)
{
    size_t n = s.n < cap - 1 ? s.n : cap - 1;
    memcpy(dst, s.p, n);
    dst[n] = '\0';
}

/* Read path with profile spec through the real source, reader and parser. */
static int run_file(const char *spec, const char *path, run_stats *st, txs_diag *bind_diag)
{
    memset(st, 0, sizeof *st);
    txs_profile *p = load_ok(spec);
    txs_reader_opts o;
    cr_assert_eq(txs_profile_reader_opts(p, txs_profile_format(p), &o), 0);
    txs_source *src = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs_source_open_path(path, &src, &d), 0, "%s", d.msg);
    txs_reader *r = NULL;
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    cr_assert_eq(txs_reader_attach(r, src), 0);
    size_t nh = 0;
    const txs_slice *h = txs_reader_header(r, &nh);
    txs_binding *b = NULL;
    int rc = txs_profile_bind(p, o.format, h, nh, txs_source_name(src), 0, &b, bind_diag);
    if (rc == 0) {
        txs_batch batch;
        txs_batch_init(&batch);
        txs_arena arena;
        txs_arena_init(&arena, 64 * 1024);
        int n;
        while ((n = txs_reader_next(r, &batch)) > 0) {
            for (size_t i = 0; i < batch.n; i++) {
                txs_txn t;
                char why[256];
                st->records++;
                if (txs_parse_record(b, &batch.rec[i], &arena, &t, why, sizeof why) != 0) {
                    if (st->rejects++ == 0)
                        snprintf(st->first_reject, sizeof st->first_reject, "line %llu: %s",
                                 (unsigned long long)batch.rec[i].line, why);
                } else if (st->records == 1) {
                    st->first = t;
                    copy_slice(st->first_id, sizeof st->first_id, t.txn_id);
                    copy_slice(st->first_orig, sizeof st->first_orig, t.orig.account);
                    copy_slice(st->first_bene, sizeof st->first_bene, t.bene.account);
                    copy_slice(st->first_bank, sizeof st->first_bank, t.orig.bank);
                }
            }
            txs_arena_reset(&arena);
        }
        cr_assert_eq(n, 0, "reader error %d", n);
        txs_arena_free(&arena);
        txs_batch_free(&batch);
    }
    txs_binding_free(b);
    txs_reader_free(r);
    txs_source_free(src);
    txs_profile_free(p);
    return rc;
}

Test(profile, amlworld_patterns_parse_without_rejects, .timeout = 60)
{
    run_stats st;
    txs_diag d = {0};
    cr_assert_eq(run_file("amlworld", AML_DIR "amlworld-hi-small-patterns.csv", &st, &d), 0,
                 "%s", d.msg);
    cr_assert_eq(st.records, 3209);
    cr_assert_eq(st.rejects, 0, "%zu rejects, first: %s", st.rejects, st.first_reject);
    /* 2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH */
    cr_assert_eq(st.first.ts, 1661990760);
    cr_assert_eq(st.first.amount, 284896);
    cr_assert_str_eq(txs_currency_get(st.first.currency)->code, "EUR");
    cr_assert_str_eq(st.first_orig, "800737690");
    cr_assert_str_eq(st.first_bene, "80011F990");
    cr_assert_str_eq(st.first_bank, "021174");
    cr_assert_str_eq(st.first_id, "amlworld-hi-small-patterns.csv:2");
    cr_assert_eq(st.first.channel, TXS_CH_ACH);
}

Test(profile, saml_d_sample_parses_without_rejects, .timeout = 60)
{
    run_stats st;
    txs_diag d = {0};
    cr_assert_eq(run_file("saml-d", AML_DIR "saml-d-sample-1k.csv", &st, &d), 0, "%s", d.msg);
    cr_assert_eq(st.records, 1000);
    cr_assert_eq(st.rejects, 0, "%zu rejects, first: %s", st.rejects, st.first_reject);
    /* 11:38:54,2022-12-09,1782263940,3455276355,8822.67,Euro,UK pounds,Italy,UK,Cross-border */
    cr_assert_eq(st.first.ts, 1670585934);
    cr_assert_eq(st.first.amount, 882267);
    cr_assert_str_eq(txs_currency_get(st.first.currency)->code, "EUR");
    cr_assert_str_eq(st.first_orig, "1782263940");
    cr_assert_str_eq(st.first_bene, "3455276355");
    cr_assert_eq(memcmp(st.first.orig.country, "IT", 2), 0);
    cr_assert_eq(memcmp(st.first.bene.country, "GB", 2), 0);
    cr_assert_eq(st.first.channel, TXS_CH_WIRE);
}

Test(profile, reshaped_amlworld_needs_the_user_profile, .timeout = 60)
{
    run_stats st;
    txs_diag d = {0};
    cr_assert_eq(run_file("amlworld", AML_DIR "amlworld-hi-small-benign-1k.reshaped.csv", &st, &d),
                 TXS_E_CONFIG);
    /* Timestamp matches "timestamp" case-insensitively; Amount Paid has no match. */
    cr_assert(strstr(d.msg, "maps amount to column 'Amount Paid', which the header of"), "%s",
              d.msg);
    cr_assert_eq(run_file(TXS_SOURCE_DIR "/samples/profiles/amlworld-reshaped.yaml",
                          AML_DIR "amlworld-hi-small-benign-1k.reshaped.csv", &st, &d),
                 0, "%s", d.msg);
    cr_assert_eq(st.records, 1000);
    cr_assert_eq(st.rejects, 0, "%zu rejects, first: %s", st.rejects, st.first_reject);
    /* 2022/09/01 00:20,10,8000EBD30,...,3697.34,US Dollar,Reinvestment */
    cr_assert_eq(st.first.ts, 1661991600);
    cr_assert_eq(st.first.amount, 369734);
    cr_assert_eq(st.first.channel, TXS_CH_INTERNAL);
}

/* Payment messages given to a profile: the missing-column error says what
 * the file looks like and how it is read instead. */
Test(profile, payment_messages_read_as_an_export_say_how_to_read_them, .timeout = 60)
{
    run_stats st;
    txs_diag d = {0};
    cr_assert_eq(run_file("native", TXS_SOURCE_DIR "/tests/fixtures/payments/mt/prowide-core/MT101.fin",
                          &st, &d),
                 TXS_E_CONFIG);
    cr_assert(strstr(d.msg, "which the header of"), "%s", d.msg);
    cr_assert(strstr(d.msg, "it looks like SWIFT MT messages"), "%s", d.msg);
    cr_assert(strstr(d.msg, "--format payments"), "%s", d.msg);
    txs_diag x = {0};
    cr_assert_eq(run_file("native", TXS_SOURCE_DIR "/tests/fixtures/payments/mx/phoughton-cbpr/"
                          "examples_y2025__pacs.004.max.xml", &st, &x),
                 TXS_E_CONFIG);
    cr_assert(strstr(x.msg, "it looks like ISO 20022 XML"), "%s", x.msg);
    /* an export whose header lacks a column gets no such hint */
    txs_diag y = {0};
    cr_assert_eq(run_file("amlworld", AML_DIR "amlworld-hi-small-benign-1k.reshaped.csv", &st, &y),
                 TXS_E_CONFIG);
    cr_assert_null(strstr(y.msg, "looks like"), "%s", y.msg);
}
