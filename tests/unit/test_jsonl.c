/*
 * test_jsonl.c: JSON Lines records (txs_reader with TXS_FMT_JSONL): value
 * kinds, escapes and surrogate pairs, nested values skipped, duplicate keys,
 * and every grammar error with its reason.  Tables of line -> expected dump
 * (input_test_util.h); keys are always "a", "b", "c" in that order.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>

#include "input_test_util.h"

static const char *const keys[] = {"a", "b", "c"};

typedef struct json_case {
    const char *name;
    const char *in;
    const char *want;
} json_case;

static char *dump_json(const char *in, size_t n, int mode, uint64_t seed, int with_raw)
{
    txs_reader_opts o = {TXS_FMT_JSONL, 0, 0, 0, keys, TXS_ARRAY_LEN(keys), 0};
    return dump_opts(in, n, &o, mode, seed, 0, with_raw);
}

static json_case values[] = {
    {"strings", "{\"a\":\"x\",\"b\":\"\",\"c\":\"z z\"}\n", "1@0 x||z z\n"},
    {"missing and null", "{\"b\":null}\n", "1@0 \\0|\\0|\\0\n"},
    {"empty object", "{}\n", "1@0 \\0|\\0|\\0\n"},
    {"numbers as written", "{\"a\":-0.5e+10,\"b\":0,\"c\":12.50}\n", "1@0 -0.5e+10|0|12.50\n"},
    {"literals", "{\"a\":true,\"b\":false,\"c\":null}\n", "1@0 true|false|\\0\n"},
    {"whitespace", " \t{ \"a\" : 1 ,\r\"b\":2 } \t\r\n", "1@0 1|2|\\0\n"},
    {"other keys ignored", "{\"z\":1,\"a\":2,\"ab\":3,\"A\":4}\n", "1@0 2|\\0|\\0\n"},
    {"nested skipped", "{\"a\":{\"x\":[1,{\"y\":[]},\"s\"]},\"b\":[],\"c\":3}\n", "1@0 \\0|\\0|3\n"},
    {"nested empty object", "{\"a\":{},\"b\":[[]],\"c\":[{}]}\n", "1@0 \\0|\\0|\\0\n"},
    {"simple escapes", "{\"a\":\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\"}\n", "1@0 q\"b\\\\s/\\x08\\x0C\\n\\r\\t|\\0|\\0\n"},
    {"unicode escapes", "{\"a\":\"\\u00e9\\u20AC\\u0041\"}\n", "1@0 \\xC3\\xA9\\xE2\\x82\\xACA|\\0|\\0\n"},
    {"surrogate pair", "{\"a\":\"\\ud83d\\ude00\"}\n", "1@0 \\xF0\\x9F\\x98\\x80|\\0|\\0\n"},
    {"escaped key", "{\"\\u0061\":1,\"\\u0062\":2}\n", "1@0 1|2|\\0\n"},
    {"raw utf8", "{\"a\":\"caf\xC3\xA9\"}\n", "1@0 caf\\xC3\\xA9|\\0|\\0\n"},
    {"crlf and empty lines", "\n{\"a\":1}\r\n\r\n{\"a\":2}", "2@1 1|\\0|\\0\n4@12 2|\\0|\\0\n"},
    {"bom", "\xEF\xBB\xBF{\"a\":1}\n", "1@3 1|\\0|\\0\n"},
};

static json_case errors[] = {
    {"array line", "[1,2]\n", "1@0 !8 raw=<[1,2]> JSON: expected '{' (each line must be one JSON object) at byte 1\n"},
    {"scalar line", "42\n", "1@0 !8 raw=<42> JSON: expected '{' (each line must be one JSON object) at byte 1\n"},
    {"whitespace only", "  \n", "1@0 !8 raw=<  > JSON: expected '{' (each line must be one JSON object) at byte 3\n"},
    {"missing colon", "{\"a\" 1}\n", "1@0 !8 raw=<{\"a\" 1}> JSON: expected ':' after key at byte 6\n"},
    {"trailing comma", "{\"a\":1,}\n", "1@0 !8 raw=<{\"a\":1,}> JSON: expected a key string at byte 8\n"},
    {"missing comma", "{\"a\":1 \"b\":2}\n", "1@0 !8 raw=<{\"a\":1 \"b\":2}> JSON: expected ',' or '}' at byte 8\n"},
    {"unclosed object", "{\"a\":1\n", "1@0 !8 raw=<{\"a\":1> JSON: expected ',' or '}' at byte 7\n"},
    {"trailing garbage", "{\"a\":1} x\n", "1@0 !8 raw=<{\"a\":1} x> JSON: unexpected text after the object at byte 9\n"},
    {"two objects", "{}{}\n", "1@0 !8 raw=<{}{}> JSON: unexpected text after the object at byte 3\n"},
    {"bad literal", "{\"a\":tru}\n", "1@0 !8 raw=<{\"a\":tru}> JSON: expected a value at byte 6\n"},
    {"leading zero", "{\"a\":01}\n", "1@0 !8 raw=<{\"a\":01}> JSON: expected ',' or '}' at byte 7\n"},
    {"bare minus", "{\"a\":-}\n", "1@0 !8 raw=<{\"a\":-}> JSON: invalid number at byte 7\n"},
    {"dot without digits", "{\"a\":1.}\n", "1@0 !8 raw=<{\"a\":1.}> JSON: invalid number at byte 8\n"},
    {"exponent without digits", "{\"a\":1e+}\n", "1@0 !8 raw=<{\"a\":1e+}> JSON: invalid number at byte 9\n"},
    {"plus sign", "{\"a\":+1}\n", "1@0 !8 raw=<{\"a\":+1}> JSON: expected a value at byte 6\n"},
    {"unterminated string", "{\"a\":\"abc}\n", "1@0 !8 raw=<{\"a\":\"abc}> JSON: unterminated string at byte 11\n"},
    {"control char", "{\"a\":\"a\tb\"}\n", "1@0 !8 raw=<{\"a\":\"a\\tb\"}> JSON: control character in string at byte 8\n"},
    {"bad escape", "{\"a\":\"\\x\"}\n", "1@0 !8 raw=<{\"a\":\"\\\\x\"}> JSON: invalid escape in string at byte 7\n"},
    {"short unicode escape", "{\"a\":\"\\u12\"}\n", "1@0 !8 raw=<{\"a\":\"\\\\u12\"}> JSON: invalid \\u escape at byte 7\n"},
    {"lone high surrogate", "{\"a\":\"\\ud800x\"}\n", "1@0 !8 raw=<{\"a\":\"\\\\ud800x\"}> JSON: lone surrogate in \\u escape at byte 7\n"},
    {"lone low surrogate", "{\"a\":\"\\udc00\"}\n", "1@0 !8 raw=<{\"a\":\"\\\\udc00\"}> JSON: lone surrogate in \\u escape at byte 7\n"},
    {"high then non-low", "{\"a\":\"\\ud800\\u0041\"}\n", "1@0 !8 raw=<{\"a\":\"\\\\ud800\\\\u0041\"}> JSON: lone surrogate in \\u escape at byte 7\n"},
    {"nested mismatch", "{\"a\":[1}\n", "1@0 !8 raw=<{\"a\":[1}> JSON: expected ',' or ']' at byte 8\n"},
    {"nested unclosed", "{\"a\":[1,\n", "1@0 !8 raw=<{\"a\":[1,> JSON: expected a value at byte 9\n"},
    {"nested bad key", "{\"a\":{1:2}}\n", "1@0 !8 raw=<{\"a\":{1:2}}> JSON: expected a key string at byte 7\n"},
    {"key not string", "{a:1}\n", "1@0 !8 raw=<{a:1}> JSON: expected a key string at byte 2\n"},
    {"invalid utf8", "{\"a\":\"\xC3\x28\"}\n", "1@0 !6 raw=<{\"a\":\"\\xC3(\"}> invalid UTF-8 at byte 7 of the record\n"},
    /* Duplicate keys are rejects, naming the key (issue 14): taking either
     * value could hide a listed name from screening. */
    {"duplicate wanted key", "{\"a\":1,\"a\":\"two\"}\n", "1@0 !8 raw=<{\"a\":1,\"a\":\"two\"}> JSON: duplicate key \"a\" at byte 8\n"},
    {"duplicate key with null", "{\"a\":1,\"a\":null}\n", "1@0 !8 raw=<{\"a\":1,\"a\":null}> JSON: duplicate key \"a\" at byte 8\n"},
    {"duplicate unwanted key", "{\"z\":1,\"b\":2,\"z\":3}\n", "1@0 !8 raw=<{\"z\":1,\"b\":2,\"z\":3}> JSON: duplicate key \"z\" at byte 14\n"},
    {"duplicate through an escape", "{\"a\":1,\"\\u0061\":2}\n", "1@0 !8 raw=<{\"a\":1,\"\\\\u0061\":2}> JSON: duplicate key \"a\" at byte 8\n"},
    {"same key in nested objects is fine", "{\"a\":{\"x\":1},\"b\":{\"x\":2}}\n", "1@0 \\0|\\0|\\0\n"},
    {"escaped NUL", "{\"a\":\"x\\u0000y\"}\n", "1@0 !8 raw=<{\"a\":\"x\\\\u0000y\"}> JSON: NUL (\\u0000) in string at byte 8\n"},
    {"error then good line", "{\"a\"}\n{\"a\":1}\n", "1@0 !8 raw=<{\"a\"}> JSON: expected ':' after key at byte 5\n2@6 1|\\0|\\0\n"},
};

