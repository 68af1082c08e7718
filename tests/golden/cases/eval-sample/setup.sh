cp "$TXS_SRC/samples/transactions.csv" "$TXS_SRC/samples/labels.csv" .
