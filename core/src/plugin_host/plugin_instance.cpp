// SPDX-License-Identifier: Apache-2.0
// The names Instance<T> gives one plugin instance: its logger and its label in errors.
#include "plugin_host/plugin_instance.hpp"

namespace mobisync::plugin_host {

Poco::Logger& instanceLogger(const std::string& plugin, const std::string& instance) {
  return Poco::Logger::get("mobisync.plugin." + plugin + "." + instance);
}

std::string instanceLabel(const std::string& plugin, const std::string& instance) {
  return plugin + " (instance " + instance + ")";
}

}  // namespace mobisync::plugin_host
