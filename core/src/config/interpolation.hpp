// SPDX-License-Identifier: Apache-2.0
// Environment interpolation in config strings: ${VAR}, ${VAR:-default}, ${VAR:?message}, $$.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "mobisync/result.hpp"

namespace mobisync::config {

/// Looks a variable up; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment as an EnvLookup.
EnvLookup processEnvironment();

/// Expands every ${...} in `text`. A missing variable without a default fails at once
/// ("environment variable MOBIVATE_URL is not set"; with ${VAR:?msg}, the message given), so a
/// job never runs with half its config blank. "$$" is a literal '$'.
/// Messages quote at most a short excerpt of the text; for a `secret` they quote none of it
/// (not even a variable name, which may be part of a password) and give the character instead.
Result<std::string> interpolate(std::string_view text, const EnvLookup& env,
                                bool secret = false);

}  // namespace mobisync::config
