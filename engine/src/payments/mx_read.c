/*
 * mx_read.c: ISO 20022 payment messages (pacs.008, pacs.009 core/COV/ADV,
 * pacs.004, pain.001) into payment transactions, streamed with libxml2's
 * SAX2 push parser: no tree is built, and the work per element is one
 * pointer look-up (element names are interned in the parser's dictionary
 * once per file, so a name is its pointer) and a switch on the path state.
 *
 *   <txs-wrap>  file bytes, XML declarations blanked  </txs-wrap>
 *      message       each element at depth 1: a bare Document, or a
 *                    wrapper (Envelope, RequestPayload ...) holding
 *                    AppHdr (head.001) and Document at any depth
 *        Document    the namespace names the message and its version
 *          GrpHdr    -> group layer (MsgId, settlement date, reimbursement
 *                       agents, pain.001 initiating party)
 *          PmtInf    -> block layer (pain.001 debtor, its account, agent)
 *          CdtTrfTxInf / TxInf -> txn layer, one transaction at its end
 *            UndrlygCstmrCdtTrf (COV) / OrgnlTxRef (pacs.004): parties
 *            in the underlying / original scope
 *
 * The synthetic wrapper lets one file hold several documents (each with
 * its declaration, which is blanked with spaces so lines and columns do
 * not move).  A role element (Dbtr, CdtrAgt, IntrmyAgt2 ...) opens a party
 * until it closes; its account (DbtrAcct ...) fills the same party.  Each
 * captured value's source is the element path from its level element.
 * Memory is one transaction, its payment information block and its
 * group header: three arenas reset with their elements.
 *
 * A file that is not well-formed stops at the error, which rejects the
 * message it is in (the messages after it in that file are not read, and
 * the reject says so).  DTDs and entities are not loaded (no network, no
 * external entity), and a DOCTYPE inside the wrapper is a well-formedness
 * error, so no entity expansion happens at all.
 */
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_int.h"
#include "txs/limits.h"

const mx_name txs__mx_names[N_COUNT] = {
    [N_OTHER] = {"", -1, -1},
#define X_TAB(n, r, a) [N_##n] = {#n, r, a},
    MX_NAMES(X_TAB)
#undef X_TAB
};

/* Pointer -> id: the dictionary pointers of the names above. */
static unsigned slot_of(const xmlChar *p)
{
    uintptr_t v = (uintptr_t)p;
    return (unsigned)(((v >> 3) * UINT64_C(0x9E3779B97F4A7C15)) >> 55) & (HASH_SLOTS - 1);
}

static int name_id(const txs_mx_reader *x, const xmlChar *p)
{
    for (unsigned i = slot_of(p);; i = (i + 1) & (HASH_SLOTS - 1)) {
        if (x->slot[i].p == p) return x->slot[i].id;
        if (x->slot[i].p == NULL) return N_OTHER;
    }
}

static int intern(txs_mx_reader *x)
{
    memset(x->slot, 0, sizeof x->slot);
    for (int id = 1; id < N_COUNT; id++) {
        const xmlChar *p = xmlDictLookup(x->ctxt->dict, (const xmlChar *)txs__mx_names[id].s, -1);
        if (p == NULL) return TXS_E_NOMEM;
        unsigned i = slot_of(p);
        while (x->slot[i].p) i = (i + 1) & (HASH_SLOTS - 1);
        x->slot[i] = (name_slot){p, id};
    }
    return 0;
}

/* ------------------------------------------------------------ SAX events */

void txs__mx_on_chars(void *ctx, const xmlChar *p, int n)
{
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->xsd && !x->replaying) return txs__mx_tree_chars(x, p, n);
    if (!x->cap || n <= 0) return;
    size_t k = (size_t)n;
    if (x->ntxt + k > MX_MAX_TEXT) k = MX_MAX_TEXT - x->ntxt;
    memcpy(x->txt + x->ntxt, p, k);
    x->ntxt += k;
}

static void stop(txs_mx_reader *x, int rc)
{
    if (x->fatal == 0) x->fatal = rc;
    xmlStopParser(x->ctxt);
}

/* Where an element of the Document goes: levels, scopes, parties, values.
 * The hot path: one switch per element, most elements fall through. */
