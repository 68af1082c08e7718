/*
 * lists_test_util.h: helpers the list-reader tests share: compile sources
 * into an in-memory snapshot, find an entity, count and read its fields,
 * check a refusal's file:line and message, and check that the per-source
 * counts `lists info` prints agree with the entities.  Test code only.
 */
#ifndef TXS_LISTS_TEST_UTIL_H
#define TXS_LISTS_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "txs/lists.h"

static inline txs_lists *open_lists(const char *const *src, size_t n, void **img)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    size_t len;
    txs_lists *l = NULL;
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(txs_lists_builder_add(b, src[i], &d), 0, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_assert_eq(txs_lists_builder_image(b, img, &len, &d), 0, "%s", d.msg);
    txs_lists_builder_free(b);
    cr_assert_eq(txs_lists_open_mem(*img, len, &l, &d), 0, "%s", d.msg);
    return l;
}

static inline txs_lists *open_one(const char *path, void **img)
{
    const char *src[] = {path};
    return open_lists(src, 1, img);
}

static inline txs_entity entity(const txs_lists *l, const char *id)
{
    size_t i;
    txs_entity e;
    cr_assert_eq(txs_lists_find(l, (txs_slice){id, strlen(id)}, &i), 0, "no entity %s", id);
    txs_lists_entity(l, i, &e);
    return e;
}

/* Fields of e of this kind (and sub, unless sub < 0) whose value is v
 * (any value when v is NULL). */
static inline size_t count_fields(const txs_lists *l, const txs_entity *e, int kind, int sub,
                           const char *v)
{
    size_t n = 0;
    for (size_t j = 0; j < e->nfields; j++) {
        txs_field f;
        txs_lists_field(l, e, j, &f);
        if (f.kind != (uint32_t)kind || (sub >= 0 && f.sub != (uint32_t)sub)) continue;
        if (v == NULL || txs_slice_eq(f.value, v)) n++;
    }
    return n;
}

/* The extra (or, with note set, the note) of the first field of this kind
 * with value v, as a string. */
static inline const char *field_text(const txs_lists *l, const txs_entity *e, int kind,
                                     const char *v, int note, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t j = 0; j < e->nfields; j++) {
        txs_field f;
        txs_lists_field(l, e, j, &f);
        if (f.kind == (uint32_t)kind && txs_slice_eq(f.value, v)) {
            txs_slice t = note ? f.note : f.extra;
            snprintf(buf, cap, "%.*s", (int)t.n, t.p);
            break;
        }
    }
    return buf;
}

static inline const char *extra_of(const txs_lists *l, const txs_entity *e, int kind,
                                   const char *v, char *buf, size_t cap)
{
    return field_text(l, e, kind, v, 0, buf, cap);
}

static inline const char *note_of(const txs_lists *l, const txs_entity *e, int kind,
                                  const char *v, char *buf, size_t cap)
{
    return field_text(l, e, kind, v, 1, buf, cap);
}

static inline size_t ident_hits(const txs_lists *l, int kind, const char *v)
{
    uint32_t hit[4];
    return txs_lists_find_ident(l, kind, (txs_slice){v, strlen(v)}, hit, 4);
}

static inline txs_list_source source(const txs_lists *l, size_t i)
{
    txs_list_source s;
    txs_lists_source(l, i, &s);
    return s;
}

static inline void expect_failure(const char *path, unsigned long line, const char *what)
{
    txs_lists_builder *b;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_builder_create(&b), 0);
    cr_expect_eq(txs_lists_builder_add(b, path, &d), TXS_E_FORMAT, "%s", path);
    cr_expect_eq(d.line, line, "%s:%lu: %s", d.file, d.line, d.msg);
    cr_expect(strstr(d.msg, what) != NULL, "message: %s", d.msg);
    cr_expect_str_eq(d.file, path);
    txs_lists_builder_free(b);
}

/* What `lists info` prints per source must agree with the entities. */
static inline void expect_info_matches_entities(const txs_lists *l)
{
    size_t ns = txs_lists_nsources(l);
    for (size_t i = 0; i < ns; i++) {
        txs_list_source s = source(l, i);
        uint32_t n = 0, by[TXS_ENT_TYPES] = {0};
        for (size_t k = 0; k < txs_lists_count(l); k++) {
            txs_entity e;
            txs_lists_entity(l, k, &e);
            if (e.source != i) continue;
            n++;
            by[e.type]++;
        }
        cr_expect_eq(s.entities, n, "source %zu", i);
        for (int t = 0; t < TXS_ENT_TYPES; t++) cr_expect_eq(s.by_type[t], by[t]);
    }
}

#endif /* TXS_LISTS_TEST_UTIL_H */
