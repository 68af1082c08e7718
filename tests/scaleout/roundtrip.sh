# Sourced by tests/scaleout/run.sh: one split -> shard screens -> merge
# round trip, compared with a single `txscreen screen` over the same inputs.
#
#   roundtrip NAME N "SPLIT_OPTS" "SCREEN_OPTS" INPUT...
#
# runs in the current directory and returns non-zero (with a diff on
# stdout) when the merged alerts, rejects or manifest differ from the single
# run's.  Options are word-split (no spaces inside them).  The shard runs
# go through run_shards (local loop here; run.sh's Slurm mode replaces it).
# Needs $TXS (the binary).

# The manifest without what differs by design: the command line, timing,
# the names of the output files, and the "state" block (the merged one sums
# what the shard runs held: accounts, events and bytes are per process).
strip_manifest() {
  awk '/^  "state": \{/ {skip = 1} !skip {print} skip && /^  \},?$/ {skip = 0}' "$1" |
    grep -v -e '"command":' -e '"started_utc":' -e '"wall_seconds":' \
            -e '"records_per_second":' -e '"threads":' -e '"mb_per_second":' \
            -e '^    "alerts": "' -e '^    "rejects": '
}

have_shard_mode() { "$TXS" screen --help | grep -q -- '--shard K/N'; }
have_graph_mode() { "$TXS" screen --help | grep -q -- '--shard graph'; }

# run_shards N EXT "SCREEN_OPTS" INPUT...: screen every shard into out/ and,
# when screen has it, the graph job over the original inputs.
run_shards_local() {
  local n=$1 ext=$2 opts=$3; shift 3
  local k
  for ((k = 0; k < n; k++)); do
    # shellcheck disable=SC2086
    "$TXS" screen $opts --shard "$k/$n" --quiet --out "out/alerts-$k.jsonl" \
      --rejects "out/rejects-$k.jsonl" --manifest "out/manifest-$k.json" \
      "split/shard-$k.$ext" || return 1
  done
  if have_graph_mode; then
    # shellcheck disable=SC2086
    "$TXS" screen $opts --shard graph --quiet --out out/alerts-graph.jsonl \
      --rejects out/rejects-graph.jsonl --manifest out/manifest-graph.json "$@" || return 1
  fi
}
run_shards() { run_shards_local "$@"; }

roundtrip() {
  local name=$1 n=$2 sopts=$3 opts=$4; shift 4
  local ext=csv
  rm -rf split out direct.* merged.*
  mkdir -p out
  # shellcheck disable=SC2086
  "$TXS" screen $opts --quiet --out direct.alerts.jsonl --rejects direct.rejects.jsonl \
    --manifest direct.manifest.json "$@" || { echo "FAIL $name: single run failed"; return 1; }
  # shellcheck disable=SC2086
  "$TXS" split --quiet --shards "$n" --out-dir split $sopts "$@" ||
    { echo "FAIL $name: split failed"; return 1; }
  [ -f split/shard-0.jsonl ] && ext=jsonl
  run_shards "$n" "$ext" "$opts" "$@" || { echo "FAIL $name: a shard run failed"; return 1; }
  "$TXS" merge --quiet --split split --out merged.alerts.jsonl --rejects merged.rejects.jsonl \
    --manifest merged.manifest.json out/* || { echo "FAIL $name: merge failed"; return 1; }
  local ok=0
  cmp -s direct.alerts.jsonl merged.alerts.jsonl ||
    { echo "FAIL $name (N=$n): alerts differ"; diff direct.alerts.jsonl merged.alerts.jsonl | head -c 3000; ok=1; }
  cmp -s direct.rejects.jsonl merged.rejects.jsonl ||
    { echo "FAIL $name (N=$n): rejects differ"; diff direct.rejects.jsonl merged.rejects.jsonl | head -20; ok=1; }
  diff <(strip_manifest direct.manifest.json) <(strip_manifest merged.manifest.json) >manifest.diff ||
    { echo "FAIL $name (N=$n): manifests differ"; head -40 manifest.diff; ok=1; }
  [ $ok -eq 0 ] && echo "ok   $name (N=$n): $(wc -l <merged.alerts.jsonl) alerts, $(wc -l <merged.rejects.jsonl) rejects identical"
  return $ok
}
