/*
 * html.c: the report page (report.h, docs/report.md), written top to
 * bottom into one buffer from what collect.c kept:
 *
 *   head (style)  run (figures, inputs, rule set, lists and their age,
 *   outputs)  charts  cases table  rejects by reason  difference from the
 *   previous run  script
 *
 * Every figure the browser test compares with the manifest is an element
 * with data-k (the manifest's key path: "counts.alerts",
 * "alerts_by_band.block", "alerts_by_rule.fan_out_8h") and data-v (the
 * figure), and the figures of alerts, bands and rules are counted from
 * the alerts file, not copied from the manifest, so the check proves the
 * files agree; a disagreement is also shown on the page as a warning.
 *
 * Every string from a file goes through txs__rpt_esc (& < > " ' and
 * control characters), in text and in attributes alike; nothing from a
 * file is written into the script or the style.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/values.h"

#include "report_int.h"

/* ------------------------------------------------------------ escape */

void txs__rpt_esc(txs_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = c == '&'   ? "&amp;"
                          : c == '<' ? "&lt;"
                          : c == '>' ? "&gt;"
                          : c == '"' ? "&quot;"
                          : c == '\'' ? "&#39;"
                          : (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? "&#xFFFD;"
                                                                              : NULL;
        if (rep == NULL) continue;
        txs_buf_put(b, s + run, i - run);
        txs_buf_puts(b, rep);
        run = i + 1;
    }
    txs_buf_put(b, s + run, n - run);
}

void txs__rpt_escz(txs_buf *b, const char *s)
{
    if (s) txs__rpt_esc(b, s, strlen(s));
}

/* ------------------------------------------------------------ values */

static const char *mstr(const txs_json *o, const char *key)
{
    const txs_json *v = txs_json_get(o, key);
    return v && v->type == TXS_JSON_STR ? v->s : NULL;
}

/* A number's text as it is in the manifest ("" when absent). */
static void mnum(txs_buf *b, const txs_json *o, const char *key)
{
    const txs_json *v = txs_json_get(o, key);
    if (v && v->type == TXS_JSON_NUM) txs_buf_put(b, v->s, v->n);
    else if (v && v->type == TXS_JSON_STR) txs__rpt_escz(b, v->s);
    else txs_buf_puts(b, "&ndash;");
}

static uint64_t mu64(const txs_json *o, const char *key)
{
    uint64_t v = 0;
    txs_json_u64(txs_json_get(o, key), &v);
    return v;
}

/* 1234567 -> "1,234,567". */
static void group(txs_buf *b, uint64_t v)
{
    char s[24];
    int n = snprintf(s, sizeof s, "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) txs_buf_putc(b, ',');
        txs_buf_putc(b, s[i]);
    }
}

/* A figure the browser test checks: data-k names its manifest key. */
static void fig(txs_buf *b, const char *key, uint64_t v)
{
    txs_buf_puts(b, "<span class=\"n\" data-k=\"");
    txs__rpt_escz(b, key);
    txs_buf_printf(b, "\" data-v=\"%llu\">", (unsigned long long)v);
    group(b, v);
    txs_buf_puts(b, "</span>");
}

static void td_num(txs_buf *b, uint64_t v)
{
    txs_buf_printf(b, "<td class=\"r\" data-s=\"%llu\">", (unsigned long long)v);
    group(b, v);
    txs_buf_puts(b, "</td>");
}

static void td_str(txs_buf *b, const char *s, const char *cls)
{
    txs_buf_printf(b, cls ? "<td class=\"%s\">" : "<td>", cls);
    txs__rpt_escz(b, s ? s : "");
    txs_buf_puts(b, "</td>");
}

static int64_t ts_of(const char *s)
{
    int64_t t = 0;
    const char *why;
    if (s == NULL || txs_ts_parse_iso8601(s, strlen(s), 0, &t, &why) < 0) return 0;
    return t;
}

static const char *band_name[4] = {"none", "edd", "review", "block"};

/* -------------------------------------------------------------- run */

static void kv(txs_buf *b, const char *k, const txs_json *o, const char *key)
{
    txs_buf_printf(b, "<tr><th>%s</th><td>", k);
    mnum(b, o, key);
    txs_buf_puts(b, "</td></tr>\n");
}

/* A warning paragraph: text, figure x, text after. */
static void warn(txs_buf *b, const char *before, uint64_t x, const char *after)
{
    txs_buf_printf(b, "<p class=\"warn\">%s%llu%s</p>\n", before, (unsigned long long)x, after);
}

