// SPDX-License-Identifier: Apache-2.0
// Config loading: schema validation, positions, interpolation and secrets.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include <sys/stat.h>

#include "config/core_schema.hpp"
#include "config/toml_config.hpp"
#include "support/temp_dir.hpp"

using mobisync::config::AppConfig;
using mobisync::config::loadConfig;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::KeyType;

namespace {

const ConfigKey kFakeSchema[] = {
    {"path", KeyType::Path, true, nullptr, "file"},
    {"delimiter", KeyType::String, false, ",", "sep"},
};

mobisync::config::SchemaLookup fakeSchemas() {
  return [](const AppConfig&, const std::string& name)
             -> mobisync::Result<std::vector<ConfigKey>> {
    if (name != "csv") return mobisync::Status::invalidConfig("plugin \"" + name + "\" not found");
    return std::vector<ConfigKey>(std::begin(kFakeSchema), std::end(kFakeSchema));
  };
}

mobisync::config::EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const char* kValid = R"(
[provider]
base_url = "http://127.0.0.1:9"
username = "demo"
password_env = "PW"

[[source]]
name = "s"
plugin = "csv"
path = "people.csv"

[[job]]
name = "j"
source = "s"
default_region = "GB"
applications = ["contacts:42", "Contacts:42", "optouts:call"]
)";

struct Loaded {
  mobisync::test::TempDir dir;
  std::string file;
  mobisync::Result<AppConfig> result = mobisync::Status::internal("unset");
};

std::unique_ptr<Loaded> load(const std::string& text,
                             std::map<std::string, std::string> vars = {{"PW", "s3cret-pw"}}) {
  auto l = std::make_unique<Loaded>();
  l->dir.write("mobisync.toml", text);
  l->file = l->dir.file("mobisync.toml");
  l->result = loadConfig(l->file, fakeSchemas(), env(std::move(vars)));
  return l;
}

/// kValid with `text` inserted before the first occurrence of `anchor`.
std::string validWith(const std::string& anchor, const std::string& text) {
  std::string t = kValid;
  t.insert(t.find(anchor), text);
  return t;
}

