// SPDX-License-Identifier: Apache-2.0
// Redaction: no secret of a provider call reaches a message, a log line or an error.
#include "provider_http/redaction.hpp"

#include <Poco/URI.h>

#include "mobisync/text.hpp"

namespace mobisync::provider_http {
namespace {

// Poco::URI::addQueryParameter's reserved set. Poco encodes every other character that is not
// unreserved anyway, so this is also the form encoding of the http plugin's Simple API body.
constexpr const char* kQueryReserved = "?#/:;+@&=";

bool iequalsAt(const std::string& haystack, std::size_t pos, const char* word) {
  for (std::size_t i = 0; word[i] != '\0'; ++i) {
    if (pos + i >= haystack.size() || text::lowerAscii(haystack[pos + i]) != word[i]) {
      return false;
    }
  }
  return true;
}

void replaceAll(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) {
    return;
  }
  for (std::size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
}

std::string encoded(const std::string& secret, const char* reserved) {
  std::string out;
  Poco::URI::encode(secret, reserved, out);
  return out;
}

}  // namespace

std::string redactUrl(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool at_param_start = i == 0 || text[i - 1] == '?' || text[i - 1] == '&' ||
                                text[i - 1] == ' ' || text[i - 1] == ';';
    if (at_param_start && iequalsAt(text, i, "password=")) {
      out.append(text, i, 9);
      out += "***";
      i += 9;
      while (i < text.size() && text[i] != '&' && text[i] != '#' && text[i] != ' ' &&
             text[i] != '\n' && text[i] != '"' && text[i] != '\'') {
        ++i;
      }
      continue;
    }
    out += text[i];
    ++i;
  }
  return out;
}

std::string scrubSecret(const std::string& text, const std::string& secret) {
  std::string out = redactUrl(text);
  if (secret.size() >= 4) {
    // The encoded form first: it holds pieces of the raw secret that must go with it.
    replaceAll(out, encoded(secret, kQueryReserved), "***");
    replaceAll(out, secret, "***");
  }
  return out;
}

std::string scrubSecrets(std::string text, std::initializer_list<const std::string*> secrets) {
  for (const std::string* secret : secrets) {
    text = scrubSecret(text, *secret);
  }
  return text;
}

}  // namespace mobisync::provider_http
