// SPDX-License-Identifier: Apache-2.0
// Simulated contacts proxy API with the provider's validation, per-token results and faults.
#include "contacts_proxy_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <utility>

#include "api_request.hpp"
#include "connection_faults.hpp"
#include "json_reply.hpp"
#include "proxy_rules.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::Net::HTTPResponse;

constexpr const char* kInvalidApplication = "invalid application";

std::string describe(const ProxyRequestRecord& record) {
  // msisdn and tokens only: the query string carries the password, so it is never printed.
  std::string line = std::string(proxyOpName(record.op)) + " msisdn=" + record.msisdn + " apps=";
  for (std::size_t i = 0; i < record.applications.size(); ++i) {
    line += (i > 0 ? "," : "") + record.applications[i];
  }
  line += " -> " + std::to_string(record.status);
  if (record.fault != Fault::None) {
    line += " (injected " + std::string(faultName(record.fault)) + ")";
  }
  return line;
}

}  // namespace

ContactsProxyApi::ContactsProxyApi(ProxyAccount account, ContactStore& store, RequestLog& log,
                                   FaultInjector& faults, Refusal& refusal, Console& console)
    : account_(std::move(account)),
      store_(store),
      log_(log),
      faults_(faults),
      refusal_(refusal),
      console_(console) {}

void ContactsProxyApi::registerRoutes(RequestRouter& router) {
  router.add("GET", "/api/contacts/create",
             [this](auto& request, auto& response) { handle(ProxyOp::Create, request, response); });
  router.add("GET", "/api/contacts/delete",
             [this](auto& request, auto& response) { handle(ProxyOp::Delete, request, response); });
}

void ContactsProxyApi::handle(ProxyOp op, Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
  auto arrival = std::chrono::steady_clock::now();
  ProxyRequestRecord record;
  record.seq = log_.nextSeq();
  record.op = op;
  QueryParams params = QueryParams::parse(rawQueryOf(request.getURI()));
  record.msisdn = params.value("msisdn");
  record.applications = splitApplications(params.value("applications"));
  record.name = params.get("name");
  record.reference = params.get("reference");

  const Admission admission = refusal_.admit();
  FaultDecision decision;
  if (admission == Admission::Refuse) {
    // Past the refuse-after limit, on a connection the closing port has not cut yet.
    decision.fault = Fault::Refused;
    ConnectionFaults::resetConnection(response, "refused");
  } else {
    decision = faults_.inject(arrival);
    if (admission == Admission::ServeThenRefuse) {
      // The port closes right after: an answer Poco still buffered would be lost with it. A
      // network fault drawn for this call shapes the reply its own way instead.
      ConnectionFaults::shapeNextReply({ReplyShape::Kind::Flushed, 0});
    }
  }
  record.fault = decision.fault;
  if (decision.fault == Fault::Refused) {
    record.status = 0;
  } else if (applyNetworkFault(decision, response)) {
    record.status = 0;  // no answer at all
  } else if (decision.fault == Fault::Error) {
    sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal error");
    record.status = HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
  } else if (decision.fault == Fault::TooManyRequests) {
    response.set("Retry-After", std::to_string(decision.retry_after_s));
    sendError(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, "too many requests");
    record.status = HTTPResponse::HTTP_TOO_MANY_REQUESTS;
  } else {
    record.status = answer(record, params.value("username"), params.value("password"),
                           decision.unauthorized, response);
  }

  if (!console_.quiet()) {  // skip building the line on the hot path of benchmarks
    console_.line(describe(record));
  }
  log_.append(std::move(record));
  if (admission != Admission::Serve) {
    refusal_.refuseNow();
  }
}

int ContactsProxyApi::answer(ProxyRequestRecord& record, const std::string& username,
                             const std::string& password, bool unauthorized,
                             Poco::Net::HTTPServerResponse& response) {
  if (unauthorized || username != account_.username || password != account_.password) {
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("code", 401);
    body->set("message", "Not Authenticated");
    sendJson(response, HTTPResponse::HTTP_UNAUTHORIZED, body);
    return HTTPResponse::HTTP_UNAUTHORIZED;
  }
  if (!isValidMsisdn(record.msisdn)) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "invalid msisdn");
    return HTTPResponse::HTTP_BAD_REQUEST;
  }
  if (rejected(record.msisdn)) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "msisdn rejected");
    return HTTPResponse::HTTP_BAD_REQUEST;
  }
  if (record.applications.empty()) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "missing applications");
    return HTTPResponse::HTTP_BAD_REQUEST;
  }

  std::vector<std::string> valid;
  Poco::JSON::Object::Ptr results = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  results->set("status", "ok");
  bool all_ok = true;
  for (const std::string& token : record.applications) {
    if (isValidApplication(token)) {
      valid.push_back(token);
      results->set(token, "ok");
    } else {
      all_ok = false;
      results->set(token, kInvalidApplication);
    }
  }
  if (!all_ok) {
    results->set("status", "partial");
  }

  if (record.op == ProxyOp::Create) {
    store_.subscribe(record.msisdn, valid, record.name, record.reference);
  } else {
    store_.unsubscribe(record.msisdn, valid);
  }
  if (account_.foreign_body == "array") {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    array->add("ok");
    sendJson(response, HTTPResponse::HTTP_OK, array);
    return HTTPResponse::HTTP_OK;
  }
  if (account_.foreign_body == "huge") {
    results->set("padding", std::string(2 << 20, 'x'));
  }
  sendJson(response, HTTPResponse::HTTP_OK, results);
  return HTTPResponse::HTTP_OK;
}

bool ContactsProxyApi::rejected(const std::string& msisdn) const {
  for (const std::string& prefix : account_.reject_msisdn_prefixes) {
    if (msisdn.rfind(prefix, 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace mobisync::sim
