/*
 * jsonl.c: one JSON Lines record -> the values of the wanted keys.  The
 * reader frames lines (a JSON text cannot hold a raw LF); this file checks
 * that a line is exactly one JSON object (RFC 8259, whitespace allowed
 * around it) and picks out the top-level members whose keys are wanted:
 *
 *   string         -> its value: borrowed when it has no escapes, else
 *                     unescaped into the batch arena (\uXXXX and surrogate
 *                     pairs become UTF-8; a lone surrogate is an error)
 *   number         -> the text as written (validated against the grammar)
 *   true / false   -> the text as written
 *   null           -> absent ({NULL, 0})
 *   object / array -> absent: validated (nesting up to JSON_MAX_DEPTH) and
 *                     skipped, since the canonical transaction is flat
 *
 * A top-level key that appears twice makes the record a reject naming the
 * key: RFC 8259 leaves duplicate names to the reader, and taking either
 * value would let {"orig_name":"BANCO NACIONAL DE CUBA","orig_name":"Alice
 * Smith"} hide a listed name from screening.  Keys are compared after
 * unescaping, through a small hash set of at most TXS_MAX_FIELDS members (a
 * record with more is a reject, as a CSV row with more fields is).  NUL
 * bytes, raw or written \u0000, and invalid UTF-8 are rejected, so strings
 * need no UTF-8 checks here.
 * Errors say what was expected and the 1-based byte where parsing stopped.
 * Parsing is iterative: a hostile line cannot overflow the C stack.
 * This one-pass scanner stays apart from the cold-path reader (json/read.c,
 * a tree of every value) because it is the hot path and picks out only the
 * wanted keys; the two share the unescaper (txs_json_unescape, base.c).
 */
#include <string.h>

#include "input/input_int.h"

#define JSON_MAX_DEPTH 256

typedef struct jp {
    const char *s, *p, *e; /* line start, cursor, end */
    const char *why;       /* what went wrong (static text) */
    int nomem;             /* the arena failed (not a parse error) */
} jp;

enum { V_STRING, V_TEXT, V_NULL, V_NESTED };

static int fail(jp *j, const char *why)
{
    j->why = why;
    return -1;
}

static void ws(jp *j)
{
    while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
        j->p++;
}

/* A \u escape at c (backslash); on success returns its length (6 or 12). */
static int uescape(jp *j, const char *c)
{
    long u = c + 6 <= j->e ? txs_hex4(c + 2) : -1;
    if (u < 0) return fail(j, "invalid \\u escape");
    if (u >= 0xDC00 && u <= 0xDFFF) return fail(j, "lone surrogate in \\u escape");
    if (u == 0) return fail(j, "NUL (\\u0000) in string");
    if (u < 0xD800 || u > 0xDBFF) return 6;
    c += 6;
    long lo = (c + 6 <= j->e && c[0] == '\\' && c[1] == 'u') ? txs_hex4(c + 2) : -1;
    if (lo < 0xDC00 || lo > 0xDFFF) return fail(j, "lone surrogate in \\u escape");
    return 12;
}

/* A string at j->p (on its opening quote): leaves j->p on the closing
 * quote; *esc says whether any backslash escape is in it. */
static int string(jp *j, int *esc)
{
    const char *c = j->p + 1;
    *esc = 0;
    for (;;) {
        j->p = c;
        if (c >= j->e) return fail(j, "unterminated string");
        unsigned char ch = (unsigned char)*c;
        if (ch == '"') break;
        if (ch < 0x20) return fail(j, "control character in string");
        if (ch != '\\') {
            c++;
            continue;
        }
        *esc = 1;
        char x = c + 1 < j->e ? c[1] : '\0';
        if (x == 'u') {
            int n = uescape(j, c);
            if (n < 0) return -1;
            c += n;
        } else if (x && strchr("\"\\/bfnrt", x)) {
            c += 2;
        } else {
            return fail(j, "invalid escape in string");
        }
    }
    return 0;
}

static int digits(jp *j)
{
    const char *c = j->p;
    while (j->p < j->e && *j->p >= '0' && *j->p <= '9') j->p++;
    return j->p > c ? 0 : fail(j, "invalid number");
}

static int number(jp *j)
{
    if (*j->p == '-') j->p++;
    if (j->p < j->e && *j->p == '0') j->p++;
    else if (digits(j) < 0) return -1;
    if (j->p < j->e && *j->p == '.') {
        j->p++;
        if (digits(j) < 0) return -1;
    }
    if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->e && (*j->p == '+' || *j->p == '-')) j->p++;
        if (digits(j) < 0) return -1;
    }
    return 0;
}

