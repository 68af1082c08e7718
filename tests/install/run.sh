#!/usr/bin/env bash
# Install (issue 16 item 6): `cmake --install` into a scratch prefix, and
# the Debian package from `cpack -G DEB`, installed (as root: dpkg -i, and
# removed again at the end; otherwise extracted with dpkg-deb -x into a
# scratch root).  Each installed binary runs the sample job (samples/
# transactions with the default rules and the bundled lists, which it
# finds in ../share/txscreen/) and its outputs must equal the build tree
# binary's.  Also: the package's Depends names the package of every
# library the binary links; the man page and the bash completion are
# installed and work; a binary alone, with no snapshot near it, says where
# it looked.
#
# usage: run.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
bin=$build/txscreen
work=$(mktemp -d)
installed=0
cleanup() {
  if [ $installed -eq 1 ]; then dpkg -r txscreen >/dev/null 2>&1 || echo "FAIL: dpkg -r txscreen"; fi
  rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
check() { # name, then a command that succeeds when the check holds
  local name=$1; shift
  if "$@"; then echo "ok   $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}

# The sample job in folder $2 with binary $1; same relative output paths
# everywhere, so the manifests name the same files.
sample() {
  mkdir -p "$2" && (cd "$2" && "$1" screen -q --out alerts.jsonl --rejects rejects.jsonl \
    --manifest manifest.json "$src/samples/transactions.csv")
}
same() {
  cmp -s "$1/alerts.jsonl" "$2/alerts.jsonl" && cmp -s "$1/rejects.jsonl" "$2/rejects.jsonl" &&
    cmp -s <(grep -v -e started -e wall -e per_second "$1/manifest.json") \
           <(grep -v -e started -e wall -e per_second "$2/manifest.json")
}
sample "$bin" "$work/ref"
check "build tree: the sample job" test -s "$work/ref/alerts.jsonl"

# 1. cmake --install into a prefix of its own.
cmake --install "$build" --prefix "$work/pfx" >/dev/null
check "cmake --install: binary, snapshot, rules, profiles, man page, completion" \
  test -x "$work/pfx/bin/txscreen" -a -s "$work/pfx/share/txscreen/default-lists.snap" \
       -a -s "$work/pfx/share/txscreen/rules/default.yaml" \
       -a -s "$work/pfx/share/txscreen/profiles/native.yaml" \
       -a -s "$work/pfx/share/man/man1/txscreen.1" \
       -a -s "$work/pfx/share/bash-completion/completions/txscreen"
sample "$work/pfx/bin/txscreen" "$work/pfx-run"
check "cmake --install: the sample job, same outputs as the build tree" same "$work/ref" "$work/pfx-run"
check "installed rule set: the same bytes as the built-in" \
  cmp -s "$work/pfx/share/txscreen/rules/default.yaml" "$src/rules/default.yaml"

# 2. A binary alone: exit 3, and the message names both places it looked.
mkdir -p "$work/alone" && cp "$bin" "$work/alone/"
"$work/alone/txscreen" screen --out /dev/null "$src/samples/transactions.csv" 2>"$work/alone.err"
rc=$?
check "binary alone: exit 3, both places named" \
  eval "[ $rc -eq 3 ] && grep -q 'share/txscreen/default-lists.snap' '$work/alone.err'"

# 3. The man page renders; the completion completes commands and flags.
if command -v man >/dev/null; then
  check "man page renders with every command" \
    eval "man -l '$work/pfx/share/man/man1/txscreen.1' 2>/dev/null | grep -q 'txscreen recover'"
fi
complete_words() { # the completions for the words given
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _txscreen; echo "${COMPREPLY[*]}"' \
    _ "$work/pfx/share/bash-completion/completions/txscreen" "$@"
}
check "completion: commands" test "$(complete_words txscreen sc)" = "screen score"
check "completion: screen's flags" test "$(complete_words txscreen screen --pro)" = "--profile --progress"
check "completion: a flag's values" test "$(complete_words txscreen screen --fail-on b)" = "block"
missing=""
for f in $("$bin" screen --help | grep -o -E '^  (-[a-z], )?--[a-z-]+' | grep -o -E -- '--[a-z-]+'); do
  case " $(complete_words txscreen screen --) " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
check "completion: every flag of screen --help [$missing]" test -z "$missing"

# 4. The Debian package.
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >cpack.log 2>&1)
deb=$(ls "$work"/pkg/txscreen_*.deb 2>/dev/null | head -n 1)
check "cpack -G DEB: a package" test -n "$deb"
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "$pass passed, $fail failed"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
nodep=""
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}'); do
  path=$(ldd "$bin" | awk -v l="$lib" '$1 == l {print $3}')
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1)
  [ -z "$pkg" ] && pkg=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1)
  case ", $depends" in *", $pkg "* | *", $pkg,"* | *", $pkg") ;; *) nodep="$nodep $lib($pkg)" ;; esac
done
check "package Depends names every linked library's package [$nodep]" test -z "$nodep"
# libcurl is loaded, not linked (lists update): the package names it itself.
check "package Depends names libcurl4, which lists update loads [$depends]" \
  grep -q "libcurl4 (>= 7.85.0)" <<<"$depends"

root=""
if [ "$(id -u)" -eq 0 ] && ! dpkg -s txscreen >/dev/null 2>&1; then
  # dpkg takes a lock; another apt or dpkg on the machine may hold it.
  for _ in $(seq 1 30); do
    if dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then installed=1; break; fi
    grep -q -i lock "$work/dpkg.log" || break
    sleep 1
  done
  check "dpkg -i: installed" test $installed -eq 1
  [ $installed -eq 1 ] || cat "$work/dpkg.log"
  root=/
else
  echo "note: not root (or txscreen already installed): extracting with dpkg-deb -x"
  dpkg-deb -x "$deb" "$work/root"
  root=$work/root/
fi
pbin=${root}usr/bin/txscreen
check "package: /usr/bin/txscreen, the snapshot in /usr/share/txscreen, the man page" \
  test -x "$pbin" -a -s "${root}usr/share/txscreen/default-lists.snap" \
       -a -s "${root}usr/share/man/man1/txscreen.1"
sample "$pbin" "$work/deb-run"
check "package: the sample job, same outputs as the build tree" same "$work/ref" "$work/deb-run"
if [ $installed -eq 1 ]; then
  dpkg -r txscreen >/dev/null 2>&1 && installed=0
  check "dpkg -r: removed, nothing left" \
    eval "! dpkg -s txscreen >/dev/null 2>&1 && [ ! -e /usr/bin/txscreen ] && [ ! -e /usr/share/txscreen ]"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
