# `cmake --install` rules and the Debian package (CPack): the two binaries, the systemd unit
# (tascaded as the `tascade` user, data under /var/lib/tascade), its settings file, the
# dashboard's built files when web/dist exists, and the docs.
#
#   cmake --build build --target package      # build/tascade_<version>_amd64.deb
#   sudo apt-get install ./build/tascade_*.deb

include(GNUInstallDirs)

install(TARGETS tascaded tascade RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/tascade.service
        DESTINATION lib/systemd/system)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/tascade.default
        DESTINATION /etc/default RENAME tascade)  # where the unit reads it, whatever the prefix
install(FILES README.md BENCHMARKS.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The dashboard is built by npm (web/); the package carries whatever web/dist held at configure
# time, and nothing when it was not built.
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/web/dist)
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/web/dist/
          DESTINATION ${CMAKE_INSTALL_DATADIR}/tascade/web)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tascade)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Tascade maintainers <maintainers@tascade.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Coordination server for many coding agents working on one codebase")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES ON)  # the build keeps debug info; the package does not need it
include(CPack)
