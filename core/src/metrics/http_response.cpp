// SPDX-License-Identifier: Apache-2.0
// httpResponse(): the answers to GET and HEAD; POST goes to the daemon's handler (metrics_server).
#include "metrics/http_response.hpp"

#include <exception>

#include <Poco/Logger.h>

#include "metrics/process_metrics.hpp"

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

std::string_view reasonOf(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

}  // namespace

std::string httpError(int status, std::string_view reason, std::string_view body) {
  return response(status, reason, kPlain, body, true);
}

std::string httpReply(int status, std::string_view content_type, std::string_view body) {
  return response(status, reasonOf(status), content_type, body, true);
}

std::string httpResponse(const RequestHead& request, const Registry& registry,
                         const std::function<std::string()>& health,
                         const std::function<std::string()>& ready) {
  const std::string_view method = request.method;
  const std::string_view path = request.path;
  const bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) {
    return response(405, "Method Not Allowed", kPlain, "only GET\n", true);
  }
  try {
    if (path == "/metrics") {
      return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                      registry.exposition() + processExposition(), !head_only);
    }
    if (path == "/healthz" || path == "/readyz") {
      const auto& check = path == "/readyz" && ready ? ready : health;
      const std::string problem = check ? check() : std::string();
      if (problem.empty()) return response(200, "OK", kPlain, "ok\n", !head_only);
      return response(503, "Service Unavailable", kPlain, problem + "\n", !head_only);
    }
  } catch (const std::exception& e) {
    Poco::Logger::get("mobisync.metrics").error("metrics listener: %s", std::string(e.what()));
    return httpError(500, "Internal Server Error", "internal error; see the log\n");
  }
  return response(404, "Not Found", kPlain, "not found; try /metrics, /healthz or /readyz\n", !head_only);
}

}  // namespace mobisync::metrics
