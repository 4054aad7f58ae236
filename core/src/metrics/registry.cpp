// SPDX-License-Identifier: Apache-2.0
// Registry: storage and the text exposition format.
#include "metrics/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "metrics/catalog.hpp"

namespace mobisync::metrics {

namespace {

bool validName(const std::string& s, bool allow_colon) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                       (allow_colon && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string escapeHelp(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string labelText(const Labels& labels, const std::pair<std::string, std::string>* extra) {
  if (labels.empty() && extra == nullptr) return "";
  std::string out = "{";
  bool first = true;
  auto add = [&](const std::pair<std::string, std::string>& l) {
    if (!first) out += ',';
    first = false;
    out += l.first + "=\"" + escapeLabelValue(l.second) + "\"";
  };
  for (const auto& l : labels) add(l);
  if (extra != nullptr) add(*extra);
  return out + "}";
}

const char* typeName(Type t) {
  switch (t) {
    case Type::Counter: return "counter";
    case Type::Gauge: return "gauge";
    case Type::Histogram: return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string escapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc{}) return "NaN";
  return std::string(buf, ptr);
}

void Registry::describe(const std::string& name, Type type, const std::string& help,
                        std::vector<double> buckets) {
  if (!validName(name, true)) throw std::logic_error("bad metric name " + name);
  if (type == Type::Histogram) {
    if (buckets.empty() || !std::is_sorted(buckets.begin(), buckets.end())) {
      throw std::logic_error("histogram " + name + " needs ascending buckets");
    }
  }
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    if (it->second.type != type || it->second.bounds != buckets) {
      throw std::logic_error("metric " + name + " declared twice differently");
    }
    return;
  }
  order_.push_back(name);
  families_.emplace(name, Family{type, help, std::move(buckets), {}});
}

Registry::Family& Registry::family(const std::string& name, Type expected) {
  auto it = families_.find(name);
  if (it == families_.end()) throw std::logic_error("metric " + name + " was not described");
  if (it->second.type != expected) {
    throw std::logic_error("metric " + name + " is a " + typeName(it->second.type));
  }
  return it->second;
}

void Registry::checkLabels(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    (void)v;
    if (!validName(k, false) || k.rfind("__", 0) == 0 || k == "le") {
      throw std::logic_error("bad label name " + k);
    }
  }
}

void Registry::increment(const std::string& name, const Labels& labels, double by) {
  checkLabels(labels);
  if (by < 0) throw std::logic_error("counter " + name + " cannot go down");
  std::lock_guard lock(mutex_);
  family(name, Type::Counter).series[labels].value += by;
}

void Registry::set(const std::string& name, const Labels& labels, double value) {
  checkLabels(labels);
  std::lock_guard lock(mutex_);
  family(name, Type::Gauge).series[labels].value = value;
}

void Registry::observe(const std::string& name, const Labels& labels, double value) {
  checkLabels(labels);
  std::lock_guard lock(mutex_);
  Family& f = family(name, Type::Histogram);
  Series& s = f.series[labels];
  if (s.buckets.empty()) s.buckets.assign(f.bounds.size(), 0);
  const auto at = std::lower_bound(f.bounds.begin(), f.bounds.end(), value);
  if (at != f.bounds.end()) ++s.buckets[static_cast<std::size_t>(at - f.bounds.begin())];
  ++s.count;
  s.sum += value;
}

void Registry::declareSeries(const std::string& name, const Labels& labels) {
  checkLabels(labels);
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) throw std::logic_error("metric " + name + " was not described");
  Series& s = it->second.series[labels];
  if (it->second.type == Type::Histogram && s.buckets.empty()) {
    s.buckets.assign(it->second.bounds.size(), 0);
  }
}

double Registry::value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto s = f->second.series.find(labels);
  return s == f->second.series.end() ? 0 : s->second.value;
}

std::uint64_t Registry::count(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto s = f->second.series.find(labels);
  return s == f->second.series.end() ? 0 : s->second.count;
}

std::string Registry::exposition() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& name : order_) {
    const Family& f = families_.at(name);
    out += "# HELP " + name + " " + escapeHelp(f.help) + "\n";
    out += "# TYPE " + name + " " + typeName(f.type) + "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.type != Type::Histogram) {
        out += name + labelText(labels, nullptr) + " " + formatValue(s.value) + "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f.bounds.size(); ++i) {
        cumulative += s.buckets[i];
        const std::pair<std::string, std::string> le{"le", formatValue(f.bounds[i])};
        out += name + "_bucket" + labelText(labels, &le) + " " + std::to_string(cumulative) + "\n";
      }
      const std::pair<std::string, std::string> inf{"le", "+Inf"};
      out += name + "_bucket" + labelText(labels, &inf) + " " + std::to_string(s.count) + "\n";
      out += name + "_sum" + labelText(labels, nullptr) + " " + formatValue(s.sum) + "\n";
      out += name + "_count" + labelText(labels, nullptr) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

Registry& global() {
  static Registry* registry = [] {
    auto* r = new Registry;  // never destroyed: threads may feed it during exit
    describeCatalog(*r);
    return r;
  }();
  return *registry;
}

}  // namespace mobisync::metrics
