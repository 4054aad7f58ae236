// SPDX-License-Identifier: Apache-2.0
// In-memory contact records with the provider's idempotent create/delete semantics.
#include "contact_store.hpp"

namespace mobisync::sim {

void ContactStore::subscribe(const std::string& msisdn,
                             const std::vector<std::string>& applications,
                             const std::optional<std::string>& name,
                             const std::optional<std::string>& reference) {
  if (applications.empty()) {
    return;
  }
  std::lock_guard lock(mutex_);
  ContactRecord& record = records_[msisdn];
  record.applications.insert(applications.begin(), applications.end());
  if (name) {
    record.name = *name;
  }
  if (reference) {
    record.reference = *reference;
  }
}

void ContactStore::unsubscribe(const std::string& msisdn,
                               const std::vector<std::string>& applications) {
  std::lock_guard lock(mutex_);
  auto it = records_.find(msisdn);
  if (it == records_.end()) {
    return;
  }
  for (const std::string& application : applications) {
    it->second.applications.erase(application);
  }
  if (it->second.applications.empty()) {
    records_.erase(it);
  }
}

std::map<std::string, ContactRecord> ContactStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void ContactStore::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

}  // namespace mobisync::sim
