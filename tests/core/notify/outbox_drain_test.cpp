// SPDX-License-Identifier: Apache-2.0
// OutboxDrain over a real SQLite state file and a scripted in-process notifier: batches,
// retries with backoff, refusals, expiry, suppression, and what a crash leaves.
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <thread>

#include <Poco/Data/Session.h>

#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"
#include "notify/outbox_drain.hpp"
#include "state/message_log.hpp"
#include "state/outbox.hpp"
#include "state/suppression_list.hpp"
#include "support/temp_dir.hpp"

namespace notify = mobisync::notify;
namespace plugin = mobisync::plugin;
namespace state = mobisync::state;
using mobisync::Result;
using mobisync::Status;

namespace {

/// Answers each send with the next scripted outcome (Ok when the script is empty) and records
/// what it was asked to send; with `bulk`, also sends batches.
class ScriptedNotifier : public plugin::Notifier, public plugin::BulkNotifier {
 public:
  std::deque<Result<plugin::Delivery>> script;
  std::vector<std::string> sent;  ///< "to:reference"
  int batches = 0;

  Status init(const plugin::Context&) override { return Status::ok(); }
  void shutdown() noexcept override {}
  Result<plugin::Delivery> send(const plugin::Message& m) override {
    Result<plugin::Delivery> r = plugin::Delivery{plugin::Delivery::Outcome::Ok,
                                                  "p-" + m.reference, ""};
    if (!script.empty()) {
      r = script.front();
      script.pop_front();
    }
    if (r && r->outcome == plugin::Delivery::Outcome::Ok) sent.push_back(m.to + ":" + m.reference);
    return r;
  }
  Result<std::vector<plugin::Delivery>> sendBatch(const std::vector<plugin::Message>& batch,
                                                  const plugin::BatchOptions&) override {
    ++batches;
    std::vector<plugin::Delivery> out;
    for (const auto& m : batch) {
      auto r = send(m);
      if (!r) return r.error();
      out.push_back(*r);
    }
    return out;
  }
};

/// A notifier without BulkNotifier.
class SingleNotifier final : public plugin::Notifier {
 public:
  ScriptedNotifier inner;
  Status init(const plugin::Context&) override { return Status::ok(); }
  void shutdown() noexcept override {}
  Result<plugin::Delivery> send(const plugin::Message& m) override { return inner.send(m); }
};

std::unique_ptr<notify::NotifierInstance> adopt(plugin::Notifier* object, const std::string& name) {
  using mobisync::plugin_host::InstancePtr;
  using mobisync::plugin_host::LibraryBoundDeleter;
  const LibraryBoundDeleter own{nullptr, [](plugin::Plugin* p) { delete p; }};
  return std::make_unique<notify::NotifierInstance>(mobisync::plugin_host::Instance<plugin::Notifier>(
      InstancePtr<plugin::Plugin>(object, own), "fake", name));
}

struct Fixture {
  mobisync::test::TempDir dir;
  state::StateStore store{state::StateLocation{dir.path() + "/state.db", "", ""}};
  std::map<std::string, std::unique_ptr<notify::NotifierInstance>> instances;
  std::vector<std::chrono::milliseconds> slept;

  notify::OutboxDrain::Lookup lookup() {
    return [this](const std::string& name) -> Result<notify::NotifierInstance*> {
      auto it = instances.find(name);
      if (it == instances.end()) return Status::invalidConfig("no [[notifier]] named " + name);
      return it->second.get();
    };
  }
  std::vector<std::int64_t> enqueue(int n, const std::string& via = "sms") {
    std::vector<notify::QueuedMessage> messages;
    for (int i = 0; i < n; ++i) {
      messages.push_back({"k/" + via + "/" + std::to_string(i), via, "4479000000" + std::to_string(i),
                          "hello", "", "", "", "send", 0});
    }
    return notify::enqueueMessages(store, messages, nowMs());
  }
  notify::DrainCounts settle(notify::DrainSettings settings = {}) {
    settings.initial_backoff = std::chrono::milliseconds(1);
    settings.max_backoff = std::chrono::milliseconds(2);
    return notify::OutboxDrain(lookup(), store, settings)
        .drainUntilSettled(nowMs() + 60'000, [this](auto d) {
          slept.push_back(d);
          std::this_thread::sleep_for(d);
        });
  }
  std::string status(std::int64_t id) { return state::MessageLog(store).find(id)->status; }
  static std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("a notifier with batches gets one batch, every row ends submitted with its id") {
    Fixture f;
    auto* fake = new ScriptedNotifier;
    f.instances["sms"] = adopt(fake, "sms");
    auto ids = f.enqueue(5);
    auto counts = f.settle();
    CHECK(counts.submitted == 5);
    CHECK(fake->batches == 1);
    CHECK(fake->sent.size() == 5);
    for (auto id : ids) {
      auto m = state::MessageLog(f.store).find(id);
      CHECK(m->status == "submitted");
      CHECK(m->message_id == "p-ms-" + std::to_string(id));
      CHECK(m->submitted_at_ms > 0);
    }
    CHECK(f.settle().submitted == 0);  // nothing is sent twice
  }

