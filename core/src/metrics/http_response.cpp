// SPDX-License-Identifier: Apache-2.0
// httpResponse(): parses only the request line; the headers are not needed to answer.
#include "metrics/http_response.hpp"

#include <exception>

#include <Poco/Logger.h>

namespace mobisync::metrics {

namespace {

std::string response(int status, std::string_view reason, std::string_view content_type,
                     std::string_view body, bool with_body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += reason;
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n";
  if (with_body) out += body;
  return out;
}

constexpr std::string_view kPlain = "text/plain; charset=utf-8";

}  // namespace

std::string httpError(int status, std::string_view reason, std::string_view body) {
  return response(status, reason, kPlain, body, true);
}

std::string httpResponse(std::string_view head, const Registry& registry,
                         const std::function<std::string()>& health) {
  std::string_view line = head.substr(0, head.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || first == last ||
      line.substr(last + 1).substr(0, 5) != "HTTP/") {
    return httpError(400, "Bad Request", "bad request line\n");
  }
  const std::string_view method = line.substr(0, first);
  std::string_view path = line.substr(first + 1, last - first - 1);
  path = path.substr(0, path.find('?'));
  const bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) {
    return response(405, "Method Not Allowed", kPlain, "only GET\n", true);
  }
  try {
    if (path == "/metrics") {
      return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                      registry.exposition(), !head_only);
    }
    if (path == "/healthz") {
      const std::string problem = health ? health() : std::string();
      if (problem.empty()) return response(200, "OK", kPlain, "ok\n", !head_only);
      return response(503, "Service Unavailable", kPlain, problem + "\n", !head_only);
    }
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.metrics").error("metrics listener: %s", std::string(e.what()));
    return httpError(500, "Internal Server Error", "internal error; see the log\n");
  }
  return response(404, "Not Found", kPlain, "not found; try /metrics or /healthz\n", !head_only);
}

}  // namespace mobisync::metrics
