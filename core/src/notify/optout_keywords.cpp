// SPDX-License-Identifier: Apache-2.0
// Opt-out keyword matching.
#include "notify/optout_keywords.hpp"

#include "values/reply_text.hpp"

namespace mobisync::notify {

bool isKeyword(std::string_view body, std::string_view keyword) {
  std::string k = values::normalizeReply(keyword);
  return !k.empty() && values::normalizeReply(body) == k;
}

std::optional<KeywordMatch> matchKeyword(const config::OptoutSettings& settings,
                                         std::string_view body) {
  if (!settings.enabled) return std::nullopt;
  std::string text = values::normalizeReply(body);
  if (text.empty()) return std::nullopt;
  for (bool opt_out : {true, false}) {
    for (const auto& language : settings.languages) {
      const auto& words = opt_out ? language.keywords : language.reverse_keywords;
      for (const auto& w : words) {
        if (values::normalizeReply(w) == text) return KeywordMatch{opt_out, w, &language};
      }
    }
  }
  return std::nullopt;
}

}  // namespace mobisync::notify
