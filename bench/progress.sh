#!/usr/bin/env bash
# bench/progress.sh: what the progress line costs (issue 16 target: at most
# 1% of throughput).  The same screen run with the line (`--progress`,
# drawn to stderr four times a second) and without it (`-q`), interleaved
# round by round beside `wc -l` and `cat` of the same file, so that drift
# of a shared machine hits both sides alike.  Prints wall and CPU
# (user + system) seconds of every run, then per side the range and the
# median, and the median's difference in percent.
#
# usage: bench/progress.sh TXSCREEN [FILE] [ROUNDS] [THREADS]
#   FILE     default: `txscreen gen --seed 1 --size 200M` written to
#            bench/out/native-200M-seed1.csv (made once)
#   ROUNDS   default 5; THREADS default 2 (what `screen` uses on 2 cores)
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
file=${2:-$here/out/native-200M-seed1.csv}
rounds=${3:-5}
threads=${4:-2}
if [ ! -s "$file" ]; then
  mkdir -p "$(dirname "$file")"
  "$bin" gen --seed 1 --size 200M --labels /dev/null --out "$file"
fi
timed() { # label command...: one line "label wall cpu"
  local tf t
  tf=$(mktemp)
  /usr/bin/time -o "$tf" -f '%e %U %S' "${@:2}" >/dev/null 2>/dev/null || true
  t=$(tail -1 "$tf")
  rm -f "$tf"
  awk -v l="$1" -v t="$t" 'BEGIN { split(t, a, " "); printf "%-10s %7.2f %7.2f\n", l, a[1], a[2] + a[3] }'
}
mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "file $file ($mb MB, $(( $(wc -l <"$file") - 1 )) records), $rounds rounds, --threads $threads"
echo "run        wall(s)  cpu(s)"
log=$(mktemp)
for r in $(seq "$rounds"); do
  timed wc-l wc -l "$file" | tee -a "$log"
  timed cat cat "$file" | tee -a "$log"
  # alternate which side goes first, so neither always follows the cat
  if [ $((r % 2)) -eq 1 ]; then
    timed quiet "$bin" screen -q --threads "$threads" --out /dev/null "$file" | tee -a "$log"
    timed progress sh -c "exec \"\$0\" screen --progress --threads $threads --out /dev/null \"\$1\" 2>/dev/null" "$bin" "$file" | tee -a "$log"
  else
    timed progress sh -c "exec \"\$0\" screen --progress --threads $threads --out /dev/null \"\$1\" 2>/dev/null" "$bin" "$file" | tee -a "$log"
    timed quiet "$bin" screen -q --threads "$threads" --out /dev/null "$file" | tee -a "$log"
  fi
done
echo "summary (range, median; records/s from the median wall)"
awk -v mb="$mb" -v recs="$(( $(wc -l <"$file") - 1 ))" '
  { w[$1] = w[$1] " " $2; c[$1] = c[$1] " " $3 }
  function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo = a[1]; hi = a[n]
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    for (k in w) {
      mw = med(w[k]); wl = lo; wh = hi; mc = med(c[k])
      printf "%-10s wall %.2f-%.2f s (median %.2f, %.0f records/s, %.1f MB/s), cpu %.2f-%.2f s (median %.2f)\n",
             k, wl, wh, mw, (mw > 0 ? recs / mw : 0), (mw > 0 ? mb / mw : 0), lo, hi, mc
      W[k] = mw; C[k] = mc
    }
    if (W["quiet"] > 0)
      printf "progress vs quiet: wall %+.2f%%, cpu %+.2f%%\n",
             100 * (W["progress"] - W["quiet"]) / W["quiet"], 100 * (C["progress"] - C["quiet"]) / C["quiet"]
  }' "$log"
rm -f "$log"
