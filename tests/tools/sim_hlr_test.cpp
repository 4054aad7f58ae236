// SPDX-License-Identifier: Apache-2.0
// The simulator's HLR lookup (/hlr/lookup) against the real binary.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <string>

#include "support/simulator_process.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

TEST_SUITE("tools.sim.hlr") {
  TEST_CASE("HLR lookup answers live numbers DELIVERED and --hlr-inactive ones absent") {
    SimulatorOptions options;
    options.hlr_inactive = {"447700900008"};
    SimulatorProcess sim(options);
    HttpReply reply =
        sim.postJson("/hlr/lookup", R"({"recipients":["447930000001","447700900008"]})");
    REQUIRE(reply.status == 200);
    CHECK(reply.body.rfind(
              R"({"results":[{"to":"447930000001","mccMnc":"23410","imsi":"234107930000001",)"
              R"("originalNetwork":{"networkName":"O2","networkPrefix":"7930","countryName":)"
              R"("United Kingdom","countryPrefix":"44"},"ported":false,"status":{"groupId":3,)"
              R"("groupName":"DELIVERED","id":5,"name":"DELIVERED_TO_HANDSET","description":)"
              R"("Message delivered to handset"},"error":{"groupId":0,"groupName":"OK","id":0,)"
              R"("name":"NO_ERROR","description":"No Error","permanent":false}},)",
              0) == 0);
    auto results = json(reply.body)->getArray("results");
    REQUIRE(results->size() == 2);
    auto absent = results->getObject(1);
    CHECK(absent->getValue<std::string>("to") == "447700900008");
    CHECK(absent->getObject("status")->getValue<std::string>("groupName") == "UNDELIVERABLE");
    CHECK(absent->getObject("error")->getValue<std::string>("name") == "EC_ABSENT_SUBSCRIBER");
    CHECK(absent->getObject("error")->getValue<bool>("permanent"));
    CHECK(sim.messages().empty());  // a lookup sends nothing
  }

  TEST_CASE("HLR lookup checks the key and the request") {
    SimulatorProcess sim;
    HttpReply unauthorised = sim.call("POST", "/hlr/lookup", R"({"recipients":["447930000001"]})",
                                      {{"Authorization", "Bearer nope"}});
    CHECK(unauthorised.status == 401);
    CHECK(unauthorised.body == R"({"code":401,"message":"API key invalid or expired"})");
    struct Case {
      const char* body;
      const char* message;
    };
    const Case cases[] = {
        {R"({"recipients":[]})", "recipients is missing or empty"},
        {R"({})", "recipients is missing or empty"},
        {R"({"recipients":["447930000001","+4479"]})", "recipients[1] is not 8 to 15 digits: +4479"},
        {R"({"recipients":[447930000001]})", "recipients[0] is not 8 to 15 digits: 447930000001"},
        {"not json", "request body is not valid JSON: "},
    };
    for (const Case& c : cases) {
      CAPTURE(c.body);
      HttpReply reply = sim.postJson("/hlr/lookup", c.body);
      CHECK(reply.status == 400);
      CHECK(json(reply.body)->getValue<std::string>("message").rfind(c.message, 0) == 0);
    }
  }

  TEST_CASE("injected faults apply to HLR lookups") {
    SimulatorOptions options;
    options.error_rate = 1.0;
    SimulatorProcess sim(options);
    HttpReply failed = sim.postJson("/hlr/lookup", R"({"recipients":["447930000001"]})");
    CHECK(failed.status == 500);
    CHECK(sim.endpointCount("/hlr/lookup", "500") == 1);
  }
}
