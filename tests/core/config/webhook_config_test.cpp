// SPDX-License-Identifier: Apache-2.0
// [messaging.webhooks]: the token is a secret (env or file, never quoted in a message), checked
// for length and characters; public_url must be an http(s) URL and is warned about without TLS.
#include <doctest/doctest.h>

#include "config_fixture.hpp"

using namespace config_fixture;

namespace {

std::string withWebhooks(const std::string& table) {
  return std::string(kValid) + "\n[messaging.webhooks]\n" + table;
}

std::string warningsOf(const Loaded& l) {
  std::string out;
  for (const auto& w : l.result->warnings) out += w + "\n";
  return out;
}

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("webhooks are off without a token and read from the environment with one") {
    auto off = load(kValid);
    REQUIRE(off->result.has_value());
    CHECK_FALSE(off->result->webhooks.enabled());

    const std::string token = "Abcdefghij-0123456789_xyz";
    auto on = load(withWebhooks("token_env = \"WH\"\npublic_url = \"https://sms.example.com/\"\n"),
                   {{"PW", "s3cret-pw"}, {"WH", token}});
    REQUIRE_MESSAGE(on->result.has_value(), errorOf(*on));
    CHECK(on->result->webhooks.token == token);
    CHECK(on->result->webhooks.public_url == "https://sms.example.com");
    CHECK(warningsOf(*on).find("public_url") == std::string::npos);
  }

  TEST_CASE("a short or unsafe token is refused without being quoted") {
    for (const std::string token : {"short-token", "has/slash/0123456789", "with space 0123456789"}) {
      INFO(token);
      auto l = load(withWebhooks("token_env = \"WH\"\n"), {{"PW", "s3cret-pw"}, {"WH", token}});
      const std::string error = errorOf(*l);
      CHECK(error.find("messaging.webhooks.token") != std::string::npos);
      CHECK(error.find(token) == std::string::npos);
    }
    auto unset = load(withWebhooks("token_env = \"WH\"\n"));
    CHECK(errorOf(*unset).find("WH") != std::string::npos);
  }

  TEST_CASE("public_url must be an http(s) URL, plain http is warned about") {
    const std::map<std::string, std::string> vars{{"PW", "s3cret-pw"},
                                                  {"WH", "Abcdefghij-0123456789"}};
    auto bad = load(withWebhooks("token_env = \"WH\"\npublic_url = \"ftp://x\"\n"), vars);
    CHECK(errorOf(*bad).find("messaging.webhooks.public_url") != std::string::npos);
    auto plain = load(withWebhooks("token_env = \"WH\"\npublic_url = \"http://10.0.0.1:8080\"\n"),
                      vars);
    REQUIRE(plain->result.has_value());
    CHECK(warningsOf(*plain).find("not https") != std::string::npos);
    auto unknown = load(withWebhooks("token_env = \"WH\"\nsecret = 1\n"), vars);
    CHECK(errorOf(*unknown).find("messaging.webhooks.secret") != std::string::npos);
  }
}
