/*
 * kind_threshold.c: the `threshold` rule kind, stateless.  Definition: one
 * transaction whose amount is at or above a threshold for its currency,
 * optionally only on some channels.  Thresholds are given per currency
 * (amounts: {USD: "10000.00"}); with convert: true, a currency without its
 * own threshold is held to the first listed one converted through the rule
 * set's FX table, and a currency without a rate never hits.  Negative
 * amounts (reversals) never hit.
 *
 * Compile turns every threshold into min[currency index] in that currency's
 * minor units (fx.c: exact, rounded up), so eval is two compares on the
 * miss path.  Score of a hit: 1.0.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "txs/emit.h"
#include "txs/values.h"

typedef struct threshold {
    int64_t *min;      /* [ncur] minor units; TXS_RULES_NEVER = no hit */
    int16_t *via;      /* [ncur] listed currency the threshold came from */
    int ncur;
    uint32_t channels; /* bit per txs_channel */
    const txs_fx *fx;  /* the rule set's table (it outlives the rule) */
} threshold;

static const char *const param_keys[] = {"amounts", "convert", "channels", NULL};

static void threshold_free(txs_rule *r)
{
    threshold *p = r->impl;
    if (p == NULL) return;
    free(p->min);
    free(p->via);
    free(p);
    r->impl = NULL;
}

static int threshold_compile(txs_rule *r, const txs_ynode *params,
                             const txs_ydoc *doc, const txs_ruleset *rs, txs_diag *d)
{
    if (params == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, 1,
                            "threshold rule '%s' needs params: amounts: {CUR: \"amount\"}",
                            r->info.id);
    const txs_ynode *amounts = txs__ymap_get(params, "amounts");
    const txs_ynode *conv = txs__ymap_get(params, "convert");
    const txs_ynode *ch = txs__ymap_get(params, "channels");
    int convert = 0, first;
    if (amounts == NULL)
        return txs_diag_set(d, TXS_E_CONFIG, doc->file, params ? params->line : 1,
                            "threshold rule '%s' needs params: amounts: {CUR: \"amount\"}",
                            r->info.id);
    threshold *p = calloc(1, sizeof *p);
    if (p == NULL) return TXS_E_NOMEM;
    r->impl = p;
    p->ncur = txs_currency_count();
    p->channels = ~0u;
    p->fx = &rs->fx;
    if (conv) TXS_TRY(txs__rules_parse_bool(doc, conv, "convert", &convert, d));
    if (ch) TXS_TRY(txs__rules_parse_channels(doc, ch, &p->channels, d));
    return txs__rules_amounts(doc, amounts, rs, convert, &p->min, &p->via, &first, d);
}

static void put_amount_value(txs_buf *b, int64_t v, int cur)
{
    char num[40];
    int len = txs_amount_format(v, txs_currency_get(cur)->exponent, num, sizeof num);
    txs_buf_json_str(b, num, len > 0 ? (size_t)len : 0);
}

static void put_amount(txs_buf *b, const char *key, int64_t v, int cur)
{
    txs_buf_json_key(b, key, 0);
    put_amount_value(b, v, cur);
}

/* Cold path: a hit.  Evidence, e.g.
 * {"amount":"9500.00","currency":"EUR","threshold":"10000.00",
 *  "threshold_currency":"USD","converted":true,"fx_rate":"1.0832",
 *  "fx_base":"USD","amount_in_threshold_currency":"10290.40","channel":"cash"} */
TXS_RULES_COLD static int threshold_hit(const txs_rule *r, const threshold *p, const txs_txn *t,
                         txs_rule_ctx *ctx)
{
    int cur = t->currency, via = p->via[cur];
    txs_buf b;
    txs_buf_init_arena(&b, ctx->arena, 256);
    txs_buf_puts(&b, "{");
    txs_buf_json_key(&b, "amount", 1);
    put_amount_value(&b, t->amount, cur);
    txs_buf_json_key(&b, "currency", 0);
    txs_buf_json_cstr(&b, txs_currency_get(cur)->code);
    put_amount(&b, "threshold", p->min[via], via);
    txs_buf_json_key(&b, "threshold_currency", 0);
    txs_buf_json_cstr(&b, txs_currency_get(via)->code);
    txs_buf_json_key(&b, "converted", 0);
    txs_buf_puts(&b, via == cur ? "false" : "true");
    if (via != cur) {
        int64_t conv;
        txs_buf_json_key(&b, "fx_rate", 0);
        txs_buf_json_cstr(&b, p->fx->rates[cur].text);
        txs_buf_json_key(&b, "fx_base", 0);
        txs_buf_json_cstr(&b, txs_currency_get(p->fx->base)->code);
        if (via != p->fx->base) {
            txs_buf_json_key(&b, "threshold_fx_rate", 0);
            txs_buf_json_cstr(&b, p->fx->rates[via].text);
        }
        if (txs__rules_fx_convert(p->fx, t->amount, cur, via, &conv) == 0)
            put_amount(&b, "amount_in_threshold_currency", conv, via);
    }
    txs_buf_json_key(&b, "channel", 0);
    txs_buf_json_cstr(&b, txs_channel_name(t->channel));
    txs_buf_puts(&b, "}");
    txs_slice ev;
    TXS_TRY(txs_buf_done(&b, &ev));
    txs_slice acct = t->orig.account.n ? t->orig.account : t->bene.account;
    txs__rules_emit(ctx, r, 1.0, acct, ev);
    return 0;
}

/* Hot path: most transactions leave at the channel or amount compare. */
static int threshold_eval(const txs_rule *r, const txs_txn *t, txs_rule_ctx *ctx)
{
    const threshold *p = r->impl;
    if (t->channel >= 32 || !((p->channels >> t->channel) & 1u)) return 0;
    if (t->currency >= p->ncur || t->amount < p->min[t->currency]) return 0;
    if (!txs__rules_room(ctx)) return 0;
    return threshold_hit(r, p, t, ctx);
}

const txs_rule_ops txs__kind_threshold = {
    .kind = "threshold",
    .param_keys = param_keys,
    .compile = threshold_compile,
    .free = threshold_free,
    .state_size = 0,
    .eval = threshold_eval,
};
