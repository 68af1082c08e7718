/*
 * fuzz_report.c: libFuzzer target for the run report (txs/report.h): the
 * line cutting across feeds, the alert lines' structural scan and its
 * fall-back to the full parse, the cases heap and evidence, the reject
 * classes, the manifests, and the page writer over whatever was taken.
 *
 * Input: byte 0 picks the feed size (1 + bits 0-5) and the cases cap (1 +
 * bits 6-7, so the heap's eviction runs); then up to five parts separated
 * by NUL bytes: manifest, cases, alerts, rejects, previous manifest.
 * Checks beyond "no crash": a refusal carries a message; a page, when
 * written, holds exactly one <script> (the page's own: nothing from the
 * input became markup) and no <img.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "txs/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *p, size_t n, const char *z)
{
    size_t k = 0, zn = strlen(z);
    for (size_t i = 0; i + zn <= n; i++) k += memcmp(p + i, z, zn) == 0;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    size_t step = 1 + (data[0] & 63);
    txs_report_opts o = {.max_cases = 1 + (size_t)(data[0] >> 6)};
    txs_report *r;
    txs_diag d = {{0}, 0, {0}};
    if (txs_report_create(&o, &r) < 0) return 0;
    const txs_report_stream order[5] = {TXS_REPORT_MANIFEST, TXS_REPORT_CASES_IN, TXS_REPORT_ALERTS,
                                        TXS_REPORT_REJECTS, TXS_REPORT_PREVIOUS};
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    int rc = TXS_OK;
    for (int s = 0; s < 5 && p <= end && rc == TXS_OK; s++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        const char *e = nul ? nul : end;
        for (const char *q = p; q < e && rc == TXS_OK; q += step)
            rc = txs_report_feed(r, order[s], "f", q, (size_t)(e - q) < step ? (size_t)(e - q) : step,
                                 &d);
        if (rc == TXS_OK) rc = txs_report_end(r, order[s], &d);
        p = e + 1;
    }
    if (rc == TXS_OK) {
        txs_buf b = {0};
        rc = txs_report_write(r, &b, &d);
        if (rc == TXS_OK && (count(b.p, b.n, "<script") != 1 || count(b.p, b.n, "<img") != 0))
            abort();
        txs_buf_free(&b);
    }
    if (rc != TXS_OK && rc != TXS_E_NOMEM && d.msg[0] == '\0') abort();
    txs_report_free(r);
    return 0;
}
