/*
 * currency.c: ISO 4217 currencies: the code table, look-up by three-letter
 * code (any case) and by name ("US Dollar", "UK pounds", "Yuan" ...).  Part
 * of the parse stage: a profile's currency column is resolved here once per
 * record, and the index found is what txs_txn.currency carries.
 *
 * Source: ISO 4217 List One (current currency and funds codes) as published
 * by SIX Financial Information, the maintenance agency, in list_one.xml dated
 * 2025-05-12, i.e. through Amendment 179 (XAD, Arab Accounting Dinar), with
 * Amendment 176 (XCG replaces ANG from 2025-03-31), Amendment 177 (ZWG
 * replaces ZWL) and Amendment 178 (CUC withdrawn) applied.  Amendment 180
 * (Bulgaria adopts the euro on 2026-01-01) withdraws BGN; BGN stays here
 * because exports dated before the changeover carry it.  For the same reason
 * a few codes withdrawn from List One in recent years are kept: ANG, CUC, HRK,
 * SLL, ZWL.  XBT (Bitcoin) is not ISO: numeric 0, exponent 8 (satoshi), and
 * "BTC" is accepted as its code.
 *
 * Where ISO gives the minor unit as "N.A." (metals, units of account, XTS,
 * XXX) the engine needs a number anyway: 4 for the precious metals (amounts
 * in troy ounces to 1/10000) and 2 for the rest.  docs/values.md lists them.
 *
 * Invariants: every table is const and built at compile time, so look-ups
 * are thread-safe and need no initialisation.  A three-letter code indexes a
 * 26^3 byte table directly (one load); a name is folded (values_int.h) and
 * binary-searched in a sorted table.  Indexes are stable within a build (the
 * table order), not across versions: persist codes, not indexes.
 */
#include <stdint.h>

#include "txs/values.h"
#include "values/values_int.h"

/* Letters as numbers, so a code can index a table in a constant expression. */
enum {
    L_A, L_B, L_C, L_D, L_E, L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M,
    L_N, L_O, L_P, L_Q, L_R, L_S, L_T, L_U, L_V, L_W, L_X, L_Y, L_Z
};
#define K3(a, b, c) ((L_##a * 26 + L_##b) * 26 + L_##c)

/*
 * ROW(letter, letter, letter, ISO numeric, exponent, English name), sorted
 * by code.  The macro parameter is not a single letter on purpose: "X" is
 * also a code letter.
 */
