// SPDX-License-Identifier: Apache-2.0
// [[notifier]] and [[notify]] tables: what loads, and each refusal with its position.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <optional>
#include <span>

#include "config/toml_config.hpp"
#include "support/temp_dir.hpp"

using mobisync::config::AppConfig;
using mobisync::plugin::ConfigKey;
using mobisync::plugin::KeyType;

namespace {

const ConfigKey kCsvSchema[] = {{"path", KeyType::Path, true, nullptr, "file"}};
const ConfigKey kSmsSchema[] = {{"route_id", KeyType::String, true, nullptr, "route"}};

mobisync::config::SchemaLookup schemasFor(const std::string& plugin, std::span<const ConfigKey> keys) {
  return [plugin, keys](const AppConfig&,
                        const std::string& name) -> mobisync::Result<std::vector<ConfigKey>> {
    if (name != plugin) return mobisync::Status::invalidConfig("no plugin " + name);
    return std::vector<ConfigKey>(keys.begin(), keys.end());
  };
}

const std::string kBase = R"([provider]
base_url = "http://127.0.0.1:9"
username = "demo"
password = "x"

[[source]]
name = "s"
plugin = "csv"
path = "people.csv"

[[job]]
name = "people"
source = "s"
default_region = "GB"
applications = ["contacts:42"]

[[notifier]]
name = "sms"
plugin = "smsfake"
route_id = "r1"
)";

struct Loaded {
  mobisync::test::TempDir dir;
  std::string file;
  mobisync::Result<AppConfig> result = mobisync::Status::internal("unset");
};

std::unique_ptr<Loaded> load(const std::string& extra) {
  auto l = std::make_unique<Loaded>();
  l->dir.write("mobisync.toml", kBase + extra);
  l->file = l->dir.file("mobisync.toml");
  l->result = mobisync::config::loadConfig(
      l->file, schemasFor("csv", kCsvSchema),
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, {},
      schemasFor("smsfake", kSmsSchema));
  return l;
}

std::string errorOf(const Loaded& l) {
  REQUIRE_FALSE(l.result.has_value());
  return l.result.error().message();
}

// kBase has 20 lines; the first line of `extra` is line 21.
constexpr int kFirst = 21;

