cp -r "$TXS_SRC/tests/fixtures/payments/invalid/phoughton-cbpr" invalid
cp -r "$TXS_SRC/tests/fixtures/payments/xsd" xsd
