# Builds input.csv: a native export with one of each malformed record the
# issue names, between good records, with a BOM, CRLF line ends and no
# trailing newline.  Every record must be accounted for: read = screened +
# rejected, and the good records after each bad one must still be screened.
H='txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose'
ok() { printf 'OK%s,2026-03-01T10:00:%02dZ,150.00,USD,wire,A1,Alice Smith,US,BOFAUS3NXXX,"1 Main St, Springfield",B1,Bob Jones,GB,BARCGB22XXX,10 High St,invoice %s\r\n' "$1" "$1" "$1"; }
{
  printf '\xef\xbb\xbf%s\r\n' "$H"
  ok 01
  printf 'BAD-QUOTE,2026-03-01T10:01:00Z,10.00,USD,wire,A1,"Alice Smith,US,BOFAUS3NXXX,x,B1,Bob,GB,BARCGB22XXX,y,z\r\n'
  ok 02
  printf 'BAD-COLUMNS,2026-03-01T10:02:00Z,10.00,USD,wire,A1,Alice\r\n'
  ok 03
  printf 'BAD-AMOUNT,2026-03-01T10:03:00Z,12;3x,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-DATE,2026-02-30T10:04:00Z,10.00,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-CURRENCY,2026-03-01T10:05:00Z,10.00,ZZZ,wire,A1,Alice,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-UTF8,2026-03-01T10:06:00Z,10.00,USD,wire,A1,Al\xc3\x28ce,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-NUL,2026-03-01T10:07:00Z,10.00,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,z\x00z\r\n'
  printf 'BAD-COUNTRY,2026-03-01T10:08:00Z,10.00,USD,wire,A1,Alice,Atlantis,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-CHANNEL,2026-03-01T10:09:00Z,10.00,USD,teleport,A1,Alice,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BAD-DECIMALS,2026-03-01T10:10:00Z,10.001,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,z\r\n'
  printf 'BIG-FIELD,2026-03-01T10:11:00Z,10.00,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,'
  head -c 1048576 /dev/zero | tr '\0' 'x'
  printf '\r\n'
  ok 04
  printf 'EMBEDDED,2026-03-01T10:12:00Z,20000.00,USD,cash,,,,,,B9,"Carol ""CJ"" King",US,CHASUS33,"line one\r\nline two",deposit\r\n'
  printf 'QUOTE-AT-END,2026-03-01T10:13:00Z,10.00,USD,wire,A1,Alice,US,,x,B1,Bob,GB,,y,"never closed\r\n'
  ok 05
  printf 'LAST,2026-03-01T10:14:00+02:00,10000.00,EUR,cash,A7,Dan Brown,DE,DEUTDEFFXXX,,B7,Eve,IR,,,no newline at end'
} > input.csv
