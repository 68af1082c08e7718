/*
 * test_payments.c: the payments reader (payments.h).  Chunk invariance:
 * every golden payment input read in 1-byte and in random-size pieces maps
 * to the same JSON lines and rejects as read whole; names of roles and
 * scopes; a transaction's canonical sides come from the debtor and
 * creditor.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_test_util.h"
#include "txs/emit.h"
#include "txs/payments.h"

typedef struct out {
    txs_buf b;
} out;

static int on_txn(void *ctx, const txs_txn *t)
{
    txs_txn_json(&((out *)ctx)->b, t, "f");
    return 0;
}

static int on_reject(void *ctx, const txs_pay_reject *r)
{
    txs_buf_printf(&((out *)ctx)->b, "reject %llu %llu %s %s\n", (unsigned long long)r->message,
                   (unsigned long long)r->line, r->where, r->reason);
    return 0;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    cr_assert_eq(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* The reader's output for p[0..n) read in chunks by mode (at split for
 * CHUNK_CUT). */
static txs_buf run_split(const char *p, size_t n, int mode, size_t split)
{
    txs_pay_reader *r = NULL;
    cr_assert_eq(txs_pay_reader_create(TXS_PAY_AUTO, &r), 0);
    out o = {{0}};
    txs_pay_sink sink = {on_txn, on_reject, &o};
    memsrc c = {p, n, 0, mode, 7u, 0, split};
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_pay_read_fn(r, "f", memsrc_read, &c, &sink, &d), 0, "%s", d.msg);
    txs_pay_reader_free(r);
    return o.b;
}

static txs_buf run(const char *p, size_t n, int mode)
{
    return run_split(p, n, mode, 0);
}

static void same_in_every_chunking(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TXS_SOURCE_DIR, dir);
    DIR *dp = opendir(path);
    cr_assert_not_null(dp, "%s", path);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char f[4400];
        snprintf(f, sizeof f, "%s/%s", path, e->d_name);
        size_t n;
        char *p = read_all(f, &n);
        txs_buf whole = run(p, n, CHUNK_WHOLE), one = run(p, n, CHUNK_ONE),
                rnd = run(p, n, CHUNK_RANDOM);
        cr_assert(whole.n > 0, "%s: nothing read", f);
        cr_assert(one.n == whole.n && memcmp(one.p, whole.p, one.n) == 0, "%s: 1-byte reads differ", f);
        cr_assert(rnd.n == whole.n && memcmp(rnd.p, whole.p, rnd.n) == 0, "%s: random reads differ", f);
        txs_buf_free(&whole);
        txs_buf_free(&one);
        txs_buf_free(&rnd);
        free(p);
        files++;
    }
    closedir(dp);
    cr_assert(files > 0);
}

Test(payments, crafted_inputs_read_the_same_in_any_chunking)
{
    same_in_every_chunking("tests/golden/cases/payments-crafted/in");
}

/* Documents one after another, each with its XML declaration (blanked so
 * that they can share the reader's wrapper): cut at every byte, the
 * output is the one read whole.  The second input has an element of one
 * letter right before a declaration ("<a><?xml"), so that a cut after
 * "<a><" leaves a '<' that must wait for the next bytes. */
Test(payments, documents_read_the_same_cut_at_every_byte)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/cases/payments-crafted/in/multi.xml",
             TXS_SOURCE_DIR);
    size_t n;
    char *multi = read_all(path, &n);
    static const char tiny[] = "<?xml version=\"1.0\"?><a><?xml version=\"1.0\"?></a>\n"
                               "<?xml version=\"1.0\"?><b/>\n";
    const struct { const char *p; size_t n; } in[] = {{multi, n}, {tiny, sizeof tiny - 1}};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        txs_buf whole = run(in[i].p, in[i].n, CHUNK_WHOLE);
        cr_assert(whole.n > 0);
        for (size_t k = 1; k < in[i].n; k++) {
            txs_buf cut = run_split(in[i].p, in[i].n, CHUNK_CUT, k);
            cr_assert(cut.n == whole.n && memcmp(cut.p, whole.p, cut.n) == 0,
                      "input %zu cut at %zu:\n%.*s\nwhole:\n%.*s", i, k, (int)cut.n, cut.p,
                      (int)whole.n, whole.p);
            txs_buf_free(&cut);
        }
        txs_buf_free(&whole);
    }
    free(multi);
}

Test(payments, samples_read_the_same_in_any_chunking)
{
    same_in_every_chunking("tests/fixtures/payments/mt/prowide-core");
    same_in_every_chunking("tests/fixtures/payments/mx/ballerina-mt2mx");
}

Test(payments, role_and_scope_names)
{
    cr_assert_str_eq(txs_pay_role_name(TXS_ROLE_DEBTOR), "debtor");
    cr_assert_str_eq(txs_pay_role_name(TXS_ROLE_THIRD_REIMB), "third_reimbursement_agent");
    cr_assert_str_eq(txs_pay_role_name(-1), "unknown");
    cr_assert_str_eq(txs_pay_role_name(TXS_ROLE_COUNT), "unknown");
    cr_assert_str_eq(txs_pay_scope_name(TXS_SCOPE_UNDERLYING), "underlying");
    cr_assert_str_eq(txs_pay_field_name(TXS_PF_LINES), "address_lines");
    cr_assert_str_eq(txs_pay_ref_name(TXS_PR_UETR), "uetr");
}

static txs_txn last_txn;
static int keep(void *ctx, const txs_txn *t)
{
    (void)ctx;
    last_txn = *t;
    last_txn.ext = NULL;   /* borrowed only during the call */
    return 0;
}

Test(payments, canonical_sides_are_debtor_and_creditor)
{
    static const char mt[] =
        "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKGB2LXXXXN}{4:\n:20:R\n:23B:CRED\n"
        ":32A:260301EUR10,5\n:50K:/DE89370400440532013000\nJOHN DOE\n:52A:COBADEFF\n"
        ":57A:HSBCGB2L\n:59F:/GB29NWBK60161331926819\n1/JANE ROE\n3/GB/LONDON\n-}";
    txs_pay_reader *r = NULL;
    cr_assert_eq(txs_pay_reader_create(TXS_PAY_AUTO, &r), 0);
    txs_pay_sink sink = {keep, NULL, NULL};
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_pay_read_mem(r, "m", mt, sizeof mt - 1, &sink, &d), 0);
    txs_pay_counts c;
    txs_pay_reader_counts(r, &c);
    cr_assert_eq(c.txns, 1);
    cr_assert_eq(last_txn.amount, 1050);
    cr_assert(txs_slice_eq(last_txn.orig.name, "JOHN DOE"));
    cr_assert(txs_slice_eq(last_txn.bene.name, "JANE ROE"));
    cr_assert(txs_slice_eq(last_txn.orig.bank, "COBADEFF"));
    cr_assert(txs_slice_eq(last_txn.bene.account, "GB29NWBK60161331926819"));
    cr_assert_eq(memcmp(last_txn.bene.country, "GB", 2), 0);
    cr_assert_eq(memcmp(last_txn.orig.bank_country, "DE", 2), 0);
    txs_pay_reader_free(r);
}
