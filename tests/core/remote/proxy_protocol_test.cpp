// SPDX-License-Identifier: Apache-2.0
// Unit tests of the proxy API's pure functions: targets, redaction, classification (the shared
// Retry-After and secret scrubbing are tested in tests/libs/provider_http).
#include <doctest/doctest.h>

#include <Poco/URI.h>

#include <chrono>
#include <string>
#include <vector>

#include "remote/proxy_protocol.hpp"

namespace mobisync::remote {
namespace {

using std::chrono::milliseconds;
using Outcome = Attempt::Outcome;

config::ProviderSettings settings() {
  config::ProviderSettings s;
  s.username = "acme user";
  s.password = "s3cr&t p@ss";
  return s;
}

ProviderCall createCall() {
  ProviderCall c;
  c.kind = ProviderCall::Kind::Create;
  c.msisdn = "61400000001";
  c.applications = {"contacts:42", "optouts:sms"};
  return c;
}

// The decoded value of query parameter `key` in `target`, as the server would see it.
std::string param(const std::string& target, const std::string& key) {
  const Poco::URI uri(target);
  for (const auto& [k, v] : uri.getQueryParameters()) {
    if (k == key) {
      return v;
    }
  }
  return "<absent>";
}

// A fixed "now" so HTTP-date tests do not depend on the wall clock.
std::chrono::system_clock::time_point fixedNow() {
  // Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
  return std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
}

}  // namespace

TEST_SUITE("core.remote") {
  TEST_CASE("a create call targets the create path with every parameter encoded") {
    ProviderCall c = createCall();
    c.name = "Zoë & Co = 100% +1";
    c.reference = "ref/1?x#y";
    const std::string target = buildCallTarget("", settings(), c);

    CHECK(target.rfind("/api/contacts/create?", 0) == 0);
    CHECK(param(target, "username") == "acme user");
    CHECK(param(target, "password") == "s3cr&t p@ss");
    CHECK(param(target, "msisdn") == "61400000001");
    CHECK(param(target, "applications") == "contacts:42,optouts:sms");
    CHECK(param(target, "name") == "Zoë & Co = 100% +1");
    CHECK(param(target, "reference") == "ref/1?x#y");
    // Nothing that would split or end the query survives unencoded.
    const std::string query = target.substr(target.find('?') + 1);
    CHECK(query.find(' ') == std::string::npos);
    CHECK(query.find('#') == std::string::npos);
    CHECK(query.find("Zo%C3%AB%20%26%20Co%20%3D%20100%25%20%2B1") != std::string::npos);
  }

  TEST_CASE("a remove call targets the delete path under the base path") {
    ProviderCall c = createCall();
    c.kind = ProviderCall::Kind::Remove;
    const std::string target = buildCallTarget("/prefix", settings(), c);
    CHECK(target.rfind("/prefix/api/contacts/delete?", 0) == 0);
  }

  TEST_CASE("empty name and reference are left out of the target") {
    const std::string target = buildCallTarget("", settings(), createCall());
    CHECK(param(target, "name") == "<absent>");
    CHECK(param(target, "reference") == "<absent>");
  }

  TEST_CASE("redactUrl hides the password and keeps the username") {
    const std::string target = buildCallTarget("", settings(), createCall());
    const std::string red = provider_http::redactUrl("https://h:443" + target);
    CHECK(red.find("password=***&") != std::string::npos);
    CHECK(red.find("s3cr") == std::string::npos);
    CHECK(red.find("username=acme%20user") != std::string::npos);
    CHECK(red.find("msisdn=61400000001") != std::string::npos);

    SUBCASE("at the end, in any case, several times, in free text") {
      CHECK(provider_http::redactUrl("/x?a=1&password=abc") == "/x?a=1&password=***");
      CHECK(provider_http::redactUrl("/x?PASSWORD=abc&b=2") == "/x?PASSWORD=***&b=2");
      CHECK(provider_http::redactUrl("GET /x?password=a&password=b failed") ==
            "GET /x?password=***&password=*** failed");
      CHECK(provider_http::redactUrl("password=hunter2 was sent") == "password=*** was sent");
    }
    SUBCASE("a parameter that only ends in password is not touched") {
      CHECK(provider_http::redactUrl("/x?old_password_hint=abc") == "/x?old_password_hint=abc");
      CHECK(provider_http::redactUrl("/x?mypassword=abc") == "/x?mypassword=abc");
    }
  }

  TEST_CASE("a 200 with every token ok is Ok with one outcome per token") {
    const Attempt a = classifyResponse(
        200, "OK", R"({"status":"ok","contacts:42":"ok","optouts:sms":"OK"})", "",
        {"contacts:42", "optouts:sms"}, fixedNow());
    CHECK(a.outcome == Outcome::Ok);
    CHECK(a.http_status == 200);
    REQUIRE(a.tokens.size() == 2);
    CHECK(a.tokens[0].application == "contacts:42");
    CHECK(a.tokens[0].ok);
    CHECK(a.tokens[1].ok);
    CHECK_FALSE(a.auth_failed);
  }

  TEST_CASE("a token that is not ok fails alone with the provider's value") {
    const Attempt a = classifyResponse(
        200, "OK", R"({"status":"ok","contacts:42":"ok","recurring:7":"unknown campaign"})", "",
        {"contacts:42", "recurring:7"}, fixedNow());
    CHECK(a.outcome == Outcome::Ok);
    REQUIRE(a.tokens.size() == 2);
    CHECK(a.tokens[0].ok);
    CHECK_FALSE(a.tokens[1].ok);
    CHECK(a.tokens[1].detail == "unknown campaign");
  }

  TEST_CASE("a token missing from the response fails alone") {
    const Attempt a = classifyResponse(200, "OK", R"({"status":"ok","contacts:42":"ok"})", "",
                                       {"contacts:42", "optouts:sms"}, fixedNow());
    CHECK(a.outcome == Outcome::Ok);
    REQUIRE(a.tokens.size() == 2);
    CHECK(a.tokens[0].ok);
    CHECK_FALSE(a.tokens[1].ok);
    CHECK(a.tokens[1].detail.find("missing") != std::string::npos);
  }

  TEST_CASE("a token whose value is not a string is failed") {
    const Attempt a =
        classifyResponse(200, "OK", R"({"contacts:42":false})", "", {"contacts:42"}, fixedNow());
    CHECK(a.outcome == Outcome::Ok);
    REQUIRE(a.tokens.size() == 1);
    CHECK_FALSE(a.tokens[0].ok);
    CHECK(a.tokens[0].detail == "false");
  }

  TEST_CASE("a 200 whose body is not valid JSON is retried") {
    for (const char* body : {"", R"({"status":"ok","contacts:4)", "<html>oops</html>"}) {
      CAPTURE(body);
      const Attempt a = classifyResponse(200, "OK", body, "", {"contacts:42"}, fixedNow());
      CHECK(a.outcome == Outcome::Retry);
      CHECK(a.tokens.empty());
    }
  }

  TEST_CASE("a 200 whose JSON is not an object stops the run: it is not the proxy API") {
    const Attempt a = classifyResponse(200, "OK", R"(["ok"])", "", {"contacts:42"}, fixedNow());
    CHECK(a.outcome == Outcome::Drop);
    CHECK(a.message.find("JSON body that is not an object") != std::string::npos);
    // Not a refusal of this number: every later call would get the same answer.
    CHECK(a.stop_run);
    CHECK(a.not_the_api);
    CHECK_FALSE(a.auth_failed);
  }

  TEST_CASE("401 or a body code 401 stops the run as an auth failure") {
    SUBCASE("status 401") {
      const Attempt a = classifyResponse(401, "Unauthorized", "", "", {"contacts:42"}, fixedNow());
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.auth_failed);
      CHECK(a.stop_run);
      CHECK(a.message == kAuthFailedMessage);
    }
    SUBCASE("200 with the provider's 401 body") {
      const Attempt a = classifyResponse(200, "OK", R"({"code":401,"message":"Not Authenticated"})",
                                         "", {"contacts:42"}, fixedNow());
      CHECK(a.outcome == Outcome::Drop);
      CHECK(a.auth_failed);
      CHECK(a.message == "provider refused the credentials (401 Not Authenticated)");
    }
    SUBCASE("code as a string") {
      const Attempt a =
          classifyResponse(200, "OK", R"({"code":"401"})", "", {"contacts:42"}, fixedNow());
      CHECK(a.auth_failed);
    }
  }

