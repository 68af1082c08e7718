cp input.csv copy.csv
