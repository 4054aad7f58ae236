// SPDX-License-Identifier: Apache-2.0
// The core's own config keys, declared as data like every plugin's, for validation and docs.
#pragma once

#include <span>
#include <string_view>

#include "mobisync/plugin/config_schema.hpp"

namespace mobisync::config {

/// One table of the core's configuration: its TOML name, whether it is an array of tables,
/// one line of help, and its keys.
struct CoreTable {
  std::string_view name;
  bool array;
  std::string_view help;
  std::span<const plugin::ConfigKey> keys;
};

/// Every table the core reads, in the order reference.toml lists them. `[[source]]` holds only
/// the keys common to every source; the rest come from the plugin's schema.
std::span<const CoreTable> coreTables();
const CoreTable& coreTable(std::string_view name);

}  // namespace mobisync::config
