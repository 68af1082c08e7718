cp -r "$TXS_SRC/tests/fixtures/payments/invalid/phoughton-cbpr" invalid
