/*
 * fuzz_lists.c: libFuzzer target for the sanctions list readers.  Byte 0
 * picks the file name the reader sees, which with the first bytes selects
 * the format (lists.h, txs_lists_builder_add): UN XML, OpenSanctions CSV,
 * EU CSV, UK CSV, FollowTheMoney JSON, OFAC legacy sdn.csv; the rest is
 * the file.  "un.xml" reaches every XML reader: the root element picks UN,
 * OFAC Sanctions List Service (<sdnList>) or Canada SEMA (<data-set>); the
 * seeds ofac-sls-cut and ca-sema-cut start there.  A source that reads is compiled into a snapshot, opened, and
 * screened against, so the name-index builder sees every parsed shape.
 */
#include "fuzz_file_util.h"
#include "txs/lists.h"
#include "txs/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAMES[] = {"un.xml",  "targets.simple.csv", "eu.csv",
                                    "uk.csv",  "entities.json",      "sdn.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const char *path = fuzz_file(NAMES[data[0] % 6], data + 1, size - 1);
    if (path == NULL) return 0;
    txs_lists_builder *b = NULL;
    txs_diag d = {{0}, 0, {0}};
    if (txs_lists_builder_create(&b) < 0) return 0;
    void *img = NULL;
    size_t n = 0;
    int rc = txs_lists_builder_add(b, path, &d);
    if (rc < 0 && d.msg[0] == '\0') abort(); /* a refusal must say why */
    if (rc == 0) rc = txs_lists_builder_image(b, &img, &n, &d);
    txs_lists_builder_free(b);
    txs_lists *l = NULL;
    if (rc == 0 && txs_lists_open_mem(img, n, &l, &d) == 0) {
        const txs_lists *ls[1] = {l};
        txs_sanctions *s = NULL;
        if (txs_sanctions_create(ls, 1, 0.0, &s, &d) == 0) {
            txs_sanctions_match m[8];
            txs_sanctions_name(s, "John Smith", 10, m, 8);
            txs_sanctions_name(s, "Banco Nacional de Cuba", 22, m, 8);
        }
        txs_sanctions_free(s);
        txs_lists_free(l);
    }
    free(img);
    return 0;
}
