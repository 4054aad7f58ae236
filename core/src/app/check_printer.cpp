// SPDX-License-Identifier: Apache-2.0
// How `check --connect` prints its verdicts: aligned lines, or one JSON document.
#include <algorithm>
#include <iomanip>

#include "app/check_connect.hpp"
#include "app/json_text.hpp"

namespace mobisync::app {

namespace {

void printTable(std::ostream& out, const std::vector<EndpointCheck>& checks) {
  std::size_t table_width = 0;
  std::size_t endpoint_width = 0;
  for (const auto& c : checks) {
    table_width = std::max(table_width, c.table.size());
    endpoint_width = std::max(endpoint_width, c.endpoint.size());
  }
  for (const auto& c : checks) {
    out << std::left << std::setw(13) << verdictName(c.verdict)
        << std::setw(static_cast<int>(table_width + 2)) << c.table
        << std::setw(static_cast<int>(endpoint_width + 2)) << c.endpoint << std::right
        << std::setw(6) << c.latency_ms << " ms  " << c.detail << "\n";
  }
}

void printJson(std::ostream& out, const std::vector<EndpointCheck>& checks) {
  out << "{\"endpoints\": [";
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& c = checks[i];
    out << (i == 0 ? "\n  " : ",\n  ") << "{\"table\": " << jsonQuote(c.table)
        << ", \"endpoint\": " << jsonQuote(c.endpoint)
        << ", \"verdict\": " << jsonQuote(verdictName(c.verdict))
        << ", \"latency_ms\": " << c.latency_ms << ", \"detail\": " << jsonQuote(c.detail) << "}";
  }
  out << "\n], \"exit_code\": " << checkExitCode(checks) << "}\n";
}

}  // namespace

void printChecks(std::ostream& out, const std::vector<EndpointCheck>& checks,
                 const std::string& format) {
  if (format == "json") {
    printJson(out, checks);
  } else {
    printTable(out, checks);
  }
  out.flush();
}

}  // namespace mobisync::app