  TEST_CASE("temporary failures are retried with backoff until they pass or attempts end") {
    Fixture f;
    auto* fake = new SingleNotifier;
    f.instances["sms"] = adopt(fake, "sms");
    auto ids = f.enqueue(2);
    using O = plugin::Delivery::Outcome;
    // Row 1: busy once, then accepted. Row 2: busy on every one of its 4 attempts.
    fake->inner.script = {plugin::Delivery{O::Retry, "", "busy"}, plugin::Delivery{O::Retry, "", "busy"},
                          plugin::Delivery{O::Ok, "p-1", ""},      plugin::Delivery{O::Retry, "", "busy"},
                          plugin::Delivery{O::Retry, "", "busy"},  plugin::Delivery{O::Retry, "", "busy"}};
    auto counts = f.settle();
    CHECK(counts.submitted == 1);
    CHECK(counts.failed == 1);
    CHECK(f.status(ids[0]) == "submitted");
    auto failed = state::MessageLog(f.store).find(ids[1]);
    CHECK(failed->status == "failed");
    CHECK(failed->attempts == 4);
    CHECK(failed->detail.find("still failing after 4 attempts") == 0);
    CHECK_FALSE(f.slept.empty());
  }

  TEST_CASE("a refused call fails the rest, a dropped message fails alone") {
    Fixture f;
    auto* fake = new SingleNotifier;
    f.instances["sms"] = adopt(fake, "sms");
    auto ids = f.enqueue(3);
    fake->inner.script = {plugin::Delivery{plugin::Delivery::Outcome::Drop, "", "opted out"},
                          Status::invalidConfig("password refused")};
    auto counts = f.settle();
    CHECK(counts.failed == 3);
    CHECK_FALSE(counts.fatal.isOk());
    CHECK(state::MessageLog(f.store).find(ids[0])->detail == "opted out");
    CHECK(f.status(ids[2]) == "failed");
    CHECK(fake->inner.sent.empty());
  }

  TEST_CASE("suppressed recipients and expired rows are never sent, unknown notifiers fail") {
    Fixture f;
    auto* fake = new ScriptedNotifier;
    f.instances["sms"] = adopt(fake, "sms");
    auto ids = f.enqueue(3);
    state::SuppressionList(f.store).add("44790000001", "sms", "reply", "STOP", 1);
    state::Outbox outbox(f.store);
    outbox.claimDue("sms", "me", Fixture::nowMs(), 1);  // take row 0 aside to expire it
    outbox.markRetry(ids[0], "busy", 0, Fixture::nowMs());
    f.store.session() << "UPDATE messages SET expires_at = 1 WHERE id = " + std::to_string(ids[0]),
        Poco::Data::Keywords::now;
    auto lost = f.enqueue(1, "nowhere");
    auto counts = f.settle();
    CHECK(counts.expired == 1);
    CHECK(counts.suppressed == 1);
    CHECK(counts.submitted == 1);
    CHECK(f.status(ids[0]) == "expired");
    CHECK(f.status(ids[1]) == "suppressed");
    CHECK(f.status(ids[2]) == "submitted");
    CHECK(f.status(lost[0]) == "failed");
    CHECK(fake->sent == std::vector<std::string>{"44790000002:ms-" + std::to_string(ids[2])});
  }

  TEST_CASE("rows a dead drainer left sending are sent again, a live one's are not touched") {
    Fixture f;
    auto* fake = new ScriptedNotifier;
    f.instances["sms"] = adopt(fake, "sms");
    auto ids = f.enqueue(2);
    state::Outbox outbox(f.store);
    // A holder of another host: only the in-flight timeout frees its row.
    outbox.claimDue("sms", "elsewhere:1:x", Fixture::nowMs(), 1);
    notify::DrainSettings settings;
    CHECK(f.settle(settings).submitted == 1);
    CHECK(f.status(ids[0]) == "sending");
    settings.in_flight_timeout = std::chrono::milliseconds(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto counts = f.settle(settings);
    CHECK(counts.requeued == 1);
    CHECK(counts.submitted == 1);
    CHECK(f.status(ids[0]) == "submitted");
  }

  TEST_CASE("every drain counts its outcomes in mobisync_messages_total, retries not") {
    // Notifier names of their own: the registry is the process's, shared with other cases.
    auto counted = [](const std::string& notifier, const char* status) {
      return mobisync::metrics::global().value(mobisync::metrics::kMessages,
                                               {{"notifier", notifier}, {"status", status}});
    };
    Fixture f;
    auto* fake = new SingleNotifier;
    f.instances["metered"] = adopt(fake, "metered");
    auto ids = f.enqueue(4, "metered");
    state::SuppressionList(f.store).add("44790000001", "sms", "reply", "STOP", 1);
    f.store.session() << "UPDATE messages SET expires_at = 1 WHERE id = " + std::to_string(ids[3]),
        Poco::Data::Keywords::now;
    using O = plugin::Delivery::Outcome;
    // Row 0: busy once, then accepted; row 2: refused for good.
    fake->inner.script = {plugin::Delivery{O::Retry, "", "busy"},
                          plugin::Delivery{O::Drop, "", "opted out"},
                          plugin::Delivery{O::Ok, "p-0", ""}};
    f.enqueue(1, "metered-gone");  // no such notifier: failed
    f.settle();
    CHECK(f.status(ids[0]) == "submitted");
    CHECK(counted("metered", "submitted") == 1);
    CHECK(counted("metered", "failed") == 1);
    CHECK(counted("metered", "suppressed") == 1);
    CHECK(counted("metered", "expired") == 1);
    CHECK(counted("metered", "queued") == 0);  // queued is counted where rows are written
    CHECK(counted("metered-gone", "failed") == 1);
    f.settle();
    CHECK(counted("metered", "submitted") == 1);  // a drain with nothing to do counts nothing
  }
}
