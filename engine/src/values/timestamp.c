/*
 * timestamp.c: timestamps to seconds since the Unix epoch (UTC) and back.
 * Part of the parse stage: every record's timestamp goes through either
 * txs_ts_parse_iso8601() (native, JSONL) or txs_ts_parse_layout() with the
 * profile's layout (AMLworld "%Y/%m/%d %H:%M"; SAML-D's Date and Time joined
 * as "%Y-%m-%d %H:%M:%S"); emit writes txs_ts_format().
 *
 * Invariants: integer arithmetic only, proleptic Gregorian calendar, no
 * mktime/timegm, no sscanf, no locale, no time zone database: an offset is
 * either in the text or the caller's default.  Every field is range-checked
 * (day against the month, leap years included) before any arithmetic, so a
 * result is never a silently normalised date ("2023-02-31" is an error, not
 * March 3).  Years are 0000-9999 (four digits); ISO 8601 expanded years are
 * not accepted.
 *
 * Leap seconds: second 60 is accepted (a UTC-synchronised export may write
 * 23:59:60) and counted as second 59 of the same minute.  POSIX time has no
 * leap seconds, so the instant must land on 59 or on the next minute's 00;
 * 59 keeps the record on its calendar day, which daily windows and day
 * boundaries in the rules rely on, and keeps the order of records.
 *
 * Why-strings are static (the header's contract): they name the field and
 * the expected form ("bad month (not 01-12)", "expected '-' after the year
 * (byte 4)"); the rejects stream carries the value itself in its excerpt.
 */
#include <stdint.h>
#include <string.h>

#include "txs/values.h"
#include "values/values_int.h"

#define SECS_PER_DAY 86400
#define MAX_OFFSET_MIN (18 * 60)

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what four digits express. */
#define EPOCH_MIN INT64_C(-62167219200)
#define EPOCH_MAX INT64_C(253402300799)

/* Broken-down time being parsed; the offset is in minutes east of UTC.
 * year is 0-9999: every parser reads it as four digits. */
typedef struct civil {
    int64_t year;
    unsigned mon, day, hour, min, sec;
    int off;
} civil;

static int fail(const char **why, const char *reason)
{
    if (why) *why = reason;
    return TXS_E_FORMAT;
}

