/*
 * builder.c: the entry point txs_lists_builder_add(), which detects a
 * source's format (by name, by the first line, or by an XML file's root
 * element) and hands the file to its reader.  Dispatch only: the model the
 * readers fill is model.c, the row-per-fact loop rows.c.
 *
 * Invariant: a builder that failed once stays failed (`broken`), so a
 * half-read source never reaches a snapshot.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lists_int.h"

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), n = strlen(suf);
    return a >= n && strcasecmp(s + a - n, suf) == 0;
}

/* The first line of a file, up to cap-1 bytes. */
static void first_line(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) return;
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    out[n] = '\0';
    char *nl = strpbrk(out, "\r\n");
    if (nl) *nl = '\0';
}

/* The root element's name in the first 4 KB of an XML file: after the
 * declaration, comments and a doctype.  "" if none was found. */
static void xml_root(const char *path, char *out, size_t cap)
{
    char buf[4096];
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (f == NULL) return;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (const char *p = buf; (p = strchr(p, '<')) != NULL; p++) {
        if (p[1] == '?' || p[1] == '!') continue;
        size_t k = 0;
        for (p++; *p && !isspace((unsigned char)*p) && *p != '>' && *p != '/' && k + 1 < cap; p++)
            out[k++] = *p;
        out[k] = '\0';
        return;
    }
}

/* .xml: the root element picks the reader: <sdnList> is OFAC's Sanctions
 * List Service, <data-set> Canada's SEMA list, anything else the UN list
 * (whose reader names what it expected when the root is foreign). */
static int read_xml(txs_lists_builder *b, const char *path, txs_diag *d)
{
    char root[64];
    xml_root(path, root, sizeof root);
    if (strcmp(root, "sdnList") == 0) return txs__lists_read_ofac_sls(b, path, d);
    if (strcmp(root, "data-set") == 0) return txs__lists_read_ca_sema(b, path, d);
    return txs__lists_read_un(b, path, d);
}

int txs_lists_builder_add(txs_lists_builder *b, const char *path, txs_diag *d)
{
    if (b == NULL || path == NULL) return TXS_E_ARG;
    if (b->broken) return txs_diag_set(d, TXS_E_ARG, path, 0, "builder failed earlier");
    struct stat st;
    if (stat(path, &st) != 0)
        return txs_diag_set(d, TXS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    char head[4096];
    int rc;
    if (!S_ISDIR(st.st_mode)) first_line(path, head, sizeof head);
    if (S_ISDIR(st.st_mode) || ends_with(path, "sdn.csv") || ends_with(path, "cons_prim.csv") ||
        txs__lists_ofac_part(path))
        rc = txs__lists_read_ofac(b, path, d);
    else if (ends_with(path, ".xml"))
        rc = read_xml(b, path, d);
    else if (ends_with(path, ".json") || ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
        rc = txs__lists_read_ftm(b, path, d);
    else if (strstr(head, "\"id\",\"schema\",\"name\"") || strncmp(head, "id,schema,name", 14) == 0)
        rc = txs__lists_read_os_simple(b, path, d);
    else if (strstr(head, "Entity_LogicalId"))
        rc = txs__lists_read_eu(b, path, d);
    else if (strstr(head, "Report Date") || strstr(head, "Last Updated") || strstr(head, "Unique ID"))
        rc = txs__lists_read_uk(b, path, d);
    else
        rc = txs_diag_set(d, TXS_E_FORMAT, path, 1,
                          "unknown list format (expected an OFAC sdn.csv, its alt/add/comments "
                          "files or its directory, UN, OFAC SLS or Canada SEMA .xml, "
                          "OpenSanctions targets.simple .csv, FtM .json, EU or UK .csv)");
    if (rc < 0) b->broken = 1;
    return rc;
}
