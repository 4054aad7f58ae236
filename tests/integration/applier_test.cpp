// SPDX-License-Identifier: Apache-2.0
// The Applier against the real mobivate-sim process: state, faults, retries, stops and secrets.
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
namespace {

using test::SimulatorOptions;
using test::SimulatorProcess;

constexpr const char* kPassword = "Sim-S3cret&word";

SimulatorOptions simOptions() {
  SimulatorOptions o;
  o.username = "acme";
  o.password = kPassword;
  return o;
}

config::ProviderSettings settingsFor(const SimulatorProcess& sim) {
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

std::string msisdnOf(std::size_t i, const std::string& prefix = "4477") {
  std::string digits = std::to_string(i);
  return prefix + std::string(8 - digits.size(), '0') + digits;
}

std::vector<ProviderCall> calls(std::size_t n, ProviderCall::Kind kind,
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
std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> requestsByMsisdn(
    SimulatorProcess& sim) {
  std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> out;
  const Poco::JSON::Array::Ptr log = sim.requests();
  for (std::size_t i = 0; i < log->size(); ++i) {
    const Poco::JSON::Object::Ptr r = log->getObject(static_cast<unsigned>(i));
    out[r->getValue<std::string>("msisdn")].push_back(r);
  }
  return out;
}

std::size_t countStatus(SimulatorProcess& sim, int status) {
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

}  // namespace

TEST_SUITE("integration.applier") {
  TEST_CASE("200 creates then 100 removes leave the simulator with what was asked") {
    SimulatorProcess sim(simOptions());
    Applier applier(settingsFor(sim));

    Collector created;
    const auto create_calls = calls(200, ProviderCall::Kind::Create);
    const ApplyStats c = applier.run(create_calls, created.fn());
    CHECK(c.succeeded == 200);
    CHECK(c.rejected == 0);
    CHECK(c.unavailable == 0);
    CHECK(c.retries == 0);
    CHECK(c.connections == 8);  // keep-alive: one connection per worker for 200 calls
    REQUIRE(created.results.size() == 200);
    for (const auto& [index, r] : created.results) {
      CHECK(r.status.isOk());
      REQUIRE(r.tokens.size() == 2);
      CHECK(r.tokens[0].ok);
      CHECK(r.tokens[1].ok);
    }

    auto subs = sim.subscriptions();
    REQUIRE(subs.size() == 200);
    for (std::size_t i = 0; i < 200; ++i) {
      CHECK(subs[msisdnOf(i)] == std::set<std::string>{"contacts:42", "optouts:sms"});
    }
    // Names and references survive the URL encoding byte for byte.
    const Poco::JSON::Array::Ptr contacts = sim.contacts();
    std::map<std::string, std::pair<std::string, std::string>> details;
    for (std::size_t i = 0; i < contacts->size(); ++i) {
      const auto o = contacts->getObject(static_cast<unsigned>(i));
      details[o->getValue<std::string>("msisdn")] = {o->getValue<std::string>("name"),
                                                     o->getValue<std::string>("reference")};
    }
    CHECK(details[msisdnOf(7)].first == "Zoë O'Brien & Co 7");
    CHECK(details[msisdnOf(7)].second == "ref 7/x?y");

    std::vector<ProviderCall> removals = calls(100, ProviderCall::Kind::Remove);
    Collector removed;
    const ApplyStats r = applier.run(removals, removed.fn());
    CHECK(r.succeeded == 100);
    subs = sim.subscriptions();
    CHECK(subs.size() == 100);
    CHECK(subs.count(msisdnOf(0)) == 0);
    CHECK(subs.count(msisdnOf(99)) == 0);
    CHECK(subs.count(msisdnOf(100)) == 1);
    CHECK(subs.count(msisdnOf(199)) == 1);
  }

  TEST_CASE("a token the provider does not know fails alone") {
    SimulatorProcess sim(simOptions());
    Applier applier(settingsFor(sim));
    Collector got;
    const ApplyStats stats =
        applier.run(calls(5, ProviderCall::Kind::Create, {"contacts:42", "contacts:abc"}),
                    got.fn());
    CHECK(stats.succeeded == 5);
    for (const auto& [index, r] : got.results) {
      CHECK(r.status.isOk());
      REQUIRE(r.tokens.size() == 2);
      CHECK(r.tokens[0].application == "contacts:42");
      CHECK(r.tokens[0].ok);
      CHECK(r.tokens[1].application == "contacts:abc");
      CHECK_FALSE(r.tokens[1].ok);
      CHECK(r.tokens[1].detail == "invalid application");
    }
    CHECK(sim.subscriptions()[msisdnOf(3)] == std::set<std::string>{"contacts:42"});
  }

  TEST_CASE("with 30% server errors every call still succeeds and the retries are counted") {
    SimulatorOptions o = simOptions();
    o.error_rate = 0.3;
    o.seed = 7;
    SimulatorProcess sim(o);
    Applier applier(settingsFor(sim));
    Collector got;
    const ApplyStats stats = applier.run(calls(150, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.succeeded == 150);
    CHECK(stats.unavailable == 0);
    const std::size_t errors = countStatus(sim, 500);
    CHECK(errors > 10);  // the faults really happened
    CHECK(stats.retries == errors);
    CHECK(sim.requests()->size() == 150 + errors);
    CHECK(sim.subscriptions().size() == 150);
    std::size_t attempts = 0;
    for (const auto& [index, r] : got.results) {
      attempts += static_cast<std::size_t>(r.attempts);
    }
    CHECK(attempts == 150 + errors);
  }

  TEST_CASE("a 429 is retried no sooner than its Retry-After") {
    SimulatorOptions o = simOptions();
    o.rate_429 = 0.3;
    o.seed = 3;
    o.extra_args = {"--retry-after", "1"};
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 1;  // one worker: every Retry-After wait adds to the run's duration
    s.backoff_max = std::chrono::milliseconds(2000);  // above the 1 s the server asks for
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(6, ProviderCall::Kind::Create), got.fn());
    const auto elapsed = std::chrono::steady_clock::now() - started;

    const std::size_t throttled = countStatus(sim, 429);
    REQUIRE(throttled >= 1);  // fixed by the seed
    CHECK(stats.succeeded == 6);
    CHECK(stats.retries == throttled);
    // A lower bound only, so it cannot flake: without Retry-After the backoff would be <= 1 ms.
    CHECK(elapsed >= std::chrono::seconds(1) * static_cast<long>(throttled));
    for (const auto& [msisdn, reqs] : requestsByMsisdn(sim)) {
      CHECK(reqs.back()->getValue<int>("status") == 200);
    }
  }

  TEST_CASE("rejected numbers are dropped after exactly one request each") {
    SimulatorOptions o = simOptions();
    o.extra_args = {"--reject-msisdn", "4490"};
    SimulatorProcess sim(o);
    Applier applier(settingsFor(sim));
    std::vector<ProviderCall> all = calls(10, ProviderCall::Kind::Create);
    for (auto& c : calls(10, ProviderCall::Kind::Create, {"contacts:42"}, "4490")) {
      all.push_back(c);
    }
    Collector got;
    const ApplyStats stats = applier.run(all, got.fn());
    CHECK(stats.succeeded == 10);
    CHECK(stats.rejected == 10);
    CHECK(stats.retries == 0);
    for (std::size_t i = 10; i < 20; ++i) {
      const CallResult& r = got.results.at(i);
      CHECK(r.status.code() == Errc::Rejected);
      CHECK(r.attempts == 1);
      CHECK(r.http_status == 400);
      CHECK(r.status.message().find("msisdn rejected") != std::string::npos);
    }
    const auto by_msisdn = requestsByMsisdn(sim);
    for (std::size_t i = 0; i < 10; ++i) {
      REQUIRE(by_msisdn.count(msisdnOf(i, "4490")) == 1);
      CHECK(by_msisdn.at(msisdnOf(i, "4490")).size() == 1);
    }
  }

  TEST_CASE("a wrong password stops the run early with an auth failure") {
    SimulatorProcess sim(simOptions());
    config::ProviderSettings s = settingsFor(sim);
    s.password = "not-the-password";
    s.concurrency = 4;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(500, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.auth_failed);
    CHECK(got.results.size() == 500);
    const std::size_t sent = sim.requests()->size();
    CHECK(sent >= 1);
    CHECK(sent <= 4);  // at most the calls in flight when the first 401 came back
    // A 401 is about the account, not a number: no call counts as refused.
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 500);
    CHECK(stats.not_made == 500 - sent);
    CHECK(stats.retries == 0);
    for (const auto& [index, r] : got.results) {
      CHECK(r.status.code() == Errc::Unavailable);
      if (r.attempts > 0) {
        CHECK(r.status.message() == kAuthFailedMessage);
        CHECK(r.http_status == 401);
      } else {
        CHECK(r.status.message() == "not sent: the provider refused the credentials");
      }
    }
    CHECK(sim.subscriptions().empty());
  }

  TEST_CASE("eight workers have eight requests in flight at once") {
    SimulatorOptions o = simOptions();
    o.latency_ms = 50;
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 8;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(32, ProviderCall::Kind::Create), got.fn());
    CHECK(stats.succeeded == 32);
    CHECK(stats.peak_in_flight == 8);
    CHECK(stats.connections == 8);
    CHECK(sim.requests()->size() == 32);
  }

  TEST_CASE("a stop lets the calls in flight finish and reports the rest as stopped") {
    SimulatorOptions o = simOptions();
    o.latency_ms = 20;
    SimulatorProcess sim(o);
    config::ProviderSettings s = settingsFor(sim);
    s.concurrency = 4;
    Applier applier(s);
    std::atomic<bool> stop{false};
    Collector got;
    const auto collect = got.fn();
    const ApplyStats stats = applier.run(
        calls(400, ProviderCall::Kind::Create),
        [&](const std::vector<Completed>& batch) {
          collect(batch);
          if (got.results.size() >= 8) {
            stop = true;
          }
        },
        &stop);
    CHECK(got.results.size() == 400);
    CHECK(stats.succeeded >= 8);
    CHECK(stats.succeeded < 400);
    CHECK(stats.succeeded + stats.unavailable == 400);
    // Every request the simulator saw was completed and reported as a success: nothing was
    // abandoned half-way.
    CHECK(sim.requests()->size() == stats.succeeded);
    CHECK(sim.subscriptions().size() == stats.succeeded);
    for (const auto& [index, r] : got.results) {
      if (!r.status.isOk()) {
        CHECK(r.status.message() == "stopped");
        CHECK(r.attempts == 0);
      }
    }
  }

  TEST_CASE("the password appears in no log line and no result") {
    SimulatorOptions o = simOptions();
    o.error_rate = 0.5;
    o.rate_429 = 0.2;
    o.extra_args = {"--retry-after", "0", "--reject-msisdn", "4490"};
    SimulatorProcess sim(o);
    LogCapture capture;
    std::vector<std::string> messages;
    const auto collect = [&](const std::vector<Completed>& batch) {
      for (const auto& c : batch) {
        messages.push_back(c.result.status.message());
        for (const auto& t : c.result.tokens) {
          messages.push_back(t.detail);
        }
      }
    };

    config::ProviderSettings s = settingsFor(sim);
    s.max_attempts = 3;
    Applier(s).run(calls(40, ProviderCall::Kind::Create), collect);
    Applier(s).run(calls(5, ProviderCall::Kind::Create, {"contacts:42"}, "4490"), collect);
    s.password = "Wrong-" + std::string(kPassword);
    Applier(s).run(calls(5, ProviderCall::Kind::Create), collect);

    const std::string text = capture.text();
    CHECK(text.find("retry 2/3") != std::string::npos);  // retries were logged, with URLs
    CHECK(text.find("password=***") != std::string::npos);
    CHECK(text.find("username=acme") != std::string::npos);
    CHECK(text.find(kPassword) == std::string::npos);
    CHECK(text.find("Sim-S3cret") == std::string::npos);
    CHECK(text.find("Sim-S3cret%26word") == std::string::npos);
    for (const auto& m : messages) {
      CHECK(m.find("Sim-S3cret") == std::string::npos);
    }
  }
}

}  // namespace mobisync::remote
