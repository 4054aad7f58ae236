// SPDX-License-Identifier: Apache-2.0
// Application tokens: every form, its canonical spelling, and errors that list the valid forms.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/application_token.hpp"

using mobisync::Errc;
using mobisync::model::parseApplicationList;
using mobisync::model::parseApplicationToken;

namespace {

std::string canonical(std::string_view token) {
  auto r = parseApplicationToken(token);
  if (!r) return "error: " + r.error().message();
  return *r;
}

std::string error(std::string_view token) {
  auto r = parseApplicationToken(token);
  if (r) return "accepted as " + *r;
  CHECK(r.error().code() == Errc::InvalidConfig);
  return r.error().message();
}

const std::string kForms =
    "appointments, recurring:<CampaignId>, contacts:<ListId>, callcentre:<SetupId>, optouts:sms "
    "or optouts:calls";

}  // namespace

TEST_SUITE("core.model") {
  TEST_CASE("every application form parses to itself") {
    CHECK(canonical("appointments") == "appointments");
    CHECK(canonical("recurring:7") == "recurring:7");
    CHECK(canonical("contacts:42") == "contacts:42");
    CHECK(canonical("callcentre:3") == "callcentre:3");
    CHECK(canonical("optouts:sms") == "optouts:sms");
    CHECK(canonical("optouts:calls") == "optouts:calls");
    CHECK(canonical("contacts:123456789012345678") == "contacts:123456789012345678");
  }

  TEST_CASE("tolerated spellings become the canonical token") {
    SUBCASE("the wiki's optouts:call") { CHECK(canonical("optouts:call") == "optouts:calls"); }
    SUBCASE("case of the kind and of the opt-out channel") {
      CHECK(canonical("Contacts:42") == "contacts:42");
      CHECK(canonical("APPOINTMENTS") == "appointments");
      CHECK(canonical("CallCentre:3") == "callcentre:3");
      CHECK(canonical("OptOuts:SMS") == "optouts:sms");
      CHECK(canonical("optouts:Call") == "optouts:calls");
    }
    SUBCASE("surrounding whitespace and whitespace around the colon") {
      CHECK(canonical("  contacts:42\t") == "contacts:42");
      CHECK(canonical("contacts : 42") == "contacts:42");
      CHECK(canonical(" appointments ") == "appointments");
    }
    SUBCASE("leading zeros of an id") { CHECK(canonical("recurring:007") == "recurring:7"); }
  }

  TEST_CASE("an unknown application names the token and lists the valid forms") {
    CHECK(error("contact:42") == "unknown application \"contact:42\": expected " + kForms);
    CHECK(error("callcenter:3") == "unknown application \"callcenter:3\": expected " + kForms);
    CHECK(error("42") == "unknown application \"42\": expected " + kForms);
    CHECK(error(" :42 ") == "unknown application \":42\": expected " + kForms);
    CHECK(error("") == "empty application: expected " + kForms);
    CHECK(error("  ") == "empty application: expected " + kForms);
  }

  TEST_CASE("a known kind with a bad id says what the id must be") {
    CHECK(error("contacts") ==
          "invalid application \"contacts\": expected contacts:<ListId> with <ListId> a positive "
          "integer");
    CHECK(error("contacts:") ==
          "invalid application \"contacts:\": expected contacts:<ListId> with <ListId> a "
          "positive integer");
    CHECK(error("recurring:abc") ==
          "invalid application \"recurring:abc\": expected recurring:<CampaignId> with "
          "<CampaignId> a positive integer");
    CHECK(error("callcentre:0") ==
          "invalid application \"callcentre:0\": expected callcentre:<SetupId> with <SetupId> a "
          "positive integer");
    CHECK(error("contacts:-1") ==
          "invalid application \"contacts:-1\": expected contacts:<ListId> with <ListId> a "
          "positive integer");
    CHECK(error("contacts:4 2") ==
          "invalid application \"contacts:4 2\": expected contacts:<ListId> with <ListId> a "
          "positive integer");
    CHECK(error("contacts:1234567890123456789") ==
          "invalid application \"contacts:1234567890123456789\": expected contacts:<ListId> "
          "with <ListId> of at most 18 digits");
  }

  TEST_CASE("appointments takes no id and opt-outs only sms or calls") {
    CHECK(error("appointments:5") ==
          "invalid application \"appointments:5\": appointments takes no id");
    CHECK(error("optouts") ==
          "invalid application \"optouts\": expected optouts:sms or optouts:calls");
    CHECK(error("optouts:email") ==
          "invalid application \"optouts:email\": expected optouts:sms or optouts:calls");
  }

  TEST_CASE("error messages escape control bytes and cut runaway tokens") {
    CHECK(error("contact\x01\"x") ==
          "unknown application \"contact\\x01\\\"x\": expected " + kForms);
    const std::string long_token(100, 'z');
    CHECK(error(long_token) ==
          "unknown application \"" + std::string(64, 'z') + "...\": expected " + kForms);
  }

  TEST_CASE("an application list yields its canonical tokens once each in sorted order") {
    SUBCASE("duplicates in different spellings collapse") {
      auto r = parseApplicationList(" contacts:42, optouts:call ,Contacts:42,, appointments,"
                                    "optouts:calls,contacts:042 ",
                                    ',');
      REQUIRE(r);
      CHECK(*r == std::vector<std::string>{"appointments", "contacts:42", "optouts:calls"});
    }
    SUBCASE("another separator") {
      auto r = parseApplicationList("recurring:9;contacts:10;contacts:9", ';');
      REQUIRE(r);
      CHECK(*r == std::vector<std::string>{"contacts:10", "contacts:9", "recurring:9"});
    }
    SUBCASE("empty text is an empty list") {
      auto r = parseApplicationList(" , ,", ',');
      REQUIRE(r);
      CHECK(r->empty());
      auto e = parseApplicationList("", ',');
      REQUIRE(e);
      CHECK(e->empty());
    }
    SUBCASE("the first bad item fails the list, named") {
      auto r = parseApplicationList("contacts:42|contact:43|bogus", '|');
      REQUIRE_FALSE(r);
      CHECK(r.error().code() == Errc::InvalidConfig);
      CHECK(r.error().message() == "unknown application \"contact:43\": expected " + kForms);
    }
  }
}
