// SPDX-License-Identifier: Apache-2.0
// Opt-outs answered as a JSON array of {"mobile", "created"}, oldest first, filtered by the day
// of `created` (startDate and endDate inclusive, YYYY-MM-DD).
#include "addressbook_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <vector>

#include "api_request.hpp"
#include "json_reply.hpp"
#include "sim_time.hpp"
#include "query_params.hpp"

namespace mobisync::sim {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

bool isDay(const std::string& d) {
  return d.size() == 10 && d[4] == '-' && d[7] == '-' &&
         std::all_of(d.begin(), d.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

}  // namespace

void AddressbookApi::registerRoutes(RequestRouter& router) {
  router.add("GET", "/addressbook/optout",
             [this](auto& request, auto& response) { list(request, response); });
  router.add("POST", "/addressbook/optout",
             [this](auto& request, auto& response) { change(request, response, true, false); });
  router.add("DELETE", "/addressbook/optout",
             [this](auto& request, auto& response) { change(request, response, false, false); });
}

void AddressbookApi::registerControlRoutes(RequestRouter& router) {
  router.add("POST", "/_sim/optouts",
             [this](auto& request, auto& response) { change(request, response, true, true); });
}

void AddressbookApi::clear() {
  std::lock_guard lock(mutex_);
  optouts_.clear();
}

void AddressbookApi::list(Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response) {
  if (!bearerMatches(request, api_key_)) {
    sendCodeError(response, 401, "API key invalid or expired");
    return;
  }
  const QueryParams q = QueryParams::parse(rawQueryOf(request.getURI()));
  const std::string start = q.value("startDate");
  const std::string end = q.value("endDate");
  if (!isDay(start) || !isDay(end)) {
    sendCodeError(response, 400, "startDate and endDate must be YYYY-MM-DD");
    return;
  }
  std::vector<std::pair<std::string, std::string>> rows;  // created, mobile
  {
    std::lock_guard lock(mutex_);
    for (const auto& [mobile, created] : optouts_) {
      const std::string day = created.substr(0, 10);
      if (day >= start && day <= end) rows.emplace_back(created, mobile);
    }
  }
  std::sort(rows.begin(), rows.end());
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& [created, mobile] : rows) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("mobile", mobile);
    o->set("created", created);
    out->add(o);
  }
  sendJson(response, HTTPResponse::HTTP_OK, out);
}

void AddressbookApi::change(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response, bool add, bool seed) {
  const std::string body = readBody(request);
  if (!seed && !bearerMatches(request, api_key_)) {
    sendCodeError(response, 401, "API key invalid or expired");
    return;
  }
  std::string error;
  auto parsed = parseJsonObject(body, error);
  std::optional<std::string> mobile, created;
  if (parsed) {
    mobile = stringMember(**parsed, "mobile", "", error);
    if (seed) created = stringMember(**parsed, "created", "", error);
  }
  if (error.empty() && (!mobile || mobile->empty())) error = "mobile is missing";
  if (error.empty() && created && !isDay(created->substr(0, 10))) {
    error = "created must start with YYYY-MM-DD";
  }
  if (!error.empty()) {
    sendCodeError(response, 400, error);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (add) {
      std::string when = created.value_or(utcText(wallClockMs()));
      if (when.size() == 10) when += " 00:00:00";
      optouts_[*mobile] = when;
    } else {
      optouts_.erase(*mobile);
    }
  }
  Object::Ptr reply = new Object;
  reply->set("mobile", *mobile);
  reply->set("status", add ? "opted out" : "removed");
  sendJson(response, HTTPResponse::HTTP_OK, reply);
}

}  // namespace mobisync::sim
