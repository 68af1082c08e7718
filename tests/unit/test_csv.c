/*
 * test_csv.c: CSV framing and splitting (txs_reader with TXS_FMT_CSV).
 * Dialects and error kinds are tables of input -> expected dump (see
 * input_test_util.h for the dump format); invariance tests check that the
 * same bytes give the same records whatever the read chunking and whether
 * the AVX2 or the scalar scanner runs.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>

#include "input_test_util.h"

typedef struct csv_case {
    const char *name;
    char delim;
    int header;
    const char *in;
    const char *want;
    size_t len; /* 0: strlen(in); set for inputs holding NUL bytes */
} csv_case;

/* Every case is also run through 1-byte reads and the scalar scanner. */
static void check_case(const csv_case *c)
{
    txs_reader_opts o = csv_opts(c->delim, c->header);
    size_t n = c->len ? c->len : strlen(c->in);
    for (int scalar = 0; scalar <= 1; scalar++) {
        for (int mode = CHUNK_WHOLE; mode <= CHUNK_ONE; mode++) {
            char *got = dump_opts(c->in, n, &o, mode, 0, scalar, 0);
            cr_expect_str_eq(got, c->want, "%s (scalar=%d mode=%d)\n got:\n%s\nwant:\n%s", c->name,
                             scalar, mode, got, c->want);
            free(got);
        }
    }
}

static csv_case dialects[] = {
    {"comma", ',', 0, "a,b,c\n1,2,3\n", "1@0 a|b|c\n2@6 1|2|3\n", 0},
    {"semicolon", ';', 0, "a;b,c\n1;2\n", "1@0 a|b,c\n2@6 1|2\n", 0},
    {"pipe", '|', 0, "a|b\n\"x|y\"|z\n", "1@0 a|b\n2@4 x\\|y|z\n", 0},
    {"tab", '\t', 0, "a\tb c\t\n", "1@0 a|b c|\n", 0},
    {"bom", ',', 0, "\xEF\xBB\xBF" "a,b\nc,d\n", "1@3 a|b\n2@7 c|d\n", 0},
    {"bom only", ',', 0, "\xEF\xBB\xBF", "", 0},
    {"crlf", ',', 0, "a,b\r\nc,d\r\n", "1@0 a|b\n2@5 c|d\n", 0},
    {"no trailing newline", ',', 0, "a,b\nc,d", "1@0 a|b\n2@4 c|d\n", 0},
    {"trailing cr at eof", ',', 0, "a,b\r", "1@0 a|b\n", 0},
    {"lone cr kept", ',', 0, "a\rb,c\n", "1@0 a\\rb|c\n", 0},
    {"empty fields", ',', 0, ",,\n,\n", "1@0 ||\n2@3 |\n", 0},
    {"empty lines skipped", ',', 0, "\n\na\n\r\n\nb\n\n", "3@2 a\n6@7 b\n", 0},
    {"empty input", ',', 0, "", "", 0},
    {"quoted delimiter", ',', 0, "\"a,b\",c\n", "1@0 a,b|c\n", 0},
    {"doubled quotes", ',', 0, "\"say \"\"hi\"\"\",x\n", "1@0 say \"hi\"|x\n", 0},
    {"only doubled quote", ',', 0, "\"\"\"\"\n", "1@0 \"\n", 0},
    {"empty quoted", ',', 0, "\"\",\"\"\n", "1@0 |\n", 0},
    {"quoted newline counts lines", ',', 0, "\"a\nb\",c\nd\n", "1@0 a\\nb|c\n3@8 d\n", 0},
    {"quoted crlf kept", ',', 0, "\"a\r\nb\"\r\nc\r\n", "1@0 a\\r\\nb\n3@8 c\n", 0},
    {"quoted last field crlf", ',', 0, "x,\"y\"\r\n", "1@0 x|y\n", 0},
    {"quoted empty line inside", ',', 0, "\"a\n\nb\"\nc\n", "1@0 a\\n\\nb\n4@7 c\n", 0},
    {"utf8 ok", ',', 0, "caf\xC3\xA9,\xF0\x9F\x98\x80\n", "1@0 caf\\xC3\\xA9|\\xF0\\x9F\\x98\\x80\n", 0},
    {"header", ',', 1, "a,b\n1,2\n", "H a|b\n2@4 1|2\n", 0},
    {"header bom crlf", ',', 1, "\xEF\xBB\xBF" "a,\"b\"\r\n1,2\r\n", "H a|b\n2@10 1|2\n", 0},
    {"header after empty lines", ',', 1, "\n\na,b\n1,2\n", "H a|b\n4@6 1|2\n", 0},
    {"header only", ',', 1, "a,b,c\n", "H a|b|c\n", 0},
    {"header empty source", ',', 1, "", "", 0},
    {"header=0 no count check", ',', 0, "a,b\n1\n1,2,3\n", "1@0 a|b\n2@4 1\n3@6 1|2|3\n", 0},
};

