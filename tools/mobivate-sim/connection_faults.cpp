// SPDX-License-Identifier: Apache-2.0
// Connection-level fault injection on Poco's server sockets (plain and TLS alike).
#include "connection_faults.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <thread>

namespace mobisync::sim {
namespace {

thread_local ConnectionFaults* current = nullptr;

Poco::Net::StreamSocket* socketOf(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  return impl != nullptr ? &impl->socket() : nullptr;
}

// Writes `size` bytes of `data` and pushes them onto the wire; false once the client is gone.
bool writeNow(std::ostream& out, const char* data, std::size_t size) {
  out.write(data, static_cast<std::streamsize>(size));
  out.flush();
  return static_cast<bool>(out);
}

// Half the body, but at least one byte of a body that has two, so the client has started
// reading the body when the rest goes missing.
std::size_t firstPart(const std::string& body) {
  return body.size() < 2 ? 0 : body.size() / 2;
}

}  // namespace

ConnectionFaults::ConnectionFaults(Poco::Net::HTTPServerRequest& request,
                                   std::function<void(const std::string&)> count)
    : request_(request), count_(std::move(count)) {
  current = this;
}

void ConnectionFaults::settle(const char* outcome) {
  if (count_) count_(outcome);
  counted_ = true;
}

ConnectionFaults::~ConnectionFaults() { current = nullptr; }

void ConnectionFaults::resetConnection(Poco::Net::HTTPServerResponse& response,
                                       const char* outcome) {
  if (current == nullptr) {
    return;
  }
  Poco::Net::StreamSocket* socket = socketOf(current->request_);
  if (socket == nullptr) {
    return;
  }
  // Without keep-alive Poco's connection loop ends after this request instead of polling the
  // socket we are about to close.
  response.setKeepAlive(false);
  socket->setLinger(true, 0);  // linger 0: close() sends RST, not FIN
  current->settle(outcome);
  socket->close();
}

void ConnectionFaults::shapeNextReply(ReplyShape shape) {
  if (current != nullptr) {
    current->shape_ = shape;
  }
}

bool ConnectionFaults::sendShaped(Poco::Net::HTTPServerResponse& response,
                                  const std::string& body) {
  if (current == nullptr || current->shape_.kind == ReplyShape::Kind::Usual) {
    return false;
  }
  Poco::Net::StreamSocket* socket = socketOf(current->request_);
  if (socket == nullptr) {
    return false;
  }
  const ReplyShape shape = current->shape_;
  current->shape_ = ReplyShape{};
  switch (shape.kind) {
    case ReplyShape::Kind::Flushed: {
      response.setContentLength(static_cast<std::streamsize>(body.size()));
      writeNow(response.send(), body.data(), body.size());
      break;
    }
    case ReplyShape::Kind::Truncated: {
      response.setKeepAlive(false);
      response.setContentLength(static_cast<std::streamsize>(body.size()));
      std::ostream& out = response.send();
      writeNow(out, body.data(), body.size() / 2);
      current->settle("truncated");
      socket->close();  // an orderly close: the half body already written still reaches the client
      break;
    }
    case ReplyShape::Kind::Trickled: {
      // The body ends where the connection does, as HTTP/1.1 allows without Content-Length, so a
      // client can only tell a complete answer from one it gave up on by the clock.
      response.setKeepAlive(false);
      response.setChunkedTransferEncoding(false);
      std::ostream& out = response.send();
      bool connected = writeNow(out, "", 0);
      for (std::size_t i = 0; connected && i < body.size(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(shape.ms));
        connected = writeNow(out, body.data() + i, 1);
      }
      current->settle("trickled");
      socket->close();  // the end of the connection is the end of the body
      break;
    }
    case ReplyShape::Kind::StalledMidBody: {
      response.setContentLength(static_cast<std::streamsize>(body.size()));
      std::ostream& out = response.send();
      const std::size_t first = firstPart(body);
      if (writeNow(out, body.data(), first)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(shape.ms));
        current->settle("stalled mid-body");
        writeNow(out, body.data() + first, body.size() - first);
      } else {
        current->settle("stalled mid-body");
      }
      break;
    }
    case ReplyShape::Kind::Usual:
      break;
  }
  return true;
}

}  // namespace mobisync::sim
