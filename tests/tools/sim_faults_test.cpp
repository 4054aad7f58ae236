// SPDX-License-Identifier: Apache-2.0
// Network faults of the real simulator (reset, stall, truncation) and HTTPS serving.
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;

const std::string kCreate =
    "/api/contacts/create?username=demo&password=demo-secret&msisdn=447700900001"
    "&applications=contacts:42";
const std::string kSingle =
    R"({"originator":"TEST","recipient":"447930000000","body":"Hi","routeId":"mglobal"})";

// What a call that fails at the connection level threw; "" if it did not throw.
template <class Call>
std::string failureOf(Call&& call) {
  try {
    call();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

// Polls until `done()` holds; the work behind it happens after the client has given up.
template <class Predicate>
bool eventually(Predicate&& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_SUITE("tools.sim.faults") {
  TEST_CASE("reset rate 1 drops the connection unanswered and processes nothing") {
    SimulatorOptions options;
    options.extra_args = {"--reset-rate", "1"};
    SimulatorProcess sim(options);
    std::string proxy_failure = failureOf([&] { sim.call("GET", kCreate); });
    CHECK(proxy_failure.find("failed: ") != std::string::npos);
    std::string send_failure = failureOf([&] { sim.postJson("/send/single", kSingle); });
    CHECK(send_failure.find("failed: ") != std::string::npos);
    std::string hlr_failure =
        failureOf([&] { sim.postJson("/hlr/lookup", R"({"recipients":["447930000001"]})"); });
    CHECK(hlr_failure.find("failed: ") != std::string::npos);
    CHECK(sim.contacts()->size() == 0);
    CHECK(sim.messages().empty());
    CHECK(sim.endpointCount("/api/contacts/create", "reset") == 1);
    CHECK(sim.endpointCount("/send/single", "reset") == 1);
    CHECK(sim.endpointCount("/hlr/lookup", "reset") == 1);
    auto logged = sim.requests();
    REQUIRE(logged->size() == 1);
    CHECK(logged->getObject(0)->getValue<std::string>("fault") == "reset");
    CHECK(logged->getObject(0)->getValue<int>("status") == 0);
    // The simulator itself is unharmed: switched off at run time, the next call succeeds.
    sim.setFaults("reset_rate=0");
    CHECK(sim.call("GET", kCreate).status == 200);
  }

  TEST_CASE("a reset is a TCP reset that a client sees as ECONNRESET") {
    SimulatorOptions options;
    options.extra_args = {"--reset-rate", "1"};
    SimulatorProcess sim(options);
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request("GET", kCreate, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    CHECK_THROWS_AS(session.receiveResponse(response), Poco::Net::ConnectionResetException);
  }

  TEST_CASE("a truncated answer is cut short of its Content-Length but the call is processed") {
    SimulatorOptions options;
    options.extra_args = {"--truncate-rate", "1"};
    SimulatorProcess sim(options);
    for (const std::string& path : {std::string("/send/single"), kCreate}) {
      CAPTURE(path);
      HttpReply reply = path == kCreate ? sim.call("GET", path) : sim.postJson(path, kSingle);
      CHECK(reply.status == 200);
      std::size_t promised = std::stoul(reply.headers.at("Content-Length"));
      CHECK(reply.body.size() == promised / 2);
      CHECK(reply.headers.at("Connection") == "Close");
      CHECK_THROWS(Poco::JSON::Parser().parse(reply.body));
    }
    CHECK(sim.messages().size() == 1);
    CHECK(sim.contacts()->size() == 1);
    CHECK(sim.endpointCount("/send/single", "truncated") == 1);
    CHECK(sim.endpointCount("/api/contacts/create", "truncated") == 1);
    CHECK(sim.requests()->getObject(0)->getValue<std::string>("fault") == "truncate");
  }

  TEST_CASE("a stalled call outlasts the client timeout and is processed afterwards") {
    SimulatorOptions options;
    options.extra_args = {"--stall-ms", "1500", "--stall-rate", "1"};
    SimulatorProcess sim(options);
    sim.setTimeout(std::chrono::milliseconds(200));
    std::string failure = failureOf([&] { sim.postJson("/send/single", kSingle); });
    CHECK(failure.find("Timeout") != std::string::npos);
    CHECK(sim.messages().empty());  // the reply is held: nothing is done yet either
    sim.setTimeout(std::chrono::seconds(30));
    CHECK(eventually([&] { return sim.messages().size() == 1; }));
    CHECK(sim.endpointCount("/send/single", "200") == 1);
    // With a client that waits long enough the stalled call simply succeeds.
    HttpReply patient = sim.call("GET", kCreate);
    CHECK(patient.status == 200);
    CHECK(sim.requests()->getObject(0)->getValue<std::string>("fault") == "stall");
  }

  TEST_CASE("network faults are set and reported through /_sim/faults") {
    SimulatorProcess sim;
    CHECK(sim.post("/_sim/faults?reset_rate=0.25&stall_ms=2000&stall_rate=0.5&truncate_rate=0.125") ==
          R"({"error_rate":0,"rate_429":0,"latency_ms":0,"retry_after":1,"reset_rate":0.25,)"
          R"("stall_ms":2000,"stall_rate":0.5,"truncate_rate":0.125,"smpp_stall_ms":0,)"
          R"("smpp_drop_after":0,"trickle_rate":0,"trickle_ms":500,"stall_body_rate":0,)"
          R"("stall_body_ms":60000,"unauthorized":false,"refuse_after":0,"refusing":false})");
    HttpReply bad = sim.call("POST", "/_sim/faults?stall_rate=0.5&truncate_rate=1.5");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("invalid truncate_rate: '1.5'") != std::string::npos);
    CHECK(sim.post("/_sim/faults?reset_rate=1&stall_rate=0&truncate_rate=0").find(
              R"("reset_rate":1,"stall_ms":2000,"stall_rate":0,"truncate_rate":0)") !=
          std::string::npos);
    CHECK_THROWS_AS(sim.call("GET", kCreate), std::runtime_error);
    sim.setFaults("reset_rate=0&truncate_rate=1");
    HttpReply cut = sim.call("GET", kCreate);
    CHECK(cut.body.size() < std::stoul(cut.headers.at("Content-Length")));
  }

  TEST_CASE("a fraction of calls fails at each rate and the rest succeed") {
    SimulatorOptions options;
    options.seed = 11;
    options.extra_args = {"--reset-rate", "0.3", "--truncate-rate", "0.3"};
    SimulatorProcess sim(options);
    int reset = 0;
    int truncated = 0;
    int whole = 0;
    for (int i = 0; i < 60; ++i) {
      try {
        HttpReply reply = sim.call("GET", kCreate);
        if (reply.body.size() < std::stoul(reply.headers.at("Content-Length"))) {
          ++truncated;
        } else {
          ++whole;
        }
      } catch (const std::runtime_error&) {
        ++reset;
      }
    }
    CHECK(reset == sim.endpointCount("/api/contacts/create", "reset"));
    CHECK(truncated == sim.endpointCount("/api/contacts/create", "truncated"));
    CHECK(whole == sim.endpointCount("/api/contacts/create", "200"));
    CHECK(reset > 0);
    CHECK(truncated > 0);
    CHECK(whole > 0);
  }

  TEST_CASE("with a certificate the simulator serves HTTPS and nothing else") {
    Poco::Net::initializeSSL();
    mobisync::test::TempDir dir;
    auto certificate = mobisync::test::makeSelfSignedCertificate(dir);
    SimulatorOptions options;
    options.tls_cert = certificate.cert_file;
    options.tls_key = certificate.key_file;
    SimulatorProcess sim(options);
    CHECK(sim.baseUrl() == "https://127.0.0.1:" + std::to_string(sim.port()));
    CHECK(sim.call("GET", kCreate).status == 200);
    CHECK(sim.postJson("/send/single", kSingle).status == 200);
    CHECK(sim.messages().size() == 1);

    SUBCASE("plain HTTP gets no answer") {
      Poco::Net::HTTPClientSession plain("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
      plain.setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest request("GET", "/_sim/stats", Poco::Net::HTTPMessage::HTTP_1_1);
      Poco::Net::HTTPResponse response;
      CHECK_THROWS([&] {
        plain.sendRequest(request);
        plain.receiveResponse(response);
      }());
    }
    SUBCASE("a client that does not trust the certificate refuses it") {
      Poco::Net::Context::Params params;
      params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
      params.loadDefaultCAs = true;  // the system CAs, which never signed a test certificate
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(sim.port()),
                                            context);
      session.setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest request("GET", "/_sim/stats", Poco::Net::HTTPMessage::HTTP_1_1);
      CHECK_THROWS_AS(session.sendRequest(request), Poco::Net::SSLException);
    }
    SUBCASE("faults work over TLS too") {
      sim.setFaults("reset_rate=1");
      CHECK_THROWS_AS(sim.call("GET", kCreate), std::runtime_error);
      sim.setFaults("reset_rate=0&truncate_rate=1");
      HttpReply cut = sim.postJson("/send/single", kSingle);
      CHECK(cut.body.size() < std::stoul(cut.headers.at("Content-Length")));
      CHECK(sim.messages().size() == 2);
    }
  }

  TEST_CASE("an unusable certificate or a lone TLS flag stops the simulator with a clear error") {
    mobisync::test::TempDir dir;
    std::string missing = dir.file("absent.pem");
    auto bad = mobisync::test::runProcess(
        {MOBISYNC_SIM_BINARY, "--tls-cert", missing, "--tls-key", missing}, {},
        std::chrono::seconds(10));
    CHECK(bad.exit_code == 66);
    CHECK(bad.err.find("cannot load --tls-cert " + missing) != std::string::npos);
    auto lone = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--tls-cert", missing}, {},
                                           std::chrono::seconds(10));
    CHECK(lone.exit_code == 64);
    CHECK(lone.err.find("--tls-cert needs --tls-key") != std::string::npos);
    auto rate = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--reset-rate", "2"}, {},
                                           std::chrono::seconds(10));
    CHECK(rate.exit_code == 64);
    CHECK(rate.err.find("--reset-rate: 2 is out of range [0, 1]") != std::string::npos);
  }
}
