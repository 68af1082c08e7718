/*
 * state_cpty.c: the counterparty register of the state (state.h
 * "Counterparties", state_int.h draws it): which counterparties a record
 * names (its key, computed once per record), each sighting recorded in the
 * partition that owns the counterparty, expiry after the retention, the
 * register in identity order for the state file and look-back screening,
 * and the lists the state screened with.
 *
 * A counterparty's identity is XXH3-128, seeded by its kind, of a folded
 * text: a name in ASCII lower case with its runs of white space made one
 * space, then a NUL and the party's country (so "ACME LTD" in GB and
 * "Acme  Ltd" in GB are one counterparty, "ACME LTD" in IR another); a BIC,
 * an IBAN or a wallet in upper case without spaces.  The text kept is the
 * value as first seen.
 *
 * Memory per counterparty: a 48-byte record, a 4-byte slot at a load
 * factor of at most 1/2 (8-16 bytes), and its name and reference in the
 * pool (docs/lists.md "Look-back screening" states the measured figure).
 *
 * Invariant: a counterparty is fed its sightings in input order by the one
 * partition owning it, and "latest" breaks a tie of times by input order
 * (the later record wins), so the register does not depend on threads.
 */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rules/state_int.h"
#include "txs/state.h"

const char *txs_cp_kind_name(int kind)
{
    switch (kind) {
    case TXS_CP_NAME: return "name";
    case TXS_CP_BIC: return "bic";
    case TXS_CP_IBAN: return "iban";
    case TXS_CP_WALLET: return "wallet";
    default: return "";
    }
}

/* ------------------------------------------------------------ identity */

