/*
 * fold.c: the key folding and sorted-table search behind currency and
 * country name look-up (see values_int.h for the folded form).  Part of the
 * parse stage; it runs when a profile's currency or country column holds a
 * name rather than a code, so once per record for AMLworld ("US Dollar") and
 * SAML-D ("UK pounds").  It allocates nothing, reads no locale and keeps no
 * state: the output buffer belongs to the caller.
 */
#include <string.h>

#include "values/values_int.h"

/* Base letters for U+00C0..U+00FF (UTF-8 lead byte 0xC3), indexed by the
 * continuation byte minus 0x80.  "" marks a symbol (x and divide) that acts
 * as a separator.  Two-letter entries are the customary English spellings
 * (AE, TH, SS). */
static const char *const latin1_base[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

/* ASCII bytes: the folded letter or digit, or one of the actions below.
 * A table keeps the per-byte work to one load and one compare. */
enum { SEP = 0, DROP = 1, AMP = 2 };
#define LOW(c) [(c)] = (c)
#define UP(c) [(c)] = (c) + 32
static const unsigned char ascii_fold[128] = {
    LOW('0'), LOW('1'), LOW('2'), LOW('3'), LOW('4'), LOW('5'), LOW('6'), LOW('7'), LOW('8'),
    LOW('9'), LOW('a'), LOW('b'), LOW('c'), LOW('d'), LOW('e'), LOW('f'), LOW('g'), LOW('h'),
    LOW('i'), LOW('j'), LOW('k'), LOW('l'), LOW('m'), LOW('n'), LOW('o'), LOW('p'), LOW('q'),
    LOW('r'), LOW('s'), LOW('t'), LOW('u'), LOW('v'), LOW('w'), LOW('x'), LOW('y'), LOW('z'),
    UP('A'),  UP('B'),  UP('C'),  UP('D'),  UP('E'),  UP('F'),  UP('G'),  UP('H'),  UP('I'),
    UP('J'),  UP('K'),  UP('L'),  UP('M'),  UP('N'),  UP('O'),  UP('P'),  UP('Q'),  UP('R'),
    UP('S'),  UP('T'),  UP('U'),  UP('V'),  UP('W'),  UP('X'),  UP('Y'),  UP('Z'),
    ['.'] = DROP, ['\''] = DROP, ['`'] = DROP, ['&'] = AMP,
};
#undef LOW
#undef UP

/* Append s[0..k) to out, first closing a pending separator with one space;
 * returns 0, or -1 when out is full (one byte is always kept for the NUL). */
static int put(char *out, size_t cap, size_t *len, int *sep, const char *s, size_t k)
{
    if (*sep && *len > 0) {
        if (*len + 1 >= cap) return -1;
        out[(*len)++] = ' ';
    }
    *sep = 0;
    if (*len + k >= cap) return -1;
    memcpy(out + *len, s, k);
    *len += k;
    return 0;
}

/* Runs once per record when a column holds names: the plain-letter case is
 * handled inline; put() serves the rare multi-byte cases. */
int txs__values_fold(const char *p, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    int sep = 0;
    if (cap == 0) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            unsigned char f = ascii_fold[c];
            if (f > AMP) {
                size_t need = (sep && len > 0) ? 2 : 1; /* ' ' and f, plus the NUL */
                if (len + need >= cap) return -1;
                if (need == 2) out[len++] = ' ';
                sep = 0;
                out[len++] = (char)f;
            } else if (f == SEP) {
                sep = 1;
            } else if (f == AMP) {
                sep = 1;
                if (put(out, cap, &len, &sep, "and", 3) < 0) return -1;
                sep = 1;
            }
            continue;
        }
        /* Two-byte Latin-1 letters; C2 xx (NBSP, inverted marks ...) separate. */
        if ((c == 0xC2 || c == 0xC3) && i + 1 < n && ((unsigned char)p[i + 1] & 0xC0) == 0x80) {
            unsigned char c2 = (unsigned char)p[++i];
            const char *b = c == 0xC3 ? latin1_base[c2 - 0x80] : "";
            if (*b == '\0') sep = 1;
            else if (put(out, cap, &len, &sep, b, strlen(b)) < 0) return -1;
            continue;
        }
        /* U+2000..U+203F: typographic quotes are dropped like '\'', the
         * rest (spaces, dashes) separate. */
        if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x80 &&
            ((unsigned char)p[i + 2] & 0xC0) == 0x80) {
            unsigned char c3 = (unsigned char)p[i + 2];
            i += 2;
            if (c3 != 0x98 && c3 != 0x99) sep = 1;
            continue;
        }
        return -1;
    }
    out[len] = '\0';
    return (int)len;
}

/* Bytewise order of a NUL-terminated table key against key[0..n). */
static int cmp_key(const char *k, const char *key, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)k[i], b = (unsigned char)key[i];
        if (a != b) return a < b ? -1 : 1; /* a == 0 (k shorter) sorts first */
    }
    return k[n] == '\0' ? 0 : 1;
}

int txs__values_name_find(const txs__name_entry *tab, size_t count,
                          const char *key, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(tab[mid].key, key, n);
        if (c == 0) return tab[mid].index;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}
