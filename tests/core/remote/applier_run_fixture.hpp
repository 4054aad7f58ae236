// SPDX-License-Identifier: Apache-2.0
// Applier::run tests' loopback provider, scripted answers, result collector and log capture.
#pragma once

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
namespace applier_run_fixture {

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

inline Answer okFor(const Query& q) {
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

inline config::ProviderSettings settingsFor(const FakeProvider& p) {
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

inline std::vector<ProviderCall> calls(std::size_t n) {
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

}  // namespace applier_run_fixture

}  // namespace mobisync::remote
