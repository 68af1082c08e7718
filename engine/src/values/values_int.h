/*
 * values_int.h: private to the engine.  Helpers shared by the value parsers
 * in engine/src/values/ (currency and country name look-up) and the hooks the
 * unit tests use to walk the const name tables.
 *
 * Name look-up works on a folded key: ASCII lower case, Latin-1 letters
 * written in UTF-8 reduced to their base letters ("Türkiye" -> "turkiye"),
 * '.' and apostrophes dropped ("U.S.A." -> "usa", "Côte d'Ivoire" ->
 * "cote divoire"), '&' spelled "and", every other byte run that is not a
 * letter or digit collapsed to one space, and no leading or trailing space.
 * The name tables store keys already in this form, sorted bytewise, so a
 * look-up is one fold plus one binary search.
 */
#ifndef TXS_VALUES_INT_H
#define TXS_VALUES_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Longest folded key, in bytes, plus room for the NUL. */
#define TXS__FOLD_CAP 96

/*
 * Fold p[0..n) into out (cap bytes, NUL terminated).  Returns the folded
 * length, or -1 if the input holds a byte sequence outside ASCII, Latin-1
 * and the common Unicode quotes and spaces, or if it does not fit.  Pure and
 * thread-safe.
 */
int txs__values_fold(const char *p, size_t n, char *out, size_t cap);

/* A folded name and the table index it resolves to. */
typedef struct txs__name_entry {
    const char *key;
    unsigned short index;
} txs__name_entry;

/* Binary search of a sorted name table for a folded key of length n;
 * returns the index or -1. */
int txs__values_name_find(const txs__name_entry *tab, size_t count,
                          const char *key, size_t n);

/* For tests: the const alias tables (key, then index into
 * txs_currency_get() or the alpha-2 code of the country). */
const txs__name_entry *txs__currency_names(size_t *count);
const txs__name_entry *txs__country_names(size_t *count);
/* For tests: the alpha-2 code behind a country table index. */
void txs__country_code_at(unsigned index, char out[2]);

/* The eight bytes at p against pat, which holds '0' (0x30) where a digit
 * belongs and the expected byte elsewhere (sep marks those with 0xFF): the
 * digits as 0-9 in their bytes and the other bytes zero, or ~0 when a digit
 * byte is not a digit or another byte is not the expected one.  XOR with
 * '0' takes exactly '0'-'9' to 0-9: a byte is 0-9 when its high nibble is
 * clear and stays clear once 6 is added (no byte then carries into the
 * next).  Eight digits: pat 0x3030303030303030, sep 0 (IBAN remainders);
 * "YYYY-MM-" and "hh:mm:ss" (timestamps). */
static inline uint64_t txs__digits_at8(const char *p, uint64_t pat, uint64_t sep)
{
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull;
    uint64_t x;
    memcpy(&x, p, 8);
    x ^= pat;
    if ((x & hi) | ((x + 0x0606060606060606ull) & hi) | (x & sep)) return ~(uint64_t)0;
    return x;
}

#endif /* TXS_VALUES_INT_H */
