// SPDX-License-Identifier: Apache-2.0
// The simulator's human-readable activity output on stderr, silenced by --quiet.
#pragma once

#include <mutex>
#include <string>

namespace mobisync::sim {

/// Writes whole lines to stderr. Thread-safe. Callers must never pass credentials.
class Console {
 public:
  explicit Console(bool quiet) : quiet_(quiet) {}

  bool quiet() const { return quiet_; }

  /// One line, prefixed "mobivate-sim: "; nothing when quiet.
  void line(const std::string& text);

 private:
  const bool quiet_;
  std::mutex mutex_;
};

}  // namespace mobisync::sim
