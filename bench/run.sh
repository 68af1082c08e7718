#!/usr/bin/env bash
# bench/run.sh: the benchmark protocol (bench/README.md).  Generates a native
# CSV export once (cached in bench/out/, gitignored), then times each command
# with 1 warm-up and N repeats, and prints the median wall time, MB/s,
# records/s and the speed as a percentage of `wc -l` on the same file in the
# same run (absolute times drift on shared machines; the ratio travels), plus
# the peak RSS of the engine's runs.
#
#   bench/run.sh [--size 1G] [--repeats 5] [--file FILE] [--bin build/txscreen]
#                [--threads "1 2"] [--quick]
#
# Rows: parse only, typologies only (--lists none), sanctions only (--rules
# none; the bundled lists and the OFAC 2024 SDN), everything, each at every
# --threads count; the full run from stdin; sanctions only against the 1 M-name
# list of bench/biglist.py on one thread; the same sanctions rows on a
# long-tail export (bench/longtail.py: every party name new); distinct names
# per second (the 50,000 names of negatives-us-50k, each new, so no cache
# helps) with the bundled lists and the 1 M list; then the 1 M snapshot's
# build time, load time, size and peak RSS.  --quick (or TXS_BENCH_LISTS=0)
# skips the sanctions rows.
# Timing uses hyperfine when installed, else a date +%s.%N loop.  Peak RSS
# uses GNU time (/usr/bin/time -f %M), installed with apt-get when missing
# and running as root.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
size=1G
repeats=5
file=
bin=
threads="1 2"
lists_rows=${TXS_BENCH_LISTS:-1}
biglist=${TXS_BENCH_BIGLIST:-1}
big_records=${TXS_BENCH_BIGLIST_RECORDS:-0} # >0: only the first N records (and N/4 names)

usage() {
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --file) file=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --quick) lists_rows=0; biglist=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

if [ -z "$bin" ]; then
    # Measure a Release build, never whichever sanitizer or debug build
    # happens to be lying around: build/ is the one samples/run.sh makes.
    . "$root/.ci/deps.sh"
    txs_deps
    cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DTXS_TESTS=OFF >/dev/null
    cmake --build "$root/build" -j "$(nproc 2>/dev/null || echo 2)" --target txscreen_cli txs_default_lists >/dev/null
    bin="$root/build/txscreen"
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "bench/run.sh: no txscreen binary; build it or pass --bin" >&2
    exit 2
fi
case "$repeats" in ''|*[!0-9]*) echo "bench/run.sh: bad --repeats" >&2; exit 2 ;; esac

# ---------------------------------------------------------------- the file
if [ -z "$file" ]; then
    mkdir -p "$here/out"
    file="$here/out/native-$size-seed1.csv"
    if [ ! -s "$file" ]; then
        echo "generating $file ..." >&2
        t0=$(date +%s.%N)
        "$bin" gen --size "$size" --seed 1 --out "$file" --labels "$file.labels"
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" -v n="$(stat -c %s "$file")" \
            'BEGIN { printf "generated %.0f MB in %.2f s (%.0f MB/s)\n", n/1e6, b-a, n/1e6/(b-a) }' >&2
    fi
fi
[ -r "$file" ] || { echo "bench/run.sh: cannot read $file" >&2; exit 2; }
bytes=$(stat -L -c %s "$file")
records=$(( $(wc -l < "$file") - 1 ))

# ------------------------------------------------------------ GNU time
timebin=/usr/bin/time
if ! "$timebin" -f %M true >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq time >/dev/null 2>&1 || true
    fi
fi
"$timebin" -f %M true >/dev/null 2>&1 || timebin=

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

