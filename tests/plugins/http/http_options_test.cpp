// SPDX-License-Identifier: Apache-2.0
// Options: defaults, mode requirements, and errors that name the key's position.
#include <doctest/doctest.h>

#include <string>

#include "http_options.hpp"

using namespace mobisync::plugins::http;
using mobisync::Errc;
using mobisync::plugin::ConfigValues;

namespace {

ConfigValues jsonConfig() {
  ConfigValues c;
  c.set("api_key", std::string("k-123456"), "m.toml:3:1");
  c.set("route_id", std::string("route-7"), "m.toml:4:1");
  return c;
}

std::string refusal(const ConfigValues& c) {
  auto r = readOptions(c);
  if (r) return "accepted";
  CHECK(r.error().code() == Errc::InvalidConfig);
  return r.error().message();
}

}  // namespace

TEST_SUITE("plugin.http") {
  TEST_CASE("json mode needs only the API key and a route") {
    auto o = readOptions(jsonConfig());
    REQUIRE(o.has_value());
    CHECK(o->api == Api::Json);
    CHECK(o->json_base_url == kDefaultJsonBaseUrl);
    CHECK(o->simple_url == kDefaultSimpleUrl);
    CHECK(o->batch_chunk == 1000);
    CHECK(o->exclude_optouts);
    CHECK(o->verify_tls);
    CHECK(o->hlr_path == "/hlr/lookup");
    CHECK(o->timeout.count() == 10000);
  }

  TEST_CASE("an invalid originator is a config error at its position") {
    ConfigValues c = jsonConfig();
    c.set("originator", std::string("TooLongSender1"), "m.toml:7:1");
    const std::string why = refusal(c);
    CHECK(why.find("m.toml:7:1: originator") == 0);
    CHECK(why.find("has 14 characters") != std::string::npos);
    c.set("originator", std::string("MobiSync"), "m.toml:7:1");
    CHECK(refusal(c) == "accepted");
  }

  TEST_CASE("each mode refuses missing credentials without quoting any secret") {
    ConfigValues json;
    json.set("route_id", std::string("r"), "m.toml:4:1");
    CHECK(refusal(json).find("api_key_env or api_key_file") != std::string::npos);

    ConfigValues simple;
    simple.set("api", std::string("simple"), "m.toml:2:1");
    simple.set("route_id", std::string("r"), "m.toml:4:1");
    simple.set("username", std::string("demo"), "m.toml:5:1");
    CHECK(refusal(simple).find("m.toml:2:1: api") == 0);
    simple.set("password", std::string("s3cret-pass"), "m.toml:6:1");
    CHECK(refusal(simple) == "accepted");
  }

  TEST_CASE("out of range values are refused with the key's position") {
    ConfigValues c = jsonConfig();
    c.set("batch_chunk", std::int64_t{0}, "m.toml:9:1");
    CHECK(refusal(c).find("m.toml:9:1: batch_chunk: must be between 1 and 10000") == 0);
    c = jsonConfig();
    c.set("api", std::string("xml"), "m.toml:2:1");
    CHECK(refusal(c).find("m.toml:2:1: api: expected \"json\" or \"simple\"") == 0);
    c = jsonConfig();
    c.set("simple_method", std::string("PUT"), "m.toml:2:1");
    CHECK(refusal(c).find("simple_method") != std::string::npos);
    c = jsonConfig();
    c.set("schedule_utc_offset", std::string("+1000"), "m.toml:2:1");
    CHECK(refusal(c).find("schedule_utc_offset: expected a UTC offset") != std::string::npos);
    c = jsonConfig();
    c.set("hlr_path", std::string("hlr"), "m.toml:2:1");
    CHECK(refusal(c).find("hlr_path: must start with '/'") != std::string::npos);
  }

  TEST_CASE("UTC offsets parse to minutes") {
    CHECK(*parseUtcOffset("+10:00") == 600);
    CHECK(*parseUtcOffset("-05:30") == -330);
    CHECK(*parseUtcOffset("Z") == 0);
    CHECK_FALSE(parseUtcOffset("+15:00").has_value());
    CHECK_FALSE(parseUtcOffset("10:00").has_value());
  }
}
