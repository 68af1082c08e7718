/*
 * ofac_sls.c: reader for OFAC's Sanctions List Service XML (SDN.XML and
 * CONSOLIDATED.XML, root <sdnList> in the SLS namespace), streamed with the
 * shared XML walk (xml_read.c): each <sdnEntry> is expanded on its own and
 * becomes one entity.
 *
 *   sdnList
 *    publshInformation{Publish_Date mm/dd/yyyy, Record_Count}  -> source date
 *    sdnEntry                                  -> "OFAC-SDN:<uid>" / "OFAC-CONS:<uid>"
 *      uid, lastName, firstName ("LAST, First", as the legacy sdn.csv),
 *      sdnType, title, programList/program, remarks,
 *      akaList/aka{type, category strong|weak, lastName, firstName},
 *      idList/id{idType, idNumber, idCountry, issueDate, expirationDate},
 *      dateOfBirthList/dateOfBirthItem/dateOfBirth,
 *      placeOfBirthList/placeOfBirthItem/placeOfBirth,
 *      nationalityList/nationality/country, citizenshipList/citizenship/country,
 *      addressList/address{address1..3, city, stateOrProvince, postalCode, country},
 *      vesselInfo{callSign, vesselType, vesselFlag, vesselOwner, tonnage,
 *                 grossRegisteredTonnage}
 *
 * The SLS file spells out as elements what the legacy CSV packs into its
 * remarks column, with the same labels ("Passport", "SWIFT/BIC",
 * "Digital Currency Address - XBT", "Gender", "Target Type"...), so each
 * id, DOB, POB, nationality and citizenship is typed by the remarks
 * vocabulary (ofac_remarks.c) and counted per kind for `lists info`; one
 * table of OFAC labels serves both formats.  The list is OFAC-CONS when the
 * file's name contains "cons" (CONSOLIDATED.XML), else OFAC-SDN: entries
 * keep the ids the legacy files give them.  Record_Count, when present,
 * must equal the entries read (a cut download otherwise reads "fine").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml_read_int.h"

enum { K_INFO = 1, K_ENTRY = 2 };

typedef struct sls_ctx {
    txs_lists_builder *b;
    uint32_t src;
    const char *path;
    txs_diag *d;
    long record_count;        /* -1: the file states none */
    unsigned long info_line;
} sls_ctx;

static txs_slice text(const char *s)
{
    return txs__lists_trim((txs_slice){s, strlen(s)});
}

static int add(sls_ctx *x, txs__lent *e, int kind, int sub, const char *v, const char *ext,
               const char *note)
{
    return txs__lists_field(x->b, e, kind, sub, v, strlen(v), ext, ext ? strlen(ext) : 0, note,
                            note ? strlen(note) : 0);
}

/* "LAST, First" from an element's lastName / firstName into out. */
static size_t full_name(const xmlNode *n, char *out, size_t cap)
{
    char last[1024], first[1024];
    txs_slice l = text(txs__xml_child(n, "lastName", last, sizeof last));
    txs_slice f = text(txs__xml_child(n, "firstName", first, sizeof first));
    int k = f.n ? snprintf(out, cap, "%.*s, %.*s", (int)l.n, l.p, (int)f.n, f.p)
                : snprintf(out, cap, "%.*s", (int)l.n, l.p);
    return k < 0 ? 0 : (size_t)k >= cap ? cap - 1 : (size_t)k;
}

static int aka(sls_ctx *x, txs__lent *e, const xmlNode *n)
{
    char name[2100], type[64], cat[32];
    size_t k = full_name(n, name, sizeof name);
    txs__xml_child(n, "type", type, sizeof type);
    txs__xml_child(n, "category", cat, sizeof cat);
    txs_slice c = text(cat);
    int sub = c.n == 4 && strncasecmp(c.p, "weak", 4) == 0 ? TXS_ALIAS_WEAK : TXS_ALIAS_STRONG;
    return txs__lists_field(x->b, e, TXS_F_ALIAS, sub, name, k, type, strlen(type), NULL, 0);
}

static int ident(sls_ctx *x, txs__lent *e, const xmlNode *n)
{
    char type[256], num[2048], cty[256], issued[64], expires[64];
    txs__xml_child(n, "idType", type, sizeof type);
    txs__xml_child(n, "idNumber", num, sizeof num);
    txs__xml_child(n, "idCountry", cty, sizeof cty);
    uint32_t before = e->nf;
    TXS_TRY(txs__lists_ofac_feature(x->b, x->src, e, text(type), text(num), text(cty)));
    /* Issue and expiry dates belong to the identifier just made. */
    txs__xml_child(n, "issueDate", issued, sizeof issued);
    txs__xml_child(n, "expirationDate", expires, sizeof expires);
    if ((issued[0] || expires[0]) && e->nf > before && e->f[e->nf - 1].kind == TXS_F_ID) {
        txs__lfield *f = &e->f[e->nf - 1];
        char note[1024];
        int k = snprintf(note, sizeof note, "%.*s%s%s%s%s", (int)f->nlen, f->note,
                         issued[0] ? " issued " : "", issued, expires[0] ? " expires " : "",
                         expires);
        f->note = txs__lists_dup(x->b, note, k < 0 ? 0 : (size_t)k >= sizeof note ? sizeof note - 1 : (size_t)k);
        if (f->note == NULL) return TXS_E_NOMEM;
        f->nlen = (uint32_t)strlen(f->note);
    }
    return TXS_OK;
}

