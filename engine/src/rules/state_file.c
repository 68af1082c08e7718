/*
 * state_file.c: the --state file: writing a state (in identity order, so
 * the bytes depend neither on partitions nor on the order accounts were
 * seen), keeping the previous file as .prev, the inputs a state absorbed,
 * and loading a file into a table or its partitions with every read
 * bounds-checked.
 *
 * A state loaded for look-back only (txs_state_load_lookback: `rescreen`,
 * which reads and writes the counterparties, lists and cases and no
 * account) keeps the file mapped and open and writes the account records
 * back as the very bytes it read, under the rule-set hash they were written
 * with, rather than parsing and re-serialising every account: the kernel
 * copies them from the old file into the new one (txs_out_copy), which
 * costs a third of writing them.  State files are only ever replaced by a
 * rename, never written in place, so the open file holds the bytes the
 * mapping shows and the checksum is computed over.  The counterparties are
 * written as the register yields them, the section's size summed first.
 *
 * State file (version 5), little-endian, written atomically:
 *   "TXSSTATE" u32 version u32 reserved u64 ruleset_hash i64 observed_since
 *   i64 max_ts u64 naccounts, u32 ninputs u32 reserved and the inputs
 *   absorbed (state_ledger.c; version 2 had neither), then (version 4) u64
 *   the look-back section's bytes and the section:
 *     u32 nlists u32 reserved, per list u64 snapshot hash, u16 path length
 *     and the path; u64 ncounterparties, per counterparty in identity
 *     order u64 h[0] u64 h[1] i64 last_ts u32 seen u8 kind u8 name length
 *     u8 reference length char[2] country, the name, the reference;
 *   then (version 5) u64 the case section's bytes and the section (the
 *   open cases, state_cases.c);
 *   then per account in identity order (h[0],
 *   then h[1], so the bytes do not depend on partitions or the order
 *   accounts were first seen): the txs_acct fields (no
 *   pointers), u16 nevents, the events, u8 nreach, u8 nbranches, the reach
 *   entries, the branches; then
 *   u64 xxh3 of everything before it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_DISPATCH_DISABLE_REPLACE /* the _dispatch names are written out */
#include <xxh_x86dispatch.h>
#include <xxhash.h>

#include "rules/state_int.h"
#include "txs/emit.h"
#include "txs/state.h"

#define STATE_MAGIC "TXSSTATE"
#define STATE_VERSION 5u
#define STATE_HDR 48u  /* through naccounts; version 3 adds 8 more */
#define CP_REC 33u     /* a counterparty's fixed bytes in the file */

int txs_state_has_input(const txs_state *s, uint64_t xxh3, uint64_t bytes)
{
    return txs__ledger_has(s->ledger, xxh3, bytes);
}

int txs_state_add_input(txs_state *s, const txs_state_input *in)
{
    return txs__ledger_add(s->ledger, in);
}

typedef struct wbuf {
    txs_buf b;
    uint64_t h;
    XXH3_state_t *xs;
} wbuf;

static void wput(wbuf *w, const void *p, size_t n)
{
    txs_buf_put(&w->b, p, n);
}

static int flush(wbuf *w, txs_out *o, txs_diag *d)
{
    if (w->b.oom) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    XXH3_64bits_update_dispatch(w->xs, w->b.p, w->b.n);
    int rc = txs_out_write(o, w->b.p, w->b.n, d);
    w->b.n = 0;
    return rc;
}

/* One account to save: where it lives, ordered by identity so the file
 * does not depend on the order accounts were seen in, nor on partitions. */
typedef struct saved {
    const txs_acct *a;
    const txs_graph *g;
} saved;

static int saved_cmp(const void *x, const void *y)
{
    const txs_acct *a = ((const saved *)x)->a, *b = ((const saved *)y)->a;
    if (a->h[0] != b->h[0]) return a->h[0] < b->h[0] ? -1 : 1;
    return a->h[1] < b->h[1] ? -1 : a->h[1] > b->h[1];
}

/* Make the file that becomes path.prev when a run's outputs are published:
 * a hard link to the current state under a temporary name beside
 * path.prev (txs_out_mktemp's pattern), or an empty file before a first run
 * (which loads as the empty state).  The commit renames it over the old
 * .prev, so a crash leaves either the old .prev or the new one, never none. */
