# RJE: three MT messages of the dev set joined by '$'; compressed copies.
m="$TXS_SRC/tests/fixtures/payments/mt/ballerina-mt2mx"
for f in c_53_5__finMessage_535_A_B.fin p_2_3_1_b__finMessage_p_2_3_1_b_A_B.fin pn_01_1_1__finMessage_00111_mt101_A_B.fin; do
  cat "$m/$f"; printf '$'
done > in/rje.fin
gzip -n -c in/multi.xml > in/multi2.xml.gz
zstd -q -c in/rje.fin > in/rje2.fin.zst
