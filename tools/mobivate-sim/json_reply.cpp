// SPDX-License-Identifier: Apache-2.0
// JSON response helpers shared by every simulated API.
#include "json_reply.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "connection_faults.hpp"

namespace mobisync::sim {

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::Dynamic::Var& body) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  std::string text = out.str();
  response.setStatusAndReason(status);
  response.setContentType("application/json");
  if (ConnectionFaults::sendShaped(response, text)) {
    return;
  }
  // sendBuffer sets Content-Length, so keep-alive connections need no chunked encoding.
  response.sendBuffer(text.data(), text.size());
}

void sendText(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& text) {
  response.setStatusAndReason(status);
  response.setContentType("text/plain; charset=utf-8");
  if (ConnectionFaults::sendShaped(response, text)) {
    return;
  }
  response.sendBuffer(text.data(), text.size());
}

void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& message) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("status", "error");
  body->set("message", message);
  sendJson(response, status, body);
}

}  // namespace mobisync::sim
