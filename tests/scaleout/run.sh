#!/usr/bin/env bash
# Scale-out tests (ctest -L scaleout): `txscreen split`, per-shard
# `txscreen screen --shard K/N` and `txscreen merge` must give, byte for
# byte, the alerts and rejects (and the manifest counts) of one
# `txscreen screen` over the same inputs.
#
#   run.sh TXSCREEN SRCROOT local   split checks, then round trips with the
#                                   shard runs in a local loop: the golden
#                                   cases (N = 1 and 3) and a 20k-row export
#   run.sh TXSCREEN SRCROOT slurm   the same round trip through a real Slurm:
#                                   installs slurm-wlm and munge if missing,
#                                   starts munged, slurmctld and slurmd on
#                                   localhost (config and state in a temp
#                                   dir), runs the shards as a job array
#                                   (sbatch --array --wait) and the merge as
#                                   a dependent job; daemons stopped on exit
# Exit 0 pass, 1 fail, 77 skipped (no root to install or start Slurm, or a
# screen without --shard).
set -u
TXS=$(readlink -f "$1") SRC=$(cd "$2" && pwd) MODE=${3:-local}
export TXS TXS_SRC=$SRC
here=$(cd "$(dirname "$0")" && pwd)
. "$here/roundtrip.sh"
SKIP=77
work=$(mktemp -d /tmp/txs-scaleout.XXXXXX)
cleanup_work() { rm -rf "$work"; }
trap cleanup_work EXIT
fail=0

if ! have_shard_mode; then
  echo "SKIP: this txscreen has no 'screen --shard K/N'"
  exit $SKIP
fi

# ------------------------------------------------------------- local mode
split_checks() {
  local d=$work/split-checks
  mkdir -p "$d" && cd "$d" || return 1
  "$TXS" gen --rows 5000 --seed 3 >in.csv 2>/dev/null || return 1
  gzip -c in.csv >in2.csv.gz
  local a=(--quiet --shards 5)
  "$TXS" split "${a[@]}" --out-dir s1 in.csv in2.csv.gz || return 1
  "$TXS" split "${a[@]}" --out-dir s2 in.csv in2.csv.gz || return 1
  local f ok=0
  for f in s1/*; do
    if [ "${f##*/}" = split.json ]; then
      diff <(grep -v '"command"' "$f") <(grep -v '"command"' "s2/split.json") >/dev/null ||
        { echo "FAIL split: split.json differs between two runs"; ok=1; }
    else
      cmp -s "$f" "s2/${f##*/}" || { echo "FAIL split: ${f##*/} differs between two runs"; ok=1; }
    fi
  done
  # Every record of the input is in at least one shard and at most two;
  # every shard line the index names is a record, and its bytes are the
  # original's (compressed input written plain).
  local body total
  total=$(($(wc -l <in.csv) - 1))
  body=$(cat s1/shard-*.csv | grep -v '^txn_id,' | sort -u | wc -l)
  [ "$body" -eq "$total" ] || { echo "FAIL split: $body distinct records in shards, want $total"; ok=1; }
  for f in s1/shard-*.idx; do
    local k=${f##*/shard-}; k=${k%.idx}
    awk -F'\t' 'NR == FNR { if (FNR > 1) line[$1] = $3; next }
                FNR in line { print line[FNR] "\t" $0 }' "$f" "s1/shard-$k.csv" >map.txt
    [ "$(wc -l <map.txt)" -eq "$(($(wc -l <"s1/shard-$k.csv") - 1))" ] ||
      { echo "FAIL split: shard-$k.idx does not cover shard-$k.csv"; ok=1; }
    awk -F'\t' 'NR == FNR { l[FNR] = $0; next } { if (l[$1] != substr($0, index($0, "\t") + 1)) bad++ }
                END { exit bad > 0 }' in.csv map.txt ||
      { echo "FAIL split: shard-$k records differ from the lines shard-$k.idx names"; ok=1; }
  done
  [ $ok -eq 0 ] && echo "ok   split: deterministic, every record placed, index exact"
  return $ok
}

