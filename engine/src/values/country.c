/*
 * country.c: ISO 3166-1 countries: alpha-2 validity, look-up by alpha-2,
 * alpha-3 or English name, and the English short name of a code.  Part of
 * the parse stage (party and bank-location columns) and of screening, where
 * txs_country_valid() checks BIC country letters once per party.
 *
 * Source: ISO 3166-1, all 249 officially assigned alpha-2 codes with their
 * alpha-3 codes, as maintained by the ISO 3166 Maintenance Agency (the set
 * unchanged since South Sudan, SS/SSD, in 2011; later amendments renamed
 * entries: Czechia 2016, Eswatini 2018, North Macedonia 2019, Türkiye 2022,
 * Netherlands (Kingdom of the) 2023).  Names are the English short names in
 * the familiar comma form ("Korea, Republic of"); the UN M49 list uses the
 * same names.  XK / XKX (Kosovo) is a user-assigned code, not ISO, but the
 * European Commission, SWIFT and most banks use it, so it is valid here.
 *
 * Invariants: all tables are const and built at compile time.  alpha-2 and
 * alpha-3 codes index direct tables (676 and 17,576 bytes), so
 * txs_country_valid() is one load.  Names are folded (values_int.h) and
 * binary-searched; "X, Y" inversions ("Korea, Republic of", "Congo, Dem.
 * Rep.") and trailing parentheses ("Korea (the Republic of)", "Myanmar
 * (Burma)") are retried as "Y X" and "X", and a leading "the" is ignored.
 */
#include <stdint.h>
#include <string.h>

#include "txs/values.h"
#include "values/values_int.h"

enum {
    L_A, L_B, L_C, L_D, L_E, L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M,
    L_N, L_O, L_P, L_Q, L_R, L_S, L_T, L_U, L_V, L_W, L_X, L_Y, L_Z
};
#define K2(a, b) (L_##a * 26 + L_##b)
#define K3(a, b, c) ((L_##a * 26 + L_##b) * 26 + L_##c)

/* ROW(alpha-2 letters, alpha-3 letters, English short name), sorted by
 * alpha-2. */
