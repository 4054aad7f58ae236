// SPDX-License-Identifier: Apache-2.0
// DesiredSet: the normalised contacts a source yielded, merged per msisdn and sorted.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mobisync/result.hpp"

namespace mobisync::sync {

/// One msisdn the job wants subscribed. Applications are ids into DesiredSet::tokens(), sorted;
/// ids keep a million contacts small (a token string per pair would double the memory).
struct DesiredContact {
  std::string msisdn;
  std::string name;
  std::string reference;
  std::vector<std::uint16_t> apps;
};

/// Collects contacts, then finish() sorts them by msisdn and merges duplicates (union of
/// applications, first non-empty name and reference). Not thread-safe.
class DesiredSet {
 public:
  /// The id of a canonical token, adding it when new.
  std::uint16_t tokenId(const std::string& canonical);
  const std::string& token(std::uint16_t id) const { return tokens_[id]; }
  std::size_t tokenCount() const { return tokens_.size(); }

  void add(DesiredContact&& c) { contacts_.push_back(std::move(c)); }
  /// Marks a number whose row was rejected (a bad application token, none at all): the source
  /// meant something for it that we could not read, so this run removes none of its pairs.
  void protect(std::string msisdn) { protected_.push_back(std::move(msisdn)); }
  /// Whether `msisdn` was protected; valid after finish().
  bool isProtected(const std::string& msisdn) const;
  void finish();

  /// Keeps source attributes of `msisdn` for notification templates (only the few a template
  /// names, and only for jobs with such templates); the first row of a number wins.
  void keepAttributes(const std::string& msisdn,
                      std::vector<std::pair<std::string, std::string>>&& attributes) {
    attributes_.emplace(msisdn, std::move(attributes));
  }
  /// The attributes kept for `msisdn`, or null.
  const std::vector<std::pair<std::string, std::string>>* attributes(
      const std::string& msisdn) const {
    auto it = attributes_.find(msisdn);
    return it == attributes_.end() ? nullptr : &it->second;
  }

  const std::deque<DesiredContact>& contacts() const { return contacts_; }
  std::size_t size() const { return contacts_.size(); }
  /// Rows folded into an earlier row with the same msisdn.
  std::size_t duplicatesMerged() const { return duplicates_merged_; }
  std::size_t pairCount() const;

 private:
  void sortByMsisdn();

  /// A deque, not a vector: growing never moves the contacts already read, so a read of a
  /// million rows never holds two copies of the array (a vector's last doubling did, for a
  /// moment: 120 MiB more at 1,048,577 rows).
  std::deque<DesiredContact> contacts_;
  std::vector<std::string> protected_;  // sorted and unique after finish()
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, std::uint16_t> token_ids_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> attributes_;
  std::size_t duplicates_merged_ = 0;
};

}  // namespace mobisync::sync
