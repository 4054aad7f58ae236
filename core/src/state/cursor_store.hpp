// SPDX-License-Identifier: Apache-2.0
// CursorStore: the last confirmed cursor of each (job, source) an incremental source read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "state/state_store.hpp"

namespace mobisync::state {

/// A stored cursor: the value and type a source reported (plugin::Cursor), and when it was saved.
struct StoredCursor {
  std::string value;
  std::string type;
  std::int64_t updated_at_ms = 0;
};

/// The `source_cursors` table over the store's session. The engine saves a cursor only after
/// every provider call of the run that read up to it was confirmed. Borrows the store, which
/// must outlive it; same threading rule as the store. Throws StateError on database failures.
class CursorStore {
 public:
  explicit CursorStore(StateStore& store) : store_(store) {}

  std::optional<StoredCursor> load(const std::string& job, const std::string& source);
  /// Inserts or replaces the cursor of (job, source).
  void save(const std::string& job, const std::string& source, const std::string& value,
            const std::string& type, std::int64_t now_ms);
  /// Forgets every cursor of `job` (with `state reset`, so the next run reads everything);
  /// returns how many.
  std::int64_t clear(const std::string& job);

 private:
  StateStore& store_;
};

}  // namespace mobisync::state
