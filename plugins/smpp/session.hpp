// SPDX-License-Identifier: Apache-2.0
// Session: one SMPP bind (transceiver, transmitter or receiver) on its own thread, reconnecting
// for as long as the notifier runs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>

#include "dispatcher.hpp"
#include "inbound.hpp"
#include "rate_limiter.hpp"
#include "receipts.hpp"
#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/framer.hpp"
#include "smpp_options.hpp"

namespace mobisync::plugins::smpp {

/// One bind. Its thread connects, binds, then loops: read what arrived (responses, receipts,
/// enquire_link, unbind), submit queued segments while the window has room and the rate allows,
/// keep the link alive, and on any loss give unacknowledged segments back to the dispatcher and
/// reconnect after a jittered exponential backoff. stop() unbinds gracefully: no new submits,
/// the window drains (up to the timeout), unbind, unbind_resp, close.
class Session {
 public:
  enum class Role { Transceiver, Transmitter, Receiver };
  using Clock = std::chrono::steady_clock;

  Session(std::string name, Role role, const Options& options, Dispatcher& dispatcher,
          ReceiptMatcher& receipts, InboundQueue& inbound, Poco::Logger& logger);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  /// Graceful unbind, then joins the thread. Idempotent.
  void stop();
  /// Wakes the thread (work was queued).
  void wake();

  bool transmits() const { return role_ != Role::Receiver; }
  /// Whether the bind is up now (from its bind_resp until the connection goes). Any thread.
  bool bound() const { return bound_; }

 private:
  struct InFlight {
    std::shared_ptr<Segment> segment;
    Clock::time_point sent;
  };

  // session.cpp: the thread and its loop.
  void run();
  void serve();
  void sleepFor(std::chrono::milliseconds d);
  std::uint32_t nextSequence();
  std::chrono::milliseconds backoff();

  // session_link.cpp: the connection and the bind.
  bool connect(const std::string& where);
  bool connectAndBind();
  void disconnect(const std::string& why);
  /// Writes all of `bytes`; false when a write returned 0, a Poco::Exception when it failed.
  bool writeAll(const std::string& bytes);
  bool sendPdu(const mobisync::smpp::Pdu& pdu);
  bool readSome(int timeout_ms);

  // session_submit.cpp: the submit window.
  void submitWhatFits(Clock::time_point now);
  void handleSubmitResp(const mobisync::smpp::Pdu& pdu);
  /// Empties the window, returning its segments in submit order.
  std::vector<std::shared_ptr<Segment>> takeWindow();

  // session_inbound.cpp: PDUs from the SMSC.
  void handle(const std::string& frame);
  void handleRequest(const mobisync::smpp::Pdu& pdu);
  void handleUndecodable(const mobisync::smpp::DecodeError& error);

  std::string name_;
  Role role_;
  const Options& options_;
  Dispatcher& dispatcher_;
  ReceiptMatcher& receipts_;
  InboundQueue& inbound_;
  Poco::Logger& logger_;

  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> bound_{false};
  int wake_fd_ = -1;

  // Owned by the session thread.
  std::unique_ptr<Poco::Net::StreamSocket> socket_;
  bool connected_ = false;
  bool unbinding_ = false;
  mobisync::smpp::Framer framer_;
  std::map<std::uint32_t, InFlight> window_;
  std::optional<std::pair<std::uint32_t, Clock::time_point>> enquire_;
  std::optional<std::pair<std::uint32_t, Clock::time_point>> unbind_;
  Clock::time_point last_received_{};
  Clock::time_point paused_until_{};
  Clock::time_point stop_requested_at_{};
  RateLimiter limiter_;
  std::uint32_t sequence_ = 0;
  int failures_ = 0;
  std::mt19937 random_;
};

}  // namespace mobisync::plugins::smpp
