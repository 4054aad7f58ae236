// SPDX-License-Identifier: Apache-2.0
// The Session's link to the SMSC: connect (TCP or TLS), bind and wait for its answer, write and
// read PDUs, and disconnect, giving every unanswered submit back to the dispatcher.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "session.hpp"
#include "session_timing.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;
using session_timing::millisText;
using session_timing::waitMillis;

bool Session::writeAll(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    int n = socket_->sendBytes(bytes.data() + done, static_cast<int>(bytes.size() - done));
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool Session::sendPdu(const pdu::Pdu& p) {
  pdu::Encoded e = pdu::encode(p);
  if (!e) {
    logger_.error(name_ + ": cannot encode " + e.error);
    return false;
  }
  try {
    return writeAll(e.bytes);
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

bool Session::connect(const std::string& where) {
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
  return true;
}

bool Session::connectAndBind() {
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  if (!connect(where)) return false;

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
      bound_ = true;
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
  std::vector<std::shared_ptr<Segment>> unacknowledged = takeWindow();
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
  bound_ = false;
  if (why == "unbound") {
    logger_.information(name_ + ": unbound");
  } else {
    logger_.warning(name_ + ": disconnected: " + why);
    dispatcher_.noteProblem(name_ + ": " + why);
  }
}

}  // namespace mobisync::plugins::smpp
