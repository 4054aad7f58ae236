// SPDX-License-Identifier: Apache-2.0
// Secrets from systemd credentials (<key>_credential in $CREDENTIALS_DIRECTORY) and secrets left
// unread for the commands that use none.
#include <doctest/doctest.h>

#include "config_fixture.hpp"

using namespace config_fixture;

namespace {

std::string withCredential(const std::string& name) {
  std::string text = kValid;
  text.replace(text.find("password_env = \"PW\""), 19, "password_credential = \"" + name + "\"");
  return text;
}

std::unique_ptr<Loaded> loadWith(const std::string& text, std::map<std::string, std::string> vars,
                                 bool resolve_secrets = true) {
  auto l = std::make_unique<Loaded>();
  l->dir.write("mobisync.toml", text);
  l->file = l->dir.file("mobisync.toml");
  mobisync::config::LoadOptions options;
  options.resolve_secrets = resolve_secrets;
  l->result = loadConfig(l->file, fakeSchemas(), env(std::move(vars)), options);
  return l;
}

}  // namespace

TEST_SUITE("core.config") {
  TEST_CASE("a credential is read from CREDENTIALS_DIRECTORY, first line only") {
    mobisync::test::TempDir creds;
    creds.write("mobivate", "cred-secret\nsecond line\n");
    auto l = loadWith(withCredential("mobivate"), {{"CREDENTIALS_DIRECTORY", creds.path()}});
    REQUIRE_MESSAGE(l->result.has_value(), errorOf(*l));
    CHECK(l->result->provider.password == "cred-secret");
  }

  TEST_CASE("a missing credential is refused at its key without quoting a secret") {
    mobisync::test::TempDir creds;
    SUBCASE("no CREDENTIALS_DIRECTORY") {
      auto l = loadWith(withCredential("mobivate"), {});
      const std::string e = errorOf(*l);
      CHECK(e.find("provider.password_credential: credential \"mobivate\": "
                   "CREDENTIALS_DIRECTORY is not set") != std::string::npos);
    }
    SUBCASE("no such credential") {
      auto l = loadWith(withCredential("other"), {{"CREDENTIALS_DIRECTORY", creds.path()}});
      CHECK(errorOf(*l).find("provider.password_credential: credential \"other\"") !=
            std::string::npos);
    }
    SUBCASE("a name that is a path") {
      auto l = loadWith(withCredential("../etc/passwd"), {{"CREDENTIALS_DIRECTORY", creds.path()}});
      CHECK(errorOf(*l).find("expected a credential name") != std::string::npos);
    }
    SUBCASE("beside password_env") {
      std::string text = kValid;
      text.replace(text.find("password_env"), 0, "password_credential = \"mobivate\"\n");
      auto l = loadWith(text, {{"PW", "s3cret-pw"}});
      CHECK(errorOf(*l).find("set only one of password") != std::string::npos);
    }
  }

  TEST_CASE("secrets left unread are listed, not refused, when the command uses none") {
    auto l = loadWith(kValid, {}, false);
    REQUIRE_MESSAGE(l->result.has_value(), errorOf(*l));
    CHECK(l->result->provider.password.empty());
    REQUIRE(l->result->unresolved_secrets.size() == 1);
    CHECK(l->result->unresolved_secrets[0].find(
              "provider.password_env: environment variable PW is not set") != std::string::npos);
    // A wrong type is still a config error: only reading the secret is put off.
    std::string bad = kValid;
    bad.replace(bad.find("password_env = \"PW\""), 19, "password_env = 3");
    CHECK_FALSE(loadWith(bad, {}, false)->result.has_value());
    // Resolved when the variable is there.
    auto ok = loadWith(kValid, {{"PW", "s3cret-pw"}}, false);
    REQUIRE(ok->result.has_value());
    CHECK(ok->result->provider.password == "s3cret-pw");
    CHECK(ok->result->unresolved_secrets.empty());
  }
}
