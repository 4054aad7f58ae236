// SPDX-License-Identifier: Apache-2.0
// Simulated Simple API: form parameters in, "OK <id>" or "ERROR <code> <reason>" out.
#include "simple_api.hpp"

#include <chrono>

#include "api_request.hpp"
#include "json_reply.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::Net::HTTPResponse;

void sendOutcome(Poco::Net::HTTPServerResponse& response, int status, const std::string& text) {
  sendText(response, static_cast<HTTPResponse::HTTPStatus>(status), text);
}

void sendFailure(Poco::Net::HTTPServerResponse& response, int status, const std::string& reason) {
  sendOutcome(response, status, "ERROR " + std::to_string(status) + " " + reason);
}

}  // namespace

SimpleApi::SimpleApi(std::string username, std::string password, OptoutList optouts,
                     MessageStore& messages, FaultInjector& faults, Console& console)
    : username_(std::move(username)),
      password_(std::move(password)),
      optouts_(std::move(optouts)),
      messages_(messages),
      faults_(faults),
      console_(console) {}

void SimpleApi::registerRoutes(RequestRouter& router) {
  for (const char* method : {"GET", "POST"}) {
    router.add(method, "/gateway/api/simple/MT",
               [this](auto& request, auto& response) { handle(request, response); });
  }
}

void SimpleApi::handle(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) {
  auto arrival = std::chrono::steady_clock::now();
  // A POST carries the form in its body; a GET in its query. Either way it is form-encoded.
  std::string form = request.getMethod() == "POST" ? readBody(request) : rawQueryOf(request.getURI());
  QueryParams params = QueryParams::parse(form);

  FaultDecision decision = faults_.inject(arrival);
  if (applyNetworkFault(decision, response)) {
    return;
  }
  if (decision.fault == Fault::Error) {
    sendFailure(response, 500, "internal error");
    return;
  }
  if (decision.fault == Fault::TooManyRequests) {
    response.set("Retry-After", std::to_string(decision.retry_after_s));
    sendFailure(response, 429, "rate limit exceeded");
    return;
  }
  if (decision.unauthorized || params.value("USER_NAME") != username_ ||
      params.value("PASSWORD") != password_) {
    sendFailure(response, 401, "invalid USER_NAME or PASSWORD");
    return;
  }
  SentMessage message;
  message.route_id = params.value("ROUTE");
  message.recipient = params.value("RECIPIENT");
  message.originator = params.value("ORIGINATOR");
  message.text = params.value("MESSAGE_TEXT");
  if (message.route_id.empty()) {
    sendFailure(response, 400, "missing ROUTE");
    return;
  }
  if (message.recipient.empty()) {
    sendFailure(response, 400, "missing RECIPIENT");
    return;
  }
  if (message.text.empty()) {
    sendFailure(response, 400, "missing MESSAGE_TEXT");
    return;
  }
  if (auto problem = originatorProblem(message.originator)) {
    sendFailure(response, 400, "ORIGINATOR: " + *problem);
    return;
  }
  if (auto problem = measureInto(message)) {
    sendFailure(response, 400, "MESSAGE_TEXT: " + *problem);
    return;
  }
  if (optouts_.count(message.recipient) > 0) {
    sendFailure(response, 403, "recipient opted out");
    return;
  }
  message.id = newMessageId();
  message.api = "simple";
  std::string answer = "OK " + message.id;
  if (!console_.quiet()) {
    console_.line("simple MT to " + message.recipient + " (" + std::to_string(message.parts) +
                  " part(s) " + message.coding + ")");
  }
  messages_.record(std::move(message));
  sendOutcome(response, 200, answer);
}

}  // namespace mobisync::sim
