/*
 * fetch.c: one list file over HTTP(S) for `lists update`, the only file
 * that includes <curl/curl.h>.  A conditional GET (If-None-Match with the
 * stored ETag, If-Modified-Since with the stored Last-Modified) writes the
 * body to a file and reports the status, the validators to keep for next
 * time, the media type and the server's Last-Modified as a time.
 *
 * Failures a retry can cure (no connection, a timeout, a stalled or
 * truncated transfer, HTTP 5xx, 408, 429) are tried again up to `retries`
 * times, sleeping `backoff` seconds before the first retry and twice as
 * long before each next one; the rest (404, a body over the size cap)
 * fail at once.  A transfer that receives no byte for `stall_seconds`
 * fails (a progress callback watching the last byte's time; libcurl's
 * low-speed limit of 1 byte/s stays as a backstop), and so does one that
 * lasts longer than `max_seconds`.  Only http and https
 * are followed, redirects included.  Build time only; not thread-safe
 * (curl_global_init is the caller's, in update.c).
 *
 * libcurl is loaded (dlopen) when `lists update` starts or `--version`
 * asks, not linked: the 28 libraries it brings (TLS, Kerberos, LDAP, SSH,
 * IDN ...) cost every txscreen process about 12 ms of loading before main
 * (docs/dependencies.md), and no other command downloads.  The entry
 * points are typed by the API's own declarations (__typeof__), so a call
 * through the table is checked as a direct call would be, curl.h's
 * setopt type checks aside.  TXS_LIBCURL names another file to load.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lists_int.h"
#include "txs/lists_update.h"

/* ------------------------------------------------------ loading libcurl */

/* The oldest libcurl with every option setup() sets (CURLOPT_PROTOCOLS_STR
 * came in 7.85.0); an older one would refuse options silently. */
#define CURL_MIN_VERSION 0x075500

static struct curl_api {
    void *so;
    char why[300];   /* why loading failed, kept for the next caller */
    __typeof__(&curl_global_init) global_init;
    __typeof__(&curl_global_cleanup) global_cleanup;
    __typeof__(&curl_version_info) version_info;
    __typeof__(&curl_easy_init) easy_init;
    __typeof__(&curl_easy_setopt) easy_setopt;
    __typeof__(&curl_easy_perform) easy_perform;
    __typeof__(&curl_easy_getinfo) easy_getinfo;
    __typeof__(&curl_easy_strerror) easy_strerror;
    __typeof__(&curl_easy_cleanup) easy_cleanup;
    __typeof__(&curl_slist_append) slist_append;
    __typeof__(&curl_slist_free_all) slist_free_all;
} cu;

_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym gives function pointers");

/* The library's symbol name into *fp (a function pointer of size sz). */
static int sym(const char *so_name, const char *name, void *fp, size_t sz)
{
    void *p = dlsym(cu.so, name);
    if (p == NULL) {
        snprintf(cu.why, sizeof cu.why, "%s has no %s: not a libcurl", so_name, name);
        return -1;
    }
    memcpy(fp, &p, sz);
    return 0;
}

#define SYM(field, name) sym(so_name, name, &cu.field, sizeof cu.field)

