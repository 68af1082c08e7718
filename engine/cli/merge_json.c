/*
 * merge_json.c: the JSON reader of `txscreen merge` (merge_json.h).
 * Recursive descent over the text; each value becomes one node recording
 * its type and byte range, linked to its siblings.  Strings are checked
 * (escapes, surrogates, control characters) at parse time and decoded only
 * when asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge_json.h"
#include "txs/base.h"

typedef struct parser {
    mj_doc *d;
    size_t pos;
    int depth;
} parser;

static int fail(parser *p, const char *why)
{
    snprintf(p->d->err, sizeof p->d->err, "offset %zu: %s", p->pos, why);
    return -1;
}

static void skip_ws(parser *p)
{
    const char *t = p->d->text;
    while (p->pos < p->d->len &&
           (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r'))
        p->pos++;
}

static long new_node(parser *p, mj_type type)
{
    mj_doc *d = p->d;
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        mj_node *v = realloc(d->nodes, (size_t)cap * sizeof *v);
        if (v == NULL) return fail(p, "out of memory");
        d->nodes = v;
        d->cap = cap;
    }
    mj_node *v = &d->nodes[d->n];
    memset(v, 0, sizeof *v);
    v->type = type;
    v->start = p->pos;
    return (long)d->n++;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at t[i]; -1 if not. */
