/*
 * fuzz_json_read.c: libFuzzer target for the cold-path JSON reader
 * (txs/json_read.h) that eval's alert lines, every merge input and the
 * FollowTheMoney list reader go through.  The input is one JSON text.
 * Checks beyond "no crash": a refusal carries "offset N: reason" with N
 * inside the text; on success every node's span lies inside the text and
 * inside its parent's, a string never decodes longer than its span, and the
 * bytes of every value parse again on their own into the same type and
 * member count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/base.h"
#include "txs/json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static txs_json_doc sub;

static void check(const txs_json_doc *d, const txs_json *v, size_t lo, size_t hi, int depth)
{
    if (v->start < lo || v->end > hi || v->start >= v->end) abort();
    if (v->type == TXS_JSON_STR && v->n + 2 > v->end - v->start) abort();
    if (depth < 4) { /* re-parse the value's own bytes (bounded work) */
        if (txs_json_parse(&sub, d->text + v->start, v->end - v->start) != TXS_OK) abort();
        if (sub.root->type != v->type || sub.root->count != v->count) abort();
    }
    uint32_t n = 0;
    for (const txs_json *m = txs_json_first(v); m; m = m->next, n++) {
        if (v->type == TXS_JSON_OBJ && (m->key == NULL || m->key_start < v->start ||
                                        m->key_end > m->start))
            abort();
        check(d, m, v->start, v->end, depth + 1);
    }
    if (n != v->count) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    txs_json_doc d = {0};
    int rc = txs_json_parse(&d, (const char *)data, size);
    if (rc == TXS_OK) {
        check(&d, d.root, 0, size, 0);
    } else {
        size_t off;
        if (rc != TXS_E_FORMAT || sscanf(d.err, "offset %zu:", &off) != 1 || off > size ||
            d.err_offset != off || d.err_line < 1)
            abort();
    }
    txs_json_free(&d);
    txs_json_free(&sub);
    return 0;
}