/* libcurl into cu, once; 0, or -1 with the reason in cu.why. */
static int curl_load(void)
{
    if (cu.global_init) return 0;
    if (cu.why[0]) return -1;
    /* Debian's libcurl4 (OpenSSL) and libcurl3-gnutls have the same API. */
    static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};
    const char *env = getenv("TXS_LIBCURL"), *so_name = env && env[0] ? env : names[0];
    cu.so = dlopen(so_name, RTLD_NOW | RTLD_LOCAL);
    if (cu.so == NULL) {   /* the first name's error is the one to tell */
        snprintf(cu.why, sizeof cu.why,
                 "cannot load libcurl (%s); downloading lists needs it: apt-get install libcurl4",
                 dlerror());
        if (!(env && env[0])) cu.so = dlopen(so_name = names[1], RTLD_NOW | RTLD_LOCAL);
        if (cu.so == NULL) return -1;
        cu.why[0] = '\0';
    }
    int rc = SYM(global_init, "curl_global_init") || SYM(global_cleanup, "curl_global_cleanup") ||
             SYM(version_info, "curl_version_info") || SYM(easy_init, "curl_easy_init") ||
             SYM(easy_setopt, "curl_easy_setopt") || SYM(easy_perform, "curl_easy_perform") ||
             SYM(easy_getinfo, "curl_easy_getinfo") || SYM(easy_strerror, "curl_easy_strerror") ||
             SYM(easy_cleanup, "curl_easy_cleanup") || SYM(slist_append, "curl_slist_append") ||
             SYM(slist_free_all, "curl_slist_free_all");
    const curl_version_info_data *v = rc == 0 ? cu.version_info(CURLVERSION_NOW) : NULL;
    if (rc == 0 && (v == NULL || v->version_num < CURL_MIN_VERSION)) {
        snprintf(cu.why, sizeof cu.why, "%s is libcurl %s; downloading lists needs 7.85.0 or later",
                 so_name, v && v->version ? v->version : "of an unknown version");
        rc = -1;
    }
    if (rc != 0) {   /* nothing half-loaded stays: only the reason */
        char why[sizeof cu.why];
        memcpy(why, cu.why, sizeof why);
        dlclose(cu.so);
        cu = (struct curl_api){0};
        memcpy(cu.why, why, sizeof why);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ fetching */

typedef struct sink {
    FILE *f;
    uint64_t bytes, max;
    int too_big, stalled;
    double stall, last;      /* the stall window; when the last byte came */
} sink;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* libcurl's own low-speed limit averages over several seconds, so a
 * transfer that sent a burst and went silent would run on for that long;
 * this progress callback fails it once no byte has come for `stall`
 * seconds (the connection phase is bounded by connect_timeout). */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    sink *s = ctx;
    if (now_s() - s->last < s->stall) return 0;
    s->stalled = 1;
    return 1; /* aborts: CURLE_ABORTED_BY_CALLBACK */
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    sink *s = ctx;
    size_t k = size * n;
    if (s->bytes + k > s->max) return s->too_big = 1, 0; /* aborts the transfer */
    s->bytes += k;
    s->last = now_s();
    return fwrite(p, 1, k, s->f);
}

/* The value of a header line "Name: value\r\n" into out, trimmed. */
static void header_value(const char *p, size_t n, char *out, size_t cap)
{
    const char *c = memchr(p, ':', n);
    if (c == NULL) return;
    const char *v = c + 1, *end = p + n;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
    snprintf(out, cap, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    txs__fetch *f = ctx;
    size_t k = size * n;
    if (k >= 5 && memcmp(p, "HTTP/", 5) == 0) /* a new response (after a redirect) */
        f->etag_out[0] = f->last_modified_out[0] = '\0';
    else if (k > 5 && strncasecmp(p, "etag:", 5) == 0)
        header_value(p, k, f->etag_out, sizeof f->etag_out);
    else if (k > 14 && strncasecmp(p, "last-modified:", 14) == 0)
        header_value(p, k, f->last_modified_out, sizeof f->last_modified_out);
    return k;
}

static int retryable(CURLcode c, long status)
{
    switch (c) {
    case CURLE_OK: return status >= 500 || status == 408 || status == 429;
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING: case CURLE_SSL_CONNECT_ERROR: case CURLE_ABORTED_BY_CALLBACK:
        return 1;
    default: return 0;
    }
}

static void pause_for(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - floor(seconds)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* One attempt: the body into f->path (truncated first). */
static CURLcode attempt(CURL *h, txs__fetch *f, sink *s, char *err)
{
    s->f = fopen(f->path, "wb");
    if (s->f == NULL) return CURLE_WRITE_ERROR;
    s->bytes = 0, s->too_big = s->stalled = 0;
    s->last = now_s();
    f->etag_out[0] = f->last_modified_out[0] = f->content_type[0] = '\0';
    err[0] = '\0';
    CURLcode c = cu.easy_perform(h);
    if (fclose(s->f) != 0 && c == CURLE_OK) c = CURLE_WRITE_ERROR;
    s->f = NULL;
    f->status = 0;
    cu.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
    return c;
}

static void setup(CURL *h, txs__fetch *f, sink *s, struct curl_slist *hdr, char *err)
{
    cu.easy_setopt(h, CURLOPT_URL, f->url);
    cu.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    cu.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    cu.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    cu.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    cu.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    cu.easy_setopt(h, CURLOPT_USERAGENT, "txscreen-lists-update");
    cu.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(f->connect_timeout * 1000));
    cu.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(f->max_seconds * 1000));
    cu.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    cu.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)ceil(f->stall_seconds));
    cu.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_bytes);
    cu.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    cu.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    cu.easy_setopt(h, CURLOPT_XFERINFODATA, s);
    cu.easy_setopt(h, CURLOPT_FILETIME, 1L);
    cu.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* gzip/deflate, decoded by libcurl */
    cu.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    cu.easy_setopt(h, CURLOPT_WRITEDATA, s);
    cu.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    cu.easy_setopt(h, CURLOPT_HEADERDATA, f);
    cu.easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    if (hdr) cu.easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
}

