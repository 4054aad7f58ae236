// SPDX-License-Identifier: Apache-2.0
// Loads and validates the TOML config against the core and plugin schemas.
#include "config/toml_config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <variant>

#include <toml++/toml.h>

#include "config/core_schema.hpp"
#include "mobisync/plugin/config_defaults.hpp"
#include "values/http_url.hpp"
#include "config/regular_file.hpp"
#include "values/cron_expression.hpp"
#include "mobisync/sms/originator.hpp"
#include "model/application_token.hpp"
#include "model/msisdn.hpp"
#include "mobisync/text.hpp"
#include "values/message_template.hpp"
#include "values/postgres_url.hpp"

namespace mobisync::config {

namespace fs = std::filesystem;
using plugin::ConfigKey;
using plugin::ConfigValue;
using plugin::ConfigValues;
using plugin::KeyType;

namespace {

// The longest problem one error line carries: room for a sentence and two excerpts.
constexpr std::size_t kProblemBytes = 3 * text::kExcerptBytes;
// The largest count a count-or-percentage key takes; more is surely a typo, and it keeps the
// arithmetic on counts exact.
constexpr std::int64_t kMaxCount = 1'000'000'000;
// The longest first line a *_file secret may have.
constexpr std::size_t kSecretFileLineBytes = 64 * 1024;
// The largest config file read.
constexpr std::size_t kMaxConfigBytes = 64 * 1024 * 1024;

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// Collects problems and knows how to name a position.
class Checker {
 public:
  Checker(std::string file, EnvLookup env) : file_(std::move(file)), env_(std::move(env)) {
    base_dir_ = fs::path(file_).parent_path();
    struct stat st {};
    if (::stat(file_.c_str(), &st) == 0) readable_by_others_ = (st.st_mode & 0044) != 0;
  }

  std::string at(const toml::source_region& r) const {
    return file_ + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
  }
  // Each part is bounded, so a message stays short whatever a value or a helper's reason
  // quotes; callers quote values through text::excerpt() and never quote a secret.
  void error(const toml::source_region& r, const std::string& key, const std::string& problem) {
    errors_.push_back(at(r) + ": " + text::excerpt(key) + ": " +
                      text::excerpt(problem, kProblemBytes));
  }
  void warn(const toml::source_region& r, const std::string& key, const std::string& problem) {
    warnings_.push_back(at(r) + ": " + text::excerpt(key) + ": " +
                        text::excerpt(problem, kProblemBytes));
  }
  const std::vector<std::string>& errors() const { return errors_; }
  std::vector<std::string>& warnings() { return warnings_; }
  const std::string& file() const { return file_; }

  std::string resolvePath(const std::string& p) const {
    return plugin::resolveConfigPath(p, base_dir_);
  }

  /// Interpolates a string node; reports a failure at the node, quoting none of a `secret`.
  std::optional<std::string> text(const toml::node& n, const std::string& key,
                                  bool secret = false) {
    auto raw = n.value<std::string>();
    if (!raw) return std::nullopt;
    auto r = interpolate(*raw, env_, secret);
    if (!r) {
      error(n.source(), key, r.error().message());
      return std::nullopt;
    }
    return std::move(r).value();
  }

  /// Validates `table` against `keys`, filling `out`. `prefix` names the table in messages
  /// ("provider", "source.customers"). Keys in `handled` are checked by the caller.
  /// Numeric values are checked against `ranges` (the core's), else their type's range.
  void validate(const toml::table& table, const std::string& prefix,
                std::span<const ConfigKey> keys, ConfigValues& out,
                const std::set<std::string>& handled = {},
                std::span<const KeyRange> ranges = {}) {
    std::set<std::string> known(handled);
    for (const auto& k : keys) {
      std::string name = k.name;
      known.insert(name);
      if (k.type == KeyType::Secret) {
        known.insert(name + "_env");
        known.insert(name + "_file");
      }
    }
    for (auto&& [key, node] : table) {
      std::string name(key.str());
      if (known.count(name) != 0) continue;
      std::string problem = "unknown key";
      std::string best;
      std::size_t best_d = 3;
      for (const auto& candidate : known) {
        // The distance is at least the difference in length: skip the quadratic work.
        const std::size_t gap = name.size() > candidate.size() ? name.size() - candidate.size()
                                                               : candidate.size() - name.size();
        if (gap >= best_d) continue;
        std::size_t d = editDistance(name, candidate);
        if (d < best_d) {
          best_d = d;
          best = candidate;
        }
      }
      if (!best.empty()) problem += "; did you mean \"" + best + "\"?";
      error(key.source(), qualified(prefix, name), problem);
      (void)node;
    }
    for (const auto& k : keys) {
      if (handled.count(k.name) != 0) continue;
      const KeyRange* range = nullptr;
      for (const auto& r : ranges) {
        if (r.key == k.name) range = &r;
      }
      validateKey(table, prefix, k, range, out);
    }
  }

