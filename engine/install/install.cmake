# engine/install/install.cmake: `cmake --install` and the Debian package (cpack -G
# DEB).  Included last from the top-level CMakeLists.txt.
#
#   PREFIX/bin/txscreen
#   PREFIX/share/txscreen/default-lists.snap   found by the binary as
#                                              ../share/txscreen/ from its
#                                              directory (cli_util.c)
#   PREFIX/share/txscreen/rules/, profiles/    the built-in YAML, to copy
#   PREFIX/share/man/man1/txscreen.1           from --help (engine/install/man.cmake)
#   PREFIX/share/bash-completion/completions/txscreen
#
# Rule sets and profiles are embedded in the binary (engine/embed.cmake),
# so the files under share/ are references to read, copy and edit; the
# snapshot is not embedded (20 MB, rebuilt with the lists), so the binary
# looks for it.  The package's dependencies are computed from the binary
# by dpkg-shlibdeps (CPACK_DEBIAN_PACKAGE_SHLIBDEPS): the runtime library
# packages of exactly the libraries it links, at the versions it was built
# against; libcurl, which `lists update` loads with dlopen rather than
# links (engine/src/lists/fetch.c), is named here.  docs/operations.md
# "Install".
include(GNUInstallDirs)
# Installing (and cpack, which installs into its staging tree) takes what
# the build made and does not first re-check every target of the tree
# (tests, fuzz replays): build first, as `cmake --install` expects anyway.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(TXS_MAN ${PROJECT_BINARY_DIR}/txscreen.1)
set(TXS_COMPLETION ${PROJECT_BINARY_DIR}/txscreen.bash)
add_custom_command(
  OUTPUT ${TXS_MAN} ${TXS_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:txscreen_cli> -DVERSION=${PROJECT_VERSION}
          -DSRC=${PROJECT_SOURCE_DIR}/engine/install -DMAN=${TXS_MAN} -DCOMPLETION=${TXS_COMPLETION}
          -P ${PROJECT_SOURCE_DIR}/engine/install/man.cmake
  DEPENDS txscreen_cli ${PROJECT_SOURCE_DIR}/engine/install/man.cmake
          ${PROJECT_SOURCE_DIR}/engine/install/completion.bash.in
  COMMENT "Generating the man page and bash completion from --help"
  VERBATIM)
add_custom_target(txs_man ALL DEPENDS ${TXS_MAN} ${TXS_COMPLETION})

set(TXS_DATADIR ${CMAKE_INSTALL_DATADIR}/txscreen)
install(TARGETS txscreen_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_BINARY_DIR}/default-lists.snap DESTINATION ${TXS_DATADIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rules/ DESTINATION ${TXS_DATADIR}/rules
        FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/profiles/ DESTINATION ${TXS_DATADIR}/profiles
        FILES_MATCHING PATTERN "*.yaml")
install(FILES ${TXS_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${TXS_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME txscreen)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME txscreen)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "streaming transaction screening: sanctions lists and AML rules over exports")
set(CPACK_PACKAGE_CONTACT "txscreen maintainers <txscreen@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.85.0)")
set(CPACK_STRIP_FILES ON)
include(CPack)
