// SPDX-License-Identifier: Apache-2.0
// Inspection and control endpoints that tests use to see and steer the simulator.
#include "inspection_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>
#include <optional>

#include "connection_faults.hpp"
#include "json_reply.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

template <class Container>
Array::Ptr toArray(const Container& strings) {
  Array::Ptr array = new Array;
  for (const auto& s : strings) {
    array->add(s);
  }
  return array;
}


// Parses one optional numeric parameter; false (and `error` set) when present but unusable.
template <class T>
bool readParam(const QueryParams& params, const std::string& name, T min, T max, T& target,
               std::string& error) {
  std::optional<std::string> text = params.get(name);
  if (!text) {
    return true;
  }
  T value{};
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || !(value >= min && value <= max)) {
    error = "invalid " + name + ": '" + *text + "'";
    return false;
  }
  target = value;
  return true;
}

// A switch: 0 or 1 (also false or true).
bool readSwitch(const QueryParams& params, const std::string& name, bool& target,
                std::string& error) {
  std::optional<std::string> text = params.get(name);
  if (!text) {
    return true;
  }
  if (*text == "1" || *text == "true") {
    target = true;
  } else if (*text == "0" || *text == "false") {
    target = false;
  } else {
    error = "invalid " + name + ": '" + *text + "' (0 or 1)";
    return false;
  }
  return true;
}

}  // namespace

InspectionApi::InspectionApi(ContactStore& store, RequestLog& log, MessageStore& messages,
                             EndpointCounters& counters, FaultInjector& faults, Refusal& refusal,
                             bool can_resume)
    : store_(store),
      log_(log),
      messages_(messages),
      counters_(counters),
      faults_(faults),
      refusal_(refusal),
      can_resume_(can_resume) {}

Object::Ptr InspectionApi::describeFaults() const {
  const FaultSettings settings = faults_.settings();
  Object::Ptr body = newObject();
  body->set("error_rate", settings.error_rate);
  body->set("rate_429", settings.rate_429);
  body->set("latency_ms", settings.latency_ms);
  body->set("retry_after", settings.retry_after_s);
  body->set("reset_rate", settings.reset_rate);
  body->set("stall_ms", settings.stall_ms);
  body->set("stall_rate", settings.stall_rate);
  body->set("truncate_rate", settings.truncate_rate);
  body->set("smpp_stall_ms", settings.smpp_stall_ms);
  body->set("smpp_drop_after", settings.smpp_drop_after);
  // Newer keys last, so a client that compares the older prefix keeps working.
  body->set("trickle_rate", settings.trickle_rate);
  body->set("trickle_ms", settings.trickle_ms);
  body->set("stall_body_rate", settings.stall_body_rate);
  body->set("stall_body_ms", settings.stall_body_ms);
  body->set("unauthorized", settings.unauthorized);
  body->set("refuse_after", refusal_.callsLeft());
  body->set("refusing", refusal_.refusing());
  return body;
}

void InspectionApi::registerRoutes(RequestRouter& router) {
  router.add("GET", "/_sim/contacts", [this](auto&, auto& response) { contacts(response); });
  router.add("GET", "/_sim/requests", [this](auto&, auto& response) { requests(response); });
  router.add("GET", "/_sim/messages", [this](auto&, auto& response) { messages(response); });
  router.add("GET", "/_sim/stats", [this](auto&, auto& response) { stats(response); });
  router.add("POST", "/_sim/reset", [this](auto&, auto& response) { reset(response); });
  router.add("POST", "/_sim/faults",
             [this](auto& request, auto& response) { faults(request, response); });
  router.add("POST", "/_sim/refuse", [this](auto&, auto& response) { refuse(response); });
  router.add("POST", "/_sim/resume", [this](auto&, auto& response) { resume(response); });
}

void InspectionApi::contacts(Poco::Net::HTTPServerResponse& response) {
  Array::Ptr body = new Array;
  for (const auto& [msisdn, record] : store_.snapshot()) {
    Object::Ptr item = newObject();
    item->set("msisdn", msisdn);
    item->set("name", record.name);
    item->set("reference", record.reference);
    item->set("applications", toArray(record.applications));
    body->add(item);
  }
  sendJson(response, HTTPResponse::HTTP_OK, body);
}

void InspectionApi::requests(Poco::Net::HTTPServerResponse& response) {
  Array::Ptr body = new Array;
  for (const ProxyRequestRecord& record : log_.entries()) {
    Object::Ptr item = newObject();
    item->set("seq", record.seq);
    item->set("op", proxyOpName(record.op));
    item->set("msisdn", record.msisdn);
    item->set("applications", toArray(record.applications));
    // Absent rather than null: Poco's getValue<std::string> throws on null, and "was the name
    // sent at all" is exactly what a test of the client wants to see.
    if (record.name) {
      item->set("name", *record.name);
    }
    if (record.reference) {
      item->set("reference", *record.reference);
    }
    item->set("status", record.status);
    item->set("fault", std::string(faultName(record.fault)));
    body->add(item);
  }
  sendJson(response, HTTPResponse::HTTP_OK, body);
}

