// SPDX-License-Identifier: Apache-2.0
// Connection-level fault injection on Poco's server sockets (plain and TLS alike).
#include "connection_faults.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

namespace mobisync::sim {
namespace {

thread_local ConnectionFaults* current = nullptr;

Poco::Net::StreamSocket* socketOf(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  return impl != nullptr ? &impl->socket() : nullptr;
}

}  // namespace

ConnectionFaults::ConnectionFaults(Poco::Net::HTTPServerRequest& request) : request_(request) {
  current = this;
}

ConnectionFaults::~ConnectionFaults() { current = nullptr; }

void ConnectionFaults::resetConnection(Poco::Net::HTTPServerResponse& response) {
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
  socket->close();
  current->outcome_ = "reset";
}

void ConnectionFaults::truncateNextReply() {
  if (current != nullptr) {
    current->truncate_ = true;
  }
}

bool ConnectionFaults::sendTruncated(Poco::Net::HTTPServerResponse& response,
                                     const std::string& body) {
  if (current == nullptr || !current->truncate_) {
    return false;
  }
  Poco::Net::StreamSocket* socket = socketOf(current->request_);
  if (socket == nullptr) {
    return false;
  }
  current->truncate_ = false;
  response.setKeepAlive(false);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  std::ostream& out = response.send();
  out.write(body.data(), static_cast<std::streamsize>(body.size() / 2));
  out.flush();
  socket->close();  // an orderly close: the half body already written still reaches the client
  current->outcome_ = "truncated";
  return true;
}

}  // namespace mobisync::sim
