/*
 * test_norm.c: name normalisation (norm.h): scripts, legal forms, reordering,
 * titles, the ASCII fast path, truncation and argument checks.  Each table
 * row is one input and the exact normalised text expected.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "txs/base.h"
#include "txs/norm.h"
#include "norm/norm_int.h"

typedef struct norm_case {
    int kind;
    char in[128];
    char want[128];
} norm_case;

ParameterizedTestParameters(norm, normalises)
{
    static norm_case cases[] = {
        /* ASCII: case, punctuation, apostrophes and dots inside words */
        {TXS_NAME_ANY, "  John   SMITH ", "john smith"},
        {TXS_NAME_ANY, "O'Brien-Smith", "obrien smith"},
        {TXS_NAME_COMPANY, "A.B.C. Company", "abc company"},
        {TXS_NAME_COMPANY, "Procter & Gamble Co.", "procter and gamble co"},
        {TXS_NAME_VESSEL, "Zu Zag Bong 6", "zu zag bong 6"},
        /* reordering and titles for persons */
        {TXS_NAME_PERSON, "PUTIN, Vladimir", "vladimir putin"},
        {TXS_NAME_PERSON, "Dr. Rami Makhlouf", "rami makhlouf"},
        {TXS_NAME_PERSON, "Präsident Barack Obama", "barack obama"},
        {TXS_NAME_PERSON, "Mr", "mr"},
        {TXS_NAME_ANY, "Apple, Inc.", "apple llc"},
        /* legal forms canonicalised */
        {TXS_NAME_COMPANY, "Siemens Aktiengesellschaft", "siemens jsc"},
        {TXS_NAME_COMPANY, "Siemens AG", "siemens jsc"},
        {TXS_NAME_COMPANY, "Volkswagen Bank G.m.b.H.", "volkswagen bank llc"},
        {TXS_NAME_COMPANY, "ООО \"БАЙКАЛ\"", "llc baykal"},
        {TXS_NAME_COMPANY, "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ \"БАЙ\"", "llc bay"},
        {TXS_NAME_COMPANY, "Bowne de Mexico S.A. de C.V.", "bowne de mexico jsc"},
        {TXS_NAME_COMPANY, "The Sigma Group", "sigma group"},
        {TXS_NAME_VESSEL, "MV Hellenic Spirit", "hellenic spirit"},
        /* scripts */
        {TXS_NAME_PERSON, "Владимир Путин", "vladimir putin"},
        {TXS_NAME_PERSON, "Дмитрий Медведев", "dmitriy medvedev"},
        {TXS_NAME_PERSON, "Қасым-Жомарт Тоқаев", "kasym zhomart tokaev"},
        {TXS_NAME_PERSON, "Νικόλαος", "nikolaos"},
        {TXS_NAME_PERSON, "Բարակ Օբամա", "barak obama"},
        {TXS_NAME_PERSON, "ბარაკ ობამა", "barak obama"},
        {TXS_NAME_PERSON, "محمد علي", "mhmd ly"},
        {TXS_NAME_PERSON, "דוד", "dvd"},
        {TXS_NAME_PERSON, "김정은", "gim jeong eun"},
        {TXS_NAME_PERSON, "习近平", "xi jin ping"},
        {TXS_NAME_PERSON, "Aleksandar Vučić", "aleksandar vucic"},
        {TXS_NAME_PERSON, "Straße Ærø", "strasse aero"},
        {TXS_NAME_PERSON, "Margarita Simonyán", "margarita simonyan"},
        /* nothing left */
        {TXS_NAME_ANY, "", ""},
        {TXS_NAME_ANY, " ,.;- ", ""},
    };
    return cr_make_param_array(norm_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(norm_case *c, norm, normalises)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name out;
    cr_assert_not_null(nz);
    cr_assert_eq(txs_norm_name_of(nz, c->in, strlen(c->in), (txs_name_kind)c->kind, &out), TXS_OK);
    cr_expect_str_eq(out.text, c->want, "'%s' -> '%s', want '%s'", c->in, out.text, c->want);
    txs_norm_free(nz);
}

Test(norm, flags_tokens_by_shape_and_script)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name n;
    txs_norm_name_of(nz, "PUTIN, V. 2", 11, TXS_NAME_PERSON, &n);
    cr_assert_eq(n.ntok, 3);
    cr_expect(n.tok[0].flags & TXS_TOK_INITIAL);
    cr_expect(n.tok[1].flags & TXS_TOK_NUMBER);
    cr_expect(n.tok[2].flags & TXS_TOK_FAMILY);
    cr_expect(n.flags & TXS_NAME_REORDERED);
    cr_expect(!(n.flags & TXS_NAME_UNICODE));
    const char *ar = "عبد الله";
    txs_norm_name_of(nz, ar, strlen(ar), TXS_NAME_PERSON, &n);
    cr_expect(n.tok[0].flags & TXS_TOK_ABJAD);
    cr_expect(n.flags & TXS_NAME_UNICODE);
    txs_norm_name_of(nz, "Deutsche Bank AG", 16, TXS_NAME_COMPANY, &n);
    cr_expect(n.tok[2].flags & TXS_TOK_LEGAL);
    txs_norm_free(nz);
}

