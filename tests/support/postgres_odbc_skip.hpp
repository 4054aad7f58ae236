// SPDX-License-Identifier: Apache-2.0
// The skip rule of every test that reads PostgreSQL through psqlODBC (the odbc plugin's tests and
// the integration and reliability workspaces built on it).
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "support/postgres_process.hpp"
#include "support/missing_peer.hpp"

namespace mobisync::test {

/// True (with a message) when PostgreSQL or psqlODBC is missing; under CI=true that fails.
inline bool skipWithoutPostgres() {
  std::string why = PostgresProcess::unavailableReason();
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
  return skipForMissingPeer(why);
}

}  // namespace mobisync::test
