/*
 * ofac.c: reader for OFAC's legacy CSV files: sdn.csv (one row per entry)
 * with its siblings alt.csv (aliases), add.csv (addresses) and
 * sdn_comments.csv (the overflow of the 1,000-character remarks column).
 * The consolidated non-SDN list uses the same layout under cons_*.csv.
 *
 *   sdn.csv  ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,
 *            Tonnage,GRT,Vess_flag,Vess_owner,Remarks
 *   alt.csv  ent_num,alt_num,alt_type,alt_name,alt_remarks
 *   add.csv  ent_num,add_num,Address,City/State/Province/Postal Code,Country,
 *            Add_remarks
 *   comments ent_num,Remarks_Extended
 *
 * Any file of a set names the whole set (locate), and a set named twice is
 * read once, so `compile sdn.csv alt.csv add.csv sdn_comments.csv` works.
 *
 * Quirks (../shared/data/README.md): no header, "-0- " is null, CRLF, a
 * trailing 0x1A.  Comments are read first because a remark is complete only
 * with its overflow (the column is cut mid-word and continues there).
 * Aliases in alt.csv are strong; the "a.k.a. 'X'" clauses of the remarks
 * are OFAC's weak aliases (remarks parser).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lists_int.h"

typedef struct ofac_set {
    const char *list;                 /* "OFAC-SDN" / "OFAC-CONS" */
    char prim[1024], alt[1024], add[1024], com[1024];
} ofac_set;

typedef struct comment {
    char *ent;
    char *text;
    size_t len;
} comment;

static txs_slice nul(txs_slice s)
{
    s = txs__lists_trim(s);
    if (s.n == 3 && memcmp(s.p, "-0-", 3) == 0) s.n = 0;
    return s;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir/name, trying the lower- and the upper-case spelling OFAC uses. */
static void sibling(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
    if (exists(out)) return;
    char up[64];
    size_t i = 0;
    for (; name[i] && i < sizeof up - 1; i++)
        up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
    up[i] = '\0';
    snprintf(out, cap, "%s/%s", dir, up);
    if (!exists(out)) out[0] = '\0';
}

static const char *const PARTS[] = {"alt.csv",      "add.csv",      "sdn_comments.csv",
                                    "cons_alt.csv", "cons_add.csv", "cons_comments.csv"};

int txs__lists_ofac_part(const char *path)
{
    const char *sl = strrchr(path, '/');
    const char *base = sl ? sl + 1 : path;
    for (size_t i = 0; i < sizeof PARTS / sizeof PARTS[0]; i++)
        if (strcasecmp(base, PARTS[i]) == 0) return 1;
    return 0;
}

/* The set's files.  path is its directory, its primary file, or one of its
 * secondary files (alt.csv ...): `lists compile sdn.csv alt.csv add.csv`
 * names the same set three times, and each name finds the whole set. */
static int locate(const char *path, ofac_set *s, txs_diag *d)
{
    char dir[1024];
    struct stat st;
    const char *base = path;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(dir, sizeof dir, "%s", path);
        base = NULL;
    } else {
        const char *sl = strrchr(path, '/');
        snprintf(dir, sizeof dir, "%.*s", sl ? (int)(sl - path) : 1, sl ? path : ".");
        base = sl ? sl + 1 : path;
    }
    int cons = base && strncasecmp(base, "cons_", 5) == 0;
    if (base && txs__lists_ofac_part(base)) {
        sibling(s->prim, sizeof s->prim, dir, cons ? "cons_prim.csv" : "sdn.csv");
        if (!s->prim[0])
            return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                                "an OFAC %s is read with the %s beside it, and there is none "
                                "in %s (name that file or the directory)",
                                base, cons ? "cons_prim.csv" : "sdn.csv", dir);
    } else if (base == NULL) {
        sibling(s->prim, sizeof s->prim, dir, "sdn.csv");
        if (!s->prim[0]) sibling(s->prim, sizeof s->prim, dir, "cons_prim.csv"), cons = 1;
        if (!s->prim[0])
            return txs_diag_set(d, TXS_E_IO, path, 0, "no sdn.csv or cons_prim.csv in directory");
    } else {
        snprintf(s->prim, sizeof s->prim, "%s", path);
    }
    s->list = cons ? "OFAC-CONS" : "OFAC-SDN";
    sibling(s->alt, sizeof s->alt, dir, cons ? "cons_alt.csv" : "alt.csv");
    sibling(s->add, sizeof s->add, dir, cons ? "cons_add.csv" : "add.csv");
    sibling(s->com, sizeof s->com, dir, cons ? "cons_comments.csv" : "sdn_comments.csv");
    return TXS_OK;
}