 private:
  static std::string qualified(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
  }

  void validateKey(const toml::table& table, const std::string& prefix, const ConfigKey& k,
                   const KeyRange* range, ConfigValues& out) {
    const std::string name = k.name;
    const std::string qname = qualified(prefix, name);
    if (k.type == KeyType::Secret) {
      validateSecret(table, prefix, k, out);
      return;
    }
    const toml::node* node = table.get(name);
    if (node == nullptr) {
      if (k.required) {
        error(table.source(), qname, "required key is missing (" +
                                         std::string(keyTypeName(k.type)) + ": " + k.help + ")");
      } else if (auto v = plugin::defaultValue(k, base_dir_)) {
        out.set(name, std::move(*v), "");
      }
      return;
    }
    auto value = convert(*node, k.type, qname);
    if (value && inRange(*value, k.type, range, *node, qname)) {
      out.set(name, std::move(*value), at(node->source()));
    }
  }

  /// Whether a number lies in the key's range (the core's, else its type's); reports it if not.
  bool inRange(const ConfigValue& value, KeyType type, const KeyRange* range,
               const toml::node& node, const std::string& qname) {
    const plugin::IntegerRange bounds =
        range != nullptr ? plugin::IntegerRange{range->min, range->max} : plugin::integerRange(type);
    std::string got;
    bool ok = true;
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      ok = *i >= bounds.min && *i <= bounds.max;
      got = std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      // Written so that NaN, which compares false with everything, is out of range too.
      ok = *d >= static_cast<double>(bounds.min) && *d <= static_cast<double>(bounds.max);
      std::ostringstream s;
      s << *d;
      got = s.str();
    }
    if (!ok) {
      error(node.source(), qname,
            "must be between " + std::to_string(bounds.min) + " and " +
                std::to_string(bounds.max) + ", got " + got);
    }
    return ok;
  }

  std::optional<ConfigValue> convert(const toml::node& node, KeyType type,
                                     const std::string& qname) {
    auto wrong = [&](const char* expected) {
      error(node.source(), qname,
            std::string("expected ") + expected + ", found " + typeName(node.type()));
      return std::nullopt;
    };
    switch (type) {
      case KeyType::String:
      case KeyType::Secret: {
        if (!node.is_string()) return wrong("a string");
        auto t = text(node, qname);
        if (!t) return std::nullopt;
        return ConfigValue{*t};
      }
      case KeyType::Path: {
        if (!node.is_string()) return wrong("a path string");
        auto t = text(node, qname);
        if (!t) return std::nullopt;
        return ConfigValue{resolvePath(*t)};
      }
      case KeyType::Integer:
      case KeyType::Milliseconds:
      case KeyType::Port:
      case KeyType::PositiveInteger: {
        if (auto i = node.value_exact<std::int64_t>()) return ConfigValue{*i};
        if (node.is_string()) return fromInterpolated<std::int64_t>(node, qname, "an integer");
        return wrong("an integer");
      }
      case KeyType::HttpUrl: {
        if (!node.is_string()) return wrong("a URL string");
        auto t = text(node, qname);
        if (!t) return std::nullopt;
        if (std::string problem = values::httpUrlProblem(*t); !problem.empty()) {
          error(node.source(), qname, problem);
          return std::nullopt;
        }
        return ConfigValue{*t};
      }
      case KeyType::Float: {
        if (auto d = node.value_exact<double>()) return ConfigValue{*d};
        if (auto i = node.value_exact<std::int64_t>()) return ConfigValue{static_cast<double>(*i)};
        if (node.is_string()) return fromInterpolated<double>(node, qname, "a number");
        return wrong("a number");
      }
      case KeyType::Boolean: {
        if (auto b = node.value_exact<bool>()) return ConfigValue{*b};
        if (node.is_string()) {
          auto t = text(node, qname);
          if (!t) return std::nullopt;
          if (*t == "true") return ConfigValue{true};
          if (*t == "false") return ConfigValue{false};
          error(node.source(), qname,
                "expected true or false, found \"" + text::excerpt(*t) + "\"");
          return std::nullopt;
        }
        return wrong("true or false");
      }
      case KeyType::StringList: {
        const toml::array* arr = node.as_array();
        if (arr == nullptr) return wrong("an array of strings");
        std::vector<std::string> items;
        for (const auto& item : *arr) {
          if (!item.is_string()) {
            error(item.source(), qname,
                  std::string("expected strings in the array, found ") + typeName(item.type()));
            return std::nullopt;
          }
          auto t = text(item, qname);
          if (!t) return std::nullopt;
          items.push_back(*t);
        }
        return ConfigValue{items};
      }
      case KeyType::CountOrPercent: {
        if (auto i = node.value_exact<std::int64_t>()) {
          if (*i < 0 || *i > kMaxCount) {
            error(node.source(), qname,
                  "must be between 0 and " + std::to_string(kMaxCount) + ", got " +
                      std::to_string(*i));
            return std::nullopt;
          }
          return ConfigValue{std::to_string(*i)};
        }
        if (!node.is_string()) return wrong("a count (25) or a percentage (\"10%\")");
        auto t = text(node, qname);
        if (!t) return std::nullopt;
        if (!parseCountOrPercent(*t)) {
          error(node.source(), qname,
                "expected a count from 0 to " + std::to_string(kMaxCount) +
                    " (25) or a percentage from 0% to 100% (\"10%\"), found \"" +
                    text::excerpt(*t) + "\"");
          return std::nullopt;
        }
        return ConfigValue{*t};
      }
    }
    return std::nullopt;
  }

