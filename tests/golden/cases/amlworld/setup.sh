cp "$TXS_SRC/tests/fixtures/aml/amlworld-hi-small-patterns.csv" .