/* Parameters are indices: Criterion may run each test in a fresh process
 * image, where pointers into the table would not be valid. */
ParameterizedTestParameters(csv, dialects)
{
    static size_t idx[TXS_ARRAY_LEN(dialects)];
    for (size_t i = 0; i < TXS_ARRAY_LEN(idx); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, TXS_ARRAY_LEN(idx));
}

ParameterizedTest(size_t *i, csv, dialects)
{
    check_case(&dialects[*i]);
}

static csv_case errors[] = {
    {"unterminated at eof", ',', 0, "a,\"bc\n",
     "1@0 !1 raw=<a,\"bc> unterminated quoted field (opened at byte 3 of the record)\n", 0},
    {"unterminated resumes at first LF", ',', 0, "x\na,\"b\nc,d\ne,f\n",
     "1@0 x\n2@2 !1 raw=<a,\"b> unterminated quoted field (opened at byte 3 of the record)\n"
     "3@7 c|d\n4@11 e|f\n", 0},
    {"unterminated without newline", ',', 0, "a,\"b",
     "1@0 !1 raw=<a,\"b> unterminated quoted field (opened at byte 3 of the record)\n", 0},
    {"unterminated after doubled quote", ',', 0, "\"b\"\"\n",
     "1@0 !1 raw=<\"b\"\"> unterminated quoted field (opened at byte 1 of the record)\n", 0},
    {"text after closing quote", ',', 0, "a,b,\"c\"d\nok\n",
     "1@0 !2 raw=<a,b,\"c\"d> text after closing quote in field 3\n2@9 ok\n", 0},
    {"quote inside unquoted field", ',', 0, "ab\"c\"d,e\n",
     "1@0 !2 raw=<ab\"c\"d,e> quote inside unquoted field 1\n", 0},
    {"stray quote resumes at first LF", ',', 0, "a,5\" x\nb,c\n",
     "1@0 !2 raw=<a,5\" x> quote inside unquoted field 2\n2@7 b|c\n", 0},
    {"nul byte", ',', 0, "a,b\0c\nd\n", "1@0 !5 raw=<a,b\\x00c> NUL byte at byte 4 of the record\n2@6 d\n", 8},
    {"nul in quotes", ',', 0, "\"\0\"\n", "1@0 !5 raw=<\"\\x00\"> NUL byte at byte 2 of the record\n", 4},
    {"utf8 truncated", ',', 0, "ab\xC3\n", "1@0 !6 raw=<ab\\xC3> invalid UTF-8 at byte 3 of the record\n", 0},
    {"utf8 overlong", ',', 0, "\xC0\xAF\n", "1@0 !6 raw=<\\xC0\\xAF> invalid UTF-8 at byte 1 of the record\n", 0},
    {"utf8 overlong 3", ',', 0, "x\xE0\x80\xAF\n", "1@0 !6 raw=<x\\xE0\\x80\\xAF> invalid UTF-8 at byte 2 of the record\n", 0},
    {"utf8 surrogate", ',', 0, "\xED\xA0\x80\n", "1@0 !6 raw=<\\xED\\xA0\\x80> invalid UTF-8 at byte 1 of the record\n", 0},
    {"utf8 above max", ',', 0, "\xF4\x90\x80\x80\n", "1@0 !6 raw=<\\xF4\\x90\\x80\\x80> invalid UTF-8 at byte 1 of the record\n", 0},
    {"utf8 stray continuation", ',', 0, "a,\x80\n", "1@0 !6 raw=<a,\\x80> invalid UTF-8 at byte 3 of the record\n", 0},
    {"utf8 f5", ',', 0, "\xF5\x80\x80\x80\n", "1@0 !6 raw=<\\xF5\\x80\\x80\\x80> invalid UTF-8 at byte 1 of the record\n", 0},
    {"columns vs header", ',', 1, "a,b,c\n1,2\n1,2,3\n1,2,3,4\n",
     "H a|b|c\n2@6 !7 raw=<1,2> expected 3 fields (as the header), found 2\n3@10 1|2|3\n"
     "4@16 !7 raw=<1,2,3,4> expected 3 fields (as the header), found 4\n", 0},
    {"bad header", ',', 1, "a,\"b\n1,2\n", "~-5 mem:1: bad header: unterminated quoted field (opened at byte 3 of the record)\n", 0},
};

