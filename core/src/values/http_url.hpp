// SPDX-License-Identifier: Apache-2.0
// Checks an http(s) URL from the config at load, so `check` refuses what every call would fail.
#pragma once

#include <string>
#include <string_view>

namespace mobisync::values {

/// What is wrong with `url` as the address of an HTTP peer, or "" when nothing is: it must
/// parse (Poco::URI), use http or https, name a host, hold no user name or password (ours go in
/// their own keys; one written in the URL would be ignored), and contain no blank or control
/// character. The reason quotes at most an excerpt of the URL with its user information hidden.
std::string httpUrlProblem(std::string_view url);

/// `url` with the user information of its authority ("user:password@") shown as "***@", for
/// messages. Works on text that does not parse as a URL too.
std::string redactUserInfo(std::string_view url);

}  // namespace mobisync::values
