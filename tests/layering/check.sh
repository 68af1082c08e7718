#!/usr/bin/env bash
# Layering check (issue 13): every `#include "..."` line under engine/ against
# the documented layering (docs/architecture.md "Layering").  Three rules:
#   1. order: a file may include its own folder and folders of a lower rank
#      only (the FLOORS table below is the table in docs/architecture.md);
#   2. private: a header outside engine/include/ is private to its folder;
#      engine/src/*_int.h (top level) is private to the engine (any
#      engine/src folder, within rule 1), never to the CLI or public headers;
#   3. naming: a private header under engine/src/<folder>/ ends in _int.h.
# An include that resolves outside engine/ (bench/gen/gen.h) is not judged.
#
# usage: check.sh [ROOT]     (ROOT: the source tree, default: this checkout)
# Prints every violation as FILE: INCLUDE: reason and exits 1 if any is not
# in EXCEPTIONS; an exception that no longer occurs is reported as stale (not
# an error) so that the lead can delete it.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2

# Folder ranks: a file may include a folder of lower rank.  Floors are the
# tens (layering.md); within a floor the order is the one the code has.
declare -A RANK=(
  [base]=0
  [emit]=10
  [values]=20 [input]=21 [yaml]=22 [parse]=23 [json]=24 [payments]=25
  [norm]=30 [match]=31
  [hs]=40
  [lists]=50
  [rules]=60 [cases]=61 [screen]=62
  [pipeline]=70
  [scaleout]=80 [eval]=81 [report]=82
  [cli]=90
)

# Public headers (engine/include/txs/NAME.h): the folder whose API each is.
declare -A PUBLIC=(
  [base]=base [arena]=base [bigmem]=base [limits]=base
  [version]=pipeline   # reports every library the engine links, so it sits on top
  [emit]=emit
  [values]=values [txn]=values [regex]=values [input]=input [parse]=parse [walk]=parse [json_read]=json
  [payments]=payments
  [norm]=norm [match]=match
  [hs_db]=hs [hs]=hs [hs_engine]=hs [patset]=hs
  [lists]=lists [lists_names]=lists [lists_update]=lists [lists_subset]=lists
  [rules]=rules [state]=rules [shard]=rules
  [sanctions]=screen [cases]=cases
  [screen]=pipeline [pipeline]=pipeline [lookback]=pipeline
  [scaleout]=scaleout [eval]=eval [report]=report
)

# Files at the top of engine/src: the folder each belongs to.
declare -A TOP=(
  [arena.c]=base [base.c]=base [bigmem.c]=base [builtin_int.h]=base
  [version.c]=pipeline
  [yaml.c]=yaml [yaml_int.h]=yaml
  [txn.c]=values
  [shard.c]=rules
)

# Known violations that other work in flight removes (issue 13).  One per
# line: "FILE INCLUDE" (rules 1, 2) or "FILE -" (rule 3), then # who fixes
# it.  TEMPORARY: delete a line when its fix lands (the check says which).
EXCEPTIONS=$(cat <<'END'
END
)

# folder_of PATH: sets FOLDER to the folder a file under engine/ belongs to
# ("" if unknown).  (Globals, not $(...): this runs once per include.)
folder_of() {
  local p=$1 rest
  FOLDER=
  case $p in
    engine/include/txs/*.h) rest=${p#engine/include/txs/}; FOLDER=${PUBLIC[${rest%.h}]:-} ;;
    engine/cli/*) FOLDER=cli ;;
    engine/src/*/*) rest=${p#engine/src/}; FOLDER=${rest%%/*} ;;
    engine/src/*) FOLDER=${TOP[${p#engine/src/}]:-} ;;
  esac
}

# resolve FILE INCLUDE: sets TARGET to the included file's path, as the
# compiler finds it (the file's own directory, then engine/src, then
# engine/include), or "" when it is outside engine/.
resolve() {
  local c
  TARGET=
  for c in "${1%/*}/$2" "engine/src/$2" "engine/include/$2"; do
    if [ -f "$c" ]; then
      case $c in *..*) c=$(realpath -m --relative-to=. "$c") ;; esac
      TARGET=$c
      return
    fi
  done
}

violations=()
add() { violations+=("$1 $2|$3"); }

while IFS= read -r f; do
  folder_of "$f"
  from=$FOLDER
  if [ -z "$from" ] || [ -z "${RANK[$from]:-}" ]; then
    add "$f" - "no folder for this file: add it to the tables in tests/layering/check.sh"
    continue
  fi
  case $f in
    engine/src/*/*.h)
      case $f in *_int.h) ;; *) add "$f" - "private header without the _int.h name" ;; esac ;;
  esac
  while IFS= read -r inc; do
    resolve "$f" "$inc"
    target=$TARGET
    case $target in engine/*) ;; *) continue ;; esac
    folder_of "$target"
    to=$FOLDER
    if [ -z "$to" ] || [ -z "${RANK[$to]:-}" ]; then
      add "$f" "$inc" "no folder for $target: add it to the tables"
      continue
    fi
    if [ "$to" != "$from" ] && [ "${RANK[$to]}" -gt "${RANK[$from]}" ]; then
      add "$f" "$inc" "$from includes $to, a folder above it"
    fi
    case $target in
      engine/include/*) ;;
      engine/src/*/*)
        [ "$to" = "$from" ] || add "$f" "$inc" "private header of $to/" ;;
      engine/src/*)
        case $f in engine/src/*) ;; *) add "$f" "$inc" "private to engine/src" ;; esac ;;
      engine/cli/*)
        [ "$from" = cli ] || add "$f" "$inc" "private header of cli/" ;;
    esac
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done < <(find engine -name '*.[ch]' -not -path 'engine/profiles/*' | LC_ALL=C sort)

declare -A EXC=() SEEN=()
while IFS= read -r line; do
  line=${line%%#*}
  read -r a b <<<"$line"
  [ -n "${a:-}" ] && EXC["$a $b"]=1
done <<<"$EXCEPTIONS"

fail=0
for v in "${violations[@]}"; do
  key=${v%%|*} why=${v#*|}
  if [ -n "${EXC[$key]:-}" ]; then
    SEEN[$key]=1
    echo "excepted  ${key% *}: ${key#* }: $why"
  else
    echo "VIOLATION ${key% *}: ${key#* }: $why"
    fail=1
  fi
done
for k in "${!EXC[@]}"; do
  [ -n "${SEEN[$k]:-}" ] || echo "stale exception (fixed; delete it): $k"
done | LC_ALL=C sort
if [ $fail -ne 0 ]; then
  echo "layering: violations above (docs/architecture.md, Layering)"
  exit 1
fi
echo "layering: ok (${#SEEN[@]} known exceptions left)"
