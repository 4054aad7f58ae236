// SPDX-License-Identifier: Apache-2.0
// The simulator's JSON send API (/send/single, /send/batch) against the real binary.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <string>

#include "support/simulator_process.hpp"

namespace {

using mobisync::test::HttpReply;
using mobisync::test::SimMessage;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string single(const std::string& originator, const std::string& recipient,
                   const std::string& body, const std::string& extra = R"(,"routeId":"mglobal")") {
  return R"({"originator":")" + originator + R"(","recipient":")" + recipient + R"(","body":")" +
         body + "\"" + extra + "}";
}

std::string recipient(const std::string& number, const std::string& reference,
                      const std::string& extra = "") {
  return R"({"recipient":")" + number + R"(","text":"Hello","originator":"TEST","reference":")" +
         reference + "\"" + extra + "}";
}

}  // namespace

TEST_SUITE("tools.sim.send") {
  TEST_CASE("send single echoes the message record and records it with parts and coding") {
    SimulatorProcess sim;
    HttpReply reply = sim.postJson(
        "/send/single", single("TEST", "447930000000", "Hello World",
                               R"(,"routeId":"mglobal","reference":"r-1","campaignId":"c9")"));
    REQUIRE(reply.status == 200);
    auto body = json(reply.body);
    std::string id = body->getValue<std::string>("id");
    CHECK(id.size() == 36);
    CHECK(reply.body == R"({"id":")" + id +
                            R"(","originator":"TEST","recipient":"447930000000","body":"Hello World",)"
                            R"("routeId":"mglobal","reference":"r-1","campaignId":"c9"})");
    auto messages = sim.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == id);
    CHECK(messages[0].api == "single");
    CHECK(messages[0].campaign_id == "c9");
    CHECK(messages[0].originator == "TEST");
    CHECK(messages[0].recipient == "447930000000");
    CHECK(messages[0].text == "Hello World");
    CHECK(messages[0].route_id == "mglobal");
    CHECK(messages[0].reference == "r-1");
    CHECK(messages[0].parts == 1);
    CHECK(messages[0].coding == "GSM-7");

    HttpReply bare = sim.postJson("/send/single", single("447700900123", "447930000001", "Hi"));
    REQUIRE(bare.status == 200);
    CHECK(json(bare.body)->isNull("reference"));
    CHECK(json(bare.body)->isNull("campaignId"));
    CHECK(sim.messages().at(1).reference.empty());
  }

  TEST_CASE("parts and coding follow GSM-7 and UCS-2 limits") {
    SimulatorProcess sim;
    struct Case {
      std::string text;
      int parts;
      const char* coding;
    };
    const std::string euro = "\xE2\x82\xAC";  // an extension character: two septets
    const std::string cyrillic = "\xD0\x96";  // not in GSM-7: forces UCS-2
    const std::string emoji = "\xF0\x9F\x98\x80";  // a surrogate pair in UTF-16
    const Case cases[] = {
        {std::string(160, 'a'), 1, "GSM-7"},
        {std::string(161, 'a'), 2, "GSM-7"},
        {std::string(306, 'a'), 2, "GSM-7"},
        {std::string(307, 'a'), 3, "GSM-7"},
        {std::string(158, 'a') + euro, 1, "GSM-7"},
        {std::string(159, 'a') + euro, 2, "GSM-7"},
        // 152 septets then an escape pair: the pair may not straddle the part boundary.
        {std::string(152, 'a') + euro + std::string(7, 'a'), 2, "GSM-7"},
        {std::string(152, 'a') + euro + std::string(152, 'a'), 3, "GSM-7"},
        {cyrillic + std::string(69, 'a'), 1, "UCS-2"},
        {cyrillic + std::string(70, 'a'), 2, "UCS-2"},
        {std::string(66, 'a') + emoji + std::string(66, 'a'), 3, "UCS-2"},
        {std::string(65, 'a') + emoji + std::string(67, 'a'), 2, "UCS-2"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      REQUIRE(sim.postJson("/send/single", single("TEST", "447930000000", c.text)).status == 200);
      SimMessage last = sim.messages().back();
      CHECK(last.parts == c.parts);
      CHECK(last.coding == c.coding);
    }
  }

  TEST_CASE("send single refuses invalid messages with 400 and records nothing") {
    SimulatorProcess sim;
    struct Case {
      std::string body;
      std::string message;
    };
    const Case cases[] = {
        {single("TEST", "447930000000", "Hi", ""), "missing routeId"},
        {single("TEST", "447930000000", "Hi", R"(,"routeId":"")"), "missing routeId"},
        {single("TEST", "", "Hi"), "recipient is missing or empty"},
        {R"({"originator":"TEST","body":"Hi","routeId":"m"})", "recipient is missing or empty"},
        {single("TEST", "447930000000", ""), "body is missing or empty"},
        {single("", "447930000000", "Hi"), "missing originator"},
        {single("ABCDEFGHIJKL", "447930000000", "Hi"),
         R"(originator "ABCDEFGHIJKL" has 12 characters; an alphanumeric originator has at most 11)"},
        {single("1234567890123456", "447930000000", "Hi"),
         R"(originator "1234567890123456" has 16 digits; a numeric originator has at most 15)"},
        {single("TE^T", "447930000000", "Hi"),
         R"(originator "TE^T" has a character at byte 2 that an alphanumeric originator cannot )"
         "carry"},
        {R"({"originator":"TEST","recipient":447930000000,"body":"Hi","routeId":"m"})",
         "recipient must be a string"},
        {R"({"originator":"TEST",)", "request body is not valid JSON: "},
        {R"(["TEST"])", "request body is not a JSON object"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.body);
      HttpReply reply = sim.postJson("/send/single", c.body);
      CHECK(reply.status == 400);
      auto body = json(reply.body);
      CHECK(body->getValue<int>("code") == 400);
      CHECK(body->getValue<std::string>("message").rfind(c.message, 0) == 0);
    }
    CHECK(sim.messages().empty());
    for (const char* good : {"ABCDEFGHIJK", "123456789012345", "+123456789012345", "My Shop-1"}) {
      CAPTURE(good);
      CHECK(sim.postJson("/send/single", single(good, "447930000000", "Hi")).status == 200);
    }
    CHECK(sim.messages().size() == 4);
    CHECK(sim.endpointCount("/send/single", "400") == 12);
    CHECK(sim.endpointCount("/send/single", "200") == 4);
  }

  TEST_CASE("a wrong or missing API key gives 401 on both send endpoints") {
    SimulatorOptions options;
    options.api_key = "k-123";
    SimulatorProcess sim(options);
    const std::string body = single("TEST", "447930000000", "Hi");
    for (const char* path : {"/send/single", "/send/batch"}) {
      CAPTURE(path);
      for (const auto& headers : std::vector<std::map<std::string, std::string>>{
               {}, {{"Authorization", "Bearer k-12"}}, {{"Authorization", "k-123"}},
               {{"Authorization", "Bearer k-1234"}}}) {
        HttpReply reply = sim.call("POST", path, body, headers);
        CHECK(reply.status == 401);
        CHECK(reply.body == R"({"code":401,"message":"API key invalid or expired"})");
      }
    }
    CHECK(sim.postJson("/send/single", body).status == 200);  // postJson sends k-123
    CHECK(sim.messages().size() == 1);
  }

  TEST_CASE("an opted-out recipient gets 403 on single and is excluded from a batch when asked") {
    SimulatorOptions options;
    options.optouts = {"447700900009,447700900010"};
    SimulatorProcess sim(options);
    HttpReply refused = sim.postJson("/send/single", single("TEST", "447700900010", "Hi"));
    CHECK(refused.status == 403);
    CHECK(refused.body == R"({"code":403,"message":"recipient opted out"})");

    const std::string recipients = "[" + recipient("447930000001", "a") + "," +
                                   recipient("447700900009", "b") + "]";
    HttpReply excluded = sim.postJson(
        "/send/batch", R"({"routeId":"mglobal","excludeOptouts":true,"recipients":)" +
                           recipients + "}");
    REQUIRE(excluded.status == 200);
    auto listed = json(excluded.body)->getArray("recipients");
    REQUIRE(listed->size() == 2);
    CHECK(listed->getObject(0)->getValue<std::string>("status") == "queued");
    CHECK(listed->getObject(1)->getValue<std::string>("status") == "excluded");
    CHECK(listed->getObject(1)->isNull("id"));
    auto messages = sim.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].recipient == "447930000001");

    HttpReply whole = sim.postJson(
        "/send/batch", R"({"routeId":"mglobal","excludeOptouts":false,"recipients":)" +
                           recipients + "}");
    CHECK(whole.status == 403);
    CHECK(json(whole.body)->getValue<std::string>("message") ==
          "recipient opted out: recipients[1].recipient");
    CHECK(sim.messages().size() == 1);
  }

  TEST_CASE("send batch queues every recipient under one campaign id") {
    SimulatorProcess sim;
    const std::string request =
        R"({"name":"Test Name","scheduleDateTime":"2022-04-23T12:00:00.996+0200",)"
        R"("routeId":"mglobal","excludeOptouts":true,"excludeDuplicates":false,"spreadHours":3,)"
        R"("shortenUrls":false,"recipients":[)" +
        recipient("447930000001", "r1") + "," +
        recipient("447930000002", "r2", R"(,"routeId":"other")") + "]}";
    HttpReply reply = sim.postJson("/send/batch", request);
    REQUIRE(reply.status == 200);
    auto body = json(reply.body);
    std::string campaign = body->getValue<std::string>("id");
    CHECK(campaign.size() == 36);
    CHECK(body->getValue<std::string>("name") == "Test Name");
    CHECK(body->getValue<std::string>("scheduleDateTime") == "2022-04-23T12:00:00.996+0200");
    CHECK(body->getValue<std::string>("routeId") == "mglobal");
    auto listed = body->getArray("recipients");
    REQUIRE(listed->size() == 2);
    auto messages = sim.messages();
    REQUIRE(messages.size() == 2);
    for (unsigned i = 0; i < 2; ++i) {
      auto entry = listed->getObject(i);
      CHECK(entry->getValue<std::string>("status") == "queued");
      CHECK(entry->getValue<std::string>("id") == messages[i].id);
      CHECK(entry->getValue<std::string>("recipient") == messages[i].recipient);
      CHECK(entry->getValue<std::string>("reference") == messages[i].reference);
      CHECK(messages[i].api == "batch");
      CHECK(messages[i].campaign_id == campaign);
      CHECK(messages[i].text == "Hello");
    }
    CHECK(messages[0].route_id == "mglobal");
    CHECK(messages[1].route_id == "other");
    CHECK(messages[0].id != messages[1].id);
  }

  TEST_CASE("send batch refuses a bad batch whole with 400") {
    SimulatorProcess sim;
    struct Case {
      std::string body;
      std::string message;
    };
    const Case cases[] = {
        {R"({"routeId":"m","recipients":[]})", "recipients is missing or empty"},
        {R"({"routeId":"m"})", "recipients is missing or empty"},
        {R"({"routeId":"m","recipients":"447930000001"})", "recipients is missing or empty"},
        {R"({"recipients":[)" + recipient("447930000001", "a") + "]}",
         "missing routeId for recipients[0]"},
        {R"({"recipients":[)" + recipient("447930000001", "a", R"(,"routeId":"m")") + "," +
             recipient("447930000002", "b") + "]}",
         "missing routeId for recipients[1]"},
        {R"({"routeId":"m","recipients":[)" + recipient("447930000001", "a") + "," +
             recipient("447930000002", "a") + "]}",
         "recipients[1].reference 'a' duplicates recipients[0]"},
        {R"({"routeId":"m","recipients":[)" + recipient("447930000001", "") + "]}",
         "recipients[0].reference is missing"},
        {R"({"routeId":"m","recipients":[{"recipient":"447930000001","text":"x","originator":"TEST"}]})",
         "recipients[0].reference is missing"},
        {R"({"routeId":"m","recipients":[{"recipient":"447930000001","text":"","originator":"TEST","reference":"a"}]})",
         "recipients[0].text is missing or empty"},
        {R"({"routeId":"m","recipients":[{"recipient":"447930000001","text":"x","originator":"ABCDEFGHIJKLM","reference":"a"}]})",
         R"(recipients[0].originator "ABCDEFGHIJKLM" has 13 characters)"},
        {R"({"routeId":"m","recipients":[{"text":"x","originator":"TEST","reference":"a"}]})",
         "recipients[0].recipient is missing or empty"},
        {R"({"routeId":"m","recipients":[7]})", "recipients[0] is not an object"},
        {R"({"routeId":"m","excludeOptouts":"yes","recipients":[)" +
             recipient("447930000001", "a") + "]}",
         "excludeOptouts must be true or false"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.body);
      HttpReply reply = sim.postJson("/send/batch", c.body);
      CHECK(reply.status == 400);
      CHECK(json(reply.body)->getValue<std::string>("message").rfind(c.message, 0) == 0);
    }
    CHECK(sim.messages().empty());
  }

  TEST_CASE("excludeDuplicates excludes a repeated recipient") {
    SimulatorProcess sim;
    const std::string recipients = "[" + recipient("447930000001", "a") + "," +
                                   recipient("447930000001", "b") + "]";
    HttpReply kept =
        sim.postJson("/send/batch", R"({"routeId":"m","recipients":)" + recipients + "}");
    REQUIRE(kept.status == 200);
    CHECK(sim.messages().size() == 2);
    HttpReply deduplicated = sim.postJson(
        "/send/batch", R"({"routeId":"m","excludeDuplicates":true,"recipients":)" + recipients +
                           "}");
    REQUIRE(deduplicated.status == 200);
    auto listed = json(deduplicated.body)->getArray("recipients");
    CHECK(listed->getObject(0)->getValue<std::string>("status") == "queued");
    CHECK(listed->getObject(1)->getValue<std::string>("status") == "excluded");
    CHECK(sim.messages().size() == 3);
  }

  TEST_CASE("injected faults apply to the send endpoints and record nothing") {
    SimulatorOptions options;
    options.error_rate = 1.0;
    SimulatorProcess sim(options);
    const std::string body = single("TEST", "447930000000", "Hi");
    HttpReply failed = sim.postJson("/send/single", body);
    CHECK(failed.status == 500);
    CHECK(failed.body == R"({"code":500,"message":"internal error"})");
    sim.setFaults("error_rate=0&rate_429=1&retry_after=3");
    for (const char* path : {"/send/single", "/send/batch"}) {
      HttpReply throttled = sim.postJson(path, body);
      CHECK(throttled.status == 429);
      CHECK(throttled.headers["Retry-After"] == "3");
      CHECK(throttled.body == R"({"code":429,"message":"rate limit exceeded"})");
    }
    CHECK(sim.messages().empty());
    sim.setFaults("rate_429=0");
    CHECK(sim.postJson("/send/single", body).status == 200);
    CHECK(sim.endpointCount("/send/single", "500") == 1);
    CHECK(sim.endpointCount("/send/single", "429") == 1);
    CHECK(sim.endpointCount("/send/batch", "429") == 1);
    CHECK(sim.endpointCount("/send/single", "200") == 1);
    sim.reset();
    CHECK(sim.messages().empty());
    CHECK(sim.endpointCount("/send/single", "200") == 0);
  }
}
