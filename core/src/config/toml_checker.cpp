// SPDX-License-Identifier: Apache-2.0
// The checker's report (positions, slots) and the walk of one table against its schema.
#include "config/toml_checker.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "mobisync/plugin/config_defaults.hpp"

namespace mobisync::config {

namespace fs = std::filesystem;
using plugin::ConfigKey;
using plugin::ConfigValues;
using plugin::KeyType;

namespace {

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

}  // namespace

Checker::Checker(std::string file, EnvLookup env) : file_(std::move(file)), env_(std::move(env)) {
  base_dir_ = fs::path(file_).parent_path();
  struct stat st {};
  if (::stat(file_.c_str(), &st) == 0) readable_by_others_ = (st.st_mode & 0044) != 0;
}

std::string Checker::at(const toml::source_region& r) const {
  return file_ + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

std::string Checker::line(const toml::source_region& r, const std::string& key,
                          const std::string& problem) const {
  return at(r) + ": " + text::excerpt(key) + ": " + text::excerpt(problem, kProblemBytes);
}

void Checker::error(const toml::source_region& r, const std::string& key,
                    const std::string& problem) {
  groups_[current_].errors.push_back(line(r, key, problem));
}

void Checker::warn(const toml::source_region& r, const std::string& key,
                   const std::string& problem) {
  groups_[current_].warnings.push_back(line(r, key, problem));
}

std::vector<std::string> Checker::errors() const {
  std::vector<std::string> all;
  for (const auto& g : groups_) all.insert(all.end(), g.errors.begin(), g.errors.end());
  return all;
}

std::vector<std::string> Checker::warnings() const {
  std::vector<std::string> all;
  for (const auto& g : groups_) all.insert(all.end(), g.warnings.begin(), g.warnings.end());
  return all;
}

Checker::Slot Checker::reserveSlot() {
  groups_.emplace_back();  // the slot
  const Slot slot = groups_.size() - 1;
  groups_.emplace_back();  // what follows it
  current_ = groups_.size() - 1;
  return slot;
}

std::string Checker::resolvePath(const std::string& p) const {
  return plugin::resolveConfigPath(p, base_dir_);
}

std::optional<std::string> Checker::text(const toml::node& n, const std::string& key,
                                         bool secret) {
  auto raw = n.value<std::string>();
  if (!raw) return std::nullopt;
  auto r = interpolate(*raw, env_, secret);
  if (!r) {
    error(n.source(), key, r.error().message());
    return std::nullopt;
  }
  return std::move(r).value();
}

void Checker::validate(const toml::table& table, const std::string& prefix,
                       std::span<const ConfigKey> keys, ConfigValues& out,
                       const std::set<std::string>& handled, std::span<const KeyRange> ranges) {
  std::set<std::string> known(handled);
  for (const auto& k : keys) {
    std::string name = k.name;
    known.insert(name);
    if (k.type == KeyType::Secret) {
      known.insert(name + "_env");
      known.insert(name + "_file");
      known.insert(name + "_credential");
    }
  }
  reportUnknownKeys(table, prefix, known);
  for (const auto& k : keys) {
    if (handled.count(k.name) != 0) continue;
    const KeyRange* range = nullptr;
    for (const auto& r : ranges) {
      if (r.key == k.name) range = &r;
    }
    validateKey(table, prefix, k, range, out);
  }
}

void Checker::reportUnknownKeys(const toml::table& table, const std::string& prefix,
                                const std::set<std::string>& known) {
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
}

std::string Checker::qualified(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

void Checker::validateKey(const toml::table& table, const std::string& prefix, const ConfigKey& k,
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

toml::source_region keyPosition(const toml::table* t, const char* key) {
  if (t == nullptr) return {};
  if (const toml::node* n = t->get(key)) return n->source();
  return t->source();
}

}  // namespace mobisync::config