golden_case() { # NAME N SPLIT_OPTS SCREEN_OPTS INPUT...
  local name=$1; shift
  local d=$work/case-$name-$1
  rm -rf "$d"; mkdir -p "$d"
  cp -r "$SRC/tests/golden/cases/$name"/. "$d"/ 2>/dev/null ||
    cp -r "$SRC/samples"/. "$d"/
  (cd "$d" && { [ ! -f setup.sh ] || bash setup.sh >/dev/null 2>&1; } && roundtrip "$name" "$@")
}

local_mode() {
  split_checks || fail=1
  local n
  for n in 1 3; do
    golden_case sample $n "" "" transactions.csv || fail=1
    golden_case malformed $n "" "--rules default --max-reject-rate 1" input.csv || fail=1
    golden_case formats $n "" "" a.csv b.csv.gz c.csv.zst || fail=1
    golden_case formats $n "" "" a.jsonl || fail=1
    golden_case amlworld $n "--profile amlworld" "--profile amlworld" amlworld-hi-small-patterns.csv || fail=1
    golden_case saml-d $n "--profile saml-d" "--profile saml-d" saml-d-sample-1k.csv || fail=1
    golden_case goodguys-places $n "" "--rules rules.yaml --good-guys good-guys.csv" input.csv || fail=1
    golden_case identifiers $n "" "--rules none" input.csv || fail=1
  done
  mkdir -p "$work/gen" && cd "$work/gen" || return 1
  "$TXS" gen --rows 20000 --seed 7 >in.csv 2>/dev/null
  roundtrip gen-20k 4 "" "" in.csv || fail=1
  roundtrip gen-20k-rules-file 4 "" "--rules $SRC/rules/default.yaml" in.csv || fail=1
}

# ------------------------------------------------------------- slurm mode
slurm_pids=()
stop_slurm() {
  local p
  for p in "${slurm_pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${slurm_pids[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.3; done
    kill -9 "$p" 2>/dev/null
  done
  rm -rf "$work"
}

start_slurm() {
  if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null ||
     ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "SKIP: slurm-wlm and munge are not installed and this is not root"; return $SKIP
    fi
    echo "installing slurm-wlm and munge (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >"$work/apt.log" 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >"$work/apt.log" 2>&1; } ||
      { echo "SKIP: cannot install slurm-wlm and munge:"; tail -3 "$work/apt.log"; return $SKIP; }
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: starting slurmd needs root"; return $SKIP
  fi
  local s=$work/slurm
  mkdir -p "$s"/{ctld,d,log,munge,run}
  chmod 700 "$s/munge"
  dd if=/dev/urandom of="$s/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$s/munge/munge.key"
  munged --key-file="$s/munge/munge.key" --socket="$s/munge/sock" \
    --pid-file="$s/munge/munged.pid" --log-file="$s/log/munged.log" \
    --seed-file="$s/munge/seed" --force 2>"$s/log/munged.err" ||
    { echo "SKIP: munged does not start: $(cat "$s/log/munged.err")"; return $SKIP; }
  slurm_pids+=("$(cat "$s/munge/munged.pid")")
  local host cpus mem port
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  port=$((20000 + RANDOM % 20000))
  cat >"$s/slurm.conf" <<CONF
ClusterName=txscreen-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$s/munge/sock
CredType=cred/munge
StateSaveLocation=$s/ctld
SlurmdSpoolDir=$s/d
SlurmctldPidFile=$s/run/slurmctld.pid
SlurmdPidFile=$s/run/slurmd.pid
SlurmctldLogFile=$s/log/slurmctld.log
SlurmdLogFile=$s/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$s/slurm.conf
  slurmctld -f "$s/slurm.conf" -i 2>"$s/log/slurmctld.err" ||
    { echo "SKIP: slurmctld does not start: $(tail -3 "$s/log/slurmctld.err")"; return $SKIP; }
  for _ in $(seq 50); do [ -s "$s/run/slurmctld.pid" ] && break; sleep 0.2; done
  slurm_pids+=("$(cat "$s/run/slurmctld.pid")")
  slurmd -f "$s/slurm.conf" 2>"$s/log/slurmd.err" ||
    { echo "SKIP: slurmd does not start: $(tail -3 "$s/log/slurmd.err")"; return $SKIP; }
  for _ in $(seq 50); do [ -s "$s/run/slurmd.pid" ] && break; sleep 0.2; done
  slurm_pids+=("$(cat "$s/run/slurmd.pid")")
  local state
  for _ in $(seq 100); do
    state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
    case "$state" in idle*|mix*|alloc*) break ;; esac
    sleep 0.3
  done
  case "$state" in idle*|mix*|alloc*) ;;
    *) echo "FAIL: the Slurm node did not come up (state '$state')"
       tail -5 "$s/log/slurmctld.log" "$s/log/slurmd.log"; return 1 ;;
  esac
  echo "slurm up: $(sinfo -h -o '%P %a %D %T %c')"
}