static void run_figures(const txs_report *r, txs_buf *b, const txs_json *m)
{
    const txs_json *c = txs_json_get(m, "counts"), *t = txs_json_get(m, "timing");
    txs_buf_puts(b, "<h2 id=\"run\">Run</h2>\n<div class=\"row\"><table>\n");
    kv(b, "txscreen", m, "txscreen_version");
    kv(b, "command", m, "command");
    kv(b, "profile", m, "profile");
    kv(b, "started (UTC)", t, "started_utc");
    kv(b, "time (s)", t, "wall_seconds");
    kv(b, "records/s", t, "records_per_second");
    kv(b, "MB/s", t, "mb_per_second");
    kv(b, "threads", t, "threads");
    txs_buf_puts(b, "</table>\n<table class=\"figs\">\n<tr><th>read</th><td class=\"r\">");
    fig(b, "counts.read", mu64(c, "read"));
    txs_buf_puts(b, "</td></tr>\n<tr><th>screened</th><td class=\"r\">");
    fig(b, "counts.screened", mu64(c, "screened"));
    txs_buf_puts(b, "</td></tr>\n<tr><th>rejected</th><td class=\"r\">");
    fig(b, "counts.rejected", mu64(c, "rejected"));
    txs_buf_puts(b, "</td></tr>\n<tr><th>alerts (in the alerts file)</th><td class=\"r\">");
    fig(b, "counts.alerts", r->alerts);
    for (int k = 3; k >= 1; k--) {
        char key[40];
        snprintf(key, sizeof key, "alerts_by_band.%s", band_name[k]);
        txs_buf_printf(b, "</td></tr>\n<tr><th>&nbsp; %s</th><td class=\"r\">", band_name[k]);
        fig(b, key, r->bands[k]);
    }
    txs_buf_puts(b, "</td></tr>\n<tr><th>hits</th><td class=\"r\">");
    group(b, mu64(c, "hits"));
    txs_buf_puts(b, "</td></tr>\n<tr><th>sanctions alerts</th><td class=\"r\">");
    group(b, mu64(c, "sanctions_alerts"));
    if (r->has_cases) {
        txs_buf_puts(b, "</td></tr>\n<tr><th>cases (sanctions, typology; continuing)</th>"
                        "<td class=\"r\">");
        fig(b, "cases", r->cases);
        txs_buf_printf(b, " (%llu, %llu; %llu)", (unsigned long long)r->cases_kind[0],
                       (unsigned long long)r->cases_kind[1], (unsigned long long)r->cases_cont);
    }
    txs_buf_puts(b, "</td></tr>\n</table></div>\n");
    if (r->alerts != mu64(c, "alerts")) {
        txs_buf_printf(b, "<p class=\"warn\">The alerts file holds %llu alerts; the manifest "
                          "says %llu: they are not one run's files.</p>\n",
                       (unsigned long long)r->alerts, (unsigned long long)mu64(c, "alerts"));
    }
    if (mu64(c, "read") == 0) txs_buf_puts(b, "<p class=\"warn\">The input had no records.</p>\n");
    if (!r->has_cases)
        txs_buf_puts(b, "<p>No cases file was given (screen --cases): the cases table is "
                        "empty.</p>\n");
}

static void inputs(txs_buf *b, const txs_json *m)
{
    const txs_json *in = txs_json_get(m, "inputs");
    txs_buf_puts(b, "<h3>Inputs</h3>\n<table><thead><tr><th>file</th><th>encoding</th>"
                    "<th class=\"r\">bytes</th><th>xxh3</th><th class=\"r\">read</th>"
                    "<th class=\"r\">rejected</th></tr></thead><tbody>\n");
    for (const txs_json *i = txs_json_first(in); i; i = i->next) {
        txs_buf_puts(b, "<tr>");
        td_str(b, mstr(i, "file"), NULL);
        td_str(b, mstr(i, "encoding"), NULL);
        td_num(b, mu64(i, "bytes"));
        td_str(b, mstr(i, "xxh3"), "mono");
        td_num(b, mu64(i, "read"));
        td_num(b, mu64(i, "rejected"));
        txs_buf_puts(b, "</tr>\n");
    }
    txs_buf_puts(b, "</tbody></table>\n");
}

