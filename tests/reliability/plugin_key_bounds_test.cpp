// SPDX-License-Identifier: Apache-2.0
// Issue 17: the bundled plugins' numeric and URL keys are bounded by their types, so `mobisync
// check` refuses a value that would break every call instead of leaving it to the first run.
#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using mobisync::test::ProcessResult;
using mobisync::test::TempDir;

namespace {

constexpr int kExitConfig = 78;

const std::string kBase =
    "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\npassword_env = \"PW\"\n"
    "\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
    "\n[[job]]\nname = \"j\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
    "applications = [\"contacts:42\"]\n\n";

/// `mobisync check -c <config>` with every bundled plugin available.
ProcessResult check(const std::string& config) {
  return mobisync::test::runProcess(
      {mobisync::test::mobisyncBinary(), "check", "-c", config, "--plugin-dir",
       mobisync::test::pluginDir()},
      {{"PW", "pw-value"}}, std::chrono::seconds(60));
}

/// "line:column" of the value of the first line of `text` that starts with `key = `.
std::string valueAt(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.rfind(key + " = ", 0) == 0) {
      return std::to_string(number) + ":" + std::to_string(key.size() + 4);
    }
  }
  FAIL("no line sets " << key);
  return "";
}

/// Runs check on kBase + `section` and returns its output; the run must be refused as a config
/// error.
struct Refusal {
  std::string file;
  std::string text;
  std::string output;

  bool names(const std::string& key, const std::string& label, const std::string& problem) const {
    return output.find(file + ":" + valueAt(text, key) + ": " + label + "." + key + ": " +
                       problem) != std::string::npos;
  }
};

Refusal refused(TempDir& dir, const std::string& section) {
  dir.write("people.csv", "msisdn,name\n447930000001,Ann\n");
  Refusal r;
  r.text = kBase + section;
  r.file = dir.write("mobisync.toml", r.text);
  const ProcessResult p = check(r.file);
  r.output = p.out + p.err;
  INFO(r.output);
  CHECK(p.exit_code == kExitConfig);
  return r;
}

}  // namespace

TEST_SUITE("reliability.plugin_key_bounds") {
  TEST_CASE("smpp: a port, window or delay out of its type's range does not pass check") {
    TempDir dir;
    const Refusal r = refused(
        dir,
        "[[notifier]]\nname = \"sms\"\nplugin = \"smpp\"\nhost = \"127.0.0.1\"\nport = 70000\n"
        "system_id = \"demo\"\npassword_env = \"PW\"\nwindow = 0\nrate = -20\n"
        "reconnect_max_ms = 0\nthrottle_pause_ms = 0\ntimeout_ms = 9223372036854775807\n");
    INFO(r.output);
    CHECK(r.names("port", "notifier.sms", "must be between 1 and 65535, got 70000"));
    CHECK(r.names("window", "notifier.sms", "must be between 1 and 2147483647, got 0"));
    CHECK(r.names("rate", "notifier.sms", "must be between 1 and 2147483647, got -20"));
    CHECK(r.names("reconnect_max_ms", "notifier.sms", "must be between 1 and 86400000, got 0"));
    CHECK(r.names("throttle_pause_ms", "notifier.sms", "must be between 1 and 86400000, got 0"));
    CHECK(r.names("timeout_ms", "notifier.sms",
                  "must be between 1 and 86400000, got 9223372036854775807"));
  }

  TEST_CASE("ldap: timeout_seconds must be positive, page_size = 0 still turns paging off") {
    TempDir dir;
    const std::string ldap =
        "[[source]]\nname = \"dir\"\nplugin = \"ldap\"\nuri = \"ldap://127.0.0.1:9\"\n"
        "base = \"dc=example,dc=org\"\npage_size = 0\n";
    const Refusal r = refused(dir, ldap + "timeout_seconds = 0\n");
    INFO(r.output);
    CHECK(r.names("timeout_seconds", "source.dir", "must be between 1 and 2147483647, got 0"));
    CHECK(r.output.find("page_size") == std::string::npos);

    dir.write("mobisync.toml", kBase + ldap);
    const ProcessResult ok = check(dir.file("mobisync.toml"));
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
  }

  TEST_CASE("odbc: batch_size and login_timeout must be positive") {
    TempDir dir;
    const Refusal r = refused(dir,
                              "[[source]]\nname = \"crm\"\nplugin = \"odbc\"\ndsn = \"crm\"\n"
                              "query = \"SELECT 1\"\nbatch_size = 0\nlogin_timeout = -5\n");
    INFO(r.output);
    CHECK(r.names("batch_size", "source.crm", "must be between 1 and 2147483647, got 0"));
    CHECK(r.names("login_timeout", "source.crm", "must be between 1 and 2147483647, got -5"));
  }

  TEST_CASE("http: timeout_ms, batch_chunk and the API URLs are checked before any call") {
    TempDir dir;
    const Refusal r = refused(
        dir,
        "[[notifier]]\nname = \"sms\"\nplugin = \"http\"\napi_key_env = \"PW\"\n"
        "route_id = \"r\"\njson_base_url = \"http://[::1\"\nsimple_url = \"ftp://example.com/s\"\n"
        "batch_chunk = -1\ntimeout_ms = 9223372036854775807\n");
    INFO(r.output);
    CHECK(r.names("json_base_url", "notifier.sms",
                  "is not a valid URL (unterminated IPv6 address): \"http://[::1\""));
    CHECK(r.names("simple_url", "notifier.sms", "must start with http:// or https://"));
    CHECK(r.names("batch_chunk", "notifier.sms", "must be between 1 and 2147483647, got -1"));
    CHECK(r.names("timeout_ms", "notifier.sms",
                  "must be between 1 and 86400000, got 9223372036854775807"));
  }
}
