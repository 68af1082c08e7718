/*
 * test_gen_pay.c: the generator's payment-message formats (bench/gen/
 * gen_pay.c: `txscreen gen --format pacs.008|pain.001|mt103`).  Each format
 * is read back by the engine's payments reader (txs/payments.h): every
 * record maps, none is rejected, and each transaction carries what the
 * native CSV of the same seed says of the same record (amount, currency,
 * day, both accounts and names, the purpose), read by the engine's CSV
 * reader (txs/walk.h).  The labels name the UETRs the reader gives as
 * transaction ids, row for row the CSV's labels; the bytes depend only on
 * the seed.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "txs/input.h"
#include "txs/parse.h"
#include "txs/payments.h"
#include "txs/walk.h"

#define ROWS 2000

typedef struct buf {
    char *p;
    size_t n;
} buf;

static void gen(txs_gen_format f, uint64_t seed, buf *data, buf *labels)
{
    txs_gen_opts o;
    txs_gen_opts_default(&o);
    o.seed = seed;
    o.rows = ROWS;
    o.accounts = 5000;
    o.plant_rate = 0.02;
    o.format = f;
    FILE *out = open_memstream(&data->p, &data->n);
    FILE *lab = open_memstream(&labels->p, &labels->n);
    cr_assert(out && lab);
    txs_diag d;
    memset(&d, 0, sizeof d);
    txs_gen_stats st;
    cr_assert_eq(txs_gen_run(&o, out, lab, &st, &d), 0, "%s", d.msg);
    fclose(out);
    fclose(lab);
    cr_assert_eq(st.rows, ROWS);
}

/* One record's values as text, from either reader. */
typedef struct rec {
    char *id, *oacct, *oname, *bacct, *bname, *purpose;
    int64_t amount, day;
    unsigned currency;
    int seen;
} rec;

static char *dup_slice(txs_slice s)
{
    char *c = malloc(s.n + 1);
    cr_assert(c);
    if (s.n) memcpy(c, s.p, s.n);
    c[s.n] = 0;
    for (size_t i = 0; i < s.n; i++)
        if (c[i] == '\n') c[i] = ' '; /* FIN lines of a wrapped text */
    return c;
}

static void fill(rec *r, const txs_txn *t)
{
    r->id = dup_slice(t->txn_id);
    r->oacct = dup_slice(t->orig.account);
    r->oname = dup_slice(t->orig.name);
    r->bacct = dup_slice(t->bene.account);
    r->bname = dup_slice(t->bene.name);
    r->purpose = dup_slice(t->purpose);
    r->amount = t->amount;
    r->day = t->ts / 86400;
    r->currency = t->currency;
}

static void rec_free(rec *r)
{
    free(r->id);
    free(r->oacct);
    free(r->oname);
    free(r->bacct);
    free(r->bname);
    free(r->purpose);
}

/* The CSV of the seed through the engine's reader: csv[seq - 1]. */
static int on_csv(void *ctx, const txs_record *rc, const txs_txn *t, const char *why,
                  txs_diag *d)
{
    (void)rc, (void)d;
    rec *csv = ctx;
    cr_assert(t, "CSV record rejected: %s", why ? why : "");
    int seq = atoi(t->txn_id.p + 1);
    cr_assert(seq >= 1 && seq <= ROWS);
    fill(&csv[seq - 1], t);
    return 0;
}

static void read_csv(const buf *data, rec *csv)
{
    char path[] = "/tmp/test_gen_pay_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, data->p, data->n), (ssize_t)data->n);
    close(fd);
    txs_diag d;
    memset(&d, 0, sizeof d);
    txs_profile *p = NULL;
    cr_assert_eq(txs_profile_load("native", &p, &d), 0);
    txs_reader_opts ro;
    cr_assert_eq(txs_profile_reader_opts(p, TXS_FMT_CSV, &ro), 0);
    txs_reader *rd = NULL;
    cr_assert_eq(txs_reader_create(&ro, &rd), 0);
    txs_source *src = NULL;
    cr_assert_eq(txs_source_open_path(path, &src, &d), 0);
    txs_batch b;
    txs_batch_init(&b);
    static const txs_walk_ops ops = {NULL, on_csv};
    cr_assert_eq(txs_walk_source(rd, &b, p, TXS_FMT_CSV, src, 0, &ops, csv, &d), 0);
    txs_batch_free(&b);
    txs_source_free(src);
    txs_reader_free(rd);
    txs_profile_free(p);
    unlink(path);
}

