#!/usr/bin/env bash
# Snapshots and outputs do not depend on the host CPU (issue 11).
#
# usage: run.sh TXSCREEN SRCROOT
#
# The CPU-features check is valgrind (--tool=none; memcheck in step 4): the CPU it presents
# has AVX2 but never AVX-512, whatever the real host has, and Hyperscan's
# runtime dispatches on what it is shown.  So on an AVX-512 host (this
# project's machines) every step below runs the same binary on two
# different instruction sets, and on an AVX2-only host the valgrind steps
# still prove that the bytes do not depend on AVX-512 being absent.
#
#   1. the bundled lists compiled natively (the build's default-lists.snap)
#      and under valgrind are the same bytes: a snapshot holds no machine
#      code (until December 2026 it held a Hyperscan database, compiled for
#      a named CPU target);
#   2. the sample export screens to the same alerts natively and under
#      valgrind;
#   3. the retired --hs-target option changes no byte: a snapshot compiled
#      "for" a CPU valgrind's lacks (avx512vbmi) is the bundled one;
#   4. the whole golden suite passes under valgrind's memcheck (every
#      pinned byte, manifests with the snapshot's xxh3 included, and no
#      memcheck error in any of its runs).
set -u
bin=$1 root=$2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (tests/run.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg() { valgrind --tool=none -q --error-exitcode=99 "$bin" "$@"; }
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# As engine/lists.cmake compiles the bundled snapshot: the legacy CSV states
# no date, so it is given.
lists=(--date OFAC-SDN=2021-07-07 "$root/samples/lists/ofac-sdn-2021-07-07"
       "$root/samples/lists/un-consolidated-2026-02-27.xml")
bundled=$(dirname "$bin")/default-lists.snap
sample="$root/samples/transactions.csv"

# 1. Same bytes on two instruction sets.
vg lists compile "${lists[@]}" -o "$work/vg.snap" 2>"$work/vg.err" || { cat "$work/vg.err"; bad "compile under valgrind"; }
if cmp -s "$bundled" "$work/vg.snap"; then ok "bundled snapshot: native and valgrind compiles identical ($(wc -c <"$bundled") bytes)"
else bad "bundled snapshot differs between the native and the valgrind compile"; fi

# 2. The same alerts on two instruction sets.
"$bin" screen --out "$work/a-native.jsonl" "$sample" 2>/dev/null
vg screen --out "$work/a-vg.jsonl" "$sample" 2>/dev/null
n=$(wc -l <"$work/a-native.jsonl")
[ "$n" -gt 0 ] || bad "the sample run gave no alerts"
if cmp -s "$work/a-native.jsonl" "$work/a-vg.jsonl"
then ok "the sample export: the same $n alerts natively and under valgrind"
else bad "the sample export gives other alerts under valgrind"; fi

# 3. --hs-target is accepted, said to be ignored, and changes nothing.
"$bin" lists compile --hs-target avx512vbmi "${lists[@]}" -o "$work/vbmi.snap" 2>"$work/vbmi.err" \
    || bad "compile with --hs-target"
if cmp -s "$bundled" "$work/vbmi.snap" && grep -q "ignored" "$work/vbmi.err"
then ok "--hs-target avx512vbmi: ignored, the bundled snapshot's bytes"
else bad "--hs-target avx512vbmi: $(cat "$work/vbmi.err")"; fi

# 4. The golden suite on valgrind's CPU, under memcheck: the same bytes,
# and no use of an uninitialised value or invalid access on any of its
# paths (a branch on an uninitialised value made a name's outcome depend
# on the names screened before it; the sanitizers do not see those).
mkdir -p "$work/vg"
printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --num-callers=16 --log-file=%s/vg/%%p.log "%s" "$@"\n' \
    "$work" "$bin" >"$work/txscreen-vg"
chmod +x "$work/txscreen-vg"
if bash "$root/tests/golden/run.sh" "$work/txscreen-vg" "$root" >"$work/golden.log" 2>&1
then ok "golden suite under valgrind: $(tail -n 1 "$work/golden.log")"
else cat "$work/golden.log"; bad "golden suite under valgrind"; fi
errs=$(find "$work/vg" -type f -size +0)
if [ -z "$errs" ]; then ok "memcheck: no errors in $(find "$work/vg" -type f | wc -l) runs"
else for f in $errs; do head -n 40 "$f"; done; bad "memcheck errors in $(echo "$errs" | wc -l) runs"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
