/*
 * dates.c: one normal form for the dates list files write in many ways, so
 * that a date of birth compares the same whichever list it came from:
 *
 *   "12 Mar 1961" | "1961-03-12" | "12/03/1961" | "12.03.1961" -> "1961-03-12"
 *   "Mar 1961" | "1961-03"                                   -> "1961-03"
 *   "1961" | "00/00/1961"                                     -> "1961"
 *   "1960 to 1962" | "01 Jan 1960 to 31 Dec 1962"             -> "1960..1962-12-31"
 *   "circa 1951" | "approximately 1951"                       -> "1951", circa
 *
 * Anything else is not a date (length 0): the caller keeps the text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"

static const char *const MONTHS[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_of(const char *p, size_t n)
{
    if (n < 3) return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(p, MONTHS[i], 3) == 0) return i + 1;
    return 0;
}

static int num(const char *p, size_t n, int *v)
{
    if (n == 0 || n > 4) return 0;
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i])) return 0;
        *v = *v * 10 + (p[i] - '0');
    }
    return 1;
}

static size_t emit(char *out, int y, int m, int dd)
{
    if (y < 1000 || y > 2999 || m < 0 || m > 12 || dd < 0 || dd > 31) return 0;
    if (m == 0) return (size_t)snprintf(out, 12, "%04d", y);
    if (dd == 0) return (size_t)snprintf(out, 12, "%04d-%02d", y, m);
    return (size_t)snprintf(out, 12, "%04d-%02d-%02d", y, m, dd);
}

/* One date, no range, no circa.  Tokens split on space, '-', '/', '.'. */
static size_t one(const char *p, size_t n, char *out)
{
    const char *tok[4];
    size_t len[4], k = 0, i = 0;
    while (i < n) {
        while (i < n && strchr(" -/.,", p[i])) i++;
        size_t s = i;
        while (i < n && !strchr(" -/.,", p[i])) i++;
        if (i > s) {
            if (k == 4) return 0;
            tok[k] = p + s;
            len[k++] = i - s;
        }
    }
    int a = 0, b = 0, c = 0;
    if (k == 1 && len[0] == 4 && num(tok[0], 4, &a)) return emit(out, a, 0, 0);
    if (k == 2 && num(tok[1], len[1], &b) && len[1] == 4) {
        int m = month_of(tok[0], len[0]);
        if (m) return emit(out, b, m, 0);
        if (num(tok[0], len[0], &a)) return emit(out, b, a, 0);
    }
    if (k == 2 && len[0] == 4 && num(tok[0], 4, &a) && num(tok[1], len[1], &b))
        return emit(out, a, b, 0);
    if (k != 3) return 0;
    if (len[0] == 4 && num(tok[0], 4, &a) && num(tok[1], len[1], &b) && num(tok[2], len[2], &c))
        return emit(out, a, b, c);                    /* 1961-03-12 */
    if (!num(tok[0], len[0], &a) || !num(tok[2], len[2], &c) || len[2] != 4) return 0;
    int m = month_of(tok[1], len[1]);
    if (m) return emit(out, c, m, a);                 /* 12 Mar 1961 */
    if (num(tok[1], len[1], &b)) return emit(out, c, b, a); /* 12/03/1961 */
    return 0;
}

static int strip_prefix(const char **p, size_t *n, const char *word)
{
    size_t w = strlen(word);
    if (*n > w && strncasecmp(*p, word, w) == 0 && (*p)[w] == ' ') {
        *p += w + 1;
        *n -= w + 1;
        return 1;
    }
    return 0;
}

size_t txs__lists_date(const char *p, size_t n, char *out, int *circa)
{
    txs_slice s = txs__lists_trim((txs_slice){p, n});
    *circa = strip_prefix(&s.p, &s.n, "circa") || strip_prefix(&s.p, &s.n, "approximately") ||
             strip_prefix(&s.p, &s.n, "approx.") || strip_prefix(&s.p, &s.n, "c.");
    for (size_t i = 0; i + 4 <= s.n; i++) {
        if (memcmp(s.p + i, " to ", 4) != 0) continue;
        char a[12], b[12];
        size_t na = one(s.p, i, a), nb = one(s.p + i + 4, s.n - i - 4, b);
        if (na == 0 || nb == 0) return 0;
        memcpy(out, a, na);
        memcpy(out + na, "..", 2);
        memcpy(out + na + 2, b, nb);
        out[na + 2 + nb] = '\0';
        return na + 2 + nb;
    }
    size_t k = one(s.p, s.n, out);
    out[k] = '\0';
    return k;
}

size_t txs__lists_numeric_date(const char *p, size_t n, char *out)
{
    txs_slice s = txs__lists_trim((txs_slice){p, n});
    int iso = s.n == 10 && s.p[4] == '-' && s.p[7] == '-';
    int dmy = s.n == 10 && s.p[2] == '/' && s.p[5] == '/';
    if (!iso && !dmy) return 0;
    for (size_t i = 0; i < s.n; i++)
        if (!isdigit((unsigned char)s.p[i]) && s.p[i] != '-' && s.p[i] != '/') return 0;
    int circa;
    return txs__lists_date(s.p, s.n, out, &circa);
}