/* One item of a *List whose value is child `elem`, typed by `label`. */
static int feature(sls_ctx *x, txs__lent *e, const xmlNode *n, const char *elem, const char *label)
{
    char v[1024];
    txs__xml_child(n, elem, v, sizeof v);
    return txs__lists_ofac_feature(x->b, x->src, e, text(label), text(v), text(""));
}

static int address(sls_ctx *x, txs__lent *e, const xmlNode *n)
{
    static const char *const PARTS[] = {"address1", "address2", "address3", "city",
                                        "stateOrProvince", "postalCode", "country", NULL};
    char line[4096], buf[1024], cty[256];
    size_t k = 0;
    line[0] = '\0';
    for (const char *const *p = PARTS; *p; p++) {
        txs_slice t = text(txs__xml_child(n, *p, buf, sizeof buf));
        if (t.n == 0) continue;
        int w = snprintf(line + k, sizeof line - k, "%s%.*s", k ? ", " : "", (int)t.n, t.p);
        if (w < 0 || (size_t)w >= sizeof line - k) break;
        k += (size_t)w;
    }
    txs__xml_child(n, "country", cty, sizeof cty);
    TXS_TRY(add(x, e, TXS_F_ADDRESS, 0, line, cty, NULL));
    /* The address country is also a country of the entity (once), as the
     * legacy reader does with add.csv. */
    txs_slice c = text(cty);
    for (uint32_t i = 0; i < e->nf; i++)
        if (e->f[i].kind == TXS_F_COUNTRY && e->f[i].vlen == c.n && memcmp(e->f[i].val, c.p, c.n) == 0)
            return TXS_OK;
    return add(x, e, TXS_F_COUNTRY, 0, cty, NULL, NULL);
}

static int vessel(sls_ctx *x, txs__lent *e, const xmlNode *n)
{
    static const char *const OTHER[][2] = {{"vesselType", "Vessel Type"}, {"vesselFlag", "Vessel Flag"},
                                           {"vesselOwner", "Vessel Owner"}, {"tonnage", "Tonnage"},
                                           {"grossRegisteredTonnage", "GRT"}};
    char v[1024];
    if (txs__xml_child(n, "callSign", v, sizeof v)[0])
        TXS_TRY(add(x, e, TXS_F_ID, TXS_ID_CALL_SIGN, v, NULL, "Vessel Call Sign"));
    for (size_t i = 0; i < TXS_ARRAY_LEN(OTHER); i++)
        if (txs__xml_child(n, OTHER[i][0], v, sizeof v)[0])
            TXS_TRY(add(x, e, TXS_F_OTHER, 0, v, OTHER[i][1], NULL));
    return TXS_OK;
}

/* Each element of list `n` named `item` through fn. */
static int each(sls_ctx *x, txs__lent *e, const xmlNode *n, const char *item,
                int (*fn)(sls_ctx *, txs__lent *, const xmlNode *))
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (txs__xml_is(c, item)) TXS_TRY(fn(x, e, c));
    return TXS_OK;
}

static int dob(sls_ctx *x, txs__lent *e, const xmlNode *n) { return feature(x, e, n, "dateOfBirth", "DOB"); }
static int pob(sls_ctx *x, txs__lent *e, const xmlNode *n) { return feature(x, e, n, "placeOfBirth", "POB"); }
static int nat(sls_ctx *x, txs__lent *e, const xmlNode *n) { return feature(x, e, n, "country", "nationality"); }
static int cit(sls_ctx *x, txs__lent *e, const xmlNode *n) { return feature(x, e, n, "country", "citizen"); }

static int program(sls_ctx *x, txs__lent *e, const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    int rc = t ? add(x, e, TXS_F_PROGRAM, 0, (const char *)t, NULL, NULL) : TXS_OK;
    xmlFree(t);
    return rc;
}

static int part(sls_ctx *x, txs__lent *e, const xmlNode *c)
{
    if (txs__xml_is(c, "programList")) return each(x, e, c, "program", program);
    if (txs__xml_is(c, "akaList")) return each(x, e, c, "aka", aka);
    if (txs__xml_is(c, "idList")) return each(x, e, c, "id", ident);
    if (txs__xml_is(c, "addressList")) return each(x, e, c, "address", address);
    if (txs__xml_is(c, "dateOfBirthList")) return each(x, e, c, "dateOfBirthItem", dob);
    if (txs__xml_is(c, "placeOfBirthList")) return each(x, e, c, "placeOfBirthItem", pob);
    if (txs__xml_is(c, "nationalityList")) return each(x, e, c, "nationality", nat);
    if (txs__xml_is(c, "citizenshipList")) return each(x, e, c, "citizenship", cit);
    if (txs__xml_is(c, "vesselInfo")) return vessel(x, e, c);
    int rc = TXS_OK;
    if (txs__xml_is(c, "title") || txs__xml_is(c, "remarks")) {
        xmlChar *t = xmlNodeGetContent(c);
        const char *v = t ? (const char *)t : "";
        rc = txs__xml_is(c, "title") ? add(x, e, TXS_F_TITLE, 0, v, NULL, NULL)
                                     : txs__lists_ofac_free_remarks(x->b, x->src, e, v, strlen(v));
        xmlFree(t);
    }
    return rc; /* uid, names and sdnType are read by entry() */
}

