/*
 * reader.c: txs_reader, plain bytes -> batches of records.  One buffer of
 * TXS_READ_CHUNK + TXS_MAX_RECORD bytes (plus scanner padding) holds the
 * stream window:
 *
 *   buf: [consumed ....|pos: next record ...... partial record|len  |pad]
 *         ^ buf_off (plain-stream offset of buf[0])
 *
 * Refill moves the unframed tail to the front and reads until the buffer is
 * full or the source ends, so framing never depends on how the source
 * chunks its reads.  A record is framed only when complete: its LF outside
 * quotes is in the buffer, or the source has ended.  Because the window
 * holds TXS_MAX_RECORD bytes past any record start after a refill, "no LF
 * within TXS_MAX_RECORD bytes" is always decidable, and such a record is
 * rejected (TOO_LONG) and skipped to its first LF in streaming fashion.
 *
 * Records borrow from the buffer, so the buffer is only refilled at the
 * start of a batch (when nothing borrows from it): a batch ends early when
 * it needs more bytes.  Fields come from a flat slice pool owned by the
 * reader; a batch also ends early when the pool could not take one more
 * record of TXS_MAX_FIELDS, so nothing is allocated per record.
 *
 * CSV with AVX2 is framed a window at a time (frame_csv_window): one pass
 * of csv_index.c over up to IDX_WINDOW bytes finds the complete records and
 * their fields, and the plain ones (most) are finished inline; the rest,
 * and anything the window cannot decide, go through the per-record path
 * (frame_csv), which stays the definition of the framing.
 *
 * Lines: `line` counts every LF, including LFs inside quoted fields and
 * empty lines (which are skipped, not records).  Offsets count the BOM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input_int.h"
#include "txs/bigmem.h"

/* Pool slots per record of a batch: 32 fields a record on average before a
 * batch is cut short.  A reader's pool holds pool_slots(batch_max), a
 * detached batch's the most any reader needs (POOL_SLOTS, 2 MiB). */
#define POOL_PER_RECORD 32u
#define POOL_SLOTS (TXS_BATCH_RECORDS * POOL_PER_RECORD)

/* The pool of batches of n records: room for one record of TXS_MAX_FIELDS
 * at least, else a batch could never take its first record. */
static size_t pool_slots(size_t n)
{
    size_t k = n * POOL_PER_RECORD;
    return k > TXS_MAX_FIELDS ? k : TXS_MAX_FIELDS;
}

/* CSV windows indexed at once (csv_index.c): big enough that the one record
 * a window cuts short (framed again from its start) costs little, small
 * enough that the window's field slices stay in cache.  At most
 * TXS_MAX_RECORD, so every record a window holds has a legal length. */
#define IDX_WINDOW (64u * 1024u)
#define IDX_RECS 1024u

enum { FR_END = 0, FR_PROGRESS = 1, FR_MORE = 2 };

struct txs_reader {
    txs_reader_opts opts;
    size_t batch_max;       /* records per batch (opts.batch_records, capped) */
    size_t pool_cap;        /* pool slots a batch may use: pool_slots(batch_max) */
    size_t klen[TXS_MAX_FIELDS]; /* JSONL: strlen of each key */
    uint32_t need;               /* pool slots one record may take */
    int simd;                    /* use the AVX2 scanner */
    txs_source *src;
    char *buf;                   /* cap + TXS__INPUT_PAD bytes */
    size_t cap, len, pos;
    uint64_t buf_off;            /* plain-stream offset of buf[0] */
    uint64_t line;               /* line number at buf[pos] */
    int eof;                     /* the source has ended */
    int skipping;                /* discarding a too-long record up to its LF */
    int status;                  /* sticky I/O or decompression error */
    txs_slice *pool;             /* own_pool, or a detached batch's pool */
    txs_slice *own_pool;
    size_t pool_used;
    txs__csv_rec *idx;           /* IDX_RECS entries: the current window */
    txs_slice scratch[TXS_MAX_FIELDS]; /* fields of a record framed again */
    txs_slice hdr[TXS_MAX_FIELDS];
    size_t nhdr;
    int have_hdr;
    char *hdr_mem;
    txs_arena harena;            /* scratch for framing the header */
    char err[600];
};

