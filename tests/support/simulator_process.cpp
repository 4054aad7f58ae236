// SPDX-License-Identifier: Apache-2.0
// Starts, queries and stops the real mobivate-sim binary for tests.
#include "support/simulator_process.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <signal.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mobisync::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr const char* kListeningPrefix = "mobivate-sim listening on ";
constexpr const char* kLoopbackAuthority = "://127.0.0.1:";
constexpr const char* kSmppPrefix = "mobivate-sim smpp on 127.0.0.1:";
constexpr const char* kControlPrefix = "mobivate-sim control on ";

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

Poco::JSON::Array::Ptr parseArray(const std::string& body, const std::string& what) {
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("simulator " + what + " is not a JSON array: " + e.displayText() +
                             ": " + body);
  }
}

}  // namespace

SimulatorProcess::SimulatorProcess(SimulatorOptions options) {
  std::vector<std::string> argv = {MOBISYNC_SIM_BINARY, "--quiet"};
  auto flag = [&argv](const char* name, std::string value) {
    argv.emplace_back(name);
    argv.push_back(std::move(value));
  };
  flag("--host", "127.0.0.1");
  flag("--port", "0");
  flag("--username", options.username);
  flag("--password", options.password);
  flag("--latency-ms", std::to_string(options.latency_ms));
  flag("--error-rate", number(options.error_rate));
  flag("--rate-429", number(options.rate_429));
  flag("--seed", std::to_string(options.seed));
  flag("--api-key", options.api_key);
  api_key_ = options.api_key;
  for (const std::string& number : options.optouts) {
    flag("--optout", number);
  }
  for (const std::string& number : options.hlr_inactive) {
    flag("--hlr-inactive", number);
  }
  if (options.smsc) {
    flag("--smpp-port", "0");
  }
  if (!options.smpp_password.empty()) {
    flag("--smpp-password", options.smpp_password);
  }
  if (options.control) {
    flag("--control-port", "0");
  }
  if (!options.base_path.empty()) {
    flag("--base-path", options.base_path);
    base_path_ = options.base_path;
  }
  bool smsc = options.smsc;
  for (const std::string& arg : options.extra_args) {
    smsc = smsc || arg.rfind("--smpp-port", 0) == 0;
  }
  if (!options.tls_cert.empty()) {
    flag("--tls-cert", options.tls_cert);
    flag("--tls-key", options.tls_key);
    tls_cert_ = options.tls_cert;
    Poco::Net::initializeSSL();
  }
  // Every keep-alive connection pins a server thread; headroom keeps our own inspection calls
  // from queueing behind a client that holds 64 idle connections.
  flag("--threads", "256");
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  child_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_.path());

  // The ports are only known once the simulator has bound them, so its stdout lines are the
  // handshake: the HTTP port, then the SMSC's and the control port when asked for, in that
  // order; polling a file avoids a pipe that would need draining for the process lifetime.
  const std::string scheme = tls() ? "https" : "http";
  const std::string listening = kListeningPrefix + scheme + kLoopbackAuthority;
  const std::string control = kControlPrefix + scheme + kLoopbackAuthority;
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    std::vector<std::string> lines;
    std::istringstream out(child_->readStdout());
    for (std::string line; std::getline(out, line) && !out.eof();) {
      lines.push_back(line);
    }
    const std::size_t wanted = 1 + (smsc ? 1 : 0) + (options.control ? 1 : 0);
    if (!lines.empty() && lines[0].rfind(listening, 0) != 0) {
      throw std::runtime_error("mobivate-sim printed an unexpected first line: '" + lines[0] +
                               "'");
    }
    if (lines.size() >= wanted) {
      port_ = std::stoi(lines[0].substr(listening.size()));
      std::size_t next = 1;
      if (smsc) {
        if (lines[next].rfind(kSmppPrefix, 0) != 0) {
          throw std::runtime_error("mobivate-sim printed an unexpected second line: '" +
                                   lines[next] + "'");
        }
        smpp_port_ = std::stoi(lines[next++].substr(std::string(kSmppPrefix).size()));
      }
      if (options.control) {
        if (lines[next].rfind(control, 0) != 0) {
          throw std::runtime_error("mobivate-sim printed an unexpected control line: '" +
                                   lines[next] + "'");
        }
        control_port_ = std::stoi(lines[next].substr(control.size()));
      }
      return;
    }
    if (!child_->running()) {
      throw std::runtime_error("mobivate-sim exited with status " + std::to_string(child_->wait()) +
                               " before listening: " + child_->readStderr());
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("mobivate-sim did not report a listening port within 10 s: " +
                               child_->readStderr());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

SimulatorProcess::~SimulatorProcess() {
  if (!child_ || !child_->running()) {
    return;
  }
  child_->kill(SIGTERM);
  if (!child_->waitFor(kStopTimeout)) {
    child_->kill(SIGKILL);
    child_->wait();
  }
}

std::string SimulatorProcess::baseUrl() const {
  return (tls() ? "https" : "http") + std::string(kLoopbackAuthority) + std::to_string(port_);
}

HttpReply SimulatorProcess::call(const std::string& method, const std::string& path) {
  return call(method, path, "", {});
}

HttpReply SimulatorProcess::postJson(const std::string& path, const std::string& json) {
  return call("POST", path, json,
              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + api_key_}});
}