int txs_state_prev_prepare(const char *path, char *tmp, size_t cap, txs_diag *d)
{
    char prev[4096];
    if (snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "path too long");
    struct stat sb;
    int first = stat(path, &sb) < 0;
    if (first && errno != ENOENT)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "cannot stat: %s", strerror(errno));
    /* The temporary is named as every output's is (txs_out_mktemp), so a
     * killed run's leftover is swept like the others. */
    int fd = txs_out_mktemp(prev, tmp, cap);
    if (fd < 0)
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(errno));
    close(fd);
    if (!first && (unlink(tmp) < 0 || link(path, tmp) < 0)) {
        int e = errno;
        unlink(tmp);
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(e));
    }
    return TXS_OK;
}

static int keep_prev(const char *path, txs_diag *d)
{
    char prev[4096], tmp[4096];
    if (snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev)
        return txs_diag_set(d, TXS_E_OUTPUT, path, 0, "path too long");
    TXS_TRY(txs_state_prev_prepare(path, tmp, sizeof tmp, d));
    if (rename(tmp, prev) < 0) {
        int e = errno;
        unlink(tmp);
        return txs_diag_set(d, TXS_E_OUTPUT, prev, 0, "cannot keep the previous state: %s",
                            strerror(e));
    }
    return TXS_OK;
}

int txs_state_save(txs_state *s, const char *path, txs_diag *d)
{
    return txs_state_save_as(s, path, 1, d);
}

int txs_state_save_as(txs_state *s, const char *path, int keep, txs_diag *d)
{
    txs_out *o;
    TXS_TRY(txs_out_open(path, &o, d));
    int rc = txs_state_write(s, o, d);
    if (rc == 0 && keep) rc = keep_prev(path, d);
    if (rc < 0) {
        txs_out_abort(o);
        return rc;
    }
    return txs_out_commit(o, d);
}

/* Where the counterparties are written: straight into the file's buffer,
 * flushed every megabyte (a million of them are 80 MB). */
typedef struct cpw {
    wbuf *w;
    txs_out *o;
    txs_diag *d;
} cpw;

static int put_cp(void *ctx, const txs_state_cp *c)
{
    cpw *x = ctx;
    unsigned char rec[CP_REC];
    uint8_t nn = (uint8_t)c->value.n, rn = (uint8_t)c->ref.n;
    memcpy(rec, c->h, 16);
    memcpy(rec + 16, &c->last_ts, 8);
    memcpy(rec + 24, &c->seen, 4);
    rec[28] = (uint8_t)c->kind;
    rec[29] = nn;
    rec[30] = rn;
    memcpy(rec + 31, c->cc, 2);
    wput(x->w, rec, CP_REC);
    wput(x->w, c->value.p, nn);
    wput(x->w, c->ref.p, rn);
    return x->w->b.n > (1u << 20) ? flush(x->w, x->o, x->d) : TXS_OK;
}

/* The look-back section (version 4), its size first: the lists this run
 * screened with and the counterparties still within their retention, in
 * identity order.  The size is summed before the records are written, so
 * they are written as they are read, not gathered in a buffer first. */
static int lookback_section(txs_state *s, wbuf *w, txs_out *o, txs_diag *d)
{
    if (txs__cp_expire(s) < 0) return TXS_E_NOMEM;
    uint32_t nl = (uint32_t)s->nlists_now, zero = 0;
    uint64_t ncp = txs__cp_count(s, NULL);
    uint64_t size = 8 + 8 + ncp * CP_REC + txs__cp_text(s);
    for (size_t i = 0; i < s->nlists_now; i++) size += 8 + 2 + strlen(s->lists_now[i].path);
    wput(w, &size, 8);
    wput(w, &nl, 4);
    wput(w, &zero, 4);
    for (size_t i = 0; i < s->nlists_now; i++) {
        uint16_t pn = (uint16_t)strlen(s->lists_now[i].path);
        wput(w, &s->lists_now[i].hash, 8);
        wput(w, &pn, 2);
        wput(w, s->lists_now[i].path, pn);
    }
    wput(w, &ncp, 8);
    cpw x = {w, o, d};
    return txs_state_counterparties(s, put_cp, &x);
}

