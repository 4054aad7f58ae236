// SPDX-License-Identifier: Apache-2.0
// Opt-out keyword matching: does a reply say STOP (or START), in which language.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/optout_settings.hpp"

namespace mobisync::notify {

/// Whether `body` is `keyword` alone, once both are normalized (values::normalizeReply). Only the keyword alone counts:
/// "stop please" or "don't stop" do not opt out, since a false opt-out silences a customer who
/// did not ask for it, while a missed one is answered by the provider's own STOP handling and
/// the imported opt-out list.
bool isKeyword(std::string_view body, std::string_view keyword);

struct KeywordMatch {
  bool opt_out = true;                         ///< false: a reverse keyword (opt back in)
  std::string keyword;                         ///< as configured
  const config::OptoutLanguage* language = nullptr;
};

/// The first keyword of any language that `body` is: opt-out keywords of every language are
/// tried before reverse ones. nullopt when none matches or opt-outs are disabled.
std::optional<KeywordMatch> matchKeyword(const config::OptoutSettings& settings,
                                         std::string_view body);

}  // namespace mobisync::notify
