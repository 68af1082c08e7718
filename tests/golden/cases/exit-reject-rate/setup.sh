# The malformed case's input: 12 of its 19 records are rejected (63%).
bash "$TXS_SRC/tests/golden/cases/malformed/setup.sh"