std::string errorOf(const Loaded& l) {
  REQUIRE_FALSE(l.result.has_value());
  return l.result.error().message();
}

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("a valid config loads with defaults and resolved paths and canonical tokens") {
    auto l = load(kValid);
    REQUIRE(l->result.has_value());
    const AppConfig& c = *l->result;
    CHECK(c.provider.password == "s3cret-pw");
    CHECK(c.provider.concurrency == 8);
    CHECK(c.provider.max_attempts == 6);
    REQUIRE(c.jobs.size() == 1);
    CHECK(c.jobs[0].applications == std::vector<std::string>{"contacts:42", "optouts:calls"});
    CHECK(c.jobs[0].max_delete.text() == "10%");
    REQUIRE(c.sources.size() == 1);
    CHECK(c.sources[0].values.string("path") == l->dir.file("people.csv"));
    CHECK(c.sources[0].values.string("delimiter") == ",");
    CHECK(c.state_path == l->dir.file("mobisync-state.db"));
  }

  TEST_CASE("a TOML syntax error names file and line and column") {
    auto l = load("[provider]\nusername = \"x\nbad\n");
    std::string e = errorOf(*l);
    CHECK(e.rfind(l->file + ":2:", 0) == 0);
  }

  TEST_CASE("an unknown key is refused with its position and a suggestion") {
    std::string text = kValid;
    text.replace(text.find("username"), 0, "concurency = 4\n");
    auto l = load(text);
    CHECK(errorOf(*l) == l->file +
                             ":4:1: provider.concurency: unknown key; did you mean \"concurrency\"?");
  }

  TEST_CASE("a wrong type is refused with what was expected and found") {
    std::string text = kValid;
    text.replace(text.find("username"), 0, "concurrency = \"many\"\n");
    auto l = load(text);
    CHECK(errorOf(*l) ==
          l->file + ":4:15: provider.concurrency: expected an integer, found \"many\"");
  }

  TEST_CASE("a missing required key is reported at its table") {
    std::string text = kValid;
    text.erase(text.find("default_region"), std::string("default_region = \"GB\"\n").size());
    auto l = load(text);
    std::string e = errorOf(*l);
    INFO(e);
    CHECK(e.find(l->file + ":12:1: job.j.default_region: required key is missing") == 0);
  }

  TEST_CASE("a job naming a source that does not exist is refused") {
    std::string text = kValid;
    text.replace(text.find("source = \"s\""), 12, "source = \"nope\"");
    auto l = load(text);
    CHECK(errorOf(*l) == l->file + ":14:10: job.j.source: no [[source]] is named \"nope\"");
  }

  TEST_CASE("an unknown application token is named with the valid forms") {
    std::string text = kValid;
    text.replace(text.find("\"optouts:call\""), 14, "\"contact:42\"");
    auto l = load(text);
    std::string e = errorOf(*l);
    CHECK(e.find("job.j.applications:") != std::string::npos);
    CHECK(e.find("contact:42") != std::string::npos);
  }

  TEST_CASE("every problem is reported on a line of its own") {
    std::string text = kValid;
    text.replace(text.find("username"), 0, "colour = 1\nconcurrency = 0\n");
    auto l = load(text);
    std::string e = errorOf(*l);
    CHECK(e.find("provider.colour: unknown key") != std::string::npos);
    CHECK(e.find("provider.concurrency: must be between 1 and 64, got 0") != std::string::npos);
    CHECK(std::count(e.begin(), e.end(), '\n') == 1);
  }

  TEST_CASE("a plugin key is validated against the plugin's schema") {
    std::string text = kValid;
    text.replace(text.find("path = \"people.csv\""), 0, "delimeter = \";\"\n");
    auto l = load(text);
    CHECK(errorOf(*l) ==
          l->file + ":10:1: source.s.delimeter: unknown key; did you mean \"delimiter\"?");
  }

  TEST_CASE("an unknown plugin is reported at the plugin key") {
    std::string text = kValid;
    text.replace(text.find("plugin = \"csv\""), 14, "plugin = \"xls\"");
    auto l = load(text);
    std::string e = errorOf(*l);
    INFO(e);
    CHECK(e.find(l->file + ":9:10: source.s.plugin: plugin \"xls\" not found") == 0);
  }

  TEST_CASE("${VAR} interpolation: set or default or fail fast with a message") {
    std::string text = kValid;
    text.replace(text.find("\"http://127.0.0.1:9\""), 20, "\"${SIM_URL}\"");
    SUBCASE("set") {
      auto l = load(text, {{"PW", "x"}, {"SIM_URL", "http://127.0.0.1:1234"}});
      REQUIRE(l->result.has_value());
      CHECK(l->result->provider.base_url == "http://127.0.0.1:1234");
    }
    SUBCASE("missing") {
      auto l = load(text, {{"PW", "x"}});
      CHECK(errorOf(*l) ==
            l->file + ":3:12: provider.base_url: environment variable SIM_URL is not set");
    }
    SUBCASE("missing with a message") {
      text.replace(text.find("${SIM_URL}"), 10, "${SIM_URL:?start the simulator first}");
      auto l = load(text, {{"PW", "x"}});
      CHECK(errorOf(*l) ==
            l->file + ":3:12: provider.base_url: SIM_URL: start the simulator first");
    }
    SUBCASE("default") {
      text.replace(text.find("${SIM_URL}"), 10, "${SIM_URL:-http://127.0.0.1:5}");
      auto l = load(text, {{"PW", "x"}});
      REQUIRE(l->result.has_value());
      CHECK(l->result->provider.base_url == "http://127.0.0.1:5");
    }
  }

  TEST_CASE("secrets come from _env or _file and never appear in errors") {
    SUBCASE("unset variable") {
      auto l = load(kValid, {});
      CHECK(errorOf(*l) ==
            l->file + ":5:16: provider.password_env: environment variable PW is not set");
    }
    SUBCASE("from a file, trailing newline dropped") {
      std::string text = kValid;
      text.replace(text.find("password_env = \"PW\""), 19, "password_file = \"pw.txt\"");
      mobisync::test::TempDir unused;
      auto l = std::make_unique<Loaded>();
      l->dir.write("pw.txt", "file-secret\n");
      l->dir.write("mobisync.toml", text);
      l->file = l->dir.file("mobisync.toml");
      l->result = loadConfig(l->file, fakeSchemas(), env({}));
      REQUIRE(l->result.has_value());
      CHECK(l->result->provider.password == "file-secret");
    }
    SUBCASE("two ways at once are refused") {
      std::string text = kValid;
      text.replace(text.find("password_env"), 0, "password = \"inline-secret\"\n");
      auto l = load(text);
      std::string e = errorOf(*l);
      CHECK(e.find("set only one of password, password_env and password_file") !=
            std::string::npos);
      CHECK(e.find("inline-secret") == std::string::npos);
      CHECK(e.find("s3cret-pw") == std::string::npos);
    }
  }

  TEST_CASE("max_delete takes a count or a percentage and nothing else") {
    std::string text = kValid;
    auto with = [&](const std::string& v) {
      std::string t = text;
      t.replace(t.find("default_region"), 0, "max_delete = " + v + "\n");
      return load(t);
    };
    auto count = with("25");
    REQUIRE(count->result.has_value());
    CHECK(count->result->jobs[0].max_delete.allowed(1000) == 25);
    auto pct = with("\"5%\"");
    REQUIRE(pct->result.has_value());
    CHECK(pct->result->jobs[0].max_delete.allowed(1000) == 50);
    CHECK(errorOf(*with("\"150%\"")).find("percentage from 0% to 100%") != std::string::npos);
    CHECK(errorOf(*with("\"lots\"")).find("job.j.max_delete: expected a count") !=
          std::string::npos);
  }
}

