/*
 * norm.h: name normalisation, the stage between parse and screen.  The same
 * code turns list names into tokens when a snapshot is compiled and party
 * names into tokens for every record at run time, so both sides of a
 * comparison always agree on spelling.
 *
 * The normalised form is a run of lowercase ASCII tokens separated by single
 * spaces, plus one descriptor per token:
 *
 *   "Dr. PUTIN, Vladimir"  -> text "vladimir putin"
 *                             tok[0] {off 0, len 8}  tok[1] {off 9, len 5, FAMILY}
 *   "ООО \"Байкал\""       -> text "ooo baikal"        tok[0] LEGAL (canonical form)
 *   "محمد علي"             -> text "mhmd aly"          both ABJAD (no short vowels)
 *
 * Steps, in order: Unicode compatibility decomposition and case folding
 * (utf8proc), transliteration of non-Latin scripts (own tables for Cyrillic,
 * Greek, Armenian, Georgian, Hebrew, Arabic and Hangul; ICU for Han, kana and
 * other scripts), marks stripped, punctuation to spaces (apostrophes and dots
 * inside a token are dropped so O'Brien and A.B.C. stay one token), titles
 * removed, "SURNAME, Given" reordered for persons, legal forms canonicalised
 * and flagged.  Digits are kept.  A candidate generator indexes the token
 * texts directly: they are stable, ASCII and space-free.
 *
 * A pure-ASCII input never touches utf8proc or ICU and allocates nothing.
 * A txs_norm context holds the legal-form and title tables (built once by
 * txs_norm_new) and, lazily, an ICU transliterator; it is not thread-safe:
 * create one per worker.
 */
#ifndef TXS_NORM_H
#define TXS_NORM_H

#include <stddef.h>
#include <stdint.h>

/* Longest normalised text and most tokens kept; longer names are cut at a
 * token boundary (a name of 40+ words is not a name). */
#define TXS_NORM_MAX_TEXT 512u
#define TXS_NORM_MAX_TOKENS 48u

/* What a name belongs to; decides reordering and legal-form handling. */
typedef enum txs_name_kind {
    TXS_NAME_ANY = 0, /* unknown: legal forms flagged, no reordering */
    TXS_NAME_PERSON,
    TXS_NAME_COMPANY, /* companies, organisations, legal entities */
    TXS_NAME_VESSEL
} txs_name_kind;

/* Token flags. */
enum {
    TXS_TOK_LEGAL = 1u << 0,   /* a canonical legal form (llc, ag, ooo ...) */
    TXS_TOK_ABJAD = 1u << 1,   /* from Arabic or Hebrew: consonants only */
    TXS_TOK_HAN = 1u << 2,     /* a syllable read from a Han character */
    TXS_TOK_NUMBER = 1u << 3,  /* digits only */
    TXS_TOK_INITIAL = 1u << 4, /* a single letter */
    TXS_TOK_FAMILY = 1u << 5,  /* the family name of a person */
    TXS_TOK_NONLATIN = 1u << 6, /* transliterated from a non-Latin script */
    TXS_TOK_HANZI = 1u << 7     /* the reading of one Han character (not Hangul) */
};

/* Name flags. */
enum {
    TXS_NAME_REORDERED = 1u << 0,  /* "SURNAME, Given" was turned around */
    TXS_NAME_TITLE_DROPPED = 1u << 1,
    TXS_NAME_UNICODE = 1u << 2,    /* the input was not pure ASCII */
    TXS_NAME_TRUNCATED = 1u << 3
};

typedef struct txs_norm_tok {
    uint16_t off;   /* into txs_norm_name.text */
    uint16_t len;
    uint16_t flags; /* TXS_TOK_* */
    uint16_t src;   /* index of the input word it came from (for reports) */
} txs_norm_tok;

/* A normalised name.  Caller-owned (about 1 KiB: fine on the stack). */
typedef struct txs_norm_name {
    char text[TXS_NORM_MAX_TEXT]; /* NUL terminated, tokens split by ' ' */
    uint32_t len;
    uint32_t ntok;
    uint32_t flags; /* TXS_NAME_* */
    uint32_t kind;  /* the txs_name_kind it was normalised as */
    txs_norm_tok tok[TXS_NORM_MAX_TOKENS];
} txs_norm_name;

typedef struct txs_norm txs_norm;

/* Build a context: normalises the legal-form and title tables with the same
 * code as names.  Returns NULL when out of memory.  Free with txs_norm_free. */
txs_norm *txs_norm_new(void);
/* Release a context; NULL is accepted. */
void txs_norm_free(txs_norm *nz);

/*
 * Normalise the n bytes at s (UTF-8; invalid bytes become spaces) as a name
 * of the given kind into *out.  Never fails on content: an empty or
 * all-punctuation name gives ntok == 0.  Returns TXS_OK, or TXS_E_ARG for a
 * NULL argument.  Not thread-safe per context (see above).
 */
int txs_norm_name_of(txs_norm *nz, const char *s, size_t n, txs_name_kind kind,
                     txs_norm_name *out);

/* Lower-level: fold s to lowercase ASCII words only (no titles, legal forms
 * or reordering); the OFAC mode uses it.  Same contract as above. */
int txs_norm_fold(txs_norm *nz, const char *s, size_t n, txs_norm_name *out);

/* Token i as a pointer and length into out->text. */
static inline const char *txs_norm_tok_text(const txs_norm_name *nm, uint32_t i)
{
    return nm->text + nm->tok[i].off;
}

/* Parse "person", "company", "organization", "vessel", ... (case-insensitive,
 * FollowTheMoney schema names accepted).  Unknown names give TXS_NAME_ANY. */
txs_name_kind txs_name_kind_parse(const char *s);
const char *txs_name_kind_str(txs_name_kind k);

#endif /* TXS_NORM_H */
