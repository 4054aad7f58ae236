// SPDX-License-Identifier: Apache-2.0
#include "session.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;
using Outcome = plugin::Delivery::Outcome;

namespace {

// ESME_RX_T_APPN: the SMSC's application says "try later"; the message may be sent again.
constexpr std::uint32_t kTemporaryAppError = 0x64;

std::string millisText(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

int waitMillis(Session::Clock::time_point now, Session::Clock::time_point until) {
  if (until <= now) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
  return static_cast<int>(std::min<long long>(ms, 1000));
}

}  // namespace

Session::Session(std::string name, Role role, const Options& options, Dispatcher& dispatcher,
                 ReceiptMatcher& receipts, Poco::Logger& logger)
    : name_(std::move(name)), role_(role), options_(options), dispatcher_(dispatcher),
      receipts_(receipts), logger_(logger), limiter_(options.rate),
      random_(std::random_device{}()) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Session::~Session() {
  stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Session::start() { thread_ = std::thread([this] { run(); }); }

void Session::stop() {
  stopping_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
}

void Session::wake() {
  if (wake_fd_ < 0) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

std::uint32_t Session::nextSequence() {
  // Sequence numbers run 0x00000001..0x7FFFFFFF (SMPP v3.4 5.1.4).
  sequence_ = sequence_ >= 0x7FFFFFFF ? 1 : sequence_ + 1;
  return sequence_;
}

std::chrono::milliseconds Session::backoff() {
  auto d = options_.reconnect_min;
  for (int i = 0; i < failures_ && d < options_.reconnect_max; ++i) d *= 2;
  d = std::min(d, options_.reconnect_max);
  // Jitter over the upper half, so several binds that lost the SMSC together do not return as
  // one burst.
  std::uniform_int_distribution<long long> pick(d.count() / 2, d.count());
  return std::chrono::milliseconds(pick(random_));
}

void Session::sleepFor(std::chrono::milliseconds d) {
  const auto until = Clock::now() + d;
  while (!stopping_) {
    const auto now = Clock::now();
    if (now >= until) return;
    pollfd fd{wake_fd_, POLLIN, 0};
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    if (::poll(&fd, 1, static_cast<int>(std::min<long long>(ms, 1000))) > 0) {
      std::uint64_t drained = 0;
      [[maybe_unused]] auto n = ::read(wake_fd_, &drained, sizeof drained);
    }
  }
}

void Session::run() {
  while (!stopping_) {
    if (connectAndBind()) {
      failures_ = 0;
      serve();
    } else {
      ++failures_;
    }
    if (stopping_) break;
    sleepFor(backoff());
  }
  if (connected_) disconnect("stopped");
}

bool Session::sendPdu(const pdu::Pdu& p) {
  pdu::Encoded e = pdu::encode(p);
  if (!e) {
    logger_.error(name_ + ": cannot encode " + e.error);
    return false;
  }
  try {
    std::size_t done = 0;
    while (done < e.bytes.size()) {
      int n = socket_->sendBytes(e.bytes.data() + done, static_cast<int>(e.bytes.size() - done));
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  } catch (const Poco::Exception& ex) {
    dispatcher_.noteProblem(name_ + ": write failed: " + ex.displayText());
    return false;
  }
}

bool Session::readSome(int timeout_ms) {
  try {
    if (socket_->available() <= 0) {
      pollfd fds[2] = {{socket_->impl()->sockfd(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const int r = ::poll(fds, 2, timeout_ms);
      if (r < 0) return errno == EINTR;
      if ((fds[1].revents & POLLIN) != 0) {
        std::uint64_t drained = 0;
        [[maybe_unused]] auto n = ::read(wake_fd_, &drained, sizeof drained);
      }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) return true;
    }
    char buf[16384];
    const int n = socket_->receiveBytes(buf, sizeof buf);
    if (n <= 0) return false;
    framer_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    return true;
  } catch (const Poco::TimeoutException&) {
    return true;  // a TLS record arrived in part; the rest follows
  } catch (const Poco::Exception& ex) {
    dispatcher_.noteProblem(name_ + ": read failed: " + ex.displayText());
    return false;
  }
}

bool Session::connectAndBind() {
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  try {
    Poco::Net::SocketAddress address(options_.host, options_.port);
    const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count());
    if (options_.tls) {
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::CLIENT_USE, "", "", options_.ca_file,
          Poco::Net::Context::VERIFY_RELAXED, 9, options_.ca_file.empty());
      auto secure = std::make_unique<Poco::Net::SecureStreamSocket>(context);
      secure->setPeerHostName(options_.host);
      secure->connect(address, timeout);
      socket_ = std::move(secure);
    } else {
      socket_ = std::make_unique<Poco::Net::StreamSocket>();
      socket_->connect(address, timeout);
    }
    socket_->setNoDelay(true);
    socket_->setSendTimeout(timeout);
    socket_->setReceiveTimeout(timeout);
  } catch (const Poco::Exception& ex) {
    const std::string problem = name_ + ": cannot connect to " + where + ": " + ex.displayText();
    logger_.warning(problem);
    dispatcher_.noteProblem(problem);
    socket_.reset();
    return false;
  }
  connected_ = true;
  framer_ = pdu::Framer();
  window_.clear();
  enquire_.reset();
  unbind_.reset();
  unbinding_ = false;

  std::uint32_t command = pdu::cmd::kBindTransceiver;
  if (role_ == Role::Transmitter) command = pdu::cmd::kBindTransmitter;
  if (role_ == Role::Receiver) command = pdu::cmd::kBindReceiver;
  pdu::Bind bind{options_.system_id, options_.password, options_.system_type,
                 pdu::kInterfaceVersion34, 0, 0, ""};
  const std::uint32_t seq = nextSequence();
  if (!sendPdu(pdu::makePdu(command, seq, bind))) {
    disconnect("cannot send " + pdu::commandName(command));
    return false;
  }
  const auto deadline = Clock::now() + options_.timeout;
  while (!stopping_) {
    const auto now = Clock::now();
    if (now >= deadline) {
      disconnect("no " + pdu::commandName(command | pdu::cmd::kResponseBit) + " within " +
                 millisText(options_.timeout));
      return false;
    }
    if (!readSome(waitMillis(now, deadline))) {
      disconnect("the SMSC closed the connection during the bind");
      return false;
    }
    std::string frame;
    pdu::Framer::State state = pdu::Framer::State::NeedMore;
    while ((state = framer_.next(frame)) == pdu::Framer::State::Frame) {
      pdu::Decoded d = pdu::decode(frame);
      if (!d) {
        disconnect("unreadable answer to the bind: " + d.error.message());
        return false;
      }
      const pdu::Header& h = d.pdu->header;
      if (h.command_id == pdu::cmd::kEnquireLink) {
        sendPdu(pdu::makePdu(pdu::cmd::kEnquireLinkResp, h.sequence_number));
        continue;
      }
      if (h.sequence_number != seq ||
          (h.command_id != (command | pdu::cmd::kResponseBit) &&
           h.command_id != pdu::cmd::kGenericNack)) {
        continue;  // nothing else is expected before the bind is answered
      }
      if (h.command_status != pdu::status::kOk) {
        // The password is never part of the message, whatever the SMSC answers.
        disconnect(pdu::commandName(command) + " refused as system_id \"" + options_.system_id +
                   "\": " + pdu::statusName(h.command_status));
        return false;
      }
      logger_.information(name_ + ": bound to " + where + " as " + pdu::commandName(command));
      last_received_ = Clock::now();
      return true;
    }
    if (state == pdu::Framer::State::Broken) {
      disconnect(framer_.problem());
      return false;
    }
  }
  disconnect("stopped");
  return false;
}

void Session::disconnect(const std::string& why) {
  if (!connected_) return;
  std::vector<std::shared_ptr<Segment>> unacknowledged;
  // Sequence order is submit order (the counter wraps only after 2^31 PDUs).
  for (auto& [seq, in_flight] : window_) unacknowledged.push_back(std::move(in_flight.segment));
  window_.clear();
  if (!unacknowledged.empty()) {
    logger_.warning(name_ + ": " + std::to_string(unacknowledged.size()) +
                    " submit_sm without a response go back to the queue (" + why + ")");
    dispatcher_.giveBack(std::move(unacknowledged), why);
  }
  try {
    socket_->close();
  } catch (const Poco::Exception&) {
    // Closing a broken socket may fail; it is gone either way.
  }
  socket_.reset();
  connected_ = false;
  if (why == "unbound") {
    logger_.information(name_ + ": unbound");
  } else {
    logger_.warning(name_ + ": disconnected: " + why);
    dispatcher_.noteProblem(name_ + ": " + why);
  }
}

void Session::submitWhatFits(Clock::time_point now) {
  if (!transmits()) return;
  while (connected_ && window_.size() < static_cast<std::size_t>(options_.window) &&
         now >= paused_until_ && limiter_.nextAllowed() <= now) {
    std::shared_ptr<Segment> segment = dispatcher_.take();
    if (!segment) return;
    ++segment->attempts;
    const std::uint32_t seq = nextSequence();
    pdu::Encoded e = pdu::encode(pdu::makePdu(pdu::cmd::kSubmitSm, seq, segment->body));
    if (!e) {
      dispatcher_.failed(*segment, Outcome::Drop, e.error);
      continue;
    }
    limiter_.record(now);
    window_.emplace(seq, InFlight{std::move(segment), now});
    try {
      std::size_t done = 0;
      while (done < e.bytes.size()) {
        int n = socket_->sendBytes(e.bytes.data() + done, static_cast<int>(e.bytes.size() - done));
        if (n <= 0) throw Poco::Net::ConnectionResetException("write returned 0");
        done += static_cast<std::size_t>(n);
      }
    } catch (const Poco::Exception& ex) {
      disconnect("write failed: " + ex.displayText());
      return;
    }
  }
}

void Session::handleSubmitResp(const pdu::Pdu& p) {
  auto it = window_.find(p.header.sequence_number);
  if (it == window_.end()) {
    logger_.warning(name_ + ": " + pdu::commandName(p.header.command_id) + " for sequence " +
                    std::to_string(p.header.sequence_number) + " that has no submit_sm waiting");
    return;
  }
  std::shared_ptr<Segment> segment = std::move(it->second.segment);
  window_.erase(it);
  const auto now = Clock::now();
  const std::uint32_t status = p.header.command_status;
  if (status == pdu::status::kOk && p.header.command_id == pdu::cmd::kSubmitSmResp) {
    limiter_.accepted(now);
    const auto* resp = p.as<pdu::MessageResp>();
    const std::string id = resp != nullptr ? resp->message_id : std::string();
    // Registered before anyone can see the acceptance: the receipt may follow at once.
    receipts_.accepted(segment->job->receipt_key, segment->index, id);
    dispatcher_.accepted(*segment, id);
    return;
  }
  if (status == pdu::status::kThrottled || status == pdu::status::kMsgQFul) {
    limiter_.throttled(now);
    paused_until_ = now + options_.throttle_pause;
    logger_.information(name_ + ": " + pdu::statusName(status) + ": pausing " +
                        millisText(options_.throttle_pause) + ", then " +
                        std::to_string(limiter_.currentRate()) + " submit_sm per second");
    dispatcher_.giveBack({std::move(segment)}, pdu::statusName(status));
    return;
  }
  const std::string what = pdu::commandName(p.header.command_id) + " " + pdu::statusName(status);
  if (status == pdu::status::kSysErr || status == kTemporaryAppError) {
    dispatcher_.failed(*segment, Outcome::Retry, "SMSC answered " + what);
  } else {
    dispatcher_.failed(*segment, Outcome::Drop, "SMSC refused the message: " + what);
  }
}

void Session::handleRequest(const pdu::Pdu& p) {
  const pdu::Header& h = p.header;
  switch (h.command_id) {
    case pdu::cmd::kDeliverSm: {
      const auto* sm = p.as<pdu::ShortMessage>();
      if (auto receipt = receiptFrom(*sm)) {
        receipts_.add(*receipt);
      } else {
        logger_.information(name_ + ": a deliver_sm that is no receipt (from " + sm->source_addr +
                            "), acknowledged and ignored");
      }
      sendPdu(pdu::makePdu(pdu::cmd::kDeliverSmResp, h.sequence_number, pdu::MessageResp{}));
      return;
    }
    case pdu::cmd::kEnquireLink:
      sendPdu(pdu::makePdu(pdu::cmd::kEnquireLinkResp, h.sequence_number));
      return;
    case pdu::cmd::kUnbind:
      sendPdu(pdu::makePdu(pdu::cmd::kUnbindResp, h.sequence_number));
      disconnect("the SMSC unbound");
      return;
    case pdu::cmd::kAlertNotification:
    case pdu::cmd::kOutbind:
      logger_.information(name_ + ": " + pdu::commandName(h.command_id) + " ignored");
      return;
    default:
      sendPdu(pdu::makePdu(pdu::cmd::kGenericNack, h.sequence_number, pdu::Empty{},
                           pdu::status::kInvCmdId));
  }
}

void Session::handle(const std::string& frame) {
  last_received_ = Clock::now();
  pdu::Decoded d = pdu::decode(frame);
  if (!d) {
    const pdu::DecodeError& e = d.error;
    logger_.warning(name_ + ": refused a PDU from the SMSC: " + e.message());
    if ((e.command_id & pdu::cmd::kResponseBit) != 0) {
      // An answer we cannot read: whether that submit was taken is unknown, so the caller
      // decides (Retry) rather than this session resubmitting it.
      auto it = window_.find(e.sequence_number);
      if (e.command_id == pdu::cmd::kSubmitSmResp && it != window_.end()) {
        auto segment = std::move(it->second.segment);
        window_.erase(it);
        dispatcher_.failed(*segment, Outcome::Retry, "unreadable submit_sm_resp: " + e.message());
      }
      return;
    }
    if (e.command_id == pdu::cmd::kDeliverSm) {
      sendPdu(pdu::makePdu(pdu::cmd::kDeliverSmResp, e.sequence_number, pdu::Empty{}, e.status));
    } else {
      sendPdu(pdu::makePdu(pdu::cmd::kGenericNack, e.sequence_number, pdu::Empty{}, e.status));
    }
    return;
  }
  const pdu::Pdu& p = *d.pdu;
  const std::uint32_t id = p.header.command_id;
  if ((id & pdu::cmd::kResponseBit) == 0) return handleRequest(p);
  switch (id) {
    case pdu::cmd::kSubmitSmResp:
      return handleSubmitResp(p);
    case pdu::cmd::kGenericNack:
      if (window_.count(p.header.sequence_number) != 0) return handleSubmitResp(p);
      if (enquire_ && enquire_->first == p.header.sequence_number) enquire_.reset();
      logger_.warning(name_ + ": generic_nack " + pdu::statusName(p.header.command_status) +
                      " for sequence " + std::to_string(p.header.sequence_number));
      return;
    case pdu::cmd::kEnquireLinkResp:
      if (enquire_ && enquire_->first == p.header.sequence_number) enquire_.reset();
      return;
    case pdu::cmd::kUnbindResp:
      if (unbinding_) disconnect("unbound");
      return;
    default:
      logger_.information(name_ + ": " + pdu::commandName(id) + " ignored");
  }
}

void Session::serve() {
  while (connected_) {
    auto now = Clock::now();
    if (stopping_ && !unbinding_) {
      if (stop_requested_at_ == Clock::time_point{}) stop_requested_at_ = now;
      // Drain the window first, so no submit is left without its answer.
      if (window_.empty() || now - stop_requested_at_ >= options_.timeout) {
        if (!window_.empty()) {
          std::vector<std::shared_ptr<Segment>> left;
          for (auto& [seq, f] : window_) left.push_back(std::move(f.segment));
          window_.clear();
          dispatcher_.giveBack(std::move(left), "stopped before the SMSC answered");
        }
        const std::uint32_t seq = nextSequence();
        unbinding_ = true;
        unbind_ = {seq, now};
        if (!sendPdu(pdu::makePdu(pdu::cmd::kUnbind, seq))) return disconnect("cannot send unbind");
      }
    }
    if (unbinding_ && now - unbind_->second >= options_.timeout) {
      return disconnect("no unbind_resp within " + millisText(options_.timeout));
    }
    if (!stopping_) submitWhatFits(now);
    if (!connected_) return;

    if (!enquire_ && !unbinding_ && now - last_received_ >= options_.enquire_interval) {
      const std::uint32_t seq = nextSequence();
      enquire_ = {seq, now};
      if (!sendPdu(pdu::makePdu(pdu::cmd::kEnquireLink, seq))) {
        return disconnect("cannot send enquire_link");
      }
    }
    if (enquire_ && now - enquire_->second >= options_.timeout) {
      return disconnect("no enquire_link_resp within " + millisText(options_.timeout));
    }
    Clock::time_point oldest = Clock::time_point::max();
    for (const auto& [seq, f] : window_) oldest = std::min(oldest, f.sent);
    if (!window_.empty() && now - oldest >= options_.timeout) {
      return disconnect("no submit_sm_resp within " + millisText(options_.timeout));
    }

    // Sleep until the first thing that needs doing, or until data or work arrives.
    Clock::time_point until = now + std::chrono::seconds(1);
    if (!enquire_) until = std::min(until, last_received_ + options_.enquire_interval);
    if (enquire_) until = std::min(until, enquire_->second + options_.timeout);
    if (!window_.empty()) until = std::min(until, oldest + options_.timeout);
    if (unbinding_) until = std::min(until, unbind_->second + options_.timeout);
    if (stopping_ && !unbinding_) until = std::min(until, stop_requested_at_ + options_.timeout);
    if (transmits() && !stopping_ && window_.size() < static_cast<std::size_t>(options_.window) &&
        dispatcher_.hasWork()) {
      until = std::min(until, std::max(limiter_.nextAllowed(), paused_until_));
    }
    if (!readSome(waitMillis(now, until))) return disconnect("the SMSC closed the connection");

    std::string frame;
    pdu::Framer::State state = pdu::Framer::State::NeedMore;
    while (connected_ && (state = framer_.next(frame)) == pdu::Framer::State::Frame) handle(frame);
    if (connected_ && state == pdu::Framer::State::Broken) {
      sendPdu(pdu::makePdu(pdu::cmd::kGenericNack, 0, pdu::Empty{}, pdu::status::kInvCmdLen));
      return disconnect(framer_.problem());
    }
  }
}

}  // namespace mobisync::plugins::smpp
