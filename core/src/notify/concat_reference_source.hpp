// SPDX-License-Identifier: Apache-2.0
// StateConcatReferenceSource: the host's plugin::ConcatReferenceSource, kept in the state.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>

#include <Poco/Logger.h>

#include "mobisync/plugin/plugin.hpp"
#include "state/concat_references.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// Hands each long message's reference out of the state's concat_references table, so one
/// destination never gets the same reference twice in a UTC day whichever process sends (up
/// to `modulus` long messages a day to one number). When the state fails it logs once and falls
/// back to a counter from a random start per source (a plugin must never see the exception).
/// Borrows the store, which must outlive it; called on the sending thread, like the store.
class StateConcatReferenceSource : public plugin::ConcatReferenceSource {
 public:
  using NowMs = std::function<std::int64_t()>;

  /// `now_ms` defaults to the system clock.
  explicit StateConcatReferenceSource(state::StateStore& store, NowMs now_ms = {});

  std::uint32_t next(const std::string& destination, std::uint32_t modulus) override;

 private:
  state::ConcatReferenceTable table_;
  NowMs now_ms_;
  std::mt19937 random_;
  std::uint32_t fallback_;
  bool warned_ = false;
};

}  // namespace mobisync::notify
