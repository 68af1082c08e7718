#!/usr/bin/env bash
# Every allocation site a standard run reaches fails in turn (issue 14
# item 5; tests/alloc/hook.h): the run must end with exit 6 (out of
# memory) and the previous night's outputs untouched, or, where the engine
# can do without the memory (a cache it skips), with exit 0 and exactly the
# outputs of a run that had it.  Anything else fails: another exit code, a
# crash, a sanitizer report (the hook is on in the ASan build, so every
# injected failure is also checked for memory errors and leaks), a partial
# set or a temporary left behind.
#
# The standard run is the bundled sample (samples/transactions.csv, 3,000
# records) as two nights with --state, --threads 1 so that allocation order
# is fixed.  Each allocation site (source line) is failed at its first call.
# usage: run.sh TXSCREEN SAMPLES_CSV
set -u
bin=$1 sample=$2
here=$(cd "$(dirname "$0")/../commit" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
. "$here/sets.sh"
head -n 1501 "$sample" > d1.csv
{ head -n 1 "$sample"; tail -n +1502 "$sample"; } > d2.csv
files="o.jsonl r.jsonl m.json s.bin s.bin.prev"
run() { "$bin" screen --quiet --threads 1 --state s.bin --out o.jsonl --rejects r.jsonl \
          --manifest m.json "$@"; }

run d1.csv || { echo "FAIL first run"; exit 1; }
save old
TXS_ALLOC_SITES=$work/sites run d2.csv || { echo "FAIL counting run"; exit 1; }
save new
[ -s sites ] || { echo "FAIL the binary has no allocation hook (TXS_ALLOC_FAULTS)"; exit 1; }
n_oom=0 n_ok=0
while read -r idx site; do
    restore old
    TXS_ALLOC_FAIL=$idx run d2.csv 2>err; rc=$?
    what="allocation $idx ($site, exit $rc: $(head -c 300 err))"
    if [ $rc -eq 6 ]; then
        check "$what: the old set, untouched" "same old && clean"
        check "$what: says out of memory" "grep -q 'out of memory' err"
        n_oom=$((n_oom + 1))
    elif [ $rc -eq 0 ]; then
        check "$what: exit 0 gives the whole new set" "same new && clean"
        n_ok=$((n_ok + 1))
    else
        check "$what: exit 6 or 0" "false"
    fi
done < sites
echo "allocation sites failed in turn: $(wc -l < sites) of $(tail -n 1 sites | cut -d' ' -f1)" \
     "allocations; exit 6 with the old set: $n_oom; done without it: $n_ok"
echo "allocation tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