static int valid_char(char c)
{
    return c > 0 && c != '\n' && c != '\r';
}

static int check_opts(const txs_reader_opts *o)
{
    if (o->format == TXS_FMT_CSV)
        return valid_char(o->delimiter) && valid_char(o->quote) && o->delimiter != o->quote;
    if (o->format != TXS_FMT_JSONL || o->nkeys > TXS_MAX_FIELDS) return 0;
    if (o->nkeys && o->keys == NULL) return 0;
    for (size_t i = 0; i < o->nkeys; i++)
        if (o->keys[i] == NULL) return 0;
    return 1;
}

int txs_reader_create(const txs_reader_opts *opts, txs_reader **out)
{
    if (out) *out = NULL;
    if (opts == NULL || out == NULL) return TXS_E_ARG;
    txs_reader_opts o = *opts;
    if (o.delimiter == 0) o.delimiter = ','; /* zeroed opts mean RFC 4180 */
    if (o.quote == 0) o.quote = '"';
    if (!check_opts(&o)) return TXS_E_ARG;
    txs_reader *r = calloc(1, sizeof *r);
    if (r == NULL) return TXS_E_NOMEM;
    r->opts = o;
    r->batch_max = o.batch_records && o.batch_records < TXS_BATCH_RECORDS ? o.batch_records
                                                                          : TXS_BATCH_RECORDS;
    r->pool_cap = pool_slots(r->batch_max);
    for (size_t i = 0; i < o.nkeys; i++) r->klen[i] = strlen(o.keys[i]);
    r->need = o.format == TXS_FMT_CSV ? TXS_MAX_FIELDS : (uint32_t)o.nkeys;
    r->simd = txs__input_have_simd();
    r->cap = TXS_READ_CHUNK + TXS_MAX_RECORD;
    r->buf = txs_big_calloc(r->cap + TXS__INPUT_PAD, 1);
    r->pool = r->own_pool = txs_big_calloc(r->pool_cap, sizeof *r->pool);
    r->idx = txs_big_calloc(IDX_RECS, sizeof *r->idx);
    txs_arena_init(&r->harena, 16 * 1024);
    if (r->buf == NULL || r->pool == NULL || r->idx == NULL) {
        txs_reader_free(r);
        return TXS_E_NOMEM;
    }
    *out = r;
    return TXS_OK;
}

void txs_reader_free(txs_reader *r)
{
    if (r == NULL) return;
    txs_big_free(r->buf);
    txs_big_free(r->own_pool);
    txs_big_free(r->idx);
    free(r->hdr_mem);
    txs_arena_free(&r->harena);
    free(r);
}

void txs_reader_force_scalar(txs_reader *r, int on)
{
    r->simd = on ? 0 : txs__input_have_simd();
}

/* Move the unframed tail to the front and read until full or end. */
static int refill(txs_reader *r)
{
    size_t keep = r->len - r->pos;
    if (r->pos) {
        memmove(r->buf, r->buf + r->pos, keep);
        r->buf_off += r->pos;
        r->pos = 0;
        r->len = keep;
    }
    while (r->len < r->cap && !r->eof) {
        ssize_t n = txs_source_read(r->src, r->buf + r->len, r->cap - r->len);
        if (n < 0) {
            snprintf(r->err, sizeof r->err, "%s", txs_source_error(r->src));
            return r->status = (int)n;
        }
        if (n == 0) r->eof = 1;
        r->len += (size_t)n;
    }
    /* The scanner reads (and masks off) up to 63 bytes past the data: keep
     * them defined, so memory checkers see no uninitialised reads. */
    memset(r->buf + r->len, 0, TXS__INPUT_PAD);
    return FR_PROGRESS;
}

