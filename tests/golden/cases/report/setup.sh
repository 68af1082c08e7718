# The sample run's outputs, its manifest's run-dependent lines (command,
# timing) set to fixed values so the page is the same bytes every time, and
# a previous run's manifest (the same run with other figures) for the
# difference section.
# The input is copied here and named relatively: the alerts carry its path,
# and their bytes and hash are on the page, so no checkout's path may show.
cp "$TXS_SRC/samples/transactions.csv" transactions.csv || exit 1
"$TXS_BIN" screen -q --out alerts.jsonl --rejects rejects.jsonl --cases cases.jsonl \
  --manifest run.json transactions.csv || exit 1
sed -e 's|"command": .*|"command": "txscreen screen (the sample run)",|' \
    -e 's|"threads": .*|"threads": 2,|' \
    -e 's|"started_utc": .*|"started_utc": "2026-03-02T06:00:00Z",|' \
    -e 's|"wall_seconds": .*|"wall_seconds": 1.5,|' \
    -e 's|"records_per_second": .*|"records_per_second": 2000,|' \
    -e 's|"mb_per_second": .*|"mb_per_second": 0.4|' \
    run.json >manifest.json && rm run.json
sed -e 's|"alerts": 34,|"alerts": 30,|' -e 's|"fan_out_8h": 6,|"fan_out_8h": 2,|' \
    -e 's|"started_utc": .*|"started_utc": "2026-03-01T06:00:00Z",|' manifest.json >previous.json
