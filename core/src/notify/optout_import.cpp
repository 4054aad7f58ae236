// SPDX-License-Identifier: Apache-2.0
// OptoutImporter through libs/provider_http.
#include "notify/optout_import.hpp"

#include <algorithm>
#include <utility>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "mobisync/text.hpp"
#include "provider_http/connection.hpp"
#include "provider_http/tls_context.hpp"
#include "state/optout_imports.hpp"
#include "state/suppression_list.hpp"

namespace mobisync::notify {

namespace {

using namespace std::chrono;

/// The entries of one answer: a JSON array of {"mobile", "created"}, or an object holding one
/// under "data", "optouts" or "results" (the provider's wiki shows no example).
Poco::JSON::Array::Ptr entriesOf(const std::string& body, std::string& error) {
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(body);
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) return v.extract<Poco::JSON::Array::Ptr>();
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
      auto o = v.extract<Poco::JSON::Object::Ptr>();
      for (const char* key : {"data", "optouts", "results"}) {
        if (auto a = o->getArray(key)) return a;
      }
    }
    error = "the answer is not a list of opt-outs: " + text::excerpt(body);
  } catch (const Poco::Exception& e) {
    error = "the answer is not JSON (" + e.displayText() + "): " + text::excerpt(body);
  }
  return nullptr;
}

/// E.164 digits without '+', as suppressions are keyed.
std::string digitsOf(std::string mobile) {
  mobile.erase(std::remove_if(mobile.begin(), mobile.end(),
                              [](char c) { return c == '+' || c == ' ' || c == '-'; }),
               mobile.end());
  return mobile;
}

}  // namespace

std::string utcDay(std::int64_t ms) {
  return dayText(floor<days>(sys_time<milliseconds>(milliseconds(ms))).time_since_epoch().count());
}

std::int64_t dayNumber(const std::string& day) {
  const year_month_day ymd{year(std::stoi(day.substr(0, 4))),
                           month(static_cast<unsigned>(std::stoi(day.substr(5, 2)))),
                           std::chrono::day(static_cast<unsigned>(std::stoi(day.substr(8, 2))))};
  return sys_days(ymd).time_since_epoch().count();
}

std::string dayText(std::int64_t day_number) {
  const year_month_day ymd{sys_days(days(day_number))};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

Result<OptoutApi> optoutApiFor(const config::AppConfig& cfg) {
  const std::string& via = cfg.optouts.import_via;
  if (via.empty()) {
    return Status::invalidConfig(
        "messaging.optouts.import_via is not set: name the http [[notifier]] whose JSON API "
        "key reads the provider's opt-out list");
  }
  const config::NotifierConfig* n = cfg.findNotifier(via);
  if (n == nullptr) {
    return Status::invalidConfig("messaging.optouts.import_via: no [[notifier]] is named \"" +
                                 text::excerpt(via) + "\"");
  }
  OptoutApi api;
  api.base_url = n->values.string("json_base_url", "https://api.mobivatebulksms.com");
  while (!api.base_url.empty() && api.base_url.back() == '/') api.base_url.pop_back();
  api.api_key = n->values.string("api_key");
  if (api.api_key.empty()) {
    return Status::invalidConfig("messaging.optouts.import_via: [[notifier]] \"" +
                                 text::excerpt(via) + "\" has no api_key (plugin http)");
  }
  api.timeout = milliseconds(n->values.integer("timeout_ms", 10000));
  api.ca_file = n->values.string("ca_file");
  api.verify_tls = n->values.boolean("verify_tls", true);
  api.source = via + "@" + api.base_url;
  return api;
}

OptoutImporter::OptoutImporter(state::StateStore& store, OptoutApi api, std::string first_day)
    : store_(store), api_(std::move(api)), first_day_(std::move(first_day)) {}

OptoutImportResult OptoutImporter::run(std::int64_t now_ms) {
  OptoutImportResult r;
  state::OptoutImports positions(store_);
  state::SuppressionList suppressions(store_);
  auto last = positions.find(api_.source);
  // The last day imported is asked for again: opt-outs made later that day were not listed yet.
  std::int64_t day = dayNumber(last ? last->imported_through : first_day_);
  const std::int64_t today = dayNumber(utcDay(now_ms));
  r.from = dayText(day);
  provider_http::ConnectionOptions options;
  options.timeout = api_.timeout;
  options.max_body = 64u << 20;  // a year of opt-outs of a large account
  try {
    if (api_.base_url.rfind("https:", 0) == 0) {
      options.tls = provider_http::makeTlsContext({api_.ca_file, api_.verify_tls, ""});
    }
    provider_http::Connection connection(api_.base_url, options);
    while (day <= today) {
      const std::int64_t end = std::min(today, day + kMaxDays - 1);
      provider_http::Request request;
      request.method = "GET";
      request.target =
          "/addressbook/optout?startDate=" + dayText(day) + "&endDate=" + dayText(end);
      request.bearer = api_.api_key;
      request.idempotent = true;
      ++r.requests;
      auto x = connection.exchange(request);
      if (!x.answered || x.status != 200) {
        r.ok = false;
        r.error = x.answered ? "GET " + connection.describe(request.target) + " answered " +
                                   std::to_string(x.status) + " " + x.reason + ": " +
                                   text::excerpt(x.body)
                             : x.failure;
        break;
      }
      auto entries = entriesOf(x.body, r.error);
      if (!entries) {
        r.ok = false;
        break;
      }
      for (std::size_t i = 0; i < entries->size(); ++i) {
        auto e = entries->getObject(static_cast<unsigned>(i));
        if (!e) continue;
        const std::string mobile = digitsOf(e->optValue<std::string>("mobile", ""));
        if (mobile.empty()) continue;
        ++r.read;
        if (suppressions.add(mobile, "sms", "provider", e->optValue<std::string>("created", ""),
                             now_ms)) {
          ++r.added;
        }
      }
      positions.save(api_.source, dayText(end), now_ms);
      r.through = dayText(end);
      day = end + 1;
    }
  } catch (const Poco::Exception& e) {
    // TLS set-up or a base URL that is not http(s): nothing was asked.
    r.ok = false;
    r.error = e.displayText();
  }
  return r;
}

std::optional<OptoutImportResult> importOptoutsIfConfigured(const config::AppConfig& cfg,
                                                            state::StateStore& store,
                                                            std::int64_t now_ms) {
  if (cfg.optouts.import_via.empty()) return std::nullopt;
  auto api = optoutApiFor(cfg);
  if (!api) {
    OptoutImportResult r;
    r.ok = false;
    r.error = api.error().message();
    return r;
  }
  return OptoutImporter(store, *api, cfg.optouts.import_from).run(now_ms);
}

}  // namespace mobisync::notify
