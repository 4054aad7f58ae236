// SPDX-License-Identifier: Apache-2.0
// `send`, `hlr` and `state messages`: the commands that talk to notifiers directly.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>

#include "app/cli_options.hpp"
#include "mobisync/result.hpp"
#include "config/app_config.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "state/state_store.hpp"

namespace mobisync::app {

/// A command's own refusal: the message for stderr and the exit code.
class NotifyCommandError : public std::runtime_error {
 public:
  NotifyCommandError(int code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// "+447930000001", "447930000001" or "00447930000001" to E.164 digits; numbers are
/// international here, since a command line has no job region to read them with.
Result<std::string> internationalNumber(const std::string& raw);

/// `send --via NAME --to N[,N...] (--text T | --text-file F) [--originator O]`: one line per
/// recipient with parts, encoding and the provider's message id or the error. Each message is
/// recorded in the state's message log. Returns the exit code; throws NotifyCommandError on bad
/// usage before anything is sent.
int sendMessages(const CliOptions& o, const config::AppConfig& cfg,
                 plugin_host::PluginLoader& loader, state::StateStore& store, std::ostream& out);

/// `hlr [--via NAME] [--format json] NUMBER...`: looks each number up and prints network, country,
/// ported and status; answers are stored in the lookup memo.
int lookupNumbers(const CliOptions& o, const config::AppConfig& cfg,
                  plugin_host::PluginLoader& loader, state::StateStore& store, std::ostream& out);

/// `state messages [--job J] [--limit N] [--format json]`: the message log, newest first, each
/// message followed by its history (every status change with time and origin).
int listMessages(const CliOptions& o, state::StateStore& store, std::ostream& out);

}  // namespace mobisync::app
