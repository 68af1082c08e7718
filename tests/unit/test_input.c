/*
 * test_input.c: txs_source (files, read functions, gzip and zstd detection
 * and streaming, raw byte count and xxh3, error texts) and the reader's
 * argument checks.  Compressed inputs are made here with zlib and libzstd,
 * and must give the same records as the plain bytes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include "input_test_util.h"

static const char plain[] =
    "\xEF\xBB\xBFid,name,amount\r\n"
    "1,\"Smith, John\",10.00\r\n"
    "2,\"multi\nline\",20\n"
    "\n"
    "3,\"bad\"x,30\n"
    "4,caf\xC3\xA9,40";

/* gzip-format deflate of p (one member). */
static size_t gzip_of(const void *p, size_t n, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t got = cap - z.avail_out;
    deflateEnd(&z);
    return got;
}

static char *dump_bytes(const void *p, size_t n, int mode, int with_raw)
{
    txs_reader_opts o = csv_opts(',', 1);
    return dump_opts(p, n, &o, mode, 31337, 0, with_raw);
}

/* Read a source fully; returns the plain bytes (malloc) and status. */
static unsigned char *read_all(txs_source *s, size_t *n, ssize_t *status)
{
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    *n = 0;
    for (;;) {
        if (cap - *n < 4096) buf = realloc(buf, cap *= 2);
        ssize_t got = txs_source_read(s, buf + *n, 4096);
        if (got <= 0) {
            *status = got;
            return buf;
        }
        *n += (size_t)got;
    }
}

Test(input, gzip_gives_same_records_as_plain)
{
    unsigned char gz[4096];
    size_t gn = gzip_of(plain, sizeof plain - 1, gz, sizeof gz);
    char *want = dump_bytes(plain, sizeof plain - 1, CHUNK_WHOLE, 1);
    for (int mode = CHUNK_WHOLE; mode <= CHUNK_RANDOM; mode++) {
        char *got = dump_bytes(gz, gn, mode, 1);
        cr_expect_str_eq(got, want, "mode %d", mode);
        free(got);
    }
    free(want);
}

Test(input, multi_member_gzip_reads_as_one_stream)
{
    unsigned char gz[8192];
    size_t half = 40;
    size_t n1 = gzip_of(plain, half, gz, sizeof gz);
    size_t n2 = gzip_of(plain + half, sizeof plain - 1 - half, gz + n1, sizeof gz - n1);
    char *want = dump_bytes(plain, sizeof plain - 1, CHUNK_WHOLE, 1);
    for (int mode = CHUNK_WHOLE; mode <= CHUNK_ONE; mode++) {
        char *got = dump_bytes(gz, n1 + n2, mode, 1);
        cr_expect_str_eq(got, want);
        free(got);
    }
    free(want);
}

Test(input, zstd_multi_frame_gives_same_records)
{
    unsigned char zs[8192];
    size_t half = 50;
    size_t n1 = ZSTD_compress(zs, sizeof zs, plain, half, 3);
    size_t n2 = ZSTD_compress(zs + n1, sizeof zs - n1, plain + half, sizeof plain - 1 - half, 19);
    cr_assert(!ZSTD_isError(n1) && !ZSTD_isError(n2));
    char *want = dump_bytes(plain, sizeof plain - 1, CHUNK_WHOLE, 1);
    for (int mode = CHUNK_WHOLE; mode <= CHUNK_RANDOM; mode++) {
        char *got = dump_bytes(zs, n1, mode, 1); /* first frame alone differs */
        cr_expect_str_neq(got, want);
        free(got);
        got = dump_bytes(zs, n1 + n2, mode, 1);
        cr_expect_str_eq(got, want, "mode %d", mode);
        free(got);
    }
    free(want);
}

/* A large compressed stream: the decoders' output fills the reader's
 * buffer many times (pending output must be flushed, not lost). */
Test(input, large_compressed_streams)
{
    size_t n = 0, rows = 200000;
    char *p = malloc(rows * 40);
    for (size_t i = 0; i < rows; i++) n += (size_t)sprintf(p + n, "%zu,row %zu,%zu.00\n", i, i * 7, i % 1000);
    size_t cap = ZSTD_compressBound(n);
    unsigned char *z = malloc(cap);
    for (int kind = 0; kind < 2; kind++) {
        size_t zn = kind ? ZSTD_compress(z, cap, p, n, 1) : gzip_of(p, n, z, cap);
        memsrc m = {(const char *)z, zn, 0, CHUNK_RANDOM, 3, 0, 0};
        txs_source *s;
        cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "big", &s), 0);
        size_t got;
        ssize_t st;
        unsigned char *out = read_all(s, &got, &st);
        cr_expect_eq(st, 0, "%s", txs_source_error(s));
        cr_expect_eq(got, n);
        cr_expect(memcmp(out, p, n) == 0);
        cr_expect_str_eq(txs_source_encoding(s), kind ? "zstd" : "gzip");
        cr_expect_eq(txs_source_raw_bytes(s), zn);
        cr_expect_eq(txs_source_raw_hash(s), XXH3_64bits(z, zn));
        free(out);
        txs_source_free(s);
    }
    free(z);
    free(p);
}

