/*
 * gen_world.c: the generator's world: currencies, countries with their
 * weights and cities, a pool of banks with well-formed BICs, first and last
 * names from bench/data/names.tsv, and the account population.
 *
 * The population is laid out by country: accounts [cstart[c], cstart[c+1])
 * live in background country c, so "a domestic counterparty" is one random
 * draw in a range.  Every other trait of an account (holder name, person or
 * business, bank, address) is a hash of (seed, index), so an account looks
 * the same in every record and the population needs no per-account memory.
 *
 * Background countries are all outside the high-risk set; high-risk
 * jurisdictions appear only through gen_highrisk_party(), which planters
 * call.  All arithmetic is integer, so the world is identical on every run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

#ifndef TXS_BENCH_DIR
#define TXS_BENCH_DIR "bench"
#endif

/* ---------------------------------------------------------- currencies */

/* Rates are fixed and illustrative; they only convert the USD amounts that
 * drive the distributions.  per_usd_milli 0 marks Bitcoin (AMLworld only). */
static const gen_currency currencies[] = {
    {"USD", 2, 1000, "US Dollar"},       {"EUR", 2, 920, "Euro"},
    {"GBP", 2, 790, "UK Pound"},         {"JPY", 0, 150000, "Yen"},
    {"CHF", 2, 880, "Swiss Franc"},      {"CAD", 2, 1360, "Canadian Dollar"},
    {"AUD", 2, 1520, "Australian Dollar"}, {"CNY", 2, 7200, "Yuan"},
    {"INR", 2, 83000, "Rupee"},          {"MXN", 2, 17000, "Mexican Peso"},
    {"BRL", 2, 5000, "Brazil Real"},     {"SGD", 2, 1340, NULL},
    {"SEK", 2, 10500, NULL},             {"NOK", 2, 10600, NULL},
    {"DKK", 2, 6870, NULL},              {"PLN", 2, 4000, NULL},
    {"HKD", 2, 7800, NULL},              {"NZD", 2, 1650, NULL},
    {"KRW", 0, 1330000, NULL},           {"XBT", 8, 0, "Bitcoin"},
};
enum { CUR_JPY = 3, CUR_CHF, CUR_CAD, CUR_AUD, CUR_CNY, CUR_INR, CUR_MXN,
       CUR_BRL, CUR_SGD, CUR_SEK, CUR_NOK, CUR_DKK, CUR_PLN, CUR_HKD,
       CUR_NZD, CUR_KRW };

const gen_currency *gen_currency_at(int i)
{
    if (i < 0 || (size_t)i >= TXS_ARRAY_LEN(currencies)) return NULL;
    return &currencies[i];
}

static const char *const channel_names[GEN_CH_COUNT] = {
    "card", "ach", "wire", "cash", "cheque", "crypto", "internal"};
static const char *const channel_aml[GEN_CH_COUNT] = {
    "Credit Card", "ACH", "Wire", "Cash", "Cheque", "Bitcoin", "Reinvestment"};

const char *gen_channel_name(int ch) { return channel_names[ch]; }
const char *gen_channel_aml(int ch) { return channel_aml[ch]; }

/* ----------------------------------------------------------- countries */

typedef struct country {
    char cc[3];
    uint8_t weight;  /* share of the population */
    uint8_t cur;     /* home currency */
    const char *legal[2];
    const char *cities[4];
} country;

/* Background countries: a realistic mix weighted toward the large markets,
 * none on a FATF list (checked by gen_country_high_risk in the tests). */
