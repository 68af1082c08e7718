/*
 * test_snapshot_cpu.c: list snapshots do not depend on the CPU (issue 11).
 * Until December 2026 a snapshot carried a Hyperscan database of the name
 * tokens, compiled for a named CPU target and refused on a CPU without the
 * target's features; the screener now looks each query word up in a table
 * it builds from the snapshot's literal list, so a snapshot holds no
 * machine code at all.  Checked here: no section of a new snapshot is
 * anything but data this build reads, and a snapshot of the old layout,
 * with its Hyperscan section (tag 9) still in it, loads and screens
 * exactly as the same snapshot without it (tests/portable/run.sh adds the
 * byte checks across instruction sets, under valgrind).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "lists/lists_int.h"
#include "txs/lists.h"
#include "txs/lists_names.h"
#include "txs/screen.h"

#define UN TXS_SOURCE_DIR "/samples/lists/un-consolidated-2026-02-27.xml"

/* Names from the UN list, misspelt, reordered, repeated and unrelated, so
 * the exact channel, the typo channel and the misses are all exercised. */
static const char *const NAMES[] = {
    "Abdul Haq Wasiq",       "WASIQ Abdul Haq",       "Abdul Haq Wasik",
    "Kim Su Gwang",          "Su-gwang KIM",          "Ri Won Ho",
    "Ansar al-Islam",        "Al-Qaida",              "al Qaeda in Iraq",
    "Tariq Anwar el Sayed",  "Ahmad Zia Agha",        "Mohammad Hassan Akhund",
    "John Smith",            "Maria Garcia",          "Acme Trading Ltd",
    "Korea Mining Development Trading Corporation", "Tangun Trading",
    "Islamic State in Iraq and the Levant",         "Jemaah Islamiyah",
    "Wasiq Wasiq Abdul Haq", "Akhund Akhund",
};
#define NNAMES (sizeof NAMES / sizeof NAMES[0])

typedef struct result {
    size_t n;
    txs_sanctions_match m[8];
} result;

static void *compile_un(size_t *n)
{
    void *img = NULL;
    txs_lists *l = NULL;
    txs_diag d = {{0}, 0, {0}};
    const char *src[] = {UN};
    cr_assert_eq(txs_lists_compile_mem(src, 1, &img, &l, &d), 0, "%s", d.msg);
    *n = txs_lists_size(l);
    txs_lists_free(l);
    return img;
}

static void screen_all(const void *img, size_t n, result *out)
{
    txs_lists *l;
    txs_diag d = {{0}, 0, {0}};
    cr_assert_eq(txs_lists_open_mem(img, n, &l, &d), 0, "%s", d.msg);
    const txs_lists *ls[1] = {l};
    txs_sanctions *s = NULL;
    cr_assert_eq(txs_sanctions_create(ls, 1, 0.0, &s, &d), 0, "%s", d.msg);
    for (size_t i = 0; i < NNAMES; i++)
        out[i].n = txs_sanctions_name(s, NAMES[i], strlen(NAMES[i]), out[i].m, 8);
    txs_sanctions_free(s);
    txs_lists_free(l);
}

Test(snapshot_cpu, every_section_is_data_this_build_reads)
{
    size_t n;
    unsigned char *img = compile_un(&n);
    uint32_t nsec;
    memcpy(&nsec, img + 16, 4);
    cr_assert_eq(nsec, TXS__SEC_COUNT);
    const txs__snap_sec *sec = (const txs__snap_sec *)(img + TXS__SNAP_HDR);
    int names = 0;
    for (uint32_t i = 0; i < nsec; i++) {
        cr_expect(sec[i].tag >= TXS__SEC_SOURCES && sec[i].tag <= TXS__SEC_NAMES,
                  "section %u has tag %u", i, sec[i].tag);
        names += sec[i].tag == TXS__SEC_NAMES && sec[i].version == TXS__NAMES_VERSION;
    }
    cr_expect_eq(names, 1);
    free(img);
}

/* The image with one more section, tag 9 and 64 bytes of old database
 * bytes, as an older compiler wrote them: every offset moves by one table
 * entry, and the checksum is taken again. */
static unsigned char *with_old_section(const unsigned char *img, size_t n, size_t *out_n)
{
    const size_t e = sizeof(txs__snap_sec), tail = 64;
    uint32_t nsec;
    memcpy(&nsec, img + 16, 4);
    size_t table_end = TXS__SNAP_HDR + (size_t)nsec * e;
    unsigned char *o = calloc(1, n + e + tail);
    cr_assert_not_null(o);
    memcpy(o, img, table_end);
    memcpy(o + table_end + e, img + table_end, n - table_end);
    txs__snap_sec *sec = (txs__snap_sec *)(o + TXS__SNAP_HDR);
    for (uint32_t i = 0; i < nsec; i++) sec[i].off += e;
    sec[nsec] = (txs__snap_sec){9, 1, n + e, tail};
    memset(o + n + e, 0x5a, tail);
    nsec++;
    uint64_t size = n + e + tail;
    memcpy(o + 16, &nsec, 4);
    memcpy(o + 24, &size, 8);
    uint64_t h = XXH3_64bits(o + TXS__SNAP_HDR, size - TXS__SNAP_HDR);
    memcpy(o + 32, &h, 8);
    *out_n = size;
    return o;
}

Test(snapshot_cpu, an_old_snapshot_with_its_hyperscan_section_screens_the_same)
{
    size_t n, on;
    unsigned char *img = compile_un(&n);
    unsigned char *old = with_old_section(img, n, &on);
    result want[NNAMES], got[NNAMES];
    memset(want, 0, sizeof want);
    memset(got, 0, sizeof got);
    screen_all(img, n, want);
    screen_all(old, on, got);
    size_t hits = 0;
    for (size_t i = 0; i < NNAMES; i++) hits += want[i].n > 0;
    cr_assert_geq(hits, 8, "the names must exercise matches (%zu hit)", hits);
    for (size_t i = 0; i < NNAMES; i++) {
        cr_expect_eq(got[i].n, want[i].n, "%s", NAMES[i]);
        for (size_t k = 0; k < want[i].n && k < got[i].n; k++) {
            cr_expect_eq(got[i].m[k].entity, want[i].m[k].entity, "%s", NAMES[i]);
            cr_expect_eq(got[i].m[k].name, want[i].m[k].name, "%s", NAMES[i]);
            cr_expect(got[i].m[k].score == want[i].m[k].score, "%s", NAMES[i]);
        }
    }
    free(old);
    free(img);
}
