// SPDX-License-Identifier: Apache-2.0
// MessageTemplate: "Welcome {name}" parsed once, checked against an event, rendered per message.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mobisync/result.hpp"
#include "values/event.hpp"

namespace mobisync::values {

/// Where and why a template is wrong; `offset` is the 0-based byte offset in the template text.
struct TemplateError {
  std::size_t offset = 0;
  std::string message;
};

/// A parsed template: literal text with `{field}` holes; `{{` and `}}` stand for braces.
/// Field names are identifiers: a letter or '_', then letters, digits, '_', '.' or '-'.
/// Value type; immutable after parse.
class MessageTemplate {
 public:
  /// Parses `text`; the error names the offset of the offending brace.
  static std::variant<MessageTemplate, TemplateError> parse(std::string_view text);

  /// Checks every field against what `event` offers: contact events accept any identifier (a
  /// source attribute, found or not at send time); job events only their own fields.
  std::optional<TemplateError> checkFor(Event event) const;

  /// The fields named, in order of first use.
  std::vector<std::string> fields() const;

  /// Fills the holes from `lookup`; a field it does not know is an error naming the field.
  Result<std::string> render(
      const std::function<std::optional<std::string>(const std::string&)>& lookup) const;

  const std::string& text() const { return text_; }

 private:
  struct Segment {
    bool field;
    std::string value;    ///< literal text, or the field name
    std::size_t offset;   ///< where it starts in the template text
  };
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace mobisync::values
