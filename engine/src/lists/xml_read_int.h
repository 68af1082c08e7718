/*
 * xml_read_int.h: private to the lists module.  The streaming loop the XML list
 * readers share (UN consolidated list, OFAC Sanctions List Service, Canada
 * SEMA): libxml2's xmlTextReader walks the document; the reader's `pick`
 * callback names the elements that are records, each record's subtree is
 * expanded on its own, handed to `record`, and freed when the walk moves
 * on, so memory stays one record deep whatever the file size.  Network
 * access is off (the file is untrusted); a parse error stops the walk with
 * file and line.
 */
#ifndef TXS_LISTS_XML_READ_INT_H
#define TXS_LISTS_XML_READ_INT_H

#include <libxml/xmlreader.h>
#include <stddef.h>

#include "lists_int.h"

/* Called for every element start the walk does not skip, the root first
 * (depth 0): 0 to descend into it, > 0 to expand it as a record of that
 * kind, < 0 (with d filled) to stop. */
typedef int (*txs__xml_pick)(void *ctx, xmlTextReaderPtr r, const char *name, int depth,
                             unsigned long line);
/* Called with each expanded record (borrowed until the call returns). */
typedef int (*txs__xml_record)(void *ctx, const xmlNode *n, int kind, unsigned long line);

/* Walk path, whose root element must be named `root` (else TXS_E_FORMAT
 * naming both, at the root's line).  Returns 0, the first negative callback status (TXS_E_NOMEM
 * gets file:line here), or TXS_E_FORMAT / TXS_E_IO with d filled. */
int txs__xml_walk(const char *path, const char *root, txs__xml_pick pick, txs__xml_record record, void *ctx,
                  txs_diag *d);

/* 1 if n is an element named `name` (local name, any namespace). */
int txs__xml_is(const xmlNode *n, const char *name);
/* Text of n's first child element named `name` into buf ("" if absent). */
const char *txs__xml_child(const xmlNode *n, const char *name, char *buf, size_t cap);

#endif /* TXS_LISTS_XML_READ_INT_H */
