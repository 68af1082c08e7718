#!/usr/bin/env bash
# A reader that goes away (`| head -1`) ends the run with exit 5 and no
# temporaries or partial outputs left behind (issue 14: it was killed by
# SIGPIPE, exit 141, leaving .tmp files), on 1 and 2 threads.
#
# usage: sigpipe.sh TXSCREEN
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
"$bin" gen --seed 1 --rows 50000 --labels /dev/null --out in.csv 2>/dev/null
pass=0 fail=0
for t in 1 2; do
  mkdir -p "run$t" && cd "run$t" || exit 1
  "$bin" screen --threads "$t" --rejects rj.jsonl --manifest mf.json ../in.csv 2>err | head -n 1 >first
  rc=${PIPESTATUS[0]}
  left=$(ls -A | grep -v -x -e err -e first | tr '\n' ' ')
  if [ "$rc" -eq 5 ] && [ -s first ] && [ -z "$left" ] && grep -q "Broken pipe" err; then
    echo "ok   threads $t: exit 5, nothing left behind"; pass=$((pass + 1))
  else
    echo "FAIL threads $t: exit $rc, left: [$left], stderr: $(cat err)"; fail=$((fail + 1))
  fi
  cd .. || exit 1
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
