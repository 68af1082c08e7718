/*
 * yaml.c: the read-only YAML tree of yaml_int.h, built from libyaml's event
 * stream.  Build time only: profiles, rule sets and country lists are loaded
 * through here once, before any record is read.
 *
 * Invariants: every node and string lives in the document's arena, so one
 * txs__ydoc_free() releases everything; a loaded tree holds only scalars,
 * sequences and maps with unique scalar keys; no anchors, aliases, tags or
 * second documents survive loading (they are errors, with the line).  Nesting
 * is bounded (MAX_DEPTH) so a hostile file cannot exhaust the C stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <yaml.h>

#include "builtin_int.h"
#include "txs/limits.h"
#include "yaml_int.h"

/* Deeper than any sane configuration; bounds recursion on hostile input. */
#define MAX_DEPTH 64

#define BUILTIN_PREFIX "builtin:"

/* Parser state shared by the recursive builders. */
typedef struct build {
    yaml_parser_t parser;
    txs_ydoc *doc;
    txs_diag *d;
} build;

/* A growable array of child pointers used while a collection is open; the
 * final array is copied into the arena when the collection ends. */
typedef struct vec {
    void **v;
    size_t n, cap;
} vec;

static int vec_push(vec *x, void *p)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 8;
        void **nv = realloc(x->v, cap * sizeof *nv);
        if (nv == NULL) return TXS_E_NOMEM;
        x->v = nv;
        x->cap = cap;
    }
    x->v[x->n++] = p;
    return TXS_OK;
}

static unsigned long ev_line(const yaml_event_t *ev)
{
    return (unsigned long)ev->start_mark.line + 1;
}

static int syntax_error(build *b)
{
    const yaml_parser_t *p = &b->parser;
    if (p->error == YAML_MEMORY_ERROR)
        return txs_diag_set(b->d, TXS_E_NOMEM, b->doc->file, 0, "out of memory");
    unsigned long line = (unsigned long)p->problem_mark.line + 1;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->context)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, line,
                            "YAML syntax error: %s %s", p->context, problem);
    return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, line,
                        "YAML syntax error: %s", problem);
}

static int next_event(build *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev)) return syntax_error(b);
    return TXS_OK;
}

/* Anchors and tags make a file read differently to a person and a parser
 * (and aliases allow "billion laughs" expansion): refuse them outright. */
static int check_plain_node(build *b, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = NULL, *tag = NULL;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "YAML aliases (*%s) are not supported",
                            (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        tag = ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
        break;
    default:
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "unexpected YAML event");
    }
    if (anchor)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "YAML anchors (&%s) are not supported",
                            (const char *)anchor);
    if (tag)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "YAML tags (%s) are not supported",
                            (const char *)tag);
    return TXS_OK;
}

static txs_ynode *new_node(build *b, txs_ytype type, unsigned long line)
{
    txs_ynode *n = txs_arena_alloc(&b->doc->arena, sizeof *n);
    if (n == NULL) return NULL;
    memset(n, 0, sizeof *n);
    n->type = type;
    n->line = line;
    return n;
}

static int make_scalar(build *b, const yaml_event_t *ev, txs_ynode **out)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    /* Loaders compare keys and values as C strings; an escaped NUL ("\0")
     * would make the two views disagree. */
    if (memchr(v, '\0', len))
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "NUL character in a YAML scalar");
    txs_ynode *n = new_node(b, TXS_Y_SCALAR, ev_line(ev));
    if (n == NULL) return TXS_E_NOMEM;
    n->str = txs_arena_dup(&b->doc->arena, v, len);
    if (n->str == NULL) return TXS_E_NOMEM;
    n->len = len;
    n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    *out = n;
    return TXS_OK;
}

static int build_node(build *b, yaml_event_t *ev, int depth, txs_ynode **out);

/* Copy a vec of pointers into the arena (n may be 0: NULL array). */
static int vec_to_arena(build *b, const vec *x, void ***out)
{
    *out = NULL;
    if (x->n == 0) return TXS_OK;
    void **a = txs_arena_alloc(&b->doc->arena, x->n * sizeof *a);
    if (a == NULL) return TXS_E_NOMEM;
    memcpy(a, x->v, x->n * sizeof *a);
    *out = a;
    return TXS_OK;
}