static int up(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static int is_alpha(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Letters and digits of s upper-cased into out (spaces dropped); 0 when s
 * holds anything else or does not fit. */
static size_t ident_text(txs_slice s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++) {
        int c = (unsigned char)s.p[i];
        if (c == ' ') continue;
        if (!is_alpha(c) && !is_digit(c)) return 0;
        if (k == cap) return 0;
        out[k++] = (char)up(c);
    }
    return k;
}

/* IBAN form (ISO 13616): two letters, two digits, 11-30 letters and
 * digits; the check digits are the screener's to judge. */
static int iban_form(const char *p, size_t n)
{
    return n >= 15 && n <= 34 && is_alpha(p[0]) && is_alpha(p[1]) && is_digit(p[2]) &&
           is_digit(p[3]);
}

/* BIC form (ISO 9362): six letters, then two and optionally three letters
 * or digits. */
static int bic_form(const char *p, size_t n)
{
    if (n != 8 && n != 11) return 0;
    for (int i = 0; i < 6; i++)
        if (!is_alpha(p[i])) return 0;
    return 1;
}

static void ident(const char *p, size_t n, int kind, uint64_t h[2])
{
    XXH128_hash_t x = XXH3_128bits_withSeed(p, n, (XXH64_hash_t)(0x6370u + (unsigned)kind));
    h[0] = x.low64 ? x.low64 : 1;
    h[1] = x.high64;
}

static void add(txs_state_key *k, int side, int kind, const char *p, size_t n)
{
    if (k->ncp >= 6) return;
    ident(p, n, kind, k->cp[k->ncp]);
    k->cp_kind[k->ncp] = (uint8_t)kind;
    k->cp_side[k->ncp] = (uint8_t)side;
    k->ncp++;
}

/* The counterparties of t into k (thread-safe: reads t only). */
void txs__cp_key(const txs_txn *t, txs_state_key *k)
{
    const txs_party *pt[2] = {&t->orig, &t->bene};
    char buf[TXS_CP_NAME_MAX * 2 + 8];
    k->ncp = 0;
    for (int side = 0; side < 2; side++) {
        const txs_party *p = pt[side];
        size_t n = 0;
        for (size_t i = 0; i < p->name.n && n + 3 < sizeof buf; i++) {
            int c = (unsigned char)p->name.p[i];
            if (is_space(c)) {
                if (n && buf[n - 1] != ' ') buf[n++] = ' ';
                continue;
            }
            buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (n && buf[n - 1] == ' ') n--;
        if (n) {
            buf[n++] = '\0';
            buf[n++] = p->country[0];
            buf[n++] = p->country[1];
            add(k, side, TXS_CP_NAME, buf, n);
        }
        if ((n = ident_text(p->bank, buf, 11)) && bic_form(buf, n)) add(k, side, TXS_CP_BIC, buf, n);
        if ((n = ident_text(p->account, buf, sizeof buf)) == 0) continue;
        if (iban_form(buf, n)) add(k, side, TXS_CP_IBAN, buf, n);
        else if (n >= 25) add(k, side, TXS_CP_WALLET, buf, n);
    }
}

/* ------------------------------------------------------------ register */

void txs__cp_free(txs__cpreg *r)
{
    free(r->v);
    free(r->slot);
    free(r->pool);
    memset(r, 0, sizeof *r);
}

uint64_t txs__cp_bytes(const txs__cpreg *r)
{
    return (uint64_t)r->cap * sizeof *r->v + (r->slot ? (r->mask + 1) * 4 : 0) + r->pcap;
}

/* Rebuild the slot table with ns slots (a power of two, more than r->n:
 * the probe below needs an empty slot to end). */
static int rehash(txs__cpreg *r, size_t ns)
{
    uint32_t *s = txs_slots_build(r->v, r->n, sizeof *r->v, offsetof(txs__cp, h), ns);
    if (s == NULL) return TXS_E_NOMEM;
    free(r->slot);
    r->slot = s;
    r->mask = ns - 1;
    return TXS_OK;
}

static int grow_slots(txs__cpreg *r)
{
    size_t ns = r->mask ? (r->mask + 1) * 2 : 1024;
    while ((r->n + 1) * 2 > ns) ns *= 2; /* a register loaded without its table */
    return rehash(r, ns);
}

/* The slot of h: its entry, or the empty slot where it goes. */
static uint32_t *find_slot(const txs__cpreg *r, const uint64_t h[2])
{
    size_t j = (size_t)h[0] & r->mask;
    for (;; j = (j + 1) & r->mask) {
        uint32_t x = r->slot[j];
        if (x == 0 || (r->v[x - 1].h[0] == h[0] && r->v[x - 1].h[1] == h[1])) return &r->slot[j];
    }
}

/* Room for n more pool bytes. */
static int pool_room(txs__cpreg *r, size_t n)
{
    if (r->pcap - r->pn >= n) return TXS_OK;
    size_t cap = r->pcap ? r->pcap : 1u << 16;
    while (cap - r->pn < n) cap *= 2;
    char *p = realloc(r->pool, cap);
    if (p == NULL) return TXS_E_NOMEM;
    r->pool = p;
    r->pcap = cap;
    return TXS_OK;
}

/* The reference of a sighting into x (in place when it fits). */
static int set_ref(txs__cpreg *r, txs__cp *x, txs_slice ref)
{
    char tmp[TXS_CP_REF_MAX];
    uint8_t n;
    txs__state_copy_text(tmp, &n, ref.p, ref.n, TXS_CP_REF_MAX);
    if (n > x->ref_cap) {
        /* Moves the name and the reference to the end of the pool; the old
         * bytes are dropped when the register is next compacted. */
        TXS_TRY(pool_room(r, (size_t)x->name_n + n));
        memmove(r->pool + r->pn, r->pool + x->off, x->name_n);
        x->off = r->pn;
        r->pn += (size_t)x->name_n + n;
        x->ref_cap = n;
    }
    if (n) memcpy(r->pool + x->off + x->name_n, tmp, n);
    x->ref_n = n;
    return TXS_OK;
}

static int insert(txs__cpreg *r, uint32_t *slot, const uint64_t h[2], int kind,
                  const char cc[2], txs_slice name, int64_t ts, txs_slice ref, uint32_t seen)
{
    if (r->n == UINT32_MAX - 1) return TXS_E_NOMEM;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        txs__cp *v = realloc(r->v, cap * sizeof *v);
        if (v == NULL) return TXS_E_NOMEM;
        r->v = v;
        r->cap = cap;
    }
    char nm[TXS_CP_NAME_MAX];
    uint8_t nn;
    txs__state_copy_text(nm, &nn, name.p, name.n, TXS_CP_NAME_MAX);
    TXS_TRY(pool_room(r, (size_t)nn + TXS_CP_REF_MAX));
    txs__cp *x = &r->v[r->n];
    memset(x, 0, sizeof *x);
    memcpy(x->h, h, sizeof x->h);
    x->kind = (uint8_t)kind;
    memcpy(x->cc, cc, 2);
    x->last_ts = ts;
    x->seen = seen;
    x->off = r->pn;
    x->name_n = nn;
    if (nn) memcpy(r->pool + r->pn, nm, nn);
    r->pn += nn;
    txs__state_copy_text(r->pool + r->pn, &x->ref_n, ref.p, ref.n, TXS_CP_REF_MAX);
    x->ref_cap = x->ref_n;
    r->pn += x->ref_n;
    ++r->n;
    if (slot) *slot = (uint32_t)r->n;
    return TXS_OK;
}

static int reserve_slot(txs__cpreg *r)
{
    return r->mask == 0 || (r->n + 1) * 2 > r->mask + 1 ? grow_slots(r) : TXS_OK;
}

int txs__cp_observe(txs__cpreg *r, const uint64_t h[2], int kind, const char cc[2],
                    txs_slice name, int64_t ts, txs_slice ref)
{
    TXS_TRY(reserve_slot(r));
    uint32_t *slot = find_slot(r, h);
    if (*slot == 0) return insert(r, slot, h, kind, cc, name, ts, ref, 1);
    txs__cp *x = &r->v[*slot - 1];
    if (x->seen < UINT32_MAX) x->seen++;
    if (ts < x->last_ts) return TXS_OK;
    x->last_ts = ts;
    return set_ref(r, x, ref);
}

/* Whether identity a comes after b in identity order (h[0], then h[1]). */
static int after(const uint64_t a[2], const uint64_t b[2])
{
    return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1];
}

