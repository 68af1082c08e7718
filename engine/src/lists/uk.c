/*
 * uk.c: reader for the UK sanctions list CSVs, in both published shapes:
 *
 *   OFSI consolidated list "ConList.csv" (HM Treasury, 2022 format):
 *     Last Updated,03/06/2026                      <- list date
 *     Name 6,Name 1..Name 5,Title,Name Non-Latin Script,...,Group Type,
 *     Alias Type,Alias Quality,Regime,Listed On,...,Last Updated,Group ID
 *     one row per name (x DOB x address), grouped by Group ID -> "UK-OFSI:<id>"
 *
 *   FCDO "UK Sanctions List" CSV:
 *     Report Date: 13-Feb-2026                     <- list date
 *     Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,
 *     Name 1..5,Name type,Alias strength,...,IMO number,...
 *     one row per name, grouped by Unique ID -> "UK-SL:<id>"
 *
 * Both are ','-separated with a line above the header.  Columns are found
 * by header name through one table holding each column's name in either
 * file, so the row code is shared.  Rows of one designation are not
 * adjacent (ConList is sorted by name), so they are grouped with a lookup.
 * "Primary name" rows give the name (Name 1..5 then Name 6); other rows
 * are aliases, weak when their quality / strength starts with "Low".
 * Multi-valued cells are "(1) A (2) B" (OFSI) or "A|B" (FCDO).  Every row
 * must have as many fields as the header, and DOB and listing dates must
 * be dd/mm/yyyy (00 for an unknown day or month), or the read stops with
 * file and line.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"

enum {
    U_NAME6, U_NAME1, U_NAME2, U_NAME3, U_NAME4, U_NAME5, U_TITLE, U_SCRIPT, U_SCRIPT_LANG,
    U_DOB, U_TOWN, U_CBIRTH, U_NAT, U_PASS, U_PASS_DET, U_NID, U_NID_DET, U_POSITION,
    U_ADDR1, U_ADDR2, U_ADDR3, U_ADDR4, U_ADDR5, U_ADDR6, U_POST, U_COUNTRY, U_OTHER,
    U_REASONS, U_TYPE, U_ALIAS_TYPE, U_QUALITY, U_REGIME, U_LISTED, U_UKSL_DATE, U_UPDATED,
    U_GID, U_OFSI_GID, U_UNREF, U_GENDER, U_PHONE, U_WEB, U_EMAIL, U_SANCTIONS, U_IMO,
    U_BREG, U_PARENT, U_FLAG, U_SHIP_TYPE,
    UK_NCOLS
};
_Static_assert(UK_NCOLS <= TXS__LROW_MAX_COLS, "txs__lrow holds every UK column");

enum { OFSI = 0, FCDO = 1 };

/* Each column's header in ConList.csv and in the FCDO file (NULL: absent). */
static const char *const COLS[UK_NCOLS][2] = {
    {"Name 6", "Name 6"}, {"Name 1", "Name 1"}, {"Name 2", "Name 2"}, {"Name 3", "Name 3"},
    {"Name 4", "Name 4"}, {"Name 5", "Name 5"}, {"Title", "Title"},
    {"Name Non-Latin Script", "Name non-latin script"},
    {"Non-Latin Script Language", "Non-latin script language"}, {"DOB", "D.O.B"},
    {"Town of Birth", "Town of birth"}, {"Country of Birth", "Country of birth"},
    {"Nationality", "Nationality(/ies)"}, {"Passport Number", "Passport number"},
    {"Passport Details", "Passport additional information"},
    {"National Identification Number", "National Identifier number"},
    {"National Identification Details", "National Identifier additional information"},
    {"Position", "Position"}, {"Address 1", "Address Line 1"}, {"Address 2", "Address Line 2"},
    {"Address 3", "Address Line 3"}, {"Address 4", "Address Line 4"},
    {"Address 5", "Address Line 5"}, {"Address 6", "Address Line 6"},
    {"Post/Zip Code", "Address Postal Code"}, {"Country", "Address Country"},
    {"Other Information", "Other Information"}, {NULL, "UK Statement of Reasons"},
    {"Group Type", "Designation Type"}, {"Alias Type", "Name type"},
    {"Alias Quality", "Alias strength"}, {"Regime", "Regime Name"},
    {"Listed On", "Date Designated"}, {"UK Sanctions List Date Designated", NULL},
    {"Last Updated", "Last Updated"}, {"Group ID", "Unique ID"}, {NULL, "OFSI Group ID"},
    {NULL, "UN Reference Number"}, {NULL, "Gender"}, {NULL, "Phone number"},
    {NULL, "Website"}, {NULL, "Email address"}, {NULL, "Sanctions Imposed"},
    {NULL, "IMO number"}, {NULL, "Business registration number (s)"},
    {NULL, "Parent company"}, {NULL, "Current believed flag of ship"},
    {NULL, "Type of ship"}};

