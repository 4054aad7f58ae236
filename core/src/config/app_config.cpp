// SPDX-License-Identifier: Apache-2.0
// AppConfig lookups and the max_delete arithmetic.
#include "config/app_config.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mobisync::config {

std::int64_t MaxDelete::allowed(std::int64_t current) const {
  if (!percent) return static_cast<std::int64_t>(value);
  // Round down: "10%" of 15 pairs allows 1 removal, never 2.
  return static_cast<std::int64_t>(std::floor(static_cast<double>(current) * value / 100.0));
}

std::string MaxDelete::text() const {
  std::ostringstream s;
  s << value;
  if (percent) s << '%';
  return s.str();
}

const SourceConfig* AppConfig::findSource(const std::string& name) const {
  for (const auto& s : sources) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const JobConfig* AppConfig::findJob(const std::string& name) const {
  for (const auto& j : jobs) {
    if (j.name == name) return &j;
  }
  return nullptr;
}

const NotifierConfig* AppConfig::findNotifier(const std::string& name) const {
  for (const auto& n : notifiers) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

bool NotifyRule::appliesTo(const std::string& job) const {
  return jobs.empty() || std::find(jobs.begin(), jobs.end(), job) != jobs.end();
}

}  // namespace mobisync::config
