// SPDX-License-Identifier: Apache-2.0
// The simulated SMSC's shared state: binds, message ids and the delivery-receipt thread.
#include "smsc.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>

#include <cstdio>

#include "smpp_pdu/constants.hpp"
#include "smpp_session.hpp"

namespace mobisync::sim {
namespace {

constexpr std::uint8_t kMessageStateDelivered = 2;
constexpr std::uint8_t kMessageStateUndeliverable = 5;
constexpr auto kNoReceiverRetry = std::chrono::milliseconds(50);

class SessionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit SessionFactory(Smsc& smsc) : smsc_(smsc) {}
  Poco::Net::TCPServerConnection* createConnection(
      const Poco::Net::StreamSocket& socket) override {
    return new SmppSession(socket, smsc_);
  }

 private:
  Smsc& smsc_;
};

}  // namespace

Smsc::Smsc(SmscSettings settings, MessageStore& messages, EndpointCounters& counters,
           FaultInjector& faults, Console& console)
    : settings_(std::move(settings)),
      messages_(messages),
      counters_(counters),
      faults_(faults),
      console_(console),
      pool_("smsc", 2, 64) {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(settings_.host, settings_.port), true, false);
  socket.listen(64);
  Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
  params->setMaxThreads(64);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::TCPServer>(new SessionFactory(*this), pool_, socket,
                                                   params);
}

Smsc::~Smsc() { stop(); }

void Smsc::start() {
  receipt_thread_ = std::thread([this] { receiptLoop(); });
  server_->start();
}

void Smsc::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  server_->stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (SmppSession* session : sessions_) {
      session->drop();
    }
  }
  wake_.notify_all();
  if (receipt_thread_.joinable()) {
    receipt_thread_.join();
  }
  pool_.joinAll();
}

std::uint16_t Smsc::port() const { return server_->port(); }

void Smsc::attach(SmppSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.insert(session);
}

void Smsc::detach(SmppSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  binds_.erase(session);
  for (auto& [due, receipt] : receipts_) {
    if (receipt.preferred == session) {
      receipt.preferred = nullptr;
    }
  }
}

bool Smsc::takeBind(SmppSession* session, bool receives) {
  std::lock_guard lock(mutex_);
  if (static_cast<int>(binds_.size()) >= settings_.max_binds) {
    return false;
  }
  binds_[session] = receives;
  return true;
}

std::string Smsc::nextMessageId() {
  char text[24];
  std::snprintf(text, sizeof text, "%llx", static_cast<unsigned long long>(next_id_++));
  return text;
}

void Smsc::scheduleReceipt(PendingReceipt receipt) {
  {
    std::lock_guard lock(mutex_);
    receipts_.emplace(receipt.due, std::move(receipt));
  }
  wake_.notify_all();
}

void Smsc::receiptLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (receipts_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = receipts_.begin();
    if (first->first > std::chrono::steady_clock::now()) {
      wake_.wait_until(lock, first->first);
      continue;
    }
    PendingReceipt receipt = std::move(first->second);
    receipts_.erase(first);
    if (!deliver(receipt)) {
      // No bind can take it yet: an SMSC keeps receipts until a receiver binds.
      receipt.due = std::chrono::steady_clock::now() + kNoReceiverRetry;
      receipts_.emplace(receipt.due, std::move(receipt));
    }
  }
}

bool Smsc::deliver(const PendingReceipt& receipt) {
  SmppSession* target = nullptr;
  auto preferred = binds_.find(receipt.preferred);
  if (preferred != binds_.end() && preferred->second) {
    target = preferred->first;
  } else {
    for (const auto& [session, receives] : binds_) {
      if (receives) {
        target = session;
        break;
      }
    }
  }
  if (target == nullptr) {
    return false;
  }
  bool delivered = settings_.undeliverable.count(receipt.recipient) == 0;
  smpp::ShortMessage dlr;
  dlr.source_addr_ton = 1;
  dlr.source_addr_npi = 1;
  dlr.source_addr = receipt.recipient;
  dlr.destination_addr = receipt.originator;
  dlr.esm_class = smpp::kEsmDeliveryReceipt;
  dlr.short_message = receiptText(receipt.message_id, receipt.submitted,
                                  std::chrono::system_clock::now(),
                                  delivered ? "DELIVRD" : "UNDELIV", delivered ? "000" : "001",
                                  receipt.text);
  dlr.tlvs.receipted_message_id = receipt.message_id;
  dlr.tlvs.message_state = delivered ? kMessageStateDelivered : kMessageStateUndeliverable;
  // Sent under mutex_ so the session cannot be destroyed meanwhile (detach takes the lock).
  return target->send(smpp::makePdu(smpp::cmd::kDeliverSm, target->nextSequence(), dlr));
}

}  // namespace mobisync::sim
