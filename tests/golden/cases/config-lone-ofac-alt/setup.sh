printf "36,12,\"aka\",\"AEROCARIBE\",-0- \r\n" > alt.csv
