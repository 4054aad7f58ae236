# SPDX-License-Identifier: Apache-2.0
# mobisync_add_plugin(<name> ENTRY <file> SOURCES ... LIBS ...)
# Makes mobisync_plugin_<name>_impl (static, PIC: the logic, linked by unit tests) and
# mobisync_plugin_<name> (the loadable module, written to <build>/plugins so the build tree runs).
# The installed package defines its own mobisync_add_plugin (one MODULE, see
# mobisyncConfig.cmake.in); both share mobisync_plugin_module().
include(MobisyncPluginModule)

function(mobisync_add_plugin name)
  cmake_parse_arguments(P "" "ENTRY" "SOURCES;LIBS" ${ARGN})
  set(impl mobisync_plugin_${name}_impl)
  add_library(${impl} STATIC ${P_SOURCES})
  set_target_properties(${impl} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${impl} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${impl} PUBLIC mobisync_plugin_sdk ${P_LIBS} PRIVATE mobisync_warnings)

  set(mod mobisync_plugin_${name})
  add_library(${mod} MODULE ${P_ENTRY})
  target_link_libraries(${mod} PRIVATE ${impl} mobisync_warnings)
  mobisync_plugin_module(${mod})
  set_target_properties(${mod} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/plugins)
  install(TARGETS ${mod} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/mobisync/plugins COMPONENT host)
endfunction()
