# SPDX-License-Identifier: Apache-2.0
# The control data of the two Debian packages (see MobisyncDebian.cmake). Descriptions are plain
# text, a synopsis line then paragraphs: CPack (3.16 and later) indents continuation lines and
# writes blank ones as " ." itself, so text already in deb-control(5)'s form gets both twice.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "mobisync")
set(CPACK_PACKAGE_VENDOR "mobisync developers")
set(CPACK_PACKAGE_CONTACT "mobisync maintainers <mobisync-maintainers@lists.mobisync.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL host sdk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://mobisync.org")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/MobisyncDebianStage.cmake)

# mobisync: the program, its plugins, the units and /etc/mobisync.
set(CPACK_DEBIAN_HOST_PACKAGE_NAME "mobisync")
set(CPACK_DEBIAN_HOST_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_HOST_PACKAGE_SHLIBDEPS ON)
# adduser makes the system user in postinst; the rest comes from dpkg-shlibdeps.
set(CPACK_DEBIAN_HOST_PACKAGE_DEPENDS "adduser")
# The odbc source needs a driver for its database; sqlite3 opens the state for inspection.
set(CPACK_DEBIAN_HOST_PACKAGE_RECOMMENDS "sqlite3, odbc-postgresql | libsqliteodbc | odbc-mariadb")
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_EXTRA
    ${MOBISYNC_DEBIAN_DIR}/conffiles ${MOBISYNC_DEBIAN_DIR}/postinst
    ${MOBISYNC_DEBIAN_DIR}/prerm ${MOBISYNC_DEBIAN_DIR}/postrm)
set(CPACK_DEBIAN_HOST_DESCRIPTION
"keeps Mobivate contact subscriptions in step with your directories
mobisync reads contacts from CSV files, SQL databases (ODBC or PostgreSQL)
and LDAP directories, normalises their phone numbers, and adds, updates and
removes the matching subscriptions at the Mobivate SMS platform, so the
provider's lists follow the source of truth.

It runs one-off syncs, a daemon that schedules jobs, or systemd timers; keeps
its state in SQLite or PostgreSQL; refuses runs that would delete too much;
exports Prometheus metrics; and can send SMS notifications over HTTP or SMPP.
Sources and notifiers are plugins.")

# mobisync-dev: the plugin SDK, for building plugins the packaged host loads.
set(CPACK_DEBIAN_SDK_PACKAGE_NAME "mobisync-dev")
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION "libdevel")
# Plugins must come from the same build as the host that loads them (the build id check).
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS
    "mobisync (= ${PROJECT_VERSION}), libboost-dev (>= 1.74), libpoco-dev (>= 1.11)")
set(CPACK_DEBIAN_SDK_PACKAGE_SUGGESTS "cmake")
set(CPACK_DEBIAN_SDK_DESCRIPTION
"plugin SDK for mobisync
mobisync syncs contact subscriptions at the Mobivate SMS platform from CSV,
SQL and LDAP sources; sources and notifiers are plugins.

This package holds the headers and the CMake package for writing plugins:
find_package(mobisync) gives the target mobisync::sdk and the function
mobisync_add_plugin(), which installs a plugin into the directory the
packaged mobisync loads plugins from.")