/* Parameters are indices: Criterion may run each test in a fresh process
 * image, where pointers into the table would not be valid. */
ParameterizedTestParameters(csv, errors)
{
    static size_t idx[TXS_ARRAY_LEN(errors)];
    for (size_t i = 0; i < TXS_ARRAY_LEN(idx); i++) idx[i] = i;
    return cr_make_param_array(size_t, idx, TXS_ARRAY_LEN(idx));
}

ParameterizedTest(size_t *i, csv, errors)
{
    check_case(&errors[*i]);
}

/* Field count limits: TXS_MAX_FIELDS is fine, one more is rejected. */
Test(csv, too_many_fields)
{
    char line[1024];
    size_t n = 0;
    for (unsigned i = 0; i < TXS_MAX_FIELDS + 1; i++) n += (size_t)sprintf(line + n, "%s%u", i ? "," : "", i % 10);
    line[n++] = '\n';
    memcpy(line + n, line, n); /* second line: drop one field */
    size_t n2 = n + n - 3;
    line[n2 - 1] = '\n';
    txs_reader_opts o = csv_opts(',', 0);
    for (int scalar = 0; scalar <= 1; scalar++) {
        char *got = dump_opts(line, n2, &o, CHUNK_WHOLE, 0, scalar, 0);
        cr_assert(strstr(got, "1@0 !4 ") != NULL, "%s", got);
        cr_assert(strstr(got, "more than 128 fields") != NULL, "%s", got);
        cr_assert(strstr(got, "2@258 0|1|2|3|") != NULL, "%s", got);
        cr_assert(strstr(got, "|5|6|\n") != NULL, "%s", got);
        free(got);
    }
}

/* Build a record of exactly len bytes including its LF. */
static char *record_of(size_t len, char fill)
{
    char *p = malloc(len + 16);
    memset(p, fill, len - 1);
    p[len - 1] = '\n';
    strcpy(p + len, "next,ok\n");
    return p;
}

Test(csv, record_at_limit_is_fine_one_more_is_too_long)
{
    txs_reader_opts o = csv_opts(',', 0);
    for (int extra = 0; extra <= 1; extra++) {
        char *p = record_of(TXS_MAX_RECORD + (size_t)extra, 'x');
        size_t n = TXS_MAX_RECORD + (size_t)extra + 8;
        for (int mode = CHUNK_WHOLE; mode <= CHUNK_RANDOM; mode++) {
            char *got = dump_opts(p, n, &o, mode, 7, 0, 0);
            if (extra == 0) cr_expect(strncmp(got, "1@0 xxxx", 8) == 0, "mode %d", mode);
            else cr_expect(strstr(got, "1@0 !3 raw=<xxxx") == got, "mode %d", mode);
            if (extra) cr_expect(strstr(got, "> record longer than 262144 bytes\n") != NULL);
            char want[64];
            snprintf(want, sizeof want, "2@%u next|ok\n", TXS_MAX_RECORD + extra);
            cr_expect(strstr(got, want) != NULL, "mode %d: %s", mode, got + strlen(got) - 40);
            free(got);
        }
        free(p);
    }
}

