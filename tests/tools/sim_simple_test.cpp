// SPDX-License-Identifier: Apache-2.0
// The simulator's Simple API (/gateway/api/simple/MT) against the real binary.
#include <Poco/URI.h>
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "support/simulator_process.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using Form = std::map<std::string, std::string>;

Form goodForm() {
  return {{"USER_NAME", "demo"},        {"PASSWORD", "demo-secret"}, {"ORIGINATOR", "Test"},
          {"RECIPIENT", "447930000000"}, {"ROUTE", "mglobal"},        {"MESSAGE_TEXT", "Your PIN is 654321"}};
}

std::string encode(const Form& form) {
  Poco::URI uri("/");
  for (const auto& [name, value] : form) {
    uri.addQueryParameter(name, value);
  }
  return uri.getRawQuery();
}

HttpReply viaGet(SimulatorProcess& sim, const Form& form) {
  return sim.call("GET", "/gateway/api/simple/MT?" + encode(form));
}

HttpReply viaPost(SimulatorProcess& sim, const Form& form) {
  return sim.call("POST", "/gateway/api/simple/MT", encode(form),
                  {{"Content-Type", "application/x-www-form-urlencoded"}});
}

}  // namespace

TEST_SUITE("tools.sim.simple") {
  TEST_CASE("GET and POST form sends answer OK with the id of the recorded message") {
    SimulatorProcess sim;
    Form unicode = goodForm();
    unicode["MESSAGE_TEXT"] = "Pay 5 \xE2\x82\xAC & \xD0\x96 + more";
    HttpReply got = viaGet(sim, goodForm());
    HttpReply posted = viaPost(sim, unicode);
    for (const HttpReply* reply : {&got, &posted}) {
      CHECK(reply->status == 200);
      CHECK(reply->body.rfind("OK ", 0) == 0);
      CHECK(reply->body.size() == 3 + 36);
      CHECK(reply->headers.at("Content-Type").rfind("text/plain", 0) == 0);
    }
    auto messages = sim.messages();
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].id == got.body.substr(3));
    CHECK(messages[0].api == "simple");
    CHECK(messages[0].originator == "Test");
    CHECK(messages[0].recipient == "447930000000");
    CHECK(messages[0].route_id == "mglobal");
    CHECK(messages[0].text == "Your PIN is 654321");
    CHECK(messages[0].coding == "GSM-7");
    CHECK(messages[1].id == posted.body.substr(3));
    CHECK(messages[1].text == "Pay 5 \xE2\x82\xAC & \xD0\x96 + more");
    CHECK(messages[1].coding == "UCS-2");
    CHECK(messages[1].parts == 1);
  }

  TEST_CASE("the Simple API refuses bad input with ERROR code reason") {
    SimulatorOptions options;
    options.optouts = {"447700900009"};
    SimulatorProcess sim(options);
    struct Case {
      const char* field;
      const char* value;
      int status;
      std::string body;
    };
    const Case cases[] = {
        {"PASSWORD", "wrong", 401, "ERROR 401 invalid USER_NAME or PASSWORD"},
        {"USER_NAME", "someone", 401, "ERROR 401 invalid USER_NAME or PASSWORD"},
        {"ROUTE", "", 400, "ERROR 400 missing ROUTE"},
        {"RECIPIENT", "", 400, "ERROR 400 missing RECIPIENT"},
        {"MESSAGE_TEXT", "", 400, "ERROR 400 missing MESSAGE_TEXT"},
        {"ORIGINATOR", "TwelveChars1", 400,
         R"(ERROR 400 ORIGINATOR: originator "TwelveChars1" has 12 characters; an alphanumeric )"
         "originator has at most 11"},
        {"MESSAGE_TEXT", "\xC3\x28", 400, "ERROR 400 MESSAGE_TEXT: message text is not valid UTF-8"},
        {"RECIPIENT", "447700900009", 403, "ERROR 403 recipient opted out"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.field);
      CAPTURE(c.value);
      Form form = goodForm();
      form[c.field] = c.value;
      for (const HttpReply& reply : {viaGet(sim, form), viaPost(sim, form)}) {
        CHECK(reply.status == c.status);
        CHECK(reply.body.rfind(c.body, 0) == 0);  // the UTF-8 error goes on to name the byte
      }
    }
    Form without_password = goodForm();
    without_password.erase("PASSWORD");
    CHECK(viaGet(sim, without_password).status == 401);
    CHECK(sim.messages().empty());
  }

  TEST_CASE("injected faults apply to the Simple API") {
    SimulatorOptions options;
    options.rate_429 = 1.0;
    options.extra_args = {"--retry-after", "5"};
    SimulatorProcess sim(options);
    HttpReply throttled = viaGet(sim, goodForm());
    CHECK(throttled.status == 429);
    CHECK(throttled.headers["Retry-After"] == "5");
    CHECK(throttled.body == "ERROR 429 rate limit exceeded");
    sim.setFaults("rate_429=0&error_rate=1");
    HttpReply failed = viaPost(sim, goodForm());
    CHECK(failed.status == 500);
    CHECK(failed.body == "ERROR 500 internal error");
    CHECK(sim.messages().empty());
    CHECK(sim.endpointCount("/gateway/api/simple/MT", "429") == 1);
    CHECK(sim.endpointCount("/gateway/api/simple/MT", "500") == 1);
  }
}
