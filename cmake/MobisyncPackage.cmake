# SPDX-License-Identifier: Apache-2.0
# Installs the plugin SDK: its headers and the CMake package `mobisync` (see mobisyncConfig.cmake.in).
include(CMakePackageConfigHelpers)

set(MOBISYNC_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mobisync)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/mobisync
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/generated/mobisync/build_info.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mobisync)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mobisyncConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/mobisyncConfig.cmake
  INSTALL_DESTINATION ${MOBISYNC_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# The project version is the SDK version; the loader accepts plugins of the same major whose minor
# is not newer, and SameMajorVersion makes find_package(mobisync 1.N) ask for exactly that.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/mobisyncConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/mobisyncConfig.cmake
              ${PROJECT_BINARY_DIR}/package/mobisyncConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/MobisyncPluginModule.cmake
        DESTINATION ${MOBISYNC_PACKAGE_DIR})

# The service files and the Debian package.
include(MobisyncDebian)