static int build_seq(build *b, txs_ynode *n, int depth)
{
    vec items = {0};
    int rc;
    for (;;) {
        yaml_event_t ev;
        if ((rc = next_event(b, &ev)) < 0) break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            n->n = items.n;
            rc = vec_to_arena(b, &items, (void ***)&n->items);
            break;
        }
        txs_ynode *child = NULL;
        rc = build_node(b, &ev, depth + 1, &child);
        yaml_event_delete(&ev);
        if (rc < 0) break;
        if ((rc = vec_push(&items, child)) < 0) break;
    }
    free(items.v);
    return rc;
}

static int key_cmp(const void *x, const void *y)
{
    const txs_ynode *a = *(const txs_ynode *const *)x;
    const txs_ynode *c = *(const txs_ynode *const *)y;
    int r = strcmp(a->str, c->str);
    if (r) return r;
    return a->line < c->line ? -1 : a->line > c->line;
}

/* Duplicate keys: sort a copy of the key nodes (by text, then line) so the
 * check is n log n even for large maps, and report the later duplicate. */
static int check_dup_keys(build *b, const vec *keys)
{
    if (keys->n < 2) return TXS_OK;
    void **s = malloc(keys->n * sizeof *s);
    if (s == NULL) return TXS_E_NOMEM;
    memcpy(s, keys->v, keys->n * sizeof *s);
    qsort(s, keys->n, sizeof *s, key_cmp);
    int rc = TXS_OK;
    for (size_t i = 1; i < keys->n; i++) {
        const txs_ynode *prev = s[i - 1], *k = s[i];
        if (strcmp(prev->str, k->str) == 0) {
            rc = txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, k->line,
                              "duplicate key '%s' (first at line %lu)", k->str,
                              prev->line);
            break;
        }
    }
    free(s);
    return rc;
}

/* keys[] and key_lines[] keep the key strings and lines; the key nodes
 * only served the duplicate check. */
static int finish_keys(build *b, txs_ynode *n, vec *keys)
{
    if (keys->n == 0) return TXS_OK;
    unsigned long *lines = txs_arena_alloc(&b->doc->arena, keys->n * sizeof *lines);
    if (lines == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < keys->n; i++) {
        const txs_ynode *k = keys->v[i];
        lines[i] = k->line;
        keys->v[i] = (void *)k->str;
    }
    n->key_lines = lines;
    return vec_to_arena(b, keys, (void ***)&n->keys);
}

static int build_map(build *b, txs_ynode *n, int depth)
{
    vec keys = {0}, vals = {0};
    int rc;
    for (;;) {
        yaml_event_t ev;
        if ((rc = next_event(b, &ev)) < 0) break;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            if ((rc = check_dup_keys(b, &keys)) < 0) break;
            n->n = keys.n;
            if ((rc = vec_to_arena(b, &vals, (void ***)&n->items)) < 0) break;
            rc = finish_keys(b, n, &keys);
            break;
        }
        if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
            rc = txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(&ev),
                              "map keys must be plain scalars, not %s",
                              ev.type == YAML_MAPPING_START_EVENT ? "maps" : "sequences");
            yaml_event_delete(&ev);
            break;
        }
        txs_ynode *key = NULL, *val = NULL;
        rc = build_node(b, &ev, depth + 1, &key);
        yaml_event_delete(&ev);
        if (rc < 0) break;
        if ((rc = next_event(b, &ev)) < 0) break;
        rc = build_node(b, &ev, depth + 1, &val);
        yaml_event_delete(&ev);
        if (rc < 0) break;
        if ((rc = vec_push(&keys, key)) < 0) break;
        if ((rc = vec_push(&vals, val)) < 0) break;
    }
    free(keys.v);
    free(vals.v);
    return rc;
}

/* Build the node that starts with event ev (owned by the caller). */
static int build_node(build *b, yaml_event_t *ev, int depth, txs_ynode **out)
{
    TXS_TRY(check_plain_node(b, ev));
    if (depth > MAX_DEPTH)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(ev),
                            "YAML nested deeper than %d levels", MAX_DEPTH);
    if (ev->type == YAML_SCALAR_EVENT) return make_scalar(b, ev, out);
    txs_ytype t = ev->type == YAML_SEQUENCE_START_EVENT ? TXS_Y_SEQ : TXS_Y_MAP;
    txs_ynode *n = new_node(b, t, ev_line(ev));
    if (n == NULL) return TXS_E_NOMEM;
    *out = n;
    return t == TXS_Y_SEQ ? build_seq(b, n, depth) : build_map(b, n, depth);
}

