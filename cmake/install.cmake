# cmake/install.cmake — what `cmake --install` puts where (GNUInstallDirs), and the Debian
# package `cpack -G DEB` makes of it. Included from the top-level CMakeLists.txt, which sets
# KAOHE_INSTALL_HOME and the Lua module directories before configuring kaohe_config.h.
#
#   bin/kaohe                                  the command
#   LIBDIR/lua/5.4/kaohe.so                    the engine as a Lua module (require "kaohe")
#   share/lua/5.4/kaohe/testing.lua            require "kaohe.testing"
#   share/kaohe/scripts/kaohe/*.lua            the scorecard language (the loader reads dsl.lua)
#   share/kaohe/scorecards/*.lua               the bundled scorecards
#   share/kaohe/fixtures/evidence-schema.sql   the evidence schema (kaohe schema, check)
#   share/kaohe/fixtures/import/headers.tsv    the import header mapping
#   share/doc/kaohe/                           README.md and docs/
#   share/man/man1/kaohe.1.gz                  the man page (when scdoc is found)
#   share/bash-completion/completions/kaohe    bash completion
#
# share/kaohe keeps the source tree's layout, so KAOHE_HOME may point at either.

install(TARGETS kaohe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS kaohe_lua LIBRARY DESTINATION ${KAOHE_LUA_CMODDIR})
install(FILES scripts/kaohe/testing.lua DESTINATION ${KAOHE_LUA_MODDIR}/kaohe)

set(KAOHE_DATADIR ${CMAKE_INSTALL_DATADIR}/kaohe)
file(GLOB kaohe_language CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scripts/kaohe/*.lua)
install(FILES ${kaohe_language} DESTINATION ${KAOHE_DATADIR}/scripts/kaohe)
file(GLOB kaohe_scorecards CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scorecards/*.lua)
install(FILES ${kaohe_scorecards} DESTINATION ${KAOHE_DATADIR}/scorecards)
install(FILES fixtures/evidence-schema.sql DESTINATION ${KAOHE_DATADIR}/fixtures)
install(FILES fixtures/import/headers.tsv DESTINATION ${KAOHE_DATADIR}/fixtures/import)

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  PATTERN "*.scd" EXCLUDE)

install(FILES scripts/completion/kaohe.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME kaohe)

# kaohe(1): docs/kaohe.1.scd holds the prose; its line @COMMANDS@ becomes the commands and
# their options, printed by the built binary from the same table as `kaohe CMD --help`
# (engine/cli/options.c), so the man page cannot drift from the command line.
find_program(SCDOC scdoc)
if(SCDOC)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/kaohe.1.gz
    COMMAND ${CMAKE_COMMAND} -DKAOHE=$<TARGET_FILE:kaohe> -DSCDOC=${SCDOC}
      -DIN=${CMAKE_SOURCE_DIR}/docs/kaohe.1.scd -DOUT=${CMAKE_BINARY_DIR}/kaohe.1
      -P ${CMAKE_SOURCE_DIR}/cmake/manpage.cmake
    DEPENDS kaohe ${CMAKE_SOURCE_DIR}/docs/kaohe.1.scd ${CMAKE_SOURCE_DIR}/cmake/manpage.cmake
    COMMENT "Writing the man page kaohe.1 (scdoc)")
  add_custom_target(manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/kaohe.1.gz)
  install(FILES ${CMAKE_BINARY_DIR}/kaohe.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "scdoc not found: the man page kaohe(1) is not built (apt-get install scdoc)")
endif()

# The Debian package: cpack -G DEB in the build directory → kaohe_VERSION_ARCH.deb.
# Depends are worked out by dpkg-shlibdeps from the binary and the module (the libraries they
# link), plus lua5.4 for the module's users.
set(CPACK_PACKAGE_NAME kaohe)
set(CPACK_PACKAGE_VENDOR "kaohe")
set(CPACK_PACKAGE_CONTACT "kaohe maintainers <kaohe@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "考核 scoring and audit rule engine (scorecards in Lua, evidence in SQLite, Excel reports)")
set(CPACK_PACKAGE_DESCRIPTION
  "kaohe evaluates assessment scorecards written in a small Lua language against evidence\nin SQLite and writes an Excel workbook and a results database that can be reproduced,\nexplained and compared run to run.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "lua5.4")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3, lua-busted")
set(CPACK_STRIP_FILES OFF)
set(CPACK_GENERATOR DEB)
include(CPack)
