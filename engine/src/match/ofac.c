/*
 * ofac.c: Jaro-Winkler and the OFAC Sanctions List Search emulation.
 *
 * OFAC's FAQ 249 says its tool takes the higher of a whole-name score and a
 * name-part score.  Observed behaviour (the parity fixture in
 * tests/fixtures/names/ofac-sls-scores.csv) pins down the details:
 *   - whole name: Jaro-Winkler over the space-joined words, only when both
 *     names start with the same letter ("BUSH GEORGE" finds nothing that
 *     "GEORGE BUSH" finds), with the Winkler prefix bonus applied even below
 *     Jaro 0.7 (the SimMetrics variant; long list names with a shared prefix
 *     score high);
 *   - name parts: each query word's best Jaro-Winkler against the list
 *     name's words, a best below 0.5 counting 0, averaged over query words;
 *     query words of two letters or fewer are dropped unless nothing else is
 *     left ("KIM JONG UN" scores 100 against "KIM, Jong Man").
 */
#include <stdio.h>
#include <string.h>

#include "match_int.h"

#define JW_MAX 512

static double jaro(const char *a, size_t na, const char *b, size_t nb)
{
    unsigned char fa[JW_MAX] = {0}, fb[JW_MAX] = {0};
    if (na > JW_MAX) na = JW_MAX;
    if (nb > JW_MAX) nb = JW_MAX;
    if (na == 0 || nb == 0) return 0.0;
    size_t win = (na > nb ? na : nb) / 2;
    win = win > 0 ? win - 1 : 0;
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > win ? i - win : 0, hi = i + win + 1 < nb ? i + win + 1 : nb;
        for (size_t j = lo; j < hi; j++)
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
    }
    if (m == 0) return 0.0;
    size_t t = 0, j = 0;
    for (size_t i = 0; i < na; i++) {
        if (!fa[i]) continue;
        while (!fb[j]) j++;
        t += a[i] != b[j];
        j++;
    }
    double md = (double)m;
    return (md / (double)na + md / (double)nb + (md - (double)t / 2.0) / md) / 3.0;
}

double txs_match_jaro_winkler(const char *a, size_t na, const char *b, size_t nb, int boost_always)
{
    double j = jaro(a, na, b, nb);
    if (j == 0.0 || (!boost_always && j < 0.7)) return j;
    size_t l = 0;
    while (l < 4 && l < na && l < nb && a[l] == b[l]) l++;
    return j + (double)l * 0.1 * (1.0 - j);
}

static double whole(const txs_norm_name *q, const txs_norm_name *c)
{
    if (q->len == 0 || c->len == 0 || q->text[0] != c->text[0]) return 0.0;
    return txs_match_jaro_winkler(q->text, q->len, c->text, c->len, 1);
}

static double per_token(const txs_norm_name *q, const txs_norm_name *c, uint32_t *kept)
{
    uint32_t longtok = 0;
    for (uint32_t i = 0; i < q->ntok; i++) longtok += q->tok[i].len > 2;
    double sum = 0.0;
    *kept = 0;
    for (uint32_t i = 0; i < q->ntok; i++) {
        const txs_norm_tok *a = &q->tok[i];
        if (longtok && a->len <= 2) continue;
        double best = 0.0;
        for (uint32_t j = 0; j < c->ntok; j++) {
            const txs_norm_tok *b = &c->tok[j];
            double s = txs_match_jaro_winkler(q->text + a->off, a->len, c->text + b->off, b->len, 0);
            if (s > best) best = s;
        }
        sum += best >= 0.5 ? best : 0.0;
        (*kept)++;
    }
    return *kept ? sum / (double)*kept : 0.0;
}

/* OFAC's tool compares Latin text only: words transliterated from other
 * scripts are left out (a Cyrillic query finds nothing there). */
static void latin_only(const txs_norm_name *in, txs_norm_name *out, int drop_short)
{
    out->len = 0;
    out->ntok = 0;
    out->text[0] = '\0';
    for (uint32_t i = 0; i < in->ntok; i++) {
        const txs_norm_tok *t = &in->tok[i];
        if (t->flags & TXS_TOK_NONLATIN) continue;
        if (drop_short && t->len <= 2) continue;
        if (out->ntok) out->text[out->len++] = ' ';
        out->tok[out->ntok] = *t;
        out->tok[out->ntok++].off = (uint16_t)out->len;
        memcpy(out->text + out->len, in->text + t->off, t->len);
        out->len += t->len;
        out->text[out->len] = '\0';
    }
}

double txs_match_ofac(const txs_norm_name *qin, const txs_norm_name *cin, char *explain, size_t cap)
{
    txs_norm_name qb, cb;
    const txs_norm_name *q = &qb, *c = &cb;
    if (explain && cap) explain[0] = '\0';
    if (!qin || !cin) return 0.0;
    latin_only(qin, &qb, 0);
    uint32_t longq = 0;
    for (uint32_t i = 0; i < qb.ntok; i++) longq += qb.tok[i].len > 2;
    latin_only(cin, &cb, longq > 0);
    uint32_t kept = 0;
    double w = whole(q, c), t = per_token(q, c, &kept);
    double s = w > t ? w : t;
    if (explain && cap)
        snprintf(explain, cap, "ofac: whole-string %.2f%s | per-token %.2f over %u query words | score %.2f", w,
                 (q->len && c->len && q->text[0] != c->text[0]) ? " (first letters differ)" : "", t, kept, s);
    return s;
}
