// SPDX-License-Identifier: Apache-2.0
// The strict text-format parser: line by line, then family-level checks.
#include "support/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace mobisync::test {

namespace {

bool nameChar(char c, bool first, bool colon) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                     (colon && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

class LineParser {
 public:
  LineParser(const std::string& line, std::size_t number) : s_(line), number_(number) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("line " + std::to_string(number_) + " col " +
                             std::to_string(pos_ + 1) + ": " + why + ": " + s_);
  }
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string name(bool colon) {
    const std::size_t start = pos_;
    while (!done() && nameChar(s_[pos_], pos_ == start, colon)) ++pos_;
    if (pos_ == start) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  void spaces(bool required) {
    const std::size_t start = pos_;
    while (!done() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    if (required && pos_ == start) fail("expected a space");
  }
  std::string labelValue() {
    expect('"');
    std::string out;
    while (true) {
      if (done()) fail("unterminated label value");
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\n') fail("raw line feed in a label value");
      if (c == '\\') {
        if (done()) fail("dangling backslash");
        char e = s_[pos_++];
        if (e == 'n') {
          out += '\n';
        } else if (e == '\\' || e == '"') {
          out += e;
        } else {
          fail("bad escape \\" + std::string(1, e));
        }
        continue;
      }
      out += c;
    }
  }
  double number() {
    const std::size_t start = pos_;
    while (!done() && s_[pos_] != ' ' && s_[pos_] != '\t') ++pos_;
    const std::string t = s_.substr(start, pos_ - start);
    if (t == "NaN") return std::nan("");
    if (t == "+Inf") return HUGE_VAL;
    if (t == "-Inf") return -HUGE_VAL;
    if (t.empty()) fail("expected a value");
    for (char c : t) {
      if (std::string("0123456789+-.eE").find(c) == std::string::npos) fail("bad value " + t);
    }
    char* end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) fail("bad value " + t);
    return v;
  }
  std::string rest() {
    std::string r = s_.substr(pos_);
    pos_ = s_.size();
    return r;
  }

 private:
  const std::string& s_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

std::string unescapeHelp(const std::string& h, LineParser& p) {
  std::string out;
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (h[i] != '\\') {
      out += h[i];
      continue;
    }
    if (i + 1 == h.size()) p.fail("dangling backslash in HELP");
    char e = h[++i];
    if (e == 'n') {
      out += '\n';
    } else if (e == '\\') {
      out += '\\';
    } else {
      p.fail("bad escape in HELP");
    }
  }
  return out;
}

/// The family a sample belongs to, given the declared types.
std::string familyOf(const std::string& sample, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
      std::string base = sample.substr(0, sample.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return sample;
}

void checkHistograms(const PromExposition& e) {
  for (const auto& [family, type] : e.types) {
    if (type != "histogram") continue;
    // Per series (labels without le): buckets in order, cumulative, +Inf = _count.
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    std::map<std::map<std::string, std::string>, double> counts;
    for (const auto& s : e.samples) {
      if (s.name == family + "_bucket") {
        auto labels = s.labels;
        auto le = labels.find("le");
        if (le == labels.end()) throw std::runtime_error(family + "_bucket without le");
        char* end = nullptr;
        double bound = le->second == "+Inf" ? HUGE_VAL : std::strtod(le->second.c_str(), &end);
        if (le->second != "+Inf" && (end == nullptr || *end != '\0')) {
          throw std::runtime_error(family + ": bad le " + le->second);
        }
        labels.erase(le);
        buckets[labels].push_back({bound, s.value});
      } else if (s.name == family + "_count") {
        counts[s.labels] = s.value;
      }
    }
    for (const auto& [labels, list] : buckets) {
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (list[i].first <= list[i - 1].first) throw std::runtime_error(family + ": le not ascending");
        if (list[i].second < list[i - 1].second) {
          throw std::runtime_error(family + ": buckets not cumulative");
        }
      }
      if (list.empty() || !std::isinf(list.back().first)) {
        throw std::runtime_error(family + ": no le=\"+Inf\" bucket");
      }
      auto c = counts.find(labels);
      if (c == counts.end() || c->second != list.back().second) {
        throw std::runtime_error(family + ": le=\"+Inf\" differs from _count");
      }
    }
  }
}

}  // namespace

PromExposition parsePrometheusText(const std::string& text) {
  if (!text.empty() && text.back() != '\n') throw std::runtime_error("no final line feed");
  PromExposition e;
  std::set<std::string> closed;  // families whose group has ended
  std::string current;           // family of the previous sample or TYPE/HELP
  std::set<std::string> series;  // name + labels, for duplicates
  std::size_t number = 0;
  std::size_t start = 0;
  auto enter = [&](const std::string& family, LineParser& p) {
    if (family == current) return;
    if (closed.count(family) != 0) p.fail("family " + family + " continues after another one");
    if (!current.empty()) closed.insert(current);
    current = family;
  };
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    LineParser p(line, number);
    if (line.empty()) continue;
    if (line[0] == '#') {
      p.expect('#');
      p.spaces(false);
      const std::string word = p.done() ? "" : p.name(false);
      if (word != "HELP" && word != "TYPE") continue;  // a comment
      p.spaces(true);
      const std::string family = p.name(true);
      enter(family, p);
      if (word == "TYPE") {
        p.spaces(true);
        const std::string type = p.rest();
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (kTypes.count(type) == 0) p.fail("unknown type " + type);
        if (!e.types.emplace(family, type).second) p.fail("second TYPE for " + family);
        for (const auto& s : e.samples) {
          if (familyOf(s.name, e.types) == family) p.fail("TYPE after samples of " + family);
        }
      } else {
        std::string h;
        if (!p.done()) {
          p.expect(' ');
          h = p.rest();
        }
        if (!e.help.emplace(family, unescapeHelp(h, p)).second) p.fail("second HELP for " + family);
      }
      continue;
    }
    PromSample s;
    s.name = p.name(true);
    if (p.peek() == '{') {
      p.expect('{');
      while (p.peek() != '}') {
        const std::string label = p.name(false);
        if (label.rfind("__", 0) == 0) p.fail("reserved label name " + label);
        p.expect('=');
        std::string v = p.labelValue();
        if (!s.labels.emplace(label, v).second) p.fail("label " + label + " twice");
        if (p.peek() == ',') {
          p.expect(',');
          if (p.peek() == '}') p.fail("trailing comma");
        } else if (p.peek() != '}') {
          p.fail("expected ',' or '}'");
        }
      }
      p.expect('}');
    }
    p.spaces(true);
    s.value = p.number();
    p.spaces(false);
    if (!p.done()) {
      const std::string ts = p.rest();
      if (ts.find_first_not_of("-0123456789") != std::string::npos) p.fail("bad timestamp");
    }
    const std::string family = familyOf(s.name, e.types);
    enter(family, p);
    auto type = e.types.find(family);
    if (type == e.types.end()) p.fail("sample of " + family + " before its TYPE");
    if (type->second == "counter" && !(s.value >= 0)) p.fail("negative or NaN counter");
    if (type->second != "histogram" && type->second != "summary" && s.name != family) {
      p.fail("sample name does not match family " + family);
    }
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "\x1f" + k + "=" + v;
    if (!series.insert(key).second) p.fail("duplicate series");
    e.samples.push_back(std::move(s));
  }
  checkHistograms(e);
  return e;
}

double PromExposition::value(const std::string& name,
                             const std::map<std::string, std::string>& labels) const {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  throw std::runtime_error("no sample " + name);
}

double PromExposition::sum(const std::string& name,
                           const std::map<std::string, std::string>& labels) const {
  double total = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      if (it == s.labels.end() || it->second != v) all = false;
    }
    if (all) total += s.value;
  }
  return total;
}

}  // namespace mobisync::test