#define TXS_CURRENCY_ROWS(ROW) \
    ROW(A, E, D, 784, 2, "UAE Dirham") \
    ROW(A, F, N, 971, 2, "Afghani") \
    ROW(A, L, L,   8, 2, "Lek") \
    ROW(A, M, D,  51, 2, "Armenian Dram") \
    ROW(A, N, G, 532, 2, "Netherlands Antillean Guilder") \
    ROW(A, O, A, 973, 2, "Kwanza") \
    ROW(A, R, S,  32, 2, "Argentine Peso") \
    ROW(A, U, D,  36, 2, "Australian Dollar") \
    ROW(A, W, G, 533, 2, "Aruban Florin") \
    ROW(A, Z, N, 944, 2, "Azerbaijan Manat") \
    ROW(B, A, M, 977, 2, "Convertible Mark") \
    ROW(B, B, D,  52, 2, "Barbados Dollar") \
    ROW(B, D, T,  50, 2, "Taka") \
    ROW(B, G, N, 975, 2, "Bulgarian Lev") \
    ROW(B, H, D,  48, 3, "Bahraini Dinar") \
    ROW(B, I, F, 108, 0, "Burundi Franc") \
    ROW(B, M, D,  60, 2, "Bermudian Dollar") \
    ROW(B, N, D,  96, 2, "Brunei Dollar") \
    ROW(B, O, B,  68, 2, "Boliviano") \
    ROW(B, O, V, 984, 2, "Mvdol") \
    ROW(B, R, L, 986, 2, "Brazilian Real") \
    ROW(B, S, D,  44, 2, "Bahamian Dollar") \
    ROW(B, T, N,  64, 2, "Ngultrum") \
    ROW(B, W, P,  72, 2, "Pula") \
    ROW(B, Y, N, 933, 2, "Belarusian Ruble") \
    ROW(B, Z, D,  84, 2, "Belize Dollar") \
    ROW(C, A, D, 124, 2, "Canadian Dollar") \
    ROW(C, D, F, 976, 2, "Congolese Franc") \
    ROW(C, H, E, 947, 2, "WIR Euro") \
    ROW(C, H, F, 756, 2, "Swiss Franc") \
    ROW(C, H, W, 948, 2, "WIR Franc") \
    ROW(C, L, F, 990, 4, "Unidad de Fomento") \
    ROW(C, L, P, 152, 0, "Chilean Peso") \
    ROW(C, N, Y, 156, 2, "Yuan Renminbi") \
    ROW(C, O, P, 170, 2, "Colombian Peso") \
    ROW(C, O, U, 970, 2, "Unidad de Valor Real") \
    ROW(C, R, C, 188, 2, "Costa Rican Colon") \
    ROW(C, U, C, 931, 2, "Peso Convertible") \
    ROW(C, U, P, 192, 2, "Cuban Peso") \
    ROW(C, V, E, 132, 2, "Cabo Verde Escudo") \
    ROW(C, Z, K, 203, 2, "Czech Koruna") \
    ROW(D, J, F, 262, 0, "Djibouti Franc") \
    ROW(D, K, K, 208, 2, "Danish Krone") \
    ROW(D, O, P, 214, 2, "Dominican Peso") \
    ROW(D, Z, D,  12, 2, "Algerian Dinar") \
    ROW(E, G, P, 818, 2, "Egyptian Pound") \
    ROW(E, R, N, 232, 2, "Nakfa") \
    ROW(E, T, B, 230, 2, "Ethiopian Birr") \
    ROW(E, U, R, 978, 2, "Euro") \
    ROW(F, J, D, 242, 2, "Fiji Dollar") \
    ROW(F, K, P, 238, 2, "Falkland Islands Pound") \
    ROW(G, B, P, 826, 2, "Pound Sterling") \
    ROW(G, E, L, 981, 2, "Lari") \
    ROW(G, H, S, 936, 2, "Ghana Cedi") \
    ROW(G, I, P, 292, 2, "Gibraltar Pound") \
    ROW(G, M, D, 270, 2, "Dalasi") \
    ROW(G, N, F, 324, 0, "Guinean Franc") \
    ROW(G, T, Q, 320, 2, "Quetzal") \
    ROW(G, Y, D, 328, 2, "Guyana Dollar") \
    ROW(H, K, D, 344, 2, "Hong Kong Dollar") \
    ROW(H, N, L, 340, 2, "Lempira") \
    ROW(H, R, K, 191, 2, "Kuna") \
    ROW(H, T, G, 332, 2, "Gourde") \
    ROW(H, U, F, 348, 2, "Forint") \
    ROW(I, D, R, 360, 2, "Rupiah") \
    ROW(I, L, S, 376, 2, "New Israeli Sheqel") \
    ROW(I, N, R, 356, 2, "Indian Rupee") \
    ROW(I, Q, D, 368, 3, "Iraqi Dinar") \
    ROW(I, R, R, 364, 2, "Iranian Rial") \
    ROW(I, S, K, 352, 0, "Iceland Krona") \
    ROW(J, M, D, 388, 2, "Jamaican Dollar") \
    ROW(J, O, D, 400, 3, "Jordanian Dinar") \
    ROW(J, P, Y, 392, 0, "Yen") \
    ROW(K, E, S, 404, 2, "Kenyan Shilling") \
    ROW(K, G, S, 417, 2, "Som") \
    ROW(K, H, R, 116, 2, "Riel") \
    ROW(K, M, F, 174, 0, "Comorian Franc") \
    ROW(K, P, W, 408, 2, "North Korean Won") \
    ROW(K, R, W, 410, 0, "Won") \
    ROW(K, W, D, 414, 3, "Kuwaiti Dinar") \
    ROW(K, Y, D, 136, 2, "Cayman Islands Dollar") \
    ROW(K, Z, T, 398, 2, "Tenge") \
    ROW(L, A, K, 418, 2, "Lao Kip") \
    ROW(L, B, P, 422, 2, "Lebanese Pound") \
    ROW(L, K, R, 144, 2, "Sri Lanka Rupee") \
    ROW(L, R, D, 430, 2, "Liberian Dollar") \
    ROW(L, S, L, 426, 2, "Loti") \
    ROW(L, Y, D, 434, 3, "Libyan Dinar") \
    ROW(M, A, D, 504, 2, "Moroccan Dirham") \
    ROW(M, D, L, 498, 2, "Moldovan Leu") \
    ROW(M, G, A, 969, 2, "Malagasy Ariary") \
    ROW(M, K, D, 807, 2, "Denar") \
    ROW(M, M, K, 104, 2, "Kyat") \
    ROW(M, N, T, 496, 2, "Tugrik") \
    ROW(M, O, P, 446, 2, "Pataca") \
    ROW(M, R, U, 929, 2, "Ouguiya") \
    ROW(M, U, R, 480, 2, "Mauritius Rupee") \
    ROW(M, V, R, 462, 2, "Rufiyaa") \
    ROW(M, W, K, 454, 2, "Malawi Kwacha") \
    ROW(M, X, N, 484, 2, "Mexican Peso") \
    ROW(M, X, V, 979, 2, "Mexican Unidad de Inversion (UDI)") \
    ROW(M, Y, R, 458, 2, "Malaysian Ringgit") \
    ROW(M, Z, N, 943, 2, "Mozambique Metical") \
    ROW(N, A, D, 516, 2, "Namibia Dollar") \
    ROW(N, G, N, 566, 2, "Naira") \
    ROW(N, I, O, 558, 2, "Cordoba Oro") \
    ROW(N, O, K, 578, 2, "Norwegian Krone") \
    ROW(N, P, R, 524, 2, "Nepalese Rupee") \
    ROW(N, Z, D, 554, 2, "New Zealand Dollar") \
    ROW(O, M, R, 512, 3, "Rial Omani") \
    ROW(P, A, B, 590, 2, "Balboa") \
    ROW(P, E, N, 604, 2, "Sol") \
    ROW(P, G, K, 598, 2, "Kina") \
    ROW(P, H, P, 608, 2, "Philippine Peso") \
    ROW(P, K, R, 586, 2, "Pakistan Rupee") \
    ROW(P, L, N, 985, 2, "Zloty") \
    ROW(P, Y, G, 600, 0, "Guarani") \
    ROW(Q, A, R, 634, 2, "Qatari Rial") \
    ROW(R, O, N, 946, 2, "Romanian Leu") \
    ROW(R, S, D, 941, 2, "Serbian Dinar") \
    ROW(R, U, B, 643, 2, "Russian Ruble") \
    ROW(R, W, F, 646, 0, "Rwanda Franc") \
    ROW(S, A, R, 682, 2, "Saudi Riyal") \
    ROW(S, B, D,  90, 2, "Solomon Islands Dollar") \
    ROW(S, C, R, 690, 2, "Seychelles Rupee") \
    ROW(S, D, G, 938, 2, "Sudanese Pound") \
    ROW(S, E, K, 752, 2, "Swedish Krona") \
    ROW(S, G, D, 702, 2, "Singapore Dollar") \
    ROW(S, H, P, 654, 2, "Saint Helena Pound") \
    ROW(S, L, E, 925, 2, "Leone") \
    ROW(S, L, L, 694, 2, "Leone (old)") \
    ROW(S, O, S, 706, 2, "Somali Shilling") \
    ROW(S, R, D, 968, 2, "Surinam Dollar") \
    ROW(S, S, P, 728, 2, "South Sudanese Pound") \
    ROW(S, T, N, 930, 2, "Dobra") \
    ROW(S, V, C, 222, 2, "El Salvador Colon") \
    ROW(S, Y, P, 760, 2, "Syrian Pound") \
    ROW(S, Z, L, 748, 2, "Lilangeni") \
    ROW(T, H, B, 764, 2, "Baht") \
    ROW(T, J, S, 972, 2, "Somoni") \
    ROW(T, M, T, 934, 2, "Turkmenistan New Manat") \
    ROW(T, N, D, 788, 3, "Tunisian Dinar") \
    ROW(T, O, P, 776, 2, "Pa'anga") \
    ROW(T, R, Y, 949, 2, "Turkish Lira") \
    ROW(T, T, D, 780, 2, "Trinidad and Tobago Dollar") \
    ROW(T, W, D, 901, 2, "New Taiwan Dollar") \
    ROW(T, Z, S, 834, 2, "Tanzanian Shilling") \
    ROW(U, A, H, 980, 2, "Hryvnia") \
    ROW(U, G, X, 800, 0, "Uganda Shilling") \
    ROW(U, S, D, 840, 2, "US Dollar") \
    ROW(U, S, N, 997, 2, "US Dollar (Next day)") \
    ROW(U, Y, I, 940, 0, "Uruguay Peso en Unidades Indexadas (UI)") \
    ROW(U, Y, U, 858, 2, "Peso Uruguayo") \
    ROW(U, Y, W, 927, 4, "Unidad Previsional") \
    ROW(U, Z, S, 860, 2, "Uzbekistan Sum") \
    ROW(V, E, D, 926, 2, "Bolívar Soberano") \
    ROW(V, E, S, 928, 2, "Bolívar Soberano") \
    ROW(V, N, D, 704, 0, "Dong") \
    ROW(V, U, V, 548, 0, "Vatu") \
    ROW(W, S, T, 882, 2, "Tala") \
    ROW(X, A, D, 396, 2, "Arab Accounting Dinar") \
    ROW(X, A, F, 950, 0, "CFA Franc BEAC") \
    ROW(X, A, G, 961, 4, "Silver") \
    ROW(X, A, U, 959, 4, "Gold") \
    ROW(X, B, A, 955, 2, "Bond Markets Unit European Composite Unit (EURCO)") \
    ROW(X, B, B, 956, 2, "Bond Markets Unit European Monetary Unit (E.M.U.-6)") \
    ROW(X, B, C, 957, 2, "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)") \
    ROW(X, B, D, 958, 2, "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)") \
    ROW(X, B, T,   0, 8, "Bitcoin") \
    ROW(X, C, D, 951, 2, "East Caribbean Dollar") \
    ROW(X, C, G, 532, 2, "Caribbean Guilder") \
    ROW(X, D, R, 960, 2, "SDR (Special Drawing Right)") \
    ROW(X, O, F, 952, 0, "CFA Franc BCEAO") \
    ROW(X, P, D, 964, 4, "Palladium") \
    ROW(X, P, F, 953, 0, "CFP Franc") \
    ROW(X, P, T, 962, 4, "Platinum") \
    ROW(X, S, U, 994, 2, "Sucre") \
    ROW(X, T, S, 963, 2, "Codes specifically reserved for testing purposes") \
    ROW(X, U, A, 965, 2, "ADB Unit of Account") \
    ROW(X, X, X, 999, 2, "The codes assigned for transactions where no currency is involved") \
    ROW(Y, E, R, 886, 2, "Yemeni Rial") \
    ROW(Z, A, R, 710, 2, "Rand") \
    ROW(Z, M, W, 967, 2, "Zambian Kwacha") \
    ROW(Z, W, G, 924, 2, "Zimbabwe Gold") \
    ROW(Z, W, L, 932, 2, "Zimbabwe Dollar")

