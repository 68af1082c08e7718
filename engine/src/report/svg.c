/*
 * svg.c: the report's charts as inline SVG, drawn here from the counts
 * (report_int.h): horizontal bars (alerts by band, by rule, top parties
 * and accounts), columns over bins (the score histogram, alerts over the
 * transactions' time span) and a typology case's timeline (its alerts as
 * dots on the time axis, each episode's window as a bar above them).
 *
 * Fixed sizes and integer coordinates, so the same counts give the same
 * bytes; every label is escaped (a rule or account name is file text).
 * Each bar carries a <title> with its exact figure for a mouse hover.
 */
#include <stdio.h>
#include <string.h>

#include "txs/values.h"

#include "report_int.h"

#define W 540
#define LABEL 190
#define BAR 16

static uint64_t max_of(const uint64_t *v, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > m) m = v[i];
    return m;
}

static void open_svg(txs_buf *b, const char *title, int w, int h)
{
    txs_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                      "role=\"img\"><title>", w, h);
    txs__rpt_escz(b, title);
    txs_buf_puts(b, "</title>");
}

void txs__rpt_svg_bars(txs_buf *b, const char *title, const char *const *labels,
                       const uint64_t *values, size_t n)
{
    int h = 24 + (int)n * (BAR + 4);
    uint64_t m = max_of(values, n);
    txs_buf_puts(b, "<div class=\"chart\">");
    open_svg(b, title, W, h);
    txs_buf_puts(b, "<text x=\"0\" y=\"14\" style=\"font-weight:bold\">");
    txs__rpt_escz(b, title);
    txs_buf_puts(b, "</text>");
    for (size_t i = 0; i < n; i++) {
        int y = 24 + (int)i * (BAR + 4);
        int len = m ? (int)((values[i] * (uint64_t)(W - LABEL - 70)) / m) : 0;
        if (values[i] && len < 1) len = 1;
        char lab[44];
        size_t ln = strlen(labels[i]), cut = ln;
        /* a long label is cut on a character start (its whole text is in
         * the bar's title) */
        if (ln > 30)
            for (cut = 29; cut > 0 && ((unsigned char)labels[i][cut] & 0xC0) == 0x80; cut--) {}
        snprintf(lab, sizeof lab, "%.*s%s", (int)cut, labels[i], cut < ln ? "…" : "");
        txs_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL - 4, y + 12);
        txs__rpt_escz(b, lab);
        txs_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"#4a78b5\"><title>",
                       LABEL, y, len, BAR);
        txs__rpt_escz(b, labels[i]);
        txs_buf_printf(b, ": %llu</title></rect><text x=\"%d\" y=\"%d\">%llu</text>",
                       (unsigned long long)values[i], LABEL + len + 4, y + 12,
                       (unsigned long long)values[i]);
    }
    txs_buf_puts(b, "</svg></div>\n");
}

void txs__rpt_svg_columns(txs_buf *b, const char *title, const uint64_t *values, size_t n,
                          const char *left, const char *mid, const char *right)
{
    const int h = 180, top = 24, plot = 120, x0 = 40, pw = W - 50;
    uint64_t m = max_of(values, n);
    txs_buf_puts(b, "<div class=\"chart\">");
    open_svg(b, title, W, h);
    txs_buf_puts(b, "<text x=\"0\" y=\"14\" style=\"font-weight:bold\">");
    txs__rpt_escz(b, title);
    txs_buf_printf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%llu</text>", x0 - 4,
                   top + 10, (unsigned long long)m);
    txs_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", x0,
                   top + plot, x0 + pw, top + plot);
    int cw = n ? pw / (int)n : pw;
    for (size_t i = 0; i < n; i++) {
        int hh = m ? (int)((values[i] * (uint64_t)plot) / m) : 0;
        if (values[i] && hh < 1) hh = 1;
        txs_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a78b5\">"
                          "<title>%llu</title></rect>",
                       x0 + (int)i * cw + 1, top + plot - hh, cw > 2 ? cw - 1 : 1, hh,
                       (unsigned long long)values[i]);
    }
    const char *lab[3] = {left, mid, right};
    const char *anchor[3] = {"start", "middle", "end"};
    int lx[3] = {x0, x0 + pw / 2, x0 + pw};
    for (int i = 0; i < 3; i++) {
        if (lab[i] == NULL) continue;
        txs_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">", lx[i], top + plot + 16,
                       anchor[i]);
        txs__rpt_escz(b, lab[i]);
        txs_buf_puts(b, "</text>");
    }
    txs_buf_puts(b, "</svg></div>\n");
}

static int x_of(int64_t t, int64_t lo, int64_t hi, int x0, int w)
{
    if (hi <= lo) return x0 + w / 2;
    return x0 + (int)(((t - lo) * (int64_t)w) / (hi - lo));
}

void txs__rpt_svg_timeline(txs_buf *b, const rpt_case *c)
{
    int64_t lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < c->nev; i++) {
        const rpt_ev *e = &c->ev[i];
        int64_t a = e->from && e->from < e->ts ? e->from : e->ts;
        int64_t z = e->to > e->ts ? e->to : e->ts;
        if (!any || a < lo) lo = a;
        if (!any || z > hi) hi = z;
        any = 1;
    }
    if (!any) return;
    const int w = 420, x0 = 10, pw = w - 20, h = 58;
    txs_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                      "class=\"timeline\" role=\"img\"><title>timeline</title>", w, h);
    txs_buf_printf(b, "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"30\" stroke=\"#999\"/>", x0,
                   x0 + pw);
    for (size_t i = 0; i < c->nev; i++) {
        const rpt_ev *e = &c->ev[i];
        char f[21], t[21];
        if (e->from && e->to >= e->from) {
            int a = x_of(e->from, lo, hi, x0, pw), z = x_of(e->to, lo, hi, x0, pw);
            txs_ts_format(e->from, f);
            txs_ts_format(e->to, t);
            txs_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"5\" fill=\"#e0a040\" "
                              "opacity=\"0.6\"><title>window %s to %s</title></rect>",
                           a, 6 + (int)(i % 3) * 6, z - a > 1 ? z - a : 1, f, t);
        }
        txs_ts_format(e->ts, t);
        txs_buf_printf(b, "<circle cx=\"%d\" cy=\"30\" r=\"%d\" fill=\"%s\"><title>",
                       x_of(e->ts, lo, hi, x0, pw), 3 + e->score / 25,
                       e->band == 3 ? "#b00020" : e->band == 2 ? "#d08000" : "#777");
        txs__rpt_escz(b, e->txn);
        txs_buf_printf(b, " %s score %d</title></circle>", t, e->score);
    }
    char f[21], t[21];
    txs_ts_format(lo, f);
    txs_ts_format(hi, t);
    txs_buf_printf(b, "<text x=\"%d\" y=\"52\">%s</text><text x=\"%d\" y=\"52\" "
                      "text-anchor=\"end\">%s</text></svg>",
                   x0, f, x0 + pw, t);
}
