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

#endif /* TXS_VALUES_INT_H */
