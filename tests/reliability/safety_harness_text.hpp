// SPDX-License-Identifier: Apache-2.0
// How the safety harness's checks quote what they found: short, one line, a few items of many.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace mobisync::test::safety {

inline std::string list(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return "{" + out + "}";
}

/// A few items of a set, for a message that stays readable.
inline std::string sample(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < 5; ++i) out += (i ? "; " : "") + items[i];
  if (items.size() > 5) out += "; ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

inline std::string head(const std::string& text, std::size_t n = 300) {
  std::string s = text.substr(0, n);
  for (auto& ch : s) {
    if (ch == '\n' || ch == '\0') ch = ' ';
  }
  return s + (text.size() > n ? "..." : "");
}

}  // namespace mobisync::test::safety
