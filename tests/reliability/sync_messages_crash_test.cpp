// SPDX-License-Identifier: Apache-2.0
// A sync's contact messages survive kill -9 mid-apply: the real `mobisync sync` with a
// contact.added rule, against the real simulator, is SIGKILLed at random points while it applies
// (seeded; MOBISYNC_CRASH_SEED replays). The invariant after every kill: each pair the state
// records as confirmed has its welcome message in the outbox. After the runs finish, every
// contact got exactly one message.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reliability/crash_harness.hpp"
#include "state/message_log.hpp"
#include "state/state_store.hpp"

using namespace mobisync::test;

namespace {

constexpr int kContacts = 300;
constexpr int kKills = 3;

/// The state's messages by recipient.
std::map<std::string, std::vector<mobisync::state::MessageRecord>> messagesByRecipient(
    SyncWorkspace& w) {
  mobisync::state::StateStore store(
      mobisync::state::StateLocation{w.dir().file("state.db"), "", ""});
  std::map<std::string, std::vector<mobisync::state::MessageRecord>> out;
  for (auto& m : mobisync::state::MessageLog(store).list("", 100000)) {
    out[m.recipient].push_back(m);
  }
  return out;
}

/// The numbers of the state's confirmed pairs ("msisdn application").
std::set<std::string> confirmedNumbers(SyncWorkspace& w) {
  std::set<std::string> out;
  for (const auto& pair : w.statePairs()) out.insert(pair.substr(0, pair.find(' ')));
  return out;
}

}  // namespace

TEST_SUITE("reliability.sync_messages") {
  TEST_CASE("sync killed mid-apply has queued the message of every change it recorded") {
    const std::uint64_t seed = crashSeed();
    MESSAGE("crash seed " << seed << " (replay with MOBISYNC_CRASH_SEED=" << seed << ")");
    std::mt19937_64 rng(seed);

    WorkspaceOptions o;
    o.sim.latency_ms = 5;
    o.sim.seed = static_cast<unsigned>(seed);
    o.concurrency = 4;
    o.env["SIM_API_KEY"] = "sim-api-key";
    SyncWorkspace w(o);
    w.options().extra_job =
        "\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
        w.sim().baseUrl() +
        "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\noriginator = \"Mobisync\"\n"
        "\n[[notify]]\nname = \"welcome\"\non = \"contact.added\"\nvia = \"sms\"\n"
        "to = \"contact\"\ntemplate = \"Welcome {name}\"\n" +
        std::string(kShortLease);
    w.writeConfig();
    w.writeCsv(contactsCsv(0, kContacts));

    int kills = 0;
    for (int k = 0; k < kKills; ++k) {
      const long remaining = kContacts - static_cast<long>(confirmedNumbers(w).size());
      if (remaining < 20) break;
      if (killRepeatedly(w, rng, 1, remaining).empty()) break;  // the run finished first
      ++kills;
      const auto confirmed = confirmedNumbers(w);
      const auto messages = messagesByRecipient(w);
      MESSAGE("kill " << k << ": " << confirmed.size() << " numbers confirmed, "
                      << messages.size() << " with a message");
      std::vector<std::string> without;
      for (const auto& number : confirmed) {
        if (messages.count(number) == 0) without.push_back(number);
      }
      INFO("kill " << k << ": confirmed without a message, e.g. "
                   << (without.empty() ? std::string("none") : without.front()));
      CHECK(without.size() == 0);
    }
    CHECK(kills > 0);

    resumeToEnd(w);
    const auto confirmed = confirmedNumbers(w);
    CHECK(confirmed.size() == kContacts);
    const auto messages = messagesByRecipient(w);
    std::map<std::string, int> received;
    for (const auto& m : w.sim().messages()) ++received[m.recipient];
    for (const auto& number : confirmed) {
      INFO("number " << number);
      REQUIRE(messages.count(number) == 1);
      CHECK(messages.at(number).size() == 1);
      CHECK(messages.at(number).front().status == "submitted");
      CHECK(received[number] == 1);
    }
  }
}
