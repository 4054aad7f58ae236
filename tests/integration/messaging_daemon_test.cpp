// SPDX-License-Identifier: Apache-2.0
// `mobisync run` as the messaging service against the node SMSC: messages another process put in
// the outbox are sent over the daemon's own binds, receipts that come late are recorded, a message
// without a final receipt becomes unknown after receipt_expiry, and /metrics moves accordingly.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "daemon_workspace.hpp"
#include "notify/outbox_drain.hpp"
#include "state/message_log.hpp"
#include "state/suppression_list.hpp"
#include "state/state_store.hpp"
#include "support/node_smsc.hpp"
#include "support/process.hpp"
#include "support/prometheus_text.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ChildProcess;
using mobisync::test::NodeSmsc;
using mobisync::test::NodeSmscOptions;
using mobisync::test::PromExposition;
using mobisync::test::TempDir;
using mobisync::test::daemon::eventually;
using mobisync::test::daemon::httpGet;
using mobisync::test::daemon::metricsPort;

namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

/// A daemon with no job and one smpp notifier "sms" at `smsc`; `messaging` is put under
/// [messaging].
std::string messagingConfig(const NodeSmsc& smsc, const std::string& messaging = "") {
  return "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\n"
         "password_env = \"MOBIVATE_PASSWORD\"\n"
         "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
         mobisync::test::pluginDir() + "\"]\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n" +
         "\n[messaging]\n" + messaging +
         "\n[[notifier]]\nname = \"sms\"\nplugin = \"smpp\"\nhost = \"127.0.0.1\"\nport = " +
         std::to_string(smsc.port()) +
         "\nsystem_id = \"demo\"\npassword_env = \"SMPP_PASSWORD\"\nbinds = 2\n"
         "originator = \"MobiSync\"\nreconnect_min_ms = 50\nreconnect_max_ms = 400\n";
}

/// `count` messages to distinct numbers, queued the way `sync` or `send` of another process
/// queues them.
/// Queues `count` messages, to recipients 447930010000 + first + i, or all to `to` when given.
void enqueue(const std::string& state_path, int count, const std::string& tag, int first = 0,
             const std::string& to = "") {
  mobisync::state::StateStore store(state_path);
  std::vector<mobisync::notify::QueuedMessage> messages;
  for (int i = 0; i < count; ++i) {
    mobisync::notify::QueuedMessage m;
    m.dedup_key = tag + "/" + std::to_string(i);
    m.notifier = "sms";
    m.recipient = to.empty() ? "4479300" + std::to_string(10000 + first + i) : to;
    m.text = "Hello " + std::to_string(i);
    m.originator = "MobiSync";
    m.job = "test";
    m.rule = tag;
    m.event = "send";
    messages.push_back(m);
  }
  mobisync::notify::enqueueMessages(store, messages, nowMs());
}

std::vector<mobisync::state::Suppression> suppressed(const std::string& state_path) {
  mobisync::state::StateStore store(state_path);
  return mobisync::state::SuppressionList(store).list();
}

std::map<std::string, int> statuses(const std::string& state_path) {
  mobisync::state::StateStore store(state_path);
  std::map<std::string, int> out;
  for (const auto& m : mobisync::state::MessageLog(store).list("", 100000)) ++out[m.status];
  return out;
}

PromExposition scrape(int port) {
  return mobisync::test::parsePrometheusText(httpGet(port, "/metrics").second);
}

double messages(const PromExposition& e, const std::string& status) {
  return e.value("mobisync_messages_total", {{"notifier", "sms"}, {"status", status}});
}

/// The daemon on `cfg`, its metrics port once it serves them.
struct Daemon {
  Daemon(const TempDir& dir, const std::string& cfg)
      : process({mobisync::test::mobisyncBinary(), "run", "-c", cfg},
                {{"MOBIVATE_PASSWORD", "demo-secret"}, {"SMPP_PASSWORD", "secret"}}, dir.path()) {
    REQUIRE_MESSAGE(eventually([&] { return metricsPort(process) != 0 || !process.running(); }),
                    process.readStderr());
    port = metricsPort(process);
    REQUIRE_MESSAGE(port != 0, process.readStderr());
  }
  ChildProcess process;
  int port = 0;
};

}  // namespace