#define TXS_COUNTRY_ROWS(ROW) \
    ROW(A, D, A, N, D, "Andorra") \
    ROW(A, E, A, R, E, "United Arab Emirates") \
    ROW(A, F, A, F, G, "Afghanistan") \
    ROW(A, G, A, T, G, "Antigua and Barbuda") \
    ROW(A, I, A, I, A, "Anguilla") \
    ROW(A, L, A, L, B, "Albania") \
    ROW(A, M, A, R, M, "Armenia") \
    ROW(A, O, A, G, O, "Angola") \
    ROW(A, Q, A, T, A, "Antarctica") \
    ROW(A, R, A, R, G, "Argentina") \
    ROW(A, S, A, S, M, "American Samoa") \
    ROW(A, T, A, U, T, "Austria") \
    ROW(A, U, A, U, S, "Australia") \
    ROW(A, W, A, B, W, "Aruba") \
    ROW(A, X, A, L, A, "Åland Islands") \
    ROW(A, Z, A, Z, E, "Azerbaijan") \
    ROW(B, A, B, I, H, "Bosnia and Herzegovina") \
    ROW(B, B, B, R, B, "Barbados") \
    ROW(B, D, B, G, D, "Bangladesh") \
    ROW(B, E, B, E, L, "Belgium") \
    ROW(B, F, B, F, A, "Burkina Faso") \
    ROW(B, G, B, G, R, "Bulgaria") \
    ROW(B, H, B, H, R, "Bahrain") \
    ROW(B, I, B, D, I, "Burundi") \
    ROW(B, J, B, E, N, "Benin") \
    ROW(B, L, B, L, M, "Saint Barthélemy") \
    ROW(B, M, B, M, U, "Bermuda") \
    ROW(B, N, B, R, N, "Brunei Darussalam") \
    ROW(B, O, B, O, L, "Bolivia, Plurinational State of") \
    ROW(B, Q, B, E, S, "Bonaire, Sint Eustatius and Saba") \
    ROW(B, R, B, R, A, "Brazil") \
    ROW(B, S, B, H, S, "Bahamas") \
    ROW(B, T, B, T, N, "Bhutan") \
    ROW(B, V, B, V, T, "Bouvet Island") \
    ROW(B, W, B, W, A, "Botswana") \
    ROW(B, Y, B, L, R, "Belarus") \
    ROW(B, Z, B, L, Z, "Belize") \
    ROW(C, A, C, A, N, "Canada") \
    ROW(C, C, C, C, K, "Cocos (Keeling) Islands") \
    ROW(C, D, C, O, D, "Congo, Democratic Republic of the") \
    ROW(C, F, C, A, F, "Central African Republic") \
    ROW(C, G, C, O, G, "Congo") \
    ROW(C, H, C, H, E, "Switzerland") \
    ROW(C, I, C, I, V, "Côte d'Ivoire") \
    ROW(C, K, C, O, K, "Cook Islands") \
    ROW(C, L, C, H, L, "Chile") \
    ROW(C, M, C, M, R, "Cameroon") \
    ROW(C, N, C, H, N, "China") \
    ROW(C, O, C, O, L, "Colombia") \
    ROW(C, R, C, R, I, "Costa Rica") \
    ROW(C, U, C, U, B, "Cuba") \
    ROW(C, V, C, P, V, "Cabo Verde") \
    ROW(C, W, C, U, W, "Curaçao") \
    ROW(C, X, C, X, R, "Christmas Island") \
    ROW(C, Y, C, Y, P, "Cyprus") \
    ROW(C, Z, C, Z, E, "Czechia") \
    ROW(D, E, D, E, U, "Germany") \
    ROW(D, J, D, J, I, "Djibouti") \
    ROW(D, K, D, N, K, "Denmark") \
    ROW(D, M, D, M, A, "Dominica") \
    ROW(D, O, D, O, M, "Dominican Republic") \
    ROW(D, Z, D, Z, A, "Algeria") \
    ROW(E, C, E, C, U, "Ecuador") \
    ROW(E, E, E, S, T, "Estonia") \
    ROW(E, G, E, G, Y, "Egypt") \
    ROW(E, H, E, S, H, "Western Sahara") \
    ROW(E, R, E, R, I, "Eritrea") \
    ROW(E, S, E, S, P, "Spain") \
    ROW(E, T, E, T, H, "Ethiopia") \
    ROW(F, I, F, I, N, "Finland") \
    ROW(F, J, F, J, I, "Fiji") \
    ROW(F, K, F, L, K, "Falkland Islands (Malvinas)") \
    ROW(F, M, F, S, M, "Micronesia, Federated States of") \
    ROW(F, O, F, R, O, "Faroe Islands") \
    ROW(F, R, F, R, A, "France") \
    ROW(G, A, G, A, B, "Gabon") \
    ROW(G, B, G, B, R, "United Kingdom of Great Britain and Northern Ireland") \
    ROW(G, D, G, R, D, "Grenada") \
    ROW(G, E, G, E, O, "Georgia") \
    ROW(G, F, G, U, F, "French Guiana") \
    ROW(G, G, G, G, Y, "Guernsey") \
    ROW(G, H, G, H, A, "Ghana") \
    ROW(G, I, G, I, B, "Gibraltar") \
    ROW(G, L, G, R, L, "Greenland") \
    ROW(G, M, G, M, B, "Gambia") \
    ROW(G, N, G, I, N, "Guinea") \
    ROW(G, P, G, L, P, "Guadeloupe") \
    ROW(G, Q, G, N, Q, "Equatorial Guinea") \
    ROW(G, R, G, R, C, "Greece") \
    ROW(G, S, S, G, S, "South Georgia and the South Sandwich Islands") \
    ROW(G, T, G, T, M, "Guatemala") \
    ROW(G, U, G, U, M, "Guam") \
    ROW(G, W, G, N, B, "Guinea-Bissau") \
    ROW(G, Y, G, U, Y, "Guyana") \
    ROW(H, K, H, K, G, "Hong Kong") \
    ROW(H, M, H, M, D, "Heard Island and McDonald Islands") \
    ROW(H, N, H, N, D, "Honduras") \
    ROW(H, R, H, R, V, "Croatia") \
    ROW(H, T, H, T, I, "Haiti") \
    ROW(H, U, H, U, N, "Hungary") \
    ROW(I, D, I, D, N, "Indonesia") \
    ROW(I, E, I, R, L, "Ireland") \
    ROW(I, L, I, S, R, "Israel") \
    ROW(I, M, I, M, N, "Isle of Man") \
    ROW(I, N, I, N, D, "India") \
    ROW(I, O, I, O, T, "British Indian Ocean Territory") \
    ROW(I, Q, I, R, Q, "Iraq") \
    ROW(I, R, I, R, N, "Iran, Islamic Republic of") \
    ROW(I, S, I, S, L, "Iceland") \
    ROW(I, T, I, T, A, "Italy") \
    ROW(J, E, J, E, Y, "Jersey") \
    ROW(J, M, J, A, M, "Jamaica") \
    ROW(J, O, J, O, R, "Jordan") \
    ROW(J, P, J, P, N, "Japan") \
    ROW(K, E, K, E, N, "Kenya") \
    ROW(K, G, K, G, Z, "Kyrgyzstan") \
    ROW(K, H, K, H, M, "Cambodia") \
    ROW(K, I, K, I, R, "Kiribati") \
    ROW(K, M, C, O, M, "Comoros") \
    ROW(K, N, K, N, A, "Saint Kitts and Nevis") \
    ROW(K, P, P, R, K, "Korea, Democratic People's Republic of") \
    ROW(K, R, K, O, R, "Korea, Republic of") \
    ROW(K, W, K, W, T, "Kuwait") \
    ROW(K, Y, C, Y, M, "Cayman Islands") \
    ROW(K, Z, K, A, Z, "Kazakhstan") \
    ROW(L, A, L, A, O, "Lao People's Democratic Republic") \
    ROW(L, B, L, B, N, "Lebanon") \
    ROW(L, C, L, C, A, "Saint Lucia") \
    ROW(L, I, L, I, E, "Liechtenstein") \
    ROW(L, K, L, K, A, "Sri Lanka") \
    ROW(L, R, L, B, R, "Liberia") \
    ROW(L, S, L, S, O, "Lesotho") \
    ROW(L, T, L, T, U, "Lithuania") \
    ROW(L, U, L, U, X, "Luxembourg") \
    ROW(L, V, L, V, A, "Latvia") \
    ROW(L, Y, L, B, Y, "Libya") \
    ROW(M, A, M, A, R, "Morocco") \
    ROW(M, C, M, C, O, "Monaco") \
    ROW(M, D, M, D, A, "Moldova, Republic of") \
    ROW(M, E, M, N, E, "Montenegro") \
    ROW(M, F, M, A, F, "Saint Martin (French part)") \
    ROW(M, G, M, D, G, "Madagascar") \
    ROW(M, H, M, H, L, "Marshall Islands") \
    ROW(M, K, M, K, D, "North Macedonia") \
    ROW(M, L, M, L, I, "Mali") \
    ROW(M, M, M, M, R, "Myanmar") \
    ROW(M, N, M, N, G, "Mongolia") \
    ROW(M, O, M, A, C, "Macao") \
    ROW(M, P, M, N, P, "Northern Mariana Islands") \
    ROW(M, Q, M, T, Q, "Martinique") \
    ROW(M, R, M, R, T, "Mauritania") \
    ROW(M, S, M, S, R, "Montserrat") \
    ROW(M, T, M, L, T, "Malta") \
    ROW(M, U, M, U, S, "Mauritius") \
    ROW(M, V, M, D, V, "Maldives") \
    ROW(M, W, M, W, I, "Malawi") \
    ROW(M, X, M, E, X, "Mexico") \
    ROW(M, Y, M, Y, S, "Malaysia") \
    ROW(M, Z, M, O, Z, "Mozambique") \
    ROW(N, A, N, A, M, "Namibia") \
    ROW(N, C, N, C, L, "New Caledonia") \
    ROW(N, E, N, E, R, "Niger") \
    ROW(N, F, N, F, K, "Norfolk Island") \
    ROW(N, G, N, G, A, "Nigeria") \
    ROW(N, I, N, I, C, "Nicaragua") \
    ROW(N, L, N, L, D, "Netherlands") \
    ROW(N, O, N, O, R, "Norway") \
    ROW(N, P, N, P, L, "Nepal") \
    ROW(N, R, N, R, U, "Nauru") \
    ROW(N, U, N, I, U, "Niue") \
    ROW(N, Z, N, Z, L, "New Zealand") \
    ROW(O, M, O, M, N, "Oman") \
    ROW(P, A, P, A, N, "Panama") \
    ROW(P, E, P, E, R, "Peru") \
    ROW(P, F, P, Y, F, "French Polynesia") \
    ROW(P, G, P, N, G, "Papua New Guinea") \
    ROW(P, H, P, H, L, "Philippines") \
    ROW(P, K, P, A, K, "Pakistan") \
    ROW(P, L, P, O, L, "Poland") \
    ROW(P, M, S, P, M, "Saint Pierre and Miquelon") \
    ROW(P, N, P, C, N, "Pitcairn") \
    ROW(P, R, P, R, I, "Puerto Rico") \
    ROW(P, S, P, S, E, "Palestine, State of") \
    ROW(P, T, P, R, T, "Portugal") \
    ROW(P, W, P, L, W, "Palau") \
    ROW(P, Y, P, R, Y, "Paraguay") \
    ROW(Q, A, Q, A, T, "Qatar") \
    ROW(R, E, R, E, U, "Réunion") \
    ROW(R, O, R, O, U, "Romania") \
    ROW(R, S, S, R, B, "Serbia") \
    ROW(R, U, R, U, S, "Russian Federation") \
    ROW(R, W, R, W, A, "Rwanda") \
    ROW(S, A, S, A, U, "Saudi Arabia") \
    ROW(S, B, S, L, B, "Solomon Islands") \
    ROW(S, C, S, Y, C, "Seychelles") \
    ROW(S, D, S, D, N, "Sudan") \
    ROW(S, E, S, W, E, "Sweden") \
    ROW(S, G, S, G, P, "Singapore") \
    ROW(S, H, S, H, N, "Saint Helena, Ascension and Tristan da Cunha") \
    ROW(S, I, S, V, N, "Slovenia") \
    ROW(S, J, S, J, M, "Svalbard and Jan Mayen") \
    ROW(S, K, S, V, K, "Slovakia") \
    ROW(S, L, S, L, E, "Sierra Leone") \
    ROW(S, M, S, M, R, "San Marino") \
    ROW(S, N, S, E, N, "Senegal") \
    ROW(S, O, S, O, M, "Somalia") \
    ROW(S, R, S, U, R, "Suriname") \
    ROW(S, S, S, S, D, "South Sudan") \
    ROW(S, T, S, T, P, "Sao Tome and Principe") \
    ROW(S, V, S, L, V, "El Salvador") \
    ROW(S, X, S, X, M, "Sint Maarten (Dutch part)") \
    ROW(S, Y, S, Y, R, "Syrian Arab Republic") \
    ROW(S, Z, S, W, Z, "Eswatini") \
    ROW(T, C, T, C, A, "Turks and Caicos Islands") \
    ROW(T, D, T, C, D, "Chad") \
    ROW(T, F, A, T, F, "French Southern Territories") \
    ROW(T, G, T, G, O, "Togo") \
    ROW(T, H, T, H, A, "Thailand") \
    ROW(T, J, T, J, K, "Tajikistan") \
    ROW(T, K, T, K, L, "Tokelau") \
    ROW(T, L, T, L, S, "Timor-Leste") \
    ROW(T, M, T, K, M, "Turkmenistan") \
    ROW(T, N, T, U, N, "Tunisia") \
    ROW(T, O, T, O, N, "Tonga") \
    ROW(T, R, T, U, R, "Türkiye") \
    ROW(T, T, T, T, O, "Trinidad and Tobago") \
    ROW(T, V, T, U, V, "Tuvalu") \
    ROW(T, W, T, W, N, "Taiwan, Province of China") \
    ROW(T, Z, T, Z, A, "Tanzania, United Republic of") \
    ROW(U, A, U, K, R, "Ukraine") \
    ROW(U, G, U, G, A, "Uganda") \
    ROW(U, M, U, M, I, "United States Minor Outlying Islands") \
    ROW(U, S, U, S, A, "United States of America") \
    ROW(U, Y, U, R, Y, "Uruguay") \
    ROW(U, Z, U, Z, B, "Uzbekistan") \
    ROW(V, A, V, A, T, "Holy See") \
    ROW(V, C, V, C, T, "Saint Vincent and the Grenadines") \
    ROW(V, E, V, E, N, "Venezuela, Bolivarian Republic of") \
    ROW(V, G, V, G, B, "Virgin Islands, British") \
    ROW(V, I, V, I, R, "Virgin Islands, U.S.") \
    ROW(V, N, V, N, M, "Viet Nam") \
    ROW(V, U, V, U, T, "Vanuatu") \
    ROW(W, F, W, L, F, "Wallis and Futuna") \
    ROW(W, S, W, S, M, "Samoa") \
    ROW(X, K, X, K, X, "Kosovo") \
    ROW(Y, E, Y, E, M, "Yemen") \
    ROW(Y, T, M, Y, T, "Mayotte") \
    ROW(Z, A, Z, A, F, "South Africa") \
    ROW(Z, M, Z, M, B, "Zambia") \
    ROW(Z, W, Z, W, E, "Zimbabwe")

