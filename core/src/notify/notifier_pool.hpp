// SPDX-License-Identifier: Apache-2.0
// NotifierPool: the [[notifier]] instances one command or job run uses, created on first use.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"
#include "plugin_host/plugin_loader.hpp"

namespace mobisync::notify {

/// One initialised notifier instance and the optional capabilities its class has.
struct NotifierInstance {
  std::string name;    ///< the [[notifier]] name
  std::string plugin;  ///< the plugin it runs
  plugin_host::InstancePtr<plugin::Plugin> holder;
  plugin::Notifier* notifier = nullptr;
  plugin::BulkNotifier* bulk = nullptr;
  plugin::NumberLookup* lookup = nullptr;
  plugin::ReceiptSource* receipts = nullptr;
};

/// Creates each notifier named in the config at most once, init()s it through the plugin guard,
/// and shuts every instance down when destroyed. Borrows the config and the loader, which must
/// outlive it. Not thread-safe: one thread, like the instances.
class NotifierPool {
 public:
  NotifierPool(const config::AppConfig& cfg, plugin_host::PluginLoader& loader)
      : cfg_(cfg), loader_(loader) {}
  ~NotifierPool();
  NotifierPool(const NotifierPool&) = delete;
  NotifierPool& operator=(const NotifierPool&) = delete;

  /// The instance of [[notifier]] `name`; an error when it is not configured, its plugin cannot
  /// be created, or init() refused (the message names the notifier and the plugin).
  Result<NotifierInstance*> get(const std::string& name);

 private:
  const config::AppConfig& cfg_;
  plugin_host::PluginLoader& loader_;
  std::map<std::string, std::unique_ptr<NotifierInstance>> instances_;
  std::map<std::string, Status> failed_;
};

/// Calls `f` (returning Result<T>) and turns anything it throws into a PluginFailure naming the
/// plugin, as plugin_host::guarded does for Status.
template <class T, class F>
Result<T> guardedResult(const std::string& plugin_name, F&& f) noexcept {
  try {
    return f();
  } catch (const std::exception& e) {
    return Status::pluginFailure(plugin_name, std::string("threw an exception: ") + e.what());
  } catch (...) {
    return Status::pluginFailure(plugin_name, "threw an unknown exception");
  }
}

}  // namespace mobisync::notify
