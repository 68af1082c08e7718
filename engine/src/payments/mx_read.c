/*
 * mx_read.c: ISO 20022 messages (not yet: this commit carries the MT
 * reader; the SAX2 reader follows).  Every MX file is reported unread.
 */
#include "payments_int.h"
struct txs_mx_reader { const txs_pay_ctx *c; };
int txs__mx_create(txs_mx_reader **out) { static txs_mx_reader x; *out = &x; return 0; }
void txs__mx_free(txs_mx_reader *x) { (void)x; }
int txs__mx_begin(txs_mx_reader *x, const txs_pay_ctx *c) { x->c = c; return 0; }
int txs__mx_feed(txs_mx_reader *x, const char *p, size_t n, int last)
{
    (void)p; (void)n;
    if (!last) return 0;
    x->c->counts->messages++;
    x->c->counts->rejected++;
    return txs__pay_reject(x->c, 1, 1, "", "ISO 20022 is not read yet");
}
