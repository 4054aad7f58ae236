// SPDX-License-Identifier: Apache-2.0
// The keys of [messaging.optouts] and [messaging.optouts.languages.<code>], as data (listed in
// core_schema.cpp's table list, read by optout_tables.cpp).
#pragma once

#include "mobisync/plugin/config_schema.hpp"

namespace mobisync::config {

inline constexpr plugin::ConfigKey kOptoutKeys[] = {
    {"enabled", plugin::KeyType::Boolean, false, "true",
     "Act on opt-out keywords in replies; false: replies are only stored"},
    {"keywords", plugin::KeyType::StringList, false, "STOP,STOPALL,UNSUBSCRIBE,END,CANCEL,QUIT",
     "A reply that is one of these alone (any case, blanks around it, trailing . ! ? , ; :) opts "
     "its number out; \"stop please\" does not"},
    {"reverse_keywords", plugin::KeyType::StringList, false, "START,UNSTOP",
     "A reply that is one of these alone opts its number back in"},
    {"confirmation", plugin::KeyType::String, false, nullptr,
     "Text answered to an opt-out; unset: no answer"},
    {"reverse_confirmation", plugin::KeyType::String, false, nullptr,
     "Text answered to an opt-in; unset: no answer"},
    {"notifier", plugin::KeyType::String, false, nullptr,
     "[[notifier]] that sends the confirmations; default: the one the reply came through"},
    {"sync_provider", plugin::KeyType::Boolean, false, "true",
     "Subscribe the number to optouts:sms at the provider on a reply's opt-out (and remove it "
     "on opt-in when mobisync added it)"},
    {"import_via", plugin::KeyType::String, false, nullptr,
     "[[notifier]] (plugin http) whose json_base_url and api_key read the provider's opt-out "
     "list (GET /addressbook/optout); unset: the list is not imported"},
    {"import_schedule", plugin::KeyType::String, false, nullptr,
     "When `mobisync run` imports the provider's opt-out list (cron or @every N{s,m,h}); it is "
     "also imported before each notification run and by `mobisync optouts import`"},
    {"import_from", plugin::KeyType::String, false, "2000-01-01",
     "First day (YYYY-MM-DD) the first import of the provider's opt-out list reads from"},
};

inline constexpr plugin::ConfigKey kOptoutLanguageKeys[] = {
    {"keywords", plugin::KeyType::StringList, false, nullptr,
     "Opt-out keywords of this language, e.g. [\"BAJA\", \"ALTO\"]"},
    {"reverse_keywords", plugin::KeyType::StringList, false, nullptr,
     "Opt-in keywords of this language, e.g. [\"ALTA\"]"},
    {"confirmation", plugin::KeyType::String, false, nullptr,
     "Answer to an opt-out by one of this language's keywords; default: [messaging.optouts]'s"},
    {"reverse_confirmation", plugin::KeyType::String, false, nullptr,
     "Answer to an opt-in by one of this language's keywords; default: [messaging.optouts]'s"},
};

}  // namespace mobisync::config
