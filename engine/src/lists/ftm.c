/*
 * ftm.c: reader for FollowTheMoney entity JSON lines (OpenSanctions'
 * entities.ftm.json and its delta files).  One JSON object a line:
 *
 *   {"id":..,"schema":"Person","caption":..,"properties":{"name":[..],..}}
 *   {"op":"ADD"|"MOD"|"DEL","entity":{...}}        delta record
 *
 * ADD and MOD replace any entity of that id (the builder keeps the latest);
 * DEL removes it.  Only "thing" schemata become entities; helper schemata
 * (Address, Sanction, Identification, ...) are counted and skipped.  Each
 * line is parsed by the one JSON reader (txs/json_read.h) into a document
 * whose arena is reset by the next line, so memory stays one record deep.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists_int.h"
#include "txs/json_read.h"

typedef struct prop {
    const char *name;
    int kind, sub;
} prop;

static const prop PROPS[] = {
    {"alias", TXS_F_ALIAS, TXS_ALIAS_STRONG},
    {"previousName", TXS_F_ALIAS, TXS_ALIAS_STRONG},
    {"weakAlias", TXS_F_ALIAS, TXS_ALIAS_WEAK},
    {"birthDate", TXS_F_DOB, 0},
    {"birthPlace", TXS_F_POB, 0},
    {"nationality", TXS_F_NATIONALITY, 0},
    {"citizenship", TXS_F_CITIZENSHIP, 0},
    {"country", TXS_F_COUNTRY, 0},
    {"jurisdiction", TXS_F_COUNTRY, 0},
    {"flag", TXS_F_COUNTRY, 0},
    {"address", TXS_F_ADDRESS, 0},
    {"passportNumber", TXS_F_ID, TXS_ID_PASSPORT},
    {"idNumber", TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"taxNumber", TXS_F_ID, TXS_ID_TAX_ID},
    {"innCode", TXS_F_ID, TXS_ID_TAX_ID},
    {"vatCode", TXS_F_ID, TXS_ID_TAX_ID},
    {"swiftBic", TXS_F_ID, TXS_ID_SWIFT_BIC},
    {"imoNumber", TXS_F_ID, TXS_ID_IMO},
    {"mmsi", TXS_F_ID, TXS_ID_MMSI},
    {"callSign", TXS_F_ID, TXS_ID_CALL_SIGN},
    {"leiCode", TXS_F_ID, TXS_ID_LEI},
    {"registrationNumber", TXS_F_ID, TXS_ID_REGISTRATION},
    {"ogrnCode", TXS_F_ID, TXS_ID_REGISTRATION},
    {"iban", TXS_F_ID, TXS_ID_IBAN},
    {"gender", TXS_F_GENDER, 0},
    {"position", TXS_F_TITLE, 0},
    {"title", TXS_F_TITLE, 0},
    {"program", TXS_F_PROGRAM, 0},
    {"programId", TXS_F_PROGRAM, 0},
    {"createdAt", TXS_F_LISTED_ON, 0},
    {"notes", TXS_F_REMARK, 0},
    {"summary", TXS_F_REMARK, 0},
    {"topics", TXS_F_OTHER, 0},
};

static int schema_type(const char *s)
{
    static const char *const ENT[] = {"Organization", "Company", "LegalEntity", "PublicBody"};
    if (strcmp(s, "Person") == 0) return TXS_ENT_INDIVIDUAL;
    if (strcmp(s, "Vessel") == 0) return TXS_ENT_VESSEL;
    if (strcmp(s, "Airplane") == 0) return TXS_ENT_AIRCRAFT;
    for (size_t i = 0; i < TXS_ARRAY_LEN(ENT); i++)
        if (strcmp(s, ENT[i]) == 0) return TXS_ENT_ENTITY;
    return -1;
}

static int strings(txs_lists_builder *b, txs__lent *e, const txs_json *arr, const prop *p)
{
    if (arr == NULL || arr->type != TXS_JSON_ARR) return TXS_OK;
    for (const txs_json *v = arr->first; v; v = v->next) {
        if (v->type != TXS_JSON_STR) continue;
        char norm[40];
        int circa = 0;
        size_t k = p->kind == TXS_F_DOB ? txs__lists_date(v->s, v->n, norm, &circa) : 0;
        if (k)
            TXS_TRY(txs__lists_field(b, e, p->kind, circa, norm, k, NULL, 0, v->s, v->n));
        else
            TXS_TRY(txs__lists_field(b, e, p->kind, p->sub, v->s, v->n, p->name,
                                     strlen(p->name), NULL, 0));
    }
    return TXS_OK;
}

/* The file states no date: the source's is the latest "last_seen" day of
 * its entities ("2024-06-01T10:57:03": the first ten bytes), the day the
 * export was crawled, as for targets.simple.csv. */
static void last_seen(txs_lists_builder *b, uint32_t src, const txs_json *v)
{
    char day[24], *date = b->srcs[src].date;
    if (v && v->type == TXS_JSON_STR && v->n >= 10 && txs__lists_numeric_date(v->s, 10, day) == 10 &&
        strcmp(day, date) > 0)
        snprintf(date, sizeof b->srcs[src].date, "%s", day);
}

