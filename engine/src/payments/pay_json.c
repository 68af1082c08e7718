/*
 * pay_json.c: a canonical transaction as one JSON object, the line
 * `txscreen parse` prints (docs/formats.md "The canonical transaction as
 * JSON").  A payment message's transaction shows every party with its
 * role and, per value, where it came from (element path or MT field); a
 * CSV or JSONL record shows the same shape with its two parties as debtor
 * and creditor, each value's source the canonical column it was mapped to.
 * Keys are written in one fixed order and absent values are left out, so
 * the output is stable for golden tests.
 */
#include <string.h>

#include "txs/emit.h"
#include "txs/payments.h"
#include "txs/values.h"

static void key_str(txs_buf *b, const char *k, txs_slice v)
{
    txs_buf_printf(b, ",\"%s\":", k);
    txs_buf_json_str(b, v.p ? v.p : "", v.n);
}

static void put_party(txs_buf *b, const txs_pay_party *p)
{
    txs_buf_printf(b, "{\"role\":\"%s\"", txs_pay_role_name(p->role));
    if (p->scope) txs_buf_printf(b, ",\"scope\":\"%s\"", txs_pay_scope_name(p->scope));
    for (int f = 0; f < TXS_PF_COUNT; f++)
        if (p->v[f].n) key_str(b, txs_pay_field_name(f), p->v[f]);
    txs_buf_puts(b, ",\"src\":{");
    int first = 1;
    for (int f = 0; f < TXS_PF_COUNT; f++) {
        if (p->v[f].n == 0) continue;
        txs_buf_printf(b, "%s\"%s\":", first ? "" : ",", txs_pay_field_name(f));
        txs_buf_json_str(b, p->src[f].p ? p->src[f].p : "", p->src[f].n);
        first = 0;
    }
    txs_buf_puts(b, "}}");
}

/* A CSV / JSONL side as a party: values from the canonical columns. */
static void flat_party(txs_buf *b, const char *role, const char *side, const txs_party *p,
                       int *first)
{
    if (!p->name.n && !p->account.n && !p->bank.n && !p->country[0] && !p->address.n) return;
    txs_buf_printf(b, "%s{\"role\":\"%s\"", *first ? "" : ",", role);
    *first = 0;
    if (p->name.n) key_str(b, "name", p->name);
    if (p->account.n) key_str(b, "account", p->account);
    if (p->bank.n) key_str(b, "bank", p->bank);
    if (p->country[0]) key_str(b, "country", (txs_slice){p->country, 2});
    if (p->address.n) key_str(b, "address", p->address);
    txs_buf_puts(b, ",\"src\":{");
    const char *sep = "";
    static const char *const names[] = {"name", "account", "bank", "country", "address"};
    int have[] = {p->name.n > 0, p->account.n > 0, p->bank.n > 0, p->country[0] != 0,
                  p->address.n > 0};
    static const char *const cols[] = {"name", "account", "bank", "country", "address"};
    for (size_t i = 0; i < sizeof have / sizeof have[0]; i++) {
        if (!have[i]) continue;
        txs_buf_printf(b, "%s\"%s\":\"%s_%s\"", sep, names[i], side, cols[i]);
        sep = ",";
    }
    txs_buf_puts(b, "}}");
}

void txs_txn_json(txs_buf *b, const txs_txn *t, const char *file)
{
    const txs_pay_ext *x = t->ext;
    const txs_currency *cur = txs_currency_get(t->currency);
    char amt[32], ts[21];
    txs_amount_format(t->amount, cur ? cur->exponent : 2, amt, sizeof amt);
    txs_ts_format(t->ts, ts);
    txs_buf_puts(b, "{\"file\":");
    txs_buf_json_str(b, file, strlen(file));
    if (x) txs_buf_printf(b, ",\"message\":%llu,\"kind\":\"%s\"", (unsigned long long)x->message,
                          x->kind);
    txs_buf_printf(b, ",\"line\":%llu", (unsigned long long)t->line);
    key_str(b, "txn_id", t->txn_id);
    txs_buf_printf(b, ",\"timestamp\":\"%s\",\"amount\":\"%s\",\"currency\":\"%s\","
                      "\"channel\":\"%s\"",
                   ts, amt, cur ? cur->code : "", txs_channel_name(t->channel));
    if (x) {
        if (x->amount_src.n) key_str(b, "amount_src", x->amount_src);
        if (x->date_src.n) key_str(b, "date_src", x->date_src);
        txs_buf_puts(b, ",\"refs\":{");
        const char *sep = "";
        for (int r = 0; r < TXS_PR_COUNT; r++) {
            if (x->ref[r].n == 0) continue;
            txs_buf_printf(b, "%s\"%s\":", sep, txs_pay_ref_name(r));
            txs_buf_json_str(b, x->ref[r].p, x->ref[r].n);
            sep = ",";
        }
        txs_buf_puts(b, "},\"refs_src\":{");
        sep = "";
        for (int r = 0; r < TXS_PR_COUNT; r++) {
            if (x->ref[r].n == 0) continue;
            txs_buf_printf(b, "%s\"%s\":", sep, txs_pay_ref_name(r));
            txs_buf_json_str(b, x->ref_src[r].p ? x->ref_src[r].p : "", x->ref_src[r].n);
            sep = ",";
        }
        txs_buf_puts(b, "},\"parties\":[");
        for (size_t i = 0; i < x->nparties; i++) {
            if (i) txs_buf_putc(b, ',');
            put_party(b, x->parties[i]);
        }
        txs_buf_puts(b, "]}\n");
        return;
    }
    if (t->purpose.n) key_str(b, "purpose", t->purpose);
    txs_buf_puts(b, ",\"parties\":[");
    int first = 1;
    flat_party(b, "debtor", "orig", &t->orig, &first);
    flat_party(b, "creditor", "bene", &t->bene, &first);
    txs_buf_puts(b, "]}\n");
}

void txs_pay_reject_json(txs_buf *b, const txs_pay_reject *r)
{
    txs_buf_puts(b, "{\"file\":");
    txs_buf_json_str(b, r->file, strlen(r->file));
    txs_buf_printf(b, ",\"message\":%llu,\"line\":%llu,\"where\":",
                   (unsigned long long)r->message, (unsigned long long)r->line);
    txs_buf_json_str(b, r->where, strlen(r->where));
    txs_buf_puts(b, ",\"reason\":");
    txs_buf_json_str(b, r->reason, strlen(r->reason));
    txs_buf_puts(b, "}\n");
}
