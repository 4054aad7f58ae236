// SPDX-License-Identifier: Apache-2.0
// Shared request handling of the simulated provider APIs.
#include "api_request.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

#include "connection_faults.hpp"
#include "json_reply.hpp"

namespace mobisync::sim {
namespace {

constexpr std::size_t kMaxBody = 16 * 1024 * 1024;

}  // namespace

bool hasDeclaredBody(const Poco::Net::HTTPServerRequest& request) {
  return request.hasContentLength() || request.getChunkedTransferEncoding();
}

std::string readBody(Poco::Net::HTTPServerRequest& request) {
  std::string body;
  if (!hasDeclaredBody(request)) return body;
  char buffer[8192];
  std::istream& in = request.stream();
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > kMaxBody) {
      throw std::runtime_error("request body over 16 MiB");
    }
  }
  return body;
}

bool bearerMatches(const Poco::Net::HTTPServerRequest& request, const std::string& key) {
  const std::string& header = request.get("Authorization", "");
  constexpr std::string_view kScheme = "Bearer ";
  return header.size() > kScheme.size() && header.compare(0, kScheme.size(), kScheme) == 0 &&
         header.compare(kScheme.size(), std::string::npos, key) == 0;
}

void sendCodeError(Poco::Net::HTTPServerResponse& response, int status,
                   const std::string& message) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("code", status);
  body->set("message", message);
  sendJson(response, static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status), body);
}

bool applyNetworkFault(const FaultDecision& decision, Poco::Net::HTTPServerResponse& response) {
  if (decision.fault == Fault::Reset) {
    ConnectionFaults::resetConnection(response);
    return true;
  }
  switch (decision.fault) {
    case Fault::Truncate:
      ConnectionFaults::shapeNextReply({ReplyShape::Kind::Truncated, 0});
      break;
    case Fault::Trickle:
      ConnectionFaults::shapeNextReply({ReplyShape::Kind::Trickled, decision.trickle_ms});
      break;
    case Fault::StallBody:
      ConnectionFaults::shapeNextReply(
          {ReplyShape::Kind::StalledMidBody, decision.stall_body_ms});
      break;
    default:
      break;
  }
  return false;
}

bool sendFaultAsJson(const FaultDecision& decision, Poco::Net::HTTPServerResponse& response) {
  if (applyNetworkFault(decision, response)) {
    return true;
  }
  if (decision.fault == Fault::Error) {
    sendCodeError(response, 500, "internal error");
    return true;
  }
  if (decision.fault == Fault::TooManyRequests) {
    response.set("Retry-After", std::to_string(decision.retry_after_s));
    sendCodeError(response, 429, "rate limit exceeded");
    return true;
  }
  return false;
}

std::optional<Poco::JSON::Object::Ptr> parseJsonObject(const std::string& body,
                                                       std::string& error) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      error = "request body is not a JSON object";
      return std::nullopt;
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    error = "request body is not valid JSON: " + e.message();
    return std::nullopt;
  }
}

std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& key,
                                        const std::string& where, std::string& error) {
  if (!object.has(key) || object.isNull(key)) {
    return std::nullopt;
  }
  Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) {
    error = where + key + " must be a string";
    return std::nullopt;
  }
  return value.extract<std::string>();
}

}  // namespace mobisync::sim