static unsigned dig(unsigned char c)
{
    return (unsigned)c - (unsigned)'0';
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Longest month, February counted as 29 days; the leap-year test is left for
 * the one date that needs it. */
static const unsigned char max_mday[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/*
 * Days since 1970-01-01.  The arithmetic is the well-known era method (as
 * described by Howard Hinnant, "chrono-Compatible Low-Level Date
 * Algorithms"): count years from March so that the leap day ends the year,
 * and split time into 400-year eras of exactly 146097 days, which keeps
 * every division exact for negative years too.  Valid for |y| < 10^14.
 */
int64_t txs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                             /* [0, 399] */
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;    /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;       /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;     /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/*
 * The same for the years a parser can produce (0000-9999), in unsigned
 * 32-bit arithmetic: shifting by one 400-year era (146097 days) keeps
 * "year - 1" for January and February of year 0 non-negative, so every
 * division is by a constant on an unsigned value (a multiply and a shift).
 */
static int64_t days_4digit(unsigned y, unsigned m, unsigned d)
{
    unsigned ys = y + 400 - (m <= 2);                 /* [399, 10399] */
    unsigned mp = m > 2 ? m - 3 : m + 9;              /* March = 0 */
    unsigned doy = (153 * mp + 2) / 5 + d - 1;
    unsigned days = ys * 365 + ys / 4 - ys / 100 + ys / 400 + doy;
    return (int64_t)days - (719468 + 146097);
}

/* The inverse, for txs_ts_format(). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Range checks, then the epoch seconds. */
static int finish(const civil *t, int64_t *out, const char **why)
{
    if (t->mon < 1 || t->mon > 12) return fail(why, "bad month (not 01-12)");
    if (t->day < 1 || t->day > max_mday[t->mon]) return fail(why, "day out of range for the month");
    if (t->mon == 2 && t->day == 29 && !is_leap(t->year))
        return fail(why, "February 29 in a non-leap year");
    if (t->hour > 23) return fail(why, "hour out of range (00-23)");
    if (t->min > 59) return fail(why, "minute out of range (00-59)");
    if (t->sec > 60) return fail(why, "second out of range (00-60)");
    unsigned sec = t->sec == 60 ? 59 : t->sec; /* leap second: see top */
    *out = days_4digit((unsigned)t->year, t->mon, t->day) * SECS_PER_DAY +
           (int64_t)(t->hour * 3600 + t->min * 60 + sec) - (int64_t)t->off * 60;
    return TXS_OK;
}

/* Exactly k digits at s[*i]. */
static int fixed(const unsigned char *s, size_t n, size_t *i, int k, unsigned *v)
{
    unsigned x = 0;
    if (n - *i < (size_t)k) return 0;
    for (int j = 0; j < k; j++) {
        unsigned d = dig(s[*i + (size_t)j]);
        if (d > 9) return 0;
        x = x * 10 + d;
    }
    *i += (size_t)k;
    *v = x;
    return 1;
}

/* One or two digits ("9" or "09"), for layouts. */
static int short_num(const unsigned char *s, size_t n, size_t *i, unsigned *v)
{
    if (*i >= n || dig(s[*i]) > 9) return 0;
    unsigned x = dig(s[(*i)++]);
    if (*i < n && dig(s[*i]) <= 9) x = x * 10 + dig(s[(*i)++]);
    *v = x;
    return 1;
}

static int lit(const unsigned char *s, size_t n, size_t *i, char c)
{
    if (*i >= n || s[*i] != (unsigned char)c) return 0;
    (*i)++;
    return 1;
}

/* 'Z', or +hh:mm, +hhmm, +hh (and '-'), at most 18:00 either way. */
static int parse_offset(const unsigned char *s, size_t n, size_t *i, int *off,
                        const char **why)
{
    unsigned hh, mm = 0;
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
        *off = 0;
        return TXS_OK;
    }
    if (s[*i] != '+' && s[*i] != '-') return fail(why, "trailing text after timestamp");
    int neg = s[(*i)++] == '-';
    if (!fixed(s, n, i, 2, &hh)) return fail(why, "expected a 2-digit UTC offset hour");
    if (*i < n && s[*i] == ':') {
        (*i)++;
        if (!fixed(s, n, i, 2, &mm)) return fail(why, "expected 2-digit UTC offset minutes");
    } else if (*i < n && dig(s[*i]) <= 9) {
        if (!fixed(s, n, i, 2, &mm)) return fail(why, "expected 2-digit UTC offset minutes");
    }
    if (mm > 59 || hh * 60 + mm > MAX_OFFSET_MIN)
        return fail(why, "UTC offset out of range (beyond 18:00)");
    *off = neg ? -(int)(hh * 60 + mm) : (int)(hh * 60 + mm);
    return TXS_OK;
}

/* Everything the fast path does not take: bare dates, minutes without
 * seconds, fractions, offsets; and every error, with its reason. */
static int parse_iso_general(const unsigned char *s, size_t n, int def_off,
                             int64_t *out, const char **why)
{
    civil t = {0, 0, 0, 0, 0, 0, def_off};
    size_t i = 0;
    unsigned y;
    if (!fixed(s, n, &i, 4, &y)) return fail(why, "expected a 4-digit year");
    t.year = y;
    if (!lit(s, n, &i, '-')) return fail(why, "expected '-' after the year (byte 4)");
    if (!fixed(s, n, &i, 2, &t.mon)) return fail(why, "expected a 2-digit month");
    if (!lit(s, n, &i, '-')) return fail(why, "expected '-' after the month (byte 7)");
    if (!fixed(s, n, &i, 2, &t.day)) return fail(why, "expected a 2-digit day");
    if (i == n) return finish(&t, out, why); /* a bare date: midnight */
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return fail(why, "expected 'T' or ' ' after the date (byte 10)");
    i++;
    if (!fixed(s, n, &i, 2, &t.hour)) return fail(why, "expected a 2-digit hour");
    if (!lit(s, n, &i, ':')) return fail(why, "expected ':' after the hour (byte 13)");
    if (!fixed(s, n, &i, 2, &t.min)) return fail(why, "expected 2-digit minutes");
    if (i < n && s[i] == ':') {
        i++;
        if (!fixed(s, n, &i, 2, &t.sec)) return fail(why, "expected 2-digit seconds");
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            size_t start = ++i; /* the fraction is truncated: whole seconds */
            while (i < n && dig(s[i]) <= 9) i++;
            if (i == start) return fail(why, "expected digits after the decimal point");
        }
    }
    if (i < n) {
        int rc = parse_offset(s, n, &i, &t.off, why);
        if (rc < 0) return rc;
    }
    if (i != n) return fail(why, "trailing text after timestamp");
    return finish(&t, out, why);
}

