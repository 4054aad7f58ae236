// SPDX-License-Identifier: Apache-2.0
#include "app/text_wrap.hpp"

namespace mobisync::app {

std::string wrapText(std::string first, std::string_view text, std::size_t indent,
                     std::size_t width) {
  std::string out;
  std::string line = std::move(first);
  // A label longer than the indent gets its text on the next line.
  if (line.size() > indent) {
    out += line + "\n";
    line.clear();
  }
  line.resize(indent, ' ');
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\0';
    if (c == '`') continue;
    if (c != ' ' && c != '\0') {
      word += c;
      continue;
    }
    if (word.empty()) continue;
    if (line.size() + word.size() + 1 > width && line.size() > indent) {
      out += line + "\n";
      line.assign(indent, ' ');
    } else if (line.size() > indent) {
      line += ' ';
    }
    line += word;
    word.clear();
  }
  return out + line + "\n";
}

}  // namespace mobisync::app
