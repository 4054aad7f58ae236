// SPDX-License-Identifier: Apache-2.0
// The keys of [messaging.webhooks], as data (listed in core_schema.cpp's table list, read by
// webhook_tables.cpp).
#pragma once

#include "mobisync/plugin/config_schema.hpp"

namespace mobisync::config {

inline constexpr plugin::ConfigKey kWebhookKeys[] = {
    {"token", plugin::KeyType::Secret, false, nullptr,
     "Secret path segment of the daemon's webhooks (/webhooks/<token>/receipt and /incoming): "
     "set token_env = \"VAR\" or token_file = \"path\"; at least 16 characters of A-Z a-z 0-9 "
     "- _ . ~"},
    {"public_url", plugin::KeyType::String, false, nullptr,
     "https base URL at which the provider reaches [metrics] listen through a TLS reverse "
     "proxy, e.g. \"https://sms.example.com\"; used by `mobisync webhooks register`"},
};

}  // namespace mobisync::config
