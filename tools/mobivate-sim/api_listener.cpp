// SPDX-License-Identifier: Apache-2.0
// ApiListener: closes and reopens the simulator's HTTP port.
#include "api_listener.hpp"

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <sys/socket.h>

namespace mobisync::sim {

ApiListener::ApiListener(Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                         Poco::ThreadPool& pool, Poco::Net::HTTPServerParams::Ptr params,
                         Poco::Net::Context::Ptr tls, const std::string& host,
                         std::uint16_t port)
    : factory_(std::move(factory)),
      pool_(pool),
      params_(std::move(params)),
      tls_(std::move(tls)),
      host_(host) {
  bindAndServe(port);
}

ApiListener::~ApiListener() {
  std::lock_guard lock(mutex_);
  if (server_) {
    // Abort rather than drain: idle keep-alive connections would otherwise hold shutdown for
    // the whole keep-alive timeout.
    server_->stopAll(true);
  }
}

void ApiListener::bindAndServe(std::uint16_t port) {
  Poco::Net::ServerSocket socket = tls_.isNull() ? Poco::Net::ServerSocket()
                                                 : Poco::Net::SecureServerSocket(tls_);
  // SO_REUSEADDR lets a fixed port be bound again at once after a close or a restart; SO_REUSEPORT
  // (which Poco's two-argument bind() also sets) would let a second simulator silently share it.
  socket.bind(Poco::Net::SocketAddress(host_, port), true, false);
  socket.listen(1024);
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(factory_, pool_, socket, params_);
  accepting_ = true;
}

void ApiListener::start() {
  std::lock_guard lock(mutex_);
  started_ = true;
  if (server_) {
    server_->start();
  }
}

void ApiListener::stopAccepting() {
  std::lock_guard lock(mutex_);
  if (server_ && accepting_) {
    // On Linux a listening socket that is shut down stops listening: a SYN is answered with a
    // reset (connection refused) and the acceptor's accept() fails with EINVAL. The descriptor
    // stays open, so nothing races the acceptor thread for its number.
    ::shutdown(server_->socket().impl()->sockfd(), SHUT_RDWR);
    accepting_ = false;
  }
}

void ApiListener::close() {
  std::lock_guard lock(mutex_);
  closeLocked();
}

void ApiListener::closeLocked() {
  if (!server_) {
    return;
  }
  if (accepting_) {
    ::shutdown(server_->socket().impl()->sockfd(), SHUT_RDWR);
    accepting_ = false;
  }
  // stopAll(true) shuts every connection's socket down, the caller's own included (the caller
  // may be a handler whose answer is already on the wire); it waits for the acceptor thread.
  server_->stopAll(true);
  Poco::Net::ServerSocket listening = server_->socket();
  listening.close();
  // The stopped server lives on until open() or the destructor: the caller may be one of its
  // handlers.
  stopped_ = std::move(server_);
}

void ApiListener::open() {
  std::lock_guard lock(mutex_);
  if (server_ && accepting_) {
    return;
  }
  closeLocked();
  stopped_.reset();
  bindAndServe(port_);
  if (started_) {
    server_->start();
  }
}

}  // namespace mobisync::sim
