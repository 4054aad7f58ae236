// SPDX-License-Identifier: Apache-2.0
// The core's own config keys, declared as data like every plugin's, for validation and docs.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "mobisync/plugin/config_schema.hpp"

namespace mobisync::config {

/// The values a numeric key of the core accepts, declared beside the keys: `check` refuses a
/// value outside it ("must be between 1 and 64, got 0") and reference.toml shows it. Narrower
/// than, never wider than, the range of the key's type.
struct KeyRange {
  std::string_view key;
  std::int64_t min;
  std::int64_t max;
};

/// One table of the core's configuration: its TOML name, whether it is an array of tables,
/// one line of help, its keys and the ranges of its numeric keys (every one has a range).
struct CoreTable {
  std::string_view name;
  bool array;
  std::string_view help;
  std::span<const plugin::ConfigKey> keys;
  std::span<const KeyRange> ranges = {};

  /// The range of `key`, or nullptr when it has none.
  const KeyRange* range(std::string_view key) const;
};

/// Every table the core reads, in the order reference.toml lists them. `[[source]]` holds only
/// the keys common to every source; the rest come from the plugin's schema.
std::span<const CoreTable> coreTables();
const CoreTable& coreTable(std::string_view name);

}  // namespace mobisync::config