/* A 1 MB field: one TOO_LONG reject (raw cut to TXS_MAX_RECORD), and the
 * next record reads fine, with correct line and offset, memory bounded by
 * the reader's buffer. */
Test(csv, one_megabyte_field)
{
    size_t big = 1u << 20;
    char *p = malloc(big + 64);
    size_t n = (size_t)sprintf(p, "a,b\n1,");
    memset(p + n, 'z', big);
    n += big;
    n += (size_t)sprintf(p + n, ",3\n4,5\n");
    txs_reader_opts o = csv_opts(',', 0);
    for (int mode = CHUNK_WHOLE; mode <= CHUNK_RANDOM; mode++) {
        memsrc m = {p, n, 0, mode, 99, 0, 0};
        txs_source *s;
        txs_reader *r;
        cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "big", &s), 0);
        cr_assert_eq(txs_reader_create(&o, &r), 0);
        cr_assert_eq(txs_reader_attach(r, s), 0);
        txs_batch b;
        txs_batch_init(&b);
        size_t total = 0, rejects = 0;
        int rc;
        uint64_t last_line = 0, last_off = 0;
        while ((rc = txs_reader_next(r, &b)) > 0) {
            for (size_t i = 0; i < b.n; i++) {
                total++;
                if (b.rec[i].error == TXS_FRAME_TOO_LONG) {
                    rejects++;
                    cr_expect_eq(b.rec[i].raw.n, TXS_MAX_RECORD);
                    cr_expect_eq(b.rec[i].line, 2);
                    cr_expect_eq(b.rec[i].offset, 4);
                }
                last_line = b.rec[i].line;
                last_off = b.rec[i].offset;
            }
        }
        cr_expect_eq(rc, 0);
        cr_expect_eq(total, 3, "mode %d", mode);
        cr_expect_eq(rejects, 1);
        cr_expect_eq(last_line, 3);
        cr_expect_eq(last_off, n - 4);
        txs_batch_free(&b);
        txs_reader_free(r);
        txs_source_free(s);
    }
    free(p);
}

/* A quoted field longer than the limit is TOO_LONG too, and reading
 * resumes at the first LF after the record's start. */
Test(csv, long_quoted_field_resumes_at_first_lf)
{
    size_t big = TXS_MAX_RECORD + 1000;
    char *p = malloc(big + 64);
    size_t n = (size_t)sprintf(p, "x,\"abc\nnext,1\n");
    memset(p + n, 'q', big);
    n += big;
    n += (size_t)sprintf(p + n, "\"\nlast\n");
    char *got = dump_csv(p, n, ',', 0);
    const char *want = "1@0 !3 raw=<x,\"abc> record longer than 262144 bytes\n2@7 next|1\n";
    cr_expect(strncmp(got, want, strlen(want)) == 0, "%.200s", got);
    free(got);
    free(p);
}

static const char rich[] =
    "\xEF\xBB\xBFid,name,note\r\n"
    "1,plain,\"quoted, with comma\"\r\n"
    "\n"
    "2,\"multi\nline\",\"say \"\"x\"\"\"\n"
    "3,caf\xC3\xA9,\r\n"
    "4,\"a\r\nb\",c\n"
    "5,\"unterminated,x\n"
    "6,bad\"quote,z\n"
    "7,\"closed\"junk,z\n"
    "8,nul\0here,z\n"
    "9,\xFF\xFE,z\n"
    "10,,\n"
    "\r\n"
    "11,last,\"no newline\"";

