/*
 * state_evidence.c: the evidence JSON the stateful kinds share: a window's
 * events (txn ids, total, window, counterparties), money in the base
 * currency and durations in ISO 8601.  Written into the batch arena through
 * the JSON writer; deterministic (counterparties in event order, once).
 */
#include <stdio.h>
#include <string.h>

#include "rules/state_int.h"
#include "txs/values.h"

void txs__state_fmt_duration(int64_t secs, char out[24])
{
    if (secs % 86400 == 0) snprintf(out, 24, "P%lldD", (long long)(secs / 86400));
    else if (secs % 3600 == 0) snprintf(out, 24, "PT%lldH", (long long)(secs / 3600));
    else if (secs % 60 == 0) snprintf(out, 24, "PT%lldM", (long long)(secs / 60));
    else snprintf(out, 24, "PT%lldS", (long long)secs);
}

void txs__state_put_money(txs_buf *b, int64_t v, int base)
{
    char num[40];
    int len = txs_amount_format(v, txs_currency_get(base)->exponent, num, sizeof num);
    txs_buf_json_str(b, num, len > 0 ? (size_t)len : 0);
}

void txs__state_put_events(txs_buf *b, const txs_acct *a, const int *idx, int k,
                           int64_t from, int64_t to, int64_t window, int base, int with_total)
{
    char ts[21], dur[24], num[24];
    txs__state_fmt_duration(window, dur);
    txs_buf_json_key(b, "window", 1);
    txs_buf_json_cstr(b, dur);
    txs_ts_format(from, ts);
    txs_buf_json_key(b, "from", 0);
    txs_buf_json_cstr(b, ts);
    txs_ts_format(to, ts);
    txs_buf_json_key(b, "to", 0);
    txs_buf_json_cstr(b, ts);
    int n = snprintf(num, sizeof num, "%d", k);
    txs_buf_json_key(b, "count", 0);
    txs_buf_put(b, num, (size_t)n);
    if (with_total) {
        int64_t total = 0;
        for (int j = 0; j < k; j++)
            if (a->ev[idx[j]].base > 0) total += a->ev[idx[j]].base;
        txs_buf_json_key(b, "total", 0);
        txs__state_put_money(b, total, base);
    }
    txs_buf_json_key(b, "currency", 0);
    txs_buf_json_cstr(b, txs_currency_get(base)->code);
    txs_buf_json_key(b, "txn_ids", 0);
    txs_buf_puts(b, "[");
    for (int j = 0; j < k; j++) {
        if (j) txs_buf_puts(b, ",");
        txs_buf_json_str(b, a->ev[idx[j]].id, a->ev[idx[j]].id_n);
    }
    txs_buf_puts(b, "]");
    txs_buf_json_key(b, "counterparties", 0);
    txs_buf_puts(b, "[");
    int w = 0;
    for (int j = 0; j < k; j++) {
        const txs_ev *e = &a->ev[idx[j]];
        if (e->cpt_n == 0) continue;
        int seen = 0;
        for (int m = 0; m < j && !seen; m++) {
            const txs_ev *x = &a->ev[idx[m]];
            seen = x->cpt_n == e->cpt_n && memcmp(x->cpt, e->cpt, e->cpt_n) == 0;
        }
        if (seen) continue;
        if (w++) txs_buf_puts(b, ",");
        txs_buf_json_str(b, e->cpt, e->cpt_n);
    }
    txs_buf_puts(b, "]");
}
