/*
 * eu.c: reader for the EU Financial Sanctions File in its flat CSV form,
 * "csvFullSanctionsList_1_1" (European Commission, DG FISMA): ';'-separated,
 * UTF-8, one header line, then one row per (entity x detail).  An entity
 * with three names, two addresses and a passport is six rows that repeat
 * the entity's own columns, so rows are grouped by Entity_LogicalId (with a
 * lookup, not by adjacency) into one entity "EU:<logical id>".
 *
 *   Entity_*          id, subject type (person / enterprise), programme,
 *                     designation date, remark, UN id, EU reference
 *   NameAlias_*       whole name (or first / middle / last), gender,
 *                     title, function, language, [strong]
 *   Address_*         street, PO box, city, zip, region, place, country
 *   BirthDate_*       date | day, month, year | year range, circa, place
 *   Identification_*  number, type code / description, country, flags
 *   Citizenship_*     country
 *
 * Columns are found by header name (docs/lists.md lists the 118 of
 * version 1.1 and the mapping), so added or reordered columns still read.
 * Only Entity_LogicalId, a subject type column and NameAlias_WholeName are
 * required.  The first strong Latin-script name of an entity is its primary
 * name, further ones are aliases, names in other scripts are original-
 * script names.  The CSV has no alias strength column; an optional
 * NameAlias_Strong (as the XML 1.1 file's `strong` attribute) is honoured.
 * Every row must have as many fields as the header and every structured
 * date must be a date, or the read stops with file and line.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"

enum {
    E_GEN, E_ID, E_REF, E_UNID, E_DESIG_DATE, E_DESIG_DETAILS, E_REMARK, E_SUBJ, E_SUBJ_CODE,
    E_REG_TITLE, E_PROGRAMME,
    N_LAST, N_FIRST, N_MIDDLE, N_WHOLE, N_LANG, N_GENDER, N_TITLE, N_FUNCTION, N_STRONG,
    A_STREET, A_POBOX, A_CITY, A_ZIP, A_REGION, A_PLACE, A_CONTACT, A_ISO2, A_COUNTRY,
    B_DATE, B_DAY, B_MONTH, B_YEAR, B_FROM, B_TO, B_CIRCA, B_CITY, B_PLACE, B_REGION, B_ISO2,
    B_COUNTRY,
    I_NUMBER, I_LATIN, I_TYPECODE, I_TYPEDESC, I_ISO2, I_COUNTRY, I_DIPLOMATIC, I_EXPIRED,
    I_FALSE, I_LOST, I_REVOKED, I_ISSUEDBY, I_ISSUED, I_VALIDTO,
    C_ISO2, C_COUNTRY,
    EU_NCOLS
};
_Static_assert(EU_NCOLS <= TXS__LROW_MAX_COLS, "txs__lrow holds every EU column");

static const char *const COLS[EU_NCOLS] = {
    "fileGenerationDate", "Entity_LogicalId", "Entity_EU_ReferenceNumber",
    "Entity_UnitedNationId", "Entity_DesignationDate", "Entity_DesignationDetails",
    "Entity_Remark", "Entity_SubjectType", "Entity_SubjectType_ClassificationCode",
    "Entity_Regulation_NumberTitle", "Entity_Regulation_Programme",
    "NameAlias_LastName", "NameAlias_FirstName", "NameAlias_MiddleName", "NameAlias_WholeName",
    "NameAlias_NameLanguage", "NameAlias_Gender", "NameAlias_Title", "NameAlias_Function",
    "NameAlias_Strong",
    "Address_Street", "Address_PoBox", "Address_City", "Address_ZipCode", "Address_Region",
    "Address_Place", "Address_ContactInfo", "Address_CountryIso2Code",
    "Address_CountryDescription",
    "BirthDate_BirthDate", "BirthDate_Day", "BirthDate_Month", "BirthDate_Year",
    "BirthDate_YearRangeFrom", "BirthDate_YearRangeTo", "BirthDate_Circa", "BirthDate_City",
    "BirthDate_Place", "BirthDate_Region", "BirthDate_CountryIso2Code",
    "BirthDate_CountryDescription",
    "Identification_Number", "Identification_LatinNumber", "Identification_TypeCode",
    "Identification_TypeDescription", "Identification_CountryIso2Code",
    "Identification_CountryDescription", "Identification_Diplomatic",
    "Identification_KnownExpired", "Identification_KnownFalse", "Identification_ReportedLost",
    "Identification_RevokedByIssuer", "Identification_IssuedBy", "Identification_IssuedDate",
    "Identification_ValidTo",
    "Citizenship_CountryIso2Code", "Citizenship_CountryDescription"};

/* Yes/no columns are written "true"/"false" (sometimes 1/0). */
static int yes(txs_slice v)
{
    return txs_slice_eq_nocase(v, "true") || txs_slice_eq_nocase(v, "1") ||
           txs_slice_eq_nocase(v, "yes");
}

