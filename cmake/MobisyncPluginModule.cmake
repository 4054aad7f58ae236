# SPDX-License-Identifier: Apache-2.0
# mobisync_plugin_module(<target>): what makes a MODULE a loadable plugin, in-tree and out of tree.
# Installed with the SDK package, so built-in and third-party plugins get the same rules.
include_guard(GLOBAL)

function(mobisync_plugin_module target)
  # The host opens exactly mobisync_plugin_<name>.so, whatever the platform's module naming.
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  # Every symbol resolved at link time proves the plugin needs nothing from the host executable.
  target_link_options(${target} PRIVATE LINKER:--no-undefined)
endfunction()