void txs__mx_on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->xsd && !x->replaying)
        return txs__mx_tree_start(x, local, prefix, uri, nns, ns, nattr, ndef, attrs);
    (void)prefix, (void)nns, (void)ns, (void)ndef;
    int d = ++x->depth;
    if (d > MX_MAX_DEPTH) {
        if (!x->msg_bad) txs__mx_bad(x, -1, "elements nested deeper than 64");
        return;
    }
    int id = name_id(x, local);
    x->st[d] = (frame){id, local};
    if (d == 2) txs__mx_message_start(x);
    if (d < 2 || x->msg_bad || x->skip_depth || x->cap) return;
    if (x->doc_depth) {
        if (nattr) txs__mx_commodity_attr(x, attrs, nattr);
        return txs__mx_in_document(x, id, attrs, nattr);
    }
    if (id == N_Document) return txs__mx_document(x, uri);
    if (id == N_AppHdr && !x->app_depth) {
        x->app_depth = d;
        return;
    }
    if (x->app_depth && d == x->app_depth + 1) {
        if (id == N_BizMsgIdr)
            txs__mx_capture(x, CAP_SET, &x->grp.ref[TXS_PR_BIZ_MSG_ID], &x->grp.ref_src[TXS_PR_BIZ_MSG_ID]);
        else if (id == N_MsgDefIdr) txs__mx_capture(x, CAP_DEF, NULL, NULL);
    } else if (x->app_depth && id == N_BICFI && d == x->app_depth + 4) {
        int side = x->st[x->app_depth + 1].id;
        if (side == N_Fr || side == N_To) txs__mx_capture(x, side == N_Fr ? CAP_FR : CAP_TO, NULL, NULL);
    }
}

void txs__mx_on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    txs_mx_reader *x = ((xmlParserCtxtPtr)ctx)->_private;
    if (x->xsd && !x->replaying) {
        int rc = txs__mx_tree_end(x, local, prefix, uri);
        if (rc < 0) stop(x, rc);
        return;
    }
    (void)local, (void)prefix, (void)uri;
    int d = x->depth;
    int rc = 0;
    if (x->cap && x->cap_depth == d) rc = txs__mx_commit(x);
    if (x->skip_depth == d) x->skip_depth = 0;
    if (x->party && x->party_depth == d) x->party = NULL;
    if (x->scope_depth == d) x->scope = TXS_SCOPE_TXN, x->scope_depth = 0;
    if (rc >= 0 && x->txn_depth == d) {
        if (!x->msg_bad) rc = txs__mx_txn_end(x);
        x->txn_depth = 0;
    }
    if (x->blk_depth == d) x->blk_depth = 0;
    if (x->grp_depth == d) x->grp_depth = 0;
    if (x->app_depth == d) x->app_depth = 0;
    if (x->doc_depth == d) x->doc_depth = 0;
    if (rc >= 0 && d == 2) rc = txs__mx_message_end(x);
    x->depth--;
    if (rc < 0) stop(x, rc);
}

/* ------------------------------------------------------------- feeding */

/* The parser, and the tree it built when validating. */
static void free_ctxt(txs_mx_reader *x)
{
    if (x->ctxt == NULL) return;
    if (x->ctxt->myDoc) xmlFreeDoc(x->ctxt->myDoc);
    xmlFreeParserCtxt(x->ctxt);
    x->ctxt = NULL;
}

int txs__mx_create(txs_mx_reader **out)
{
    txs_mx_reader *x = calloc(1, sizeof *x);
    if (x == NULL) return TXS_E_NOMEM;
    x->txt = malloc(MX_MAX_TEXT);
    x->fcap = TXS_READ_CHUNK + 16;
    x->fbuf = malloc(x->fcap);
    if (x->txt == NULL || x->fbuf == NULL) {
        txs__mx_free(x);
        return TXS_E_NOMEM;
    }
    txs_arena_init(&x->a_grp, 8192);
    txs_arena_init(&x->a_blk, 8192);
    txs_arena_init(&x->a_txn, 16384);
    txs_arena_init(&x->a_path, 4096);
    *out = x;
    return 0;
}

void txs__mx_free(txs_mx_reader *x)
{
    if (x == NULL) return;
    free_ctxt(x);
    txs_arena_free(&x->a_grp);
    txs_arena_free(&x->a_blk);
    txs_arena_free(&x->a_txn);
    txs_arena_free(&x->a_path);
    free(x->txt);
    free(x->fbuf);
    free(x);
}