  TEST_CASE("5xx 408 and 429 are retried with the Retry-After when one is sent") {
    for (int status : {500, 502, 503, 504, 408, 429}) {
      CAPTURE(status);
      const Attempt a = classifyResponse(status, "X", "busy", "", {"contacts:42"}, fixedNow());
      CHECK(a.outcome == Outcome::Retry);
      CHECK(a.http_status == status);
      CHECK_FALSE(a.retry_after.has_value());
      CHECK(a.message.find(std::to_string(status)) != std::string::npos);
    }
    const Attempt a = classifyResponse(429, "Too Many Requests", R"({"message":"slow down"})",
                                       "2", {"contacts:42"}, fixedNow());
    CHECK(a.outcome == Outcome::Retry);
    REQUIRE(a.retry_after.has_value());
    CHECK(*a.retry_after == milliseconds(2000));
    CHECK(a.message == "HTTP 429 Too Many Requests: slow down");

    const Attempt bad = classifyResponse(503, "", "", "whenever", {"contacts:42"}, fixedNow());
    CHECK(bad.outcome == Outcome::Retry);
    CHECK_FALSE(bad.retry_after.has_value());
  }

  TEST_CASE("a body error code classifies a 200 like that status") {
    const Attempt busy =
        classifyResponse(200, "OK", R"({"code":503,"message":"maintenance"})", "", {"a"},
                         fixedNow());
    CHECK(busy.outcome == Outcome::Retry);
    const Attempt bad =
        classifyResponse(200, "OK", R"({"code":400,"message":"Invalid msisdn"})", "", {"a"},
                         fixedNow());
    CHECK(bad.outcome == Outcome::Drop);
    CHECK(bad.message == "provider rejected the call: HTTP 400: Invalid msisdn");
    CHECK_FALSE(bad.auth_failed);
  }