/* Append a record starting at p; line and offset from the reader state. */
static txs_record *new_record(txs_reader *r, txs_batch *b, const char *p, size_t n)
{
    txs_record *rec = &b->rec[b->n++];
    rec->raw = (txs_slice){p, n};
    rec->line = r->line;
    rec->offset = r->buf_off + (uint64_t)(p - r->buf);
    rec->error = TXS_FRAME_OK;
    rec->detail = NULL;
    rec->nfields = 0;
    rec->fields = NULL;
    return rec;
}

static void reject(txs_record *rec, int error, const char *detail)
{
    rec->error = (txs_frame_error)error;
    rec->detail = detail;
    rec->nfields = 0;
    rec->fields = NULL;
}

/* Where framing resumes after a record [p, stop) (stop at its LF if lf). */
static void advance(txs_reader *r, const char *p, const char *stop, int lf, int quoted)
{
    r->line += (uint64_t)lf;
    if (quoted) /* LFs inside quoted fields count as lines too */
        for (const char *c = p; (c = memchr(c, '\n', (size_t)(stop - c))) != NULL; c++)
            r->line++;
    r->pos = (size_t)(stop - r->buf) + (size_t)lf;
}

static size_t trim_cr(const char *p, const char *stop)
{
    size_t n = (size_t)(stop - p);
    return (n && stop[-1] == '\r') ? n - 1 : n;
}

/* A too-long record at p: reject it with raw cut to its first line (at
 * most TXS_MAX_RECORD bytes) and resume after that line's LF, skipping in
 * later batches when the LF is not in the buffer yet. */
static int too_long(txs_reader *r, txs_batch *b, const char *p, size_t avail)
{
    const char *lf = memchr(p, '\n', avail);
    size_t n = lf ? trim_cr(p, lf) : TXS_MAX_RECORD;
    if (n > TXS_MAX_RECORD) n = TXS_MAX_RECORD;
    txs_record *rec = new_record(r, b, p, n);
    reject(rec, TXS_FRAME_TOO_LONG,
           txs__input_reason(&b->arena, "record longer than %u bytes", TXS_MAX_RECORD));
    if (lf) {
        advance(r, p, lf, 1, 0);
    } else {
        r->pos = r->len;
        r->skipping = 1;
    }
    return FR_PROGRESS;
}

/* Continue skipping a too-long record: drop bytes up to and including the
 * next LF. */
static int skip_line(txs_reader *r)
{
    const char *p = r->buf + r->pos;
    const char *lf = memchr(p, '\n', r->len - r->pos);
    if (lf) {
        advance(r, p, lf, 1, 0);
        r->skipping = 0;
        return FR_PROGRESS;
    }
    r->pos = r->len;
    if (r->eof) r->skipping = 0;
    return r->eof ? FR_PROGRESS : FR_MORE;
}

/* Stage 2 for a CSV record [p, stop) already scanned into sc and fields f. */
static int csv_record(txs_reader *r, txs_batch *b, const char *p, const char *stop,
                      int lf, const txs__csv_scan *sc, txs_slice *f)
{
    size_t n = trim_cr(p, stop);
    uint64_t line = r->line;
    advance(r, p, stop, lf, sc->flags & TXS__SCAN_QLF);
    if (n == 0) return FR_PROGRESS; /* empty line: not a record */
    txs_record *rec = new_record(r, b, p, n);
    rec->line = line;
    uint32_t nf = sc->nsep + 1;
    if (sc->nsep < TXS_MAX_FIELDS) f[sc->nsep] = (txs_slice){sc->last, (size_t)(p + n - sc->last)};
    const char *detail = NULL;
    int rc = TXS_FRAME_OK;
    if (sc->flags) {
        uint32_t kept = nf < TXS_MAX_FIELDS ? nf : TXS_MAX_FIELDS;
        rc = txs__input_csv_check(rec->raw, f, kept, sc->flags, r->opts.quote, &b->arena,
                                  &detail);
        if (rc < 0) return rc;
    }
    if (rc == TXS_FRAME_OK && nf > TXS_MAX_FIELDS) {
        rc = TXS_FRAME_TOO_MANY_FIELDS;
        detail = txs__input_reason(&b->arena, "more than %u fields", TXS_MAX_FIELDS);
    }
    if (rc == TXS_FRAME_OK && r->have_hdr && nf != r->nhdr) {
        rc = TXS_FRAME_COLUMNS;
        detail = txs__input_reason(&b->arena, "expected %zu fields (as the header), found %u",
                                   r->nhdr, nf);
    }
    if (rc != TXS_FRAME_OK) {
        reject(rec, rc, detail);
        return FR_PROGRESS;
    }
    rec->fields = f;
    rec->nfields = nf;
    r->pool_used += nf;
    return FR_PROGRESS;
}

