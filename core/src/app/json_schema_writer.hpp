// SPDX-License-Identifier: Apache-2.0
// writeJsonSchema(): the config's JSON Schema (draft 2020-12) for editors' TOML support, made
// from the same schemas that validate a config and write config/reference.toml.
#pragma once

#include <ostream>
#include <vector>

#include "mobisync/plugin/abi.hpp"

namespace mobisync::app {

/// The whole config: every core table, and in [[source]] and [[notifier]] the keys of the plugin
/// a table names (one `if`/`then` per plugin in `plugins`). Values written as "${VAR}" are
/// accepted wherever the config reader interpolates them.
void writeJsonSchema(std::ostream& out, const std::vector<const plugin::Descriptor*>& plugins);

/// One plugin's table alone: `name`, `plugin` (that plugin) and the plugin's keys.
void writePluginJsonSchema(std::ostream& out, const plugin::Descriptor& plugin);

}  // namespace mobisync::app
