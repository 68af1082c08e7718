/*
 * test_yaml.c: the private YAML tree (engine/src/yaml.c): what it builds,
 * what it refuses (aliases, anchors, tags, second documents, duplicate and
 * non-scalar keys) and the FILE:LINE of every refusal.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "yaml_int.h"

static txs_ydoc *parse_ok(const char *text)
{
    txs_ydoc *doc = NULL;
    txs_diag d = {0};
    int rc = txs__ydoc_parse("t.yaml", text, strlen(text), &doc, &d);
    cr_assert_eq(rc, 0, "parse failed: %s:%lu: %s", d.file, d.line, d.msg);
    return doc;
}

Test(yaml, builds_maps_seqs_and_scalars_with_lines)
{
    txs_ydoc *doc = parse_ok("a: 1\nb:\n  - x\n  - 'no'\nc: {d: e}\n");
    const txs_ynode *r = doc->root;
    cr_assert_eq(r->type, TXS_Y_MAP);
    cr_assert_eq(r->n, 3);
    cr_assert_str_eq(r->keys[0], "a");
    cr_assert_eq(r->key_lines[1], 2);
    const txs_ynode *a = txs__ymap_get(r, "a");
    cr_assert_str_eq(a->str, "1");
    cr_assert_eq(a->len, 1);
    cr_assert_eq(a->quoted, 0);
    const txs_ynode *b = txs__ymap_get(r, "b");
    cr_assert_eq(b->type, TXS_Y_SEQ);
    cr_assert_eq(b->n, 2);
    cr_assert_eq(b->items[0]->line, 3);
    cr_assert_str_eq(b->items[1]->str, "no");
    cr_assert_eq(b->items[1]->quoted, 1);
    const txs_ynode *c = txs__ymap_get(r, "c");
    cr_assert_str_eq(txs__ymap_get(c, "d")->str, "e");
    cr_assert_eq(c->line, 5);
    cr_assert_null(txs__ymap_get(r, "zz"));
    cr_assert_null(txs__ymap_get(b, "x"));
    txs__ydoc_free(doc);
}

Test(yaml, empty_inputs_have_no_root)
{
    const char *cases[] = {"", "# only a comment\n", "---\n"};
    for (size_t i = 0; i < TXS_ARRAY_LEN(cases); i++) {
        txs_ydoc *doc = parse_ok(cases[i]);
        cr_assert_null(doc->root, "case %zu", i);
        txs__ydoc_free(doc);
    }
}

Test(yaml, hash_is_xxh3_of_the_bytes)
{
    txs_ydoc *a = parse_ok("a: 1\n"), *b = parse_ok("a: 1\n"), *c = parse_ok("a: 2\n");
    cr_assert_eq(a->hash, b->hash);
    cr_assert_neq(a->hash, c->hash);
    txs__ydoc_free(a);
    txs__ydoc_free(b);
    txs__ydoc_free(c);
}

/* --------------------------------------------------------- refusals */

/* Criterion runs each parameter in a fresh process, so cases hold their
 * text inline rather than pointers into this one. */
typedef struct bad_case {
    char text[64];
    unsigned long line;
    char msg[48]; /* substring of the message */
} bad_case;

ParameterizedTestParameters(yaml, refuses_with_line)
{
    static bad_case cases[] = {
        {"a: &x 1\nb: *x\n", 1, "anchors"},
        {"a: 1\nb: *x\n", 2, "aliases"},
        {"a: !!str 1\n", 1, "tags"},
        {"a: !custom {b: 1}\n", 1, "tags"},
        {"a: 1\n---\nb: 2\n", 2, "more than one YAML document"},
        {"a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first at line 1)"},
        {"? [a, b]\n: 1\n", 1, "map keys must be plain scalars"},
        {"? {a: 1}\n: 1\n", 1, "map keys must be plain scalars"},
        {"a: 1\n b: 2\n", 2, "YAML syntax error"},
        {"a: [1, 2\n", 2, "YAML syntax error"},
        {"a: \"x\\0y\"\n", 1, "NUL"},
        {"x:\n  y:\n    bogus: 1\n    bogus: 2\n", 4, "duplicate key 'bogus'"},
    };
    return cr_make_param_array(bad_case, cases, TXS_ARRAY_LEN(cases));
}

ParameterizedTest(bad_case *c, yaml, refuses_with_line)
{
    txs_ydoc *doc = NULL;
    txs_diag d = {0};
    int rc = txs__ydoc_parse("bad.yaml", c->text, strlen(c->text), &doc, &d);
    cr_assert_lt(rc, 0, "accepted: %s", c->text);
    cr_assert_null(doc);
    cr_assert_str_eq(d.file, "bad.yaml");
    cr_assert_eq(d.line, c->line, "line %lu, want %lu: %s", d.line, c->line, d.msg);
    cr_assert(strstr(d.msg, c->msg), "message '%s' lacks '%s'", d.msg, c->msg);
}

