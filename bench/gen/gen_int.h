/*
 * gen_int.h: private to the generator (bench/gen/).  The PRNG, the world
 * (countries, currencies, banks, names, the account population), the draft
 * transaction every producer fills, and the planter table.
 *
 *   gen_world   built once from the seed and the names file; read-only after
 *   gen_ctx     one run: world + PRNG + pending queue of planted drafts
 *   gen_txn     one record before formatting: fixed-size buffers, no heap
 *
 * Everything here is integer arithmetic so output is bit-identical for a
 * seed on any machine.  Accounts are a pure function of (seed, index): the
 * population costs no memory per account.
 */
#ifndef TXS_GEN_INT_H
#define TXS_GEN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

/* --------------------------------------------------------------- PRNG */

/* xoshiro256** state, seeded through splitmix64 (as its authors advise). */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

static inline uint64_t gen_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A stateless 64-bit mix of two values: used to derive an account's traits
 * from (seed, index) so that the same index always gives the same account. */
static inline uint64_t gen_hash2(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0xD6E8FEB86659FD93ull);
    return gen_splitmix(&x);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n) for n >= 1 (Lemire's multiply-shift; the tiny bias for
 * huge n does not matter for synthetic data, determinism does). */
static inline uint32_t gen_below(gen_rng *r, uint32_t n)
{
    return (uint32_t)(((gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

void gen_rng_seed(gen_rng *r, uint64_t seed);

/* ------------------------------------------------------------ the world */

enum gen_channel {
    GEN_CH_CARD = 0,
    GEN_CH_ACH,
    GEN_CH_WIRE,
    GEN_CH_CASH,
    GEN_CH_CHEQUE,
    GEN_CH_CRYPTO,
    GEN_CH_INTERNAL,
    GEN_CH_COUNT
};

typedef struct gen_currency {
    const char *code;     /* ISO 4217 */
    int exponent;         /* minor-unit decimals */
    int64_t per_usd_milli;/* units per USD x 1000 (fixed, illustrative) */
    const char *aml_name; /* AMLworld's name, NULL if AMLworld lacks it */
} gen_currency;

#define GEN_CUR_USD 0
#define GEN_CUR_EUR 1
#define GEN_CUR_GBP 2

const gen_currency *gen_currency_at(int i);
const char *gen_channel_name(int ch);
const char *gen_channel_aml(int ch);

#define GEN_NAME_MAX 128
#define GEN_ADDR_MAX 128
#define GEN_PURPOSE_MAX 112

/* One side of a transaction, formatted.  n == 0 means an empty field. */
typedef struct gen_party {
    char account[24];
    char name[GEN_NAME_MAX];
    char bank[12];
    char addr[GEN_ADDR_MAX];
    char cc[2];           /* {0,0} when empty */
    uint8_t account_n, bank_n;
    uint8_t name_n, addr_n;
    uint8_t cur;          /* the account's home currency */
    uint32_t aml_bank;    /* AMLworld numeric bank id */
    uint32_t aml_acct;    /* AMLworld account number (printed as hex) */
} gen_party;

typedef struct gen_txn {
    uint64_t seq;         /* 1-based record number, set at emit */
    int64_t ts;           /* epoch seconds (a planter's draft: seconds after
                             the pattern's start, >= 0) */
    int64_t minor;        /* amount in minor units of cur */
    int cur;              /* index for gen_currency_at() */
    int channel;          /* enum gen_channel */
    int typology;         /* -1 for background, else planter index (a
                             planter's draft: 0 labelled, -1 its unlabelled
                             benign history) */
    uint64_t pattern;     /* pattern id of a planted record */
    gen_party orig, bene;
    char purpose[GEN_PURPOSE_MAX];
    uint8_t purpose_n;
} gen_txn;

typedef struct gen_world gen_world;

/* Build the world for a seed: read the names file, lay out the population.
 * Returns 0 or a status with d filled.  *out is freed by gen_world_free. */
int gen_world_create(uint64_t seed, uint32_t accounts, const char *names_path,
                     gen_world **out, txs_diag *d);
void gen_world_free(gen_world *w);

/* Fill p with background account idx (0 <= idx < accounts). */
void gen_account(const gen_world *w, uint32_t idx, gen_party *p);
/* Fill p with a fresh account (idx >= accounts, never drawn by the
 * background) living in the country of background account `like`; a
 * business when business != 0.  Its id, like a background id, is the country
 * code and idx in 10 digits, so it never equals a background account. */
void gen_fresh_account(const gen_world *w, uint64_t idx, uint32_t like, int business,
                       gen_party *p);
uint32_t gen_world_accounts(const gen_world *w);
/* Log-uniform amount in [lo, hi] USD cents (integer only). */
int64_t gen_log_uniform(const gen_world *w, gen_rng *r, int64_t lo, int64_t hi);
/* A random account: anywhere, or in the same country as `like`, or a
 * business (merchant) in that country. */
uint32_t gen_pick_any(const gen_world *w, gen_rng *r);
uint32_t gen_pick_domestic(const gen_world *w, gen_rng *r, uint32_t like);
uint32_t gen_pick_business(const gen_world *w, gen_rng *r, uint32_t like);
/* A counterparty in a high-risk jurisdiction.  mode 0: country and bank
 * there; mode 1: a low-risk party country banking there (only the BIC
 * country is high-risk). */
void gen_highrisk_party(const gen_world *w, gen_rng *r, int mode, gen_party *p);
/* A walk-in depositor: a name and the country, no account, bank or address. */
void gen_depositor(const gen_world *w, gen_rng *r, const char cc[2], gen_party *p);

/* 1 if cc is in the generator's high-risk set (FATF black and grey lists,
 * recent editions, unioned): never used by background rows. */
int gen_country_high_risk(const char cc[2]);

/* Amount in USD cents, log-normal-ish per channel (integer only). */
int64_t gen_amount_usd(const gen_world *w, gen_rng *r, int channel);
/* The same for a background payment by account acct: each account has its
 * own level, so its amounts look like its history (bench/README.md). */
int64_t gen_amount_usd_persona(const gen_world *w, gen_rng *r, int channel, uint32_t acct);
/* USD cents to minor units of currency cur at the fixed table rate. */
int64_t gen_usd_to_minor(int64_t usd_cents, int cur);
/* A purpose text for a channel into t->purpose. */
void gen_purpose(gen_rng *r, gen_txn *t);

/* ------------------------------------------------------- run context */

/* Most records one planted pattern may draft. */
#define GEN_PENDING_MAX 64
/* Planted records waiting for the background clock to reach their time
 * (a min-heap on timestamp, gen.c).  A new pattern starts only when its
 * drafts fit; ~800 bytes a slot, so about 3.3 MB. */
#define GEN_QUEUE_MAX 4096

typedef struct gen_ctx {
    const gen_world *w;
    gen_rng rng;
    txs_gen_format format;
    uint64_t next_fresh;  /* next fresh account index (>= accounts) */
} gen_ctx;

/* A fresh account for a planter: in the country of a random background
 * account (or of `like` when like != UINT32_MAX). */
void gen_fresh(gen_ctx *g, uint32_t like, int business, gen_party *p);

/* Draft a background record (no plants by construction). */
void gen_background(gen_ctx *g, gen_txn *t);

/* ----------------------------------------------------------- planters */

/*
 * A planter drafts one pattern: up to cap records into out, returned as a
 * count (>= 1), each with ts = seconds after the pattern's start and
 * typology 0 (labelled) or -1 (benign history of a planted account, not
 * labelled).  The run loop queues them by time, then stamps ids, typology
 * and pattern id as the background clock reaches each one, and writes a
 * label per labelled record.  Adding a typology = one function and one row
 * in gen_planters[] (gen_plant.c).
 */
typedef struct gen_planter {
    const char *typology;  /* the label's typology name */
    unsigned weight;       /* relative share of planted patterns */
    int laundering;        /* 1: a positive (AMLworld Is Laundering = 1) */
    int amlworld;          /* 1: expressible in the AMLworld format */
    int (*plant)(gen_ctx *g, gen_txn *out, int cap);
} gen_planter;

extern const gen_planter gen_planters[];
extern const int gen_nplanters;

/* The multi-record planters (gen_typo.c). */
int gen_plant_structuring(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_structuring(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_pass_through(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_pass_through(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_fan_in(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_fan_out(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_fan_in(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_fan_out(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_gather_scatter(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_scatter_gather(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_cycle(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_cycle(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_velocity_spike(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_amount_spike(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_dormant(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_round_amounts(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_nm_round_amounts(gen_ctx *g, gen_txn *out, int cap);
int gen_plant_new_account(gen_ctx *g, gen_txn *out, int cap);

/* Shared by the planters (gen_plant.c). */
void gen_cash_depositor(gen_ctx *g, gen_txn *t);
int64_t gen_whole_units(int64_t minor, int cur);

/* --------------------------------------------------- AMLworld embedding */

/* `txscreen gen --embed-amlworld` (gen_embed.c). */
int gen_embed_run(const txs_gen_opts *o, FILE *out, FILE *labels, txs_gen_stats *st,
                  txs_diag *d);

/* ---------------------------------------------------------- formatting */

/* Largest formatted record, in bytes: the buffer keeps this much free (a
 * payment message with every draft field escaped fits). */
#define GEN_REC_MAX 8192

/* Header for a format into buf; returns bytes written. */
size_t gen_format_header(txs_gen_format f, char *buf);
/* One record into buf (>= GEN_REC_MAX free); returns bytes written. */
size_t gen_format_record(txs_gen_format f, const gen_txn *t, int laundering,
                         char *buf);
/* Decimal digits of v into buf; returns the count. */
size_t gen_put_u64(char *buf, uint64_t v);
/* "YYYY-MM-DDThh:mm:ssZ" (iso = 1) or AMLworld's "YYYY/MM/DD hh:mm". */
size_t gen_put_ts(char *buf, int64_t ts, int iso);
/* Minor units as a decimal with exp decimals (never negative). */
size_t gen_put_amount(char *buf, int64_t minor, int exp);

/* Payment messages (gen_pay.c).  key: the run's UETR key (from the seed). */
/* Records per pain.001 message (all of one execution day). */
#define GEN_PAIN_GROUP 16
/* The UETR of record seq (36 bytes: a UUID v4 string) into buf. */
size_t gen_pay_uetr(uint64_t key, uint64_t seq, char *buf);
/* One record as a pacs.008 or MT103 message (t->seq set). */
size_t gen_pay_pacs008(const gen_txn *t, uint64_t key, char *buf);
size_t gen_pay_mt103(const gen_txn *t, uint64_t key, char *buf);
/* n (1..GEN_PAIN_GROUP) records of one day as pain.001 message msgno; buf
 * has n * GEN_REC_MAX bytes free. */
size_t gen_pay_pain001(const gen_txn *const *t, int n, uint64_t msgno, uint64_t key,
                       char *buf);

#endif /* TXS_GEN_INT_H */