enum {
#define ROW_ENUM(a, b, c, d, e, name) CTRY_##a##b,
    TXS_COUNTRY_ROWS(ROW_ENUM)
#undef ROW_ENUM
    CTRY_COUNT
};

typedef struct country {
    char a2[3];
    char a3[4];
    const char *name;
} country;

static const country countries[CTRY_COUNT] = {
#define ROW_STRUCT(a, b, c, d, e, name) {#a #b, #c #d #e, name},
    TXS_COUNTRY_ROWS(ROW_STRUCT)
#undef ROW_STRUCT
};

/* Code -> index + 1 (0: not assigned). */
static const uint8_t a2_index[26 * 26] = {
#define ROW_A2(a, b, c, d, e, name) [K2(a, b)] = CTRY_##a##b + 1,
    TXS_COUNTRY_ROWS(ROW_A2)
#undef ROW_A2
};
static const uint8_t a3_index[26 * 26 * 26] = {
#define ROW_A3(a, b, c, d, e, name) [K3(c, d, e)] = CTRY_##a##b + 1,
    TXS_COUNTRY_ROWS(ROW_A3)
#undef ROW_A3
};

/*
 * Folded names and variants -> index, sorted bytewise (test_country checks
 * the order and that every key resolves).  Besides the ISO names: the names
 * people and exports use ("UK", "Great Britain", "USA", "UAE", "Turkey",
 * "Russia", "South Korea", "Iran", "Vietnam", "Ivory Coast", "DR Congo",
 * "Burma", "Holland", "Macedonia", "Swaziland", "Cape Verde", "East Timor",
 * "Vatican", "Palestine", "Taiwan", "Macau" ...), the World Bank's forms
 * ("Korea, Rep.", "Egypt, Arab Rep.", "Lao PDR") and SAML-D's locations.
 * England, Scotland, Wales and Northern Ireland map to GB, and a bare
 * "Korea" to the Republic of Korea (KR), which is what exports mean by it.
 */
