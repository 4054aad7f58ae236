// SPDX-License-Identifier: Apache-2.0
// guarded(): the one place the engine calls into a plugin, turning escaped exceptions into Status.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugin_host {

/// Calls `f` (which returns R: Status, or a Result) and converts anything it throws into a
/// PluginFailure naming `plugin_name`. The message is copied at once: nothing made by the plugin
/// outlives the call.
template <class R = Status, class F>
R guarded(const std::string& plugin_name, F&& f) noexcept {
  try {
    return std::forward<F>(f)();
  } catch (const std::exception& e) {
    return Status::pluginFailure(plugin_name, std::string("threw an exception: ") + e.what());
  } catch (...) {
    return Status::pluginFailure(plugin_name, "threw an unknown exception");
  }
}

/// guarded() for a call that returns Result<T>.
template <class T, class F>
Result<T> guardedResult(const std::string& plugin_name, F&& f) noexcept {
  return guarded<Result<T>>(plugin_name, std::forward<F>(f));
}

}  // namespace mobisync::plugin_host