static void ruleset(txs_buf *b, const txs_json *m)
{
    const txs_json *ru = txs_json_get(m, "rules");
    txs_buf_puts(b, "<h3>Rule set</h3>\n");
    if (ru == NULL || ru->type != TXS_JSON_OBJ) {
        txs_buf_puts(b, "<p>No rule set (--rules none).</p>\n");
        return;
    }
    txs_buf_puts(b, "<table>");
    kv(b, "name", ru, "name");
    kv(b, "version", ru, "version");
    kv(b, "given as", ru, "spec");
    kv(b, "xxh3", ru, "xxh3");
    kv(b, "rules", ru, "count");
    txs_buf_puts(b, "</table>\n");
}

/* Each list source with its publication date and age at the run's start. */
static void lists(const txs_report *r, txs_buf *b, const txs_json *m)
{
    const txs_json *ls = txs_json_get(m, "lists");
    int64_t start = ts_of(mstr(txs_json_get(m, "timing"), "started_utc"));
    txs_buf_printf(b, "<h3>Sanctions lists</h3>\n<p>A list published more than %u days before "
                      "the run started is flagged (report --max-list-age).</p>\n",
                   r->o.max_list_age_days);
    if (txs_json_first(ls) == NULL) {
        txs_buf_puts(b, "<p>No sanctions lists (--lists none).</p>\n");
        return;
    }
    txs_buf_puts(b, "<table><thead><tr><th>snapshot</th><th>list</th><th>file</th>"
                    "<th>published</th><th class=\"r\">age (days)</th><th class=\"r\">entities"
                    "</th><th>sha256</th></tr></thead><tbody>\n");
    uint64_t stale = 0;
    for (const txs_json *l = txs_json_first(ls); l; l = l->next)
        for (const txs_json *s = txs_json_first(txs_json_get(l, "sources")); s; s = s->next) {
            const char *date = mstr(s, "date");
            int64_t pub = ts_of(date);
            long age = pub && start ? (long)((start - pub) / 86400) : -1;
            int old = age < 0 || age > (long)r->o.max_list_age_days;
            stale += (uint64_t)old;
            txs_buf_printf(b, "<tr%s>", old ? " class=\"bad\"" : "");
            td_str(b, mstr(l, "path"), NULL);
            td_str(b, mstr(s, "list"), NULL);
            td_str(b, mstr(s, "file"), NULL);
            td_str(b, date ? date : "not stated in the file", NULL);
            if (age >= 0) txs_buf_printf(b, "<td class=\"r\">%ld</td>", age);
            else txs_buf_puts(b, "<td class=\"r\">unknown</td>");
            td_num(b, mu64(s, "entities"));
            const char *h = mstr(s, "sha256");
            txs_buf_puts(b, "<td class=\"mono\">");
            if (h) txs__rpt_esc(b, h, strlen(h) > 16 ? 16 : strlen(h));
            txs_buf_puts(b, "</td></tr>\n");
        }
    txs_buf_puts(b, "</tbody></table>\n");
    if (stale)
        warn(b, "", stale, " list files are older than the limit or state no publication date "
                           "(highlighted).");
}

static void outputs(txs_buf *b, const txs_json *m)
{
    const txs_json *o = txs_json_get(m, "outputs");
    if (o == NULL) return;
    txs_buf_puts(b, "<h3>Outputs</h3>\n<table>");
    kv(b, "alerts", o, "alerts");
    kv(b, "alerts bytes", o, "alerts_bytes");
    kv(b, "alerts xxh3", o, "alerts_xxh3");
    kv(b, "rejects", o, "rejects");
    kv(b, "rejects bytes", o, "rejects_bytes");
    kv(b, "rejects xxh3", o, "rejects_xxh3");
    txs_buf_puts(b, "</table>\n");
}

/* ------------------------------------------------------------ charts */

static void top_chart(txs_buf *b, const char *title, const rpt_map *mp, size_t cap)
{
    rpt_count *v = txs__rpt_map_sorted(mp);
    if (v == NULL) {
        b->oom = 1;
        return;
    }
    size_t n = mp->n < cap ? mp->n : cap;
    const char **lab = malloc((n ? n : 1) * sizeof *lab);
    uint64_t *val = malloc((n ? n : 1) * sizeof *val);
    if (lab && val) {
        for (size_t i = 0; i < n; i++) {
            lab[i] = v[i].key;
            val[i] = v[i].n;
        }
        txs__rpt_svg_bars(b, title, lab, val, n);
    } else {
        b->oom = 1;
    }
    free(lab);
    free(val);
    free(v);
}

