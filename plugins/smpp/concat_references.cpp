// SPDX-License-Identifier: Apache-2.0
#include "concat_references.hpp"

#include <random>

namespace mobisync::plugins::smpp {

namespace {

std::uint32_t randomStart() {
  std::random_device device;
  return static_cast<std::uint32_t>(device());
}

}  // namespace

std::uint32_t ConcatReferences::nextInProcess(std::uint32_t modulus) {
  static std::atomic<std::uint32_t> counter{randomStart()};
  return counter.fetch_add(1, std::memory_order_relaxed) % modulus;
}

std::uint32_t ConcatReferences::next(const std::string& destination, std::uint32_t modulus) {
  if (source_ == nullptr) return nextInProcess(modulus);
  return source_->next(destination, modulus) % modulus;
}

}  // namespace mobisync::plugins::smpp
