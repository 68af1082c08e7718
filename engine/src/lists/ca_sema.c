/*
 * ca_sema.c: reader for Canada's Consolidated Special Economic Measures Act
 * (SEMA) list, the XML Global Affairs Canada publishes (root <data-set>,
 * one flat <record> per listing), streamed with the shared XML walk
 * (xml_read.c).
 *
 *   record
 *     Country        "English / French" name of the regulations (a country,
 *                    or a regime such as "Hamas Terrorist Attacks")
 *     Schedule, Item place in the regulations' schedule: Item numbers
 *                    restart per country and schedule
 *     LastName, GivenName          an individual ("Given Last")
 *     EntityOrShip                 an entity, or a vessel with ShipIMONumber
 *     TitleOrShip                  title (individual) / vessel type (ship)
 *     Aliases                      names separated by ',' or ';'; a
 *                                  "Russian: ..." label marks the names of
 *                                  that language up to the next label
 *     DateOfBirthOrShipBuildDate   dob (individual) / build year (ship)
 *     DateOfListing                listed_on (yyyy-mm-dd)
 *
 * Ids are "CA-SEMA:<Country>|<Schedule>|<Item>" with the English country
 * name: the triple is unique in the file, a repeat stops the read.  The
 * file states no publication date; the source's date is the latest
 * DateOfListing, the last day the list is known to have changed.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "txs/values.h"
#include "xml_read_int.h"

/* Record fields into buffers (child text, "" when absent). */
typedef struct ca_rec {
    char country[512], sched[64], item[64], last[512], given[512], ent[1024], title[256];
    char dob[128], listed[64], imo[64], aliases[8192];
} ca_rec;

typedef struct ca_ctx {
    txs_lists_builder *b;
    uint32_t src;
    const char *path;
    txs_diag *d;
    char latest[16];
    ca_rec r;               /* the record being read */
} ca_ctx;

static txs_slice text(const char *s)
{
    return txs__lists_trim((txs_slice){s, strlen(s)});
}

/* The English half of "English / French" (the whole text when there is no
 * " / "). */
static txs_slice english(const char *s)
{
    const char *sl = strstr(s, " / ");
    return txs__lists_trim((txs_slice){s, sl ? (size_t)(sl - s) : strlen(s)});
}

static int has_ascii_letter(txs_slice s)
{
    for (size_t i = 0; i < s.n; i++)
        if ((s.p[i] | 32) >= 'a' && (s.p[i] | 32) <= 'z') return 1;
    return 0;
}

/* "Belarusian: X" -> language "Belarusian", name X. */
static txs_slice language(txs_slice *name)
{
    for (size_t i = 0; i < name->n && i < 24; i++) {
        char c = name->p[i];
        if (c == ':') {
            txs_slice lang = {name->p, i};
            *name = txs__lists_trim((txs_slice){name->p + i + 1, name->n - i - 1});
            return lang;
        }
        if (!((c | 32) >= 'a' && (c | 32) <= 'z')) break;
    }
    return (txs_slice){"", 0};
}

/* One alias: a name with no Latin letter is an original-script name. */
static int alias(ca_ctx *x, txs__lent *e, txs_slice a, txs_slice lang)
{
    char buf[1024];
    size_t k = 0;
    for (size_t i = 0; i < a.n && k + 1 < sizeof buf; i++) /* a line break inside a name is a space */
        buf[k++] = a.p[i] == '\n' || a.p[i] == '\r' || a.p[i] == '\t' ? ' ' : a.p[i];
    txs_slice v = txs__lists_trim((txs_slice){buf, k});
    if (v.n == 0) return TXS_OK;
    if (!has_ascii_letter(v))
        return txs__lists_field(x->b, e, TXS_F_ORIG_SCRIPT, 0, v.p, v.n, lang.p, lang.n, NULL, 0);
    return txs__lists_name(x->b, e, 0, TXS_ALIAS_STRONG, v.p, v.n, lang.n ? lang.p : "aka",
                           lang.n ? lang.n : 3);
}

static int aliases(ca_ctx *x, txs__lent *e, const char *s)
{
    txs_slice lang = {"", 0};
    size_t start = 0, n = strlen(s);
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',' && s[i] != ';') continue;
        txs_slice a = txs__lists_trim((txs_slice){s + start, i - start});
        txs_slice l = language(&a);
        if (l.n) lang = l;
        TXS_TRY(alias(x, e, a, lang));
        start = i + 1;
    }
    return TXS_OK;
}

