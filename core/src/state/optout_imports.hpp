// SPDX-License-Identifier: Apache-2.0
// OptoutImports: how far the provider's opt-out list has been read, per source, so each import
// asks only for the days since the last one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "state/state_store.hpp"

namespace mobisync::state {

struct OptoutImportPosition {
  std::string imported_through;  ///< the last day (YYYY-MM-DD) read in full or in part
  std::int64_t imported_at_ms = 0;
};

/// The `optout_imports` table over the store's session. Borrows the store, which must outlive
/// it; same threading rule as the store. Throws StateError on database failures.
class OptoutImports {
 public:
  explicit OptoutImports(StateStore& store) : store_(store) {}

  std::optional<OptoutImportPosition> find(const std::string& source);
  void save(const std::string& source, const std::string& imported_through, std::int64_t at_ms);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
