/*
 * scan.c: an alert line's skeleton without building its tree (collect.c
 * counts most alerts from it).  The full parse costs about 23,000
 * instructions a line (callgrind, 95% of `txscreen report` on a night of
 * a million alerts, most of it checking and decoding the hits' reason and
 * evidence strings the counts never read); this scan costs a few thousand.
 * It follows the structure only: strings are skipped whole (a raw '"'
 * always delimits one in JSON text, so "key": is a key, at the depth the
 * brackets outside strings say) and it takes the top-level timestamp,
 * score and band and each hit's rule and case:
 *
 *   {"txn_id":..,"timestamp":"T","score":S,"band":"B",..,"hits":[
 *      depth 1                                                depth 2
 *     {"rule":"R",..,"evidence":{..},"case":"C"}, ...]}
 *      depth 3                  depth 4
 *
 * It validates nothing beyond balance: anything it does not expect (an
 * escape in a value it takes, more hits than it holds, a missing key,
 * unbalanced brackets) returns -1 and the line takes the full parse, which
 * reports a malformed line with its number.
 */
#include <string.h>

#include "report_int.h"

int txs__rpt_slice_is(txs_slice s, const char *z)
{
    return s.n == strlen(z) && memcmp(s.p, z, s.n) == 0;
}

/* Where the value of the key just read goes: at depth 1 the alert's
 * timestamp and band, at depth 3 inside "hits" a hit's rule and case. */
static txs_slice *skel_slot(struct alert_skel *k, int depth, int in_hits, txs_slice key,
                            txs_slice *rule, txs_slice *kase)
{
    if (depth == 1) return txs__rpt_slice_is(key, "timestamp") ? &k->ts : txs__rpt_slice_is(key, "band") ? &k->band : NULL;
    if (depth == 3 && in_hits) return txs__rpt_slice_is(key, "rule") ? rule : txs__rpt_slice_is(key, "case") ? kase : NULL;
    return NULL;
}

/* A hot loop, so one function. */
int txs__rpt_skel_scan(const char *p, size_t n, struct alert_skel *k)
{
    int depth = 0, in_hits = 0, saw_hits = 0;
    txs_slice key = {NULL, 0}, rule = {NULL, 0}, kase = {NULL, 0};
    k->ts = k->score = k->band = (txs_slice){NULL, 0};
    k->nh = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '"') {
            size_t j = i + 1;
            int esc = 0;
            for (; j < n && p[j] != '"'; j++)
                if (p[j] == '\\') esc = 1, j++;
            if (j >= n) return -1;
            txs_slice s = {p + i + 1, j - i - 1};
            size_t q = j + 1;
            while (q < n && (p[q] == ' ' || p[q] == '\t')) q++;
            i = j;
            if (q < n && p[q] == ':') {
                key = s;
                i = q;
                continue;
            }
            txs_slice *to = skel_slot(k, depth, in_hits, key, &rule, &kase);
            if (to && esc) return -1;
            if (to) *to = s;
            key = (txs_slice){NULL, 0};
        } else if (c == '{' || c == '[') {
            if (depth == 1 && c == '[' && txs__rpt_slice_is(key, "hits")) in_hits = saw_hits = 1;
            depth++;
            key = (txs_slice){NULL, 0};
        } else if (c == '}' || c == ']') {
            if (depth == 3 && c == '}' && in_hits) {
                if (k->nh == SKEL_HITS) return -1;
                k->rule[k->nh] = rule;
                k->kase[k->nh++] = kase;
                rule = kase = (txs_slice){NULL, 0};
            }
            if (depth == 2 && c == ']') in_hits = 0;
            if (--depth < 0) return -1;
            key = (txs_slice){NULL, 0};
        } else if (c >= '0' && c <= '9' && depth == 1 && txs__rpt_slice_is(key, "score")) {
            size_t j = i;
            while (j < n && p[j] >= '0' && p[j] <= '9') j++;
            k->score = (txs_slice){p + i, j - i};
            i = j - 1;
            key = (txs_slice){NULL, 0};
        }
    }
    return depth == 0 && saw_hits && k->ts.n && k->score.n ? 0 : -1;
}

