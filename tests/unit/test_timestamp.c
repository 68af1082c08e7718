/*
 * test_timestamp.c: ISO 8601 and layout parsing, range checks with their
 * reasons, leap years (1900, 2000, 2024), offsets crossing midnight and the
 * year, leap seconds, formatting, the civil-date arithmetic against a naive
 * reference, and every timestamp of the real AMLworld and SAML-D exports.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "txs/values.h"
#include "values_fixture.h"

/* Inline text: Criterion re-executes the (PIE) binary per parameter. */
typedef struct ts_case {
    char text[40];
    int default_offset; /* minutes */
    int status;
    int64_t epoch;      /* when status == 0 */
    char why[64];       /* when status != 0 */
} ts_case;

#define OK_(t, d, e) {t, d, TXS_OK, e, ""}
#define BAD(t, w) {t, 0, TXS_E_FORMAT, 0, w}

ParameterizedTestParameters(iso8601, parses)
{
    static ts_case cases[] = {
        OK_("1970-01-01T00:00:00Z", 0, 0),
        OK_("1970-01-01T00:00:00", 0, 0),
        OK_("1969-12-31T23:59:59Z", 0, -1),
        OK_("2022-09-01T00:06:00Z", 0, 1661990760),
        OK_("2022-09-01 00:06:00Z", 0, 1661990760),
        OK_("2022-09-01t00:06:00z", 0, 1661990760),
        OK_("2022-12-09T11:38:54Z", 0, 1670585934),
        OK_("2022-12-09 11:38:54", 0, 1670585934),
        OK_("2022-12-09 11:38:54", 60, 1670582334),     /* default offset +01:00 */
        OK_("2022-12-09T11:38:54Z", 60, 1670585934),    /* explicit Z wins */
        OK_("2022-12-09T11:38:54+01:00", 0, 1670582334),
        OK_("2022-12-09T11:38:54+0100", 0, 1670582334),
        OK_("2022-12-09T11:38:54+01", 0, 1670582334),
        OK_("2022-12-09T11:38:54+05:30", 0, 1670566134),
        OK_("2022-12-09T11:38:54+18:00", 0, 1670521134),
        OK_("2022-12-09T11:38:54-18:00", 0, 1670650734),
        OK_("2022-12-09T11:38:54-00:00", 0, 1670585934),
        /* negative offset crossing midnight and the year, and back */
        OK_("2022-12-31T23:30:00-01:00", 0, 1672533000),   /* = 2023-01-01T00:30Z */
        OK_("2023-01-01T00:30:00+01:00", 0, 1672529400),   /* = 2022-12-31T23:30Z */
        OK_("2022-12-31T23:30:00", -60, 1672533000),
        /* fractions are truncated */
        OK_("2022-12-09T11:38:54.999Z", 0, 1670585934),
        OK_("2022-12-09T11:38:54,5+01:00", 0, 1670582334),
        OK_("2022-12-09T11:38:54.123456789", 0, 1670585934),
        /* minutes only, bare dates */
        OK_("2022-12-09T11:38Z", 0, 1670585880),
        OK_("2022-12-09T11:38", 0, 1670585880),
        OK_("2022-12-09", 0, 1670544000),
        OK_("2022-12-09", -300, 1670544000 + 300 * 60),
        /* leap years */
        OK_("2000-02-29T12:00:00Z", 0, 951825600),
        OK_("2024-02-29T23:59:59Z", 0, 1709251199),
        OK_("1600-02-29", 0, INT64_C(-11670998400)),
        OK_("1900-03-01", 0, INT64_C(-2203891200)),
        /* leap second: counted as :59 */
        OK_("2016-12-31T23:59:60Z", 0, 1483228799),
        OK_("2016-12-31T23:59:59Z", 0, 1483228799),
        /* range ends */
        OK_("0000-01-01T00:00:00Z", 0, INT64_C(-62167219200)),
        OK_("0001-01-01T00:00:00Z", 0, INT64_C(-62135596800)),
        OK_("0000-02-29", 0, INT64_C(-62162121600)),    /* year 0 is a leap year */
        OK_("0000-03-01T00:00:00-01:00", 0, INT64_C(-62162031600)),
        OK_("9999-12-31T23:59:59Z", 0, INT64_C(253402300799)),
        OK_("1850-06-15T08:00:00Z", 0, INT64_C(-3772540800)),
    };
    return cr_make_param_array(ts_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ts_case *c, iso8601, parses)
{
    int64_t t = 42;
    const char *why = NULL;
    int rc = txs_ts_parse_iso8601(c->text, strlen(c->text), c->default_offset, &t, &why);
    cr_assert_eq(rc, TXS_OK, "\"%s\": %s", c->text, why ? why : "");
    cr_expect_eq(t, c->epoch, "\"%s\": %lld want %lld", c->text, (long long)t, (long long)c->epoch);
}

ParameterizedTestParameters(iso8601, rejects)
{
    static ts_case cases[] = {
        BAD("", "expected a 4-digit year"),
        BAD("22-12-09", "expected a 4-digit year"),
        BAD("2022/12/09", "expected '-' after the year (byte 4)"),
        BAD("2022-1-09", "expected a 2-digit month"),
        BAD("2022-12+09", "expected '-' after the month (byte 7)"),
        BAD("2022-12-9", "expected a 2-digit day"),
        BAD("2022-13-01", "bad month (not 01-12)"),
        BAD("2022-00-10", "bad month (not 01-12)"),
        BAD("2022-12-00", "day out of range for the month"),
        BAD("2022-12-32", "day out of range for the month"),
        BAD("2023-04-31", "day out of range for the month"),
        BAD("2023-02-29T00:00:00Z", "February 29 in a non-leap year"),
        BAD("1900-02-29", "February 29 in a non-leap year"),
        BAD("2100-02-29", "February 29 in a non-leap year"),
        BAD("2023-02-30", "day out of range for the month"),
        BAD("2022-12-09T24:00:00Z", "hour out of range (00-23)"),
        BAD("2022-12-09T12:60:00Z", "minute out of range (00-59)"),
        BAD("2022-12-09T12:00:61Z", "second out of range (00-60)"),
        BAD("2022-12-09X12:00:00", "expected 'T' or ' ' after the date (byte 10)"),
        BAD("2022-12-09T", "expected a 2-digit hour"),
        BAD("2022-12-09T1:00:00", "expected a 2-digit hour"),
        BAD("2022-12-09T12", "expected ':' after the hour (byte 13)"),
        BAD("2022-12-09T12:0", "expected 2-digit minutes"),
        BAD("2022-12-09T12:00:0", "expected 2-digit seconds"),
        BAD("2022-12-09T12:00:00.Z", "expected digits after the decimal point"),
        BAD("2022-12-09T12:00:00Zjunk", "trailing text after timestamp"),
        BAD("2022-12-09T12:00:00 ", "trailing text after timestamp"),
        BAD("2022-12-09T12:00:00 UTC", "trailing text after timestamp"),
        BAD("2022-12-09T12:00:00+1", "expected a 2-digit UTC offset hour"),
        BAD("2022-12-09T12:00:00+01:", "expected 2-digit UTC offset minutes"),
        BAD("2022-12-09T12:00:00+01:00:00", "trailing text after timestamp"),
        BAD("2022-12-09T12:00:00+19:00", "UTC offset out of range (beyond 18:00)"),
        BAD("2022-12-09T12:00:00+18:01", "UTC offset out of range (beyond 18:00)"),
        BAD("2022-12-09T12:00:00-05:60", "UTC offset out of range (beyond 18:00)"),
        BAD("2022-12-09 ", "expected a 2-digit hour"),
        BAD("20221209T120000Z", "expected '-' after the year (byte 4)"),
        BAD("+2022-12-09", "expected a 4-digit year"),
        BAD("2022-12-O9", "expected a 2-digit day"),
        BAD("2022-12-09T12:00:0\xff", "expected 2-digit seconds"),
    };
    return cr_make_param_array(ts_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(ts_case *c, iso8601, rejects)
{
    int64_t t = 42;
    const char *why = NULL;
    int rc = txs_ts_parse_iso8601(c->text, strlen(c->text), 0, &t, &why);
    cr_assert_eq(rc, c->status, "\"%s\": rc %d", c->text, rc);
    cr_expect_str_eq(why, c->why, "\"%s\": reason \"%s\"", c->text, why);
    cr_expect_eq(t, 42, "output written on failure");
}

Test(iso8601, reads_only_the_given_bytes)
{
    int64_t t;
    const char *s = "2022-12-09T11:38:54Zgarbage";
    cr_assert_eq(txs_ts_parse_iso8601(s, 20, 0, &t, NULL), TXS_OK);
    cr_expect_eq(t, 1670585934);
    cr_assert_eq(txs_ts_parse_iso8601(s, 10, 0, &t, NULL), TXS_OK);
    cr_expect_eq(t, 1670544000);
    cr_expect_eq(txs_ts_parse_iso8601(s, 1, 0, &t, NULL), TXS_E_FORMAT);
    cr_expect_eq(txs_ts_parse_iso8601(NULL, 0, 0, &t, NULL), TXS_E_FORMAT);
    cr_expect_eq(txs_ts_parse_iso8601(s, 20, 0, NULL, NULL), TXS_E_ARG);
}

/* The fixed-position fast path against the general parser, which defines
 * the semantics: "...Z" may take the fast path, "...+00:00" (the same
 * instant) never does.  Every byte of a few valid stamps is replaced by
 * every value in turn; both must agree on the code, the reason and the
 * instant (a digit test that let ':' or '/' through, or a separator test
 * that let a digit through, would accept what the general parser rejects). */
Test(iso8601, fast_path_agrees_with_the_general_parser_on_every_byte)
{
    static const char *const base[] = {"2026-03-01T00:00:05", "2024-02-29 23:59:60",
                                       "0000-01-01T00:00:00", "9999-12-31T23:59:59",
                                       "1970-01-01T12:34:56"};
    for (size_t b = 0; b < sizeof base / sizeof *base; b++)
        for (size_t at = 0; at < 19; at++)
            for (int v = 0; v < 256; v++) {
                char fast[24], slow[28];
                memcpy(fast, base[b], 19);
                fast[at] = (char)v;
                memcpy(slow, fast, 19);
                fast[19] = 'Z';
                memcpy(slow + 19, "+00:00", 6);
                int64_t tf = -1, ts = -1;
                const char *wf = "", *ws = "";
                int rf = txs_ts_parse_iso8601(fast, 20, 0, &tf, &wf);
                int rs = txs_ts_parse_iso8601(slow, 25, 0, &ts, &ws);
                cr_assert_eq(rf, rs, "%s byte %zu = %d: %d vs %d", base[b], at, v, rf, rs);
                if (rf == TXS_OK) cr_assert_eq(tf, ts, "%s byte %zu = %d", base[b], at, v);
                else cr_assert_str_eq(wf, ws, "%s byte %zu = %d", base[b], at, v);
                /* without the zone, a valid stamp is read with the default
                 * offset (a mutated one may be another valid form there:
                 * "00:00+05" is minutes and an offset) */
                int64_t t19 = -1;
                if (rf == TXS_OK) {
                    cr_assert_eq(txs_ts_parse_iso8601(fast, 19, 60, &t19, NULL), TXS_OK);
                    cr_assert_eq(t19, tf - 3600, "%s byte %zu = %d (19 bytes)", base[b], at, v);
                }
            }
}

typedef struct layout_case {
    char layout[32];
    char text[40];
    int status;
    int64_t epoch;
    char why[64];
} layout_case;

#define AMLW "%Y/%m/%d %H:%M"
#define SAMLD "%Y-%m-%d %H:%M:%S"

ParameterizedTestParameters(layout, parses)
{
    static layout_case cases[] = {
        {AMLW, "2022/09/01 00:06", 0, 1661990760, ""},
        {AMLW, "2022/9/1 0:06", 0, 1661990760, ""},
        {AMLW, "2022/9/1 0:6", 0, 1661990760, ""},
        {SAMLD, "2022-12-09 11:38:54", 0, 1670585934, ""},
        {"%Y-%m-%d", "2022-12-09", 0, 1670544000, ""},
        {"%H:%M:%S", "00:00:01", 0, 1, ""},               /* date defaults 1970-01-01 */
        {"%d/%m/%Y", "09/12/2022", 0, 1670544000, ""},
        {"%m/%d/%Y", "12/09/2022", 0, 1670544000, ""},
        {"%d/%m/%Y %H:%M", "29/02/2000 12:00", 0, 951825600, ""},
        {"%d %b %Y", "09 Dec 2022", 0, 1670544000, ""},
        {"%d %b %Y", "9 dec 2022", 0, 1670544000, ""},
        {"%d %b %Y", "9 December 2022", 0, 1670544000, ""},
        {"%d %B %Y", "1 SEPTEMBER 2022", 0, 1661990400, ""},
        {"%b %d, %Y %H:%M", "Sep 01, 2022 00:06", 0, 1661990760, ""},
        {"%Y%m%d%H%M%S", "20221209113854", 0, 1670585934, ""},
        {"%Y-%m-%dT%H:%M:%S%z", "2022-12-09T11:38:54+05:30", 0, 1670566134, ""},
        {"%Y-%m-%dT%H:%M:%S%z", "2022-12-09T11:38:54Z", 0, 1670585934, ""},
        {"%Y-%m-%d %H:%M:%S %z", "2022-12-31 23:30:00 -0100", 0, 1672533000, ""},
        {"%Y-%m-%d %H:%M:%S", "2016-12-31 23:59:60", 0, 1483228799, ""},
        {"%d%%%m%%%Y", "09%12%2022", 0, 1670544000, ""},
        {"", "", 0, 0, ""},
    };
    return cr_make_param_array(layout_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(layout_case *c, layout, parses)
{
    int64_t t = 42;
    const char *why = NULL;
    int rc = txs_ts_parse_layout(c->layout, c->text, strlen(c->text), 0, &t, &why);
    cr_assert_eq(rc, TXS_OK, "%s \"%s\": %s", c->layout, c->text, why ? why : "");
    cr_expect_eq(t, c->epoch, "%s \"%s\": %lld", c->layout, c->text, (long long)t);
}

ParameterizedTestParameters(layout, rejects)
{
    static layout_case cases[] = {
        {AMLW, "2022/13/01 00:06", TXS_E_FORMAT, 0, "bad month (not 01-12)"},
        {AMLW, "2022-09-01 00:06", TXS_E_FORMAT, 0, "expected '/' (layout literal)"},
        {AMLW, "2022/09/01T00:06", TXS_E_FORMAT, 0, "expected ' ' (layout literal)"},
        {AMLW, "2022/09/01 00:06:00", TXS_E_FORMAT, 0, "trailing text after timestamp"},
        {AMLW, "2022/09/01 00", TXS_E_FORMAT, 0, "expected ':' (layout literal)"},
        {AMLW, "2022/09/01 00:", TXS_E_FORMAT, 0, "expected 1 or 2 digits for a date or time field"},
        {AMLW, "22/09/01 00:06", TXS_E_FORMAT, 0, "expected a 4-digit year"},
        {AMLW, "2022/09/01 24:06", TXS_E_FORMAT, 0, "hour out of range (00-23)"},
        {AMLW, "2022/09/31 00:06", TXS_E_FORMAT, 0, "day out of range for the month"},
        {"%d/%m/%Y", "29/02/2023", TXS_E_FORMAT, 0, "February 29 in a non-leap year"},
        {"%d/%m/%Y", "31/02/2022", TXS_E_FORMAT, 0, "day out of range for the month"},
        {"%m/%d/%Y", "31/12/2022", TXS_E_FORMAT, 0, "bad month (not 01-12)"},
        {"%d %b %Y", "09 Dcm 2022", TXS_E_FORMAT, 0, "expected an English month name"},
        {"%d %b %Y", "09 Sept 2022", TXS_E_FORMAT, 0, "expected ' ' (layout literal)"},
        {"%Y-%m-%d %z", "2022-12-09 ", TXS_E_FORMAT, 0, "expected a UTC offset"},
        {"%Y-%m-%d %z", "2022-12-09 +19:00", TXS_E_FORMAT, 0, "UTC offset out of range (beyond 18:00)"},
        {"%Y-%m-%d", "2022-12-09 ", TXS_E_FORMAT, 0, "trailing text after timestamp"},
        {"%Y|%m", "2022-12", TXS_E_FORMAT, 0, "timestamp does not match the layout"},
        {"%Y-%m-%d %Q", "2022-12-09 1", TXS_E_ARG, 0, "unknown directive in timestamp layout"},
        {"%Y-%m-%d %", "2022-12-09 1", TXS_E_ARG, 0, "unknown directive in timestamp layout"},
        {"%Y-%m-%d", "", TXS_E_FORMAT, 0, "expected a 4-digit year"},
    };
    return cr_make_param_array(layout_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(layout_case *c, layout, rejects)
{
    int64_t t = 42;
    const char *why = NULL;
    int rc = txs_ts_parse_layout(c->layout, c->text, strlen(c->text), 0, &t, &why);
    cr_assert_eq(rc, c->status, "%s \"%s\": rc %d (%s)", c->layout, c->text, rc, why ? why : "");
    cr_expect_str_eq(why, c->why, "%s \"%s\": \"%s\"", c->layout, c->text, why);
    cr_expect_eq(t, 42);
}

Test(format, writes_fixed_width_utc)
{
    static const struct {
        int64_t epoch;
        const char *text;
    } cases[] = {
        {0, "1970-01-01T00:00:00Z"},
        {-1, "1969-12-31T23:59:59Z"},
        {951825600, "2000-02-29T12:00:00Z"},
        {1672533000, "2023-01-01T00:30:00Z"},
        {1709251199, "2024-02-29T23:59:59Z"},
        {INT64_C(-2203891200), "1900-03-01T00:00:00Z"},
        {INT64_C(-62167219200), "0000-01-01T00:00:00Z"},
        {INT64_C(253402300799), "9999-12-31T23:59:59Z"},
        {INT64_MIN, "0000-01-01T00:00:00Z"}, /* clamped */
        {INT64_MAX, "9999-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < TXS_ARRAY_LEN(cases); i++) {
        char out[21];
        txs_ts_format(cases[i].epoch, out);
        cr_expect_str_eq(out, cases[i].text, "%lld", (long long)cases[i].epoch);
    }
}

/* Days from civil against counting days one year at a time. */
Test(civil, agrees_with_naive_count_and_round_trips)
{
    static const unsigned mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = txs_days_from_civil(1600, 1, 1);
    cr_assert_eq(days, INT64_C(-135140));
    for (int64_t y = 1600; y <= 2400; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (unsigned m = 1; m <= 12; m++) {
            unsigned md = mdays[m] + (m == 2 && leap);
            for (unsigned d = 1; d <= md; d++, days++) {
                cr_assert_eq(txs_days_from_civil(y, m, d), days, "%lld-%u-%u", (long long)y, m, d);
                {
                    char out[21], want[11];
                    txs_ts_format(days * 86400 + 43200, out);
                    snprintf(want, sizeof want, "%04lld-%02u-%02u", (long long)y, m, d);
                    cr_assert(strncmp(out, want, 10) == 0, "%s vs %s", out, want);
                    int64_t back;
                    cr_assert_eq(txs_ts_parse_iso8601(out, 20, 0, &back, NULL), TXS_OK);
                    cr_assert_eq(back, days * 86400 + 43200);
                }
            }
        }
    }
    cr_expect_eq(txs_days_from_civil(1970, 1, 1), 0);
    cr_expect_eq(txs_days_from_civil(-1, 12, 31), -719529); /* proleptic, year before 0000 */
}

/* Every timestamp of the real exports parses with its profile's layout. */
typedef struct ts_cols {
    const char *layout;
    const char *c1, *c2; /* c2: the SAML-D time column joined with ' ' */
    int i1, i2;
    int64_t min, max;
} ts_cols;

static void ts_header(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    ts_cols *tc = ctx;
    tc->i1 = vf_column(f, n, tc->c1);
    tc->i2 = tc->c2 ? vf_column(f, n, tc->c2) : -1;
    cr_assert(tc->i1 >= 0 && (tc->c2 == NULL || tc->i2 >= 0));
}

static void ts_row(const txs_slice *f, size_t n, size_t line, void *ctx)
{
    ts_cols *tc = ctx;
    char buf[64];
    txs_slice v = f[tc->i1];
    if (tc->i2 >= 0) {
        txs_slice w = f[tc->i2];
        int k = snprintf(buf, sizeof buf, "%.*s %.*s", (int)v.n, v.p, (int)w.n, w.p);
        v.p = buf;
        v.n = (size_t)k;
    }
    int64_t t;
    const char *why = NULL;
    cr_expect_eq(txs_ts_parse_layout(tc->layout, v.p, v.n, 0, &t, &why), TXS_OK,
                 "line %zu \"%.*s\": %s", line, (int)v.n, v.p, why ? why : "");
    if (t < tc->min) tc->min = t;
    if (t > tc->max) tc->max = t;
}

Test(layout, real_exports_parse)
{
    ts_cols aml = {AMLW, "Timestamp", NULL, -1, -1, INT64_MAX, INT64_MIN};
    cr_expect_eq(vf_each_row("aml/amlworld-hi-small-patterns.csv", ts_header, ts_row, &aml),
                 3209);
    /* AMLworld HI-Small spans September 2022. */
    cr_expect_geq(aml.min, 1661990400);
    cr_expect_lt(aml.max, 1661990400 + 40 * 86400);
    ts_cols benign = {AMLW, "timestamp", NULL, -1, -1, INT64_MAX, INT64_MIN};
    cr_expect_eq(vf_each_row("aml/amlworld-hi-small-benign-1k.reshaped.csv", ts_header, ts_row,
                             &benign),
                 1000);
    /* SAML-D: "Date" then "Time", joined as the profile does. */
    ts_cols saml = {SAMLD, "Date", "Time", -1, -1, INT64_MAX, INT64_MIN};
    cr_expect_eq(vf_each_row("aml/saml-d-sample-1k.csv", ts_header, ts_row, &saml), 1000);
    cr_expect_geq(saml.min, 1640995200); /* 2022 or later */
}