/* The source ended inside quotes: cut the record at its first LF (or take
 * all that is left) and let stage 2 say what is wrong with that line. */
static int csv_unterminated(txs_reader *r, txs_batch *b, const char *p, size_t avail,
                            txs_slice *f)
{
    const char *lf = memchr(p, '\n', avail);
    const char *stop = lf ? lf : p + avail;
    txs__csv_scan sc;
    txs__input_csv_scan(p, stop, r->opts.delimiter, r->opts.quote, f, TXS_MAX_FIELDS,
                        r->simd, &sc);
    size_t before = b->n;
    int rc = csv_record(r, b, p, stop, lf != NULL, &sc, f);
    if (rc >= 0 && b->n > before && b->rec[before].error == TXS_FRAME_OK) {
        /* Unreachable while the line has odd quote parity; kept as a guard. */
        r->pool_used -= b->rec[before].nfields;
        reject(&b->rec[before], TXS_FRAME_UNTERMINATED_QUOTE, "unterminated quoted field");
    }
    return rc;
}

/* Frame the record at p with the per-record scanner, its fields in f (room
 * for TXS_MAX_FIELDS). */
static int frame_csv_at(txs_reader *r, txs_batch *b, const char *p, size_t avail,
                        txs_slice *f)
{
    size_t lim = avail < TXS_MAX_RECORD ? avail : TXS_MAX_RECORD;
    txs__csv_scan sc;
    txs__input_csv_scan(p, p + lim, r->opts.delimiter, r->opts.quote, f, TXS_MAX_FIELDS,
                        r->simd, &sc);
    if (sc.end) return csv_record(r, b, p, sc.end, 1, &sc, f);
    if (r->eof && avail <= TXS_MAX_RECORD) {
        if (sc.inquote) return csv_unterminated(r, b, p, avail, f);
        return csv_record(r, b, p, p + avail, 0, &sc, f);
    }
    if (!r->eof && avail < TXS_MAX_RECORD) return FR_MORE;
    return too_long(r, b, p, avail);
}

static int frame_csv(txs_reader *r, txs_batch *b, const char *p, size_t avail)
{
    return frame_csv_at(r, b, p, avail, r->pool + r->pool_used);
}

/* An indexed record the index did not vouch for, framed again from its
 * start by the per-record path.  Its fields go to scratch first, since that
 * path may store past a record's fields, where the window's next records
 * are; an accepted record's fields then move to their pool place (within
 * the slots the index gave this record). */
static int csv_reframe(txs_reader *r, txs_batch *b, const char *p)
{
    size_t before = b->n;
    int rc = frame_csv_at(r, b, p, r->len - r->pos, r->scratch);
    if (rc >= 0 && b->n > before && b->rec[before].fields == r->scratch) {
        txs_record *rec = &b->rec[before];
        rec->fields = r->pool + r->pool_used - rec->nfields;
        memcpy(rec->fields, r->scratch, rec->nfields * sizeof *rec->fields);
    }
    return rc;
}

/* Stage 2 for an indexed record the index vouched for (no TXS__IDX_SLOW or
 * WIDE): its separator-ended fields are final (quotes stripped), no NUL, no
 * LF inside quotes, at most TXS_MAX_FIELDS fields.  What is left is what
 * csv_record would do: the line end, the last field (its slot holds it up
 * to the LF), UTF-8, the header's field count, in csv_record's order.  An
 * empty last field points at the line end, never at a quote. */
