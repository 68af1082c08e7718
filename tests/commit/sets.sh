# sets.sh: sourced by tests/commit/run.sh and tests/alloc/run.sh.  An
# output "set" is the files a screen run publishes ($files); a test saves
# the set of a run under a folder name and later checks that the files in
# the working folder are that set, byte for byte (the manifest's clock
# fields aside), with no temporary or commit record left behind.
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
# The manifest's clock fields differ between runs of the same set.
norm() { grep -v -e '"started_utc"' -e '"wall_seconds"' -e '"records_per_second"' \
           -e '"mb_per_second"' "$1"; }
save() { mkdir -p "$1"; for f in $files; do cp "$f" "$1/"; done; }
restore() { rm -f $files .*.tmp.* .*.commit; for f in $files; do cp "$1/$f" .; done; }
same() { # same SET: the outputs here are SET's, byte for byte
    for f in $files; do
        if [ "$f" = m.json ]; then cmp -s <(norm m.json) <(norm "$1/m.json") || return 1
        else cmp -s "$f" "$1/$f" || return 1; fi
    done
}
clean() { ! ls -a | grep -q -e '\.tmp\.' -e '\.commit$'; }