  template <class T>
  std::optional<ConfigValue> fromInterpolated(const toml::node& node, const std::string& qname,
                                              const char* expected) {
    auto t = text(node, qname);
    if (!t) return std::nullopt;
    T v{};
    auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
    if (ec != std::errc{} || ptr != t->data() + t->size()) {
      error(node.source(), qname,
            std::string("expected ") + expected + ", found \"" + text::excerpt(*t) + "\"");
      return std::nullopt;
    }
    return ConfigValue{v};
  }

  void validateSecret(const toml::table& table, const std::string& prefix, const ConfigKey& k,
                      ConfigValues& out) {
    const std::string name = k.name;
    const std::string qname = qualified(prefix, name);
    const toml::node* inline_node = table.get(name);
    const toml::node* env_node = table.get(name + "_env");
    const toml::node* file_node = table.get(name + "_file");
    int given = (inline_node != nullptr) + (env_node != nullptr) + (file_node != nullptr);
    if (given > 1) {
      const toml::node* second = file_node != nullptr ? file_node : env_node;
      error(second->source(), qname,
            "set only one of " + name + ", " + name + "_env and " + name + "_file");
      return;
    }
    if (given == 0) {
      if (k.required) {
        error(table.source(), qname,
              "required secret is missing: set " + name + "_env = \"VARIABLE\" or " + name +
                  "_file = \"path\"");
      }
      return;
    }
    if (inline_node != nullptr) {
      if (!inline_node->is_string()) {
        error(inline_node->source(), qname, "expected a string");
        return;
      }
      auto t = text(*inline_node, qname, true);
      if (!t) return;
      if (readable_by_others_) {
        warn(inline_node->source(), qname,
             "secret written inline in a file others can read; prefer " + name + "_env or " +
                 name + "_file");
      }
      out.set(name, *t, at(inline_node->source()));
      return;
    }
    if (env_node != nullptr) {
      auto var = env_node->value<std::string>();
      if (!var) {
        error(env_node->source(), qname + "_env", "expected the name of an environment variable");
        return;
      }
      auto v = env_(*var);
      if (!v || v->empty()) {
        error(env_node->source(), qname + "_env",
              "environment variable " + text::excerpt(*var) + " is not set");
        return;
      }
      out.set(name, *v, at(env_node->source()));
      return;
    }
    auto path_text = file_node->value<std::string>();
    if (!path_text) {
      error(file_node->source(), qname + "_file", "expected a path string");
      return;
    }
    auto p = text(*file_node, qname + "_file");
    if (!p) return;
    std::string path = resolvePath(*p);
    // The secret is the file's first line: editors and `echo` end it with a newline, and a note
    // or a second value may follow. Nothing of the file is ever quoted.
    auto secret = readFirstLine(path, kSecretFileLineBytes);
    if (!secret) {
      error(file_node->source(), qname + "_file",
            text::excerpt(path) + ": " + secret.error().message());
      return;
    }
    out.set(name, std::move(secret).value(), at(file_node->source()));
  }

