// SPDX-License-Identifier: Apache-2.0
// ProxyClient's TLS checks against a scripted loopback server, and the call's deadline against
// the real simulator (answers that trickle or stall).
#include <doctest/doctest.h>

#include "proxy_client_fixture.hpp"

namespace mobisync::remote {

using namespace proxy_client_fixture;

TEST_SUITE("core.remote") {
  TEST_CASE("https verifies the server certificate and its host name") {
    const TempTextFile cert(kTestCert);
    const TempTextFile key(kTestKey);
    ScriptedServer server(okReply, serverTls(cert, key));

    SUBCASE("trusted through ca_file and named right: ok, on one connection") {
      config::ProviderSettings s = settingsFor(local(server, "https", "localhost"));
      s.ca_file = cert.path();
      ProxyClient client(s);
      for (int i = 0; i < 3; ++i) {
        const Attempt a = client.call(call());
        CAPTURE(a.message);
        REQUIRE(a.outcome == Outcome::Ok);
      }
      CHECK(client.connectionsOpened() == 1);
    }
    SUBCASE("not trusted: dropped and the run must stop") {
      ProxyClient client(settingsFor(local(server, "https", "localhost")));
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.stop_run);
      CHECK_FALSE(a.auth_failed);
      CHECK(a.message.find("certificate") != std::string::npos);
      CHECK(server.requests() == 0);  // the password never went to an unverified peer
    }
    SUBCASE("trusted but issued for another name: dropped") {
      config::ProviderSettings s = settingsFor(local(server, "https", "127.0.0.1"));
      s.ca_file = cert.path();
      ProxyClient client(s);
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.stop_run);
      CHECK(server.requests() == 0);
    }
    SUBCASE("verify_tls = false accepts it") {
      config::ProviderSettings s = settingsFor(local(server, "https", "127.0.0.1"));
      s.verify_tls = false;
      ProxyClient client(s);
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      CHECK(a.outcome == Outcome::Ok);
    }
  }

  TEST_CASE("an unreadable ca_file is a clear error") {
    config::ProviderSettings s = settingsFor("https://localhost:1");
    s.ca_file = "/nonexistent/ca.pem";
    try {
      (void)makeTlsContext(s);
      FAIL("expected an exception");
    } catch (const Poco::Exception& e) {
      CHECK(e.displayText().find("ca_file /nonexistent/ca.pem") != std::string::npos);
    }
  }
}

// Against the real simulator process: labelled integration, so the sanitizer run of the unit
// tests (which builds no simulator) leaves them to the main run.
TEST_SUITE("core.remote.integration") {
  TEST_CASE("an answer trickled a byte at a time is a Retry at the call's deadline") {
    // The provider of issue 17: 200 without Content-Length, one byte every 0.5 s. Each read
    // arrives well within timeout_ms, so only a deadline for the whole call ends it.
    test::SimulatorOptions options;
    options.extra_args = {"--trickle-rate", "1", "--trickle-ms", "500"};
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    for (int i = 0; i < 2; ++i) {
      const TimedAttempt t = timedCall(client);
      CAPTURE(t.attempt.message);
      CHECK(t.attempt.outcome == Outcome::Retry);
      CHECK(t.attempt.tokens.empty());
      CHECK(t.attempt.message.find("no complete answer within 1000 ms") != std::string::npos);
      CHECK(t.took >= std::chrono::milliseconds(900));
      CHECK(t.took < std::chrono::milliseconds(1000) + kSlack);
    }
    // The trickle stopped, the same client gets answers again, on a new connection.
    sim.setFaults("trickle_rate=0");
    CHECK(client.call(call()).outcome == Outcome::Ok);
  }

  TEST_CASE("a body that stalls midway is a Retry at the call's deadline") {
    test::SimulatorOptions options;
    options.extra_args = {"--stall-body-rate", "1", "--stall-body-ms", "10000"};
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    const TimedAttempt t = timedCall(client);
    CAPTURE(t.attempt.message);
    CHECK(t.attempt.outcome == Outcome::Retry);
    CHECK(t.attempt.message.find("no complete answer within 1000 ms") != std::string::npos);
    CHECK(t.took < std::chrono::milliseconds(1000) + kSlack);
  }

  TEST_CASE("a call slower than its deadline only because the answer is late is a Retry too") {
    test::SimulatorOptions options;
    options.latency_ms = 1500;
    test::SimulatorProcess sim(options);
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(500)));
    const TimedAttempt t = timedCall(client);
    CHECK(t.attempt.outcome == Outcome::Retry);
    CHECK(t.attempt.message.find("no complete answer within 500 ms") != std::string::npos);
    CHECK(t.took < std::chrono::milliseconds(500) + kSlack);
  }

  TEST_CASE("calls within their deadline keep sharing one keep-alive connection") {
    test::SimulatorProcess sim;
    ProxyClient client(settingsFor(sim, std::chrono::milliseconds(1000)));
    for (int i = 0; i < 20; ++i) {
      const Attempt a = client.call(call());
      CAPTURE(a.message);
      REQUIRE(a.outcome == Outcome::Ok);
    }
    // Twice the deadline has passed since the first call: a deadline that did not fire leaves
    // the connection as it was.
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    CHECK(client.call(call()).outcome == Outcome::Ok);
    CHECK(client.connectionsOpened() == 1);
    CHECK(sim.endpointCount("/api/contacts/create", "200") == 21);
  }
}

}  // namespace mobisync::remote
