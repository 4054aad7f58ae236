// SPDX-License-Identifier: Apache-2.0
// NotifierPool: create, init and shut down notifier instances.
#include "notify/notifier_pool.hpp"

#include <optional>

#include "notify/concat_reference_source.hpp"

namespace mobisync::notify {

NotifierPool::~NotifierPool() {
  // In name order, every instance before any is destroyed.
  for (auto& entry : instances_) entry.second->instance.shutdown();
}

Result<NotifierInstance*> NotifierPool::get(const std::string& name) {
  if (auto it = instances_.find(name); it != instances_.end()) return it->second.get();
  if (auto it = failed_.find(name); it != failed_.end()) return it->second;
  const config::NotifierConfig* nc = cfg_.findNotifier(name);
  if (nc == nullptr) {
    return Status::invalidConfig("no [[notifier]] is named \"" + name + "\" in " + cfg_.file);
  }
  std::optional<plugin_host::Instance<plugin::Notifier>> made;
  try {
    made.emplace(loader_, nc->plugin, nc->name);
  } catch (const std::exception& e) {
    Status s = Status::invalidConfig("notifier " + name + ": " + e.what());
    failed_.emplace(name, s);
    return s;
  }
  // A refused init() has already been followed by shutdown().
  Status init = made->init(nc->values);
  if (!init) {
    Status s(init.code(), "notifier " + name + " (plugin " + nc->plugin + "): " + init.message());
    failed_.emplace(name, s);
    return s;
  }
  if (auto* uses = made->capability<plugin::UsesConcatReferences>(); uses && store_ != nullptr) {
    if (!references_) references_ = std::make_unique<StateConcatReferenceSource>(*store_);
    Status wired = plugin_host::guarded<Status>(nc->plugin, [&] {
      uses->useConcatReferences(references_.get());
      return Status::ok();
    });
    if (!wired) {
      made->shutdown();
      Status s(wired.code(), "notifier " + name + " (plugin " + nc->plugin + "): " + wired.message());
      failed_.emplace(name, s);
      return s;
    }
  }
  auto instance = std::make_unique<NotifierInstance>(std::move(*made));
  NotifierInstance* raw = instance.get();
  instances_.emplace(name, std::move(instance));
  return raw;
}

}  // namespace mobisync::notify