static int need_fields(const txs__lcsv *r, size_t n, txs_diag *d)
{
    if (r->nf < n)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                            "expected %zu fields, found %zu", n, r->nf);
    txs_slice id = txs__lists_trim(txs__lcsv_field(r, 0));
    if (id.n == 0 || id.n > 12 || strspn(id.p, "0123456789") < id.n)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                            "ent_num '%.*s' is not a number", (int)(id.n > 40 ? 40 : id.n), id.p);
    return TXS_OK;
}

/* ---------------------------------------------------------- comments */

static void free_comments(comment *c, size_t n)
{
    for (size_t i = 0; i < n; i++) free(c[i].ent), free(c[i].text);
    free(c);
}

static int read_comments(const char *path, comment **out, size_t *nout, uint32_t *records,
                         txs_diag *d)
{
    txs__lcsv r;
    TXS_TRY(txs__lcsv_open(&r, path, ',', d));
    comment *c = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = txs__lcsv_next(&r, d)) == 1) {
        if ((rc = need_fields(&r, 2, d)) < 0) break;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            comment *p = realloc(c, cap * sizeof *p);
            if (p == NULL) { rc = TXS_E_NOMEM; break; }
            c = p;
        }
        txs_slice id = txs__lists_trim(txs__lcsv_field(&r, 0)), t = nul(txs__lcsv_field(&r, 1));
        c[n].ent = strndup(id.p, id.n);
        c[n].text = strndup(t.p, t.n);
        c[n].len = t.n;
        n++;
        if (!c[n - 1].ent || !c[n - 1].text) { rc = TXS_E_NOMEM; break; }
    }
    *records = (uint32_t)n;
    txs__lcsv_close(&r);
    if (rc < 0) {
        free_comments(c, n);
        return rc;
    }
    *out = c;
    *nout = n;
    return TXS_OK;
}

/* ---------------------------------------------------------------- sdn */

static int entity_type(txs_slice t)
{
    if (t.n == 0) return TXS_ENT_ENTITY;
    if (txs_slice_eq_nocase(t, "individual")) return TXS_ENT_INDIVIDUAL;
    if (txs_slice_eq_nocase(t, "vessel")) return TXS_ENT_VESSEL;
    if (txs_slice_eq_nocase(t, "aircraft")) return TXS_ENT_AIRCRAFT;
    return -1;
}

/* Programs are written "SDGT] [IRGC": split on the brackets. */
static int programs(txs_lists_builder *b, txs__lent *e, txs_slice p)
{
    size_t s = 0;
    for (size_t i = 0; i <= p.n; i++) {
        if (i < p.n && p.p[i] != '[' && p.p[i] != ']') continue;
        TXS_TRY(txs__lists_field(b, e, TXS_F_PROGRAM, 0, p.p + s, i - s, NULL, 0, NULL, 0));
        s = i + 1;
    }
    return TXS_OK;
}

static int other(txs_lists_builder *b, txs__lent *e, txs_slice v, const char *label)
{
    return txs__lists_field(b, e, TXS_F_OTHER, 0, v.p, v.n, label, strlen(label), NULL, 0);
}

