/*
 * alert.c: the alert line (docs/outputs.md "Alerts"): the transaction,
 * its score and band, and its hits in order.  A typology hit is written
 * from its rule (id, kind, weight, reason) and its evidence; a sanctions
 * hit's object was written whole when it was made (route.c) and is copied
 * verbatim.  Runs on the feeding thread, in input order, into the
 * screener's alert buffer.  Each hit ends with the id of its case
 * (case_of.c).
 */
#include <stdio.h>
#include <string.h>

#include "pipeline/pipeline_int.h"
#include "txs/values.h"

/* ,"case":"id"} closing a hit object. */
static void put_case(txs_buf *b, const char *id)
{
    if (id) {
        txs_buf_puts(b, ",\"case\":\"");
        txs_buf_puts(b, id);
        txs_buf_putc(b, '"');
    }
    txs_buf_putc(b, '}');
}

static void emit_hit(txs_buf *b, const txs_ruleset *rs, const txs_hit *h, const char *id)
{
    if (h->kind == TXS_HIT_SANCTIONS) { /* the object was written at hit time */
        txs_buf_put(b, h->evidence.p, h->evidence.n ? h->evidence.n - 1 : 0);
        put_case(b, id);
        return;
    }
    const txs_rule_info *ri =
        h->kind == TXS_HIT_TYPOLOGY ? txs_ruleset_rule(rs, h->rule) : NULL;
    txs_buf_puts(b, h->kind == TXS_HIT_SANCTIONS ? "{\"kind\":\"sanctions\""
                                                 : "{\"kind\":\"typology\"");
    if (ri) {
        txs_buf_puts(b, ",\"rule\":");
        txs_buf_json_str(b, ri->id, strlen(ri->id));
        txs_buf_puts(b, ",\"rule_kind\":");
        txs_buf_json_str(b, ri->kind, strlen(ri->kind));
        txs_buf_puts(b, ",\"weight\":");
        txs_buf_json_num(b, ri->weight);
    }
    txs_buf_puts(b, ",\"score\":");
    txs_buf_json_num(b, h->score);
    if (h->account.n) txs__pipe_put_key_str(b, ",\"account\":", h->account);
    if (ri) {
        txs_buf_puts(b, ",\"reason\":");
        txs_buf_json_str(b, ri->reason, strlen(ri->reason));
    }
    if (h->evidence.n) {
        txs_buf_puts(b, ",\"evidence\":");
        txs_buf_put(b, h->evidence.p, h->evidence.n);
    }
    put_case(b, id);
}

int txs__pipe_emit_alert(txs_screener *s, const txs_source_stats *ss,
                       const txs_txn *t, size_t nh, int score, int band)
{
    txs_buf *b = &s->alerts;
    char ts[21], amt[48];
    const txs_currency *cur = txs_currency_get(t->currency);
    txs_ts_format(t->ts, ts);
    int k = txs_amount_format(t->amount, cur ? cur->exponent : 0, amt, sizeof amt);
    txs__pipe_put_key_str(b, "{\"txn_id\":", t->txn_id);
    /* puts and digits rather than printf: a few hundred instructions an
     * alert, on nights of many alerts */
    txs_buf_puts(b, ",\"timestamp\":\"");
    txs_buf_puts(b, ts);
    txs_buf_puts(b, "\",\"score\":");
    txs_buf_dec(b, score);
    txs_buf_puts(b, ",\"band\":\"");
    txs_buf_puts(b, txs_band_name(band));
    txs_buf_putc(b, '"');
    txs_buf_puts(b, ",\"accounts\":[");
    if (t->orig.account.n) txs_buf_json_str(b, t->orig.account.p, t->orig.account.n);
    if (t->bene.account.n) {
        if (t->orig.account.n) txs_buf_putc(b, ',');
        txs_buf_json_str(b, t->bene.account.p, t->bene.account.n);
    }
    txs_buf_puts(b, "],\"amount\":");
    txs_buf_json_str(b, amt, k > 0 ? (size_t)k : 0);
    txs_buf_puts(b, ",\"currency\":\"");
    txs_buf_puts(b, cur ? cur->code : "");
    txs_buf_puts(b, "\",\"channel\":\"");
    txs_buf_puts(b, txs_channel_name(t->channel));
    txs_buf_puts(b, "\",\"source\":{\"file\":");
    txs_buf_json_str(b, ss->name, strlen(ss->name));
    txs_buf_puts(b, ",\"line\":");
    txs_buf_udec(b, t->line);
    txs_buf_puts(b, "},\"hits\":[");
    for (size_t i = 0; i < nh; i++) {
        if (i) txs_buf_putc(b, ',');
        char id[TXS_CASE_ID_LEN + 1];
        int c = txs__pipe_hit_case(s, t, &s->hits[i], score, band, id);
        if (c < 0) return c;
        emit_hit(b, s->o.rules, &s->hits[i], c ? id : NULL);
    }
    txs_buf_puts(b, "]}\n");
    return TXS_OK;
}