int txs__cp_load(txs__cpreg *r, const uint64_t h[2], int kind, const char cc[2],
                 txs_slice name, int64_t ts, txs_slice ref, uint32_t seen)
{
    /* A state file holds its counterparties in identity order, each once:
     * while the records keep that order none can repeat, so they are
     * appended without a slot, and the table is built in one pass when a
     * look-up first needs it (reserve_slot; `rescreen` never does).  A
     * record out of order builds it at once and is checked against it. */
    if (r->mask == 0 && (r->n == 0 || after(h, r->v[r->n - 1].h)))
        return insert(r, NULL, h, kind, cc, name, ts, ref, seen);
    TXS_TRY(reserve_slot(r));
    uint32_t *slot = find_slot(r, h);
    if (*slot) return TXS_E_FORMAT;
    return insert(r, slot, h, kind, cc, name, ts, ref, seen);
}

/* Drop the entries last seen before cut, keeping the others' order, and
 * pack the pool.  Returns how many were dropped, or TXS_E_NOMEM. */
static int64_t expire(txs__cpreg *r, int64_t cut)
{
    size_t k = 0, pn = 0, bytes = 0, live = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].last_ts >= cut) {
            bytes += (size_t)r->v[i].name_n + r->v[i].ref_n;
            live++;
        }
    if (live == r->n && bytes == r->pn) return 0; /* nothing to drop, the pool packed */
    char *pool = malloc(bytes ? bytes : 1);
    if (pool == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        txs__cp x = r->v[i];
        if (x.last_ts < cut) continue;
        memcpy(pool + pn, r->pool + x.off, (size_t)x.name_n + x.ref_n);
        x.off = pn;
        x.ref_cap = x.ref_n;
        pn += (size_t)x.name_n + x.ref_n;
        r->v[k++] = x;
    }
    int64_t dropped = (int64_t)(r->n - k);
    free(r->pool);
    r->pool = pool;
    r->pn = pn;
    r->pcap = bytes ? bytes : 1;
    r->n = k;
    if (r->mask) { /* the smallest table holding k at a load of at most 1/2 */
        size_t ns = 1024;
        while (k * 2 > ns) ns *= 2;
        if (rehash(r, ns) < 0) return TXS_E_NOMEM;
    }
    return dropped;
}

/* ------------------------------------------------------- the state's */

static int owns(const txs_state *s, const uint64_t h[2])
{
    return s->pn == 0 || txs__state_part_of(h, s->pn) == s->pk;
}

int txs__cp_feed(txs_state *s, const txs_txn *t, const txs_state_key *key)
{
    if (s->o.mode != TXS_STATE_ALL || key->ncp == 0) return TXS_OK;
    char loc[48];
    txs_slice ref = t->txn_id;
    if (ref.n == 0) {
        int n = snprintf(loc, sizeof loc, "input %u line %llu", (unsigned)t->file_index + 1,
                         (unsigned long long)t->line);
        ref = (txs_slice){loc, n > 0 ? (size_t)n : 0};
    }
    const txs_party *pt[2] = {&t->orig, &t->bene};
    for (int i = 0; i < key->ncp; i++) {
        if (!owns(s, key->cp[i])) continue;
        const txs_party *p = pt[key->cp_side[i]];
        int kind = key->cp_kind[i];
        txs_slice v = kind == TXS_CP_NAME ? p->name : kind == TXS_CP_BIC ? p->bank : p->account;
        TXS_TRY(txs__cp_observe(&s->cp, key->cp[i], kind, p->country, v, t->ts, ref));
    }
    return TXS_OK;
}

/* Every table holding counterparties: the partitions, or s itself. */
static size_t tables(txs_state *s, txs_state **out)
{
    if (s->nparts == 0) {
        out[0] = s;
        return 1;
    }
    for (unsigned k = 0; k < s->nparts; k++) out[k] = s->part[k];
    return s->nparts;
}