enum {
#define ROW_ENUM(a, b, c, num, exp, name) CUR_##a##b##c,
    TXS_CURRENCY_ROWS(ROW_ENUM)
#undef ROW_ENUM
    CUR_COUNT
};

static const txs_currency currencies[CUR_COUNT] = {
#define ROW_STRUCT(a, b, c, num, exp, name) {#a #b #c, num, exp, name},
    TXS_CURRENCY_ROWS(ROW_STRUCT)
#undef ROW_STRUCT
};

/* Code -> index + 1 (0: unknown).  17,576 bytes; a look-up touches one
 * cache line. */
static const uint8_t code_index[26 * 26 * 26] = {
#define ROW_INDEX(a, b, c, num, exp, name) [K3(a, b, c)] = CUR_##a##b##c + 1,
    TXS_CURRENCY_ROWS(ROW_INDEX)
#undef ROW_INDEX
    [K3(B, T, C)] = CUR_XBT + 1, /* the exchanges' ticker for Bitcoin */
};

/*
 * Folded names -> index, sorted bytewise (test_currency checks the order and
 * that every key resolves).  Official ISO names, English adjective forms,
 * plurals, and the spellings of real exports: AMLworld ("US Dollar", "UK
 * Pound", "Yuan", "Rupee", "Ruble", "Brazil Real", "Shekel", "Bitcoin" ...)
 * and SAML-D ("UK pounds", "Indian rupee", "Naira", "Dirham" ...).
 *
 * Ambiguities, resolved toward what exports mean in practice:
 *   "dirham"  -> AED.  Both the UAE dirham (AED) and the Moroccan dirham
 *             (MAD) are dirhams; SAML-D writes "Dirham" for the UAE and
 *             "Moroccan dirham" for Morocco, so the bare word is AED.
 *   "rupee"   -> INR (AMLworld's "Rupee"); other rupees need their adjective.
 *   "real"    -> BRL, "yuan"/"renminbi" -> CNY, "won" -> KRW,
 *   "bolivar" and "bolivar soberano" -> VES (ISO names VED and VES alike;
 *             VED is "digital bolivar").
 * Bare "dollar", "pound", "peso", "franc", "riyal" and "lira" are NOT
 * accepted: too many currencies share them, and a wrong currency silently
 * rescales every threshold.  A profile can map such a column explicitly.
 */
