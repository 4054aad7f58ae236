// SPDX-License-Identifier: Apache-2.0
// The real mobivate-sim binary started on a free loopback port, with a small client for tests.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// How to start the simulator; each field maps to one mobivate-sim flag.
struct SimulatorOptions {
  std::string username = "demo";
  std::string password = "demo-secret";
  int latency_ms = 0;
  double error_rate = 0;
  double rate_429 = 0;
  unsigned seed = 1;
  std::string api_key = "sim-api-key";    ///< --api-key: Bearer key of the JSON and HLR APIs
  std::vector<std::string> optouts;       ///< --optout: recipients that opted out
  std::vector<std::string> hlr_inactive;  ///< --hlr-inactive: numbers the HLR reports absent
  bool smsc = false;     ///< --smpp-port 0: also run the SMSC (see smppPort())
  /// --smpp-password: the SMSC's bind password; SMPP allows 8 characters, so with `smsc` and
  /// the default 11-character password this must be set (or `password` shortened).
  std::string smpp_password;
  /// --control-port 0: the /_sim/ endpoints also on a port of their own, which stays open while
  /// the API port is closed (refuse_after, refuse()); every /_sim/ call then goes there.
  bool control = false;
  /// --base-path: the provider APIs only below this path ("/gw"); /_sim/ stays at the root.
  std::string base_path;
  std::string tls_cert;  ///< with tls_key: serve HTTPS (see makeSelfSignedCertificate)
  std::string tls_key;
  std::vector<std::string> extra_args;  ///< passed last, e.g. {"--reject-msisdn", "4490"}
};

/// One HTTP exchange with the simulator, whatever its status.
struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

/// One message the simulator accepted (GET /_sim/messages); "" for fields the client left out.
struct SimMessage {
  std::string id;
  std::string api;  ///< "single", "batch", "simple" or "smpp"
  std::string campaign_id;
  std::string originator;
  std::string recipient;
  std::string text;
  std::string route_id;
  std::string reference;
  int parts = 0;
  std::string coding;  ///< "GSM-7" or "UCS-2"
  std::int64_t accepted_at_ms = 0;  ///< when the simulator recorded it, Unix milliseconds
};

/// Runs MOBISYNC_SIM_BINARY --quiet --threads 256 on 127.0.0.1 port 0 while the object lives; the
/// destructor sends SIGTERM and waits (SIGKILL after 10 s). Owned by one test; not thread-safe,
/// though its HTTP calls may be made from several threads (each uses its own connection).
class SimulatorProcess {
 public:
  /// Starts the simulator and waits up to 10 s for its listening line.
  /// @throws std::runtime_error with the simulator's stderr if it does not start.
  explicit SimulatorProcess(SimulatorOptions options = {});
  ~SimulatorProcess();

  SimulatorProcess(const SimulatorProcess&) = delete;
  SimulatorProcess& operator=(const SimulatorProcess&) = delete;

  int port() const { return port_; }

  /// The SMSC's port when started with `smsc` (or --smpp-port in extra_args), else 0.
  int smppPort() const { return smpp_port_; }

  /// The control port when started with `control`, else 0.
  int controlPort() const { return control_port_; }

  /// "http://127.0.0.1:PORT", or "https://..." when started with a certificate.
  std::string baseUrl() const;

  /// baseUrl() and the base path: what a client's base URL is ("http://127.0.0.1:PORT/gw").
  std::string apiUrl() const { return baseUrl() + base_path_; }

  /// True when the simulator serves HTTPS; call() then trusts exactly its certificate.
  bool tls() const { return !tls_cert_.empty(); }

  /// Receive timeout of later calls (default 30 s); shorten it to see an injected stall.
  void setTimeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  /// GET/POST `path` (with its query) and return the body.
  /// @throws std::runtime_error on a non-2xx status or a connection failure.
  std::string get(const std::string& path);
  std::string post(const std::string& path);

  /// Any method, any status: for tests that check error replies.
  /// @throws std::runtime_error on a connection failure only.
  HttpReply call(const std::string& method, const std::string& path);

  /// Same, with a request body and extra headers (e.g. Content-Type, Authorization).
  HttpReply call(const std::string& method, const std::string& path, const std::string& body,
                 const std::map<std::string, std::string>& headers);

  /// POST a JSON body to a JSON API path with the simulator's Bearer key; any status.
  HttpReply postJson(const std::string& path, const std::string& json);

  /// The Bearer key the simulator accepts.
  const std::string& apiKey() const { return api_key_; }

  /// msisdn -> applications, from /_sim/contacts.
  std::map<std::string, std::set<std::string>> subscriptions();

  /// /_sim/contacts and /_sim/requests, parsed.
  Poco::JSON::Array::Ptr contacts();
  Poco::JSON::Array::Ptr requests();

  /// Every accepted message in acceptance order, from /_sim/messages.
  std::vector<SimMessage> messages();

  /// /_sim/stats, parsed; "endpoints" maps path -> answer ("200", "no response") -> count.
  Poco::JSON::Object::Ptr stats();

  /// How many requests to `endpoint` got `outcome` ("200", "429", "no response", ...).
  int endpointCount(const std::string& endpoint, const std::string& outcome);

  /// POST /_sim/faults?`query` (e.g. "error_rate=0.3&rate_429=0"). @throws on a refusal.
  void setFaults(const std::string& query);

  /// POST /_sim/reset: forget every record, message, the request log and the counters.
  void reset();

  /// POST /_sim/refuse and /_sim/resume: close the API port (connections refused) and open it
  /// again. Need `control`.
  void refuse();
  void resume();

  /// What the simulator wrote to stderr so far (empty with --quiet unless it failed).
  std::string stderrText() const;

 private:
  std::string checked(const std::string& method, const std::string& path);

  TempDir dir_;  // holds the child's output files; declared first so it outlives the child
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
  int smpp_port_ = 0;
  int control_port_ = 0;
  std::string api_key_;
  std::string tls_cert_;
  std::string base_path_;
  std::chrono::milliseconds timeout_{30000};
};

}  // namespace mobisync::test