static void csv_plain(txs_reader *r, txs_batch *b, const char *p, const char *lf,
                      txs_slice *f, const txs__csv_rec *x)
{
    size_t n = trim_cr(p, lf);
    uint64_t line = r->line++;
    r->pos = (size_t)(lf + 1 - r->buf);
    if (n == 0) return; /* empty line: not a record */
    txs_record *rec = new_record(r, b, p, n);
    rec->line = line;
    txs_slice *last = &f[x->nsep];
    last->n = (size_t)(p + n - last->p);
    if (last->p[0] == r->opts.quote) {
        last->p++;
        last->n -= 2;
    }
    uint32_t nf = x->nsep + 1;
    if ((x->flags & TXS__SCAN_HIGH) && !txs__input_utf8_valid_simd(p, n)) {
        size_t bad = txs__input_utf8_check(p, n);
        if (bad < n) {
            reject(rec, TXS_FRAME_UTF8,
                   txs__input_reason(&b->arena, "invalid UTF-8 at byte %zu of the record",
                                     bad + 1));
            return;
        }
    }
    if (r->have_hdr && nf != r->nhdr) {
        reject(rec, TXS_FRAME_COLUMNS,
               txs__input_reason(&b->arena, "expected %zu fields (as the header), found %u",
                                 r->nhdr, nf));
        return;
    }
    rec->fields = f;
    rec->nfields = nf;
    r->pool_used += nf;
}

/* Frame the records of one indexed window, in order, until the window or
 * the batch is done.  The index wrote each record's slices where the pool
 * would have them if no record before it in the window had been dropped;
 * after a rejected record or an empty line they are moved down, so the pool
 * is used exactly as the per-record path uses it.  Records the index did
 * not vouch for are framed again by the per-record path (the reference), as
 * is a window with no complete record (a long record, the end of input). */
static int frame_csv_window(txs_reader *r, txs_batch *b)
{
    const char *base = r->buf + r->pos;
    size_t avail = r->len - r->pos, room = r->batch_max - b->n;
    txs_slice *f = r->pool + r->pool_used;
    size_t nrec = txs__input_csv_index(base, avail < IDX_WINDOW ? avail : IDX_WINDOW,
                                       r->opts.delimiter, r->opts.quote, f,
                                       r->pool_cap - r->pool_used, r->idx,
                                       room < IDX_RECS ? room : IDX_RECS);
    if (nrec == 0) return frame_csv(r, b, base, avail);
    for (size_t i = 0; i < nrec; i++) {
        if (b->n >= r->batch_max || r->pool_cap - r->pool_used < r->need) break;
        const txs__csv_rec *x = &r->idx[i];
        const char *p = r->buf + r->pos;
        if (x->flags & (TXS__IDX_SLOW | TXS__IDX_WIDE)) {
            int rc = csv_reframe(r, b, p);
            if (rc < 0) return rc;
            continue;
        }
        txs_slice *dst = r->pool + r->pool_used;
        if (f + x->f0 != dst) memmove(dst, f + x->f0, (x->nsep + 1) * sizeof *dst);
        csv_plain(r, b, p, base + x->end, dst, x);
    }
    return FR_PROGRESS;
}

static int json_record(txs_reader *r, txs_batch *b, const char *p, const char *stop, int lf)
{
    size_t n = trim_cr(p, stop);
    uint64_t line = r->line;
    advance(r, p, stop, lf, 0);
    if (n == 0) return FR_PROGRESS;
    txs_record *rec = new_record(r, b, p, n);
    rec->line = line;
    txs_slice *f = r->pool + r->pool_used;
    const char *detail = NULL;
    int rc = txs__input_json_record(rec->raw, r->opts.keys, r->klen, r->opts.nkeys, f,
                                    &b->arena, &detail);
    if (rc < 0) return rc;
    if (rc != TXS_FRAME_OK) {
        reject(rec, rc, detail);
        return FR_PROGRESS;
    }
    rec->fields = f;
    rec->nfields = (uint32_t)r->opts.nkeys;
    r->pool_used += r->opts.nkeys;
    return FR_PROGRESS;
}

