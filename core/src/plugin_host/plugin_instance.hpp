// SPDX-License-Identifier: Apache-2.0
// Instance<T>: one plugin instance's life: create, check its kind, init, call, shut down.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <Poco/Logger.h>

#include "mobisync/plugin/context.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "plugin_host/plugin_guard.hpp"
#include "plugin_host/plugin_loader.hpp"

namespace mobisync::plugin_host {

/// The logger of one instance, `mobisync.plugin.<plugin>.<instance>` (plugin::Context's promise).
Poco::Logger& instanceLogger(const std::string& plugin, const std::string& instance);

/// How errors name one instance: `csv (instance people)`, read after "plugin ".
std::string instanceLabel(const std::string& plugin, const std::string& instance);

/// One instance of a plugin whose objects are T (plugin::Source or plugin::Notifier), from
/// creation to shutdown. Every call into the object goes through the plugin guard, so what a
/// plugin throws becomes a PluginFailure naming the plugin and the instance. The SDK's order is
/// kept here once: init() at most once; shutdown() exactly once after init() was called, also
/// after a refused init() (at once then) and at the latest when the Instance is destroyed.
/// Move-only; one thread at a time, like the object.
template <class T>
class Instance {
  static_assert(std::is_same_v<T, plugin::Source> || std::is_same_v<T, plugin::Notifier>,
                "an Instance holds a Source or a Notifier");

 public:
  static constexpr plugin::Kind kKind =
      std::is_same_v<T, plugin::Source> ? plugin::Kind::Source : plugin::Kind::Notifier;

  /// Creates instance `name` of plugin `plugin` through the loaded library's factory. Throws
  /// PluginError when the loader refuses the plugin, it is of another kind, or its object is not
  /// a T.
  Instance(PluginLoader& loader, const std::string& plugin, std::string name)
      // `plugin` is copied, never moved: the arguments are evaluated in no set order.
      : Instance(loader.create(plugin, kKind), plugin, std::move(name)) {}

  /// Adopts an object already made by a plugin's factory (the loader's, or a test's own).
  Instance(InstancePtr<plugin::Plugin> object, std::string plugin, std::string name)
      : holder_(std::move(object)), plugin_(std::move(plugin)), name_(std::move(name)),
        label_(instanceLabel(plugin_, name_)) {
    // Ask the object, not the descriptor: the kind is what its class derives from.
    object_ = dynamic_cast<T*>(holder_.get());
    if (object_ == nullptr) {
      throw PluginError("plugin " + plugin_ + " made an object that is not a " +
                        (kKind == plugin::Kind::Source ? "Source" : "Notifier"));
    }
  }

  ~Instance() { shutdown(); }
  Instance(Instance&& other) noexcept
      : holder_(std::move(other.holder_)), object_(std::exchange(other.object_, nullptr)),
        plugin_(std::move(other.plugin_)), name_(std::move(other.name_)),
        label_(std::move(other.label_)), context_(std::move(other.context_)),
        needs_shutdown_(std::exchange(other.needs_shutdown_, false)) {}
  Instance& operator=(Instance&&) = delete;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const std::string& plugin() const { return plugin_; }
  const std::string& name() const { return name_; }
  T& object() { return *object_; }

  /// init()s the object with `values` (which must outlive this Instance) and the instance's own
  /// logger. A refused or throwing init() is followed by shutdown() at once.
  Status init(const plugin::ConfigValues& values) {
    context_ = std::make_unique<plugin::Context>(
        plugin::Context{name_, values, instanceLogger(plugin_, name_)});
    needs_shutdown_ = true;
    Status s = call([this](T& object) { return object.init(*context_); });
    if (!s) shutdown();
    return s;
  }

  /// Calls `f(object)` (returning R: Status or a Result) through the guard.
  template <class R = Status, class F>
  R call(F&& f) {
    return guarded<R>(label_, [&]() -> R { return std::forward<F>(f)(*object_); });
  }

  /// The optional interface `Capability` (plugin::BulkNotifier, ...) when the object's class
  /// derives from it, else nullptr: a plugin gains one by deriving from it and nothing else.
  template <class Capability>
  Capability* capability() const {
    return dynamic_cast<Capability*>(holder_.get());
  }

  /// Shuts the object down once, if init() was called; anything it throws is dropped (the
  /// instance is finished either way). Safe to call again.
  void shutdown() noexcept {
    if (!needs_shutdown_ || object_ == nullptr) return;
    needs_shutdown_ = false;
    (void)call([](T& object) {
      object.shutdown();
      return Status::ok();
    });
  }

 private:
  InstancePtr<plugin::Plugin> holder_;
  T* object_ = nullptr;
  std::string plugin_;
  std::string name_;
  std::string label_;
  /// Owned here so its address survives a move: the object may keep a reference until shutdown.
  std::unique_ptr<plugin::Context> context_;
  bool needs_shutdown_ = false;
};

}  // namespace mobisync::plugin_host
