// SPDX-License-Identifier: Apache-2.0
// StateStore's number memo: digit strings known to normalise to themselves, per region and engine.
#include <limits>

#include <Poco/Data/Session.h>

#include "state/state_error.hpp"
#include "state/state_store.hpp"
#include "state/state_store_impl.hpp"
#include "state/write_transaction.hpp"

namespace mobisync::state {

std::vector<std::int64_t> StateStore::canonicalNumbers(const std::string& region,
                                                       const std::string& engine) {
  std::vector<std::int64_t> out;
  try {
    std::string r = region, e = engine;
    // Paged like forEachPair, so the driver never holds the whole memo as text at once.
    const std::string sql = impl_->sql(
        "SELECT number FROM canonical_numbers WHERE region = ? AND engine = ? AND number > ? "
        "ORDER BY number LIMIT " + std::to_string(kPairsPerStep));
    std::vector<std::int64_t> page;
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    do {
      page.clear();
      impl_->session << sql, use(r), use(e), use(after), into(page), now;
      out.insert(out.end(), page.begin(), page.end());
      if (!page.empty()) after = page.back();
    } while (page.size() == kPairsPerStep);
  } catch (...) {
    rethrowAsStateError(impl_->path, "read the canonical number memo");
  }
  return out;
}

void StateStore::addCanonicalNumbers(const std::string& region, const std::string& engine,
                                     const std::vector<std::int64_t>& numbers) {
  if (numbers.empty()) {
    return;
  }
  try {
    std::vector<std::string> regions(numbers.size(), region), engines(numbers.size(), engine);
    std::vector<std::int64_t> values = numbers;
    WriteTransaction tx(impl_->session);
    impl_->session << impl_->sql("INSERT INTO canonical_numbers (region, engine, number) "
                                 "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
        use(regions), use(engines), use(values), now;
    tx.commit();
  } catch (...) {
    rethrowAsStateError(impl_->path, "record " + std::to_string(numbers.size()) +
                                         " canonical numbers");
  }
}

}  // namespace mobisync::state
