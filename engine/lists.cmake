# The bundled default sanctions snapshot (issue 3): OFAC SDN (2021-07-07
# legacy CSV trio) + UN consolidated list (2026-02-27), compiled from the
# copies in samples/lists by the txscreen binary itself, into
# <build>/default-lists.snap.  `txscreen screen` picks it up when no --lists
# is given (engine/src/screen.c, via cmd_screen.c).  The legacy CSV states no
# date: --date gives it the day the copy was taken (samples/lists/README.md),
# which its hits cite.
set(TXS_DEFAULT_LISTS_SRC
  ${PROJECT_SOURCE_DIR}/samples/lists/ofac-sdn-2021-07-07
  ${PROJECT_SOURCE_DIR}/samples/lists/un-consolidated-2026-02-27.xml)
file(GLOB TXS_DEFAULT_LISTS_DEPS
  ${PROJECT_SOURCE_DIR}/samples/lists/ofac-sdn-2021-07-07/*.csv
  ${PROJECT_SOURCE_DIR}/samples/lists/un-consolidated-2026-02-27.xml)
set(TXS_DEFAULT_LISTS ${PROJECT_BINARY_DIR}/default-lists.snap)
add_custom_command(
  OUTPUT ${TXS_DEFAULT_LISTS}
  COMMAND $<TARGET_FILE:txscreen_cli> lists compile --date OFAC-SDN=2021-07-07
          ${TXS_DEFAULT_LISTS_SRC}
          -o ${TXS_DEFAULT_LISTS}
  DEPENDS txscreen_cli ${TXS_DEFAULT_LISTS_DEPS}
  COMMENT "Compiling the default sanctions snapshot (OFAC SDN 2021-07-07 + UN 2026-02-27)")
add_custom_target(txs_default_lists ALL DEPENDS ${TXS_DEFAULT_LISTS})
