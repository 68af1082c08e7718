head -4 "$TXS_SRC/samples/transactions.csv" > t.csv
printf 'BAD,2026-03-01T00:00:00Z,12x,USD,wire,A,Alice,US,,x,B,Bob,GB,,y,z\n' >> t.csv
