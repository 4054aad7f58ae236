// SPDX-License-Identifier: Apache-2.0
// Node SMSC interop tests' shared pieces: an ESME pointed at the SMSC and readers of its records.
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Logger.h>
#include <doctest/doctest.h>

#include "smpp_notifier.hpp"
#include "support/node_smsc.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

using namespace mobisync;
using namespace mobisync::plugins::smpp;
using mobisync::test::NodeSmsc;
using mobisync::test::NodeSmscOptions;
using Records = std::vector<Poco::JSON::Object::Ptr>;

namespace node_smsc_fixture {

// A configured, initialised notifier pointed at the node SMSC.
class Esme {
 public:
  Esme(int port, const std::map<std::string, plugin::ConfigValue>& extra = {}) {
    config_.set("host", std::string("127.0.0.1"), "");
    config_.set("port", std::int64_t{port}, "");
    config_.set("system_id", std::string("demo"), "");
    config_.set("password", std::string("secret"), "");
    config_.set("route_id", std::string("route-7"), "");
    config_.set("originator", std::string("Mobisync"), "");
    config_.set("reconnect_min_ms", std::int64_t{50}, "");
    config_.set("reconnect_max_ms", std::int64_t{200}, "");
    config_.set("timeout_ms", std::int64_t{3000}, "");
    for (const auto& [key, value] : extra) config_.set(key, value, "");
    Status s = notifier.init(context_);
    REQUIRE_MESSAGE(s.isOk(), s.message());
  }
  ~Esme() { notifier.shutdown(); }

  plugin::Delivery send(const std::string& text, const std::string& to = "447930000001") {
    auto d = notifier.send(plugin::Message{to, text, "", "ref"});
    REQUIRE_MESSAGE(d, d.error().message());
    return *d;
  }

  SmppNotifier notifier;

 private:
  plugin::ConfigValues config_;
  plugin::Context context_{"test", config_, Poco::Logger::get("test.smpp")};
};

inline std::string str(const Poco::JSON::Object::Ptr& r, const char* key) {
  return r->optValue<std::string>(key, "");
}
inline int num(const Poco::JSON::Object::Ptr& r, const char* key) {
  return r->optValue<int>(key, -1);
}

// Waits (up to 10 s) until `ready` holds for the SMSC's records; the records then.
template <class Pred>
inline Records waitFor(const NodeSmsc& smsc, Pred ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    Records all = smsc.records();
    if (ready(all) || std::chrono::steady_clock::now() > deadline) return all;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline Records only(const Records& all, const std::string& event,
                    const std::string& command = "") {
  Records out;
  for (const auto& r : all) {
    if (str(r, "event") == event && (command.empty() || str(r, "command") == command)) out.push_back(r);
  }
  return out;
}

inline std::vector<plugin::Receipt> waitReceipts(SmppNotifier& n, std::size_t count) {
  std::vector<plugin::Receipt> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : n.takeReceipts()) got.push_back(std::move(r));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return got;
}

inline std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kRouteHex = "726f7574652d37";  // "route-7"

}  // namespace node_smsc_fixture
