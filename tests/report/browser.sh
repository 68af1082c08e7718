#!/usr/bin/env bash
# The run report in a real browser (issue 16 item 3, docs/report.md):
# headless Chromium (Debian's chromium; tests/run.sh installs it through
# .ci/deps.sh txs_test_deps) opens
#   1. the sample run's report (screen --report): no console message, the
#      figures shown equal the manifest's (check_dom.py), the script ran;
#      a screenshot is saved as BUILD/report-sample.png;
#   2. the same page with a deliberate script error: the check must catch
#      it (so a broken page cannot pass);
#   3. a report made by `txscreen report` from files whose every string is
#      hostile markup (tests/report/hostile/): no console message (an
#      injected <img> would be refused by the page's CSP, which logs), no
#      <img> element, the markup shown as text.
# A console message of any level fails: the page logs nothing.
# usage: browser.sh TXSCREEN SRCROOT BUILDDIR
set -u
bin=$1 root=$2 build=$3
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  echo "FAIL no chromium: run tests/run.sh (or: . .ci/deps.sh && txs_test_deps)"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
no() { echo "FAIL $*"; fail=1; }

# Chromium, headless, each call with its own profile (they run side by
# side: startup is most of the time), nothing it would fetch or sync.
run_chrome() {
  local prof; prof=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$prof" --disable-extensions --disable-background-networking \
    --disable-component-update --disable-sync --no-default-browser-check "$@"
}
# Open a page; its DOM after the scripts ran into $2, Chromium's log into $3.
open_page() {
  run_chrome --enable-logging=stderr --v=0 --dump-dom "file://$1" >"$2" 2>"$3"
}
console() { grep -E ':CONSOLE[:(]' "$1"; }

# 1. the sample run
(cd "$work" && "$bin" screen -q --out alerts.jsonl --rejects rejects.jsonl \
   --cases cases.jsonl --manifest manifest.json --report report.html \
   "$root/samples/transactions.csv") || no "screen --report failed"
sed 's|</body>|<script>noSuchFunction();</script></body>|' "$work/report.html" >"$work/broken.html"
h="$root/tests/report/hostile"
"$bin" report -q --cases "$h/cases.jsonl" --alerts "$h/alerts.jsonl" --rejects "$h/rejects.jsonl" \
  --previous "$h/manifest.json" -o "$work/hostile.html" "$h/manifest.json" || no "report failed"
open_page "$work/report.html" "$work/dom.html" "$work/log.txt" &
open_page "$work/broken.html" "$work/dom2.html" "$work/log2.txt" &
open_page "$work/hostile.html" "$work/dom3.html" "$work/log3.txt" &
run_chrome --hide-scrollbars --window-size=1280,1600 --screenshot="$build/report-sample.png" \
  "file://$work/report.html" >/dev/null 2>&1 &
wait
[ -s "$work/dom.html" ] || no "sample: chromium dumped no DOM ($(tail -n 3 "$work/log.txt"))"
if console "$work/log.txt"; then no "sample: console messages (above)"; fi
python3 "$root/tests/report/check_dom.py" "$work/dom.html" "$work/manifest.json" \
  "$work/cases.jsonl" || no "sample: figures differ from the manifest"
# the comparison itself can fail: a manifest off by one is caught
sed 's/"alerts": \([0-9]*\),/"alerts": 1\1,/' "$work/manifest.json" >"$work/off.json"
if python3 "$root/tests/report/check_dom.py" "$work/dom.html" "$work/off.json" \
     "$work/cases.jsonl" >/dev/null; then no "check_dom.py passed a wrong manifest"; fi
[ -s "$build/report-sample.png" ] || no "no screenshot at $build/report-sample.png"

# 2. a deliberate error must be caught
console "$work/log2.txt" >/dev/null || no "a deliberate script error was not seen in the console log"

# 3. hostile strings stay text
if console "$work/log3.txt"; then no "hostile: console messages (above)"; fi
python3 "$root/tests/report/check_dom.py" "$work/dom3.html" "$h/manifest.json" "$h/cases.jsonl" \
  || no "hostile: figures or markup"
grep -q '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' "$work/dom3.html" \
  || no "hostile: the markup is not shown as text"

[ $fail -eq 0 ] && echo "report browser test: ok (screenshot $build/report-sample.png)"
exit $fail