void InspectionApi::messages(Poco::Net::HTTPServerResponse& response) {
  Array::Ptr body = new Array;
  for (const SentMessage& message : messages_.snapshot()) {
    Object::Ptr item = newObject();
    item->set("id", message.id);
    item->set("api", message.api);
    item->set("campaignId", message.campaign_id);
    item->set("originator", message.originator);
    item->set("recipient", message.recipient);
    item->set("text", message.text);
    item->set("routeId", message.route_id);
    item->set("reference", message.reference);
    item->set("parts", message.parts);
    item->set("coding", message.coding);
    item->set("acceptedAtMs", message.accepted_at_ms);
    body->add(item);
  }
  sendJson(response, HTTPResponse::HTTP_OK, body);
}

void InspectionApi::stats(Poco::Net::HTTPServerResponse& response) {
  RequestStats counts = log_.stats();
  Object::Ptr body = newObject();
  body->set("create", counts.create);
  body->set("delete", counts.remove);
  body->set("faults", counts.faults);
  body->set("requests", counts.requests);
  // Per endpoint and answer ("200", "429", "no response"), every API; the keys above stay first
  // and unchanged for clients that read only the proxy counts.
  Object::Ptr endpoints = newObject();
  for (const auto& [endpoint, outcomes] : counters_.snapshot()) {
    Object::Ptr counts_by_outcome = newObject();
    for (const auto& [outcome, count] : outcomes) {
      counts_by_outcome->set(outcome, count);
    }
    endpoints->set(endpoint, counts_by_outcome);
  }
  body->set("endpoints", endpoints);
  sendJson(response, HTTPResponse::HTTP_OK, body);
}

void InspectionApi::reset(Poco::Net::HTTPServerResponse& response) {
  store_.clear();
  log_.clear();
  messages_.clear();
  counters_.clear();
  Object::Ptr body = newObject();
  body->set("status", "ok");
  sendJson(response, HTTPResponse::HTTP_OK, body);
}

void InspectionApi::faults(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response) {
  QueryParams params = QueryParams::parse(rawQueryOf(request.getURI()));
  FaultSettings settings = faults_.settings();
  std::string error;
  // All-or-nothing: a bad value must not leave the other values half applied.
  bool ok = readParam(params, "error_rate", 0.0, 1.0, settings.error_rate, error) &&
            readParam(params, "rate_429", 0.0, 1.0, settings.rate_429, error) &&
            readParam(params, "latency_ms", 0, 600000, settings.latency_ms, error) &&
            readParam(params, "retry_after", 0, 86400, settings.retry_after_s, error) &&
            readParam(params, "reset_rate", 0.0, 1.0, settings.reset_rate, error) &&
            readParam(params, "stall_ms", 0, 600000, settings.stall_ms, error) &&
            readParam(params, "stall_rate", 0.0, 1.0, settings.stall_rate, error) &&
            readParam(params, "truncate_rate", 0.0, 1.0, settings.truncate_rate, error) &&
            readParam(params, "trickle_rate", 0.0, 1.0, settings.trickle_rate, error) &&
            readParam(params, "trickle_ms", 0, 600000, settings.trickle_ms, error) &&
            readParam(params, "stall_body_rate", 0.0, 1.0, settings.stall_body_rate, error) &&
            readParam(params, "stall_body_ms", 0, 600000, settings.stall_body_ms, error) &&
            readSwitch(params, "unauthorized", settings.unauthorized, error) &&
            readParam(params, "smpp_stall_ms", 0, 600000, settings.smpp_stall_ms, error) &&
            readParam(params, "smpp_drop_after", 0, 1000000000, settings.smpp_drop_after, error);
  int refuse_after = 0;
  const bool arm = params.get("refuse_after").has_value();
  ok = ok && readParam(params, "refuse_after", 0, 1000000000, refuse_after, error);
  if (ok && arm && refuse_after > 0 && !can_resume_) {
    ok = false;
    error = "refuse_after needs the simulator started with --control-port: the API port "
            "closes, and only the control port can reopen it";
  }
  if (!ok) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, error);
    return;
  }
  faults_.update(settings);
  if (arm) {
    refusal_.armAfter(refuse_after);
  }
  sendJson(response, HTTPResponse::HTTP_OK, describeFaults());
}

void InspectionApi::refuse(Poco::Net::HTTPServerResponse& response) {
  if (!can_resume_) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST,
              "refusing needs the simulator started with --control-port: the API port closes, "
              "and only the control port can reopen it");
    return;
  }
  refusal_.stopAccepting();
  // Answer before the port closes, and at once: asked on the API port itself, closing it cuts
  // this very connection.
  Object::Ptr body = describeFaults();
  ConnectionFaults::shapeNextReply({ReplyShape::Kind::Flushed, 0});
  sendJson(response, HTTPResponse::HTTP_OK, body);
  refusal_.refuseNow();
}

void InspectionApi::resume(Poco::Net::HTTPServerResponse& response) {
  refusal_.resume();
  sendJson(response, HTTPResponse::HTTP_OK, describeFaults());
}

}  // namespace mobisync::sim