Test(norm, ascii_fast_path_is_unchanged_by_unicode_path)
{
    /* The same words with one non-ASCII character forcing the Unicode path
     * must give the same tokens for the ASCII part. */
    txs_norm *nz = txs_norm_new();
    txs_norm_name a, b;
    const char *u = "Jean-Claude JUNCKER \xc3\xa9";
    txs_norm_name_of(nz, "Jean-Claude JUNCKER e", 21, TXS_NAME_ANY, &a);
    txs_norm_name_of(nz, u, strlen(u), TXS_NAME_ANY, &b);
    cr_expect_str_eq(a.text, b.text);
    cr_expect(!(a.flags & TXS_NAME_UNICODE));
    cr_expect(b.flags & TXS_NAME_UNICODE);
    txs_norm_free(nz);
}

Test(norm, long_and_invalid_input_is_bounded)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name n;
    char big[4000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 26);
    cr_assert_eq(txs_norm_name_of(nz, big, sizeof big, TXS_NAME_ANY, &n), TXS_OK);
    cr_expect(n.flags & TXS_NAME_TRUNCATED);
    cr_expect(n.len < TXS_NORM_MAX_TEXT);
    cr_expect(n.ntok <= TXS_NORM_MAX_TOKENS);
    const char bad[] = "ab\xff\xfe cd \xc3";
    cr_assert_eq(txs_norm_name_of(nz, bad, sizeof bad - 1, TXS_NAME_ANY, &n), TXS_OK);
    cr_expect(n.ntok >= 1);
    char bigu[3000];
    for (size_t i = 0; i + 2 <= sizeof bigu; i += 2) { bigu[i] = '\xd0'; bigu[i + 1] = '\xb0'; }
    cr_assert_eq(txs_norm_name_of(nz, bigu, sizeof bigu, TXS_NAME_ANY, &n), TXS_OK);
    cr_expect(n.len < TXS_NORM_MAX_TEXT);
    txs_norm_free(nz);
}

/* The generated Han table (han_table.c) must write, for every character it
 * holds, exactly what ICU's transliterator writes for that character alone:
 * the same bytes, words and token flags. */
Test(norm, han_table_is_what_icu_writes, .timeout = 60)
{
    void *icu = txs__norm_icu_open();
    cr_assert_not_null(icu);
    static txs__words a, b;
    size_t held = 0, bad = 0;
    for (int32_t cp = 0x3000; cp < 0x10000; cp++) {
        size_t n;
        const char *t = txs__norm_han((uint32_t)cp, &n);
        if (t == NULL) continue;
        held++;
        txs__words_init(&a);
        txs__norm_icu_run(icu, &cp, 1, &a);
        txs__words_init(&b);
        txs__words_break(&b, 1);
        for (size_t k = 0; k < n; k++)
            txs__norm_ascii_byte_flags(&b, (unsigned char)t[k],
                                       TXS_TOK_NONLATIN | TXS_TOK_HAN | TXS_TOK_HANZI);
        txs__words_break(&b, 1);
        int same = a.len == b.len && a.nw == b.nw && memcmp(a.text, b.text, a.len) == 0;
        for (uint32_t w = 0; same && w < a.nw; w++)
            same = a.w[w].off == b.w[w].off && a.w[w].len == b.w[w].len &&
                   a.w[w].flags == b.w[w].flags;
        if (!same && bad++ < 5) cr_log_error("U+%04X: ICU '%.*s', table '%.*s'", (unsigned)cp,
                                             (int)a.len, a.text, (int)b.len, b.text);
    }
    txs__norm_icu_close(icu);
    cr_expect_eq(held, 28096);
    cr_expect_eq(bad, 0, "%zu of %zu Han characters differ", bad, held);
}

/* A Han name read through the table still brings in the deferred
 * Han legal forms, as when ICU is opened: "有限公司" is a legal form. */
Test(norm, han_legal_form_without_icu)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name n;
    const char *s = "\xe5\x8d\x8e\xe4\xb8\xba\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8"; /* 华为有限公司 */
    cr_assert_eq(txs_norm_name_of(nz, s, strlen(s), TXS_NAME_COMPANY, &n), TXS_OK);
    cr_assert(n.ntok >= 1);
    cr_expect(n.tok[n.ntok - 1].flags & TXS_TOK_LEGAL, "'%s'", n.text);
    txs_norm_free(nz);
}

/* The iteration mark between two Han characters: ICU gives "zuo 々 mu"
 * for 佐々木 and the mark becomes a break, with or without Han-Latin. */