static int sdn_row(txs_lists_builder *b, uint32_t src, const ofac_set *s, const txs__lcsv *r,
                   const comment *com, size_t ncom, txs_diag *d)
{
    TXS_TRY(need_fields(r, 12, d));
    txs_slice f[12];
    for (int i = 0; i < 12; i++) f[i] = nul(txs__lcsv_field(r, (size_t)i));
    int type = entity_type(f[2]);
    if (type < 0)
        return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "unknown SDN_Type '%.*s'",
                            (int)(f[2].n > 40 ? 40 : f[2].n), f[2].p);
    if (f[1].n == 0) return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "empty SDN_Name");
    char id[64];
    int idn = snprintf(id, sizeof id, "%s:%.*s", s->list, (int)f[0].n, f[0].p);
    txs__lent *e = txs__lists_entity(b, src, id, (size_t)idn, type, f[1].p, f[1].n);
    if (e == NULL) return TXS_E_NOMEM;
    TXS_TRY(programs(b, e, f[3]));
    TXS_TRY(txs__lists_field(b, e, TXS_F_TITLE, 0, f[4].p, f[4].n, NULL, 0, NULL, 0));
    TXS_TRY(txs__lists_field(b, e, TXS_F_ID, TXS_ID_CALL_SIGN, f[5].p, f[5].n, NULL, 0,
                             "Call Sign", 9));
    TXS_TRY(other(b, e, f[6], "Vessel Type"));
    TXS_TRY(other(b, e, f[7], "Tonnage"));
    TXS_TRY(other(b, e, f[8], "GRT"));
    TXS_TRY(txs__lists_field(b, e, TXS_F_COUNTRY, 0, f[9].p, f[9].n, "vessel flag", 11, NULL, 0));
    TXS_TRY(other(b, e, f[10], "Vessel Owner"));
    const comment *c = NULL;
    for (size_t i = 0; i < ncom; i++)
        if (strlen(com[i].ent) == f[0].n && memcmp(com[i].ent, f[0].p, f[0].n) == 0) c = &com[i];
    if (c == NULL) return txs__lists_ofac_remarks(b, src, e, f[11].p, f[11].n);
    /* The remark continues in the comment exactly where the column was cut. */
    char *all = malloc(f[11].n + c->len + 1);
    if (all == NULL) return TXS_E_NOMEM;
    memcpy(all, f[11].p, f[11].n);
    memcpy(all + f[11].n, c->text, c->len);
    int rc = txs__lists_ofac_remarks(b, src, e, all, f[11].n + c->len);
    free(all);
    return rc;
}

static int read_csv(txs_lists_builder *b, uint32_t src, const ofac_set *s, const char *path,
                    int which, const comment *com, size_t ncom, txs_diag *d);

/* ---------------------------------------------------------- alt / add */

static txs__lent *owner(txs_lists_builder *b, const ofac_set *s, const txs__lcsv *r,
                        txs_diag *d)
{
    txs_slice n = txs__lists_trim(txs__lcsv_field(r, 0));
    char id[64];
    int idn = snprintf(id, sizeof id, "%s:%.*s", s->list, (int)n.n, n.p);
    txs__lent *e = txs__lists_lookup(b, id, (size_t)idn);
    if (e == NULL)
        txs_diag_set(d, TXS_E_FORMAT, r->path, r->line,
                     "ent_num %.*s is not in the primary file (mismatched set?)", (int)n.n, n.p);
    return e;
}

static int alt_row(txs_lists_builder *b, const ofac_set *s, const txs__lcsv *r, txs_diag *d)
{
    TXS_TRY(need_fields(r, 5, d));
    txs__lent *e = owner(b, s, r, d);
    if (e == NULL) return TXS_E_FORMAT;
    txs_slice type = nul(txs__lcsv_field(r, 2)), name = nul(txs__lcsv_field(r, 3));
    txs_slice rem = nul(txs__lcsv_field(r, 4));
    if (name.n == 0) return txs_diag_set(d, TXS_E_FORMAT, r->path, r->line, "empty alt_name");
    return txs__lists_field(b, e, TXS_F_ALIAS, TXS_ALIAS_STRONG, name.p, name.n, type.p, type.n,
                            rem.p, rem.n);
}

