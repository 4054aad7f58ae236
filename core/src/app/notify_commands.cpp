// SPDX-License-Identifier: Apache-2.0
// `hlr` (`send` is in send_command.cpp, `state messages` in message_list.cpp).
#include "app/notify_commands.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/json_text.hpp"
#include "mobisync/sms/encoding.hpp"
#include "mobisync/sms/originator.hpp"
#include "model/msisdn.hpp"
#include "notify/dispatcher.hpp"
#include "notify/notifier_pool.hpp"
#include "state/hlr_cache.hpp"
#include "state/message_log.hpp"
#include "sync/job_report.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::app {

namespace {

using values::nowMs;

}  // namespace

Result<std::string> internationalNumber(const std::string& raw) {
  static const model::MsisdnNormalizer kAnyRegion("GB");  // unused for '+' numbers
  std::string s = raw;
  if (s.rfind("00", 0) == 0) s = "+" + s.substr(2);
  if (s.empty() || s.front() != '+') s = "+" + s;
  auto n = kAnyRegion.normalize(s);
  if (!n) return Status::rejected("\"" + raw + "\": " + n.error().message());
  return n;
}

int lookupNumbers(const CliOptions& o, const config::AppConfig& cfg,
                  plugin_host::PluginLoader& loader, state::StateStore& store, std::ostream& out) {
  std::vector<std::string> raw(o.args.begin() + (o.args.empty() ? 0 : 1), o.args.end());
  if (raw.empty()) throw NotifyCommandError(sync::kExitUsage, "usage: mobisync hlr [--via NAME] "
                                                              "[--format json] NUMBER...");
  std::vector<std::string> numbers;
  for (const auto& r : raw) {
    auto n = internationalNumber(r);
    if (!n) throw NotifyCommandError(sync::kExitUsage, n.error().message());
    numbers.push_back(*n);
  }
  notify::NotifierPool pool(cfg, loader);
  notify::NotifierInstance* lookup = nullptr;
  if (!o.via.empty()) {
    auto instance = pool.get(o.via);
    if (!instance) throw NotifyCommandError(sync::kExitConfig, instance.error().message());
    if ((*instance)->lookup == nullptr) {
      throw NotifyCommandError(sync::kExitConfig, "notifier " + o.via + " (plugin " +
                                                      (*instance)->plugin +
                                                      ") cannot look numbers up");
    }
    lookup = *instance;
  } else {
    // Without --via: the first configured notifier that can look numbers up.
    for (const auto& n : cfg.notifiers) {
      auto instance = pool.get(n.name);
      if (instance && (*instance)->lookup != nullptr) {
        lookup = *instance;
        break;
      }
    }
    if (lookup == nullptr) {
      throw NotifyCommandError(sync::kExitConfig,
                               "no [[notifier]] in " + cfg.file + " can look numbers up");
    }
  }

  state::HlrCache cache(store);
  struct Row {
    std::string msisdn;
    Result<plugin::NumberStatus> status;
  };
  std::vector<Row> rows;
  int failed = 0;
  for (const auto& n : numbers) {
    auto r = notify::guardedResult<plugin::NumberStatus>(
        lookup->plugin, [&] { return lookup->lookup->lookup(n); });
    if (r && r->state != plugin::NumberStatus::State::Unknown) cache.store(n, *r, nowMs());
    if (!r) ++failed;
    rows.push_back({n, std::move(r)});
  }
  if (o.format == "json") {
    out << "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      out << (i == 0 ? "\n" : ",\n") << "  {\"msisdn\": " << jsonQuote(r.msisdn);
      if (!r.status) {
        out << ", \"error\": " << jsonQuote(r.status.error().message()) << "}";
        continue;
      }
      const auto& s = *r.status;
      out << ", \"status\": " << jsonQuote(state::numberStateName(s.state))
          << ", \"network\": " << jsonQuote(s.network) << ", \"country\": " << jsonQuote(s.country)
          << ", \"ported\": " << (s.ported ? "true" : "false")
          << ", \"detail\": " << jsonQuote(s.detail) << "}";
    }
    out << (rows.empty() ? "]\n" : "\n]\n");
  } else {
    out << std::left << std::setw(17) << "NUMBER" << std::setw(10) << "STATUS" << std::setw(20)
        << "NETWORK" << std::setw(9) << "COUNTRY" << std::setw(8) << "PORTED" << "DETAIL\n";
    for (const auto& r : rows) {
      out << std::setw(17) << r.msisdn;
      if (!r.status) {
        out << "error: " << r.status.error().message() << "\n";
        continue;
      }
      const auto& s = *r.status;
      out << std::setw(10) << state::numberStateName(s.state) << std::setw(20)
          << (s.network.empty() ? "-" : s.network) << std::setw(9)
          << (s.country.empty() ? "-" : s.country) << std::setw(8) << (s.ported ? "yes" : "no")
          << s.detail << "\n";
    }
  }
  return failed == 0 ? sync::kExitOk : sync::kExitUnavailable;
}

}  // namespace mobisync::app
