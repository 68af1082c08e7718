#!/usr/bin/env bash
# `txscreen lists update` against a real HTTP server on 127.0.0.1
# (server.py, a free port) serving real list files: a first install, a
# 304 Not Modified run, a good update that swaps the snapshot and writes
# the diff, then one run per scripted fault (404, 500, truncated body,
# stalled connection, wrong content type, a file of another format, a
# list with 60% of its entries missing) and a bad sources file.  Every
# fault must exit non-zero with its reason and leave the snapshot
# directory byte for byte as it was (SHA-256 of every file in it).
#
# The sources: OFAC's consolidated list in the Sanctions List Service XML
# (tests/fixtures/lists) and the first 100 rows of the 2021 OFAC sdn.csv
# (samples/lists; the legacy CSV states no date, so its date comes from
# the server's Last-Modified); the UN consolidated list (samples/lists) is
# served as the file of another format.  Small lists keep the compiles,
# and the test, short under the sanitizers too.  The first version
# of the OFAC list is the real file less its last 40 entries, its
# Record_Count set to match; the 60%-missing one keeps the first 177 of
# its 443.
#
# usage: run.sh TXSCREEN SRCROOT
set -u
bin=$1 root=$2
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail=0 pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

www=$work/www
mkdir -p "$www"
sls=$root/tests/fixtures/lists/ofac-sls-consolidated-2025-03-28.xml
# keep N of the file's sdnEntry elements (the first N), Record_Count = N
cut_sls() {
  python3 - "$sls" "$1" "$2" <<'EOF'
import re, sys
src, keep, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(src, encoding="utf-8").read()
entries = list(re.finditer(r"<sdnEntry>.*?</sdnEntry>\s*", text, re.S))
drop = "".join(m.group(0) for m in entries[keep:])
body = text[:entries[keep].start()] + text[entries[-1].end():] if keep < len(entries) else text
body = re.sub(r"<Record_Count>\d+</Record_Count>", "<Record_Count>%d</Record_Count>" % keep, body)
open(out, "w", encoding="utf-8").write(body)
EOF
}
cut_sls 403 "$www/ofac-sls.xml"
cut_sls 177 "$www/ofac-sls-40pct.xml"
cp "$root/samples/lists/un-consolidated-2026-02-27.xml" "$www/un.xml"
head -n 100 "$root/samples/lists/ofac-sdn-2021-07-07/sdn.csv" >"$www/sdn.csv"
touch -d '2021-07-07 12:00:00 UTC' "$www/sdn.csv"

python3 "$root/tests/lists_update/server.py" "$www" >"$work/port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -n 1 "$work/port")
[ -n "$port" ] || { echo "FAIL server did not start"; cat "$work/server.log"; exit 1; }
base=http://127.0.0.1:$port

# sources.yaml with the OFAC list at route $1 (f/ofac-sls.xml when fine)
sources() {
  cat >"$work/sources.yaml" <<EOF
dir: snap
keep: 1
connect_timeout: 2
stall_seconds: 1
max_seconds: 20
retries: 1
backoff: 0.05
sources:
  - name: ofac-sls
    format: ofac-sls-xml
    url: $base/$1
  - name: ofac-sdn
    format: ofac-csv
    url: $base/f/sdn.csv
EOF
}
update() {
  local t0=$(date +%s.%N)
  "$bin" lists update "$work/sources.yaml" >"$work/out" 2>"$work/err"; echo $? >"$work/rc"
  [ -n "${TXS_TIMING:-}" ] && echo "  update took $(echo "$(date +%s.%N) - $t0" | bc) s" >&2
}
fingerprint() { (cd "$work/snap" && find . -type f ! -path './.staging/*' | sort | xargs sha256sum); }

# 1. first install: no snapshot yet
sources f/ofac-sls.xml
update
if [ "$(cat "$work/rc")" = 0 ] && grep -q "^installed .*/snap/lists.snap$" "$work/out" &&
   grep -Eq "^ofac-sls .*fetched +403 entities  date 2025-03-28 \(file\)" "$work/out" &&
   grep -Eq "^ofac-sdn .*fetched +100 entities  date 2021-07-07 \(last-modified\)" "$work/out" &&
   "$bin" lists info "$work/snap/lists.snap" | grep -q "sdn.csv  ofac-csv OFAC-SDN  date 2021-07-07 (" &&
   [ -f "$work/snap/history/lists-000001.snap" ] &&
   cmp -s "$work/snap/lists.snap" "$work/snap/history/lists-000001.snap"; then
  ok first-install
else bad first-install; cat "$work/out" "$work/err"; fi

