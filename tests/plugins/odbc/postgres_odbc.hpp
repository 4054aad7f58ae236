// SPDX-License-Identifier: Apache-2.0
// What the odbc plugin's PostgreSQL tests share: the skip rule and one fetch through the kit.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mobisync/plugin/testing.hpp"
#include "odbc_source.hpp"
#include "support/postgres_process.hpp"

namespace mobisync::plugins::odbc::testing {

/// True (with a message) when PostgreSQL or psqlODBC is missing; under CI=true that fails.
inline bool skipWithoutPostgres() {
  std::string why = test::PostgresProcess::unavailableReason();
  if (why.empty()) {
    std::ifstream ini("/etc/odbcinst.ini");
    const std::string text((std::istreambuf_iterator<char>(ini)), {});
    if (text.find("[PostgreSQL Unicode]") == std::string::npos) {
      why = "psqlODBC (odbc-postgresql) is not registered in /etc/odbcinst.ini";
    }
  }
  if (why.empty()) {
    return false;
  }
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    FAIL(why);
  }
  MESSAGE("[skipped] " << why);
  return true;
}

/// init, fetch and shutdown of an OdbcSource with `config`; `log` (when given) gets what the
/// source logged.
inline Status run(const plugin::ConfigValues& config, plugin::ContactSink& sink,
                  std::vector<std::string>* log = nullptr) {
  OdbcSource source;
  const plugin::testing::TestContext context(config, "odbc", "postgres-test");
  const Status s = plugin::testing::runSource(source, context, sink);
  if (log != nullptr) {
    *log = context.log().texts();
  }
  return s;
}

}  // namespace mobisync::plugins::odbc::testing