int txs__mx_begin(txs_mx_reader *x, const txs_pay_ctx *c)
{
    static const char wrap[] = "<txs-wrap>";
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = txs__mx_on_start;
    h.endElementNs = txs__mx_on_end;
    h.characters = txs__mx_on_chars;
    h.cdataBlock = txs__mx_on_chars;
    if (x->xsd) h.startDocument = xmlSAX2StartDocument;   /* a tree per message: mx_xsd.c */
    free_ctxt(x);
    x->ctxt = xmlCreatePushParserCtxt(&h, NULL, wrap, (int)sizeof wrap - 1, c->file);
    if (x->ctxt == NULL) return TXS_E_NOMEM;
    x->ctxt->_private = x;
    xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                   XML_PARSE_BIG_LINES);
    x->ctxt->linenumbers = 1;
    x->c = c;
    x->depth = 0;
    x->msgno = 0;
    x->fatal = 0;
    x->in_decl = 0;
    x->ncarry = 0;
    x->began = 0;
    return intern(x);
}

/* Blank XML declarations (and a leading BOM) with spaces, so documents
 * can follow each other inside the wrapper.  A "<?xml" cut by the chunk
 * end is held back (at most 4 bytes) for the next call. */
static size_t blank_decls(txs_mx_reader *x, char *b, size_t m, int last)
{
    size_t i = 0;
    if (!x->began) {
        x->began = 1;
        if (m >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB &&
            (unsigned char)b[2] == 0xBF)
            memset(b, ' ', 3), i = 3;
    }
    for (;;) {
        if (x->in_decl) {
            for (; i < m; i++) {
                int end = b[i] == '>' && x->in_decl == 2;
                x->in_decl = b[i] == '?' ? 2 : 1;
                if (b[i] != '\n') b[i] = ' ';
                if (end) {
                    x->in_decl = 0;
                    i++;
                    break;
                }
            }
            if (x->in_decl) return m;
        }
        /* The next "<?xml" at or after i: found by its '?', rare in
         * payment messages, rather than at every '<' */
        size_t j = m;
        for (char *q = b + i; (q = i < m ? memchr(q, '?', (size_t)(b + m - q)) : NULL) != NULL; q++)
            if (q > b + i && q[-1] == '<' &&
                memcmp(q + 1, "xml", b + m - q < 4 ? (size_t)(b + m - q - 1) : 3) == 0) {
                j = (size_t)(q - 1 - b);
                break;
            }
        if (j == m) {
            /* a '<' in the last four bytes may start one the next call
             * completes: hold it back */
            for (size_t k = m > i + 4 ? m - 4 : i; k < m; k++)
                if (b[k] == '<' && !last && memcmp(b + k, "<?xml", m - k) == 0) return k;
            return m;
        }
        if (m - j < 5) return last ? m : j;   /* "<?xm" cut by the chunk: hold back */
        x->in_decl = 1;
        i = j;
    }
}

static int not_well_formed(txs_mx_reader *x)
{
    const xmlError *e = xmlCtxtGetLastError(x->ctxt);
    char r[256];
    char msg[160] = "not well-formed";
    if (e && e->message) {
        snprintf(msg, sizeof msg, "%s", e->message);
        size_t k = strlen(msg);
        while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = 0;
    }
    unsigned long line = e ? (unsigned long)e->line : 0;
    snprintf(r, sizeof r, "not well-formed XML at line %lu: %s (the rest of the file is not read)",
             line, msg);
    int inside = x->depth >= 2 && !x->xsd;   /* validating: the message has no number yet */
    uint64_t msgno = inside ? x->msgno : x->msgno + 1;
    x->c->counts->messages++;
    x->c->counts->rejected++;
    x->fatal = 1;   /* ignore the rest of this file */
    return txs__pay_reject(x->c, msgno, line, "", r);
}

int txs__mx_feed(txs_mx_reader *x, const char *p, size_t n, int last)
{
    if (x->fatal > 0) return 0;
    if (x->ncarry + n > x->fcap) return TXS_E_LIMIT;
    memcpy(x->fbuf, x->carry, x->ncarry);
    memcpy(x->fbuf + x->ncarry, p, n);
    size_t m = x->ncarry + n;
    size_t use = blank_decls(x, x->fbuf, m, last);
    x->ncarry = m - use;
    memcpy(x->carry, x->fbuf + use, x->ncarry);
    int err = xmlParseChunk(x->ctxt, x->fbuf, (int)use, 0);
    if (err == 0 && last) {
        static const char end[] = "</txs-wrap>";
        err = xmlParseChunk(x->ctxt, end, (int)sizeof end - 1, 1);
    }
    if (x->fatal < 0) return x->fatal;
    if (err != 0 || !x->ctxt->wellFormed) return not_well_formed(x);
    return 0;
}