Test(yaml, refuses_deep_nesting)
{
    char buf[400];
    size_t n = 0;
    for (int i = 0; i < 100; i++) buf[n++] = '[';
    for (int i = 0; i < 100; i++) buf[n++] = ']';
    buf[n] = '\0';
    txs_ydoc *doc = NULL;
    txs_diag d = {0};
    /* A configuration error (exit 3), not an input limit (issue 14). */
    cr_assert_eq(txs__ydoc_parse("deep.yaml", buf, n, &doc, &d), TXS_E_CONFIG);
    cr_assert(strstr(d.msg, "nested deeper"), "%s", d.msg);
}

/* --------------------------------------------------------- check_keys */

Test(yaml, check_keys_names_the_unknown_key_and_its_line)
{
    txs_ydoc *doc = parse_ok("a: 1\nnested:\n  x: 1\nbogus:\n  y: 2\n");
    static const char *const allowed[] = {"a", "nested", NULL};
    txs_diag d = {0};
    cr_assert_eq(txs__ymap_check_keys(doc, doc->root, "the test", allowed, &d), TXS_E_CONFIG);
    cr_assert_eq(d.line, 4);
    cr_assert_str_eq(d.msg, "unknown key 'bogus' in the test (expected one of: a, nested)");
    static const char *const all[] = {"a", "nested", "bogus", NULL};
    cr_assert_eq(txs__ymap_check_keys(doc, doc->root, "the test", all, &d), 0);
    txs__ydoc_free(doc);
}

/* --------------------------------------------------------- loading */

Test(yaml, load_reads_files_and_reports_open_errors)
{
    char path[] = "/tmp/txs_yaml_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *text = "k: v\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    txs_ydoc *doc = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs__ydoc_load(path, &doc, &d), 0, "%s", d.msg);
    cr_assert_str_eq(doc->file, path);
    cr_assert_str_eq(txs__ymap_get(doc->root, "k")->str, "v");
    txs__ydoc_free(doc);
    unlink(path);

    cr_assert_lt(txs__ydoc_load("/nonexistent/x.yaml", &doc, &d), 0);
    cr_assert_str_eq(d.file, "/nonexistent/x.yaml");
    cr_assert(strstr(d.msg, "No such file"), "%s", d.msg);
    cr_assert_lt(txs__ydoc_load("/tmp", &doc, &d), 0);
}

Test(yaml, load_builtin_profiles)
{
    txs_ydoc *doc = NULL;
    txs_diag d = {0};
    cr_assert_eq(txs__ydoc_load("builtin:profiles/native.yaml", &doc, &d), 0, "%s", d.msg);
    cr_assert_str_eq(doc->file, "builtin:profiles/native.yaml");
    cr_assert_not_null(txs__ymap_get(doc->root, "profile"));
    txs__ydoc_free(doc);
    cr_assert_eq(txs__ydoc_load("builtin:profiles/nope.yaml", &doc, &d), TXS_E_NOTFOUND);
    cr_assert(strstr(d.msg, "no built-in file"), "%s", d.msg);
}

Test(yaml, free_accepts_null)
{
    txs__ydoc_free(NULL);
}

/* --------------------------------------------------------- paths */

typedef struct path_case {
    char file[48], rel[32], want[64];
} path_case;

ParameterizedTestParameters(yaml, resolves_paths)
{
    static path_case cases[] = {
        {"builtin:rules/default.yaml", "countries/high.yaml", "builtin:rules/countries/high.yaml"},
        {"builtin:x.yaml", "y.yaml", "builtin:y.yaml"},
        {"/etc/txs/rules.yaml", "lists/a.yaml", "/etc/txs/lists/a.yaml"},
        {"conf/rules.yaml", "a.yaml", "conf/a.yaml"},
        {"rules.yaml", "a.yaml", "a.yaml"},
        {"conf/rules.yaml", "/abs/a.yaml", "/abs/a.yaml"},
    };
    return cr_make_param_array(path_case, cases, TXS_ARRAY_LEN(cases));
}

ParameterizedTest(path_case *c, yaml, resolves_paths)
{
    txs_ydoc doc = {.file = c->file};
    char out[256];
    cr_assert_eq(txs__ypath_resolve(&doc, c->rel, out, sizeof out), 0);
    cr_assert_str_eq(out, c->want);
}

Test(yaml, resolve_reports_overflow)
{
    txs_ydoc doc = {.file = "/a/b/c.yaml"};
    char out[8];
    cr_assert_eq(txs__ypath_resolve(&doc, "long-name.yaml", out, sizeof out), TXS_E_LIMIT);
}
