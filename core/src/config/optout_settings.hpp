// SPDX-License-Identifier: Apache-2.0
// OptoutSettings: `[messaging.optouts]`: which replies opt a number out or back in, per language,
// what is answered, and how the provider's opt-out list is imported.
#pragma once

#include <string>
#include <vector>

namespace mobisync::config {

/// The keywords and confirmations of one language. The `[messaging.optouts]` table itself is the
/// language named "default"; `[messaging.optouts.languages.<code>]` adds others. A reply is
/// matched against every language; the first that knows the keyword answers in its own words.
struct OptoutLanguage {
  std::string code = "default";
  std::vector<std::string> keywords{"STOP", "STOPALL", "UNSUBSCRIBE", "END", "CANCEL", "QUIT"};
  std::vector<std::string> reverse_keywords{"START", "UNSTOP"};
  std::string confirmation;          ///< answered on opt-out; empty: no answer
  std::string reverse_confirmation;  ///< answered on opt-in; empty: no answer
  std::string origin;                ///< "file:line:col" of the table, for messages
};

struct OptoutSettings {
  bool enabled = true;  ///< false: replies are stored, never acted on
  std::vector<OptoutLanguage> languages{OptoutLanguage{}};
  /// The [[notifier]] that sends confirmations; empty: the one the reply came through.
  std::string notifier;
  /// Subscribe `optouts:sms` at the provider for a reply's opt-out (and remove it on START).
  bool sync_provider = true;
  /// The [[notifier]] (plugin http) whose JSON API base URL and key read the provider's opt-out
  /// list; empty: not imported.
  std::string import_via;
  /// Cron expression for importing the provider's opt-out list in the daemon; empty: only
  /// before each notification run and by `mobisync optouts import`.
  std::string import_schedule;
  std::string import_timezone;
  /// The first day (YYYY-MM-DD) the first import reads from.
  std::string import_from = "2000-01-01";
};

}  // namespace mobisync::config
