cp -r "$TXS_SRC/tests/fixtures/payments/mt" .