/* The same bytes, every chunking, both scanners: identical records. */
Test(csv, chunk_and_scanner_invariance)
{
    size_t n = sizeof rich - 1;
    for (int header = 0; header <= 1; header++) {
        txs_reader_opts o = csv_opts(',', header);
        char *ref = dump_opts(rich, n, &o, CHUNK_WHOLE, 0, 0, 1);
        cr_assert(strstr(ref, "11@") != NULL, "%s", ref);
        for (int scalar = 0; scalar <= 1; scalar++) {
            for (int mode = CHUNK_WHOLE; mode <= CHUNK_RANDOM; mode++) {
                for (uint64_t seed = 1; seed <= (mode == CHUNK_RANDOM ? 20u : 1u); seed++) {
                    char *got = dump_opts(rich, n, &o, mode, seed * 7919, scalar, 1);
                    cr_assert_str_eq(got, ref, "scalar=%d mode=%d seed=%llu", scalar, mode,
                                     (unsigned long long)seed);
                    free(got);
                }
            }
        }
        free(ref);
    }
}

/* An LF inside quotes in a 64-byte block that holds no quote (found by
 * fuzzing: the AVX2 path once missed it and miscounted lines). */
Test(csv, quoted_newline_in_plain_block_counts_line)
{
    char in[400];
    int n = snprintf(in, sizeof in, "\"%.*s\n%.*s\"\nx\n", 100,
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                     100,
                     "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    txs_reader_opts o = csv_opts(',', 0);
    for (int scalar = 0; scalar <= 1; scalar++) {
        char *got = dump_opts(in, (size_t)n, &o, CHUNK_WHOLE, 0, scalar, 0);
        cr_expect(strstr(got, "\n3@204 x\n") != NULL, "scalar=%d: %s", scalar, got);
        free(got);
    }
}

/* Random bytes from a CSV-ish alphabet: the AVX2 and scalar scanners, and
 * whole vs random chunking, must agree on every record. */
Test(csv, simd_matches_scalar_on_random_input)
{
    static const char *const alpha[] = {"a", "b", ",", ";", "\"", "\"", "\n", "\r\n", "\r",
                                        "\0", "\xC3\xA9", "\xFF", " ", "xyz", "\"\"",
                                        /* long plain runs: blocks with no quote or high byte */
                                        "plain-run-plain-run-plain-run-plain-run-plain-run-plain-run-",
                                        "0123456789012345678901234567890123456789,0123456789"};
    uint64_t seed = 12345;
    char *buf = malloc(70000);
    for (int iter = 0; iter < 400; iter++) {
        size_t target = (size_t)(tu_rand(&seed) % (iter < 300 ? 300 : 60000)), n = 0;
        while (n < target) {
            const char *t = alpha[tu_rand(&seed) % TXS_ARRAY_LEN(alpha)];
            size_t tl = t[0] ? strlen(t) : 1;
            memcpy(buf + n, t, tl);
            n += tl;
        }
        char delim = (iter & 1) ? ',' : ';';
        txs_reader_opts o = csv_opts(delim, iter % 3 == 0);
        char *a = dump_opts(buf, n, &o, CHUNK_WHOLE, 0, 0, 1);
        char *b = dump_opts(buf, n, &o, CHUNK_RANDOM, seed, 1, 1);
        cr_assert_str_eq(a, b, "iteration %d", iter);
        free(a);
        free(b);
    }
    free(buf);
}

/* More than 10 MB, random chunks: every record read, lines and offsets
 * right, batches never larger than the reader's limit (batch_records, 0:
 * TXS_BATCH_RECORDS) and full up to it. */
static void stream_large(size_t batch_records, size_t limit)
{
    size_t rows = 150000, n = 0;
    char *p = malloc(rows * 100 + 16);
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(p + n, "%zu,\"name, %zu\",%s,padding-padding-padding-padding-padding-padding\n",
                             i, i, (i % 7) ? "x" : "multi\nline");
    cr_assert(n > 10u * 1000 * 1000);
    /* The multi\nline values are unquoted: each splits a row in two. */
    txs_reader_opts o = csv_opts(',', 0);
    o.batch_records = batch_records;
    memsrc m = {p, n, 0, CHUNK_RANDOM, 4242, 0, 0};
    txs_source *s;
    txs_reader *r;
    cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "large", &s), 0);
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    cr_assert_eq(txs_reader_attach(r, s), 0);
    txs_batch b;
    txs_batch_init(&b);
    size_t recs = 0, batches = 0;
    uint64_t line = 0, off = 0;
    int rc;
    while ((rc = txs_reader_next(r, &b)) > 0) {
        cr_assert_leq(b.n, limit);
        batches++;
        for (size_t i = 0; i < b.n; i++) {
            cr_assert_eq(b.rec[i].line, line + 1);
            cr_assert_eq(b.rec[i].offset, off);
            cr_assert_eq(b.rec[i].error, TXS_FRAME_OK);
            line = b.rec[i].line;
            off += b.rec[i].raw.n + 1;
            recs++;
        }
    }
    cr_expect_eq(rc, 0);
    cr_expect_eq(recs, rows + (rows + 6) / 7);
    cr_expect_eq(off, n);
    cr_expect_gt(batches, recs / limit);
    cr_expect_lt(batches, 3 * (recs / limit + 1)); /* not cut far short of it */
    cr_expect_eq(txs_source_raw_bytes(s), n);
    txs_batch_free(&b);
    txs_reader_free(r);
    txs_source_free(s);
    free(p);
}