/* A name is in another script when it holds a code point from U+0370 on
 * (Greek, Cyrillic, Arabic, CJK ...) outside Latin Extended Additional
 * (U+1E00..U+1EFF, Vietnamese), read from the UTF-8 lead bytes. */
static int non_latin(txs_slice v)
{
    for (size_t i = 0; i < v.n; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (c < 0xC0) continue;
        if (c < 0xE0) {
            if (c >= 0xCD && !(c == 0xCD && i + 1 < v.n && (unsigned char)v.p[i + 1] < 0xB0))
                return 1;
            continue;
        }
        if (c == 0xE1 && i + 1 < v.n && (unsigned char)v.p[i + 1] >= 0xB8 &&
            (unsigned char)v.p[i + 1] <= 0xBB)
            continue;
        if (c == 0xE2) continue; /* punctuation, letterlike symbols */
        return 1;
    }
    return 0;
}

/* ----------------------------------------------------------------- parts */

static int entity_facts(txs__lrow *x, txs__lent *e)
{
    char buf[64], date[24];
    txs_slice v = txs__lrow_cell(x, E_DESIG_DATE);
    if (v.n && txs__lists_numeric_date(v.p, v.n, date) == 0)
        return txs__lrow_fail(x, "bad date", E_DESIG_DATE, v);
    TXS_TRY(txs__lrow_add(x, e, TXS_F_LISTED_ON, 0, v, NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_PROGRAM, 0, txs__lrow_cell(x, E_PROGRAMME), NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_REMARK, 0, txs__lrow_cell(x, E_REMARK), NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_OTHER, 0, txs__lrow_cell(x, E_REF), "EU reference number",
                          TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_OTHER, 0, txs__lrow_cell(x, E_REG_TITLE), "regulation",
                          TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_OTHER, 0, txs__lrow_cell(x, E_DESIG_DETAILS),
                          "designation details", TXS__NONE));
    /* The UN id is the reference number the UN reader uses, so the link
     * names that entity ("UN:QDi.006") when both lists are compiled. */
    v = txs__lrow_cell(x, E_UNID);
    if (v.n == 0) return TXS_OK;
    int n = snprintf(buf, sizeof buf, "UN:%.*s", (int)(v.n > 50 ? 50 : v.n), v.p);
    return txs__lrow_add(x, e, TXS_F_LINK, 0, (txs_slice){buf, (size_t)n}, "UN reference",
                         TXS__NONE);
}

static int name_alias(txs__lrow *x, txs__lent *e)
{
    static const int PARTS[] = {N_FIRST, N_MIDDLE, N_LAST, -1};
    char buf[1024];
    txs_slice v = txs__lrow_cell(x, N_WHOLE), lang = txs__lrow_cell(x, N_LANG),
              g = txs__lrow_cell(x, N_GENDER);
    if (v.n == 0) v = txs__lrow_join(x, PARTS, " ", buf, sizeof buf);
    int weak =
        x->col[N_STRONG] >= 0 && txs__lrow_cell(x, N_STRONG).n && !yes(txs__lrow_cell(x, N_STRONG));
    const char *type = weak ? "weak" : "alias";
    if (non_latin(v)) {
        char l[16];
        snprintf(l, sizeof l, "%.*s", (int)(lang.n > 15 ? 15 : lang.n), lang.p);
        TXS_TRY(txs__lrow_add(x, e, TXS_F_ORIG_SCRIPT, 0, v, l, TXS__NONE));
    } else {
        TXS_TRY(txs__lists_name(x->b, e, !weak, weak ? TXS_ALIAS_WEAK : TXS_ALIAS_STRONG, v.p,
                                v.n, type, strlen(type)));
    }
    if (txs_slice_eq_nocase(g, "M")) g = TXS_SLICE_LIT("Male");
    else if (txs_slice_eq_nocase(g, "F")) g = TXS_SLICE_LIT("Female");
    TXS_TRY(txs__lrow_add(x, e, TXS_F_GENDER, 0, g, NULL, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_TITLE, 0, txs__lrow_cell(x, N_TITLE), NULL, TXS__NONE));
    return txs__lrow_add(x, e, TXS_F_TITLE, 0, txs__lrow_cell(x, N_FUNCTION), NULL, TXS__NONE);
}

