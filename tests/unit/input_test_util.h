/*
 * input_test_util.h: helpers shared by the input-stage tests (test_input.c,
 * test_csv.c, test_jsonl.c).  A memory source whose read function can
 * return the bytes whole, 1 byte at a time or in seeded random sizes, and a
 * "dump" that renders every record of a reader as text, so tests compare
 * whole outcomes (line, offset, error, detail, fields) as strings:
 *
 *   H a|b|c              the header (CSV with header=1)
 *   2@6 a|b|c            line 2, offset 6, fields a, b, c
 *   3@12 !1 raw=<"x> unterminated quoted field (opened at byte 1 ...)
 *   ~-9 <message>        the reader returned a negative status
 *
 * Field bytes are escaped: \n \r \t \\ \| and \xHH for the rest of the
 * non-printables; an absent JSON value prints as \0 (an empty one as "").
 */
#ifndef TXS_INPUT_TEST_UTIL_H
#define TXS_INPUT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input_int.h"
#include "txs/input.h"

/* CHUNK_CUT: [0, split) in one read, then the rest. */
enum { CHUNK_WHOLE = 0, CHUNK_ONE = 1, CHUNK_RANDOM = 2, CHUNK_CUT = 3 };

typedef struct memsrc {
    const char *data;
    size_t n, pos;
    int mode;
    uint64_t seed;
    int fail_at;      /* >0: return -1 (EIO) once pos reaches this */
    size_t split;     /* CHUNK_CUT: where the first read ends */
} memsrc;

static inline uint64_t tu_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static inline ssize_t memsrc_read(void *ctx, void *buf, size_t cap)
{
    memsrc *m = ctx;
    if (m->fail_at > 0 && m->pos >= (size_t)m->fail_at) {
        errno = EIO;
        return -1;
    }
    size_t n = m->n - m->pos;
    if (m->mode == CHUNK_ONE && n > 1) n = 1;
    if (m->mode == CHUNK_CUT && m->pos < m->split) n = m->split - m->pos;
    if (m->mode == CHUNK_RANDOM && n > 0) {
        size_t r = (size_t)(tu_rand(&m->seed) % 5000) + 1;
        if (n > r) n = r;
    }
    if (n > cap) n = cap;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

/* A growable string. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static inline void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static inline void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static inline void sb_esc(sbuf *b, const char *s, size_t n)
{
    char tmp[8];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = NULL;
        switch (c) {
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        case '\\': e = "\\\\"; break;
        case '|': e = "\\|"; break;
        }
        if (e) {
            sb_str(b, e);
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(tmp, sizeof tmp, "\\x%02X", c);
            sb_str(b, tmp);
        } else {
            sb_put(b, (const char *)&c, 1);
        }
    }
}

static inline void sb_fields(sbuf *b, const txs_slice *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) sb_str(b, "|");
        if (f[i].p == NULL) sb_str(b, "\\0");
        else sb_esc(b, f[i].p, f[i].n);
    }
}

static inline void sb_record(sbuf *b, const txs_record *r, int with_raw)
{
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%llu@%llu ", (unsigned long long)r->line,
             (unsigned long long)r->offset);
    sb_str(b, tmp);
    if (r->error == TXS_FRAME_OK) {
        sb_fields(b, r->fields, r->nfields);
        if (with_raw) {
            sb_str(b, " raw=<");
            sb_esc(b, r->raw.p, r->raw.n);
            sb_str(b, ">");
        }
    } else {
        snprintf(tmp, sizeof tmp, "!%d raw=<", (int)r->error);
        sb_str(b, tmp);
        sb_esc(b, r->raw.p, r->raw.n > 300 ? 300 : r->raw.n);
        sb_str(b, "> ");
        sb_str(b, r->detail ? r->detail : "(no detail)");
    }
    sb_str(b, "\n");
}

/* Read all of data through a reader with opts; returns the dump (malloc).
 * with_raw adds raw bytes of OK records too (for invariance tests). */
static inline char *dump_opts(const char *data, size_t n, const txs_reader_opts *o, int mode,
                              uint64_t seed, int scalar, int with_raw)
{
    memsrc m = {data, n, 0, mode, seed ? seed : 88172645463325252ull, 0, 0};
    txs_source *s = NULL;
    txs_reader *r = NULL;
    sbuf b = {0};
    sb_str(&b, "");
    char tmp[700];
    if (txs_source_open_fn(memsrc_read, &m, "mem", &s) < 0 || txs_reader_create(o, &r) < 0) {
        sb_str(&b, "~setup failed\n");
        goto out;
    }
    txs_reader_force_scalar(r, scalar);
    int rc = txs_reader_attach(r, s);
    if (rc < 0) {
        snprintf(tmp, sizeof tmp, "~%d %s\n", rc, txs_reader_error(r));
        sb_str(&b, tmp);
        goto out;
    }
    size_t nh;
    const txs_slice *h = txs_reader_header(r, &nh);
    if (nh) {
        sb_str(&b, "H ");
        sb_fields(&b, h, nh);
        sb_str(&b, "\n");
    }
    txs_batch bt;
    txs_batch_init(&bt);
    while ((rc = txs_reader_next(r, &bt)) > 0)
        for (size_t i = 0; i < bt.n; i++) sb_record(&b, &bt.rec[i], with_raw);
    if (rc < 0) {
        snprintf(tmp, sizeof tmp, "~%d %s\n", rc, txs_reader_error(r));
        sb_str(&b, tmp);
    }
    txs_batch_free(&bt);
out:
    txs_reader_free(r);
    txs_source_free(s);
    return b.p;
}

static inline txs_reader_opts csv_opts(char delim, int header)
{
    txs_reader_opts o = {TXS_FMT_CSV, delim, '"', header, NULL, 0, 0};
    return o;
}

static inline char *dump_csv(const char *data, size_t n, char delim, int header)
{
    txs_reader_opts o = csv_opts(delim, header);
    return dump_opts(data, n, &o, CHUNK_WHOLE, 0, 0, 0);
}

#endif /* TXS_INPUT_TEST_UTIL_H */
