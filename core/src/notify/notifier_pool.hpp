// SPDX-License-Identifier: Apache-2.0
// NotifierPool: the [[notifier]] instances one command or job run uses, created on first use.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "config/app_config.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "mobisync/result.hpp"
#include "plugin_host/plugin_guard.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// One initialised notifier instance and the optional capabilities its class has (null when
/// it has not).
struct NotifierInstance {
  explicit NotifierInstance(plugin_host::Instance<plugin::Notifier> made)
      : instance(std::move(made)), name(instance.name()), plugin(instance.plugin()),
        notifier(&instance.object()), bulk(instance.capability<plugin::BulkNotifier>()),
        lookup(instance.capability<plugin::NumberLookup>()),
        receipts(instance.capability<plugin::ReceiptSource>()) {}

  plugin_host::Instance<plugin::Notifier> instance;
  std::string name;    ///< the [[notifier]] name
  std::string plugin;  ///< the plugin it runs
  plugin::Notifier* notifier;
  plugin::BulkNotifier* bulk;
  plugin::NumberLookup* lookup;
  plugin::ReceiptSource* receipts;
};

/// Creates each notifier named in the config at most once, init()s it through the plugin guard,
/// and shuts every instance down when destroyed. With a state store, a notifier that takes its
/// concatenation references from the host (plugin::UsesConcatReferences) gets a source over the
/// state's concat_references table right after init(). Borrows the config, the loader and the
/// store, which must outlive it. Not thread-safe: one thread, like the instances (and the store).
class NotifierPool {
 public:
  NotifierPool(const config::AppConfig& cfg, plugin_host::PluginLoader& loader,
               state::StateStore* store = nullptr)
      : cfg_(cfg), loader_(loader), store_(store) {}
  ~NotifierPool();
  NotifierPool(const NotifierPool&) = delete;
  NotifierPool& operator=(const NotifierPool&) = delete;

  /// The instance of [[notifier]] `name`; an error when it is not configured, its plugin cannot
  /// be created, or init() refused (the message names the notifier and the plugin).
  Result<NotifierInstance*> get(const std::string& name);

  /// The state for instances created from now on (see the class comment); null: none.
  void useState(state::StateStore* store) { store_ = store; }

 private:
  const config::AppConfig& cfg_;
  plugin_host::PluginLoader& loader_;
  state::StateStore* store_;
  // Declared before the instances, so it outlives every instance that holds it.
  std::unique_ptr<plugin::ConcatReferenceSource> references_;
  std::map<std::string, std::unique_ptr<NotifierInstance>> instances_;
  std::map<std::string, Status> failed_;
};

/// Calls into a plugin through the guard (plugin_host/plugin_guard.hpp), for a Result.
using plugin_host::guardedResult;

}  // namespace mobisync::notify