static int address(txs__lrow *x, txs__lent *e)
{
    static const int PARTS[] = {A_STREET, A_POBOX, A_CITY, A_ZIP, A_REGION, A_PLACE, A_COUNTRY, -1};
    char buf[2048], cty[256];
    txs_slice c = txs__lrow_cell(x, A_COUNTRY);
    if (c.n == 0) c = txs__lrow_cell(x, A_ISO2);
    snprintf(cty, sizeof cty, "%.*s", (int)c.n, c.p);
    txs_slice a = txs__lrow_join(x, PARTS, ", ", buf, sizeof buf);
    if (a.n == 0 && txs__lrow_cell(x, A_ISO2).n) a = c;
    TXS_TRY(txs__lrow_add(x, e, TXS_F_ADDRESS, 0, a, cty, TXS__NONE));
    TXS_TRY(txs__lrow_add(x, e, TXS_F_COUNTRY, 0, c, NULL, TXS__NONE));
    return txs__lrow_add(x, e, TXS_F_OTHER, 0, txs__lrow_cell(x, A_CONTACT), "contact", TXS__NONE);
}

/* Digits only, at most max of them (an empty cell passes). */
static int digits(txs_slice v, size_t max)
{
    if (v.n > max) return 0;
    for (size_t i = 0; i < v.n; i++)
        if (!isdigit((unsigned char)v.p[i])) return 0;
    return 1;
}

/* Value of a cell of at most two digits (digits() checked it). */
static int num2(txs_slice v)
{
    int n = 0;
    for (size_t i = 0; i < v.n; i++) n = n * 10 + (v.p[i] - '0');
    return n;
}

/* The date of a birth row as the source gave it (into raw) and
 * normalised (into norm); lengths 0 when the row has none. */
static int birth_date(txs__lrow *x, char *raw, size_t rawcap, char *norm, size_t *nn)
{
    txs_slice v = txs__lrow_cell(x, B_DATE), y = txs__lrow_cell(x, B_YEAR),
              m = txs__lrow_cell(x, B_MONTH), dd = txs__lrow_cell(x, B_DAY);
    txs_slice from = txs__lrow_cell(x, B_FROM), to = txs__lrow_cell(x, B_TO);
    int circa;
    raw[0] = '\0';
    *nn = 0;
    if (v.n) {
        snprintf(raw, rawcap, "%.*s", (int)v.n, v.p);
        *nn = txs__lists_numeric_date(v.p, v.n, norm);
        return *nn ? TXS_OK : txs__lrow_fail(x, "bad date", B_DATE, v);
    }
    if (y.n) {
        if (y.n != 4 || !digits(y, 4)) return txs__lrow_fail(x, "bad year", B_YEAR, y);
        if (!digits(m, 2)) return txs__lrow_fail(x, "bad month", B_MONTH, m);
        if (!digits(dd, 2)) return txs__lrow_fail(x, "bad day", B_DAY, dd);
        static const int PARTS[] = {B_DAY, B_MONTH, B_YEAR, -1};
        txs__lrow_join(x, PARTS, "/", raw, rawcap);
        char tmp[32]; /* num2() is at most 99; room for any int */
        snprintf(tmp, sizeof tmp, "%02d/%02d/%.4s", num2(dd), num2(m), y.p);
        *nn = txs__lists_numeric_date(tmp, strlen(tmp), norm);
        return *nn ? TXS_OK : txs__lrow_fail(x, "bad date", B_YEAR, y);
    }
    if (from.n == 0 && to.n == 0) return TXS_OK;
    if (!digits(from, 4) || from.n != 4) return txs__lrow_fail(x, "bad year", B_FROM, from);
    if (!digits(to, 4) || to.n != 4) return txs__lrow_fail(x, "bad year", B_TO, to);
    snprintf(raw, rawcap, "%.4s to %.4s", from.p, to.p);
    *nn = txs__lists_date(raw, strlen(raw), norm, &circa);
    return TXS_OK;
}

static int birth(txs__lrow *x, txs__lent *e)
{
    static const int POB[] = {B_CITY, B_PLACE, B_REGION, B_COUNTRY, -1};
    char raw[64], norm[40], pob[1024];
    size_t nn;
    TXS_TRY(birth_date(x, raw, sizeof raw, norm, &nn));
    int circa = yes(txs__lrow_cell(x, B_CIRCA)) ? TXS_DATE_CIRCA : TXS_DATE_EXACT;
    if (nn) TXS_TRY(txs__lrow_add(x, e, TXS_F_DOB, circa, (txs_slice){norm, nn}, NULL,
                              (txs_slice){raw, strlen(raw)}));
    txs_slice p = txs__lrow_join(x, POB, ", ", pob, sizeof pob);
    if (p.n == 0) p = txs__lrow_cell(x, B_ISO2);
    return txs__lrow_add(x, e, TXS_F_POB, 0, p, NULL, TXS__NONE);
}