/* Alerts over the transactions' time span, in 48 equal bins. */
static void time_chart(const txs_report *r, txs_buf *b)
{
    enum { BINS = 48 };
    uint64_t bins[BINS] = {0};
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < r->nts; i++) {
        if (i == 0 || r->ts[i] < lo) lo = r->ts[i];
        if (i == 0 || r->ts[i] > hi) hi = r->ts[i];
    }
    for (size_t i = 0; i < r->nts; i++) {
        size_t k = hi > lo ? (size_t)(((r->ts[i] - lo) * (int64_t)BINS) / (hi - lo + 1)) : 0;
        bins[k < BINS ? k : BINS - 1]++;
    }
    char a[21], z[21], mid[21];
    txs_ts_format(lo, a);
    txs_ts_format(hi, z);
    txs_ts_format(lo + (hi - lo) / 2, mid);
    txs__rpt_svg_columns(b, "Alerts over the transactions' time span", bins, BINS,
                         r->nts ? a : "", r->nts ? mid : "", r->nts ? z : "");
}

/* Alerts by rule: every rule the manifest names (0 included) and any the
 * alerts name beyond them, as a table with the figures and a chart. */
static void rules_table(const txs_report *r, txs_buf *b, const txs_json *m)
{
    const txs_json *abr = txs_json_get(m, "alerts_by_rule");
    txs_buf_puts(b, "<details><summary>Alerts by rule (table)</summary>\n<table class=\"sortable\">"
                    "<thead><tr><th>rule</th><th class=\"r\" data-type=\"num\">alerts</th>"
                    "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->rules.n; i++) {
        const rpt_count *c = &r->rules.v[i];
        int sanc = strcmp(c->key, "sanctions") == 0;
        char key[300];
        snprintf(key, sizeof key, "%s%s", sanc ? "counts.sanctions_alerts" : "alerts_by_rule.",
                 sanc ? "" : c->key);
        txs_buf_puts(b, "<tr>");
        td_str(b, c->key, NULL);
        txs_buf_printf(b, "<td class=\"r\" data-s=\"%llu\">", (unsigned long long)c->n);
        fig(b, key, c->n);
        txs_buf_puts(b, "</td></tr>\n");
    }
    for (const txs_json *k = txs_json_first(abr); k; k = k->next) {
        if (txs__rpt_map_find(&r->rules, k->key, strlen(k->key))) continue;
        char key[300];
        snprintf(key, sizeof key, "alerts_by_rule.%s", k->key);
        txs_buf_puts(b, "<tr>");
        td_str(b, k->key, NULL);
        txs_buf_puts(b, "<td class=\"r\" data-s=\"0\">");
        fig(b, key, 0);
        txs_buf_puts(b, "</td></tr>\n");
    }
    txs_buf_puts(b, "</tbody></table></details>\n");
}

static void charts(const txs_report *r, txs_buf *b, const txs_json *m)
{
    txs_buf_puts(b, "<h2 id=\"charts\">Charts</h2>\n<div class=\"charts\">\n");
    const char *bl[3] = {"block", "review", "edd"};
    uint64_t bv[3] = {r->bands[3], r->bands[2], r->bands[1]};
    txs__rpt_svg_bars(b, "Alerts by band", bl, bv, 3);
    top_chart(b, "Alerts by rule", &r->rules, 40);
    uint64_t sc[20];
    memcpy(sc, r->scores, sizeof sc);
    sc[19] += r->scores[20];
    txs__rpt_svg_columns(b, "Alert scores (bins of 5)", sc, 20, "0", "50", "100");
    time_chart(r, b);
    top_chart(b, "Top 20 parties by sanctions cases", &r->parties, 20);
    top_chart(b, "Top 20 accounts by typology cases", &r->accounts, 20);
    txs_buf_puts(b, "</div>\n");
    rules_table(r, b, m);
}

/* ------------------------------------------------------------- cases */

