// SPDX-License-Identifier: Apache-2.0
// constantTimeEquals(): an OR of XORs over the given bytes, with no early exit. The secret is
// indexed modulo its length so a given text of another length does just as much work.
#include "values/constant_time.hpp"

#include <cstddef>

namespace mobisync::values {

bool constantTimeEquals(std::string_view given, std::string_view secret) {
  if (secret.empty()) return false;  // an unset secret matches nothing, not the empty text
  // volatile: the compiler must not turn the loop into an early-exit memcmp.
  volatile unsigned char diff = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(given[i]) ^
                                              static_cast<unsigned char>(secret[i % secret.size()])));
  }
  return diff == 0;
}

}  // namespace mobisync::values
