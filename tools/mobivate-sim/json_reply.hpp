// SPDX-License-Identifier: Apache-2.0
// Helpers that send JSON bodies, so every endpoint answers in the same shape.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace mobisync::sim {

/// Sends `body` as application/json with the given status, in one write.
void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::Dynamic::Var& body);

/// Sends `text` as text/plain with the given status, in one write.
void sendText(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& text);

/// Sends the provider's error shape: {"status": "error", "message": message}.
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& message);

}  // namespace mobisync::sim
