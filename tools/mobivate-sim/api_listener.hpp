// SPDX-License-Identifier: Apache-2.0
// ApiListener: the simulator's HTTP port, which can be closed (connections refused) and opened
// again on the same address, as a provider that goes down and comes back.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace mobisync::sim {

/// An HTTPServer on HOST:PORT (TLS when `tls` is set). The constructor binds, so the port is
/// known before start(). Thread-safe; close() may be called from one of its own handlers.
class ApiListener {
 public:
  /// @throws Poco::Exception when the address cannot be bound.
  ApiListener(Poco::Net::HTTPRequestHandlerFactory::Ptr factory, Poco::ThreadPool& pool,
              Poco::Net::HTTPServerParams::Ptr params, Poco::Net::Context::Ptr tls,
              const std::string& host, std::uint16_t port);
  ~ApiListener();

  ApiListener(const ApiListener&) = delete;
  ApiListener& operator=(const ApiListener&) = delete;

  void start();

  /// From now on a connect() is refused; open connections go on. Idempotent.
  void stopAccepting();

  /// Stops accepting, cuts every open connection and closes the listening socket. The port
  /// number is kept for open(). Idempotent.
  void close();

  /// Binds the same port again and serves (closing first what stopAccepting() left). Idempotent.
  /// @throws Poco::Exception when the port cannot be bound again (taken meanwhile).
  void open();

  /// The bound port (also while closed).
  std::uint16_t port() const { return port_; }

 private:
  void bindAndServe(std::uint16_t port);
  void closeLocked();

  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  Poco::ThreadPool& pool_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::Context::Ptr tls_;
  std::string host_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;  // null while closed
  std::unique_ptr<Poco::Net::HTTPServer> stopped_;  // closed from a handler: destroyed later
  bool started_ = false;
  bool accepting_ = false;  // server_ listens (not shut down by stopAccepting)
};

}  // namespace mobisync::sim
