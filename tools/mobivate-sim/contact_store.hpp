// SPDX-License-Identifier: Apache-2.0
// The simulator's in-memory contact records, shared by every API handler.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mobisync::sim {

/// One msisdn's record as the provider would hold it.
struct ContactRecord {
  std::string name;
  std::string reference;
  std::set<std::string> applications;
};

/// msisdn -> record. Thread-safe; every call holds the lock only for the map operation itself,
/// so slow callers (injected latency) never serialise on it.
class ContactStore {
 public:
  /// Adds the applications to the msisdn's record (idempotent) and, when given, sets name and
  /// reference. Nothing is created when `applications` is empty.
  void subscribe(const std::string& msisdn, const std::vector<std::string>& applications,
                 const std::optional<std::string>& name,
                 const std::optional<std::string>& reference);

  /// Removes the applications (absent ones are ignored); a record left with none disappears.
  void unsubscribe(const std::string& msisdn, const std::vector<std::string>& applications);

  /// A copy of every record, ordered by msisdn.
  std::map<std::string, ContactRecord> snapshot() const;

  void clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, ContactRecord> records_;
};

}  // namespace mobisync::sim
