// SPDX-License-Identifier: Apache-2.0
// The plugin descriptor: the one constant a plugin exports, checked by the host before any call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "mobisync/build_info.hpp"
#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugin {

/// Bump on ANY change of layout or virtual functions under mobisync/plugin/ or mobisync/model/.
/// It is also the suffix of the entry symbol, so a host of another major finds no symbol.
inline constexpr std::uint32_t kAbiVersion = 1;

enum class Kind : std::uint32_t { Source = 1, Notifier = 2 };

constexpr const char* kindName(Kind k) {
  switch (k) {
    case Kind::Source: return "source";
    case Kind::Notifier: return "notifier";
  }
  return "unknown";
}

// C++ objects cross the boundary, so host and plugin must agree on the C++ ABI: the Itanium ABI
// (GCC and Clang alike on Linux) and the same standard library with the same string ABI.
#if defined(_LIBCPP_VERSION)
#define MOBISYNC_STDLIB_TAG "libc++"
#elif defined(__GLIBCXX__) && defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define MOBISYNC_STDLIB_TAG "libstdc++-cxx11"
#else
#define MOBISYNC_STDLIB_TAG "libstdc++-pre-cxx11"
#endif
#if defined(__GNUC__)
#define MOBISYNC_COMPILER_FAMILY "itanium"
#else
#define MOBISYNC_COMPILER_FAMILY "other"
#endif
/// Compiler family and standard library ABI of the code that includes this header.
inline constexpr const char* kAbiTag = MOBISYNC_COMPILER_FAMILY "/" MOBISYNC_STDLIB_TAG;

/// What a plugin says about itself. Standard layout, C types only, append-only within one
/// kAbiVersion (the host checks struct_size before reading fields). Must be a constant:
/// loading a plugin runs none of its code beyond the entry function returning this.
struct Descriptor {
  std::uint32_t abi_version;   ///< == kAbiVersion
  std::uint32_t struct_size;   ///< sizeof(Descriptor) when the plugin was built
  const char* sdk_version;     ///< mobisync::kSdkVersion the plugin was built against
  const char* abi_tag;         ///< kAbiTag of the plugin's compiler
  const char* name;            ///< "csv"; the file must be mobisync_plugin_csv.so
  const char* version;         ///< the plugin's own semver
  Kind kind;
  std::uint32_t flags;         ///< reserved, 0
  const char* summary;         ///< one line for `plugins list`
  const ConfigKey* config_schema;
  std::size_t config_schema_size;
  Plugin* (*create)();         ///< allocate only: no I/O, no throw (nullptr on failure)
  void (*destroy)(Plugin*);    ///< the module that allocated frees
};
static_assert(std::is_standard_layout_v<Descriptor>);

}  // namespace mobisync::plugin
