// SPDX-License-Identifier: Apache-2.0
// Applier::run against an in-process loopback HTTP server: batching, retries, stops, secrets.
#include <doctest/doctest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "remote/applier.hpp"
#include "remote/proxy_protocol.hpp"

namespace mobisync::remote {
namespace {

constexpr const char* kPassword = "correct-horse-battery-staple";

// What the fake provider answers: status, body and extra headers.
struct Answer {
  int status = 200;
  std::string body;
  std::string retry_after;
};

// The query of one request, decoded.
using Query = std::map<std::string, std::string>;
using Script = std::function<Answer(const Query&)>;

class ScriptHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ScriptHandler(const Script& script) : script_(script) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Query q;
    for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
      q[k] = v;
    }
    q["#path"] = Poco::URI(request.getURI()).getPath();
    const Answer a = script_(q);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(a.status));
    if (!a.retry_after.empty()) {
      response.set("Retry-After", a.retry_after);
    }
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(a.body.size()));
    response.send() << a.body;
  }

 private:
  const Script& script_;
};

class ScriptFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ScriptFactory(const Script& script) : script_(script) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new ScriptHandler(script_);
  }

 private:
  const Script& script_;
};

// A multi-threaded keep-alive HTTP server on loopback port 0 answering from a script.
class FakeProvider {
 public:
  explicit FakeProvider(Script script) : script_(std::move(script)), pool_(2, 64) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(64);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new ScriptFactory(script_), pool_, socket,
                                                      params);
    server_->start();
  }
  ~FakeProvider() { server_->stopAll(true); }

  std::string baseUrl() const {
    return "http://127.0.0.1:" + std::to_string(server_->socket().address().port());
  }

 private:
  Script script_;
  Poco::ThreadPool pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

Answer okFor(const Query& q) {
  std::string body = R"({"status":"ok")";
  std::string apps = q.count("applications") ? q.at("applications") : "";
  std::size_t start = 0;
  while (start <= apps.size() && !apps.empty()) {
    const std::size_t comma = apps.find(',', start);
    const std::string token =
        apps.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    body += ",\"" + token + "\":\"ok\"";
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return {200, body + "}", ""};
}

config::ProviderSettings settingsFor(const FakeProvider& p) {
  config::ProviderSettings s;
  s.base_url = p.baseUrl();
  s.username = "acme";
  s.password = kPassword;
  s.concurrency = 4;
  s.max_attempts = 4;
  s.timeout = std::chrono::milliseconds(5000);
  s.backoff_initial = std::chrono::milliseconds(1);
  s.backoff_max = std::chrono::milliseconds(5);
  return s;
}

std::vector<ProviderCall> calls(std::size_t n) {
  std::vector<ProviderCall> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].kind = i % 2 == 0 ? ProviderCall::Kind::Create : ProviderCall::Kind::Remove;
    out[i].msisdn = "614" + std::to_string(10000000 + i);
    out[i].applications = {"contacts:42", "optouts:sms"};
  }
  return out;
}

// Collects everything on_batch is given, and checks it arrives on the calling thread.
struct Collector {
  std::thread::id caller = std::this_thread::get_id();
  std::vector<Completed> all;
  std::size_t batches = 0;
  bool wrong_thread = false;
  Applier::BatchFn fn() {
    return [this](const std::vector<Completed>& batch) {
      wrong_thread = wrong_thread || std::this_thread::get_id() != caller;
      ++batches;
      all.insert(all.end(), batch.begin(), batch.end());
    };
  }
  const CallResult& result(std::size_t index) const {
    for (const auto& c : all) {
      if (c.index == index) {
        return c.result;
      }
    }
    throw std::logic_error("index not reported");
  }
};

// Captures formatted log lines of every level.
class CaptureChannel final : public Poco::Channel {
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

}  // namespace

