// SPDX-License-Identifier: Apache-2.0
#include "notify/concat_reference_source.hpp"

#include <chrono>
#include <exception>

namespace mobisync::notify {

namespace {

std::int64_t systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StateConcatReferenceSource::StateConcatReferenceSource(state::StateStore& store, NowMs now_ms)
    : table_(store), now_ms_(now_ms ? std::move(now_ms) : NowMs(systemNowMs)),
      random_(std::random_device{}()), fallback_(static_cast<std::uint32_t>(random_())) {}

std::uint32_t StateConcatReferenceSource::next(const std::string& destination,
                                               std::uint32_t modulus) {
  if (modulus == 0) modulus = 256;
  try {
    // Any 32-bit start: its residue modulo 256 and 65536 is as random as the start.
    const std::int64_t taken =
        table_.take(destination, now_ms_(), static_cast<std::uint32_t>(random_()));
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(taken) % modulus);
  } catch (const std::exception& e) {
    if (!warned_) {
      warned_ = true;
      Poco::Logger::get("mobisync.notify")
          .warning(std::string("concatenation references from a counter in memory: ") + e.what());
    }
    return fallback_++ % modulus;
  }
}

}  // namespace mobisync::notify