Test(norm, han_iteration_mark)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name n;
    const char *s = "\xe4\xbd\x90\xe3\x80\x85\xe6\x9c\xa8 \xe3\x81\x82\xe3\x81\x99\xe3\x81\x8b";
    cr_assert_eq(txs_norm_name_of(nz, s, strlen(s), TXS_NAME_ANY, &n), TXS_OK);
    cr_expect_str_eq(n.text, "zuo mu asuka");
    void *icu = txs__norm_icu_open();
    cr_assert_not_null(icu);
    static txs__words a;
    int32_t mark = 0x3005;
    txs__words_init(&a);
    txs__norm_icu_run(icu, &mark, 1, &a);
    cr_expect_eq(a.nw, 0);
    txs__norm_icu_close(icu);
    txs_norm_free(nz);
}

Test(norm, argument_checks)
{
    txs_norm *nz = txs_norm_new();
    txs_norm_name n;
    cr_expect_eq(txs_norm_name_of(NULL, "a", 1, TXS_NAME_ANY, &n), TXS_E_ARG);
    cr_expect_eq(txs_norm_name_of(nz, NULL, 1, TXS_NAME_ANY, &n), TXS_E_ARG);
    cr_expect_eq(txs_norm_name_of(nz, "a", 1, TXS_NAME_ANY, NULL), TXS_E_ARG);
    cr_expect_eq(txs_norm_fold(nz, NULL, 1, &n), TXS_E_ARG);
    cr_expect_eq(txs_name_kind_parse("Organization"), TXS_NAME_COMPANY);
    cr_expect_eq(txs_name_kind_parse("LegalEntity"), TXS_NAME_COMPANY);
    cr_expect_eq(txs_name_kind_parse("Person"), TXS_NAME_PERSON);
    cr_expect_eq(txs_name_kind_parse("nonsense"), TXS_NAME_ANY);
    cr_expect_eq(txs_name_kind_parse(NULL), TXS_NAME_ANY);
    txs_norm_free(nz);
    txs_norm_free(NULL);
}

/* Table entries that only ICU can read (Han, kana, Ethiopic legal forms)
 * are folded when a name first needs ICU, so a run that never sees such a
 * name never pays ICU's start-up.  They must still work, and they must
 * apply only to names that needed ICU: a name's normal form may not depend
 * on which names the context normalised before it. */
Test(norm, icu_legal_forms_are_lazy_and_history_free)
{
    static const char han[] = "\xe5\x8d\x8e\xe4\xb8\xba\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8"; /* 华为有限公司 */
    static const char latin[] = "Hua Wei You Xian Gong Si";
    txs_norm *fresh = txs_norm_new(), *used = txs_norm_new();
    cr_assert(fresh && used);
    txs_norm_name a, b, h;
    cr_assert_eq(txs_norm_name_of(fresh, latin, strlen(latin), TXS_NAME_COMPANY, &a), TXS_OK);
    cr_assert_eq(txs_norm_name_of(used, han, strlen(han), TXS_NAME_COMPANY, &h), TXS_OK);
    int legal = 0;
    for (uint32_t i = 0; i < h.ntok; i++) legal |= (h.tok[i].flags & TXS_TOK_LEGAL) != 0;
    cr_assert(legal, "the Han legal form was not recognised: '%s'", h.text);
    cr_assert_eq(txs_norm_name_of(used, latin, strlen(latin), TXS_NAME_COMPANY, &b), TXS_OK);
    cr_assert_str_eq(a.text, b.text);
    cr_assert_eq(a.ntok, b.ntok);
    for (uint32_t i = 0; i < a.ntok; i++) cr_assert_eq(a.tok[i].flags, b.tok[i].flags);
    txs_norm_free(fresh);
    txs_norm_free(used);
}

/* A payment's party may be a person or a company (TXS_NAME_ANY): short
 * legal forms that are also name syllables are kept as written unless they
 * stand where a company suffix stands. */
Test(norm, party_names_keep_short_legal_form_lookalikes)
{
    static const struct {
        const char *in;
        const char *out;
        int legal; /* a token flagged TXS_TOK_LEGAL expected */
    } cases[] = {
        {"YU CHOL U", "yu chol u", 0},                     /* "yu" is not a suffix here */
        {"SA\xe2\x80\x99" "D SABAWI AL-TIKRITI", "sad sabawi al tikriti", 0},
        {"ACME TRADING LTD", NULL, 1},                    /* a suffix is still one */
        {"Banco Ejemplo S.A.", NULL, 1},
        {"Example Limited Liability Company", NULL, 1},
    };
    txs_norm *nz = txs_norm_new();
    cr_assert_not_null(nz);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        txs_norm_name o;
        cr_assert_eq(txs_norm_name_of(nz, cases[i].in, strlen(cases[i].in), TXS_NAME_ANY, &o), TXS_OK);
        int legal = 0;
        for (uint32_t k = 0; k < o.ntok; k++) legal |= (o.tok[k].flags & TXS_TOK_LEGAL) != 0;
        if (cases[i].out) cr_assert_str_eq(o.text, cases[i].out, "case %zu", i);
        cr_assert_eq(legal, cases[i].legal, "case %zu: '%s'", i, o.text);
    }
    txs_norm_free(nz);
}
