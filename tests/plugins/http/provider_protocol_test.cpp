// SPDX-License-Identifier: Apache-2.0
// The provider's request bodies and answers: what goes on the wire and how answers classify.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "provider_http/retry_after.hpp"
#include "provider_replies.hpp"
#include "provider_requests.hpp"

using namespace mobisync::plugins::http;
using mobisync::plugin::NumberStatus;

namespace {

Poco::JSON::Object::Ptr parsed(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1764085200));

Classified classify(int status, const std::string& body, const std::string& retry_after = "") {
  return classifyAnswer(status, "", body, retry_after, kNow);
}

const char* const kDeliveredHlr = R"({"results":[{"to":"447930000001","mccMnc":"23410",
  "imsi":"234100000000001","originalNetwork":{"networkName":"O2","networkPrefix":"7930",
  "countryName":"United Kingdom","countryPrefix":"44"},"ported":false,
  "status":{"groupId":3,"groupName":"DELIVERED","id":5,"name":"DELIVERED_TO_HANDSET",
  "description":"Message delivered to handset"},"error":{"groupId":0,"groupName":"OK","id":0,
  "name":"NO_ERROR","description":"No Error","permanent":false}}]})";

const char* const kAbsentHlr = R"({"results":[{"to":"447930000002","mccMnc":"23415",
  "originalNetwork":{"networkName":"Vodafone","countryName":"United Kingdom"},"ported":true,
  "status":{"groupId":2,"groupName":"UNDELIVERABLE","id":9,"name":"UNDELIVERABLE_NOT_DELIVERED",
  "description":"Message sent not delivered"},"error":{"groupId":1,"groupName":"HANDSET_ERRORS",
  "id":27,"name":"EC_ABSENT_SUBSCRIBER","description":"Absent Subscriber","permanent":true}}]})";

}  // namespace