typedef struct pay_ctx {
    rec *pay;     /* by seq, from the InstrId / :20: "T<seq>" */
    size_t txns, rejects;
} pay_ctx;

static int on_txn(void *ctx, const txs_txn *t)
{
    pay_ctx *c = ctx;
    cr_assert(t->ext);
    txs_slice r = t->ext->ref[TXS_PR_INSTR_ID];
    cr_assert(r.n > 1 && r.p[0] == 'T');
    int seq = atoi(r.p + 1);
    cr_assert(seq >= 1 && seq <= ROWS);
    cr_assert_not(c->pay[seq - 1].seen, "T%d twice", seq);
    fill(&c->pay[seq - 1], t);
    c->pay[seq - 1].seen = 1;
    c->txns++;
    return 0;
}

static int on_reject(void *ctx, const txs_pay_reject *r)
{
    pay_ctx *c = ctx;
    c->rejects++;
    cr_log_error("reject: message %llu %s: %s", (unsigned long long)r->message, r->where,
                 r->reason);
    return 0;
}

/* Label rows' first column, in order. */
static size_t label_ids(const buf *l, char ids[][48], size_t cap)
{
    size_t n = 0;
    const char *p = (const char *)memchr(l->p, '\n', l->n) + 1, *e = l->p + l->n;
    while (p < e && n < cap) {
        const char *c = memchr(p, ',', (size_t)(e - p));
        snprintf(ids[n++], 48, "%.*s", (int)(c - p), p);
        p = (const char *)memchr(p, '\n', (size_t)(e - p)) + 1;
    }
    return n;
}

