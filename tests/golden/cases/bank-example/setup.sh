cp "$TXS_SRC/samples/bank-example/export.csv" "$TXS_SRC/samples/bank-example/profile.yaml" .