static int entity(txs_lists_builder *b, uint32_t src, const txs_json *o, const char *path,
                  unsigned long line, txs_diag *d)
{
    const txs_json *id = txs_json_get(o, "id"), *schema = txs_json_get(o, "schema");
    const txs_json *props = txs_json_get(o, "properties"), *cap = txs_json_get(o, "caption");
    if (!id || id->type != TXS_JSON_STR || !schema || schema->type != TXS_JSON_STR)
        return txs_diag_set(d, TXS_E_FORMAT, path, line, "entity without string id and schema");
    int type = schema_type(schema->s);
    if (type < 0) return TXS_OK;
    last_seen(b, src, txs_json_get(o, "last_seen"));
    const txs_json *names = txs_json_get(props, "name");
    const txs_json *first = names && names->type == TXS_JSON_ARR ? names->first : NULL;
    const txs_json *nm = cap && cap->type == TXS_JSON_STR ? cap : first;
    if (nm == NULL || nm->type != TXS_JSON_STR)
        return txs_diag_set(d, TXS_E_FORMAT, path, line, "entity %s has no name", id->s);
    char qid[300];
    int n = snprintf(qid, sizeof qid, "OS:%.280s", id->s);
    txs__lent *e = txs__lists_entity(b, src, qid, (size_t)n, type, nm->s, nm->n);
    if (e == NULL) return TXS_E_NOMEM;
    /* Every "name" other than the one chosen as primary is a strong alias. */
    static const prop NAME = {"name", TXS_F_ALIAS, TXS_ALIAS_STRONG};
    if (names && names->type == TXS_JSON_ARR)
        for (const txs_json *v = names->first; v; v = v->next) {
            if (v->type != TXS_JSON_STR || (v->n == nm->n && memcmp(v->s, nm->s, v->n) == 0)) continue;
            TXS_TRY(txs__lists_field(b, e, NAME.kind, NAME.sub, v->s, v->n, "name", 4, NULL, 0));
        }
    for (size_t i = 0; i < TXS_ARRAY_LEN(PROPS); i++)
        TXS_TRY(strings(b, e, txs_json_get(props, PROPS[i].name), &PROPS[i]));
    return TXS_OK;
}

static int line_(txs_lists_builder *b, uint32_t src, txs_json_doc *doc, const char *p, size_t n,
                 const char *path, unsigned long ln, txs_diag *d)
{
    int rc = txs_json_parse(doc, p, n);
    if (rc == TXS_E_NOMEM) return rc;
    if (rc < 0) return txs_diag_set(d, TXS_E_FORMAT, path, ln, "JSON: %s", doc->err);
    const txs_json *o = doc->root;
    if (o->type != TXS_JSON_OBJ) return txs_diag_set(d, TXS_E_FORMAT, path, ln, "not a JSON object");
    const txs_json *op = txs_json_get(o, "op");
    if (op == NULL) return entity(b, src, o, path, ln, d);
    const txs_json *ent = txs_json_get(o, "entity");
    if (op->type != TXS_JSON_STR || ent == NULL || ent->type != TXS_JSON_OBJ)
        return txs_diag_set(d, TXS_E_FORMAT, path, ln, "delta record needs \"op\" and \"entity\"");
    if (strcmp(op->s, "ADD") == 0 || strcmp(op->s, "MOD") == 0) return entity(b, src, ent, path, ln, d);
    if (strcmp(op->s, "DEL") != 0)
        return txs_diag_set(d, TXS_E_FORMAT, path, ln, "unknown delta op '%s'", op->s);
    const txs_json *id = txs_json_get(ent, "id");
    if (id == NULL || id->type != TXS_JSON_STR)
        return txs_diag_set(d, TXS_E_FORMAT, path, ln, "DEL without entity id");
    char qid[300];
    int k = snprintf(qid, sizeof qid, "OS:%.280s", id->s);
    txs__lent *e = txs__lists_lookup(b, qid, (size_t)k);
    if (e) e->deleted = 1;
    return TXS_OK;
}

int txs__lists_read_ftm(txs_lists_builder *b, const char *path, txs_diag *d)
{
    uint32_t src;
    TXS_TRY(txs__lists_source(b, path, "ftm", "OS", UINT32_MAX, &src, d));
    FILE *f = fopen(path, "rb");
    if (f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    txs_json_doc doc;
    txs_json_init(&doc);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long ln = 0;
    int rc = TXS_OK;
    while (rc == TXS_OK && (n = getline(&buf, &cap, f)) >= 0) {
        ln++;
        txs_slice t = txs__lists_trim((txs_slice){buf, (size_t)n});
        if (t.n == 0) continue;
        b->srcs[src].records++;
        rc = line_(b, src, &doc, t.p, t.n, path, ln, d);
        if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, ln, "out of memory");
    }
    free(buf);
    txs_json_free(&doc);
    fclose(f);
    /* Deleted entities stay in the builder, marked; the writer skips them. */
    return rc;
}
