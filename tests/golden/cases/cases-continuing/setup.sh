cp "$TXS_SRC/samples/transactions.csv" .
# yesterday: the first three cases of the sample night
head -n 3 "$TXS_SRC/tests/golden/cases/cases/expected/cases.jsonl" > yesterday.jsonl