/* A date of birth in the shared normal form (txs__lists_date), taking
 * also the shapes this file writes that the normaliser does not: a year
 * range "1963-1964", "Sep-99" (a two-digit year: 19yy, the birth year of a
 * listed adult) and "born in the early 1970s" (early/mid/late: years 0-3,
 * 4-6, 7-9 of the decade, circa).  0 when none fits. */
static size_t ca_date(txs_slice s, char *out, int *circa)
{
    size_t k = txs__lists_date(s.p, s.n, out, circa);
    if (k || s.n >= 64) return k;
    char buf[64], alt[64], mon[4];
    unsigned a, b;
    int used = 0;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    alt[0] = '\0';
    if (sscanf(buf, "%4u-%4u%n", &a, &b, &used) == 2 && used == 9 && s.n == 9)
        snprintf(alt, sizeof alt, "%u to %u", a, b);
    else if (sscanf(buf, "%3[A-Za-z]-%2u%n", mon, &a, &used) == 2 && used == 6 && s.n == 6)
        snprintf(alt, sizeof alt, "%s %u", mon, 1900 + a);
    static const char *const PART[] = {"early ", "mid ", "late "};
    static const unsigned FROM[] = {0, 4, 7}, TO[] = {3, 6, 9};
    for (size_t i = 0; i < 3 && alt[0] == '\0'; i++) {
        const char *p = strstr(buf, PART[i]);
        if (p && sscanf(p + strlen(PART[i]), "%4us%n", &a, &used) == 1 && a % 10 == 0 &&
            p + strlen(PART[i]) + used == buf + s.n) {
            snprintf(alt, sizeof alt, "%u to %u", a + FROM[i], a + TO[i]);
            *circa = 1;
        }
    }
    if (alt[0] == '\0') return 0;
    int c2 = 0;
    k = txs__lists_date(alt, strlen(alt), out, &c2);
    *circa = *circa || c2;
    return k;
}

/* One date of birth (or one alternative of "A or B"). */
static int dob(ca_ctx *x, txs__lent *e, txs_slice s)
{
    char norm[40];
    int circa = 0;
    size_t k = ca_date(s, norm, &circa);
    x->b->srcs[x->src].clauses++;
    TXS_TRY(txs__lists_stat(x->b, x->src, k > 0, k ? "DateOfBirth" : s.p, k ? 11 : s.n > 40 ? 40 : s.n));
    if (k) return txs__lists_field(x->b, e, TXS_F_DOB, circa, norm, k, NULL, 0, s.p, s.n);
    x->b->srcs[x->src].unparsed++;
    return txs__lists_field(x->b, e, TXS_F_REMARK, 0, s.p, s.n, NULL, 0, "DateOfBirth", 11);
}

static int dates(ca_ctx *x, txs__lent *e, const char *v, int ship)
{
    txs_slice s = text(v);
    if (s.n == 0) return TXS_OK;
    if (ship) return txs__lists_field(x->b, e, TXS_F_OTHER, 0, s.p, s.n, "build date", 10, NULL, 0);
    for (size_t i = 0; i + 4 <= s.n; i++) {
        if (strncasecmp(s.p + i, " or ", 4) != 0) continue;
        TXS_TRY(dob(x, e, txs__lists_trim((txs_slice){s.p, i})));
        return dates(x, e, s.p + i + 4, 0) ;
    }
    return dob(x, e, s);
}

static void fetch(const xmlNode *n, ca_rec *r)
{
    txs__xml_child(n, "Country", r->country, sizeof r->country);
    txs__xml_child(n, "Schedule", r->sched, sizeof r->sched);
    txs__xml_child(n, "Item", r->item, sizeof r->item);
    txs__xml_child(n, "LastName", r->last, sizeof r->last);
    txs__xml_child(n, "GivenName", r->given, sizeof r->given);
    txs__xml_child(n, "EntityOrShip", r->ent, sizeof r->ent);
    txs__xml_child(n, "TitleOrShip", r->title, sizeof r->title);
    txs__xml_child(n, "DateOfBirthOrShipBuildDate", r->dob, sizeof r->dob);
    txs__xml_child(n, "DateOfListing", r->listed, sizeof r->listed);
    txs__xml_child(n, "ShipIMONumber", r->imo, sizeof r->imo);
    txs__xml_child(n, "Aliases", r->aliases, sizeof r->aliases);
}

