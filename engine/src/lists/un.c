/*
 * un.c: reader for the UN Security Council Consolidated List XML.  The file
 * is streamed with libxml2's xmlTextReader: the reader walks the document
 * and each <INDIVIDUAL> / <ENTITY> subtree is expanded on its own, turned
 * into one entity, and freed when the reader moves on, so memory stays one
 * record deep whatever the file size.
 *
 *   CONSOLIDATED_LIST dateGenerated=...          -> source date
 *    INDIVIDUALS/INDIVIDUAL                       -> "UN:<REFERENCE_NUMBER>"
 *      FIRST_NAME..FOURTH_NAME (joined), UN_LIST_TYPE (program), LISTED_ON,
 *      NAME_ORIGINAL_SCRIPT, TITLE/VALUE, DESIGNATION/VALUE, NATIONALITY/VALUE,
 *      GENDER, COMMENTS1, INDIVIDUAL_ALIAS{QUALITY, ALIAS_NAME},
 *      INDIVIDUAL_DATE_OF_BIRTH{TYPE_OF_DATE, DATE | YEAR | FROM_YEAR/TO_YEAR},
 *      INDIVIDUAL_PLACE_OF_BIRTH{CITY, STATE_PROVINCE, COUNTRY},
 *      INDIVIDUAL_ADDRESS{STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY},
 *      INDIVIDUAL_DOCUMENT{TYPE_OF_DOCUMENT, NUMBER, ISSUING_COUNTRY, ...}
 *    ENTITIES/ENTITY   the same with FIRST_NAME as the name, ENTITY_ALIAS,
 *                      ENTITY_ADDRESS
 *
 * Alias QUALITY "Low" is a weak alias; "Good", "a.k.a." and "f.k.a." are
 * strong.  Network access and entity expansion are disabled (the file is
 * untrusted input).  A parse error stops the read with file and line.
 * The streaming walk is shared with the other XML readers (xml_read.c).
 */
#include <stdio.h>
#include <string.h>

#include "xml_read_int.h"

typedef struct un_ctx {
    txs_lists_builder *b;
    uint32_t src;
    const char *path;
    txs_diag *d;
} un_ctx;

static int ends(const xmlNode *n, const char *suffix)
{
    size_t a = strlen((const char *)n->name), s = strlen(suffix);
    return n->type == XML_ELEMENT_NODE && a >= s &&
           strcmp((const char *)n->name + a - s, suffix) == 0;
}

static int add(un_ctx *x, txs__lent *e, int kind, int sub, const char *v, const char *ext,
               const char *note)
{
    return txs__lists_field(x->b, e, kind, sub, v, strlen(v), ext, ext ? strlen(ext) : 0, note,
                            note ? strlen(note) : 0);
}

/* Join children's texts with ", " (address, place of birth). */
static void join(const xmlNode *n, const char *const *names, char *out, size_t cap)
{
    char buf[1024];
    size_t k = 0;
    out[0] = '\0';
    for (; *names; names++) {
        txs__xml_child(n, *names, buf, sizeof buf);
        txs_slice t = txs__lists_trim((txs_slice){buf, strlen(buf)});
        if (t.n == 0) continue;
        int w = snprintf(out + k, cap - k, "%s%.*s", k ? ", " : "", (int)t.n, t.p);
        if (w < 0 || (size_t)w >= cap - k) break;
        k += (size_t)w;
    }
}

static int dob(un_ctx *x, txs__lent *e, const xmlNode *n)
{
    char type[64], v[128], from[16], to[16], norm[40];
    txs__xml_child(n, "TYPE_OF_DATE", type, sizeof type);
    int circa = strcmp(type, "APPROXIMATELY") == 0;
    if (txs__xml_child(n, "DATE", v, sizeof v)[0] == '\0') txs__xml_child(n, "YEAR", v, sizeof v);
    if (v[0] == '\0' && txs__xml_child(n, "FROM_YEAR", from, sizeof from)[0]) {
        txs__xml_child(n, "TO_YEAR", to, sizeof to);
        snprintf(v, sizeof v, "%s to %s", from, to);
    }
    int c2 = 0;
    size_t k = txs__lists_date(v, strlen(v), norm, &c2);
    if (k == 0) return add(x, e, TXS_F_DOB, circa, v, NULL, v);
    return add(x, e, TXS_F_DOB, circa || c2, norm, NULL, v);
}

static int document(un_ctx *x, txs__lent *e, const xmlNode *n)
{
    char type[256], num[256], country[256], note[600];
    txs__xml_child(n, "TYPE_OF_DOCUMENT", type, sizeof type);
    txs__xml_child(n, "NUMBER", num, sizeof num);
    if (txs__xml_child(n, "ISSUING_COUNTRY", country, sizeof country)[0] == '\0')
        txs__xml_child(n, "COUNTRY_OF_ISSUE", country, sizeof country);
    int kind = TXS_ID_OTHER;
    if (strstr(type, "Passport")) kind = TXS_ID_PASSPORT;
    else if (strstr(type, "National") || strstr(type, "Identification")) kind = TXS_ID_NATIONAL_ID;
    else if (strstr(type, "Tax")) kind = TXS_ID_TAX_ID;
    snprintf(note, sizeof note, "%s", type);
    return add(x, e, TXS_F_ID, kind, num, country, note);
}

static int values(un_ctx *x, txs__lent *e, const xmlNode *n, int kind)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!txs__xml_is(c, "VALUE")) continue;
        xmlChar *t = xmlNodeGetContent(c);
        int rc = t ? add(x, e, kind, 0, (const char *)t, NULL, NULL) : TXS_OK;
        xmlFree(t);
        TXS_TRY(rc);
    }
    return TXS_OK;
}

