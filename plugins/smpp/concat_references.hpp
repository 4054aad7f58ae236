// SPDX-License-Identifier: Apache-2.0
// ConcatReferences: the reference each long message's parts carry in their UDH.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugins::smpp {

/// Hands out concatenation references. With the host's source (plugin::UsesConcatReferences)
/// it asks the source, which keeps one destination from getting the same reference twice in a
/// day whichever process sends. Without one, a counter that starts at a random value once per
/// process and counts up, shared by every notifier of the process: a handset that gets two long
/// messages (from one run or two) is not handed the same reference twice in a row, which
/// would let it mix their parts. Thread-safe when the source is.
class ConcatReferences {
 public:
  void useSource(plugin::ConcatReferenceSource* source) { source_ = source; }
  std::uint32_t next(const std::string& destination, std::uint32_t modulus);

  /// The next value of the process-wide counter, below `modulus`.
  static std::uint32_t nextInProcess(std::uint32_t modulus);

 private:
  plugin::ConcatReferenceSource* source_ = nullptr;
};

}  // namespace mobisync::plugins::smpp
