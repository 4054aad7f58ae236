// SPDX-License-Identifier: Apache-2.0
// SuppressionList: the numbers that must not get notifications (opted out by reply, imported from
// the provider's opt-out list, or added by hand), one row per number and channel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/state_store.hpp"

namespace mobisync::state {

/// One row of the `suppressions` table.
struct Suppression {
  std::string msisdn;   ///< E.164 digits, no '+'
  std::string channel = "sms";
  std::string origin;   ///< "reply", "provider", "manual"
  std::string detail;   ///< e.g. the keyword, or the provider's date
  std::int64_t opted_out_at_ms = 0;
  /// When the provider's `optouts:sms` subscription was confirmed for this row; 0 while a
  /// reply's opt-out still has to be sent (a later pass retries). Rows imported from the
  /// provider are synced from the start.
  std::int64_t provider_synced_at_ms = 0;
};

/// The `suppressions` table over the store's session. Borrows the store, which must outlive it;
/// same threading rule as the store. Throws StateError on database failures.
class SuppressionList {
 public:
  explicit SuppressionList(StateStore& store) : store_(store) {}

  /// Suppresses `msisdn` on `channel`. The first record wins: when the number is already there
  /// nothing changes and false is returned (its origin stays what it was, so a later START
  /// knows whether we or the provider put it there). A row of origin "provider" is stored as
  /// synced at `at_ms`.
  bool add(const std::string& msisdn, const std::string& channel, const std::string& origin,
           const std::string& detail, std::int64_t at_ms);
  /// Lifts the suppression; false when there was none.
  bool remove(const std::string& msisdn, const std::string& channel = "sms");
  bool contains(const std::string& msisdn, const std::string& channel = "sms");
  std::optional<Suppression> find(const std::string& msisdn, const std::string& channel = "sms");
  /// Every row (of `channel` when not empty, of `origin` when not empty), by msisdn.
  std::vector<Suppression> list(const std::string& channel = "", const std::string& origin = "");
  /// Rows of `origin` whose provider subscription is still to be made (provider_synced_at 0).
  std::vector<Suppression> unsynced(const std::string& origin = "reply");
  void markProviderSynced(const std::string& msisdn, const std::string& channel,
                          std::int64_t at_ms);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
