// SPDX-License-Identifier: Apache-2.0
// Simulated JSON send API with the provider's validation, opt-outs and faults.
#include "send_api.hpp"

#include <Poco/JSON/Array.h>

#include <chrono>
#include <map>
#include <set>

#include "api_request.hpp"
#include "json_reply.hpp"

namespace mobisync::sim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

// Absent optional fields are echoed as null, as the provider's message record has them.
Poco::Dynamic::Var orNull(const std::optional<std::string>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

// One message's fields read and checked; `error` says what is wrong, prefixed with `where`.
struct MessageFields {
  std::optional<std::string> originator;
  std::optional<std::string> recipient;
  std::optional<std::string> text;
  std::optional<std::string> route_id;
  std::optional<std::string> reference;
};

std::optional<std::string> checkMessage(const MessageFields& fields, const std::string& where) {
  if (!fields.route_id || fields.route_id->empty()) {
    return "missing routeId" + (where.empty() ? "" : " for " + where.substr(0, where.size() - 1));
  }
  if (!fields.recipient || fields.recipient->empty()) {
    return where + "recipient is missing or empty";
  }
  if (!fields.text || fields.text->empty()) {
    return where + (where.empty() ? "body" : "text") + " is missing or empty";
  }
  if (auto problem = originatorProblem(fields.originator.value_or(""))) {
    return where + *problem;
  }
  return std::nullopt;
}

}  // namespace

SendApi::SendApi(std::string api_key, OptoutList optouts, MessageStore& messages,
                 FaultInjector& faults, Console& console)
    : api_key_(std::move(api_key)),
      optouts_(std::move(optouts)),
      messages_(messages),
      faults_(faults),
      console_(console) {}

void SendApi::registerRoutes(RequestRouter& router) {
  router.add("POST", "/send/single",
             [this](auto& request, auto& response) { single(request, response); });
  router.add("POST", "/send/batch",
             [this](auto& request, auto& response) { batch(request, response); });
}

Object::Ptr SendApi::admit(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  auto arrival = std::chrono::steady_clock::now();
  std::string body = readBody(request);
  const FaultDecision decision = faults_.inject(arrival);
  if (sendFaultAsJson(decision, response)) {
    return nullptr;
  }
  if (decision.unauthorized || !bearerMatches(request, api_key_)) {
    sendCodeError(response, 401, "API key invalid or expired");
    return nullptr;
  }
  std::string error;
  std::optional<Object::Ptr> parsed = parseJsonObject(body, error);
  if (!parsed) {
    sendCodeError(response, 400, error);
    return nullptr;
  }
  return *parsed;
}

void SendApi::single(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) {
  Object::Ptr body = admit(request, response);
  if (!body) {
    return;
  }
  std::string error;
  MessageFields fields;
  fields.originator = stringMember(*body, "originator", "", error);
  fields.recipient = stringMember(*body, "recipient", "", error);
  fields.text = stringMember(*body, "body", "", error);
  fields.route_id = stringMember(*body, "routeId", "", error);
  fields.reference = stringMember(*body, "reference", "", error);
  std::optional<std::string> campaign_id = stringMember(*body, "campaignId", "", error);
  const std::string callback = stringMember(*body, "callbackURL", "", error).value_or("");
  if (error.empty()) {
    error = checkMessage(fields, "").value_or("");
  }
  SentMessage message;
  if (error.empty()) {
    message.text = *fields.text;
    error = measureInto(message).value_or("");
  }
  if (!error.empty()) {
    sendCodeError(response, 400, error);
    return;
  }
  if (optouts_.count(*fields.recipient) > 0) {
    sendCodeError(response, 403, "recipient opted out");
    return;
  }
  message.id = newMessageId();
  message.api = "single";
  message.campaign_id = campaign_id.value_or("");
  message.originator = *fields.originator;
  message.recipient = *fields.recipient;
  message.route_id = *fields.route_id;
  message.reference = fields.reference.value_or("");

  Object::Ptr reply = newObject();
  reply->set("id", message.id);
  reply->set("originator", message.originator);
  reply->set("recipient", message.recipient);
  reply->set("body", message.text);
  reply->set("routeId", message.route_id);
  reply->set("reference", orNull(fields.reference));
  reply->set("campaignId", orNull(campaign_id));
  if (!console_.quiet()) {
    console_.line("send/single to " + message.recipient + " (" + std::to_string(message.parts) +
                  " part(s) " + message.coding + ")");
  }
  if (on_accepted_) on_accepted_(message, callback);
  messages_.record(std::move(message));
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, reply);
}

