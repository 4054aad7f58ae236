// SPDX-License-Identifier: Apache-2.0
// http(s) URL checks for config keys.
#include "values/http_url.hpp"

#include <cctype>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "mobisync/text.hpp"

namespace mobisync::values {

namespace {

/// Where the user information of `url`'s authority lies: [first, second); empty when none.
std::pair<std::size_t, std::size_t> userInfoSpan(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  // The last '@' of the authority ends the user information (a password may hold '@').
  const std::size_t at = url.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return {start, start};
  return {start, start + at};
}

}  // namespace

std::string redactUserInfo(std::string_view url) {
  const auto [first, last] = userInfoSpan(url);
  if (first == last) return std::string(url);
  return std::string(url.substr(0, first)) + "***" + std::string(url.substr(last));
}

std::string httpUrlProblem(std::string_view url) {
  const std::string shown = "\"" + text::excerpt(redactUserInfo(url)) + "\"";
  const std::string_view http = "http://";
  const std::string_view https = "https://";
  auto startsWith = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (!startsWith(http) && !startsWith(https)) {
    return "must start with http:// or https://, found " + shown;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20U || c == 0x7F) {
      return "contains a blank or control character (write a space as %20): " + shown;
    }
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(std::string(url));
  } catch (const Poco::Exception& e) {
    // Poco names the part it could not read ("bad or invalid port number: 99999"); the user
    // information is not part of any such reason, and is removed should that ever change.
    std::string why = e.message().empty() ? "cannot be parsed" : e.message();
    const auto [first, last] = userInfoSpan(url);
    const std::string info(url.substr(first, last - first));
    for (std::size_t p; !info.empty() && (p = why.find(info)) != std::string::npos;) {
      why.replace(p, info.size(), "***");
    }
    return "is not a valid URL (" + text::excerpt(why) + "): " + shown;
  }
  if (uri.getHost().empty()) return "has no host name: " + shown;
  if (!uri.getUserInfo().empty()) {
    return "must not hold a user name or password (the credentials have keys of their own, and "
           "one written in the URL would not be sent): " + shown;
  }
  return "";
}

}  // namespace mobisync::values