/* Parameters are indices: Criterion may run each test in a fresh process
 * image, where pointers into the tables would not be valid. */
ParameterizedTestParameters(jsonl, values)
{
    static size_t idx[TXS_ARRAY_LEN(values)];
    for (size_t i = 0; i < TXS_ARRAY_LEN(idx); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, TXS_ARRAY_LEN(idx));
}

static void check(const json_case *c)
{
    for (int mode = CHUNK_WHOLE; mode <= CHUNK_ONE; mode++) {
        char *got = dump_json(c->in, strlen(c->in), mode, 0, 0);
        cr_expect_str_eq(got, c->want, "%s (mode %d)\n got: %s\nwant: %s", c->name, mode, got, c->want);
        free(got);
    }
}

ParameterizedTest(size_t *i, jsonl, values)
{
    check(&values[*i]);
}

ParameterizedTestParameters(jsonl, errors)
{
    static size_t idx[TXS_ARRAY_LEN(errors)];
    for (size_t i = 0; i < TXS_ARRAY_LEN(idx); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, TXS_ARRAY_LEN(idx));
}

ParameterizedTest(size_t *i, jsonl, errors)
{
    check(&errors[*i]);
}

Test(jsonl, nul_byte_rejected)
{
    static const char in[] = "{\"a\":\"x\0y\"}\n{\"a\":1}\n";
    char *got = dump_json(in, sizeof in - 1, CHUNK_WHOLE, 0, 0);
    cr_expect_str_eq(got, "1@0 !5 raw=<{\"a\":\"x\\x00y\"}> NUL byte at byte 8 of the record\n"
                          "2@12 1|\\0|\\0\n");
    free(got);
}