Test(csv, streams_large_input) { stream_large(0, TXS_BATCH_RECORDS); }

Test(csv, streams_large_input_in_one_thread_batches)
{
    stream_large(TXS_BATCH_RECORDS_ONE, TXS_BATCH_RECORDS_ONE);
    stream_large(100, 100);
    stream_large(TXS_BATCH_RECORDS + 1, TXS_BATCH_RECORDS); /* capped */
}

/* Unquoted fields borrow from the read buffer (within raw); only fields
 * with doubled quotes are copied. */
/* A batch limit changes where batches end, never the records: down to
 * one record a batch, with a record of the most fields allowed (its pool
 * must still hold one such record). */
Test(csv, small_batches_frame_the_same_records)
{
    char wide[TXS_MAX_FIELDS * 2 + 2];
    size_t nw = 0;
    for (unsigned i = 0; i < TXS_MAX_FIELDS; i++) nw += (size_t)sprintf(wide + nw, "%s%u", i ? "," : "", i % 10);
    wide[nw++] = '\n';
    size_t nr = sizeof rich - 1, n = nw + nr + 1 + nw; /* rich holds a NUL: not strlen */
    char *data = malloc(n);
    memcpy(data, wide, nw);
    memcpy(data + nw, rich, nr);
    data[nw + nr] = '\n';
    memcpy(data + nw + nr + 1, wide, nw);
    static const size_t limits[] = {1, 2, 7, TXS_BATCH_RECORDS_ONE};
    for (int scalar = 0; scalar <= 1; scalar++) {
        txs_reader_opts o = csv_opts(',', 0);
        char *ref = dump_opts(data, n, &o, CHUNK_RANDOM, 7, scalar, 1);
        cr_assert(strstr(ref, "|4|5|6|7 raw=<0,1,2,") != NULL, "the wide record is read: %s", ref);
        for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
            o.batch_records = limits[k];
            char *got = dump_opts(data, n, &o, CHUNK_RANDOM, 7, scalar, 1);
            cr_assert_str_eq(got, ref, "batch_records %zu, scalar %d", limits[k], scalar);
            free(got);
        }
        free(ref);
    }
    free(data);
}