static void check_format(txs_gen_format f, const char *name, size_t *messages)
{
    buf csv_data = {0}, csv_lab = {0}, data = {0}, lab = {0};
    gen(TXS_GEN_NATIVE_CSV, 11, &csv_data, &csv_lab);
    gen(f, 11, &data, &lab);
    rec *csv = calloc(ROWS, sizeof *csv), *pay = calloc(ROWS, sizeof *pay);
    cr_assert(csv && pay);
    read_csv(&csv_data, csv);

    txs_pay_reader *r = NULL;
    cr_assert_eq(txs_pay_reader_create(TXS_PAY_AUTO, &r), 0);
    pay_ctx c = {pay, 0, 0};
    txs_pay_sink sink = {on_txn, on_reject, &c};
    txs_diag d;
    memset(&d, 0, sizeof d);
    cr_assert_eq(txs_pay_read_mem(r, name, data.p, data.n, &sink, &d), 0);
    txs_pay_counts n;
    txs_pay_reader_counts(r, &n);
    txs_pay_reader_free(r);
    cr_assert_eq(c.rejects, 0, "%s: %zu rejects", name, c.rejects);
    cr_assert_eq(c.txns, ROWS, "%s: %zu of %d records", name, c.txns, ROWS);
    cr_assert_eq(n.rejected + n.txn_rejects, 0);
    *messages = n.messages;

    for (int i = 0; i < ROWS; i++) {
        const rec *a = &csv[i], *b = &pay[i];
        cr_assert(b->seen, "%s: T%d missing", name, i + 1);
        cr_assert_eq(a->amount, b->amount, "%s T%d amount", name, i + 1);
        cr_assert_eq(a->currency, b->currency, "%s T%d currency", name, i + 1);
        cr_assert_eq(a->day, b->day, "%s T%d day", name, i + 1);
        cr_assert_str_eq(a->oacct, b->oacct, "%s T%d debtor account", name, i + 1);
        cr_assert_str_eq(a->bacct, b->bacct, "%s T%d creditor account", name, i + 1);
        cr_assert_str_eq(a->oname, b->oname, "%s T%d debtor name", name, i + 1);
        cr_assert_str_eq(a->bname, b->bname, "%s T%d creditor name", name, i + 1);
        cr_assert_str_eq(a->purpose, b->purpose, "%s T%d purpose", name, i + 1);
        cr_assert_eq(strlen(b->id), 36, "%s T%d: the txn id is the UETR", name, i + 1);
    }
    /* Labels: row for row the CSV's, naming the same record by its UETR. */
    static char la[ROWS][48], lb[ROWS][48];
    size_t na = label_ids(&csv_lab, la, ROWS), nb = label_ids(&lab, lb, ROWS);
    cr_assert_eq(na, nb);
    cr_assert_gt(na, 50, "a plant rate of 0.02 labels records");
    const char *ta = memchr(csv_lab.p, '\n', csv_lab.n), *tb = memchr(lab.p, '\n', lab.n);
    for (size_t i = 0; i < na; i++) {
        int seq = atoi(la[i] + 1);
        cr_assert_str_eq(pay[seq - 1].id, lb[i], "%s label %zu", name, i + 1);
        /* the typology and pattern columns are the CSV's */
        ta = memchr(ta, ',', (size_t)(csv_lab.p + csv_lab.n - ta));
        tb = memchr(tb, ',', (size_t)(lab.p + lab.n - tb));
        const char *ea = memchr(ta, '\n', (size_t)(csv_lab.p + csv_lab.n - ta));
        const char *eb = memchr(tb, '\n', (size_t)(lab.p + lab.n - tb));
        cr_assert_eq(ea - ta, eb - tb);
        cr_assert(memcmp(ta, tb, (size_t)(ea - ta)) == 0);
        ta = ea;
        tb = eb;
    }

    /* Deterministic: the same seed the same bytes; another seed not. */
    buf again = {0}, again_lab = {0}, other = {0}, other_lab = {0};
    gen(f, 11, &again, &again_lab);
    gen(f, 12, &other, &other_lab);
    cr_assert(again.n == data.n && memcmp(again.p, data.p, data.n) == 0);
    cr_assert(again_lab.n == lab.n && memcmp(again_lab.p, lab.p, lab.n) == 0);
    cr_assert(other.n != data.n || memcmp(other.p, data.p, data.n) != 0);

    for (int i = 0; i < ROWS; i++) rec_free(&csv[i]), rec_free(&pay[i]);
    free(csv);
    free(pay);
    free(csv_data.p), free(csv_lab.p), free(data.p), free(lab.p);
    free(again.p), free(again_lab.p), free(other.p), free(other_lab.p);
}

Test(gen_pay, pacs008_maps_every_record)
{
    size_t m = 0;
    check_format(TXS_GEN_PACS008, "g.pacs008", &m);
    cr_assert_eq(m, ROWS, "one message per record");
}

Test(gen_pay, pain001_maps_every_record)
{
    size_t m = 0;
    check_format(TXS_GEN_PAIN001, "g.pain001", &m);
    cr_assert(m >= ROWS / 16 && m < ROWS / 4, "%zu messages of up to 16 records", m);
}

Test(gen_pay, mt103_maps_every_record)
{
    size_t m = 0;
    check_format(TXS_GEN_MT103, "g.mt103", &m);
    cr_assert_eq(m, ROWS, "one message per record");
}

Test(gen_pay, format_names)
{
    txs_gen_format f;
    cr_assert_eq(txs_gen_format_parse("pacs.008", &f), 0);
    cr_assert_eq(f, TXS_GEN_PACS008);
    cr_assert_eq(txs_gen_format_parse("pain.001", &f), 0);
    cr_assert_eq(f, TXS_GEN_PAIN001);
    cr_assert_eq(txs_gen_format_parse("mt103", &f), 0);
    cr_assert_eq(f, TXS_GEN_MT103);
    cr_assert_eq(txs_gen_format_parse("pacs.009", &f), TXS_E_ARG);
    cr_assert(txs_gen_format_payments(TXS_GEN_MT103));
    cr_assert_not(txs_gen_format_payments(TXS_GEN_NATIVE_JSONL));
}