# median SECONDS of a shell command: 1 warm-up, $repeats timed runs.
median() {
    local cmd=$1
    if command -v hyperfine >/dev/null; then
        hyperfine --warmup 1 --runs "$repeats" --style none \
                  --export-json "$tmpdir/h.json" "$cmd" >/dev/null 2>&1 &&
            python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
                    "$tmpdir/h.json" && return 0
    fi
    bash -c "$cmd" >/dev/null 2>&1 || true
    : > "$tmpdir/times"
    for _ in $(seq "$repeats"); do
        local t0 t1
        t0=$(date +%s.%N)
        bash -c "$cmd" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$tmpdir/times"
    done
    sort -g "$tmpdir/times" | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# peak RSS in MB of one run, or "-".
peak_rss() {
    [ -n "$timebin" ] || { echo -; return; }
    "$timebin" -o "$tmpdir/rss" -f %M bash -c "exec $1" >/dev/null 2>&1 || true
    awk '{ printf "%.1f\n", $1 / 1024 }' "$tmpdir/rss" 2>/dev/null || echo -
}

# ------------------------------------------------------- list snapshots
# An OFAC-size list: the OFAC SDN of 2024-05-03 (14,965 entries, the
# test fixture).  The 1 M-name list: bench/biglist.py's 1,000,000 generated
# persons and companies (real given-name, surname and company-word
# frequencies; bench/data/README.md) compiled with the OFAC 2024 SDN and the
# UN list.  Both cached in bench/out/; the 1 M list's build time and peak RSS
# are measured when it is compiled (and kept beside it for later runs).
mkdir -p "$here/out"
ofac_snap="$here/out/ofac-sdn-2024-05-03.snap"
big_csv="$here/out/biglist-1m.csv"
big_snap="$here/out/biglist-1m.snap"
if [ "$lists_rows" = 1 ] && [ ! -s "$ofac_snap" ]; then
    "$bin" lists compile "$root/tests/fixtures/lists/ofac-sdn-2024-05-03/sdn.csv" -o "$ofac_snap" >&2
fi
# A cached snapshot an older txscreen compiled (another NAMES version) is
# refused with exit 3: compiled again.
big_stale() {
    [ ! -s "$big_snap" ] && return 0
    head -n 1 "$file" | "$bin" screen --rules none --lists "$big_snap" --out /dev/null - >/dev/null 2>&1
    [ $? -eq 3 ]
}
if [ "$biglist" = 1 ] && big_stale; then
    [ -s "$big_csv" ] || python3 "$here/biglist.py" --out "$big_csv"
    t0=$(date +%s.%N)
    if [ -n "$timebin" ]; then
        "$timebin" -o "$big_snap.rss" -f %M "$bin" lists compile \
            "$root/tests/fixtures/lists/ofac-sdn-2024-05-03/sdn.csv" \
            "$root/samples/lists/un-consolidated-2026-02-27.xml" "$big_csv" -o "$big_snap" >&2
    else
        "$bin" lists compile "$root/tests/fixtures/lists/ofac-sdn-2024-05-03/sdn.csv" \
            "$root/samples/lists/un-consolidated-2026-02-27.xml" "$big_csv" -o "$big_snap" >&2
    fi
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }' > "$big_snap.build"
fi

# ------------------------------------------------- the long-tail export
# The same export with every party name replaced by a new one
# (bench/longtail.py), so the name cache cannot help.
longtail="$here/out/longtail-$(basename "$file")"
if [ "$lists_rows" = 1 ] && [ ! -s "$longtail" ]; then
    python3 "$here/longtail.py" --in "$file" --out "$longtail"
fi

# ------------------------------------------ distinct names, each new
# One record per name of negatives-us-50k (beneficiary), as
# bench/sanctions_fp.sh writes them.
distinct="$here/out/distinct-50k.csv"
if [ "$lists_rows" = 1 ] && [ ! -s "$distinct" ]; then
    awk -F, 'NR > 1 { gsub(/"/, "\"\"", $1)
        printf "N%d,2026-03-01T00:00:00Z,100.00,USD,wire,A1,,,,,B%d,\"%s\",,,,\n", NR, NR, $1
    }' "$root/../shared/data/names/negatives-us-50k.csv" |
        { echo "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose"; cat; } > "$distinct"
fi