TEST_SUITE("plugin.http") {
  TEST_CASE("answers classify as accepted retry drop or stop like the proxy client") {
    CHECK(classify(200, "{}").verdict == Verdict::Accepted);
    const Classified auth = classify(401, R"({"code":401,"message":"API key invalid or expired"})");
    CHECK(auth.verdict == Verdict::AuthFailed);
    CHECK(auth.detail == "HTTP 401: API key invalid or expired");
    for (int status : {408, 429, 500, 502, 503}) {
      CAPTURE(status);
      CHECK(classify(status, "").verdict == Verdict::Retry);
    }
    for (int status : {400, 402, 403, 404, 422}) {
      CAPTURE(status);
      CHECK(classify(status, "").verdict == Verdict::Drop);
    }
    const Classified optout = classify(403, R"({"code":403,"message":"recipient opted out"})");
    CHECK(optout.detail == "HTTP 403: recipient opted out");
    CHECK(classify(402, "out of credit").detail == "HTTP 402: out of credit");
  }

  TEST_CASE("a Retry-After header is carried in the retry detail") {
    CHECK(classify(429, "", "7").detail == "HTTP 429; retry_after_ms=7000");
    CHECK(classify(503, "busy", "Tue, 25 Nov 2025 15:40:30 GMT").detail ==
          "HTTP 503: busy; retry_after_ms=30000");
    CHECK(classify(503, "", "soon").detail == "HTTP 503");
    CHECK(mobisync::provider_http::parseRetryAfter("9999999", kNow)->count() == 86'400'000);
    CHECK_FALSE(mobisync::provider_http::parseRetryAfter("", kNow).has_value());
  }

  TEST_CASE("the single send body carries the provider's field names") {
    const auto o = parsed(singleSendBody({"447930000001", "Hi {x} & \"you\" €", "Mobi", "r-1"},
                                         "route-7", "camp-2"));
    CHECK(o->getValue<std::string>("recipient") == "447930000001");
    CHECK(o->getValue<std::string>("body") == "Hi {x} & \"you\" €");
    CHECK(o->getValue<std::string>("originator") == "Mobi");
    CHECK(o->getValue<std::string>("routeId") == "route-7");
    CHECK(o->getValue<std::string>("reference") == "r-1");
    CHECK(o->getValue<std::string>("campaignId") == "camp-2");
    const auto bare = parsed(singleSendBody({"447930000001", "x", "Mobi", ""}, "r", ""));
    CHECK_FALSE(bare->has("reference"));
    CHECK_FALSE(bare->has("campaignId"));
  }

  TEST_CASE("the batch body carries campaign options and one entry per recipient") {
    BatchSettings s;
    s.name = "run 42";
    s.schedule_date_time = "2025-11-25T15:40:00+00:00";
    s.route_id = "route-7";
    s.exclude_optouts = true;
    s.exclude_duplicates = true;
    s.spread_hours = 3;
    s.shorten_urls = true;
    const auto o = parsed(batchSendBody(s, {{"447930000001", "one", "Mobi", "a"},
                                            {"447930000002", "two", "4477", "b"}}));
    CHECK(o->getValue<std::string>("name") == "run 42");
    CHECK(o->getValue<std::string>("scheduleDateTime") == "2025-11-25T15:40:00+00:00");
    CHECK(o->getValue<std::string>("routeId") == "route-7");
    CHECK(o->getValue<bool>("excludeOptouts"));
    CHECK(o->getValue<bool>("excludeDuplicates"));
    CHECK(o->getValue<int>("spreadHours") == 3);
    CHECK(o->getValue<bool>("shortenUrls"));
    const auto recipients = o->getArray("recipients");
    REQUIRE(recipients->size() == 2);
    const auto second = recipients->getObject(1);
    CHECK(second->getValue<std::string>("recipient") == "447930000002");
    CHECK(second->getValue<std::string>("text") == "two");
    CHECK(second->getValue<std::string>("originator") == "4477");
    CHECK(second->getValue<std::string>("reference") == "b");
    s.spread_hours = 0;
    CHECK_FALSE(parsed(batchSendBody(s, {}))->has("spreadHours"));
  }

  TEST_CASE("the Simple API form percent-encodes every value") {
    const std::string form =
        simpleApiForm("user", "p&ss=+ word", {"447930000001", "a+b & c=d é", "Mobi Shop", ""}, "r1");
    CHECK(form ==
          "USER_NAME=user&PASSWORD=p%26ss%3D%2B%20word&ORIGINATOR=Mobi%20Shop&"
          "RECIPIENT=447930000001&ROUTE=r1&MESSAGE_TEXT=a%2Bb%20%26%20c%3Dd%20%C3%A9");
  }

  TEST_CASE("scheduleDateTime is ISO 8601 in the configured offset") {
    CHECK(scheduleDateTime(kNow, std::chrono::seconds(0), 0) == "2025-11-25T15:40:00+00:00");
    CHECK(scheduleDateTime(kNow, std::chrono::seconds(0), 600) == "2025-11-26T01:40:00+10:00");
    CHECK(scheduleDateTime(kNow, std::chrono::seconds(3600), -330) == "2025-11-25T11:10:00-05:30");
  }

  TEST_CASE("single and campaign answers give message ids") {
    CHECK(*parseSingleReply(R"({"id":"6f1c","recipient":"447930000001"})") == "6f1c");
    auto cut = parseSingleReply(R"({"id":"6f)");
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().retryable());
    auto no_id = parseSingleReply(R"({"recipient":"447930000001"})");
    REQUIRE_FALSE(no_id.has_value());
    CHECK_FALSE(no_id.error().retryable());

    auto c = parseCampaignReply(R"({"id":"camp-1","name":"x","recipients":[
      {"id":"m-1","recipient":"447930000001","reference":"a","status":"queued"},
      {"id":"m-2","recipient":"447930000002","reference":"b","status":"excluded"},
      {"recipient":"447930000003","reference":"c","status":"queued"}]})");
    REQUIRE(c.has_value());
    CHECK(c->campaign_id == "camp-1");
    CHECK(c->lists_recipients);
    REQUIRE(c->by_reference.size() == 3);
    CHECK(c->by_reference.at("a").id == "m-1");
    CHECK(c->by_reference.at("b").status == "excluded");
    CHECK(c->by_reference.at("c").id.empty());
    CHECK_FALSE(parseCampaignReply(R"({"name":"x"})").has_value());
    CHECK_FALSE(parseCampaignReply(R"({"id":"c","recipients":{}})").has_value());
  }

  TEST_CASE("an HLR answer maps to a number status") {
    SUBCASE("delivered is active") {
      auto s = parseHlrReply(kDeliveredHlr, "447930000001");
      REQUIRE(s.has_value());
      CHECK(s->state == NumberStatus::State::Active);
      CHECK(s->network == "O2");
      CHECK(s->country == "GB");
      CHECK_FALSE(s->ported);
      CHECK(s->detail == "DELIVERED DELIVERED_TO_HANDSET");
    }
    SUBCASE("an absent subscriber is inactive") {
      auto s = parseHlrReply(kAbsentHlr, "447930000002");
      REQUIRE(s.has_value());
      CHECK(s->state == NumberStatus::State::Inactive);
      CHECK(s->network == "Vodafone");
      CHECK(s->ported);
      CHECK(s->detail.find("EC_ABSENT_SUBSCRIBER: Absent Subscriber, permanent") !=
            std::string::npos);
    }
    SUBCASE("anything else is unknown") {
      auto s = parseHlrReply(R"({"results":[{"to":"1","status":{"groupName":"PENDING"}}]})", "1");
      REQUIRE(s.has_value());
      CHECK(s->state == NumberStatus::State::Unknown);
      CHECK(s->country.empty());
    }
    SUBCASE("no results is an error") {
      CHECK_FALSE(parseHlrReply(R"({"results":[]})", "1").has_value());
      CHECK_FALSE(parseHlrReply("<html>", "1").has_value());
    }
  }

  TEST_CASE("Simple API answers are OK with an id or ERROR with a code") {
    auto ok = parseSimpleReply("OK 123e4567\n");
    REQUIRE(ok.has_value());
    CHECK(ok->ok);
    CHECK(ok->message_id == "123e4567");
    auto err = parseSimpleReply("ERROR 401 invalid credentials");
    REQUIRE(err.has_value());
    CHECK_FALSE(err->ok);
    CHECK(err->code == 401);
    CHECK(err->reason == "invalid credentials");
    CHECK_FALSE(parseSimpleReply("<html>oops</html>").has_value());
    CHECK_FALSE(parseSimpleReply("OK").has_value());
  }

  TEST_CASE("countries come from the mobile country code") {
    CHECK(countryOfMcc("23410") == "GB");
    CHECK(countryOfMcc("50501") == "AU");
    CHECK(countryOfMcc("999").empty());
    CHECK(countryOfMcc("").empty());
  }
}