static const txs__name_entry names[] = {
    {"adb unit of account", CUR_XUA}, {"afghan afghani", CUR_AFN}, {"afghani", CUR_AFN},
    {"albanian lek", CUR_ALL}, {"albanian leke", CUR_ALL}, {"algerian dinar", CUR_DZD},
    {"algerian dinars", CUR_DZD}, {"american dollar", CUR_USD}, {"american dollars", CUR_USD},
    {"angolan kwanza", CUR_AOA}, {"antillean guilder", CUR_ANG},
    {"antillean guilders", CUR_ANG}, {"arab accounting dinar", CUR_XAD},
    {"arab accounting dinars", CUR_XAD}, {"argentine peso", CUR_ARS},
    {"argentine pesos", CUR_ARS}, {"argentinian peso", CUR_ARS}, {"argentinian pesos", CUR_ARS},
    {"ariary", CUR_MGA}, {"armenian dram", CUR_AMD}, {"aruban florin", CUR_AWG},
    {"aruban guilder", CUR_AWG}, {"aruban guilders", CUR_AWG}, {"australian dollar", CUR_AUD},
    {"australian dollars", CUR_AUD}, {"azerbaijan manat", CUR_AZN},
    {"azerbaijan manats", CUR_AZN}, {"azerbaijani manat", CUR_AZN},
    {"azerbaijani manats", CUR_AZN}, {"bahamas dollar", CUR_BSD}, {"bahamas dollars", CUR_BSD},
    {"bahamian dollar", CUR_BSD}, {"bahamian dollars", CUR_BSD}, {"bahraini dinar", CUR_BHD},
    {"bahraini dinars", CUR_BHD}, {"baht", CUR_THB}, {"bajan dollar", CUR_BBD},
    {"bajan dollars", CUR_BBD}, {"balboa", CUR_PAB}, {"bangladeshi taka", CUR_BDT},
    {"barbadian dollar", CUR_BBD}, {"barbadian dollars", CUR_BBD}, {"barbados dollar", CUR_BBD},
    {"barbados dollars", CUR_BBD}, {"belarus ruble", CUR_BYN}, {"belarus rubles", CUR_BYN},
    {"belarusian rouble", CUR_BYN}, {"belarusian roubles", CUR_BYN},
    {"belarusian ruble", CUR_BYN}, {"belarusian rubles", CUR_BYN}, {"belize dollar", CUR_BZD},
    {"belize dollars", CUR_BZD}, {"belizean dollar", CUR_BZD}, {"belizean dollars", CUR_BZD},
    {"bermuda dollar", CUR_BMD}, {"bermuda dollars", CUR_BMD}, {"bermudian dollar", CUR_BMD},
    {"bermudian dollars", CUR_BMD}, {"bhutanese ngultrum", CUR_BTN}, {"birr", CUR_ETB},
    {"bitcoin", CUR_XBT}, {"bitcoins", CUR_XBT}, {"bolivar", CUR_VES},
    {"bolivar soberano", CUR_VES}, {"bolivian boliviano", CUR_BOB}, {"boliviano", CUR_BOB},
    {"bond markets unit european composite unit eurco", CUR_XBA},
    {"bond markets unit european monetary unit emu 6", CUR_XBB},
    {"bond markets unit european unit of account 17 eua 17", CUR_XBD},
    {"bond markets unit european unit of account 9 eua 9", CUR_XBC},
    {"bosnia and herzegovina convertible mark", CUR_BAM},
    {"bosnia and herzegovina convertible marks", CUR_BAM},
    {"bosnian convertible mark", CUR_BAM}, {"bosnian convertible marks", CUR_BAM},
    {"botswana pula", CUR_BWP}, {"brazil reais", CUR_BRL}, {"brazil real", CUR_BRL},
    {"brazilian reais", CUR_BRL}, {"brazilian real", CUR_BRL}, {"british pound", CUR_GBP},
    {"british pounds", CUR_GBP}, {"brunei dollar", CUR_BND}, {"brunei dollars", CUR_BND},
    {"btc", CUR_XBT}, {"bulgarian lev", CUR_BGN}, {"bulgarian leva", CUR_BGN},
    {"burmese kyat", CUR_MMK}, {"burundi franc", CUR_BIF}, {"burundi francs", CUR_BIF},
    {"burundian franc", CUR_BIF}, {"burundian francs", CUR_BIF}, {"cabo verde escudo", CUR_CVE},
    {"cabo verde escudos", CUR_CVE}, {"cambodian riel", CUR_KHR}, {"canadian dollar", CUR_CAD},
    {"canadian dollars", CUR_CAD}, {"cape verde escudo", CUR_CVE},
    {"cape verde escudos", CUR_CVE}, {"cape verdean escudo", CUR_CVE},
    {"cape verdean escudos", CUR_CVE}, {"caribbean guilder", CUR_XCG},
    {"caribbean guilders", CUR_XCG}, {"cayman dollar", CUR_KYD}, {"cayman dollars", CUR_KYD},
    {"cayman islands dollar", CUR_KYD}, {"cayman islands dollars", CUR_KYD}, {"cedi", CUR_GHS},
    {"cedis", CUR_GHS}, {"central african cfa franc", CUR_XAF},
    {"central african cfa francs", CUR_XAF}, {"cfa franc bceao", CUR_XOF},
    {"cfa franc beac", CUR_XAF}, {"cfp franc", CUR_XPF}, {"cfp francs", CUR_XPF},
    {"chilean peso", CUR_CLP}, {"chilean pesos", CUR_CLP}, {"chinese renminbi", CUR_CNY},
    {"chinese yuan", CUR_CNY}, {"chinese yuan renminbi", CUR_CNY},
    {"codes specifically reserved for testing purposes", CUR_XTS}, {"colombian peso", CUR_COP},
    {"colombian pesos", CUR_COP}, {"comorian franc", CUR_KMF}, {"comorian francs", CUR_KMF},
    {"comoro franc", CUR_KMF}, {"comoro francs", CUR_KMF}, {"congolese franc", CUR_CDF},
    {"congolese francs", CUR_CDF}, {"convertible mark", CUR_BAM},
    {"convertible marka", CUR_BAM}, {"convertible marks", CUR_BAM}, {"cordoba", CUR_NIO},
    {"cordoba oro", CUR_NIO}, {"costa rican colon", CUR_CRC}, {"costa rican colones", CUR_CRC},
    {"croatian kuna", CUR_HRK}, {"croatian kunas", CUR_HRK},
    {"cuban convertible peso", CUR_CUC}, {"cuban convertible pesos", CUR_CUC},
    {"cuban peso", CUR_CUP}, {"cuban pesos", CUR_CUP}, {"czech crown", CUR_CZK},
    {"czech korun", CUR_CZK}, {"czech koruna", CUR_CZK}, {"czech korunas", CUR_CZK},
    {"dalasi", CUR_GMD}, {"danish crown", CUR_DKK}, {"danish krone", CUR_DKK},
    {"danish kroner", CUR_DKK}, {"denar", CUR_MKD}, {"digital bolivar", CUR_VED},
    {"dirham", CUR_AED}, {"dirhams", CUR_AED}, {"djibouti franc", CUR_DJF},
    {"djibouti francs", CUR_DJF}, {"djiboutian franc", CUR_DJF}, {"djiboutian francs", CUR_DJF},
    {"dobra", CUR_STN}, {"dollar us", CUR_USD}, {"dominican peso", CUR_DOP},
    {"dominican pesos", CUR_DOP}, {"dong", CUR_VND}, {"dram", CUR_AMD},
    {"east caribbean dollar", CUR_XCD}, {"east caribbean dollars", CUR_XCD},
    {"eastern caribbean dollar", CUR_XCD}, {"eastern caribbean dollars", CUR_XCD},
    {"ec dollar", CUR_XCD}, {"ec dollars", CUR_XCD}, {"egyptian pound", CUR_EGP},
    {"egyptian pounds", CUR_EGP}, {"el salvador colon", CUR_SVC},
    {"el salvador colones", CUR_SVC}, {"emalangeni", CUR_SZL}, {"emirates dirham", CUR_AED},
    {"emirates dirhams", CUR_AED}, {"emirati dirham", CUR_AED}, {"emirati dirhams", CUR_AED},
    {"eritrean nakfa", CUR_ERN}, {"ethiopian birr", CUR_ETB}, {"euro", CUR_EUR},
    {"euros", CUR_EUR}, {"falkland islands pound", CUR_FKP},
    {"falkland islands pounds", CUR_FKP}, {"fiji dollar", CUR_FJD}, {"fiji dollars", CUR_FJD},
    {"fijian dollar", CUR_FJD}, {"fijian dollars", CUR_FJD}, {"filipino peso", CUR_PHP},
    {"filipino pesos", CUR_PHP}, {"forint", CUR_HUF}, {"forints", CUR_HUF},
    {"french pacific franc", CUR_XPF}, {"french pacific francs", CUR_XPF},
    {"gambian dalasi", CUR_GMD}, {"gb pound", CUR_GBP}, {"gb pounds", CUR_GBP},
    {"georgian lari", CUR_GEL}, {"ghana cedi", CUR_GHS}, {"ghana cedis", CUR_GHS},
    {"ghanaian cedi", CUR_GHS}, {"ghanaian cedis", CUR_GHS}, {"gibraltar pound", CUR_GIP},
    {"gibraltar pounds", CUR_GIP}, {"gold", CUR_XAU}, {"gourde", CUR_HTG},
    {"great british pound", CUR_GBP}, {"great british pounds", CUR_GBP}, {"guarani", CUR_PYG},
    {"guatemalan quetzal", CUR_GTQ}, {"guinea franc", CUR_GNF}, {"guinea francs", CUR_GNF},
    {"guinean franc", CUR_GNF}, {"guinean francs", CUR_GNF}, {"guyana dollar", CUR_GYD},
    {"guyana dollars", CUR_GYD}, {"guyanese dollar", CUR_GYD}, {"guyanese dollars", CUR_GYD},
    {"haitian gourde", CUR_HTG}, {"hk dollar", CUR_HKD}, {"hk dollars", CUR_HKD},
    {"honduran lempira", CUR_HNL}, {"hong kong dollar", CUR_HKD},
    {"hong kong dollars", CUR_HKD}, {"hryvna", CUR_UAH}, {"hryvnia", CUR_UAH},
    {"hungarian forint", CUR_HUF}, {"hungarian forints", CUR_HUF}, {"iceland krona", CUR_ISK},
    {"iceland kronor", CUR_ISK}, {"iceland kronur", CUR_ISK}, {"icelandic krona", CUR_ISK},
    {"icelandic kronor", CUR_ISK}, {"icelandic kronur", CUR_ISK}, {"indian rupee", CUR_INR},
    {"indian rupees", CUR_INR}, {"indonesian rupiah", CUR_IDR}, {"iranian rial", CUR_IRR},
    {"iranian rials", CUR_IRR}, {"iranian riyal", CUR_IRR}, {"iranian riyals", CUR_IRR},
    {"iraqi dinar", CUR_IQD}, {"iraqi dinars", CUR_IQD}, {"israeli new shekel", CUR_ILS},
    {"israeli new shekels", CUR_ILS}, {"israeli new sheqel", CUR_ILS},
    {"israeli new sheqels", CUR_ILS}, {"israeli shekel", CUR_ILS}, {"israeli shekels", CUR_ILS},
    {"jamaican dollar", CUR_JMD}, {"jamaican dollars", CUR_JMD}, {"japanese yen", CUR_JPY},
    {"jordanian dinar", CUR_JOD}, {"jordanian dinars", CUR_JOD}, {"kazakhstani tenge", CUR_KZT},
    {"kenyan shilling", CUR_KES}, {"kenyan shillings", CUR_KES}, {"kina", CUR_PGK},
    {"kip", CUR_LAK}, {"kiwi dollar", CUR_NZD}, {"kiwi dollars", CUR_NZD},
    {"korean won", CUR_KRW}, {"kuna", CUR_HRK}, {"kunas", CUR_HRK}, {"kuwaiti dinar", CUR_KWD},
    {"kuwaiti dinars", CUR_KWD}, {"kwanza", CUR_AOA}, {"kyat", CUR_MMK},
    {"kyrgyz som", CUR_KGS}, {"kyrgyzstani som", CUR_KGS}, {"lao kip", CUR_LAK},
    {"laotian kip", CUR_LAK}, {"lari", CUR_GEL}, {"lebanese pound", CUR_LBP},
    {"lebanese pounds", CUR_LBP}, {"lei", CUR_RON}, {"lek", CUR_ALL}, {"leke", CUR_ALL},
    {"lempira", CUR_HNL}, {"leone", CUR_SLE}, {"leone old", CUR_SLL}, {"lesotho loti", CUR_LSL},
    {"lev", CUR_BGN}, {"leva", CUR_BGN}, {"liberian dollar", CUR_LRD},
    {"liberian dollars", CUR_LRD}, {"libyan dinar", CUR_LYD}, {"libyan dinars", CUR_LYD},
    {"lilangeni", CUR_SZL}, {"loti", CUR_LSL}, {"macanese pataca", CUR_MOP},
    {"macau pataca", CUR_MOP}, {"macedonian denar", CUR_MKD}, {"malagasy ariary", CUR_MGA},
    {"malawi kwacha", CUR_MWK}, {"malawian kwacha", CUR_MWK}, {"malaysian ringgit", CUR_MYR},
    {"maldivian rufiyaa", CUR_MVR}, {"mauritanian ouguiya", CUR_MRU},
    {"mauritian rupee", CUR_MUR}, {"mauritian rupees", CUR_MUR}, {"mauritius rupee", CUR_MUR},
    {"mauritius rupees", CUR_MUR}, {"metical", CUR_MZN}, {"mexican peso", CUR_MXN},
    {"mexican pesos", CUR_MXN}, {"mexican unidad de inversion udi", CUR_MXV},
    {"moldovan lei", CUR_MDL}, {"moldovan leu", CUR_MDL}, {"mongolian tugrik", CUR_MNT},
    {"moroccan dirham", CUR_MAD}, {"moroccan dirhams", CUR_MAD},
    {"mozambican metical", CUR_MZN}, {"mozambique metical", CUR_MZN}, {"mvdol", CUR_BOV},
    {"myanmar kyat", CUR_MMK}, {"naira", CUR_NGN}, {"nakfa", CUR_ERN},
    {"namibia dollar", CUR_NAD}, {"namibia dollars", CUR_NAD}, {"namibian dollar", CUR_NAD},
    {"namibian dollars", CUR_NAD}, {"nepalese rupee", CUR_NPR}, {"nepalese rupees", CUR_NPR},
    {"nepali rupee", CUR_NPR}, {"nepali rupees", CUR_NPR},
    {"netherlands antillean guilder", CUR_ANG}, {"netherlands antillean guilders", CUR_ANG},
    {"new israeli shekel", CUR_ILS}, {"new israeli shekels", CUR_ILS},
    {"new israeli sheqel", CUR_ILS}, {"new israeli sheqels", CUR_ILS}, {"new shekel", CUR_ILS},
    {"new shekels", CUR_ILS}, {"new taiwan dollar", CUR_TWD}, {"new taiwan dollars", CUR_TWD},
    {"new turkish lira", CUR_TRY}, {"new turkish liras", CUR_TRY},
    {"new turkish lire", CUR_TRY}, {"new zealand dollar", CUR_NZD},
    {"new zealand dollars", CUR_NZD}, {"ngultrum", CUR_BTN}, {"nicaraguan cordoba", CUR_NIO},
    {"nigerian naira", CUR_NGN}, {"north korean won", CUR_KPW}, {"norwegian crown", CUR_NOK},
    {"norwegian krone", CUR_NOK}, {"norwegian kroner", CUR_NOK}, {"nt dollar", CUR_TWD},
    {"nt dollars", CUR_TWD}, {"nuevo sol", CUR_PEN}, {"nz dollar", CUR_NZD},
    {"nz dollars", CUR_NZD}, {"omani rial", CUR_OMR}, {"omani rials", CUR_OMR},
    {"ouguiya", CUR_MRU}, {"paanga", CUR_TOP}, {"pacific franc", CUR_XPF},
    {"pacific francs", CUR_XPF}, {"pakistan rupee", CUR_PKR}, {"pakistan rupees", CUR_PKR},
    {"pakistani rupee", CUR_PKR}, {"pakistani rupees", CUR_PKR}, {"palladium", CUR_XPD},
    {"panamanian balboa", CUR_PAB}, {"papua new guinean kina", CUR_PGK},
    {"paraguayan guarani", CUR_PYG}, {"pataca", CUR_MOP}, {"peruvian nuevo sol", CUR_PEN},
    {"peruvian sol", CUR_PEN}, {"peso convertible", CUR_CUC}, {"peso uruguayo", CUR_UYU},
    {"philippine peso", CUR_PHP}, {"philippine pesos", CUR_PHP}, {"philippine piso", CUR_PHP},
    {"platinum", CUR_XPT}, {"polish zloty", CUR_PLN}, {"polish zlotys", CUR_PLN},
    {"pound sterling", CUR_GBP}, {"pound sterling gbp", CUR_GBP}, {"pounds sterling", CUR_GBP},
    {"pula", CUR_BWP}, {"qatari rial", CUR_QAR}, {"qatari rials", CUR_QAR},
    {"qatari riyal", CUR_QAR}, {"qatari riyals", CUR_QAR}, {"quetzal", CUR_GTQ},
    {"rand", CUR_ZAR}, {"reais", CUR_BRL}, {"real", CUR_BRL}, {"renminbi", CUR_CNY},
    {"rial omani", CUR_OMR}, {"riel", CUR_KHR}, {"ringgit", CUR_MYR}, {"rmb", CUR_CNY},
    {"romanian lei", CUR_RON}, {"romanian leu", CUR_RON}, {"rouble", CUR_RUB},
    {"roubles", CUR_RUB}, {"ruble", CUR_RUB}, {"rubles", CUR_RUB}, {"rufiyaa", CUR_MVR},
    {"rupee", CUR_INR}, {"rupees", CUR_INR}, {"rupiah", CUR_IDR}, {"russian rouble", CUR_RUB},
    {"russian roubles", CUR_RUB}, {"russian ruble", CUR_RUB}, {"russian rubles", CUR_RUB},
    {"rwanda franc", CUR_RWF}, {"rwanda francs", CUR_RWF}, {"rwandan franc", CUR_RWF},
    {"rwandan francs", CUR_RWF}, {"saint helena pound", CUR_SHP},
    {"saint helena pounds", CUR_SHP}, {"salvadoran colon", CUR_SVC},
    {"salvadoran colones", CUR_SVC}, {"samoan tala", CUR_WST},
    {"sao tome and principe dobra", CUR_STN}, {"saudi arabian riyal", CUR_SAR},
    {"saudi arabian riyals", CUR_SAR}, {"saudi rial", CUR_SAR}, {"saudi rials", CUR_SAR},
    {"saudi riyal", CUR_SAR}, {"saudi riyals", CUR_SAR}, {"sdr", CUR_XDR},
    {"sdr special drawing right", CUR_XDR}, {"serbian dinar", CUR_RSD},
    {"serbian dinars", CUR_RSD}, {"seychelles rupee", CUR_SCR}, {"seychelles rupees", CUR_SCR},
    {"seychellois rupee", CUR_SCR}, {"seychellois rupees", CUR_SCR}, {"shekel", CUR_ILS},
    {"shekels", CUR_ILS}, {"sheqel", CUR_ILS}, {"sheqels", CUR_ILS},
    {"sierra leonean leone", CUR_SLE}, {"silver", CUR_XAG}, {"sing dollar", CUR_SGD},
    {"sing dollars", CUR_SGD}, {"singapore dollar", CUR_SGD}, {"singapore dollars", CUR_SGD},
    {"sol", CUR_PEN}, {"soles", CUR_PEN}, {"solomon dollar", CUR_SBD},
    {"solomon dollars", CUR_SBD}, {"solomon islands dollar", CUR_SBD},
    {"solomon islands dollars", CUR_SBD}, {"som", CUR_KGS}, {"somali shilling", CUR_SOS},
    {"somali shillings", CUR_SOS}, {"somalian shilling", CUR_SOS},
    {"somalian shillings", CUR_SOS}, {"somoni", CUR_TJS}, {"south african rand", CUR_ZAR},
    {"south korean won", CUR_KRW}, {"south sudanese pound", CUR_SSP},
    {"south sudanese pounds", CUR_SSP}, {"special drawing right", CUR_XDR},
    {"special drawing rights", CUR_XDR}, {"sri lanka rupee", CUR_LKR},
    {"sri lanka rupees", CUR_LKR}, {"sri lankan rupee", CUR_LKR},
    {"sri lankan rupees", CUR_LKR}, {"st helena pound", CUR_SHP}, {"st helena pounds", CUR_SHP},
    {"sterling", CUR_GBP}, {"sucre", CUR_XSU}, {"sudanese pound", CUR_SDG},
    {"sudanese pounds", CUR_SDG}, {"surinam dollar", CUR_SRD}, {"surinam dollars", CUR_SRD},
    {"suriname dollar", CUR_SRD}, {"suriname dollars", CUR_SRD}, {"surinamese dollar", CUR_SRD},
    {"surinamese dollars", CUR_SRD}, {"swazi lilangeni", CUR_SZL}, {"swedish crown", CUR_SEK},
    {"swedish krona", CUR_SEK}, {"swedish kronor", CUR_SEK}, {"swiss franc", CUR_CHF},
    {"swiss francs", CUR_CHF}, {"syrian pound", CUR_SYP}, {"syrian pounds", CUR_SYP},
    {"taiwan dollar", CUR_TWD}, {"taiwan dollars", CUR_TWD}, {"taiwanese dollar", CUR_TWD},
    {"taiwanese dollars", CUR_TWD}, {"tajikistani somoni", CUR_TJS}, {"taka", CUR_BDT},
    {"tala", CUR_WST}, {"tanzania shilling", CUR_TZS}, {"tanzania shillings", CUR_TZS},
    {"tanzanian shilling", CUR_TZS}, {"tanzanian shillings", CUR_TZS}, {"tenge", CUR_KZT},
    {"thai baht", CUR_THB},
    {"the codes assigned for transactions where no currency is involved", CUR_XXX},
    {"togrog", CUR_MNT}, {"tongan paanga", CUR_TOP}, {"trinidad and tobago dollar", CUR_TTD},
    {"trinidad and tobago dollars", CUR_TTD}, {"trinidad dollar", CUR_TTD},
    {"trinidad dollars", CUR_TTD}, {"trinidadian dollar", CUR_TTD},
    {"trinidadian dollars", CUR_TTD}, {"tt dollar", CUR_TTD}, {"tt dollars", CUR_TTD},
    {"tugrik", CUR_MNT}, {"tunisian dinar", CUR_TND}, {"tunisian dinars", CUR_TND},
    {"turkish lira", CUR_TRY}, {"turkish liras", CUR_TRY}, {"turkish lire", CUR_TRY},
    {"turkmen manat", CUR_TMT}, {"turkmen manats", CUR_TMT},
    {"turkmenistan new manat", CUR_TMT}, {"turkmenistan new manats", CUR_TMT},
    {"turkmenistani manat", CUR_TMT}, {"turkmenistani manats", CUR_TMT},
    {"uae dirham", CUR_AED}, {"uae dirhams", CUR_AED}, {"uganda shilling", CUR_UGX},
    {"uganda shillings", CUR_UGX}, {"ugandan shilling", CUR_UGX},
    {"ugandan shillings", CUR_UGX}, {"uk pound", CUR_GBP}, {"uk pounds", CUR_GBP},
    {"ukrainian hryvnia", CUR_UAH}, {"unidad de fomento", CUR_CLF},
    {"unidad de valor reais", CUR_COU}, {"unidad de valor real", CUR_COU},
    {"unidad previsional", CUR_UYW}, {"united arab emirates dirham", CUR_AED},
    {"united arab emirates dirhams", CUR_AED}, {"united states dollar", CUR_USD},
    {"united states dollars", CUR_USD}, {"uruguay peso en unidades indexadas ui", CUR_UYI},
    {"uruguayan peso", CUR_UYU}, {"uruguayan pesos", CUR_UYU}, {"us dollar", CUR_USD},
    {"us dollar next day", CUR_USN}, {"us dollars", CUR_USD}, {"usd dollar", CUR_USD},
    {"usd dollars", CUR_USD}, {"uzbek som", CUR_UZS}, {"uzbekistan som", CUR_UZS},
    {"uzbekistan sum", CUR_UZS}, {"uzbekistani som", CUR_UZS}, {"vanuatu vatu", CUR_VUV},
    {"vatu", CUR_VUV}, {"venezuelan bolivar", CUR_VES},
    {"venezuelan bolivar soberano", CUR_VES}, {"venezuelan digital bolivar", CUR_VED},
    {"vietnamese dong", CUR_VND}, {"west african cfa franc", CUR_XOF},
    {"west african cfa francs", CUR_XOF}, {"wir euro", CUR_CHE}, {"wir euros", CUR_CHE},
    {"wir franc", CUR_CHW}, {"wir francs", CUR_CHW}, {"won", CUR_KRW}, {"yemeni rial", CUR_YER},
    {"yemeni rials", CUR_YER}, {"yemeni riyal", CUR_YER}, {"yemeni riyals", CUR_YER},
    {"yen", CUR_JPY}, {"yuan", CUR_CNY}, {"yuan renminbi", CUR_CNY},
    {"zambian kwacha", CUR_ZMW}, {"zig", CUR_ZWG}, {"zimbabwe dollar", CUR_ZWL},
    {"zimbabwe dollars", CUR_ZWL}, {"zimbabwe gold", CUR_ZWG}, {"zimbabwean dollar", CUR_ZWL},
    {"zimbabwean dollars", CUR_ZWL}, {"zloty", CUR_PLN}, {"zlotys", CUR_PLN},
};