  TEST_CASE("other 4xx are dropped with the provider's message") {
    const Attempt json = classifyResponse(400, "Bad Request", R"({"message":"Invalid msisdn"})",
                                          "", {"contacts:42"}, fixedNow());
    CHECK(json.outcome == Outcome::Drop);
    CHECK(json.message == "provider rejected the call: HTTP 400 Bad Request: Invalid msisdn");
    CHECK_FALSE(json.stop_run);

    const Attempt text =
        classifyResponse(404, "Not Found", "no such\npath", "", {"contacts:42"}, fixedNow());
    CHECK(text.outcome == Outcome::Drop);
    CHECK(text.message == "provider rejected the call: HTTP 404 Not Found: no such path");

    const Attempt forbidden = classifyResponse(403, "Forbidden", "", "", {"a"}, fixedNow());
    CHECK(forbidden.outcome == Outcome::Drop);
    CHECK_FALSE(forbidden.auth_failed);

    const std::string huge(10000, 'x');
    const Attempt long_body = classifyResponse(422, "", huge, "", {"a"}, fixedNow());
    CHECK(long_body.message.size() < 300);
  }

  TEST_CASE("a redirect is dropped and not followed") {
    const Attempt a = classifyResponse(302, "Found", "", "", {"a"}, fixedNow());
    CHECK(a.outcome == Outcome::Drop);
  }
}

}  // namespace mobisync::remote
