// SPDX-License-Identifier: Apache-2.0
// Which commands read secrets: the others load the config without them, so an unset variable
// does not stop `plugins list`, `state show` or a plain `check`.
#pragma once

#include <string>

#include "app/cli_options.hpp"
#include "config/app_config.hpp"

namespace mobisync::app {

/// False for the commands that talk to no provider, notifier or password-protected state:
/// `check` (but `check --connect` signs in everywhere), `plugins`, `state` (whose PostgreSQL
/// password is asked for by requireSecret when the state is opened).
bool commandUsesSecrets(const CliOptions& o);

/// Throws CommandError (exit 78) when a secret under `key` ("state.password") was left unread,
/// with the reason it could not be read.
void requireSecret(const config::AppConfig& cfg, const std::string& key);

}  // namespace mobisync::app