TEST_SUITE("integration.messaging_daemon") {
  TEST_CASE("the daemon sends what others queued and records receipts that arrive late") {
    NodeSmscOptions o;
    o.dlr_delay_ms = 2500;  // after every submit_sm_resp of the pass: only an open bind sees them
    NodeSmsc smsc(o);
    TempDir dir;
    const std::string cfg = dir.write("mobisync.toml", messagingConfig(smsc));
    Daemon daemon(dir, cfg);

    // Every messaging series is there from the start, at 0.
    auto e = scrape(daemon.port);
    for (const char* s : {"queued", "submitted", "delivered", "failed", "expired", "unknown",
                          "suppressed"}) {
      CHECK_MESSAGE(messages(e, s) == 0, s);
    }
    CHECK(e.value("mobisync_message_receipt_seconds_count", {{"notifier", "sms"}}) == 0);
    CHECK(e.value("mobisync_messages_received_total", {{"notifier", "sms"}}) == 0);
    CHECK(e.value("mobisync_smpp_bound_sessions", {{"notifier", "sms"}}) == 0);
    CHECK(e.value("mobisync_optouts_total", {{"origin", "reply"}}) == 0);
    CHECK(e.value("mobisync_optouts_total", {{"origin", "provider"}}) == 0);

    constexpr int kMessages = 12;
    enqueue(dir.file("state.db"), kMessages, "late");
    REQUIRE_MESSAGE(eventually([&] { return statuses(dir.file("state.db"))["delivered"] ==
                                            kMessages; }),
                    daemon.process.readStderr());
    CHECK(smsc.records("submit_sm").size() == kMessages);

    e = scrape(daemon.port);
    CHECK(messages(e, "queued") == kMessages);
    CHECK(messages(e, "submitted") == kMessages);
    CHECK(messages(e, "delivered") == kMessages);
    CHECK(messages(e, "failed") == 0);
    CHECK(messages(e, "unknown") == 0);
    CHECK(e.value("mobisync_message_receipt_seconds_count", {{"notifier", "sms"}}) == kMessages);
    // Submitted to receipt took the SMSC's delay at least.
    CHECK(e.value("mobisync_message_receipt_seconds_sum", {{"notifier", "sms"}}) >=
          kMessages * 2.0);
    CHECK(e.value("mobisync_smpp_bound_sessions", {{"notifier", "sms"}}) >= 1);

    daemon.process.kill(SIGTERM);
    CHECK(daemon.process.wait() == 0);
    CHECK(smsc.records("unbind").size() >= 1);
  }

  TEST_CASE("receipts 0-10 s late, some repeated, all recorded, a STOP reply suppresses the next") {
    NodeSmscOptions o;
    o.dlr_delay_min_ms = 0;
    o.dlr_delay_max_ms = 10000;
    o.dlr_repeat_percent = 30;
    o.seed = 19;
    o.mo_after_submit = 8;  // the recipient of the 8th submit_sm to arrive answers
    o.mo_texts = {" Stop "};
    NodeSmsc smsc(o);
    TempDir dir;
    const std::string cfg = dir.write("mobisync.toml", messagingConfig(smsc));
    Daemon daemon(dir, cfg);

    constexpr int kMessages = 8;
    enqueue(dir.file("state.db"), kMessages, "first");
    REQUIRE_MESSAGE(eventually([&] { return statuses(dir.file("state.db"))["delivered"] ==
                                            kMessages; }),
                    daemon.process.readStderr());
    REQUIRE_MESSAGE(eventually([&] {
                      return scrape(daemon.port).value("mobisync_optouts_total",
                                                       {{"origin", "reply"}}) == 1;
                    }),
                    daemon.process.readStderr());
    auto e = scrape(daemon.port);
    CHECK(messages(e, "delivered") == kMessages);  // repeats counted once
    CHECK(e.value("mobisync_messages_received_total", {{"notifier", "sms"}}) == 1);

    // The number that answered STOP (the destination of the 8th submit_sm to reach the SMSC,
    // which over two binds need not be the 8th queued): a later message to it is never sent.
    const auto opted_out = suppressed(dir.file("state.db"));
    REQUIRE(opted_out.size() == 1);
    enqueue(dir.file("state.db"), 1, "second", 0, opted_out.front().msisdn);
    REQUIRE_MESSAGE(eventually([&] { return statuses(dir.file("state.db"))["suppressed"] == 1; }),
                    daemon.process.readStderr());
    e = scrape(daemon.port);
    CHECK(messages(e, "queued") == kMessages + 1);
    CHECK(messages(e, "suppressed") == 1);
    CHECK(messages(e, "submitted") == kMessages);
    CHECK(smsc.records("submit_sm").size() == kMessages);
    daemon.process.kill(SIGTERM);
    CHECK(daemon.process.wait() == 0);
  }

  TEST_CASE("a message without a final receipt within receipt_expiry becomes unknown") {
    NodeSmscOptions o;
    o.dlr_delay_ms = 8000;
    NodeSmsc smsc(o);
    TempDir dir;
    const std::string cfg = dir.write("mobisync.toml", messagingConfig(smsc, "receipt_expiry = 2\n"));
    Daemon daemon(dir, cfg);

    constexpr int kMessages = 3;
    enqueue(dir.file("state.db"), kMessages, "expiring");
    REQUIRE_MESSAGE(eventually([&] { return statuses(dir.file("state.db"))["unknown"] ==
                                            kMessages; }),
                    daemon.process.readStderr());
    auto e = scrape(daemon.port);
    CHECK(messages(e, "submitted") == kMessages);
    CHECK(messages(e, "unknown") == kMessages);
    // The receipt that comes after the expiry is kept in the history, the status stays unknown,
    // and nothing is counted twice.
    mobisync::state::StateStore store(dir.file("state.db"));
    mobisync::state::MessageLog log(store);
    const auto first = log.list("", 10).front();
    REQUIRE_MESSAGE(eventually([&] {
                      for (const auto& h : log.history(first.id)) {
                        if (h.origin == "smpp") return true;
                      }
                      return false;
                    }),
                    daemon.process.readStderr());
    CHECK(statuses(dir.file("state.db"))["unknown"] == kMessages);
    e = scrape(daemon.port);
    CHECK(messages(e, "unknown") == kMessages);
    CHECK(messages(e, "delivered") == 0);
    daemon.process.kill(SIGTERM);
    CHECK(daemon.process.wait() == 0);
  }
}