static int literal(jp *j, const char *word, size_t n)
{
    if ((size_t)(j->e - j->p) < n || memcmp(j->p, word, n) != 0)
        return fail(j, "expected a value");
    j->p += n;
    return 0;
}

/* A string, number or literal at j->p (not at end); *v gets its text (a
 * string's body) and *kind what it was. */
static int scalar(jp *j, txs_slice *v, int *kind, int *esc)
{
    const char *start = j->p;
    int rc;
    *esc = 0;
    *kind = V_TEXT;
    switch (*j->p) {
    case '"':
        *kind = V_STRING;
        if (string(j, esc) < 0) return -1;
        v->p = start + 1;
        v->n = (size_t)(j->p - start - 1);
        j->p++;
        return 0;
    case 't': rc = literal(j, "true", 4); break;
    case 'f': rc = literal(j, "false", 5); break;
    case 'n':
        *kind = V_NULL;
        rc = literal(j, "null", 4);
        break;
    default:
        if (*j->p != '-' && (*j->p < '0' || *j->p > '9')) return fail(j, "expected a value");
        rc = number(j);
    }
    v->p = start;
    v->n = (size_t)(j->p - start);
    return rc;
}

/* `"key" :` with the whitespace after it; the key's body in *key. */
static int member_key(jp *j, txs_slice *key, int *esc)
{
    if (j->p >= j->e || *j->p != '"') return fail(j, "expected a key string");
    const char *start = j->p;
    if (string(j, esc) < 0) return -1;
    key->p = start + 1;
    key->n = (size_t)(j->p - start - 1);
    j->p++;
    ws(j);
    if (j->p >= j->e || *j->p != ':') return fail(j, "expected ':' after key");
    j->p++;
    ws(j);
    return 0;
}

/* After a value inside containers: close them or step to the next member.
 * Returns 1 when the outermost container closed, 0 at the next value. */
static int after_value(jp *j, char *stack, int *d)
{
    txs_slice key;
    int esc;
    for (;;) {
        ws(j);
        if (j->p >= j->e) return fail(j, "unterminated object or array");
        if (*j->p == stack[*d - 1]) {
            j->p++;
            if (--*d == 0) return 1;
            continue;
        }
        if (*j->p != ',')
            return fail(j, stack[*d - 1] == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
        j->p++;
        ws(j);
        if (stack[*d - 1] == '}' && member_key(j, &key, &esc) < 0) return -1;
        return 0;
    }
}

/* Validate and skip the object or array at j->p.  Iterative, with an
 * explicit stack of the closing brackets awaited. */
static int skip_nested(jp *j)
{
    char stack[JSON_MAX_DEPTH];
    int d = 0, rc, kind, esc;
    txs_slice v;
    for (;;) {
        if (j->p >= j->e) return fail(j, "expected a value");
        char c = *j->p;
        if (c == '{' || c == '[') {
            if (d == JSON_MAX_DEPTH) return fail(j, "nesting deeper than 256 levels");
            stack[d++] = c == '{' ? '}' : ']';
            j->p++;
            ws(j);
            if (j->p < j->e && *j->p == stack[d - 1]) {
                rc = after_value(j, stack, &d); /* sees the close itself */
            } else if (c == '{') {
                rc = member_key(j, &v, &esc);
                if (rc == 0) continue;
            } else {
                continue;
            }
        } else {
            if (scalar(j, &v, &kind, &esc) < 0) return -1;
            rc = after_value(j, stack, &d);
        }
        if (rc < 0) return -1;
        if (rc == 1) return 0;
    }
}

/* Unescape a validated string body into the arena (never longer). */
static int unescape(txs_slice *v, txs_arena *a)
{
    char *o = txs_arena_alloc(a, v->n ? v->n : 1);
    if (o == NULL) return TXS_E_NOMEM;
    v->n = txs_json_unescape(v->p, v->n, o);
    v->p = o;
    return 0;
}

/* The top-level keys seen so far: slices (unescaped) and an open-addressed
 * table of their indexes + 1, keyed by an FNV-1a hash. */
typedef struct keyset {
    txs_slice k[TXS_MAX_FIELDS];
    uint8_t slot[2 * TXS_MAX_FIELDS];
    unsigned n;
} keyset;

/* Add key: 0 when new, 1 when already there, -1 when the set is full. */
static int key_add(keyset *ks, txs_slice key)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < key.n; i++) h = (h ^ (unsigned char)key.p[i]) * 16777619u;
    for (unsigned i = h % (2 * TXS_MAX_FIELDS);; i = (i + 1) % (2 * TXS_MAX_FIELDS)) {
        unsigned x = ks->slot[i];
        if (x == 0) break;
        if (ks->k[x - 1].n == key.n && memcmp(ks->k[x - 1].p, key.p, key.n) == 0) return 1;
    }
    if (ks->n == TXS_MAX_FIELDS) return -1;
    unsigned i = h % (2 * TXS_MAX_FIELDS);
    while (ks->slot[i]) i = (i + 1) % (2 * TXS_MAX_FIELDS);
    ks->k[ks->n++] = key;
    ks->slot[i] = (uint8_t)ks->n;
    return 0;
}