std::string at(const Loaded& l, int line, int col) {
  return l.file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
}

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("notifiers and rules load with normalised admin numbers and default names") {
    auto l = load(R"(
[[notify]]
on = "contact.added"
via = "sms"
to = "contact"
template = "Welcome {name} from {branch}"

[[notify]]
on = "job.blocked"
via = "sms"
to = ["+44 7930 000001", "07930000002"]
region = "GB"
originator = "Ops"
template = "{job} blocked: {error}"
)");
    REQUIRE(l->result.has_value());
    const AppConfig& cfg = *l->result;
    REQUIRE(cfg.notifiers.size() == 1);
    CHECK(cfg.notifiers[0].values.string("route_id") == "r1");
    REQUIRE(cfg.notify_rules.size() == 2);
    CHECK(cfg.notify_rules[0].name == "contact.added.1");
    CHECK(cfg.notify_rules[0].to_contact);
    CHECK(cfg.notify_rules[1].name == "job.blocked.1");
    CHECK(cfg.notify_rules[1].to == std::vector<std::string>{"447930000001", "447930000002"});
    CHECK(cfg.notify_rules[1].originator == "Ops");
    CHECK(cfg.jobs[0].notify_attributes == std::vector<std::string>{"branch"});
  }

  TEST_CASE("a template field a job event lacks is refused at its position") {
    auto l = load("\n[[notify]]\non = \"job.failed\"\nvia = \"sms\"\nto = [\"+447930000001\"]\n"
                  "template = \"{job} failed for {name}\"\n");
    // template = "{job} failed for {name}": the brace of {name} is column 30.
    std::string e = errorOf(*l);
    CHECK(e.find(at(*l, kFirst + 5, 30) + "notify[0].template: {name} is not a field of "
                                          "job.failed events") != std::string::npos);
  }

  TEST_CASE("an unclosed template brace is refused at its position") {
    auto l = load("\n[[notify]]\non = \"contact.added\"\nvia = \"sms\"\nto = \"contact\"\n"
                  "template = \"Hi {name\"\n");
    CHECK(errorOf(*l).find(at(*l, kFirst + 5, 16) + "notify[0].template: a '{' that is never "
                                                    "closed") != std::string::npos);
  }

  TEST_CASE("a rule via a notifier that does not exist is refused at the key") {
    auto l = load("\n[[notify]]\non = \"job.failed\"\nvia = \"pager\"\nto = [\"+447930000001\"]\n"
                  "template = \"{job} failed\"\n");
    CHECK(errorOf(*l).find(at(*l, kFirst + 3, 7) + "notify[0].via: no [[notifier]] is named "
                                                   "\"pager\"") != std::string::npos);
  }

  TEST_CASE("an invalid originator is refused at config time") {
    auto l = load("\n[[notify]]\non = \"job.failed\"\nvia = \"sms\"\nto = [\"+447930000001\"]\n"
                  "originator = \"MuchTooLongSender\"\ntemplate = \"{job} failed\"\n");
    CHECK(errorOf(*l).find(at(*l, kFirst + 5, 14) + "notify[0].originator: ") !=
          std::string::npos);
  }

  TEST_CASE("unknown events and contact recipients for job events are refused") {
    auto l = load("\n[[notify]]\non = \"contact.changed\"\nvia = \"sms\"\nto = \"contact\"\n"
                  "template = \"x\"\n\n[[notify]]\non = \"job.failed\"\nvia = \"sms\"\n"
                  "to = \"contact\"\ntemplate = \"x\"\n");
    std::string e = errorOf(*l);
    CHECK(e.find(at(*l, kFirst + 2, 6) + "notify[0].on: unknown event \"contact.changed\"") !=
          std::string::npos);
    CHECK(e.find(at(*l, kFirst + 10, 6) + "notify[1].to: \"contact\" is for contact events") !=
          std::string::npos);
  }

  TEST_CASE("admin numbers without a country code need a region") {
    auto l = load("\n[[notify]]\non = \"job.failed\"\nvia = \"sms\"\nto = [\"07930000001\"]\n"
                  "template = \"x\"\n");
    CHECK(errorOf(*l).find("notify[0].to: \"07930000001\": write admin numbers with +") !=
          std::string::npos);
  }

  TEST_CASE("hlr needs hlr_via naming a notifier") {
    auto l = load("");
    REQUIRE(l->result.has_value());
    CHECK(l->result->jobs[0].hlr_max_age_hours == 720);
    mobisync::test::TempDir dir;
    std::string text = kBase;
    text.insert(text.find("[[notifier]]"), "hlr = true\nhlr_via = \"nope\"\n\n");
    dir.write("mobisync.toml", text);
    auto r = mobisync::config::loadConfig(
        dir.file("mobisync.toml"), schemasFor("csv", kCsvSchema),
        [](const std::string&) -> std::optional<std::string> { return std::nullopt; }, {},
        schemasFor("smsfake", kSmsSchema));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("job.people.hlr_via: no [[notifier]] is named \"nope\"") !=
          std::string::npos);
  }

  TEST_CASE("[messaging.optouts] loads per language, and message events may go to the contact") {
    auto l = load(R"(
[[notify]]
on = "contact.opted_out"
via = "sms"
to = "contact"
template = "{msisdn} sent {keyword}: {text}"

[messaging.optouts]
keywords = ["STOP", "ARRET"]
confirmation = "Unsubscribed"
import_via = "sms"

[messaging.optouts.languages.es]
keywords = ["BAJA"]
reverse_keywords = ["ALTA"]
)");
    REQUIRE_MESSAGE(l->result.has_value(), errorOf(*l));
    const auto& o = l->result->optouts;
    REQUIRE(o.languages.size() == 2);
    CHECK(o.languages[0].keywords == std::vector<std::string>{"STOP", "ARRET"});
    CHECK(o.languages[0].reverse_keywords == std::vector<std::string>{"START", "UNSTOP"});
    CHECK(o.languages[1].code == "es");
    CHECK(o.languages[1].confirmation == "Unsubscribed");
    CHECK(o.import_via == "sms");
    CHECK(l->result->notify_rules[0].to_contact);
  }

  TEST_CASE("opt-out keywords that could never match or mean both are refused at their key") {
    auto l = load("\n[messaging.optouts]\nkeywords = [\"STOP\", \" ?! \"]\n"
                  "[messaging.optouts.languages.fr]\nreverse_keywords = [\"stop.\"]\n"
                  "[messaging.optouts.languages.de]\nfoo = 1\n");
    const std::string e = errorOf(*l);
    CHECK(e.find("messaging.optouts.keywords: \" ?! \" is blank") != std::string::npos);
    CHECK(e.find("messaging.optouts.languages.fr.reverse_keywords: \"stop.\" is also in "
                 "messaging.optouts.keywords") != std::string::npos);
    CHECK(e.find("messaging.optouts.languages.de.foo") != std::string::npos);
  }
}
