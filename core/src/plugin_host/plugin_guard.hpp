// SPDX-License-Identifier: Apache-2.0
// guarded(): the one place the engine calls into a plugin, turning escaped exceptions into Status.
#pragma once

#include <exception>
#include <string>
#include <type_traits>

#include "mobisync/status.hpp"

namespace mobisync::plugin_host {

/// Calls `f` (which returns Status) and converts anything it throws into a PluginFailure naming
/// the plugin. The message is copied at once: nothing made by the plugin outlives the call.
template <class F>
Status guarded(const std::string& plugin_name, F&& f) noexcept {
  try {
    return f();
  } catch (const std::exception& e) {
    return Status::pluginFailure(plugin_name, std::string("threw an exception: ") + e.what());
  } catch (...) {
    return Status::pluginFailure(plugin_name, "threw an unknown exception");
  }
}

}  // namespace mobisync::plugin_host