static long hex4(const char *t, size_t len, size_t i)
{
    if (i + 4 > len) return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval((unsigned char)t[i + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Check the string starting at p->pos (its opening quote); leave pos past
 * the closing quote. */
static int scan_string(parser *p)
{
    const char *t = p->d->text;
    size_t len = p->d->len;
    p->pos++;
    while (p->pos < len) {
        unsigned char c = (unsigned char)t[p->pos];
        if (c == '"') {
            p->pos++;
            return 0;
        }
        if (c < 0x20) return fail(p, "control character in string");
        if (c != '\\') {
            p->pos++;
            continue;
        }
        if (p->pos + 1 >= len) break;
        char e = t[p->pos + 1];
        if (e && strchr("\"\\/bfnrt", e)) {
            p->pos += 2;
            continue;
        }
        if (e != 'u') return fail(p, "bad escape in string");
        long u = hex4(t, len, p->pos + 2);
        if (u < 0) return fail(p, "bad \\u escape");
        p->pos += 6;
        if (u >= 0xDC00 && u <= 0xDFFF) return fail(p, "lone low surrogate");
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = (p->pos + 1 < len && t[p->pos] == '\\' && t[p->pos + 1] == 'u')
                          ? hex4(t, len, p->pos + 2)
                          : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail(p, "lone high surrogate");
            p->pos += 6;
        }
    }
    return fail(p, "unterminated string");
}

static int scan_number(parser *p)
{
    const char *t = p->d->text;
    size_t len = p->d->len, i = p->pos;
    if (i < len && t[i] == '-') i++;
    if (i >= len) return fail(p, "bad number");
    if (t[i] == '0') {
        i++;
    } else if (t[i] >= '1' && t[i] <= '9') {
        while (i < len && t[i] >= '0' && t[i] <= '9') i++;
    } else {
        return fail(p, "bad number");
    }
    if (i < len && t[i] == '.') {
        i++;
        if (i >= len || t[i] < '0' || t[i] > '9') return fail(p, "bad number");
        while (i < len && t[i] >= '0' && t[i] <= '9') i++;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-')) i++;
        if (i >= len || t[i] < '0' || t[i] > '9') return fail(p, "bad number");
        while (i < len && t[i] >= '0' && t[i] <= '9') i++;
    }
    p->pos = i;
    return 0;
}

static int literal(parser *p, const char *word)
{
    size_t k = strlen(word);
    if (p->pos + k > p->d->len || memcmp(p->d->text + p->pos, word, k) != 0)
        return fail(p, "unexpected character");
    p->pos += k;
    return 0;
}

static long parse_value(parser *p);

/* Link child c after prev (or as first of parent). */
static void link_child(mj_doc *d, long parent, long *prev, long c)
{
    if (*prev) d->nodes[*prev].next = (uint32_t)c;
    else d->nodes[parent].first = (uint32_t)c;
    d->nodes[parent].count++;
    *prev = c;
}

static long parse_container(parser *p, int obj)
{
    long me = new_node(p, obj ? MJ_OBJ : MJ_ARR);
    if (me < 0) return -1;
    if (++p->depth > MJ_MAX_DEPTH) return fail(p, "nesting too deep");
    p->pos++;
    skip_ws(p);
    char close = obj ? '}' : ']';
    long prev = 0;
    if (p->pos < p->d->len && p->d->text[p->pos] == close) {
        p->pos++;
    } else {
        for (;;) {
            size_t ks = 0, ke = 0;
            if (obj) {
                if (p->pos >= p->d->len || p->d->text[p->pos] != '"')
                    return fail(p, "expected a key");
                ks = p->pos;
                if (scan_string(p) < 0) return -1;
                ke = p->pos;
                skip_ws(p);
                if (p->pos >= p->d->len || p->d->text[p->pos] != ':')
                    return fail(p, "expected ':'");
                p->pos++;
                skip_ws(p);
            }
            long c = parse_value(p);
            if (c < 0) return -1;
            p->d->nodes[c].key_start = ks;
            p->d->nodes[c].key_end = ke;
            link_child(p->d, me, &prev, c);
            skip_ws(p);
            if (p->pos >= p->d->len) return fail(p, "unexpected end");
            char ch = p->d->text[p->pos];
            if (ch == ',') {
                p->pos++;
                skip_ws(p);
                continue;
            }
            if (ch == close) {
                p->pos++;
                break;
            }
            return fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    p->depth--;
    p->d->nodes[me].end = p->pos;
    return me;
}

static long parse_value(parser *p)
{
    if (p->pos >= p->d->len) return fail(p, "unexpected end");
    char c = p->d->text[p->pos];
    if (c == '{' || c == '[') return parse_container(p, c == '{');
    mj_type type;
    if (c == '"') type = MJ_STR;
    else if (c == 't') type = MJ_TRUE;
    else if (c == 'f') type = MJ_FALSE;
    else if (c == 'n') type = MJ_NULL;
    else if (c == '-' || (c >= '0' && c <= '9')) type = MJ_NUM;
    else return fail(p, "unexpected character");
    long me = new_node(p, type);
    if (me < 0) return -1;
    int rc;
    switch (type) {
    case MJ_STR: rc = scan_string(p); break;
    case MJ_TRUE: rc = literal(p, "true"); break;
    case MJ_FALSE: rc = literal(p, "false"); break;
    case MJ_NULL: rc = literal(p, "null"); break;
    default: rc = scan_number(p); break;
    }
    if (rc < 0) return -1;
    p->d->nodes[me].end = p->pos;
    return me;
}

int mj_parse(mj_doc *d, const char *text, size_t len)
{
    d->text = text;
    d->len = len;
    d->n = 0;
    d->err[0] = '\0';
    parser p = {d, 0, 0};
    skip_ws(&p);
    if (parse_value(&p) < 0) return -1;
    skip_ws(&p);
    if (p.pos != len) return fail(&p, "text after the JSON value");
    return 0;
}

void mj_free(mj_doc *d)
{
    free(d->nodes);
    d->nodes = NULL;
    d->n = d->cap = 0;
}

const mj_node *mj_root(const mj_doc *d)
{
    return d->n ? &d->nodes[0] : NULL;
}

const mj_node *mj_child(const mj_doc *d, const mj_node *v)
{
    return v && (v->type == MJ_ARR || v->type == MJ_OBJ) && v->first ? &d->nodes[v->first]
                                                                      : NULL;
}

const mj_node *mj_next(const mj_doc *d, const mj_node *v)
{
    return v && v->next ? &d->nodes[v->next] : NULL;
}

/* Decode a checked string token [s, e) (quotes included) into out (room
 * for e - s bytes always suffices); returns the length. */
static size_t decode(const char *t, size_t s, size_t e, char *out)
{
    size_t n = 0;
    for (size_t i = s + 1; i + 1 < e;) {
        char c = t[i];
        if (c != '\\') {
            out[n++] = c;
            i++;
            continue;
        }
        char x = t[i + 1];
        i += 2;
        switch (x) {
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            long u = hex4(t, e, i);
            i += 4;
            if (u >= 0xD800 && u <= 0xDBFF) {
                long lo = hex4(t, e, i + 2);
                i += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            n += txs_utf8_put(out + n, (uint32_t)u);
            break;
        }
        default: out[n++] = x; break;
        }
    }
    return n;
}

char *mj_strdup(const mj_doc *d, const mj_node *v, size_t *n)
{
    if (v == NULL || v->type != MJ_STR) return NULL;
    char *out = malloc(v->end - v->start + 1);
    if (out == NULL) return NULL;
    size_t k = decode(d->text, v->start, v->end, out);
    out[k] = '\0';
    if (n) *n = k;
    return out;
}

long mj_str(const mj_doc *d, const mj_node *v, char *out, size_t cap)
{
    if (v == NULL || v->type != MJ_STR || cap == 0) return -1;
    char small[256];
    size_t raw = v->end - v->start;
    char *tmp = raw <= sizeof small ? small : malloc(raw);
    if (tmp == NULL) return -1;
    size_t k = decode(d->text, v->start, v->end, tmp);
    size_t c = k < cap - 1 ? k : cap - 1;
    memcpy(out, tmp, c);
    out[c] = '\0';
    if (tmp != small) free(tmp);
    return (long)k;
}

int mj_str_is(const mj_doc *d, const mj_node *v, const char *z)
{
    if (v == NULL || v->type != MJ_STR) return 0;
    size_t zn = strlen(z), raw = v->end - v->start;
    /* Fast path: no escapes, compare the bytes between the quotes. */
    if (memchr(d->text + v->start, '\\', raw) == NULL)
        return raw == zn + 2 && memcmp(d->text + v->start + 1, z, zn) == 0;
    size_t n;
    char *s = mj_strdup(d, v, &n);
    int eq = s && n == zn && memcmp(s, z, zn) == 0;
    free(s);
    return eq;
}

static int key_is(const mj_doc *d, const mj_node *m, const char *key)
{
    mj_node k = {.type = MJ_STR, .start = m->key_start, .end = m->key_end};
    return mj_str_is(d, &k, key);
}

const mj_node *mj_get(const mj_doc *d, const mj_node *o, const char *key)
{
    if (o == NULL || o->type != MJ_OBJ) return NULL;
    for (const mj_node *m = mj_child(d, o); m; m = mj_next(d, m))
        if (key_is(d, m, key)) return m;
    return NULL;
}

int mj_u64(const mj_doc *d, const mj_node *v, uint64_t *out)
{
    if (v == NULL || v->type != MJ_NUM) return -1;
    uint64_t x = 0;
    for (size_t i = v->start; i < v->end; i++) {
        char c = d->text[i];
        if (c < '0' || c > '9') return -1;
        if (x > (UINT64_MAX - 9) / 10) return -1;
        x = x * 10 + (uint64_t)(c - '0');
    }
    *out = x;
    return 0;
}

int mj_double(const mj_doc *d, const mj_node *v, double *out)
{
    if (v == NULL || v->type != MJ_NUM) return -1;
    char tmp[64];
    size_t n = v->end - v->start;
    if (n >= sizeof tmp) return -1;
    memcpy(tmp, d->text + v->start, n);
    tmp[n] = '\0';
    *out = strtod(tmp, NULL);
    return 0;
}
