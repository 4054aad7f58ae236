// SPDX-License-Identifier: Apache-2.0
// StateError: a state-store failure whose message names the state file and what was being done.
#pragma once

#include <stdexcept>
#include <string>

namespace mobisync::state {

/// Thrown by StateStore for every database failure. The message reads
/// "state <path>: cannot <action>: <reason>". `busy()` is true when another connection held the
/// lock past the busy timeout, the one case a caller may retry as Unavailable. Value type.
class StateError : public std::runtime_error {
 public:
  explicit StateError(const std::string& message, bool busy = false)
      : std::runtime_error(message), busy_(busy) {}
  bool busy() const noexcept { return busy_; }

 private:
  bool busy_;
};

/// Rethrows the exception being handled as a StateError about `action` on the state at `path`.
/// Call only inside a catch block. A StateError passes through unchanged, so nested helpers do not
/// stack prefixes.
[[noreturn]] void rethrowAsStateError(const std::string& path, const std::string& action);

/// A PostgreSQL error text (libpq's or Poco's, with verbose fields) as an operator reads it:
/// "SQLSTATE 28P01: password authentication failed for user \"app\"", keeping libpq's
/// "connection to server at ... failed: " in front when present. Other text: its first line.
std::string postgresReason(const std::string& text);

}  // namespace mobisync::state