  static const char* typeName(toml::node_type t) {
    switch (t) {
      case toml::node_type::table: return "a table";
      case toml::node_type::array: return "an array";
      case toml::node_type::string: return "a string";
      case toml::node_type::integer: return "an integer";
      case toml::node_type::floating_point: return "a float";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::date:
      case toml::node_type::time:
      case toml::node_type::date_time: return "a date/time";
      case toml::node_type::none: break;
    }
    return "nothing";
  }

 public:
  static std::optional<MaxDelete> parseCountOrPercent(const std::string& t) {
    if (t.empty()) return std::nullopt;
    MaxDelete m;
    std::string digits = t;
    m.percent = t.back() == '%';
    if (m.percent) digits.pop_back();
    double v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc{} || ptr != digits.data() + digits.size() || !std::isfinite(v) ||
        v < 0) {
      return std::nullopt;
    }
    if (m.percent && v > 100) return std::nullopt;
    if (!m.percent && v > static_cast<double>(kMaxCount)) return std::nullopt;
    if (!m.percent && v != static_cast<double>(static_cast<std::int64_t>(v))) return std::nullopt;
    m.value = v;
    return m;
  }

 private:
  std::string file_;
  EnvLookup env_;
  fs::path base_dir_;
  bool readable_by_others_ = false;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
};

void readProvider(const ConfigValues& v, ProviderSettings& p) {
  // Fallbacks are the settings' own defaults, so a key that failed validation (already
  // reported) does not cause a second, confusing range error.
  p.base_url = v.string("base_url", p.base_url);
  while (!p.base_url.empty() && p.base_url.back() == '/') p.base_url.pop_back();
  p.create_path = v.string("create_path", p.create_path);
  p.delete_path = v.string("delete_path", p.delete_path);
  p.username = v.string("username");
  p.password = v.string("password");
  p.concurrency = static_cast<int>(v.integer("concurrency", p.concurrency));
  p.rate_per_second = v.number("rate_limit", p.rate_per_second);
  p.timeout = std::chrono::milliseconds(v.integer("timeout_ms", p.timeout.count()));
  p.max_attempts = static_cast<int>(v.integer("max_attempts", p.max_attempts));
  p.backoff_initial =
      std::chrono::milliseconds(v.integer("backoff_initial_ms", p.backoff_initial.count()));
  p.backoff_max = std::chrono::milliseconds(v.integer("backoff_max_ms", p.backoff_max.count()));
  p.ca_file = v.string("ca_file");
  p.verify_tls = v.boolean("verify_tls", true);
}

/// [state]: a file or a PostgreSQL url, not both; the url well-formed and free of a password.
void checkStateLocation(const toml::table& t, Checker& c) {
  const toml::node* url = t.get("url");
  if (url == nullptr) {
    for (const char* key : {"password", "password_env", "password_file"}) {
      if (const toml::node* n = t.get(key)) {
        c.error(n->source(), std::string("state.") + key, "a password is only used with url");
      }
    }
    return;
  }
  if (t.get("path") != nullptr) {
    c.error(url->source(), "state.url",
            "set either path (SQLite) or url (PostgreSQL), not both");
  }
  const std::optional<std::string> text = url->value<std::string>();
  if (!text) return;  // the type check has reported it
  std::string why;
  if (!values::parsePostgresUrl(*text, why)) {
    c.error(url->source(), "state.url", why);
  }
}

/// Where a key's problem is reported: the key, else its table.
toml::source_region keyPosition(const toml::table* t, const char* key) {
  if (t == nullptr) return {};
  if (const toml::node* n = t->get(key)) return n->source();
  return t->source();
}

void readDaemonTables(AppConfig& cfg, const ConfigValues& dv, const ConfigValues& mv,
                      const toml::table* metrics, Checker& c) {
  // Both are in range (the [daemon] ranges of core_schema.cpp) or left at their defaults.
  cfg.daemon.stop_timeout_seconds = dv.integer("stop_timeout", cfg.daemon.stop_timeout_seconds);
  cfg.daemon.lease_ttl_ms = dv.integer("lease_ttl", cfg.daemon.lease_ttl_ms / 1000) * 1000;
  cfg.metrics.listen = mv.string("listen", cfg.metrics.listen);
  if (cfg.metrics.listen.empty()) return;
  const auto colon = cfg.metrics.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    const std::string digits = cfg.metrics.listen.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) port = -1;
  }
  if (port < 0 || port > 65535) {
    c.error(keyPosition(metrics, "listen"), "metrics.listen",
            "expected host:port such as 127.0.0.1:9464 (port 0: any free port), or \"\" for "
            "no listener; found \"" + text::excerpt(cfg.metrics.listen) + "\"");
  }
}

