// SPDX-License-Identifier: Apache-2.0
// PluginLoader: finds, checks and opens plugin libraries; makes library-pinned instances.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "mobisync/plugin/abi.hpp"

namespace mobisync::plugin_host {

/// A plugin library the host refused or could not open. The message names the file, the
/// expected and the found value.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An opened, checked plugin library.
struct LoadedPlugin {
  std::shared_ptr<boost::dll::shared_library> library;
  const plugin::Descriptor* descriptor = nullptr;
  std::string path;
};

/// Destroys an instance with its own module's destroy() and keeps the library loaded until then,
/// so an object can never outlive its code (Boost.DLL tutorial 8).
struct LibraryBoundDeleter {
  std::shared_ptr<boost::dll::shared_library> library;
  void (*destroy)(plugin::Plugin*) = nullptr;
  void operator()(plugin::Plugin* p) const noexcept {
    if (p != nullptr && destroy != nullptr) destroy(p);
  }
};

template <class T>
using InstancePtr = std::unique_ptr<T, LibraryBoundDeleter>;

/// One entry of `plugins list`: a file that was found and what checking it said.
struct PluginListing {
  std::string path;
  std::string name;                         ///< from the file name
  const plugin::Descriptor* descriptor = nullptr;  ///< null when refused
  std::string error;                        ///< why it was refused
};

/// Loads plugins from an ordered list of directories. Load on the main thread before any worker
/// starts; libraries are never unloaded while the process runs. Not thread-safe.
class PluginLoader {
 public:
  explicit PluginLoader(std::vector<std::string> dirs);

  /// The directories searched, in order.
  const std::vector<std::string>& dirs() const { return dirs_; }

  /// Opens `mobisync_plugin_<name>.so` from the directories (once; later calls reuse it) and
  /// checks it. Throws PluginError.
  const LoadedPlugin& load(const std::string& name);

  /// Opens and checks a library file directly (used by load() and by tests). Throws PluginError.
  LoadedPlugin open(const std::string& path, const std::string& expected_name) const;

  /// Every plugin file in the directories, each checked (refusals included, not thrown).
  std::vector<PluginListing> list();

  /// Creates an instance of `name`, which must be of kind `kind`. Throws PluginError.
  InstancePtr<plugin::Plugin> create(const std::string& name, plugin::Kind kind);

 private:
  std::vector<std::string> findFiles(const std::string& name) const;

  std::vector<std::string> dirs_;
  std::map<std::string, LoadedPlugin> loaded_;
};

/// The plugin directories to use when none are configured: `<exe dir>/plugins` when the host runs
/// from its build tree, else the installed plugin directory.
std::vector<std::string> defaultPluginDirs();

/// "mobisync_plugin_<name>.so"
std::string pluginFileName(const std::string& name);

}  // namespace mobisync::plugin_host
