# SPDX-License-Identifier: Apache-2.0
# mobisync(1), mobisync.toml(5) and the bash and zsh completion, generated at build time by
# mobisync_docgen from the same option tables, exit-code table and config schemas the binary
# uses (target mobisync_docs, part of ALL). Outputs, for the packaging to install:
#   ${PROJECT_BINARY_DIR}/man/mobisync.1          ${PROJECT_BINARY_DIR}/man/mobisync.toml.5
#   ${PROJECT_BINARY_DIR}/completion/mobisync.bash ${PROJECT_BINARY_DIR}/completion/_mobisync
# Included after plugins/, so the plugins built here document their keys in mobisync.toml(5).
add_executable(mobisync_docgen ${PROJECT_SOURCE_DIR}/tools/docgen/docgen_main.cpp)
target_link_libraries(mobisync_docgen PRIVATE mobisync_core mobisync_warnings)

set(MOBISYNC_DOCS_OUTPUTS
  ${PROJECT_BINARY_DIR}/man/mobisync.1
  ${PROJECT_BINARY_DIR}/man/mobisync.toml.5
  ${PROJECT_BINARY_DIR}/completion/mobisync.bash
  ${PROJECT_BINARY_DIR}/completion/_mobisync)
set(mobisync_docs_plugins "")
foreach(plugin csv odbc ldap http smpp)
  if(TARGET mobisync_plugin_${plugin})
    list(APPEND mobisync_docs_plugins mobisync_plugin_${plugin})
  endif()
endforeach()
add_custom_command(OUTPUT ${MOBISYNC_DOCS_OUTPUTS}
  COMMAND mobisync_docgen ${PROJECT_BINARY_DIR} ${PROJECT_BINARY_DIR}/plugins
  DEPENDS mobisync_docgen ${mobisync_docs_plugins}
  COMMENT "Generating mobisync(1), mobisync.toml(5) and the bash and zsh completion"
  VERBATIM)
add_custom_target(mobisync_docs ALL DEPENDS ${MOBISYNC_DOCS_OUTPUTS})