static int add_row(txs_lists_builder *b, const ofac_set *s, const txs__lcsv *r, txs_diag *d)
{
    TXS_TRY(need_fields(r, 6, d));
    txs__lent *e = owner(b, s, r, d);
    if (e == NULL) return TXS_E_FORMAT;
    char buf[2048];
    size_t n = 0;
    for (size_t i = 2; i <= 4; i++) {
        txs_slice v = nul(txs__lcsv_field(r, i));
        if (v.n == 0 || n + v.n + 2 >= sizeof buf) continue;
        if (n) buf[n++] = ',', buf[n++] = ' ';
        memcpy(buf + n, v.p, v.n);
        n += v.n;
    }
    txs_slice country = nul(txs__lcsv_field(r, 4)), rem = nul(txs__lcsv_field(r, 5));
    TXS_TRY(txs__lists_field(b, e, TXS_F_ADDRESS, 0, buf, n, country.p, country.n, rem.p, rem.n));
    /* The address country is also a country of the entity (once). */
    for (uint32_t i = 0; i < e->nf; i++)
        if (e->f[i].kind == TXS_F_COUNTRY && e->f[i].vlen == country.n && e->f[i].elen == 0 &&
            memcmp(e->f[i].val, country.p, country.n) == 0)
            return TXS_OK;
    return txs__lists_field(b, e, TXS_F_COUNTRY, 0, country.p, country.n, NULL, 0, NULL, 0);
}

static int read_csv(txs_lists_builder *b, uint32_t src, const ofac_set *s, const char *path,
                    int which, const comment *com, size_t ncom, txs_diag *d)
{
    txs__lcsv r;
    TXS_TRY(txs__lcsv_open(&r, path, ',', d));
    int rc;
    uint32_t rows = 0;
    while ((rc = txs__lcsv_next(&r, d)) == 1) {
        rows++;
        rc = which == 0   ? sdn_row(b, src, s, &r, com, ncom, d)
             : which == 1 ? alt_row(b, s, &r, d)
                          : add_row(b, s, &r, d);
        if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, r.line, "out of memory");
        if (rc < 0) break;
    }
    txs__lcsv_close(&r);
    b->srcs[src].records = rows;
    return rc < 0 ? rc : TXS_OK;
}

int txs__lists_read_ofac(txs_lists_builder *b, const char *path, txs_diag *d)
{
    ofac_set s;
    memset(&s, 0, sizeof s);
    TXS_TRY(locate(path, &s, d));
    /* A set named again (its directory and sdn.csv, or sdn.csv and its
     * alt.csv) was read in full the first time. */
    int seen;
    TXS_TRY(txs__lists_source_seen(b, s.prim, "ofac-csv", &seen, d));
    if (seen) return TXS_OK;
    uint32_t prim, idx;
    TXS_TRY(txs__lists_source(b, s.prim, "ofac-csv", s.list, UINT32_MAX, &prim, d));
    comment *com = NULL;
    size_t ncom = 0;
    if (s.com[0]) {
        TXS_TRY(txs__lists_source(b, s.com, "ofac-csv", s.list, prim, &idx, d));
        TXS_TRY(read_comments(s.com, &com, &ncom, &b->srcs[idx].records, d));
    }
    int rc = read_csv(b, prim, &s, s.prim, 0, com, ncom, d);
    free_comments(com, ncom);
    if (rc < 0) return rc;
    if (s.alt[0]) {
        TXS_TRY(txs__lists_source(b, s.alt, "ofac-csv", s.list, prim, &idx, d));
        TXS_TRY(read_csv(b, idx, &s, s.alt, 1, NULL, 0, d));
    }
    if (s.add[0]) {
        TXS_TRY(txs__lists_source(b, s.add, "ofac-csv", s.list, prim, &idx, d));
        TXS_TRY(read_csv(b, idx, &s, s.add, 2, NULL, 0, d));
    }
    return TXS_OK;
}