/* ------------------------------------------------------ multi-valued cells */

/* Length of an enumeration marker "(12)" at p, or 0. */
static size_t marker(const char *p, size_t n)
{
    size_t i = 1;
    if (n < 3 || p[0] != '(') return 0;
    while (i < n && isdigit((unsigned char)p[i])) i++;
    return i > 1 && i < n && p[i] == ')' ? i + 1 : 0;
}

/* The next value of a multi-valued cell from *pos: values are separated by
 * '|', or, when the cell opens with "(1)", by the markers "(k)" (elsewhere
 * a parenthesised number is text: "issued (2019)").  0 at the end. */
static int next_value(txs_slice c, size_t *pos, txs_slice *out)
{
    int enumerated = marker(c.p, c.n) > 0;
    size_t i = *pos, m;
    for (;;) {
        while (i < c.n && (c.p[i] == '|' || isspace((unsigned char)c.p[i]))) i++;
        if (enumerated && i < c.n && (m = marker(c.p + i, c.n - i)) > 0) i += m;
        else break;
    }
    if (i >= c.n) return 0;
    size_t s = i;
    while (i < c.n && c.p[i] != '|' && !(enumerated && marker(c.p + i, c.n - i))) i++;
    *out = txs__lists_trim((txs_slice){c.p + s, i - s});
    *pos = i;
    return 1;
}

static size_t count_values(txs_slice c)
{
    txs_slice v;
    size_t pos = 0, n = 0;
    while (next_value(c, &pos, &v)) n++;
    return n;
}

/* The k-th value of a multi-valued cell (k < count_values). */
static txs_slice nth_value(txs_slice c, size_t k)
{
    txs_slice v = TXS__NONE;
    size_t pos = 0;
    for (size_t i = 0; i <= k && next_value(c, &pos, &v); i++) {}
    return v;
}

/* One field per value of column c.  The note goes with every value, or,
 * when it has as many values as the cell ("(1) 123 (2) 456" with "(1)
 * Russian (2) Russian diplomatic"), value by value. */
static int add_each(txs__lrow *x, txs__lent *e, int kind, int sub, int c, const char *ext,
                    txs_slice note)
{
    txs_slice v, all = txs__lrow_cell(x, c);
    size_t pos = 0, k = 0, n = count_values(all);
    int paired = n > 1 && count_values(note) == n;
    while (next_value(all, &pos, &v))
        TXS_TRY(txs__lrow_add(x, e, kind, sub, v, ext, paired ? nth_value(note, k++) : note));
    return TXS_OK;
}

/* ------------------------------------------------------------------ parts */

