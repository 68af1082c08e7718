/*
 * pay_bench.c: parse-only throughput of the payments reader
 * (docs/benchmarks.md "Payment messages").  Reads each FILE through
 * txs_pay_read_path with a sink that only counts, REPEAT times, and
 * prints per run: wall seconds and MB/s, CPU seconds (user + system) and
 * MB per CPU second (the per-core figure, which a loaded machine does not
 * distort as it does the wall figure), transactions/s, and the process's
 * peak RSS.  bench/pay_bench.sh runs it interleaved with
 * `xmllint --stream --noout` and `wc -l` on the same bytes.
 *
 * usage: pay_bench [--repeat N] FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "txs/payments.h"

static int count_txn(void *ctx, const txs_txn *t)
{
    uint64_t *n = ctx;
    *n += 1 + (t->amount & 0);   /* touch the transaction */
    return 0;
}

static int count_reject(void *ctx, const txs_pay_reject *r)
{
    (void)ctx;
    (void)r;
    return 0;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int repeat = 1, i = 1;
    if (argc > 2 && strcmp(argv[1], "--repeat") == 0) repeat = atoi(argv[2]), i = 3;
    if (i >= argc) {
        fprintf(stderr, "usage: pay_bench [--repeat N] FILE...\n");
        return 2;
    }
    for (; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 4;
        }
        for (int k = 0; k < repeat; k++) {
            txs_pay_reader *r = NULL;
            if (txs_pay_reader_create(TXS_PAY_AUTO, &r) < 0) return 6;
            uint64_t n = 0;
            txs_pay_sink sink = {count_txn, count_reject, &n};
            txs_diag d = {{0}, 0, {0}};
            double t0 = now(), c0 = cpu();
            int rc = txs_pay_read_path(r, argv[i], 0, &sink, &d);
            double dt = now() - t0, dc = cpu() - c0;
            txs_pay_counts c;
            txs_pay_reader_counts(r, &c);
            txs_pay_reader_free(r);
            if (rc < 0) {
                fprintf(stderr, "pay_bench: %s: %s\n", argv[i], d.msg);
                return 4;
            }
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            printf("%s\t%.3f s\t%.1f MB/s\tcpu %.3f s\t%.1f MB/cpu-s\t%.0f txn/s\t%llu txns\t"
                   "%llu rejected\tpeak RSS %.1f MiB\n",  /* messages + transactions */
                   argv[i], dt, (double)st.st_size / 1e6 / dt, dc, (double)st.st_size / 1e6 / dc,
                   (double)n / dt,
                   (unsigned long long)n, (unsigned long long)(c.rejected + c.txn_rejects),
                   (double)ru.ru_maxrss / 1024.0);
        }
    }
    return 0;
}
