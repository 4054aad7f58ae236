// SPDX-License-Identifier: Apache-2.0
// Application tokens ("contacts:42", "optouts:sms"): parsing and their one canonical spelling.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mobisync/result.hpp"

namespace mobisync::model {

/// The valid forms, as error messages list them.
inline constexpr std::string_view kApplicationForms =
    "appointments, recurring:<CampaignId>, contacts:<ListId>, callcentre:<SetupId>, optouts:sms "
    "or optouts:calls";

/// Canonical form of one token: kind in lower case, id without leading zeros, "optouts:call"
/// spelled "optouts:calls", surrounding whitespace (and whitespace around ':') dropped.
/// Ids are positive integers of at most 18 digits. Anything else is Status::invalidConfig with a
/// message that quotes the token and lists the valid forms. Pure function; thread-safe.
Result<std::string> parseApplicationToken(std::string_view token);

/// Splits `text` on `separator`, skips empty items, parses each with parseApplicationToken() and
/// returns the canonical tokens sorted and de-duplicated. Fails on the first invalid item.
Result<std::vector<std::string>> parseApplicationList(std::string_view text, char separator);

}  // namespace mobisync::model
