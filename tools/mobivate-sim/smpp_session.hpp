// SPDX-License-Identifier: Apache-2.0
// One SMPP connection to the simulated SMSC: bind, submit_sm, enquire_link, unbind, receipts.
#pragma once

#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "smpp_pdu/pdu.hpp"

namespace mobisync::sim {

class Smsc;

/// Reads PDUs on the connection's thread and answers bind, enquire_link and unbind at once;
/// submit_sm goes through a queue to a second thread so a stalled answer does not stop reading,
/// which is what lets the window be enforced. Writes from both threads and from the SMSC's
/// receipt thread are serialised.
class SmppSession : public Poco::Net::TCPServerConnection {
 public:
  SmppSession(const Poco::Net::StreamSocket& socket, Smsc& smsc);
  ~SmppSession() override;

  void run() override;

  /// Sends one PDU; false when the connection is gone. Thread-safe.
  bool send(const smpp::Pdu& pdu);

  /// The next sequence number for a PDU this side originates (deliver_sm). Thread-safe.
  std::uint32_t nextSequence() { return next_sequence_++; }

  /// Ends the connection without unbind (shutdown both ways). Thread-safe.
  void drop();

 private:
  enum class BindState { Open, Transmitter, Receiver, Transceiver };

  struct QueuedSubmit {
    smpp::Pdu pdu;
    std::chrono::steady_clock::time_point arrival;
    bool drop = false;  ///< the drop_after fault: close the bind here instead of answering
  };

  void handle(const smpp::Pdu& pdu);
  void onBind(const smpp::Pdu& pdu);
  void onSubmit(const smpp::Pdu& pdu);
  void answerSubmit(const QueuedSubmit& item);
  /// Writes the answers the submit thread collected, in one call, and empties `answers`.
  void flushAnswers(std::string& answers);
  void respond(const smpp::Pdu& request, std::uint32_t status, smpp::Body body = smpp::Empty{});
  void submitLoop();
  /// The drop fault: stop answering and send FIN, but keep reading (drainUntilPeerCloses).
  void closeSending();
  void drainUntilPeerCloses();
  bool rateAllows(std::chrono::steady_clock::time_point now);

  Smsc& smsc_;
  std::mutex write_mutex_;
  // Held while a submit is recorded and answered, and by the drop fault, so a dropped bind
  // never leaves a message recorded but unanswered (which would make a resubmit a duplicate).
  std::mutex answer_mutex_;
  std::atomic<bool> open_{true};
  std::atomic<std::uint32_t> next_sequence_{1};
  BindState state_ = BindState::Open;  // reader thread only
  int submits_seen_ = 0;               // reader thread only
  std::atomic<bool> draining_{false};  // set by closeSending(); drop() ends the draining
  std::deque<std::chrono::steady_clock::time_point> accepted_times_;  // reader thread only

  std::mutex queue_mutex_;
  std::condition_variable queue_wake_;
  std::deque<QueuedSubmit> queue_;
  int outstanding_ = 0;  // queued or being answered; under queue_mutex_
  bool reader_done_ = false;
  std::thread submit_thread_;
};

}  // namespace mobisync::sim
