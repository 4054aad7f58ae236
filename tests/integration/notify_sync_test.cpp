// SPDX-License-Identifier: Apache-2.0
// Notifications end to end: the real binary, csv and http plugins, and the simulator's send APIs.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <set>
#include <sstream>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ProcessResult;
using mobisync::test::SimMessage;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;

namespace {

/// A config with one csv job "people" and one http notifier "sms" against one simulator.
class NotifyWorkspace {
 public:
  explicit NotifyWorkspace(SimulatorOptions sim_options = {}, const std::string& job_extra = "",
                           const std::string& notifier_extra = "", const std::string& rules = "")
      : sim_(std::move(sim_options)) {
    dir_.write("mobisync.toml",
               "[provider]\nbase_url = \"" + sim_.baseUrl() +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n\n"
                   "[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
                   mobisync::test::pluginDir() +
                   "\"]\n\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
                   "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
                   "applications = [\"contacts:42\"]\n" +
                   job_extra +
                   "\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
                   sim_.baseUrl() +
                   "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\noriginator = \"Mobisync\"\n" +
                   notifier_extra + "\n" + rules);
  }

  void writeCsv(const std::string& text) { dir_.write("people.csv", text); }

  ProcessResult run(std::vector<std::string> args, const std::string& api_key = "sim-api-key") {
    args.insert(args.begin(), mobisync::test::mobisyncBinary());
    args.push_back("-c");
    args.push_back(dir_.file("mobisync.toml"));
    return mobisync::test::runProcess(
        args, {{"MOBIVATE_PASSWORD", "demo-secret"}, {"SIM_API_KEY", api_key}});
  }

