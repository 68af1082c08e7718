/*
 * mx_xsd.c: ISO 20022 messages validated against XML Schemas the user
 * provides (`--validate-xsd DIR`), on the same streaming read.
 *
 * The schemas: every `*.xsd` file of DIR (name order), each parsed once
 * with libxml2's schema parser and keyed by its targetNamespace; two files
 * with one namespace, a schema that does not parse, or a folder without
 * one is a configuration error naming the file (and line).  Imports and
 * includes are read from files only: no network access while loading.
 *
 * A message, with schemas: the SAX events of the wrapper and of each
 * message (an element at depth 2) build a tree instead of mapping values
 * (libxml2's own SAX2 tree builders).  When the message closes, its
 * Document (and its AppHdr, when DIR has the head.001 schema) is validated
 * as a subtree; a message that fails goes to rejects with the schema's
 * first complaint and its line, and one that passes is replayed through
 * the reader's ordinary element handlers (mx_read.c), so mapping is the
 * same code with or without validation.  The message's tree is freed
 * before the next one starts: memory is one message, not one file.
 *
 * A Document whose namespace has no schema in DIR is rejected: the user
 * asked for validation and it cannot be given.  A message with no
 * Document is replayed, and the mapping rejects it as it always does.
 */
#include <dirent.h>
#include <errno.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/schemasInternals.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_int.h"

typedef struct xsd_one {
    char *ns;
    char *file;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr v;
} xsd_one;

struct txs_mx_xsd {
    xsd_one *s;
    size_t n;
    char *dir;
    /* the first complaint of the validation in progress */
    int err;
    long err_line;
    char err_msg[200];
};

/* ----------------------------------------------------------- loading */

typedef struct load_err {
    int set;
    long line;
    char msg[200];
    char file[256];
} load_err;

static void trim_copy(char *o, size_t cap, const char *m)
{
    snprintf(o, cap, "%s", m ? m : "");
    size_t k = strlen(o);
    while (k && (o[k - 1] == '\n' || o[k - 1] == ' ')) o[--k] = 0;
}

static void on_load_error(void *ctx, xmlErrorPtr e)
{
    load_err *le = ctx;
    if (le->set || e == NULL) return;
    le->set = 1;
    le->line = e->line;
    trim_copy(le->msg, sizeof le->msg, e->message);
    snprintf(le->file, sizeof le->file, "%s", e->file ? e->file : "");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xsd names of dir, sorted; *n of them. */
static int list_xsd(const char *dir, char ***out, size_t *n, txs_diag *d)
{
    DIR *dp = opendir(dir);
    if (dp == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, dir, 0, "--validate-xsd: cannot read the folder: %s",
                            strerror(errno));
    char **v = NULL;
    size_t k = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".xsd") != 0) continue;
        if (k == cap) {
            cap = cap ? cap * 2 : 16;
            char **w = realloc(v, cap * sizeof *w);
            if (w == NULL) { rc = TXS_E_NOMEM; break; }
            v = w;
        }
        if ((v[k] = strdup(e->d_name)) == NULL) { rc = TXS_E_NOMEM; break; }
        k++;
    }
    closedir(dp);
    if (rc == 0 && k == 0)
        rc = txs_diag_set(d, TXS_E_CONFIG, dir, 0, "--validate-xsd: no .xsd file in the folder");
    if (rc < 0) {
        for (size_t i = 0; i < k; i++) free(v[i]);
        free(v);
        return rc;
    }
    qsort(v, k, sizeof *v, by_name);
    *out = v, *n = k;
    return 0;
}