static const txs__name_entry names[] = {
    {"afghanistan", CTRY_AF}, {"aland", CTRY_AX}, {"aland islands", CTRY_AX},
    {"albania", CTRY_AL}, {"algeria", CTRY_DZ}, {"america", CTRY_US},
    {"american samoa", CTRY_AS}, {"andorra", CTRY_AD}, {"angola", CTRY_AO},
    {"anguilla", CTRY_AI}, {"antarctica", CTRY_AQ}, {"antigua", CTRY_AG},
    {"antigua and barbuda", CTRY_AG}, {"arab republic of egypt", CTRY_EG},
    {"argentina", CTRY_AR}, {"armenia", CTRY_AM}, {"aruba", CTRY_AW},
    {"ascension island", CTRY_SH}, {"australia", CTRY_AU}, {"austria", CTRY_AT},
    {"azerbaijan", CTRY_AZ}, {"bahamas", CTRY_BS}, {"bahamas the", CTRY_BS},
    {"bahrain", CTRY_BH}, {"bangladesh", CTRY_BD}, {"barbados", CTRY_BB}, {"belarus", CTRY_BY},
    {"belgium", CTRY_BE}, {"belize", CTRY_BZ}, {"benin", CTRY_BJ}, {"bermuda", CTRY_BM},
    {"bhutan", CTRY_BT}, {"bolivarian republic of venezuela", CTRY_VE}, {"bolivia", CTRY_BO},
    {"bolivia plurinational state of", CTRY_BO}, {"bonaire", CTRY_BQ},
    {"bonaire saint eustatius and saba", CTRY_BQ}, {"bonaire sint eustatius and saba", CTRY_BQ},
    {"bosnia", CTRY_BA}, {"bosnia and herzegovina", CTRY_BA}, {"bosnia herzegovina", CTRY_BA},
    {"botswana", CTRY_BW}, {"bouvet island", CTRY_BV}, {"brazil", CTRY_BR},
    {"britain", CTRY_GB}, {"british indian ocean territory", CTRY_IO},
    {"british virgin islands", CTRY_VG}, {"brunei", CTRY_BN}, {"brunei darussalam", CTRY_BN},
    {"bulgaria", CTRY_BG}, {"burkina faso", CTRY_BF}, {"burma", CTRY_MM}, {"burundi", CTRY_BI},
    {"bvi", CTRY_VG}, {"cabo verde", CTRY_CV}, {"cambodia", CTRY_KH}, {"cameroon", CTRY_CM},
    {"canada", CTRY_CA}, {"cape verde", CTRY_CV}, {"caribbean netherlands", CTRY_BQ},
    {"cayman islands", CTRY_KY}, {"central african republic", CTRY_CF}, {"chad", CTRY_TD},
    {"chile", CTRY_CL}, {"china", CTRY_CN}, {"china prc", CTRY_CN}, {"chinese taipei", CTRY_TW},
    {"christmas island", CTRY_CX}, {"cocos islands", CTRY_CC},
    {"cocos keeling islands", CTRY_CC}, {"colombia", CTRY_CO}, {"comoros", CTRY_KM},
    {"congo", CTRY_CG}, {"congo brazzaville", CTRY_CG}, {"congo dem rep", CTRY_CD},
    {"congo democratic republic of the", CTRY_CD}, {"congo dr", CTRY_CD},
    {"congo drc", CTRY_CD}, {"congo kinshasa", CTRY_CD}, {"congo rep", CTRY_CG},
    {"congo republic", CTRY_CG}, {"congo the democratic republic of the", CTRY_CD},
    {"cook islands", CTRY_CK}, {"costa rica", CTRY_CR}, {"cote d ivoire", CTRY_CI},
    {"cote divoire", CTRY_CI}, {"croatia", CTRY_HR}, {"cuba", CTRY_CU}, {"curacao", CTRY_CW},
    {"cyprus", CTRY_CY}, {"czech republic", CTRY_CZ}, {"czechia", CTRY_CZ},
    {"dem rep congo", CTRY_CD}, {"democratic peoples republic of korea", CTRY_KP},
    {"democratic republic of congo", CTRY_CD}, {"democratic republic of the congo", CTRY_CD},
    {"denmark", CTRY_DK}, {"djibouti", CTRY_DJ}, {"dominica", CTRY_DM},
    {"dominican republic", CTRY_DO}, {"dprk", CTRY_KP}, {"dr congo", CTRY_CD}, {"drc", CTRY_CD},
    {"east timor", CTRY_TL}, {"ecuador", CTRY_EC}, {"egypt", CTRY_EG},
    {"egypt arab rep", CTRY_EG}, {"eire", CTRY_IE}, {"el salvador", CTRY_SV},
    {"emirates", CTRY_AE}, {"england", CTRY_GB}, {"equatorial guinea", CTRY_GQ},
    {"eritrea", CTRY_ER}, {"estonia", CTRY_EE}, {"eswatini", CTRY_SZ}, {"ethiopia", CTRY_ET},
    {"falkland islands", CTRY_FK}, {"falkland islands malvinas", CTRY_FK},
    {"falklands", CTRY_FK}, {"faroe islands", CTRY_FO},
    {"federated states of micronesia", CTRY_FM}, {"fiji", CTRY_FJ}, {"finland", CTRY_FI},
    {"former yugoslav republic of macedonia", CTRY_MK}, {"france", CTRY_FR},
    {"french guiana", CTRY_GF}, {"french polynesia", CTRY_PF},
    {"french southern territories", CTRY_TF}, {"fyrom", CTRY_MK}, {"gabon", CTRY_GA},
    {"gambia", CTRY_GM}, {"gambia the", CTRY_GM}, {"georgia", CTRY_GE}, {"germany", CTRY_DE},
    {"ghana", CTRY_GH}, {"gibraltar", CTRY_GI}, {"great britain", CTRY_GB}, {"greece", CTRY_GR},
    {"greenland", CTRY_GL}, {"grenada", CTRY_GD}, {"guadeloupe", CTRY_GP}, {"guam", CTRY_GU},
    {"guatemala", CTRY_GT}, {"guernsey", CTRY_GG}, {"guinea", CTRY_GN},
    {"guinea bissau", CTRY_GW}, {"guyana", CTRY_GY}, {"haiti", CTRY_HT},
    {"heard and mcdonald islands", CTRY_HM}, {"heard island and mcdonald islands", CTRY_HM},
    {"holland", CTRY_NL}, {"holy see", CTRY_VA}, {"holy see vatican city state", CTRY_VA},
    {"honduras", CTRY_HN}, {"hong kong", CTRY_HK}, {"hong kong china", CTRY_HK},
    {"hong kong sar", CTRY_HK}, {"hong kong sar china", CTRY_HK},
    {"hong kong special administrative region of china", CTRY_HK}, {"hongkong", CTRY_HK},
    {"hungary", CTRY_HU}, {"iceland", CTRY_IS}, {"india", CTRY_IN}, {"indonesia", CTRY_ID},
    {"iran", CTRY_IR}, {"iran islamic rep", CTRY_IR}, {"iran islamic republic of", CTRY_IR},
    {"iraq", CTRY_IQ}, {"ireland", CTRY_IE}, {"islamic republic of iran", CTRY_IR},
    {"isle of man", CTRY_IM}, {"israel", CTRY_IL}, {"italy", CTRY_IT}, {"ivory coast", CTRY_CI},
    {"jamaica", CTRY_JM}, {"japan", CTRY_JP}, {"jersey", CTRY_JE}, {"jordan", CTRY_JO},
    {"kazakhstan", CTRY_KZ}, {"keeling islands", CTRY_CC}, {"kenya", CTRY_KE},
    {"kingdom of eswatini", CTRY_SZ}, {"kingdom of the netherlands", CTRY_NL},
    {"kirghizia", CTRY_KG}, {"kiribati", CTRY_KI}, {"korea", CTRY_KR},
    {"korea dem peoples rep", CTRY_KP}, {"korea dem rep", CTRY_KP},
    {"korea democratic peoples republic of", CTRY_KP}, {"korea dpr", CTRY_KP},
    {"korea north", CTRY_KP}, {"korea rep", CTRY_KR}, {"korea republic of", CTRY_KR},
    {"korea south", CTRY_KR}, {"kosovo", CTRY_XK}, {"kuwait", CTRY_KW},
    {"kyrgyz republic", CTRY_KG}, {"kyrgyzstan", CTRY_KG}, {"lao pdr", CTRY_LA},
    {"lao peoples democratic republic", CTRY_LA}, {"laos", CTRY_LA}, {"latvia", CTRY_LV},
    {"lebanon", CTRY_LB}, {"lesotho", CTRY_LS}, {"liberia", CTRY_LR}, {"libya", CTRY_LY},
    {"libyan arab jamahiriya", CTRY_LY}, {"liechtenstein", CTRY_LI}, {"lithuania", CTRY_LT},
    {"luxembourg", CTRY_LU}, {"macao", CTRY_MO}, {"macao sar", CTRY_MO},
    {"macao sar china", CTRY_MO}, {"macau", CTRY_MO}, {"macau china", CTRY_MO},
    {"macau sar", CTRY_MO}, {"macedonia", CTRY_MK}, {"macedonia fyr", CTRY_MK},
    {"madagascar", CTRY_MG}, {"mainland china", CTRY_CN}, {"malawi", CTRY_MW},
    {"malaysia", CTRY_MY}, {"maldives", CTRY_MV}, {"mali", CTRY_ML}, {"malta", CTRY_MT},
    {"malvinas", CTRY_FK}, {"marshall islands", CTRY_MH}, {"martinique", CTRY_MQ},
    {"mauritania", CTRY_MR}, {"mauritius", CTRY_MU}, {"mayotte", CTRY_YT}, {"mexico", CTRY_MX},
    {"micronesia", CTRY_FM}, {"micronesia fed sts", CTRY_FM},
    {"micronesia federated states of", CTRY_FM}, {"moldova", CTRY_MD},
    {"moldova republic of", CTRY_MD}, {"monaco", CTRY_MC}, {"mongolia", CTRY_MN},
    {"montenegro", CTRY_ME}, {"montserrat", CTRY_MS}, {"morocco", CTRY_MA},
    {"mozambique", CTRY_MZ}, {"myanmar", CTRY_MM}, {"myanmar burma", CTRY_MM},
    {"namibia", CTRY_NA}, {"nauru", CTRY_NR}, {"nepal", CTRY_NP}, {"netherlands", CTRY_NL},
    {"netherlands kingdom of the", CTRY_NL}, {"new caledonia", CTRY_NC},
    {"new zealand", CTRY_NZ}, {"nicaragua", CTRY_NI}, {"niger", CTRY_NE}, {"nigeria", CTRY_NG},
    {"niue", CTRY_NU}, {"norfolk island", CTRY_NF}, {"north korea", CTRY_KP},
    {"north macedonia", CTRY_MK}, {"northern ireland", CTRY_GB},
    {"northern mariana islands", CTRY_MP}, {"norway", CTRY_NO},
    {"occupied palestinian territory", CTRY_PS}, {"oman", CTRY_OM}, {"pakistan", CTRY_PK},
    {"palau", CTRY_PW}, {"palestine", CTRY_PS}, {"palestine state of", CTRY_PS},
    {"palestinian territories", CTRY_PS}, {"palestinian territory", CTRY_PS},
    {"panama", CTRY_PA}, {"papua new guinea", CTRY_PG}, {"paraguay", CTRY_PY},
    {"peoples republic of china", CTRY_CN}, {"peru", CTRY_PE}, {"philippines", CTRY_PH},
    {"pitcairn", CTRY_PN}, {"pitcairn islands", CTRY_PN},
    {"plurinational state of bolivia", CTRY_BO}, {"poland", CTRY_PL}, {"portugal", CTRY_PT},
    {"prc", CTRY_CN}, {"puerto rico", CTRY_PR}, {"qatar", CTRY_QA},
    {"republic of congo", CTRY_CG}, {"republic of cote divoire", CTRY_CI},
    {"republic of ireland", CTRY_IE}, {"republic of korea", CTRY_KR},
    {"republic of kosovo", CTRY_XK}, {"republic of macedonia", CTRY_MK},
    {"republic of moldova", CTRY_MD}, {"republic of north macedonia", CTRY_MK},
    {"republic of the congo", CTRY_CG}, {"republic of turkey", CTRY_TR},
    {"republic of turkiye", CTRY_TR}, {"republic of yemen", CTRY_YE}, {"reunion", CTRY_RE},
    {"rok", CTRY_KR}, {"romania", CTRY_RO}, {"russia", CTRY_RU},
    {"russian federation", CTRY_RU}, {"rwanda", CTRY_RW}, {"saint barthelemy", CTRY_BL},
    {"saint barts", CTRY_BL}, {"saint helena", CTRY_SH},
    {"saint helena ascension and tristan da cunha", CTRY_SH}, {"saint kitts", CTRY_KN},
    {"saint kitts and nevis", CTRY_KN}, {"saint lucia", CTRY_LC}, {"saint martin", CTRY_MF},
    {"saint martin french part", CTRY_MF}, {"saint pierre and miquelon", CTRY_PM},
    {"saint vincent", CTRY_VC}, {"saint vincent and the grenadines", CTRY_VC},
    {"samoa", CTRY_WS}, {"san marino", CTRY_SM}, {"sao tome", CTRY_ST},
    {"sao tome and principe", CTRY_ST}, {"saudi arabia", CTRY_SA}, {"scotland", CTRY_GB},
    {"senegal", CTRY_SN}, {"serbia", CTRY_RS}, {"seychelles", CTRY_SC},
    {"sierra leone", CTRY_SL}, {"singapore", CTRY_SG}, {"sint maarten", CTRY_SX},
    {"sint maarten dutch part", CTRY_SX}, {"slovak republic", CTRY_SK}, {"slovakia", CTRY_SK},
    {"slovenia", CTRY_SI}, {"solomon islands", CTRY_SB}, {"somalia", CTRY_SO},
    {"south africa", CTRY_ZA}, {"south georgia", CTRY_GS},
    {"south georgia and the south sandwich islands", CTRY_GS}, {"south korea", CTRY_KR},
    {"south sudan", CTRY_SS}, {"spain", CTRY_ES}, {"sri lanka", CTRY_LK},
    {"st barthelemy", CTRY_BL}, {"st barts", CTRY_BL}, {"st christopher and nevis", CTRY_KN},
    {"st helena", CTRY_SH}, {"st kitts", CTRY_KN}, {"st kitts and nevis", CTRY_KN},
    {"st lucia", CTRY_LC}, {"st martin", CTRY_MF}, {"st martin french part", CTRY_MF},
    {"st pierre and miquelon", CTRY_PM}, {"st vincent and the grenadines", CTRY_VC},
    {"state of libya", CTRY_LY}, {"state of palestine", CTRY_PS}, {"sudan", CTRY_SD},
    {"suriname", CTRY_SR}, {"svalbard", CTRY_SJ}, {"svalbard and jan mayen", CTRY_SJ},
    {"swaziland", CTRY_SZ}, {"sweden", CTRY_SE}, {"switzerland", CTRY_CH}, {"syria", CTRY_SY},
    {"syrian arab republic", CTRY_SY}, {"taiwan", CTRY_TW}, {"taiwan china", CTRY_TW},
    {"taiwan province of china", CTRY_TW}, {"tajikistan", CTRY_TJ}, {"tanzania", CTRY_TZ},
    {"tanzania united republic of", CTRY_TZ}, {"thailand", CTRY_TH}, {"the bahamas", CTRY_BS},
    {"the gambia", CTRY_GM}, {"timor leste", CTRY_TL}, {"togo", CTRY_TG}, {"tokelau", CTRY_TK},
    {"tonga", CTRY_TO}, {"trinidad", CTRY_TT}, {"trinidad and tobago", CTRY_TT},
    {"tristan da cunha", CTRY_SH}, {"tunisia", CTRY_TN}, {"turkey", CTRY_TR},
    {"turkiye", CTRY_TR}, {"turkmenistan", CTRY_TM}, {"turks and caicos", CTRY_TC},
    {"turks and caicos islands", CTRY_TC}, {"tuvalu", CTRY_TV}, {"uae", CTRY_AE},
    {"uganda", CTRY_UG}, {"uk", CTRY_GB}, {"ukraine", CTRY_UA},
    {"united arab emirates", CTRY_AE}, {"united kingdom", CTRY_GB},
    {"united kingdom of great britain and northern ireland", CTRY_GB},
    {"united republic of tanzania", CTRY_TZ}, {"united states", CTRY_US},
    {"united states minor outlying islands", CTRY_UM}, {"united states of america", CTRY_US},
    {"united states virgin islands", CTRY_VI}, {"uruguay", CTRY_UY},
    {"us minor outlying islands", CTRY_UM}, {"us virgin islands", CTRY_VI},
    {"uzbekistan", CTRY_UZ}, {"vanuatu", CTRY_VU}, {"vatican", CTRY_VA},
    {"vatican city", CTRY_VA}, {"vatican city state", CTRY_VA}, {"venezuela", CTRY_VE},
    {"venezuela bolivarian republic of", CTRY_VE}, {"venezuela rb", CTRY_VE},
    {"viet nam", CTRY_VN}, {"vietnam", CTRY_VN}, {"virgin islands british", CTRY_VG},
    {"virgin islands us", CTRY_VI}, {"wales", CTRY_GB}, {"wallis and futuna", CTRY_WF},
    {"wallis and futuna islands", CTRY_WF}, {"west bank and gaza", CTRY_PS},
    {"western sahara", CTRY_EH}, {"yemen", CTRY_YE}, {"yemen rep", CTRY_YE}, {"zaire", CTRY_CD},
    {"zambia", CTRY_ZM}, {"zimbabwe", CTRY_ZW},
};

