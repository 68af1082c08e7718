/*
 * norm_int.h: private to the engine.  Shared between the normaliser's files:
 * the transliteration tables (translit.c), the generated rigour tables
 * (rigour_tables.c) and the pipeline (norm.c, unicode.c).
 */
#ifndef TXS_NORM_INT_H
#define TXS_NORM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "txs/norm.h"

#define TXS_ARRAY_LEN_(a) (sizeof(a) / sizeof((a)[0]))

typedef struct txs__norm_pair {
    const char *alias;
    const char *canon;
} txs__norm_pair;

extern const txs__norm_pair txs__norm_legal_forms[];
extern const size_t txs__norm_legal_forms_n;
extern const char *const txs__norm_titles[];
extern const size_t txs__norm_titles_n;
extern const char *const txs__norm_org_prefixes[];
extern const size_t txs__norm_org_prefixes_n;
extern const char *const txs__norm_obj_prefixes[];
extern const size_t txs__norm_obj_prefixes_n;

/* Script classes a transliterated code point reports; they become token
 * flags (TXS_TOK_ABJAD, TXS_TOK_HAN, TXS_TOK_NONLATIN). */
enum {
    TXS__SCRIPT_LATIN = 0,
    TXS__SCRIPT_ALPHABET = 1, /* Cyrillic, Greek, Armenian, Georgian */
    TXS__SCRIPT_ABJAD = 2,    /* Arabic, Hebrew */
    TXS__SCRIPT_SYLLABLE = 3  /* Hangul syllables: one token each */
};

/*
 * Transliterate one lowercase (case-folded, composed) code point with the
 * built-in tables.  Returns the ASCII replacement (possibly "", for letters
 * that are silent in Latin) and sets *script, or NULL when the tables do not
 * cover cp.  buf (at least 16 bytes) receives algorithmic output (Hangul).
 */
const char *txs__norm_translit(uint32_t cp, char *buf, int *script);

/* A growing list of words under construction: the pipeline's scratch. */
typedef struct txs__words {
    char text[TXS_NORM_MAX_TEXT];
    uint32_t len;
    uint32_t nw;
    uint32_t flags;        /* TXS_NAME_* */
    int comma_after;       /* word index after the first comma, or -1 */
    int open;              /* a word is being written */
    uint16_t src;          /* current input word index */
    int icu;               /* some of the name needed ICU transliteration */
    txs_norm_tok w[TXS_NORM_MAX_TOKENS];
} txs__words;

void txs__words_init(txs__words *w);
/* Append one byte of a word (lowercase ASCII letter or digit). */
void txs__words_putc(txs__words *w, char c, uint16_t tokflags);
/* End the current word, if any; sep marks an input word boundary. */
void txs__words_break(txs__words *w, int sep);

/* The Unicode path (unicode.c): folds s into w.  nz supplies the lazily
 * opened ICU transliterator. */
void txs__norm_unicode(txs_norm *nz, const char *s, size_t n, txs__words *w);
/* The ASCII handling of one byte, shared by both paths. */
void txs__norm_ascii_byte(txs__words *w, unsigned char c);
/* The same, tagging letters it writes with token flags (script origin). */
void txs__norm_ascii_byte_flags(txs__words *w, unsigned char c, uint16_t flags);

/* ICU transliteration of a run of code points into w (unicode.c). */
/* The context's transliterator, opened on first call; NULL if ICU failed. */
void *txs__norm_icu_get(txs_norm *nz);
void *txs__norm_icu_open(void);
void txs__norm_icu_close(void *t);
void txs__norm_icu_run(void *t, const int32_t *cp, size_t n, txs__words *w);

#endif /* TXS_NORM_INT_H */