/// A job's schedule and zone are parsed here, so `check` and a SIGHUP reload refuse them.
void checkSchedule(const toml::table& t, const std::string& label, const ConfigValues& v,
                   JobConfig& j, Checker& c) {
  j.schedule = v.string("schedule");
  j.timezone = v.string("timezone");
  if (!j.schedule.empty()) {
    if (auto cron = values::CronExpression::parse(j.schedule); !cron) {
      c.error(keyPosition(&t, "schedule"), label + ".schedule",
              "\"" + text::excerpt(j.schedule) + "\": " + cron.error().message());
    }
  }
  if (!j.timezone.empty()) {
    if (auto zone = values::TimeZone::named(j.timezone); !zone) {
      c.error(keyPosition(&t, "timezone"), label + ".timezone", zone.error().message());
    } else if (j.schedule.empty()) {
      c.warn(keyPosition(&t, "timezone"), label + ".timezone",
             "has no effect without a schedule");
    }
  }
}

/// The position of byte `offset` inside a string value: exact for a one-line string with nothing
/// escaped before it, else the string's own position (the message names the offset too).
toml::source_region positionInString(const toml::node& n, const std::string& text,
                                     std::size_t offset) {
  toml::source_region r = n.source();
  std::size_t chars = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n' || ch == '\\' || ch == '"' || ch == '\t') return n.source();
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++chars;  // count code points
  }
  r.begin.column += static_cast<toml::source_index>(1 + chars);  // 1: the opening quote
  return r;
}

/// [[notifier]] tables: name, plugin, and the plugin's own keys checked against its schema.
void readNotifiers(const std::vector<const toml::table*>& tables, AppConfig& cfg,
                   const SchemaLookup& schemas, Checker& c) {
  std::set<std::string> names;
  std::size_t index = 0;
  for (const toml::table* t : tables) {
    NotifierConfig n;
    n.origin = c.at(t->source());
    std::string label = "notifier[" + std::to_string(index++) + "]";
    for (const auto& k : coreTable("notifier").keys) {
      const toml::node* node = t->get(k.name);
      if (node == nullptr) {
        c.error(t->source(), label + "." + k.name, "required key is missing");
      } else if (!node->is_string()) {
        c.error(node->source(), label + "." + k.name, "expected a string");
      }
    }
    n.name = t->get("name") != nullptr ? t->get("name")->value_or(std::string()) : "";
    n.plugin = t->get("plugin") != nullptr ? t->get("plugin")->value_or(std::string()) : "";
    if (!n.name.empty()) {
      label = "notifier." + n.name;
      if (!names.insert(n.name).second) {
        c.error(t->get("name")->source(), label + ".name",
                "another [[notifier]] already has this name");
      }
    }
    if (n.plugin.empty()) continue;
    auto schema = schemas(cfg, n.plugin);
    if (!schema) {
      c.error(t->get("plugin")->source(), label + ".plugin", schema.error().message());
      continue;
    }
    c.validate(*t, label, *schema, n.values, {"name", "plugin"});
    cfg.notifiers.push_back(std::move(n));
  }
}

/// A job's hlr keys; hlr_via must name a [[notifier]] (whether it can look numbers up is known
/// only once the plugin is created, so the run checks that).
void readJobHlr(const toml::table& t, const std::string& label, const ConfigValues& v,
                const AppConfig& cfg, JobConfig& j, Checker& c) {
  j.hlr = v.boolean("hlr", false);
  j.hlr_via = v.string("hlr_via");
  j.hlr_max_age_hours = v.integer("hlr_max_age", j.hlr_max_age_hours);
  if (j.hlr && j.hlr_via.empty()) {
    c.error(keyPosition(&t, "hlr"), label + ".hlr_via",
            "hlr = true needs hlr_via, the [[notifier]] that looks numbers up");
  }
  if (!j.hlr_via.empty() && cfg.findNotifier(j.hlr_via) == nullptr) {
    c.error(keyPosition(&t, "hlr_via"), label + ".hlr_via",
            "no [[notifier]] is named \"" + text::excerpt(j.hlr_via) + "\"");
  }
}