/* Index for two letters in any case, or -1. */
static int a2_lookup(const char *p)
{
    unsigned a = ((unsigned)(unsigned char)p[0] | 0x20u) - 'a';
    unsigned b = ((unsigned)(unsigned char)p[1] | 0x20u) - 'a';
    if (a >= 26 || b >= 26) return -1;
    return (int)a2_index[a * 26 + b] - 1;
}

static int a3_lookup(const char *p)
{
    unsigned a = ((unsigned)(unsigned char)p[0] | 0x20u) - 'a';
    unsigned b = ((unsigned)(unsigned char)p[1] | 0x20u) - 'a';
    unsigned c = ((unsigned)(unsigned char)p[2] | 0x20u) - 'a';
    if (a >= 26 || b >= 26 || c >= 26) return -1;
    return (int)a3_index[(a * 26 + b) * 26 + c] - 1;
}

/* A folded key: a code ("u.s." folds to "us"), a name, or a name after a
 * leading "the". */
static int find_key(const char *key, size_t k)
{
    int i = -1;
    if (k == 2) i = a2_lookup(key);
    else if (k == 3) i = a3_lookup(key);
    if (i >= 0) return i;
    i = txs__values_name_find(names, TXS_ARRAY_LEN(names), key, k);
    if (i < 0 && k > 4 && memcmp(key, "the ", 4) == 0)
        i = txs__values_name_find(names, TXS_ARRAY_LEN(names), key + 4, k - 4);
    return i;
}

