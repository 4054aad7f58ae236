// SPDX-License-Identifier: Apache-2.0
// Starts, queries and stops the real mobivate-sim binary for tests.
#include "support/simulator_process.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
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
constexpr const char* kListeningPrefix = "mobivate-sim listening on http://127.0.0.1:";

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
  // Every keep-alive connection pins a server thread; headroom keeps our own inspection calls
  // from queueing behind a client that holds 64 idle connections.
  flag("--threads", "256");
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  child_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_.path());

  // The port is only known once the simulator has bound it, so its one stdout line is the
  // handshake; polling a file avoids a pipe that would need draining for the process lifetime.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    std::string out = child_->readStdout();
    auto line_end = out.find('\n');
    if (line_end != std::string::npos) {
      std::string line = out.substr(0, line_end);
      if (line.rfind(kListeningPrefix, 0) == 0) {
        port_ = std::stoi(line.substr(std::string(kListeningPrefix).size()));
        return;
      }
      throw std::runtime_error("mobivate-sim printed an unexpected first line: '" + line + "'");
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
  return "http://127.0.0.1:" + std::to_string(port_);
}

HttpReply SimulatorProcess::call(const std::string& method, const std::string& path) {
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(body, reply.body);
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

void SimulatorProcess::reset() { post("/_sim/reset"); }

std::string SimulatorProcess::stderrText() const {
  return child_ ? child_->readStderr() : std::string();
}

}  // namespace mobisync::test
