/*
 * xml_read.c: the streaming walk shared by the XML list readers
 * (xml_read_int.h).  Read() visits every node; at a record element the subtree
 * is expanded, handed over, and skipped with Next(), which lands on the
 * following sibling, a node Read() would step over, so that node is
 * examined before reading on.
 */
#include <stdio.h>
#include <string.h>

#include "xml_read_int.h"

typedef struct walk_ctx {
    const char *path, *root;
    txs_diag *d;
    int err;
} walk_ctx;

int txs__xml_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const char *txs__xml_child(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!txs__xml_is(c, name)) continue;
        xmlChar *t = xmlNodeGetContent(c);
        if (t) snprintf(buf, cap, "%s", (const char *)t);
        xmlFree(t);
        break;
    }
    return buf;
}

static void on_error(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc)
{
    walk_ctx *x = arg;
    if (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR) return;
    if (x->err) return;
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    txs_diag_set(x->d, TXS_E_FORMAT, x->path, (unsigned long)xmlTextReaderLocatorLineNumber(loc),
                 "XML: %.*s", (int)n, msg);
    x->err = 1;
}

/* The element r is on: 1 handled as a record and skipped (r moved on), 0
 * not a record (descend), < 0 error, 2 end of document after a skip. */
static int visit(walk_ctx *x, xmlTextReaderPtr r, txs__xml_pick pick, txs__xml_record record,
                 void *ctx)
{
    /* The parser reads ahead: the node's own line is where it starts. */
    xmlNode *cur = xmlTextReaderCurrentNode(r);
    long start = cur ? xmlGetLineNo(cur) : -1;
    unsigned long line = start > 0 ? (unsigned long)start
                                   : (unsigned long)xmlTextReaderGetParserLineNumber(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    int depth = xmlTextReaderDepth(r);
    if (depth == 0 && strcmp(name ? name : "", x->root) != 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "root element is <%s>, expected <%s>",
                            name ? name : "", x->root);
    int kind = pick(ctx, r, name ? name : "", depth, line);
    if (kind <= 0) return kind;
    xmlNode *n = xmlTextReaderExpand(r);
    if (n == NULL) return 2;
    int st = record(ctx, n, kind, line);
    if (st == TXS_E_NOMEM) return txs_diag_set(x->d, st, x->path, line, "out of memory");
    if (st < 0) return st;
    return xmlTextReaderNext(r) == 1 ? 1 : 2;
}

int txs__xml_walk(const char *path, const char *root, txs__xml_pick pick,
                  txs__xml_record record, void *ctx, txs_diag *d)
{
    walk_ctx x = {path, root, d, 0};
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (r == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open XML");
    xmlTextReaderSetErrorHandler(r, on_error, &x);
    int rc = 0, st = 0;
    while (st >= 0 && (rc = xmlTextReaderRead(r)) == 1) {
        while (st >= 0 && xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
            st = visit(&x, r, pick, record, ctx);
            if (st != 1) break;
        }
        if (st == 2) break;
    }
    int broken = rc < 0 || xmlTextReaderReadState(r) == XML_TEXTREADER_MODE_ERROR;
    xmlFreeTextReader(r);
    if (x.err) return TXS_E_FORMAT;
    if (st < 0) return st;
    if (broken) return txs_diag_set(d, TXS_E_FORMAT, path, 0, "XML parse error");
    return TXS_OK;
}
