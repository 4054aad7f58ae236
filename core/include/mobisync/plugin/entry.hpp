// SPDX-License-Identifier: Apache-2.0
// MOBISYNC_PLUGIN_ENTRY: exports a plugin's descriptor under the versioned entry symbol.
#pragma once

#include <boost/dll/alias.hpp>

#include "mobisync/plugin/abi.hpp"

/// Use once per plugin, at namespace scope, with a function `const Descriptor* fn()`:
///   MOBISYNC_PLUGIN_ENTRY(csvDescriptor)
/// The symbol carries the ABI major (mobisync_plugin_v1) so hosts of another major find nothing
/// rather than misreading the descriptor.
#define MOBISYNC_PLUGIN_ENTRY(fn) BOOST_DLL_ALIAS(fn, mobisync_plugin_v1)

namespace mobisync::plugin {

/// The descriptor fields every plugin fills the same way.
template <class Impl>
constexpr Descriptor makeDescriptor(const char* name, const char* version, Kind kind,
                                    const char* summary, const ConfigKey* schema,
                                    std::size_t schema_size) {
  return Descriptor{
      kAbiVersion,
      static_cast<std::uint32_t>(sizeof(Descriptor)),
      mobisync::kSdkVersion,
      kAbiTag,
      name,
      version,
      kind,
      0,
      summary,
      schema,
      schema_size,
      []() noexcept -> Plugin* {
        try {
          return new Impl();
        } catch (...) {
          return nullptr;
        }
      },
      [](Plugin* p) noexcept { delete p; },
  };
}

}  // namespace mobisync::plugin
