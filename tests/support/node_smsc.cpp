// SPDX-License-Identifier: Apache-2.0
// Starts and stops tests/smsc/smsc.js (the npm smpp package as an SMSC) for tests.
#include "support/node_smsc.hpp"

#include <Poco/JSON/Parser.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace mobisync::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr const char* kListeningPrefix = "node-smsc on 127.0.0.1:";

std::string smscDir() { return std::string(MOBISYNC_SOURCE_DIR) + "/tests/smsc"; }

}  // namespace

NodeSmsc::NodeSmsc(NodeSmscOptions o) {
  const std::string dir = smscDir();
  if (!std::filesystem::exists(dir + "/node_modules/smpp/package.json")) {
    throw std::runtime_error("the npm smpp package is not installed in " + dir +
                             ": run `npm ci` there (scripts/test does)");
  }
  record_path_ = dir_.file("record.jsonl");
  std::vector<std::string> argv = {"node", dir + "/smsc.js"};
  auto flag = [&argv](const char* name, const std::string& value) {
    argv.emplace_back(name);
    argv.push_back(value);
  };
  flag("--port", "0");
  flag("--record", record_path_);
  flag("--system-id", o.system_id);
  flag("--password", o.password);
  flag("--dlr-delay-ms", std::to_string(o.dlr_delay_ms));
  flag("--throttle-from", std::to_string(o.throttle_from));
  flag("--throttle-count", std::to_string(o.throttle_count));
  flag("--hold-from", std::to_string(o.hold_from));
  flag("--drop-after-held", std::to_string(o.drop_after_held));
  flag("--enquire-ms", std::to_string(o.enquire_ms));
  for (const auto& d : o.reject_dest) flag("--reject-dest", d);
  if (o.malformed_after_bind) flag("--malformed-after-bind", "1");
  if (o.garbage_after_bind) flag("--garbage-after-bind", "1");
  if (!o.tls_cert.empty()) flag("--tls-cert", o.tls_cert);
  if (!o.tls_key.empty()) flag("--tls-key", o.tls_key);
  if (o.dlr_delay_min_ms >= 0 && o.dlr_delay_max_ms >= 0) {
    flag("--dlr-delay-min-ms", std::to_string(o.dlr_delay_min_ms));
    flag("--dlr-delay-max-ms", std::to_string(o.dlr_delay_max_ms));
  }
  flag("--dlr-lose-percent", std::to_string(o.dlr_lose_percent));
  flag("--dlr-repeat-percent", std::to_string(o.dlr_repeat_percent));
  flag("--seed", std::to_string(o.seed));
  flag("--mo-after-submit", std::to_string(o.mo_after_submit));
  for (const auto& t : o.mo_texts) flag("--mo-text", t);
  if (!o.mo_inject.empty()) flag("--mo-inject", o.mo_inject);
  if (o.max_per_second > 0) {
    flag("--max-per-second", std::to_string(o.max_per_second));
    flag("--rate-scope", o.rate_scope);
  }
  child_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_.path());

  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    std::string out = child_->readStdout();
    auto line_end = out.find('\n');
    if (line_end != std::string::npos) {
      std::string line = out.substr(0, line_end);
      if (line.rfind(kListeningPrefix, 0) != 0) {
        throw std::runtime_error("node-smsc printed an unexpected first line: '" + line + "'");
      }
      port_ = std::stoi(line.substr(std::string(kListeningPrefix).size()));
      return;
    }
    if (!child_->running()) {
      throw std::runtime_error("node-smsc exited with status " + std::to_string(child_->wait()) +
                               " before listening (is node installed?): " + child_->readStderr());
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("node-smsc did not report a listening port within 10 s: " +
                               child_->readStderr());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

NodeSmsc::~NodeSmsc() {
  if (!child_ || !child_->running()) return;
  child_->kill(SIGTERM);
  if (!child_->waitFor(kStopTimeout)) {
    child_->kill(SIGKILL);
    child_->wait();
  }
}

std::vector<Poco::JSON::Object::Ptr> NodeSmsc::records() const {
  std::vector<Poco::JSON::Object::Ptr> out;
  std::ifstream in(record_path_);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    try {
      out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
    } catch (const Poco::Exception& e) {
      // The last line may be half written while the SMSC runs; anything else is a bug.
      if (in.peek() != EOF) {
        throw std::runtime_error("node-smsc record line is not JSON: " + e.displayText() + ": " + line);
      }
    }
  }
  return out;
}

std::vector<Poco::JSON::Object::Ptr> NodeSmsc::records(const std::string& event) const {
  std::vector<Poco::JSON::Object::Ptr> out;
  for (auto& r : records()) {
    if (r->optValue<std::string>("event", "") == event) out.push_back(r);
  }
  return out;
}

std::string NodeSmsc::stderrText() const { return child_ ? child_->readStderr() : std::string(); }

}  // namespace mobisync::test
