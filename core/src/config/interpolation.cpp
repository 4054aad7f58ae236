// SPDX-License-Identifier: Apache-2.0
// Environment interpolation in config strings.
#include "config/interpolation.hpp"

#include <cctype>
#include <cstdlib>

#include "mobisync/text.hpp"

namespace mobisync::config {

EnvLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

namespace {
bool validName(std::string_view n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n.front()))) return false;
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

/// The 1-based number of the character (code point) that starts at byte `offset`.
std::size_t characterAt(std::string_view text, std::size_t offset) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

}  // namespace

Result<std::string> interpolate(std::string_view text, const EnvLookup& env, bool secret) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out += c;
      continue;
    }
    // Where the problem is, for a secret, whose text is never shown: "the ${ at character 7".
    auto at = [&] { return "the ${ at character " + std::to_string(characterAt(text, i)); };
    std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      if (secret) {
        return Status::invalidConfig("unterminated ${ at character " +
                                     std::to_string(characterAt(text, i)) +
                                     " (a secret's value is not shown); write $$ for a "
                                     "literal $");
      }
      return Status::invalidConfig("unterminated ${ in \"" + text::excerpt(text) + "\"");
    }
    std::string_view expr = text.substr(i + 2, close - i - 2);
    std::string_view name = expr;
    std::string_view op;
    std::string_view arg;
    if (auto colon = expr.find(':'); colon != std::string_view::npos) {
      name = expr.substr(0, colon);
      op = expr.substr(colon, 2);
      arg = expr.substr(std::min(colon + 2, expr.size()));
      if (op != ":-" && op != ":?") {
        return Status::invalidConfig(
            (secret ? "unsupported " + at() : "unsupported ${" + text::excerpt(expr) + "}") +
            ": use ${VAR}, ${VAR:-default} or ${VAR:?message}");
      }
    }
    if (!validName(name)) {
      return Status::invalidConfig(secret ? "invalid variable name in " + at()
                                          : "invalid variable name in ${" + text::excerpt(expr) +
                                                "}");
    }
    std::optional<std::string> value = env(std::string(name));
    if (value && value->empty() && !op.empty()) value.reset();  // POSIX: ':' treats empty as unset
    if (!value) {
      if (op == ":-") {
        value = std::string(arg);
      } else if (secret) {
        return Status::invalidConfig("the environment variable of " + at() + " is not set");
      } else if (op == ":?" && !arg.empty()) {
        return Status::invalidConfig(text::excerpt(name) + ": " + text::excerpt(arg));
      } else {
        return Status::invalidConfig("environment variable " + text::excerpt(name) +
                                     " is not set");
      }
    }
    out += *value;
    i = close;
  }
  return out;
}

}  // namespace mobisync::config