static int load_one(txs_mx_xsd *x, const char *path, txs_diag *d)
{
    load_err le = {0};
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    if (pc == NULL) return TXS_E_NOMEM;
    xmlSchemaSetParserStructuredErrors(pc, on_load_error, &le);
    xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    xmlSetStructuredErrorFunc(&le, on_load_error);   /* the XML parser's own errors too */
    xmlSchemaPtr s = xmlSchemaParse(pc);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetExternalEntityLoader(old);
    xmlSchemaFreeParserCtxt(pc);
    if (s == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, le.file[0] ? le.file : path, (uint64_t)(le.line > 0 ? le.line : 0),
                            "--validate-xsd: not a usable schema: %s",
                            le.set ? le.msg : "the schema parser gave no reason");
    const char *ns = s->targetNamespace ? (const char *)s->targetNamespace : "";
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->s[i].ns, ns) == 0) {
            xmlSchemaFree(s);
            return txs_diag_set(d, TXS_E_CONFIG, path, 0,
                                "--validate-xsd: namespace '%s' is already given by %s", ns,
                                x->s[i].file);
        }
    xsd_one *o = &x->s[x->n];
    o->schema = s;
    o->ns = strdup(ns);
    o->file = strdup(path);
    o->v = xmlSchemaNewValidCtxt(s);
    x->n++;
    if (o->ns == NULL || o->file == NULL || o->v == NULL) return TXS_E_NOMEM;
    return 0;
}

int txs__mx_xsd_load(const char *dir, txs_mx_xsd **out, txs_diag *d)
{
    char **names = NULL;
    size_t n = 0;
    TXS_TRY(list_xsd(dir, &names, &n, d));
    txs_mx_xsd *x = calloc(1, sizeof *x);
    int rc = x ? 0 : TXS_E_NOMEM;
    if (rc == 0) {
        x->s = calloc(n, sizeof *x->s);
        x->dir = strdup(dir);
        if (x->s == NULL || x->dir == NULL) rc = TXS_E_NOMEM;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (path == NULL) { rc = TXS_E_NOMEM; break; }
        snprintf(path, len, "%s/%s", dir, names[i]);
        rc = load_one(x, path, d);
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc < 0) {
        txs__mx_xsd_free(x);
        return rc;
    }
    *out = x;
    return 0;
}

void txs__mx_xsd_free(txs_mx_xsd *x)
{
    if (x == NULL) return;
    for (size_t i = 0; i < x->n; i++) {
        if (x->s[i].v) xmlSchemaFreeValidCtxt(x->s[i].v);
        xmlSchemaFree(x->s[i].schema);
        free(x->s[i].ns), free(x->s[i].file);
    }
    free(x->s), free(x->dir), free(x);
}

/* ------------------------------------------------------ tree building */

void txs__mx_tree_start(txs_mx_reader *x, const xmlChar *local, const xmlChar *prefix,
                        const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
                        const xmlChar **attrs)
{
    x->depth++;
    xmlSAX2StartElementNs(x->ctxt, local, prefix, uri, nns, ns, nattr, ndef, attrs);
}

void txs__mx_tree_chars(txs_mx_reader *x, const xmlChar *p, int n)
{
    if (x->depth >= 2) xmlSAX2Characters(x->ctxt, p, n);
}

/* ----------------------------------------------------------- checking */

static void on_valid_error(void *ctx, xmlErrorPtr e)
{
    txs_mx_xsd *x = ctx;
    if (x->err || e == NULL) return;
    x->err = 1;
    x->err_line = e->line;
    trim_copy(x->err_msg, sizeof x->err_msg, e->message);
}

static xmlNodePtr find_el(xmlNodePtr n, const char *name, int depth)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (strcmp((const char *)c->name, name) == 0) return c;
        if (depth > 0) {
            xmlNodePtr f = find_el(c, name, depth - 1);
            if (f) return f;
        }
    }
    return NULL;
}

static const xsd_one *schema_for(const txs_mx_xsd *x, xmlNodePtr el)
{
    const char *ns = el->ns && el->ns->href ? (const char *)el->ns->href : "";
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->s[i].ns, ns) == 0) return &x->s[i];
    return NULL;
}

/* 0 when el is valid, else 1 with the reason in why and *line set. */
static int check(txs_mx_xsd *x, const xsd_one *s, xmlNodePtr el, char *why, size_t cap, long *line)
{
    x->err = 0;
    xmlSchemaSetValidStructuredErrors(s->v, on_valid_error, x);
    int rc = xmlSchemaValidateOneElement(s->v, el);
    if (rc == 0) return 0;
    if (!x->err) snprintf(x->err_msg, sizeof x->err_msg, "invalid (libxml2 status %d)", rc);
    *line = x->err ? x->err_line : xmlGetLineNo(el);
    const char *file = strrchr(s->file, '/');
    snprintf(why, cap, "schema %s: %s", file ? file + 1 : s->file, x->err_msg);
    return 1;
}

