// SPDX-License-Identifier: Apache-2.0
// Applier tests' shared pieces against the real simulator: settings, calls, collectors, logs.
#pragma once

#include <doctest/doctest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "remote/applier.hpp"
#include "remote/proxy_protocol.hpp"
#include "support/simulator_process.hpp"

namespace mobisync::remote {
namespace applier_fixture {

using test::SimulatorOptions;
using test::SimulatorProcess;

constexpr const char* kPassword = "Sim-S3cret&word";

inline SimulatorOptions simOptions() {
  SimulatorOptions o;
  o.username = "acme";
  o.password = kPassword;
  return o;
}

inline config::ProviderSettings settingsFor(const SimulatorProcess& sim) {
  config::ProviderSettings s;
  s.base_url = sim.baseUrl();
  s.username = "acme";
  s.password = kPassword;
  s.concurrency = 8;
  s.max_attempts = 10;
  s.timeout = std::chrono::milliseconds(5000);
  s.backoff_initial = std::chrono::milliseconds(1);
  s.backoff_max = std::chrono::milliseconds(10);
  return s;
}

inline std::string msisdnOf(std::size_t i, const std::string& prefix = "4477") {
  std::string digits = std::to_string(i);
  return prefix + std::string(8 - digits.size(), '0') + digits;
}

inline std::vector<ProviderCall> calls(
    std::size_t n, ProviderCall::Kind kind,
    std::vector<std::string> apps = {"contacts:42", "optouts:sms"},
    const std::string& prefix = "4477") {
  std::vector<ProviderCall> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].kind = kind;
    out[i].msisdn = msisdnOf(i, prefix);
    out[i].applications = apps;
    if (kind == ProviderCall::Kind::Create) {
      out[i].name = "Zoë O'Brien & Co " + std::to_string(i);
      out[i].reference = "ref " + std::to_string(i) + "/x?y";
    }
  }
  return out;
}

// Everything on_batch was given, by call index.
struct Collector {
  std::map<std::size_t, CallResult> results;
  std::size_t batches = 0;
  Applier::BatchFn fn() {
    return [this](const std::vector<Completed>& batch) {
      ++batches;
      for (const auto& c : batch) {
        CHECK(results.emplace(c.index, c.result).second);  // reported once
      }
    };
  }
};

// Requests in the simulator's log, per msisdn.
inline std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> requestsByMsisdn(
    SimulatorProcess& sim) {
  std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> out;
  const Poco::JSON::Array::Ptr log = sim.requests();
  for (std::size_t i = 0; i < log->size(); ++i) {
    const Poco::JSON::Object::Ptr r = log->getObject(static_cast<unsigned>(i));
    out[r->getValue<std::string>("msisdn")].push_back(r);
  }
  return out;
}

inline std::size_t countStatus(SimulatorProcess& sim, int status) {
  std::size_t n = 0;
  const Poco::JSON::Array::Ptr log = sim.requests();
  for (std::size_t i = 0; i < log->size(); ++i) {
    if (log->getObject(static_cast<unsigned>(i))->getValue<int>("status") == status) {
      ++n;
    }
  }
  return n;
}

// Captures every log line of "mobisync.remote" at trace level for its lifetime.
class LogCapture {
 public:
  LogCapture() : logger_(Poco::Logger::get("mobisync.remote")) {
    old_channel_ = Poco::AutoPtr<Poco::Channel>(logger_.getChannel(), true);
    old_level_ = logger_.getLevel();
    channel_ = new Channel;
    logger_.setChannel(channel_);
    logger_.setLevel(Poco::Message::PRIO_TRACE);
  }
  ~LogCapture() {
    logger_.setChannel(old_channel_);
    logger_.setLevel(old_level_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() { return channel_->text(); }

 private:
  class Channel final : public Poco::Channel {
   public:
    void log(const Poco::Message& msg) override {
      std::lock_guard lock(mutex_);
      text_ += msg.getText();
      text_ += '\n';
    }
    std::string text() {
      std::lock_guard lock(mutex_);
      return text_;
    }

   private:
    std::mutex mutex_;
    std::string text_;
  };

  Poco::Logger& logger_;
  Poco::AutoPtr<Poco::Channel> old_channel_;
  int old_level_ = 0;
  Poco::AutoPtr<Channel> channel_;
};

}  // namespace applier_fixture

}  // namespace mobisync::remote
