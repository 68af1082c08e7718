/*
 * version.c: the engine's version and the versions of the libraries it
 * links, as compiled against (their headers' macros) and as running (their
 * own version calls), for `txscreen --version` (version.h).  Hyperscan is
 * asked through hs/hs_db.c, the one file that includes <hs.h>, and libcurl
 * through lists/fetch.c, the one that includes <curl/curl.h> and loads the
 * library (dlopen, for `lists update`): its running version is the one an
 * update would load, or "not loadable".
 */
#include <libxml/xmlversion.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>
#include <utf8proc.h>
#include <zlib.h>
#include <zstd.h>

#include "txs/hs_engine.h"
#include "txs/lists_update.h"
#include "txs/version.h"

const char *txs_version(void)
{
    return TXS_VERSION;
}

static void set(txs_libversion *v, const char *name, const char *built, const char *running)
{
    v->name = name;
    snprintf(v->built, sizeof v->built, "%s", built);
    snprintf(v->running, sizeof v->running, "%s", running);
    /* hs_version() ends in a space when its build date is empty. */
    for (size_t n = strlen(v->running); n > 0 && v->running[n - 1] == ' ';) v->running[--n] = '\0';
}

/* libxml2 reports its version as digits, major*10000 + minor*100 + patch
 * ("21004"); shown dotted like LIBXML_DOTTED_VERSION. */
static void libxml_dotted(char *out, size_t cap)
{
    long v = strtol(xmlParserVersion, NULL, 10);
    snprintf(out, cap, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}

size_t txs_library_versions(txs_libversion *out, size_t cap)
{
    txs_libversion v[7];
    char a[64], b[U_MAX_VERSION_STRING_LENGTH];
    set(&v[0], "Hyperscan", txs_hsdb_version(1), txs_hsdb_version(0));
    libxml_dotted(a, sizeof a);
    set(&v[1], "libxml2", LIBXML_DOTTED_VERSION, a);
    snprintf(a, sizeof a, "%d.%d.%d", UTF8PROC_VERSION_MAJOR, UTF8PROC_VERSION_MINOR,
             UTF8PROC_VERSION_PATCH);
    set(&v[2], "utf8proc", a, utf8proc_version());
    UVersionInfo icu;
    u_getVersion(icu);
    u_versionToString(icu, b);
    set(&v[3], "ICU", U_ICU_VERSION, b);
    set(&v[4], "zstd", ZSTD_VERSION_STRING, ZSTD_versionString());
    set(&v[5], "zlib", ZLIB_VERSION, zlibVersion());
    set(&v[6], "libcurl", txs_lists_curl_version(1), txs_lists_curl_version(0));
    size_t n = sizeof v / sizeof v[0];
    if (cap) memcpy(out, v, (cap < n ? cap : n) * sizeof *v);
    return n;
}
