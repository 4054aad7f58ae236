// SPDX-License-Identifier: Apache-2.0
// SmppNotifier::probe(): one bind and its unbind on a connection of its own, apart from the
// sessions (which it neither starts nor touches), for `check --connect`.
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <memory>
#include <string>

#include "smpp_notifier.hpp"
#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/constants.hpp"
#include "smpp_pdu/framer.hpp"

namespace mobisync::plugins::smpp {
namespace {

namespace pdu = mobisync::smpp;
using plugin::ProbeResult;

/// A blocking link for one exchange at a time: write a PDU, read PDUs until the answer to it.
class ProbeLink {
 public:
  explicit ProbeLink(const Options& o)
      : timeout_(std::chrono::duration_cast<std::chrono::microseconds>(o.timeout).count()) {
    const Poco::Net::SocketAddress address(o.host, o.port);
    if (!o.tls) {
      socket_ = std::make_unique<Poco::Net::StreamSocket>();
    } else {
      // Verified like the sessions' links: the CA file, else the system store.
      Poco::Net::Context::Ptr tls =
          new Poco::Net::Context(Poco::Net::Context::CLIENT_USE, "", "", o.ca_file,
                                 Poco::Net::Context::VERIFY_RELAXED, 9, o.ca_file.empty());
      auto secure = std::make_unique<Poco::Net::SecureStreamSocket>(tls);
      secure->setPeerHostName(o.host);
      socket_ = std::move(secure);
    }
    socket_->connect(address, timeout_);
    socket_->setReceiveTimeout(timeout_);
    socket_->setSendTimeout(timeout_);
  }

  /// Sends `request` and returns the header of its response (or generic_nack); any PDU the
  /// SMSC sends meanwhile (a deliver_sm on a transceiver bind) is left unanswered, so the SMSC
  /// keeps it for the sessions: acknowledging it here would lose a receipt.
  /// Throws Poco::Exception when the link fails or the answer does not come in time.
  pdu::Header exchange(const pdu::Pdu& request) {
    const pdu::Encoded e = pdu::encode(request);
    if (!e) throw Poco::Net::NetException("cannot encode " + e.error);
    socket_->sendBytes(e.bytes.data(), static_cast<int>(e.bytes.size()));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::microseconds(timeout_.totalMicroseconds());
    while (std::chrono::steady_clock::now() < deadline) {
      std::string frame;
      pdu::Framer::State state;
      while ((state = framer_.next(frame)) == pdu::Framer::State::Frame) {
        const pdu::Decoded d = pdu::decode(frame);
        if (!d) throw Poco::Net::NetException("unreadable answer: " + d.error.message());
        const pdu::Header& h = d.pdu->header;
        const bool answer = h.command_id == (request.header.command_id | pdu::cmd::kResponseBit) ||
                            h.command_id == pdu::cmd::kGenericNack;
        if (answer && h.sequence_number == request.header.sequence_number) return h;
      }
      if (state == pdu::Framer::State::Broken) throw Poco::Net::NetException(framer_.problem());
      char buffer[4096];
      const int n = socket_->receiveBytes(buffer, sizeof buffer);
      if (n <= 0) throw Poco::Net::NetException("the SMSC closed the connection");
      framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    throw Poco::TimeoutException(
        "no " + pdu::commandName(request.header.command_id | pdu::cmd::kResponseBit));
  }

  void close() noexcept {
    try {
      socket_->close();
    } catch (...) {
    }
  }

 private:
  Poco::Timespan timeout_;
  std::unique_ptr<Poco::Net::StreamSocket> socket_;
  pdu::Framer framer_;
};

bool refusesCredentials(std::uint32_t status) {
  return status == pdu::status::kInvPaswd || status == pdu::status::kInvSysId ||
         status == pdu::status::kBindFail;
}

}  // namespace

std::vector<plugin::ProbeResult> SmppNotifier::probe() {
  ProbeResult r;
  if (!options_) return {};
  const Options& o = *options_;
  // A transmitter bind for TX+RX: it proves the same credentials and receives nothing.
  const std::uint32_t bind = o.bind_mode == BindMode::Transceiver ? pdu::cmd::kBindTransceiver
                                                                  : pdu::cmd::kBindTransmitter;
  r.endpoint = "smpp " + o.host + ":" + std::to_string(o.port) + (o.tls ? " (tls)" : "");
  const auto start = std::chrono::steady_clock::now();
  try {
    ProbeLink link(o);
    const pdu::Header bound = link.exchange(pdu::makePdu(
        bind, 1,
        pdu::Bind{o.system_id, o.password, o.system_type, pdu::kInterfaceVersion34, 0, 0, ""}));
    if (bound.command_status != pdu::status::kOk) {
      // The password is never part of the message, whatever the SMSC answers.
      r.verdict = refusesCredentials(bound.command_status) ? ProbeResult::Verdict::Refused
                                                           : ProbeResult::Verdict::Unreachable;
      r.detail = pdu::commandName(bind) + " refused as system_id \"" + o.system_id +
                 "\": " + pdu::statusName(bound.command_status);
    } else {
      r.detail = pdu::commandName(bind) + " as system_id \"" + o.system_id + "\" accepted, ";
      try {
        const pdu::Header unbound = link.exchange(pdu::makePdu(pdu::cmd::kUnbind, 2));
        r.detail += unbound.command_status == pdu::status::kOk
                        ? "unbound"
                        : "unbind answered " + pdu::statusName(unbound.command_status);
      } catch (const Poco::Exception& e) {
        // The credentials were accepted; closing the connection ends the bind anyway.
        r.detail += "then the unbind failed: " + e.displayText();
      }
    }
    link.close();
  } catch (const Poco::Exception& e) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "cannot bind: " + e.displayText();
  } catch (const std::exception& e) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = std::string("cannot bind: ") + e.what();
  }
  r.latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  return {r};
}

}  // namespace mobisync::plugins::smpp
