/*
 * words.c: the word builder both normalisation paths write into, and the
 * handling of ASCII bytes that they share.  Words are lowercase ASCII
 * letters and digits; punctuation ends a word, except apostrophes and dots,
 * which are dropped inside a word so that O'Brien, A.B.C. and Int'l stay one
 * word ("S.A. de C.V." -> "sa de cv").  "&" becomes the word "and".
 * Invariant: text never exceeds TXS_NORM_MAX_TEXT - 1 bytes; a word that
 * would not fit is dropped whole and the name marked TRUNCATED.
 */
#include <string.h>

#include "norm_int.h"

void txs__words_init(txs__words *w)
{
    memset(w, 0, offsetof(txs__words, w));
    w->comma_after = -1;
}

static inline void putc_(txs__words *w, char c, uint16_t tokflags)
{
    if (w->flags & TXS_NAME_TRUNCATED) return;
    if (!w->open) {
        if (w->nw >= TXS_NORM_MAX_TOKENS || w->len + 2 >= TXS_NORM_MAX_TEXT) {
            w->flags |= TXS_NAME_TRUNCATED;
            return;
        }
        if (w->nw > 0) w->text[w->len++] = ' ';
        w->w[w->nw] = (txs_norm_tok){(uint16_t)w->len, 0, 0, w->src};
        w->nw++;
        w->open = 1;
    }
    txs_norm_tok *t = &w->w[w->nw - 1];
    if (w->len + 1 >= TXS_NORM_MAX_TEXT) {
        /* The word does not fit: drop it whole. */
        w->len = t->off ? t->off - 1u : 0u;
        w->nw--;
        w->open = 0;
        w->flags |= TXS_NAME_TRUNCATED;
        return;
    }
    w->text[w->len++] = c;
    t->len++;
    t->flags |= tokflags;
}

void txs__words_putc(txs__words *w, char c, uint16_t tokflags)
{
    putc_(w, c, tokflags);
}

void txs__words_break(txs__words *w, int sep)
{
    w->open = 0;
    if (sep) w->src++;
}

static inline void ascii_byte(txs__words *w, unsigned char c, uint16_t flags)
{
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        putc_(w, (char)c, flags);
    } else if (c == '\'' || c == '.' || c == '`') {
        /* dropped inside a word; a dot followed by a space still splits */
    } else if (c == '&') {
        txs__words_break(w, 1);
        putc_(w, 'a', 0);
        putc_(w, 'n', 0);
        putc_(w, 'd', 0);
        txs__words_break(w, 1);
    } else {
        if (c == ',' && w->comma_after < 0) {
            txs__words_break(w, 1);
            w->comma_after = (int)w->nw;
            return;
        }
        txs__words_break(w, c == ' ' || c == ',' || c == '\t' || c == '/' || c == '-');
    }
}

/* A recording's next step (txs__words.rec): c 0 is a break. */
void txs__words_record(txs__words *w, unsigned char c, uint16_t flags)
{
    txs__rec *r = w->rec;
    if (r->n == TXS__REC_MAX) r->bad = 1;
    else r->op[r->n].c = c, r->op[r->n].fl = flags, r->n++;
}

void txs__norm_ascii_byte(txs__words *w, unsigned char c)
{
    if (w->rec) txs__words_record(w, c, 0);
    else ascii_byte(w, c, 0);
}

void txs__norm_ascii_byte_flags(txs__words *w, unsigned char c, uint16_t flags)
{
    if (w->rec) txs__words_record(w, c, flags);
    else ascii_byte(w, c, flags);
}

void txs__norm_ascii(txs__words *w, const char *s, size_t n)
{
    /* The loop of normalisation's ASCII path, with the per-byte handling
     * compiled into it: one call per name, not two per byte. */
    for (size_t i = 0; i < n; i++) ascii_byte(w, (unsigned char)s[i], 0);
}
