#!/usr/bin/env bash
# Golden end-to-end tests: run the txscreen CLI over each case and compare
# its outputs byte for byte with the expected files.
#
# usage: run.sh TXSCREEN SRCROOT [--update] [CASE...]
#
# A case is a directory under tests/golden/cases/NAME/ holding:
#   cmd        the txscreen arguments, one shell line (run from a scratch
#              copy of the case, so paths in outputs are relative and stable)
#   setup.sh   optional: makes inputs that are better generated than stored
#              (compressed copies, a 1 MB field, a run's outputs: $TXS_BIN is the
#              txscreen under test, $TXS_SRC the source tree); runs in the scratch copy
#   expected/  the files to compare: any of alerts.jsonl rejects.jsonl cases.jsonl report.html
#              manifest.json stdout stderr exit; plus "absent", a list of
#              files that must NOT exist after the run (atomic outputs)
# The manifest is compared without its run-dependent lines (the command
# line and the timing block's values).  The sample export is a case too
# (cases/sample): its expected files are samples/expected/.
# --update rewrites expected/ from the actual outputs (review the diff!).
set -u
bin=$1 root=$2
shift 2
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
cases_dir="$root/tests/golden/cases"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in "$cases_dir"/*/; do names+=("$(basename "$d")"); done
fi
export TXS_SRC="$root" TXS_BIN="$bin"
strip_manifest() {
  grep -v -e '"command":' -e '"started_utc":' -e '"wall_seconds":' \
          -e '"records_per_second":' -e '"threads":' -e '"mb_per_second":' "$1"
}
pass=0 fail=0
for name in "${names[@]}"; do
  dir="$cases_dir/$name"
  exp="$dir/expected"
  [ -L "$exp" ] && exp=$(cd "$dir" && cd "$(readlink expected)" && pwd)
  work=$(mktemp -d)
  cp -r "$dir"/. "$work"/
  rm -rf "$work/expected"
  ok=1
  if [ -f "$work/setup.sh" ] && ! (cd "$work" && bash setup.sh); then
    echo "FAIL $name: setup.sh failed"; ok=0
  fi
  (cd "$work" && eval "\"$bin\" $(cat cmd)" >stdout 2>stderr; echo $? >exit)
  [ -f "$work/manifest.json" ] && strip_manifest "$work/manifest.json" >"$work/manifest.cmp"
  if [ $update -eq 1 ]; then
    mkdir -p "$exp"
    for f in alerts.jsonl rejects.jsonl cases.jsonl report.html stdout stderr exit; do
      [ -f "$exp/$f" ] && cp "$work/$f" "$exp/$f"
    done
    [ -f "$exp/manifest.json" ] && cp "$work/manifest.cmp" "$exp/manifest.json"
    echo "updated $name"
    rm -rf "$work"
    continue
  fi
  for f in alerts.jsonl rejects.jsonl cases.jsonl report.html stdout stderr exit manifest.json; do
    [ -f "$exp/$f" ] || continue
    actual="$work/$f"
    [ "$f" = manifest.json ] && actual="$work/manifest.cmp"
    if [ ! -f "$actual" ]; then
      echo "FAIL $name: $f was not written"; ok=0
    elif ! diff -u "$exp/$f" "$actual" >"$work/diff.txt"; then
      echo "FAIL $name: $f differs"; head -n 40 "$work/diff.txt"; ok=0
    fi
  done
  if [ -f "$exp/absent" ]; then
    while read -r f; do
      [ -z "$f" ] && continue
      if compgen -G "$work/$f" >/dev/null; then echo "FAIL $name: $f exists"; ok=0; fi
    done <"$exp/absent"
  fi
  if [ $ok -eq 1 ]; then pass=$((pass + 1)); echo "ok   $name"
  else fail=$((fail + 1)); echo "     (stderr: $(head -c 300 "$work/stderr"))"; fi
  rm -rf "$work"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
