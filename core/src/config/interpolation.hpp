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
Result<std::string> interpolate(std::string_view text, const EnvLookup& env);

}  // namespace mobisync::config
