/*
 * inputs.c: what `txscreen eval` reads besides labels (txs/eval.h): the
 * transaction inputs, walked once through the one read-parse loop
 * (txs/walk.h), or for payment messages through the payments reader
 * (txs/payments.h), to learn which labelled ids they hold and how many
 * records parse, and existing alerts files, read line by line into a run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txs/eval.h"
#include "txs/payments.h"
#include "txs/screen.h"
#include "txs/walk.h"

typedef struct scan {
    txs_eval *ev;
    uint64_t screened;
} scan;

static int on_record(void *ctx, const txs_record *rec, const txs_txn *t, const char *why,
                     txs_diag *d)
{
    (void)rec, (void)why, (void)d;
    scan *s = ctx;
    if (t == NULL) return TXS_OK; /* a reject: screen would not screen it */
    s->screened++;
    txs_eval_mark_input(s->ev, t->txn_id.p, t->txn_id.n);
    return TXS_OK;
}

static int on_pay_txn(void *ctx, const txs_txn *t)
{
    scan *s = ctx;
    s->screened++;
    txs_eval_mark_input(s->ev, t->txn_id.p, t->txn_id.n);
    return TXS_OK;
}

static int on_pay_reject(void *ctx, const txs_pay_reject *r)
{
    (void)ctx, (void)r; /* screen would not screen it */
    return TXS_OK;
}

/* Payment messages: every input through one payments reader, as
 * `screen --format payments` reads them. */
static int scan_payments(txs_eval *ev, char *const *inputs, size_t n, uint64_t *screened,
                         txs_diag *d)
{
    scan s = {ev, 0};
    txs_pay_reader *r = NULL;
    int rc = txs_pay_reader_create(TXS_PAY_AUTO, &r);
    if (rc < 0) return txs_diag_set(d, rc, "", 0, "cannot create the payments reader");
    const txs_pay_sink sink = {on_pay_txn, on_pay_reject, &s};
    for (size_t i = 0; rc == TXS_OK && i < n; i++)
        rc = txs_pay_read_path(r, inputs[i], (uint32_t)i, &sink, d);
    txs_pay_reader_free(r);
    ev->input_checked = 1;
    *screened = s.screened;
    return rc;
}

int txs_eval_scan_inputs(txs_eval *ev, const txs_profile *p, int forced,
                         char *const *inputs, size_t n, uint64_t *screened, txs_diag *d)
{
    if (forced == TXS_SCREEN_PAYMENTS) return scan_payments(ev, inputs, n, screened, d);
    static const txs_walk_ops ops = {NULL, on_record};
    txs_batch batch;
    txs_batch_init(&batch);
    txs_reader *rd[2] = {NULL, NULL}; /* one per format */
    scan s = {ev, 0};
    int rc = TXS_OK;
    for (size_t i = 0; rc == TXS_OK && i < n; i++) {
        txs_source *src = NULL;
        rc = txs_source_open_path(inputs[i], &src, d);
        if (rc < 0) break;
        txs_format fmt = txs_profile_format_for(p, forced, inputs[i]);
        if (rd[fmt] == NULL) {
            txs_reader_opts ro;
            rc = txs_profile_reader_opts(p, fmt, &ro);
            if (rc == TXS_OK) rc = txs_reader_create(&ro, &rd[fmt]);
            if (rc < 0) txs_diag_set(d, rc, inputs[i], 0, "cannot create reader");
        }
        if (rc == TXS_OK)
            rc = txs_walk_source(rd[fmt], &batch, p, fmt, src, (uint32_t)i, &ops, &s, d);
        txs_source_free(src);
    }
    ev->input_checked = 1;
    txs_reader_free(rd[0]);
    txs_reader_free(rd[1]);
    txs_batch_free(&batch);
    *screened = s.screened;
    return rc;
}

int txs_eval_read_alerts(txs_eval *ev, txs_eval_run *r, const char *path, txs_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    char *line = NULL, why[512];
    size_t cap = 0;
    unsigned long no = 0;
    int rc = TXS_OK;
    for (ssize_t n; rc == TXS_OK && (n = getline(&line, &cap, f)) >= 0;) {
        no++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        rc = txs_eval_run_add_alert(ev, r, line, len, why, sizeof why);
        if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, no, "out of memory");
        else if (rc < 0) rc = txs_diag_set(d, TXS_E_FORMAT, path, no, "bad alert: %s", why);
    }
    if (rc == TXS_OK && ferror(f)) rc = txs_diag_set(d, TXS_E_IO, path, 0, "read error");
    free(line);
    fclose(f);
    return rc;
}
