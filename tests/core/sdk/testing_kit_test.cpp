// SPDX-License-Identifier: Apache-2.0
// mobisync/plugin/testing.hpp: schema defaults as the host applies them, the recording sink, and
// a context whose logger the test can read.
#include <doctest/doctest.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "mobisync/plugin/testing.hpp"

namespace plugin = mobisync::plugin;
namespace testing = mobisync::plugin::testing;
using mobisync::Contact;
using mobisync::RejectedRow;
using mobisync::Status;
using plugin::ConfigKey;
using plugin::KeyType;
using Strings = std::vector<std::string>;

namespace {

constexpr ConfigKey kSchema[] = {
    {"path", KeyType::Path, true, nullptr, "the file"},
    {"cache", KeyType::Path, false, "cache/../state.db", "a default path"},
    {"delimiter", KeyType::String, false, ",", "a string"},
    {"batch", KeyType::PositiveInteger, false, "500", "an integer"},
    {"strict", KeyType::Boolean, false, "true", "a boolean"},
    {"ratio", KeyType::Float, false, "0.25", "a float"},
    {"columns", KeyType::StringList, false, "a,b", "a list"},
    {"password", KeyType::Secret, false, "not-applied", "a secret"},
};

/// A source that yields two contacts, one row per kind of reject, a tombstone and a cursor.
class ScriptedSource final : public plugin::Source {
 public:
  Status init(const plugin::Context& context) override {
    context.logger.information("init " + context.instance_name);
    return Status::ok();
  }
  Status fetch(plugin::ContactSink& sink) override {
    if (sink.storedCursor()) sink.markIncremental();
    for (const char* number : {"447930000001", "447930000002"}) {
      Contact c;
      c.msisdn = number;
      if (Status s = sink.accept(std::move(c)); !s) return s;
    }
    sink.reject(RejectedRow{"f:4", "raw 4", "bad byte"});
    sink.rejectWithNumber(RejectedRow{"f:5", "raw 5", "bad name"}, {"447930000005"});
    if (Status s = sink.tombstone("447930000009", "f:6"); !s) return s;
    sink.reportCursor(plugin::Cursor{"42", "integer"});
    return Status::ok();
  }
  void shutdown() noexcept override {}
};

}  // namespace

TEST_SUITE("core.sdk.testing_kit") {
  TEST_CASE("unset keys take the schema's defaults as the host applies them, secrets none") {
    testing::ConfigBuilder config(kSchema, std::size(kSchema), "/etc/mobisync");
    const plugin::ConfigValues& v = config;
    CHECK_FALSE(v.has("path"));
    CHECK(v.string("cache") == "/etc/mobisync/state.db");
    CHECK(v.string("delimiter") == ",");
    CHECK(v.integer("batch") == 500);
    CHECK(v.boolean("strict"));
    CHECK(v.number("ratio") == doctest::Approx(0.25));
    CHECK(v.list("columns") == Strings{"a", "b"});
    CHECK_FALSE(v.has("password"));
  }

  TEST_CASE("set values win, relative paths resolve against the base dir, origins are kept") {
    testing::ConfigBuilder config(kSchema, std::size(kSchema), "/etc/mobisync");
    config.set("path", "in/people.csv", "mobisync.toml:7:3").set("delimiter", ";");
    config.set("batch", std::int64_t{2});
    const plugin::ConfigValues& v = config.values();
    CHECK(v.string("path") == "/etc/mobisync/in/people.csv");
    CHECK(v.where("path") == "mobisync.toml:7:3: path");
    CHECK(v.string("delimiter") == ";");
    CHECK(v.integer("batch") == 2);
    CHECK(testing::ConfigBuilder().set("x", "y").values().string("x") == "y");
  }

  TEST_CASE("the recording sink records contacts, both rejects, the tombstone and the cursor") {
    ScriptedSource source;
    testing::TestContext context(testing::ConfigBuilder().values(), "scripted", "people");
    testing::RecordingSink sink;
    sink.stored_cursor = plugin::Cursor{"7", "integer"};
    REQUIRE(testing::runSource(source, context, sink).isOk());
    CHECK(sink.accepted == 2);
    CHECK(sink.numbers() == Strings{"447930000001", "447930000002"});
    CHECK(sink.has("447930000002"));
    REQUIRE(sink.rejects.size() == 2);
    CHECK(sink.rejects[0].position == "f:4");
    CHECK(sink.rejects[1].reason == "bad name");
    CHECK(sink.number_cells == std::vector<Strings>{{}, {"447930000005"}});
    CHECK(sink.rejected_with_number == 1);
    CHECK(sink.incremental);
    REQUIRE(sink.tombstones.size() == 1);
    CHECK(sink.tombstones[0].msisdn == "447930000009");
    CHECK(sink.tombstones[0].position == "f:6");
    REQUIRE(sink.reported_cursor);
    CHECK(sink.reported_cursor->value == "42");
  }

  TEST_CASE("the recording sink stops a fetch when full or when on_accept says so") {
    ScriptedSource source;
    testing::TestContext context(plugin::ConfigValues{});
    testing::RecordingSink full;
    full.fail_after = 1;
    Status s = testing::runSource(source, context, full);
    CHECK(s.message() == "sink full");
    CHECK(full.contacts.size() == 1);
    CHECK_FALSE(full.incremental);

    testing::RecordingSink hooked;
    hooked.keep_contacts = false;
    hooked.on_accept = [&hooked](const Contact& c) {
      return hooked.accepted == 2 ? Status::unavailable("stop at " + c.msisdn) : Status::ok();
    };
    CHECK(testing::runSource(source, context, hooked).message() == "stop at 447930000002");
    CHECK(hooked.accepted == 2);
    CHECK(hooked.contacts.empty());
  }

  TEST_CASE("the context's logger is named as the host names it and its messages are kept") {
    Poco::Logger& logger = Poco::Logger::get("mobisync.plugin.scripted.logged");
    const int level_before = logger.getLevel();
    {
      ScriptedSource source;
      testing::TestContext context(plugin::ConfigValues{}, "scripted", "logged");
      CHECK(&context.context().logger == &logger);
      CHECK(context.context().instance_name == "logged");
      testing::RecordingSink sink;
      REQUIRE(testing::runSource(source, context, sink).isOk());
      CHECK(context.log().logged("init logged"));
      CHECK(context.log().texts() == Strings{"init logged"});
      CHECK(context.log().lines()[0].priority == Poco::Message::PRIO_INFORMATION);
    }
    CHECK(logger.getLevel() == level_before);
  }
}