static const country countries[] = {
    {"US", 30, GEN_CUR_USD, {"LLC", "Inc."}, {"Springfield", "Austin", "Columbus", "Portland"}},
    {"GB", 12, GEN_CUR_GBP, {"Ltd", "PLC"}, {"London", "Manchester", "Leeds"}},
    {"DE", 10, GEN_CUR_EUR, {"GmbH", "AG"}, {"Berlin", "Hamburg", "Munich"}},
    {"FR", 8, GEN_CUR_EUR, {"SARL", "SA"}, {"Paris", "Lyon", "Lille"}},
    {"NL", 4, GEN_CUR_EUR, {"B.V.", "N.V."}, {"Amsterdam", "Rotterdam", "Utrecht"}},
    {"ES", 4, GEN_CUR_EUR, {"S.L.", "S.A."}, {"Madrid", "Valencia", "Sevilla"}},
    {"IT", 4, GEN_CUR_EUR, {"S.r.l.", "S.p.A."}, {"Milano", "Roma", "Torino"}},
    {"CH", 3, CUR_CHF, {"AG", "GmbH"}, {"Zurich", "Geneva", "Basel"}},
    {"CA", 4, CUR_CAD, {"Inc.", "Ltd."}, {"Toronto", "Calgary", "Ottawa"}},
    {"AU", 3, CUR_AUD, {"Pty Ltd", "Ltd"}, {"Sydney", "Melbourne", "Perth"}},
    {"JP", 3, CUR_JPY, {"K.K.", "G.K."}, {"Tokyo", "Osaka", "Nagoya"}},
    {"SG", 2, CUR_SGD, {"Pte Ltd", "Pte. Ltd."}, {"Singapore"}},
    {"IE", 2, GEN_CUR_EUR, {"Ltd", "DAC"}, {"Dublin", "Cork"}},
    {"BE", 2, GEN_CUR_EUR, {"BV", "SA"}, {"Brussels", "Antwerp"}},
    {"SE", 2, CUR_SEK, {"AB", "AB"}, {"Stockholm", "Gothenburg"}},
    {"AT", 1, GEN_CUR_EUR, {"GmbH", "AG"}, {"Vienna", "Graz"}},
    {"DK", 1, CUR_DKK, {"ApS", "A/S"}, {"Copenhagen", "Aarhus"}},
    {"NO", 1, CUR_NOK, {"AS", "ASA"}, {"Oslo", "Bergen"}},
    {"PL", 2, CUR_PLN, {"Sp. z o.o.", "S.A."}, {"Warsaw", "Krakow"}},
    {"PT", 1, GEN_CUR_EUR, {"Lda", "S.A."}, {"Lisbon", "Porto"}},
    {"LU", 1, GEN_CUR_EUR, {"S.A.", "S.a r.l."}, {"Luxembourg"}},
    {"HK", 1, CUR_HKD, {"Limited", "Co. Ltd"}, {"Hong Kong", "Kowloon"}},
    {"CN", 2, CUR_CNY, {"Co., Ltd.", "Co., Ltd."}, {"Shanghai", "Shenzhen"}},
    {"IN", 2, CUR_INR, {"Pvt Ltd", "Ltd"}, {"Mumbai", "Bengaluru"}},
    {"BR", 1, CUR_BRL, {"Ltda", "S.A."}, {"Sao Paulo", "Curitiba"}},
    {"MX", 1, CUR_MXN, {"S.A. de C.V.", "S. de R.L."}, {"Monterrey", "Guadalajara"}},
    {"NZ", 1, CUR_NZD, {"Ltd", "Limited"}, {"Auckland", "Wellington"}},
    {"KR", 1, CUR_KRW, {"Co., Ltd.", "Corp."}, {"Seoul", "Busan"}},
    {"FI", 1, GEN_CUR_EUR, {"Oy", "Oyj"}, {"Helsinki", "Espoo"}},
};
#define NCOUNTRY ((int)TXS_ARRAY_LEN(countries))

/* Jurisdictions that planters use for the corridor typology: the FATF
 * black list (KP IR MM) and grey-list members of 2024-2025 editions. */
static const country highrisk[] = {
    {"KP", 0, GEN_CUR_USD, {"", ""}, {"Pyongyang"}},
    {"IR", 0, GEN_CUR_USD, {"", ""}, {"Tehran", "Isfahan"}},
    {"MM", 0, GEN_CUR_USD, {"", ""}, {"Yangon", "Mandalay"}},
    {"SY", 0, GEN_CUR_USD, {"", ""}, {"Damascus", "Aleppo"}},
    {"YE", 0, GEN_CUR_USD, {"", ""}, {"Sanaa", "Aden"}},
    {"HT", 0, GEN_CUR_USD, {"", ""}, {"Port-au-Prince"}},
    {"SS", 0, GEN_CUR_USD, {"", ""}, {"Juba"}},
    {"VE", 0, GEN_CUR_USD, {"", ""}, {"Caracas", "Maracaibo"}},
    {"LB", 0, GEN_CUR_USD, {"", ""}, {"Beirut"}},
};
#define NHIGHRISK ((int)TXS_ARRAY_LEN(highrisk))

/* Every code on a FATF black or grey list in any edition 2023-2026 that we
 * know of, and the EU high-risk third countries (rules/countries/): wider than what is planted, so that a rule set built on any of
 * those editions finds no accidental plant in the background. */
static const char highrisk_union[] =
    "KP IR MM DZ AO BO BG BF CM CI HR CD HT KE LA LB MC MZ NA NP NG PH ZA SS "
    "SY TZ VE VN YE VG ML SN TR JM UG AE BB GI KY PA JO KH AL BA MA NI PK "
    "AF IQ KW PG RU TT VU";

