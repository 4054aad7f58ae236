// SPDX-License-Identifier: Apache-2.0
// Config loading within bounds: numeric ranges, the base URL, FIFOs and oversized values.
#include <doctest/doctest.h>

#include "config_fixture.hpp"

using namespace config_fixture;

TEST_SUITE("core.config") {
  TEST_CASE("max_reject and max_run_seconds: defaults, values and bounds") {
    auto with = [](const std::string& keys) {
      std::string t = kValid;
      t.replace(t.find("default_region"), 0, keys);
      return load(t);
    };
    auto defaults = with("");
    REQUIRE(defaults->result.has_value());
    CHECK(defaults->result->jobs[0].max_reject.text() == "1%");
    CHECK(defaults->result->jobs[0].max_run_ms == 0);
    auto set = with("max_reject = 20\nmax_run_seconds = 90\n");
    REQUIRE(set->result.has_value());
    CHECK(set->result->jobs[0].max_reject.allowed(1000) == 20);
    CHECK(set->result->jobs[0].max_run_ms == 90000);
    auto zero = with("max_run_seconds = 0\n");
    CHECK(errorOf(*zero) ==
          zero->file + ":15:19: job.j.max_run_seconds: must be between 1 and 604800, got 0");
    CHECK(errorOf(*with("max_reject = \"x\"\n")).find("job.j.max_reject: expected a count") !=
          std::string::npos);
  }
}