/* Identifier kind from the type code, else the description.  The codes
 * seen in the file are short lower-case words ("passport", "id",
 * "regnumber", "fiscalcode", "swiftbic" ...); match on their stems. */
static int id_kind(txs_slice code, txs_slice desc)
{
    static const struct { const char *stem; int kind; } K[] = {
        {"passport", TXS_ID_PASSPORT}, {"national", TXS_ID_NATIONAL_ID},
        {"identi", TXS_ID_NATIONAL_ID}, {"ssn", TXS_ID_NATIONAL_ID},
        {"fiscal", TXS_ID_TAX_ID}, {"tax", TXS_ID_TAX_ID}, {"swift", TXS_ID_SWIFT_BIC},
        {"bic", TXS_ID_SWIFT_BIC}, {"imo", TXS_ID_IMO}, {"lei", TXS_ID_LEI},
        {"regnumber", TXS_ID_REGISTRATION}, {"registration", TXS_ID_REGISTRATION},
        {"tradelic", TXS_ID_REGISTRATION}};
    if (txs_slice_eq_nocase(code, "id")) return TXS_ID_NATIONAL_ID;
    txs_slice s[2] = {code, desc};
    for (int k = 0; k < 2; k++) {
        char low[128];
        size_t n = s[k].n < sizeof low - 1 ? s[k].n : sizeof low - 1;
        for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)s[k].p[i]);
        low[n] = '\0';
        for (size_t i = 0; i < TXS_ARRAY_LEN(K); i++)
            if (strstr(low, K[i].stem)) return K[i].kind;
    }
    return TXS_ID_OTHER;
}

/* Append "; <label><v>" (no "; " first) to out; returns the new length. */
static size_t note_add(char *out, size_t k, size_t cap, const char *label, txs_slice v)
{
    if (k >= cap) return k;
    int w = snprintf(out + k, cap - k, "%s%s%.*s", k ? "; " : "", label,
                     (int)(v.n > 200 ? 200 : v.n), v.p);
    return w < 0 ? k : k + (size_t)w;
}

/* The label and the flags of an identification row, for the note. */
static void id_note(const txs__lrow *x, char *out, size_t cap)
{
    static const struct { int col; const char *label; } FLAGS[] = {
        {I_DIPLOMATIC, "diplomatic"}, {I_EXPIRED, "known expired"}, {I_FALSE, "known false"},
        {I_LOST, "reported lost"}, {I_REVOKED, "revoked by issuer"}};
    static const struct { int col; const char *label; } TEXTS[] = {
        {I_ISSUEDBY, "issued by "}, {I_ISSUED, "issued "}, {I_VALIDTO, "valid to "}};
    txs_slice t = txs__lrow_cell(x, I_TYPEDESC);
    size_t k = note_add(out, 0, cap, "", t.n ? t : txs__lrow_cell(x, I_TYPECODE));
    for (size_t i = 0; i < TXS_ARRAY_LEN(FLAGS); i++)
        if (yes(txs__lrow_cell(x, FLAGS[i].col)))
            k = note_add(out, k, cap, FLAGS[i].label, TXS__NONE);
    for (size_t i = 0; i < TXS_ARRAY_LEN(TEXTS); i++) {
        txs_slice v = txs__lrow_cell(x, TEXTS[i].col);
        if (v.n) k = note_add(out, k, cap, TEXTS[i].label, v);
    }
}

static int identification(txs__lrow *x, txs__lent *e)
{
    txs_slice num = txs__lrow_cell(x, I_NUMBER), latin = txs__lrow_cell(x, I_LATIN),
              c = txs__lrow_cell(x, I_COUNTRY);
    if (num.n == 0 && latin.n == 0) return TXS_OK;
    if (c.n == 0) c = txs__lrow_cell(x, I_ISO2);
    char cty[256], note[768];
    snprintf(cty, sizeof cty, "%.*s", (int)c.n, c.p);
    id_note(x, note, sizeof note);
    int kind = id_kind(txs__lrow_cell(x, I_TYPECODE), txs__lrow_cell(x, I_TYPEDESC));
    txs_slice nt = {note, strlen(note)};
    TXS_TRY(txs__lrow_add(x, e, TXS_F_ID, kind, num, cty, nt));
    /* The Latin transliteration of a number in another script is what a
     * payment message carries; keep both so either is found. */
    return txs__lrow_add(x, e, TXS_F_ID, kind, latin, cty, nt);
}