void SendApi::batch(Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response) {
  Object::Ptr body = admit(request, response);
  if (!body) {
    return;
  }
  std::string error;
  std::optional<std::string> name = stringMember(*body, "name", "", error);
  std::optional<std::string> schedule = stringMember(*body, "scheduleDateTime", "", error);
  std::optional<std::string> route_id = stringMember(*body, "routeId", "", error);
  const std::string callback = stringMember(*body, "callbackURL", "", error).value_or("");
  auto flag = [&](const std::string& key) {
    if (!body->has(key) || body->isNull(key)) {
      return false;
    }
    Poco::Dynamic::Var value = body->get(key);
    if (value.type() != typeid(bool)) {
      error = key + " must be true or false";
      return false;
    }
    return value.extract<bool>();
  };
  bool exclude_optouts = flag("excludeOptouts");
  bool exclude_duplicates = flag("excludeDuplicates");
  Array::Ptr recipients = body->has("recipients") ? body->getArray("recipients") : nullptr;
  if (error.empty() && (!recipients || recipients->size() == 0)) {
    error = "recipients is missing or empty";
  }
  if (!error.empty()) {
    sendCodeError(response, 400, error);
    return;
  }

  const std::string campaign_id = newMessageId();
  std::vector<SentMessage> accepted;
  std::map<std::string, std::size_t> reference_index;
  std::set<std::string> seen_recipients;
  Array::Ptr listed = new Array;
  for (std::size_t i = 0; i < recipients->size(); ++i) {
    const std::string where = "recipients[" + std::to_string(i) + "].";
    Object::Ptr item = recipients->getObject(static_cast<unsigned>(i));
    if (!item) {
      sendCodeError(response, 400, where.substr(0, where.size() - 1) + " is not an object");
      return;
    }
    MessageFields fields;
    fields.originator = stringMember(*item, "originator", where, error);
    fields.recipient = stringMember(*item, "recipient", where, error);
    fields.text = stringMember(*item, "text", where, error);
    fields.route_id = stringMember(*item, "routeId", where, error);
    fields.reference = stringMember(*item, "reference", where, error);
    if (!fields.route_id) {
      fields.route_id = route_id;
    }
    if (error.empty()) {
      error = checkMessage(fields, where).value_or("");
    }
    if (error.empty() && (!fields.reference || fields.reference->empty())) {
      error = where + "reference is missing (each recipient needs a unique one)";
    }
    if (error.empty()) {
      auto [it, fresh] = reference_index.emplace(*fields.reference, i);
      if (!fresh) {
        error = where + "reference '" + *fields.reference + "' duplicates recipients[" +
                std::to_string(it->second) + "]";
      }
    }
    SentMessage message;
    if (error.empty()) {
      message.text = *fields.text;
      if (auto problem = measureInto(message)) {
        error = where + *problem;
      }
    }
    if (!error.empty()) {
      sendCodeError(response, 400, error);
      return;
    }
    bool opted_out = optouts_.count(*fields.recipient) > 0;
    if (opted_out && !exclude_optouts) {
      sendCodeError(response, 403, "recipient opted out: " + where + "recipient");
      return;
    }
    bool duplicate = !seen_recipients.insert(*fields.recipient).second && exclude_duplicates;
    Object::Ptr entry = newObject();
    if (opted_out || duplicate) {
      entry->set("id", Poco::Dynamic::Var());
      entry->set("recipient", *fields.recipient);
      entry->set("reference", *fields.reference);
      entry->set("status", "excluded");
    } else {
      message.id = newMessageId();
      message.api = "batch";
      message.campaign_id = campaign_id;
      message.originator = *fields.originator;
      message.recipient = *fields.recipient;
      message.route_id = *fields.route_id;
      message.reference = *fields.reference;
      entry->set("id", message.id);
      entry->set("recipient", message.recipient);
      entry->set("reference", message.reference);
      entry->set("status", "queued");
      accepted.push_back(std::move(message));
    }
    listed->add(entry);
  }

  Object::Ptr reply = newObject();
  reply->set("id", campaign_id);
  reply->set("name", orNull(name));
  reply->set("scheduleDateTime", orNull(schedule));
  reply->set("routeId", orNull(route_id));
  reply->set("recipients", listed);
  if (!console_.quiet()) {
    console_.line("send/batch " + std::to_string(accepted.size()) + " queued of " +
                  std::to_string(recipients->size()));
  }
  if (on_accepted_) {
    for (const SentMessage& m : accepted) on_accepted_(m, callback);
  }
  messages_.record(std::move(accepted));
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, reply);
}

}  // namespace mobisync::sim