Test(csv, fields_borrow_unless_unescaped)
{
    const char *in = "ab,\"cd\",\"e\"\"f\"\n";
    txs_reader_opts o = csv_opts(',', 0);
    memsrc m = {in, strlen(in), 0, CHUNK_WHOLE, 1, 0, 0};
    txs_source *s;
    txs_reader *r;
    txs_source_open_fn(memsrc_read, &m, "m", &s);
    txs_reader_create(&o, &r);
    txs_reader_attach(r, s);
    txs_batch b;
    txs_batch_init(&b);
    cr_assert_eq(txs_reader_next(r, &b), 1);
    const txs_record *rec = &b.rec[0];
    cr_assert_eq(rec->nfields, 3);
    cr_expect(rec->fields[0].p == rec->raw.p);
    cr_expect(rec->fields[1].p == rec->raw.p + 4);
    cr_expect(rec->fields[2].p < rec->raw.p || rec->fields[2].p >= rec->raw.p + rec->raw.n);
    cr_expect_eq(txs_reader_next(r, &b), 0);
    txs_batch_free(&b);
    txs_reader_free(r);
    txs_source_free(s);
}

Test(csv, bad_options_rejected)
{
    txs_reader *r = (txs_reader *)1;
    txs_reader_opts o = csv_opts('\n', 0);
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    cr_expect_null(r);
    o = csv_opts('"', 0);
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    o = csv_opts(',', 0);
    o.quote = '\r';
    cr_expect_eq(txs_reader_create(&o, &r), TXS_E_ARG);
    cr_expect_eq(txs_reader_create(NULL, &r), TXS_E_ARG);
    o = (txs_reader_opts){0}; /* zeroed options mean comma and double quote */
    cr_assert_eq(txs_reader_create(&o, &r), 0);
    txs_reader_free(r);
}

/* The AVX2 UTF-8 check (used by the window path) accepts exactly what the
 * reference validator accepts: random strings over lead, continuation and
 * ASCII bytes, of every length around the 32-byte step. */
Test(csv, simd_utf8_check_matches_reference)
{
    if (!txs__input_have_simd()) cr_skip_test("no AVX2");
    static const unsigned char pick[] = {'a', ' ', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                         0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                         0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF, 0x00};
    uint64_t seed = 777;
    unsigned char buf[200];
    size_t agree_valid = 0;
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = (size_t)(tu_rand(&seed) % 100);
        int ascii_run = (int)(tu_rand(&seed) % 3);
        for (size_t i = 0; i < n; i++)
            buf[i] = (ascii_run && i < 40) ? 'x' : pick[tu_rand(&seed) % sizeof pick];
        /* Mostly valid text too: append well-formed sequences. */
        if (iter & 1) {
            static const char *const good[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                               "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF", "z"};
            n = 0;
            while (n < 90) {
                const char *g = good[tu_rand(&seed) % 6];
                memcpy(buf + n, g, strlen(g));
                n += strlen(g);
            }
            if (iter % 4 == 1) buf[tu_rand(&seed) % n] = pick[tu_rand(&seed) % sizeof pick];
            if (iter % 8 == 3) n -= 1 + tu_rand(&seed) % 3; /* cut a sequence short */
        }
        int ref = txs__input_utf8_check((const char *)buf, n) == n;
        int simd = txs__input_utf8_valid_simd((const char *)buf, n);
        cr_assert_eq(simd, ref, "iteration %d, %zu bytes", iter, n);
        agree_valid += (size_t)ref;
    }
    cr_expect_gt(agree_valid, 50000u); /* both outcomes well covered */
}

/* Records of every kind the window path hands back to the per-record path
 * (doubled quotes, NUL, LF in quotes, stray quotes, more than
 * TXS_MAX_FIELDS fields, CR after a closing quote), mixed with plain,
 * quoted, empty and rejected ones, over several 64 KiB windows: the window
 * path (AVX2) and the scalar path give the same records. */
