// SPDX-License-Identifier: Apache-2.0
// Behaviour of the real mobivate-sim binary over HTTP: the provider's rules for contacts, and
// starting and stopping the binary.
#include <doctest/doctest.h>

#include "sim_test_fixture.hpp"

using namespace sim_test_fixture;

TEST_SUITE("tools.sim") {
  TEST_CASE("create then delete round-trips through /_sim/contacts") {
    SimulatorProcess sim;
    ProxyCall create;
    create.applications = "contacts:42,optouts:sms";
    create.name = "Ann Lee";
    create.reference = "ref/1&2 +x";
    HttpReply created = proxy(sim, create);
    REQUIRE(created.status == 200);
    CHECK(created.body == R"({"status":"ok","contacts:42":"ok","optouts:sms":"ok"})");

    auto contacts = sim.contacts();
    REQUIRE(contacts->size() == 1);
    auto record = contacts->getObject(0);
    CHECK(record->getValue<std::string>("msisdn") == "447700900001");
    CHECK(record->getValue<std::string>("name") == "Ann Lee");
    CHECK(record->getValue<std::string>("reference") == "ref/1&2 +x");
    CHECK(sim.subscriptions() == Subscriptions{{"447700900001", {"contacts:42", "optouts:sms"}}});

    ProxyCall remove = create;
    remove.op = "delete";
    remove.applications = "contacts:42";
    HttpReply removed = proxy(sim, remove);
    CHECK(removed.status == 200);
    CHECK(removed.body == R"({"status":"ok","contacts:42":"ok"})");
    CHECK(sim.subscriptions() == Subscriptions{{"447700900001", {"optouts:sms"}}});

    remove.applications = "optouts:sms";
    CHECK(proxy(sim, remove).status == 200);
    CHECK(sim.contacts()->size() == 0);
  }

  TEST_CASE("contacts are listed sorted by msisdn with sorted applications") {
    SimulatorProcess sim;
    for (const char* msisdn : {"447700900003", "447700900001", "447700900002"}) {
      ProxyCall c;
      c.msisdn = msisdn;
      c.applications = "recurring:7,appointments,contacts:42";
      REQUIRE(proxy(sim, c).status == 200);
    }
    CHECK(sim.get("/_sim/contacts") ==
          R"([{"msisdn":"447700900001","name":"","reference":"","applications":)"
          R"(["appointments","contacts:42","recurring:7"]},)"
          R"({"msisdn":"447700900002","name":"","reference":"","applications":)"
          R"(["appointments","contacts:42","recurring:7"]},)"
          R"({"msisdn":"447700900003","name":"","reference":"","applications":)"
          R"(["appointments","contacts:42","recurring:7"]}])");
  }

  TEST_CASE("a bad application token fails alone while the others apply") {
    SimulatorProcess sim;
    ProxyCall c;
    c.applications = "contacts:42,bogus,recurring:x,optouts:call,callcentre:9";
    HttpReply reply = proxy(sim, c);
    REQUIRE(reply.status == 200);
    auto body = json(reply.body);
    CHECK(body->getValue<std::string>("status") == "partial");
    CHECK(body->getValue<std::string>("contacts:42") == "ok");
    CHECK(body->getValue<std::string>("callcentre:9") == "ok");
    CHECK(body->getValue<std::string>("bogus") == "invalid application");
    CHECK(body->getValue<std::string>("recurring:x") == "invalid application");
    CHECK(body->getValue<std::string>("optouts:call") == "invalid application");
    CHECK(body->size() == 6);
    CHECK(sim.subscriptions() == Subscriptions{{"447700900001", {"callcentre:9", "contacts:42"}}});
  }

  TEST_CASE("wrong or missing credentials give 401 Not Authenticated and change nothing") {
    SimulatorProcess sim;
    ProxyCall c;
    SUBCASE("wrong password") { c.password = "wrong"; }
    SUBCASE("wrong username") { c.username = "other"; }
    SUBCASE("no credentials") {
      HttpReply reply =
          sim.call("GET", "/api/contacts/create?msisdn=447700900001&applications=contacts:42");
      CHECK(reply.status == 401);
      CHECK(reply.body == R"({"code":401,"message":"Not Authenticated"})");
      CHECK(sim.contacts()->size() == 0);
      return;
    }
    HttpReply reply = proxy(sim, c);
    CHECK(reply.status == 401);
    CHECK(reply.body == R"({"code":401,"message":"Not Authenticated"})");
    CHECK(sim.contacts()->size() == 0);
  }

  TEST_CASE("an msisdn that is not 8 to 15 digits gives 400 invalid msisdn") {
    SimulatorProcess sim;
    for (const char* bad :
         {"+447700900001", "1234567", "1234567890123456", "44770090000a", "", "4477 00900001"}) {
      CAPTURE(bad);
      ProxyCall c;
      c.msisdn = bad;
      HttpReply reply = proxy(sim, c);
      CHECK(reply.status == 400);
      CHECK(reply.body == R"({"status":"error","message":"invalid msisdn"})");
    }
    CHECK(sim.contacts()->size() == 0);
    for (const char* good : {"12345678", "123456789012345"}) {
      CAPTURE(good);
      ProxyCall c;
      c.msisdn = good;
      CHECK(proxy(sim, c).status == 200);
    }
    CHECK(sim.contacts()->size() == 2);
  }

  TEST_CASE("missing or empty applications give 400") {
    SimulatorProcess sim;
    ProxyCall c;
    c.applications = "";
    HttpReply reply = proxy(sim, c);
    CHECK(reply.status == 400);
    CHECK(reply.body == R"({"status":"error","message":"missing applications"})");
    reply = sim.call("GET",
                     "/api/contacts/create?username=demo&password=demo-secret&msisdn=447700900001");
    CHECK(reply.status == 400);
    CHECK(field(reply.body, "message") == "missing applications");
  }

  TEST_CASE("msisdns under --reject-msisdn are refused with 400 msisdn rejected") {
    SimulatorOptions options;
    options.extra_args = {"--reject-msisdn", "4490", "--reject-msisdn=4491"};
    SimulatorProcess sim(options);
    for (const char* rejected : {"449012345678", "449112345678"}) {
      CAPTURE(rejected);
      ProxyCall c;
      c.msisdn = rejected;
      HttpReply reply = proxy(sim, c);
      CHECK(reply.status == 400);
      CHECK(reply.body == R"({"status":"error","message":"msisdn rejected"})");
    }
    ProxyCall accepted;
    accepted.msisdn = "449212345678";
    CHECK(proxy(sim, accepted).status == 200);
    CHECK(sim.subscriptions() == Subscriptions{{"449212345678", {"contacts:42"}}});
  }

  TEST_CASE("create and delete are idempotent") {
    SimulatorProcess sim;
    ProxyCall c;
    c.name = "Ann";
    CHECK(proxy(sim, c).status == 200);
    c.name = "Ann B";
    HttpReply again = proxy(sim, c);
    CHECK(again.status == 200);
    CHECK(again.body == R"({"status":"ok","contacts:42":"ok"})");
    CHECK(sim.subscriptions() == Subscriptions{{"447700900001", {"contacts:42"}}});
    CHECK(sim.contacts()->getObject(0)->getValue<std::string>("name") == "Ann B");

    c.op = "delete";
    for (int i = 0; i < 2; ++i) {
      HttpReply removed = proxy(sim, c);
      CHECK(removed.status == 200);
      CHECK(removed.body == R"({"status":"ok","contacts:42":"ok"})");
    }
    c.msisdn = "447700900999";  // never created
    CHECK(proxy(sim, c).body == R"({"status":"ok","contacts:42":"ok"})");
    CHECK(sim.contacts()->size() == 0);
  }

  TEST_CASE("with --base-path the provider APIs answer only below it and /_sim/ stays at the root") {
    SimulatorOptions options;
    options.base_path = "/gw/";  // a trailing '/' is dropped
    SimulatorProcess sim(options);
    CHECK(sim.apiUrl() == sim.baseUrl() + "/gw/");

    ProxyCall c;
    CHECK(sim.call("GET", pathOf(c)).status == 404);
    CHECK(sim.call("GET", "/gw/gw" + pathOf(c)).status == 404);
    CHECK(sim.call("GET", "/gwx" + pathOf(c)).status == 404);
    HttpReply created = sim.call("GET", "/gw" + pathOf(c));
    CHECK(created.status == 200);
    CHECK(sim.subscriptions() == Subscriptions{{"447700900001", {"contacts:42"}}});

    const std::string sms = R"({"originator":"Sim","recipient":"447700900001","body":"hi","routeId":"1"})";
    CHECK(sim.postJson("/send/single", sms).status == 404);
    CHECK(sim.postJson("/gw/send/single", sms).status == 200);
    CHECK(sim.messages().size() == 1);
    CHECK(sim.call("GET", "/gw/_sim/messages").status == 404);

    // Counted under the path as requested; the misses are no endpoint.
    CHECK(sim.endpointCount("/gw/api/contacts/create", "200") == 1);
    CHECK(sim.endpointCount("/gw/send/single", "200") == 1);
    CHECK(sim.endpointCount("/send/single", "404") == 0);

    auto bad = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--base-path", "gw"});
    CHECK(bad.exit_code == 64);
    CHECK(bad.err.find("--base-path: 'gw' does not start with '/'") != std::string::npos);
    auto help = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--help"});
    CHECK(help.out.find("--base-path PATH") != std::string::npos);
  }

  TEST_CASE("a simulator that cannot start reports why") {
    SimulatorOptions options;
    options.extra_args = {"--no-such-flag"};
    try {
      SimulatorProcess sim(options);
      FAIL("the simulator started with an unknown flag");
    } catch (const std::runtime_error& e) {
      std::string message = e.what();
      CHECK(message.find("exited with status 64") != std::string::npos);
      CHECK(message.find("unknown option --no-such-flag") != std::string::npos);
    }
  }

  TEST_CASE("the simulator binary validates flags and stops cleanly on SIGTERM") {
    auto usage = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--error-rate", "1.5"});
    CHECK(usage.exit_code == 64);
    CHECK(usage.err.find("--error-rate: 1.5 is out of range [0, 1]") != std::string::npos);
    auto help = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: mobivate-sim") == 0);
    {
      SimulatorProcess first;
      auto taken =
          mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--port", std::to_string(first.port())},
                                     {}, std::chrono::seconds(10));
      CHECK(taken.exit_code == 69);
      CHECK(taken.err.find("Address already in use") != std::string::npos);
    }

    mobisync::test::TempDir dir;
    mobisync::test::ChildProcess child({MOBISYNC_SIM_BINARY, "--quiet"}, {}, dir.path());
    std::string out;
    for (int i = 0; i < 1000 && out.find('\n') == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      out = child.readStdout();
    }
    CHECK(out.rfind("mobivate-sim listening on http://127.0.0.1:", 0) == 0);
    CHECK(std::count(out.begin(), out.end(), '\n') == 1);
    child.kill(SIGTERM);
    CHECK(child.waitFor(std::chrono::seconds(10)) == std::optional<int>(0));
    CHECK(child.readStdout() == out);  // --quiet: nothing after the listening line
    CHECK(child.readStderr().empty());
  }
}
