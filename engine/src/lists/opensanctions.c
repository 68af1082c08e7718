/*
 * opensanctions.c: reader for OpenSanctions' `targets.simple.csv`: one row
 * per target with a header
 *
 *   id,schema,name,aliases,birth_date,countries,addresses,identifiers,
 *   sanctions,phones,emails,program_ids,dataset,first_seen,last_seen,last_change
 *
 * Multi-valued cells are ';'-separated.  schema maps to the entity type
 * (Person -> individual, Vessel -> vessel, Airplane -> aircraft, the rest
 * -> entity).  Identifiers are untyped in this format; an "IMO1234567"
 * value is typed as IMO, the rest as other_id.  Columns are found by
 * header name, so a reordered export still reads.
 *
 * The file states no publication date; the source's date is the latest
 * `last_seen` day of its rows (the day of the export's crawl), so hits
 * cite a date rather than the file's hash.
 */
#include <string.h>

#include "lists_int.h"

enum { C_ID, C_SCHEMA, C_NAME, C_ALIASES, C_BIRTH, C_COUNTRIES, C_ADDR, C_IDENT, C_SANCT,
       C_PHONES, C_EMAILS, C_PROGRAMS, C_DATASET, C_LAST_CHANGE, C_LAST_SEEN, C_N };

static const char *const COLS[C_N] = {"id", "schema", "name", "aliases", "birth_date",
                                      "countries", "addresses", "identifiers", "sanctions",
                                      "phones", "emails", "program_ids", "dataset",
                                      "last_change", "last_seen"};

static int schema_type(txs_slice s)
{
    if (txs_slice_eq(s, "Person")) return TXS_ENT_INDIVIDUAL;
    if (txs_slice_eq(s, "Vessel")) return TXS_ENT_VESSEL;
    if (txs_slice_eq(s, "Airplane")) return TXS_ENT_AIRCRAFT;
    return TXS_ENT_ENTITY;
}

/* One field per ';'-separated value of a cell. */
static int multi(txs_lists_builder *b, txs__lent *e, txs_slice cell, int kind, const char *ext)
{
    size_t s = 0;
    for (size_t i = 0; i <= cell.n; i++) {
        if (i < cell.n && cell.p[i] != ';') continue;
        txs_slice v = txs__lists_trim((txs_slice){cell.p + s, i - s});
        s = i + 1;
        if (v.n == 0) continue;
        int sub = 0;
        char norm[40];
        int circa = 0;
        if (kind == TXS_F_ID) {
            sub = v.n > 3 && memcmp(v.p, "IMO", 3) == 0 ? TXS_ID_IMO : TXS_ID_OTHER;
            if (sub == TXS_ID_IMO) v.p += 3, v.n -= 3;
        }
        if (kind == TXS_F_DOB) {
            size_t k = txs__lists_date(v.p, v.n, norm, &circa);
            if (k) {
                TXS_TRY(txs__lists_field(b, e, kind, circa, norm, k, NULL, 0, v.p, v.n));
                continue;
            }
        }
        TXS_TRY(txs__lists_field(b, e, kind, sub, v.p, v.n, ext, ext ? strlen(ext) : 0, NULL, 0));
    }
    return TXS_OK;
}

static int row(txs_lists_builder *b, uint32_t src, const txs__lcsv *r, const int *col,
               txs_diag *d)
{
    txs_slice f[C_N];
    for (int i = 0; i < C_N; i++)
        f[i] = col[i] < 0 ? (txs_slice){"", 0} : txs__lists_trim(txs__lcsv_field(r, (size_t)col[i]));
    if ((size_t)col[C_NAME] >= r->nf || f[C_ID].n == 0)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "row without id or name");
    char id[300];
    int idn = snprintf(id, sizeof id, "OS:%.*s", (int)(f[C_ID].n > 280 ? 280 : f[C_ID].n), f[C_ID].p);
    txs__lent *e = txs__lists_entity(b, src, id, (size_t)idn, schema_type(f[C_SCHEMA]),
                                     f[C_NAME].p, f[C_NAME].n);
    if (e == NULL) return TXS_E_NOMEM;
    TXS_TRY(multi(b, e, f[C_PROGRAMS], TXS_F_PROGRAM, NULL));
    TXS_TRY(multi(b, e, f[C_ALIASES], TXS_F_ALIAS, "alias"));
    TXS_TRY(multi(b, e, f[C_BIRTH], TXS_F_DOB, NULL));
    TXS_TRY(multi(b, e, f[C_COUNTRIES], TXS_F_COUNTRY, NULL));
    TXS_TRY(multi(b, e, f[C_ADDR], TXS_F_ADDRESS, NULL));
    TXS_TRY(multi(b, e, f[C_IDENT], TXS_F_ID, NULL));
    TXS_TRY(multi(b, e, f[C_SANCT], TXS_F_OTHER, "sanction"));
    TXS_TRY(multi(b, e, f[C_PHONES], TXS_F_OTHER, "phone"));
    TXS_TRY(multi(b, e, f[C_EMAILS], TXS_F_OTHER, "email"));
    TXS_TRY(multi(b, e, f[C_DATASET], TXS_F_OTHER, "dataset"));
    /* "2026-03-13T05:41:01": the day is the first ten bytes; ISO days
     * compare as strings. */
    char day[24], *date = b->srcs[src].date;
    if (f[C_LAST_SEEN].n >= 10 && txs__lists_numeric_date(f[C_LAST_SEEN].p, 10, day) == 10 &&
        strcmp(day, date) > 0)
        snprintf(date, sizeof b->srcs[src].date, "%s", day);
    return TXS_OK;
}

int txs__lists_read_os_simple(txs_lists_builder *b, const char *path, txs_diag *d)
{
    uint32_t src;
    TXS_TRY(txs__lists_source(b, path, "os-simple", "OS", UINT32_MAX, &src, d));
    txs__lcsv r;
    TXS_TRY(txs__lcsv_open(&r, path, ',', d));
    int rc = txs__lcsv_next(&r, d), col[C_N];
    if (rc == 1) {
        for (int i = 0; i < C_N; i++) col[i] = txs__lcsv_col(&r, COLS[i]);
        if (col[C_ID] < 0 || col[C_NAME] < 0 || col[C_SCHEMA] < 0)
            rc = txs_diag_set(d, TXS_E_FORMAT, path, r.line, "header lacks id, schema or name");
    }
    while (rc >= 0 && (rc = txs__lcsv_next(&r, d)) == 1) {
        b->srcs[src].records++;
        rc = row(b, src, &r, col, d);
        if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, r.line, "out of memory");
    }
    txs__lcsv_close(&r);
    return rc < 0 ? rc : TXS_OK;
}
