// SPDX-License-Identifier: Apache-2.0
// wrapText(): words to lines of at most `width` columns with a hanging indent, for `--help`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mobisync::app {

/// `first` (already `indent` columns wide or less, padded to it) followed by `text`'s words,
/// wrapped at `width` with every further line indented by `indent` spaces; backticks (Markdown)
/// dropped. Ends with a newline.
std::string wrapText(std::string first, std::string_view text, std::size_t indent,
                     std::size_t width = 100);

}  // namespace mobisync::app
