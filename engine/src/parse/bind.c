/*
 * bind.c: resolving a loaded profile against one source (parse.h
 * txs_profile_bind).  Build time, once per input file: after the reader has
 * read the file's header row and before any of its records are parsed.
 *
 * Every column name the profile uses becomes a field position here: CSV
 * names against the header (exact match after trimming spaces, then ASCII
 * case-insensitive; `occurrence: N` picks the Nth equal name), JSONL names
 * against the key list the reader was given (txs_profile_reader_opts), and
 * `index:` as it stands.  The binding then holds no names at all.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"
#include "txs/parse.h"

/* Trim the spaces, tabs and a stray UTF-8 BOM a hand-edited header may
 * carry; names in the profile are compared with what remains. */
static txs_slice trim_header(txs_slice s)
{
    if (s.n >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0) {
        s.p += 3;
        s.n -= 3;
    }
    while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    return s;
}

/* Position of the occ-th header cell equal to name: exact matches first;
 * only when there are too few of those, case-insensitive ones.  -1 if none. */
static long find_column(const txs_slice *hdr, size_t nhdr, const char *name, unsigned occ)
{
    for (int pass = 0; pass < 2; pass++) {
        unsigned seen = 0;
        for (size_t i = 0; i < nhdr; i++) {
            txs_slice h = trim_header(hdr[i]);
            int eq = pass == 0 ? txs_slice_eq(h, name) : txs_slice_eq_nocase(h, name);
            if (eq && ++seen == occ) return (long)i;
        }
    }
    return -1;
}

static long find_key(const txs_profile *p, const char *name)
{
    for (size_t i = 0; i < p->nkeys; i++)
        if (strcmp(p->keys[i], name) == 0) return (long)i;
    return -1;
}

/* "a, b, c" from the header, cut short to fit the diagnostic. */
static void header_list(const txs_slice *hdr, size_t nhdr, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nhdr && used + 8 < cap; i++) {
        txs_slice h = trim_header(hdr[i]);
        size_t room = cap - used - 6; /* keep space for ", ..." */
        size_t n = h.n < room ? h.n : room;
        if (i) {
            memcpy(out + used, ", ", 2);
            used += 2;
        }
        memcpy(out + used, h.p, n);
        used += n;
        if (n < h.n || (i + 1 < nhdr && used + 8 >= cap)) {
            memcpy(out + used, "...", 3);
            used += 3;
            break;
        }
    }
    out[used] = '\0';
}

typedef struct binder {
    const txs_profile *p;
    txs_format fmt;
    const txs_slice *hdr;
    size_t nhdr;
    const char *source;
    txs_diag *d;
} binder;

/* What a "header" that is the start of a payment message file is, for the
 * hint of missing_column (the same first bytes the payments reader sniffs:
 * '<' for ISO 20022 XML, "{1:" or '$' for SWIFT FIN); "" for anything else. */
static const char *payment_hint(const txs_slice *hdr, size_t nhdr)
{
    if (nhdr == 0) return "";
    txs_slice h = trim_header(hdr[0]);
    if (h.n >= 1 && h.p[0] == '<')
        return "; it looks like ISO 20022 XML: payment messages are read with "
               "--format payments (screen) or --format mx (parse), not a profile";
    if ((h.n >= 3 && memcmp(h.p, "{1:", 3) == 0) || (h.n >= 1 && h.p[0] == '$'))
        return "; it looks like SWIFT MT messages: payment messages are read with "
               "--format payments (screen) or --format mt (parse), not a profile";
    return "";
}

static int missing_column(const binder *B, int id, const char *name, unsigned occ)
{
    char list[300], occtxt[40] = "";
    header_list(B->hdr, B->nhdr, list, sizeof list);
    if (occ > 1) snprintf(occtxt, sizeof occtxt, " (occurrence %u)", occ);
    return txs_diag_set(B->d, TXS_E_CONFIG, B->p->file, B->p->f[id].line,
                        "profile '%s' maps %s to column '%s'%s, which the header of %s "
                        "does not have (header: %s)%s",
                        B->p->name, txs__pfield_names[id], name, occtxt, B->source, list,
                        payment_hint(B->hdr, B->nhdr));
}

/* Position of a named column or key; *pos = UINT32_MAX when the source has
 * no header at all (the binding then rejects its records, see no_header). */
static int resolve_name(const binder *B, int id, const char *name, unsigned occ,
                        uint32_t *pos)
{
    long at;
    if (B->fmt == TXS_FMT_JSONL) {
        at = find_key(B->p, name);
    } else if (B->nhdr == 0) {
        *pos = UINT32_MAX;
        return TXS_OK;
    } else {
        at = find_column(B->hdr, B->nhdr, name, occ);
        if (at < 0) return missing_column(B, id, name, occ);
    }
    if (at < 0) /* a key the profile did not list: a bug, not bad input */
        return txs_diag_set(B->d, TXS_E_ARG, B->p->file, B->p->f[id].line,
                            "key '%s' is not among the profile's keys", name);
    *pos = (uint32_t)at;
    return TXS_OK;
}

static int bind_slot(const binder *B, txs_binding *b, int id, uint32_t **store)
{
    const txs_pfield *f = &B->p->f[id];
    txs_bslot *s = &b->s[id];
    s->spec = f;
    s->src = f->src;
    switch (f->src) {
    case TXS_SRC_COLUMN:
        return resolve_name(B, id, f->names[0], f->occurrence, &s->pos);
    case TXS_SRC_INDEX:
        if (B->fmt == TXS_FMT_JSONL)
            return txs_diag_set(B->d, TXS_E_CONFIG, B->p->file, f->line,
                                "field %s uses index:, which only applies to CSV",
                                txs__pfield_names[id]);
        s->src = TXS_SRC_COLUMN;
        s->pos = f->index;
        return TXS_OK;
    case TXS_SRC_COLUMNS:
        s->poss = *store;
        s->npos = (uint32_t)f->nnames;
        for (size_t j = 0; j < f->nnames; j++)
            TXS_TRY(resolve_name(B, id, f->names[j], 1, &(*store)[j]));
        *store += f->nnames;
        return TXS_OK;
    default:
        return TXS_OK;
    }
}