/* Byte i of the result: 10 x byte i + byte i + 1 of d (digits 0-9), the
 * two-digit number starting at byte i (no byte overflows: at most 99). */
static uint64_t pairs(uint64_t d)
{
    return d * 10 + (d >> 8);
}

/*
 * Hot path (once per record for native and JSONL input): the fixed-position
 * form "YYYY-MM-DDThh:mm:ss" with 'Z' or nothing is decoded without a loop,
 * eight bytes at a time: "YYYY-MM-" and "hh:mm:ss" as words, the day's two
 * digits alone; anything else, including every error, goes to the general
 * parser.
 */
int txs_ts_parse_iso8601(const char *p, size_t n, int default_offset_min,
                         int64_t *out, const char **why)
{
    const unsigned char *s = (const unsigned char *)p;
    if (out == NULL || (p == NULL && n > 0)) {
        if (why) *why = "bad timestamp arguments";
        return TXS_E_ARG;
    }
    if ((n == 19 || (n == 20 && s[19] == 'Z')) && (s[10] == 'T' || s[10] == ' ')) {
        /* bytes little-end first: "YYYY-MM-" and "hh:mm:ss" */
        uint64_t date = txs__digits_at8(p, 0x2D30302D30303030ull, 0xFF0000FF00000000ull);
        uint64_t time = txs__digits_at8(p + 11, 0x30303A30303A3030ull, 0x0000FF0000FF0000ull);
        unsigned d0 = dig(s[8]), d1 = dig(s[9]);
        if ((date != ~(uint64_t)0) & (time != ~(uint64_t)0) & (d0 <= 9) & (d1 <= 9)) {
            uint64_t dp = pairs(date), tp = pairs(time);
            civil t = {(int64_t)((dp & 0xFF) * 100 + (dp >> 16 & 0xFF)), (unsigned)(dp >> 40 & 0xFF),
                       d0 * 10 + d1, (unsigned)(tp & 0xFF), (unsigned)(tp >> 24 & 0xFF),
                       (unsigned)(tp >> 48 & 0xFF), n == 19 ? default_offset_min : 0};
            return finish(&t, out, why);
        }
    }
    return parse_iso_general(s, n, default_offset_min, out, why);
}