TEST_SUITE("core.config") {
  TEST_CASE("a PostgreSQL state url takes its password from the environment") {
    std::string text = kValid;
    text += "\n[state]\nurl = \"postgresql://app@127.0.0.1:5432/state\"\n"
            "password_env = \"STATE_PW\"\n";
    auto l = load(text, {{"PW", "s3cret-pw"}, {"STATE_PW", "state-pw"}});
    REQUIRE(l->result.has_value());
    CHECK(l->result->state_url == "postgresql://app@127.0.0.1:5432/state");
    CHECK(l->result->state_password == "state-pw");
  }

  TEST_CASE("a state with both path and url is refused at the url") {
    std::string text = kValid;
    text += "\n[state]\npath = \"s.db\"\nurl = \"postgresql://app@h/state\"\n";
    auto l = load(text);
    CHECK(errorOf(*l).find(l->file +
                           ":20:7: state.url: set either path (SQLite) or url (PostgreSQL), "
                           "not both") != std::string::npos);
  }

  TEST_CASE("a state url with a password in it is refused without echoing it") {
    std::string text = kValid;
    text += "\n[state]\nurl = \"postgresql://app:hunter2@h/state\"\n";
    auto l = load(text);
    const std::string e = errorOf(*l);
    CHECK(e.find(l->file + ":19:7: state.url: the url must not contain a password") !=
          std::string::npos);
    CHECK(e.find("hunter2") == std::string::npos);
  }

  TEST_CASE("a state password without a url is refused") {
    std::string text = kValid;
    text += "\n[state]\npassword_env = \"PW\"\n";
    auto l = load(text);
    CHECK(errorOf(*l).find(l->file + ":19:16: state.password_env: a password is only used with "
                           "url") != std::string::npos);
  }
}

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

  TEST_CASE("an inline secret that cannot be interpolated is named, never quoted") {
    auto with = [&](const std::string& pw) {
      std::string t = kValid;
      t.replace(t.find("password_env = \"PW\""), 19, "password = \"" + pw + "\"");
      return load(t, {});
    };
    auto open = with("Tr0ub4dor${x-lonely");
    CHECK(errorOf(*open) == open->file + ":5:12: provider.password: unterminated ${ at character "
                                         "10 (a secret's value is not shown); write $$ for a "
                                         "literal $");
    for (const char* pw : {"QZ${VQ}QZ", "QZ${V Q}QZ", "QZ${VQ:+x}QZ", "QZ${VQ:?oops}QZ"}) {
      CAPTURE(pw);
      // Only what follows the position: the temp dir's random name may hold any letters.
      const std::string full = errorOf(*with(pw));
      INFO(full);
      const std::string e = full.substr(full.find(": provider.password"));
      CHECK(e.find("provider.password: ") != std::string::npos);
      CHECK(e.find("at character 3") != std::string::npos);
      CHECK(e.find("VQ") == std::string::npos);
      CHECK(e.find("QZ") == std::string::npos);
      CHECK(e.find("oops") == std::string::npos);
    }
    // A key that is not secret still shows what is wrong with it.
    std::string t = kValid;
    t.replace(t.find("\"http://127.0.0.1:9\""), 20, "\"http://${HOST\"");
    auto l = load(t);
    CHECK(errorOf(*l).find("unterminated ${ in \"http://${HOST\"") != std::string::npos);
  }

  TEST_CASE("a _file secret is the file's first line; an empty first line is refused") {
    auto withFile = [](const std::string& content) {
      auto l = std::make_unique<Loaded>();
      std::string t = kValid;
      t.replace(t.find("password_env = \"PW\""), 19, "password_file = \"pw.txt\"");
      l->dir.write("pw.txt", content);
      l->dir.write("mobisync.toml", t);
      l->file = l->dir.file("mobisync.toml");
      l->result = loadConfig(l->file, fakeSchemas(), env({}));
      return l;
    };
    for (const char* content : {"first-line\nsecond line\n", "first-line\r\n# note\n",
                                "first-line"}) {
      auto l = withFile(content);
      REQUIRE(l->result.has_value());
      CHECK(l->result->provider.password == "first-line");
    }
    for (const char* content : {"", "\n", "\r\nsecret-on-line-two\n"}) {
      auto l = withFile(content);
      const std::string e = errorOf(*l);
      CHECK(e == l->file + ":5:17: provider.password_file: " + l->dir.file("pw.txt") +
                     ": the first line is empty");
    }
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