/* Expect an event of type want; anything else is an error at its line. */
static int expect(build *b, yaml_event_type_t want, const char *what)
{
    yaml_event_t ev;
    TXS_TRY(next_event(b, &ev));
    int rc = TXS_OK;
    if (ev.type != want)
        rc = txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, ev_line(&ev), "%s", what);
    yaml_event_delete(&ev);
    return rc;
}

/* stream-start, then nothing or one document, then stream-end. */
static int build_stream(build *b)
{
    TXS_TRY(expect(b, YAML_STREAM_START_EVENT, "expected the start of a YAML stream"));
    yaml_event_t ev;
    TXS_TRY(next_event(b, &ev));
    yaml_event_type_t t = ev.type;
    yaml_event_delete(&ev);
    if (t == YAML_STREAM_END_EVENT) return TXS_OK; /* empty file */
    if (t != YAML_DOCUMENT_START_EVENT)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, 0,
                            "expected a YAML document");
    TXS_TRY(next_event(b, &ev));
    txs_ynode *root = NULL;
    int rc = build_node(b, &ev, 0, &root);
    yaml_event_delete(&ev);
    TXS_TRY(rc);
    /* "---" alone yields an empty plain scalar: treat it as no content. */
    if (root->type == TXS_Y_SCALAR && root->len == 0 && !root->quoted) root = NULL;
    b->doc->root = root;
    TXS_TRY(expect(b, YAML_DOCUMENT_END_EVENT, "expected the end of the YAML document"));
    TXS_TRY(next_event(b, &ev));
    t = ev.type;
    unsigned long line = ev_line(&ev);
    yaml_event_delete(&ev);
    if (t != YAML_STREAM_END_EVENT)
        return txs_diag_set(b->d, TXS_E_CONFIG, b->doc->file, line,
                            "more than one YAML document in one file");
    return TXS_OK;
}

int txs__ydoc_parse(const char *name, const char *buf, size_t len,
                    txs_ydoc **out, txs_diag *d)
{
    if (out == NULL || (buf == NULL && len > 0)) return TXS_E_ARG;
    *out = NULL;
    if (name == NULL) name = "<yaml>";
    txs_ydoc *doc = calloc(1, sizeof *doc);
    if (doc == NULL) return txs_diag_set(d, TXS_E_NOMEM, name, 0, "out of memory");
    txs_arena_init(&doc->arena, 16 * 1024);
    doc->file = txs_arena_dup(&doc->arena, name, strlen(name));
    if (doc->file == NULL) {
        txs__ydoc_free(doc);
        return txs_diag_set(d, TXS_E_NOMEM, name, 0, "out of memory");
    }
    doc->hash = XXH3_64bits(buf ? buf : "", len);

    build b = {.doc = doc, .d = d};
    if (!yaml_parser_initialize(&b.parser)) {
        txs__ydoc_free(doc);
        return txs_diag_set(d, TXS_E_NOMEM, name, 0, "out of memory");
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)(buf ? buf : ""), len);
    int rc = build_stream(&b);
    yaml_parser_delete(&b.parser);
    if (rc == TXS_E_NOMEM && d && d->msg[0] == '\0')
        txs_diag_set(d, rc, name, 0, "out of memory");
    if (rc < 0) {
        txs__ydoc_free(doc);
        return rc;
    }
    *out = doc;
    return TXS_OK;
}

/* Read a whole configuration file, refusing anything over the limit (also
 * for pipes and devices, whose size fstat cannot tell). */
static int read_file(const char *path, char **buf, size_t *len, txs_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return txs_diag_set(d, errno == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, path, 0,
                            "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot read: is a directory");
    }
    size_t cap = 64 * 1024, n = 0;
    char *p = malloc(cap + 1);
    int rc = p ? TXS_OK : TXS_E_NOMEM;
    while (rc == TXS_OK) {
        if (n == cap) {
            if (cap > TXS_MAX_CONFIG_FILE) {
                rc = txs_diag_set(d, TXS_E_LIMIT, path, 0,
                                  "file larger than %u bytes", TXS_MAX_CONFIG_FILE);
                break;
            }
            char *q = realloc(p, cap * 2 + 1);
            if (q == NULL) {
                rc = TXS_E_NOMEM;
                break;
            }
            p = q;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = txs_diag_set(d, TXS_E_IO, path, 0, "cannot read: %s", strerror(errno));
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (rc == TXS_OK && n > TXS_MAX_CONFIG_FILE)
        rc = txs_diag_set(d, TXS_E_LIMIT, path, 0, "file larger than %u bytes",
                          TXS_MAX_CONFIG_FILE);
    if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, path, 0, "out of memory");
    if (rc < 0) {
        free(p);
        return rc;
    }
    p[n] = '\0';
    *buf = p;
    *len = n;
    return TXS_OK;
}