TEST_SUITE("core.config") {
  TEST_CASE("every numeric key of the core has a range declared beside it") {
    for (const auto& table : mobisync::config::coreTables()) {
      for (const auto& k : table.keys) {
        CAPTURE(table.name);
        CAPTURE(k.name);
        const bool numeric = mobisync::plugin::isIntegerType(k.type) || k.type == KeyType::Float;
        CHECK(numeric == (table.range(k.name) != nullptr));
        if (const auto* r = table.range(k.name)) {
          // A range narrows its type's, never widens it.
          const auto type_range = mobisync::plugin::integerRange(k.type);
          CHECK(r->min >= type_range.min);
          CHECK(r->max <= type_range.max);
          if (k.default_value != nullptr) {
            const double d = std::stod(k.default_value);
            CHECK(d >= static_cast<double>(r->min));
            CHECK(d <= static_cast<double>(r->max));
          }
        }
      }
    }
  }

  TEST_CASE("a number out of its key's range is refused with the range and the value") {
    auto with = [](const std::string& keys) {
      std::string t = kValid;
      t.replace(t.find("username"), 0, keys);
      return load(t);
    };
    auto huge = with("timeout_ms = 9223372036854775807\n");
    CHECK(errorOf(*huge) == huge->file + ":4:14: provider.timeout_ms: must be between 1 and "
                                         "3600000, got 9223372036854775807");
    auto nan = with("rate_limit = nan\n");
    CHECK(errorOf(*nan) == nan->file + ":4:14: provider.rate_limit: must be between 0 and 100000, "
                                       "got nan");
    auto zero = with("backoff_initial_ms = 0\nmax_attempts = 1000\n");
    const std::string e = errorOf(*zero);
    CHECK(e.find("provider.backoff_initial_ms: must be between 1 and 600000, got 0") !=
          std::string::npos);
    CHECK(e.find("provider.max_attempts: must be between 1 and 100, got 1000") !=
          std::string::npos);
    auto interpolated =
        load(validWith("username", "concurrency = \"${N}\"\n"), {{"PW", "x"}, {"N", "65"}});
    CHECK(errorOf(*interpolated).find("provider.concurrency: must be between 1 and 64, got 65") !=
          std::string::npos);
    auto count = load(validWith("default_region", "max_delete = 9223372036854775807\n"));
    CHECK(errorOf(*count).find("job.j.max_delete: must be between 0 and 1000000000") !=
          std::string::npos);
  }

  TEST_CASE("a plugin key of a ranged type is checked against its type's range") {
    static const ConfigKey kSchema[] = {
        {"path", KeyType::Path, true, nullptr, "file"},
        {"port", KeyType::Port, false, "389", "port"},
        {"timeout_ms", KeyType::Milliseconds, false, "1000", "timeout"},
        {"workers", KeyType::PositiveInteger, false, "1", "workers"},
        {"url", KeyType::HttpUrl, false, nullptr, "url"},
    };
    auto schemas = [](const AppConfig&, const std::string&)
        -> mobisync::Result<std::vector<ConfigKey>> {
      return std::vector<ConfigKey>(std::begin(kSchema), std::end(kSchema));
    };
    mobisync::test::TempDir dir;
    std::string text = kValid;
    text.replace(text.find("path = \"people.csv\""), 0,
                 "port = 65536\ntimeout_ms = 0\nworkers = -1\nurl = \"http://u:pw-42@h:99999/\"\n");
    dir.write("mobisync.toml", text);
    auto r = loadConfig(dir.file("mobisync.toml"), schemas, env({{"PW", "x"}}));
    REQUIRE_FALSE(r.has_value());
    const std::string e = r.error().message();
    INFO(e);
    CHECK(e.find(":10:8: source.s.port: must be between 1 and 65535, got 65536") !=
          std::string::npos);
    CHECK(e.find(":11:14: source.s.timeout_ms: must be between 1 and 86400000, got 0") !=
          std::string::npos);
    CHECK(e.find(":12:11: source.s.workers: must be between 1 and 2147483647, got -1") !=
          std::string::npos);
    CHECK(e.find(":13:7: source.s.url: is not a valid URL (bad or invalid port number: 99999): "
                 "\"http://***@h:99999/\"") != std::string::npos);
    CHECK(e.find("pw-42") == std::string::npos);
  }

  TEST_CASE("base_url must parse as an http(s) URL with a host, its password never shown") {
    auto with = [](const std::string& url) {
      std::string t = kValid;
      t.replace(t.find("\"http://127.0.0.1:9\""), 20, "\"" + url + "\"");
      return load(t);
    };
    auto ipv6 = with("http://[::1");
    CHECK(errorOf(*ipv6) == ipv6->file + ":3:12: provider.base_url: is not a valid URL "
                                         "(unterminated IPv6 address): \"http://[::1\"");
    auto secret = with("https://demo:hunter2@[::1");
    CHECK(errorOf(*secret).find("\"https://***@[::1\"") != std::string::npos);
    CHECK(errorOf(*secret).find("hunter2") == std::string::npos);
    auto userinfo = with("https://demo:hunter2@example.com");
    CHECK(errorOf(*userinfo).find("must not hold a user name or password") != std::string::npos);
    CHECK(errorOf(*userinfo).find("hunter2") == std::string::npos);
    CHECK(errorOf(*with("http:///api")).find("provider.base_url: has no host name") !=
          std::string::npos);
    CHECK(errorOf(*with("ftp://example.com")).find("must start with http:// or https://") !=
          std::string::npos);
    CHECK(errorOf(*with("http://exa mple.com")).find("contains a blank or control character") !=
          std::string::npos);
    auto ok = with("http://[::1]:8080/base");
    REQUIRE(ok->result.has_value());
    CHECK(ok->result->provider.base_url == "http://[::1]:8080/base");
  }

  TEST_CASE("a FIFO is refused as the config file and as a secret file, without blocking") {
    mobisync::test::TempDir dir;
    const std::string fifo = dir.file("pw.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string t = kValid;
    t.replace(t.find("password_env = \"PW\""), 19, "password_file = \"pw.fifo\"");
    dir.write("mobisync.toml", t);
    auto secret = loadConfig(dir.file("mobisync.toml"), fakeSchemas(), env({}));
    REQUIRE_FALSE(secret.has_value());
    CHECK(secret.error().message() == dir.file("mobisync.toml") + ":5:17: provider.password_file: " +
                                          fifo + ": is not a regular file (a FIFO)");
    auto config = loadConfig(fifo, fakeSchemas(), env({}));
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().message() == fifo + ": is not a regular file (a FIFO)");
  }

  TEST_CASE("an error about a 50 MB value quotes a short excerpt of it") {
    const std::string huge(50 * 1024 * 1024, 'x');
    struct Case {
      std::string anchor, replaced, by, expected;
    };
    const Case cases[] = {
        {"[[source]]", "", "[log]\nlevel = \"" + huge + "\"\n", "log.level: unknown level \"xxx"},
        {"source = \"s\"", "source = \"s\"", "source = \"" + huge + "\"",
         "job.j.source: no [[source]] is named \"xxx"},
        {"name = \"j\"", "", "max_delete = \"" + huge + "%\"\n",
         ".max_delete: expected a count from 0 to 1000000000 (25) or a percentage"},
        {"username", "", huge + " = 1\n", ": provider.xxxx"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.expected);
      std::string t = kValid;
      t.replace(t.find(c.anchor), c.replaced.size(), c.by);
      auto l = load(t);
      const std::string e = errorOf(*l);
      INFO(e);
      CHECK(e.size() < 2048);
      CHECK(e.find(c.expected) != std::string::npos);
      CHECK(e.find("... (5242") != std::string::npos);
    }
  }
}

TEST_SUITE("core.config") {
  TEST_CASE("a secret file's first line and the config file are read within bounds") {
    mobisync::test::TempDir dir;
    dir.write("pw.txt", std::string(70 * 1024, 'p'));
    std::string t = kValid;
    t.replace(t.find("password_env = \"PW\""), 19, "password_file = \"pw.txt\"");
    dir.write("mobisync.toml", t);
    auto secret = loadConfig(dir.file("mobisync.toml"), fakeSchemas(), env({}));
    REQUIRE_FALSE(secret.has_value());
    CHECK(secret.error().message() ==
          dir.file("mobisync.toml") + ":5:17: provider.password_file: " + dir.file("pw.txt") +
              ": has no line end within the first 65536 bytes");

    dir.write("big.toml", kValid + std::string(64 * 1024 * 1024, '\n'));
    auto big = loadConfig(dir.file("big.toml"), fakeSchemas(), env({{"PW", "x"}}));
    REQUIRE_FALSE(big.has_value());
    CHECK(big.error().message() == dir.file("big.toml") + ": is larger than 67108864 bytes");
  }
}