int txs_state_write(txs_state *s, txs_out *o, txs_diag *d)
{
    const char *path = txs_out_path(o);
    size_t na = 0, k = 0;
    unsigned nt = s->nparts ? s->nparts : 1;
    for (unsigned p = 0; p < nt; p++) na += (s->nparts ? s->part[p] : s)->n;
    saved *v = malloc((na ? na : 1) * sizeof *v);
    if (v == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    static const txs_graph none;
    for (unsigned p = 0; p < nt; p++) {
        const txs_state *q = s->nparts ? s->part[p] : s;
        for (size_t i = 0; i < q->n; i++) {
            const txs_acct *a = &q->accts[i], *l = s->nparts ? txs__state_find(s->link, a->h) : a;
            v[k++] = (saved){a, l ? &l->g : &none};
        }
    }
    qsort(v, na, sizeof *v, saved_cmp);
    int rc = TXS_OK;
    wbuf w = {{0}, 0, XXH3_createState()};
    if (w.xs == NULL) {
        free(v);
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    XXH3_64bits_reset(w.xs);
    const txs_state_stats *st = txs_state_get_stats(s);
    uint32_t ver = STATE_VERSION, zero = 0;
    uint64_t n64 = s->raw.map ? s->raw.na : na;
    wput(&w, STATE_MAGIC, 8);
    wput(&w, &ver, 4);
    wput(&w, &zero, 4);
    /* Accounts copied as they are keep the rule set they were judged under. */
    wput(&w, s->raw.map ? &s->raw.rules_hash : &s->rules_hash, 8);
    wput(&w, &st->observed_since, 8);
    wput(&w, &st->max_ts, 8);
    wput(&w, &n64, 8);
    size_t nl;
    const void *lp = txs__ledger_bytes(s->ledger, &nl);
    uint32_t ni = (uint32_t)txs__ledger_count(s->ledger);
    wput(&w, &ni, 4);
    wput(&w, &zero, 4);
    if (nl) wput(&w, lp, nl);
    txs_buf lb = {0};
    rc = lookback_section(s, &w, o, d);
    if (rc == 0 && w.b.oom) rc = TXS_E_NOMEM;
    if (rc == TXS_E_NOMEM) rc = txs_diag_set(d, rc, path, 0, "out of memory");
    if (rc == 0 && (rc = txs__case_section(s, &lb)) == 0) {
        uint64_t cn = lb.n;
        wput(&w, &cn, 8);
        wput(&w, lb.p, lb.n);
    } else if (rc == TXS_E_NOMEM) {
        rc = txs_diag_set(d, rc, path, 0, "out of memory");
    }
    txs_buf_free(&lb);
    for (size_t i = 0; i < na && rc == 0; i++) {
        txs_acct a = *v[i].a;
        uint16_t ne = a.n;
        const txs_ev *ev = a.ev;
        txs_graph g = *v[i].g;
        a.ev = NULL;
        a.cap = 0;
        memset(&a.g, 0, sizeof a.g);
        wput(&w, &a, sizeof a);
        wput(&w, &ne, 2);
        if (ne) wput(&w, ev, ne * sizeof *ev);
        wput(&w, &g.nreach, 1);
        wput(&w, &g.nbr, 1);
        if (g.nreach) wput(&w, g.reach, g.nreach * sizeof *g.reach);
        if (g.nbr) wput(&w, g.br, g.nbr * sizeof *g.br);
        if (w.b.n > (1u << 20)) rc = flush(&w, o, d);
    }
    free(v);
    if (rc == 0) rc = flush(&w, o, d);
    if (rc == 0 && s->raw.map) {
        const unsigned char *p = s->raw.map + s->raw.off;
        XXH3_64bits_update_dispatch(w.xs, p, s->raw.len);
        rc = txs_out_copy(o, p, s->raw.len, s->raw.fd, s->raw.off, d);
    }
    if (rc == 0) {
        uint64_t h = XXH3_64bits_digest(w.xs);
        rc = txs_out_write(o, &h, 8, d);
    }
    XXH3_freeState(w.xs);
    txs_buf_free(&w.b);
    return rc;
}

int txs_state_absorb(txs_state *s, const txs_state_input *in, size_t n, const char *const *names,
                     const char *state_path, txs_diag *d)
{
    for (size_t i = 0; i < n; i++)
        if (txs__ledger_has(s->ledger, in[i].xxh3, in[i].bytes))
            return txs_diag_set(d, TXS_E_ARG, names[i], 0,
                                "already absorbed into the state %s (xxh3 %016llx, %llu bytes): "
                                "screening it again would count its transactions twice; to "
                                "redo the last run, add --reprocess",
                                state_path, (unsigned long long)in[i].xxh3,
                                (unsigned long long)in[i].bytes);
    for (size_t i = 0; i < n; i++) TXS_TRY(txs__ledger_add(s->ledger, &in[i]));
    return TXS_OK;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, at;
} rbuf;

static int rget(rbuf *r, void *dst, size_t n)
{
    if (r->n - r->at < n) return -1;
    memcpy(dst, r->p + r->at, n);
    r->at += n;
    return 0;
}

static int corrupt(txs_diag *d, const char *path, const char *what, size_t at);

/* Read k items of size bytes into a new heap block *dst (k > 0). */
static int rget_block(rbuf *r, void **dst, size_t k, size_t size, const char *what,
                      txs_diag *d, const char *path)
{
    *dst = malloc(k * size);
    if (*dst == NULL) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    return rget(r, *dst, k * size) ? corrupt(d, path, what, r->at) : 0;
}

static int corrupt(txs_diag *d, const char *path, const char *what, size_t at)
{
    return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                        "not a usable txscreen state file: %s (at byte %zu); remove it to "
                        "start from empty state",
                        what, at);
}

/* Map a state file read-only.  It must be a regular file (not a device or
 * FIFO, which could feed bytes without end, nor a folder); a missing one
 * gives TXS_E_NOTFOUND (a first run) and an empty one *n = 0 (the state
 * before a first run, as keep_prev leaves it).  Mapping costs nothing per
 * byte, so a wrong path is refused in microseconds, not after gigabytes. */
static int state_map(const char *path, unsigned char **buf, size_t *n, int *keep_fd,
                     txs_diag *d)
{
    *buf = NULL;
    *n = 0;
    if (keep_fd) *keep_fd = -1;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        return txs_diag_set(d, e == ENOENT ? TXS_E_NOTFOUND : TXS_E_IO, path, 0,
                            "cannot open: %s", strerror(e));
    }
    struct stat sb;
    int rc = fstat(fd, &sb) < 0 ? txs_diag_set(d, TXS_E_IO, path, 0, "cannot stat: %s",
                                               strerror(errno))
             : !S_ISREG(sb.st_mode)
                 ? txs_diag_set(d, TXS_E_FORMAT, path, 0,
                                "not a regular file (a device, FIFO or directory); --state "
                                "takes a file txscreen wrote, or a path that does not exist yet")
                 : TXS_OK;
    if (rc == 0 && sb.st_size > 0) {
        void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) rc = txs_diag_set(d, TXS_E_IO, path, 0, "mmap: %s", strerror(errno));
        else *buf = m, *n = (size_t)sb.st_size;
    }
    if (rc == 0 && *buf && keep_fd) *keep_fd = fd;
    else close(fd);
    return rc;
}