static int names(txs__lrow *x, txs__lent *e)
{
    static const int PARTS[] = {U_NAME1, U_NAME2, U_NAME3, U_NAME4, U_NAME5, U_NAME6, -1};
    char buf[1024], type[64];
    txs_slice t = txs__lrow_cell(x, U_ALIAS_TYPE), q = txs__lrow_cell(x, U_QUALITY);
    txs_slice n = txs__lrow_join(x, PARTS, " ", buf, sizeof buf);
    int primary = txs_slice_eq_nocase(t, "Primary name");
    int weak = q.n >= 3 && strncasecmp(q.p, "Low", 3) == 0;
    int tn = snprintf(type, sizeof type, "%.*s", (int)(t.n > 60 ? 60 : t.n), t.p);
    TXS_TRY(txs__lists_name(x->b, e, primary, weak ? TXS_ALIAS_WEAK : TXS_ALIAS_STRONG, n.p, n.n,
                            tn ? type : "alias", tn ? (size_t)tn : 5));
    char lang[64];
    txs_slice l = txs__lrow_cell(x, U_SCRIPT_LANG);
    snprintf(lang, sizeof lang, "%.*s", (int)(l.n > 60 ? 60 : l.n), l.p);
    TXS_TRY(add_each(x, e, TXS_F_ORIG_SCRIPT, 0, U_SCRIPT, lang, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_TITLE, 0, txs__lrow_cell(x, U_TITLE), NULL, TXS__NONE));
    return add_each(x, e, TXS_F_TITLE, 0, U_POSITION, NULL, TXS__NONE);
}

/* A date column that must hold dd/mm/yyyy dates; norm gets the last. */
static int check_dates(txs__lrow *x, int c)
{
    txs_slice v, all = txs__lrow_cell(x, c);
    size_t pos = 0;
    char norm[40];
    while (next_value(all, &pos, &v))
        if (txs__lists_numeric_date(v.p, v.n, norm) == 0)
            return txs__lrow_fail(x, "bad date", c, v);
    return TXS_OK;
}

static int biography(txs__lrow *x, txs__lent *e)
{
    static const int POB[] = {U_TOWN, U_CBIRTH, -1};
    char norm[40], pob[1024];
    txs_slice v, all = txs__lrow_cell(x, U_DOB);
    size_t pos = 0;
    while (next_value(all, &pos, &v)) {
        size_t n = txs__lists_numeric_date(v.p, v.n, norm);
        if (n == 0) return txs__lrow_fail(x, "bad date", U_DOB, v);
        TXS_TRY(txs__lrow_add(x, e, TXS_F_DOB, TXS_DATE_EXACT, (txs_slice){norm, n}, NULL, v));
    }
    TXS_TRY(txs__lrow_add(x, e, TXS_F_POB, 0, txs__lrow_join(x, POB, ", ", pob, sizeof pob), NULL,
                          TXS__NONE));
    TXS_TRY(add_each(x, e, TXS_F_NATIONALITY, 0, U_NAT, NULL, TXS__NONE));
    return txs__lrow_add(x, e, TXS_F_GENDER, 0, txs__lrow_cell(x, U_GENDER), NULL, TXS__NONE);
}

static int documents(txs__lrow *x, txs__lent *e)
{
    TXS_TRY(add_each(x, e, TXS_F_ID, TXS_ID_PASSPORT, U_PASS, NULL, txs__lrow_cell(x, U_PASS_DET)));
    TXS_TRY(
        add_each(x, e, TXS_F_ID, TXS_ID_NATIONAL_ID, U_NID, NULL, txs__lrow_cell(x, U_NID_DET)));
    TXS_TRY(add_each(x, e, TXS_F_ID, TXS_ID_IMO, U_IMO, NULL, TXS__NONE));
    return add_each(x, e, TXS_F_ID, TXS_ID_REGISTRATION, U_BREG, NULL, TXS__NONE);
}

/* ConList has no IMO column: its ships carry "IMO 9123456" (or "IMO
 * number: 9123456") in Other Information.  Take the 7 digits that follow. */
static int imo_in_text(txs__lrow *x, txs__lent *e)
{
    txs_slice t = txs__lrow_cell(x, U_OTHER);
    for (size_t i = 0; i + 3 < t.n; i++) {
        if (strncmp(t.p + i, "IMO", 3) != 0) continue;
        size_t j = i + 3, k;
        while (j < t.n && j < i + 16 && !isdigit((unsigned char)t.p[j])) j++;
        for (k = j; k < t.n && isdigit((unsigned char)t.p[k]); k++) {}
        if (k - j == 7)
            TXS_TRY(txs__lrow_add(x, e, TXS_F_ID, TXS_ID_IMO, (txs_slice){t.p + j, 7}, NULL,
                                  TXS__NONE));
    }
    return TXS_OK;
}

