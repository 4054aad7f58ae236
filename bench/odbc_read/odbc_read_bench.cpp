// SPDX-License-Identifier: Apache-2.0
// The odbc plugin's read alone, as a benchmark driver: runs one fetch() of a query into a sink
// that counts the contacts and drops them, and prints one JSON line with the counts and the
// seconds from connecting to the last row. bench/odbc sets it beside psql's \copy and the whole
// `mobisync plan`, so the source's share of the plan can be told from the engine's.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include <Poco/Logger.h>

#include "mobisync/plugin/testing.hpp"
#include "odbc_source.hpp"

using namespace mobisync;
using mobisync::plugins::odbc::OdbcSource;

namespace {

int usage(const std::string& why) {
  std::cerr << "odbc_read_bench: " << why << "\n"
            << "usage: odbc_read_bench --connection-string S --query Q [--batch N]\n"
               "                       [--password-env VAR]\n";
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{{"--batch", "1000"},
                                          {"--password-env", "BENCH_DB_PASSWORD"}};
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (!args.contains(flag) && flag != "--connection-string" && flag != "--query") {
      return usage("unknown option " + flag);
    }
    if (i + 1 >= argc) return usage(flag + " needs a value");
    args[flag] = argv[i + 1];
  }
  if (!args.contains("--connection-string") || !args.contains("--query")) {
    return usage("--connection-string and --query are required");
  }
  Poco::Logger::root().setLevel("warning");
  plugin::testing::ConfigBuilder config;
  config.set("connection_string", args["--connection-string"]);
  config.set("query", args["--query"]);
  config.set("batch_size", std::int64_t{std::stoll(args["--batch"])});
  if (const char* password = std::getenv(args["--password-env"].c_str())) {
    config.set("password", std::string(password));
  }
  // A plain logger, not the kit's capturing one: warnings reach stderr and nothing below them is
  // formatted during the timed read.
  const plugin::Context context{"bench", config, Poco::Logger::get("bench.odbc")};
  OdbcSource source;
  if (Status s = source.init(context); !s) {
    std::cerr << "odbc_read_bench: " << s.message() << "\n";
    return 1;
  }
  // Counts what the source yields and keeps nothing, so the figure is the source's own work.
  plugin::testing::RecordingSink sink;
  sink.keep_contacts = false;
  std::uint64_t bytes = 0;
  sink.on_accept = [&bytes](const Contact& contact) {
    bytes += contact.msisdn.size() + contact.name.size() + contact.reference.size();
    return Status::ok();
  };
  const auto start = std::chrono::steady_clock::now();
  const Status s = source.fetch(sink);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  source.shutdown();
  if (!s) {
    std::cerr << "odbc_read_bench: " << s.message() << "\n";
    return 1;
  }
  std::cout << "{\"contacts\": " << sink.accepted << ", \"rejects\": " << sink.rejects.size()
            << ", \"bytes\": " << bytes << ", \"seconds\": " << took.count() << "}\n";
  return 0;
}
