/*
 * ofac_remarks.c: OFAC's remarks column into typed fields.  The column is a
 * ';'-separated list of clauses, each "Label value" in a closed vocabulary
 * OFAC uses for its SDN identity features ("DOB 12 Mar 1961", "Passport
 * A1234567 (Iran) issued ...", "Digital Currency Address - XBT 1Abc",
 * "a.k.a. 'BNC'", "Linked To: HIZBALLAH").  A leading "alt. " marks a second
 * value of the same feature and changes nothing here.
 *
 * A clause matches the first rule whose label is a prefix of it (longer,
 * more specific labels come first in the table).  Every clause is counted
 * per kind label, parsed or not, so `lists info` shows what the parser
 * still misses.  Unmatched clauses are kept as REMARK fields so nothing of
 * the source is lost.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lists_int.h"

typedef enum mode { M_DATE, M_TEXT, M_ALIAS, M_ID, M_CRYPTO, M_OTHER, M_TITLE, M_LINK } mode;

typedef struct rule {
    const char *label;
    mode m;
    int kind, sub;
} rule;

/* Order matters: the first prefix that matches wins. */
static const rule RULES[] = {
    {"DOB", M_DATE, TXS_F_DOB, 0},
    {"POB", M_TEXT, TXS_F_POB, 0},
    {"nationality", M_TEXT, TXS_F_NATIONALITY, 0},
    {"citizen", M_TEXT, TXS_F_CITIZENSHIP, 0},
    {"Gender", M_TEXT, TXS_F_GENDER, 0},
    {"a.k.a.", M_ALIAS, TXS_F_ALIAS, TXS_ALIAS_WEAK},
    {"f.k.a.", M_ALIAS, TXS_F_ALIAS, TXS_ALIAS_WEAK},
    {"n.k.a.", M_ALIAS, TXS_F_ALIAS, TXS_ALIAS_WEAK},
    {"Former Name", M_ALIAS, TXS_F_ALIAS, TXS_ALIAS_WEAK},
    {"Linked To:", M_TEXT, TXS_F_LINK, 0},
    {"Digital Currency Address -", M_CRYPTO, TXS_F_ID, TXS_ID_CRYPTO},
    {"SWIFT/BIC", M_ID, TXS_F_ID, TXS_ID_SWIFT_BIC},
    {"Vessel Registration Identification IMO", M_ID, TXS_F_ID, TXS_ID_IMO},
    {"IMO", M_ID, TXS_F_ID, TXS_ID_IMO},
    {"MMSI", M_ID, TXS_F_ID, TXS_ID_MMSI},
    {"Other Vessel Call Sign", M_ID, TXS_F_ID, TXS_ID_CALL_SIGN},
    {"Vessel Call Sign", M_ID, TXS_F_ID, TXS_ID_CALL_SIGN},
    {"Legal Entity Number", M_ID, TXS_F_ID, TXS_ID_LEI},
    {"Diplomatic Passport", M_ID, TXS_F_ID, TXS_ID_PASSPORT},
    {"Stateless Person Passport", M_ID, TXS_F_ID, TXS_ID_PASSPORT},
    {"Travel Document Number", M_ID, TXS_F_ID, TXS_ID_PASSPORT},
    {"Passport", M_ID, TXS_F_ID, TXS_ID_PASSPORT},
    {"National ID No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"National Foreign ID Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Cedula No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"D.N.I.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"C.U.R.P.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Identification Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Personal ID Card", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Citizen's Card Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Kenyan ID No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Turkish Identification Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Bosnian Personal ID No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Moroccan Personal ID No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Residency Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Birth Certificate Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Electoral Registry No.", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Credencial electoral", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Cartilla de Servicio Militar Nacional", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Numero de Identidad", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"NIE", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"SSN", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Social Security Number", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Tax ID No.", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"Tax Identification Number", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"NIT #", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"RUC #", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"R.F.C.", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"RFC", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"V.A.T. Number", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"RIF #", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"C.U.I.T.", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"C.U.I.P.", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"Italian Fiscal Code", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"Fiscal Code", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"US FEIN", M_ID, TXS_F_ID, TXS_ID_TAX_ID},
    {"Registration Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Registration ID", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Company Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"UK Company Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Commercial Registry Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Business Registration Document #", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Business Registration Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Business Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Folio Mercantil No.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Matricula Mercantil No", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"C.R. No.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Trade License No.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Government Gazette Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Unified Social Credit Code (USCC)", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"United Social Credit Code Certificate (USCCC)", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Economic Register Number (CBLS)", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"D-U-N-S Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Public Registration Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Chamber of Commerce Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Dubai Chamber of Commerce Membership No.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Istanbul Chamber of Commerce Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Certificate of Incorporation Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Enterprise Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Registered Charity No.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Central Registration System Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Chinese Commercial Code", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Branch Unit Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"LE Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Permit Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"License", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Driver's License No.", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"BIK (RU)", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Equity Ticker", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"ISIN", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Aircraft Tail Number", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Previous Aircraft Tail Number", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Aircraft Manufacturer's Serial Number (MSN)", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Aircraft Mode S Transponder Code", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Istanbul Chamber of Commerce", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"Romanian C.R.", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"File Number", M_ID, TXS_F_ID, TXS_ID_REGISTRATION},
    {"SRE Permit No.", M_ID, TXS_F_ID, TXS_ID_OTHER},
    {"Tazkira National ID Card", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"Refugee ID Card", M_ID, TXS_F_ID, TXS_ID_NATIONAL_ID},
    {"UN/LOCODE", M_OTHER, TXS_F_OTHER, 0},
    {"Phone No.", M_OTHER, TXS_F_OTHER, 0},
    {"PHONE", M_OTHER, TXS_F_OTHER, 0},
    {"Registration Country", M_TEXT, TXS_F_COUNTRY, 0},
    {"half-brother of", M_LINK, TXS_F_LINK, 0},
    {"Child of", M_LINK, TXS_F_LINK, 0},
    {"Nationality of Registration", M_TEXT, TXS_F_COUNTRY, 0},
    {"Location:", M_TEXT, TXS_F_ADDRESS, 0},
    {"wife of", M_LINK, TXS_F_LINK, 0},
    {"husband of", M_LINK, TXS_F_LINK, 0},
    {"Spouse of", M_LINK, TXS_F_LINK, 0},
    {"daughter of", M_LINK, TXS_F_LINK, 0},
    {"son of", M_LINK, TXS_F_LINK, 0},
    {"brother of", M_LINK, TXS_F_LINK, 0},
    {"sister of", M_LINK, TXS_F_LINK, 0},
    {"Additional Sanctions Information -", M_OTHER, TXS_F_OTHER, 0},
    {"Secondary sanctions risk:", M_OTHER, TXS_F_OTHER, 0},
    {"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
     M_OTHER, TXS_F_OTHER, 0},
    {"Executive Order", M_OTHER, TXS_F_OTHER, 0},
    {"CAATSA Section 235 Information:", M_OTHER, TXS_F_OTHER, 0},
    {"IFCA Determination -", M_OTHER, TXS_F_OTHER, 0},
    {"Effective Date", M_OTHER, TXS_F_OTHER, 0},
    {"Listing Date", M_OTHER, TXS_F_OTHER, 0},
    {"Purchase/Sales For Ownership", M_OTHER, TXS_F_OTHER, 0},
    {"Purchase/Sales For Divestment Date", M_OTHER, TXS_F_OTHER, 0},
    {"For more information on directives", M_OTHER, TXS_F_OTHER, 0},
    {"Organization Established Date", M_OTHER, TXS_F_OTHER, 0},
    {"Organization Type:", M_OTHER, TXS_F_OTHER, 0},
    {"Target Type", M_OTHER, TXS_F_OTHER, 0},
    {"Aircraft Model", M_OTHER, TXS_F_OTHER, 0},
    {"Aircraft Manufacture Date", M_OTHER, TXS_F_OTHER, 0},
    {"Aircraft Operator", M_OTHER, TXS_F_OTHER, 0},
    {"Email Address", M_OTHER, TXS_F_OTHER, 0},
    {"Website", M_OTHER, TXS_F_OTHER, 0},
    {"Telephone No.", M_OTHER, TXS_F_OTHER, 0},
    {"Telephone", M_OTHER, TXS_F_OTHER, 0},
    {"Phone Number", M_OTHER, TXS_F_OTHER, 0},
    {"Fax No.", M_OTHER, TXS_F_OTHER, 0},
    {"Fax", M_OTHER, TXS_F_OTHER, 0},
    {"Former Vessel Flag", M_OTHER, TXS_F_OTHER, 0},
    {"Other Vessel Flag", M_OTHER, TXS_F_OTHER, 0},
    {"Other Vessel Type", M_OTHER, TXS_F_OTHER, 0},
    {"Vessel Year of Build", M_OTHER, TXS_F_OTHER, 0},
    {"Issuer Name", M_OTHER, TXS_F_OTHER, 0},
    {"ICTY indictee", M_OTHER, TXS_F_OTHER, 0},
    {"all offices worldwide", M_OTHER, TXS_F_OTHER, 0},
    {"All Offices Worldwide", M_OTHER, TXS_F_OTHER, 0},
    {"All offices worldwide", M_OTHER, TXS_F_OTHER, 0},
};

/* Words that open a position or rank held: such a clause is a title. */
static const char *const POSITIONS[] = {
    "Minister", "Deputy", "Director", "Member", "Chairman", "Chairperson", "President",
    "Vice-President", "Vice-Chairperson", "Vice", "Head", "Chief", "Governor", "Commander",
    "Secretary", "General", "Colonel", "Major", "Brigadier", "Lieutenant", "Former",
    "Managing", "First", "Ambassador", "Advisor", "Adviser", "Prime", "Captain", "Judge",
    "Prosecutor", "Mayor", "Leader", "Founder", "Owner", "Representative", "Alternate",
    "Senior", "Assistant", "Admiral", "Marshal", "Speaker", "Spokesman", "Executive",
    "Financial", "Official", "Officer", "Chair", "Co-founder", "Emir", "Sheikh", "Prince",
    "CEO", "Magistrate", "Rector", "Warden", "Doctor", "Haji", "Maulawi", "Maulana",
    "Hojjatoleslam", "Union Minister",
};

static int prefix(txs_slice c, const char *label)
{
    size_t n = strlen(label);
    if (c.n < n || memcmp(c.p, label, n) != 0) return 0;
    return c.n == n || !isalnum((unsigned char)c.p[n]) || !isalnum((unsigned char)label[n - 1]);
}

static txs_slice after(txs_slice c, size_t n)
{
    c.p += n, c.n -= n;
    while (c.n && (c.p[0] == ' ' || c.p[0] == ':' || c.p[0] == '#' || c.p[0] == '-'))
        c.p++, c.n--;
    return c;
}

/* "VALUE (Country) issued ... expires ..." */
static int id_clause(txs_lists_builder *b, txs__lent *e, const rule *r, txs_slice c,
                     txs_slice v)
{
    size_t end = 0;
    while (end < v.n && v.p[end] != '(' && !(v.n - end >= 7 && memcmp(v.p + end, " issued", 7) == 0) &&
           !(v.n - end >= 8 && memcmp(v.p + end, " expires", 8) == 0))
        end++;
    txs_slice val = txs__lists_trim((txs_slice){v.p, end}), country = {"", 0};
    if (end < v.n && v.p[end] == '(') {
        const char *close = memchr(v.p + end, ')', v.n - end);
        if (close) country = (txs_slice){v.p + end + 1, (size_t)(close - v.p - end - 1)};
    }
    if (val.n == 0) return 0;
    int rc = txs__lists_field(b, e, r->kind, r->sub, val.p, val.n, country.p, country.n, c.p, c.n);
    return rc < 0 ? rc : 1;
}

/* Apply one rule; 1 parsed, 0 not, <0 error. */
static int apply(txs_lists_builder *b, txs__lent *e, const rule *r, txs_slice c)
{
    txs_slice v = after(c, strlen(r->label));
    char buf[32];
    int circa = 0, rc;
    switch (r->m) {
    case M_DATE: {
        size_t n = txs__lists_date(v.p, v.n, buf, &circa);
        if (n == 0) return 0;
        rc = txs__lists_field(b, e, r->kind, circa, buf, n, NULL, 0, v.p, v.n);
        break;
    }
    case M_ALIAS: {
        txs_slice a = v;
        if (a.n >= 2 && a.p[0] == '\'') a.p++, a.n--;
        if (a.n >= 1 && a.p[a.n - 1] == '\'') a.n--;
        rc = txs__lists_field(b, e, r->kind, r->sub, a.p, a.n, r->label, strlen(r->label), NULL, 0);
        break;
    }
    case M_ID:
        return id_clause(b, e, r, c, v);
    case M_CRYPTO: {
        size_t sp = 0;
        while (sp < v.n && v.p[sp] != ' ') sp++;
        if (sp == 0 || sp >= v.n) return 0;
        rc = txs__lists_field(b, e, r->kind, r->sub, v.p + sp + 1, v.n - sp - 1, v.p, sp, c.p, c.n);
        break;
    }
    case M_OTHER: /* a bare label ("ICTY indictee") is itself the fact */
        rc = txs__lists_field(b, e, r->kind, r->sub, v.n ? v.p : c.p, v.n ? v.n : c.n, r->label,
                              strlen(r->label), NULL, 0);
        return rc < 0 ? rc : 1;
    case M_LINK:
        rc = txs__lists_field(b, e, r->kind, r->sub, v.p, v.n, NULL, 0, r->label, strlen(r->label));
        break;
    default:
        rc = txs__lists_field(b, e, r->kind, r->sub, v.p, v.n, NULL, 0, NULL, 0);
        break;
    }
    if (rc < 0) return rc;
    return v.n > 0;
}

static int is_position(txs_slice c)
{
    for (size_t i = 0; i < TXS_ARRAY_LEN(POSITIONS); i++)
        if (prefix(c, POSITIONS[i])) return 1;
    return 0;
}

/* The kind label of an unmatched clause: its first two words. */
static size_t unknown_label(txs_slice c)
{
    size_t i = 0, words = 0;
    while (i < c.n && words < 2) {
        while (i < c.n && c.p[i] != ' ') i++;
        words++;
        if (words < 2) while (i < c.n && c.p[i] == ' ') i++;
    }
    return i > 40 ? 40 : i;
}

/* A clause of the SLS XML's free-text remarks: OFAC sets some off in
 * parentheses ("(Linked To: HAMAS)"). */
static txs_slice unwrap(txs_slice c)
{
    if (c.n >= 2 && c.p[0] == '(' && c.p[c.n - 1] == ')') c = (txs_slice){c.p + 1, c.n - 2};
    return txs__lists_trim(c);
}

/* One clause.  free_text: the clause comes from the SLS XML's remarks, which
 * hold what is left once every identity feature has its own element; text
 * no rule types is then a remark by nature, not a feature missed. */
static int clause(txs_lists_builder *b, uint32_t src, txs__lent *e, txs_slice c, int free_text)
{
    c = txs__lists_trim(c);
    if (free_text) c = unwrap(c);
    if (c.n == 0) return TXS_OK;
    if (c.n > 5 && memcmp(c.p, "alt. ", 5) == 0) c = txs__lists_trim(after(c, 4));
    b->srcs[src].clauses++;
    /* OFAC repeats the Title column as a remark clause for some entries. */
    for (uint32_t i = 0; i < e->nf; i++)
        if (e->f[i].kind == TXS_F_TITLE && e->f[i].vlen == c.n && memcmp(e->f[i].val, c.p, c.n) == 0)
            return txs__lists_stat(b, src, 1, "(title)", 7);
    for (size_t i = 0; i < TXS_ARRAY_LEN(RULES); i++) {
        if (!prefix(c, RULES[i].label)) continue;
        int rc = apply(b, e, &RULES[i], c);
        if (rc < 0) return rc;
        if (rc == 0) break;
        return txs__lists_stat(b, src, 1, RULES[i].label, strlen(RULES[i].label));
    }
    if (free_text) {
        TXS_TRY(txs__lists_field(b, e, TXS_F_REMARK, 0, c.p, c.n, NULL, 0, NULL, 0));
        return txs__lists_stat(b, src, 1, "(remark)", 8);
    }
    if (is_position(c)) {
        TXS_TRY(txs__lists_field(b, e, TXS_F_TITLE, 0, c.p, c.n, NULL, 0, NULL, 0));
        return txs__lists_stat(b, src, 1, "(position)", 10);
    }
    b->srcs[src].unparsed++;
    TXS_TRY(txs__lists_field(b, e, TXS_F_REMARK, 0, c.p, c.n, NULL, 0, NULL, 0));
    return txs__lists_stat(b, src, 0, c.p, unknown_label(c));
}

static int split(txs_lists_builder *b, uint32_t src, txs__lent *e, const char *p, size_t n,
                 int free_text)
{
    txs_slice all = txs__lists_trim((txs_slice){p, n});
    if (all.n && all.p[all.n - 1] == '.') all.n--;
    size_t s = 0;
    for (size_t i = 0; i <= all.n; i++) {
        if (i < all.n && all.p[i] != ';') continue;
        TXS_TRY(clause(b, src, e, (txs_slice){all.p + s, i - s}, free_text));
        s = i + 1;
    }
    return TXS_OK;
}

int txs__lists_ofac_remarks(txs_lists_builder *b, uint32_t src, txs__lent *e, const char *p,
                            size_t n)
{
    return split(b, src, e, p, n, 0);
}

int txs__lists_ofac_free_remarks(txs_lists_builder *b, uint32_t src, txs__lent *e,
                                 const char *p, size_t n)
{
    return split(b, src, e, p, n, 1);
}

/* The rule whose label opens `type`, or NULL. */
static const rule *rule_for(txs_slice type)
{
    for (size_t i = 0; i < TXS_ARRAY_LEN(RULES); i++)
        if (prefix(type, RULES[i].label)) return &RULES[i];
    return NULL;
}

int txs__lists_ofac_feature(txs_lists_builder *b, uint32_t src, txs__lent *e, txs_slice type,
                            txs_slice val, txs_slice country)
{
    type = txs__lists_trim(type), val = txs__lists_trim(val), country = txs__lists_trim(country);
    if (val.n == 0) return TXS_OK;
    b->srcs[src].clauses++;
    const rule *r = rule_for(type);
    if (r == NULL) {
        /* An identifier of a type the vocabulary does not name yet is still an
         * identifier: the model's other_id, its type in the note. */
        TXS_TRY(txs__lists_field(b, e, TXS_F_ID, TXS_ID_OTHER, val.p, val.n, country.p, country.n,
                                 type.p, type.n));
        return txs__lists_stat(b, src, 1, "(other id)", 10);
    }
    /* The clause as the legacy remarks would carry it, so one parser serves
     * both: "Passport A123 (Iran)". */
    int paren = r->m == M_ID && country.n && memchr(val.p, '(', val.n) == NULL;
    size_t n = type.n + 1 + val.n + (paren ? country.n + 3 : 0);
    char *c = txs_arena_alloc(&b->arena, n + 1);
    if (c == NULL) return TXS_E_NOMEM;
    snprintf(c, n + 1, "%.*s %.*s%s%.*s%s", (int)type.n, type.p, (int)val.n, val.p,
             paren ? " (" : "", paren ? (int)country.n : 0, country.p, paren ? ")" : "");
    txs_slice cl = {c, n};
    int rc = apply(b, e, r, cl);
    if (rc < 0) return rc;
    if (rc > 0) return txs__lists_stat(b, src, 1, r->label, strlen(r->label));
    b->srcs[src].unparsed++;
    TXS_TRY(txs__lists_field(b, e, TXS_F_REMARK, 0, cl.p, cl.n, NULL, 0, NULL, 0));
    return txs__lists_stat(b, src, 0, type.p, type.n > 40 ? 40 : type.n);
}
