#!/usr/bin/env bash
# The README's examples, run as written: README.md is the runnable truth.
#
# usage: run.sh TXSCREEN SRCROOT
#
# Every fenced ```sh block of README.md that calls build/txscreen is a
# walk-through: each of its commands (a line, with backslash continuations
# joined) runs in order, with bash -o pipefail, in one scratch folder that
# holds build/ (the binary under test and its default-lists.snap, linked)
# and a copy of samples/; nothing else is put there, so every input a
# command names is made by an earlier line (txscreen gen, cp from samples/).
# Helper lines (cp, mkdir, printf) run too but are not counted.  Each must
# exit 0.  Blocks that call no txscreen (the "Two commands" block: builds
# and the whole suite) are not run; a txscreen call in any other kind of
# fenced block fails the test, so no example escapes.
#
# Also checked here, because they are README / docs claims:
#   - the sample alert of the README's ```json block (lines joined after
#     stripping their indentation) is a line of `screen samples/transactions.csv`;
#   - docs/operations.md's exit-code table has the rows of `txscreen --help`.
set -u
bin=$1 root=$2
readme="$root/README.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/build"
ln -s "$bin" "$work/build/txscreen"
ln -s "$(dirname "$bin")/default-lists.snap" "$work/build/default-lists.snap"
cp -r "$root/samples" "$work/samples"
rm -rf "$work/samples/out"

# One logical command per output record, NUL-separated: the block's
# number, its fence info ("sh", "", "json"), the command.
extract() {
  awk '
    /^```/ { if (!inb) { inb = 1; blk++; info = substr($0, 4); next } else { inb = 0; next } }
    inb {
      line = $0
      if (cont != "") { sub(/^[ \t]+/, " ", line); line = cont line }
      if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); next }
      cont = ""
      sub(/^[ \t]+/, "", line)
      if (line != "") printf "%d\t%s\t%s%c", blk, info, line, 0
    }' "$readme"
}

calls_txscreen() { [[ $1 =~ (^|[[:space:]|\;\&\(])build/txscreen([[:space:]]|$) ]]; }

declare -a blks=() cmds=()
declare -A runnable=()
fail=0
while IFS=$'\t' read -r -d '' blk info cmd; do
  if calls_txscreen "$cmd"; then
    if [ "$info" = sh ]; then
      runnable[$blk]=1
    else
      echo "FAIL a txscreen example outside a \`\`\`sh block: $cmd"; fail=1
    fi
  fi
  blks+=("$blk") cmds+=("$cmd")
done < <(extract)

examples=0 helpers=0
for i in "${!cmds[@]}"; do
  [ -n "${runnable[${blks[$i]}]:-}" ] || continue
  cmd=${cmds[$i]}
  if calls_txscreen "$cmd"; then examples=$((examples + 1)); else helpers=$((helpers + 1)); fi
  log="$work/log.$i"
  (cd "$work" && timeout 300 bash -o pipefail -c "$cmd") >"$log" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL (exit $rc) $cmd"
    tail -n 5 "$log" | sed 's/^/     /'
    fail=1
  else
    echo "ok   $cmd"
  fi
done

# The sample alert.
alert=$(awk '/^```json/ { inb = 1; next } inb && /^```/ { exit } inb { sub(/^[ \t]+/, ""); printf "%s", $0 }' "$readme")
if [ -z "$alert" ]; then
  echo "FAIL README.md has no sample alert"; fail=1
elif ! (cd "$work" && build/txscreen screen samples/transactions.csv 2>/dev/null) | grep -Fxq -- "$alert"; then
  echo "FAIL the README's sample alert is not a line of 'txscreen screen samples/transactions.csv'"
  fail=1
else
  echo "ok   the sample alert is what screen prints"
fi

# The exit-code table: docs rows "| N | text |" == --help rows "  N  text"
# (continuation lines joined).
docs_rows=$(grep -E '^\| [0-9] \| ' "$root/docs/operations.md" | sed -E 's/^\| ([0-9]) \| (.*) \|$/\1 \2/')
help_rows=$("$bin" --help | awk '
  /^exit codes/ { on = 1; next }
  on && /^  [0-9]  / { if (row != "") print row; row = substr($0, 3); sub(/  /, " ", row); next }
  on && /^     [^ ]/ { sub(/^ +/, " "); row = row $0; next }
  on { if (row != "") print row; exit }')
if [ -z "$docs_rows" ] || [ "$docs_rows" != "$help_rows" ]; then
  echo "FAIL docs/operations.md's exit codes differ from txscreen --help:"
  diff <(echo "$docs_rows") <(echo "$help_rows") | head -n 20
  fail=1
else
  echo "ok   the exit-code table of docs/operations.md is txscreen --help's"
fi

echo "README examples run: $examples (lines calling txscreen), with $helpers helper lines"
if [ "$examples" -eq 0 ]; then echo "FAIL no README example found"; fail=1; fi
[ $fail -eq 0 ]
