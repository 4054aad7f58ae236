// SPDX-License-Identifier: Apache-2.0
// Form-style query decoding for the simulator's GET APIs.
#include "query_params.hpp"

#include <string_view>

namespace mobisync::sim {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Poco::URI::decode leaves '+' alone, but the provider reads its GET parameters as a form, where
// '+' is a space; a client that encodes '+' as %2B works with both, which is what we want to test.
std::string decodeComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
               hexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

QueryParams QueryParams::parse(const std::string& raw_query) {
  QueryParams params;
  std::string_view rest = raw_query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      std::string name = decodeComponent(pair.substr(0, eq));
      std::string value =
          eq == std::string_view::npos ? std::string() : decodeComponent(pair.substr(eq + 1));
      params.values_.emplace(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(amp + 1);
  }
  return params;
}

std::optional<std::string> QueryParams::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string QueryParams::value(const std::string& name) const {
  return get(name).value_or(std::string());
}

std::string rawQueryOf(const std::string& uri) {
  auto q = uri.find('?');
  if (q == std::string::npos) {
    return {};
  }
  // A fragment never reaches a server, but cut it anyway so a hand-typed URL behaves.
  auto hash = uri.find('#', q);
  return uri.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
}

std::string pathOf(const std::string& uri) { return uri.substr(0, uri.find('?')); }

}  // namespace mobisync::sim
