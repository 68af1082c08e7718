cp -r "$TXS_SRC/tests/fixtures/payments/mx" .