/* JSON text cannot hold a raw LF, so a JSONL record is simply a line. */
static int frame_jsonl(txs_reader *r, txs_batch *b, const char *p, size_t avail)
{
    size_t lim = avail < TXS_MAX_RECORD ? avail : TXS_MAX_RECORD;
    const char *lf = memchr(p, '\n', lim);
    if (lf) return json_record(r, b, p, lf, 1);
    if (r->eof && avail <= TXS_MAX_RECORD) return json_record(r, b, p, p + avail, 0);
    if (!r->eof && avail < TXS_MAX_RECORD) return FR_MORE;
    return too_long(r, b, p, avail);
}

/* Frame the record at pos: FR_PROGRESS (a record appended, or an empty line
 * skipped), FR_MORE (needs a refill), FR_END, or a negative status.  With
 * many (and AVX2), CSV frames a whole window of records at once. */
static int frame_one(txs_reader *r, txs_batch *b, int many)
{
    if (r->skipping) return skip_line(r);
    const char *p = r->buf + r->pos;
    size_t avail = r->len - r->pos;
    if (avail == 0) return r->eof ? FR_END : FR_MORE;
    if (r->opts.format == TXS_FMT_JSONL) return frame_jsonl(r, b, p, avail);
    if (many && r->simd) return frame_csv_window(r, b);
    return frame_csv(r, b, p, avail);
}

/* Keep a copy of the header's fields: the buffer they point into moves. */
static int keep_header(txs_reader *r, const txs_record *h)
{
    size_t total = 1;
    for (uint32_t i = 0; i < h->nfields; i++) total += h->fields[i].n;
    char *mem = realloc(r->hdr_mem, total);
    if (mem == NULL) return TXS_E_NOMEM;
    r->hdr_mem = mem;
    for (uint32_t i = 0; i < h->nfields; i++) {
        if (h->fields[i].n) memcpy(mem, h->fields[i].p, h->fields[i].n);
        r->hdr[i] = (txs_slice){mem, h->fields[i].n};
        mem += h->fields[i].n;
    }
    r->nhdr = h->nfields;
    r->have_hdr = 1;
    return TXS_OK;
}

/* Frame the first record of the source as the header (none if empty). */
static int read_header(txs_reader *r)
{
    txs_record h;
    txs_batch hb = {.rec = &h, .n = 0, .arena = r->harena};
    int rc;
    r->pool_used = 0;
    while (hb.n == 0) {
        rc = frame_one(r, &hb, 0); /* hb holds one record */
        if (rc == FR_MORE) rc = refill(r);
        if (rc <= 0) break;
    }
    if (hb.n && h.error != TXS_FRAME_OK) {
        snprintf(r->err, sizeof r->err, "%s:%llu: bad header: %s", txs_source_name(r->src),
                 (unsigned long long)h.line, h.detail);
        rc = TXS_E_FORMAT;
    } else if (hb.n) {
        rc = keep_header(r, &h);
    }
    txs_arena_reset(&hb.arena);
    r->harena = hb.arena;
    r->pool_used = 0;
    return rc < 0 ? rc : TXS_OK;
}

int txs_reader_attach(txs_reader *r, txs_source *s)
{
    if (r == NULL || s == NULL) return TXS_E_ARG;
    r->src = s;
    r->len = r->pos = 0;
    r->buf_off = 0;
    r->line = 1;
    r->eof = r->skipping = r->status = 0;
    r->nhdr = 0;
    r->have_hdr = 0;
    r->err[0] = '\0';
    int rc = refill(r);
    if (rc < 0) return rc;
    if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
    if (r->opts.format == TXS_FMT_CSV && r->opts.header) return read_header(r);
    return TXS_OK;
}

const txs_slice *txs_reader_header(const txs_reader *r, size_t *n)
{
    if (n) *n = r ? r->nhdr : 0;
    return r ? r->hdr : NULL;
}

const char *txs_reader_error(const txs_reader *r)
{
    return r ? r->err : "";
}

