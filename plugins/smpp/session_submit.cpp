// SPDX-License-Identifier: Apache-2.0
// The Session's submit window: submit_sm out while the window has room and the rate allows, and
// each submit_sm_resp (or generic_nack) settling its segment: accepted, paused for a throttle,
// retried or dropped.
#include <Poco/Net/NetException.h>

#include "session.hpp"
#include "session_timing.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;
using Outcome = plugin::Delivery::Outcome;

namespace {

// ESME_RX_T_APPN: the SMSC's application says "try later"; the message may be sent again.
constexpr std::uint32_t kTemporaryAppError = 0x64;

}  // namespace

std::vector<std::shared_ptr<Segment>> Session::takeWindow() {
  std::vector<std::shared_ptr<Segment>> taken;
  // Sequence order is submit order (the counter wraps only after 2^31 PDUs).
  const auto now = Clock::now();
  for (auto& [seq, in_flight] : window_) {
    // The SMSC may have counted it up to the moment the connection was lost.
    limiter_.answered(seq, now);
    taken.push_back(std::move(in_flight.segment));
  }
  window_.clear();
  return taken;
}

void Session::submitWhatFits(Clock::time_point now) {
  if (!transmits()) return;
  // Every submit_sm that fits goes out in one write: a window refilled after a read of several
  // answers costs one system call, not one per PDU.
  std::string out;
  while (connected_ && window_.size() < static_cast<std::size_t>(options_.window) &&
         now >= paused_until_ && limiter_.nextAllowed() <= now) {
    std::shared_ptr<Segment> segment = dispatcher_.take();
    if (!segment) break;
    ++segment->attempts;
    const std::uint32_t seq = nextSequence();
    pdu::Encoded e = pdu::encode(pdu::makePdu(pdu::cmd::kSubmitSm, seq, segment->body));
    if (!e) {
      dispatcher_.failed(*segment, Outcome::Drop, e.error);
      continue;
    }
    limiter_.record(seq, now);
    window_.emplace(seq, InFlight{std::move(segment), now});
    out += e.bytes;
  }
  if (out.empty()) return;
  try {
    if (!writeAll(out)) throw Poco::Net::ConnectionResetException("write returned 0");
  } catch (const Poco::Exception& ex) {
    disconnect("write failed: " + ex.displayText());
  }
}

void Session::handleSubmitResp(const pdu::Pdu& p) {
  auto it = window_.find(p.header.sequence_number);
  if (it == window_.end()) {
    logger_.warning(name_ + ": " + pdu::commandName(p.header.command_id) + " for sequence " +
                    std::to_string(p.header.sequence_number) + " that has no submit_sm waiting");
    return;
  }
  // Read before anything else: the SMSC counted this submit no later than now.
  const auto now = Clock::now();
  const std::uint32_t seq = it->first;
  std::shared_ptr<Segment> segment = std::move(it->second.segment);
  window_.erase(it);
  const std::uint32_t status = p.header.command_status;
  if (status == pdu::status::kOk && p.header.command_id == pdu::cmd::kSubmitSmResp) {
    limiter_.accepted(seq, now);
    const auto* resp = p.as<pdu::MessageResp>();
    const std::string id = resp != nullptr ? resp->message_id : std::string();
    // Registered before anyone can see the acceptance: the receipt may follow at once.
    receipts_.accepted(segment->job->receipt_key, segment->index, id);
    dispatcher_.accepted(*segment, id);
    return;
  }
  if (status == pdu::status::kThrottled || status == pdu::status::kMsgQFul) {
    // One back-off per episode: the answers to submits already in flight when it began neither
    // pause the bind again nor lower the rate again. The segment goes back to the queue's front.
    if (limiter_.throttled(seq, now)) {
      paused_until_ = now + options_.throttle_pause;
      logger_.information(name_ + ": " + pdu::statusName(status) + ": pausing " +
                          session_timing::millisText(options_.throttle_pause) + ", then " +
                          std::to_string(limiter_.currentRate()) +
                          " submit_sm per second, rising by a tenth of " +
                          std::to_string(limiter_.ceiling()) + " each second");
    }
    dispatcher_.giveBack({std::move(segment)}, pdu::statusName(status));
    return;
  }
  limiter_.answered(seq, now);
  const std::string what = pdu::commandName(p.header.command_id) + " " + pdu::statusName(status);
  if (status == pdu::status::kSysErr || status == kTemporaryAppError) {
    dispatcher_.failed(*segment, Outcome::Retry, "SMSC answered " + what);
  } else {
    dispatcher_.failed(*segment, Outcome::Drop, "SMSC refused the message: " + what);
  }
}

}  // namespace mobisync::plugins::smpp