int gen_country_high_risk(const char cc[2])
{
    for (const char *p = highrisk_union; p[0]; p += 3) {
        if (p[0] == cc[0] && p[1] == cc[1]) return 1;
        if (!p[2]) break;
    }
    return 0;
}

/* Strings with their lengths, so the per-record path never calls strlen. */
typedef struct lit {
    const char *s;
    uint8_t n;
} lit;
#define LIT(x) {x, sizeof(x) - 1}

static const lit streets[] = {
    LIT("Main"), LIT("Oak"), LIT("Maple"), LIT("Cedar"), LIT("Elm"), LIT("Park"),
    LIT("Lake"), LIT("Hill"), LIT("Church"), LIT("Station"), LIT("Mill"),
    LIT("King"), LIT("Queen"), LIT("Victoria"), LIT("Market"), LIT("High"),
    LIT("Bridge"), LIT("River"), LIT("Garden"), LIT("North"), LIT("South"),
    LIT("West"), LIT("Harbour"), LIT("Castle")};
static const lit street_kinds[] = {
    LIT("St"), LIT("Street"), LIT("Ave"), LIT("Road"), LIT("Lane"), LIT("Blvd"),
    LIT("Way"), LIT("Place")};
static const lit business_kinds[] = {
    LIT("Trading"), LIT("Logistics"), LIT("Holdings"), LIT("Consulting"),
    LIT("Foods"), LIT("Motors"), LIT("Textiles"), LIT("Imports"),
    LIT("Software"), LIT("Construction"), LIT("Pharma"), LIT("Energy"),
    LIT("Partners"), LIT("Retail"), LIT("Dental"), LIT("Farms"),
    LIT("Electronics"), LIT("Media")};

/* ----------------------------------------------------------- the world */

#define BANKS_PER_COUNTRY 8
#define NSCRIPT 32
#define BANKS_PER_HIGHRISK 3

typedef struct bank {
    char bic[12];
    uint8_t n;
    uint32_t aml_id;
} bank;

struct gen_world {
    uint64_t seed;
    uint32_t accounts;
    uint32_t cstart[NCOUNTRY + 1];   /* population ranges by country */
    bank banks[NCOUNTRY][BANKS_PER_COUNTRY];
    bank hr_banks[NHIGHRISK][BANKS_PER_HIGHRISK];
    uint32_t pow2_q30[256];          /* 2^(k/256) in Q30, for amounts */
    char *names_blob;                /* the names file, NUL-split in place */
    const char **first, **last;
    uint8_t *first_n, *last_n;
    uint8_t *first_script, *last_script;
    uint32_t nfirst, nlast;
    /* Last names grouped by script: by_script[script_start[k] ..
     * script_start[k+1]) index the last names of script k. */
    uint32_t *by_script;
    uint32_t script_start[NSCRIPT + 1];
};

static void make_bic(uint64_t h, const char cc[2], uint32_t aml_id, bank *b)
{
    static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 4; i++) b->bic[i] = (char)('A' + (h >> (i * 5)) % 26);
    b->bic[4] = cc[0];
    b->bic[5] = cc[1];
    /* Location: second character never '0' (test BIC) or '1' (passive). */
    b->bic[6] = alnum[(h >> 24) % 32];
    b->bic[7] = (char)('A' + (h >> 32) % 26);
    b->n = 8;
    if ((h >> 40) & 1) {
        memcpy(b->bic + 8, "XXX", 3);
        b->n = 11;
    }
    b->bic[b->n] = 0;
    b->aml_id = aml_id;
}

static void layout(gen_world *w)
{
    uint32_t total = 0, cum = 0;
    for (int c = 0; c < NCOUNTRY; c++) total += countries[c].weight;
    for (int c = 0; c < NCOUNTRY; c++) {
        w->cstart[c] = (uint32_t)((uint64_t)w->accounts * cum / total);
        cum += countries[c].weight;
        for (int k = 0; k < BANKS_PER_COUNTRY; k++)
            make_bic(gen_hash2(w->seed, 1000u + (uint64_t)c * 16 + (uint64_t)k),
                     countries[c].cc, 10u + (uint32_t)(c * BANKS_PER_COUNTRY + k) * 97u,
                     &w->banks[c][k]);
    }
    w->cstart[NCOUNTRY] = w->accounts;
    for (int c = 0; c < NHIGHRISK; c++)
        for (int k = 0; k < BANKS_PER_HIGHRISK; k++)
            make_bic(gen_hash2(w->seed, 9000u + (uint64_t)c * 16 + (uint64_t)k),
                     highrisk[c].cc, 50000u + (uint32_t)(c * BANKS_PER_HIGHRISK + k) * 89u,
                     &w->hr_banks[c][k]);
    /* 2^(1/256) in Q30 is 1076653033.4; repeated multiplication keeps the
     * table integer-exact and identical everywhere. */
    uint64_t v = 1u << 30;
    for (int k = 0; k < 256; k++) {
        w->pow2_q30[k] = (uint32_t)v;
        v = (v * 1076653033u) >> 30;
    }
}

