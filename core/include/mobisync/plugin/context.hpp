// SPDX-License-Identifier: Apache-2.0
// Context: what the host gives a plugin instance at init().
#pragma once

#include <string>

#include <Poco/Logger.h>

#include "mobisync/plugin/config_values.hpp"

namespace mobisync::plugin {

/// Everything an instance may use during its life. Owned by the host and valid until
/// shutdown() returns. The logger is `mobisync.plugin.<name>.<instance>`; plugins never
/// configure channels.
struct Context {
  std::string instance_name;
  const ConfigValues& config;
  Poco::Logger& logger;
};

}  // namespace mobisync::plugin
