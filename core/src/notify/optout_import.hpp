// SPDX-License-Identifier: Apache-2.0
// OptoutImporter: reads the provider's opt-out list (GET /addressbook/optout?startDate=&endDate=)
// day range by day range since the last import, into the suppression list (origin "provider").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "config/app_config.hpp"
#include "mobisync/result.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// Where the opt-out list is read: the JSON API of the http [[notifier]] named by
/// [messaging.optouts] import_via.
struct OptoutApi {
  std::string source;    ///< the optout_imports key: "<notifier>@<base url>"
  std::string base_url;  ///< json_base_url
  std::string api_key;   ///< secret; never printed
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;
  bool verify_tls = true;
};

/// The API of cfg.optouts.import_via; an error when it is unset or that notifier has no
/// api_key (the message names the config key).
Result<OptoutApi> optoutApiFor(const config::AppConfig& cfg);

struct OptoutImportResult {
  bool ok = true;
  std::string error;        ///< why it stopped early (what was read before stays imported)
  int requests = 0;
  std::int64_t read = 0;    ///< entries the provider listed
  std::int64_t added = 0;   ///< numbers newly suppressed
  std::string from;         ///< the first day asked for
  std::string through;      ///< the last day imported in full or in part
};

/// Borrows the store; one per thread, like the store.
class OptoutImporter {
 public:
  /// `first_day` (YYYY-MM-DD) is where the first import starts ([messaging.optouts] import_from).
  OptoutImporter(state::StateStore& store, OptoutApi api, std::string first_day);

  /// Imports from the day last imported (again, since it may have grown) through today (UTC,
  /// from `now_ms`), in ranges of at most kMaxDays, recording the position after each range.
  /// Never throws for the provider's failures (ok = false); throws StateError for the state's.
  OptoutImportResult run(std::int64_t now_ms);

  static constexpr int kMaxDays = 366;

 private:
  state::StateStore& store_;
  OptoutApi api_;
  std::string first_day_;
};

/// The import callers run before each notification run and on [messaging.optouts]
/// import_schedule: nothing (nullopt) when import_via is unset, else what OptoutImporter::run did
/// (a configuration problem is ok = false with the reason). Throws StateError for the state's.
std::optional<OptoutImportResult> importOptoutsIfConfigured(const config::AppConfig& cfg,
                                                            state::StateStore& store,
                                                            std::int64_t now_ms);

/// "YYYY-MM-DD" of `ms` since the epoch, UTC; and back (days since the epoch), for the ranges.
std::string utcDay(std::int64_t ms);
std::int64_t dayNumber(const std::string& day);
std::string dayText(std::int64_t day_number);

}  // namespace mobisync::notify