/* A coarse script class of a name: 0 for Latin (every code point below
 * U+0250), else one class per writing system, so that a person's first and
 * last names come from the same script (the source file mixes them). */
static int script_of(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp = p[i];
        size_t len = 1;
        if (cp >= 0xF0 && i + 3 < n) { cp = ((cp & 7u) << 18) | ((p[i+1] & 63u) << 12) | ((p[i+2] & 63u) << 6) | (p[i+3] & 63u); len = 4; }
        else if (cp >= 0xE0 && i + 2 < n) { cp = ((cp & 15u) << 12) | ((p[i+1] & 63u) << 6) | (p[i+2] & 63u); len = 3; }
        else if (cp >= 0xC0 && i + 1 < n) { cp = ((cp & 31u) << 6) | (p[i+1] & 63u); len = 2; }
        i += len;
        if (cp < 0x250) continue;
        if (cp < 0x370) return 0;                 /* IPA, modifiers */
        if (cp < 0x400) return 1;                 /* Greek */
        if (cp < 0x530) return 2;                 /* Cyrillic */
        if (cp < 0x590) return 3;                 /* Armenian */
        if (cp < 0x600) return 4;                 /* Hebrew */
        if (cp < 0x900) return 5;                 /* Arabic and neighbours */
        if (cp < 0xE00) return 16 + (int)((cp - 0x900) >> 7); /* Indic, 8 */
        if (cp < 0xE80) return 6;                 /* Thai */
        if (cp >= 0x10A0 && cp < 0x1100) return 7; /* Georgian */
        if ((cp >= 0x1100 && cp < 0x1200) || (cp >= 0xAC00 && cp < 0xD7B0)) return 8;
        if (cp >= 0x3040 && cp < 0x3100) return 9; /* kana */
        if (cp >= 0x4E00 && cp < 0xA000) return 10; /* CJK ideographs */
        if (cp >= 0xFB50 && cp < 0xFF00) return 5;
        return 11;
    }
    return 0;
}

static int group_scripts(gen_world *w)
{
    w->first_script = malloc(w->nfirst ? w->nfirst : 1);
    w->last_script = malloc(w->nlast);
    w->by_script = malloc(w->nlast * sizeof *w->by_script);
    if (!w->first_script || !w->last_script || !w->by_script) return -1;
    uint32_t count[NSCRIPT] = {0};
    for (uint32_t i = 0; i < w->nfirst; i++)
        w->first_script[i] = (uint8_t)script_of(w->first[i], w->first_n[i]);
    for (uint32_t i = 0; i < w->nlast; i++) {
        w->last_script[i] = (uint8_t)script_of(w->last[i], w->last_n[i]);
        count[w->last_script[i]]++;
    }
    uint32_t fill[NSCRIPT];
    w->script_start[0] = 0;
    for (int k = 0; k < NSCRIPT; k++) {
        w->script_start[k + 1] = w->script_start[k] + count[k];
        fill[k] = w->script_start[k];
    }
    for (uint32_t i = 0; i < w->nlast; i++) w->by_script[fill[w->last_script[i]]++] = i;
    return 0;
}

/* Split the names file in place: a header line, then `first\tNAME` or
 * `last\tNAME` lines.  Two passes: count, then fill. */
