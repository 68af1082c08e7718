/*
 * test_json_read.c: the one cold-path JSON reader (txs/json_read.h):
 * values, escapes and byte spans, the strict grammar's errors with their
 * offset and line, depth, and a document reused text after text.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "txs/base.h"
#include "txs/json_read.h"

static txs_json_doc doc;

static void setup(void)
{
    txs_json_init(&doc);
}

static void teardown(void)
{
    txs_json_free(&doc);
}

TestSuite(json_read, .init = setup, .fini = teardown);

static const txs_json *parse_ok(const char *s)
{
    int rc = txs_json_parse(&doc, s, strlen(s));
    cr_assert_eq(rc, TXS_OK, "parse failed on %s: %s", s, doc.err);
    return doc.root;
}

static void parse_bad(const char *s, const char *why)
{
    cr_assert_eq(txs_json_parse(&doc, s, strlen(s)), TXS_E_FORMAT, "accepted %s", s);
    cr_assert_null(doc.root);
    cr_assert_not_null(strstr(doc.err, why), "error for %s was '%s', expected '%s'", s, doc.err,
                       why);
}

Test(json_read, values_and_escapes)
{
    const char *text = " {\"a\":[1,-2.5e1,0.25,true,false,null],"
                       "\"s\":\"q\\\"\\\\\\/\\n\\t\\u00e9\\ud83d\\ude00\",\"o\":{},\"e\":[]} ";
    const txs_json *v = parse_ok(text);
    cr_assert_eq(v->type, TXS_JSON_OBJ);
    cr_assert_eq(v->count, 4);
    const txs_json *a = txs_json_get(v, "a");
    cr_assert_eq(a->type, TXS_JSON_ARR);
    cr_assert_eq(a->count, 6);
    double x[3];
    const txs_json *m = a->first;
    for (int i = 0; i < 3; i++, m = m->next) cr_assert_eq(txs_json_double(m, &x[i]), 0);
    cr_assert_float_eq(x[0], 1.0, 1e-12);
    cr_assert_float_eq(x[1], -25.0, 1e-12);
    cr_assert_float_eq(x[2], 0.25, 1e-12);
    cr_assert_eq(m->type, TXS_JSON_TRUE);
    cr_assert_eq(m->next->type, TXS_JSON_FALSE);
    cr_assert_eq(m->next->next->type, TXS_JSON_NULL);
    cr_assert_null(m->next->next->next);
    const txs_json *s = txs_json_get(v, "s");
    cr_assert_str_eq(s->s, "q\"\\/\n\t\xC3\xA9\xF0\x9F\x98\x80");
    cr_assert_eq(s->n, strlen("q\"\\/\n\t\xC3\xA9\xF0\x9F\x98\x80"));
    cr_assert(txs_json_str_is(s, "q\"\\/\n\t\xC3\xA9\xF0\x9F\x98\x80"));
    cr_assert_eq(txs_json_get(v, "o")->count, 0);
    cr_assert_null(txs_json_get(v, "o")->first);
    cr_assert_eq(txs_json_get(v, "e")->type, TXS_JSON_ARR);
    cr_assert_null(txs_json_get(v, "missing"));
    cr_assert_null(txs_json_get(a, "a"));
    cr_assert_null(txs_json_get(NULL, "a"));
}

Test(json_read, spans_give_the_original_bytes)
{
    const char *text = "{\"k\\u0065y\" : [1, {\"x\":\"\\u00e9\"}] ,\"n\":12}";
    const txs_json *v = parse_ok(text);
    const txs_json *m = v->first;
    cr_assert_str_eq(m->key, "key");
    cr_assert_eq(m->key_n, 3);
    cr_assert_eq(m->key_end - m->key_start, strlen("\"k\\u0065y\""));
    cr_assert_eq(memcmp(text + m->key_start, "\"k\\u0065y\"", m->key_end - m->key_start), 0);
    cr_assert_eq(memcmp(text + m->start, "[1, {\"x\":\"\\u00e9\"}]", m->end - m->start), 0);
    cr_assert_eq(m->end - m->start, strlen("[1, {\"x\":\"\\u00e9\"}]"));
    cr_assert_eq(v->start, 0);
    cr_assert_eq(v->end, strlen(text));
    const txs_json *n = txs_json_get(v, "n");
    uint64_t u;
    cr_assert_eq(txs_json_u64(n, &u), 0);
    cr_assert_eq(u, 12);
    cr_assert_eq(n->n, 2);
    cr_assert_eq(memcmp(n->s, "12", 2), 0);
}

Test(json_read, numbers_as_integers)
{
    uint64_t u;
    cr_assert_eq(txs_json_u64(parse_ok("18446744073709551609"), &u), 0);
    cr_assert_eq(u, 18446744073709551609ull);
    cr_assert_eq(txs_json_u64(parse_ok("-1"), &u), -1);
    cr_assert_eq(txs_json_u64(parse_ok("1.5"), &u), -1);
    cr_assert_eq(txs_json_u64(parse_ok("1e3"), &u), -1);
    cr_assert_eq(txs_json_u64(parse_ok("99999999999999999999"), &u), -1);
    cr_assert_eq(txs_json_u64(parse_ok("\"1\""), &u), -1);
    double d;
    cr_assert_eq(txs_json_double(parse_ok("\"1\""), &d), -1);
    char long_num[200];
    memset(long_num, '1', 150);
    strcpy(long_num + 150, "e-148");
    cr_assert_eq(txs_json_double(parse_ok(long_num), &d), 0);
    cr_assert_float_eq(d, 11.111111111, 1e-6);
}

Test(json_read, nul_in_a_string_is_kept_with_its_length)
{
    const txs_json *v = parse_ok("\"a\\u0000b\"");
    cr_assert_eq(v->n, 3);
    cr_assert_eq(memcmp(v->s, "a\0b", 4), 0);
    cr_assert_not(txs_json_str_is(v, "a"));
}

Test(json_read, errors)
{
    parse_bad("", "value expected");
    parse_bad("{\"a\":1} x", "text after");
    parse_bad("{\"a\":01}", "leading zero");
    parse_bad("{\"a\":1.}", "digit expected");
    parse_bad("{\"a\":1e}", "digit expected in exponent");
    parse_bad("{\"a\":+1}", "unexpected character '+'");
    parse_bad("{\"a\":-}", "bad number");
    parse_bad("{\"a\":\"x", "unterminated string");
    parse_bad("{\"a\":\"\\ud800\"}", "high surrogate");
    parse_bad("{\"a\":\"\\ud800\\u0041\"}", "followed by");
    parse_bad("{\"a\":\"\\udc00\"}", "lone low surrogate");
    parse_bad("{\"a\":\"\\u12\"}", "bad \\u escape");
    parse_bad("{\"a\":\"\\x\"}", "bad escape '\\x'");
    parse_bad("{\"a\":\"\x01\"}", "control character 0x01");
    parse_bad("{\"a\":1,}", "object key expected");
    parse_bad("[1 2]", "',' or ']' expected");
    parse_bad("{\"a\" 1}", "':' expected");
    parse_bad("[1,", "value expected");
    parse_bad("[1", "unterminated array");
    parse_bad("tru", "unexpected character");
    char deep[400];
    memset(deep, '[', 300);
    deep[300] = '\0';
    parse_bad(deep, "nesting deeper than 128");
    memset(deep, '[', 128);
    memset(deep + 128, ']', 128);
    deep[256] = '\0';
    parse_ok(deep);
}

Test(json_read, error_offset_and_line)
{
    parse_bad("{\n  \"a\": 1,\n  \"b\": ]\n}", "offset 19: unexpected character ']'");
    cr_assert_eq(doc.err_offset, 19);
    cr_assert_eq(doc.err_line, 3);
}

Test(json_read, document_reused)
{
    char big[4096];
    size_t n = 0;
    big[n++] = '[';
    for (int i = 0; i < 500; i++) n += (size_t)snprintf(big + n, sizeof big - n, "%s\"s%d\"", i ? "," : "", i);
    big[n++] = ']';
    for (int round = 0; round < 3; round++) {
        cr_assert_eq(txs_json_parse(&doc, big, n), TXS_OK);
        cr_assert_eq(doc.root->count, 500);
        parse_bad("[", "value expected");
        const txs_json *v = parse_ok("{\"x\":\"y\"}");
        cr_assert(txs_json_str_is(txs_json_get(v, "x"), "y"));
    }
}
