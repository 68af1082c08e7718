cp "$TXS_SRC/samples/transactions.csv" .
