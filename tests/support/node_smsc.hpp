// SPDX-License-Identifier: Apache-2.0
// The npm `smpp` package run as an SMSC (tests/smsc/smsc.js) on a free loopback port.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace mobisync::test {

/// How to start the node SMSC; each field maps to one smsc.js flag.
struct NodeSmscOptions {
  std::string system_id = "demo";
  std::string password = "secret";
  int dlr_delay_ms = 50;
  int throttle_from = 0;   ///< answer submit_sm number N.. with ESME_RTHROTTLED
  int throttle_count = 0;
  int hold_from = 0;       ///< from submit_sm number N answer nothing ...
  int drop_after_held = 0; ///< ... and drop the connection once this many are held (once)
  int enquire_ms = 0;      ///< the SMSC sends enquire_link this often (0: never)
  std::vector<std::string> reject_dest;  ///< destinations answered ESME_RINVDSTADR
  bool malformed_after_bind = false;  ///< after the first bind: a bad deliver_sm, an unknown id
  bool garbage_after_bind = false;    ///< after the first bind: command_length 8
  std::string tls_cert;  ///< with tls_key: serve SMPP over TLS with this certificate (PEM)
  std::string tls_key;
  int max_per_second = 0;          ///< strict rate: accept at most N submit_sm per sliding second
  std::string rate_scope = "bind"; ///< ... counted per "bind" or per "system" id (strict_rate.js)
  // Realism (tests/smsc/realism.js). Receipts wait a uniform min..max ms when both are >= 0
  // (else dlr_delay_ms); a percentage of them are lost or sent twice; draws seeded by `seed`.
  int dlr_delay_min_ms = -1;
  int dlr_delay_max_ms = -1;
  int dlr_lose_percent = 0;
  int dlr_repeat_percent = 0;
  std::uint32_t seed = 1;
  int mo_after_submit = 0;             ///< after every Nth accepted submit the handset replies ...
  std::vector<std::string> mo_texts;   ///< ... these texts in turn ("STOP" when empty)
  std::string mo_inject;               ///< a file whose JSON lines {"from","to","text"} become MO
};

/// Runs `node tests/smsc/smsc.js` while the object lives; the destructor sends SIGTERM and waits
/// (SIGKILL after 10 s). Needs node and `npm ci` run in tests/smsc (scripts/test does both).
/// Owned by one test; not thread-safe.
class NodeSmsc {
 public:
  /// Starts the SMSC and waits up to 10 s for its listening line.
  /// @throws std::runtime_error naming what is missing (node, node_modules) or its stderr.
  explicit NodeSmsc(NodeSmscOptions options = {});
  ~NodeSmsc();

  NodeSmsc(const NodeSmsc&) = delete;
  NodeSmsc& operator=(const NodeSmsc&) = delete;

  int port() const { return port_; }

  /// Every event recorded so far, one JSON object per line of the record file. Each has
  /// "event" ("bind", "submit_sm", "received", "sent", "held", "drop", "unbind", "close"),
  /// "session" (1-based connection number) and "t_ms" (ms since the SMSC started).
  std::vector<Poco::JSON::Object::Ptr> records() const;
  /// The records whose "event" is `event`.
  std::vector<Poco::JSON::Object::Ptr> records(const std::string& event) const;

  /// What the SMSC wrote to stderr so far.
  std::string stderrText() const;

 private:
  TempDir dir_;  // declared first so it outlives the child
  std::unique_ptr<ChildProcess> child_;
  std::string record_path_;
  int port_ = 0;
};

}  // namespace mobisync::test
