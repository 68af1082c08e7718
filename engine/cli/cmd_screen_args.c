/*
 * cmd_screen_args.c: `txscreen screen`'s flags: the --help text and argv
 * -> screen_args (cmd_screen.h), with every check that needs no file:
 * values in range, options that go together, outputs that are inputs or
 * one another.  Opening and loading anything is cmd_screen.c's job.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_screen.h"
#include "txs/cases.h"
#include "txs/emit.h"
#include "txs/screen.h"
#include "txs/state.h"
#include "txs/values.h"

/* --max-reject-rate's default: a night that rejects more than half its
 * records was read with the wrong profile or is not the export it claims
 * to be (docs/operations.md "Exit codes"). */
#define DEFAULT_MAX_REJECT_RATE 0.5

static void help(FILE *f)
{
    fprintf(f,
"usage: txscreen screen [OPTIONS] [FILE...|-]\n"
"\n"
"Screen transaction records and write alerts as JSON Lines, in input order.\n"
"With no FILE, or FILE '-', reads stdin (with no FILE, not a terminal: say '-'\n"
"to type records).  gzip and zstd input is detected by its magic bytes.\n"
"\n"
"options:\n"
"  --profile P       input profile: native (default), amlworld, saml-d, or a\n"
"                    YAML profile file (docs/formats.md)\n"
"  --format F        csv or jsonl (default: .jsonl/.ndjson files are JSONL,\n"
"                    others use the profile's format), or payments: ISO\n"
"                    20022 and SWIFT MT messages, every party screened\n"
"                    (docs/formats.md \"Payment messages\")\n"
"  --validate-xsd DIR\n"
"                    with --format payments: validate each ISO 20022 message\n"
"                    against the XML Schemas (*.xsd) in DIR, chosen by the\n"
"                    Document's namespace; an invalid message is a reject\n"
"  --rules R         rule set: default (built in), strict, patterns (free-text\n"
"                    red flags), a YAML file, or none to turn rules off\n"
"                    (docs/rules.md)\n"
"  --pattern-cache DIR\n"
"                    keep the rule set's compiled text patterns in DIR\n"
"                    (keyed by the rule set's bytes and this CPU), so the\n"
"                    next run loads them instead of compiling\n"
"  --lists L         sanctions lists: a snapshot from `txscreen lists compile`,\n"
"                    or list source files (compiled for this run); repeat\n"
"                    for several.  Default: the bundled default-lists.snap\n"
"                    beside the executable, else in ../share/txscreen/ from\n"
"                    it (an install).  'none' turns screening off\n"
"  --sanctions-threshold T\n"
"                    name score (0-1) at which a sanctions hit is raised\n"
"                    (default 0.85, docs/matching.md)\n"
"  --good-guys FILE  reviewed false positives: CSV party,entry_id[,note];\n"
"                    matching sanctions hits are kept but marked suppressed\n"
"                    and score nothing (docs/matching.md \"Good-guy list\")\n"
"  --out FILE        alerts file (default: stdout)\n"
"  --rejects FILE    rejected records as JSON Lines with file, line, offset,\n"
"                    reason and excerpt (default: the first %d on stderr)\n"
"  --manifest FILE   run manifest JSON: inputs and hashes, counts, timing\n"
"  --cases FILE      cases as JSON Lines: the alerts grouped by subject, a\n"
"                    sanctions case per (party, list entry), a typology case\n"
"                    per (account, rule family) (docs/outputs.md \"Cases\")\n"
"  --report FILE     the run's report: one self-contained HTML page (figures,\n"
"                    lists and their age, charts, cases with evidence, rejects\n"
"                    by reason), published with the other outputs\n"
"                    (docs/report.md; `txscreen report` makes it again)\n"
"  --previous-cases FILE\n"
"                    the last run's --cases: a case raised again is marked\n"
"                    \"continuing\" instead of \"new\" (--state does this by\n"
"                    itself: the state carries the open cases)\n"
"  --state FILE      per-account state of the window rules: loaded if the\n"
"                    file exists, saved (atomically) after the run, so the\n"
"                    next run's windows see this run's transactions, and\n"
"                    the next run's cases are continuing; an input the\n"
"                    state has already absorbed is refused (exit 4)\n"
"  --reprocess       redo the last run that saved --state FILE: load the\n"
"                    state before it (FILE.prev, kept at every save) and\n"
"                    screen the same inputs again\n"
"  --lookback on|off with --state: when the lists differ from the ones the\n"
"                    state last screened with, first screen its known\n"
"                    counterparties against the entities added or changed\n"
"                    and write \"lookback\" alerts (default on; docs/lists.md\n"
"                    \"Look-back screening\")\n"
"  --previous-lists SNAP\n"
"                    the snapshot the state last screened with, when it is no\n"
"                    longer at the path the state recorded; repeat per --lists\n"
"  --lookback-retention DAYS\n"
"                    keep a counterparty, or an open case, in the state this\n"
"                    long after it was last seen (default 396, 13 months)\n"
"  --max-lateness D  how far (e.g. 30m, 6h, 1d; 0 = sorted input) a record\n"
"                    may trail the latest one of its account and still enter\n"
"                    its windows; later ones are screened but counted late\n"
"                    (default 24h, docs/rules.md \"Time\")\n"
"  --threads N       workers that parse and screen batches in parallel, and\n"
"                    as many partitions of the per-account state, each\n"
"                    judging its own accounts (default: the number of\n"
"                    online cores; 1 runs on one thread).  Outputs and\n"
"                    --state files are identical whatever N\n"
"  --shard K/N       screen shard K (0-based) of a `txscreen split` into N;\n"
"  --shard graph     or run the cross-account (graph) rules over the whole\n"
"                    input; `txscreen merge` combines the outputs\n"
"  --fail-on BAND    exit 8 when the run raised an alert at or above BAND\n"
"                    (edd, review or block); the outputs are published\n"
"  --max-reject-rate R\n"
"                    exit 4 (input error, nothing published) when more than\n"
"                    R of the records read are rejected: a fraction (0.05)\n"
"                    or a percentage (5%%); default 0.5\n"
"  -q, --quiet       no progress line and no summary line on stderr\n"
"  --progress        the progress line even when stderr is not a terminal\n"
"                    (on a terminal it is shown unless -q: records, MB/s,\n"
"                    and for files the percentage and time left)\n"
"  -h, --help        this text\n"
"\n"
"Named output files are written atomically: they appear only when the run\n"
"succeeds (a device or FIFO, such as /dev/null, is written in place).\n"
TXS_CLI_EXIT_CODES,
            STDERR_REJECTS);
}