/* 128 top-level members are accepted, the 129th is a reject (the CSV
 * field limit, TXS_MAX_FIELDS); every key distinct, so no false duplicate
 * comes from hash collisions in the key set. */
Test(jsonl, member_limit_and_no_false_duplicates)
{
    char in[8192];
    for (int total = 128; total <= 129; total++) {
        size_t n = 0;
        in[n++] = '{';
        for (int i = 0; i < total; i++)
            n += (size_t)snprintf(in + n, sizeof in - n, "%s\"k%d\":%d", i ? "," : "", i, i);
        n += (size_t)snprintf(in + n, sizeof in - n, ",\"a\":7}\n");
        char *got = dump_json(in, n, CHUNK_WHOLE, 0, 0);
        if (total == 128)
            cr_expect(strstr(got, "more than 128 members") != NULL, "129 with a: %.80s", got);
        else
            cr_expect(strstr(got, "more than 128 members") != NULL, "%.80s", got);
        free(got);
        /* Without the extra "a" member: exactly `total` members. */
        n -= strlen(",\"a\":7}\n");
        n += (size_t)snprintf(in + n, sizeof in - n, "}\n");
        got = dump_json(in, n, CHUNK_WHOLE, 0, 0);
        if (total == 128) cr_expect_str_eq(got, "1@0 \\0|\\0|\\0\n");
        else cr_expect(strstr(got, "more than 128 members") != NULL, "%.80s", got);
        free(got);
    }
}