static int citizenship(txs__lrow *x, txs__lent *e)
{
    txs_slice c = txs__lrow_cell(x, C_COUNTRY);
    return txs__lrow_add(x, e, TXS_F_CITIZENSHIP, 0, c.n ? c : txs__lrow_cell(x, C_ISO2), NULL,
                         TXS__NONE);
}

/* ------------------------------------------------------------------- rows */

static int subject_type(const txs__lrow *x, int *type)
{
    txs_slice c = txs__lrow_cell(x, E_SUBJ_CODE), s = txs__lrow_cell(x, E_SUBJ);
    if (txs_slice_eq_nocase(c, "person") || (c.n == 0 && txs_slice_eq_nocase(s, "P")))
        *type = TXS_ENT_INDIVIDUAL;
    else if (txs_slice_eq_nocase(c, "enterprise") || (c.n == 0 && txs_slice_eq_nocase(s, "E")))
        *type = TXS_ENT_ENTITY;
    else
        return txs__lrow_fail(x, "unknown subject type",
                              c.n || x->col[E_SUBJ] < 0 ? E_SUBJ_CODE : E_SUBJ, c.n ? c : s);
    return TXS_OK;
}

/* The file's generation date ("28/10/2025") is the list date, in ISO. */
static int list_date(txs__lrow *x)
{
    txs_slice v = txs__lrow_cell(x, E_GEN);
    char norm[40];
    if (v.n == 0) return TXS_OK;
    size_t n = txs__lists_numeric_date(v.p, v.n, norm);
    if (n == 0) return txs__lrow_fail(x, "bad date", E_GEN, v);
    char *date = x->b->srcs[x->src].date;
    if (date[0] == '\0') snprintf(date, sizeof x->b->srcs[x->src].date, "%s", norm);
    return TXS_OK;
}

static int record(txs__lrow *x)
{
    txs_slice id = txs__lrow_cell(x, E_ID);
    if (id.n == 0 || !digits(id, 20)) return txs__lrow_fail(x, "bad id", E_ID, id);
    int type = 0; /* set by subject_type() on success; gcc -O3 cannot tell */
    TXS_TRY(list_date(x));
    TXS_TRY(subject_type(x, &type));
    char key[40];
    int kn = snprintf(key, sizeof key, "EU:%.*s", (int)id.n, id.p);
    txs__lent *e = txs__lists_group(x->b, x->src, key, (size_t)kn, type);
    if (e == NULL) return TXS_E_NOMEM;
    if (e->type != type)
        return txs__lrow_fail(x, "subject type differs from earlier rows:", E_SUBJ_CODE,
                              txs__lrow_cell(x, E_SUBJ_CODE));
    TXS_TRY(entity_facts(x, e));
    TXS_TRY(name_alias(x, e));
    TXS_TRY(address(x, e));
    TXS_TRY(birth(x, e));
    TXS_TRY(identification(x, e));
    return citizenship(x, e);
}

static int header(txs__lrow *x)
{
    int rc = txs__lcsv_next(&x->r, x->d);
    if (rc <= 0) return rc < 0 ? rc : txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, 1, "empty file");
    for (int i = 0; i < EU_NCOLS; i++) {
        x->col[i] = txs__lcsv_col(&x->r, COLS[i]);
        x->colname[i] = COLS[i];
    }
    static const int NEED[] = {E_ID, N_WHOLE};
    for (size_t i = 0; i < TXS_ARRAY_LEN(NEED); i++)
        if (x->col[NEED[i]] < 0)
            return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line,
                                "header lacks column %s", COLS[NEED[i]]);
    if (x->col[E_SUBJ] < 0 && x->col[E_SUBJ_CODE] < 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->r.path, x->r.line,
                            "header lacks column %s", COLS[E_SUBJ_CODE]);
    return TXS_OK;
}

int txs__lists_read_eu(txs_lists_builder *b, const char *path, txs_diag *d)
{
    txs__lrow x;
    memset(&x, 0, sizeof x);
    x.b = b;
    x.d = d;
    TXS_TRY(txs__lists_source(b, path, "eu-csv", "EU", UINT32_MAX, &x.src, d));
    /* Entity columns repeat on every row of an entity: keep each fact once. */
    return txs__lists_read_rows(&x, path, ';', header, record);
}