/* ------------------------------------------------------------ replay */

/* The element's attributes as SAX2 gives them: (local, prefix, URI,
 * value, value end) per attribute; values into vals (freed by the caller). */
static int attrs_of(xmlNodePtr el, const xmlChar **a, xmlChar **vals, int max)
{
    int k = 0;
    for (xmlAttrPtr at = el->properties; at && k < max; at = at->next, k++) {
        xmlChar *v = xmlNodeListGetString(el->doc, at->children, 1);
        vals[k] = v;
        a[5 * k] = at->name;
        a[5 * k + 1] = at->ns ? at->ns->prefix : NULL;
        a[5 * k + 2] = at->ns ? at->ns->href : NULL;
        a[5 * k + 3] = v ? v : (const xmlChar *)"";
        a[5 * k + 4] = v ? v + xmlStrlen(v) : (const xmlChar *)"";
    }
    return k;
}

static void replay(txs_mx_reader *x, xmlNodePtr el)
{
    enum { MAX_ATTR = 16 };
    const xmlChar *a[5 * MAX_ATTR];
    xmlChar *vals[MAX_ATTR];
    int na = attrs_of(el, a, vals, MAX_ATTR);
    x->replay_line = (uint64_t)xmlGetLineNo(el);
    txs__mx_on_start(x->ctxt, el->name, el->ns ? el->ns->prefix : NULL,
                     el->ns ? el->ns->href : NULL, 0, NULL, na, 0, a);
    for (int i = 0; i < na; i++) xmlFree(vals[i]);
    for (xmlNodePtr c = el->children; c && x->fatal >= 0; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) replay(x, c);
        else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            txs__mx_on_chars(x->ctxt, c->content, xmlStrlen(c->content));
    }
    txs__mx_on_end(x->ctxt, el->name, el->ns ? el->ns->prefix : NULL, el->ns ? el->ns->href : NULL);
}

int txs__mx_tree_end(txs_mx_reader *x, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xmlSAX2EndElementNs(x->ctxt, local, prefix, uri);
    int rc = 0;
    if (x->depth == 2) {
        xmlNodePtr root = x->ctxt->node, msg = root ? root->last : NULL;
        while (msg && msg->type != XML_ELEMENT_NODE) msg = msg->prev;
        if (msg) rc = txs__mx_xsd_message(x, msg);
        /* free the message and the blanks around it */
        while (root && root->children) {
            xmlNodePtr c = root->children;
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
    x->depth--;
    return rc;
}

int txs__mx_xsd_message(txs_mx_reader *x, xmlNodePtr msg)
{
    txs_mx_xsd *s = x->xsd;
    xmlNodePtr docs[2] = {find_el(msg, "AppHdr", 3), NULL};
    xmlNodePtr doc = strcmp((const char *)msg->name, "Document") == 0 ? msg : find_el(msg, "Document", 3);
    docs[1] = doc;
    char why[256];
    long line = 0;
    int bad = 0;
    const char *where = "";
    if (doc) {
        const xsd_one *sd = schema_for(s, doc);
        if (sd == NULL) {
            snprintf(why, sizeof why, "no schema in %s for the Document namespace '%.80s'", s->dir,
                     doc->ns && doc->ns->href ? (const char *)doc->ns->href : "");
            line = xmlGetLineNo(doc), bad = 1, where = "Document";
        }
        for (int i = 0; i < 2 && !bad; i++) {
            const xsd_one *so = docs[i] ? schema_for(s, docs[i]) : NULL;
            if (so && check(s, so, docs[i], why, sizeof why, &line))
                bad = 1, where = i == 0 ? "AppHdr" : "Document";
        }
    }
    if (bad) {
        x->msgno++;
        x->c->counts->messages++;
        x->c->counts->rejected++;
        return txs__pay_reject(x->c, x->msgno, (uint64_t)(line > 0 ? line : 0), where, why);
    }
    int depth = x->depth;
    x->depth = 1;
    x->replaying = 1;
    replay(x, msg);
    x->replaying = 0;
    x->depth = depth;
    return x->fatal < 0 ? x->fatal : 0;
}

void txs__mx_set_xsd(txs_mx_reader *x, txs_mx_xsd *s)
{
    x->xsd = s;
}
