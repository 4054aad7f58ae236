// SPDX-License-Identifier: Apache-2.0
// Issue 17 case 3 through the real binary: a provider that answers 200 without Content-Length
// and sends one byte every 0.5 s made `sync` and `send` never return (timeout_ms bounded each
// read, not the call). Now every call ends at timeout_ms, so a run's length follows from its
// settings.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "reliability/sync_workspace.hpp"

using mobisync::test::contactsCsv;
using mobisync::test::ProcessResult;
using mobisync::test::SyncWorkspace;
using mobisync::test::WorkspaceOptions;
using std::chrono::milliseconds;

namespace {

using Clock = std::chrono::steady_clock;

// Starting the binary, loading plugins and the state, on a machine shared with other builds.
constexpr milliseconds kSlack{5000};

std::string said(const ProcessResult& r) { return r.out + r.err; }

// The provider of the issue: every answer trickled, one byte every 500 ms (the JSON answers are
// 30 bytes or more, so each takes 15 s or more to arrive whole).
WorkspaceOptions tricklingProvider() {
  WorkspaceOptions o;
  o.sim.extra_args = {"--trickle-rate", "1", "--trickle-ms", "500"};
  return o;
}

}  // namespace

TEST_SUITE("reliability.deadline") {
  TEST_CASE("sync against a trickling provider ends within max_attempts x timeout_ms") {
    constexpr int kContacts = 4;
    constexpr int kConcurrency = 4;
    constexpr int kMaxAttempts = 2;
    constexpr milliseconds kTimeout{1000};
    constexpr milliseconds kBackoffMax{200};
    WorkspaceOptions o = tricklingProvider();
    o.concurrency = kConcurrency;
    o.extra_provider = "timeout_ms = " + std::to_string(kTimeout.count()) +
                       "\nmax_attempts = " + std::to_string(kMaxAttempts) +
                       "\nbackoff_initial_ms = 200\nbackoff_max_ms = " +
                       std::to_string(kBackoffMax.count()) + "\n";
    SyncWorkspace w(o);
    w.writeCsv(contactsCsv(0, kContacts));

    // Each worker makes one call: at most max_attempts attempts of timeout_ms each, with a
    // backoff of at most backoff_max_ms between them.
    const milliseconds bound = ((kContacts + kConcurrency - 1) / kConcurrency) *
                                   (kMaxAttempts * kTimeout + (kMaxAttempts - 1) * kBackoffMax) +
                               kSlack;
    const auto started = Clock::now();
    const ProcessResult r = w.run({"sync", "--progress", "never"}, std::chrono::seconds(120));
    const auto took = Clock::now() - started;
    INFO(said(r));
    CHECK(r.exit_code == 69);
    CHECK(took < bound);
    CHECK(said(r).find("no complete answer within 1000 ms") != std::string::npos);
    // The provider acted on the calls, but no answer was complete: nothing is recorded as
    // confirmed, and the next run plans them again.
    CHECK(w.statePairs().empty());
    CHECK(w.sim().endpointCount("/api/contacts/create", "trickled") >= kContacts);

    // Once the provider answers normally, a run completes the job.
    w.sim().setFaults("trickle_rate=0");
    const ProcessResult again = w.run({"sync", "--progress", "never"});
    INFO(said(again));
    CHECK(again.exit_code == 0);
    CHECK(w.statePairs().size() == kContacts);
  }

  TEST_CASE("send against a trickling provider ends within its attempts x timeout_ms") {
    constexpr int kAttempts = 4;  // notify::RetrySettings: 4 attempts, backoff 200 ms doubling
    constexpr milliseconds kTimeout{1000};
    constexpr milliseconds kBackoffs{200 + 400 + 800};
    WorkspaceOptions o = tricklingProvider();
    SyncWorkspace w(o);
    o.env["SIM_API_KEY"] = w.sim().apiKey();
    w.options() = o;
    w.options().extra_job = "\n[[notifier]]\nname = \"sms\"\nplugin = \"http\"\njson_base_url = \"" +
                            w.sim().baseUrl() +
                            "\"\napi_key_env = \"SIM_API_KEY\"\nroute_id = \"7\"\n"
                            "originator = \"Mobisync\"\ntimeout_ms = " +
                            std::to_string(kTimeout.count()) + "\n";
    w.writeConfig();

    const milliseconds bound = kAttempts * kTimeout + kBackoffs + kSlack;
    const auto started = Clock::now();
    const ProcessResult r =
        w.run({"send", "--via", "sms", "--to", "+447930990001", "--text", "hi"},
              std::chrono::seconds(300));
    const auto took = Clock::now() - started;
    INFO(said(r));
    CHECK(r.exit_code == 69);  // retries used up: unavailable, not refused (76)
    CHECK(took < bound);
    CHECK(r.out.find("447930990001") != std::string::npos);
    CHECK(r.out.find("failed: ") != std::string::npos);
    CHECK(r.out.find("no complete answer within 1000 ms") != std::string::npos);
    CHECK(r.out.find("submitted, message id") == std::string::npos);
  }
}
