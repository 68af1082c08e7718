/*
 * test_emit.c: the emit stage's contracts (emit.h): atomic named outputs
 * (nothing appears until commit; abort leaves no file and no temporary),
 * devices and FIFOs written in place and never replaced, write failures
 * reported, large writes (straight to the file) giving the bytes and
 * digest buffered ones do, the one JSON string escaper, the arena buffer,
 * and the manifest printer.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xxhash.h>

#include "txs/emit.h"

static char dir[] = "/tmp/txs-emit-XXXXXX";

static void setup(void)
{
    strcpy(dir, "/tmp/txs-emit-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) n += e->d_name[0] != '.' || strlen(e->d_name) > 2;
    closedir(d);
    return n;
}

static void teardown(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

TestSuite(emit, .init = setup, .fini = teardown);

Test(emit, named_output_appears_only_on_commit)
{
    char path[128];
    snprintf(path, sizeof path, "%s/alerts.jsonl", dir);
    FILE *f = fopen(path, "w");
    fputs("old run\n", f);
    fclose(f);
    txs_diag d;
    txs_out *o;
    cr_assert_eq(txs_out_open(path, &o, &d), TXS_OK);
    cr_assert_eq(txs_out_write(o, "new run\n", 8, &d), TXS_OK);
    cr_assert_str_eq(slurp(path), "old run\n"); /* not yet replaced */
    cr_assert_eq(entries(), 2);                 /* the file and its temporary */
    cr_assert_eq(txs_out_commit(o, &d), TXS_OK);
    cr_assert_str_eq(slurp(path), "new run\n");
    cr_assert_eq(entries(), 1);
}

Test(emit, abort_leaves_no_file_and_no_temporary)
{
    char path[128];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    txs_diag d;
    txs_out *o;
    cr_assert_eq(txs_out_open(path, &o, &d), TXS_OK);
    cr_assert_eq(txs_out_write(o, "{}", 2, &d), TXS_OK);
    txs_out_abort(o);
    cr_assert_eq(access(path, F_OK), -1);
    cr_assert_eq(entries(), 0);
}

/* A FIFO in the test's own directory stands in for /dev/null: should the
 * in-place rule ever regress, only the scratch directory is harmed. */