static int short_file(txs_diag *d, const char *path, size_t n)
{
    return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                        "not a usable txscreen state file: %zu bytes cannot hold its header; "
                        "remove it to start from empty state", n);
}

/* Before parsing a mapped state file: our magic and a version we read,
 * and a size its account count allows (each account record lies between
 * its smallest and largest form), so a foreign or damaged file is refused
 * from its header.  *ni gets the number of inputs listed (0 in version 2). */
static int state_check(const unsigned char *h, size_t n, const char *path, uint32_t *ni,
                       txs_diag *d)
{
    *ni = 0;
    if (n < STATE_HDR || memcmp(h, STATE_MAGIC, 8) != 0)
        return corrupt(d, path, "no TXSSTATE header", 0);
    uint32_t ver;
    uint64_t na;
    memcpy(&ver, h + 8, 4);
    memcpy(&na, h + 40, 8);
    if (ver < 2 || ver > STATE_VERSION)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "state file version %u; this txscreen reads versions 2 to %u", ver,
                            STATE_VERSION);
    if (ver >= 3 && n >= STATE_HDR + 4) memcpy(ni, h + STATE_HDR, 4);
    if (*ni > TXS_STATE_INPUTS_MAX) return corrupt(d, path, "bad input list", STATE_HDR);
    uint64_t head = ver >= 3 ? STATE_HDR + 8 + (uint64_t)*ni * sizeof(txs_state_input) : STATE_HDR;
    /* The sections, each its size first: look-back (version 4), cases (5). */
    static const struct { uint32_t since; const char *what; } sect[] = {
        {4, "bad look-back section"}, {5, "bad case section"}};
    for (size_t i = 0; i < sizeof sect / sizeof sect[0]; i++) {
        uint64_t sn;
        if (ver < sect[i].since) continue;
        if ((uint64_t)n < head + 16) return short_file(d, path, n);
        memcpy(&sn, h + head, 8);
        if (sn > (uint64_t)n - head - 16) return corrupt(d, path, sect[i].what, head);
        head += 8 + sn;
    }
    if ((uint64_t)n < head + 8) return short_file(d, path, n);
    txs_acct a;
    uint64_t lo = sizeof a + 4,
             hi = lo + TXS_EV_MAX * sizeof *a.ev + TXS_REACH_MAX * sizeof *a.g.reach +
                  TXS_BRANCH_MAX * sizeof *a.g.br;
    uint64_t body = (uint64_t)n - head - 8;
    if (na > body / lo || body > na * hi)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "not a usable txscreen state file: %zu bytes cannot hold the "
                            "%llu accounts its header names; remove it to start from empty "
                            "state", n, (unsigned long long)na);
    return TXS_OK;
}

