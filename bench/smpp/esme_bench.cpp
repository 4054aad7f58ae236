// SPDX-License-Identifier: Apache-2.0
// The smpp plugin's ESME as a benchmark driver: sends N single-part GSM-7 messages through
// sendBatch (every message queued at once, so each bind keeps its window full) and prints one
// JSON line with the count, the seconds and the rate. The binds are opened by one message sent
// before the clock starts, as the node client is timed from its bind_resp.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <Poco/Logger.h>

#include "smpp_notifier.hpp"

using namespace mobisync;
using mobisync::plugins::smpp::SmppNotifier;

namespace {

int usage(const std::string& why) {
  std::cerr << "esme_bench: " << why << "\n"
            << "usage: esme_bench --port N --count N [--host H] [--system-id S] [--password-env VAR]\n"
               "                  [--binds N] [--window N] [--rate N]\n";
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args{{"--host", "127.0.0.1"}, {"--system-id", "demo"},
                                          {"--password-env", "BENCH_SMPP_PASSWORD"},
                                          {"--binds", "1"}, {"--window", "10"},
                                          {"--rate", "100000"}, {"--count", "20000"}};
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (!args.contains(flag) && flag != "--port") return usage("unknown option " + flag);
    if (i + 1 >= argc) return usage(flag + " needs a value");
    args[flag] = argv[i + 1];
  }
  if (!args.contains("--port")) return usage("--port is required");
  const char* password = std::getenv(args["--password-env"].c_str());
  if (password == nullptr) return usage(args["--password-env"] + " is not set");
  const long count = std::stol(args["--count"]);

  Poco::Logger::root().setLevel("warning");
  plugin::ConfigValues config;
  config.set("host", args["--host"], "");
  config.set("port", std::int64_t{std::stoi(args["--port"])}, "");
  config.set("system_id", args["--system-id"], "");
  config.set("password", std::string(password), "");
  config.set("originator", std::string("MobiSync"), "");
  config.set("binds", std::int64_t{std::stoi(args["--binds"])}, "");
  config.set("window", std::int64_t{std::stoi(args["--window"])}, "");
  config.set("rate", std::int64_t{std::stoi(args["--rate"])}, "");
  config.set("registered_delivery", false, "");
  plugin::Context context{"bench", config, Poco::Logger::get("bench.smpp")};
  SmppNotifier notifier;
  if (Status s = notifier.init(context); !s.isOk()) {
    std::cerr << "esme_bench: " << s.message() << "\n";
    return 1;
  }

  auto warm = notifier.send(plugin::Message{"447930999999", "warm-up", "", "warm"});
  if (!warm || warm->outcome != plugin::Delivery::Outcome::Ok) {
    std::cerr << "esme_bench: the warm-up message failed: "
              << (warm ? warm->detail : warm.error().message()) << "\n";
    return 1;
  }
  std::vector<plugin::Message> messages;
  messages.reserve(static_cast<std::size_t>(count));
  for (long i = 0; i < count; ++i) {
    messages.push_back(plugin::Message{std::to_string(447930000000 + i),
                                       "Benchmark message " + std::to_string(i) + " from MobiSync",
                                       "", "b" + std::to_string(i)});
  }
  const auto start = std::chrono::steady_clock::now();
  auto deliveries = notifier.sendBatch(messages, plugin::BatchOptions{"bench"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  notifier.shutdown();
  if (!deliveries) {
    std::cerr << "esme_bench: " << deliveries.error().message() << "\n";
    return 1;
  }
  long ok = 0;
  for (const auto& d : *deliveries) ok += d.outcome == plugin::Delivery::Outcome::Ok ? 1 : 0;
  std::cout << "{\"sent\": " << count << ", \"ok\": " << ok << ", \"seconds\": " << seconds
            << ", \"per_second\": " << static_cast<double>(ok) / seconds << "}\n";
  return ok == count ? 0 : 1;
}
