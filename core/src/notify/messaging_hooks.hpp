// SPDX-License-Identifier: Apache-2.0
// standardMessagingHooks(): the daemon's messaging service wired to the provider: opt-outs by
// reply subscribed as optouts:sms through the proxy API, the provider's opt-out list imported
// through the JSON API of [messaging.optouts] import_via.
#pragma once

#include "config/app_config.hpp"
#include "notify/messaging_service.hpp"

namespace mobisync::notify {

/// The hooks `cfg` asks for: a ProxyOptoutSubscriber when [messaging.optouts] sync_provider is
/// on; an OptoutImporter run when import_schedule is set (import_via names its API).
MessagingHooks standardMessagingHooks(const config::AppConfig& cfg);

}  // namespace mobisync::notify
