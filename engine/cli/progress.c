/*
 * progress.c: `screen`'s progress line (progress.h).  One thread, started
 * around the feed loop, wakes every PROGRESS_MS, reads two counters and
 * redraws one line on stderr:
 *
 *   txscreen: 1204224 records, 98.6 MB, 51.2 MB/s, 31% of 315.2 MB, 0m42s left
 *
 * The counters are the pipeline's: the raw bytes each source has read
 * (its reader thread stores them once a read(2) of up to 1 MiB) and the
 * records the ordered stage has committed (stored once a batch), both
 * relaxed atomics, so the hot path pays no lock, no call and no clock for
 * the line.  Bytes are raw bytes: for a gzip or zstd input the percentage
 * is of the compressed file read, which is what its size on disk gives.
 * The rate is the average since the line started, so the time left does
 * not jump with each batch.
 *
 * The line is redrawn in place with a carriage return and blanked with
 * spaces (no terminal escape sequences, so any terminal shows it), and
 * erased when the run ends.  One mutex orders the redraws with the other
 * writes to stderr during the run (the first rejects): those pause the
 * line, which erases it and holds the next redraw until they are done.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

/* A few redraws a second at most: enough to look alive, few enough that
 * a slow terminal never holds the run back. */
#define PROGRESS_MS 250

struct txs_progress {
    pthread_t thread;
    pthread_mutex_t m;
    pthread_cond_t cv;
    int stop;
    const txs_screener *scr;
    txs_source *const *src;
    int nsrc;
    uint64_t total;     /* raw bytes of all inputs; 0: not known */
    double t0;
    size_t shown;       /* columns of the line on screen; 0: none */
};

static void put(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(2, p, n);
        if (k <= 0) return; /* stderr gone: the line is only a courtesy */
        p += k, n -= (size_t)k;
    }
}

/* Blank what is shown and go back to the line's start.  Holds p->m. */
static void erase(txs_progress *p)
{
    char blank[256];
    size_t n = p->shown < sizeof blank - 2 ? p->shown : sizeof blank - 2;
    if (n == 0) return;
    blank[0] = '\r';
    memset(blank + 1, ' ', n);
    blank[n + 1] = '\r';
    put(blank, n + 2);
    p->shown = 0;
}

/* "42s", "7m05s", "2h13m". */
static void fmt_left(double s, char *out, size_t cap)
{
    long v = (long)(s + 0.5);
    if (v < 60) snprintf(out, cap, "%lds", v);
    else if (v < 3600) snprintf(out, cap, "%ldm%02lds", v / 60, v % 60);
    else snprintf(out, cap, "%ldh%02ldm", v / 3600, (v % 3600) / 60);
}

/* Redraw the line from the counters.  Holds p->m. */
static void draw(txs_progress *p)
{
    uint64_t bytes = 0;
    for (int i = 0; i < p->nsrc; i++) bytes += txs_source_raw_bytes(p->src[i]);
    unsigned long long recs = (unsigned long long)txs_screener_progress(p->scr);
    double el = txs_cli_now() - p->t0;
    double rate = el > 0 ? (double)bytes / el : 0;
    char line[200];
    int n = snprintf(line + 1, sizeof line - 1, "txscreen: %llu records, %.1f MB, %.1f MB/s",
                     recs, (double)bytes / 1e6, rate / 1e6);
    if (p->total > 0 && n > 0 && (size_t)n < sizeof line - 1) {
        double frac = bytes >= p->total ? 1.0 : (double)bytes / (double)p->total;
        char left[32] = "?";
        if (rate > 0) fmt_left((double)(p->total - (bytes < p->total ? bytes : p->total)) / rate,
                               left, sizeof left);
        n += snprintf(line + 1 + n, sizeof line - 1 - (size_t)n, ", %d%% of %.1f MB, %s left",
                      (int)(frac * 100.0), (double)p->total / 1e6, left);
    }
    if (n <= 0) return;
    size_t len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[0] = '\r';
    size_t out = len + 1;
    /* Blank the tail of a longer line drawn before. */
    while (p->shown > len && out < sizeof line) line[out++] = ' ', p->shown--;
    put(line, out);
    p->shown = len;
}

static void *run(void *arg)
{
    txs_progress *p = arg;
    pthread_mutex_lock(&p->m);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!p->stop) {
        next.tv_nsec += PROGRESS_MS * 1000000L;
        if (next.tv_nsec >= 1000000000L) next.tv_sec++, next.tv_nsec -= 1000000000L;
        while (!p->stop && pthread_cond_timedwait(&p->cv, &p->m, &next) == 0) {
        }
        if (!p->stop) draw(p);
    }
    erase(p);
    pthread_mutex_unlock(&p->m);
    return NULL;
}

void txs_cli_progress_start(const txs_screener *scr, txs_source *const *src, int nsrc,
                            uint64_t total, txs_progress **out)
{
    *out = NULL;
    txs_progress *p = calloc(1, sizeof *p);
    if (p == NULL) return;
    *p = (txs_progress){.scr = scr, .src = src, .nsrc = nsrc, .total = total,
                        .t0 = txs_cli_now()};
    pthread_condattr_t ca;
    int ok = pthread_condattr_init(&ca) == 0;
    ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(&p->cv, &ca) == 0;
    if (ok) pthread_condattr_destroy(&ca);
    if (!ok) {
        free(p);
        return;
    }
    if (pthread_mutex_init(&p->m, NULL) != 0) {
        pthread_cond_destroy(&p->cv);
        free(p);
        return;
    }
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        pthread_mutex_destroy(&p->m);
        pthread_cond_destroy(&p->cv);
        free(p);
        return;
    }
    *out = p;
}

void txs_cli_progress_stop(txs_progress *p)
{
    if (p == NULL) return;
    pthread_mutex_lock(&p->m);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->m);
    pthread_join(p->thread, NULL);
    pthread_mutex_destroy(&p->m);
    pthread_cond_destroy(&p->cv);
    free(p);
}

void txs_cli_progress_pause(txs_progress *p)
{
    if (p == NULL) return;
    pthread_mutex_lock(&p->m);
    erase(p);
}

void txs_cli_progress_resume(txs_progress *p)
{
    if (p) pthread_mutex_unlock(&p->m);
}

uint64_t txs_cli_input_size(const char *path)
{
    struct stat st;
    int rc = strcmp(path, "-") == 0 ? fstat(0, &st) : stat(path, &st);
    if (rc != 0 || !S_ISREG(st.st_mode)) return 0;
    if (strcmp(path, "-") == 0) {
        /* stdin redirected from a file may already be part read. */
        off_t at = lseek(0, 0, SEEK_CUR);
        return at >= 0 && at <= st.st_size ? (uint64_t)(st.st_size - at) : 0;
    }
    return (uint64_t)st.st_size;
}
