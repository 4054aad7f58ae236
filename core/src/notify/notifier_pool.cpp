// SPDX-License-Identifier: Apache-2.0
// NotifierPool: create, init and shut down notifier instances.
#include "notify/notifier_pool.hpp"

#include <Poco/Logger.h>

#include "plugin_host/plugin_guard.hpp"

namespace mobisync::notify {

NotifierPool::~NotifierPool() {
  // An entry, not a structured binding: clang 14 (the fuzz build) cannot capture one.
  for (auto& entry : instances_) {
    NotifierInstance* instance = entry.second.get();
    (void)plugin_host::guarded(instance->plugin, [instance] {
      instance->notifier->shutdown();
      return Status::ok();
    });
  }
}

Result<NotifierInstance*> NotifierPool::get(const std::string& name) {
  if (auto it = instances_.find(name); it != instances_.end()) return it->second.get();
  if (auto it = failed_.find(name); it != failed_.end()) return it->second;
  const config::NotifierConfig* nc = cfg_.findNotifier(name);
  if (nc == nullptr) {
    return Status::invalidConfig("no [[notifier]] is named \"" + name + "\" in " + cfg_.file);
  }
  auto instance = std::make_unique<NotifierInstance>();
  instance->name = nc->name;
  instance->plugin = nc->plugin;
  try {
    instance->holder = loader_.create(nc->plugin, plugin::Kind::Notifier);
  } catch (const std::exception& e) {
    Status s = Status::invalidConfig("notifier " + name + ": " + e.what());
    failed_.emplace(name, s);
    return s;
  }
  // The capabilities are separate bases of the plugin's class: ask the object, not the
  // descriptor, so a plugin gains one by deriving from it and nothing else.
  instance->notifier = dynamic_cast<plugin::Notifier*>(instance->holder.get());
  if (instance->notifier == nullptr) {
    Status s = Status::invalidConfig("notifier " + name + ": plugin " + nc->plugin +
                                     " made an object that is not a Notifier");
    failed_.emplace(name, s);
    return s;
  }
  instance->bulk = dynamic_cast<plugin::BulkNotifier*>(instance->holder.get());
  instance->lookup = dynamic_cast<plugin::NumberLookup*>(instance->holder.get());
  instance->receipts = dynamic_cast<plugin::ReceiptSource*>(instance->holder.get());
  Poco::Logger& logger = Poco::Logger::get("mobisync.plugin." + nc->plugin + "." + nc->name);
  plugin::Context context{nc->name, nc->values, logger};
  Status init = plugin_host::guarded(nc->plugin, [&] { return instance->notifier->init(context); });
  if (!init) {
    (void)plugin_host::guarded(nc->plugin, [&] {
      instance->notifier->shutdown();
      return Status::ok();
    });
    Status s(init.code(), "notifier " + name + " (plugin " + nc->plugin + "): " + init.message());
    failed_.emplace(name, s);
    return s;
  }
  NotifierInstance* raw = instance.get();
  instances_.emplace(name, std::move(instance));
  return raw;
}

}  // namespace mobisync::notify