/* The reason a finished attempt failed, or "" when it succeeded. */
static void reason(CURLcode c, const txs__fetch *f, const sink *s, const char *err, char *out,
                   size_t cap)
{
    out[0] = '\0';
    if (s->too_big || c == CURLE_FILESIZE_EXCEEDED)
        snprintf(out, cap, "the body is over the %llu bytes allowed", (unsigned long long)f->max_bytes);
    else if (s->stalled)
        snprintf(out, cap, "timed out: stalled, no byte for %g s", f->stall_seconds);
    else if (c == CURLE_OPERATION_TIMEDOUT)
        snprintf(out, cap, "timed out (%s)", err[0] ? err : cu.easy_strerror(c));
    else if (c == CURLE_PARTIAL_FILE)
        snprintf(out, cap, "truncated body (%s)", err[0] ? err : cu.easy_strerror(c));
    else if (c != CURLE_OK)
        snprintf(out, cap, "%s", err[0] ? err : cu.easy_strerror(c));
    else if (f->status != 200 && f->status != 304)
        snprintf(out, cap, "HTTP status %ld", f->status);
}

int txs__lists_fetch(txs__fetch *f, txs_diag *d)
{
    CURL *h = cu.easy_init();
    if (h == NULL) return txs_diag_set(d, TXS_E_NOMEM, f->url, 0, "cannot start libcurl");
    char inm[300], ims[100], err[CURL_ERROR_SIZE], why[400] = "";
    struct curl_slist *hdr = NULL;
    if (f->etag && f->etag[0]) {
        snprintf(inm, sizeof inm, "If-None-Match: %s", f->etag);
        hdr = cu.slist_append(hdr, inm);
    }
    if (f->last_modified && f->last_modified[0]) {
        snprintf(ims, sizeof ims, "If-Modified-Since: %s", f->last_modified);
        hdr = cu.slist_append(hdr, ims);
    }
    sink s = {NULL, 0, f->max_bytes, 0, 0, f->stall_seconds, 0};
    setup(h, f, &s, hdr, err);
    CURLcode c = CURLE_OK;
    double wait = f->backoff;
    for (f->attempts = 1;; f->attempts++) {
        c = attempt(h, f, &s, err);
        reason(c, f, &s, err, why, sizeof why);
        if (why[0] == '\0' || !retryable(c, f->status) || f->attempts > f->retries) break;
        pause_for(wait);
        wait *= 2;
    }
    const char *ct = NULL;
    cu.easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(f->content_type, sizeof f->content_type, "%s", ct ? ct : "");
    curl_off_t ft = -1;
    cu.easy_getinfo(h, CURLINFO_FILETIME_T, &ft);
    f->filetime = (long long)ft;
    f->bytes = s.bytes;
    f->not_modified = why[0] == '\0' && f->status == 304;
    cu.slist_free_all(hdr);
    cu.easy_cleanup(h);
    if (why[0])
        return txs_diag_set(d, TXS_E_IO, f->url, 0, "%s after %u attempt%s", why, f->attempts,
                            f->attempts == 1 ? "" : "s");
    return TXS_OK;
}

int txs__lists_fetch_init(const char *file, txs_diag *d)
{
    if (curl_load() < 0) return txs_diag_set(d, TXS_E_IO, file, 0, "%s", cu.why);
    if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return txs_diag_set(d, TXS_E_NOMEM, file, 0, "cannot initialise libcurl");
    return TXS_OK;
}

void txs__lists_fetch_done(void)
{
    cu.global_cleanup();
}

const char *txs_lists_curl_version(int built)
{
    if (built) return LIBCURL_VERSION;
    return curl_load() < 0 ? "not loadable" : cu.version_info(CURLVERSION_NOW)->version;
}