  SimulatorProcess& sim() { return sim_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_;
  SimulatorProcess sim_;
};

std::string number(int i) {
  std::ostringstream s;
  s << "4479300" << std::setw(5) << std::setfill('0') << i;
  return s.str();
}

std::string csvOf(int first, int count) {
  std::ostringstream s;
  s << "msisdn,name,reference,branch\n";
  for (int i = first; i < first + count; ++i) {
    s << "+" << number(i) << ",Person " << i << ",R" << i << ",Branch " << i % 3 << "\n";
  }
  return s.str();
}

const std::string kWelcome =
    "[[notify]]\nname = \"welcome\"\non = \"contact.added\"\nvia = \"sms\"\nto = \"contact\"\n"
    "template = \"Welcome {name} ({reference}) of {branch}\"\n";

std::set<std::string> texts(const std::vector<SimMessage>& messages) {
  std::set<std::string> out;
  for (const auto& m : messages) out.insert(m.recipient + " " + m.text);
  return out;
}

}  // namespace

TEST_SUITE("integration.notify") {
  TEST_CASE("a welcome rule sends one message per added contact and a re-run sends none") {
    NotifyWorkspace ws({}, "", "", kWelcome);
    ws.writeCsv(csvOf(1, 3));
    auto r = ws.run({"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Notifications: 3 submitted, 0 failed.") != std::string::npos);
    auto messages = ws.sim().messages();
    CHECK(texts(messages) == std::set<std::string>{
                                 number(1) + " Welcome Person 1 (R1) of Branch 1",
                                 number(2) + " Welcome Person 2 (R2) of Branch 2",
                                 number(3) + " Welcome Person 3 (R3) of Branch 0",
                             });
    std::set<std::string> references;
    for (const auto& m : messages) {
      CHECK(m.originator == "Mobisync");
      references.insert(m.reference);
    }
    CHECK(references.size() == 3);

    auto again = ws.run({"sync"});
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(ws.sim().messages().size() == 3);
    CHECK(again.out.find("Notifications:") == std::string::npos);

    // A fourth contact gets its own welcome; the first three get nothing more.
    ws.writeCsv(csvOf(1, 4));
    auto fourth = ws.run({"sync"});
    REQUIRE(fourth.exit_code == 0);
    auto after = ws.sim().messages();
    REQUIRE(after.size() == 4);
    CHECK(after.back().recipient == number(4));
    CHECK(after.back().text == "Welcome Person 4 (R4) of Branch 1");

    auto listed = ws.run({"state", "messages", "--job", "people"});
    INFO(listed.out);
    REQUIRE(listed.exit_code == 0);
    // One line per message, each followed by its history (queued, sending, submitted...).
    std::istringstream lines(listed.out);
    int rows = 0, submitted_events = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.find("contact.added") != std::string::npos) ++rows;
      if (line.rfind("       ", 0) == 0 && line.find("submitted   outbox") != std::string::npos) {
        ++submitted_events;
      }
    }
    CHECK(rows == 4);
    CHECK(submitted_events == 4);
    CHECK(listed.out.find("contact.added") != std::string::npos);
    CHECK(listed.out.find(number(4)) != std::string::npos);
    CHECK(listed.out.find("submitted") != std::string::npos);
  }

  TEST_CASE("a job blocked by max_delete sends one admin message") {
    const std::string rule =
        "[[notify]]\non = \"job.blocked\"\nvia = \"sms\"\nto = [\"+447930990001\"]\n"
        "template = \"{job} blocked: {held} removals held\"\n";
    NotifyWorkspace ws({}, "max_delete = 2\n", "", rule);
    ws.writeCsv(csvOf(1, 10));
    REQUIRE(ws.run({"sync"}).exit_code == 0);
    CHECK(ws.sim().messages().empty());
    ws.writeCsv(csvOf(1, 5));
    auto r = ws.run({"sync"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 65);
    auto messages = ws.sim().messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].recipient == "447930990001");
    CHECK(messages[0].text == "people blocked: 5 removals held");
  }

  TEST_CASE("2500 contact messages of one run go out as chunked batches with unique references") {
    NotifyWorkspace ws({}, "", "batch_chunk = 1000\n", kWelcome);
    ws.writeCsv(csvOf(1, 2500));
    auto r = ws.run({"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Notifications: 2500 submitted, 0 failed.") != std::string::npos);
    auto messages = ws.sim().messages();
    REQUIRE(messages.size() == 2500);
    std::set<std::string> references, recipients, campaigns;
    for (const auto& m : messages) {
      CHECK(m.api == "batch");
      references.insert(m.reference);
      recipients.insert(m.recipient);
      campaigns.insert(m.campaign_id);
    }
    CHECK(references.size() == 2500);
    CHECK(recipients.size() == 2500);
    CHECK(campaigns.size() == 3);
    CHECK(ws.sim().endpointCount("/send/batch", "200") == 3);
    CHECK(ws.sim().endpointCount("/send/single", "200") == 0);
  }

  TEST_CASE("numbers the HLR reports inactive are not subscribed and are in the reject file") {
    SimulatorOptions options;
    options.hlr_inactive = {number(2)};
    NotifyWorkspace ws(options, "hlr = true\nhlr_via = \"sms\"\n", "", kWelcome);
    ws.writeCsv(csvOf(1, 3));
    auto r = ws.run({"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto subs = ws.sim().subscriptions();
    CHECK(subs.size() == 2);
    CHECK(subs.count(number(2)) == 0);
    CHECK(r.out.find("1 numbers not subscribed: inactive by number lookup") != std::string::npos);
    std::ifstream in(ws.dir().file("people.rejects.csv"));
    std::string rejects((std::istreambuf_iterator<char>(in)), {});
    CHECK(rejects.find(number(2)) != std::string::npos);
    CHECK(rejects.find("inactive") != std::string::npos);
    // Only the two subscribed numbers are welcomed.
    CHECK(ws.sim().messages().size() == 2);
    const int lookups = ws.sim().endpointCount("/hlr/lookup", "200");
    CHECK(lookups == 3);

    // The next run answers from the memo: no new lookups, the number is still skipped.
    auto again = ws.run({"sync"});
    REQUIRE(again.exit_code == 0);
    CHECK(ws.sim().endpointCount("/hlr/lookup", "200") == lookups);
    CHECK(ws.sim().subscriptions().count(number(2)) == 0);
  }

  TEST_CASE("a refused API key stops notifying but not the sync") {
    NotifyWorkspace ws({}, "", "", kWelcome);
    ws.writeCsv(csvOf(1, 3));
    auto r = ws.run({"sync"}, "wrong-key");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(ws.sim().subscriptions().size() == 3);
    CHECK(r.out.find("Notifications: 0 submitted, 3 failed.") != std::string::npos);
    CHECK(r.out.find("refused the call") != std::string::npos);
    CHECK(r.out.find("wrong-key") == std::string::npos);
    CHECK(ws.sim().messages().empty());
  }

  TEST_CASE("send reports each recipient and an opted-out one does not stop the others") {
    SimulatorOptions options;
    options.optouts = {"447930990002"};
    NotifyWorkspace ws(options);
    auto r = ws.run({"send", "--via", "sms", "--to", "+447930990001,+447930990002,447930990003",
                     "--text", "Maintenance tonight: 22:00-23:00 {we} apologise"});
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.out.find("RECIPIENT") != std::string::npos);
    CHECK(r.out.find("447930990001     1      GSM-7     submitted, message id ") != std::string::npos);
    CHECK(r.out.find("447930990003     1      GSM-7     submitted, message id ") != std::string::npos);
    CHECK(r.out.find("447930990002     1      GSM-7     failed: ") != std::string::npos);
    CHECK(r.out.find("opted out") != std::string::npos);
    auto messages = ws.sim().messages();
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].api == "single");
    CHECK(messages[0].text == "Maintenance tonight: 22:00-23:00 {we} apologise");

    // UCS-2 and two parts: 71 characters with one outside GSM-7.
    std::string text = "Привет " + std::string(64, 'a');
    auto u = ws.run({"send", "--via", "sms", "--to", "+447930990001", "--text", text});
    INFO(u.out << u.err);
    CHECK(u.exit_code == 0);
    CHECK(u.out.find("447930990001     2      UCS-2     submitted") != std::string::npos);
  }

  TEST_CASE("send refuses bad usage before sending anything") {
    NotifyWorkspace ws;
    auto no_text = ws.run({"send", "--via", "sms", "--to", "+447930990001"});
    CHECK(no_text.exit_code == 64);
    CHECK(no_text.err.find("exactly one of --text") != std::string::npos);
    auto bad_originator = ws.run({"send", "--via", "sms", "--to", "+447930990001", "--text", "x",
                                  "--originator", "WayTooLongSenderName"});
    CHECK(bad_originator.exit_code == 64);
    CHECK(bad_originator.err.find("--originator") != std::string::npos);
    auto no_such = ws.run({"send", "--via", "pager", "--to", "+447930990001", "--text", "x"});
    CHECK(no_such.exit_code == 78);
    CHECK(ws.sim().messages().empty());
  }

  TEST_CASE("hlr prints a table and JSON") {
    SimulatorOptions options;
    options.hlr_inactive = {"447930000002"};
    NotifyWorkspace ws(options);
    auto table = ws.run({"hlr", "447930000001", "+447930000002"});
    INFO(table.out << table.err);
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("NUMBER") != std::string::npos);
    CHECK(table.out.find("447930000001     active") != std::string::npos);
    CHECK(table.out.find("447930000002     inactive") != std::string::npos);
    auto json = ws.run({"hlr", "--via", "sms", "--format", "json", "447930000002"});
    INFO(json.out << json.err);
    REQUIRE(json.exit_code == 0);
    CHECK(json.out.find("\"msisdn\": \"447930000002\"") != std::string::npos);
    CHECK(json.out.find("\"status\": \"inactive\"") != std::string::npos);
    CHECK(json.out.find("\"ported\": false") != std::string::npos);
  }
}
