// SPDX-License-Identifier: Apache-2.0
// Request-side helpers shared by the send and HLR APIs: body, Bearer key, provider error shape.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

#include "fault_injector.hpp"

namespace mobisync::sim {

/// Whether the request says it has a body (Content-Length or chunked). Without either an HTTP/1.1
/// request has none, but Poco's stream would read it until the client closes the connection.
bool hasDeclaredBody(const Poco::Net::HTTPServerRequest& request);

/// The whole request body ("" when none is declared).
/// @throws std::runtime_error when it exceeds 16 MiB.
std::string readBody(Poco::Net::HTTPServerRequest& request);

/// True when the request carries `Authorization: Bearer <key>` with exactly `key`.
bool bearerMatches(const Poco::Net::HTTPServerRequest& request, const std::string& key);

/// Sends the JSON API's error shape: {"code": status, "message": message}.
void sendCodeError(Poco::Net::HTTPServerResponse& response, int status,
                   const std::string& message);

/// Applies an injected network fault: resets the connection (true: the handler must stop, as
/// nothing may be answered) or arms the coming reply to be truncated, trickled or stalled
/// mid-body (false).
bool applyNetworkFault(const FaultDecision& decision, Poco::Net::HTTPServerResponse& response);

/// Answers an injected error or 429 in the JSON API's shape, or applies a network fault; false
/// when the handler should go on and answer (possibly to be truncated).
bool sendFaultAsJson(const FaultDecision& decision, Poco::Net::HTTPServerResponse& response);

/// Parses `body` as a JSON object; nullopt and `error` set when it is not one.
std::optional<Poco::JSON::Object::Ptr> parseJsonObject(const std::string& body,
                                                       std::string& error);

/// Reads an optional string member: nullopt when absent or null; `error` set (and nullopt
/// returned) when present with another type. `where` names the place for the message.
std::optional<std::string> stringMember(const Poco::JSON::Object& object, const std::string& key,
                                        const std::string& where, std::string& error);

}  // namespace mobisync::sim
