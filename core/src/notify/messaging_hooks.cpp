// SPDX-License-Identifier: Apache-2.0
// The daemon's messaging hooks over the provider's APIs.
#include "notify/messaging_hooks.hpp"

#include <stdexcept>
#include <string>

#include <Poco/Logger.h>

#include "notify/optout_import.hpp"
#include "notify/proxy_optout_subscriber.hpp"

namespace mobisync::notify {

MessagingHooks standardMessagingHooks(const config::AppConfig& cfg) {
  MessagingHooks hooks;
  if (cfg.optouts.enabled && cfg.optouts.sync_provider) {
    hooks.subscriber = [&cfg]() -> std::unique_ptr<OptoutSubscriber> {
      return std::make_unique<ProxyOptoutSubscriber>(cfg.provider);
    };
  }
  if (!cfg.optouts.import_schedule.empty()) {
    hooks.import_optouts = [&cfg](state::StateStore& store, std::int64_t now_ms) {
      auto api = optoutApiFor(cfg);
      if (!api) throw std::runtime_error(api.error().message());
      OptoutImportResult r = OptoutImporter(store, *api, cfg.optouts.import_from).run(now_ms);
      if (!r.ok) {
        // What was read before the failure stays imported (and counted); the rest next time.
        Poco::Logger::get("mobisync.messaging")
            .warning("messaging: importing the provider's opt-out list stopped after %s new "
                     "number(s): %s", std::to_string(r.added), r.error);
      }
      return r.added;
    };
  }
  return hooks;
}

}  // namespace mobisync::notify