Test(jsonl, deep_nesting_limited_not_crashing)
{
    size_t depth = 100000;
    char *p = malloc(depth * 2 + 32);
    size_t n = (size_t)sprintf(p, "{\"a\":");
    memset(p + n, '[', depth);
    n += depth;
    memset(p + n, ']', depth);
    n += depth;
    n += (size_t)sprintf(p + n, "}\n{\"a\":[[[[1]]]]}\n");
    char *got = dump_json(p, n, CHUNK_WHOLE, 0, 0);
    cr_expect(strstr(got, "JSON: nesting deeper than 256 levels at byte 262") != NULL, "%.300s", got);
    cr_expect(strstr(got, "\n2@200007 \\0|\\0|\\0\n") != NULL, "%s", got + strlen(got) - 60);
    free(got);
    free(p);
}

/* A line over TXS_MAX_RECORD is one TOO_LONG reject; the next is fine. */
Test(jsonl, too_long_line)
{
    size_t big = TXS_MAX_RECORD + 10;
    char *p = malloc(big + 64);
    size_t n = (size_t)sprintf(p, "{\"a\":\"");
    memset(p + n, 'x', big);
    n += big;
    n += (size_t)sprintf(p + n, "\"}\n{\"b\":2}\n");
    char *got = dump_json(p, n, CHUNK_RANDOM, 5, 0);
    cr_expect(strstr(got, "1@0 !3 raw=<{\"a\":\"xxx") == got);
    cr_expect(strstr(got, "> record longer than 262144 bytes\n2@") != NULL);
    cr_expect(strstr(got, " \\0|2|\\0\n") != NULL);
    free(got);
    free(p);
}

Test(jsonl, chunk_invariance)
{
    const char in[] = "{\"a\":\"\\ud83d\\ude00\",\"b\":[1,{\"c\":2}],\"c\":-1.5E3}\r\n"
                      "\n"
                      "{\"a\" 1}\n"
                      "{\"c\":\"caf\xC3\xA9\",\"a\":\"\\\"q\\\"\"}\n"
                      "{\"b\":true}";
    char *ref = dump_json(in, sizeof in - 1, CHUNK_WHOLE, 0, 1);
    for (int mode = CHUNK_ONE; mode <= CHUNK_RANDOM; mode++)
        for (uint64_t seed = 1; seed < 10; seed++) {
            char *got = dump_json(in, sizeof in - 1, mode, seed, 1);
            cr_assert_str_eq(got, ref);
            free(got);
        }
    cr_expect(strstr(ref, "5@") != NULL, "%s", ref);
    free(ref);
}

Test(jsonl, no_keys_still_validates)
{
    txs_reader_opts o = {TXS_FMT_JSONL, 0, 0, 0, NULL, 0, 0};
    char *got = dump_opts("{\"a\":1}\n[\n", 10, &o, CHUNK_WHOLE, 0, 0, 0);
    cr_expect_str_eq(got, "1@0 \n2@8 !8 raw=<[> JSON: expected '{' (each line must be one JSON object) at byte 1\n");
    free(got);
}

Test(jsonl, bad_options_rejected)
{
    txs_reader *r;
    const char *const bad[] = {"a", NULL};
    txs_reader_opts o = {TXS_FMT_JSONL, 0, 0, 0, bad, 2, 0};
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    o.keys = NULL;
    o.nkeys = 1;
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    o.keys = keys;
    o.nkeys = TXS_MAX_FIELDS + 1;
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    o.format = (txs_format)7;
    o.nkeys = 1;
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
}