static void evidence(txs_buf *b, const rpt_case *c, int typology)
{
    txs_buf_printf(b, "<details><summary>%zu transaction%s</summary>", c->nev,
                   c->nev == 1 ? "" : "s");
    if (typology) txs__rpt_svg_timeline(b, c);
    txs_buf_puts(b, "<table><tr><th>txn</th><th>time</th><th>amount</th><th>score</th>"
                    "<th>band</th><th>rules</th><th>episode</th></tr>");
    for (size_t i = 0; i < c->nev; i++) {
        const rpt_ev *e = &c->ev[i];
        char t[21];
        txs_ts_format(e->ts, t);
        txs_buf_puts(b, "<tr>");
        td_str(b, e->txn, "mono");
        td_str(b, t, NULL);
        td_str(b, e->amount, "r");
        txs_buf_printf(b, "<td class=\"r\">%d</td><td class=\"b%d\">%s</td>", e->score, e->band,
                       band_name[e->band]);
        td_str(b, e->rules, NULL);
        txs_buf_puts(b, "<td>");
        if (e->window) {
            txs__rpt_escz(b, e->window);
            txs_buf_puts(b, "; ");
        }
        txs__rpt_escz(b, e->linked);
        txs_buf_puts(b, "</td></tr>");
    }
    txs_buf_puts(b, "</table>");
    if (c->alerts > c->nev)
        txs_buf_printf(b, "<p>and %llu more alerts (the cases file lists every one)</p>",
                       (unsigned long long)(c->alerts - c->nev));
    txs_buf_puts(b, "</details>");
}

static void amounts(txs_buf *b, const txs_json *o)
{
    int k = 0;
    for (const txs_json *a = txs_json_first(txs_json_get(o, "total_amount")); a; a = a->next) {
        if (k++) txs_buf_puts(b, "<br>");
        txs__rpt_escz(b, mstr(a, "amount"));
        txs_buf_putc(b, ' ');
        txs__rpt_escz(b, mstr(a, "currency"));
    }
}

/* Row i; rows past the first page start hidden (class pg), so the
 * browser lays out one page, not the whole cap, before the script pages
 * the table; without script a <noscript> style shows them all. */
static void case_row(txs_buf *b, txs_json_doc *doc, const rpt_case *c, size_t i)
{
    if (txs_json_parse(doc, c->line, strlen(c->line)) < 0) return; /* read once already */
    const txs_json *o = doc->root, *s = txs_json_get(o, "subject");
    int typ = strcmp(mstr(o, "kind") ? mstr(o, "kind") : "", "typology") == 0;
    txs_buf_puts(b, i >= RPT_PAGE ? "<tr class=\"pg\">" : "<tr>");
    td_str(b, mstr(o, "case_id"), "mono");
    td_str(b, mstr(o, "kind"), NULL);
    td_str(b, mstr(o, "status"), NULL);
    txs_buf_puts(b, "<td>");
    txs__rpt_escz(b, mstr(s, typ ? "account" : "party"));
    txs_buf_puts(b, typ ? " &middot; " : " &harr; ");
    txs__rpt_escz(b, mstr(s, typ ? "family" : "list"));
    if (!typ) {
        txs_buf_putc(b, ' ');
        txs__rpt_escz(b, mstr(s, "entry"));
    }
    txs_buf_puts(b, "</td>");
    td_str(b, mstr(o, "first_seen"), NULL);
    td_str(b, mstr(o, "last_seen"), NULL);
    td_num(b, c->alerts);
    td_num(b, (uint64_t)c->score);
    const char *band = mstr(o, "highest_band");
    int bi = 0;
    for (int k = 1; k < 4; k++)
        if (band && strcmp(band, band_name[k]) == 0) bi = k;
    txs_buf_printf(b, "<td class=\"b%d\" data-s=\"%d\">", bi, bi);
    txs__rpt_escz(b, band);
    txs_buf_puts(b, "</td><td class=\"r\">");
    amounts(b, o);
    txs_buf_puts(b, "</td><td>");
    int k = 0;
    for (const txs_json *ru = txs_json_first(txs_json_get(o, "rules")); ru; ru = ru->next) {
        if (k++) txs_buf_puts(b, ", ");
        if (ru->type == TXS_JSON_STR) txs__rpt_escz(b, ru->s);
    }
    txs_buf_puts(b, "</td><td>");
    evidence(b, c, typ);
    txs_buf_puts(b, "</td></tr>\n");
}

