// SPDX-License-Identifier: Apache-2.0
// OptoutImporter against the real simulator's GET /addressbook/optout: every listed number is
// suppressed once (origin "provider"), the position moves on, the next import asks only from
// the last day imported, and a refused key leaves the position where it was.
#include <doctest/doctest.h>

#include <string>

#include "notify/optout_import.hpp"
#include "state/optout_imports.hpp"
#include "state/state_store.hpp"
#include "state/suppression_list.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

using mobisync::notify::OptoutApi;
using mobisync::notify::OptoutImporter;

namespace {

void seed(mobisync::test::SimulatorProcess& sim, const std::string& mobile,
          const std::string& created) {
  auto r = sim.call("POST", "/_sim/optouts",
                    "{\"mobile\": \"" + mobile + "\", \"created\": \"" + created + "\"}",
                    {{"Content-Type", "application/json"}});
  REQUIRE(r.status == 200);
}

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("day arithmetic of the import ranges") {
    using mobisync::notify::dayNumber;
    using mobisync::notify::dayText;
    CHECK(dayText(0) == "1970-01-01");
    CHECK(dayNumber("2024-03-01") - dayNumber("2024-02-28") == 2);
    CHECK(dayText(dayNumber("2026-12-31") + 1) == "2027-01-01");
    CHECK(mobisync::notify::utcDay(1'800'000'000'000) == "2027-01-15");
  }
}

// Against the simulator: integration, so the sanitizer run (which builds no simulator) skips it.
TEST_SUITE("core.notify.integration") {
  TEST_CASE("the provider's opt-out list is imported incrementally into the suppressions") {
    mobisync::test::TempDir dir;
    mobisync::test::SimulatorProcess sim;
    mobisync::state::StateStore store(dir.file("state.db"));
    seed(sim, "447700900001", "2026-11-02 08:00:00");
    seed(sim, "+447700900002", "2026-12-01 09:30:00");
    OptoutApi api{"sms@sim", sim.baseUrl(), sim.apiKey(), std::chrono::milliseconds(5000), "",
                  true};
    const std::int64_t dec4 = mobisync::notify::dayNumber("2026-12-04") * 86'400'000LL + 3600'000;
    OptoutImporter importer(store, api, "2025-06-01");

    auto r = importer.run(dec4);
    CHECK_MESSAGE(r.ok, r.error);
    CHECK(r.requests == 2);  // 2025-06-01 .. 2026-06-01, then .. 2026-12-04
    CHECK(r.read == 2);
    CHECK(r.added == 2);
    CHECK(r.through == "2026-12-04");
    mobisync::state::SuppressionList list(store);
    REQUIRE(list.find("447700900002").has_value());
    CHECK(list.find("447700900002")->origin == "provider");
    CHECK(list.find("447700900002")->detail == "2026-12-01 09:30:00");
    CHECK(list.unsynced("provider").empty());

    // Later: one more opt-out; the next import starts at the last day imported.
    seed(sim, "447700900003", "2026-12-04 18:00:00");
    auto again = importer.run(dec4 + 86'400'000LL);
    CHECK(again.ok);
    CHECK(again.requests == 1);
    CHECK(again.from == "2026-12-04");
    CHECK(again.read == 1);
    CHECK(again.added == 1);
    CHECK(again.through == "2026-12-05");
    CHECK(sim.endpointCount("/addressbook/optout", "200") == 3);
    CHECK(list.list("", "provider").size() == 3);
  }

  TEST_CASE("a refused key imports nothing and keeps the position") {
    mobisync::test::TempDir dir;
    mobisync::test::SimulatorProcess sim;
    mobisync::state::StateStore store(dir.file("state.db"));
    OptoutApi api{"sms@sim", sim.baseUrl(), "wrong-key", std::chrono::milliseconds(5000), "",
                  true};
    OptoutImporter importer(store, api, "2026-12-01");
    auto r = importer.run(mobisync::notify::dayNumber("2026-12-04") * 86'400'000LL);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("401") != std::string::npos);
    CHECK(r.error.find("wrong-key") == std::string::npos);
    CHECK_FALSE(mobisync::state::OptoutImports(store).find("sms@sim").has_value());
  }
}