static int places(txs__lrow *x, txs__lent *e)
{
    static const int ADDR[] = {U_ADDR1, U_ADDR2, U_ADDR3, U_ADDR4, U_ADDR5, U_ADDR6, U_POST,
                               U_COUNTRY, -1};
    char buf[2048], cty[256];
    txs_slice c = txs__lrow_cell(x, U_COUNTRY);
    snprintf(cty, sizeof cty, "%.*s", (int)c.n, c.p);
    txs_slice a = txs__lrow_join(x, ADDR, ", ", buf, sizeof buf);
    /* A country alone is a country, not an address. */
    if (a.n > c.n) TXS_TRY(txs__lrow_add(x, e, TXS_F_ADDRESS, 0, a, cty, TXS__NONE));
    return txs__lrow_add(x, e, TXS_F_COUNTRY, 0, c, NULL, TXS__NONE);
}

static int link(txs__lrow *x, txs__lent *e, int c, const char *list, const char *label)
{
    char buf[128];
    txs_slice v = txs__lrow_cell(x, c);
    if (v.n == 0) return TXS_OK;
    int n = snprintf(buf, sizeof buf, "%s:%.*s", list, (int)(v.n > 100 ? 100 : v.n), v.p);
    return txs__lrow_add(x, e, TXS_F_LINK, 0, (txs_slice){buf, (size_t)n}, label, TXS__NONE);
}

static int listing(txs__lrow *x, txs__lent *e)
{
    TXS_TRY(check_dates(x, U_LISTED));
    TXS_TRY(check_dates(x, U_UKSL_DATE));
    TXS_TRY(check_dates(x, U_UPDATED));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_PROGRAM, 0, txs__lrow_cell(x, U_REGIME), NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_LISTED_ON, 0, txs__lrow_cell(x, U_LISTED), NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_OTHER, 0, txs__lrow_cell(x, U_UKSL_DATE),
                          "UK Sanctions List date designated", TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_REMARK, 0, txs__lrow_cell(x, U_OTHER), NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_REMARK, 0, txs__lrow_cell(x, U_REASONS), NULL, TXS__NONE));
    TXS_TRY(link(x, e, U_UNREF, "UN", "UN reference"));
    return link(x, e, U_OFSI_GID, "UK-OFSI", "OFSI Group ID");
}

static int contacts(txs__lrow *x, txs__lent *e)
{
    static const struct { int col; const char *label; } O[] = {
        {U_PHONE, "phone"}, {U_WEB, "website"}, {U_EMAIL, "email"},
        {U_SANCTIONS, "sanctions imposed"}, {U_FLAG, "flag"}, {U_SHIP_TYPE, "vessel type"}};
    for (size_t i = 0; i < TXS_ARRAY_LEN(O); i++)
        TXS_TRY(add_each(x, e, TXS_F_OTHER, 0, O[i].col, O[i].label, TXS__NONE));
    return add_each(x, e, TXS_F_LINK, 0, U_PARENT, "parent company", TXS__NONE);
}

/* ------------------------------------------------------------------- rows */

static int group_type(const txs__lrow *x, int *type)
{
    txs_slice t = txs__lrow_cell(x, U_TYPE);
    if (txs_slice_eq_nocase(t, "Individual")) *type = TXS_ENT_INDIVIDUAL;
    else if (txs_slice_eq_nocase(t, "Entity")) *type = TXS_ENT_ENTITY;
    else if (txs_slice_eq_nocase(t, "Ship")) *type = TXS_ENT_VESSEL;
    else return txs__lrow_fail(x, "unknown type", U_TYPE, t);
    return TXS_OK;
}

