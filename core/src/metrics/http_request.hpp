// SPDX-License-Identifier: Apache-2.0
// The parts of an HTTP/1.1 request head the metrics listener needs: method, path, body length.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mobisync::metrics {

/// A parsed request head. `path` is without its query string.
struct RequestHead {
  std::string method;
  std::string path;
  /// The Content-Length header's value; empty when there is none.
  std::optional<std::size_t> content_length;
  /// Transfer-Encoding was given (chunked bodies are refused: the provider sends a length).
  bool has_transfer_encoding = false;
  /// Content-Length was given but is not a plain decimal number, or given twice differently.
  bool bad_length = false;
};

/// Parses `head` (request line and headers, without the blank line); nullopt when the request
/// line is malformed.
std::optional<RequestHead> parseRequestHead(std::string_view head);

/// Where the body starts in `in` once its head is complete (after the blank line), else npos.
std::size_t bodyStart(std::string_view in);

}  // namespace mobisync::metrics
