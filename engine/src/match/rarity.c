/*
 * rarity.c: the default rarity table.  Tokens so common in names that they
 * cannot carry a match on their own: Arabic and Persian name particles and
 * the most frequent given names on the OFAC and UN lists, and the generic
 * words of company names.  Weights were chosen by hand (roughly: particles
 * 0.3, very common given names 0.6, generic company words 0.4-0.6); the
 * candidate generator replaces this table with one derived from list
 * frequencies.  Sorted by token (strcmp order): keep it sorted.
 */
#include "match_int.h"

static const txs_match_weight defaults[] = {
    {"abd", 0.4f},         {"abdel", 0.5f},     {"abdul", 0.5f},   {"abu", 0.4f},
    {"ahmad", 0.7f},       {"ahmed", 0.7f},     {"al", 0.3f},      {"ali", 0.7f},
    {"and", 0.2f},         {"bank", 0.6f},      {"ben", 0.4f},     {"bin", 0.4f},
    {"bint", 0.4f},        {"capital", 0.7f},   {"co", 0.4f},      {"company", 0.4f},
    {"corp", 0.4f},        {"corporation", 0.4f}, {"da", 0.3f},    {"das", 0.3f},
    {"de", 0.3f},          {"del", 0.3f},       {"der", 0.3f},     {"di", 0.3f},
    {"din", 0.4f},         {"dos", 0.3f},       {"du", 0.3f},      {"el", 0.3f},
    {"enterprises", 0.6f}, {"for", 0.2f},       {"fund", 0.7f},    {"general", 0.7f},
    {"global", 0.6f},      {"group", 0.5f},     {"holding", 0.5f}, {"holdings", 0.5f},
    {"ibn", 0.4f},         {"industries", 0.6f}, {"industry", 0.6f}, {"international", 0.5f},
    {"investment", 0.6f},  {"investments", 0.6f}, {"la", 0.3f},    {"le", 0.3f},
    {"limited", 0.4f},     {"mohamed", 0.6f},   {"mohammad", 0.6f}, {"mohammed", 0.6f},
    {"muhammad", 0.6f},    {"of", 0.2f},        {"services", 0.6f}, {"solutions", 0.6f},
    {"the", 0.2f},         {"trading", 0.5f},   {"ud", 0.3f},      {"ul", 0.3f},
    {"van", 0.3f},         {"von", 0.3f},
};

const txs_match_rarity *txs_match_rarity_default(void)
{
    static const txs_match_rarity r = {defaults, sizeof defaults / sizeof defaults[0]};
    return &r;
}