static int fields(ca_ctx *x, txs__lent *e, const ca_rec *r, txs_slice cty, int type)
{
    txs_lists_builder *b = x->b;
    char cc[2];
    TXS_TRY(txs__lists_field(b, e, TXS_F_PROGRAM, 0, cty.p, cty.n, NULL, 0, NULL, 0));
    /* A regime named after a country (most are) is a country of the entity. */
    if (txs_country_lookup(cty.p, cty.n, cc) == 0)
        TXS_TRY(txs__lists_field(b, e, TXS_F_COUNTRY, 0, cty.p, cty.n, NULL, 0, NULL, 0));
    txs_slice sch = text(r->sched);
    TXS_TRY(txs__lists_field(b, e, TXS_F_OTHER, 0, sch.p, sch.n, "schedule", 8, NULL, 0));
    TXS_TRY(txs__lists_field(b, e, TXS_F_LISTED_ON, 0, r->listed, strlen(r->listed), NULL, 0, NULL, 0));
    if (type == TXS_ENT_VESSEL) {
        TXS_TRY(txs__lists_field(b, e, TXS_F_ID, TXS_ID_IMO, r->imo, strlen(r->imo), NULL, 0,
                                 "ShipIMONumber", 13));
        TXS_TRY(txs__lists_field(b, e, TXS_F_OTHER, 0, r->title, strlen(r->title), "vessel type", 11,
                                 NULL, 0));
    } else {
        TXS_TRY(txs__lists_field(b, e, TXS_F_TITLE, 0, r->title, strlen(r->title), NULL, 0, NULL, 0));
    }
    TXS_TRY(dates(x, e, r->dob, type == TXS_ENT_VESSEL));
    return aliases(x, e, r->aliases);
}

static int record(ca_ctx *x, const xmlNode *n, unsigned long line)
{
    ca_rec *rp = &x->r;
    char name[1100], id[1024];
    fetch(n, rp);
    txs_slice cty = english(rp->country), item = text(rp->item), sch = text(rp->sched);
    txs_slice listed = text(rp->listed), ent = text(rp->ent);
    if (cty.n == 0 || item.n == 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "record without %s",
                            cty.n ? "Item" : "Country");
    char iso[24];
    if (listed.n != 10 || txs__lists_numeric_date(listed.p, listed.n, iso) != 10)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line,
                            "DateOfListing '%.*s' is not yyyy-mm-dd", (int)listed.n, listed.p);
    int type = ent.n ? (text(rp->imo).n ? TXS_ENT_VESSEL : TXS_ENT_ENTITY) : TXS_ENT_INDIVIDUAL;
    txs_slice last = text(rp->last), given = text(rp->given);
    int k = ent.n ? snprintf(name, sizeof name, "%.*s", (int)ent.n, ent.p)
                  : snprintf(name, sizeof name, "%.*s%s%.*s", (int)given.n, given.p,
                             given.n && last.n ? " " : "", (int)last.n, last.p);
    if (k <= 0)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line,
                            "record without a name (LastName, GivenName or EntityOrShip)");
    int idn = snprintf(id, sizeof id, "CA-SEMA:%.*s|%.*s|%.*s", (int)cty.n, cty.p, (int)sch.n, sch.p,
                       (int)item.n, item.p);
    if (idn < 0 || (size_t)idn >= sizeof id)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "record id too long");
    if (txs__lists_lookup(x->b, id, (size_t)idn) != NULL)
        return txs_diag_set(x->d, TXS_E_FORMAT, x->path, line, "a second record %s", id);
    if (memcmp(iso, x->latest, 10) > 0) memcpy(x->latest, iso, 11);
    txs__lent *e = txs__lists_entity(x->b, x->src, id, (size_t)idn, type, name,
                                     (size_t)k < sizeof name ? (size_t)k : sizeof name - 1);
    if (e == NULL) return TXS_E_NOMEM;
    return fields(x, e, rp, cty, type);
}

static int pick(void *ctx, xmlTextReaderPtr r, const char *name, int depth, unsigned long line)
{
    (void)ctx, (void)r, (void)line;
    return depth == 1 && strcmp(name, "record") == 0 ? 1 : 0;
}

static int on_record(void *ctx, const xmlNode *n, int kind, unsigned long line)
{
    ca_ctx *x = ctx;
    (void)kind;
    x->b->srcs[x->src].records++;
    return record(x, n, line);
}

int txs__lists_read_ca_sema(txs_lists_builder *b, const char *path, txs_diag *d)
{
    static const ca_ctx zero;
    ca_ctx x = zero;
    x.b = b, x.path = path, x.d = d;
    TXS_TRY(txs__lists_source(b, path, "ca-sema-xml", "CA-SEMA", UINT32_MAX, &x.src, d));
    TXS_TRY(txs__xml_walk(path, "data-set", pick, on_record, &x, d));
    if (b->srcs[x.src].records == 0) return txs_diag_set(d, TXS_E_FORMAT, path, 0, "no record elements");
    snprintf(b->srcs[x.src].date, sizeof b->srcs[x.src].date, "%s", x.latest);
    return TXS_OK;
}