Test(emit, devices_and_fifos_are_written_in_place_not_replaced)
{
    char path[128];
    snprintf(path, sizeof path, "%s/pipe", dir);
    cr_assert_eq(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    if (pid == 0) { /* the reader: drain the FIFO, then exit */
        FILE *f = fopen(path, "rb");
        char buf[64];
        while (f && fread(buf, 1, sizeof buf, f) > 0) {}
        _exit(0);
    }
    txs_diag d;
    txs_out *o;
    cr_assert_eq(txs_out_open(path, &o, &d), TXS_OK);
    cr_assert_eq(txs_out_write(o, "x\n", 2, &d), TXS_OK);
    cr_assert_eq(txs_out_commit(o, &d), TXS_OK);
    int status;
    kill(pid, SIGKILL); /* bounded even if the output never opened the FIFO */
    waitpid(pid, &status, 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced by a file");
    cr_assert_eq(entries(), 1);
}

/* A write that fails (here: the file-size limit, in a child process, on a
 * file in the scratch directory) is reported, and neither the target nor a
 * temporary is left behind. */
Test(emit, a_failed_write_is_reported_and_leaves_nothing)
{
    char path[128];
    snprintf(path, sizeof path, "%s/alerts.jsonl", dir);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {4096, 4096};
        setrlimit(RLIMIT_FSIZE, &rl);
        txs_diag d = {{0}, 0, {0}};
        txs_out *o;
        if (txs_out_open(path, &o, &d) != TXS_OK) _exit(10);
        static char buf[1 << 16];
        memset(buf, 'x', sizeof buf);
        int rc = txs_out_write(o, buf, sizeof buf, &d);
        if (rc == TXS_OK) rc = txs_out_commit(o, &d);
        else txs_out_abort(o);
        _exit(rc == TXS_E_OUTPUT && strstr(d.msg, "write failed") ? 0 : 11);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    cr_assert_eq(access(path, F_OK), -1);
    cr_assert_eq(entries(), 0);
}

Test(emit, missing_directory_is_an_output_error)
{
    txs_diag d;
    txs_out *o = NULL;
    cr_assert_eq(txs_out_open("/nonexistent-dir/alerts.jsonl", &o, &d), TXS_E_OUTPUT);
    cr_assert_null(o);
    cr_assert(strstr(d.msg, "No such file") != NULL, "%s", d.msg);
}

Test(emit, json_strings_escape_one_way)
{
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } cases[] = {
        {"plain", 5, "\"plain\""},
        {"q\"b\\", 4, "\"q\\\"b\\\\\""},
        {"a\nb\tc\r", 6, "\"a\\nb\\tc\\r\""},
        {"\x01", 1, "\"\\u0001\""},
        {"\0z", 2, "\"\\u0000z\""},
        {"caf\xc3\xa9", 5, "\"caf\xc3\xa9\""},    /* valid UTF-8 kept */
        {"Al\xc3(ce", 6, "\"Al\\\\xc3(ce\""},      /* invalid: visible \xNN */
        {"\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\""}, /* a surrogate is not UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        txs_buf b = {0};
        txs_buf_json_str(&b, cases[i].in, cases[i].n);
        cr_assert_eq(b.n, strlen(cases[i].out), "case %zu: '%.*s'", i, (int)b.n, b.p);
        cr_assert(memcmp(b.p, cases[i].out, b.n) == 0, "case %zu: '%.*s'", i, (int)b.n, b.p);
        txs_buf_free(&b);
    }
}

/* Long strings take eight plain bytes at a time: a string of 24 bytes
 * with any byte value at any position must come out as its bytes escaped
 * one at a time (bytes under 0x80 escape alone; a lone byte from 0x80 is
 * no UTF-8 in either case). */
Test(emit, json_strings_escape_the_same_eight_at_a_time)
{
    for (size_t at = 0; at < 24; at++)
        for (int v = 0; v < 256; v++) {
            char in[24];
            memset(in, 'a' + (int)(at % 26), sizeof in);
            in[at] = (char)v;
            txs_buf whole = {0}, parts = {0}, one = {0};
            txs_buf_json_str(&whole, in, sizeof in);
            txs_buf_putc(&parts, '"');
            for (size_t i = 0; i < sizeof in; i++) {
                one.n = 0;
                txs_buf_json_str(&one, in + i, 1);
                txs_buf_put(&parts, one.p + 1, one.n - 2);
            }
            txs_buf_putc(&parts, '"');
            cr_assert_eq(whole.n, parts.n, "byte %d at %zu", v, at);
            cr_assert(memcmp(whole.p, parts.p, whole.n) == 0, "byte %d at %zu: %.*s", v, at,
                      (int)whole.n, whole.p);
            txs_buf_free(&whole);
            txs_buf_free(&parts);
            txs_buf_free(&one);
        }
}

/* An arena buffer grows inside its arena (evidence on the hot path) and
 * gives its bytes as a slice; the JSON helpers write the same text as on a
 * heap buffer. */
Test(emit, arena_buffer_grows_in_its_arena)
{
    txs_arena a;
    txs_arena_init(&a, 0);
    txs_buf b;
    txs_buf_init_arena(&b, &a, 4);
    txs_buf_puts(&b, "{");
    txs_buf_json_key(&b, "k", 1);
    txs_buf_json_cstr(&b, "a long value that does not fit in four bytes");
    txs_buf_json_key(&b, "n", 0);
    txs_buf_json_cstr(&b, NULL);
    txs_buf_putc(&b, '}');
    txs_slice s;
    cr_assert_eq(txs_buf_done(&b, &s), TXS_OK);
    const char *want = "{\"k\":\"a long value that does not fit in four bytes\",\"n\":null}";
    cr_assert_eq(s.n, strlen(want));
    cr_assert(memcmp(s.p, want, s.n) == 0, "'%.*s'", (int)s.n, s.p);
    txs_buf_free(&b); /* forgets the bytes; the arena owns them */
    cr_assert_null(b.p);
    txs_arena_free(&a);
}

/* The manifest printer works from the plain struct alone: optional blocks
 * (lists, rules, state) print only when given. */
Test(emit, manifest_prints_plain_struct)
{
    txs_manifest_input in = {"x.csv", "plain", 10, 0xab, 3, 1};
    uint64_t by_rule[1] = {2};
    const char *ids[1] = {"r1"};
    txs_manifest m = {.command = "c", .profile = "native", .inputs = &in, .ninputs = 1,
                      .has_rules = 1, .rules_spec = "default", .rules_name = "n",
                      .rules_version = "1", .rules_count = 1, .alerts_path = "-",
                      .read = 3, .screened = 2, .rejected = 1, .rule_ids = ids,
                      .alerts_by_rule = by_rule, .nrules = 1, .started_utc = "t",
                      .wall_seconds = 1.0};
    txs_buf b = {0};
    txs_manifest_print(&b, &m);
    txs_buf_putc(&b, '\0');
    cr_assert_eq(b.oom, 0);
    cr_assert_not_null(strstr(b.p, "\"file\": \"x.csv\", \"encoding\": \"plain\", \"bytes\": 10"));
    cr_assert_not_null(strstr(b.p, "\"lists\": [],\n"));
    cr_assert_not_null(strstr(b.p, "\"alerts_by_rule\": {\n    \"r1\": 2\n  },\n"));
    cr_assert_null(strstr(b.p, "sanctions_hits"));
    cr_assert_null(strstr(b.p, "\"state\""));
    cr_assert_not_null(strstr(b.p, "\"rejects\": null\n"));
    txs_buf_free(&b);
}

/* txs_fmt_fixed against printf's "%.Nf" on values of every kind the
 * alerts write (scores, weights, penalties), on exact ties of the binary
 * value (k / 2^j: 0.125, 0.375, 2.5 ...), on decimal near-ties (1.005,
 * 2.675), negative values and zeros, tiny and large magnitudes. */
static unsigned long long fx_state = 88172645463325252ull;
static unsigned long long fx_rand(void)
{
    fx_state ^= fx_state << 13, fx_state ^= fx_state >> 7, fx_state ^= fx_state << 17;
    return fx_state;
}

Test(emit, fixed_decimals_are_printfs)
{
    char a[TXS_FMT_FIXED_MAX], b[TXS_FMT_FIXED_MAX];
    long checked = 0;
    for (long i = 0; i < 2000000; i++) {
        double v;
        unsigned long long r = fx_rand();
        switch (i % 6) {
        case 0: v = (double)(r % 100000) / 100000.0 * 3.0; break;           /* scores, weights */
        case 1: v = (double)(long long)(r % 2000001 - 1000000) / 8192.0; break; /* binary ties */
        case 2: v = (double)(r % 100000) / 1000.0 + 0.005; break;          /* decimal near-ties */
        case 3: v = (double)(r % 1000003) * 1e-9 * ((r >> 40) & 1 ? -1 : 1); break;
        case 4: { double m; memcpy(&m, &r, sizeof m); v = m; } break;       /* any bit pattern */
        default: v = ldexp((double)(r >> 11), (int)(r % 80) - 100); break;
        }
        int dec = (int)(i % 5);
        size_t n = txs_fmt_fixed(a, v, dec);
        int k = snprintf(b, sizeof b, "%.*f", dec, v);
        cr_assert_eq((int)n, k, "%.17g with %d decimals: %s against %s", v, dec, a, b);
        cr_assert_str_eq(a, b, "%.17g with %d decimals", v, dec);
        checked++;
    }
    static const double edge[] = {0.0, -0.0, 0.125, 0.375, -0.125, 2.5, 3.5, 1.005, 2.675, 0.045, 1e-300, -1e-300, 9007199254740991.0, 9007199254740992.0, 1e300};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        for (int dec = 0; dec <= 4; dec++) {
            txs_fmt_fixed(a, edge[i], dec);
            snprintf(b, sizeof b, "%.*f", dec, edge[i]);
            cr_assert_str_eq(a, b, "%.17g with %d decimals", edge[i], dec);
        }
    cr_assert_eq(checked, 2000000);
}

/* txs_buf_dec and txs_buf_udec write what printf's %lld and %llu write,
 * at the ends of their ranges and on random values of every length. */
Test(emit, whole_numbers_are_printfs)
{
    static const long long sv[] = {0, 1, -1, 9, 10, -10, 99, 100, 2147483647LL, -2147483648LL,
                                   9223372036854775807LL, -9223372036854775807LL - 1};
    static const unsigned long long uv[] = {0, 1, 9, 10, 4294967295ULL, 4294967296ULL,
                                            18446744073709551615ULL};
    char want[64];
    for (int i = 0; i < 200000 + 19; i++) {
        long long v = i < 12 ? sv[i] : (long long)(fx_rand() >> (1 + fx_rand() % 63));
        unsigned long long u = i < 7 ? uv[i] : fx_rand() >> (fx_rand() % 64);
        if (i >= 12 && (i & 1)) v = -v;
        txs_buf b = {0};
        txs_buf_dec(&b, v);
        txs_buf_putc(&b, ' ');
        txs_buf_udec(&b, u);
        int k = snprintf(want, sizeof want, "%lld %llu", v, u);
        cr_assert_eq(b.n, (size_t)k, "%lld %llu", v, u);
        cr_assert(memcmp(b.p, want, b.n) == 0, "%.*s against %s", (int)b.n, b.p, want);
        txs_buf_free(&b);
    }
}

/* Large writes go straight to the file in whole 2 MiB units (out.c): the
 * file and the digest must be what buffered writes give, whatever the
 * sizes and the order of small and large writes. */
Test(emit, large_writes_same_bytes_and_digest)
{
    size_t n = (5u << 20) + 123;
    unsigned char *src = malloc(n);
    cr_assert_not_null(src);
    for (size_t i = 0; i < n; i++) src[i] = (unsigned char)(i * 2654435761u >> 13);
    /* {first write, second write}: one large; small then large (the
     * buffer holds bytes, so no straight write); large then large */
    static const size_t splits[][2] = {{(5u << 20) + 123, 0}, {7, (5u << 20) + 116},
                                       {2u << 20, (3u << 20) + 123}, {(2u << 20) + 1, (3u << 20) + 122}};
    for (size_t c = 0; c < sizeof splits / sizeof splits[0]; c++) {
        char path[128];
        snprintf(path, sizeof path, "%s/big-%zu.snap", dir, c);
        txs_diag d;
        txs_out *o;
        cr_assert_eq(txs_out_open(path, &o, &d), TXS_OK);
        cr_assert_eq(txs_out_write(o, src, splits[c][0], &d), TXS_OK);
        cr_assert_eq(txs_out_write(o, src + splits[c][0], splits[c][1], &d), TXS_OK);
        uint64_t bytes = 0, h = 0;
        cr_assert_eq(txs_out_digest(o, &bytes, &h, &d), TXS_OK);
        cr_expect_eq(bytes, n, "case %zu: %llu bytes", c, (unsigned long long)bytes);
        cr_expect_eq(h, XXH3_64bits(src, n), "case %zu: digest", c);
        cr_assert_eq(txs_out_commit(o, &d), TXS_OK);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f);
        unsigned char *back = malloc(n + 1);
        size_t got = fread(back, 1, n + 1, f);
        fclose(f);
        cr_expect_eq(got, n, "case %zu: file has %zu bytes", c, got);
        cr_expect(got == n && memcmp(back, src, n) == 0, "case %zu: file differs", c);
        free(back);
    }
    free(src);
}