/* The fewest fields a record must have: one past the largest position.
 * Also marks the plain slots (see txs_bslot.plain). */
static uint32_t fields_needed(txs_binding *b)
{
    uint32_t need = 0;
    for (int i = 0; i < TXS_F_COUNT; i++) {
        txs_bslot *s = &b->s[i];
        s->plain = s->src == TXS_SRC_COLUMN && s->pos != UINT32_MAX && s->spec->nmap == 0 &&
                   !s->spec->has_default && s->spec->pattern == NULL;
        s->required = s->spec->required;
        if (s->src == TXS_SRC_COLUMN && s->pos != UINT32_MAX && s->pos + 1 > need)
            need = s->pos + 1;
        for (uint32_t j = 0; s->src == TXS_SRC_COLUMNS && j < s->npos; j++)
            if (s->poss[j] != UINT32_MAX && s->poss[j] + 1 > need) need = s->poss[j] + 1;
    }
    return need;
}

/* Where each text field lives in a txs_txn. */
static uint32_t text_offset(int id)
{
    switch (id) {
    case TXS_F_TXN_ID: return offsetof(txs_txn, txn_id);
    case TXS_F_ORIG_ACCOUNT: return offsetof(txs_txn, orig.account);
    case TXS_F_ORIG_NAME: return offsetof(txs_txn, orig.name);
    case TXS_F_ORIG_BANK: return offsetof(txs_txn, orig.bank);
    case TXS_F_ORIG_ADDRESS: return offsetof(txs_txn, orig.address);
    case TXS_F_BENE_ACCOUNT: return offsetof(txs_txn, bene.account);
    case TXS_F_BENE_NAME: return offsetof(txs_txn, bene.name);
    case TXS_F_BENE_BANK: return offsetof(txs_txn, bene.bank);
    case TXS_F_BENE_ADDRESS: return offsetof(txs_txn, bene.address);
    case TXS_F_PURPOSE: return offsetof(txs_txn, purpose);
    default: return UINT32_MAX; /* a typed field */
    }
}

/* Sort the text fields into those the per-record path copies as they are
 * and those that need the general steps (map, default, required, joins,
 * generated ids, unmapped).  Field order is kept within each list. */
static void split_text_fields(txs_binding *b)
{
    b->ncopy = b->nother = 0;
    for (int id = 0; id < TXS_F_COUNT; id++) {
        uint32_t off = text_offset(id);
        if (off == UINT32_MAX) continue;
        const txs_bslot *s = &b->s[id];
        if (s->plain && !s->required)
            b->copy[b->ncopy++] = (struct txs_btext){s->pos, off, id};
        else
            b->other[b->nother++] = (struct txs_btext){0, off, id};
    }
}

/* "<basename>:" of the source, the prefix of generated txn ids. */
static int set_id_prefix(txs_binding *b, const char *source)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    size_t n = strlen(base);
    b->id_prefix = malloc(n + 2);
    if (b->id_prefix == NULL) return TXS_E_NOMEM;
    memcpy(b->id_prefix, base, n);
    b->id_prefix[n] = ':';
    b->id_prefix[n + 1] = '\0';
    b->id_prefix_len = n + 1;
    return TXS_OK;
}

int txs_profile_bind(const txs_profile *p, txs_format fmt, const txs_slice *hdr, size_t nhdr,
                     const char *source_name, uint32_t file_index, txs_binding **out,
                     txs_diag *d)
{
    if (p == NULL || out == NULL || (hdr == NULL && nhdr > 0)) return TXS_E_ARG;
    *out = NULL;
    if (source_name == NULL) source_name = "<input>";
    txs_binding *b = calloc(1, sizeof *b);
    if (b == NULL) return txs_diag_set(d, TXS_E_NOMEM, source_name, 0, "out of memory");
    b->p = p;
    b->fmt = fmt;
    b->file_index = file_index;
    b->noun = fmt == TXS_FMT_JSONL ? "key" : "column";
    b->no_header = fmt == TXS_FMT_CSV && p->header && nhdr == 0;
    size_t npos = 0;
    for (int i = 0; i < TXS_F_COUNT; i++)
        if (p->f[i].src == TXS_SRC_COLUMNS) npos += p->f[i].nnames;
    b->pos_store = malloc((npos ? npos : 1) * sizeof *b->pos_store);
    int rc = b->pos_store ? set_id_prefix(b, source_name) : TXS_E_NOMEM;
    if (rc == TXS_E_NOMEM) txs_diag_set(d, rc, source_name, 0, "out of memory");
    binder B = {p, fmt, hdr, nhdr, source_name, d};
    uint32_t *store = b->pos_store;
    for (int i = 0; i < TXS_F_COUNT && rc == TXS_OK; i++) rc = bind_slot(&B, b, i, &store);
    if (rc < 0) {
        txs_binding_free(b);
        return rc;
    }
    b->need = fields_needed(b);
    split_text_fields(b);
    *out = b;
    return TXS_OK;
}

void txs_binding_free(txs_binding *b)
{
    if (b == NULL) return;
    free(b->pos_store);
    free(b->id_prefix);
    free(b);
}