/// The admin numbers of a rule's `to`, each normalised to E.164 digits.
void readRecipients(const toml::node& to, const std::string& qname, const std::string& region,
                    NotifyRule& r, Checker& c) {
  if (to.is_string()) {
    if (to.value_or(std::string()) == "contact") {
      r.to_contact = true;
    } else {
      c.error(to.source(), qname, "expected \"contact\" or a list of admin numbers");
    }
    return;
  }
  const toml::array* arr = to.as_array();
  if (arr == nullptr || arr->empty()) {
    c.error(to.source(), qname, "expected \"contact\" or a non-empty list of admin numbers");
    return;
  }
  std::optional<model::MsisdnNormalizer> normalizer;
  try {
    // Without a region only "+" numbers are accepted, and for those any region parses alike.
    normalizer.emplace(region.empty() ? "GB" : region);
  } catch (const std::exception&) {
    return;  // the region key's own error is reported by the caller
  }
  for (const auto& item : *arr) {
    auto text = item.value<std::string>();
    if (!text) {
      c.error(item.source(), qname, "expected number strings in the list");
      continue;
    }
    if (region.empty() && (text->empty() || text->front() != '+')) {
      c.error(item.source(), qname,
              "\"" + text::excerpt(*text) +
                  "\": write admin numbers with + and the country code, or set region");
      continue;
    }
    auto n = normalizer->normalize(*text);
    if (!n) {
      c.error(item.source(), qname, "\"" + text::excerpt(*text) + "\": " + n.error().message());
      continue;
    }
    r.to.push_back(*n);
  }
}

/// [[notify]] rules, after notifiers and jobs so `via` and `jobs` can be checked.
void readNotifyRules(const std::vector<const toml::table*>& tables, AppConfig& cfg,
                     Checker& c) {
  std::set<std::string> names;
  std::map<std::string, int> per_event;
  std::size_t index = 0;
  for (const toml::table* t : tables) {
    NotifyRule r;
    r.origin = c.at(t->source());
    const std::string label = "notify[" + std::to_string(index++) + "]";
    ConfigValues v;
    c.validate(*t, label, coreTable("notify").keys, v, {"to"});
    const std::string on = v.string("on");
    auto event = values::parseEvent(on);
    if (!on.empty() && !event) {
      c.error(keyPosition(t, "on"), label + ".on",
              "unknown event \"" + text::excerpt(on) + "\"; expected " + values::eventNames());
    }
    if (event) r.event = *event;
    r.via = v.string("via");
    if (!r.via.empty() && cfg.findNotifier(r.via) == nullptr) {
      c.error(keyPosition(t, "via"), label + ".via",
              "no [[notifier]] is named \"" + text::excerpt(r.via) + "\"");
    }
    const std::string region = v.string("region");
    if (!region.empty()) {
      try {
        model::MsisdnNormalizer check(region);
      } catch (const std::exception& e) {
        c.error(keyPosition(t, "region"), label + ".region", e.what());
      }
    }
    if (const toml::node* to = t->get("to")) {
      readRecipients(*to, label + ".to", region, r, c);
      if (r.to_contact && event && !values::isContactEvent(*event)) {
        c.error(to->source(), label + ".to",
                "\"contact\" is for contact events; " + on + " needs a list of admin numbers");
      }
    } else {
      c.error(t->source(), label + ".to",
              "required key is missing (\"contact\" or a list of admin numbers)");
    }
    r.jobs = v.list("jobs");
    for (const auto& j : r.jobs) {
      if (cfg.findJob(j) == nullptr) {
        c.error(keyPosition(t, "jobs"), label + ".jobs",
                "no [[job]] is named \"" + text::excerpt(j) + "\"");
      }
    }
    r.originator = v.string("originator");
    if (!r.originator.empty()) {
      if (auto kind = sms::checkOriginator(r.originator); !kind) {
        c.error(keyPosition(t, "originator"), label + ".originator", kind.error().message());
      }
    }
    r.template_text = v.string("template");
    if (const toml::node* tn = t->get("template"); tn != nullptr && tn->is_string()) {
      auto parsed = values::MessageTemplate::parse(r.template_text);
      std::optional<values::TemplateError> problem;
      if (auto* e = std::get_if<values::TemplateError>(&parsed)) {
        problem = *e;
      } else if (event) {
        problem = std::get<values::MessageTemplate>(parsed).checkFor(*event);
      }
      if (problem) {
        c.error(positionInString(*tn, r.template_text, problem->offset), label + ".template",
                problem->message + " (at character " + std::to_string(problem->offset + 1) + ")");
      }
    }
    r.name = v.string("name");
    if (r.name.empty() && event) r.name = on + "." + std::to_string(++per_event[on]);
    if (!r.name.empty() && !names.insert(r.name).second) {
      c.error(keyPosition(t, "name"), label + ".name",
              "another [[notify]] rule is named \"" + text::excerpt(r.name) +
                  "\"; names keep each message sent once, so they must differ");
    }
    cfg.notify_rules.push_back(std::move(r));
  }
  // The source attributes each job must keep for its contact messages.
  for (auto& job : cfg.jobs) {
    for (const auto& r : cfg.notify_rules) {
      if (!values::isContactEvent(r.event) || !r.appliesTo(job.name)) continue;
      auto parsed = values::MessageTemplate::parse(r.template_text);
      auto* tpl = std::get_if<values::MessageTemplate>(&parsed);
      if (tpl == nullptr) continue;
      auto builtin = values::builtinFields(r.event);
      for (const auto& f : tpl->fields()) {
        if (std::find(builtin.begin(), builtin.end(), f) != builtin.end()) continue;
        auto& attrs = job.notify_attributes;
        if (std::find(attrs.begin(), attrs.end(), f) == attrs.end()) attrs.push_back(f);
      }
    }
  }
}

}  // namespace

