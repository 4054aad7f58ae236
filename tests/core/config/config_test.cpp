// SPDX-License-Identifier: Apache-2.0
// Config loading: schema validation, positions, interpolation, secrets and the state table.
#include <doctest/doctest.h>

#include "config_fixture.hpp"

using namespace config_fixture;

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
      CHECK(e.find("set only one of password, password_env, password_file and "
                   "password_credential") != std::string::npos);
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

  TEST_CASE("a _file secret is the file's first line, an empty first line is refused") {
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
}