int txs__ydoc_load(const char *path, txs_ydoc **out, txs_diag *d)
{
    if (path == NULL || out == NULL) return TXS_E_ARG;
    *out = NULL;
    size_t plen = strlen(BUILTIN_PREFIX);
    if (strncmp(path, BUILTIN_PREFIX, plen) == 0) {
        const txs_builtin_file *f = txs__builtin_find(path + plen);
        if (f == NULL)
            return txs_diag_set(d, TXS_E_NOTFOUND, path, 0, "no built-in file '%s'",
                                path + plen);
        return txs__ydoc_parse(path, f->data, f->size, out, d);
    }
    char *buf = NULL;
    size_t len = 0;
    TXS_TRY(read_file(path, &buf, &len, d));
    int rc = txs__ydoc_parse(path, buf, len, out, d);
    free(buf);
    return rc;
}

void txs__ydoc_free(txs_ydoc *doc)
{
    if (doc == NULL) return;
    txs_arena_free(&doc->arena);
    free(doc);
}

const txs_ynode *txs__ymap_get(const txs_ynode *map, const char *key)
{
    if (map == NULL || map->type != TXS_Y_MAP || key == NULL) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) return map->items[i];
    return NULL;
}

static unsigned long key_line(const txs_ynode *map, size_t i)
{
    return map->key_lines ? map->key_lines[i] : map->line;
}

int txs__ymap_check_keys(const txs_ydoc *doc, const txs_ynode *map,
                         const char *what, const char *const *allowed,
                         txs_diag *d)
{
    if (map == NULL || map->type != TXS_Y_MAP) return TXS_OK;
    const char *file = doc ? doc->file : "";
    for (size_t i = 0; i < map->n; i++) {
        size_t j = 0;
        while (allowed[j] && strcmp(allowed[j], map->keys[i]) != 0) j++;
        if (allowed[j]) continue;
        char list[384];
        size_t used = 0;
        list[0] = '\0';
        for (j = 0; allowed[j] && used < sizeof list; j++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
                             allowed[j]);
            if (w < 0) break;
            used += (size_t)w;
        }
        return txs_diag_set(d, TXS_E_CONFIG, file, key_line(map, i),
                            "unknown key '%s' in %s (expected one of: %s)",
                            map->keys[i], what ? what : "map", list);
    }
    return TXS_OK;
}

static int copy_out(char *out, size_t cap, const char *a, size_t an, const char *b,
                    size_t bn, const char *c)
{
    size_t cn = strlen(c);
    if (an + bn + cn + 1 > cap) return TXS_E_LIMIT;
    memcpy(out, a, an);
    memcpy(out + an, b, bn);
    memcpy(out + an + bn, c, cn + 1);
    return TXS_OK;
}

int txs__ypath_resolve(const txs_ydoc *doc, const char *rel, char *out, size_t cap)
{
    if (rel == NULL || out == NULL || cap == 0) return TXS_E_ARG;
    const char *file = doc && doc->file ? doc->file : "";
    if (rel[0] == '/' || strncmp(rel, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)) == 0)
        return copy_out(out, cap, "", 0, "", 0, rel);
    /* The directory part of file, slash included ("builtin:rules/" for
     * "builtin:rules/x.yaml"; "builtin:" for "builtin:x.yaml"; "" for a
     * bare file name, which resolves against the working directory). */
    const char *slash = strrchr(file, '/');
    size_t dirlen = 0;
    if (slash)
        dirlen = (size_t)(slash - file) + 1;
    else if (strncmp(file, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)) == 0)
        dirlen = strlen(BUILTIN_PREFIX);
    return copy_out(out, cap, file, dirlen, "", 0, rel);
}