/* The look-back section of a version 4 file (its size was checked against
 * the file's by state_check): the lists, then each counterparty into the
 * table or partition owning it. */
static int load_lookback(txs_state *s, rbuf *r, const char *path, txs_diag *d)
{
    uint64_t lbn, ncp;
    uint32_t nl, pad;
    if (rget(r, &lbn, 8)) return corrupt(d, path, "no look-back section", r->at);
    rbuf q = {r->p + r->at, lbn, 0};
    size_t base = r->at;
    r->at += lbn;
    if (rget(&q, &nl, 4) || rget(&q, &pad, 4) || nl > TXS_STATE_LISTS_MAX)
        return corrupt(d, path, "bad list of snapshots", base + q.at);
    txs_state_list lists[TXS_STATE_LISTS_MAX];
    for (uint32_t i = 0; i < nl; i++) {
        uint16_t pn;
        memset(&lists[i], 0, sizeof lists[i]);
        if (rget(&q, &lists[i].hash, 8) || rget(&q, &pn, 2) || pn >= TXS_STATE_LIST_PATH ||
            rget(&q, lists[i].path, pn))
            return corrupt(d, path, "bad list of snapshots", base + q.at);
    }
    if (txs__cp_set_prev(s, lists, nl) < 0)
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    if (rget(&q, &ncp, 8) || ncp > (q.n - q.at) / CP_REC)
        return corrupt(d, path, "bad counterparty count", base + q.at);
    for (uint64_t i = 0; i < ncp; i++) {
        uint64_t h[2];
        int64_t ts;
        uint32_t seen;
        uint8_t kind, nn, rn;
        char cc[2];
        if (rget(&q, h, 16) || rget(&q, &ts, 8) || rget(&q, &seen, 4) || rget(&q, &kind, 1) ||
            rget(&q, &nn, 1) || rget(&q, &rn, 1) || rget(&q, cc, 2) || kind < TXS_CP_NAME ||
            kind > TXS_CP_WALLET || nn > TXS_CP_NAME_MAX || rn > TXS_CP_REF_MAX ||
            q.n - q.at < (size_t)nn + rn)
            return corrupt(d, path, "bad counterparty record", base + q.at);
        txs_slice name = {(const char *)q.p + q.at, nn}, ref = {(const char *)q.p + q.at + nn, rn};
        q.at += (size_t)nn + rn;
        txs_state *t = s->nparts ? s->part[txs__state_part_of(h, s->nparts)] : s;
        int rc = txs__cp_load(&t->cp, h, kind, cc, name, ts, ref, seen);
        if (rc == TXS_E_FORMAT)
            return corrupt(d, path, "a counterparty appears twice", base + q.at);
        if (rc < 0) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    }
    if (q.at != q.n) return corrupt(d, path, "bad look-back section size", base + q.at);
    return TXS_OK;
}

