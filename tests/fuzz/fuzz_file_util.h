/*
 * fuzz_file_util.h: for fuzz targets whose parser reads a path (rule sets,
 * profiles, list sources, state files): the input's bytes are written to a
 * file of a chosen name in one private folder per process (under /dev/shm
 * when it exists, so libFuzzer runs stay off the disk), removed at exit.
 */
#ifndef TXS_FUZZ_FILE_UTIL_H
#define TXS_FUZZ_FILE_UTIL_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* mkdtemp */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];
static char fuzz_last[192];

static void fuzz_cleanup(void)
{
    if (fuzz_last[0]) unlink(fuzz_last);
    if (fuzz_dir[0]) rmdir(fuzz_dir);
}

/* Write data to DIR/name and return the path (static storage), or NULL. */
static const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    if (fuzz_dir[0] == '\0') {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/txs-fuzz-XXXXXX", base);
        if (mkdtemp(fuzz_dir) == NULL) return NULL;
        atexit(fuzz_cleanup);
    }
    if (fuzz_last[0]) unlink(fuzz_last);
    snprintf(fuzz_last, sizeof fuzz_last, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(fuzz_last, "wb");
    if (f == NULL) return NULL;
    int ok = fwrite(data, 1, size, f) == size;
    ok &= fclose(f) == 0;
    return ok ? fuzz_last : NULL;
}

#endif /* TXS_FUZZ_FILE_UTIL_H */