static int load_names(gen_world *w, const char *path, txs_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open names file: %s",
                            strerror(errno));
    char *blob = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 262144;
            char *nb = realloc(blob, cap + 1);
            if (!nb) { free(blob); fclose(f); return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory"); }
            blob = nb;
        }
        size_t got = fread(blob + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(blob); return txs_diag_set(d, TXS_E_IO, path, 0, "read error"); }
    blob[len] = 0;
    w->names_blob = blob;
    uint32_t nl = 0;
    for (size_t i = 0; i < len; i++) nl += blob[i] == '\n';
    w->first = malloc((nl + 1) * sizeof *w->first);
    w->last = malloc((nl + 1) * sizeof *w->last);
    w->first_n = malloc(nl + 1);
    w->last_n = malloc(nl + 1);
    if (!w->first || !w->last || !w->first_n || !w->last_n)
        return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    char *p = blob, *end = blob + len;
    unsigned long line = 0;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        *eol = 0;
        line++;
        char *tab = strchr(p, '\t');
        size_t n = tab ? strlen(tab + 1) : 0;
        if (n && tab[1 + n - 1] == '\r') tab[1 + --n] = 0;
        if (line > 1 && tab && n > 0 && n <= 48) {
            if (tab - p == 5 && memcmp(p, "first", 5) == 0) {
                w->first[w->nfirst] = tab + 1;
                w->first_n[w->nfirst++] = (uint8_t)n;
            } else if (tab - p == 4 && memcmp(p, "last", 4) == 0) {
                w->last[w->nlast] = tab + 1;
                w->last_n[w->nlast++] = (uint8_t)n;
            }
        }
        p = eol + 1;
    }
    if (w->nfirst == 0 || w->nlast == 0)
        return txs_diag_set(d, TXS_E_FORMAT, path, 0,
                            "names file has no `first\\tNAME` or `last\\tNAME` rows");
    if (group_scripts(w)) return txs_diag_set(d, TXS_E_NOMEM, path, 0, "out of memory");
    return 0;
}

