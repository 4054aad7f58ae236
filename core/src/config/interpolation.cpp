// SPDX-License-Identifier: Apache-2.0
// Environment interpolation in config strings.
#include "config/interpolation.hpp"

#include <cctype>
#include <cstdlib>

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
}  // namespace

Result<std::string> interpolate(std::string_view text, const EnvLookup& env) {
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
    std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return Status::invalidConfig("unterminated ${ in \"" + std::string(text) + "\"");
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
        return Status::invalidConfig("unsupported ${" + std::string(expr) +
                                     "}: use ${VAR}, ${VAR:-default} or ${VAR:?message}");
      }
    }
    if (!validName(name)) {
      return Status::invalidConfig("invalid variable name in ${" + std::string(expr) + "}");
    }
    std::optional<std::string> value = env(std::string(name));
    if (value && value->empty() && !op.empty()) value.reset();  // POSIX: ':' treats empty as unset
    if (!value) {
      if (op == ":-") {
        value = std::string(arg);
      } else if (op == ":?" && !arg.empty()) {
        return Status::invalidConfig(std::string(name) + ": " + std::string(arg));
      } else {
        return Status::invalidConfig("environment variable " + std::string(name) + " is not set");
      }
    }
    out += *value;
    i = close;
  }
  return out;
}

}  // namespace mobisync::config
