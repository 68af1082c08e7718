cp "$TXS_SRC/tests/fixtures/aml/saml-d-sample-1k.csv" .