static int record(txs__lrow *x)
{
    txs_slice id = txs__lrow_cell(x, U_GID);
    if (id.n == 0 || id.n > 64) return txs__lrow_fail(x, "bad id", U_GID, id);
    int type = 0; /* set by group_type() on success; gcc -O3 cannot tell */
    TXS_TRY(group_type(x, &type));
    char key[80];
    int kn = snprintf(key, sizeof key, "%s:%.*s", x->b->srcs[x->src].list, (int)id.n, id.p);
    txs__lent *e = txs__lists_group(x->b, x->src, key, (size_t)kn, type);
    if (e == NULL) return TXS_E_NOMEM;
    if (e->type != type)
        return txs__lrow_fail(x, "type differs from earlier rows:", U_TYPE,
                              txs__lrow_cell(x, U_TYPE));
    TXS_TRY(names(x, e));
    TXS_TRY(biography(x, e));
    TXS_TRY(documents(x, e));
    if (type == TXS_ENT_VESSEL && x->col[U_IMO] < 0) TXS_TRY(imo_in_text(x, e));
    TXS_TRY(places(x, e));
    TXS_TRY(listing(x, e));
    return contacts(x, e);
}

static int starts(txs_slice s, const char *w)
{
    size_t n = strlen(w);
    return s.n >= n && strncasecmp(s.p, w, n) == 0;
}

/* The line above the header: "Last Updated,03/06/2026" (OFSI) or
 * "Report Date: 13-Feb-2026" (FCDO).  Its date is the list date, in ISO. */
static int preamble(txs__lrow *x)
{
    txs_slice f0 = txs__lists_trim(txs__lcsv_field(&x->r, 0)), v = txs__lcsv_field(&x->r, 1);
    if (!starts(f0, "Last Updated") && !starts(f0, "Report Date"))
        return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line,
                            "expected a 'Last Updated' or 'Report Date' line or the header");
    const char *colon = memchr(f0.p, ':', f0.n);
    if (colon && colon + 1 < f0.p + f0.n)
        v = (txs_slice){colon + 1, (size_t)(f0.p + f0.n - colon - 1)};
    v = txs__lists_trim(v);
    char norm[40];
    int circa;
    if (txs__lists_date(v.p, v.n, norm, &circa) == 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line,
                            "bad date '%.*s' in the first line", (int)(v.n > 60 ? 60 : v.n), v.p);
    snprintf(x->b->srcs[x->src].date, sizeof x->b->srcs[x->src].date, "%s", norm);
    return TXS_OK;
}

static int header(txs__lrow *x)
{
    int rc = txs__lcsv_next(&x->r, x->d);
    if (rc == 1 && txs__lcsv_col(&x->r, "Name 6") < 0) {
        TXS_TRY(preamble(x));
        rc = txs__lcsv_next(&x->r, x->d);
    }
    if (rc <= 0)
        return rc < 0 ? rc
                      : txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line, "no header line");
    int v = txs__lcsv_col(&x->r, "Unique ID") >= 0 ? FCDO : OFSI;
    snprintf(x->b->srcs[x->src].list, sizeof x->b->srcs[x->src].list, "%s",
             v == FCDO ? "UK-SL" : "UK-OFSI");
    /* A column of the other shape only is absent; messages still name it. */
    for (int i = 0; i < UK_NCOLS; i++) {
        x->col[i] = COLS[i][v] ? txs__lcsv_col(&x->r, COLS[i][v]) : -1;
        x->colname[i] = COLS[i][v] ? COLS[i][v] : COLS[i][!v];
    }
    static const int NEED[] = {U_NAME6, U_GID, U_TYPE, U_ALIAS_TYPE};
    for (size_t i = 0; i < TXS_ARRAY_LEN(NEED); i++)
        if (x->col[NEED[i]] < 0)
            return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line,
                                "header lacks column %s", x->colname[NEED[i]]);
    return TXS_OK;
}

int txs__lists_read_uk(txs_lists_builder *b, const char *path, txs_diag *d)
{
    txs__lrow x;
    memset(&x, 0, sizeof x);
    x.b = b;
    x.d = d;
    TXS_TRY(txs__lists_source(b, path, "uk-csv", "UK", UINT32_MAX, &x.src, d));
    /* A designation's facts repeat on each of its name rows: keep each once. */
    return txs__lists_read_rows(&x, path, ',', header, record);
}
