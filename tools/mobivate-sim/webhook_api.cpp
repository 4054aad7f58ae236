// SPDX-License-Identifier: Apache-2.0
// Webhook registration as the provider's wiki shows it, and the simulator's webhook controls.
#include "webhook_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <chrono>
#include <sstream>

#include "api_request.hpp"
#include "json_reply.hpp"
#include "sim_time.hpp"
#include "send_rules.hpp"

namespace mobisync::sim {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

bool httpUrl(const std::string& url) {
  try {
    const Poco::URI uri(url);
    return (uri.getScheme() == "http" || uri.getScheme() == "https") && !uri.getHost().empty();
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

void WebhookApi::registerRoutes(RequestRouter& router) {
  for (const std::string kind : {"receipt", "incoming", "click"}) {
    router.add("POST", "/webhooks/" + kind, [this, kind](auto& request, auto& response) {
      registration(kind, request, response);
    });
  }
}

void WebhookApi::registerControlRoutes(RequestRouter& router) {
  router.add("POST", "/_sim/incoming",
             [this](auto& request, auto& response) { incoming(request, response); });
  router.add("GET", "/_sim/webhooks", [this](auto&, auto& response) { listing(response); });
}

void WebhookApi::registration(const std::string& kind, Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
  const std::string body = readBody(request);
  if (!bearerMatches(request, api_key_)) {
    sendCodeError(response, 401, "API key invalid or expired");
    return;
  }
  std::string error;
  auto parsed = parseJsonObject(body, error);
  std::optional<std::string> url;
  if (parsed) url = stringMember(**parsed, "url", "", error);
  if (error.empty() && (!url || !httpUrl(*url))) error = "url is missing or not an http(s) URL";
  if (!error.empty()) {
    sendCodeError(response, 400, error);
    return;
  }
  poster_.setRegistered(kind, *url);
  Object::Ptr reply = new Object;
  reply->set("message", "Webhook updated successfully");
  sendJson(response, HTTPResponse::HTTP_OK, reply);
}

void WebhookApi::incoming(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  std::string error;
  auto parsed = parseJsonObject(readBody(request), error);
  if (!parsed) {
    sendCodeError(response, 400, error);
    return;
  }
  Object& in = **parsed;
  auto originator = stringMember(in, "originator", "", error);
  if (error.empty() && (!originator || originator->empty())) error = "originator is missing";
  if (!error.empty()) {
    sendCodeError(response, 400, error);
    return;
  }
  // The provider's Incoming Message Notification fields.
  Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  const std::string id = newMessageId();
  out.set("id", id);
  out.set("originator", *originator);
  out.set("recipient", stringMember(in, "recipient", "", error).value_or(""));
  out.set("body", stringMember(in, "body", "", error).value_or(""));
  out.set("created", utcText(wallClockMs()));
  auto reply_to = stringMember(in, "inReplyTo", "", error);
  out.set("inReplyTo", reply_to ? Poco::Dynamic::Var(*reply_to) : Poco::Dynamic::Var());
  std::ostringstream text;
  out.stringify(text);
  if (!poster_.postIncoming(id, text.str())) {
    sendCodeError(response, 409, "no incoming webhook registered (POST /webhooks/incoming)");
    return;
  }
  Object::Ptr reply = new Object;
  reply->set("id", id);
  sendJson(response, HTTPResponse::HTTP_OK, reply);
}

void WebhookApi::listing(Poco::Net::HTTPServerResponse& response) {
  Object::Ptr reply = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Object::Ptr registered = new Object;
  for (const char* kind : {"receipt", "incoming", "click"}) {
    registered->set(kind, poster_.registered(kind));
  }
  reply->set("registered", registered);
  Poco::JSON::Array::Ptr posts = new Poco::JSON::Array;
  for (const WebhookPost& p : poster_.posts()) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("kind", p.kind);
    o->set("url", p.url);
    o->set("messageId", p.message_id);
    o->set("status", p.status);
    o->set("fate", p.fate);
    o->set("httpStatus", p.http_status);
    o->set("atMs", p.at_ms);
    posts->add(o);
  }
  reply->set("posts", posts);
  reply->set("pending", static_cast<int>(poster_.pending()));
  sendJson(response, HTTPResponse::HTTP_OK, reply);
}

}  // namespace mobisync::sim