/* Index for a three-letter code in any case, or -1. */
static int code_lookup(const char *p)
{
    unsigned a = ((unsigned)(unsigned char)p[0] | 0x20u) - 'a';
    unsigned b = ((unsigned)(unsigned char)p[1] | 0x20u) - 'a';
    unsigned c = ((unsigned)(unsigned char)p[2] | 0x20u) - 'a';
    if (a >= 26 || b >= 26 || c >= 26) return -1;
    return (int)code_index[(a * 26 + b) * 26 + c] - 1;
}

int txs_currency_lookup(const char *p, size_t n)
{
    char key[TXS__FOLD_CAP];
    if (p == NULL) return -1;
    if (n == 3) {
        int i = code_lookup(p);
        if (i >= 0) return i;
    }
    /* Not a bare code: fold and try again as a code (" usd ") or a name. */
    int k = txs__values_fold(p, n, key, sizeof key);
    if (k <= 0) return -1;
    if (k == 3) {
        int i = code_lookup(key);
        if (i >= 0) return i;
    }
    return txs__values_name_find(names, TXS_ARRAY_LEN(names), key, (size_t)k);
}

const txs_currency *txs_currency_get(int i)
{
    if (i < 0 || i >= CUR_COUNT) return NULL;
    return &currencies[i];
}

int txs_currency_count(void)
{
    return CUR_COUNT;
}

const txs__name_entry *txs__currency_names(size_t *count)
{
    *count = TXS_ARRAY_LEN(names);
    return names;
}