Test(input, truncated_gzip_is_decompress_error)
{
    unsigned char gz[4096];
    size_t gn = gzip_of(plain, sizeof plain - 1, gz, sizeof gz);
    char *got = dump_bytes(gz, gn - 6, CHUNK_WHOLE, 0);
    cr_expect(strstr(got, "~-9 mem: truncated gzip stream (input ended inside a member)\n") != NULL,
              "%s", got);
    free(got);
    /* Cut inside the header too. */
    got = dump_bytes(gz, 5, CHUNK_ONE, 0);
    cr_expect(strstr(got, "~-9 mem: truncated gzip stream") != NULL, "%s", got);
    free(got);
}

Test(input, truncated_zstd_is_decompress_error)
{
    unsigned char zs[4096];
    size_t zn = ZSTD_compress(zs, sizeof zs, plain, sizeof plain - 1, 3);
    char *got = dump_bytes(zs, zn - 3, CHUNK_WHOLE, 0);
    cr_expect(strstr(got, "~-9 mem: truncated zstd stream (input ended inside a frame)\n") != NULL,
              "%s", got);
    free(got);
}

Test(input, corrupt_gzip_is_decompress_error)
{
    unsigned char gz[4096];
    size_t gn = gzip_of(plain, sizeof plain - 1, gz, sizeof gz);
    for (size_t i = 12; i < gn - 8; i++) gz[i] ^= 0x5a;
    char *got = dump_bytes(gz, gn, CHUNK_WHOLE, 0);
    cr_expect(strstr(got, "~-9 mem: corrupt gzip data: ") != NULL, "%s", got);
    free(got);
}

Test(input, plain_source_counts_and_hashes_raw_bytes)
{
    memsrc m = {plain, sizeof plain - 1, 0, CHUNK_ONE, 1, 0, 0};
    txs_source *s;
    cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "named", &s), 0);
    cr_expect_str_eq(txs_source_name(s), "named");
    size_t got;
    ssize_t st;
    unsigned char *out = read_all(s, &got, &st);
    cr_expect_eq(st, 0);
    cr_expect_eq(got, sizeof plain - 1);
    cr_expect(memcmp(out, plain, got) == 0);
    cr_expect_str_eq(txs_source_encoding(s), "plain");
    cr_expect_eq(txs_source_raw_bytes(s), sizeof plain - 1);
    cr_expect_eq(txs_source_raw_hash(s), XXH3_64bits(plain, sizeof plain - 1));
    cr_expect_str_eq(txs_source_error(s), "");
    cr_expect_eq(txs_source_read(s, out, 10), 0); /* stays at end */
    free(out);
    txs_source_free(s);
}

Test(input, short_inputs_that_look_like_magic)
{
    /* One byte of the gzip magic, two of zstd's: plain. */
    char *got = dump_csv("\x1f", 1, ',', 0);
    cr_expect_str_eq(got, "1@0 \\x1F\n");
    free(got);
    memsrc m = {"\x28\xb5", 2, 0, CHUNK_WHOLE, 1, 0, 0};
    txs_source *s;
    cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "m", &s), 0);
    char buf[8];
    cr_expect_eq(txs_source_read(s, buf, sizeof buf), 2);
    cr_expect_str_eq(txs_source_encoding(s), "plain");
    txs_source_free(s);
}

Test(input, read_error_is_io_with_errno_text)
{
    memsrc m = {plain, sizeof plain - 1, 0, CHUNK_ONE, 1, 20, 0};
    txs_source *s;
    txs_reader *r;
    txs_reader_opts o = csv_opts(',', 0);
    cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "flaky", &s), 0);
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    cr_expect_eq(txs_reader_attach(r, s), TXS_E_IO);
    cr_expect_str_eq(txs_source_error(s), "flaky: read error: Input/output error");
    cr_expect_str_eq(txs_reader_error(r), "flaky: read error: Input/output error");
    txs_batch b;
    txs_batch_init(&b);
    cr_expect_eq(txs_reader_next(r, &b), TXS_E_IO); /* sticky */
    txs_batch_free(&b);
    txs_reader_free(r);
    txs_source_free(s);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

