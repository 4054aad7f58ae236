// SPDX-License-Identifier: Apache-2.0
// The checker's conversion of one written value to its key's type, with the type's checks.
#include <charconv>
#include <cmath>
#include <sstream>
#include <variant>

#include "config/toml_checker.hpp"
#include "mobisync/plugin/config_defaults.hpp"
#include "values/http_url.hpp"

namespace mobisync::config {

using plugin::ConfigValue;
using plugin::KeyType;

/// Whether a number lies in the key's range (the core's, else its type's); reports it if not.
bool Checker::inRange(const ConfigValue& value, KeyType type, const KeyRange* range,
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

std::nullopt_t Checker::wrongType(const toml::node& node, const std::string& qname,
                                  const char* expected) {
  error(node.source(), qname,
        std::string("expected ") + expected + ", found " + typeName(node.type()));
  return std::nullopt;
}

template <class T>
std::optional<ConfigValue> Checker::fromInterpolated(const toml::node& node,
                                                     const std::string& qname,
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
  return plugin::inPlaceValue(v);
}

std::optional<ConfigValue> Checker::convert(const toml::node& node, KeyType type,
                                            const std::string& qname) {
  switch (type) {
    case KeyType::String:
    case KeyType::Secret: {
      if (!node.is_string()) return wrongType(node, qname, "a string");
      auto t = text(node, qname);
      if (!t) return std::nullopt;
      return plugin::inPlaceValue(*t);
    }
    case KeyType::Path: {
      if (!node.is_string()) return wrongType(node, qname, "a path string");
      auto t = text(node, qname);
      if (!t) return std::nullopt;
      return plugin::inPlaceValue(resolvePath(*t));
    }
    case KeyType::Integer:
    case KeyType::Milliseconds:
    case KeyType::Port:
    case KeyType::PositiveInteger: {
      if (auto i = node.value_exact<std::int64_t>()) return plugin::inPlaceValue(*i);
      if (node.is_string()) return fromInterpolated<std::int64_t>(node, qname, "an integer");
      return wrongType(node, qname, "an integer");
    }
    case KeyType::HttpUrl: {
      if (!node.is_string()) return wrongType(node, qname, "a URL string");
      auto t = text(node, qname);
      if (!t) return std::nullopt;
      if (std::string problem = values::httpUrlProblem(*t); !problem.empty()) {
        error(node.source(), qname, problem);
        return std::nullopt;
      }
      return plugin::inPlaceValue(*t);
    }
    case KeyType::Float: {
      if (auto d = node.value_exact<double>()) return plugin::inPlaceValue(*d);
      if (auto i = node.value_exact<std::int64_t>()) {
        return plugin::inPlaceValue(static_cast<double>(*i));
      }
      if (node.is_string()) return fromInterpolated<double>(node, qname, "a number");
      return wrongType(node, qname, "a number");
    }
    case KeyType::Boolean: {
      if (auto b = node.value_exact<bool>()) return plugin::inPlaceValue(*b);
      if (node.is_string()) {
        auto t = text(node, qname);
        if (!t) return std::nullopt;
        if (*t == "true") return plugin::inPlaceValue(true);
        if (*t == "false") return plugin::inPlaceValue(false);
        error(node.source(), qname, "expected true or false, found \"" + text::excerpt(*t) + "\"");
        return std::nullopt;
      }
      return wrongType(node, qname, "true or false");
    }
    case KeyType::StringList: return convertList(node, qname);
    case KeyType::CountOrPercent: return convertCountOrPercent(node, qname);
  }
  return std::nullopt;
}

std::optional<ConfigValue> Checker::convertList(const toml::node& node, const std::string& qname) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return wrongType(node, qname, "an array of strings");
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
  return plugin::inPlaceValue(std::move(items));
}

std::optional<ConfigValue> Checker::convertCountOrPercent(const toml::node& node,
                                                          const std::string& qname) {
  if (auto i = node.value_exact<std::int64_t>()) {
    if (*i < 0 || *i > kMaxCount) {
      error(node.source(), qname,
            "must be between 0 and " + std::to_string(kMaxCount) + ", got " + std::to_string(*i));
      return std::nullopt;
    }
    return plugin::inPlaceValue(std::to_string(*i));
  }
  if (!node.is_string()) return wrongType(node, qname, "a count (25) or a percentage (\"10%\")");
  auto t = text(node, qname);
  if (!t) return std::nullopt;
  if (!parseCountOrPercent(*t)) {
    error(node.source(), qname,
          "expected a count from 0 to " + std::to_string(kMaxCount) +
              " (25) or a percentage from 0% to 100% (\"10%\"), found \"" + text::excerpt(*t) +
              "\"");
    return std::nullopt;
  }
  return plugin::inPlaceValue(*t);
}

const char* Checker::typeName(toml::node_type t) {
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

std::optional<MaxDelete> Checker::parseCountOrPercent(const std::string& t) {
  if (t.empty()) return std::nullopt;
  MaxDelete m;
  std::string digits = t;
  m.percent = t.back() == '%';
  if (m.percent) digits.pop_back();
  double v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  if (m.percent && v > 100) return std::nullopt;
  if (!m.percent && v > static_cast<double>(kMaxCount)) return std::nullopt;
  if (!m.percent && v != static_cast<double>(static_cast<std::int64_t>(v))) return std::nullopt;
  m.value = v;
  return m;
}

}  // namespace mobisync::config
