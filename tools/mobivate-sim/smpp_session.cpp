// SPDX-License-Identifier: Apache-2.0
// One SMPP connection of the simulated SMSC, using the project's PDU codec.
#include "smpp_session.hpp"

#include <Poco/Exception.h>

#include "send_rules.hpp"
#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/constants.hpp"
#include "smpp_pdu/framer.hpp"
#include "smsc.hpp"

namespace mobisync::sim {
namespace {

// While the submit thread answers a run of queued submits, their responses collect here and go
// out in one write: a client that keeps ten in flight costs one system call per run, not ten.
// Per thread, so answers the reader thread sends (binds, throttles) are never caught in it.
thread_local std::string* t_answers = nullptr;

namespace cmd = smpp::cmd;
namespace status = smpp::status;

constexpr const char* kSmscSystemId = "mobivate-sim";

bool isRequestWeAnswer(std::uint32_t command_id) {
  return command_id == cmd::kBindTransmitter || command_id == cmd::kBindReceiver ||
         command_id == cmd::kBindTransceiver || command_id == cmd::kSubmitSm ||
         command_id == cmd::kEnquireLink || command_id == cmd::kUnbind;
}

}  // namespace

SmppSession::SmppSession(const Poco::Net::StreamSocket& socket, Smsc& smsc)
    : Poco::Net::TCPServerConnection(socket), smsc_(smsc) {
  // A peer that stops reading must not hold the receipt thread (which writes under a lock).
  this->socket().setSendTimeout(Poco::Timespan(5, 0));
  smsc_.attach(this);
}

SmppSession::~SmppSession() {
  if (submit_thread_.joinable()) {
    {
      std::lock_guard lock(queue_mutex_);
      reader_done_ = true;
    }
    queue_wake_.notify_all();
    submit_thread_.join();
  }
  smsc_.detach(this);
}

void SmppSession::run() {
  submit_thread_ = std::thread([this] { submitLoop(); });
  smpp::Framer framer;
  char buffer[8192];
  std::string frame;
  try {
    while (open_) {
      int received = socket().receiveBytes(buffer, sizeof buffer);
      if (received <= 0) {
        break;
      }
      framer.feed(std::string_view(buffer, static_cast<std::size_t>(received)));
      smpp::Framer::State state = smpp::Framer::State::NeedMore;
      while (open_ && (state = framer.next(frame)) == smpp::Framer::State::Frame) {
        smpp::Decoded decoded = smpp::decode(frame);
        if (decoded) {
          handle(*decoded.pdu);
          continue;
        }
        const smpp::DecodeError& error = decoded.error;
        if (!smsc_.console().quiet()) {
          smsc_.console().line("smpp: refused PDU: " + error.message());
        }
        std::uint32_t answer_id = isRequestWeAnswer(error.command_id)
                                      ? (error.command_id | cmd::kResponseBit)
                                      : cmd::kGenericNack;
        send(smpp::makePdu(answer_id, error.sequence_number, smpp::Empty{}, error.status));
      }
      if (open_ && state == smpp::Framer::State::Broken) {
        if (!smsc_.console().quiet()) {
          smsc_.console().line("smpp: dropping a connection: " + framer.problem());
        }
        break;
      }
    }
  } catch (const Poco::Exception&) {
    // The peer went away or the socket was dropped on purpose; either way the session ends.
  }
  if (draining_) {
    drainUntilPeerCloses();
  }
  drop();
  {
    std::lock_guard lock(queue_mutex_);
    reader_done_ = true;
  }
  queue_wake_.notify_all();
  submit_thread_.join();
  smsc_.detach(this);
}

bool SmppSession::send(const smpp::Pdu& pdu) {
  smpp::Encoded encoded = smpp::encode(pdu);
  if (!encoded) {
    return false;  // only our own PDUs are encoded here; they always fit
  }
  if (t_answers != nullptr) {
    t_answers->append(encoded.bytes);
    return open_;
  }
  std::lock_guard lock(write_mutex_);
  if (!open_) {
    return false;
  }
  try {
    socket().sendBytes(encoded.bytes.data(), static_cast<int>(encoded.bytes.size()));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

void SmppSession::closeSending() {
  std::lock_guard lock(write_mutex_);
  if (!open_.exchange(false)) {
    return;
  }
  draining_ = true;
  try {
    socket().shutdownSend();
  } catch (const Poco::Exception&) {
    // already gone
  }
}

void SmppSession::drainUntilPeerCloses() {
  // Closing a socket with unread bytes sends a reset, and a reset makes the peer's kernel throw
  // away the answers it has not read yet. Reading until the peer closes keeps the drop orderly:
  // every answer sent before it arrives, as when an SMSC ends a session with a FIN.
  char buffer[8192];
  try {
    socket().setReceiveTimeout(Poco::Timespan(5, 0));
    while (socket().receiveBytes(buffer, sizeof buffer) > 0) {
    }
  } catch (const Poco::Exception&) {
    // The peer reset the connection or went silent: nothing more to keep orderly.
  }
}

void SmppSession::drop() {
  std::lock_guard lock(write_mutex_);
  if (!open_.exchange(false) && !draining_.exchange(false)) {
    return;
  }
  try {
    socket().shutdown();
  } catch (const Poco::Exception&) {
    // already gone
  }
}

void SmppSession::respond(const smpp::Pdu& request, std::uint32_t command_status,
                          smpp::Body body) {
  if (request.header.command_id != cmd::kEnquireLink) {  // keep-alives would drown the counts
    smsc_.counters().count("smpp:" + smpp::commandName(request.header.command_id),
                           smpp::statusName(command_status));
  }
  send(smpp::makePdu(request.header.command_id | cmd::kResponseBit,
                     request.header.sequence_number, std::move(body), command_status));
}

void SmppSession::handle(const smpp::Pdu& pdu) {
  switch (pdu.header.command_id) {
    case cmd::kBindTransmitter:
    case cmd::kBindReceiver:
    case cmd::kBindTransceiver:
      onBind(pdu);
      return;
    case cmd::kEnquireLink:
      respond(pdu, status::kOk);
      return;
    case cmd::kUnbind:
      respond(pdu, status::kOk);
      drop();
      return;
    case cmd::kSubmitSm:
      onSubmit(pdu);
      return;
    case cmd::kDeliverSmResp:
    case cmd::kGenericNack:
    case cmd::kEnquireLinkResp:
    case cmd::kUnbindResp:
      return;  // answers to what we sent: nothing to do
    default:
      if ((pdu.header.command_id & cmd::kResponseBit) == 0) {
        // A request this SMSC does not offer (query_sm, data_sm, ...).
        send(smpp::makePdu(cmd::kGenericNack, pdu.header.sequence_number, smpp::Empty{},
                           status::kInvCmdId));
      }
  }
}

void SmppSession::onBind(const smpp::Pdu& pdu) {
  const smpp::Bind* bind = pdu.as<smpp::Bind>();
  if (state_ != BindState::Open) {
    respond(pdu, status::kAlyBnd);
    return;
  }
  // Never log the password, and say nothing about which half was wrong beyond the status.
  if (bind == nullptr || bind->system_id != smsc_.settings().system_id) {
    respond(pdu, status::kBindFail);
    return;
  }
  if (bind->password != smsc_.settings().password) {
    respond(pdu, status::kInvPaswd);
    return;
  }
  bool receives = pdu.header.command_id != cmd::kBindTransmitter;
  if (!smsc_.takeBind(this, receives)) {
    respond(pdu, status::kBindFail);  // all of the account's binds are in use
    return;
  }
  state_ = pdu.header.command_id == cmd::kBindTransmitter ? BindState::Transmitter
           : pdu.header.command_id == cmd::kBindReceiver  ? BindState::Receiver
                                                          : BindState::Transceiver;
  smpp::BindResp resp;
  resp.system_id = kSmscSystemId;
  resp.tlvs.sc_interface_version = smpp::kInterfaceVersion34;
  respond(pdu, status::kOk, resp);
  if (!smsc_.console().quiet()) {
    smsc_.console().line("smpp: " + smpp::commandName(pdu.header.command_id) + " accepted");
  }
}

bool SmppSession::rateAllows(std::chrono::steady_clock::time_point now) {
  while (!accepted_times_.empty() && now - accepted_times_.front() >= std::chrono::seconds(1)) {
    accepted_times_.pop_front();
  }
  if (static_cast<int>(accepted_times_.size()) >= smsc_.settings().rate) {
    return false;
  }
  accepted_times_.push_back(now);
  return true;
}

void SmppSession::onSubmit(const smpp::Pdu& pdu) {
  if (state_ != BindState::Transmitter && state_ != BindState::Transceiver) {
    respond(pdu, status::kInvBndSts);
    return;
  }
  ++submits_seen_;
  auto now = std::chrono::steady_clock::now();
  int drop_after = smsc_.faults().smpp_drop_after;
  if (drop_after > 0 && submits_seen_ > drop_after) {
    // The fault takes its turn in the answer queue: the submits before it are answered, this
    // one and every later one are not, however many arrived in one segment.
    {
      std::lock_guard lock(queue_mutex_);
      ++outstanding_;
      queue_.push_back(QueuedSubmit{pdu, now, true});
    }
    queue_wake_.notify_one();
    return;
  }
  {
    std::lock_guard lock(queue_mutex_);
    if (outstanding_ >= smsc_.settings().window) {
      // Checked on the reader thread, which keeps reading while answers are held, so an ESME
      // that overruns its window is caught even when responses stall.
      respond(pdu, status::kMsgQFul);
      return;
    }
  }
  if (!rateAllows(now)) {
    respond(pdu, status::kThrottled);
    return;
  }
  {
    std::lock_guard lock(queue_mutex_);
    ++outstanding_;
    queue_.push_back(QueuedSubmit{pdu, now});
  }
  queue_wake_.notify_one();
}

void SmppSession::submitLoop() {
  std::deque<QueuedSubmit> run;
  std::string answers;
  while (true) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_wake_.wait(lock, [this] { return !queue_.empty() || reader_done_; });
      if (queue_.empty()) {
        return;
      }
      run.swap(queue_);
    }
    const int stall_ms = smsc_.faults().smpp_stall_ms;
    int handled = 0;
    for (QueuedSubmit& item : run) {
      if (stall_ms > 0) {
        std::this_thread::sleep_until(item.arrival + std::chrono::milliseconds(stall_ms));
      }
      if (item.drop) {
        flushAnswers(answers);
        std::lock_guard answering(answer_mutex_);
        if (open_) {
          smsc_.counters().count("smpp:submit_sm", "dropped");
          closeSending();
        }
      } else {
        std::lock_guard answering(answer_mutex_);
        if (open_) {
          t_answers = &answers;
          answerSubmit(item);
          t_answers = nullptr;
        }
      }
      if (stall_ms > 0) {
        // A stall answers each submit on its own time, not with the rest of the run.
        flushAnswers(answers);
        std::lock_guard lock(queue_mutex_);
        --outstanding_;
      } else {
        ++handled;
      }
    }
    run.clear();
    flushAnswers(answers);
    std::lock_guard lock(queue_mutex_);
    outstanding_ -= handled;
  }
}

void SmppSession::flushAnswers(std::string& answers) {
  if (answers.empty()) {
    return;
  }
  std::lock_guard lock(write_mutex_);
  if (open_) {
    try {
      socket().sendBytes(answers.data(), static_cast<int>(answers.size()));
    } catch (const Poco::Exception&) {
      // The peer went away; the reader thread ends the session.
    }
  }
  answers.clear();
}

void SmppSession::answerSubmit(const QueuedSubmit& item) {
  const smpp::Pdu& pdu = item.pdu;
  const smpp::ShortMessage* submit = pdu.as<smpp::ShortMessage>();
  if (submit == nullptr) {
    respond(pdu, status::kSysErr);
    return;
  }
  for (const std::string& prefix : smsc_.settings().reject_prefixes) {
    if (submit->destination_addr.rfind(prefix, 0) == 0) {
      respond(pdu, status::kInvDstAdr);
      return;
    }
  }
  if (submit->destination_addr.empty()) {
    respond(pdu, status::kInvDstAdr);
    return;
  }
  if (originatorProblem(submit->source_addr)) {
    respond(pdu, status::kInvSrcAdr);
    return;
  }
  std::string error;
  std::optional<SmppPart> part = splitPart(*submit, error);
  std::optional<std::string> part_text =
      part ? decodePayload(submit->data_coding, part->payload, error) : std::nullopt;
  if (!part_text) {
    if (!smsc_.console().quiet()) {
      smsc_.console().line("smpp: refused submit_sm: " + error);
    }
    respond(pdu, status::kSubmitFail);
    return;
  }
  std::string id = smsc_.nextMessageId();
  std::optional<PartAssembler::Parts> whole =
      smsc_.assembler().add(submit->source_addr, submit->destination_addr, id, *part);
  if (whole) {
    SentMessage message;
    message.id = whole->front().first;
    message.api = "smpp";
    message.originator = submit->source_addr;
    message.recipient = submit->destination_addr;
    message.route_id = submit->tlvs.dest_subaddress.value_or("");
    std::string payload;
    for (const auto& [part_id, part_payload] : *whole) {
      payload += part_payload;
    }
    message.text = decodePayload(submit->data_coding, payload, error).value_or("");
    // Parts and coding as sent, which is what the provider bills, not as we would encode it.
    message.parts = whole->size();
    message.coding = submit->data_coding == 0 ? "GSM-7" : "UCS-2";
    if (!smsc_.console().quiet()) {
      smsc_.console().line("smpp: message to " + message.recipient + " (" +
                           std::to_string(message.parts) + " part(s) " + message.coding + ")");
    }
    smsc_.messages().record(std::move(message));
  }
  // Answered only once recorded, so a client that saw the resp also sees the message.
  respond(pdu, status::kOk, smpp::MessageResp{id});
  if ((submit->registered_delivery & 0x03) != 0) {
    PendingReceipt receipt;
    receipt.due = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(smsc_.settings().dlr_delay_ms);
    receipt.preferred = state_ == BindState::Transceiver ? this : nullptr;
    receipt.message_id = id;
    receipt.originator = submit->source_addr;
    receipt.recipient = submit->destination_addr;
    receipt.text = *part_text;
    receipt.submitted = std::chrono::system_clock::now();
    smsc_.scheduleReceipt(std::move(receipt));
  }
}

}  // namespace mobisync::sim
