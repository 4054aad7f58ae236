// SPDX-License-Identifier: Apache-2.0
// Behaviour of the real mobivate-sim binary over HTTP: faults, the request log, reset, unknown
// paths and concurrent calls.
#include <doctest/doctest.h>

#include "sim_test_fixture.hpp"
#include "support/process.hpp"

using namespace sim_test_fixture;

TEST_SUITE("tools.sim") {
  TEST_CASE("a POST without a body (curl -X POST) is answered at once, not after the keep-alive") {
    SimulatorProcess sim;
    // Neither Content-Length nor chunked: the request has no body (RFC 9112 6.3). The sim used
    // to read one until the client closed, and both waited out its 60 s keep-alive timeout.
    const auto r = mobisync::test::runProcess(
        {"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--max-time", "10",
         sim.baseUrl() + "/_sim/reset"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "200");
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
}