static int entry(sls_ctx *x, const xmlNode *n, unsigned long line)
{
    static const char *const TYPES[] = {"", "Individual", "Entity", "Vessel", "Aircraft"};
    char uid[64], type[64], name[2100], id[128];
    txs_slice u = text(txs__xml_child(n, "uid", uid, sizeof uid));
    if (u.n == 0) return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "sdnEntry without uid");
    size_t k = full_name(n, name, sizeof name);
    if (k == 0 || name[0] == ',')
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "sdnEntry %.*s without lastName",
                            (int)u.n, u.p);
    txs_slice t = text(txs__xml_child(n, "sdnType", type, sizeof type));
    int et = 0;
    for (int i = 1; i < TXS_ENT_TYPES; i++)
        if (t.n == strlen(TYPES[i]) && strncasecmp(t.p, TYPES[i], t.n) == 0) et = i;
    if (et == 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "sdnEntry %.*s: unknown sdnType '%.*s'",
                            (int)u.n, u.p, (int)t.n, t.p);
    int idn = snprintf(id, sizeof id, "%s:%.*s", x->b->srcs[x->src].list, (int)u.n, u.p);
    txs__lent *e = txs__lists_entity(x->b, x->src, id, (size_t)idn, et, name, k);
    if (e == NULL) return TXS_E_NOMEM;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) TXS_TRY(part(x, e, c));
    return TXS_OK;
}

/* Publish_Date is mm/dd/yyyy; stored as yyyy-mm-dd. */
static int info(sls_ctx *x, const xmlNode *n, unsigned long line)
{
    char date[64], count[32];
    txs_slice s = text(txs__xml_child(n, "Publish_Date", date, sizeof date));
    unsigned mm, dd, yy;
    char end;
    if (s.n) {
        if (s.n != 10 || sscanf(s.p, "%2u/%2u/%4u%c", &mm, &dd, &yy, &end) != 3 || mm < 1 || mm > 12 ||
            dd < 1 || dd > 31 || s.p[2] != '/' || s.p[5] != '/')
            return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line,
                                "Publish_Date '%.*s' is not mm/dd/yyyy", (int)s.n, s.p);
        snprintf(x->b->srcs[x->src].date, sizeof x->b->srcs[x->src].date, "%04u-%02u-%02u", yy, mm, dd);
    }
    txs_slice c = text(txs__xml_child(n, "Record_Count", count, sizeof count));
    if (c.n) {
        char *stop;
        long v = strtol(c.p, &stop, 10);
        if (stop != c.p + c.n || v < 0)
            return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "Record_Count '%.*s' is not a number",
                                (int)c.n, c.p);
        x->record_count = v;
        x->info_line = line;
    }
    return TXS_OK;
}

static int pick(void *ctx, xmlTextReaderPtr r, const char *name, int depth, unsigned long line)
{
    (void)ctx, (void)r, (void)line;
    if (depth != 1) return 0;
    return strcmp(name, "sdnEntry") == 0 ? K_ENTRY : strcmp(name, "publshInformation") == 0 ? K_INFO : 0;
}

static int on_record(void *ctx, const xmlNode *n, int kind, unsigned long line)
{
    sls_ctx *x = ctx;
    if (kind == K_INFO) return info(x, n, line);
    x->b->srcs[x->src].records++;
    return entry(x, n, line);
}

int txs__lists_read_ofac_sls(txs_lists_builder *b, const char *path, txs_diag *d)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int cons = 0;
    for (const char *p = base; *p && !cons; p++) cons = strncasecmp(p, "cons", 4) == 0;
    sls_ctx x = {b, 0, path, d, -1, 0};
    TXS_TRY(txs__lists_source(b, path, "ofac-sls-xml", cons ? "OFAC-CONS" : "OFAC-SDN", UINT32_MAX,
                              &x.src, d));
    TXS_TRY(txs__xml_walk(path, "sdnList", pick, on_record, &x, d));
    uint32_t n = b->srcs[x.src].records;
    if (n == 0) return txs_diag_set(d, TXS_E_FORMAT, path, 0, "no sdnEntry records");
    if (x.record_count >= 0 && (uint32_t)x.record_count != n)
        return txs_diag_set(d, TXS_E_FORMAT, path, x.info_line,
                            "Record_Count says %ld entries, the file has %u", x.record_count, n);
    return TXS_OK;
}
