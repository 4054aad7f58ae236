// SPDX-License-Identifier: Apache-2.0
// normalizeReply: a reply as opt-out keyword matching compares it (config checks keywords with it
// too, so a keyword that can never match is refused at load).
#pragma once

#include <string>
#include <string_view>

namespace mobisync::values {

/// A body reduced to what is compared: blanks (spaces, tabs, line breaks, no-break spaces)
/// around it and trailing punctuation (. ! ? , ; :) removed, blanks inside collapsed to one
/// space, ASCII letters upper-cased. Letters outside ASCII are compared as written.
std::string normalizeReply(std::string_view body);

}  // namespace mobisync::values
