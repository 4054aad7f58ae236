// SPDX-License-Identifier: Apache-2.0
// parseRequestHead(): a strict reading of the few headers that decide how much body follows.
#include "metrics/http_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mobisync::metrics {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void readHeader(std::string_view line, RequestHead& out) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trim(line.substr(0, colon));
  const std::string_view value = trim(line.substr(colon + 1));
  if (equalsNoCase(name, "Transfer-Encoding")) {
    out.has_transfer_encoding = true;
  } else if (equalsNoCase(name, "Content-Length")) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
        (out.content_length && *out.content_length != n)) {
      out.bad_length = true;
      return;
    }
    out.content_length = n;
  }
}

}  // namespace

std::size_t bodyStart(std::string_view in) {
  if (const auto crlf = in.find("\r\n\r\n"); crlf != std::string_view::npos) return crlf + 4;
  if (const auto lf = in.find("\n\n"); lf != std::string_view::npos) return lf + 2;
  return std::string_view::npos;
}

std::optional<RequestHead> parseRequestHead(std::string_view head) {
  const auto eol = head.find('\n');
  std::string_view line = head.substr(0, eol);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || first == last ||
      line.substr(last + 1).substr(0, 5) != "HTTP/") {
    return std::nullopt;
  }
  RequestHead out;
  out.method = std::string(line.substr(0, first));
  const std::string_view target = line.substr(first + 1, last - first - 1);
  out.path = std::string(target.substr(0, target.find('?')));
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 1);
  while (!rest.empty()) {
    const auto next = rest.find('\n');
    readHeader(rest.substr(0, next), out);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  }
  return out;
}

}  // namespace mobisync::metrics
