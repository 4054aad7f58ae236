# SPDX-License-Identifier: Apache-2.0
# The service files and the Debian package: `cpack -G DEB` in the build tree (docs/operations.md).
# Prefix installs keep everything under the prefix (etc/mobisync, lib/systemd/system); the
# package moves etc/ to /etc after staging (cmake/MobisyncDebianStage.cmake), where dpkg keeps
# it as conffiles.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/mobisync.toml
        DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/mobisync)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/mobisync.service
              ${PROJECT_SOURCE_DIR}/packaging/systemd/mobisync@.service
              ${PROJECT_SOURCE_DIR}/packaging/systemd/mobisync@.timer
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/README.md
              ${PROJECT_SOURCE_DIR}/config/reference.toml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "mobisync")
set(CPACK_PACKAGE_VENDOR "mobisync developers")
set(CPACK_PACKAGE_CONTACT "mobisync developers <mobisync@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "keeps Mobivate contact subscriptions in step with CSV, SQL and LDAP sources")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/MobisyncDebianStage.cmake)
include(CPack)