Test(input, open_path_reads_plain_and_compressed_files)
{
    char dir[] = "/tmp/txs_input_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    unsigned char z[4096];
    const char *names[] = {"t.csv", "t.csv.gz", "t.csv.zst"};
    size_t zn[3] = {sizeof plain - 1, gzip_of(plain, sizeof plain - 1, z, sizeof z), 0};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (k == 0) write_file(path, plain, zn[0]);
        if (k == 1) write_file(path, z, zn[1]);
        if (k == 2) {
            zn[2] = ZSTD_compress(z, sizeof z, plain, sizeof plain - 1, 3);
            write_file(path, z, zn[2]);
        }
        txs_source *s;
        txs_diag d;
        cr_assert_eq(txs_source_open_path(path, &s, &d), 0);
        cr_expect_str_eq(txs_source_name(s), path);
        size_t got;
        ssize_t st;
        unsigned char *out = read_all(s, &got, &st);
        cr_expect_eq(st, 0);
        cr_expect_eq(got, sizeof plain - 1);
        cr_expect(memcmp(out, plain, got) == 0);
        cr_expect_eq(txs_source_raw_bytes(s), zn[k]);
        free(out);
        txs_source_free(s);
        unlink(path);
    }
    rmdir(dir);
}

Test(input, open_path_missing_file_names_it)
{
    txs_source *s = (txs_source *)1;
    txs_diag d;
    int rc = txs_source_open_path("/nonexistent/dir/x.csv", &s, &d);
    cr_expect_eq(rc, TXS_E_NOTFOUND);
    cr_expect_null(s);
    cr_expect_str_eq(d.file, "/nonexistent/dir/x.csv");
    cr_expect_str_eq(d.msg, "cannot open /nonexistent/dir/x.csv: No such file or directory");
    cr_expect_eq(txs_source_open_path("/tmp", &s, &d), TXS_E_IO);
    cr_expect(strstr(d.msg, "Is a directory") != NULL, "%s", d.msg);
    cr_expect_eq(txs_source_open_path("/nonexistent", &s, NULL), TXS_E_NOTFOUND);
}

Test(input, argument_checks)
{
    txs_source *s = NULL;
    txs_reader *r = NULL;
    char buf[4];
    cr_expect_eq(txs_source_open_fn(NULL, NULL, "x", &s), TXS_E_ARG);
    cr_expect_eq(txs_source_open_fn(memsrc_read, NULL, "x", NULL), TXS_E_ARG);
    cr_expect_eq(txs_source_open_path(NULL, &s, NULL), TXS_E_ARG);
    cr_expect_eq(txs_source_read(NULL, buf, 4), TXS_E_ARG);
    cr_expect_eq(txs_reader_create(NULL, &r), TXS_E_ARG);
    cr_expect_eq(txs_reader_attach(NULL, NULL), TXS_E_ARG);
    txs_batch b;
    txs_batch_init(&b);
    cr_expect_eq(txs_reader_next(NULL, &b), TXS_E_ARG);
    txs_reader_opts o = csv_opts(',', 0);
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    cr_expect_eq(txs_reader_next(r, &b), TXS_E_ARG); /* no source attached */
    size_t n = 99;
    cr_expect_not_null(txs_reader_header(r, &n));
    cr_expect_eq(n, 0);
    txs_reader_free(r);
    txs_batch_free(&b);
    txs_batch_free(&b); /* twice is fine */
    txs_source_free(NULL);
    txs_reader_free(NULL);
    cr_expect_str_eq(txs_source_name(NULL), "");
    cr_expect_eq(txs_source_raw_bytes(NULL), 0);
}

/* One reader over several sources: counters and header reset per source. */
Test(input, reader_reattaches)
{
    txs_reader_opts o = csv_opts(',', 1);
    txs_reader *r;
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    const char *ins[] = {"a,b\n1,2\n", "x,y,z\n\n7,8,9\n"};
    const char *want[] = {"1,2@4", "7,8,9@7"};
    txs_batch b;
    txs_batch_init(&b);
    for (int k = 0; k < 2; k++) {
        memsrc m = {ins[k], strlen(ins[k]), 0, CHUNK_WHOLE, 1, 0, 0};
        txs_source *s;
        cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "m", &s), 0);
        cr_assert_eq(txs_reader_attach(r, s), 0);
        size_t nh;
        txs_reader_header(r, &nh);
        cr_expect_eq(nh, (size_t)(2 + k));
        cr_assert_eq(txs_reader_next(r, &b), 1);
        char got[32];
        snprintf(got, sizeof got, "%.*s@%llu", (int)b.rec[0].raw.n, b.rec[0].raw.p,
                 (unsigned long long)b.rec[0].offset);
        cr_expect_str_eq(got, want[k]);
        cr_expect_eq(b.rec[0].line, (uint64_t)(2 + k));
        cr_expect_eq(txs_reader_next(r, &b), 0);
        txs_source_free(s);
    }
    txs_batch_free(&b);
    txs_reader_free(r);
}