HttpReply SimulatorProcess::call(const std::string& method, const std::string& path,
                                 const std::string& body,
                                 const std::map<std::string, std::string>& headers) {
  const bool inspection = path.rfind("/_sim/", 0) == 0;
  const int port = inspection && control_port_ != 0 ? control_port_ : port_;
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> connection;
    if (tls()) {
      Poco::Net::Context::Params params;
      params.caLocation = tls_cert_;  // trust the simulator's self-signed certificate only
      params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
      params.loadDefaultCAs = false;
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      connection = std::make_unique<Poco::Net::HTTPSClientSession>(
          "127.0.0.1", static_cast<Poco::UInt16>(port), context);
    } else {
      connection = std::make_unique<Poco::Net::HTTPClientSession>(
          "127.0.0.1", static_cast<Poco::UInt16>(port));
    }
    Poco::Net::HTTPClientSession& session = *connection;
    session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(
                                          timeout_).count()));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& received = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(received, reply.body);
    for (const auto& [name, value] : response) {
      reply.headers[name] = value;
    }
    return reply;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("simulator " + method + " " + path.substr(0, path.find('?')) +
                             " failed: " + e.displayText());
  }
}

std::string SimulatorProcess::checked(const std::string& method, const std::string& path) {
  HttpReply reply = call(method, path);
  if (reply.status < 200 || reply.status > 299) {
    // The path's query may hold a password, so only the path is quoted.
    throw std::runtime_error("simulator " + method + " " + path.substr(0, path.find('?')) +
                             " answered " + std::to_string(reply.status) + ": " + reply.body);
  }
  return reply.body;
}

std::string SimulatorProcess::get(const std::string& path) { return checked("GET", path); }

std::string SimulatorProcess::post(const std::string& path) { return checked("POST", path); }

std::map<std::string, std::set<std::string>> SimulatorProcess::subscriptions() {
  std::map<std::string, std::set<std::string>> result;
  Poco::JSON::Array::Ptr all = contacts();
  for (std::size_t i = 0; i < all->size(); ++i) {
    Poco::JSON::Object::Ptr contact = all->getObject(static_cast<unsigned>(i));
    Poco::JSON::Array::Ptr applications = contact->getArray("applications");
    std::set<std::string>& target = result[contact->getValue<std::string>("msisdn")];
    for (std::size_t k = 0; k < applications->size(); ++k) {
      target.insert(applications->getElement<std::string>(static_cast<unsigned>(k)));
    }
  }
  return result;
}

Poco::JSON::Array::Ptr SimulatorProcess::contacts() {
  return parseArray(get("/_sim/contacts"), "/_sim/contacts");
}

Poco::JSON::Array::Ptr SimulatorProcess::requests() {
  return parseArray(get("/_sim/requests"), "/_sim/requests");
}

std::vector<SimMessage> SimulatorProcess::messages() {
  Poco::JSON::Array::Ptr all = parseArray(get("/_sim/messages"), "/_sim/messages");
  std::vector<SimMessage> result;
  for (std::size_t i = 0; i < all->size(); ++i) {
    Poco::JSON::Object::Ptr item = all->getObject(static_cast<unsigned>(i));
    SimMessage message;
    message.id = item->getValue<std::string>("id");
    message.api = item->getValue<std::string>("api");
    message.campaign_id = item->getValue<std::string>("campaignId");
    message.originator = item->getValue<std::string>("originator");
    message.recipient = item->getValue<std::string>("recipient");
    message.text = item->getValue<std::string>("text");
    message.route_id = item->getValue<std::string>("routeId");
    message.reference = item->getValue<std::string>("reference");
    message.parts = item->getValue<int>("parts");
    message.coding = item->getValue<std::string>("coding");
    message.accepted_at_ms = item->getValue<std::int64_t>("acceptedAtMs");
    result.push_back(std::move(message));
  }
  return result;
}

Poco::JSON::Object::Ptr SimulatorProcess::stats() {
  std::string body = get("/_sim/stats");
  try {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("simulator /_sim/stats is not a JSON object: " + e.displayText() +
                             ": " + body);
  }
}

int SimulatorProcess::endpointCount(const std::string& endpoint, const std::string& outcome) {
  Poco::JSON::Object::Ptr endpoints = stats()->getObject("endpoints");
  Poco::JSON::Object::Ptr outcomes = endpoints ? endpoints->getObject(endpoint) : nullptr;
  return outcomes && outcomes->has(outcome) ? outcomes->getValue<int>(outcome) : 0;
}

void SimulatorProcess::setFaults(const std::string& query) { post("/_sim/faults?" + query); }

void SimulatorProcess::reset() { post("/_sim/reset"); }

void SimulatorProcess::refuse() { post("/_sim/refuse"); }

void SimulatorProcess::resume() { post("/_sim/resume"); }

std::string SimulatorProcess::stderrText() const {
  return child_ ? child_->readStderr() : std::string();
}

}  // namespace mobisync::test
