// SPDX-License-Identifier: Apache-2.0
// NumberChecker: cache first, then the notifier's lookup.
#include "notify/number_checker.hpp"

#include <chrono>

#include "state/hlr_cache.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::notify {

Result<CheckedNumber> NumberChecker::check(const std::string& msisdn) {
  const std::int64_t now = values::nowMs();
  state::HlrCache cache(store_);
  if (max_age_hours_ > 0) {
    if (auto hit = cache.find(msisdn, now - max_age_hours_ * 3600 * 1000)) {
      return CheckedNumber{hit->status, true};
    }
  }
  auto instance = pool_.get(via_);
  if (!instance) return instance.error();
  NotifierInstance& n = **instance;
  if (n.lookup == nullptr) {
    return Status::invalidConfig("notifier " + n.name + " (plugin " + n.plugin +
                                 ") cannot look numbers up; hlr_via needs one that can");
  }
  auto r = guardedResult<plugin::NumberStatus>(n.plugin, [&] { return n.lookup->lookup(msisdn); });
  if (!r) return r.error();
  if (r->state != plugin::NumberStatus::State::Unknown) cache.store(msisdn, *r, now);
  return CheckedNumber{*r, false};
}

}  // namespace mobisync::notify
