// SPDX-License-Identifier: Apache-2.0
// DesiredSet: sorting and duplicate merging.
#include "sync/desired_set.hpp"

#include <algorithm>
#include <limits>
#include <optional>
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

namespace {

/// A contact's place in the sort: its msisdn as an order-preserving integer, then its row.
struct SortKey {
  std::uint64_t rank;
  std::uint32_t row;
};

/// The msisdn as an integer that orders like its bytes, for the digit strings of at most 15
/// characters that every normalised number is (E.164): each digit d is d + 1 in base 11 and the
/// positions past the end are 0, so a prefix sorts first. 11^15 < 2^63. Nullopt for anything
/// else.
std::optional<std::uint64_t> rankOf(const std::string& msisdn) {
  constexpr std::size_t kDigits = 15;
  if (msisdn.size() > kDigits) return std::nullopt;
  std::uint64_t rank = 0;
  for (std::size_t i = 0; i < kDigits; ++i) {
    std::uint64_t digit = 0;
    if (i < msisdn.size()) {
      const char c = msisdn[i];
      if (c < '0' || c > '9') return std::nullopt;
      digit = static_cast<std::uint64_t>(c - '0') + 1;
    }
    rank = rank * 11 + digit;
  }
  return rank;
}

}  // namespace

void DesiredSet::sortByMsisdn() {
  // By msisdn, rows of one msisdn in the source's order ("first row wins" for names). A stable
  // sort of the contacts themselves would borrow a buffer of half of them (60 MiB a million rows,
  // at the read's peak); sorting 16-byte keys and moving each contact once into place needs a
  // quarter of that and is no slower.
  std::vector<SortKey> keys;
  if (contacts_.size() <= std::numeric_limits<std::uint32_t>::max()) {
    keys.reserve(contacts_.size());
    for (std::size_t i = 0; i < contacts_.size(); ++i) {
      const auto rank = rankOf(contacts_[i].msisdn);
      if (!rank) break;
      keys.push_back(SortKey{*rank, static_cast<std::uint32_t>(i)});
    }
  }
  if (keys.size() != contacts_.size()) {
    // Not all E.164 digits (only tests and damaged input): the plain stable sort.
    std::vector<SortKey>().swap(keys);
    std::stable_sort(contacts_.begin(), contacts_.end(),
                     [](const DesiredContact& a, const DesiredContact& b) {
                       return a.msisdn < b.msisdn;
                     });
    return;
  }
  std::sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.row < b.row;
  });
  // keys[k].row is the contact that belongs at k: follow each cycle of the permutation, marking
  // a place done by pointing it at itself.
  for (std::size_t start = 0; start < keys.size(); ++start) {
    if (keys[start].row == start) continue;
    DesiredContact held = std::move(contacts_[start]);
    std::size_t at = start;
    while (keys[at].row != start) {
      const std::size_t from = keys[at].row;
      contacts_[at] = std::move(contacts_[from]);
      keys[at].row = static_cast<std::uint32_t>(at);
      at = from;
    }
    contacts_[at] = std::move(held);
    keys[at].row = static_cast<std::uint32_t>(at);
  }
}

bool DesiredSet::isProtected(const std::string& msisdn) const {
  return std::binary_search(protected_.begin(), protected_.end(), msisdn);
}

void DesiredSet::finish() {
  std::sort(protected_.begin(), protected_.end());
  protected_.erase(std::unique(protected_.begin(), protected_.end()), protected_.end());
  sortByMsisdn();
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