/* The case section of a version 5 file (its size was checked against the
 * file's by state_check). */
static int load_cases(txs_state *s, rbuf *r, const char *path, txs_diag *d)
{
    uint64_t cn;
    size_t at;
    if (rget(r, &cn, 8)) return corrupt(d, path, "no case section", r->at);
    int rc = txs__case_load(s, r->p + r->at, cn, &at);
    if (rc == TXS_E_NOMEM) return txs_diag_set(d, rc, path, 0, "out of memory");
    if (rc < 0) return corrupt(d, path, "bad case record", r->at + at);
    r->at += cn;
    return TXS_OK;
}

/* The accounts' bytes kept mapped by a look-back load, dropped with the
 * state. */
void txs__state_raw_free(txs_state *s)
{
    if (s->raw.map) {
        munmap(s->raw.map, s->raw.maplen);
        close(s->raw.fd);
    }
    memset(&s->raw, 0, sizeof s->raw);
}

/* Load path into s: every account parsed, or (raw) the accounts' bytes
 * kept as they are for txs_state_write to copy. */
static int load(txs_state *s, const char *path, int raw, txs_diag *d)
{
    unsigned char *buf;
    size_t n;
    uint32_t nlisted;
    int fd = -1; /* kept open (raw) for txs_out_copy */
    int rc = state_map(path, &buf, &n, raw ? &fd : NULL, d);
    if (rc == TXS_E_NOTFOUND || (rc == 0 && n == 0)) return 0; /* before a first run */
    if (rc < 0) return rc;
    if ((rc = state_check(buf, n, path, &nlisted, d)) < 0) goto out;
    /* The records are read first and the checksum verified after them,
     * once their end is known to be the file's end, so a file longer than
     * its header's accounts is refused without hashing the rest of it.
     * Every read below is bounds-checked; a failure stops the run. */
    rbuf r = {buf, n - 8, 0};
    char magic[8];
    uint32_t ver, zero;
    uint64_t rhash, na, sum;
    if (rget(&r, magic, 8) || rget(&r, &ver, 4) || rget(&r, &zero, 4) || rget(&r, &rhash, 8) ||
        rget(&r, &s->st.observed_since, 8) || rget(&r, &s->st.max_ts, 8) || rget(&r, &na, 8)) {
        rc = corrupt(d, path, "short header", r.at);
        goto out;
    }
    uint32_t ni = 0, pad;
    if (ver >= 3 && (rget(&r, &ni, 4) || rget(&r, &pad, 4) ||
                     r.n - r.at < (uint64_t)ni * sizeof(txs_state_input) ||
                     (rc = txs__ledger_load(s->ledger, r.p + r.at, ni)) < 0)) {
        rc = rc == TXS_E_NOMEM ? txs_diag_set(d, rc, path, 0, "out of memory")
                               : corrupt(d, path, "bad input list", r.at);
        goto out;
    }
    r.at += (size_t)ni * sizeof(txs_state_input);
    if (ver >= 4 && (rc = load_lookback(s, &r, path, d)) < 0) goto out;
    if (ver >= 5 && (rc = load_cases(s, &r, path, d)) < 0) goto out;
    if (raw) { /* the accounts as they are: their bytes, the whole checksummed */
        memcpy(&sum, buf + n - 8, 8);
        if (XXH3_64bits_dispatch(buf, n - 8) != sum) {
            rc = corrupt(d, path, "checksum mismatch (truncated or damaged)", n - 8);
            goto out;
        }
        s->raw = (struct txs__raw){buf, n, r.at, r.n - r.at, na, rhash, fd};
        s->st.loaded = 1;
        s->st.loaded_accounts = na;
        return TXS_OK;
    }
    s->st.rules_changed = rhash != s->rules_hash;
    for (unsigned k = 0; k < s->nparts; k++) { /* each partition keeps the clock */
        s->part[k]->st.observed_since = s->st.observed_since;
        s->part[k]->st.max_ts = s->st.max_ts;
    }
    for (uint64_t i = 0; i < na; i++) {
        txs_acct a;
        uint16_t ne;
        if (rget(&r, &a, sizeof a) || rget(&r, &ne, 2) || ne > TXS_EV_MAX) {
            rc = corrupt(d, path, "bad account record", r.at);
            goto out;
        }
        txs_acct *dst = txs__state_get(s->nparts ? s->part[txs__state_part_of(a.h, s->nparts)] : s, a.h);
        if (dst == NULL) {
            rc = txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
            goto out;
        }
        if (dst->n || dst->first_ts || dst->g.nreach || dst->g.nbr) {
            rc = corrupt(d, path, "an account appears twice", r.at);
            goto out;
        }
        a.ev = NULL;
        memset(&a.g, 0, sizeof a.g);
        a.cap = 0;
        a.n = 0;
        if (s->st.rules_changed) a.alerted = 0;
        *dst = a;
        if (ne) {
            void *v;
            rc = rget_block(&r, &v, ne, sizeof *dst->ev, "short event list", d, path);
            dst->ev = v;
            if (rc < 0) goto out;
            dst->n = dst->cap = ne;
            if (s->st.rules_changed)
                for (int j = 0; j < ne; j++) dst->ev[j].used = 0;
        }
        uint8_t nr, nb;
        if (rget(&r, &nr, 1) || rget(&r, &nb, 1) || nr > TXS_REACH_MAX || nb > TXS_BRANCH_MAX) {
            rc = corrupt(d, path, "bad graph counts", r.at);
            goto out;
        }
        if (s->nparts && (nr || nb)) { /* flow lists live in the link table */
            dst = txs__state_get(s->link, a.h);
            if (dst == NULL) {
                rc = txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
                goto out;
            }
            if (dst->g.nreach || dst->g.nbr) { /* an earlier record's flow lists */
                rc = corrupt(d, path, "an account appears twice", r.at);
                goto out;
            }
        }
        void *v;
        if (nr) {
            rc = rget_block(&r, &v, nr, sizeof *dst->g.reach, "short graph record", d, path);
            dst->g.reach = v;
            if (rc < 0) goto out;
            dst->g.nreach = dst->g.capreach = nr;
        }
        if (nb) {
            rc = rget_block(&r, &v, nb, sizeof *dst->g.br, "short graph record", d, path);
            dst->g.br = v;
            if (rc < 0) goto out;
            dst->g.nbr = dst->g.capbr = nb;
        }
    }
    if (r.at != r.n) {
        rc = corrupt(d, path, "more bytes than the header's accounts hold", r.at);
        goto out;
    }
    memcpy(&sum, buf + n - 8, 8);
    if (XXH3_64bits_dispatch(buf, n - 8) != sum) {
        rc = corrupt(d, path, "checksum mismatch (truncated or damaged)", n - 8);
        goto out;
    }
    s->st.loaded = 1;
    s->st.loaded_accounts = na;
out:
    munmap(buf, n);
    if (fd >= 0) close(fd);
    return rc;
}

int txs_state_load(txs_state *s, const char *path, txs_diag *d)
{
    return load(s, path, 0, d);
}

int txs_state_load_lookback(txs_state *s, const char *path, txs_diag *d)
{
    if (s->nparts || s->n) return TXS_E_ARG;
    return load(s, path, 1, d);
}

int txs_state_file_inputs(const char *path, txs_state_input *out, size_t cap, size_t *n,
                          txs_diag *d)
{
    unsigned char *buf;
    size_t len;
    uint32_t ni = 0;
    *n = 0;
    TXS_TRY(state_map(path, &buf, &len, NULL, d));
    if (len == 0) return TXS_OK; /* the empty state */
    int rc = state_check(buf, len, path, &ni, d);
    for (uint32_t i = 0; rc == 0 && i < ni && i < cap; i++)
        memcpy(&out[i], buf + STATE_HDR + 8 + (size_t)i * sizeof *out, sizeof *out);
    if (rc == 0) *n = ni;
    munmap(buf, len);
    return rc;
}