int gen_world_create(uint64_t seed, uint32_t accounts, const char *names_path,
                     gen_world **out, txs_diag *d)
{
    *out = NULL;
    gen_world *w = calloc(1, sizeof *w);
    if (!w) return txs_diag_set(d, TXS_E_NOMEM, "", 0, "out of memory");
    w->seed = seed;
    w->accounts = accounts;
    layout(w);
    int rc = load_names(w, names_path ? names_path : TXS_BENCH_DIR "/data/names.tsv", d);
    if (rc < 0) {
        gen_world_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

void gen_world_free(gen_world *w)
{
    if (!w) return;
    free(w->names_blob);
    free(w->first);
    free(w->last);
    free(w->first_n);
    free(w->last_n);
    free(w->first_script);
    free(w->last_script);
    free(w->by_script);
    free(w);
}

/* ------------------------------------------------------------ accounts */

static int country_of(const gen_world *w, uint32_t idx)
{
    int lo = 0, hi = NCOUNTRY - 1; /* last c with cstart[c] <= idx */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (w->cstart[mid] <= idx) lo = mid; else hi = mid - 1;
    }
    return lo;
}

static size_t put(char *dst, size_t at, size_t cap, const char *s, size_t n)
{
    if (at + n > cap) n = cap > at ? cap - at : 0;
    memcpy(dst + at, s, n);
    return at + n;
}

static size_t puts0(char *dst, size_t at, size_t cap, const char *s)
{
    return put(dst, at, cap, s, strlen(s));
}

/* x in [0, 2^32) onto [0, n) by multiply-shift: no division on the hot
 * path.  Traits draw their bits from a short splitmix stream seeded by the
 * account's hash, one stream per trait. */
static inline uint32_t pick(uint32_t x, uint32_t n)
{
    return (uint32_t)(((uint64_t)x * n) >> 32);
}

/* First name, then a last name of the same script (Latin if that script
 * has none).  A non-Latin first name is kept half the time, so about one
 * person in six has a name in another script. */
static size_t person_name(const gen_world *w, uint64_t h, char *dst)
{
    uint64_t x = h;
    uint64_t a = gen_splitmix(&x), b = gen_splitmix(&x);
    uint32_t f = pick((uint32_t)a, w->nfirst);
    if (w->first_script[f] != 0 && (b >> 63))
        f = pick((uint32_t)(a >> 32), w->nfirst);
    int k = w->first_script[f];
    if (w->script_start[k + 1] == w->script_start[k]) k = 0;
    uint32_t span = w->script_start[k + 1] - w->script_start[k];
    uint32_t l = span ? w->by_script[w->script_start[k] + pick((uint32_t)b, span)]
                      : pick((uint32_t)b, w->nlast);
    size_t n = put(dst, 0, GEN_NAME_MAX, w->first[f], w->first_n[f]);
    n = put(dst, n, GEN_NAME_MAX, " ", 1);
    return put(dst, n, GEN_NAME_MAX, w->last[l], w->last_n[l]);
}

static size_t address(uint64_t h, const country *c, char *dst)
{
    uint64_t x = h;
    uint64_t a = gen_splitmix(&x), b = gen_splitmix(&x);
    char num[24];
    const lit *st = &streets[pick((uint32_t)(a >> 32), TXS_ARRAY_LEN(streets))];
    const lit *kind = &street_kinds[pick((uint32_t)b, TXS_ARRAY_LEN(street_kinds))];
    size_t n = put(dst, 0, GEN_ADDR_MAX, num, gen_put_u64(num, 1 + pick((uint32_t)a, 2999)));
    n = put(dst, n, GEN_ADDR_MAX, " ", 1);
    n = put(dst, n, GEN_ADDR_MAX, st->s, st->n);
    n = put(dst, n, GEN_ADDR_MAX, " ", 1);
    n = put(dst, n, GEN_ADDR_MAX, kind->s, kind->n);
    /* Most addresses carry ", City" so the readers' quote path is busy. */
    if (((b >> 32) & 1023) < 717) {
        uint32_t ncity = 0;
        while (ncity < 4 && c->cities[ncity]) ncity++;
        n = put(dst, n, GEN_ADDR_MAX, ", ", 2);
        n = puts0(dst, n, GEN_ADDR_MAX, c->cities[pick((uint32_t)(b >> 42) << 10, ncity)]);
    }
    return n;
}

/* Fill the traits shared by background and high-risk accounts. */
static void fill_party(const gen_world *w, uint64_t h, const country *c,
                       const bank *b, int business, const char *acct_prefix,
                       uint64_t acct_no, gen_party *p)
{
    p->account[0] = acct_prefix[0];
    p->account[1] = acct_prefix[1];
    uint64_t v = acct_no;
    for (int i = 11; i >= 2; i--, v /= 10) p->account[i] = (char)('0' + v % 10);
    p->account_n = 12;
    if (business) {
        uint64_t x = h ^ 0xB5B5B5B5ull;
        uint64_t r = gen_splitmix(&x);
        uint32_t l = pick((uint32_t)r, w->nlast);
        const lit *kind = &business_kinds[pick((uint32_t)(r >> 32), TXS_ARRAY_LEN(business_kinds))];
        size_t n = put(p->name, 0, GEN_NAME_MAX, w->last[l], w->last_n[l]);
        n = put(p->name, n, GEN_NAME_MAX, " ", 1);
        n = put(p->name, n, GEN_NAME_MAX, kind->s, kind->n);
        if (c->legal[0][0]) {
            n = put(p->name, n, GEN_NAME_MAX, " ", 1);
            n = puts0(p->name, n, GEN_NAME_MAX, c->legal[r & 1]);
        }
        p->name_n = (uint8_t)n;
    } else {
        p->name_n = (uint8_t)person_name(w, h, p->name);
    }
    memcpy(p->bank, b->bic, b->n);
    p->bank_n = b->n;
    p->cc[0] = c->cc[0];
    p->cc[1] = c->cc[1];
    p->addr_n = (uint8_t)address(h ^ 0xADD2E55ull, c, p->addr);
    p->cur = c->cur;
    p->aml_bank = b->aml_id;
    /* A bijection of the index mod 2^32: background and fresh accounts
     * never share an AMLworld account number. */
    p->aml_acct = (uint32_t)acct_no * 2654435761u;
}

void gen_account(const gen_world *w, uint32_t idx, gen_party *p)
{
    int c = country_of(w, idx);
    uint64_t h = gen_hash2(w->seed, idx);
    const bank *b = &w->banks[c][h >> 61]; /* 8 banks a country */
    fill_party(w, h, &countries[c], b, idx % 5 == 0, countries[c].cc, idx, p);
}

/* A fresh account: same layout as a background one, traits hashed from
 * its own index (>= accounts), so it is stable across its records. */
void gen_fresh_account(const gen_world *w, uint64_t idx, uint32_t like, int business,
                       gen_party *p)
{
    int c = country_of(w, like);
    uint64_t h = gen_hash2(w->seed ^ 0xF2E5C0DEull, idx);
    const bank *b = &w->banks[c][h >> 61];
    fill_party(w, h, &countries[c], b, business, countries[c].cc, idx, p);
}

uint32_t gen_world_accounts(const gen_world *w) { return w->accounts; }

/* lo * 2^(k/256) for k uniform over the doublings that reach hi, redrawn
 * when above hi: log-uniform on [lo, hi] with integer arithmetic only. */
int64_t gen_log_uniform(const gen_world *w, gen_rng *r, int64_t lo, int64_t hi)
{
    if (lo < 1) lo = 1;
    if (hi <= lo) return lo;
    int doublings = 0;
    while ((lo << doublings) < hi && doublings < 40) doublings++;
    for (int tries = 0; tries < 16; tries++) {
        uint32_t k = gen_below(r, (uint32_t)doublings * 256u);
        int64_t v = lo << (k >> 8);
        v = (int64_t)(((uint64_t)v * w->pow2_q30[k & 255]) >> 30); /* v <= 2 hi, hi < 2^32 */
        if (v >= lo && v <= hi) return v;
    }
    return lo;
}

uint32_t gen_pick_any(const gen_world *w, gen_rng *r)
{
    return gen_below(r, w->accounts);
}

uint32_t gen_pick_domestic(const gen_world *w, gen_rng *r, uint32_t like)
{
    int c = country_of(w, like);
    return w->cstart[c] + gen_below(r, w->cstart[c + 1] - w->cstart[c]);
}

/* Businesses are the accounts whose index is a multiple of 5. */
uint32_t gen_pick_business(const gen_world *w, gen_rng *r, uint32_t like)
{
    int c = country_of(w, like);
    uint32_t s = w->cstart[c], e = w->cstart[c + 1];
    uint32_t i = s + gen_below(r, e - s);
    i -= i % 5;
    if (i < s) i += 5;
    if (i >= e) i = 5 * gen_below(r, (w->accounts + 4) / 5);
    return i;
}

void gen_highrisk_party(const gen_world *w, gen_rng *r, int mode, gen_party *p)
{
    int hc = (int)gen_below(r, NHIGHRISK);
    const bank *b = &w->hr_banks[hc][gen_below(r, BANKS_PER_HIGHRISK)];
    uint32_t k = gen_below(r, 5000);
    uint64_t h = gen_hash2(w->seed ^ 0x5A5A5A5Aull, (uint64_t)hc * 100000u + k);
    /* mode 1: a low-risk party (from the background's first countries)
     * whose bank sits in the high-risk jurisdiction. */
    const country *c = mode == 1 ? &countries[gen_below(r, 8)] : &highrisk[hc];
    fill_party(w, h, c, b, (h >> 60) < 6, highrisk[hc].cc, 900000000u + k, p);
}

void gen_depositor(const gen_world *w, gen_rng *r, const char cc[2], gen_party *p)
{
    p->account_n = 0;
    p->bank_n = 0;
    p->addr_n = 0;
    p->name_n = (uint8_t)person_name(w, gen_next(r), p->name);
    p->cc[0] = cc[0];
    p->cc[1] = cc[1];
    p->aml_bank = 0;
    p->aml_acct = 0;
}

/* ------------------------------------------------------------- amounts */

/* Per channel: log2 of the median in USD cents and the spread, both x256. */
static const struct { int32_t mu, sigma, min_cents; } amount_shape[GEN_CH_COUNT] = {
    [GEN_CH_CARD] = {3082, 333, 50},      /* median $42 */
    [GEN_CH_ACH] = {4193, 384, 500},      /* median $850 */
    [GEN_CH_WIRE] = {5169, 512, 5000},    /* median $12,000 */
    [GEN_CH_CASH] = {3619, 358, 2000},    /* median $180 */
    [GEN_CH_CHEQUE] = {4063, 358, 1000},  /* median $600 */
    [GEN_CH_CRYPTO] = {3807, 512, 500},   /* median $300 */
    [GEN_CH_INTERNAL] = {4401, 410, 1000} /* median $1,500 */
};

/* A log-normal-ish draw: z is a sum of four uniforms (Irwin-Hall), scaled
 * to unit variance; 2^(mu + sigma z) comes from the Q30 table. */
int64_t gen_amount_usd(const gen_world *w, gen_rng *r, int channel)
{
    uint64_t x = gen_next(r);
    int64_t s = (int64_t)(x & 0xFFFF) + (int64_t)((x >> 16) & 0xFFFF) +
                (int64_t)((x >> 32) & 0xFFFF) + (int64_t)(x >> 48);
    int64_t z = (s - 2 * 65536) * 443 / 65536; /* x256, sd 1 */
    int64_t l = amount_shape[channel].mu + z * amount_shape[channel].sigma / 256;
    if (l < 0) l = 0;
    int ip = (int)(l >> 8);
    uint64_t m = w->pow2_q30[l & 255];
    int64_t cents = (int64_t)(ip >= 30 ? m << (ip - 30) : m >> (30 - ip));
    if (cents < amount_shape[channel].min_cents) cents = amount_shape[channel].min_cents;
    return cents;
}

int64_t gen_amount_usd_persona(const gen_world *w, gen_rng *r, int channel, uint32_t acct)
{
    /* The account's level: an Irwin-Hall z from its index alone, one
     * doubling per unit; the draw around it has 60% of the channel's
     * spread, so the population keeps about its shape (sqrt(1 + 0.36 s^2)
     * against s) while each account's amounts stay like themselves. */
    uint64_t h = gen_hash2(0x70657273u, acct);
    int64_t hs = (int64_t)(h & 0xFFFF) + (int64_t)((h >> 16) & 0xFFFF) +
                 (int64_t)((h >> 32) & 0xFFFF) + (int64_t)(h >> 48);
    int64_t level = (hs - 2 * 65536) * 443 / 65536; /* x256, sd 1 */
    uint64_t x = gen_next(r);
    int64_t s = (int64_t)(x & 0xFFFF) + (int64_t)((x >> 16) & 0xFFFF) +
                (int64_t)((x >> 32) & 0xFFFF) + (int64_t)(x >> 48);
    int64_t z = (s - 2 * 65536) * 443 / 65536;
    int64_t l = amount_shape[channel].mu + level + z * amount_shape[channel].sigma * 6 / 2560;
    if (l < 0) l = 0;
    int ip = (int)(l >> 8);
    uint64_t m = w->pow2_q30[l & 255];
    int64_t cents = (int64_t)(ip >= 30 ? m << (ip - 30) : m >> (30 - ip));
    if (cents < amount_shape[channel].min_cents) cents = amount_shape[channel].min_cents;
    return cents;
}

int64_t gen_usd_to_minor(int64_t usd_cents, int cur)
{
    const gen_currency *c = &currencies[cur];
    if (c->per_usd_milli == 0) /* Bitcoin at 60,000 USD: 50/3 sat a cent */
        return usd_cents * 50 / 3;
    int64_t v = usd_cents * c->per_usd_milli;
    return c->exponent == 2 ? (v + 500) / 1000 : (v + 50000) / 100000;
}

/* ------------------------------------------------------------- purpose */

/* prefix then `width` zero-padded digits (width <= 9). */
static void purpose_num(gen_rng *r, gen_txn *t, const char *prefix, int width)
{
    char num[24];
    uint32_t mod = 1;
    for (int i = 0; i < width; i++) mod *= 10;
    size_t n = puts0(t->purpose, 0, GEN_PURPOSE_MAX, prefix);
    size_t k = gen_put_u64(num, mod + gen_below(r, mod)); /* leading 1 */
    t->purpose_n = (uint8_t)put(t->purpose, n, GEN_PURPOSE_MAX, num + 1, k - 1);
}

void gen_purpose(gen_rng *r, gen_txn *t)
{
    static const char *const fixed[GEN_CH_COUNT][4] = {
        [GEN_CH_CARD] = {"POS purchase", "online purchase", "contactless", "subscription"},
        [GEN_CH_ACH] = {"salary", "rent", "utility bill", "insurance premium"},
        [GEN_CH_WIRE] = {"services rendered", "consulting fee", "goods, per contract", "loan repayment"},
        [GEN_CH_CASH] = {"cash deposit", "branch deposit", "ATM deposit", "cash deposit"},
        [GEN_CH_CHEQUE] = {"rent", "refund", "deposit", "tuition"},
        [GEN_CH_CRYPTO] = {"BTC purchase", "exchange withdrawal", "USDT transfer", "ETH purchase"},
        [GEN_CH_INTERNAL] = {"transfer to savings", "own account transfer", "sweep", "top-up"},
    };
    uint32_t k = gen_below(r, 16);
    int ch = t->channel;
    int billed = ch == GEN_CH_WIRE || ch == GEN_CH_ACH;
    if (k < 8 || !(billed || ch == GEN_CH_CHEQUE)) {
        t->purpose_n = (uint8_t)puts0(t->purpose, 0, GEN_PURPOSE_MAX, fixed[ch][k & 3]);
    } else if (ch == GEN_CH_CHEQUE) {
        purpose_num(r, t, "cheque no. ", 6);
    } else if (k == 8 && gen_below(r, 8) == 0) {
        /* A rare purpose with quotes and a comma: the escaped-quote path. */
        t->purpose_n = (uint8_t)puts0(t->purpose, 0, GEN_PURPOSE_MAX,
                                      "ref \"Q1 bonus\", see memo");
    } else if (k < 13) {
        purpose_num(r, t, "invoice INV-2026-", 6);
    } else {
        purpose_num(r, t, "PO ", 7);
    }
}
