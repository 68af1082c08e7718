/*
 * lookback.h: look-back screening (docs/lists.md "Look-back screening").
 * When the lists change, the counterparties a state has seen (state.h
 * "Counterparties") are screened again, against only the entities the
 * change added or changed:
 *
 *   old snapshot --txs_lists_diff--> added, changed  --txs_lists_subset-->
 *   new snapshot -/                  removed --> close their open cases
 *   subset --txs_sanctions--> every known counterparty --> lookback alerts
 *
 * A counterparty's name is screened with its country as the screening of
 * a transaction does (the same threshold), its BIC, IBAN or wallet as an
 * identifier.  Each counterparty with a match gives one alert line, in the
 * counterparties' identity order, so the output does not depend on the
 * thread count of the runs that filled the state.
 */
#ifndef TXS_LOOKBACK_H
#define TXS_LOOKBACK_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"
#include "txs/cases.h"
#include "txs/lists.h"
#include "txs/screen.h"
#include "txs/state.h"

typedef struct txs_lookback_opts {
    /* The snapshots the state last screened with and the new ones, paired
     * by position (the run's --lists order); borrowed. */
    const txs_lists *const *old_lists;
    const txs_lists *const *new_lists;
    size_t nlists;
    double threshold;            /* names; <= 0: TXS_SANCTIONS_THRESHOLD */
    txs_cases *cases;            /* NULL: case ids on the hits only */
    txs_sink_fn alerts;          /* the alert lines; NULL: counted only */
    void *alerts_ctx;
} txs_lookback_opts;

typedef struct txs_lookback_stats {
    uint64_t added, changed, removed;  /* entities, over the list pairs */
    uint64_t counterparties;           /* screened */
    uint64_t alerts;                   /* lookback alert lines */
    uint64_t hits;
    uint64_t cases_closed;             /* previous cases closed (removed) */
} txs_lookback_stats;

/*
 * Screen s's counterparties against what changed from o->old_lists to
 * o->new_lists, writing "lookback" alert lines (docs/formats.md) to
 * o->alerts and closing, in o->cases, the previous sanctions cases of the
 * entities removed.  Nothing is written when nothing was added or changed.
 * Returns 0, TXS_E_NOMEM, or the sink's error; d says what failed.
 * Single-threaded; s is read only.
 */
int txs_lookback_run(txs_state *s, const txs_lookback_opts *o, txs_lookback_stats *st,
                     txs_diag *d);

#endif /* TXS_LOOKBACK_H */