static int part(un_ctx *x, txs__lent *e, const xmlNode *c)
{
    static const char *const ADDR[] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", NULL};
    static const char *const POB[] = {"STREET", "CITY", "STATE_PROVINCE", "COUNTRY", NULL};
    char buf[2048], q[64], cty[256];
    if (ends(c, "_ALIAS")) {
        txs__xml_child(c, "QUALITY", q, sizeof q);
        txs__xml_child(c, "ALIAS_NAME", buf, sizeof buf);
        return add(x, e, TXS_F_ALIAS, strcmp(q, "Low") == 0 ? TXS_ALIAS_WEAK : TXS_ALIAS_STRONG,
                   buf, q, NULL);
    }
    if (ends(c, "_ADDRESS")) {
        join(c, ADDR, buf, sizeof buf);
        txs__xml_child(c, "COUNTRY", cty, sizeof cty);
        TXS_TRY(add(x, e, TXS_F_ADDRESS, 0, buf, cty, txs__xml_child(c, "NOTE", q, sizeof q)));
        return add(x, e, TXS_F_COUNTRY, 0, cty, NULL, NULL);
    }
    if (txs__xml_is(c, "INDIVIDUAL_DATE_OF_BIRTH")) return dob(x, e, c);
    if (txs__xml_is(c, "INDIVIDUAL_PLACE_OF_BIRTH")) {
        join(c, POB, buf, sizeof buf);
        return add(x, e, TXS_F_POB, 0, buf, NULL, NULL);
    }
    if (txs__xml_is(c, "INDIVIDUAL_DOCUMENT")) return document(x, e, c);
    if (txs__xml_is(c, "NATIONALITY")) return values(x, e, c, TXS_F_NATIONALITY);
    if (txs__xml_is(c, "TITLE") || txs__xml_is(c, "DESIGNATION")) return values(x, e, c, TXS_F_TITLE);
    xmlChar *t = xmlNodeGetContent(c);
    const char *v = t ? (const char *)t : "";
    int rc = TXS_OK;
    if (txs__xml_is(c, "UN_LIST_TYPE")) rc = add(x, e, TXS_F_PROGRAM, 0, v, NULL, NULL);
    else if (txs__xml_is(c, "LISTED_ON")) rc = add(x, e, TXS_F_LISTED_ON, 0, v, NULL, NULL);
    else if (txs__xml_is(c, "NAME_ORIGINAL_SCRIPT")) rc = add(x, e, TXS_F_ORIG_SCRIPT, 0, v, NULL, NULL);
    else if (txs__xml_is(c, "GENDER")) rc = add(x, e, TXS_F_GENDER, 0, v, NULL, NULL);
    else if (txs__xml_is(c, "COMMENTS1")) rc = add(x, e, TXS_F_REMARK, 0, v, NULL, NULL);
    xmlFree(t);
    return rc;
}

static int record(un_ctx *x, const xmlNode *n, int type, long line)
{
    static const char *const NAMES[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME", NULL};
    char ref[128], name[2048], id[160];
    txs__xml_child(n, "REFERENCE_NUMBER", ref, sizeof ref);
    if (ref[0] == '\0')
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, (unsigned long)line,
                            "%s without REFERENCE_NUMBER", (const char *)n->name);
    name[0] = '\0';
    size_t k = 0;
    for (const char *const *p = NAMES; *p; p++) {
        char buf[512];
        txs_slice t = txs__lists_trim((txs_slice){buf, strlen(txs__xml_child(n, *p, buf, sizeof buf))});
        if (t.n && k + t.n + 2 < sizeof name)
            k += (size_t)snprintf(name + k, sizeof name - k, "%s%.*s", k ? " " : "", (int)t.n, t.p);
    }
    if (k == 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, (unsigned long)line, "%s %s without a name",
                            (const char *)n->name, ref);
    int idn = snprintf(id, sizeof id, "UN:%s", txs__lists_trim((txs_slice){ref, strlen(ref)}).p);
    txs__lent *e = txs__lists_entity(x->b, x->src, id, (size_t)idn, type, name, k);
    if (e == NULL) return TXS_E_NOMEM;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) TXS_TRY(part(x, e, c));
    return TXS_OK;
}

/* The root carries the date; INDIVIDUAL and ENTITY elements are records. */
static int pick(void *ctx, xmlTextReaderPtr r, const char *name, int depth, unsigned long line)
{
    un_ctx *x = ctx;
    (void)line;
    if (depth == 0) {
        xmlChar *date = xmlTextReaderGetAttribute(r, (const xmlChar *)"dateGenerated");
        if (date) snprintf(x->b->srcs[x->src].date, sizeof x->b->srcs[x->src].date, "%s", date);
        xmlFree(date);
        return 0;
    }
    return strcmp(name, "INDIVIDUAL") == 0 ? TXS_ENT_INDIVIDUAL
           : strcmp(name, "ENTITY") == 0   ? TXS_ENT_ENTITY
                                           : 0;
}

static int on_record(void *ctx, const xmlNode *n, int type, unsigned long line)
{
    un_ctx *x = ctx;
    x->b->srcs[x->src].records++;
    return record(x, n, type, (long)line);
}

int txs__lists_read_un(txs_lists_builder *b, const char *path, txs_diag *d)
{
    un_ctx x = {b, 0, path, d};
    TXS_TRY(txs__lists_source(b, path, "un-xml", "UN", UINT32_MAX, &x.src, d));
    int rc = txs__xml_walk(path, "CONSOLIDATED_LIST", pick, on_record, &x, d);
    if (rc == 0 && b->srcs[x.src].records == 0)
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 0, "no INDIVIDUAL or ENTITY records");
    return rc;
}
