/*
 * iban.c: the `sanctions: {iban_countries:}` check (sanctions.h "IBAN";
 * docs/matching.md "IBAN hits"): an account that is a valid IBAN of a
 * jurisdiction the rule set names is an "iban_country" hit.
 *
 *   account text --txs_iban_parse (values/iban.c)--> IR0629...0001 (country IR)
 *        |--> txs_sanctions_iban (idents.c): the identifier table (kinds
 *        |    iban and other_id), exact -> an identifier hit, score 1
 *        \--> txs_sanctions_iban_country (here): the country is in the rule
 *             set's `sanctions: {iban_countries:}` -> an "iban_country" hit
 *
 * What makes text an IBAN (registry lengths, MOD 97-10) is the values
 * layer's job, shared with the payment readers.
 */
#include <stdio.h>
#include <string.h>

#include "txs/emit.h"
#include "txs/values.h"
#include "txs/sanctions.h"

/* ------------------------------------------------ iban_countries check */

static void put_str(txs_buf *b, const char *key, const char *p, size_t n)
{
    txs_buf_puts(b, key);
    txs_buf_json_str(b, p, n);
}

int txs_sanctions_iban_country(const txs_ruleset_sanctions *cfg, const char *field,
                               txs_slice account, txs_buf *b)
{
    if (cfg == NULL || cfg->niban_countries == 0 || account.n == 0) return 0;
    txs_iban ib;
    if (txs_iban_parse(account.p, account.n, &ib, NULL) < 0) return 0;
    int hit = 0;
    for (size_t i = 0; i < cfg->niban_countries && !hit; i++)
        hit = memcmp(cfg->iban_countries + 2 * i, ib.country, 2) == 0;
    if (!hit || b == NULL) return hit;
    const char *name = txs_country_name(ib.country);
    char ex[512];
    snprintf(ex, sizeof ex,
             "IBAN of %.2s (%s), a jurisdiction under comprehensive sanctions (%s) | score 1.00",
             ib.country, name ? name : "?", cfg->iban_list);
    b->n = 0;
    txs_buf_puts(b, "{\"kind\":\"sanctions\",\"rule\":\"sanctions_iban_country\",\"score\":1");
    txs_buf_puts(b, ",\"identifier\":\"iban_country\"");
    put_str(b, ",\"list\":", cfg->iban_list, strlen(cfg->iban_list));
    put_str(b, ",\"program\":", cfg->iban_program, strlen(cfg->iban_program));
    put_str(b, ",\"field\":", field, strlen(field));
    put_str(b, ",\"value\":", account.p, account.n);
    put_str(b, ",\"iban\":", ib.text, ib.n);
    put_str(b, ",\"country\":", ib.country, 2);
    put_str(b, ",\"source\":", cfg->iban_source, strlen(cfg->iban_source));
    put_str(b, ",\"explain\":", ex, strlen(ex));
    txs_buf_putc(b, '}');
    return 1;
}