static unsigned char lower(unsigned char c)
{
    return (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

/* English month name at s[*i]: the 3-letter abbreviation, or the full name
 * when all of it is there ("Sep", "September"); any case. */
static int month_name(const unsigned char *s, size_t n, size_t *i, unsigned *mon)
{
    static const char *const full[12] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december",
    };
    if (n - *i < 3) return 0;
    for (unsigned m = 0; m < 12; m++) {
        const char *f = full[m];
        if (lower(s[*i]) != f[0] || lower(s[*i + 1]) != f[1] || lower(s[*i + 2]) != f[2])
            continue;
        size_t k = 3;
        while (f[k] != '\0' && *i + k < n && lower(s[*i + k]) == (unsigned char)f[k]) k++;
        *i += f[k] == '\0' ? k : 3;
        *mon = m + 1;
        return 1;
    }
    return 0;
}

/* Reason for a literal of the layout that the text does not match. */
static const char *expected_literal(char c)
{
    switch (c) {
    case '-': return "expected '-' (layout literal)";
    case '/': return "expected '/' (layout literal)";
    case ':': return "expected ':' (layout literal)";
    case ' ': return "expected ' ' (layout literal)";
    case 'T': return "expected 'T' (layout literal)";
    case '.': return "expected '.' (layout literal)";
    case ',': return "expected ',' (layout literal)";
    default: return "timestamp does not match the layout";
    }
}

/*
 * Interprets the layout per call.  That is a short loop over a dozen bytes;
 * profiles validate their layouts at load time by parsing a sample, since a
 * bad directive is reported here as TXS_E_ARG.
 */
int txs_ts_parse_layout(const char *layout, const char *p, size_t n,
                        int default_offset_min, int64_t *out, const char **why)
{
    const unsigned char *s = (const unsigned char *)p;
    civil t = {1970, 1, 1, 0, 0, 0, default_offset_min};
    size_t i = 0;
    unsigned y;
    if (layout == NULL || out == NULL || (p == NULL && n > 0)) {
        if (why) *why = "bad timestamp arguments";
        return TXS_E_ARG;
    }
    for (const char *l = layout; *l != '\0'; l++) {
        if (*l != '%') {
            if (!lit(s, n, &i, *l)) return fail(why, expected_literal(*l));
            continue;
        }
        int ok = 1;
        switch (*++l) {
        case 'Y':
            if (!fixed(s, n, &i, 4, &y)) return fail(why, "expected a 4-digit year");
            t.year = y;
            break;
        case 'm': ok = short_num(s, n, &i, &t.mon); break;
        case 'd': ok = short_num(s, n, &i, &t.day); break;
        case 'H': ok = short_num(s, n, &i, &t.hour); break;
        case 'M': ok = short_num(s, n, &i, &t.min); break;
        case 'S': ok = short_num(s, n, &i, &t.sec); break;
        case 'b':
        case 'B':
            if (!month_name(s, n, &i, &t.mon)) return fail(why, "expected an English month name");
            break;
        case 'z': {
            if (i >= n) return fail(why, "expected a UTC offset");
            int rc = parse_offset(s, n, &i, &t.off, why);
            if (rc < 0) return rc;
            break;
        }
        case '%':
            if (!lit(s, n, &i, '%')) return fail(why, "expected '%' (layout literal)");
            break;
        default:
            if (why) *why = "unknown directive in timestamp layout";
            return TXS_E_ARG;
        }
        if (!ok) return fail(why, "expected 1 or 2 digits for a date or time field");
    }
    if (i != n) return fail(why, "trailing text after timestamp");
    return finish(&t, out, why);
}

static void put2(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

void txs_ts_format(int64_t epoch, char out[21])
{
    int64_t y;
    unsigned m, d;
    /* Clamped to the years four digits can write. */
    if (epoch < EPOCH_MIN) epoch = EPOCH_MIN;
    if (epoch > EPOCH_MAX) epoch = EPOCH_MAX;
    int64_t days = epoch / SECS_PER_DAY, rem = epoch % SECS_PER_DAY;
    if (rem < 0) {
        rem += SECS_PER_DAY;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    unsigned sec = (unsigned)rem;
    put2(out, (unsigned)(y / 100));
    put2(out + 2, (unsigned)(y % 100));
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, sec / 3600);
    out[13] = ':';
    put2(out + 14, sec / 60 % 60);
    out[16] = ':';
    put2(out + 17, sec % 60);
    out[19] = 'Z';
    out[20] = '\0';
}
