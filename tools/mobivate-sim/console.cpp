// SPDX-License-Identifier: Apache-2.0
// Serialised stderr output, so lines from concurrent handlers never interleave.
#include "console.hpp"

#include <iostream>

namespace mobisync::sim {

void Console::line(const std::string& text) {
  if (quiet_) {
    return;
  }
  std::lock_guard lock(mutex_);
  std::cerr << "mobivate-sim: " << text << '\n';
}

}  // namespace mobisync::sim
