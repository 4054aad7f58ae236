// SPDX-License-Identifier: Apache-2.0
// MessageTemplate parsing, checking and rendering.
#include "values/message_template.hpp"

#include <algorithm>

namespace mobisync::values {

namespace {

bool identifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool identifierChar(char c) {
  return identifierStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

std::string fieldList(Event e) {
  std::string s;
  for (auto f : builtinFields(e)) s += (s.empty() ? "{" : ", {") + std::string(f) + "}";
  return s;
}

}  // namespace

std::variant<MessageTemplate, TemplateError> MessageTemplate::parse(std::string_view text) {
  MessageTemplate t;
  t.text_ = std::string(text);
  std::string literal;
  std::size_t literal_start = 0;
  auto flush = [&](std::size_t next) {
    if (!literal.empty()) t.segments_.push_back({false, std::move(literal), literal_start});
    literal.clear();
    literal_start = next;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      ++i;
      continue;
    }
    if (c == '}') {
      return TemplateError{i, "a '}' without its '{' (write }} for a literal brace)"};
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      return TemplateError{i, "a '{' that is never closed (write {{ for a literal brace)"};
    }
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty()) return TemplateError{i, "an empty field {}"};
    if (!identifierStart(name.front()) ||
        !std::all_of(name.begin(), name.end(), identifierChar)) {
      return TemplateError{i, "\"{" + std::string(name) +
                                  "}\" is not a field name (letters, digits, _ . -; "
                                  "write {{ for a literal brace)"};
    }
    flush(i);
    t.segments_.push_back({true, std::string(name), i});
    i = close;
    literal_start = close + 1;
  }
  flush(text.size());
  return t;
}

std::optional<TemplateError> MessageTemplate::checkFor(Event event) const {
  if (isContactEvent(event)) return std::nullopt;
  auto fields = builtinFields(event);
  for (const auto& s : segments_) {
    if (!s.field) continue;
    if (std::find(fields.begin(), fields.end(), s.value) == fields.end()) {
      return TemplateError{s.offset, "{" + s.value + "} is not a field of " +
                                         std::string(eventName(event)) + " events; they have " +
                                         fieldList(event)};
    }
  }
  return std::nullopt;
}

std::vector<std::string> MessageTemplate::fields() const {
  std::vector<std::string> out;
  for (const auto& s : segments_) {
    if (s.field && std::find(out.begin(), out.end(), s.value) == out.end()) {
      out.push_back(s.value);
    }
  }
  return out;
}

Result<std::string> MessageTemplate::render(
    const std::function<std::optional<std::string>(const std::string&)>& lookup) const {
  std::string out;
  for (const auto& s : segments_) {
    if (!s.field) {
      out += s.value;
      continue;
    }
    auto v = lookup(s.value);
    if (!v) return Status::rejected("template field {" + s.value + "} has no value here");
    out += *v;
  }
  return out;
}

}  // namespace mobisync::values