/* "90", "90s", "30m", "6h", "1d" -> seconds. */
static int parse_duration(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno || v < 0) return -1;
    long long unit = 1;
    if (*end == 's') unit = 1, end++;
    else if (*end == 'm') unit = 60, end++;
    else if (*end == 'h') unit = 3600, end++;
    else if (*end == 'd') unit = 86400, end++;
    if (*end || v > 3660LL * 86400 / unit) return -1;
    *out = v * unit;
    return 0;
}

static int parse_shard(const char *s, screen_args *a)
{
    if (strcmp(s, "graph") == 0) {
        a->shard_mode = TXS_STATE_GRAPH;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long k = strtoul(s, &end, 10);
    if (end == s || *end != '/' || errno) return -1;
    const char *q = end + 1;
    unsigned long n = strtoul(q, &end, 10);
    if (end == q || *end || errno || n == 0 || n > 65536 || k >= n) return -1;
    a->shard_mode = TXS_STATE_SHARD;
    a->shard_k = (unsigned)k;
    a->shard_n = (unsigned)n;
    return 0;
}

int txs__screen_parse_args(int argc, char **argv, screen_args *a)
{
    enum { O_PROFILE = 256, O_FORMAT, O_RULES, O_LISTS, O_OUT, O_REJECTS,
           O_MANIFEST, O_QUIET, O_HELP, O_REPROCESS, O_THRESH, O_GOODGUYS, O_STATE, O_LATENESS,
           O_SHARD, O_THREADS, O_CASES, O_FAILON, O_MAXREJ, O_PREVCASES, O_XSD, O_REPORT,
           O_PROGRESS, O_LOOKBACK, O_PREVLISTS, O_RETENTION,
           O_PATCACHE };
    static const struct option opts[] = {
        {"profile", required_argument, NULL, O_PROFILE},
        {"format", required_argument, NULL, O_FORMAT},
        {"validate-xsd", required_argument, NULL, O_XSD},
        {"rules", required_argument, NULL, O_RULES},
        {"pattern-cache", required_argument, NULL, O_PATCACHE},
        {"lists", required_argument, NULL, O_LISTS},
        {"sanctions-threshold", required_argument, NULL, O_THRESH},
        {"good-guys", required_argument, NULL, O_GOODGUYS},
        {"out", required_argument, NULL, O_OUT},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"manifest", required_argument, NULL, O_MANIFEST},
        {"cases", required_argument, NULL, O_CASES},
        {"report", required_argument, NULL, O_REPORT},
        {"fail-on", required_argument, NULL, O_FAILON},
        {"previous-cases", required_argument, NULL, O_PREVCASES},
        {"max-reject-rate", required_argument, NULL, O_MAXREJ},
        {"state", required_argument, NULL, O_STATE},
        {"lookback", required_argument, NULL, O_LOOKBACK},
        {"previous-lists", required_argument, NULL, O_PREVLISTS},
        {"lookback-retention", required_argument, NULL, O_RETENTION},
        {"max-lateness", required_argument, NULL, O_LATENESS},
        {"shard", required_argument, NULL, O_SHARD},
        {"threads", required_argument, NULL, O_THREADS},
        {"quiet", no_argument, NULL, O_QUIET},
        {"progress", no_argument, NULL, O_PROGRESS},
        {"reprocess", no_argument, NULL, O_REPROCESS},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->profile = "native";
    a->rules = "default";
    a->out = "-";
    a->format = -1;
    a->max_lateness = -1;
    a->max_reject_rate = DEFAULT_MAX_REJECT_RATE;
    a->lb.enabled = 1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    a->threads = ncpu < 1 ? 1 : ncpu > (long)TXS_MAX_THREADS ? TXS_MAX_THREADS : (unsigned)ncpu;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":hq", opts, NULL)) != -1;) {
        switch (c) {
        case O_PROFILE: a->profile = optarg; break;
        case O_RULES: a->rules = optarg; break;
        case O_PATCACHE: a->pattern_cache = optarg; break;
        case O_LISTS:
            if (a->nlists == MAX_LISTS) {
                fprintf(stderr, "txscreen screen: at most %d --lists\n", MAX_LISTS);
                return -1;
            }
            a->lists[a->nlists++] = optarg;
            break;
        case O_THRESH: {
            char *end;
            a->threshold = strtod(optarg, &end);
            if (*end || !(a->threshold > 0.0 && a->threshold <= 1.0)) {
                fprintf(stderr, "txscreen screen: --sanctions-threshold must be in (0, 1]\n");
                return -1;
            }
            break;
        }
        case O_GOODGUYS: a->good_guys = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_REJECTS: a->rejects = optarg; break;
        case O_MANIFEST: a->manifest = optarg; break;
        case O_CASES: a->cases = optarg; break;
        case O_REPORT: a->report = optarg; break;
        case O_PREVCASES: a->prev_cases = optarg; break;
        case O_XSD: a->validate_xsd = optarg; break;
        case O_FAILON:
            if (strcmp(optarg, "edd") == 0) a->fail_on = TXS_BAND_EDD;
            else if (strcmp(optarg, "review") == 0) a->fail_on = TXS_BAND_REVIEW;
            else if (strcmp(optarg, "block") == 0) a->fail_on = TXS_BAND_BLOCK;
            else {
                fprintf(stderr, "txscreen screen: --fail-on must be edd, review or block, "
                                "not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_MAXREJ: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (end != optarg && *end == '%' && end[1] == '\0') v /= 100.0, end++;
            if (end == optarg || *end || errno || !(v >= 0.0 && v <= 1.0)) {
                fprintf(stderr, "txscreen screen: --max-reject-rate must be a fraction 0 to 1 "
                                "or a percentage 0%% to 100%%, not '%s'\n", optarg);
                return -1;
            }
            a->max_reject_rate = v;
            break;
        }
        case 'q':
        case O_QUIET: a->quiet = 1; break;
        case O_PROGRESS: a->progress = 1; break;
        case O_REPROCESS: a->reprocess = 1; break;
        case O_STATE: a->state = optarg; break;
        case O_LOOKBACK:
        case O_PREVLISTS:
        case O_RETENTION:
            if (txs_cli_lookback_flag("txscreen screen", c - O_LOOKBACK, optarg, &a->lb) < 0)
                return -1;
            break;
        case O_LATENESS:
            if (parse_duration(optarg, &a->max_lateness) < 0) {
                fprintf(stderr, "txscreen screen: --max-lateness must be a duration such as "
                                "0, 90s, 30m, 6h or 1d, not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_SHARD:
            if (parse_shard(optarg, a) < 0) {
                fprintf(stderr, "txscreen screen: --shard must be K/N with 0 <= K < N <= "
                                "65536, or graph, not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_THREADS: {
            char *end;
            errno = 0;
            unsigned long n = strtoul(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-' || n < 1 ||
                n > TXS_MAX_THREADS) {
                fprintf(stderr, "txscreen screen: --threads must be 1 to %u, not '%s'\n",
                        TXS_MAX_THREADS, optarg);
                return -1;
            }
            a->threads = (unsigned)n;
            break;
        }
        case 'h':
        case O_HELP: help(stdout); return 1;
        case O_FORMAT:
            if (strcmp(optarg, "csv") == 0) a->format = TXS_FMT_CSV;
            else if (strcmp(optarg, "jsonl") == 0) a->format = TXS_FMT_JSONL;
            else if (strcmp(optarg, "payments") == 0) a->format = TXS_SCREEN_PAYMENTS;
            else {
                fprintf(stderr, "txscreen screen: --format must be csv, jsonl or payments, not '%s'\n", optarg);
                return -1;
            }
            break;
        default: txs_cli_bad_option("txscreen screen", c, argv, opts); return -1;
        }
    }
    for (int i = 0; i < a->nlists; i++)
        if (strcmp(a->lists[i], "none") == 0 && a->nlists > 1) {
            fprintf(stderr, "txscreen screen: --lists none cannot be combined with lists\n");
            return -1;
        }
    if (a->validate_xsd && a->format != TXS_SCREEN_PAYMENTS) {
        fprintf(stderr, "txscreen screen: --validate-xsd checks ISO 20022 messages; give "
                        "--format payments\n");
        return -1;
    }
    if (a->prev_cases && a->cases == NULL) {
        fprintf(stderr, "txscreen screen: --previous-cases marks the cases of --cases FILE; "
                        "give --cases\n");
        return -1;
    }
    if (a->reprocess && a->state == NULL) {
        fprintf(stderr, "txscreen screen: --reprocess redoes a run that saved --state FILE; "
                        "give --state\n");
        return -1;
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    if (a->ninputs == 0 && isatty(0)) {
        /* Not a wait on the console for records nobody is typing. */
        fprintf(stderr, "txscreen screen: no input: give the export as FILE, or pipe it in "
                        "(`... | txscreen screen`, or `txscreen screen - < FILE`); '-' reads "
                        "the terminal\n");
        return -1;
    }
    /* The state file is both, by design; the others must not be inputs,
     * and no two outputs (the state included) may be one file. */
    const char *outs[] = {a->out, a->rejects, a->manifest, a->state, a->cases, a->report};
    if (txs_cli_output_is_input("txscreen screen", outs, 6, a->inputs, (size_t)a->ninputs))
        return -1;
    /* --previous-cases may name --cases FILE itself: it is read first. */
    return 0;
}

