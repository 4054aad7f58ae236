// SPDX-License-Identifier: Apache-2.0
// The simulator's faults of real providers that a per-read timeout does not catch (a trickled
// body, a body stalled midway), a port that refuses connections after N calls, and revoked
// credentials (every call 401).
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "support/process.hpp"
#include "support/simulator_process.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using Clock = std::chrono::steady_clock;

const std::string kCreate =
    "/api/contacts/create?username=demo&password=demo-secret&msisdn=447700900001"
    "&applications=contacts:42";
const std::string kOkBody = R"({"status":"ok","contacts:42":"ok"})";
const std::string kSingle =
    R"({"originator":"TEST","recipient":"447930000000","body":"Hi","routeId":"mglobal"})";

long long msSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

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

}  // namespace

TEST_SUITE("tools.sim.faults") {
  TEST_CASE("a trickled answer has no Content-Length and comes one byte per trickle_ms") {
    SimulatorOptions options;
    options.extra_args = {"--trickle-rate", "1", "--trickle-ms", "40"};
    SimulatorProcess sim(options);
    const auto start = Clock::now();
    HttpReply reply = sim.call("GET", kCreate);
    const long long took = msSince(start);
    CHECK(reply.status == 200);
    CHECK(reply.headers.count("Content-Length") == 0);
    CHECK(reply.headers.count("Transfer-Encoding") == 0);
    CHECK(reply.headers.at("Connection") == "Close");
    // The whole answer, but only at the pace of the trickle: 34 bytes, 40 ms before each.
    CHECK(reply.body == kOkBody);
    CHECK(took >= static_cast<long long>(kOkBody.size()) * 40);
    CHECK(sim.contacts()->size() == 1);  // processed: only the answer is slow
    CHECK(sim.endpointCount("/api/contacts/create", "trickled") == 1);
    CHECK(sim.requests()->getObject(0)->getValue<std::string>("fault") == "trickle");

    // A client that gives up early sees a body cut short by nothing it can detect but the clock.
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
    session.setTimeout(Poco::Timespan(2, 0));
    Poco::Net::HTTPRequest request("POST", "/send/single", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.set("Authorization", "Bearer " + sim.apiKey());
    request.setContentLength(static_cast<std::streamsize>(kSingle.size()));
    session.sendRequest(request) << kSingle;
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
    CHECK_FALSE(response.hasContentLength());
    char first[4] = {};
    body.read(first, 3);
    CHECK(std::string(first) == R"({"i)");
    CHECK(sim.endpointCount("/send/single", "trickled") == 0);  // still trickling
  }

  TEST_CASE("trickle_rate picks a fraction of calls, set at run time too") {
    SimulatorOptions options;
    options.seed = 5;
    SimulatorProcess sim(options);
    sim.setFaults("trickle_rate=0.5&trickle_ms=1");
    int trickled = 0;
    for (int i = 0; i < 40; ++i) {
      HttpReply reply = sim.call("GET", kCreate);
      REQUIRE(reply.body == kOkBody);
      trickled += reply.headers.count("Content-Length") == 0 ? 1 : 0;
    }
    CHECK(trickled == sim.endpointCount("/api/contacts/create", "trickled"));
    CHECK(trickled > 0);
    CHECK(trickled < 40);
    CHECK(40 - trickled == sim.endpointCount("/api/contacts/create", "200"));
  }

  TEST_CASE("a body stalled midway sends its headers and half, then holds the rest") {
    SimulatorOptions options;
    options.extra_args = {"--stall-body-rate", "1", "--stall-body-ms", "2500"};
    SimulatorProcess sim(options);

    // An impatient client gets the headers (with Content-Length) and then waits in the body.
    // Its 1 s timeout is far below the stall, and far above what the headers take on a busy
    // machine (300 ms failed there once).
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
    session.setTimeout(Poco::Timespan(1, 0));
    Poco::Net::HTTPRequest request("GET", kCreate, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
    CHECK(response.getContentLength() == static_cast<std::streamsize>(kOkBody.size()));
    std::string half(kOkBody.size() / 2, '\0');
    in.read(half.data(), static_cast<std::streamsize>(half.size()));
    CHECK(half == kOkBody.substr(0, kOkBody.size() / 2));
    // The stream swallows the timeout; the session keeps it.
    CHECK(in.get() == std::char_traits<char>::eof());
    CHECK(dynamic_cast<const Poco::TimeoutException*>(session.networkException()) != nullptr);

    // A patient one gets all of it, late.
    const auto start = Clock::now();
    HttpReply reply = sim.call("GET", kCreate);
    CHECK(msSince(start) >= 2500);
    CHECK(reply.body == kOkBody);
    CHECK(sim.endpointCount("/api/contacts/create", "stalled mid-body") == 2);
    CHECK(sim.requests()->getObject(1)->getValue<std::string>("fault") == "stall_body");
    CHECK(sim.contacts()->size() == 1);
  }

  TEST_CASE("unauthorized answers 401 on every provider API and processes nothing") {
    SimulatorOptions options;
    options.extra_args = {"--unauthorized"};
    SimulatorProcess sim(options);
    HttpReply proxy = sim.call("GET", kCreate);
    CHECK(proxy.status == 401);
    CHECK(proxy.body == R"({"code":401,"message":"Not Authenticated"})");
    CHECK(sim.postJson("/send/single", kSingle).status == 401);
    CHECK(sim.postJson("/hlr/lookup", R"({"recipients":["447930000001"]})").status == 401);
    CHECK(sim.call("GET",
                   "/gateway/api/simple/MT?USER_NAME=demo&PASSWORD=demo-secret&ORIGINATOR=TEST"
                   "&RECIPIENT=447930000000&ROUTE=mglobal&MESSAGE_TEXT=Hi")
              .status == 401);
    CHECK(sim.contacts()->size() == 0);
    CHECK(sim.messages().empty());
    CHECK(sim.requests()->getObject(0)->getValue<std::string>("fault") == "unauthorized");
    // Switched off at run time, the same credentials work again.
    CHECK(sim.post("/_sim/faults?unauthorized=0").find(R"("unauthorized":false)") !=
          std::string::npos);
    CHECK(sim.call("GET", kCreate).status == 200);
    CHECK(sim.post("/_sim/faults?unauthorized=1").find(R"("unauthorized":true)") !=
          std::string::npos);
    CHECK(sim.call("GET", kCreate).status == 401);
    CHECK(sim.call("POST", "/_sim/faults?unauthorized=yes").status == 400);
  }

  TEST_CASE("refuse_after closes the API port after N proxy calls until resumed") {
    SimulatorOptions options;
    options.control = true;
    options.extra_args = {"--refuse-after", "2"};
    SimulatorProcess sim(options);
    REQUIRE(sim.controlPort() != 0);
    REQUIRE(sim.controlPort() != sim.port());

    // One keep-alive connection for the first calls: the closing port cuts it too.
    Poco::Net::HTTPClientSession kept("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
    kept.setKeepAlive(true);
    kept.setTimeout(Poco::Timespan(10, 0));
    for (int i = 0; i < 2; ++i) {
      Poco::Net::HTTPRequest request("GET", kCreate, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      kept.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::string body;
      Poco::StreamCopier::copyToString(kept.receiveResponse(response), body);
      CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
      CHECK(body == kOkBody);
    }
    CHECK(sim.post("/_sim/faults").find(R"("refuse_after":0,"refusing":true)") !=
          std::string::npos);

    // A new connection is refused, as by a host where nothing listens.
    Poco::Net::HTTPClientSession fresh("127.0.0.1", static_cast<Poco::UInt16>(sim.port()));
    fresh.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request("GET", kCreate, Poco::Net::HTTPMessage::HTTP_1_1);
    CHECK_THROWS_AS(fresh.sendRequest(request), Poco::Net::ConnectionRefusedException);
    // The kept connection was cut: its next call fails too (and its reconnect is refused).
    Poco::Net::HTTPRequest again("GET", kCreate, Poco::Net::HTTPMessage::HTTP_1_1);
    CHECK_THROWS([&] {
      kept.sendRequest(again);
      Poco::Net::HTTPResponse response;
      kept.receiveResponse(response);
    }());
    CHECK(sim.requests()->size() == 2);  // nothing past the Nth reached the API

    sim.resume();
    CHECK(sim.call("GET", kCreate).status == 200);
    CHECK(sim.call("GET", kCreate).status == 200);  // resume disarmed the limit
    CHECK(sim.requests()->size() == 4);

    // Armed again at run time, counting from then; /_sim/refuse closes at once.
    sim.setFaults("refuse_after=1");
    CHECK(sim.call("GET", kCreate).status == 200);
    CHECK(failureOf([&] { sim.call("GET", kCreate); }).find("Connection refused") !=
          std::string::npos);
    sim.resume();
    CHECK(sim.call("GET", kCreate).status == 200);
    sim.refuse();
    CHECK(failureOf([&] { sim.call("GET", kCreate); }).find("Connection refused") !=
          std::string::npos);
    sim.resume();
    CHECK(sim.call("GET", kCreate).status == 200);
  }

  TEST_CASE("refusing needs a control port to resume from") {
    SimulatorProcess sim;
    HttpReply armed = sim.call("POST", "/_sim/faults?refuse_after=3");
    CHECK(armed.status == 400);
    CHECK(armed.body.find("refuse_after needs the simulator started with --control-port") !=
          std::string::npos);
    CHECK(sim.call("POST", "/_sim/refuse").status == 400);
    CHECK(sim.call("GET", kCreate).status == 200);
    auto cli = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--refuse-after", "3"}, {},
                                          std::chrono::seconds(10));
    CHECK(cli.exit_code == 64);
    CHECK(cli.err.find("--refuse-after needs --control-port") != std::string::npos);
    auto rate = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--trickle-rate", "1.5"}, {},
                                           std::chrono::seconds(10));
    CHECK(rate.exit_code == 64);
    CHECK(rate.err.find("--trickle-rate: 1.5 is out of range [0, 1]") != std::string::npos);
  }

  TEST_CASE("--help documents the slow-body, refusal and unauthorized faults") {
    auto help = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--help"}, {},
                                           std::chrono::seconds(10));
    CHECK(help.exit_code == 0);
    for (const char* flag : {"--trickle-rate", "--trickle-ms", "--stall-body-rate",
                             "--stall-body-ms", "--unauthorized", "--control-port",
                             "--refuse-after", "/_sim/refuse", "/_sim/resume"}) {
      CAPTURE(flag);
      CHECK(help.out.find(flag) != std::string::npos);
    }
  }
}
