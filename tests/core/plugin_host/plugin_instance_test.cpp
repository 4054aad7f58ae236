// SPDX-License-Identifier: Apache-2.0
// Instance<T>: the SDK's order of calls, the guard naming plugin and instance, kind, capabilities.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "mobisync/plugin/testing.hpp"
#include "plugin_host/plugin_instance.hpp"

using mobisync::Errc;
using mobisync::Status;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::Context;
using mobisync::plugin_host::Instance;
using mobisync::plugin_host::InstancePtr;
using mobisync::plugin_host::LibraryBoundDeleter;
using mobisync::plugin_host::PluginError;
namespace plugin = mobisync::plugin;

namespace {

/// What a fake saw, in order: "init people", "fetch", "shutdown".
using Calls = std::vector<std::string>;

/// How a FakeSource's init() ends.
enum class Init { Succeeds, Refuses, Throws };

/// A source that records its calls; its init() ends as told, its fetch() throws.
class FakeSource final : public plugin::Source {
 public:
  explicit FakeSource(Calls& calls, Init init = Init::Succeeds)
      : refuse_init(init == Init::Refuses), throw_in_init(init == Init::Throws), calls_(calls) {}
  Status init(const Context& context) override {
    calls_.push_back("init " + context.instance_name + " " + context.logger.name() + " " +
                     context.config.string("path"));
    if (throw_in_init) throw std::runtime_error("init exploded");
    return refuse_init ? Status::invalidConfig("path: no such file") : Status::ok();
  }
  Status fetch(plugin::ContactSink&) override {
    calls_.push_back("fetch");
    throw std::runtime_error("fetch exploded");
  }
  void shutdown() noexcept override { calls_.push_back("shutdown"); }
  const bool refuse_init;
  const bool throw_in_init;

 private:
  Calls& calls_;
};

/// A notifier that can also send in batches, and nothing else.
class BulkFake final : public plugin::Notifier, public plugin::BulkNotifier {
 public:
  Status init(const Context&) override { return Status::ok(); }
  void shutdown() noexcept override {}
  mobisync::Result<plugin::Delivery> send(const plugin::Message&) override {
    return plugin::Delivery{};
  }
  mobisync::Result<std::vector<plugin::Delivery>> sendBatch(const std::vector<plugin::Message>&,
                                                            const plugin::BatchOptions&) override {
    return std::vector<plugin::Delivery>{};
  }
};

/// An object as a plugin's create() hands it over, destroyed by its own deleter.
InstancePtr<plugin::Plugin> made(plugin::Plugin* object) {
  const LibraryBoundDeleter own_deleter{nullptr, [](plugin::Plugin* p) { delete p; }};
  return InstancePtr<plugin::Plugin>(object, own_deleter);
}

ConfigValues pathValues() {
  ConfigValues values;
  values.set("path", std::string("people.csv"), "");
  return values;
}

}  // namespace

TEST_SUITE("core.plugin_host.instance") {
  TEST_CASE("init gets the instance's name, config and logger, shutdown runs once") {
    Calls calls;
    const ConfigValues values = pathValues();
    {
      Instance<plugin::Source> source(made(new FakeSource(calls)), "fake", "people");
      REQUIRE(source.init(values).isOk());
      source.shutdown();
      source.shutdown();
    }
    CHECK(calls == Calls{"init people mobisync.plugin.fake.people people.csv", "shutdown"});
  }

  TEST_CASE("an instance that was init()ed is shut down when destroyed, a moved-from one not") {
    Calls calls;
    const ConfigValues values = pathValues();
    {
      Instance<plugin::Source> first(made(new FakeSource(calls)), "fake", "people");
      REQUIRE(first.init(values).isOk());
      Instance<plugin::Source> second(std::move(first));
      CHECK(second.name() == "people");
      CHECK(second.plugin() == "fake");
    }
    CHECK(calls.size() == 2);
    CHECK(calls.back() == "shutdown");
  }

  TEST_CASE("an instance never init()ed is not shut down") {
    Calls calls;
    { Instance<plugin::Source> source(made(new FakeSource(calls)), "fake", "people"); }
    CHECK(calls.empty());
  }

  TEST_CASE("a refused init is followed by shutdown at once and keeps its Status") {
    Calls calls;
    const ConfigValues values = pathValues();
    Instance<plugin::Source> source(made(new FakeSource(calls, Init::Refuses)), "fake", "people");
    Status s = source.init(values);
    CHECK(s.code() == Errc::InvalidConfig);
    CHECK(s.message() == "path: no such file");
    CHECK(calls.size() == 2);
    CHECK(calls.back() == "shutdown");
  }

  TEST_CASE("what a plugin throws becomes a PluginFailure naming the plugin and the instance") {
    Calls calls;
    const ConfigValues values = pathValues();
    Instance<plugin::Source> source(made(new FakeSource(calls, Init::Throws)), "fake", "people");
    Status init = source.init(values);
    CHECK(init.code() == Errc::PluginFailure);
    CHECK(init.message() == "plugin fake (instance people): threw an exception: init exploded");
    CHECK(calls.back() == "shutdown");

    plugin::testing::RecordingSink sink;
    Status fetch = source.call([&](plugin::Source& s) { return s.fetch(sink); });
    CHECK(fetch.message() == "plugin fake (instance people): threw an exception: fetch exploded");
  }

  TEST_CASE("an object of the other kind is refused naming the plugin") {
    try {
      Instance<plugin::Source> source(made(new BulkFake), "hooks", "alerts");
      FAIL("not refused");
    } catch (const PluginError& e) {
      CHECK(std::string(e.what()) == "plugin hooks made an object that is not a Source");
    }
  }

  TEST_CASE("the capabilities are what the object's class derives from") {
    Instance<plugin::Notifier> notifier(made(new BulkFake), "hooks", "alerts");
    CHECK(notifier.capability<plugin::BulkNotifier>() != nullptr);
    CHECK(notifier.capability<plugin::NumberLookup>() == nullptr);
    CHECK(notifier.capability<plugin::ReceiptSource>() == nullptr);
    auto sent = notifier.call<mobisync::Result<plugin::Delivery>>(
        [](plugin::Notifier& n) { return n.send({}); });
    CHECK(sent.has_value());
  }
}
