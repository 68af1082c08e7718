/* eu.c: placeholder while the reader is written. */
#include "lists_int.h"

int txs__lists_read_eu(txs_lists_builder *b, const char *path, txs_diag *d)
{
    (void)b;
    return txs_diag_set(d, TXS_E_UNSUPPORTED, path, 0, "reader not written yet");
}
