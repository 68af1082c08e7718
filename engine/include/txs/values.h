/*
 * values.h: exact parsing of the value types a transaction carries:
 * decimal amounts, ISO 4217 currencies (codes and common names), timestamps
 * (ISO 8601 and strftime-like layouts), ISO 3166 countries (alpha-2, alpha-3
 * and names), BICs and IBANs.  Part of the parse stage.
 *
 * All functions are pure, thread-safe, allocation-free and take unterminated
 * byte ranges.  They never use floating point and never read locale.
 */
#ifndef TXS_VALUES_H
#define TXS_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "txs/base.h"

/* ---------------------------------------------------------------- amounts */

/*
 * Parse a decimal amount into integer minor units with `exponent` decimals
 * (2 for USD, 0 for JPY, 3 for KWD, 8 for XBT).  Accepts an optional sign,
 * digits with optional `group` separators (0 for none) between digit groups,
 * and an optional `decimal` separator followed by digits.  Extra decimals
 * beyond the exponent are accepted only when they are zeros ("10.500" USD).
 * Returns 0, or TXS_E_FORMAT (not a number, or a nonzero digit beyond the
 * exponent) or TXS_E_LIMIT (does not fit in int64).  why (may be NULL) gets
 * a static reason string.
 */
int txs_amount_parse(const char *p, size_t n, int exponent, char decimal,
                     char group, int64_t *out, const char **why);
/* Format minor units with `exponent` decimals ("-1234.50").  Returns the
 * length written (without NUL), or -1 if cap is too small.  cap >= 32 is
 * always enough. */
int txs_amount_format(int64_t minor, int exponent, char *buf, size_t cap);

/* ------------------------------------------------------------- currencies */

typedef struct txs_currency {
    char code[4];        /* "USD", NUL terminated */
    uint16_t numeric;    /* ISO 4217 numeric, 0 for non-ISO (XBT) */
    int8_t exponent;     /* minor-unit decimals */
    const char *name;    /* English name */
} txs_currency;

/* Index of a currency given its code (any case) or a common name ("US
 * Dollar", "Euro", "UK pounds", "Yuan", "Bitcoin" ...); -1 if unknown.  The
 * three-letter-code path is a table lookup. */
int txs_currency_lookup(const char *p, size_t n);
/* The currency at index i, or NULL if out of range. */
const txs_currency *txs_currency_get(int i);
/* Number of currencies known. */
int txs_currency_count(void);

/* -------------------------------------------------------------- countries */

/* ISO 3166-1 alpha-2 for an alpha-2 code, alpha-3 code or English name
 * (any case, common variants such as "UK", "USA", "UAE", "Turkey"); writes
 * two upper-case letters to out and returns 0, or returns TXS_E_NOTFOUND. */
int txs_country_lookup(const char *p, size_t n, char out[2]);
/* 1 if cc is an assigned ISO 3166-1 alpha-2 code (plus XK, Kosovo). */
int txs_country_valid(const char cc[2]);
/* English short name of an alpha-2 code, or NULL. */
const char *txs_country_name(const char cc[2]);

/* ------------------------------------------------------------------ BICs */

/* Whether the eight bytes at p are all digits or capital letters (BICs,
 * IBANs): per byte, b >= lo sets the top bit of (b | 0x80) - lo, for all
 * eight bytes in one 64-bit subtraction (no borrow crosses a byte, each
 * being at least 0x80). */
static inline int txs_upper_alnum8(const char *p)
{
    const uint64_t ones = 0x0101010101010101ull, top = 0x8080808080808080ull;
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    if (v & top) return 0;
    uint64_t x = v | top;
    uint64_t ge0 = x - '0' * ones, gt9 = x - ('9' + 1) * ones;
    uint64_t geA = x - 'A' * ones, gtZ = x - ('Z' + 1) * ones;
    return (((ge0 & ~gt9) | (geA & ~gtZ)) & top) == top;
}

/* If p is a well-formed BIC (ISO 9362: 4 letters, 2-letter country, 2
 * alphanumerics, optional 3 alphanumerics; upper case) with an assigned
 * country, write that country to out and return 0; else TXS_E_FORMAT. */
int txs_bic_country(const char *p, size_t n, char out[2]);

/* ------------------------------------------------------------ timestamps */

/*
 * ISO 8601 date-time: YYYY-MM-DD, then 'T' or ' ', hh:mm[:ss[.frac]], then
 * 'Z', +hh:mm, +hhmm, +hh or nothing (nothing means default_offset_min).  A
 * bare date means midnight.  The fraction is truncated to seconds.  Result in
 * seconds since the epoch, UTC.  Returns 0 or TXS_E_FORMAT (why gets a
 * static reason: "bad month", ...).
 */
int txs_ts_parse_iso8601(const char *p, size_t n, int default_offset_min,
                         int64_t *out, const char **why);
/*
 * A layout in strftime notation: %Y %m %d %H %M %S (fixed or 1-2 digit where
 * the layout allows: "2022/9/1 0:06" is accepted for "%Y/%m/%d %H:%M"), %z
 * (+hh:mm or Z), %b (English month abbreviation), %% and literal bytes.
 * Unspecified fields default to 0 (time) or 1 (day).  Same returns as above.
 */
int txs_ts_parse_layout(const char *layout, const char *p, size_t n,
                        int default_offset_min, int64_t *out, const char **why);
/* Format as "YYYY-MM-DDThh:mm:ssZ" into out (21 bytes with NUL). */
void txs_ts_format(int64_t epoch, char out[21]);
/* Days since the epoch for a civil date (proleptic Gregorian). */
int64_t txs_days_from_civil(int64_t y, unsigned m, unsigned d);

/* ------------------------------------------------------------------- IBAN
 *
 * ISO 13616 IBANs (engine/src/values/iban.c).
 */
#define TXS_IBAN_MAX 34

/* An IBAN in electronic form: upper case, no spaces. */
typedef struct txs_iban {
    char text[TXS_IBAN_MAX + 1]; /* NUL terminated */
    size_t n;
    char country[2];
} txs_iban;

/* Validate p (electronic or print form: spaces allowed, letters of any
 * case): a known country code (the SWIFT IBAN registry, plus the national
 * formats listed in iban.c), two check digits, the country's length,
 * letters and digits only, and mod-97 of the rearranged number equal to 1.
 * Returns 0 and fills out, or TXS_E_FORMAT with *why (may be NULL) set to
 * a static reason ("check digits do not match" when only ISO 7064 MOD 97-10
 * fails).  Pure, allocation-free. */
int txs_iban_parse(const char *p, size_t n, txs_iban *out, const char **why);
/* The IBAN length of country cc, or 0 when no IBAN format is known. */
int txs_iban_country_length(const char cc[2]);

#endif /* TXS_VALUES_H */