/* Fold a then b into one key "a b" and look it up ("Republic of" + "Korea"). */
static int find_pair(const char *a, size_t an, const char *b, size_t bn)
{
    char key[TXS__FOLD_CAP];
    int ka = txs__values_fold(a, an, key, sizeof key);
    if (ka <= 0 || (size_t)ka + 2 >= sizeof key) return -1;
    key[ka] = ' ';
    int kb = txs__values_fold(b, bn, key + ka + 1, sizeof key - (size_t)ka - 1);
    if (kb <= 0) return -1;
    return find_key(key, (size_t)ka + 1 + (size_t)kb);
}

/* Retry the ISO inversions: "X, Y" as "Y X"; "X (Y)" as "Y X", then "X". */
static int find_inverted(const char *p, size_t n)
{
    size_t i = n;
    while (i > 0 && p[i - 1] != ',') i--;
    if (i > 1) {
        int r = find_pair(p + i, n - i, p, i - 1);
        if (r >= 0) return r;
    }
    if (n > 2 && p[n - 1] == ')') {
        size_t j = n - 1;
        while (j > 0 && p[j - 1] != '(') j--;
        if (j > 1) {
            char key[TXS__FOLD_CAP];
            int r = find_pair(p + j, n - 1 - j, p, j - 1);
            if (r >= 0) return r;
            int k = txs__values_fold(p, j - 1, key, sizeof key);
            if (k > 0) return find_key(key, (size_t)k);
        }
    }
    return -1;
}