/* Hot loop over records: everything per record happens in frame_one. */
int txs_reader_next(txs_reader *r, txs_batch *b)
{
    if (r == NULL || b == NULL || r->src == NULL) return TXS_E_ARG;
    if (b->rec == NULL && (b->rec = txs_big_calloc(TXS_BATCH_RECORDS, sizeof *b->rec)) == NULL)
        return TXS_E_NOMEM;
    txs_arena_reset(&b->arena);
    b->n = 0;
    r->pool_used = 0;
    if (r->status < 0) return r->status;
    while (b->n < r->batch_max && r->pool_cap - r->pool_used >= r->need) {
        int rc = frame_one(r, b, 1);
        if (rc == FR_END) break;
        if (rc == FR_MORE) {
            if (b->n) break; /* the batch borrows from the buffer */
            rc = refill(r);
        }
        if (rc < 0) return r->status = rc;
    }
    return (int)b->n;
}

/* Detached batches (threads): the records frame into the batch's own
 * pool, then the span of the buffer they borrow is copied out.  Records are
 * framed in buffer order and a batch never spans a refill, so the span is
 * [first record's start, furthest record end]; fields and raw bytes lie in
 * it, reasons and unescaped values in the batch arena.  The copy carries
 * zero padding like the buffer, for scanners that read whole blocks. */
int txs_reader_next_detached(txs_reader *r, txs_batch *b)
{
    if (r == NULL || b == NULL) return TXS_E_ARG;
    if (b->pool == NULL && (b->pool = txs_big_calloc(POOL_SLOTS, sizeof *b->pool)) == NULL)
        return TXS_E_NOMEM;
    b->moved_lo = b->moved_hi = 0;
    r->pool = b->pool;
    int rc = txs_reader_next(r, b);
    r->pool = r->own_pool;
    if (rc <= 0) return rc;
    uintptr_t blo = (uintptr_t)r->buf, bhi = (uintptr_t)(r->buf + r->cap + TXS__INPUT_PAD);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (size_t i = 0; i < b->n; i++) {
        uintptr_t p = (uintptr_t)b->rec[i].raw.p;
        if (p < blo || p >= bhi) continue;
        if (p < lo) lo = p;
        if (p + b->rec[i].raw.n > hi) hi = p + b->rec[i].raw.n;
    }
    if (hi == 0) return rc; /* nothing borrowed from the buffer */
    size_t need = (size_t)(hi - lo) + TXS__INPUT_PAD;
    if (need > b->copy_cap) {
        char *c = realloc(b->copy, need);
        if (c == NULL) return r->status = TXS_E_NOMEM;
        b->copy = c;
        b->copy_cap = need;
    }
    memcpy(b->copy, (const char *)lo, (size_t)(hi - lo));
    memset(b->copy + (hi - lo), 0, TXS__INPUT_PAD);
    b->moved_lo = lo;
    b->moved_hi = hi;
    return rc;
}

static inline const char *moved(const txs_batch *b, const char *p)
{
    uintptr_t u = (uintptr_t)p;
    return u >= b->moved_lo && u <= b->moved_hi ? b->copy + (u - b->moved_lo) : p;
}

void txs_batch_rebase(txs_batch *b)
{
    if (b->moved_hi == 0) return;
    for (size_t i = 0; i < b->n; i++) {
        txs_record *rec = &b->rec[i];
        rec->raw.p = moved(b, rec->raw.p);
        if (rec->detail) rec->detail = moved(b, rec->detail);
        for (uint32_t k = 0; rec->fields && k < rec->nfields; k++)
            if (rec->fields[k].p) rec->fields[k].p = moved(b, rec->fields[k].p);
    }
    b->moved_lo = b->moved_hi = 0;
}

void txs_batch_init(txs_batch *b)
{
    memset(b, 0, sizeof *b);
    txs_arena_init(&b->arena, 64 * 1024);
}

void txs_batch_free(txs_batch *b)
{
    if (b == NULL) return;
    txs_big_free(b->rec);
    txs_big_free(b->pool);
    free(b->copy);
    b->rec = NULL;
    b->pool = NULL;
    b->copy = NULL;
    b->copy_cap = 0;
    b->n = 0;
    txs_arena_free(&b->arena);
}
