// SPDX-License-Identifier: Apache-2.0
// Simulated HLR lookup in the provider's result shape.
#include "hlr_api.hpp"

#include <Poco/JSON/Array.h>

#include <array>
#include <chrono>
#include <string_view>

#include "api_request.hpp"
#include "json_reply.hpp"
#include "proxy_rules.hpp"

namespace mobisync::sim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

struct Network {
  std::string_view number_prefix;  // longest match wins; table is ordered longest first
  std::string_view mcc_mnc;
  std::string_view name;
  std::string_view network_prefix;
  std::string_view country;
  std::string_view country_prefix;
};

constexpr std::array<Network, 6> kNetworks = {{
    {"447930", "23410", "O2", "7930", "United Kingdom", "44"},
    {"4477", "23415", "Vodafone UK", "77", "United Kingdom", "44"},
    {"4474", "23430", "EE", "74", "United Kingdom", "44"},
    {"447", "23420", "Three UK", "7", "United Kingdom", "44"},
    {"614", "50501", "Telstra", "4", "Australia", "61"},
    {"", "00000", "Unknown", "", "Unknown", ""},
}};

const Network& networkOf(const std::string& msisdn) {
  for (const Network& network : kNetworks) {
    if (msisdn.compare(0, network.number_prefix.size(), network.number_prefix) == 0) {
      return network;
    }
  }
  return kNetworks.back();
}

Object::Ptr outcome(int group_id, const char* group_name, int id, const char* name,
                    const char* description) {
  Object::Ptr object = newObject();
  object->set("groupId", group_id);
  object->set("groupName", group_name);
  object->set("id", id);
  object->set("name", name);
  object->set("description", description);
  return object;
}

Object::Ptr resultFor(const std::string& msisdn, bool inactive) {
  const Network& network = networkOf(msisdn);
  Object::Ptr result = newObject();
  result->set("to", msisdn);
  result->set("mccMnc", std::string(network.mcc_mnc));
  // Home network code plus the subscriber digits: stable per number, 15 digits like a real IMSI.
  result->set("imsi", std::string(network.mcc_mnc) + msisdn.substr(msisdn.size() - 10));
  Object::Ptr original = newObject();
  original->set("networkName", std::string(network.name));
  original->set("networkPrefix", std::string(network.network_prefix));
  original->set("countryName", std::string(network.country));
  original->set("countryPrefix", std::string(network.country_prefix));
  result->set("originalNetwork", original);
  result->set("ported", false);
  if (inactive) {
    result->set("status", outcome(2, "UNDELIVERABLE", 9, "UNDELIVERABLE_NOT_DELIVERED",
                                  "Message sent not delivered"));
    Object::Ptr error = outcome(1, "HANDSET_ERRORS", 27, "EC_ABSENT_SUBSCRIBER",
                                "Absent Subscriber");
    error->set("permanent", true);
    result->set("error", error);
  } else {
    result->set("status", outcome(3, "DELIVERED", 5, "DELIVERED_TO_HANDSET",
                                  "Message delivered to handset"));
    Object::Ptr error = outcome(0, "OK", 0, "NO_ERROR", "No Error");
    error->set("permanent", false);
    result->set("error", error);
  }
  return result;
}

}  // namespace

HlrApi::HlrApi(std::string api_key, std::set<std::string> inactive, FaultInjector& faults)
    : api_key_(std::move(api_key)), inactive_(std::move(inactive)), faults_(faults) {}

void HlrApi::registerRoutes(RequestRouter& router) {
  router.add("POST", "/hlr/lookup",
             [this](auto& request, auto& response) { lookup(request, response); });
}

void HlrApi::lookup(Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response) {
  auto arrival = std::chrono::steady_clock::now();
  std::string body = readBody(request);
  const FaultDecision decision = faults_.inject(arrival);
  if (sendFaultAsJson(decision, response)) {
    return;
  }
  if (decision.unauthorized || !bearerMatches(request, api_key_)) {
    sendCodeError(response, 401, "API key invalid or expired");
    return;
  }
  std::string error;
  std::optional<Object::Ptr> parsed = parseJsonObject(body, error);
  if (!parsed) {
    sendCodeError(response, 400, error);
    return;
  }
  Array::Ptr recipients = (*parsed)->getArray("recipients");
  if (!recipients || recipients->size() == 0) {
    sendCodeError(response, 400, "recipients is missing or empty");
    return;
  }
  Array::Ptr results = new Array;
  for (std::size_t i = 0; i < recipients->size(); ++i) {
    Poco::Dynamic::Var item = recipients->get(static_cast<unsigned>(i));
    std::string msisdn = item.isString() ? item.extract<std::string>() : std::string();
    if (!isValidMsisdn(msisdn)) {
      sendCodeError(response, 400,
                    "recipients[" + std::to_string(i) + "] is not 8 to 15 digits: " +
                        item.toString());
      return;
    }
    results->add(resultFor(msisdn, inactive_.count(msisdn) > 0));
  }
  Object::Ptr reply = newObject();
  reply->set("results", results);
  sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, reply);
}

}  // namespace mobisync::sim