static int lookup_index(const char *p, size_t n)
{
    char key[TXS__FOLD_CAP];
    int i = -1;
    if (n == 2) i = a2_lookup(p);
    else if (n == 3) i = a3_lookup(p);
    if (i >= 0) return i;
    int k = txs__values_fold(p, n, key, sizeof key);
    if (k <= 0) return -1;
    i = find_key(key, (size_t)k);
    return i >= 0 ? i : find_inverted(p, n);
}

int txs_country_lookup(const char *p, size_t n, char out[2])
{
    int i = p != NULL ? lookup_index(p, n) : -1;
    if (i < 0) return TXS_E_NOTFOUND;
    out[0] = countries[i].a2[0];
    out[1] = countries[i].a2[1];
    return TXS_OK;
}

int txs_country_valid(const char cc[2])
{
    /* Upper case only: this checks canonical codes (txn fields, BICs). */
    unsigned a = (unsigned)(unsigned char)cc[0] - 'A';
    unsigned b = (unsigned)(unsigned char)cc[1] - 'A';
    return a < 26 && b < 26 && a2_index[a * 26 + b] != 0;
}

const char *txs_country_name(const char cc[2])
{
    int i = a2_lookup(cc);
    return i >= 0 ? countries[i].name : NULL;
}

const txs__name_entry *txs__country_names(size_t *count)
{
    *count = TXS_ARRAY_LEN(names);
    return names;
}

void txs__country_code_at(unsigned index, char out[2])
{
    out[0] = out[1] = 0;
    if (index < CTRY_COUNT) {
        out[0] = countries[index].a2[0];
        out[1] = countries[index].a2[1];
    }
}
