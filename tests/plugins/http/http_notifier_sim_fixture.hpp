// SPDX-License-Identifier: Apache-2.0
// HttpNotifier against the real simulator: the recording instance and the configs its tests share.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http_notifier.hpp"
#include "mobisync/sms/encoding.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificate.hpp"

using mobisync::Errc;
using mobisync::Status;
using mobisync::plugin::BatchOptions;
using mobisync::plugin::ConfigValues;
using mobisync::plugin::Delivery;
using mobisync::plugin::Message;
using mobisync::plugin::NumberStatus;
using mobisync::plugins::http::HttpNotifier;
using mobisync::test::SimMessage;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using mobisync::test::TempDir;
using Outcome = Delivery::Outcome;

namespace http_sim_fixture {

/// Keeps every log line so tests can check that no secret reached the log.
class RecordingChannel final : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(message.getText());
  }
  std::string all() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// One notifier instance with its config and a recording logger, as the host would set it up.
struct Instance {
  explicit Instance(ConfigValues values, const std::string& name = "sms")
      : config(std::move(values)),
        channel(new RecordingChannel),
        logger(Poco::Logger::get("mobisync.plugin.http." + name)) {
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_TRACE);
    notifier = std::make_unique<HttpNotifier>();
    init_status = notifier->init({name, config, logger});
  }
  ~Instance() {
    notifier->shutdown();
    logger.setChannel(nullptr);
  }
  HttpNotifier& operator*() {
    REQUIRE_MESSAGE(init_status.isOk(), init_status.message());
    return *notifier;
  }

  ConfigValues config;
  Poco::AutoPtr<RecordingChannel> channel;
  Poco::Logger& logger;
  std::unique_ptr<HttpNotifier> notifier;
  Status init_status;
};

inline ConfigValues jsonConfig(SimulatorProcess& sim) {
  ConfigValues c;
  c.set("json_base_url", sim.baseUrl(), "notify.toml:3:1");
  c.set("api_key", sim.apiKey(), "notify.toml:4:1");
  c.set("route_id", std::string("route-7"), "notify.toml:5:1");
  c.set("originator", std::string("MobiSync"), "notify.toml:6:1");
  c.set("timeout_ms", std::int64_t{20000}, "notify.toml:7:1");
  return c;
}

inline ConfigValues simpleConfig(SimulatorProcess& sim, const std::string& method) {
  ConfigValues c;
  c.set("api", std::string("simple"), "notify.toml:2:1");
  c.set("simple_url", sim.baseUrl() + "/gateway/api/simple/MT", "notify.toml:3:1");
  c.set("simple_method", method, "notify.toml:4:1");
  c.set("username", std::string("demo"), "notify.toml:5:1");
  c.set("password", std::string("demo-secret"), "notify.toml:6:1");
  c.set("route_id", std::string("route-7"), "notify.toml:7:1");
  c.set("originator", std::string("447930000000"), "notify.toml:8:1");
  return c;
}

inline Message message(const std::string& to, const std::string& text,
                       const std::string& reference = "") {
  return Message{to, text, "", reference};
}

// Slack over a call's deadline for the watchdog to wake and the answer to be classified, on a
// machine shared with other builds.
constexpr auto kSlack = std::chrono::milliseconds(2000);

inline Delivery sent(HttpNotifier& n, const Message& m) {
  auto d = n.send(m);
  REQUIRE_MESSAGE(d.has_value(), (d ? std::string() : d.error().message()));
  return *d;
}

}  // namespace http_sim_fixture