/* Store value v under every wanted key equal to key (unescaped). */
static int assign(txs_slice key, txs_slice v, int kind, int vesc, const char *const *keys,
                  const size_t *klen, size_t nkeys, txs_slice *fields, txs_arena *a)
{
    int unescaped = 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (klen[i] != key.n || memcmp(keys[i], key.p, key.n) != 0) continue;
        if (kind == V_NULL || kind == V_NESTED) {
            fields[i] = (txs_slice){NULL, 0};
            continue;
        }
        if (vesc && !unescaped) {
            if (unescape(&v, a) < 0) return TXS_E_NOMEM;
            unescaped = 1;
        }
        fields[i] = v;
    }
    return 0;
}

/* The members of the top-level object, from just after its '{'. */
static int members(jp *j, const char *const *keys, const size_t *klen,
                   size_t nkeys, txs_slice *fields, txs_arena *a, txs_slice *dup)
{
    keyset ks;
    ks.n = 0;
    memset(ks.slot, 0, sizeof ks.slot);
    ws(j);
    if (j->p < j->e && *j->p == '}') {
        j->p++;
        return 0;
    }
    for (;;) {
        txs_slice key, v = {NULL, 0};
        int kesc, vesc = 0, kind = V_NESTED;
        const char *at = j->p;
        if (member_key(j, &key, &kesc) < 0) return -1;
        if (kesc && unescape(&key, a) < 0) {
            j->nomem = 1;
            return -1;
        }
        int seen = key_add(&ks, key);
        if (seen != 0) {
            j->p = at;
            if (seen > 0) *dup = key;
            return fail(j, seen > 0 ? "duplicate key" : "more than 128 members in the object");
        }
        if (j->p >= j->e) return fail(j, "expected a value");
        if (*j->p == '{' || *j->p == '[') {
            if (skip_nested(j) < 0) return -1;
        } else if (scalar(j, &v, &kind, &vesc) < 0) {
            return -1;
        }
        if (assign(key, v, kind, vesc, keys, klen, nkeys, fields, a) < 0) {
            j->nomem = 1;
            return -1;
        }
        ws(j);
        if (j->p < j->e && *j->p == ',') {
            j->p++;
            ws(j);
            continue;
        }
        if (j->p < j->e && *j->p == '}') {
            j->p++;
            return 0;
        }
        return fail(j, "expected ',' or '}'");
    }
}

int txs__input_json_record(txs_slice raw, const char *const *keys,
                           const size_t *klen, size_t nkeys,
                           txs_slice *fields, txs_arena *a,
                           const char **detail)
{
    const char *nul = memchr(raw.p, 0, raw.n);
    if (nul) {
        *detail = txs__input_reason(a, "NUL byte at byte %zu of the record",
                                    (size_t)(nul - raw.p) + 1);
        return TXS_FRAME_NUL;
    }
    size_t bad = txs__input_utf8_check(raw.p, raw.n);
    if (bad < raw.n) {
        *detail = txs__input_reason(a, "invalid UTF-8 at byte %zu of the record", bad + 1);
        return TXS_FRAME_UTF8;
    }
    for (size_t i = 0; i < nkeys; i++) fields[i] = (txs_slice){NULL, 0};
    jp j = {raw.p, raw.p, raw.p + raw.n, NULL, 0};
    txs_slice dup = {NULL, 0};
    int rc;
    ws(&j);
    if (j.p >= j.e || *j.p != '{') {
        rc = fail(&j, "expected '{' (each line must be one JSON object)");
    } else {
        j.p++;
        rc = members(&j, keys, klen, nkeys, fields, a, &dup);
        if (j.nomem) return TXS_E_NOMEM;
        if (rc == 0) {
            ws(&j);
            if (j.p < j.e) rc = fail(&j, "unexpected text after the object");
        }
    }
    if (rc == 0) return TXS_FRAME_OK;
    if (dup.p) {
        *detail = txs__input_reason(a, "JSON: duplicate key \"%.*s\" at byte %zu",
                                    (int)(dup.n > 64 ? 64 : dup.n), dup.p,
                                    (size_t)(j.p - j.s) + 1);
        return TXS_FRAME_JSON;
    }
    *detail = txs__input_reason(a, "JSON: %s at byte %zu", j.why, (size_t)(j.p - j.s) + 1);
    return TXS_FRAME_JSON;
}
