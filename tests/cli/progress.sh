#!/usr/bin/env bash
# screen's progress line (issue 16 item 5): on a terminal (script(1) from
# util-linux gives the run one) a line with records, MB/s, and for a file
# the percentage and time left, erased at the end; none when stderr is not
# a terminal, none with -q, forced by --progress; no percentage for a pipe;
# the outputs byte-identical with and without the line; `screen` with no
# input on a terminal exits 2 with how to give one instead of waiting.
#
# usage: progress.sh TXSCREEN
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
command -v script >/dev/null || { echo "skip: no script(1)"; exit 77; }
# Long enough that the line is drawn a few times: the first redraw comes
# after 250 ms, and a fixed size does not stay long enough as screening gets
# faster (30,000 records took a second once, 0.23 s later) or on a faster
# machine.  So the input doubles from 400,000 records until a plain run
# takes 1.5 s or more (2 threads, default rules), up to 6,400,000.
rows=400000
while :; do
  "$bin" gen --seed 3 --rows $rows --labels /dev/null --out in.csv 2>/dev/null
  t0=$(date +%s%N)
  "$bin" screen --threads 2 --out /dev/null in.csv 2>/dev/null
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ $ms -ge 1500 ] || [ $rows -ge 6400000 ] && break
  rows=$((rows * 2))
done
echo "input: $rows records, a plain run $ms ms"
pass=0 fail=0
check() { # name, then a command that succeeds when the check holds
  local name=$1; shift
  if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
has() { grep -q -a -- "$2" "$1"; }
hasnt() { ! grep -q -a -- "$2" "$1"; }
cr() { grep -c -a $'\r' "$1"; }
# Same outputs: alerts, rejects, cases, and the manifest but its clock.
same() {
  cmp -s "$1/al.jsonl" "$2/al.jsonl" && cmp -s "$1/rj.jsonl" "$2/rj.jsonl" &&
    cmp -s "$1/cs.jsonl" "$2/cs.jsonl" &&
    cmp -s <(grep -v -e started -e wall -e per_second -e '"command"' "$1/mf.json") \
           <(grep -v -e started -e wall -e per_second -e '"command"' "$2/mf.json")
}
# Each run in its own folder with the same relative paths, so the manifests
# name the same files.
outs() { echo "--out al.jsonl --rejects rj.jsonl --cases cs.jsonl --manifest mf.json"; }
mkdir tty plain quiet forced pipe

# 1. On a terminal: the line, with the percentage of the file, erased.
(cd tty && script -qec "$bin screen --threads 2 $(outs) ../in.csv" ../tty.log >/dev/null)
check "terminal: exit 0" test $? -eq 0
check "terminal: the line shows records and MB/s" \
  grep -q -a -E $'\rtxscreen: [0-9]+ records, [0-9.]+ MB, [0-9.]+ MB/s, [0-9]+% of [0-9.]+ MB, [0-9hms]+ left' tty.log
check "terminal: erased before the summary" grep -q -a -E $'\r +\rtxscreen: read '$rows tty.log

# 2. stderr not a terminal: no line, no carriage return.
(cd plain && "$bin" screen --threads 2 $(outs) ../in.csv 2>../plain.err)
check "not a terminal: no line" test "$(cr plain.err)" -eq 0
check "not a terminal: the summary" has plain.err "txscreen: read $rows"
check "outputs identical with and without the line" same tty plain

# 3. -q on a terminal: neither the line nor the summary.
(cd quiet && script -qec "$bin screen -q --threads 2 $(outs) ../in.csv" ../quiet.log >/dev/null)
check "-q: no line, no summary" hasnt quiet.log "txscreen: "
check "-q: same outputs" same quiet plain

# 4. --progress without a terminal: the line all the same.
(cd forced && "$bin" screen --progress --threads 2 $(outs) ../in.csv 2>../forced.err)
check "--progress: the line without a terminal" grep -q -a -E $'\rtxscreen: [0-9]+ records' forced.err
check "--progress: same outputs" same forced plain

# 5. A pipe on a terminal: records and MB/s, no percentage (size unknown).
(cd pipe && script -qec "cat ../in.csv | $bin screen --threads 2 $(outs)" ../pipe.log >/dev/null)
check "pipe: the line" grep -q -a -E $'\rtxscreen: [0-9]+ records, [0-9.]+ MB, [0-9.]+ MB/s' pipe.log
check "pipe: no percentage" hasnt pipe.log "% of"

# 6. No input and stdin a terminal: exit 2 with how to give one.
timeout 20 script -qec "$bin screen --out none.jsonl" none.log >/dev/null
check "no input on a terminal: exit 2" test $? -eq 2
check "no input on a terminal: says how" has none.log "no input: give the export as FILE"
check "no input on a terminal: no output" test ! -e none.jsonl

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
