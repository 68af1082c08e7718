cp -r "$TXS_SRC/tests/fixtures/payments/xsd" xsd
cp "$TXS_SRC/tests/fixtures/payments/invalid/phoughton-cbpr/test_files_2025__cbprplus_pacs008_sample_xsd_issue.xml" .
cp "$TXS_SRC/tests/fixtures/payments/invalid/phoughton-cbpr/test_files_2025__cbprplus_pacs008_sample_tag_mismatch_issue.xml" .