# 2. nothing changed: two 304s, nothing written
before=$(fingerprint)
update
if [ "$(cat "$work/rc")" = 0 ] && [ "$(grep -c "not modified" "$work/out")" = 2 ] &&
   grep -q "^up to date" "$work/out" && [ "$(fingerprint)" = "$before" ] &&
   [ "$(grep -c '" 304 ' "$work/server.log")" = 2 ]; then
  ok not-modified-304
else bad not-modified-304; cat "$work/out" "$work/err"; fi

# 3. a good update: the real file (40 entries more) swaps in, the diff is written
cp "$sls" "$www/ofac-sls.xml"
old=$(sha256sum <"$work/snap/lists.snap")
update
if [ "$(cat "$work/rc")" = 0 ] &&
   grep -Eq "^ofac-sls .*fetched +443 entities \(was 403\)" "$work/out" &&
   grep -q "40 added, 0 removed, 0 changed; diff .*/snap/history/lists-000002.diff$" "$work/out" &&
   grep -q "^summary: 40 added, 0 removed, 0 changed, 503 unchanged$" "$work/snap/history/lists-000002.diff" &&
   [ "$(grep -c '^added ' "$work/snap/history/lists-000002.diff")" = 40 ] &&
   [ "$(sha256sum <"$work/snap/lists.snap")" != "$old" ] &&
   cmp -s "$work/snap/lists.snap" "$work/snap/history/lists-000002.snap" &&
   [ ! -e "$work/snap/history/lists-000001.snap" ] &&
   cmp -s "$sls" "$work/snap/sources/ofac-sls/ofac-sls.xml"; then
  ok good-update
else bad good-update; cat "$work/out" "$work/err"; ls -R "$work/snap"; fi

# 4. faults: exit 4, the reason, the directory as it was
fault() { # NAME ROUTE REASON
  sources "$2"
  local before
  before=$(fingerprint)
  update
  if [ "$(cat "$work/rc")" = 4 ] && grep -q -- "$3" "$work/err" &&
     grep -q "nothing installed" "$work/err" && [ "$(fingerprint)" = "$before" ] &&
     [ ! -e "$work/snap/.staging" ]; then
    ok "fault-$1"
  else bad "fault-$1"; echo "exit $(cat "$work/rc")"; cat "$work/err"; fi
}
fault 404 404/ofac-sls.xml "GET $base/404/ofac-sls.xml: HTTP status 404 after 1 attempt$"
fault 500 500/ofac-sls.xml "HTTP status 500 after 2 attempts$"
fault truncated truncated/ofac-sls.xml "truncated body"
fault stalled stall/ofac-sls.xml "timed out"
fault content-type html/ofac-sls.xml "content type 'text/html; charset=utf-8' is not one of"
fault other-format f/un.xml "the file is un-xml, not the ofac-sls-xml declared: refused"
fault shrunk-60pct f/ofac-sls-40pct.xml "177 entities, 60% fewer than the 443 of the snapshot in force (max_shrink 0.2): refused"

# 5. a bad sources file: exit 3 with file:line, nothing touched
sources f/ofac-sls.xml
printf '    colour: blue\n' >>"$work/sources.yaml"
before=$(fingerprint)
update
if [ "$(cat "$work/rc")" = 3 ] && grep -q "sources.yaml:15: unknown key 'colour' in source" "$work/err" &&
   [ "$(fingerprint)" = "$before" ]; then
  ok bad-sources-file
else bad bad-sources-file; cat "$work/err"; fi

# 6. a source dropped from the sources file: every file is 304, yet the
# snapshot must be rebuilt without it
sources f/ofac-sls.xml
head -n 11 "$work/sources.yaml" >"$work/one.yaml" && mv "$work/one.yaml" "$work/sources.yaml"
update
if [ "$(cat "$work/rc")" = 0 ] && grep -q "^ofac-sls *not modified" "$work/out" &&
   grep -q "0 added, 100 removed, 0 changed" "$work/out" &&
   ! "$bin" lists info "$work/snap/lists.snap" | grep -q "sdn.csv"; then
  ok dropped-source
else bad dropped-source; cat "$work/sources.yaml" "$work/out" "$work/err"; fi

# 7. libcurl is loaded by `lists update`, not linked: no other command
# pays for loading it and its dependencies.  One that cannot be loaded
# stops the update with the reason, before any request, nothing touched.
if objdump -p "$bin" | awk '$1 == "NEEDED"' | grep -q libcurl; then
  bad libcurl-not-linked; objdump -p "$bin" | grep NEEDED
else ok libcurl-not-linked; fi
sources f/ofac-sls.xml
before=$(fingerprint) requests=$(wc -l <"$work/server.log")
TXS_LIBCURL=$work/no-such-libcurl.so.4 update
if [ "$(cat "$work/rc")" != 0 ] && grep -q "sources.yaml: cannot load libcurl (.*no-such-libcurl.so.4.*); downloading lists needs it: apt-get install libcurl4" "$work/err" &&
   [ "$(fingerprint)" = "$before" ] && [ "$(wc -l <"$work/server.log")" = "$requests" ]; then
  ok libcurl-missing
else bad libcurl-missing; cat "$work/out" "$work/err"; fi
if "$bin" --version | grep -q "libcurl    built with .*, running with [0-9]" &&
   TXS_LIBCURL=$work/no-such-libcurl.so.4 "$bin" --version | grep -q "libcurl .*running with not loadable"; then
  ok version-libcurl
else bad version-libcurl; "$bin" --version; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
