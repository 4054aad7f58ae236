# SPDX-License-Identifier: Apache-2.0
# Installs the plugin SDK: its headers and the CMake package `mobisync` (see mobisyncConfig.cmake.in).
include(CMakePackageConfigHelpers)

set(MOBISYNC_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mobisync)
# Where this host loads plugins from, relative to the prefix (build_info.hpp's
# kRelativePluginDir); the installed package exports it for mobisync_add_plugin.
set(MOBISYNC_PLUGIN_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/mobisync/plugins)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/mobisync
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/generated/mobisync/build_info.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mobisync COMPONENT sdk)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mobisyncConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/mobisyncConfig.cmake
  INSTALL_DESTINATION ${MOBISYNC_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR MOBISYNC_PLUGIN_INSTALL_DIR)
# The project version is the SDK version; the loader accepts plugins of the same major whose minor
# is not newer, and SameMajorVersion makes find_package(mobisync 1.N) ask for exactly that.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/mobisyncConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/mobisyncConfig.cmake
              ${PROJECT_BINARY_DIR}/package/mobisyncConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/MobisyncPluginModule.cmake
        DESTINATION ${MOBISYNC_PACKAGE_DIR} COMPONENT sdk)

# The service files and the Debian packages, built with dpkg-buildflags' hardening.
include(MobisyncDebianHardening)
include(MobisyncDebian)
