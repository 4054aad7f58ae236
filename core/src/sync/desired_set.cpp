// SPDX-License-Identifier: Apache-2.0
// DesiredSet: sorting and duplicate merging.
#include "sync/desired_set.hpp"

#include <algorithm>
#include <stdexcept>

namespace mobisync::sync {

std::uint16_t DesiredSet::tokenId(const std::string& canonical) {
  auto it = token_ids_.find(canonical);
  if (it != token_ids_.end()) return it->second;
  if (tokens_.size() >= 0xFFFF) throw std::length_error("more than 65535 distinct applications");
  auto id = static_cast<std::uint16_t>(tokens_.size());
  tokens_.push_back(canonical);
  token_ids_.emplace(canonical, id);
  return id;
}

bool DesiredSet::isProtected(const std::string& msisdn) const {
  return std::binary_search(protected_.begin(), protected_.end(), msisdn);
}

void DesiredSet::finish() {
  std::sort(protected_.begin(), protected_.end());
  protected_.erase(std::unique(protected_.begin(), protected_.end()), protected_.end());
  // Stable, so "first row wins" for names is the source's order.
  std::stable_sort(contacts_.begin(), contacts_.end(),
                   [](const DesiredContact& a, const DesiredContact& b) { return a.msisdn < b.msisdn; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < contacts_.size(); ++i) {
    DesiredContact& c = contacts_[i];
    std::sort(c.apps.begin(), c.apps.end());
    c.apps.erase(std::unique(c.apps.begin(), c.apps.end()), c.apps.end());
    if (out > 0 && contacts_[out - 1].msisdn == c.msisdn) {
      DesiredContact& keep = contacts_[out - 1];
      ++duplicates_merged_;
      if (keep.name.empty()) keep.name = std::move(c.name);
      if (keep.reference.empty()) keep.reference = std::move(c.reference);
      std::vector<std::uint16_t> merged;
      std::set_union(keep.apps.begin(), keep.apps.end(), c.apps.begin(), c.apps.end(),
                     std::back_inserter(merged));
      keep.apps = std::move(merged);
      continue;
    }
    if (out != i) contacts_[out] = std::move(c);
    ++out;
  }
  contacts_.resize(out);
}

std::size_t DesiredSet::pairCount() const {
  std::size_t n = 0;
  for (const auto& c : contacts_) n += c.apps.size();
  return n;
}

}  // namespace mobisync::sync
