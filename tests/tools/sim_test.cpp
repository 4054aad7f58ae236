// SPDX-License-Identifier: Apache-2.0
// Behaviour of the real mobivate-sim binary over HTTP: the provider's rules, faults, inspection.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using Subscriptions = std::map<std::string, std::set<std::string>>;

struct ProxyCall {
  std::string op = "create";
  std::string msisdn = "447700900001";
  std::string applications = "contacts:42";
  std::optional<std::string> name;
  std::optional<std::string> reference;
  std::string username = "demo";
  std::string password = "demo-secret";
};

std::string pathOf(const ProxyCall& c) {
  Poco::URI uri("/api/contacts/" + c.op);
  uri.addQueryParameter("username", c.username);
  uri.addQueryParameter("password", c.password);
  uri.addQueryParameter("msisdn", c.msisdn);
  uri.addQueryParameter("applications", c.applications);
  if (c.name) {
    uri.addQueryParameter("name", *c.name);
  }
  if (c.reference) {
    uri.addQueryParameter("reference", *c.reference);
  }
  return uri.getPathAndQuery();
}

HttpReply proxy(SimulatorProcess& sim, const ProxyCall& c) { return sim.call("GET", pathOf(c)); }

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string field(const std::string& body, const std::string& key) {
  return json(body)->getValue<std::string>(key);
}

}  // namespace

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

  TEST_CASE("error rate 1.0 answers 500 and changes nothing") {
    SimulatorOptions options;
    options.error_rate = 1.0;
    SimulatorProcess sim(options);
    HttpReply reply = proxy(sim, ProxyCall{});
    CHECK(reply.status == 500);
    CHECK(reply.body == R"({"status":"error","message":"internal error"})");
    CHECK(sim.contacts()->size() == 0);
    auto logged = sim.requests();
    REQUIRE(logged->size() == 1);
    CHECK(logged->getObject(0)->getValue<std::string>("fault") == "error");
    CHECK(logged->getObject(0)->getValue<int>("status") == 500);
    CHECK(sim.get("/_sim/stats") == R"({"create":1,"delete":0,"faults":1,"requests":1,)"
                                        R"("endpoints":{"/api/contacts/create":{"500":1}}})");
  }

  TEST_CASE("rate-429 1.0 answers 429 with Retry-After and changes nothing") {
    SimulatorOptions options;
    options.rate_429 = 1.0;
    SUBCASE("default Retry-After is 1") {
      SimulatorProcess sim(options);
      HttpReply reply = proxy(sim, ProxyCall{});
      CHECK(reply.status == 429);
      CHECK(reply.headers["Retry-After"] == "1");
      CHECK(sim.contacts()->size() == 0);
      CHECK(sim.requests()->getObject(0)->getValue<std::string>("fault") == "429");
    }
    SUBCASE("--retry-after sets it") {
      options.extra_args = {"--retry-after", "7"};
      SimulatorProcess sim(options);
      HttpReply reply = proxy(sim, ProxyCall{});
      CHECK(reply.status == 429);
      CHECK(reply.headers["Retry-After"] == "7");
    }
  }

  TEST_CASE("faults can be changed at run time through /_sim/faults") {
    SimulatorProcess sim;
    CHECK(sim.post("/_sim/faults?error_rate=1") ==
          R"({"error_rate":1,"rate_429":0,"latency_ms":0,"retry_after":1,"reset_rate":0,)"
          R"("stall_ms":0,"stall_rate":0,"truncate_rate":0,"smpp_stall_ms":0,)"
          R"("smpp_drop_after":0,"trickle_rate":0,"trickle_ms":500,"stall_body_rate":0,)"
          R"("stall_body_ms":60000,"unauthorized":false,"refuse_after":0,"refusing":false})");
    CHECK(proxy(sim, ProxyCall{}).status == 500);
    sim.post("/_sim/faults?error_rate=0&rate_429=1&retry_after=4");
    HttpReply throttled = proxy(sim, ProxyCall{});
    CHECK(throttled.status == 429);
    CHECK(throttled.headers["Retry-After"] == "4");
    sim.post("/_sim/faults?rate_429=0");
    CHECK(proxy(sim, ProxyCall{}).status == 200);

    HttpReply bad = sim.call("POST", "/_sim/faults?error_rate=2&rate_429=1");
    CHECK(bad.status == 400);
    CHECK(field(bad.body, "message") == "invalid error_rate: '2'");
    CHECK(proxy(sim, ProxyCall{}).status == 200);  // the bad request applied nothing
  }

  TEST_CASE("the request log records every proxy call in order and never the password") {
    SimulatorOptions options;
    options.password = "Pa55-w0rd-secret";
    SimulatorProcess sim(options);
    ProxyCall ok;
    ok.password = options.password;
    ok.name = "Ann";
    ok.reference = "R1";
    ProxyCall wrong = ok;
    wrong.password = "other-Pa55-w0rd";
    wrong.op = "delete";
    wrong.name.reset();
    wrong.reference.reset();
    REQUIRE(proxy(sim, ok).status == 200);
    REQUIRE(proxy(sim, wrong).status == 401);

    CHECK(sim.get("/_sim/requests") ==
          R"([{"seq":1,"op":"create","msisdn":"447700900001","applications":["contacts:42"],)"
          R"("name":"Ann","reference":"R1","status":200,"fault":"none"},)"
          R"({"seq":2,"op":"delete","msisdn":"447700900001","applications":["contacts:42"],)"
          R"("status":401,"fault":"none"}])");
    for (const char* path : {"/_sim/requests", "/_sim/contacts", "/_sim/stats"}) {
      std::string body = sim.get(path);
      CHECK(body.find("Pa55") == std::string::npos);
      CHECK(body.find("password") == std::string::npos);
    }
    CHECK(sim.get("/_sim/stats") == R"({"create":1,"delete":1,"faults":0,"requests":2,"endpoints":)"
                                        R"({"/api/contacts/create":{"200":1},)"
                                        R"("/api/contacts/delete":{"401":1}}})");
  }

  TEST_CASE("reset clears records and the log and zeroes the counters") {
    SimulatorProcess sim;
    REQUIRE(proxy(sim, ProxyCall{}).status == 200);
    REQUIRE(sim.contacts()->size() == 1);
    sim.reset();
    CHECK(sim.contacts()->size() == 0);
    CHECK(sim.requests()->size() == 0);
    CHECK(sim.get("/_sim/stats") == R"({"create":0,"delete":0,"faults":0,"requests":0,"endpoints":{}})");
    REQUIRE(proxy(sim, ProxyCall{}).status == 200);
    CHECK(sim.requests()->getObject(0)->getValue<int>("seq") == 1);
  }

  TEST_CASE("unknown paths give 404 and wrong methods 405 in JSON") {
    SimulatorProcess sim;
    HttpReply missing = sim.call("GET", "/api/contacts/update");
    CHECK(missing.status == 404);
    CHECK(missing.body == R"({"status":"error","message":"not found"})");
    HttpReply wrong_method = sim.call("POST", "/_sim/contacts");
    CHECK(wrong_method.status == 405);
    CHECK(field(wrong_method.body, "status") == "error");
    CHECK_THROWS_AS(sim.get("/nope"), std::runtime_error);
  }

  TEST_CASE("64 slow calls on 64 connections run concurrently") {
    SimulatorOptions options;
    options.latency_ms = 300;
    options.extra_args = {"--threads", "64"};  // the documented default, which must suffice
    SimulatorProcess sim(options);
    constexpr int kClients = 64;
    std::atomic<int> ok{0};
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] {
        ProxyCall c;
        c.msisdn = std::to_string(447700900000LL + i);
        if (proxy(sim, c).status == 200) {
          ++ok;
        }
      });
    }
    for (auto& t : clients) {
      t.join();
    }
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(ok == kClients);
    CHECK(sim.contacts()->size() == kClients);
    // Served 16 at a time (Poco's default pool) this would take at least 4 x 300 ms.
    CHECK(elapsed < std::chrono::milliseconds(1200));
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
