cp "$TXS_SRC/samples/transactions.csv" .
printf "{\"case_id\":\"T-5619dfac4ab5aa0a\"}\n{\"txn_id\":\"T1\"}\n" > yesterday.jsonl