printf 'file     %s\nsize     %d bytes, %d records\nbinary   %s\nrepeats  1 warm-up + %d, median\nthreads  %s\nmachine  %s cores, %s\nload     %s\n\n' \
       "$file" "$bytes" "$records" "$bin" "$repeats" "$threads" "$(nproc)" \
       "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')" "$(cut -d' ' -f1-3 /proc/loadavg)"

q=$(printf '%q' "$file")
# Rows: name, command, whether it is the engine (peak RSS measured), and
# how many timed runs (0: $repeats).  The runs with sanctions lists screen
# every party name and are much slower, so they are timed once, without a
# warm-up, to keep the protocol's wall time bounded (their peak RSS comes
# from that same run).
declare -a names cmds engine reps rbytes rrecs
row() { names+=("$1"); cmds+=("$2"); engine+=("$3"); reps+=("$4");
        rbytes+=("${5:-$bytes}"); rrecs+=("${6:-$records}"); }
row "wc -l"           "wc -l $q"           0 0
row "cat > /dev/null" "cat $q > /dev/null" 0 0
if "$bin" screen --help >/dev/null 2>&1; then
    for t in $threads; do
        row "parse only (--lists none --rules none), -t $t" \
            "$bin screen --threads $t --lists none --rules none --out /dev/null $q" 1 0
    done
    for t in $threads; do
        row "  the same from stdin (cat | screen -), -t $t" \
            "cat $q | $bin screen --threads $t --lists none --rules none --out /dev/null -" 1 0
    done
    for t in $threads; do
        row "typologies only (--lists none), -t $t" \
            "$bin screen --threads $t --lists none --out /dev/null $q" 1 0
    done
    if [ "$lists_rows" = 1 ]; then
        for t in $threads; do
            row "sanctions only (--rules none, bundled), -t $t" \
                "$bin screen --threads $t --rules none --out /dev/null $q" 1 1
        done
        for t in $threads; do
            row "sanctions only (--rules none, OFAC 2024), -t $t" \
                "$bin screen --threads $t --rules none --lists $ofac_snap --out /dev/null $q" 1 1
        done
        for t in $threads; do
            row "everything (default rules + bundled), -t $t" \
                "$bin screen --threads $t --out /dev/null $q" 1 1
        done
        t=${threads##* }
        row "  everything from stdin (cat | screen -), -t $t" \
            "cat $q | $bin screen --threads $t --out /dev/null -" 1 1
    fi
    if [ "$lists_rows" = 1 ]; then
        lq=$(printf '%q' "$longtail")
        row "wc -l, long-tail export" "wc -l $lq" 0 0 "$(stat -c %s "$longtail")"
        for t in $threads; do
            row "sanctions only, bundled, long-tail, -t $t" \
                "$bin screen --threads $t --rules none --out /dev/null $lq" 1 1 \
                "$(stat -c %s "$longtail")"
        done
        dq=$(printf '%q' "$distinct")
        nd=$(( $(wc -l < "$distinct") - 1 ))
        row "wc -l, 50k distinct names" "wc -l $dq" 0 0 "$(stat -c %s "$distinct")" "$nd"
        row "distinct names (50k, each new), bundled, -t 1" \
            "$bin screen --threads 1 --rules none --out /dev/null $dq" 1 1 \
            "$(stat -c %s "$distinct")" "$nd"
    fi
    if [ "$biglist" = 1 ]; then
        # The whole export and all 50,000 distinct names (about 150,000
        # records/s and 25,000 names/s, December 2026); TXS_BENCH_BIGLIST_RECORDS
        # limits them to a prefix.
        bf="$file" lf="${longtail:-}" dfile="$distinct" what=""
        if [ "$big_records" -gt 0 ]; then
            head -n $((big_records + 1)) "$file" > "$tmpdir/prefix.csv"
            bf="$tmpdir/prefix.csv" what=", first $big_records"
            if [ "$lists_rows" = 1 ]; then
                head -n $((big_records + 1)) "$longtail" > "$tmpdir/lt-prefix.csv"
                head -n $((big_records / 4 + 1)) "$distinct" > "$tmpdir/d-prefix.csv"
                lf="$tmpdir/lt-prefix.csv" dfile="$tmpdir/d-prefix.csv"
            fi
        fi
        row "sanctions only, 1M-name list, -t 1$what" \
            "$bin screen --threads 1 --rules none --lists $big_snap --out /dev/null $(printf '%q' "$bf")" \
            1 1 "$(stat -c %s "$bf")" "$(( $(wc -l < "$bf") - 1 ))"
        if [ "$lists_rows" = 1 ]; then
            row "sanctions only, 1M-name list, long-tail$what" \
                "$bin screen --threads 1 --rules none --lists $big_snap --out /dev/null $(printf '%q' "$lf")" \
                1 1 "$(stat -c %s "$lf")" "$(( $(wc -l < "$lf") - 1 ))"
            row "distinct names, 1M-name list$what" \
                "$bin screen --threads 1 --rules none --lists $big_snap --out /dev/null $(printf '%q' "$dfile")" \
                1 1 "$(stat -c %s "$dfile")" "$(( $(wc -l < "$dfile") - 1 ))"
        fi
        # Load time: one record, so the run is the snapshot's load.
        head -n 2 "$file" > "$tmpdir/one.csv"
        row "load the 1M-name snapshot (1 record)" \
            "$bin screen --threads 1 --rules none --lists $big_snap --out /dev/null $tmpdir/one.csv" \
            1 0 "$(stat -c %s "$tmpdir/one.csv")" 1
    fi
    # The slow rows take minutes: time the baselines again at the end.
    row "wc -l (again, at the end)"           "wc -l $q"           0 0
    row "cat > /dev/null (again, at the end)" "cat $q > /dev/null" 0 0
else
    echo "note: '$bin screen' is not available yet; engine rows skipped" >&2
fi

printf '%-50s %9s %9s %12s %8s %9s\n' command "median s" "MB/s" "records/s" "% wc -l" "peak MB"
wc_s=
for i in "${!cmds[@]}"; do
    rss=-
    if [ "${reps[$i]}" = 0 ]; then
        s=$(median "${cmds[$i]}")
        [ "${engine[$i]}" = 1 ] && rss=$(peak_rss "${cmds[$i]}")
    else
        t0=$(date +%s.%N)
        if [ -n "$timebin" ]; then
            "$timebin" -o "$tmpdir/rss" -f %M bash -c "${cmds[$i]}" >/dev/null 2>&1 || true
        else
            bash -c "${cmds[$i]}" >/dev/null 2>&1 || true
        fi
        t1=$(date +%s.%N)
        s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
        [ -n "$timebin" ] && rss=$(awk '{ printf "%.1f\n", $1 / 1024 }' "$tmpdir/rss" 2>/dev/null || echo -)
    fi
    [ -n "$wc_s" ] || wc_s=$s
    awk -v n="${names[$i]}" -v s="$s" -v b="${rbytes[$i]}" -v r="${rrecs[$i]}" -v w="$wc_s" -v m="$rss" -v B="$bytes" \
        'BEGIN { printf "%-50s %9.3f %9.0f %12.0f %7.1f%% %9s\n", n, s, b / 1e6 / s, r / s, 100 * (b / s) / (B / w), m }'
done
if [ "$biglist" = 1 ] && [ -s "$big_snap" ]; then
    info=$("$bin" lists info "$big_snap" 2>/dev/null | sed -n 2p)
    printf '\n1M-name snapshot %s: %s, %s; %d bytes, built in %s s with peak RSS %s MB\n' \
        "$big_snap" "$(echo "$info" | grep -o '[0-9]* entities')" \
        "$(echo "$info" | grep -o 'loaded in [0-9.]* ms')" \
        "$(stat -c %s "$big_snap")" "$(cat "$big_snap.build" 2>/dev/null || echo ?)" \
        "$(awk '{ printf "%.1f", $1 / 1024 }' "$big_snap.rss" 2>/dev/null || echo ?)"
fi