# The shard runs as a Slurm job array (task N is the graph job), then the
# merge as a job depending on it (afterok), as docs/operations.md shows.
run_shards_slurm() {
  local n=$1 ext=$2 opts=$3; shift 3
  local graph=0
  have_graph_mode && graph=1
  cat >shards.sbatch <<JOB
#!/bin/bash
#SBATCH --job-name=txs-shard
#SBATCH --output=logs/slurm-%A_%a.log
#SBATCH --cpus-per-task=1
set -eu
k=\$SLURM_ARRAY_TASK_ID
if [ "\$k" -eq $n ]; then
  exec "$TXS" screen $opts --shard graph --quiet --out out/alerts-graph.jsonl \\
    --rejects out/rejects-graph.jsonl --manifest out/manifest-graph.json $*
fi
exec "$TXS" screen $opts --shard "\$k/$n" --quiet --out "out/alerts-\$k.jsonl" \\
  --rejects "out/rejects-\$k.jsonl" --manifest "out/manifest-\$k.json" "split/shard-\$k.$ext"
JOB
  local t0=$SECONDS jid
  mkdir -p logs
  jid=$(sbatch --parsable --array=0-$((n - 1 + graph)) shards.sbatch) ||
    { echo "sbatch failed"; return 1; }
  # The merge, as a dependent job; --wait returns its exit code.
  sbatch --parsable --wait --dependency=afterok:"$jid" --job-name=txs-merge \
    --output=logs/slurm-merge.log --wrap "'$TXS' merge --quiet --split split \
      --out slurm-merged.alerts.jsonl --rejects slurm-merged.rejects.jsonl \
      --manifest slurm-merged.manifest.json out/*" >/dev/null ||
    { echo "a shard or the merge job failed:"; tail -n 20 logs/*.log 2>/dev/null; return 1; }
  echo "slurm: $((n + graph)) array tasks done in $((SECONDS - t0)) s"
}

slurm_mode() {
  trap stop_slurm EXIT
  start_slurm
  local rc=$?
  [ $rc -eq 0 ] || return $rc
  mkdir -p "$work/slurm-run" && cd "$work/slurm-run" || return 1
  "$TXS" gen --rows 20000 --seed 7 >in.csv 2>/dev/null || return 1
  run_shards() { run_shards_slurm "$@"; }
  roundtrip slurm-gen-20k 4 "" "" in.csv || return 1
  cmp slurm-merged.alerts.jsonl direct.alerts.jsonl &&
    cmp slurm-merged.rejects.jsonl direct.rejects.jsonl &&
    diff <(strip_manifest slurm-merged.manifest.json) <(strip_manifest direct.manifest.json) ||
    { echo "FAIL: the merge run as a Slurm job differs from the single run"; return 1; }
  echo "ok   merge as a dependent Slurm job (afterok): identical"
}

t0=$SECONDS
case "$MODE" in
  local) local_mode ;;
  slurm) slurm_mode; rc=$?; [ $rc -eq $SKIP ] && exit $SKIP; [ $rc -eq 0 ] || fail=1 ;;
  *) echo "usage: run.sh TXSCREEN SRCROOT local|slurm"; exit 2 ;;
esac
echo "scaleout $MODE: $([ $fail -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - t0)) s"
exit $fail
