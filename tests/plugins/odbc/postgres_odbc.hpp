// SPDX-License-Identifier: Apache-2.0
// What the odbc plugin's PostgreSQL tests share: the skip rule (support/postgres_odbc_skip.hpp)
// and one fetch through the kit.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "mobisync/plugin/testing.hpp"
#include "odbc_source.hpp"
#include "support/postgres_odbc_skip.hpp"
#include "support/postgres_process.hpp"

namespace mobisync::plugins::odbc::testing {

using test::skipWithoutPostgres;

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