Test(csv, windows_match_scalar_on_mixed_records)
{
    static const char *const kinds[] = {
        "1,plain,row,x\n", "2,\"quoted, comma\",x,y\n", "3,\"say \"\"hi\"\"\",x,y\n",
        "4,nul\0here,x,y\n", "5,\"multi\nline\",x,y\n", "6,bad\"quote,x,y\n",
        "7,\"closed\"junk,x,y\n", "\n", "\r\n", "8,caf\xC3\xA9,\"\xE2\x82\xAC\",y\r\n",
        "9,\xFF,x,y\n", "10,\"a\"\r,b\n", "11,\"a\"\rb\n", "12,x\n", "\"q\",\"r\"\r\n", ",,,\n"};
    uint64_t seed = 4242;
    size_t cap = 600000, n = 0;
    char *buf = malloc(cap + 4096);
    while (n < cap) {
        uint64_t k = tu_rand(&seed) % (TXS_ARRAY_LEN(kinds) + 1);
        if (k == TXS_ARRAY_LEN(kinds)) { /* a record of 120..140 fields */
            unsigned nf = 120 + (unsigned)(tu_rand(&seed) % 21);
            for (unsigned i = 0; i < nf; i++) n += (size_t)sprintf(buf + n, i ? ",%u" : "%u", i);
            buf[n++] = '\n';
            continue;
        }
        const char *t = kinds[k];
        size_t tl = k == 3 ? 14 : strlen(t);
        memcpy(buf + n, t, tl);
        n += tl;
    }
    for (int header = 0; header <= 1; header++) {
        txs_reader_opts o = csv_opts(',', header);
        char *a = dump_opts(buf, n, &o, CHUNK_WHOLE, 0, 0, 1);
        char *b = dump_opts(buf, n, &o, CHUNK_RANDOM, 99, 1, 1);
        cr_assert(strlen(a) > 100000);
        cr_assert_str_eq(a, b, "header=%d", header);
        free(a);
        free(b);
    }
    free(buf);
}

/* Batch boundaries do not depend on the path either: the window path uses
 * the field pool exactly as the per-record path does. */
Test(csv, windows_keep_batch_boundaries)
{
    size_t rows = 40000, n = 0;
    char *p = malloc(rows * 300 + 16);
    for (size_t i = 0; i < rows; i++) {
        unsigned nf = 30 + (unsigned)(i % 60); /* the pool, not the record count, ends batches */
        n += (size_t)sprintf(p + n, "%zu", i);
        for (unsigned k = 1; k < nf; k++) n += (size_t)sprintf(p + n, ",%s", (k + i) % 9 ? "v" : "\"q\"");
        p[n++] = '\n';
        if (i % 13 == 0) p[n++] = '\n';
        if (i % 17 == 0) n += (size_t)sprintf(p + n, "bad\"row\n");
    }
    txs_reader_opts o = csv_opts(',', 0);
    size_t sizes[2][400], nb[2] = {0, 0};
    for (int scalar = 0; scalar <= 1; scalar++) {
        memsrc m = {p, n, 0, CHUNK_WHOLE, 1, 0, 0};
        txs_source *s;
        txs_reader *r;
        cr_assert_eq(txs_source_open_fn(memsrc_read, &m, "b", &s), 0);
        cr_assert_eq(txs_reader_create(&o, &r), 0);
        txs_reader_force_scalar(r, scalar);
        cr_assert_eq(txs_reader_attach(r, s), 0);
        txs_batch b;
        txs_batch_init(&b);
        while (txs_reader_next(r, &b) > 0 && nb[scalar] < 400) sizes[scalar][nb[scalar]++] = b.n;
        txs_batch_free(&b);
        txs_reader_free(r);
        txs_source_free(s);
    }
    cr_assert_eq(nb[0], nb[1]);
    cr_assert_gt(nb[0], 10u);
    for (size_t i = 0; i < nb[0]; i++) cr_expect_eq(sizes[0][i], sizes[1][i], "batch %zu", i);
    free(p);
}
