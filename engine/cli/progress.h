/*
 * progress.h: `screen`'s progress line on stderr (progress.c).  Private to
 * the CLI.
 */
#ifndef TXS_CLI_PROGRESS_H
#define TXS_CLI_PROGRESS_H

#include <stdint.h>

#include "txs/input.h"
#include "txs/screen.h"

typedef struct txs_progress txs_progress;

/* Start a thread that redraws one line on fd 2 every PROGRESS_MS: the
 * records the screener has read (txs_screener_progress), the raw bytes its
 * sources have read (txs_source_raw_bytes), MB/s, and with total > 0 (the
 * inputs' sizes on disk) the percentage and the time left.  Both counters
 * are relaxed atomics their threads store once a read or a batch, so the
 * run pays nothing for the line.  scr and src[0..nsrc) are borrowed until
 * txs_cli_progress_stop.  *out is NULL when no thread could be started
 * (the run goes on without a line). */
void txs_cli_progress_start(const txs_screener *scr, txs_source *const *src, int nsrc,
                            uint64_t total, txs_progress **out);
/* Stop the thread, erase the line, free; accepts NULL. */
void txs_cli_progress_stop(txs_progress *p);
/* Around another write to stderr while the line may be shown: pause
 * erases it and holds the next redraw until resume.  Accept NULL. */
void txs_cli_progress_pause(txs_progress *p);
void txs_cli_progress_resume(txs_progress *p);

/* The raw size of input path ("-": stdin) when it is a regular file, else
 * 0 (a pipe, a terminal, a device: its size is not known ahead). */
uint64_t txs_cli_input_size(const char *path);

#endif /* TXS_CLI_PROGRESS_H */