Result<AppConfig> loadConfig(const std::string& path, const SchemaLookup& schemas,
                             const EnvLookup& env, const LoadOptions& options) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec || !fs::exists(abs, ec)) {
    return Status::invalidConfig(path + ": config file not found");
  }
  // Read here rather than by toml::parse_file, which would block on a FIFO given as -c.
  auto content = readRegularFile(abs.string(), kMaxConfigBytes);
  if (!content) return Status::invalidConfig(abs.string() + ": " + content.error().message());
  toml::table root;
  try {
    root = toml::parse(*content, abs.string());
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::invalidConfig(abs.string() + ":" + std::to_string(b.line) + ":" +
                                 std::to_string(b.column) + ": " +
                                 text::excerpt(e.description(), kProblemBytes));
  }

  Checker c(abs.string(), env);
  AppConfig cfg;
  cfg.file = abs.string();

  static const std::set<std::string> kTopLevel = {"provider", "state", "log",    "plugins",
                                                  "source",   "job",   "daemon", "metrics",
                                                  "notifier", "notify"};
  for (auto&& [key, node] : root) {
    std::string name(key.str());
    if (kTopLevel.count(name) == 0) {
      c.error(key.source(), name,
              "unknown table; expected [provider], [state], [log], [plugins], [daemon], [metrics], "
              "[[source]], [[job]], [[notifier]] or [[notify]]");
    }
    (void)node;
  }

  auto single = [&](const char* name) -> const toml::table* {
    const toml::node* n = root.get(name);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      c.error(n->source(), name, std::string("expected a table [") + name + "]");
      return nullptr;
    }
    return n->as_table();
  };
  auto values = [&](const char* name) {
    ConfigValues v;
    static const toml::table kEmpty;
    const toml::table* t = single(name);
    c.validate(t != nullptr ? *t : kEmpty, name, coreTable(name).keys, v, {},
               coreTable(name).ranges);
    return v;
  };

  const toml::table* provider_table = single("provider");
  if (provider_table == nullptr && root.get("provider") == nullptr) {
    c.error(root.source(), "provider", "the [provider] table is missing");
  } else {
    ConfigValues pv = values("provider");
    readProvider(pv, cfg.provider);
  }

  ConfigValues sv = values("state");
  cfg.state_path = sv.string("path");
  cfg.state_url = sv.string("url");
  cfg.state_password = sv.string("password");
  if (const toml::table* st = single("state"); st != nullptr) {
    checkStateLocation(*st, c);
  }
  ConfigValues lv = values("log");
  cfg.log.level = lv.string("level");
  cfg.log.file = lv.string("file");
  static const std::set<std::string> kLevels = {"fatal",       "critical", "error", "warning",
                                                "notice",      "information", "debug", "trace"};
  if (kLevels.count(cfg.log.level) == 0) {
    const toml::table* lt = single("log");
    const toml::node* n = lt != nullptr ? lt->get("level") : nullptr;
    c.error(n != nullptr ? n->source() : root.source(), "log.level",
            "unknown level \"" + text::excerpt(cfg.log.level) +
                "\"; expected error, warning, notice, information, debug or trace");
  }
  ConfigValues plv = values("plugins");
  for (const auto& d : plv.list("dirs")) cfg.plugin_dirs.push_back(c.resolvePath(d));
  if (!options.plugin_dirs.empty()) cfg.plugin_dirs = options.plugin_dirs;
  readDaemonTables(cfg, values("daemon"), values("metrics"), single("metrics"), c);

  auto tables = [&](const char* name) {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(name);
    if (n == nullptr) return out;
    const toml::array* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      c.error(n->source(), name,
              std::string("expected an array of tables: write [[") + name + "]]");
      return out;
    }
    for (const auto& t : *arr) out.push_back(t.as_table());
    return out;
  };

  std::set<std::string> source_names;
  std::size_t index = 0;
  for (const toml::table* t : tables("source")) {
    SourceConfig s;
    s.origin = c.at(t->source());
    ConfigValues common;
    std::string label = "source[" + std::to_string(index++) + "]";
    std::set<std::string> plugin_keys;
    std::vector<ConfigKey> plugin_schema;
    // Validate name and plugin first: the plugin decides which other keys are allowed.
    for (const auto& k : coreTable("source").keys) {
      const toml::node* n = t->get(k.name);
      if (n == nullptr) {
        c.error(t->source(), label + "." + k.name, "required key is missing");
      } else if (!n->is_string()) {
        c.error(n->source(), label + "." + k.name, "expected a string");
      }
    }
    s.name = t->get("name") != nullptr ? t->get("name")->value_or(std::string()) : "";
    s.plugin = t->get("plugin") != nullptr ? t->get("plugin")->value_or(std::string()) : "";
    if (!s.name.empty()) {
      label = "source." + s.name;
      if (!source_names.insert(s.name).second) {
        c.error(t->get("name")->source(), label + ".name",
                "another [[source]] already has this name");
      }
    }
    if (s.plugin.empty()) continue;
    auto schema = schemas(cfg, s.plugin);
    if (!schema) {
      c.error(t->get("plugin")->source(), label + ".plugin", schema.error().message());
      continue;
    }
    plugin_schema = std::move(schema).value();
    c.validate(*t, label, plugin_schema, s.values, {"name", "plugin"});
    cfg.sources.push_back(std::move(s));
  }

  readNotifiers(tables("notifier"), cfg,
                options.notifier_schemas ? options.notifier_schemas : schemas, c);

  std::set<std::string> job_names;
  index = 0;
  for (const toml::table* t : tables("job")) {
    JobConfig j;
    j.origin = c.at(t->source());
    ConfigValues v;
    std::string label = "job[" + std::to_string(index++) + "]";
    if (const toml::node* n = t->get("name"); n != nullptr && n->is_string()) {
      label = "job." + n->value_or(std::string());
    }
    c.validate(*t, label, coreTable("job").keys, v, {}, coreTable("job").ranges);
    j.name = v.string("name");
    j.source = v.string("source");
    j.default_region = v.string("default_region");
    j.enabled = v.boolean("enabled", true);
    checkSchedule(*t, label, v, j, c);
    readJobHlr(*t, label, v, cfg, j, c);
    if (!j.name.empty() && !job_names.insert(j.name).second) {
      c.error(t->get("name")->source(), label + ".name", "another [[job]] already has this name");
    }
    if (!j.source.empty() && source_names.count(j.source) == 0) {
      c.error(t->get("source")->source(), label + ".source",
              "no [[source]] is named \"" + text::excerpt(j.source) + "\"");
    }
    if (auto m = Checker::parseCountOrPercent(v.string("max_delete"))) j.max_delete = *m;
    if (auto m = Checker::parseCountOrPercent(v.string("max_reject"))) j.max_reject = *m;
    j.max_run_ms = v.integer("max_run_seconds", 0) * 1000;  // in range, or unset: 0, no limit
    if (const toml::node* n = t->get("applications")) {
      for (const auto& token : v.list("applications")) {
        auto parsed = model::parseApplicationToken(token);
        if (!parsed) {
          c.error(n->source(), label + ".applications", parsed.error().message());
        } else {
          j.applications.push_back(*parsed);
        }
      }
    }
    std::sort(j.applications.begin(), j.applications.end());
    j.applications.erase(std::unique(j.applications.begin(), j.applications.end()),
                         j.applications.end());
    j.reject_file = v.string("reject_file");
    if (j.reject_file.empty() && !j.name.empty()) {
      j.reject_file =
          (fs::path(cfg.state_path).parent_path() / (j.name + ".rejects.csv")).string();
    }
    cfg.jobs.push_back(std::move(j));
  }

  readNotifyRules(tables("notify"), cfg, c);

  cfg.warnings = std::move(c.warnings());
  if (!c.errors().empty()) {
    std::string all;
    for (const auto& e : c.errors()) {
      if (!all.empty()) all += '\n';
      all += e;
    }
    return Status::invalidConfig(all);
  }
  return cfg;
}

}  // namespace mobisync::config
