// SPDX-License-Identifier: Apache-2.0
// The simulated SMSC: an SMPP v3.4 server with the provider's profile (window, rate, binds),
// delivery receipts and SMPP faults, recording accepted messages beside the HTTP APIs'.
#pragma once

#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "console.hpp"
#include "endpoint_counters.hpp"
#include "fault_injector.hpp"
#include "message_store.hpp"
#include "smpp_message.hpp"

namespace mobisync::sim {

class SmppSession;

/// Everything the SMSC is started with. Plain value.
struct SmscSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string system_id;
  std::string password;
  int window = 10;       // requests a bind may have unanswered
  int rate = 20;         // submit_sm per bind in any second
  int max_binds = 3;     // concurrent binds of the account
  int dlr_delay_ms = 100;
  std::vector<std::string> reject_prefixes;  // destinations refused with ESME_RINVDSTADR
  std::set<std::string> undeliverable;       // destinations whose receipts say UNDELIV
};

/// A delivery receipt waiting for its time.
struct PendingReceipt {
  std::chrono::steady_clock::time_point due;
  SmppSession* preferred = nullptr;  // the submitting bind, if it can receive
  std::string message_id;
  std::string originator;
  std::string recipient;
  std::string text;
  std::chrono::system_clock::time_point submitted;
};

/// Owns the listening socket, the connection threads and the receipt thread. Sessions call back
/// into it; all its members are thread-safe.
class Smsc {
 public:
  /// Binds the socket. @throws Poco::Exception when it cannot.
  /// SMPP faults (stall, drop) are read from `faults` per submit, so /_sim/faults changes them
  /// at run time; answers are counted in `counters` as "smpp:<command>" -> status name.
  Smsc(SmscSettings settings, MessageStore& messages, EndpointCounters& counters,
       FaultInjector& faults, Console& console);
  ~Smsc();

  Smsc(const Smsc&) = delete;
  Smsc& operator=(const Smsc&) = delete;

  void start();
  void stop();
  std::uint16_t port() const;

  const SmscSettings& settings() const { return settings_; }
  PartAssembler& assembler() { return assembler_; }
  MessageStore& messages() { return messages_; }
  EndpointCounters& counters() { return counters_; }
  FaultSettings faults() const { return faults_.settings(); }
  Console& console() { return console_; }

  void attach(SmppSession* session);
  void detach(SmppSession* session);

  /// Takes one of the account's binds; false when all max_binds are in use.
  bool takeBind(SmppSession* session, bool receives);

  /// A fresh message id: lower-case hex, as many SMSCs write them.
  std::string nextMessageId();

  void scheduleReceipt(PendingReceipt receipt);

 private:
  void receiptLoop();
  bool deliver(const PendingReceipt& receipt);  // with mutex_ held

  const SmscSettings settings_;
  MessageStore& messages_;
  EndpointCounters& counters_;
  FaultInjector& faults_;
  Console& console_;
  PartAssembler assembler_;
  std::atomic<std::uint64_t> next_id_{0x5A0001};

  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<SmppSession*> sessions_;
  std::map<SmppSession*, bool> binds_;  // bound session -> can receive
  std::multimap<std::chrono::steady_clock::time_point, PendingReceipt> receipts_;
  bool stopping_ = false;
  std::thread receipt_thread_;

  Poco::ThreadPool pool_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  bool stopped_ = false;
};

}  // namespace mobisync::sim
