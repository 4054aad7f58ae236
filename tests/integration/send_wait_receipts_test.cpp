// SPDX-License-Identifier: Apache-2.0
// `mobisync send --wait-receipts DURATION` against the node SMSC: receipts that come seconds
// after the submit are waited for and recorded (exit 0, each message delivered with its whole
// history), and when every receipt is lost the command gives up after DURATION with the exit
// code its help gives for "still pending" (69) and leaves the messages submitted.
#include <doctest/doctest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "support/node_smsc.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::NodeSmsc;
using mobisync::test::NodeSmscOptions;
using mobisync::test::ProcessResult;
using mobisync::test::TempDir;

namespace {

const std::vector<std::string> kRecipients = {"+447930020001", "+447930020002"};

/// A config with one smpp notifier "sms" at `smsc` and nothing else that `send` would use.
std::string sendConfig(const NodeSmsc& smsc) {
  return "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\n"
         "password_env = \"MOBIVATE_PASSWORD\"\n"
         "\n[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
         mobisync::test::pluginDir() + "\"]\n" +
         "\n[[notifier]]\nname = \"sms\"\nplugin = \"smpp\"\nhost = \"127.0.0.1\"\nport = " +
         std::to_string(smsc.port()) +
         "\nsystem_id = \"demo\"\npassword_env = \"SMPP_PASSWORD\"\nbinds = 2\n"
         "originator = \"MobiSync\"\nreconnect_min_ms = 50\nreconnect_max_ms = 400\n";
}

ProcessResult mobisync(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), mobisync::test::mobisyncBinary());
  args.push_back("-c");
  args.push_back(dir.file("mobisync.toml"));
  return mobisync::test::runProcess(
      args, {{"MOBIVATE_PASSWORD", "demo-secret"}, {"SMPP_PASSWORD", "secret"}});
}

/// The node SMSC started with `options`, and `send --to A --to B --wait-receipts wait` run
/// against it once.
struct SentToBoth {
  SentToBoth(const NodeSmscOptions& options, const std::string& wait) : smsc(options) {
    dir.write("mobisync.toml", sendConfig(smsc));
    result = mobisync(dir, {"send", "--via", "sms", "--to", kRecipients[0], "--to", kRecipients[1],
                            "--text", "Your parcel arrives today", "--wait-receipts", wait});
  }
  NodeSmsc smsc;
  TempDir dir;
  ProcessResult result;
};

/// `state messages --format json`, one object per message; one per recipient required.
std::vector<Poco::JSON::Object::Ptr> listedMessages(const TempDir& dir) {
  auto r = mobisync(dir, {"state", "messages", "--format", "json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto array = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
  REQUIRE(array->size() == kRecipients.size());
  std::vector<Poco::JSON::Object::Ptr> out;
  for (unsigned i = 0; i < array->size(); ++i) out.push_back(array->getObject(i));
  return out;
}

/// The statuses of a message's history, oldest first, each followed by a space.
std::string historyStatuses(const Poco::JSON::Object::Ptr& message) {
  std::string out;
  auto history = message->getArray("history");
  for (unsigned i = 0; i < history->size(); ++i) {
    out += history->getObject(i)->getValue<std::string>("status") + " ";
  }
  return out;
}

}  // namespace

TEST_SUITE("integration.send_wait_receipts") {
  TEST_CASE("send waits for receipts 0.5-3 s late and exits 0 with every message delivered") {
    NodeSmscOptions o;
    o.dlr_delay_min_ms = 500;
    o.dlr_delay_max_ms = 3000;
    o.seed = 23;
    INFO("smsc seed " << o.seed);
    SentToBoth sent(o, "20s");
    INFO(sent.result.out << sent.result.err << sent.smsc.stderrText());
    CHECK(sent.result.exit_code == 0);
    CHECK(sent.smsc.records("submit_sm").size() == kRecipients.size());

    for (const auto& m : listedMessages(sent.dir)) {
      INFO(m->getValue<std::string>("recipient"));
      CHECK(m->getValue<std::string>("status") == "delivered");
      CHECK_FALSE(m->getValue<std::string>("message_id").empty());
      REQUIRE(historyStatuses(m) == "queued sending submitted delivered ");
      CHECK(m->getArray("history")->getObject(3)->getValue<std::string>("origin") == "smpp");
    }
  }

  TEST_CASE("send gives up after --wait-receipts when every receipt is lost, exit 69") {
    NodeSmscOptions o;
    o.dlr_delay_min_ms = 0;
    o.dlr_delay_max_ms = 200;
    o.dlr_lose_percent = 100;
    o.seed = 29;
    INFO("smsc seed " << o.seed);
    SentToBoth sent(o, "2s");
    INFO(sent.result.out << sent.result.err << sent.smsc.stderrText());
    CHECK(sent.result.exit_code == 69);  // `mobisync help send`: 69 when one is still pending
    CHECK(sent.smsc.records("submit_sm").size() == kRecipients.size());

    for (const auto& m : listedMessages(sent.dir)) {
      INFO(m->getValue<std::string>("recipient"));
      CHECK(m->getValue<std::string>("status") == "submitted");
      CHECK(historyStatuses(m) == "queued sending submitted ");
    }
  }
}