int64_t txs__cp_expire(txs_state *s)
{
    txs_state *t[TXS_STATE_PARTS_MAX];
    size_t nt = tables(s, t);
    txs_state_get_stats(s); /* the latest event time, over the partitions */
    int64_t ret = txs_state_retention(s);
    int64_t cut = s->st.max_ts > INT64_MIN + ret ? s->st.max_ts - ret : INT64_MIN, total = 0;
    for (size_t i = 0; i < nt; i++) {
        int64_t d = expire(&t[i]->cp, cut);
        if (d < 0) return d;
        total += d;
    }
    s->cp_expired = (uint64_t)total;
    return total;
}

typedef struct cpref {
    const txs__cp *x;
    const char *pool;
} cpref;

static int cpref_cmp(const void *a, const void *b)
{
    const txs__cp *x = ((const cpref *)a)->x, *y = ((const cpref *)b)->x;
    if (x->h[0] != y->h[0]) return x->h[0] < y->h[0] ? -1 : 1;
    return x->h[1] < y->h[1] ? -1 : x->h[1] > y->h[1];
}

int txs_state_counterparties(txs_state *s, int (*fn)(void *ctx, const txs_state_cp *cp),
                             void *ctx)
{
    txs_state *t[TXS_STATE_PARTS_MAX];
    size_t nt = tables(s, t), n = 0;
    for (size_t i = 0; i < nt; i++) n += t[i]->cp.n;
    cpref *v = malloc((n ? n : 1) * sizeof *v);
    if (v == NULL) return TXS_E_NOMEM;
    n = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < t[i]->cp.n; j++) v[n++] = (cpref){&t[i]->cp.v[j], t[i]->cp.pool};
    /* A register loaded from a file and not fed since is in identity
     * order already (rescreen's): checked in one pass, sorted otherwise. */
    size_t k = 1;
    while (k < n && cpref_cmp(&v[k - 1], &v[k]) < 0) k++;
    if (k < n) qsort(v, n, sizeof *v, cpref_cmp);
    int rc = TXS_OK;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        const txs__cp *x = v[i].x;
        txs_state_cp c = {{x->h[0], x->h[1]}, x->kind, {x->cc[0], x->cc[1]},
                          {v[i].pool + x->off, x->name_n},
                          {v[i].pool + x->off + x->name_n, x->ref_n}, x->last_ts, x->seen};
        rc = fn(ctx, &c);
    }
    free(v);
    return rc;
}

uint64_t txs__cp_count(txs_state *s, uint64_t *bytes)
{
    txs_state *t[TXS_STATE_PARTS_MAX];
    size_t nt = tables(s, t);
    /* Counted per counterparty (its record, two slots, its text), so the
     * figure does not depend on the partitions' rounding of capacities. */
    uint64_t n = 0, b = 0;
    for (size_t i = 0; i < nt; i++) {
        n += t[i]->cp.n;
        for (size_t j = 0; j < t[i]->cp.n; j++)
            b += sizeof(txs__cp) + 2 * sizeof(uint32_t) + t[i]->cp.v[j].name_n +
                 t[i]->cp.v[j].ref_n;
    }
    if (bytes) *bytes = b;
    return n;
}

uint64_t txs__cp_text(txs_state *s)
{
    txs_state *t[TXS_STATE_PARTS_MAX];
    size_t nt = tables(s, t);
    uint64_t b = 0;
    for (size_t i = 0; i < nt; i++)
        for (size_t j = 0; j < t[i]->cp.n; j++) b += t[i]->cp.v[j].name_n + t[i]->cp.v[j].ref_n;
    return b;
}

/* ------------------------------------------------------------- lists */

const txs_state_list *txs_state_lists_prev(const txs_state *s, size_t *n)
{
    *n = s->nlists_prev;
    return s->lists_prev;
}

static int set_lists(txs_state_list **dst, size_t *dn, const txs_state_list *v, size_t n)
{
    if (n > TXS_STATE_LISTS_MAX) return TXS_E_ARG;
    txs_state_list *c = n ? malloc(n * sizeof *c) : NULL;
    if (n && c == NULL) return TXS_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        c[i] = v[i];
        c[i].path[TXS_STATE_LIST_PATH - 1] = '\0';
    }
    free(*dst);
    *dst = c;
    *dn = n;
    return TXS_OK;
}

int txs_state_set_lists(txs_state *s, const txs_state_list *v, size_t n)
{
    return set_lists(&s->lists_now, &s->nlists_now, v, n);
}

int txs__cp_set_prev(txs_state *s, const txs_state_list *v, size_t n)
{
    TXS_TRY(set_lists(&s->lists_prev, &s->nlists_prev, v, n));
    /* Until the run says otherwise, it keeps what the file had. */
    return s->nlists_now ? TXS_OK : set_lists(&s->lists_now, &s->nlists_now, v, n);
}
