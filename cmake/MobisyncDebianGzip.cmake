# SPDX-License-Identifier: Apache-2.0
# Install-time script: installs each file of MOBISYNC_GZIP_INSTALLS ("source|destination|OPTIONAL
# or REQUIRED", destination relative to the prefix) gzipped with -9n, as Debian wants man pages
# and changelogs. Run at install time, not build time, because the man pages come from another
# target whose outputs need not exist in every tree (OPTIONAL ones are skipped when absent).
foreach(entry IN LISTS MOBISYNC_GZIP_INSTALLS)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 0 source)
  list(GET fields 1 destination)
  list(GET fields 2 need)
  if(NOT EXISTS "${source}")
    if(need STREQUAL "REQUIRED")
      message(FATAL_ERROR "MobisyncDebianGzip: ${source} is missing")
    endif()
    continue()
  endif()
  get_filename_component(name "${source}" NAME)
  get_filename_component(kind "${destination}" NAME)
  set(gzipped "${MOBISYNC_GZIP_STAGING}/${kind}/${name}.gz")
  file(MAKE_DIRECTORY "${MOBISYNC_GZIP_STAGING}/${kind}")
  execute_process(COMMAND gzip -9nc "${source}" OUTPUT_FILE "${gzipped}"
                  COMMAND_ERROR_IS_FATAL ANY)
  file(INSTALL "${gzipped}" DESTINATION "${CMAKE_INSTALL_PREFIX}/${destination}"
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endforeach()
