// SPDX-License-Identifier: Apache-2.0
// The Session's thread: reconnecting with backoff, and the loop that serves one bind (what is due
// when, and how long to sleep). Connecting and binding are in session_link.cpp, the submit window
// in session_submit.cpp, PDUs from the SMSC in session_inbound.cpp.
#include "session.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "session_timing.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;
using session_timing::millisText;
using session_timing::waitMillis;

Session::Session(std::string name, Role role, const Options& options, Dispatcher& dispatcher,
                 ReceiptMatcher& receipts, InboundQueue& inbound, Poco::Logger& logger)
    : name_(std::move(name)), role_(role), options_(options), dispatcher_(dispatcher),
      receipts_(receipts), inbound_(inbound), logger_(logger), limiter_(options.rate),
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

void Session::serve() {
  while (connected_) {
    auto now = Clock::now();
    if (stopping_ && !unbinding_) {
      if (stop_requested_at_ == Clock::time_point{}) stop_requested_at_ = now;
      // Drain the window first, so no submit is left without its answer.
      if (window_.empty() || now - stop_requested_at_ >= options_.timeout) {
        if (!window_.empty()) dispatcher_.giveBack(takeWindow(), "stopped before the SMSC answered");
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