static void cases_table(txs_report *r, txs_buf *b)
{
    txs_buf_puts(b, "<h2 id=\"cases\">Cases</h2>\n");
    if (!r->has_cases) {
        txs_buf_puts(b, "<p>No cases file.</p>\n");
        return;
    }
    txs_buf_puts(b, "<p>");
    if (r->cases > r->nshown) {
        txs_buf_puts(b, "<span class=\"warn\">Showing the top ");
        group(b, r->nshown);
        txs_buf_puts(b, " of ");
        group(b, r->cases);
        txs_buf_puts(b, " cases</span> by highest score, then alerts (the cap); the cases file "
                        "has them all. ");
    } else {
        txs_buf_puts(b, "All ");
        group(b, r->cases);
        txs_buf_puts(b, " cases, by highest score, then alerts. ");
    }
    txs_buf_printf(b, "Click a column to sort; %d rows a page.</p>\n"
                      "<noscript><style>tr.pg{display:table-row}</style></noscript>\n", RPT_PAGE);
    txs_buf_puts(b, ""
                    "<table id=\"cases-table\" class=\"sortable paged\"><thead><tr>"
                    "<th>case</th><th>kind</th><th>status</th><th>subject</th><th>first seen</th>"
                    "<th>last seen</th><th class=\"r\" data-type=\"num\">alerts</th>"
                    "<th class=\"r\" data-type=\"num\">score</th><th data-type=\"num\">band</th>"
                    "<th>total</th><th>rules</th><th>evidence</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->nshown; i++) case_row(b, &r->doc, r->shown[i], i);
    txs_buf_puts(b, "</tbody></table>\n");
}

/* ----------------------------------------------------------- rejects */

static void rejects(const txs_report *r, txs_buf *b, const txs_json *m)
{
    txs_buf_puts(b, "<h2 id=\"rejects\">Rejects by reason</h2>\n");
    if (!r->st[TXS_REPORT_REJECTS].ended) {
        txs_buf_puts(b, "<p>No rejects file was given; the manifest counts ");
        group(b, mu64(txs_json_get(m, "counts"), "rejected"));
        txs_buf_puts(b, ".</p>\n");
        return;
    }
    txs_buf_puts(b, "<p>");
    group(b, r->rejects);
    txs_buf_printf(b, " rejects; reasons with their quoted values and numbers blanked count "
                      "together (at most %d reasons, then \"other reasons\").</p>\n",
                   TXS_REPORT_REASONS);
    if (r->rejects == 0) return;
    rpt_count *v = txs__rpt_map_sorted(&r->reason_ix);
    if (v == NULL) {
        b->oom = 1;
        return;
    }
    txs_buf_puts(b, "<table class=\"sortable\"><thead><tr><th>reason</th><th class=\"r\" "
                    "data-type=\"num\">records</th><th>examples (file:line, reason, excerpt)</th>"
                    "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->reason_ix.n; i++) {
        const rpt_reason *rr = &r->reasons[v[i].n2];
        txs_buf_puts(b, "<tr>");
        td_str(b, v[i].key, NULL);
        td_num(b, rr->n);
        txs_buf_puts(b, "<td>");
        for (size_t j = 0; j < rr->nex; j++) {
            const char *e = rr->ex[j], *t1 = strchr(e, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            if (t2 == NULL) continue;
            txs_buf_puts(b, "<div><b>");
            txs__rpt_esc(b, e, (size_t)(t1 - e));
            txs_buf_puts(b, "</b> ");
            txs__rpt_esc(b, t1 + 1, (size_t)(t2 - t1 - 1));
            txs_buf_puts(b, "<br><span class=\"mono\">");
            txs__rpt_escz(b, t2 + 1);
            txs_buf_puts(b, "</span></div>");
        }
        txs_buf_puts(b, "</td></tr>\n");
    }
    txs_buf_puts(b, "</tbody></table>\n");
    free(v);
}

/* ------------------------------------------------------------- diff */

static void delta_row(txs_buf *b, const char *name, uint64_t was, uint64_t now)
{
    txs_buf_puts(b, "<tr>");
    td_str(b, name, NULL);
    td_num(b, was);
    td_num(b, now);
    long long dd = (long long)now - (long long)was;
    txs_buf_printf(b, "<td class=\"r\" data-s=\"%lld\">%s%lld</td>", dd, dd > 0 ? "+" : "", dd);
}

static void difference(const txs_report *r, txs_buf *b, const txs_json *m)
{
    if (!r->have[1]) return;
    const txs_json *p = r->mdoc[1].root;
    const txs_json *pc = txs_json_get(p, "counts"), *c = txs_json_get(m, "counts");
    const txs_json *pb = txs_json_get(p, "alerts_by_band"), *cb = txs_json_get(m, "alerts_by_band");
    txs_buf_puts(b, "<h2 id=\"previous\">Difference from the previous run</h2>\n<p>Previous run: "
                    "started ");
    mnum(b, txs_json_get(p, "timing"), "started_utc");
    txs_buf_puts(b, ", rule set ");
    mnum(b, txs_json_get(p, "rules"), "version");
    txs_buf_puts(b, " (this run: ");
    mnum(b, txs_json_get(m, "rules"), "version");
    txs_buf_puts(b, ").</p>\n<table><thead><tr><th></th><th class=\"r\">previous</th>"
                    "<th class=\"r\">this run</th><th class=\"r\">change</th></tr></thead>"
                    "<tbody>\n");
    const char *ck[] = {"read", "screened", "rejected", "alerts", "hits", "sanctions_alerts"};
    for (size_t i = 0; i < sizeof ck / sizeof ck[0]; i++) {
        delta_row(b, ck[i], mu64(pc, ck[i]), mu64(c, ck[i]));
        txs_buf_puts(b, "</tr>\n");
    }
    for (int k = 3; k >= 1; k--) {
        delta_row(b, band_name[k], mu64(pb, band_name[k]), mu64(cb, band_name[k]));
        txs_buf_puts(b, "</tr>\n");
    }
    txs_buf_puts(b, "</tbody></table>\n<table class=\"sortable\"><thead><tr><th>rule</th>"
                    "<th class=\"r\" data-type=\"num\">alerts before</th><th class=\"r\" "
                    "data-type=\"num\">alerts now</th><th class=\"r\" data-type=\"num\">change"
                    "</th><th class=\"r\" data-type=\"num\">new cases</th><th class=\"r\" "
                    "data-type=\"num\">continuing cases</th></tr></thead><tbody>\n");
    const txs_json *pr = txs_json_get(p, "alerts_by_rule"), *cr = txs_json_get(m, "alerts_by_rule");
    for (const txs_json *k = txs_json_first(cr); k; k = k->next) {
        const rpt_count *cc = txs__rpt_map_find(&r->case_rules, k->key, strlen(k->key));
        uint64_t now = 0;
        txs_json_u64(k, &now);
        delta_row(b, k->key, mu64(pr, k->key), now);
        td_num(b, cc ? cc->n : 0);
        td_num(b, cc ? cc->n2 : 0);
        txs_buf_puts(b, "</tr>\n");
    }
    for (const txs_json *k = txs_json_first(pr); k; k = k->next) {
        if (txs_json_get(cr, k->key)) continue;
        delta_row(b, k->key, mu64(pr, k->key), 0);
        txs_buf_puts(b, "<td class=\"r\">0</td><td class=\"r\">0</td></tr>\n");
    }
    txs_buf_puts(b, "</tbody></table>\n");
}

/* -------------------------------------------------------------- page */

int txs_report_write(txs_report *r, txs_buf *b, txs_diag *d)
{
    if (!r->have[0]) return txs_diag_set(d, TXS_E_ARG, "", 0, "no manifest was read");
    if (r->has_cases && !r->st[TXS_REPORT_CASES_IN].ended)
        return txs_diag_set(d, TXS_E_ARG, "", 0, "the cases were not ended");
    const txs_json *m = r->mdoc[0].root;
    txs_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
                    "<title>txscreen run report ");
    mnum(b, txs_json_get(m, "timing"), "started_utc");
    txs_buf_printf(b, "</title>\n<style>\n%s</style>\n</head><body>\n<h1>txscreen run report</h1>\n"
                      "<p><a href=\"#run\">run</a> &middot; <a href=\"#charts\">charts</a> &middot; "
                      "<a href=\"#cases\">cases</a> &middot; <a href=\"#rejects\">rejects</a>%s</p>\n",
                   txs__rpt_css, r->have[1] ? " &middot; <a href=\"#previous\">previous run</a>" : "");
    run_figures(r, b, m);
    inputs(b, m);
    txs_buf_puts(b, "<div class=\"row\"><div>");
    ruleset(b, m);
    txs_buf_puts(b, "</div><div>");
    outputs(b, m);
    txs_buf_puts(b, "</div></div>\n");
    lists(r, b, m);
    charts(r, b, m);
    cases_table(r, b);
    rejects(r, b, m);
    difference(r, b, m);
    txs_buf_printf(b, "<script>\n%s</script>\n</body></html>\n", txs__rpt_js);
    return b->oom ? txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory") : TXS_OK;
}