TEST_SUITE("core.remote") {
  TEST_CASE("every call is reported exactly once in batches on the calling thread") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(300), got.fn());

    CHECK_FALSE(got.wrong_thread);
    REQUIRE(got.all.size() == 300);
    std::set<std::size_t> seen;
    for (const auto& c : got.all) {
      seen.insert(c.index);
      CHECK(c.result.status.isOk());
      CHECK(c.result.attempts == 1);
      REQUIRE(c.result.tokens.size() == 2);
      CHECK(c.result.tokens[0].ok);
      CHECK(c.result.tokens[1].ok);
    }
    CHECK(seen.size() == 300);
    CHECK(stats.succeeded == 300);
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 0);
    CHECK(stats.retries == 0);
    CHECK(got.batches >= 1);
    CHECK(got.batches <= 300);
    CHECK(stats.connections == 4);  // one keep-alive connection per worker
    CHECK(stats.peak_in_flight >= 1);
    CHECK(stats.peak_in_flight <= 4);
  }

  TEST_CASE("no calls means no batches") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run({}, got.fn());
    CHECK(got.batches == 0);
    CHECK(stats.succeeded == 0);
  }

  TEST_CASE("a call that fails twice and then succeeds is retried and counted") {
    std::mutex m;
    std::map<std::string, int> seen;
    FakeProvider provider([&](const Query& q) {
      int n = 0;
      {
        std::lock_guard lock(m);
        n = ++seen[q.at("msisdn")];
      }
      return n <= 2 ? Answer{503, "{}", ""} : okFor(q);
    });
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(20), got.fn());
    CHECK(stats.succeeded == 20);
    CHECK(stats.retries == 40);
    for (const auto& c : got.all) {
      CHECK(c.result.attempts == 3);
      CHECK(c.result.http_status == 200);
    }
  }

  TEST_CASE("retries stop at max_attempts with the last error") {
    FakeProvider provider([](const Query&) { return Answer{503, R"({"message":"down"})", ""}; });
    config::ProviderSettings s = settingsFor(provider);
    s.max_attempts = 3;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(5), got.fn());
    CHECK(stats.unavailable == 5);
    CHECK(stats.retries == 10);
    const CallResult& r = got.result(0);
    CHECK(r.status.code() == Errc::Unavailable);
    CHECK(r.attempts == 3);
    CHECK(r.http_status == 503);
    CHECK(r.status.message().find("gave up after 3 attempts") != std::string::npos);
    CHECK(r.status.message().find("HTTP 503") != std::string::npos);
  }

  TEST_CASE("a rejected call is not retried") {
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query&) {
      ++requests;
      return Answer{400, R"({"message":"Invalid msisdn"})", ""};
    });
    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(6), got.fn());
    CHECK(stats.rejected == 6);
    CHECK(stats.retries == 0);
    CHECK(requests.load() == 6);
    CHECK(got.result(3).status.code() == Errc::Rejected);
    CHECK(got.result(3).status.message().find("Invalid msisdn") != std::string::npos);
  }

  TEST_CASE("refused credentials stop the run after the calls in flight") {
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query&) {
      ++requests;
      return Answer{200, R"({"code":401,"message":"Not Authenticated"})", ""};
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 2;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(200), got.fn());
    CHECK(stats.auth_failed);
    CHECK(got.all.size() == 200);
    CHECK(requests.load() <= 2);  // at most one per worker
    // A 401 is about the account, not the number: no call counts as refused, none is confirmed.
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 200);
    CHECK(stats.not_made == 200 - static_cast<std::size_t>(requests.load()));
    std::size_t not_sent = 0;
    for (const auto& c : got.all) {
      CHECK(c.result.status.code() == Errc::Unavailable);
      if (c.result.attempts == 0) {
        CHECK(c.result.status.message() == "not sent: the provider refused the credentials");
        ++not_sent;
      } else {
        CHECK(c.result.status.message() == kAuthFailedMessage);
      }
    }
    CHECK(not_sent >= 198);
  }

  TEST_CASE("a stop finishes the calls in flight and reports the rest as stopped") {
    // The first request is answered at once; later ones are held until the stop is set, so the
    // calls in flight at the stop are known: at most one per worker.
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0};
    FakeProvider provider([&](const Query& q) {
      if (++requests > 1) {
        while (!stop) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      return okFor(q);
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 2;
    Applier applier(s);
    Collector got;
    const auto collect = got.fn();
    const ApplyStats stats = applier.run(
        calls(500),
        [&](const std::vector<Completed>& batch) {
          collect(batch);
          stop = true;
        },
        &stop);
    REQUIRE(got.all.size() == 500);
    CHECK(stats.succeeded >= 1);
    CHECK(stats.succeeded <= 3);  // the first call, plus one in flight per worker
    CHECK(stats.unavailable == 500 - stats.succeeded);
    CHECK(requests.load() == static_cast<int>(stats.succeeded));
    std::set<std::size_t> seen;
    for (const auto& c : got.all) {
      seen.insert(c.index);
      if (!c.result.status.isOk()) {
        CHECK(c.result.status.message() == "stopped");
        CHECK(c.result.attempts == 0);
      }
    }
    CHECK(seen.size() == 500);
  }

  TEST_CASE("a stop interrupts a backoff sleep") {
    std::atomic<bool> stop{false};
    FakeProvider provider([&](const Query&) {
      stop = true;  // the worker is about to sleep an hour before its retry
      return Answer{503, "{}", ""};
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 1;
    s.backoff_initial = std::chrono::hours(1);
    s.backoff_max = std::chrono::hours(1);
    s.max_attempts = 5;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(3), got.fn(), &stop);
    CHECK(stats.unavailable == 3);
    REQUIRE(got.all.size() == 3);
    CHECK(got.result(0).attempts == 1);
    CHECK(got.result(0).status.message().find("stopped after 1 attempts: ") == 0);
    CHECK(got.result(1).status.message() == "stopped");
  }

  TEST_CASE("an exception from on_batch stops the workers and reaches the caller") {
    FakeProvider provider(okFor);
    Applier applier(settingsFor(provider));
    CHECK_THROWS_AS(applier.run(calls(400),
                                [](const std::vector<Completed>&) {
                                  throw std::runtime_error("disk full");
                                }),
                    std::runtime_error);
  }

  TEST_CASE("the workers really run concurrently") {
    // Each request waits until four are inside the server at once (or a generous limit), so the
    // peak is a fact of the server, not of timing.
    std::mutex m;
    std::condition_variable cv;
    int inside = 0;
    int max_inside = 0;
    FakeProvider provider([&](const Query& q) {
      std::unique_lock lock(m);
      ++inside;
      max_inside = std::max(max_inside, inside);
      cv.notify_all();
      cv.wait_for(lock, std::chrono::seconds(5), [&] { return max_inside >= 4; });
      --inside;
      return okFor(q);
    });
    config::ProviderSettings s = settingsFor(provider);
    s.concurrency = 4;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(16), got.fn());
    CHECK(stats.succeeded == 16);
    CHECK(max_inside == 4);
    CHECK(stats.peak_in_flight == 4);
  }

  TEST_CASE("a rate limit spaces the calls of all workers together") {
    FakeProvider provider(okFor);
    config::ProviderSettings s = settingsFor(provider);
    s.rate_per_second = 100;  // one call per 10 ms, whatever the concurrency
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(21), got.fn());
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(stats.succeeded == 21);
    // A lower bound only, so it cannot flake: 21 calls need 20 intervals of 10 ms.
    CHECK(elapsed >= std::chrono::milliseconds(200));
  }

  TEST_CASE("a bad base URL fails every call with one clear error") {
    config::ProviderSettings s;
    s.base_url = "tasks-wave.example";
    s.password = kPassword;
    Applier applier(s);
    Collector got;
    const ApplyStats stats = applier.run(calls(3), got.fn());
    CHECK(got.all.size() == 3);
    CHECK(stats.rejected == 3);
    CHECK(got.result(0).status.code() == Errc::InvalidConfig);
    CHECK(got.result(0).status.message().find("base_url") != std::string::npos);
  }

  TEST_CASE("the password never reaches the debug log") {
    std::mutex m;
    std::map<std::string, int> seen;
    FakeProvider provider([&](const Query& q) {
      std::lock_guard lock(m);
      return ++seen[q.at("msisdn")] == 1 ? Answer{429, "{}", "0"} : okFor(q);
    });
    Poco::Logger& log = Poco::Logger::get("mobisync.remote");
    Poco::AutoPtr<CaptureChannel> capture(new CaptureChannel);
    Poco::AutoPtr<Poco::Channel> old_channel(log.getChannel(), true);
    const int old_level = log.getLevel();
    log.setChannel(capture);
    log.setLevel(Poco::Message::PRIO_TRACE);

    Applier applier(settingsFor(provider));
    Collector got;
    const ApplyStats stats = applier.run(calls(10), got.fn());

    log.setChannel(old_channel);
    log.setLevel(old_level);
    const std::string text = capture->text();
    CHECK(stats.succeeded == 10);
    CHECK(stats.retries == 10);
    CHECK(text.find("retry 2/4") != std::string::npos);
    CHECK(text.find("password=***") != std::string::npos);
    CHECK(text.find(kPassword) == std::string::npos);
    for (const auto& c : got.all) {
      CHECK(c.result.status.message().find(kPassword) == std::string::npos);
    }
  }

  TEST_CASE("a provider that refuses every connection trips the circuit breaker at once") {
    // A port nobody listens on: every attempt is refused without an HTTP answer.
    int closed_port = 0;
    {
      Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
      closed_port = probe.address().port();
    }
    config::ProviderSettings s;
    s.base_url = "http://127.0.0.1:" + std::to_string(closed_port);
    s.username = "acme";
    s.password = kPassword;
    s.concurrency = 4;
    s.max_attempts = 6;
    s.timeout = std::chrono::milliseconds(2000);
    // Without the breaker each call would back off 5 times (about 3 s of sleeping per call).
    s.backoff_initial = std::chrono::milliseconds(200);
    s.backoff_max = std::chrono::milliseconds(1000);
    Applier applier(s);
    Collector got;
    const auto started = std::chrono::steady_clock::now();
    const ApplyStats stats = applier.run(calls(3000), got.fn());
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(stats.breaker_tripped);
    CHECK(stats.provider_failed);
    CHECK(stats.succeeded == 0);
    CHECK(stats.rejected == 0);
    CHECK(stats.unavailable == 3000);
    CHECK(stats.not_made >= 3000 - 8);
    CHECK(stats.halt_reason.find("gave no answer to 5 calls in a row") != std::string::npos);
    CHECK(stats.halt_reason.find("connection refused") != std::string::npos);
    CHECK(stats.halt_reason.find(kPassword) == std::string::npos);
    // The bare reason; the calls it left say "not sent: <reason>".
    CHECK(stats.halt_reason.rfind("the provider at http://127.0.0.1:", 0) == 0);
    std::size_t said_not_sent = 0;
    for (const auto& c : got.all) {
      said_not_sent += c.result.status.message() == "not sent: " + stats.halt_reason ? 1 : 0;
    }
    CHECK(said_not_sent >= 3000 - 8);
    // A bound, not a speed: 3000 calls each backing off would take minutes.
    CHECK(took < std::chrono::seconds(10));
  }
}

}  // namespace mobisync::remote
