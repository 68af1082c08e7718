/*
 * test_channel.c: the canonical channel names of txn.h, both directions.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "txs/txn.h"

Test(channel, names_round_trip)
{
    static const char *const names[TXS_CH_COUNT] = {
        "other", "cash", "wire", "ach", "card", "cheque", "crypto", "internal",
    };
    for (int ch = 0; ch < TXS_CH_COUNT; ch++) {
        cr_expect_str_eq(txs_channel_name(ch), names[ch]);
        cr_expect_eq(txs_channel_lookup(names[ch], strlen(names[ch])), ch, "%s", names[ch]);
    }
}

Test(channel, lookup_is_case_insensitive_and_knows_check)
{
    cr_expect_eq(txs_channel_lookup("WIRE", 4), TXS_CH_WIRE);
    cr_expect_eq(txs_channel_lookup("Cheque", 6), TXS_CH_CHEQUE);
    cr_expect_eq(txs_channel_lookup("check", 5), TXS_CH_CHEQUE);
    cr_expect_eq(txs_channel_lookup("CHECK", 5), TXS_CH_CHEQUE);
    cr_expect_eq(txs_channel_lookup("cash deposit", 4), TXS_CH_CASH); /* slice, not C string */
}

Test(channel, unknown_names_and_out_of_range_values)
{
    static const char *const bad[] = {"", "c", "cas", "cashh", "wire ", " wire", "credit card",
                                      "ACH1", "checks", "other2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(txs_channel_lookup(bad[i], strlen(bad[i])), -1, "\"%s\"", bad[i]);
    cr_expect_eq(txs_channel_lookup(NULL, 0), -1);
    cr_expect_str_eq(txs_channel_name(-1), "other");
    cr_expect_str_eq(txs_channel_name(TXS_CH_COUNT), "other");
    cr_expect_str_eq(txs_channel_name(1000), "other");
}
