mkdir -p xsd
printf '<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n  <xs:element name="Document" type="NoSuchType"/>\n</xs:schema>\n' > xsd/broken.xsd
cp "$TXS_SRC/tests/fixtures/payments/invalid/phoughton-cbpr/test_files_2025__cbprplus_pacs008_sample_xsd_issue.xml" m.xml
